// Turns a run into figures per strategy, checks them against the acceptance rule (honest > 0 > dishonest, cost of
// corruption ≥ 3 × gain), and writes them out: a terminal table, JSON, and an HTML page with inline SVG charts.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parametersForReport, POOL_RULES, PROVIDER_ATTACKS } from "./config.js";
import type { CorruptionCase, DaoCapture } from "./corruption.js";
import { classOf, strategyKey, type Agent, type SimResult } from "./engine.js";

export const MIN_CORRUPTION_RATIO = 3;

export interface StrategySummary {
  key: string;
  class: "honest" | "dishonest" | "naive";
  agents: number;
  /** Mean PnL per agent after each epoch, CUR. */
  series: number[];
  final: number;
  min: number;
  max: number;
  /** Mean part of `final` that old rules moved (config.oldRules; 0 when the run plays none). */
  ledger: number;
  /** Mean parts of `final` (issue 18): gas paid, opportunity cost of locked CUR, canary slashes and rewards. */
  gas: number;
  opportunity: number;
  canary: number;
}

export interface Summary {
  scenario: string;
  description: string;
  seed: number;
  epochs: number;
  strategies: StrategySummary[];
  delisting: {
    cheatingListings: number;
    delisted: number;
    share: number;
    /** Mean epochs from listing to delisting, counting the listing's own epoch as 1. */
    meanEpochsToDelist: number | null;
    honestListings: number;
    honestDelisted: number;
  };
  /** Per provider strategy: listings, those checked (a validation round or a fraud proof), those delisted. */
  providers: Record<string, { listings: number; checked: number; delisted: number }>;
  /** Rounds in which honest members probed (audited traffic too thin), and scores of 0 for unanswered probes. */
  probes: { rounds: number; unreachableScores: number };
  fraudProofs: number;
  /** The old rules this what-if played instead of the deployed ones (scripts/sim/config.ts, OLD_RULES). */
  oldRules: string[];
  /** Per capture coalition: rounds on its own listing, those whose median it held, those it steered. */
  captures: Record<string, { rounds: number; held: number; steered: number }>;
  /** Disputes left open at the end (no deadline ended them), each keeping a listing frozen. */
  openDisputes: number;
  disputes: { total: number; appealed: number; byDao: number; correct: number; bribed: number };
  validators: Record<string, { seats: number; coherence: number; truthfulness: number }>;
  jurors: Record<string, { seats: number; coherence: number; correctness: number }>;
  observedJurorRewardPerSeat: number | null;
  corruption: CorruptionCase[];
  /** The expected result per seat of voting at random, from the parameters (negative: random voting loses). */
  randomJuror: { rewardPerSeat: number; penaltyPerSeat: number; ev: number };
  /** The treasury's grant to the validators' reward pool in this run (0: the run without the grant). */
  grant: number;
  /** PnL per role, CUR summed over its agents (the treasury's grant, keeper fees and bounties included). */
  roles: Record<string, { agents: number; total: number }>;
  canary: { rounds: number; stats: Record<string, { seats: number; slashed: number }> };
  /** Challenges filed by a committee member because the validators' pool could not pay the bond. */
  memberChallenges: number;
  /** Capturing the DAO with borrowed and bribed votes, against everything it secures. */
  dao: DaoCapture;
  checks: { name: string; ok: boolean; detail: string }[];
  ok: boolean;
  parameters: Record<string, Record<string, number | string>>;
  runSeconds: number;
  transactions: number;
  validationRounds: number;
}

function mean(xs: number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}

function ledgerOf(agent: Agent): number {
  return agent.members.reduce((sum, m) => sum + ledgerOf(m), agent.ledger);
}

function partOf(agent: Agent, part: "gas" | "opportunity" | "canary"): number {
  return agent.members.reduce((sum, m) => sum + partOf(m, part), agent[part]);
}

