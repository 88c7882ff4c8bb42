// Red team of issue 18's planted-error audits, played by a rogue canary operator and by a lazy validator who see all
// on-chain data. What held before this file: the lazy validator cannot unstake out of reach of the audit (its thaw
// ends past the deadline), and live rounds' locks are never slashed. What did not: an operator holding two
// commitments for the same canary audited one round twice (fixed: one audit per round), and, with hidden per-leaf
// commitments, held several candidate truths for one canary and picked after the reveals the one that slashed the
// honest members (the attack below passed on the old contract). Now the operator commits roots of a tree whose leaf
// position is the listing id, and only the root in force when the round opened can audit it: one truth per listing per
// round, fixed before the draw.
import { expect } from "chai";
import { canaryClaimDigest, canaryCommitment, canaryTree } from "@curia/protocol";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { getBytes, hexlify, id, parseEther, randomBytes } from "ethers";
import { deployValidationFixture, vHelpers, type ValidationFixture } from "../helpers/validation.js";

const PRICE = parseEther("0.1");
const LAZY_SCORE = 9_000;
const CANARY_QUALITY = 5_000;
/** A "truth" low enough that the honest committee's ~5,000 lies above its tolerance. */
const FRAMED = 1_000;

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

/**
 * A canary listing; `before(listingId)` runs (the operator's commitments) before its round opens; then the round is
 * played and finalized (lazy member: 9,000, the others ~5,000).
 */
async function canaryRound(f: Awaited<ReturnType<typeof setup>>, before: (listingId: bigint) => Promise<void>) {
  const bond = (await f.registry.parameters()).minBond;
  const p = f.canaryProvider;
  const args = [id("canary"), "ipfs://meta/canary", "https://canary.example/infer", PRICE, bond] as const;
  const listingId = await f.registry.connect(p).createListing.staticCall(...args);
  await (await f.registry.connect(p).createListing(...args)).wait();
  await f.helper.increaseTo((await f.registry.getListing(listingId)).activatesAt);
  await before(listingId);
  const roundId = await f.helper.open(f.requester, listingId);
  const committee = await f.helper.draw(roundId);
  for (const [i, m] of committee.entries()) {
    await f.helper.commit(m, roundId, m.address === f.lazy.address ? LAZY_SCORE : CANARY_QUALITY + i);
  }
  await f.helper.waitForReveal(roundId);
  await f.helper.revealScores(roundId, committee);
  await f.helper.waitForFinalize(roundId);
  await (await f.validation.finalizeRound(roundId)).wait();
  return { listingId, roundId, honest: committee.map((m) => m.address).filter((a) => a !== f.lazy.address) };
}

/** Commits one root with `truth` at its listing's position (decoys around it); returns the audit claim. */
async function commitRoot(f: Awaited<ReturnType<typeof setup>>, listingId: bigint, score: number) {
  const salt = hexlify(randomBytes(32));
  const leaf = canaryCommitment(listingId, score, salt);
  const leaves = new Map<bigint, string>([0n, 1n, 2n, 3n, 4n, 5n].map((d) => [d, hexlify(randomBytes(32))]));
  leaves.set(listingId, leaf);
  const tree = canaryTree(leaves);
  const epoch = await f.canary.rootCount();
  await (await f.canary.connect(f.operator).commitRoot(tree.root)).wait();
  return { leaf, tree, claim: { listingId, trueScoreBps: score, salt, epoch, proof: tree.proof(listingId) } };
}

describe("red team: canary audits", function () {
  it("ATTACK (fixed): an operator holding two truths for one canary cannot pick, after the reveals, the one that slashes the honest members", async function () {
    const f = await setup();
    let framed!: Awaited<ReturnType<typeof commitRoot>>;
    let real!: Awaited<ReturnType<typeof commitRoot>>;
    // Two roots before the round: the framing truth first, the real one last (either order: only the last counts).
    const { listingId, roundId, honest } = await canaryRound(f, async (listingId) => {
      framed = await commitRoot(f, listingId, FRAMED);
      real = await commitRoot(f, listingId, CANARY_QUALITY);
    });
    const before = await Promise.all(honest.map(async (a) => (await f.validatorPool.memberOf(a)).staked));
    const openedAt = (await f.validation.getRound(roundId)).openedAt;
    const [, realAt] = await f.canary.rootAt(real.claim.epoch);
    await expect(
      f.canary.connect(f.operator).audit(framed.claim, roundId, await claim(f, f.canaryProvider, framed.leaf)),
    )
      .to.be.revertedWithCustomError(f.canary, "CanaryRootSuperseded")
      .withArgs(framed.claim.epoch, realAt, openedAt);
    // Nor can one root carry the framing truth beside the real one: a second leaf for the listing has to sit at
    // another position, whose path is not the listing id's.
    const salt = hexlify(randomBytes(32));
    const second = canaryCommitment(listingId, FRAMED, salt);
    const both = canaryTree(
      new Map([
        [listingId, canaryCommitment(listingId, CANARY_QUALITY, salt)],
        [listingId ^ 1n, second],
      ]),
    );
    const forged = {
      listingId,
      trueScoreBps: FRAMED,
      salt,
      epoch: real.claim.epoch,
      proof: both.proof(listingId ^ 1n),
    };
    await expect(
      f.canary.connect(f.operator).audit(forged, roundId, await claim(f, f.canaryProvider, second)),
    ).to.be.revertedWithCustomError(f.canary, "CanaryBadProof");
    // The one truth it committed before the draw slashes the lazy member only.
    await expect(f.canary.connect(f.operator).audit(real.claim, roundId, await claim(f, f.canaryProvider, real.leaf)))
      .to.emit(f.canary, "ValidatorCaught")
      .withArgs(roundId, f.lazy.address, listingId, LAZY_SCORE, (v: bigint) => v > 0n);
    const after = await Promise.all(honest.map(async (a) => (await f.validatorPool.memberOf(a)).staked));
    for (const [i, b] of before.entries()) expect(after[i]!).to.equal(b);
  });

  it("the same leaf cannot audit the same round again (no double slash)", async function () {
    const f = await setup();
    let real!: Awaited<ReturnType<typeof commitRoot>>;
    const { roundId } = await canaryRound(f, async (listingId) => {
      real = await commitRoot(f, listingId, CANARY_QUALITY);
    });
    const signature = await claim(f, f.canaryProvider, real.leaf);
    await f.canary.connect(f.operator).audit(real.claim, roundId, signature);
    const stakeAfterFirst = (await f.validatorPool.memberOf(f.lazy.address)).staked;
    await expect(f.canary.connect(f.operator).audit(real.claim, roundId, signature))
      .to.be.revertedWithCustomError(f.canary, "CanaryRoundAlreadyAudited")
      .withArgs(roundId, real.leaf);
    expect((await f.validatorPool.memberOf(f.lazy.address)).staked).to.equal(stakeAfterFirst);
    expect(await f.canary.auditedBy(roundId)).to.equal(real.leaf);
  });
});
