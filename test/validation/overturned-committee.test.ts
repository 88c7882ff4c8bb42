// Issue 17, played as the attacker would: a committee majority scores a good listing 0 and the validators' pool
// challenges it with its own bond. When the jurors keep the listing the pool pays the jurors' share and the arbitration
// fee; the members who scored it below the minimum quality must pay for that from their stake at risk, and the honest
// members whose high scores the false median made outliers must get theirs back.
import { expect } from "chai";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { parseEther } from "ethers";
import type { StakePool } from "../../types/ethers-contracts/index.js";
import { Choice } from "../helpers/court.js";
import {
  deployValidationFixture,
  juryVotes,
  VALIDATION,
  vHelpers,
  type ValidationFixture,
} from "../helpers/validation.js";

const stakeOf = async (pool: StakePool, account: string) => {
  const m = await pool.memberOf(account);
  return m.staked + m.thawing;
};

/** A round where three of five members score the fixture's good listing 0 and two score it 90 %: dispute 1. */
async function lowMedianDispute(f: ValidationFixture) {
  await f.token.connect(f.deployer).transfer(await f.validation.getAddress(), parseEther("3000"));
  const { roundId, committee } = await f.helper.runRound(f.requester, f.listingId, [0, 0, 0, 9_000, 9_000]);
  const cartel = committee.slice(0, 3);
  const honest = committee.slice(3);
  const before = new Map<string, bigint>();
  for (const m of committee) before.set(m.address, await stakeOf(f.validatorPool, m.address));
  await f.validation.finalizeRound(roundId);
  const [, poolAfterFinalize] = await f.validation.totalOwed();
  return { roundId, committee, cartel, honest, before, poolAfterFinalize, disputeId: 1n };
}

