// Both sides of every bound: each governed figure of the Court, ListingChallenges, ValidationManager, CurationPool and
// ListingRegistry is set (by the timelock) to its documented minimum and maximum, which must be accepted and stored, and
// to one past each, which must be refused with the contract's exact error and values. (The StakePool's are in
// test/staking/pool.test.ts; the Governor's and the timelock's in test/governance/bounds.test.ts.)
import { expect } from "chai";
import type { ContractTransactionResponse } from "ethers";
import { encodeBytes32String, parseEther } from "ethers";
import { cHelpers, deployCourtFixture } from "../helpers/court.js";

const DAY = 86_400n;
const E = (n: string) => parseEther(n);

interface Bound {
  field: string;
  min: bigint;
  max: bigint;
}

/** A struct of figures read from a contract, as plain bigints by field name. */
function plain(result: object, fields: string[]): Record<string, bigint> {
  const source = result as Record<string, bigint | number>;
  return Object.fromEntries(fields.map((f) => [f, BigInt(source[f]!)]));
}

/**
 * For a setter that takes the whole struct: min and max accepted (stored, event emitted), min − 1 and max + 1 refused
 * with `error(parameter, value, min, max)`.
 */
async function checkStruct(
  contract: {
    parameters(): Promise<object>;
    interface: { getError(name: string): unknown };
  },
  set: (p: Record<string, bigint>) => Promise<ContractTransactionResponse>,
  base: Record<string, bigint>,
  bounds: Bound[],
  error: string,
  event: string,
): Promise<void> {
  const fields = Object.keys(base);
  for (const { field, min, max } of bounds) {
    for (const value of [min, max]) {
      const next = { ...base, [field]: value };
      await expect(set(next), `${field} = ${value} is accepted`).to.emit(contract, event);
      expect(plain(await contract.parameters(), fields), `${field} = ${value} is stored`).to.deep.equal(next);
    }
  }
  for (const { field, min, max } of bounds) {
    const refused = [...(min > 0n ? [min - 1n] : []), max + 1n];
    for (const value of refused) {
      await expect(set({ ...base, [field]: value }), `${field} = ${value} is refused`)
        .to.be.revertedWithCustomError(contract, error)
        .withArgs(encodeBytes32String(field), value, min, max);
    }
  }
}