export function summarize(
  result: SimResult,
  corruption: CorruptionCase[],
  randomJuror: Summary["randomJuror"],
  dao: DaoCapture,
): Summary {
  const groups = new Map<string, number[][]>();
  const ledgers = new Map<string, number[]>();
  const parts = new Map<string, { gas: number[]; opportunity: number[]; canary: number[] }>();
  const roles: Summary["roles"] = {};
  for (const agent of result.agents) {
    const key = strategyKey(agent);
    const list = groups.get(key) ?? [];
    list.push(agent.pnl);
    groups.set(key, list);
    ledgers.set(key, [...(ledgers.get(key) ?? []), ledgerOf(agent)]);
    const p = parts.get(key) ?? { gas: [], opportunity: [], canary: [] };
    p.gas.push(partOf(agent, "gas"));
    p.opportunity.push(partOf(agent, "opportunity"));
    p.canary.push(partOf(agent, "canary"));
    parts.set(key, p);
    const role = (roles[agent.role] ??= { agents: 0, total: 0 });
    role.agents++;
    role.total += agent.pnl[agent.pnl.length - 1] ?? 0;
  }
  const strategies: StrategySummary[] = [...groups.entries()].map(([key, series]) => {
    const epochs = series[0]?.length ?? 0;
    const meanSeries = Array.from({ length: epochs }, (_, i) => mean(series.map((s) => s[i] ?? 0)));
    const finals = series.map((s) => s[s.length - 1] ?? 0);
    return {
      key,
      class: classOf(key),
      agents: series.length,
      series: meanSeries,
      final: meanSeries[meanSeries.length - 1] ?? 0,
      min: Math.min(...finals),
      max: Math.max(...finals),
      ledger: mean(ledgers.get(key) ?? []),
      gas: mean(parts.get(key)?.gas ?? []),
      opportunity: mean(parts.get(key)?.opportunity ?? []),
      canary: mean(parts.get(key)?.canary ?? []),
    };
  });
  // The DAO capture is priced, not played (the DAO votes honestly in the run): its attacker's result is reported as
  // a strategy at the end of the run, so that the acceptance check covers it.
  const epochs = strategies[0]?.series.length ?? 1;
  strategies.push({
    key: "dao/vote-borrower",
    class: classOf("dao/vote-borrower"),
    agents: 1,
    series: Array.from({ length: epochs }, (_, i) => (i === epochs - 1 ? dao.pnl : 0)),
    final: dao.pnl,
    min: dao.pnl,
    max: dao.pnl,
    ledger: 0,
    gas: 0,
    opportunity: 0,
    canary: 0,
  });

  const cheating = result.listings.filter((l) => l.cheating);
  const delisted = cheating.filter((l) => l.delistedEpoch !== undefined);
  const honest = result.listings.filter((l) => !l.cheating);
  const validators: Summary["validators"] = {};
  for (const [k, s] of Object.entries(result.validatorStats)) {
    validators[k] = { seats: s.seats, coherence: s.rewarded / s.seats, truthfulness: s.truthful / s.seats };
  }
  const jurors: Summary["jurors"] = {};
  for (const [k, s] of Object.entries(result.jurorStats)) {
    jurors[k] = { seats: s.seats, coherence: s.coherent / s.seats, correctness: s.correct / s.seats };
  }

  const providers: Summary["providers"] = {};
  for (const l of result.listings) {
    const p = (providers[`provider/${l.provider.strategy}`] ??= { listings: 0, checked: 0, delisted: 0 });
    p.listings++;
    if (l.rounds > 0 || l.disputes > 0) p.checked++;
    if (l.delistedEpoch !== undefined) p.delisted++;
  }

  const checks: Summary["checks"] = [];
  // Old rules that act only on challenges the validators' pool paid: without the grant the pool may pay none
  // (committee members challenge with their own bonds, and appeal as any challenger always could). Then the old rules
  // had nothing to act on, and the run is judged by the plain checks: honest > 0 > dishonest.
  const pooled = result.disputes.filter((d) => d.automatic).length;
  const idle =
    result.config.oldRules.length > 0 &&
    result.config.oldRules.every((r) => POOL_RULES.includes(r)) &&
    pooled === 0 &&
    result.disputes.length > 0;
  const { gains, loses } = idle ? { gains: [] as string[], loses: [] as string[] } : result.config.counterfactual;
  if (idle) {
    checks.push({
      name: `the old rules (${result.config.oldRules.join(", ")}) had nothing to act on: the pool paid no challenge`,
      ok: true,
      detail: `${result.disputes.length} disputes, all challenged by humans; judged by the plain checks`,
    });
  }
  for (const s of strategies) {
    if (gains.includes(s.key)) {
      checks.push({
        name: `${s.key} gains with these defences off (the attack works)`,
        ok: s.final > 0,
        detail: `${s.final.toFixed(1)} CUR per agent`,
      });
    } else if (loses.includes(s.key)) {
      checks.push({
        name: `${s.key} loses with these defences off`,
        ok: s.final < 0,
        detail: `${s.final.toFixed(1)} CUR per agent`,
      });
    } else if (s.key.startsWith("juror/") && (result.jurorStats[s.key.slice("juror/".length)]?.seats ?? 0) === 0) {
      // No dispute to judge in the whole run (nothing was challenged): jurors had nothing to win or lose.
      continue;
    } else if (s.class === "honest") {
      checks.push({ name: `${s.key} gains`, ok: s.final > 0, detail: `${s.final.toFixed(1)} CUR per agent` });
    } else if (s.class === "dishonest") {
      checks.push({ name: `${s.key} loses`, ok: s.final < 0, detail: `${s.final.toFixed(1)} CUR per agent` });
    }
  }
  // The attacks on validation must be caught: every listing that went through a round delisted (or, with the defences
  // off, the attack's point: never caught).
  for (const strategy of PROVIDER_ATTACKS) {
    const key = `provider/${strategy}`;
    const p = providers[key];
    if (p === undefined) continue;
    const detail = `${p.delisted} of ${p.checked} checked listings delisted (${p.listings} listed)`;
    if (gains.includes(key)) {
      checks.push({ name: `${key} is never delisted with these defences off`, ok: p.delisted === 0, detail });
    } else {
      checks.push({ name: `${key} is delisted`, ok: p.checked > 0 && p.delisted === p.checked, detail });
    }
  }
  for (const c of corruption) {
    if (c.counterfactual) continue;
    checks.push({
      name: `corrupting a ${c.case} dispute costs ≥ ${MIN_CORRUPTION_RATIO}× its gain`,
      ok: c.ratio >= MIN_CORRUPTION_RATIO,
      detail: `${fmt(c.cost)} / ${fmt(c.gain)} = ${c.ratio.toFixed(1)}×`,
    });
  }
  checks.push({
    name: `capturing the DAO with borrowed and bribed votes costs ≥ ${MIN_CORRUPTION_RATIO}× everything it secures`,
    ok: dao.ratio >= MIN_CORRUPTION_RATIO,
    detail: dao.feasible
      ? `${fmt(dao.cost)} / ${fmt(dao.securedTotal)} = ${dao.ratio.toFixed(2)}×`
      : `infeasible: ${fmt(dao.borrowable)} borrowable + ${fmt(dao.bribable)} bribable votes cannot outvote a turnout of ${fmt(dao.turnout)} (capture needs ≥ ${(dao.borrowableBpsToCapture / 100).toFixed(1)}% of the votable supply borrowable); secured ${fmt(dao.securedTotal)}`,
  });
  checks.push({
    name: "a juror voting at random loses in expectation",
    ok: randomJuror.ev < 0,
    detail: `½ × (${randomJuror.rewardPerSeat.toFixed(1)} − ${randomJuror.penaltyPerSeat.toFixed(1)}) = ${randomJuror.ev.toFixed(1)} CUR a seat`,
  });
  const rewards = result.roundRewards.map((r) => r.rewardPerCoherentSeat);
  return {
    scenario: result.config.name,
    description: result.config.description,
    seed: result.config.seed,
    epochs: result.config.epochs,
    strategies: strategies.sort((a, b) => a.key.localeCompare(b.key)),
    delisting: {
      cheatingListings: cheating.length,
      delisted: delisted.length,
      share: cheating.length === 0 ? 1 : delisted.length / cheating.length,
      meanEpochsToDelist:
        delisted.length === 0 ? null : mean(delisted.map((l) => (l.delistedEpoch ?? 0) - l.createdEpoch + 1)),
      honestListings: honest.length,
      honestDelisted: honest.filter((l) => l.delistedEpoch !== undefined).length,
    },
    providers,
    probes: { rounds: result.probedRounds, unreachableScores: result.unreachableScores },
    fraudProofs: result.fraudProofs,
    oldRules: [...result.config.oldRules],
    captures: result.captures,
    openDisputes: result.openDisputes,
    disputes: {
      total: result.disputes.length,
      appealed: result.disputes.filter((d) => d.rounds > 1 || d.byDao).length,
      byDao: result.disputes.filter((d) => d.byDao).length,
      correct: result.disputes.filter((d) => d.correct).length,
      bribed: result.disputes.filter((d) => d.bribed).length,
    },
    validators,
    jurors,
    observedJurorRewardPerSeat: rewards.length === 0 ? null : mean(rewards),
    corruption,
    randomJuror,
    grant: result.config.treasury.validationPoolGrant,
    roles,
    canary: { rounds: result.canaryRounds, stats: result.canaryStats },
    memberChallenges: result.memberChallenges,
    dao,
    checks,
    ok: checks.every((c) => c.ok),
    parameters: parametersForReport(result.config.parameters),
    runSeconds: result.seconds,
    transactions: result.transactions,
    validationRounds: result.validationRounds,
  };
}

