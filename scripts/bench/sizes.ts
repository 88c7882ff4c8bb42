// `npm run bench:sizes`: the deployed size of every production contract and its headroom under EIP-170, written to
// benchmarks/contract-sizes.{md,json}. The same measurement gates `npm test` (test/build/sizes.test.ts: 2 KiB).
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { EIP170_LIMIT, GATE_HEADROOM, productionContractSizes, TARGET_HEADROOM } from "../lib/contract-sizes.js";
import { formatGas, markdownTable, writeReport } from "./common.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const COMMAND = "npm run bench:sizes";

execFileSync("npx", ["hardhat", "build", "--quiet"], { cwd: ROOT, stdio: "inherit" });
const sizes = productionContractSizes(ROOT);
const table = markdownTable(
  ["contract", "source", "bytes", "headroom", "≥ 2 KiB (gate)", "≥ 3 KiB (target)"],
  sizes.map((s) => [
    s.name,
    s.source,
    formatGas(s.runtime),
    formatGas(s.headroom),
    s.headroom >= GATE_HEADROOM ? "✓" : "✗",
    s.headroom >= TARGET_HEADROOM ? "✓" : "✗",
  ]),
);
const markdown = `# Contract sizes

Produced by \`${COMMAND}\` (it builds first). Deployed (runtime) bytecode of every production contract against
EIP-170's ${formatGas(EIP170_LIMIT)} bytes; "headroom" is what is left. \`npm test\` fails when a contract keeps less than
${formatGas(GATE_HEADROOM)} bytes (test/build/sizes.test.ts); issue 15 asks ${formatGas(TARGET_HEADROOM)} of every contract after the v2
restructuring. solc 0.8.28, optimizer 200 runs, except CuriaGovernor (IR pipeline, 1 run), ListingChallenges and
ValidationManager (IR pipeline, 200 runs), ListingRegistry (IR pipeline, 100 runs) and the Court (100 runs): see
hardhat.config.ts.

${table}
`;
writeReport("benchmarks/contract-sizes", markdown, {
  command: COMMAND,
  limit: EIP170_LIMIT,
  gateHeadroom: GATE_HEADROOM,
  targetHeadroom: TARGET_HEADROOM,
  contracts: sizes,
});
console.log(markdown);
