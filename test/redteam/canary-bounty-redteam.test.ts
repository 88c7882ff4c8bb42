// Red team of the canary bounty reserve (issue 18). The operator knows which listings are canaries, so validators it
// runs score every canary at its truth without doing the work. ATTACK (the old rule, kept here as a budget large enough
// never to bind: the reserve paid `bountyPerSeat` on every catching seat until it was empty): with only its own seats
// on its canaries' rounds, nobody is ever caught and the operator's validators take the whole DAO-funded reserve in a
// few rounds. DEFENCE: a catching seat's bounty is paid first from the slashes of the members the canary caught, and
// the reserve only tops it up within a governed daily budget (0 by default: no reserve payouts), so the operator's
// seats take at most the budget per day; an honest catcher is still paid (slash share, then the top-up) and a lazy
// member still loses its slash.
import { expect } from "chai";
import { canaryClaimDigest, canaryCommitment, canaryTree } from "@curia/protocol";
import { encodeBytes32String, getBytes, hexlify, id, parseEther, randomBytes } from "ethers";
import { LOCAL_VALIDATION } from "../../deploy/validation-config.js";
import { deployValidationFixture, vHelpers } from "../helpers/validation.js";

const CANARY = LOCAL_VALIDATION.canary.params;
const PRICE = parseEther("0.1");
const TRUTH = 5_000;
const BOUNTY = parseEther("5");
const RESERVE = parseEther("100");
/** Above every reachable payout: the reserve is capped by nothing but itself, as before the budget existed. */
const UNCAPPED = parseEther("100000");

async function setup() {
  const f = await vHelpers.loadFixture(deployValidationFixture);
  await f.token.connect(f.deployer).transfer(await f.validation.getAddress(), parseEther("20000"));
  const operator = f.spares[9]!;
  await f.canary.connect(f.asTimelock).setOperator(operator.address);
  await f.canary.connect(f.asTimelock).setParameters({ ...CANARY, bountyPerSeat: BOUNTY });
  await f.token.connect(f.deployer).approve(await f.canary.getAddress(), RESERVE);
  await f.canary.connect(f.deployer).fundBounties(RESERVE);
  return { ...f, operator, canaryProvider: f.spares[8]! };
}
type F = Awaited<ReturnType<typeof setup>>;

/** The validators' wallets and stakes together. */
async function wealth(f: F): Promise<bigint> {
  let total = 0n;
  for (const v of f.validators) {
    const m = await f.validatorPool.memberOf(v.address);
    total += (await f.token.balanceOf(v.address)) + m.staked + m.thawing;
  }
  return total;
}

/**
 * Lists `count` canaries, commits one root over their truths, and plays one round on each: every member reveals
 * the truth (the operator's own validators know it) except `lazy`, which reveals 9,000 (a copier). Returns the audits
 * ready to send, all on the same day.
 */
async function canaryRounds(f: F, count: number, lazy?: string) {
  const bond = (await f.registry.parameters()).minBond;
  const canaries: { listingId: bigint; salt: string }[] = [];
  for (let i = 0; i < count; i++) {
    const tag = `canary-${i}-${hexlify(randomBytes(4))}`;
    const args = [id(tag), `ipfs://meta/${tag}`, "https://canary.example/infer", PRICE, bond] as const;
    const listingId = await f.registry.connect(f.canaryProvider).createListing.staticCall(...args);
    await (await f.registry.connect(f.canaryProvider).createListing(...args)).wait();
    await f.helper.increaseTo((await f.registry.getListing(listingId)).activatesAt);
    canaries.push({ listingId, salt: hexlify(randomBytes(32)) });
  }
  const leaves = new Map<bigint, string>(
    canaries.map((c) => [c.listingId, canaryCommitment(c.listingId, TRUTH, c.salt)]),
  );
  const tree = canaryTree(leaves);
  const epoch = await f.canary.rootCount();
  await (await f.canary.connect(f.operator).commitRoot(tree.root)).wait();
  const audits = [];
  for (const c of canaries) {
    const roundId = await f.helper.open(f.requester, c.listingId);
    const committee = await f.helper.draw(roundId);
    await f.helper.commitScores(
      roundId,
      committee,
      committee.map((m, i) => (m.address === lazy ? 9_000 : TRUTH + i)),
    );
    await f.helper.waitForReveal(roundId);
    await f.helper.revealScores(roundId, committee);
    await f.helper.waitForFinalize(roundId);
    await (await f.validation.finalizeRound(roundId)).wait();
    const leaf = leaves.get(c.listingId)!;
    const signature = await f.canaryProvider.signMessage(
      getBytes(canaryClaimDigest(await f.canary.getAddress(), 31_337n, leaf)),
    );
    const claim = { listingId: c.listingId, trueScoreBps: TRUTH, salt: c.salt, epoch, proof: tree.proof(c.listingId) };
    audits.push({ roundId, claim, signature, committee });
  }
  return audits;
}

/** Seats on a round's committee. */
async function seatsOf(f: F, roundId: bigint): Promise<bigint> {
  let seats = 0n;
  for (const v of await f.validation.committeeOf(roundId)) seats += (await f.validation.memberOf(roundId, v)).seats;
  return seats;
}