export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 1e6 ? `${(x / 1e6).toFixed(1)}M` : x.toFixed(Math.abs(x) >= 100 ? 0 : 1);
}

function pct(x: number): string {
  return `${(x * 100).toFixed(0)}%`;
}

// ---------------------------------------------------------------------------------------------------- terminal

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ");
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export function terminalReport(s: Summary): string {
  const out: string[] = [];
  out.push(
    `\n== ${s.scenario} (seed ${s.seed}, ${s.epochs} epochs, ${s.runSeconds.toFixed(1)} s, ${s.transactions} tx)`,
  );
  out.push(s.description);
  if (s.oldRules.length > 0) out.push(`old rules played instead of v2: ${s.oldRules.join(", ")}`);
  out.push(
    table(
      [
        "strategy",
        "class",
        "agents",
        "PnL/agent (CUR)",
        "of it by old rules",
        "gas",
        "locked stake",
        "canaries",
        "min",
        "max",
        "over time",
      ],
      s.strategies.map((x) => [
        x.key,
        x.class,
        String(x.agents),
        fmt(x.final),
        x.ledger === 0 ? "" : fmt(x.ledger),
        x.gas === 0 ? "" : fmt(x.gas),
        x.opportunity === 0 ? "" : fmt(x.opportunity),
        x.canary === 0 ? "" : fmt(x.canary),
        fmt(x.min),
        fmt(x.max),
        x.series.map((v) => fmt(v)).join(" "),
      ]),
    ),
  );
  const d = s.delisting;
  out.push(
    `cheating listings delisted: ${d.delisted}/${d.cheatingListings} (${pct(d.share)}), ` +
      `mean ${d.meanEpochsToDelist === null ? "-" : d.meanEpochsToDelist.toFixed(2)} epochs; ` +
      `honest listings delisted: ${d.honestDelisted}/${d.honestListings}; disputes ${s.disputes.total} ` +
      `(${s.disputes.appealed} appealed, ${s.disputes.byDao} by the DAO, ${s.disputes.correct} correct, ${s.disputes.bribed} bribed)`,
  );
  out.push(
    "provider listings delisted / checked / listed: " +
      Object.entries(s.providers)
        .map(([k, p]) => `${k.slice("provider/".length)} ${p.delisted}/${p.checked}/${p.listings}`)
        .join(", ") +
      `; rounds probed: ${s.probes.rounds} of ${s.validationRounds}, unreachable scores: ${s.probes.unreachableScores}` +
      `, fraud proofs: ${s.fraudProofs}`,
  );
  const captures = Object.entries(s.captures);
  if (captures.length > 0 || s.openDisputes > 0) {
    out.push(
      captures
        .map(([k, c]) => `${k} held the median of ${c.held} of its ${c.rounds} rounds (${c.steered} steered)`)
        .concat(s.openDisputes > 0 ? [`disputes still open at the end: ${s.openDisputes}`] : [])
        .join("; "),
    );
  }
  out.push(
    "validator coherence (rewarded / seats): " +
      Object.entries(s.validators)
        .map(([k, v]) => `${k} ${pct(v.coherence)}`)
        .join(", "),
  );
  out.push(
    "juror coherence (voted the final ruling / seats): " +
      Object.entries(s.jurors)
        .map(([k, v]) => `${k} ${pct(v.coherence)}`)
        .join(", "),
  );
  out.push(
    table(
      [
        "corruption",
        "gain",
        "juror rounds (seats to buy)",
        "bribes",
        "stake route",
        "DAO",
        "cost",
        "ratio",
        "jurors only",
      ],
      s.corruption.map((c) => [
        c.case,
        fmt(c.gain),
        c.rounds.map((r) => `${r.majority}/${r.seats}`).join(" + "),
        fmt(c.jurorBribes),
        fmt(c.stakeRoute),
        c.reachesDao ? fmt(c.daoCost) : "not reached",
        fmt(c.cost),
        `${c.ratio.toFixed(1)}×`,
        `${c.jurorStageRatio.toFixed(2)}×`,
      ]),
    ),
  );
  out.push(
    `grant to the validators' pool: ${fmt(s.grant)} CUR; PnL per role (CUR, all agents): ` +
      Object.entries(s.roles)
        .map(([k, r]) => `${k} ${fmt(r.total)} (${r.agents})`)
        .join(", "),
  );
  out.push(
    `canary rounds: ${s.canary.rounds}; seats slashed / seats: ` +
      Object.entries(s.canary.stats)
        .map(([k, c]) => `${k} ${c.slashed}/${c.seats}`)
        .join(", ") +
      `; challenges filed by committee members (pool short of the bond): ${s.memberChallenges}`,
  );
  const dc = s.dao;
  out.push(
    `DAO capture: secured ${fmt(dc.securedTotal)} CUR (${fmt(dc.capturable)} cannot leave before a proposal executes); ` +
      `turnout ${fmt(dc.turnout)}, bribable ${fmt(dc.bribable)}, borrowable ${fmt(dc.borrowable)} votes; ` +
      (dc.feasible
        ? `cheapest capture ${fmt(dc.cost)} CUR (${fmt(dc.borrowed)} borrowed, ${fmt(dc.bribed)} bribed) = ${dc.ratio.toFixed(3)}× secured`
        : `infeasible (needs ${(dc.borrowableBpsToCapture / 100).toFixed(1)}% of the votable supply borrowable); a failed attempt costs ${fmt(dc.attemptCost)} CUR`),
  );
  for (const c of s.checks) out.push(`${c.ok ? "  ok  " : "  FAIL"} ${c.name}: ${c.detail}`);
  return out.join("\n");
}

