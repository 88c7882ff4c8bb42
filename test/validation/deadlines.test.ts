// A validation round's windows at the exact second, and their documented early moves: commits while now < commitEnd
// and someone has yet to commit; reveals while now < revealEnd and some commitment is unrevealed; finalisation after
// that. Also the request fee, charged until `nextFreeRoundAt` and not from it, and a live round keeping its figures.
import { expect } from "chai";
import { Clock } from "../../scripts/drivers/time.js";
import {
  deployValidationFixture,
  LISTING_PRICE,
  Phase,
  VALIDATION,
  VALIDATOR_STAKE,
  ValidationHelper,
  vHelpers,
  validationParamsOf,
} from "../helpers/validation.js";

/** A round drawn at a pinned second: all five validators seated; its own helper (so its salts are its own). */
async function drawnFixture() {
  const f = await vHelpers.loadFixture(deployValidationFixture);
  const helper = new ValidationHelper(f.validation, f.registry, [...f.validators, ...f.spares], vHelpers);
  const clock = new Clock(vHelpers);
  const roundId = await helper.open(f.requester, f.listingId);
  const drawnAt = await clock.next();
  const committee = await helper.draw(roundId);
  const commitEnd = drawnAt + BigInt(VALIDATION.commitPeriod);
  const revealEnd = commitEnd + BigInt(VALIDATION.revealPeriod);
  const round = await f.validation.getRound(roundId);
  expect([round.commitEnd, round.revealEnd]).to.deep.equal([commitEnd, revealEnd]);
  return { ...f, helper, clock, roundId, committee, commitEnd, revealEnd };
}

