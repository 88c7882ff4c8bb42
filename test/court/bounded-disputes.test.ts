// Disputes that always end (issue 17), played as the party that gains from a dispute staying open: a provider whose
// listing stays frozen while a case is pending, or an appellant who would rather no ruling came. In v1 an appeal to the
// DAO, or a round nobody could be drawn for, had no deadline: one case was still open 180 days later, and a listing
// stayed frozen for a year for 440 CUR of appeal fees. Each phase now has a deadline and a default outcome.
import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import { expect } from "chai";
import { maxDisputeDuration } from "@curia/protocol";
import { parseEther } from "ethers";
import { Choice, cHelpers, COURT, deployCourtFixture, ListingStatus, Period } from "../helpers/court.js";
import { MarketHelper } from "../helpers/marketplace.js";

const DAY = 86_400n;

async function listedFixture() {
  const f = await cHelpers.loadFixture(deployCourtFixture);
  const market = new MarketHelper(f.registry, f.curationPool, cHelpers);
  const listingId = await market.list(f.provider, "mnist-mlp");
  await f.curationPool.connect(f.curator).stake(listingId, parseEther("5000"));
  return { ...f, market, listingId };
}

/** A dispute whose juror rounds are over: the first jury delisted, the second kept the listing, the challenger
 * appealed to the DAO. */
async function inDaoReviewFixture() {
  const f = await cHelpers.loadFixture(listedFixture);
  const { courtHelper, challenger, provider, listingId } = f;
  const disputeId = await courtHelper.challenge(challenger, listingId);
  await courtHelper.runRound(disputeId, () => Choice.Challenger);
  await courtHelper.appeal(provider, disputeId);
  await courtHelper.runRound(disputeId, () => Choice.Defendant);
  const daoFee = await f.court.appealCost(disputeId);
  await courtHelper.appeal(challenger, disputeId);
  return { ...f, disputeId, daoFee };
}

