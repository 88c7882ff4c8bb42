// disputePeriod, roundRuling and the Court's costs against the live Court: at every transition of a dispute, at the
// last second of each period and the first of the next, the rule and Court.periodOf agree.
import { expect } from "chai";
import {
  PeriodNames,
  Ruling,
  appealCost,
  appealGoesToDao,
  appealSeats,
  arbitrationCost,
  disputePeriod,
  maxDisputeDuration,
  enumName,
  roundRuling,
  voteCommitment,
  type PeriodName,
} from "../src/index.js";
import { systemFixture, type System } from "./helpers/system.js";

const SALT = `0x${"5a".repeat(32)}`;

/** Checks that the rule and Court.periodOf agree now, and that both say `expected`. */
async function expectPeriod(s: System, disputeId: bigint, expected: PeriodName): Promise<void> {
  const dispute = await s.dispute(disputeId);
  const round = BigInt(dispute.rounds) === 0n ? undefined : await s.courtRound(disputeId);
  const now = await s.now();
  const onChain = enumName(PeriodNames, await s.periodOf(disputeId));
  expect({ rule: disputePeriod(dispute, round, now), onChain }, `at ${now}`).to.deep.equal({
    rule: expected,
    onChain: expected,
  });
}

/** Checks the last second before `deadline` (still `before`) and the deadline itself (`after`). */
async function expectBoundary(s: System, disputeId: bigint, deadline: bigint, before: PeriodName, after: PeriodName) {
  await s.mineAt(deadline - 1n);
  await expectPeriod(s, disputeId, before);
  await s.mineAt(deadline);
  await expectPeriod(s, disputeId, after);
}

/** Draws one juror at a time, checking the period while seats are left, until the round is full. */
async function drawAll(s: System, disputeId: bigint): Promise<void> {
  await s.waitForRandomness();
  for (;;) {
    const { seats, drawn } = await s.courtRound(disputeId);
    if (BigInt(drawn) >= BigInt(seats)) return;
    await expectPeriod(s, disputeId, "Drawing");
    await (await s.draw(disputeId, 1)).wait();
  }
}

/** Every seated juror commits `choice` (hashed by the protocol package), then reveals it once reveals open. */
async function voteAll(s: System, disputeId: bigint, choice: number): Promise<void> {
  const { index, commitEnd } = await s.courtRound(disputeId);
  const jury = await s.jury(disputeId);
  for (const juror of jury) {
    await (await s.commitVote(juror, disputeId, voteCommitment(choice, SALT, juror.address, disputeId, index))).wait();
  }
  // Every juror committed, and still the Court waits for commitEnd (unlike a validation round).
  await expectBoundary(s, disputeId, BigInt(commitEnd), "Commit", "Reveal");
  for (const juror of jury) await (await s.revealVote(juror, disputeId, choice, SALT)).wait();
}

describe("Court periods and costs (against the live Court)", function () {
  const fixture = systemFixture();

  it("None for a dispute that does not exist", async function () {
    const s = await fixture();
    const missing = (await s.court.disputeCount()) + 1n;
    expect(
      disputePeriod({ rounds: 0, toDao: false, executed: false, daoDeadline: 0 }, undefined, await s.now()),
    ).to.equal("None");
    expect(enumName(PeriodNames, await s.periodOf(missing))).to.equal("None");
  });

  it("Drawing → Commit → Reveal → Appeal → Executable → Executed, each switch at its deadline", async function () {
    const s = await fixture();
    const disputeId = await s.challenge(await s.activeListing("period-walk"));
    await expectPeriod(s, disputeId, "Drawing");
    await drawAll(s, disputeId);
    await expectPeriod(s, disputeId, "Commit");
    await voteAll(s, disputeId, Ruling.Challenger);
    const round = await s.courtRound(disputeId);
    await expectBoundary(s, disputeId, BigInt(round.revealEnd), "Reveal", "Appeal");
    await expectBoundary(s, disputeId, BigInt(round.appealEnd), "Appeal", "Executable");
    await (await s.executeRuling(disputeId)).wait();
    await expectPeriod(s, disputeId, "Executed");
  });

  it("an appeal opens a drawing round of 2n + 1 seats; the appeal of the last juror round goes to the DAO", async function () {
    const s = await fixture();
    const disputeId = await s.challenge(await s.activeListing("period-appeals"));
    const params = await s.court.parameters();
    await drawAll(s, disputeId);
    await voteAll(s, disputeId, Ruling.Challenger);
    const first = await s.courtRound(disputeId);
    await s.mineAt(BigInt(first.revealEnd));
    await expectPeriod(s, disputeId, "Appeal");

    // The round's ruling and the appeal's cost, as the contract reckons them.
    const { challengerVotes, defendantVotes } = await s.court.getRound(disputeId, first.index);
    expect(roundRuling({ challengerVotes, defendantVotes })).to.equal(Number(await s.court.currentRuling(disputeId)));
    expect(appealGoesToDao(params, (await s.dispute(disputeId)).rounds)).to.equal(false);
    const escrowBefore = (await s.court.getDispute(disputeId)).escrow;
    expect(appealCost(params, first.seats)).to.equal(await s.court.appealCost(disputeId));
    await (await s.appeal(disputeId)).wait();
    const second = await s.courtRound(disputeId);
    expect(BigInt(second.seats)).to.equal(BigInt(appealSeats(first.seats)));
    expect((await s.court.getDispute(disputeId)).escrow - escrowBefore).to.equal(appealCost(params, first.seats));
    await expectPeriod(s, disputeId, "Drawing");

    // Nobody votes in the second round: Commit and Reveal pass at their deadlines, the tie rules for the defendant.
    await drawAll(s, disputeId);
    await expectPeriod(s, disputeId, "Commit");
    const round = await s.courtRound(disputeId);
    await expectBoundary(s, disputeId, BigInt(round.commitEnd), "Commit", "Reveal");
    await expectBoundary(s, disputeId, BigInt(round.revealEnd), "Reveal", "Appeal");
    expect(roundRuling(await s.court.getRound(disputeId, round.index))).to.equal(Ruling.Defendant);
    expect(appealGoesToDao(params, (await s.dispute(disputeId)).rounds)).to.equal(true);
    await (await s.appeal(disputeId)).wait();
    await expectPeriod(s, disputeId, "DaoReview");
    // The DAO has until its review deadline; then the last juror ruling stands, executable by anyone.
    const { daoDeadline, createdAt } = await s.court.getDispute(disputeId);
    await expectBoundary(s, disputeId, daoDeadline, "DaoReview", "Executable");
    // Within the longest a dispute can last.
    expect(daoDeadline - createdAt <= maxDisputeDuration(params)).to.equal(true);
  });

  it("a challenge costs the bond plus the first round's fee per seat, as the court computes it", async function () {
    const s = await fixture();
    const listingId = await s.activeListing("arbitration-cost");
    const params = await s.court.parameters();
    expect(arbitrationCost(params)).to.equal(await s.court.arbitrationCost());
    const { minChallengeBond } = await s.challenges.parameters();
    expect(await s.challenges.challengeCost(minChallengeBond)).to.equal(minChallengeBond + arbitrationCost(params));
    const before = await s.token.balanceOf(s.challenger);
    await s.challenge(listingId);
    expect(before - (await s.token.balanceOf(s.challenger))).to.equal(minChallengeBond + arbitrationCost(params));
  });
});
