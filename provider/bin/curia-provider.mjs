#!/usr/bin/env node
// Entry point of `curia-provider` (the sample provider server): runs the TypeScript sources through tsx.
const [major] = process.versions.node.split(".").map(Number);
if (major < 22) {
  console.error(
    `curia-provider needs Node.js 22 or later; this is ${process.version}. Run it through npm (npm run provider -- …), which uses the project's Node 22.`,
  );
  process.exit(1);
}
const { register } = await import("tsx/esm/api");
register();
await import("../src/cli.ts");
