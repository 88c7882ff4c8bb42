#!/usr/bin/env node
// Entry point of `curia` (every role's actions on the contracts): runs the TypeScript sources through tsx.
import { readFileSync } from "node:fs";

// The Node floor is this package's engines.node (22.16: see "Node version" in the root README). On our machines the
// system Node may be older: `npm run curia -- …` runs the project's own Node 22 from node_modules/.bin.
const floor = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).engines.node;
const need = floor.replace(/^>=/, "").split(".").map(Number);
const have = process.versions.node.split(".").map(Number);
const differs = need.findIndex((n, i) => have[i] !== n);
if (differs !== -1 && have[differs] < need[differs]) {
  console.error(
    `curia needs Node.js ${need.join(".")} or later; this is ${process.version}. Run it through npm (npm run curia -- …), which uses the project's Node 22.`,
  );
  process.exit(1);
}
const { register } = await import("tsx/esm/api");
register();
// Usage answers from src/help.ts alone, before the CLI's imports load: they need the build (the protocol package's
// generated ABIs, the typed bindings), and `--help` should work on a fresh clone.
const args = process.argv.slice(2);
// `curia validator …` hands everything to curia-validator, its own --help included.
// Its key, stake, unstake, withdraw, claim and status are curia's own (src/cli.ts VALIDATOR_COMMANDS).
const at = args.indexOf("validator");
const delegated =
  at !== -1 &&
  !["key", "stake", "unstake", "withdraw", "claim", "status"].includes(args[at + 1]) &&
  !args.slice(0, at).some(isHelp);
if (args.length === 0 || args[0] === "help" || (!delegated && args.some(isHelp))) {
  const { usageOf } = await import("../src/help.ts");
  console.log(usageOf(args.find((arg) => ["consumer", "provider", "juror", "validator"].includes(arg))));
  // No command at all is a mistake (exit 2), as an unknown one is; asking for help is not.
  if (args.length === 0) process.exitCode = 2;
} else {
  if (delegated && isHelp(args[at + 1] ?? "")) {
    // `curia validator --help`: curia's own validator commands first, then curia-validator's usage (printed by it).
    const { SECTIONS } = await import("../src/help.ts");
    console.log(`${SECTIONS.validator}\n`);
  }
  await import("../src/cli.ts");
}

function isHelp(arg) {
  return arg === "--help" || arg === "-h";
}