describe("red team: the canary bounty reserve against an operator that runs validators", function () {
  it("ATTACK (the old rule: no budget): the operator's own seats catch every canary and drain the reserve", async function () {
    const f = await setup();
    await f.canary.connect(f.asTimelock).setBountyBudget(UNCAPPED);
    const audits = await canaryRounds(f, 4);
    const before = await wealth(f);
    let seats = 0n;
    for (const a of audits) {
      seats += await seatsOf(f, a.roundId);
      await expect(f.canary.connect(f.operator).audit(a.claim, a.roundId, a.signature)).not.to.emit(
        f.canary,
        "ValidatorCaught",
      );
    }
    // Nobody did any work or was caught, and the DAO's grant is gone: 20 seats × 5 CUR.
    expect(seats * BOUNTY).to.be.greaterThanOrEqual(RESERVE);
    expect(await f.canary.bountyReserve()).to.equal(0n);
    expect((await wealth(f)) - before).to.equal(RESERVE);
  });

  it("DEFENCE: the reserve pays nothing by default, then at most the daily budget, however many canaries are audited", async function () {
    const f = await setup();
    // The default budget is 0: the same attack takes nothing from the reserve.
    expect(await f.canary.bountyBudget()).to.deep.equal([0n, 0n]);
    const first = await canaryRounds(f, 2);
    const before = await wealth(f);
    for (const a of first) {
      await expect(f.canary.connect(f.operator).audit(a.claim, a.roundId, a.signature))
        .to.emit(f.canary, "CanaryAudited")
        .withArgs(
          canaryCommitment(a.claim.listingId, TRUTH, a.claim.salt),
          a.roundId,
          a.claim.listingId,
          TRUTH,
          0n,
          await seatsOf(f, a.roundId),
          0n,
          0n,
          0n,
          0n,
        );
    }
    expect(await wealth(f)).to.equal(before);
    expect(await f.canary.bountyReserve()).to.equal(RESERVE);

    // With a 10 CUR budget, four audits on one day take 10 CUR in all: the first round's seats share it.
    const budget = parseEther("10");
    await expect(f.canary.connect(f.asTimelock).setBountyBudget(budget))
      .to.emit(f.canary, "BountyBudgetSet")
      .withArgs(0n, budget);
    const audits = await canaryRounds(f, 4);
    // Clear of midnight, so that the four audits fall on one day.
    if (BigInt(await vHelpers.time.latest()) % 86_400n > 86_000n) {
      await vHelpers.time.increaseTo((BigInt(await vHelpers.time.latest()) / 86_400n + 1n) * 86_400n);
    }
    const start = await wealth(f);
    const day = BigInt(await vHelpers.time.latest()) / 86_400n;
    for (const a of audits) await (await f.canary.connect(f.operator).audit(a.claim, a.roundId, a.signature)).wait();
    expect(BigInt(await vHelpers.time.latest()) / 86_400n, "all four audits on one day").to.equal(day);
    const taken = (await wealth(f)) - start;
    expect(taken).to.be.greaterThan(0n);
    expect(taken).to.be.lessThanOrEqual(budget);
    expect(await f.canary.bountyReserve()).to.equal(RESERVE - taken);
    const [perPeriod, left] = await f.canary.bountyBudget();
    expect(perPeriod).to.equal(budget);
    expect(left).to.equal(budget - taken);

    // The next day the budget is whole again (at most the reserve).
    await vHelpers.time.increaseTo((day + 1n) * 86_400n);
    expect((await f.canary.bountyBudget())[1]).to.equal(budget);
  });

  it("DEFENCE: the slashes of the caught pay the bounty first; the honest catcher is paid, the lazy member loses", async function () {
    const f = await setup();
    await f.canary.connect(f.asTimelock).setBountyBudget(UNCAPPED);
    const lazy = f.validators[4]!;
    // Rounds until the copier is drawn (a committee is drawn stake-weighted).
    let audit;
    for (let tries = 0; tries < 6 && audit === undefined; tries++) {
      const [a] = await canaryRounds(f, 1, lazy.address);
      if ((await f.validation.memberOf(a!.roundId, lazy.address)).revealed) audit = a;
    }
    expect(audit, "the copier was drawn").not.to.equal(undefined);
    const { roundId, claim, signature, committee } = audit!;
    const m = await f.validation.memberOf(roundId, lazy.address);
    const slash = (m.stakeAtRisk * BigInt(CANARY.canarySlashBps)) / 10_000n;
    const catchingSeats = (await seatsOf(f, roundId)) - m.seats;
    const share = (slash * BigInt(CANARY.catcherShareBps)) / 10_000n / catchingSeats;
    // The reserve adds only what the slash share leaves short of the bounty.
    const topUp = share >= BOUNTY ? 0n : BOUNTY - share;
    const honest = committee.find((v) => v.address !== lazy.address)!;
    const honestSeats = (await f.validation.memberOf(roundId, honest.address)).seats;
    const stakeBefore = (await f.validatorPool.memberOf(lazy.address)).staked;
    const honestBefore = await f.token.balanceOf(honest.address);
    await expect(f.canary.connect(f.operator).audit(claim, roundId, signature))
      .to.emit(f.canary, "CatcherPaid")
      .withArgs(roundId, honest.address, honestSeats, share * honestSeats, topUp * honestSeats);
    expect(share).to.be.greaterThan(0n);
    expect(await f.canary.bountyReserve()).to.equal(RESERVE - topUp * catchingSeats);
    expect((await f.token.balanceOf(honest.address)) - honestBefore).to.equal((share + topUp) * honestSeats);
    expect((await f.validatorPool.memberOf(lazy.address)).staked).to.equal(stakeBefore - slash);
  });

  it("lets only the timelock set the budget, within its bounds", async function () {
    const f = await setup();
    await expect(f.canary.connect(f.operator).setBountyBudget(1n))
      .to.be.revertedWithCustomError(f.canary, "GovernedOnlyTimelock")
      .withArgs(f.operator.address);
    await expect(f.canary.connect(f.asTimelock).setBountyBudget(UNCAPPED + 1n))
      .to.be.revertedWithCustomError(f.canary, "CanaryParameterOutOfBounds")
      .withArgs(encodeBytes32String("bountyBudget"), UNCAPPED + 1n, 0n, UNCAPPED);
  });
});
