// roundPhase against the live ValidationManager: at every transition of a round, at the last second of each phase and
// the first of the next, and at the early moves (to Reveal once every member committed, to Finalizable once every
// commitment is revealed), the rule and ValidationManager.phaseOf agree.
import { expect } from "chai";
import { RoundPhaseNames, enumName, roundPhase, scoreCommitment, type RoundPhaseName } from "../src/index.js";
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
