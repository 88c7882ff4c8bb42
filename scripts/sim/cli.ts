// npm run sim [-- options]        one scenario (baseline unless told), table + JSON + HTML under benchmarks/sim/
// npm run bench:sim               the whole scenario set with and without the treasury's grant, its run time, and
//                                 benchmarks/sim.md, sim.json, sim-honest-economics*.svg
//
// Options:
//   --scenario <name>   a file of scripts/sim/scenarios/ (without .json); repeatable
//   --all               every scenario of scripts/sim/scenarios/
//   --config <file>     a JSON overlay (same shape as a scenario: e.g. a DAO proposal's "parameters"), applied on top
//                       of each scenario run; repeatable, applied in order
//   --seed <n>          replace the scenarios' seeds;  --epochs <n>  replace their length
//   --out <dir>         where the JSON and HTML go (default benchmarks/sim/, git-ignored)
//   --no-grant          without the treasury's grant to the validators' reward pool
//   --bench             play every scenario with and without the grant; rewrite benchmarks/sim.md, sim.json and the
//                       honest-economics charts
//   --help              this text and the scenario names
// Exits with 1 when a check fails (a dishonest strategy that does not lose, an honest one that does not gain, or a
// dispute that costs less than 3× its gain to corrupt), so a proposal can be gated on it.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DISPUTE_ATTACKS, loadConfig, readJsonObject, type SimConfig } from "./config.js";
import { fmt, pnlBars, terminalReport, writeOutputs, type Summary } from "./report.js";
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
  /** Run without the treasury's grant to the validators' reward pool (issue 18: the grant is an optional subsidy). */
  noGrant: boolean;
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    help: false,
    scenarios: [],
    overlays: [],
    out: path.join(ROOT, "benchmarks", "sim"),
    bench: false,
    noGrant: false,
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
    else if (arg === "--no-grant") options.noGrant = true;
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