describe("Governed figures: both sides of every bound", function () {
  it("Court: every figure at its min and max, and one past each", async function () {
    const { court, asTimelock } = await cHelpers.loadFixture(deployCourtFixture);
    const fields = [
      "seatStake",
      "arbitrationFeePerSeat",
      "appealFeePerSeat",
      "commitPeriod",
      "revealPeriod",
      "appealPeriod",
      "firstRoundSeats",
      "maxJurorRounds",
      "penaltyBps",
      "drawPeriod",
      "drawRewardBps",
      "daoReviewPeriod",
    ];
    const base = plain(await court.parameters(), fields);
    await checkStruct(
      court,
      (p) => court.connect(asTimelock).setParameters(p as never),
      base,
      [
        { field: "seatStake", min: E("1"), max: E("1000000") },
        { field: "arbitrationFeePerSeat", min: 0n, max: E("100000") },
        { field: "appealFeePerSeat", min: 0n, max: E("100000") },
        { field: "commitPeriod", min: 60n, max: 30n * DAY },
        { field: "revealPeriod", min: 60n, max: 30n * DAY },
        { field: "appealPeriod", min: 60n, max: 30n * DAY },
        { field: "firstRoundSeats", min: 1n, max: 31n },
        { field: "maxJurorRounds", min: 1n, max: 5n },
        { field: "penaltyBps", min: 0n, max: 10_000n },
        { field: "drawPeriod", min: 10n * 60n, max: 30n * DAY },
        { field: "drawRewardBps", min: 0n, max: await court.MAX_DRAW_REWARD_BPS() },
        { field: "daoReviewPeriod", min: 3_600n, max: 90n * DAY },
      ],
      "CourtParameterOutOfBounds",
      "CourtParametersSet",
    );
    // A jury must be odd: an even first round is refused inside the range too.
    for (const seats of [2n, 30n]) {
      await expect(court.connect(asTimelock).setParameters({ ...base, firstRoundSeats: seats } as never))
        .to.be.revertedWithCustomError(court, "CourtParameterOutOfBounds")
        .withArgs(encodeBytes32String("firstRoundSeats"), seats, 1n, 31n);
    }
  });

  it("ListingChallenges: the bond at its min and max, and shares that must add up to exactly 100%", async function () {
    const { challenges, asTimelock } = await cHelpers.loadFixture(deployCourtFixture);
    const fields = ["minChallengeBond", "winnerShareBps", "jurorShareBps", "treasuryShareBps"];
    const base = plain(await challenges.parameters(), fields);
    const set = (p: Record<string, bigint>) => challenges.connect(asTimelock).setParameters(p as never);
    await checkStruct(
      challenges,
      set,
      base,
      [{ field: "minChallengeBond", min: E("1"), max: E("10000000") }],
      "ChallengeParameterOutOfBounds",
      "ChallengeParametersSet",
    );
    for (const [w, j, t] of [
      [10_000n, 0n, 0n],
      [0n, 10_000n, 0n],
      [0n, 0n, 10_000n],
    ]) {
      const next = { ...base, winnerShareBps: w!, jurorShareBps: j!, treasuryShareBps: t! };
      await expect(set(next)).to.emit(challenges, "ChallengeParametersSet");
      expect(plain(await challenges.parameters(), fields)).to.deep.equal(next);
    }
    for (const [w, j, t, sum] of [
      [5_000n, 2_999n, 2_000n, 9_999n],
      [5_000n, 3_001n, 2_000n, 10_001n],
    ]) {
      await expect(set({ ...base, winnerShareBps: w!, jurorShareBps: j!, treasuryShareBps: t! }))
        .to.be.revertedWithCustomError(challenges, "ChallengeParameterOutOfBounds")
        .withArgs(encodeBytes32String("shareSum"), sum, 10_000n, 10_000n);
    }
  });

  it("ValidationManager: every figure at its min and max, and one past each", async function () {
    const { validation, asTimelock } = await cHelpers.loadFixture(deployCourtFixture);
    const fields = [
      "requestFee",
      "roundReward",
      "roundPeriod",
      "commitPeriod",
      "revealPeriod",
      "committeeSize",
      "quorum",
      "toleranceBps",
      "penaltyBps",
      "rewardShareBps",
      "minQualityBps",
      "drawPeriod",
      "reimbursedCalls",
    ];
    // A quorum of one fits every committee size; the quorum's own bound is the committee size.
    const base: Record<string, bigint> = { ...plain(await validation.parameters(), fields), quorum: 1n };
    const set = (p: Record<string, bigint>) => validation.connect(asTimelock).setParameters(p as never);
    await checkStruct(
      validation,
      set,
      base,
      [
        { field: "requestFee", min: 0n, max: E("100000") },
        { field: "roundReward", min: 0n, max: E("1000000") },
        { field: "roundPeriod", min: 3_600n, max: 365n * DAY },
        { field: "commitPeriod", min: 60n, max: 30n * DAY },
        { field: "revealPeriod", min: 60n, max: 30n * DAY },
        { field: "committeeSize", min: 1n, max: 21n },
        { field: "quorum", min: 1n, max: base.committeeSize! },
        { field: "toleranceBps", min: 0n, max: 10_000n },
        { field: "penaltyBps", min: 0n, max: 10_000n },
        { field: "rewardShareBps", min: 0n, max: 10_000n },
        { field: "minQualityBps", min: 0n, max: 10_000n },
        { field: "drawPeriod", min: 10n * 60n, max: 30n * DAY },
        { field: "reimbursedCalls", min: 0n, max: 2_000n },
      ],
      "ValidationParameterOutOfBounds",
      "ValidationParametersSet",
    );
    // The quorum's ceiling follows the committee: 21 of 21 passes, 22 does not.
    await expect(set({ ...base, committeeSize: 21n, quorum: 21n })).to.emit(validation, "ValidationParametersSet");
    await expect(set({ ...base, committeeSize: 21n, quorum: 22n }))
      .to.be.revertedWithCustomError(validation, "ValidationParameterOutOfBounds")
      .withArgs(encodeBytes32String("quorum"), 22n, 1n, 21n);
  });

  it("CurationPool: minimum stake, thawing period, slash share and warm-up at their min and max, and one past each", async function () {
    const { curationPool, asTimelock } = await cHelpers.loadFixture(deployCourtFixture);
    const pool = curationPool.connect(asTimelock);
    const cases: [string, (v: bigint) => Promise<ContractTransactionResponse>, string, bigint, bigint][] = [
      ["minStake", (v) => pool.setMinStake(v), "MinStakeSet", 1n, E("1000000")],
      ["thawingPeriod", (v) => pool.setThawingPeriod(v), "ThawingPeriodSet", 3_600n, 90n * DAY],
      ["slashBps", (v) => pool.setSlashBps(v), "SlashBpsSet", 0n, 5_000n],
      ["warmupPeriod", (v) => pool.setWarmupPeriod(v), "WarmupPeriodSet", 300n, 30n * DAY],
    ];
    for (const [field, set, event, min, max] of cases) {
      for (const value of [min, max]) {
        await expect(set(value), `${field} = ${value}`).to.emit(curationPool, event);
        expect(BigInt((await curationPool.parameters())[field as "minStake"])).to.equal(value);
      }
      for (const value of [...(min > 0n ? [min - 1n] : []), max + 1n]) {
        await expect(set(value), `${field} = ${value}`)
          .to.be.revertedWithCustomError(curationPool, "CurationParameterOutOfBounds")
          .withArgs(encodeBytes32String(field), value, min, max);
      }
    }
  });

  it("ListingRegistry: every figure at its min and max, one past each, and fee shares adding up to exactly 100%", async function () {
    const { registry, asTimelock } = await cHelpers.loadFixture(deployCourtFixture);
    const r = registry.connect(asTimelock);
    const cases: [string, (v: bigint) => Promise<ContractTransactionResponse>, string, bigint, bigint][] = [
      ["minBond", (v) => r.setMinBond(v), "MinBondSet", E("1"), E("10000000")],
      ["applicationPeriod", (v) => r.setApplicationPeriod(v), "ApplicationPeriodSet", 0n, 30n * DAY],
      ["withdrawalDelay", (v) => r.setWithdrawalDelay(v), "WithdrawalDelaySet", 3_600n, 90n * DAY],
      ["protocolFeeBps", (v) => r.setProtocolFee(v), "ProtocolFeeSet", 0n, 3_000n],
      ["defaultQualityBps", (v) => r.setDefaultQuality(v), "DefaultQualitySet", 0n, 10_000n],
      ["earningsEscrowPeriod", (v) => r.setEarningsEscrowPeriod(v), "EarningsEscrowPeriodSet", 3_600n, 90n * DAY],
      ["maxEscrowPerBondBps", (v) => r.setMaxEscrowPerBond(v), "MaxEscrowPerBondSet", 1_000n, 1_000_000n],
    ];
    for (const [field, set, event, min, max] of cases) {
      for (const value of [min, max]) {
        await expect(set(value), `${field} = ${value}`).to.emit(registry, event);
        expect(BigInt((await registry.parameters())[field as "minBond"])).to.equal(value);
      }
      for (const value of [...(min > 0n ? [min - 1n] : []), max + 1n]) {
        await expect(set(value), `${field} = ${value}`)
          .to.be.revertedWithCustomError(registry, "ListingParameterOutOfBounds")
          .withArgs(encodeBytes32String(field), value, min, max);
      }
    }
    for (const shares of [
      [10_000n, 0n, 0n],
      [0n, 10_000n, 0n],
      [0n, 0n, 10_000n],
    ] as const) {
      await expect(r.setFeeShares(...shares)).to.emit(registry, "FeeSharesSet");
      const p = await registry.parameters();
      expect([p.treasuryShareBps, p.curatorShareBps, p.validatorShareBps]).to.deep.equal([...shares]);
    }
    for (const shares of [
      [2_000n, 5_999n, 2_000n],
      [2_000n, 6_001n, 2_000n],
    ] as const) {
      await expect(r.setFeeShares(...shares))
        .to.be.revertedWithCustomError(registry, "ListingFeeSharesInvalid")
        .withArgs(...shares);
    }
  });
});