// ---------------------------------------------------------------------------------------------------- HTML

const COLORS: Record<string, string> = { honest: "#1a7f37", dishonest: "#cf222e", naive: "#8250df" };
const DASHES = ["", "6 3", "2 3", "8 3 2 3", "1 2", "10 4"];

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] ?? c);
}

/** Signed log scale: PnL spans ±10 to ±50,000 CUR, and a linear axis would flatten every line but the cheaters'. */
function slog(v: number): number {
  return Math.sign(v) * Math.log10(1 + Math.abs(v));
}

function ticks(lo: number, hi: number): number[] {
  const out = [0];
  for (let p = 1; p <= 7; p++) {
    if (10 ** p <= hi * 1.0001 || 10 ** (p - 1) < hi) out.push(10 ** p);
    if (-(10 ** p) >= lo * 1.0001 || -(10 ** (p - 1)) > lo) out.push(-(10 ** p));
  }
  return out.filter((t) => t >= lo * 1.2 - 1 && t <= hi * 1.2 + 1);
}

/** A line chart of mean PnL per strategy over the epochs. */
function pnlChart(s: Summary): string {
  const w = 640;
  const h = 320;
  const pad = { l: 60, r: 170, t: 16, b: 32 };
  const all = s.strategies.flatMap((x) => x.series).concat([0]);
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const top = slog(hi);
  const span = top - slog(lo) || 1;
  const x = (i: number) => pad.l + ((w - pad.l - pad.r) * i) / Math.max(1, s.epochs - 1);
  const y = (v: number) => pad.t + ((h - pad.t - pad.b) * (top - slog(v))) / span;
  const parts: string[] = [];
  for (const t of ticks(lo, hi)) {
    parts.push(
      `<line x1="${pad.l}" x2="${w - pad.r}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="${t === 0 ? "#888" : "#eee"}" stroke-width="1"/>`,
    );
    parts.push(
      `<text x="${pad.l - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end" font-size="11">${t.toLocaleString("en-US")}</text>`,
    );
  }
  parts.push(
    `<text x="${(pad.l + w - pad.r) / 2}" y="${h - 6}" text-anchor="middle" font-size="11">epoch 1–${s.epochs} (PnL per agent, CUR, signed log scale)</text>`,
  );
  s.strategies.forEach((st, i) => {
    const color = COLORS[st.class] ?? "#333";
    const dash = DASHES[i % DASHES.length] ?? "";
    const points = st.series.map((v, k) => `${x(k).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
    parts.push(
      `<polyline fill="none" stroke="${color}" stroke-width="2" stroke-dasharray="${dash}" points="${points}"><title>${escapeHtml(st.key)}: ${fmt(st.final)} CUR</title></polyline>`,
    );
    const ly = pad.t + 14 * i;
    parts.push(
      `<line x1="${w - pad.r + 8}" x2="${w - pad.r + 30}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2" stroke-dasharray="${dash}"/>`,
    );
    parts.push(`<text x="${w - pad.r + 34}" y="${ly + 4}" font-size="11">${escapeHtml(st.key)}</text>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" role="img" aria-label="PnL per strategy over time">${parts.join("")}</svg>`;
}

/** Horizontal bars: final PnL per strategy (signed log scale, values written out). */
export function pnlBars(s: Summary): string {
  const w = 640;
  const row = 20;
  const h = row * s.strategies.length + 20;
  const mid = 380;
  const extent = Math.max(1, ...s.strategies.map((x) => Math.abs(slog(x.final))));
  const scale = 200 / extent;
  const parts = s.strategies.map((st, i) => {
    const len = Math.abs(slog(st.final)) * scale;
    const x0 = st.final >= 0 ? mid : mid - len;
    const yy = 10 + i * row;
    const labelX = st.final < 0 ? mid - len - 6 : mid - 6;
    return (
      `<text x="${labelX}" y="${yy + 13}" text-anchor="end" font-size="11">${escapeHtml(st.key)}</text>` +
      `<rect x="${x0}" y="${yy + 2}" width="${Math.max(1, len)}" height="${row - 6}" fill="${COLORS[st.class] ?? "#333"}"/>` +
      `<text x="${st.final >= 0 ? mid + len + 4 : mid + 4}" y="${yy + 13}" font-size="11">${fmt(st.final)}</text>`
    );
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" role="img" aria-label="final PnL per strategy"><line x1="${mid}" x2="${mid}" y1="0" y2="${h}" stroke="#888"/>${parts.join("")}</svg>`;
}

function htmlTable(headers: string[], rows: string[][]): string {
  return `<table><tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`)
    .join("")}</table>`;
}

function scenarioSection(s: Summary): string {
  const d = s.delisting;
  return `<section><h2>${escapeHtml(s.scenario)} ${s.ok ? "✔" : "✘"}</h2><p>${escapeHtml(s.description)}</p>
<p>seed ${s.seed}, ${s.epochs} epochs, ${s.transactions} transactions, ${s.validationRounds} validation rounds, ${s.runSeconds.toFixed(1)} s</p>
${pnlChart(s)}${pnlBars(s)}
${htmlTable(
  ["strategy", "class", "agents", "final PnL / agent", "min", "max"],
  s.strategies.map((x) => [x.key, x.class, String(x.agents), fmt(x.final), fmt(x.min), fmt(x.max)]),
)}
<p>Cheating listings delisted: ${d.delisted}/${d.cheatingListings} (${pct(d.share)}), mean ${d.meanEpochsToDelist === null ? "-" : d.meanEpochsToDelist.toFixed(2)} epochs after listing; honest listings delisted ${d.honestDelisted}/${d.honestListings}.
Disputes: ${s.disputes.total}, appealed ${s.disputes.appealed}, ruled by the DAO ${s.disputes.byDao}, correct ${s.disputes.correct}.
Rounds probed (audited traffic too thin): ${s.probes.rounds} of ${s.validationRounds}; scores of 0 for unanswered probes: ${s.probes.unreachableScores}; fraud proofs filed: ${s.fraudProofs}.
${s.oldRules.length > 0 ? `Old rules played instead of v2: ${escapeHtml(s.oldRules.join(", "))}.` : ""}
${Object.entries(s.captures)
  .map(([k, c]) => `${escapeHtml(k)} held the median of ${c.held} of its ${c.rounds} rounds (${c.steered} steered).`)
  .join(" ")}
${s.openDisputes > 0 ? `Disputes still open at the end: ${s.openDisputes}.` : ""}</p>
${htmlTable(
  ["provider listings", "listed", "checked (round or fraud proof)", "delisted"],
  Object.entries(s.providers).map(([k, p]) => [k, String(p.listings), String(p.checked), String(p.delisted)]),
)}
${htmlTable(
  ["validators", "seats", "coherence", "truthful"],
  Object.entries(s.validators).map(([k, v]) => [k, String(v.seats), pct(v.coherence), pct(v.truthfulness)]),
)}
${htmlTable(
  ["jurors", "seats", "coherence", "correct"],
  Object.entries(s.jurors).map(([k, v]) => [k, String(v.seats), pct(v.coherence), pct(v.correctness)]),
)}
${htmlTable(
  ["corruption", "gain", "rounds", "bribes", "stake route", "DAO", "cost", "ratio", "jurors only"],
  s.corruption.map((c) => [
    c.case,
    fmt(c.gain),
    c.rounds.map((r) => `${r.majority}/${r.seats} × ${fmt(r.rewardPerSeat + r.penaltyPerSeat)}`).join(" + "),
    fmt(c.jurorBribes),
    fmt(c.stakeRoute),
    c.reachesDao ? fmt(c.daoCost) : "not reached",
    fmt(c.cost),
    `${c.ratio.toFixed(1)}×`,
    `${c.jurorStageRatio.toFixed(2)}×`,
  ]),
)}
<ul>${s.checks.map((c) => `<li class="${c.ok ? "ok" : "fail"}">${c.ok ? "ok" : "FAIL"} — ${escapeHtml(c.name)}: ${escapeHtml(c.detail)}</li>`).join("")}</ul>
</section>`;
}

export function htmlReport(summaries: Summary[], title: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:980px;margin:2em auto;padding:0 1em}table{border-collapse:collapse;margin:.6em 0}
td,th{border:1px solid #ccc;padding:2px 8px;font-size:13px;text-align:right}td:first-child,th:first-child{text-align:left}
.ok{color:#1a7f37}.fail{color:#cf222e;font-weight:bold}section{border-top:1px solid #ddd;margin-top:2em}</style></head>
<body><h1>${escapeHtml(title)}</h1><p>Green: honest strategies, red: dishonest, purple: uninformed (reported only). PnL in CUR per agent, on-chain positions at face value plus off-chain costs and value.</p>
${summaries.map(scenarioSection).join("\n")}</body></html>`;
}

export function writeOutputs(dir: string, basename: string, summaries: Summary[], title: string): string[] {
  mkdirSync(dir, { recursive: true });
  const json = path.join(dir, `${basename}.json`);
  const html = path.join(dir, `${basename}.html`);
  writeFileSync(json, JSON.stringify(summaries.length === 1 ? summaries[0] : summaries, null, 2) + "\n");
  writeFileSync(html, htmlReport(summaries, title));
  return [json, html];
}