describe("Court: every dispute ends", function () {
  it("attack: an appeal to a DAO that never rules no longer freezes the listing for ever; the last jury's ruling stands and the appellant gets its fee back", async function () {
    const { court, registry, token, challenger, outsider, listingId, disputeId, daoFee } =
      await cHelpers.loadFixture(inDaoReviewFixture);
    const { daoDeadline, daoAppellant, daoAppealFee } = await court.getDispute(disputeId);
    expect([daoAppellant, daoAppealFee]).to.deep.equal([challenger.address, daoFee]);
    expect(daoDeadline).to.equal(BigInt(await cHelpers.time.latest()) + BigInt(COURT.daoReviewPeriod));
    // Until the deadline only the DAO may rule: nobody can execute the jury's ruling over its head.
    await cHelpers.time.setNextBlockTimestamp(daoDeadline - 1n);
    await expect(court.connect(outsider).executeRuling(disputeId))
      .to.be.revertedWithCustomError(court, "CourtWrongPeriod")
      .withArgs(disputeId, Period.DaoReview, Period.Executable);
    expect(await registry.statusOf(listingId)).to.equal(ListingStatus.Challenged);

    // The DAO stays silent. v1 kept this dispute in review 180 days later; now the deadline ends it.
    await cHelpers.time.increaseTo(daoDeadline);
    expect(await court.periodOf(disputeId)).to.equal(Period.Executable);
    expect(await court.currentRuling(disputeId)).to.equal(Choice.Defendant, "the last jury kept the listing");
    const before = await token.balanceOf(challenger.address);
    await expect(court.connect(outsider).executeRuling(disputeId))
      .to.emit(court, "DaoAppealRefunded")
      .withArgs(disputeId, challenger.address, daoFee)
      .and.to.emit(court, "RulingExecuted");
    expect(await token.balanceOf(challenger.address)).to.equal(before + daoFee);
    const dispute = await court.getDispute(disputeId);
    expect([dispute.executed, dispute.ruling, dispute.daoAppealFee]).to.deep.equal([
      true,
      BigInt(Choice.Defendant),
      0n,
    ]);
    expect(await registry.statusOf(listingId)).to.equal(ListingStatus.Active, "the listing is no longer frozen");
    // The DAO can no longer rule it, and the refund cannot be claimed twice.
    await expect(court.executeRuling(disputeId))
      .to.be.revertedWithCustomError(court, "CourtWrongPeriod")
      .withArgs(disputeId, Period.Executed, Period.Executable);
  });

  it("the DAO rules many disputes in one proposal, all or none", async function () {
    const f = await cHelpers.loadFixture(inDaoReviewFixture);
    const { court, courtHelper, asTimelock, challenger, provider, market, outsider, disputeId } = f;
    // A second dispute, sent to the DAO the same way.
    const otherListing = await market.list(provider, "other-model");
    const other = await courtHelper.challenge(challenger, otherListing);
    await courtHelper.runRound(other, () => Choice.Defendant);
    await courtHelper.appeal(challenger, other);
    await courtHelper.runRound(other, () => Choice.Challenger);
    await courtHelper.appeal(provider, other);
    expect(await court.periodOf(other)).to.equal(Period.DaoReview);

    await expect(court.connect(outsider).ruleAsDaoBatch([disputeId, other], [Choice.Challenger, Choice.Defendant]))
      .to.be.revertedWithCustomError(court, "GovernedOnlyTimelock")
      .withArgs(outsider.address);
    await expect(court.connect(asTimelock).ruleAsDaoBatch([disputeId, other], [Choice.Challenger]))
      .to.be.revertedWithCustomError(court, "CourtBatchMismatch")
      .withArgs(2n, 1n);
    await expect(court.connect(asTimelock).ruleAsDaoBatch([], []))
      .to.be.revertedWithCustomError(court, "CourtBatchMismatch")
      .withArgs(0n, 0n);
    // One invalid ruling reverts the whole batch: nothing was ruled.
    await expect(court.connect(asTimelock).ruleAsDaoBatch([disputeId, other], [Choice.Challenger, 3]))
      .to.be.revertedWithCustomError(court, "CourtInvalidChoice")
      .withArgs(3);
    expect(await court.periodOf(disputeId)).to.equal(Period.DaoReview);

    await expect(court.connect(asTimelock).ruleAsDaoBatch([disputeId, other], [Choice.Challenger, Choice.Defendant]))
      .to.emit(court, "RulingExecuted")
      .withArgs(disputeId, Choice.Challenger, true, anyValue, anyValue)
      .and.to.emit(court, "RulingExecuted")
      .withArgs(other, Choice.Defendant, true, anyValue, anyValue);
    expect((await court.getDispute(disputeId)).ruling).to.equal(BigInt(Choice.Challenger));
    expect((await court.getDispute(other)).ruling).to.equal(BigInt(Choice.Defendant));
    // The DAO ruled in time: its appeal fees are the treasury's, nobody is refunded.
    expect((await court.getDispute(disputeId)).daoAppealFee).to.equal(f.daoFee);
  });

  it("a batch with a dispute past its review deadline is refused: that dispute's ruling already stands", async function () {
    const { court, asTimelock, disputeId } = await cHelpers.loadFixture(inDaoReviewFixture);
    await cHelpers.time.increaseTo((await court.getDispute(disputeId)).daoDeadline);
    await expect(court.connect(asTimelock).ruleAsDaoBatch([disputeId], [Choice.Challenger]))
      .to.be.revertedWithCustomError(court, "CourtWrongPeriod")
      .withArgs(disputeId, Period.Executable, Period.DaoReview);
  });

  it("a round nobody could be drawn for goes to the DAO, and without its ruling the defendant's stands", async function () {
    const { court, courtHelper, challenger, outsider, registry, listingId, jurorPool, jurors } =
      await cHelpers.loadFixture(listedFixture);
    const disputeId = await courtHelper.challenge(challenger, listingId);
    // Every juror asks for its stake back once the challenge is in: the frozen weights still draw them, but a weight
    // no stake backs seats nobody, so no seat fills before the draw deadline.
    for (const juror of jurors) {
      const { staked } = await jurorPool.memberOf(juror.address);
      if (staked > 0n) await jurorPool.connect(juror).requestUnstake(staked);
    }
    await courtHelper.waitForRandomness();
    await expect(court.draw(disputeId, 64)).to.emit(court, "DrawSkipped");
    expect((await court.getRound(disputeId, 0n)).drawn).to.equal(0n);
    await cHelpers.time.increaseTo((await court.getRound(disputeId, 0n)).drawDeadline);
    await expect(court.draw(disputeId, 64)).to.emit(court, "DaoReviewOpened");
    expect(await court.periodOf(disputeId)).to.equal(Period.DaoReview);
    await cHelpers.time.increaseTo((await court.getDispute(disputeId)).daoDeadline);
    await expect(court.connect(outsider).executeRuling(disputeId))
      .to.emit(court, "RulingExecuted")
      .withArgs(disputeId, Choice.Defendant, false, anyValue, anyValue)
      .and.not.to.emit(court, "DaoAppealRefunded");
    expect(await registry.statusOf(listingId)).to.equal(ListingStatus.Active);
  });

  it("reaches an executable ruling within the documented longest duration when every phase runs to its deadline", async function () {
    const { court, courtHelper, challenger, provider, listingId } = await cHelpers.loadFixture(listedFixture);
    const params = await court.parameters();
    const longest = maxDisputeDuration(params);
    // The public chain's figures: 3 rounds of (1 + 2 + 2 + 3) days, then 21 days of DAO review.
    const { MAINNET_COURT } = await import("../../deploy/court-config.js");
    expect(maxDisputeDuration(MAINNET_COURT.params)).to.equal(45n * DAY);
    const disputeId = await courtHelper.challenge(challenger, listingId);
    const { createdAt } = await court.getDispute(disputeId);
    const appellants = [provider, challenger];
    for (let round = 0n; round < BigInt(params.maxJurorRounds); round++) {
      // Every phase runs to its last second: the draw at its deadline's eve, then commit, reveal and appeal.
      const { drawDeadline } = await court.getRound(disputeId, round);
      await cHelpers.time.increaseTo(drawDeadline - 10n);
      await courtHelper.drawJury(disputeId);
      const jury = await courtHelper.jury(disputeId, round);
      await courtHelper.commitVotes(disputeId, jury, () => (round % 2n === 0n ? Choice.Challenger : Choice.Defendant));
      await courtHelper.waitForReveal(disputeId);
      await courtHelper.revealVotes(disputeId, jury);
      const { appealEnd } = await court.getRound(disputeId, round);
      await cHelpers.time.setNextBlockTimestamp(appealEnd - 1n);
      await courtHelper.appeal(appellants[Number(round % 2n)]!, disputeId);
    }
    const { daoDeadline } = await court.getDispute(disputeId);
    await cHelpers.time.increaseTo(daoDeadline);
    expect(await court.periodOf(disputeId)).to.equal(Period.Executable);
    expect(daoDeadline - createdAt).to.be.at.most(longest);
    // And every phase used nearly all of its time: the bound is tight to within a few seconds a round.
    expect(longest - (daoDeadline - createdAt)).to.be.at.most(20n * BigInt(params.maxJurorRounds));
  });
});
