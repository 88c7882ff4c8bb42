// Red team of issue 18's planted-error audits, played by a rogue canary operator and by a lazy validator who see all
// on-chain data. What held before this file: the lazy validator cannot unstake out of reach of the audit (its thaw
// ends past the deadline), and live rounds' locks are never slashed. What did not: an operator holding two
// commitments for the same canary (two salts, or two candidate truths) audited one round twice and slashed the same
// scores twice, paying the catchers twice. One audit per round now: the second is refused. What stays trusted: the
// operator can still hold several hidden candidate truths for one canary and pick one after the reveals.
import { expect } from "chai";
import { canaryClaimDigest, canaryCommitment } from "@curia/protocol";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { getBytes, hexlify, id, parseEther, randomBytes } from "ethers";
import { deployValidationFixture, vHelpers, type ValidationFixture } from "../helpers/validation.js";

const PRICE = parseEther("0.1");
const LAZY_SCORE = 9_000;
const CANARY_QUALITY = 5_000;

async function setup() {
  const f = await vHelpers.loadFixture(deployValidationFixture);
  await f.token.connect(f.deployer).transfer(await f.validation.getAddress(), parseEther("20000"));
  const operator = f.spares[9]!;
  await f.canary.connect(f.asTimelock).setOperator(operator.address);
  return { ...f, operator, canaryProvider: f.spares[8]!, lazy: f.validators[4]! };
}

async function claim(f: ValidationFixture, provider: HardhatEthersSigner, commitment: string): Promise<string> {
  const digest = canaryClaimDigest(await f.canary.getAddress(), 31_337n, commitment);
  return provider.signMessage(getBytes(digest));
}

/** A canary listing, `commitments` committed before its round, then the round played and finalized (lazy: 9,000). */
async function canaryRound(f: Awaited<ReturnType<typeof setup>>, truths: { score: number; salt: string }[]) {
  const bond = (await f.registry.parameters()).minBond;
  const p = f.canaryProvider;
  const listingId = await f.registry
    .connect(p)
    .createListing.staticCall(id("canary"), "ipfs://meta/canary", "https://canary.example/infer", PRICE, bond);
  await (
    await f.registry
      .connect(p)
      .createListing(id("canary"), "ipfs://meta/canary", "https://canary.example/infer", PRICE, bond)
  ).wait();
  await f.helper.increaseTo((await f.registry.getListing(listingId)).activatesAt);
  await f.canary.connect(f.operator).commit(truths.map((t) => canaryCommitment(listingId, t.score, t.salt)));
  const roundId = await f.helper.open(f.requester, listingId);
  const committee = await f.helper.draw(roundId);
  for (const [i, m] of committee.entries()) {
    await f.helper.commit(m, roundId, m.address === f.lazy.address ? LAZY_SCORE : CANARY_QUALITY + i);
  }
  await f.helper.waitForReveal(roundId);
  await f.helper.revealScores(roundId, committee);
  await f.helper.waitForFinalize(roundId);
  await (await f.validation.finalizeRound(roundId)).wait();
  return { listingId, roundId };
}

describe("red team: canary audits", function () {
  it("a second commitment to the same canary cannot audit the same round again (no double slash)", async function () {
    const f = await setup();
    const first = { score: CANARY_QUALITY, salt: hexlify(randomBytes(32)) };
    const second = { score: CANARY_QUALITY, salt: hexlify(randomBytes(32)) };
    const { listingId, roundId } = await canaryRound(f, [first, second]);
    const c1 = canaryCommitment(listingId, first.score, first.salt);
    const c2 = canaryCommitment(listingId, second.score, second.salt);
    await f.canary
      .connect(f.operator)
      .audit(listingId, first.score, first.salt, roundId, await claim(f, f.canaryProvider, c1));
    const stakeAfterFirst = (await f.validatorPool.memberOf(f.lazy.address)).staked;
    await expect(
      f.canary
        .connect(f.operator)
        .audit(listingId, second.score, second.salt, roundId, await claim(f, f.canaryProvider, c2)),
    )
      .to.be.revertedWithCustomError(f.canary, "CanaryRoundAlreadyAudited")
      .withArgs(roundId, c1);
    expect((await f.validatorPool.memberOf(f.lazy.address)).staked).to.equal(stakeAfterFirst);
    expect(await f.canary.auditedBy(roundId)).to.equal(c1);
  });

  it("ATTACK: an operator holding two hidden truths for one canary picks, after the reveals, the one that slashes the honest members", async function () {
    const f = await setup();
    // Committed together, both pass for decoys; the honest committee reveals about 5,000 for the canary.
    const real = { score: CANARY_QUALITY, salt: hexlify(randomBytes(32)) };
    const framed = { score: 1_000, salt: hexlify(randomBytes(32)) };
    const { listingId, roundId } = await canaryRound(f, [real, framed]);
    const committee = await f.validation.committeeOf(roundId);
    const honest = committee.filter((a) => a !== f.lazy.address);
    const before = await Promise.all(honest.map(async (a) => (await f.validatorPool.memberOf(a)).staked));
    const c = canaryCommitment(listingId, framed.score, framed.salt);
    await f.canary
      .connect(f.operator)
      .audit(listingId, framed.score, framed.salt, roundId, await claim(f, f.canaryProvider, c));
    const after = await Promise.all(honest.map(async (a) => (await f.validatorPool.memberOf(a)).staked));
    // Every honest member lost stake to a truth chosen after their reveals.
    for (const [i, b] of before.entries()) expect(after[i]!).to.be.lessThan(b);
  });

  it("the operator is trusted for the truth: two hidden candidate truths for one canary let it choose after the reveals", async function () {
    const f = await setup();
    // Both pass for decoys when committed; after the reveals the operator picks the truth that spares the lazy member.
    const low = { score: CANARY_QUALITY, salt: hexlify(randomBytes(32)) };
    const high = { score: LAZY_SCORE, salt: hexlify(randomBytes(32)) };
    const { listingId, roundId } = await canaryRound(f, [low, high]);
    const c = canaryCommitment(listingId, high.score, high.salt);
    const stakeBefore = (await f.validatorPool.memberOf(f.lazy.address)).staked;
    await expect(
      f.canary
        .connect(f.operator)
        .audit(listingId, high.score, high.salt, roundId, await claim(f, f.canaryProvider, c)),
    ).not.to.emit(f.canary, "ValidatorCaught");
    expect((await f.validatorPool.memberOf(f.lazy.address)).staked).to.equal(stakeBefore);
    // What bounds it: one audit per round, and the DAO replaces an operator whose truths disagree with the listing.
    const c2 = canaryCommitment(listingId, low.score, low.salt);
    await expect(
      f.canary.connect(f.operator).audit(listingId, low.score, low.salt, roundId, await claim(f, f.canaryProvider, c2)),
    ).to.be.revertedWithCustomError(f.canary, "CanaryRoundAlreadyAudited");
  });
});
