// Issue 17's seven attacks in the incentive simulation, on the real contracts, short runs of the scenario files. Each is
// played first under the old rule it exploited (a scenario with `oldRules`: the contracts run v2, and the engine plays
// or books what the old rule allowed, see scripts/sim/config.ts OLD_RULES), where it pays, then under the deployed v2
// rules and deploy/'s default parameters, where it loses money and the honest parties it meets do not:
//   - a conditional cartel and a sybil validator that hold their own listing's median only by the luck of fair draws
//     (v1: the seed was known while stakes could move, and they steered every committee);
//   - a p+ε juror bribe that the pool's appeals and the DAO turn into the briber's bill (before the pool could appeal,
//     and while a lost pooled challenge paid the provider, it paid);
//   - an escaping and a just-in-time curator, slashed with the cheaters they back (v1: no warm-up and exits not frozen
//     let them take fees and leave before any ruling, with the public-chain thaw no longer than a dispute);
//   - a griefer whose disputes end within hours (v1: a DAO review without deadline kept its competitor frozen);
//   - a self-delisting provider whose sybil gets back only part of its own bond (v1: also 60% of the curators' slash).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { loadConfig } from "../../scripts/sim/config.js";
import type { Summary } from "../../scripts/sim/report.js";
import { runScenario } from "../../scripts/sim/run.js";

const SCENARIOS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../scripts/sim/scenarios");

function run(scenario: string, epochs: number): Promise<Summary> {
  return runScenario(loadConfig(path.join(SCENARIOS, `${scenario}.json`), { epochs }));
}

function strategy(summary: Summary, key: string) {
  const s = summary.strategies.find((x) => x.key === key);
  if (s === undefined) throw new Error(`${summary.scenario}: no ${key} in the run`);
  return s;
}

function pnl(summary: Summary, key: string): number {
  return strategy(summary, key).final;
}

/** PnL in tokens moved by the contracts alone: `final` less issue 18's off-chain costs (gas, locked stake's opportunity
 * cost) and canary audits, which these attacks are not about (a two-epoch run charges an idle honest curator ~3 CUR). */
function tokenPnl(summary: Summary, key: string): number {
  const s = strategy(summary, key);
  return s.final - s.gas - s.opportunity - s.canary;
}

/** The run's failed checks, but those on jurors and curators, whom a few epochs are too few to judge. */
function failedChecks(summary: Summary): string[] {
  return summary.checks
    .filter((c) => !c.ok && !c.name.startsWith("juror/") && !c.name.startsWith("curator/"))
    .map((c) => `${c.name}: ${c.detail}`);
}

function expectHonestGain(summary: Summary, keys: string[]): void {
  for (const key of keys) expect(pnl(summary, key), `${summary.scenario}: ${key}`).to.be.greaterThan(0);
}

