#!/usr/bin/env node
// Entry point of `curia-canary` (the canary operator): runs the TypeScript sources through tsx.
const args = process.argv.slice(2);
const { register } = await import("tsx/esm/api");
register();
if (args.length === 0 || args.includes("--help") || args.includes("-h")) {
  // Usage from help.ts alone: it needs no build.
  const { CANARY_USAGE } = await import("../src/canary/help.ts");
  console.log(CANARY_USAGE);
  if (args.length === 0) process.exitCode = 2;
} else {
  await import("../src/canary/cli.ts");
}
