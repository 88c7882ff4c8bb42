// Issue 16's four provider attacks in the incentive simulation, on the real contracts, short runs of the scenario
// files. Each attack first succeeds where the defence it beats is off, then fails under the defaults:
//   - validator-aware and honest-during-rounds pay while probes are recognizable and nothing audits consumer traffic;
//     audits (or unrecognizable probes) catch them;
//   - stonewall pays while a validator that gets no answer just retries; a score of 0 for unanswered paid probes
//     catches it;
//   - price-hike pays while validators pay whatever the listing asks; a price fixed at the round's opening (purchase's
//     maxPricePerCall, an exact allowance) makes the hiked purchase revert, which counts as unanswered.
// And where probes are recognizable and nothing is audited, a consumer's own receipt catches them (a fraud proof).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { loadConfig } from "../../scripts/sim/config.js";
import type { Summary } from "../../scripts/sim/report.js";
import { runScenario } from "../../scripts/sim/run.js";

const SCENARIOS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../scripts/sim/scenarios");
const ATTACKS = ["validator-aware", "honest-during-rounds", "stonewall", "price-hike"].map((s) => `provider/${s}`);
/** Two epochs: every attacker lists, is checked (and delisted or not) twice. */
const EPOCHS = 2;

function run(scenario: string, overlay: Record<string, unknown> = {}): Promise<Summary> {
  return runScenario(loadConfig(path.join(SCENARIOS, `${scenario}.json`), { epochs: EPOCHS }, overlay));
}

function pnl(summary: Summary, key: string): number {
  const strategy = summary.strategies.find((s) => s.key === key);
  if (strategy === undefined) throw new Error(`${summary.scenario}: no ${key} in the run`);
  return strategy.final;
}

function delisted(summary: Summary, key: string): { checked: number; delisted: number } {
  const p = summary.providers[key];
  if (p === undefined) throw new Error(`${summary.scenario}: no listing of ${key}`);
  return p;
}

/** The run's failed checks on providers and validators (two epochs are too few to judge curators and jurors). */
function failedChecks(summary: Summary): string[] {
  return summary.checks
    .filter((c) => !c.ok && (c.name.startsWith("provider/") || c.name.startsWith("validator/")))
    .map((c) => `${c.name}: ${c.detail}`);
}

function expectCaught(summary: Summary, key: string): void {
  const p = delisted(summary, key);
  expect(p.checked, `${key} was checked every epoch`).to.equal(EPOCHS);
  expect(p.delisted, `${key}: every checked listing delisted`).to.equal(p.checked);
  expect(pnl(summary, key), `${key} PnL`).to.be.lessThan(0);
}

function expectPays(summary: Summary, key: string): void {
  expect(delisted(summary, key).delisted, `${key} never delisted`).to.equal(0);
  expect(pnl(summary, key), `${key} PnL`).to.be.greaterThan(0);
}

describe("incentive simulation: providers that treat validators differently (issue 16)", function () {
  this.timeout(180_000);

  describe("with every defence off (pre-receipts)", function () {
    let summary: Summary;
    before(async function () {
      summary = await run("pre-receipts");
    });

    it("pays all four attacks, never challenged, and drains the honest validators", function () {
      for (const key of ATTACKS) expectPays(summary, key);
      expect(summary.disputes.total).to.equal(0);
      expect(pnl(summary, "validator/honest")).to.be.lessThan(0);
      // The price hike took far more from the validators than honest selling earns.
      expect(pnl(summary, "provider/price-hike")).to.be.greaterThan(5 * pnl(summary, "provider/honest"));
      expect(failedChecks(summary)).to.deep.equal([]);
    });
  });

  describe("with recognizable probes and no audits, but unanswered probes scored 0 and the price capped", function () {
    let summary: Summary;
    before(async function () {
      summary = await run("recognizable-probes");
    });

    it("pays the validator-aware and honest-during-rounds providers: they serve validators the listed model", function () {
      expectPays(summary, "provider/validator-aware");
      expectPays(summary, "provider/honest-during-rounds");
      expect(summary.probes.rounds).to.equal(summary.validationRounds);
    });

    it("catches the stonewall (scored unreachable) and the price hike (its purchase reverts)", function () {
      expectCaught(summary, "provider/stonewall");
      expectCaught(summary, "provider/price-hike");
      // Two attackers, every honest member of their committees, every epoch.
      expect(summary.probes.unreachableScores).to.be.greaterThan(2 * EPOCHS);
      expect(pnl(summary, "validator/honest")).to.be.greaterThan(0);
    });
  });

  describe("with unrecognizable probes and no audits (probes-only)", function () {
    let summary: Summary;
    before(async function () {
      summary = await run("probes-only");
    });

    it("catches all four: probes are served what consumers are, and the honest validators still gain", function () {
      for (const key of ATTACKS) expectCaught(summary, key);
      expect(summary.probes.rounds).to.equal(summary.validationRounds);
      expect(pnl(summary, "validator/honest")).to.be.greaterThan(0);
      expect(pnl(summary, "provider/honest")).to.be.greaterThan(0);
    });
  });

  describe("with recognizable probes and no audits, but a fisherman among the consumers", function () {
    let summary: Summary;
    before(async function () {
      summary = await run("fishermen");
    });

    it("catches all four with the providers' own signed receipts, and pays the fisherman", function () {
      for (const key of ATTACKS) expectCaught(summary, key);
      expect(summary.fraudProofs).to.equal(ATTACKS.length * EPOCHS);
      expect(summary.disputes.correct).to.equal(summary.disputes.total);
      expect(summary.delisting.honestDelisted).to.equal(0);
      expect(pnl(summary, "consumer/fisherman")).to.be.greaterThan(0);
    });
  });

  describe("with the defaults (audits of consumer traffic, unrecognizable probes, scores for unanswered probes, a price cap)", function () {
    let summary: Summary;
    before(async function () {
      summary = await run("provider-attacks");
    });

    it("delists every listing of the four attackers and makes each lose its bond and escrowed earnings", function () {
      for (const key of ATTACKS) expectCaught(summary, key);
      expect(summary.delisting.honestDelisted).to.equal(0);
      expect(summary.disputes.correct).to.equal(summary.disputes.total);
    });

    it("pays honest validators and providers, audits sufficing without probes", function () {
      expect(pnl(summary, "validator/honest")).to.be.greaterThan(0);
      expect(pnl(summary, "provider/honest")).to.be.greaterThan(0);
      expect(summary.probes.rounds).to.equal(0);
      expect(failedChecks(summary)).to.deep.equal([]);
    });
  });
});
