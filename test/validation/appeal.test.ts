// ValidationManager.appealDispute: the pool appeals the automatic disputes it loses, so that corrupting a first round
// of three jurors no longer keeps a listing the validators found below the minimum quality (scripts/sim/README.md).
import { expect } from "chai";
import { parseEther } from "ethers";
import {
  CHALLENGES,
  COURT,
  deployValidationFixture,
  juryVotes,
  ListingStatus,
  vHelpers,
  vIncreaseTo,
} from "../helpers/validation.js";

const CHALLENGER = 1;
const DEFENDANT = 2;
const BOND = CHALLENGES.minChallengeBond;
const DISPUTE_COST = BOND + COURT.arbitrationFeePerSeat * BigInt(COURT.firstRoundSeats);
const SECOND_ROUND_FEE = COURT.appealFeePerSeat * BigInt(2 * COURT.firstRoundSeats + 1);

/** The fixture with `amount` CUR in the reward pool. */
async function funded(amount: bigint) {
  const f = await vHelpers.loadFixture(deployValidationFixture);
  await f.token.connect(f.deployer).transfer(await f.validation.getAddress(), amount);
  return f;
}
const richPool = async () => funded(parseEther("3000"));
const poorPool = async () => funded(DISPUTE_COST + parseEther("50"));

/** An automatic dispute (id 1) on the fixture's listing: every validator scores it 1,000 bps. */
async function automaticDispute(fixture: Awaited<ReturnType<typeof richPool>>) {
  const { validation, helper, listingId, requester } = fixture;
  const { roundId } = await helper.runRound(requester, listingId, [1000, 1000, 1000, 1000, 1000]);
  await validation.finalizeRound(roundId);
  return 1n;
}

describe("ValidationManager: appeals of automatic disputes", function () {
  it("pays the appeal from the pool when a juror round rules for the listing, and recovers it when the listing goes", async function () {
    const f = await vHelpers.loadFixture(richPool);
    const { validation, court, registry, token, juror, validators, listingId } = f;
    const member = validators[0]!; // revealed a score in the round that raised the dispute
    const disputeId = await automaticDispute(f);
    const address = await validation.getAddress();
    await juryVotes(court, juror, disputeId, DEFENDANT, "revealEnd");
    const poolBefore = (await validation.totalOwed())[1];

    const tx = validation.connect(member).appealDispute(disputeId);
    await expect(tx).to.emit(validation, "DisputeAppealed").withArgs(disputeId, member.address, SECOND_ROUND_FEE);
    await expect(tx)
      .to.emit(court, "AppealFunded")
      .withArgs(disputeId, 1n, address, DEFENDANT, SECOND_ROUND_FEE, false);
    expect((await validation.totalOwed())[1]).to.equal(poolBefore - SECOND_ROUND_FEE);
    expect(await token.allowance(address, await court.getAddress())).to.equal(0n);

    // The larger jury delists the listing: the bond comes back, with the winner's share of the provider's bond.
    const r = await juryVotes(court, juror, disputeId, CHALLENGER, "revealEnd");
    await vIncreaseTo(r.appealEnd);
    await court.executeRuling(disputeId);
    expect(await registry.statusOf(listingId)).to.equal(ListingStatus.Delisted);
    const toWinner = ((await registry.parameters()).minBond * BigInt(CHALLENGES.winnerShareBps)) / 10_000n;
    expect((await validation.totalOwed())[1]).to.equal(poolBefore - SECOND_ROUND_FEE + BOND + toWinner);
  });

  it("takes the case to the DAO after the last juror round", async function () {
    const f = await vHelpers.loadFixture(richPool);
    const { validation, court, juror, validators } = f;
    const disputeId = await automaticDispute(f);
    await juryVotes(court, juror, disputeId, DEFENDANT, "revealEnd");
    await validation.connect(validators[1]!).appealDispute(disputeId);
    await juryVotes(court, juror, disputeId, DEFENDANT, "revealEnd");
    expect(COURT.maxJurorRounds).to.equal(2);
    const daoFee = COURT.appealFeePerSeat * BigInt(2 * (2 * COURT.firstRoundSeats + 1) + 1);
    await expect(validation.connect(validators[2]!).appealDispute(disputeId))
      .to.emit(court, "AppealFunded")
      .withArgs(disputeId, 2n, await validation.getAddress(), DEFENDANT, daoFee, true);
    expect((await court.getDispute(disputeId)).toDao).to.equal(true);
  });

  it("attack: an outsider who risked nothing can no longer spend the pool on an appeal", async function () {
    // v1 let anyone have the pool appeal: an outsider pushed a lost dispute to the DAO at the pool's expense.
    const f = await vHelpers.loadFixture(richPool);
    const { validation, court, juror, outsider, deployer, spares } = f;
    const disputeId = await automaticDispute(f);
    await juryVotes(court, juror, disputeId, DEFENDANT, "revealEnd");
    const [, poolBefore] = await validation.totalOwed();
    // Neither an outsider, nor the deployer, nor a registered validator who sat on no seat of that round.
    for (const caller of [outsider, deployer, spares[0]!]) {
      await expect(validation.connect(caller).appealDispute(disputeId))
        .to.be.revertedWithCustomError(validation, "ValidationAppealNotAllowed")
        .withArgs(disputeId, caller.address, 1n);
    }
    expect((await validation.totalOwed())[1]).to.equal(poolBefore);
  });

  describe("reverts", function () {
    it("when the pool won the round: only the loser appeals", async function () {
      const f = await vHelpers.loadFixture(richPool);
      const { validation, court, juror, provider, validators } = f;
      const disputeId = await automaticDispute(f);
      await juryVotes(court, juror, disputeId, CHALLENGER, "revealEnd");
      await expect(validation.connect(validators[0]!).appealDispute(disputeId))
        .to.be.revertedWithCustomError(court, "CourtNotLosingParty")
        .withArgs(disputeId, await validation.getAddress(), provider.address);
    });

    it("for a dispute someone else raised", async function () {
      const { validation, court, challenges, juror, outsider, listingId, validators } =
        await vHelpers.loadFixture(richPool);
      await challenges.connect(outsider).challenge(listingId, BOND, "ipfs://evidence");
      await juryVotes(court, juror, 1n, DEFENDANT, "revealEnd");
      await expect(validation.connect(validators[0]!).appealDispute(1n))
        .to.be.revertedWithCustomError(validation, "ValidationNotPoolDispute")
        .withArgs(1n);
    });

    it("outside the appeal period", async function () {
      const f = await vHelpers.loadFixture(richPool);
      const disputeId = await automaticDispute(f);
      await expect(f.validation.connect(f.validators[0]!).appealDispute(disputeId))
        .to.be.revertedWithCustomError(f.court, "CourtWrongPeriod")
        .withArgs(disputeId, 1n, 4n);
    });

    it("when the pool cannot pay the fee, leaving stakes and credited rewards alone", async function () {
      const f = await vHelpers.loadFixture(poorPool);
      const { validation, court, token, juror, validators } = f;
      const disputeId = await automaticDispute(f);
      await juryVotes(court, juror, disputeId, DEFENDANT, "revealEnd");
      const [, pool] = await validation.totalOwed();
      expect(pool).to.be.lessThan(SECOND_ROUND_FEE);
      await expect(validation.connect(validators[0]!).appealDispute(disputeId))
        .to.be.revertedWithCustomError(token, "ERC20InsufficientAllowance")
        .withArgs(await court.getAddress(), pool, SECOND_ROUND_FEE);
    });
  });
});
