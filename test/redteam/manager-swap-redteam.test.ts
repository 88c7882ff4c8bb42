// Red team of a StakePool's manager swap (StakePool.setManager by the timelock), played by a DAO majority that replaces
// the Court while a dispute runs (by mistake, or to hold the drawn jurors' stake hostage). Only the manager that locked
// a stake can release it: the attack succeeded while the pool took a new manager at any time, and the jurors drawn for
// the dispute kept their seats' stake locked for ever (the old Court's rulings and settlements reverted with
// StakePoolOnlyManager; the new manager knew nothing of the dispute). Every test asserts the safe behaviour: it fails if
// the attack it plays works.
import { expect } from "chai";
import { cHelpers, Choice, COURT, deployCourtFixture } from "../helpers/court.js";
import { MarketHelper } from "../helpers/marketplace.js";
import { deployValidationFixture, vHelpers } from "../helpers/validation.js";

async function disputeFixture() {
  const f = await cHelpers.loadFixture(deployCourtFixture);
  const market = new MarketHelper(f.registry, f.curationPool, cHelpers);
  const listingId = await market.listActive(f.provider, "manager-swap-model");
  const disputeId = await f.courtHelper.challenge(f.challenger, listingId);
  return { ...f, listingId, disputeId };
}

describe("red team: a stake pool's manager replaced mid-dispute", function () {
  it("ATTACK (fails since the pool keeps its manager while a draw is pending or stake is locked): the DAO swaps the Court and the drawn jurors' stake stays locked for ever", async function () {
    const { jurorPool, court, outsider, asTimelock, courtHelper, disputeId } = await disputeFixture();
    const courtAddress = await court.getAddress();

    // The challenge asked for the draw's seed: the tree is frozen until the Court draws.
    expect(await jurorPool.pendingDraws()).to.equal(1n);
    await expect(jurorPool.connect(asTimelock).setManager(outsider.address))
      .to.be.revertedWithCustomError(jurorPool, "StakePoolManagerBusy")
      .withArgs(0n, 1n);

    // Drawn: every seat's stake is locked, and only the Court can release it.
    const jury = await courtHelper.drawJury(disputeId);
    const seats = jury.reduce((sum, { seats }) => sum + seats, 0n);
    const [, locked] = await jurorPool.totalOwed();
    expect(locked).to.equal(seats * COURT.seatStake);
    await expect(jurorPool.connect(asTimelock).setManager(outsider.address))
      .to.be.revertedWithCustomError(jurorPool, "StakePoolManagerBusy")
      .withArgs(locked, 0n);
    expect(await jurorPool.manager()).to.equal(courtAddress);

    // The dispute runs to its end under the Court, which releases every seat.
    await courtHelper.runRound(disputeId, () => Choice.Challenger);
    await courtHelper.execute(disputeId);
    await courtHelper.settleAll(disputeId);
    for (const { juror } of jury) expect((await jurorPool.memberOf(juror.address)).locked).to.equal(0n);
    expect((await jurorPool.totalOwed())[1]).to.equal(0n);

    // Only now may the DAO move the pool to another manager.
    await expect(jurorPool.connect(asTimelock).setManager(outsider.address))
      .to.emit(jurorPool, "ManagerSet")
      .withArgs(courtAddress, outsider.address);
  });

  it("ATTACK (fails the same way): the DAO swaps the ValidationManager while a committee's stake is locked", async function () {
    const { validatorPool, validation, outsider, asTimelock, helper, requester, listingId } =
      await vHelpers.loadFixture(deployValidationFixture);
    const managerAddress = await validation.getAddress();
    const roundId = await helper.open(requester, listingId);
    const committee = await helper.draw(roundId);
    const [, locked] = await validatorPool.totalOwed();
    expect(locked).to.be.greaterThan(0n);
    await expect(validatorPool.connect(asTimelock).setManager(outsider.address))
      .to.be.revertedWithCustomError(validatorPool, "StakePoolManagerBusy")
      .withArgs(locked, 0n);

    // The round ends under the ValidationManager, which releases the committee.
    await helper.commitScores(
      roundId,
      committee,
      committee.map(() => 8_000),
    );
    await helper.waitForReveal(roundId);
    await helper.revealScores(roundId, committee);
    await helper.waitForFinalize(roundId);
    await validation.finalizeRound(roundId);
    expect((await validatorPool.totalOwed())[1]).to.equal(0n);
    await expect(validatorPool.connect(asTimelock).setManager(outsider.address))
      .to.emit(validatorPool, "ManagerSet")
      .withArgs(managerAddress, outsider.address);
  });
});
