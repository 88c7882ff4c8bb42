// Issue 18's strategies on a small fixed-seed scenario (the full set runs in `npm run bench:sim`), every cost counted
// (gas, paid keepers, locked stake, canary audits): honest > 0 > dishonest, with and without the treasury's grant.
// Attacker first: a predict-honest validator (reveals the listed model's known score without doing the work) pays
// while no round is on a canary, and loses once a quarter of the rounds are; DAO capture by borrowed votes pays once
// enough of the supply can be borrowed, and loses with the default population; without the grant a p+ε briber keeps its
// listing while the committee member that challenged it does not appeal, and loses once it does.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { DEFAULT_DAO, loadConfig, resolveConfig, type SimConfig } from "../../scripts/sim/config.js";
import { daoCapture, type DaoCaptureInput } from "../../scripts/sim/corruption.js";
import type { Summary } from "../../scripts/sim/report.js";
import { runScenario } from "../../scripts/sim/run.js";

function scenario(overrides: Record<string, unknown> = {}): SimConfig {
  return resolveConfig({
    name: "honest-economics-smoke",
    description: "npm test: issue 18's attackers, four epochs.",
    seed: 5,
    epochs: 4,
    agents: {
      providers: [
        { strategy: "honest", count: 2 },
        { strategy: "late-cheater", count: 1 },
        { strategy: "relister", count: 1 },
        { strategy: "fresh-hash-relister", count: 1 },
      ],
      validators: [
        { strategy: "honest", count: 5 },
        { strategy: "predict-honest", count: 2 },
      ],
      curators: [{ strategy: "follow-quality", count: 1 }],
      jurors: [{ strategy: "honest", count: 4 }],
      consumers: 2,
    },
    ...overrides,
  });
}

const SCENARIOS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../scripts/sim/scenarios");
const pnl = (s: Summary, key: string) => s.strategies.find((x) => x.key === key)?.final;

