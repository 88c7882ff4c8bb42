// `npm test`: every check of the project in one run, with one tally at the end.
// Each lint/build step counts as one test; the test runners' own counts are added up from their summaries.
// The last line printed is `N passed, N failed`, which CI reads.
import { spawn } from "node:child_process";

interface Step {
  name: string;
  command: string;
  args: string[];
  /** Parses the runner's own pass/fail counts; without it the step is one test, judged by its exit code. */
  counts?: (output: string) => { passed: number; failed: number } | undefined;
}

/** Mocha-style summaries ("12 passing", "1 failing"), used by Hardhat's mocha and Solidity test runners. */
function mochaCounts(output: string): { passed: number; failed: number } | undefined {
  const sum = (re: RegExp) => [...output.matchAll(re)].reduce((acc, m) => acc + Number(m[1]), 0);
  const passed = sum(/^\s*(\d+) passing/gm);
  const failed = sum(/^\s*(\d+) failing/gm);
  return passed + failed > 0 ? { passed, failed } : undefined;
}

/** Vitest's summary line: "      Tests  41 passed | 1 failed (42)". */
function vitestCounts(output: string): { passed: number; failed: number } | undefined {
  const line = /^\s*Tests\s+(.*)$/m.exec(output)?.[1];
  if (line === undefined) return undefined;
  const passed = Number(/(\d+) passed/.exec(line)?.[1] ?? 0);
  const failed = Number(/(\d+) failed/.exec(line)?.[1] ?? 0);
  return passed + failed > 0 ? { passed, failed } : undefined;
}

/** Playwright's list/line reporter summary: "  12 passed (40.1s)", "  1 failed", "  1 flaky" (a flaky test counts as failed). */
function playwrightCounts(output: string): { passed: number; failed: number } | undefined {
  const count = (word: string) => Number(new RegExp(`^\\s*(\\d+) ${word}\\b`, "m").exec(output)?.[1] ?? 0);
  const passed = count("passed");
  const failed = count("failed") + count("flaky") + count("did not run") + count("interrupted");
  return passed + failed > 0 ? { passed, failed } : undefined;
}

/** demo:check's last line: "7 checks passed, 0 failed". */
function demoCheckCounts(output: string): { passed: number; failed: number } | undefined {
  const match = /^(\d+) checks passed, (\d+) failed$/m.exec(output);
  return match === null ? undefined : { passed: Number(match[1]), failed: Number(match[2]) };
}