function benchMarkdown(summaries: Summary[], withoutGrant: Summary[], seconds: number, overlays: string[]): string {
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
    `All checks: **${summaries.every((s) => s.ok) ? "pass" : "FAIL"}** with the treasury's grant, **${withoutGrant.every((s) => s.ok) ? "pass" : "FAIL"}** without it. Run time: ${seconds.toFixed(0)} s for ${summaries.length} scenarios × 2 (${[...summaries, ...withoutGrant].reduce((n, s) => n + s.transactions, 0)} transactions).`,
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

/** Issue 18: every strategy's final PnL with and without the treasury's grant, PnL per role, canaries, the DAO. */
function honestEconomicsMarkdown(withGrant: Summary[], withoutGrant: Summary[]): string {
  const lines: string[] = [];
  lines.push("## Honest economics (issue 18): with and without the treasury's grant");
  lines.push("");
  lines.push(
    "PnL per agent, CUR, after every cost (gas at the configured gwei and CUR/ETH, paid keepers, the opportunity cost of locked CUR, canary audits). Without the grant the validators' reward pool starts empty. Each cell: with grant / without.",
  );
  lines.push("");
  const pair = (key: string, s: Summary | undefined, t: Summary | undefined) => {
    const a = s?.strategies.find((x) => x.key === key);
    const b = t?.strategies.find((x) => x.key === key);
    return a === undefined && b === undefined ? "" : `${a ? fmt(a.final) : "-"} / ${b ? fmt(b.final) : "-"}`;
  };
  const keys = [...new Set([...withGrant, ...withoutGrant].flatMap((s) => s.strategies.map((x) => x.key)))].sort();
  const names = withGrant.map((s) => s.scenario);
  const other = (name: string) => withoutGrant.find((s) => s.scenario === name);
  lines.push(`| strategy | class | ${names.join(" | ")} |`);
  lines.push(`| --- | --- | ${names.map(() => "---:").join(" | ")} |`);
  for (const key of keys) {
    const cls = [...withGrant, ...withoutGrant].flatMap((s) => s.strategies).find((x) => x.key === key)?.class ?? "";
    lines.push(`| ${key} | ${cls} | ${withGrant.map((s) => pair(key, s, other(s.scenario))).join(" | ")} |`);
  }
  lines.push("");
  lines.push("PnL per role (CUR, summed over the role's agents), with grant / without, and the checks of both runs:");
  lines.push("");
  const roles = ["provider", "consumer", "curator", "validator", "juror", "keeper", "treasury"];
  lines.push(
    `| scenario | ${roles.join(" | ")} | canary rounds | member challenges (no grant) | checks (grant / no grant) |`,
  );
  lines.push(`| --- | ${roles.map(() => "---:").join(" | ")} | ---: | ---: | --- |`);
  for (const s of withGrant) {
    const t = other(s.scenario);
    const role = (r: string) => `${fmt(s.roles[r]?.total ?? 0)} / ${t ? fmt(t.roles[r]?.total ?? 0) : "-"}`;
    lines.push(
      `| ${s.scenario} | ${roles.map(role).join(" | ")} | ${s.canary.rounds} | ${t?.memberChallenges ?? "-"} | ${s.ok ? "pass" : "FAIL"} / ${t === undefined ? "-" : t.ok ? "pass" : "FAIL"} |`,
    );
  }
  lines.push("");
  const failing = [...withGrant, ...withoutGrant].flatMap((s) =>
    s.checks
      .filter((c) => !c.ok)
      .map((c) => `${s.scenario}${s.grant === 0 ? " (no grant)" : ""}: ${c.name}: ${c.detail}`),
  );
  if (failing.length > 0) {
    lines.push("Failing checks:");
    lines.push("");
    for (const f of failing) lines.push(`- ${f}`);
    lines.push("");
  }
  const d = withGrant.find((s) => s.scenario === "honest-economics")?.dao ?? withGrant[0]?.dao;
  if (d !== undefined) {
    lines.push(
      `DAO capture (\`honest-economics\`): the DAO secures ${fmt(d.securedTotal)} CUR, ${fmt(d.capturable)} of which cannot leave between a proposal and its execution. Turnout ${fmt(d.turnout)} votes, ${fmt(d.bribable)} of them bribable, ${fmt(d.borrowable)} borrowable: ` +
        (d.feasible
          ? `the cheapest capture costs ${fmt(d.cost)} CUR (${d.ratio.toFixed(4)}× what it secures).`
          : `no mix of borrowed and bribed votes wins; capture would need ${(d.borrowableBpsToCapture / 100).toFixed(1)}% of the votable supply borrowable. An attempt that borrows and bribes all it can costs ${fmt(d.attemptCost)} CUR.`),
    );
    lines.push("");
  }
  return lines.join("\n");
}

function benchJson(withGrant: Summary[], withoutGrant: Summary[], seconds: number): unknown {
  const slim = (s: Summary) => ({
    scenario: s.scenario,
    grant: s.grant,
    ok: s.ok,
    strategies: Object.fromEntries(
      s.strategies.map((x) => [
        x.key,
        { class: x.class, final: x.final, gas: x.gas, lockedStake: x.opportunity, canaries: x.canary },
      ]),
    ),
    roles: s.roles,
    canary: s.canary,
    memberChallenges: s.memberChallenges,
    dao: {
      ...s.dao,
      cost: Number.isFinite(s.dao.cost) ? s.dao.cost : null,
      ratio: Number.isFinite(s.dao.ratio) ? s.dao.ratio : null,
    },
    failedChecks: s.checks.filter((c) => !c.ok),
    seconds: s.runSeconds,
  });
  return { seconds, withGrant: withGrant.map(slim), withoutGrant: withoutGrant.map(slim) };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(helpText());
    return;
  }
  const started = performance.now();
  // bench:sim plays the whole set twice: with the treasury's grant to the validators' pool, and without it.
  const passes = options.bench ? [false, true] : [options.noGrant];
  const byPass: Summary[][] = [];
  const files: string[] = [];
  for (const noGrant of passes) {
    const summaries: Summary[] = [];
    for (const name of options.scenarios) {
      const extra: Record<string, unknown> = {};
      if (options.seed !== undefined) extra.seed = options.seed;
      if (options.epochs !== undefined) extra.epochs = options.epochs;
      if (noGrant) extra.treasury = { validationPoolGrant: 0 };
      const config = scenarioConfig(name, options.overlays, extra);
      process.stdout.write(
        `running ${name} (${config.epochs} epochs, seed ${config.seed}${noGrant ? ", no grant" : ""})…\n`,
      );
      const summary = await runScenario(config);
      summaries.push(summary);
      process.stdout.write(terminalReport(summary) + "\n");
    }
    const basename =
      (options.scenarios.length === 1 ? (options.scenarios[0] ?? "sim") : "scenarios") + (noGrant ? "-no-grant" : "");
    files.push(...writeOutputs(options.out, basename, summaries, "Curia incentive simulation"));
    byPass.push(summaries);
  }
  const summaries = byPass.flat();
  const seconds = (performance.now() - started) / 1000;
  if (options.bench) {
    const [withGrant = [], withoutGrant = []] = byPass;
    const md = path.join(ROOT, "benchmarks", "sim.md");
    writeFileSync(
      md,
      benchMarkdown(withGrant, withoutGrant, seconds, options.overlays) +
        honestEconomicsMarkdown(withGrant, withoutGrant),
    );
    files.push(md);
    const json = path.join(ROOT, "benchmarks", "sim.json");
    writeFileSync(json, JSON.stringify(benchJson(withGrant, withoutGrant, seconds), null, 2) + "\n");
    files.push(json);
    for (const [suffix, set] of [
      ["", withGrant],
      ["-no-grant", withoutGrant],
    ] as const) {
      const s = set.find((x) => x.scenario === "honest-economics");
      if (s === undefined) continue;
      const svg = path.join(ROOT, "benchmarks", `sim-honest-economics${suffix}.svg`);
      writeFileSync(svg, pnlBars(s) + "\n");
      files.push(svg);
    }
  }
  const failed = summaries.filter((s) => !s.ok).map((s) => `${s.scenario}${s.grant === 0 ? " (no grant)" : ""}`);
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