describe("incentive simulation: issue 18's strategies (honest > 0 > dishonest)", function () {
  this.timeout(300_000);

  for (const grant of [5_000, 0]) {
    describe(grant > 0 ? "with the treasury's grant" : "without the treasury's grant", function () {
      let s: Summary;
      before(async function () {
        s = await runScenario(scenario({ treasury: { validationPoolGrant: grant } }));
      });

      it("pays honest providers, validators and keepers after gas and locked stake", function () {
        for (const key of ["provider/honest", "validator/honest", "keeper"])
          expect(pnl(s, key), key).to.be.greaterThan(0);
        expect(s.strategies.find((x) => x.key === "validator/honest")!.gas).to.be.lessThan(0);
        expect(s.strategies.find((x) => x.key === "provider/honest")!.opportunity).to.be.lessThan(0);
      });

      it("makes the predict-honest validator, the late cheater, both relisters and the vote borrower lose", function () {
        for (const key of [
          "validator/predict-honest",
          "provider/late-cheater",
          "provider/relister",
          "provider/fresh-hash-relister",
          "dao/vote-borrower",
        ]) {
          expect(pnl(s, key), key).to.be.lessThan(0);
        }
        // Canaries caught every predict-honest seat they drew, and no honest one.
        expect(s.canary.stats["predict-honest"]?.slashed).to.equal(s.canary.stats["predict-honest"]?.seats);
        expect(s.canary.stats.honest?.slashed ?? 0).to.equal(0);
        expect(s.checks.filter((c) => !c.ok)).to.deep.equal([]);
      });

      if (grant === 0) {
        it("has a committee member challenge what the empty pool cannot", function () {
          expect(s.memberChallenges).to.be.greaterThan(0);
          expect(s.delisting.share).to.equal(1);
        });
      }
    });
  }

  describe("a bribed first round without the grant (the pool cannot pay, a committee member challenges)", function () {
    // The p+ε scenario of the bench, two epochs, no grant: the empty pool cannot pay the bond, so an honest member of
    // the committee challenges with its own; six of nine jurors take the briber's offer and win the first round.
    const pEpsilon = (membersAppeal: boolean) =>
      runScenario(
        loadConfig(path.join(SCENARIOS, "p-epsilon.json"), {
          epochs: 2,
          treasury: { validationPoolGrant: 0 },
          economics: { membersAppeal },
        }),
      );

    it("pays the briber when the member does not appeal (the attack works), and costs the validators", async function () {
      const s = await pEpsilon(false);
      expect(s.memberChallenges).to.be.greaterThan(0);
      expect(s.disputes.byDao).to.equal(0);
      expect(s.providers["provider/p-epsilon"]!.delisted).to.equal(0);
      expect(pnl(s, "provider/p-epsilon")).to.be.greaterThan(0);
      expect(pnl(s, "validator/honest")).to.be.lessThan(0);
    });

    it("costs the briber every seat when the member appeals up to the DAO, and pays the honest", async function () {
      const s = await pEpsilon(true);
      expect(s.memberChallenges).to.be.greaterThan(0);
      expect(s.disputes.byDao).to.equal(s.disputes.total);
      expect(s.disputes.correct).to.equal(s.disputes.total);
      expect(pnl(s, "provider/p-epsilon")).to.be.lessThan(0);
      for (const key of ["validator/honest", "juror/honest", "provider/honest"])
        expect(pnl(s, key), key).to.be.greaterThan(0);
      // Curators are not judged: two epochs of gas and locked stake outweigh an idle curator's fees.
      expect(s.checks.filter((c) => !c.ok && !c.name.startsWith("curator/"))).to.deep.equal([]);
    });
  });

  describe("the predict-honest validator among honest providers only", function () {
    const honestMarket = {
      agents: {
        providers: [{ strategy: "honest", count: 3 }],
        validators: [
          { strategy: "honest", count: 5 },
          { strategy: "predict-honest", count: 2 },
        ],
        curators: [],
        jurors: [{ strategy: "honest", count: 3 }],
        consumers: 2,
      },
    };

    it("gains without canaries (the attack works) and loses with them", async function () {
      const without = await runScenario(scenario({ ...honestMarket, economics: { canaryRate: 0 } }));
      expect(pnl(without, "validator/predict-honest")).to.be.greaterThan(0);
      const withCanaries = await runScenario(scenario(honestMarket));
      expect(pnl(withCanaries, "validator/predict-honest")).to.be.lessThan(0);
      expect(pnl(withCanaries, "validator/honest")).to.be.greaterThan(0);
    });
  });

  describe("DAO capture by borrowed and bribed votes", function () {
    const base: DaoCaptureInput = {
      dao: DEFAULT_DAO,
      votableSupply: 100_000_000,
      quorum: 20_000_000,
      secured: { treasury: 400_000_000, "validator stake (StakePool)": 1_000_000 },
      exitSeconds: { treasury: 0, "validator stake (StakePool)": 3_600 },
      proposalToExecution: 3_780,
    };

    it("cannot outvote the default turnout: a failed attempt only costs", function () {
      const d = daoCapture(base);
      expect(d.feasible).to.equal(false);
      expect(d.pnl).to.be.lessThan(0);
      // Stake that thaws before the proposal executes can leave: only the treasury is capturable.
      expect(d.capturable).to.equal(400_000_000);
    });

    it("pays once enough of the supply can be borrowed across the snapshot (the attack works)", function () {
      const d = daoCapture({ ...base, dao: { ...DEFAULT_DAO, borrowableBps: 3_000 } });
      expect(d.feasible).to.equal(true);
      expect(d.borrowed + 2 * d.bribed).to.be.greaterThan(d.turnout);
      expect(d.pnl).to.be.greaterThan(0);
      expect(d.ratio).to.be.lessThan(0.001);
    });
  });
});