describe("incentive simulation: attacks on draws, exits and money flows (issue 17)", function () {
  this.timeout(180_000);

  describe("a conditional cartel (23% of the validator stake, deviating only when it holds its listing's median)", function () {
    it("steers every committee with v1's known seed, keeps its cheating listing, and gains", async function () {
      const s = await run("conditional-cartel-v1", 2);
      const captures = s.captures["validator/conditional-cartel"]!;
      expect(captures.held).to.equal(captures.rounds);
      expect(captures.steered).to.be.greaterThan(0);
      expect(s.providers["provider/capture-partner"]!.delisted).to.equal(0);
      expect(pnl(s, "validator/conditional-cartel")).to.be.greaterThan(0);
    });

    it("holds a median only by chance under fair draws, and loses its bond each time it does not", async function () {
      const s = await run("conditional-cartel", 2);
      const captures = s.captures["validator/conditional-cartel"]!;
      expect(captures.steered).to.equal(0);
      expect(captures.held).to.be.lessThan(captures.rounds);
      expect(s.providers["provider/capture-partner"]!.delisted).to.be.greaterThan(0);
      expect(pnl(s, "validator/conditional-cartel")).to.be.lessThan(0);
      expectHonestGain(s, ["validator/honest", "provider/honest"]);
      expect(failedChecks(s)).to.deep.equal([]);
    });
  });

  describe("sybil committee capture (23% of the stake over ten addresses)", function () {
    it("steers every committee with v1's known seed by topping up the address a seat lands on, and gains", async function () {
      const s = await run("sybil-capture-v1", 2);
      const captures = s.captures["validator/sybil"]!;
      expect(captures.held).to.equal(captures.rounds);
      expect(captures.steered).to.be.greaterThan(0);
      expect(s.providers["provider/capture-partner"]!.delisted).to.equal(0);
      expect(pnl(s, "validator/sybil")).to.be.greaterThan(0);
    });

    it("gains nothing by splitting its stake: draws with replacement seat it as one address, and it loses", async function () {
      const s = await run("sybil-capture", 2);
      const captures = s.captures["validator/sybil"]!;
      expect(captures.held).to.be.lessThan(captures.rounds);
      expect(s.providers["provider/capture-partner"]!.delisted).to.be.greaterThan(0);
      expect(pnl(s, "validator/sybil")).to.be.lessThan(0);
      expectHonestGain(s, ["validator/honest", "provider/honest"]);
      expect(failedChecks(s)).to.deep.equal([]);
    });
  });

  describe("a p+ε juror bribe (paid only if the bribed side loses)", function () {
    it("pays when a juror round is final and a lost pooled challenge pays the provider (the rules before)", async function () {
      const s = await run("p-epsilon-no-appeal", 2);
      expect(s.providers["provider/p-epsilon"]!.delisted).to.equal(0);
      expect(s.disputes.correct).to.equal(0);
      expect(pnl(s, "provider/p-epsilon")).to.be.greaterThan(0);
      expect(pnl(s, "juror/honest")).to.be.lessThan(0);
    });

    it("costs the briber every seat it bought: the pool appeals, the DAO rules last, the listing goes", async function () {
      const s = await run("p-epsilon", 2);
      expect(s.disputes.total).to.be.greaterThan(0);
      expect(s.disputes.byDao).to.equal(s.disputes.total);
      expect(s.disputes.correct).to.equal(s.disputes.total);
      expect(pnl(s, "provider/p-epsilon")).to.be.lessThan(0);
      // The takers were made whole by the briber; the honest jurors were coherent with the final ruling.
      expect(pnl(s, "juror/p-epsilon")).to.be.greaterThan(0);
      expectHonestGain(s, ["juror/honest", "validator/honest", "provider/honest"]);
      expect(failedChecks(s)).to.deep.equal([]);
    });
  });

  describe("an escaping curator (asks its stake back when a challenge lands; public-chain figures)", function () {
    it("escapes every slash with v1's unfrozen exits and no warm-up, and gains", async function () {
      const s = await run("curator-escape-v1", 2);
      const escape = strategy(s, "curator/escape");
      expect(escape.ledger, "what the old rules gave back").to.be.greaterThan(0);
      expect(escape.final).to.be.greaterThan(0);
    });

    it("is slashed with every cheater it backed: exits stay frozen from the challenge to the ruling", async function () {
      const s = await run("curator-escape", 2);
      expect(pnl(s, "curator/escape")).to.be.lessThan(0);
      expectHonestGain(s, ["validator/honest", "provider/honest"]);
      expect(tokenPnl(s, "curator/follow-quality")).to.be.at.least(0);
      expect(failedChecks(s)).to.deep.equal([]);
    });
  });

  describe("a just-in-time curator (stakes right before the purchases; public-chain figures)", function () {
    it("takes a share of every fee and leaves before any ruling with v1's rules, and gains", async function () {
      const s = await run("just-in-time-v1", 2);
      expect(strategy(s, "curator/just-in-time").ledger).to.be.greaterThan(0);
      expect(pnl(s, "curator/just-in-time")).to.be.greaterThan(0);
    });

    it("earns nothing while its stake warms up, and is slashed with the cheaters it was on", async function () {
      const s = await run("just-in-time", 2);
      // Its PnL is its slashes alone: 20% of a 2,000 CUR stake for each delisted listing it was on.
      const jit = tokenPnl(s, "curator/just-in-time");
      expect(pnl(s, "curator/just-in-time")).to.be.lessThan(0);
      expect(jit).to.be.lessThan(0);
      // A whole number of 400 CUR slashes (to float precision: −399.9999999999998 is one).
      expect(Math.abs(jit - 400 * Math.round(jit / 400))).to.be.lessThan(0.01);
      expect(Math.round(jit / 400)).to.be.lessThan(0);
      expectHonestGain(s, ["validator/honest", "provider/honest"]);
      expect(failedChecks(s)).to.deep.equal([]);
    });
  });

  describe("a griefing challenger (challenges its competitor's good listing to freeze it; the DAO lets reviews lapse)", function () {
    it("keeps its competitor frozen for good with v1's DAO review without deadline, and gains", async function () {
      const s = await run("griefing-v1", 4);
      expect(s.openDisputes).to.equal(1);
      expect(pnl(s, "provider/griefer")).to.be.greaterThan(0);
    });

    it("loses its bond every epoch: the review's deadline ends each dispute within hours, for its victim", async function () {
      const s = await run("griefing", 4);
      expect(s.openDisputes).to.equal(0);
      expect(s.disputes.total).to.be.greaterThan(0);
      expect(s.disputes.byDao).to.equal(0);
      expect(s.disputes.correct).to.equal(s.disputes.total);
      expect(pnl(s, "provider/griefer")).to.be.lessThan(0);
      expectHonestGain(s, ["provider/honest", "validator/honest", "juror/honest"]);
      expect(failedChecks(s)).to.deep.equal([]);
    });
  });

  describe("a self-delisting provider (its sybil challenges it once the curators have come)", function () {
    it("profits from its own delisting when the winner's share includes the curators' slash (v1)", async function () {
      const s = await run("self-delisting-v1", 3);
      expect(s.providers["provider/self-delisting"]!.delisted).to.be.greaterThan(0);
      expect(strategy(s, "provider/self-delisting").ledger).to.be.greaterThan(0);
      expect(pnl(s, "provider/self-delisting")).to.be.greaterThan(0);
    });

    it("loses 40% of its bond and escrow on each round trip: the winner's share is the loser's own bond only", async function () {
      const s = await run("self-delisting", 3);
      expect(s.providers["provider/self-delisting"]!.delisted).to.be.greaterThan(0);
      expect(pnl(s, "provider/self-delisting")).to.be.lessThan(0);
      expectHonestGain(s, ["provider/honest", "validator/honest"]);
      expect(failedChecks(s)).to.deep.equal([]);
    });
  });
});
