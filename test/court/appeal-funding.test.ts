// Crowdfunded appeals (issue 17: "appeals are funded by whoever appeals; as in Kleros, either side may fund, with
// winner and loser multipliers"). ListingChallenges, the court's arbitrable for listings, raises an appeal when both
// sides of it are funded, by anyone; a side that alone was funded wins by default; the side that wins the dispute
// takes the other side's money less the appeal cost. Played first as the attack it answers: a losing party that walks
// away (or a provider's sybil challenger that lost on purpose) left a wrong ruling nobody else could appeal.
import { expect } from "chai";
import { encodeBytes32String, parseEther } from "ethers";
import { Choice, COURT, cHelpers, deployCourtFixture, ListingStatus, Period } from "../helpers/court.js";
import { MarketHelper } from "../helpers/marketplace.js";
import { LOCAL_COURT } from "../../deploy/court-config.js";

const BPS = 10_000n;
const MULTIPLIERS = LOCAL_COURT.appealFunding;
const FIRST_APPEAL_COST = COURT.appealFeePerSeat * (2n * BigInt(COURT.firstRoundSeats) + 1n);
const WINNER_NEEDS = FIRST_APPEAL_COST + (FIRST_APPEAL_COST * BigInt(MULTIPLIERS.winnerMultiplierBps)) / BPS;
const LOSER_NEEDS = FIRST_APPEAL_COST + (FIRST_APPEAL_COST * BigInt(MULTIPLIERS.loserMultiplierBps)) / BPS;

/** A listing challenged, its first jury ruled for the provider (the challenge failed), the appeal period open. */
async function providerWonFixture() {
  const f = await cHelpers.loadFixture(deployCourtFixture);
  const market = new MarketHelper(f.registry, f.curationPool, cHelpers);
  const listingId = await market.list(f.provider, "mnist-mlp");
  const disputeId = await f.courtHelper.challenge(f.challenger, listingId);
  await f.courtHelper.runRound(disputeId, () => Choice.Defendant);
  expect(await f.court.periodOf(disputeId)).to.equal(Period.Appeal);
  const [funder, backer] = [f.alice, f.bob];
  for (const s of [funder, backer]) {
    await f.token.connect(f.deployer).transfer(s.address, parseEther("10000"));
    await f.token.connect(s).approve(await f.challenges.getAddress(), parseEther("10000"));
  }
  return { ...f, listingId, disputeId, funder, backer };
}

