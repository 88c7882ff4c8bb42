#!/usr/bin/env node
// Entry point of `curia-validator`: runs the TypeScript sources through tsx (Node 22: run it through npm or npx).
const [major] = process.versions.node.split(".").map(Number);
if (major < 22) {
  console.error(
    `curia-validator needs Node.js 22 or later; this is ${process.version}. Run it through npm (npm run validator -- …), which uses the project's Node 22.`,
  );
  process.exit(1);
}
const { register } = await import("tsx/esm/api");
register();
await import("../src/cli.ts");
