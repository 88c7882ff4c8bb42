#!/usr/bin/env node
// Entry point of `curia-indexer`: needs Node 22.5+ (node:sqlite); runs the TypeScript sources through tsx.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 5)) {
  console.error(
    `curia-indexer needs Node.js 22.5 or later (node:sqlite); this is ${process.version}. Run it through npm (npm run indexer), which uses the project's Node 22.`,
  );
  process.exit(1);
}
// node:sqlite still prints an experimental warning on Node 22; it is expected, not actionable.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning, ...rest) =>
  String(warning).includes("SQLite is an experimental feature") ? undefined : emitWarning(warning, ...rest);
const { register } = await import("tsx/esm/api");
register();
await import("../src/cli.ts");
