// Every deadline of a dispute at the exact second, as ICourt documents them: commits while now < commitEnd, reveals
// while commitEnd ≤ now < revealEnd, appeals while revealEnd ≤ now < appealEnd, execution from appealEnd. Each window
// is tried one second before its end (still open) and at its end (closed), so an off-by-one in either direction fails.
import { expect } from "chai";
import { roundDeadlines } from "../../scripts/drivers/court.js";
import { Clock } from "../../scripts/drivers/time.js";
import { Choice, COURT, CourtHelper, cEthers, cHelpers, deployCourtFixture, Period } from "../helpers/court.js";
import { MarketHelper } from "../helpers/marketplace.js";

/** A drawn dispute (fixed seed: at least two distinct jurors) and its round's deadlines. */
async function drawnFixture() {
  const f = await cHelpers.loadFixture(deployCourtFixture);
  const fixed = await cEthers.deployContract("FixedRandomness", [7n]);
  await f.court.connect(f.asTimelock).setRandomnessSource(await fixed.getAddress());
  const market = new MarketHelper(f.registry, f.curationPool, cHelpers);
  const listingId = await market.list(f.provider, "mnist-mlp");
  const disputeId = await f.courtHelper.challenge(f.challenger, listingId);
  const jury = await f.courtHelper.drawJury(disputeId);
  expect(jury.length, "the fixed seed draws at least two distinct jurors").to.be.greaterThanOrEqual(2);
  const clock = new Clock(cHelpers);
  return { ...f, disputeId, jury, clock, ...(await roundDeadlines(f.court, disputeId)) };
}

/** Both jurors committed for the challenger early in the commit period. */
async function committedFixture() {
  const f = await cHelpers.loadFixture(drawnFixture);
  // A helper of its own: the salts it keeps are those of this fixture's commits, whatever other tests committed.
  const courtHelper = new CourtHelper(f.court, f.challenges, f.jurors, cHelpers);
  for (const { juror } of f.jury.slice(0, 2)) await courtHelper.commit(juror, f.disputeId, Choice.Challenger);
  return { ...f, courtHelper };
}

describe("Court: deadlines to the second", function () {
  it("starts the periods when the jury is complete: commitEnd, revealEnd and appealEnd follow each other", async function () {
    const f = await cHelpers.loadFixture(deployCourtFixture);
    const { court, courtHelper, challenger } = f;
    const listingId = await new MarketHelper(f.registry, f.curationPool, cHelpers).list(f.provider, "m");
    const disputeId = await courtHelper.challenge(challenger, listingId);
    await courtHelper.waitForRandomness();
    const clock = new Clock(cHelpers);
    const drawnAt = await clock.at((await clock.now()) + 100n);
    const commitEnd = drawnAt + BigInt(COURT.commitPeriod);
    const revealEnd = commitEnd + BigInt(COURT.revealPeriod);
    const appealEnd = revealEnd + BigInt(COURT.appealPeriod);
    await expect(court.draw(disputeId, 64))
      .to.emit(court, "RoundDrawn")
      .withArgs(disputeId, 0n, commitEnd, revealEnd, appealEnd);
    const round = await court.getRound(disputeId, 0n);
    expect([round.commitEnd, round.revealEnd, round.appealEnd]).to.deep.equal([commitEnd, revealEnd, appealEnd]);
  });

  it("takes a commit at commitEnd − 1 and refuses one at commitEnd", async function () {
    const { court, courtHelper, disputeId, jury, clock, commitEnd } = await cHelpers.loadFixture(drawnFixture);
    const [first, second] = [jury[0]!.juror, jury[1]!.juror];
    await clock.justBefore(commitEnd);
    await expect(courtHelper.commit(first, disputeId, Choice.Challenger)).to.emit(court, "VoteCommitted");
    await clock.at(commitEnd);
    await expect(courtHelper.commit(second, disputeId, Choice.Challenger))
      .to.be.revertedWithCustomError(court, "CourtWrongPeriod")
      .withArgs(disputeId, Period.Reveal, Period.Commit);
  });

  it("refuses a reveal at commitEnd − 1, takes one at commitEnd and at revealEnd − 1, refuses one at revealEnd", async function () {
    const { court, courtHelper, disputeId, jury, clock, commitEnd, revealEnd } =
      await cHelpers.loadFixture(committedFixture);
    const [first, second] = [jury[0]!.juror, jury[1]!.juror];
    await clock.justBefore(commitEnd);
    await expect(courtHelper.reveal(first, disputeId))
      .to.be.revertedWithCustomError(court, "CourtWrongPeriod")
      .withArgs(disputeId, Period.Commit, Period.Reveal);
    await clock.at(commitEnd);
    await expect(courtHelper.reveal(first, disputeId)).to.emit(court, "VoteRevealed");
    const snapshot = await cHelpers.takeSnapshot();
    await clock.justBefore(revealEnd);
    await expect(courtHelper.reveal(second, disputeId)).to.emit(court, "VoteRevealed");
    await snapshot.restore();
    await clock.at(revealEnd);
    await expect(courtHelper.reveal(second, disputeId))
      .to.be.revertedWithCustomError(court, "CourtWrongPeriod")
      .withArgs(disputeId, Period.Appeal, Period.Reveal);
  });

  it("refuses an appeal at revealEnd − 1, takes one at appealEnd − 1 when execution is still refused", async function () {
    const { court, courtHelper, disputeId, jury, clock, commitEnd, revealEnd, appealEnd, provider } =
      await cHelpers.loadFixture(committedFixture);
    await clock.at(commitEnd);
    await courtHelper.revealVotes(disputeId, jury.slice(0, 2));
    // The challenger won the round: the provider is the party that may appeal.
    await clock.justBefore(revealEnd);
    await expect(courtHelper.appeal(provider, disputeId))
      .to.be.revertedWithCustomError(court, "CourtWrongPeriod")
      .withArgs(disputeId, Period.Reveal, Period.Appeal);
    await clock.at(revealEnd);
    expect(await court.appealCost(disputeId)).to.equal(COURT.appealFeePerSeat * 7n);
    await clock.justBefore(appealEnd);
    await expect(court.executeRuling(disputeId))
      .to.be.revertedWithCustomError(court, "CourtWrongPeriod")
      .withArgs(disputeId, Period.Appeal, Period.Executable);
    await expect(courtHelper.appeal(provider, disputeId))
      .to.emit(court, "AppealFunded")
      .withArgs(disputeId, 1n, provider.address, Choice.Challenger, COURT.appealFeePerSeat * 7n, false);
  });

  it("refuses an appeal at appealEnd and executes the ruling then", async function () {
    const { court, courtHelper, disputeId, jury, clock, commitEnd, appealEnd, provider } =
      await cHelpers.loadFixture(committedFixture);
    await clock.at(commitEnd);
    await courtHelper.revealVotes(disputeId, jury.slice(0, 2));
    await clock.at(appealEnd);
    await expect(courtHelper.appeal(provider, disputeId))
      .to.be.revertedWithCustomError(court, "CourtWrongPeriod")
      .withArgs(disputeId, Period.Executable, Period.Appeal);
    await expect(court.executeRuling(disputeId)).to.emit(court, "RulingExecuted");
    expect(await court.periodOf(disputeId)).to.equal(Period.Executed);
  });
});