const steps: Step[] = [
  {
    name: "build (contracts + typed bindings + protocol ABIs and enums)",
    command: "sh",
    args: ["-c", "hardhat build --quiet && node protocol/scripts/generate.mjs"],
  },
  {
    name: "lint:sol (solhint)",
    command: "solhint",
    args: ["--max-warnings", "0", "contracts/**/*.sol", "test/**/*.sol"],
  },
  { name: "format (prettier --check)", command: "prettier", args: ["--check", "--log-level", "warn", "."] },
  { name: "typecheck (tsc --strict)", command: "tsc", args: ["--noEmit", "-p", "."] },
  { name: "typecheck:protocol (tsc --strict)", command: "tsc", args: ["--noEmit", "-p", "protocol"] },
  {
    // A mutant whose text no longer occurs would only fail the next `npm run bench:mutation`, hours later.
    name: "mutants (every mutant of bench:mutation still names code that exists, once)",
    command: "tsx",
    args: ["scripts/bench/mutation.ts", "--check"],
  },
  {
    name: "test:protocol (mocha: hashing, periods, phases and costs against the live contracts)",
    command: "mocha",
    args: ["--import=tsx", "--exit", "--timeout", "180000", "protocol/test/**/*.test.ts"],
    counts: mochaCounts,
  },
  { name: "test:contracts (mocha)", command: "hardhat", args: ["test", "mocha"], counts: mochaCounts },
  { name: "test:solidity (fuzz + invariants)", command: "hardhat", args: ["test", "solidity"], counts: mochaCounts },
  { name: "subgraph (manifest + graph codegen + graph build)", command: "npm", args: ["run", "build:subgraph"] },
  {
    name: "test:subgraph (mocha: a public chain's manifest and networks.json, through graph build)",
    command: "mocha",
    args: ["--import=tsx", "--exit", "--timeout", "300000", "subgraph/test/**/*.test.ts"],
    counts: mochaCounts,
  },
  { name: "typecheck:indexer (tsc --strict)", command: "tsc", args: ["--noEmit", "-p", "indexer"] },
  {
    name: "test:indexer (mocha: mappings, GraphQL conformance, resume + reorg)",
    command: "mocha",
    args: ["--import=tsx", "--exit", "--timeout", "180000", "indexer/test/**/*.test.ts"],
    counts: mochaCounts,
  },
  { name: "typecheck:validator (tsc --strict)", command: "tsc", args: ["--noEmit", "-p", "validator"] },
  {
    name: "test:validator (mocha: verification, service end to end, crash safety)",
    command: "mocha",
    args: ["--import=tsx", "--exit", "--timeout", "300000", "validator/test/**/*.test.ts"],
    counts: mochaCounts,
  },
  { name: "typecheck:provider (tsc --strict)", command: "tsc", args: ["--noEmit", "-p", "provider"] },
  {
    name: "test:provider (mocha: request signing, call accounting, the curia-provider command)",
    command: "mocha",
    args: ["--import=tsx", "--exit", "--timeout", "300000", "provider/test/**/*.test.ts"],
    counts: mochaCounts,
  },
  { name: "typecheck:cli (tsc --strict)", command: "tsc", args: ["--noEmit", "-p", "cli"] },
  {
    name: "test:cli (mocha: the curia command against a local deployment)",
    command: "mocha",
    args: ["--import=tsx", "--exit", "--timeout", "300000", "cli/test/**/*.test.ts"],
    counts: mochaCounts,
  },
  {
    name: "demo:check (npm start's demo story, through GraphQL and the chain)",
    command: "tsx",
    args: ["scripts/demo/check.ts"],
    counts: demoCheckCounts,
  },
  { name: "build:web (svelte-check + vite build)", command: "npm", args: ["run", "build", "-w", "web"] },
  { name: "test:web (vitest: components)", command: "npm", args: ["run", "test", "-w", "web"], counts: vitestCounts },
  {
    name: "test:e2e (Playwright in Chromium against the local stack)",
    command: "npm",
    args: ["run", "test:e2e", "-w", "web"],
    counts: playwrightCounts,
  },
];

function run(step: Step): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    console.log(`\n━━ ${step.name}: ${step.command} ${step.args.join(" ")}`);
    const child = spawn(step.command, step.args, {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" },
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      process.stdout.write(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      process.stderr.write(chunk);
    });
    child.on("error", (error) => resolve({ code: 127, output: `${output}\n${error.message}` }));
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

const only = process.argv.slice(2);
let passed = 0;
let failed = 0;
const summary: string[] = [];
for (const step of steps) {
  if (only.length > 0 && !only.some((o) => step.name.startsWith(o))) continue;
  const started = Date.now();
  const { code, output } = await run(step);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  // Some runners colour their summary even with FORCE_COLOR=0: count from the text without escape codes.
  const counted = step.counts?.(output.replace(/\x1b\[[0-9;]*m/g, ""));
  if (counted !== undefined) {
    // A runner that exits non-zero with no failure in its summary (a crash after the summary) still counts as one.
    const crashed = code !== 0 && counted.failed === 0 ? 1 : 0;
    passed += counted.passed;
    failed += counted.failed + crashed;
    summary.push(
      `${code === 0 ? "ok  " : "FAIL"} ${step.name}: ${counted.passed} passed, ${counted.failed + crashed} failed (${seconds}s)`,
    );
  } else {
    if (code === 0) passed += 1;
    else failed += 1;
    summary.push(`${code === 0 ? "ok  " : "FAIL"} ${step.name} (${seconds}s)`);
  }
}
console.log(`\n━━ summary\n${summary.join("\n")}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
