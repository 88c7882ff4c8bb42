// `npm run bench:mutation`: plants each mutant of scripts/bench/mutants.ts, one at a time, in a copy of the repository
// (the work tree is never touched), runs only the tests the list names for it, and writes the kill rate per part to
// benchmarks/mutation.{md,json}. A mutant is killed when its tests fail (or time out). Options:
//   --only id,id   run these mutants only (after a fix, say): their outcomes replace theirs in benchmarks/mutation.json,
//                  and the report is written again when that file holds every other mutant of the list
//   --part name    run one part only (merged the same way)
//   --check        check the list against the sources (each `find` occurs exactly once) and stop
//   --clean        remove the copy afterwards
//
// The copy lives in the system's temporary folder (its compiled contracts are kept between runs: the first run compiles
// everything once, ~3 min on our 2 cores). Solidity mutants are compiled before their tests run; one that does not
// compile is an error in the list, and stops the bench. The baseline — every test set on the unmutated code — must pass.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { MONEY_PARTS, MUTANTS, type Mutant, type TestSet } from "./mutants.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const COMMAND = "npm run bench:mutation";
const TARGET = 90;

interface Outcome {
  id: string;
  part: string;
  file: string;
  line: number;
  bug: string;
  status: "killed" | "survived" | "timeout";
  seconds: number;
  killedBy?: string;
  equivalent?: string;
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const only = argValue("--only")?.split(",");
const part = argValue("--part");
const checkOnly = process.argv.includes("--check");
const selected = MUTANTS.filter(
  (m) => (only === undefined || only.includes(m.id)) && (part === undefined || m.part === part),
);
const complete = only === undefined && part === undefined;
if (selected.length === 0) throw new Error("no mutant selected");

/** Where `find` sits in the file (1-based line); throws unless it occurs exactly once. */
function locate(source: string, m: Mutant): number {
  const first = source.indexOf(m.find);
  if (first < 0) throw new Error(`${m.id}: text not found in ${m.file}; review the mutant list`);
  if (source.indexOf(m.find, first + 1) >= 0) throw new Error(`${m.id}: text occurs more than once in ${m.file}`);
  return source.slice(0, first).split("\n").length;
}

const ids = new Set<string>();
for (const m of MUTANTS) {
  if (ids.has(m.id)) throw new Error(`duplicate mutant id ${m.id}`);
  ids.add(m.id);
  locate(readFileSync(join(ROOT, m.file), "utf8"), m);
  for (const f of m.tests.files) if (!existsSync(join(ROOT, f))) throw new Error(`${m.id}: no test file ${f}`);
}
if (checkOnly) {
  console.log(`${MUTANTS.length} mutants, each found exactly once in its file`);
  process.exit(0);
}

// ------------------------------------------------------------------------------------------ the sandbox

const SANDBOX = join(tmpdir(), `curia-mutation-${createHash("sha1").update(ROOT).digest("hex").slice(0, 8)}`);
/** Build outputs worth keeping: copied once, then kept (and updated incrementally) by the sandbox's own builds. */
const SEEDED = ["artifacts", "cache", "types", "protocol/src/generated"];

function git(args: string[]): string {
  const r = spawnSync("git", args, { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

function prepareSandbox(): void {
  mkdirSync(SANDBOX, { recursive: true });
  const files = git(["ls-files", "-co", "--exclude-standard", "-z"]).split("\0").filter(Boolean);
  for (const file of files) {
    const from = join(ROOT, file);
    if (!existsSync(from) || lstatSync(from).isDirectory()) continue;
    const to = join(SANDBOX, file);
    const content = readFileSync(from);
    if (existsSync(to) && readFileSync(to).equals(content)) continue;
    mkdirSync(dirname(to), { recursive: true });
    writeFileSync(to, content);
  }
  for (const dir of SEEDED) {
    if (!existsSync(join(SANDBOX, dir)) && existsSync(join(ROOT, dir))) {
      cpSync(join(ROOT, dir), join(SANDBOX, dir), { recursive: true });
    }
  }
  const modules = join(SANDBOX, "node_modules");
  if (!existsSync(modules)) symlinkSync(join(ROOT, "node_modules"), modules, "dir");
}

const ENV = {
  ...process.env,
  // Node 22 from the project's own node_modules, as `npm test` runs it.
  PATH: `${join(ROOT, "node_modules", ".bin")}:${process.env.PATH ?? ""}`,
  FORCE_COLOR: "0",
  NODE_ENV: "test",
};

interface Run {
  ok: boolean;
  timedOut: boolean;
  seconds: number;
  output: string;
}

function run(command: string, args: string[], timeoutSeconds: number): Run {
  const started = Date.now();
  const r = spawnSync(command, args, {
    cwd: SANDBOX,
    env: ENV,
    encoding: "utf8",
    timeout: timeoutSeconds * 1000,
    killSignal: "SIGKILL",
    maxBuffer: 256 * 1024 * 1024,
  });
  const timedOut = r.error !== undefined && (r.error as NodeJS.ErrnoException).code === "ETIMEDOUT";
  return {
    ok: r.status === 0,
    timedOut,
    seconds: (Date.now() - started) / 1000,
    output: `${r.stdout ?? ""}${r.stderr ?? ""}`,
  };
}

const bin = (name: string) => join(ROOT, "node_modules", ".bin", name);

function testCommand(tests: TestSet): [string, string[]] {
  const grep = tests.grep === undefined ? [] : ["--grep", tests.grep];
  if (tests.runner === "hardhat") {
    return [bin("hardhat"), ["test", "mocha", "--no-compile", "--bail", ...grep, ...tests.files]];
  }
  if (tests.runner === "solidity") return [bin("hardhat"), ["test", "solidity", ...grep, ...tests.files]];
  return [bin("mocha"), ["--import=tsx", "--exit", "--bail", "--timeout", "300000", ...grep, ...tests.files]];
}

const keyOf = (tests: TestSet) => JSON.stringify(tests);

/** The title of the first failing test in mocha's report, when there is one. */
function firstFailure(output: string): string | undefined {
  const lines = output.split("\n");
  const i = lines.findIndex((l) => /^\s+1\) /.test(l) && !/passing|failing/.test(l));
  if (i < 0) return undefined;
  const title = [lines[i]!.replace(/^\s+1\) /, "").trim()];
  for (
    let j = i + 1;
    j < lines.length && lines[j]!.trim() !== "" && !/^\s+(Error|AssertionError)/.test(lines[j]!);
    j++
  ) {
    title.push(lines[j]!.trim().replace(/:$/, ""));
  }
  return title.join(" › ").slice(0, 200);
}

/** The contracts only: no Solidity tests, no TypeChain types (the mocha tests import types only at compile time). */
function build(): Run {
  return run(bin("hardhat"), ["build", "--quiet", "--no-tests", "--no-typechain"], 900);
}

// ------------------------------------------------------------------------------------------ the run

const startedAt = new Date();
const loadBefore = loadavg()[0]!;
console.log(`sandbox ${SANDBOX}`);
prepareSandbox();
const initial = build();
if (!initial.ok) throw new Error(`the unmutated contracts do not build:\n${initial.output.slice(-4000)}`);

// Baseline: every test set must pass on the unmutated code; its duration sets the timeouts.
const baseline = new Map<string, number>();
for (const m of selected) {
  const key = keyOf(m.tests);
  if (baseline.has(key)) continue;
  const [command, args] = testCommand(m.tests);
  const r = run(command, args, 1200);
  if (!r.ok) throw new Error(`baseline failed: ${m.tests.files.join(" ")}\n${r.output.slice(-4000)}`);
  baseline.set(key, r.seconds);
  console.log(
    `baseline ${r.seconds.toFixed(0)} s  ${m.tests.files.join(" ")}${m.tests.grep ? ` --grep ${m.tests.grep}` : ""}`,
  );
}

// One file at a time (sorted), so that each Solidity file is recompiled as few times as possible.
const order = [...selected].sort((a, b) => a.file.localeCompare(b.file));
const outcomes: Outcome[] = [];
let lastSolidity: string | undefined;
for (const m of order) {
  const path = join(SANDBOX, m.file);
  const original = readFileSync(path, "utf8");
  const line = locate(original, m);
  writeFileSync(path, original.replace(m.find, m.replace));
  let outcome: Outcome;
  try {
    const started = Date.now();
    if (m.file.endsWith(".sol")) {
      const compiled = build();
      if (!compiled.ok) throw new Error(`mutant ${m.id} does not compile:\n${compiled.output.slice(-3000)}`);
      lastSolidity = m.file;
    }
    const [command, args] = testCommand(m.tests);
    const timeout = Math.max(180, Math.ceil(3 * baseline.get(keyOf(m.tests))!));
    const r = run(command, args, timeout);
    const status = r.timedOut ? "timeout" : r.ok ? "survived" : "killed";
    outcome = {
      id: m.id,
      part: m.part,
      file: m.file,
      line,
      bug: m.bug,
      status,
      seconds: Math.round((Date.now() - started) / 100) / 10,
      ...(status === "killed" ? { killedBy: firstFailure(r.output) } : {}),
      ...(m.equivalent !== undefined ? { equivalent: m.equivalent } : {}),
    };
  } finally {
    writeFileSync(path, original);
  }
  outcomes.push(outcome);
  console.log(`${outcome.status.padEnd(8)} ${String(outcome.seconds).padStart(6)} s  ${m.part} · ${m.id}`);
}
// Leave the sandbox's build matching its sources for the next run.
if (lastSolidity !== undefined) build();

// ------------------------------------------------------------------------------------------ the report

interface PartScore {
  part: string;
  mutants: number;
  killed: number;
  survived: number;
  equivalent: number;
  score: number;
}

const detected = (o: Outcome) => o.status !== "survived";
function scoreOf(name: string, list: Outcome[]): PartScore {
  const killed = list.filter(detected).length;
  const equivalent = list.filter((o) => !detected(o) && o.equivalent !== undefined).length;
  const counted = list.length - equivalent;
  return {
    part: name,
    mutants: list.length,
    killed,
    survived: list.length - killed - equivalent,
    equivalent,
    score: counted === 0 ? 100 : Math.round((1000 * killed) / counted) / 10,
  };
}

// A partial run refreshes the last full report: the other mutants keep the outcomes they had there.
const REPORT = join(ROOT, "benchmarks", "mutation.json");
let merged = complete;
let previousDate: string | undefined;
if (!complete && existsSync(REPORT)) {
  const previous = JSON.parse(readFileSync(REPORT, "utf8")) as { date: string; outcomes: Outcome[] };
  const rerun = new Set(outcomes.map((o) => o.id));
  const kept = previous.outcomes.filter((o) => !rerun.has(o.id) && ids.has(o.id));
  if (kept.length + outcomes.length === MUTANTS.length) {
    outcomes.push(...kept);
    merged = true;
    previousDate = previous.date;
  }
}
outcomes.sort((a, b) => MUTANTS.findIndex((m) => m.id === a.id) - MUTANTS.findIndex((m) => m.id === b.id));

const parts = [...new Set(MUTANTS.map((m) => m.part))].filter((p) => outcomes.some((o) => o.part === p));
const scores = parts.map((p) =>
  scoreOf(
    p,
    outcomes.filter((o) => o.part === p),
  ),
);
const overall = scoreOf("overall", outcomes);
const minutes = Math.round((Date.now() - startedAt.getTime()) / 6000) / 10;
const meetsTarget =
  overall.score >= TARGET && scores.filter((s) => MONEY_PARTS.includes(s.part)).every((s) => s.score >= TARGET);

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => [...(r[i] ?? "")].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}

const scoreTable = table(
  ["part", "mutants", "killed", "survived", "equivalent", "score"],
  [...scores, overall].map((s) => [
    s.part === "overall" ? "**overall**" : MONEY_PARTS.includes(s.part) ? `${s.part} (money)` : s.part,
    String(s.mutants),
    String(s.killed),
    String(s.survived),
    String(s.equivalent),
    `${s.score.toFixed(1)} %`,
  ]),
);
const survivors = outcomes.filter((o) => !detected(o));
const mutantTable = table(
  ["mutant", "where", "bug", "outcome"],
  outcomes.map((o) => [
    o.id,
    `${o.file.replace(/^.*\//, "")}:${o.line}`,
    o.bug,
    o.status === "killed"
      ? "killed"
      : o.status === "timeout"
        ? "killed (timeout)"
        : o.equivalent
          ? "equivalent"
          : "**survived**",
  ]),
);
const markdown = `# Mutation score

Produced by \`${COMMAND}\` on ${startedAt.toISOString().slice(0, 10)}${
  previousDate === undefined
    ? ""
    : ` (${selected.length} mutants run again; the others as in the full run of ${previousDate.slice(0, 10)})`
}: ${outcomes.length} reviewed mutants
(scripts/bench/mutants.ts) planted one at a time in a copy of the repository, each against only the tests the list names
for it (Hardhat's mocha runner with --bail for the contracts, mocha for the off-chain parts). A mutant is killed when its
tests fail or time out. Target: ≥ ${TARGET} % overall and in every money contract — ${meetsTarget ? "met" : "**not met**"}.
Machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? "CPU"}, load average ${loadBefore.toFixed(1)} before the run;
${previousDate === undefined ? `${minutes} min in all.` : `the rerun took ${minutes} min.`}

${scoreTable}

## Survivors

${
  survivors.length === 0
    ? "None: every mutant is killed by at least one test."
    : survivors
        .map((o) => `- \`${o.id}\` (${o.file}:${o.line}): ${o.bug}. ${o.equivalent ?? "Not explained."}`)
        .join("\n")
}

## Every mutant

${mutantTable}
`;

console.log(`\n${scoreTable}\n`);
for (const o of survivors)
  console.log(`survivor: ${o.id} — ${o.bug}${o.equivalent ? ` (equivalent: ${o.equivalent})` : ""}`);
if (merged) {
  writeFileSync(join(ROOT, "benchmarks", "mutation.md"), markdown);
  writeFileSync(
    join(ROOT, "benchmarks", "mutation.json"),
    `${JSON.stringify(
      {
        command: COMMAND,
        date: previousDate ?? startedAt.toISOString(),
        ...(previousDate === undefined
          ? {}
          : { rerun: { date: startedAt.toISOString(), mutants: selected.map((m) => m.id) } }),
        minutes,
        machine: { cpus: cpus().length, model: cpus()[0]?.model.trim(), loadBefore, node: process.version },
        target: TARGET,
        meetsTarget,
        scores: [...scores, overall],
        outcomes,
      },
      null,
      2,
    )}\n`,
  );
  console.log("wrote benchmarks/mutation.md and benchmarks/mutation.json");
}
// A bench, not a gate: it reports the score; the exit code only says whether it could run.
if (process.argv.includes("--clean")) rmSync(SANDBOX, { recursive: true, force: true });
