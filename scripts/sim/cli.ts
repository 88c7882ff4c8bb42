// npm run sim [-- options]        one scenario (baseline unless told), table + JSON + HTML under benchmarks/sim/
// npm run bench:sim               the whole scenario set, its run time, and benchmarks/sim.md
//
// Options:
//   --scenario <name>   a file of scripts/sim/scenarios/ (without .json); repeatable
//   --all               every scenario of scripts/sim/scenarios/
//   --config <file>     a JSON overlay (same shape as a scenario: e.g. a DAO proposal's "parameters"), applied on top
//                       of each scenario run; repeatable, applied in order
//   --seed <n>          replace the scenarios' seeds;  --epochs <n>  replace their length
//   --out <dir>         where the JSON and HTML go (default benchmarks/sim/, git-ignored)
//   --bench             also rewrite benchmarks/sim.md
//   --help              this text and the scenario names
// Exits with 1 when a check fails (a dishonest strategy that does not lose, an honest one that does not gain, or a
// dispute that costs less than 3× its gain to corrupt), so a proposal can be gated on it.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DISPUTE_ATTACKS, loadConfig, readJsonObject, type SimConfig } from "./config.js";
import { fmt, terminalReport, writeOutputs, type Summary } from "./report.js";
import { runScenario } from "./run.js";

const here = path.dirname(fileURLToPath(import.meta.url));
export const SCENARIO_DIR = path.join(here, "scenarios");
const ROOT = path.resolve(here, "../..");

interface Options {
  help: boolean;
  scenarios: string[];
  overlays: string[];
  seed?: number;
  epochs?: number;
  out: string;
  bench: boolean;
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    help: false,
    scenarios: [],
    overlays: [],
    out: path.join(ROOT, "benchmarks", "sim"),
    bench: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === "--scenario") options.scenarios.push(value());
    else if (arg === "--all") options.scenarios.push(...scenarioNames());
    else if (arg === "--config") options.overlays.push(path.resolve(value()));
    else if (arg === "--seed") options.seed = Number(value());
    else if (arg === "--epochs") options.epochs = Number(value());
    else if (arg === "--out") options.out = path.resolve(value());
    else if (arg === "--bench") options.bench = true;
    else if (arg === "--help" || arg === "-h") options.help = true;
    else throw new Error(`unknown option ${arg} (npm run sim -- --help)`);
  }
  if (options.scenarios.length === 0) options.scenarios.push("baseline");
  return options;
}

export function scenarioNames(): string[] {
  return readdirSync(SCENARIO_DIR)
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.slice(0, -5))
    .sort();
}

export function scenarioConfig(name: string, overlays: string[] = [], extra: Record<string, unknown> = {}): SimConfig {
  return loadConfig(path.join(SCENARIO_DIR, `${name}.json`), ...overlays.map(readJsonObject), extra);
}

/** The header comment of this file (its usage) and the scenarios with their one-line descriptions. */
function helpText(): string {
  const usage = readFileSync(fileURLToPath(import.meta.url), "utf8")
    .split("\n")
    .filter((line) => line.startsWith("//"))
    .map((line) => line.replace(/^\/\/ ?/, ""));
  const scenarios = scenarioNames().map((name) => {
    const description = String(readJsonObject(path.join(SCENARIO_DIR, `${name}.json`)).description ?? "");
    return `  ${name.padEnd(24)}${description.length > 90 ? `${description.slice(0, 89)}…` : description}`;
  });
  return [...usage, "", "Scenarios (scripts/sim/scenarios/):", ...scenarios, ""].join("\n");
}

/** Issue 17's attacks: each one's PnL under the deployed rules and under the old rule it exploited. */
function disputeAttacksTable(summaries: Summary[]): string[] {
  const rows: string[] = [];
  for (const key of DISPUTE_ATTACKS) {
    const find = (old: boolean) =>
      summaries.find((s) => s.oldRules.length > 0 === old && s.strategies.some((x) => x.key === key));
    const v2 = find(false);
    const v1 = find(true);
    if (v2 === undefined && v1 === undefined) continue;
    const cell = (s: Summary | undefined) => {
      const x = s?.strategies.find((y) => y.key === key);
      return s === undefined || x === undefined ? "" : `${fmt(x.final)} (\`${s.scenario}\`)`;
    };
    rows.push(`| ${key} | ${cell(v2)} | ${cell(v1)} | ${v1?.oldRules.join(", ") ?? ""} |`);
  }
  if (rows.length === 0) return [];
  return [
    "Issue 17's attacks (`scripts/sim/README.md`, \"Attacks on draws, exits and money flows\"): PnL of the attacker, CUR, under the deployed rules and deploy/'s defaults, and under the old rule it exploited.",
    "",
    "| attacker | v2 rules, defaults | old rule | old rule played |",
    "| --- | ---: | ---: | --- |",
    ...rows,
    "",
  ];
}

