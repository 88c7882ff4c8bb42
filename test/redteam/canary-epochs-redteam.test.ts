// Red team of the canary audits' root-per-epoch design (a rogue operator, a validator reading every event), beyond
// canary-audits-redteam.test.ts. What holds (regressions below): a root committed in a block after the round opened
// never audits it (CanaryRootAfterRound), the one the operator slips into the round's own block after the open is in
// force but is still fixed before the draw and every commit; a claim for another listing id whose low 32 bits match
// (the same tree position) is refused by the round's listing check; the bounty reserve is out of reach of the stray
// sweep and of an over-large withdrawal. What leaked (ATTACK, fixed in the operator): every canary came from one
// provider key, and an audit names its listing; from the first audit on a validator read off every other canary as
// "the same provider's listings" and scored only those honestly. The attack still works against a shared key (kept as
// documentation); the operator service (validator/src/canary/operator.ts) now lists each canary from its own key
// derived from the master key, and the same attack finds nothing.
import { expect } from "chai";
import { canaryClaimDigest, canaryCommitment, canaryTree } from "@curia/protocol";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { Wallet, getBytes, hexlify, id, parseEther, randomBytes } from "ethers";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CANARY_PROVIDER_GAS, CanaryOperator } from "../../validator/src/canary/operator.js";
import { deployValidationFixture, vEthers, vHelpers } from "../helpers/validation.js";

const PRICE = parseEther("0.1");
const TRUTH = 5_000;

async function setup() {
  const f = await vHelpers.loadFixture(deployValidationFixture);
  await f.token.connect(f.deployer).transfer(await f.validation.getAddress(), parseEther("20000"));
  const operator = f.spares[9]!;
  await f.canary.connect(f.asTimelock).setOperator(operator.address);
  return { ...f, operator, canaryProvider: f.spares[8]! };
}
type F = Awaited<ReturnType<typeof setup>>;

async function listCanary(f: F, provider: HardhatEthersSigner, tag: string) {
  const bond = (await f.registry.parameters()).minBond;
  const args = [id(tag), `ipfs://meta/${tag}`, "https://canary.example/infer", PRICE, bond] as const;
  const listingId = await f.registry.connect(provider).createListing.staticCall(...args);
  await (await f.registry.connect(provider).createListing(...args)).wait();
  await f.helper.increaseTo((await f.registry.getListing(listingId)).activatesAt);
  return listingId;
}

function tree(listingId: bigint, score: number) {
  const salt = hexlify(randomBytes(32));
  const leaf = canaryCommitment(listingId, score, salt);
  const leaves = new Map<bigint, string>([0n, 1n, 2n, 3n].map((d) => [d, hexlify(randomBytes(32))]));
  leaves.set(listingId, leaf);
  const t = canaryTree(leaves);
  return { leaf, salt, root: t.root, proof: t.proof(listingId) };
}

async function sign(f: F, leaf: string) {
  return f.canaryProvider.signMessage(getBytes(canaryClaimDigest(await f.canary.getAddress(), 31_337n, leaf)));
}

/** Draws, commits ~TRUTH everywhere, reveals and finalizes `roundId`. */
async function playRound(f: F, roundId: bigint) {
  const committee = await f.helper.draw(roundId);
  await f.helper.commitScores(
    roundId,
    committee,
    committee.map((_, i) => TRUTH + i),
  );
  await f.helper.waitForReveal(roundId);
  await f.helper.revealScores(roundId, committee);
  await f.helper.waitForFinalize(roundId);
  await (await f.validation.finalizeRound(roundId)).wait();
}

