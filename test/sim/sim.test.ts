// The incentive simulation on a small fixed-seed scenario (the full set runs in `npm run bench:sim`): honest
// strategies gain, every dishonest one loses, and corrupting a dispute costs at least 3× what it gains.
import { expect } from "chai";
import { resolveConfig } from "../../scripts/sim/config.js";
import { MIN_CORRUPTION_RATIO, type Summary } from "../../scripts/sim/report.js";
import { runScenario } from "../../scripts/sim/run.js";

const SMOKE = resolveConfig({
  name: "smoke",
  description: "npm test: one of each kind of cheater, bribery on, five epochs.",
  seed: 11,
  epochs: 5,
  agents: {
    providers: [
      { strategy: "honest", count: 2 },
      { strategy: "degraded", count: 1 },
    ],
    validators: [
      { strategy: "honest", count: 6 },
      { strategy: "lazy-fixed", count: 1 },
      { strategy: "colluding", count: 1 },
      { strategy: "absent", count: 1 },
    ],
    curators: [
      { strategy: "follow-quality", count: 1 },
      { strategy: "random", count: 1 },
    ],
    jurors: [
      { strategy: "honest", count: 4 },
      { strategy: "bribed", count: 2 },
    ],
    consumers: 2,
  },
  bribery: { enabled: true, upfrontPerSeat: 10, successPerSeat: 80 },
});

describe("incentive simulation (smoke scenario)", function () {
  this.timeout(120_000);
  let summary: Summary;

  before(async function () {
    summary = await runScenario(SMOKE);
  });

  it("pays every honest strategy and makes every dishonest one lose", function () {
    const pnl = (key: string) => summary.strategies.find((s) => s.key === key)?.final;
    for (const key of ["provider/honest", "validator/honest", "curator/follow-quality", "juror/honest"]) {
      expect(pnl(key), key).to.be.greaterThan(0);
    }
    for (const key of [
      "provider/degraded",
      "validator/lazy-fixed",
      "validator/colluding",
      "validator/absent",
      "juror/bribed",
    ]) {
      expect(pnl(key), key).to.be.lessThan(0);
    }
    expect(summary.checks.filter((c) => !c.ok)).to.deep.equal([]);
  });

  it("delists every cheating listing and no honest one, the DAO overruling bribed juries", function () {
    expect(summary.delisting.cheatingListings).to.be.greaterThan(0);
    expect(summary.delisting.share).to.equal(1);
    expect(summary.delisting.honestDelisted).to.equal(0);
    expect(summary.disputes.bribed).to.be.greaterThan(0);
    expect(summary.disputes.correct).to.equal(summary.disputes.total);
  });

  it("prices the corruption of a dispute at least 3× its gain, appeals included", function () {
    const real = summary.corruption.filter((c) => !c.counterfactual);
    expect(real.map((c) => c.case)).to.deep.equal(["automatic", "human"]);
    for (const c of real) {
      expect(c.reachesDao, `${c.case} dispute reaches the DAO`).to.equal(true);
      expect(c.ratio).to.be.at.least(MIN_CORRUPTION_RATIO);
    }
    // Without ValidationManager.appealDispute, three first-round jurors decided an automatic dispute for good.
    const before = summary.corruption.find((c) => c.case === "automatic, no pool appeal");
    expect(before?.reachesDao).to.equal(false);
    expect(before?.ratio).to.be.lessThan(1);
  });
});