function benchMarkdown(summaries: Summary[], seconds: number, overlays: string[]): string {
  const lines: string[] = [];
  lines.push("# Incentive simulation (`npm run bench:sim`)");
  lines.push("");
  lines.push(
    "Rewritten by `npm run bench:sim`: the scenario set of `scripts/sim/scenarios/` on the real contracts (Hardhat's in-process chain), with the default parameters of `deploy/`" +
      (overlays.length > 0 ? ` overlaid with ${overlays.map((o) => path.relative(ROOT, o)).join(", ")}` : "") +
      ". PnL is CUR per agent at the end of the run (positions at face value, off-chain costs included). See `scripts/sim/README.md`.",
  );
  lines.push("");
  lines.push(
    `All checks: **${summaries.every((s) => s.ok) ? "pass" : "FAIL"}**. Run time: ${seconds.toFixed(0)} s for ${summaries.length} scenarios (${summaries.reduce((n, s) => n + s.transactions, 0)} transactions).`,
  );
  lines.push("");
  lines.push(...disputeAttacksTable(summaries));
  const keys = [...new Set(summaries.flatMap((s) => s.strategies.map((x) => x.key)))].sort();
  lines.push(`| strategy | class | ${summaries.map((s) => s.scenario).join(" | ")} |`);
  lines.push(`| --- | --- | ${summaries.map(() => "---:").join(" | ")} |`);
  for (const key of keys) {
    const cls = summaries.flatMap((s) => s.strategies).find((x) => x.key === key)?.class ?? "";
    const cells = summaries.map((s) => {
      const x = s.strategies.find((y) => y.key === key);
      return x === undefined ? "" : fmt(x.final);
    });
    lines.push(`| ${key} | ${cls} | ${cells.join(" | ")} |`);
  }
  lines.push("");
  lines.push(
    "| scenario | cheating delisted | epochs to delist | honest delisted | disputes (appealed / DAO) | validator coherence honest / others | juror coherence honest / others | corruption cost / gain (automatic, human) | jurors only | without the pool's appeal | checks | s |",
  );
  lines.push("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | ---: |");
  for (const s of summaries) {
    const d = s.delisting;
    const others = (rec: Record<string, { coherence: number }>) =>
      Object.entries(rec)
        .filter(([k]) => k !== "honest")
        .map(([k, v]) => `${k} ${(v.coherence * 100).toFixed(0)}%`)
        .join(", ") || "-";
    const honest = (rec: Record<string, { coherence: number }>) =>
      rec.honest === undefined ? "-" : `${(rec.honest.coherence * 100).toFixed(0)}%`;
    lines.push(
      `| ${s.scenario} | ${d.delisted}/${d.cheatingListings} | ${d.meanEpochsToDelist?.toFixed(2) ?? "-"} | ${d.honestDelisted}/${d.honestListings} | ${s.disputes.total} (${s.disputes.appealed} / ${s.disputes.byDao}) | ${honest(s.validators)} / ${others(s.validators)} | ${honest(s.jurors)} / ${others(s.jurors)} | ${s.corruption
        .filter((c) => !c.counterfactual)
        .map((c) => `${fmt(c.cost)} / ${fmt(c.gain)} = ${c.ratio.toFixed(0)}×`)
        .join(", ")} | ${s.corruption
        .filter((c) => !c.counterfactual)
        .map((c) => `${c.jurorStageRatio.toFixed(2)}×`)
        .join(", ")} | ${s.corruption
        .filter((c) => c.counterfactual)
        .map((c) => `${c.ratio.toFixed(2)}×`)
        .join(", ")} | ${s.ok ? "pass" : "FAIL"} | ${s.runSeconds.toFixed(0)} |`,
    );
  }
  lines.push("");
  return lines.join("\n");
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(helpText());
    return;
  }
  const started = performance.now();
  const summaries: Summary[] = [];
  for (const name of options.scenarios) {
    const extra: Record<string, unknown> = {};
    if (options.seed !== undefined) extra.seed = options.seed;
    if (options.epochs !== undefined) extra.epochs = options.epochs;
    const config = scenarioConfig(name, options.overlays, extra);
    process.stdout.write(`running ${name} (${config.epochs} epochs, seed ${config.seed})…\n`);
    const summary = await runScenario(config);
    summaries.push(summary);
    process.stdout.write(terminalReport(summary) + "\n");
  }
  const seconds = (performance.now() - started) / 1000;
  const basename = options.scenarios.length === 1 ? (options.scenarios[0] ?? "sim") : "scenarios";
  const files = writeOutputs(options.out, basename, summaries, "Curia incentive simulation");
  if (options.bench) {
    const md = path.join(ROOT, "benchmarks", "sim.md");
    writeFileSync(md, benchMarkdown(summaries, seconds, options.overlays));
    files.push(md);
  }
  const failed = summaries.filter((s) => !s.ok).map((s) => s.scenario);
  process.stdout.write(
    `\n${summaries.length} scenario(s) in ${seconds.toFixed(1)} s; wrote ${files.map((f) => path.relative(ROOT, f)).join(", ")}\n` +
      (failed.length === 0 ? "all checks pass\n" : `checks FAIL in: ${failed.join(", ")}\n`),
  );
  process.exitCode = failed.length === 0 ? 0 : 1;
}

try {
  await main();
} catch (error) {
  // A bad option, scenario or config file: say what, and fail.
  process.stderr.write(`sim: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