describe("red team: canary epochs, reserve and anonymity", function () {
  afterEach(async function () {
    await vEthers.provider.send("evm_setAutomine", [true]);
  });

  it("a root slipped into the round's own block after its open is in force (still before the draw); one a block later never audits it", async function () {
    const f = await setup();
    const listingId = await listCanary(f, f.canaryProvider, "canary");
    const sameBlock = tree(listingId, TRUTH);
    const later = tree(listingId, 1_000);
    await vEthers.provider.send("evm_setAutomine", [false]);
    const open = await f.validation.connect(f.requester).openRound(listingId, { gasLimit: 2_000_000n });
    const commit = await f.canary.connect(f.operator).commitRoot(sameBlock.root, { gasLimit: 200_000n });
    await vEthers.provider.send("evm_mine", []);
    await vEthers.provider.send("evm_setAutomine", [true]);
    const [o, c] = await Promise.all([open.wait(), commit.wait()]);
    expect(o!.blockNumber).to.equal(c!.blockNumber);
    const roundId = await f.validation.roundCount();
    const openedAt = (await f.validation.getRound(roundId)).openedAt;
    const [, committedAt] = await f.canary.rootAt(0n);
    expect(committedAt).to.equal(openedAt, "the same timestamp: in force for the round");
    // The next block: the operator has seen the open (not yet the draw); this root cannot audit the round.
    await (await f.canary.connect(f.operator).commitRoot(later.root)).wait();
    await playRound(f, roundId);
    const laterClaim = { listingId, trueScoreBps: 1_000, salt: later.salt, epoch: 1n, proof: later.proof };
    await expect(f.canary.connect(f.operator).audit(laterClaim, roundId, await sign(f, later.leaf)))
      .to.be.revertedWithCustomError(f.canary, "CanaryRootAfterRound")
      .withArgs(1n, (v: bigint) => v > openedAt, openedAt);
    const claim = { listingId, trueScoreBps: TRUTH, salt: sameBlock.salt, epoch: 0n, proof: sameBlock.proof };
    await expect(f.canary.connect(f.operator).audit(claim, roundId, await sign(f, sameBlock.leaf))).to.emit(
      f.canary,
      "CanaryAudited",
    );
  });

  it("a listing id beyond the tree with the same low 32 bits cannot borrow the canary's position", async function () {
    const f = await setup();
    const listingId = await listCanary(f, f.canaryProvider, "canary");
    const alias = listingId + (1n << 32n);
    // The alias' leaf at the canary's position (the path only reads the low 32 bits).
    const t = tree(listingId, 1_000);
    const leaf = canaryCommitment(alias, 1_000, t.salt);
    const leaves = new Map<bigint, string>([[listingId, leaf]]);
    const aliasTree = canaryTree(leaves);
    await (await f.canary.connect(f.operator).commitRoot(aliasTree.root)).wait();
    const roundId = await f.helper.open(f.requester, listingId);
    await playRound(f, roundId);
    const claim = { listingId: alias, trueScoreBps: 1_000, salt: t.salt, epoch: 0n, proof: aliasTree.proof(listingId) };
    await expect(f.canary.connect(f.operator).audit(claim, roundId, await sign(f, leaf)))
      .to.be.revertedWithCustomError(f.canary, "CanaryWrongListing")
      .withArgs(roundId, listingId, alias);
  });

  it("the stray sweep and withdrawBounties leave the bounty reserve whole", async function () {
    const f = await setup();
    const canary = await f.canary.getAddress();
    const reserve = parseEther("100");
    await f.token.connect(f.deployer).approve(canary, reserve);
    await f.canary.connect(f.deployer).fundBounties(reserve);
    const stray = parseEther("7");
    await f.token.connect(f.deployer).transfer(canary, stray);
    const tokenAddress = await f.token.getAddress();
    await expect(f.canary.sweepStrayTokens(tokenAddress)).to.emit(f.canary, "StrayTokensSwept");
    expect(await f.token.balanceOf(canary)).to.equal(reserve);
    expect(await f.canary.bountyReserve()).to.equal(reserve);
    await expect(f.canary.sweepStrayTokens(tokenAddress))
      .to.be.revertedWithCustomError(f.canary, "NothingToSweep")
      .withArgs(tokenAddress, reserve, reserve);
    await expect(f.canary.connect(f.operator).withdrawBounties(1n))
      .to.be.revertedWithCustomError(f.canary, "GovernedOnlyTimelock")
      .withArgs(f.operator.address);
    await expect(f.canary.connect(f.asTimelock).withdrawBounties(reserve + 1n))
      .to.be.revertedWithCustomError(f.canary, "CanaryBountyReserveShort")
      .withArgs(reserve + 1n, reserve);
  });

  it("ATTACK (works against a shared key, which the operator no longer uses): after one audit a validator lists all the others", async function () {
    const f = await setup();
    const first = await listCanary(f, f.canaryProvider, "canary-1");
    const second = await listCanary(f, f.canaryProvider, "canary-2");
    const t = tree(first, TRUTH);
    await (await f.canary.connect(f.operator).commitRoot(t.root)).wait();
    const roundId = await f.helper.open(f.requester, first);
    await playRound(f, roundId);
    const claim = { listingId: first, trueScoreBps: TRUTH, salt: t.salt, epoch: 0n, proof: t.proof };
    await (await f.canary.connect(f.operator).audit(claim, roundId, await sign(f, t.leaf))).wait();
    // The validator: the audit's event names the listing, the listing names its provider, the provider's other
    // listings are the remaining canaries (the real listing of the fixture is not among them).
    const [audited] = await f.canary.queryFilter(f.canary.filters.CanaryAudited());
    const canaryKey = (await f.registry.getListing(audited!.args.listingId)).provider;
    const count = await f.registry.listingCount();
    const flagged: bigint[] = [];
    for (let l = 1n; l <= count; l++) {
      if ((await f.registry.getListing(l)).provider === canaryKey && l !== audited!.args.listingId) flagged.push(l);
    }
    expect(flagged).to.deep.equal([second]);
    expect(flagged).not.to.include(f.listingId);
  });

  it("DEFENCE: the operator service lists each canary from its own derived key; the same attack finds no other canary", async function () {
    const f = await setup();
    const dir = mkdtempSync(join(tmpdir(), "curia-canary-redteam-"));
    try {
      const masterKey = hexlify(randomBytes(32));
      const op = new CanaryOperator({
        operator: f.operator,
        canaryMasterKey: masterKey,
        chain: vEthers.provider,
        addresses: {
          canaryAudits: await f.canary.getAddress(),
          registry: await f.registry.getAddress(),
          validation: await f.validation.getAddress(),
          token: await f.token.getAddress(),
        },
        statePath: join(dir, "state.json"),
        chainId: 31_337n,
      });
      // The DAO funds the next derived addresses from sources of its choice (here the deployer), not the master key.
      const bond = (await f.registry.parameters()).minBond;
      for (const { address } of await op.providerAddresses(0, 2)) {
        await vHelpers.setBalance(address, CANARY_PROVIDER_GAS);
        await (await f.token.connect(f.deployer).transfer(address, bond)).wait();
      }
      const listed: bigint[] = [];
      for (const tag of ["canary-1", "canary-2"]) {
        listed.push(
          await op.listCanary({
            modelHash: id(tag),
            metadataURI: `ipfs://meta/${tag}`,
            endpoint: "https://canary.example/infer",
            price: PRICE,
            trueScoreBps: TRUTH,
            bond,
          }),
        );
      }
      const [first, second] = listed as [bigint, bigint];
      await f.helper.increaseTo((await f.registry.getListing(second)).activatesAt);
      await op.commitRoot();
      const roundId = await f.helper.open(f.requester, first);
      await playRound(f, roundId);
      const outcomes = await op.auditFinalized();
      expect(outcomes.map((o) => o.roundId)).to.deep.equal([roundId]);
      // The validator's attack, as above: the audited canary's provider has no other listing.
      const [audited] = await f.canary.queryFilter(f.canary.filters.CanaryAudited());
      expect(audited!.args.listingId).to.equal(first);
      const canaryKey = (await f.registry.getListing(first)).provider;
      const count = await f.registry.listingCount();
      const flagged: bigint[] = [];
      for (let l = 1n; l <= count; l++) {
        if ((await f.registry.getListing(l)).provider === canaryKey && l !== first) flagged.push(l);
      }
      expect(flagged).to.deep.equal([]);
      expect((await f.registry.getListing(second)).provider).not.to.equal(canaryKey);
      const master = new Wallet(masterKey).address;
      expect([canaryKey, (await f.registry.getListing(second)).provider]).not.to.include(master);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