describe("ValidationManager: a committee the court overturns (issue 17)", function () {
  it("a cartel that scores a good listing 0 pays the pool's loss from its stake at risk; the honest high scorers keep theirs", async function () {
    const f = await vHelpers.loadFixture(deployValidationFixture);
    const { validation, validatorPool, court, challenges, juror } = f;
    const { roundId, cartel, honest, before, poolAfterFinalize, disputeId } = await lowMedianDispute(f);
    expect((await validation.getRound(roundId)).medianBps).to.equal(0n);
    const atRisk = async (m: HardhatEthersSigner) => (await validation.memberOf(roundId, m.address)).stakeAtRisk;

    // Until the ruling, the stake at risk of every member whose fate depends on it stays locked.
    for (const m of [...cartel, ...honest]) {
      expect((await validatorPool.memberOf(m.address)).locked).to.equal(await atRisk(m), "held until the ruling");
    }
    await expect(validation.settleCommittee(disputeId))
      .to.be.revertedWithCustomError(validation, "ValidationDisputeNotResolved")
      .withArgs(disputeId);

    const bond = (await challenges.parameters()).minChallengeBond;
    const fee = (await challenges.challengeCost(bond)) - bond;
    const toJurors = (bond * (await challenges.parameters()).jurorShareBps) / 10_000n;
    // Honest jurors keep the listing; nobody appeals.
    await juryVotes(court, juror, disputeId, Choice.Defendant, "appealEnd");
    await court.executeRuling(disputeId);
    const [, poolAfterRuling] = await validation.totalOwed();
    // The pool paid bond + fee at finalisation and got the bond back but the jurors' share.
    expect(poolAfterRuling - poolAfterFinalize).to.equal(bond - toJurors);
    const poolLoss = toJurors + fee;

    // The attack under the old rule: the cartel's stakes were untouched and each honest member lost its stake at risk.
    let cartelStake = 0n;
    for (const m of cartel) cartelStake += await atRisk(m);
    const settle = validation.connect(f.outsider).settleCommittee(disputeId);
    await expect(settle)
      .to.emit(validation, "CommitteeSettled")
      .withArgs(disputeId, roundId, Choice.Defendant, cartelStake);
    for (const m of cartel) {
      await expect(settle)
        .to.emit(validation, "ValidatorPenalized")
        .withArgs(roundId, m.address, 2n /* Overturned */, await atRisk(m));
    }
    for (const m of cartel) {
      expect(await stakeOf(validatorPool, m.address)).to.equal(before.get(m.address)! - (await atRisk(m)), "cartel");
      expect((await validatorPool.memberOf(m.address)).locked).to.equal(0n);
    }
    for (const m of honest) {
      expect(await stakeOf(validatorPool, m.address)).to.equal(
        before.get(m.address),
        "honest members keep their stake",
      );
      expect((await validatorPool.memberOf(m.address)).locked).to.equal(0n);
    }
    const [, poolAfter] = await validation.totalOwed();
    expect(poolAfter - poolAfterRuling).to.equal(cartelStake, "the cartel's stake at risk refills the pool");
    // With the local figures (10 % of a 1,000 CUR stake per seat) the cartel's 300 CUR more than cover the pool's loss
    // (the jurors' share, 37 CUR, and the fee, 30), and more than the rewards the round credited them.
    expect(cartelStake).to.be.greaterThanOrEqual(poolLoss);
    expect(poolAfter).to.be.greaterThan(poolAfterFinalize + fee, "the pool recovered its bond and fee");
    let cartelRewards = 0n;
    for (const m of cartel) cartelRewards += await validation.rewardsOf(m.address);
    expect(cartelRewards).to.be.lessThan(cartelStake, "lying costs the cartel money");

    await expect(validation.settleCommittee(disputeId))
      .to.be.revertedWithCustomError(validation, "ValidationNothingHeld")
      .withArgs(disputeId);
  });

  it("when the court upholds the low median, the low side is released and the high outliers lose their stake at risk", async function () {
    const f = await vHelpers.loadFixture(deployValidationFixture);
    const { validation, validatorPool, court, juror } = f;
    const { roundId, cartel, honest, before, disputeId } = await lowMedianDispute(f);
    await juryVotes(court, juror, disputeId, Choice.Challenger, "appealEnd");
    await court.executeRuling(disputeId);
    let outliers = 0n;
    for (const m of honest) outliers += (await validation.memberOf(roundId, m.address)).stakeAtRisk;
    await expect(validation.settleCommittee(disputeId))
      .to.emit(validation, "CommitteeSettled")
      .withArgs(disputeId, roundId, Choice.Challenger, outliers);
    for (const m of cartel) expect(await stakeOf(validatorPool, m.address)).to.equal(before.get(m.address));
    for (const m of honest) {
      const lost = (await validation.memberOf(roundId, m.address)).stakeAtRisk;
      expect(await stakeOf(validatorPool, m.address)).to.equal(before.get(m.address)! - lost);
    }
    for (const m of [...cartel, ...honest]) expect((await validatorPool.memberOf(m.address)).locked).to.equal(0n);
  });

  it("a dispute the pool cannot pay is skipped and the round settles at once, as before", async function () {
    const f = await vHelpers.loadFixture(deployValidationFixture);
    const { validation, validatorPool } = f;
    // No funding: the pool cannot pay bond + fee.
    const { roundId, committee } = await f.helper.runRound(f.requester, f.listingId, [0, 0, 0, 9_000, 9_000]);
    await expect(validation.finalizeRound(roundId)).to.emit(validation, "DisputeSkipped");
    for (const m of committee) expect((await validatorPool.memberOf(m.address)).locked).to.equal(0n);
    for (const m of committee.slice(3)) {
      const { staked, thawing } = await validatorPool.memberOf(m.address);
      expect(staked + thawing).to.be.lessThan(parseEther("1000"), "the median stands: the high outliers pay");
    }
    expect(VALIDATION.minQualityBps).to.be.greaterThan(0);
  });

  it("only the pool's own disputes settle a committee", async function () {
    const f = await vHelpers.loadFixture(deployValidationFixture);
    await expect(f.validation.settleCommittee(7n))
      .to.be.revertedWithCustomError(f.validation, "ValidationNotPoolDispute")
      .withArgs(7n);
  });
});