describe("ListingChallenges: crowdfunded appeals", function () {
  it("attack: a challenger that lost on purpose left a wrong ruling nobody could appeal; now anyone can fund it", async function () {
    const { court, challenges, registry, token, disputeId, listingId, funder } =
      await cHelpers.loadFixture(providerWonFixture);
    // The sybil challenger never appeals. Nobody else may appeal at the court: only the losing party.
    const [challenger] = await court.partiesOf(disputeId);
    await expect(court.connect(funder).appeal(disputeId))
      .to.be.revertedWithCustomError(court, "CourtNotLosingParty")
      .withArgs(disputeId, funder.address, challenger);

    // Anyone funds the challenger's side (the round's loser: cost + 2× cost) in the first half of the appeal period.
    const [required, deadline] = await challenges.appealFundingRequired(disputeId, Choice.Challenger);
    expect(required).to.equal(LOSER_NEEDS);
    const round = await court.getRound(disputeId, 0n);
    expect(deadline).to.equal(round.appealEnd - (round.appealEnd - round.revealEnd) / 2n);
    const before = await token.balanceOf(funder.address);
    await expect(challenges.connect(funder).fundAppeal(disputeId, Choice.Challenger, parseEther("10000")))
      .to.emit(challenges, "AppealContribution")
      .withArgs(disputeId, 0n, funder.address, Choice.Challenger, LOSER_NEEDS, LOSER_NEEDS, LOSER_NEEDS)
      .and.to.emit(challenges, "AppealSideFunded")
      .withArgs(disputeId, 0n, Choice.Challenger);
    expect(await token.balanceOf(funder.address), "only what the side needed was pulled").to.equal(
      before - LOSER_NEEDS,
    );

    // The provider does not defend its ruling: as in Kleros, the side that alone was funded wins by default.
    await cHelpers.time.increaseTo(round.appealEnd);
    await expect(court.executeRuling(disputeId))
      .to.emit(challenges, "AppealDefaulted")
      .withArgs(disputeId, 0n, Choice.Challenger, Choice.Defendant);
    expect(await registry.statusOf(listingId)).to.equal(ListingStatus.Delisted);
    expect(await challenges.resolvedRuling(disputeId)).to.equal(Choice.Challenger);
    // No appeal was raised: the funder gets all it paid back.
    await expect(challenges.withdrawAppealFunds(disputeId, 0n, funder.address))
      .to.emit(challenges, "AppealFundsWithdrawn")
      .withArgs(disputeId, 0n, funder.address, LOSER_NEEDS);
    expect(await token.balanceOf(funder.address)).to.equal(before);
    await expect(challenges.withdrawAppealFunds(disputeId, 0n, funder.address))
      .to.be.revertedWithCustomError(challenges, "ChallengeNothingToWithdraw")
      .withArgs(disputeId, 0n, funder.address);
  });

  it("raises the appeal when both sides are funded; the winning side's funders take the other side's stake", async function () {
    const { court, courtHelper, challenges, token, disputeId, funder, backer, provider } =
      await cHelpers.loadFixture(providerWonFixture);
    const cost = await court.appealCost(disputeId);
    expect(cost).to.equal(FIRST_APPEAL_COST);
    // Two funders share the challenger's side; the provider funds its own (the round's winner: cost + 1× cost).
    await challenges.connect(funder).fundAppeal(disputeId, Choice.Challenger, LOSER_NEEDS / 3n);
    await challenges.connect(backer).fundAppeal(disputeId, Choice.Challenger, LOSER_NEEDS);
    const [winnerRequired, winnerDeadline] = await challenges.appealFundingRequired(disputeId, Choice.Defendant);
    expect([winnerRequired, winnerDeadline]).to.deep.equal([
      WINNER_NEEDS,
      (await court.getRound(disputeId, 0n)).appealEnd,
    ]);
    const escrowBefore = (await court.getDispute(disputeId)).escrow;
    await expect(challenges.connect(provider).fundAppeal(disputeId, Choice.Defendant, WINNER_NEEDS))
      .to.emit(challenges, "AppealRaised")
      .withArgs(disputeId, 0n, cost)
      .and.to.emit(court, "AppealFunded")
      .withArgs(disputeId, 1n, await challenges.getAddress(), Choice.Defendant, cost, false);
    expect((await court.getDispute(disputeId)).escrow).to.equal(escrowBefore + cost);
    const funding = await challenges.appealFundingOf(disputeId, 0n);
    expect([funding.appealed, funding.cost, funding.paid[1], funding.paid[2]]).to.deep.equal([
      true,
      cost,
      LOSER_NEEDS,
      WINNER_NEEDS,
    ]);

    // Seven jurors overturn the ruling: the challenger's side wins the dispute.
    await courtHelper.runRound(disputeId, () => Choice.Challenger);
    await expect(challenges.withdrawAppealFunds(disputeId, 0n, funder.address))
      .to.be.revertedWithCustomError(challenges, "ChallengeNotResolved")
      .withArgs(disputeId);
    await courtHelper.execute(disputeId);
    const pot = LOSER_NEEDS + WINNER_NEEDS - cost;
    const shares = [
      [funder, LOSER_NEEDS / 3n],
      [backer, LOSER_NEEDS - LOSER_NEEDS / 3n],
    ] as const;
    let paidOut = 0n;
    for (const [who, paid] of shares) {
      const before = await token.balanceOf(who.address);
      await challenges.withdrawAppealFunds(disputeId, 0n, who.address);
      const got = (await token.balanceOf(who.address)) - before;
      expect(got).to.equal((paid * pot) / LOSER_NEEDS);
      expect(got, "a winning funder earns on what it risked").to.be.greaterThan(paid);
      paidOut += got;
    }
    // The provider's side lost its stake; nothing else came out; what stays behind is rounding (under 1 wei each).
    await expect(challenges.withdrawAppealFunds(disputeId, 0n, provider.address))
      .to.be.revertedWithCustomError(challenges, "ChallengeNothingToWithdraw")
      .withArgs(disputeId, 0n, provider.address);
    expect(LOSER_NEEDS + WINNER_NEEDS - cost - paidOut).to.be.lessThan(2n);
  });

  it("closes the losing side at half the appeal period and the winning side at its end; takes no more than needed", async function () {
    const { court, challenges, disputeId, funder, provider, token } = await cHelpers.loadFixture(providerWonFixture);
    const round = await court.getRound(disputeId, 0n);
    const half = round.appealEnd - (round.appealEnd - round.revealEnd) / 2n;
    await challenges.connect(provider).fundAppeal(disputeId, Choice.Defendant, WINNER_NEEDS - 1n);
    await cHelpers.time.increaseTo(half);
    await expect(challenges.connect(funder).fundAppeal(disputeId, Choice.Challenger, 1n))
      .to.be.revertedWithCustomError(challenges, "ChallengeAppealFundingClosed")
      .withArgs(disputeId, Choice.Challenger, half);
    // The winning side can still be completed; an excess is not pulled, and a funded side takes nothing more.
    const before = await token.balanceOf(funder.address);
    await expect(challenges.connect(funder).fundAppeal(disputeId, Choice.Defendant, parseEther("500")))
      .to.emit(challenges, "AppealSideFunded")
      .withArgs(disputeId, 0n, Choice.Defendant);
    expect(before - (await token.balanceOf(funder.address))).to.equal(1n);
    await expect(challenges.connect(funder).fundAppeal(disputeId, Choice.Defendant, 1n))
      .to.be.revertedWithCustomError(challenges, "ChallengeAppealSideFunded")
      .withArgs(disputeId, Choice.Defendant);
    await cHelpers.time.increaseTo(round.appealEnd);
    await expect(challenges.connect(funder).fundAppeal(disputeId, Choice.Defendant, 1n))
      .to.be.revertedWithCustomError(challenges, "ChallengeAppealNotOpen")
      .withArgs(disputeId);
    // Its own side was the ruling: the provider's funding changes nothing, and comes back in full.
    await court.executeRuling(disputeId);
    expect(await challenges.resolvedRuling(disputeId)).to.equal(Choice.Defendant);
    const back = await token.balanceOf(provider.address);
    await challenges.withdrawAppealFunds(disputeId, 0n, provider.address);
    expect((await token.balanceOf(provider.address)) - back).to.equal(WINNER_NEEDS - 1n);
    await challenges.withdrawAppealFunds(disputeId, 0n, funder.address);
    expect(await token.balanceOf(funder.address)).to.equal(before);
  });

  it("refuses a bad side, a zero amount, an unknown dispute and an appeal to the DAO", async function () {
    const { court, courtHelper, challenges, disputeId, funder, provider, challenger } =
      await cHelpers.loadFixture(providerWonFixture);
    await expect(challenges.connect(funder).fundAppeal(disputeId, 3, 1n))
      .to.be.revertedWithCustomError(challenges, "ChallengeInvalidSide")
      .withArgs(3);
    await expect(challenges.connect(funder).fundAppeal(disputeId, Choice.Challenger, 0n)).to.be.revertedWithCustomError(
      challenges,
      "ChallengeZeroAmount",
    );
    await expect(challenges.connect(funder).fundAppeal(999n, Choice.Challenger, 1n))
      .to.be.revertedWithCustomError(challenges, "ChallengeNotFound")
      .withArgs(999n);
    // The losing challenger appeals on its own to the last juror round (the local court has two)...
    await courtHelper.appeal(challenger, disputeId);
    await courtHelper.runRound(disputeId, () => Choice.Challenger);
    // ...whose appeal goes to the DAO: a party's own decision, never crowdfunded.
    await expect(challenges.connect(provider).fundAppeal(disputeId, Choice.Defendant, 1n))
      .to.be.revertedWithCustomError(challenges, "ChallengeAppealGoesToDao")
      .withArgs(disputeId, BigInt(LOCAL_COURT.params.maxJurorRounds));
    expect(await court.periodOf(disputeId)).to.equal(Period.Appeal);
  });

  it("pays back a side's funders in full when a party appealed on its own", async function () {
    const { court, courtHelper, challenges, token, disputeId, funder, challenger } =
      await cHelpers.loadFixture(providerWonFixture);
    await challenges.connect(funder).fundAppeal(disputeId, Choice.Challenger, parseEther("50"));
    await courtHelper.appeal(challenger, disputeId);
    expect((await challenges.appealFundingOf(disputeId, 0n)).appealed).to.equal(false);
    await courtHelper.runRound(disputeId, () => Choice.Defendant);
    await courtHelper.execute(disputeId);
    const before = await token.balanceOf(funder.address);
    await challenges.connect(challenger).withdrawAppealFunds(disputeId, 0n, funder.address);
    expect((await token.balanceOf(funder.address)) - before).to.equal(parseEther("50"));
    expect(await challenges.appealContributionOf(disputeId, 0n, funder.address)).to.deep.equal([0n, 0n]);
    expect(await challenges.resolvedRuling(disputeId)).to.equal(Choice.Defendant);
  });

  it("lets only the timelock change the multipliers, within bounds", async function () {
    const { challenges, asTimelock, outsider } = await cHelpers.loadFixture(deployCourtFixture);
    const next = { winnerMultiplierBps: 5_000, loserMultiplierBps: 15_000 };
    await expect(challenges.connect(outsider).setAppealFundingParameters(next)).to.be.revertedWithCustomError(
      challenges,
      "GovernedOnlyTimelock",
    );
    await expect(challenges.connect(asTimelock).setAppealFundingParameters({ ...next, loserMultiplierBps: 30_001 }))
      .to.be.revertedWithCustomError(challenges, "ChallengeParameterOutOfBounds")
      .withArgs(encodeBytes32String("loserMultiplierBps"), 30_001n, 0n, 30_000n);
    await expect(challenges.connect(asTimelock).setAppealFundingParameters(next)).to.emit(
      challenges,
      "AppealFundingParametersSet",
    );
    const now = await challenges.appealFundingParameters();
    expect([now.winnerMultiplierBps, now.loserMultiplierBps]).to.deep.equal([5_000n, 15_000n]);
  });
});