describe("ValidationManager: deadlines to the second", function () {
  it("takes a commit at commitEnd − 1, refuses one at commitEnd, and refuses a reveal before commitEnd", async function () {
    const { validation, helper, clock, roundId, committee, commitEnd } = await vHelpers.loadFixture(drawnFixture);
    await helper.commitScores(roundId, committee.slice(0, 3), [7000, 7000, 7000]);
    await clock.justBefore(commitEnd);
    await expect(helper.reveal(committee[0]!, roundId))
      .to.be.revertedWithCustomError(validation, "ValidationWrongPhase")
      .withArgs(roundId, Phase.Commit, Phase.Reveal);
    await expect(helper.commit(committee[3]!, roundId, 7000)).to.emit(validation, "ScoreCommitted");
    await clock.at(commitEnd);
    await expect(helper.commit(committee[4]!, roundId, 7000))
      .to.be.revertedWithCustomError(validation, "ValidationWrongPhase")
      .withArgs(roundId, Phase.Reveal, Phase.Commit);
    await expect(helper.reveal(committee[0]!, roundId)).to.emit(validation, "ScoreRevealed");
  });

  it("takes a reveal at revealEnd − 1 and refuses one at revealEnd; finalisation the other way round", async function () {
    const { validation, helper, clock, roundId, committee, revealEnd } = await vHelpers.loadFixture(drawnFixture);
    await helper.commitScores(roundId, committee, [7000, 7000, 7000, 7000, 7000]);
    await helper.reveal(committee[0]!, roundId);
    await helper.reveal(committee[1]!, roundId);
    await clock.justBefore(revealEnd);
    await expect(validation.finalizeRound(roundId))
      .to.be.revertedWithCustomError(validation, "ValidationWrongPhase")
      .withArgs(roundId, Phase.Reveal, Phase.Finalizable);
    await expect(helper.reveal(committee[2]!, roundId)).to.emit(validation, "ScoreRevealed");
    await clock.at(revealEnd);
    await expect(helper.reveal(committee[3]!, roundId))
      .to.be.revertedWithCustomError(validation, "ValidationWrongPhase")
      .withArgs(roundId, Phase.Finalizable, Phase.Reveal);
    await expect(validation.finalizeRound(roundId)).to.emit(validation, "RoundFinalized");
  });

  it("opens reveals as soon as everyone committed, and finalisation once every commitment is revealed", async function () {
    const { validation, helper, clock, roundId, committee, commitEnd, revealEnd } =
      await vHelpers.loadFixture(drawnFixture);
    // Four of five commit: reveals wait for commitEnd.
    await helper.commitScores(roundId, committee.slice(0, 4), [7000, 7100, 6900, 7000]);
    await clock.justBefore(commitEnd);
    await expect(helper.reveal(committee[0]!, roundId))
      .to.be.revertedWithCustomError(validation, "ValidationWrongPhase")
      .withArgs(roundId, Phase.Commit, Phase.Reveal);
    await clock.at(commitEnd);
    for (const member of committee.slice(0, 3)) await helper.reveal(member, roundId);
    expect(await validation.phaseOf(roundId)).to.equal(Phase.Reveal);
    // The fourth and last commitment revealed, long before revealEnd: nothing more can come, the round may close.
    await helper.reveal(committee[3]!, roundId);
    expect(BigInt(await vHelpers.time.latest())).to.be.lessThan(revealEnd - 1n);
    expect(await validation.phaseOf(roundId)).to.equal(Phase.Finalizable);
    await expect(validation.finalizeRound(roundId)).to.emit(validation, "RoundFinalized");
  });

  it("lets reveals start the second after the last commit, long before commitEnd", async function () {
    const { validation, helper, roundId, committee, commitEnd } = await vHelpers.loadFixture(drawnFixture);
    await helper.commitScores(roundId, committee, [7000, 7000, 7000, 7000, 7000]);
    await expect(helper.reveal(committee[0]!, roundId)).to.emit(validation, "ScoreRevealed");
    expect(BigInt(await vHelpers.time.latest())).to.be.lessThan(commitEnd - 1n);
  });

  it("charges the request fee for a round opened at nextFreeRoundAt − 1, not for one opened at nextFreeRoundAt", async function () {
    const { validation, helper, requester, listingId, token } = await vHelpers.loadFixture(deployValidationFixture);
    const clock = new Clock(vHelpers);
    const openedAt = await clock.next();
    const roundId = await helper.open(requester, listingId);
    const nextFree = openedAt + BigInt(VALIDATION.roundPeriod);
    expect((await validation.listingRounds(listingId))[1]).to.equal(nextFree);
    const committee = await helper.draw(roundId);
    await helper.commitScores(roundId, committee, [7000, 7000, 7000, 7000, 7000]);
    await helper.revealScores(roundId, committee);
    await validation.finalizeRound(roundId);
    const finalized = await vHelpers.takeSnapshot();
    await clock.justBefore(nextFree);
    const before = await token.balanceOf(requester.address);
    await expect(validation.connect(requester).openRound(listingId))
      .to.emit(validation, "RoundOpened")
      .withArgs(
        roundId + 1n,
        listingId,
        requester.address,
        VALIDATION.requestFee,
        anyValue,
        anyValue,
        5n,
        500n,
        1_000n,
        LISTING_PRICE,
      );
    expect(await token.balanceOf(requester.address)).to.equal(before - VALIDATION.requestFee);
    await finalized.restore();
    await clock.at(nextFree);
    await expect(validation.connect(requester).openRound(listingId))
      .to.emit(validation, "RoundOpened")
      .withArgs(roundId + 1n, listingId, requester.address, 0n, anyValue, anyValue, 5n, 500n, 1_000n, LISTING_PRICE);
    expect(await token.balanceOf(requester.address)).to.equal(before);
  });

  it("keeps a live round's penalty when governance changes it between the opening and the draw", async function () {
    const { validation, helper, requester, listingId, asTimelock } =
      await vHelpers.loadFixture(deployValidationFixture);
    const roundId = await helper.open(requester, listingId);
    const p = await validation.parameters();
    await validation.connect(asTimelock).setParameters({ ...validationParamsOf(p), penaltyBps: 3_000n });
    const committee = await helper.draw(roundId);
    const atRisk = (VALIDATOR_STAKE * BigInt(VALIDATION.penaltyBps)) / 10_000n;
    for (const member of committee) {
      expect((await validation.memberOf(roundId, member.address)).stakeAtRisk).to.equal(atRisk);
    }
    expect(atRisk).to.not.equal((VALIDATOR_STAKE * 3_000n) / 10_000n);
  });
});

/** Matches any value (an argument the test does not pin). */
function anyValue(): boolean {
  return true;
}
