// roundPhase against the live ValidationManager: at every transition of a round, at the last second of each phase and
// the first of the next, and at the early moves (to Reveal once every member committed, to Finalizable once every
// commitment is revealed), the rule and ValidationManager.phaseOf agree.
import { expect } from "chai";
import {
  RoundPhaseNames,
  affordableCalls,
  enumName,
  reimbursementPerSeat,
  roundPhase,
  scoreCommitment,
  type RoundPhaseName,
} from "../src/index.js";
import { systemFixture, type System } from "./helpers/system.js";

const SALT = `0x${"c3".repeat(32)}`;
const SCORE = 9_000;

async function expectPhase(s: System, roundId: bigint, expected: RoundPhaseName): Promise<void> {
  const round = await s.validationRound(roundId);
  const now = await s.now();
  const onChain = enumName(RoundPhaseNames, await s.phaseOf(roundId));
  expect({ rule: roundPhase(round, now), onChain }, `at ${now}`).to.deep.equal({ rule: expected, onChain: expected });
}

async function expectBoundary(
  s: System,
  roundId: bigint,
  deadline: bigint,
  before: RoundPhaseName,
  after: RoundPhaseName,
) {
  await s.mineAt(deadline - 1n);
  await expectPhase(s, roundId, before);
  await s.mineAt(deadline);
  await expectPhase(s, roundId, after);
}

/** Opens a round on a fresh listing and draws its committee (every registered validator). */
async function drawnRound(s: System, name: string) {
  const roundId = await s.openRound(await s.activeListing(name));
  await expectPhase(s, roundId, "Drawing");
  await s.waitForRandomness();
  await (await s.drawCommittee(roundId)).wait();
  const committee = await s.committee(roundId);
  expect(committee, "the fixed seed seats every validator once").to.have.length(5);
  return { roundId, committee };
}

describe("validation round phases (against the live ValidationManager)", function () {
  const fixture = systemFixture();

  it("None for a round that does not exist", async function () {
    const s = await fixture();
    const missing = (await s.validation.roundCount()) + 1n;
    expect(await s.phaseOf(missing)).to.equal(0);
    const none = { status: 0, seated: 0, committed: 0, revealed: 0, commitEnd: 0, revealEnd: 0 };
    expect(roundPhase(none, await s.now())).to.equal("None");
  });

  it("Drawing → Commit → Reveal → Finalizable → Finalized at the deadlines when some members stay away", async function () {
    const s = await fixture();
    const { roundId, committee } = await drawnRound(s, "phase-deadlines");
    await expectPhase(s, roundId, "Commit");
    const [absent, silent, ...active] = committee;
    expect(absent).to.not.equal(undefined);
    for (const member of [silent!, ...active]) {
      await (await s.commitScore(member, roundId, scoreCommitment(SCORE, SALT, member.address, roundId))).wait();
      await expectPhase(s, roundId, "Commit");
    }
    const { commitEnd, revealEnd } = await s.validationRound(roundId);
    await expectBoundary(s, roundId, BigInt(commitEnd), "Commit", "Reveal");
    for (const member of active) {
      await (await s.revealScore(member, roundId, SCORE, SALT)).wait();
      await expectPhase(s, roundId, "Reveal");
    }
    await expectBoundary(s, roundId, BigInt(revealEnd), "Reveal", "Finalizable");
    await (await s.finalizeRound(roundId)).wait();
    await expectPhase(s, roundId, "Finalized");
  });

  it("moves to Reveal as soon as every member committed, and to Finalizable as soon as every commitment is revealed", async function () {
    const s = await fixture();
    const { roundId, committee } = await drawnRound(s, "phase-early");
    const [last, ...others] = committee;
    for (const member of others) {
      await (await s.commitScore(member, roundId, scoreCommitment(SCORE, SALT, member.address, roundId))).wait();
    }
    await expectPhase(s, roundId, "Commit");
    await (await s.commitScore(last!, roundId, scoreCommitment(SCORE, SALT, last!.address, roundId))).wait();
    const { commitEnd, revealEnd } = await s.validationRound(roundId);
    expect(await s.now()).to.be.lessThan(commitEnd);
    await expectPhase(s, roundId, "Reveal");
    // Still Reveal across commitEnd: the reveal window runs to revealEnd.
    await expectBoundary(s, roundId, BigInt(commitEnd), "Reveal", "Reveal");
    for (const member of others) await (await s.revealScore(member, roundId, SCORE, SALT)).wait();
    await expectPhase(s, roundId, "Reveal");
    await (await s.revealScore(last!, roundId, SCORE, SALT)).wait();
    expect(await s.now()).to.be.lessThan(revealEnd);
    await expectPhase(s, roundId, "Finalizable");
  });

  it("goes from Commit straight to Finalizable at commitEnd when nobody committed", async function () {
    const s = await fixture();
    const { roundId } = await drawnRound(s, "phase-silent");
    const { commitEnd } = await s.validationRound(roundId);
    await expectBoundary(s, roundId, BigInt(commitEnd), "Commit", "Finalizable");
  });

  it("Cancelled when the listing is no longer Active at the draw", async function () {
    const s = await fixture();
    const listingId = await s.activeListing("phase-cancelled");
    const roundId = await s.openRound(listingId);
    await s.challenge(listingId);
    await s.waitForRandomness();
    await (await s.drawCommittee(roundId)).wait();
    await expectPhase(s, roundId, "Cancelled");
  });
});

describe("reimbursed calls per seat (ValidationManager._creditRewards' rule)", function () {
  const E = (n: string) => BigInt(Math.round(Number(n) * 1e6)) * 10n ** 12n;
  const terms = { reimbursedCalls: 200n, rewardPool: E("1000"), rewardShareBps: 1_000n, feePaid: 0n, honestSeats: 5n };

  it("pays reimbursedCalls at the round's price while the seats stay within the cap", function () {
    // 200 calls at 0.01 CUR = 2 CUR a seat, 10 of a 100 CUR cap (test/validation/reimbursement.test.ts: the same 2).
    expect(reimbursementPerSeat({ ...terms, pricePerCall: E("0.01") })).to.equal(E("2"));
  });

  it("cuts it to the cap shared by the seats: a pool share, and a requested round's fee", function () {
    // 200 calls at 2 CUR = 400 a seat, but the cap is 10 % of 1,000: 20 a seat.
    expect(reimbursementPerSeat({ ...terms, pricePerCall: E("2") })).to.equal(E("20"));
    // A requested round that paid 10 CUR pays 2 a seat, whatever the pool.
    expect(reimbursementPerSeat({ ...terms, pricePerCall: E("2"), feePaid: E("10") })).to.equal(E("2"));
    // A fee above the pool's share does not raise the cap.
    expect(reimbursementPerSeat({ ...terms, pricePerCall: E("2"), feePaid: E("500") })).to.equal(E("20"));
    expect(reimbursementPerSeat({ ...terms, pricePerCall: E("2"), rewardPool: 0n })).to.equal(0n);
  });

  it("counts the calls a budget still buys", function () {
    expect(affordableCalls(E("10"), 0n, E("0.5"))).to.equal(20);
    expect(affordableCalls(E("10"), E("9.9"), E("0.5"))).to.equal(0);
    expect(affordableCalls(E("10"), E("10"), E("0.5"))).to.equal(0);
    expect(affordableCalls(E("10"), 0n, 0n)).to.equal(Number.MAX_SAFE_INTEGER);
  });
});
