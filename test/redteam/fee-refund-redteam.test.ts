// Red team of issue 17's fee refunds (RoundFeeRefunded, held fees), played by a requester. What holds: the fee is held
// apart while its round runs and comes back once, only when the round ends without a quality (a cancelled or
// quorum-less round); a round that measured the listing keeps it (round-outcomes.test.ts). The attack below succeeded
// when a cancelled round reset the listing's free-round clock (nextFreeRoundAt = 0) even for a paid round, whose fee
// came back too: a requester who let its paid round's draw expire was made whole and then opened the next round free,
// before roundPeriod had passed. ValidationManager._cancel now resets the clock only for a round that paid no fee.
import { expect } from "chai";
import { deployValidationFixture, VALIDATION, vHelpers } from "../helpers/validation.js";

async function paidRoundFixture() {
  const f = await vHelpers.loadFixture(deployValidationFixture);
  const { roundId } = await f.helper.runRound(f.requester, f.listingId, [8_000, 8_000, 8_000, 8_000, 8_000]);
  await f.validation.finalizeRound(roundId);
  return f;
}

describe("red team: requested-round fee refunds", function () {
  it("ATTACK (fails): a paid round left to expire refunds its fee but does not make the next round free before roundPeriod", async function () {
    const { validation, helper, requester, listingId, token } = await vHelpers.loadFixture(paidRoundFixture);
    const before = await token.balanceOf(requester.address);
    const paid = await helper.open(requester, listingId);
    expect(await token.balanceOf(requester.address)).to.equal(before - VALIDATION.requestFee);
    await vHelpers.time.increase(VALIDATION.drawPeriod);
    await expect(validation.connect(requester).drawCommittee(paid))
      .to.emit(validation, "RoundFeeRefunded")
      .withArgs(paid, requester.address, VALIDATION.requestFee);
    expect(BigInt(VALIDATION.drawPeriod)).to.be.lessThan(BigInt(VALIDATION.roundPeriod));
    // Well within roundPeriod of the last measured round, the next round is still a paid one.
    const next = await helper.open(requester, listingId);
    expect(await token.balanceOf(requester.address)).to.equal(before - VALIDATION.requestFee, "the next round paid");
    expect((await validation.totalOwed())[2]).to.equal(VALIDATION.requestFee, "its fee held");
    expect(next).to.equal(paid + 1n);
  });

  it("a refunded round cannot be refunded again (its end is final) and holds nothing after", async function () {
    const { validation, helper, requester, listingId, token } = await vHelpers.loadFixture(paidRoundFixture);
    const roundId = await helper.open(requester, listingId);
    await vHelpers.time.increase(VALIDATION.drawPeriod);
    await validation.drawCommittee(roundId);
    const after = await token.balanceOf(requester.address);
    await expect(validation.drawCommittee(roundId)).to.be.revertedWithCustomError(validation, "ValidationWrongPhase");
    await expect(validation.finalizeRound(roundId)).to.be.revertedWithCustomError(validation, "ValidationWrongPhase");
    expect(await token.balanceOf(requester.address)).to.equal(after);
    expect((await validation.totalOwed())[2]).to.equal(0n);
  });
});
