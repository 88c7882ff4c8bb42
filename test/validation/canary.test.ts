// Planted errors (issue 18): a validator that reveals the score it predicts an honest committee will find, without
// buying a single sample, out-earns an honest one when nothing checks it; canary listings whose true score the
// operator committed to beforehand make it lose money while honest validators still gain. Then every bad audit reverts.
import { expect } from "chai";
import { canaryClaimDigest, canaryCommitment, canaryTree } from "@curia/protocol";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { encodeBytes32String, formatEther, getBytes, hexlify, id, parseEther, randomBytes, ZeroHash } from "ethers";
import {
  deployValidationFixture,
  VALIDATION,
  VALIDATOR_POOL,
  vEthers,
  vHelpers,
  type ValidationFixture,
} from "../helpers/validation.js";
import { LOCAL_VALIDATION } from "../../deploy/validation-config.js";

const CANARY = LOCAL_VALIDATION.canary.params;
/** Cheap listings: the honest validator's samples cost reimbursedCalls × price = 20 CUR a round. */
const PRICE = parseEther("0.1");
const CALL_COST = PRICE * BigInt(VALIDATION.reimbursedCalls);
/** What an honest committee finds on an ordinary listing, and what the lazy validator therefore predicts. */
const LISTED_QUALITY = 9_000;
/** The canary's degraded model, as the operator measured it. */
const CANARY_QUALITY = 5_000;
const ROUNDS = 10;
/** One listing in ten is a canary (round index 4: the slash lands mid-run, later draws see the changed stakes). */
const CANARY_ROUND = 4;

interface Setup extends ValidationFixture {
  operator: HardhatEthersSigner;
  honest: HardhatEthersSigner[];
  lazy: HardhatEthersSigner;
}

async function setup(): Promise<Setup> {
  const f = await vHelpers.loadFixture(deployValidationFixture);
  // A reward pool deep enough that no round's cap binds: every honest seat is reimbursed in full.
  await f.token.connect(f.deployer).transfer(await f.validation.getAddress(), parseEther("20000"));
  const operator = f.spares[9]!;
  await f.canary.connect(f.asTimelock).setOperator(operator.address);
  return { ...f, operator, honest: f.validators.slice(0, 4), lazy: f.validators[4]! };
}

/** Lists a model at {@link PRICE} from `provider` and waits out its application period. */
async function list(f: Setup, provider: HardhatEthersSigner, name: string): Promise<bigint> {
  const bond = (await f.registry.parameters()).minBond;
  const listingId = await f.registry
    .connect(provider)
    .createListing.staticCall(id(name), `ipfs://meta/${name}`, `https://${name}.example/infer`, PRICE, bond);
  await (
    await f.registry
      .connect(provider)
      .createListing(id(name), `ipfs://meta/${name}`, `https://${name}.example/infer`, PRICE, bond)
  ).wait();
  await f.helper.increaseTo((await f.registry.getListing(listingId)).activatesAt);
  return listingId;
}

/** The canary provider's signature of the claim for `commitment` (the operator holds the provider's key). */
async function claim(f: Setup, provider: HardhatEthersSigner, commitment: string): Promise<string> {
  const digest = canaryClaimDigest(await f.canary.getAddress(), 31_337n, commitment);
  return provider.signMessage(getBytes(digest));
}

/** A canary's truth as the operator commits it. */
interface Truth {
  listingId: bigint;
  score: number;
  salt: string;
}

/**
 * Commits one root over `truths` and decoys for the listings around them (a root hides which listings are
 * canaries). Returns each truth's audit claim.
 */
async function commitTruths(f: Setup, truths: Truth[], { decoys = [0n, 1n, 2n, 3n] } = {}) {
  const leaves = new Map<bigint, string>(decoys.map((d) => [d, hexlify(randomBytes(32))]));
  for (const t of truths) leaves.set(t.listingId, canaryCommitment(t.listingId, t.score, t.salt));
  const tree = canaryTree(leaves);
  const epoch = await f.canary.rootCount();
  const receipt = await (await f.canary.connect(f.operator).commitRoot(tree.root)).wait();
  const claims = truths.map((t) => ({
    listingId: t.listingId,
    trueScoreBps: t.score,
    salt: t.salt,
    epoch,
    proof: tree.proof(t.listingId),
  }));
  return { tree, epoch, claims, gas: receipt?.gasUsed ?? 0n };
}

/** A member's wealth in CUR: wallet, stake (staked + thawing) and credited rewards. */
async function wealth(f: Setup, v: HardhatEthersSigner): Promise<bigint> {
  const m = await f.validatorPool.memberOf(v.address);
  return (await f.token.balanceOf(v.address)) + m.staked + m.thawing + (await f.validation.rewardsOf(v.address));
}

/** The honest score of member `i` in round `r` on a listing of quality `q`: the truth plus a little sampling noise. */
function honestScore(q: number, i: number, r: number): number {
  return q - 30 + ((i * 17 + r * 31) % 60);
}

/**
 * Plays {@link ROUNDS} rounds, one per listing, where validators 0-3 score honestly (and pay for their samples) and
 * validator 4 reveals {@link LISTED_QUALITY} without querying. With `canaries`, listing {@link CANARY_ROUND} is a
 * canary committed (among decoys) before its round and audited after. Returns each validator's gain in CUR.
 */
async function play(f: Setup, canaries: boolean): Promise<{ honest: bigint[]; lazy: bigint; auditGas?: bigint }> {
  const everyone = [...f.honest, f.lazy];
  const before = await Promise.all(everyone.map((v) => wealth(f, v)));
  let auditGas: bigint | undefined;
  for (let r = 0; r < ROUNDS; r++) {
    const isCanary = canaries && r === CANARY_ROUND;
    // Canaries come from fresh addresses with ordinary bonds, like any provider's listing.
    const provider = isCanary ? f.spares[8]! : f.provider;
    const listingId = await list(f, provider, `model-${r}`);
    const truth = isCanary ? CANARY_QUALITY : LISTED_QUALITY;
    const salt = hexlify(randomBytes(32));
    const committed = isCanary ? await commitTruths(f, [{ listingId, score: truth, salt }]) : undefined;
    const roundId = await f.helper.open(f.requester, listingId);
    const committee = await f.helper.draw(roundId);
    for (const [i, member] of committee.entries()) {
      if (member.address === f.lazy.address) {
        await f.helper.commit(member, roundId, LISTED_QUALITY);
      } else {
        // The honest validator buys its samples from the listing (what the round reimburses).
        await (await f.token.connect(member).transfer(provider.address, CALL_COST)).wait();
        await f.helper.commit(member, roundId, honestScore(truth, i, r));
      }
    }
    await f.helper.waitForReveal(roundId);
    await f.helper.revealScores(roundId, committee);
    await f.helper.waitForFinalize(roundId);
    await (await f.validation.finalizeRound(roundId)).wait();
    if (committed !== undefined) {
      const receipt = await (
        await f.canary
          .connect(f.operator)
          .audit(committed.claims[0]!, roundId, await claim(f, provider, canaryCommitment(listingId, truth, salt)))
      ).wait();
      auditGas = receipt?.gasUsed;
    }
  }
  const after = await Promise.all(everyone.map((v) => wealth(f, v)));
  const gains = after.map((a, i) => a - before[i]!);
  return { honest: gains.slice(0, 4), lazy: gains[4]!, auditGas };
}

/** A finalized round on a canary committed before it opened, the lazy validator scoring it as good. */
async function canaryRound(f: Setup, { unstakeAfterCommit = false } = {}) {
  const listingId = await list(f, f.spares[8]!, "canary");
  const salt = hexlify(randomBytes(32));
  const commitment = canaryCommitment(listingId, CANARY_QUALITY, salt);
  const committed = await commitTruths(f, [{ listingId, score: CANARY_QUALITY, salt }]);
  const auditClaim = committed.claims[0]!;
  const roundId = await f.helper.open(f.requester, listingId);
  const committee = await f.helper.draw(roundId);
  for (const [i, member] of committee.entries()) {
    await f.helper.commit(member, roundId, member.address === f.lazy.address ? LISTED_QUALITY : CANARY_QUALITY + i);
  }
  if (unstakeAfterCommit) {
    const m = await f.validatorPool.memberOf(f.lazy.address);
    await f.validatorPool.connect(f.lazy).requestUnstake(m.staked);
  }
  await f.helper.waitForReveal(roundId);
  await f.helper.revealScores(roundId, committee);
  await f.helper.waitForFinalize(roundId);
  await (await f.validation.finalizeRound(roundId)).wait();
  const signature = await claim(f, f.spares[8]!, commitment);
  return {
    listingId,
    salt,
    commitment,
    roundId,
    committee,
    signature,
    auditClaim,
    tree: committed.tree,
    epoch: committed.epoch,
    commitGas: committed.gas,
  };
}

describe("CanaryAudits: planted errors", function () {
  describe("the predict-honest validator", function () {
    it("out-earns honest validators when nothing audits it (the attack)", async function () {
      const f = await setup();
      const { honest, lazy } = await play(f, false);
      console.log(
        `      no canaries: honest ${honest.map((g) => formatEther(g)).join(", ")} CUR; lazy ${formatEther(lazy)} CUR`,
      );
      for (const gain of honest) expect(gain).to.be.greaterThan(0n);
      // It is paid the same rewards and reimbursements without buying a sample.
      for (const gain of honest) expect(lazy - gain).to.equal(CALL_COST * BigInt(ROUNDS));
    });

    it("loses money once one listing in ten is a canary, while every honest validator still gains", async function () {
      const f = await setup();
      const { honest, lazy, auditGas } = await play(f, true);
      console.log(
        `      1 in 10 canaries: honest ${honest.map((g) => formatEther(g)).join(", ")} CUR; lazy ${formatEther(lazy)} CUR`,
      );
      expect(lazy).to.be.lessThan(0n);
      for (const gain of honest) expect(gain).to.be.greaterThan(0n);
      console.log(`      audit gas (5 seats, 1 caught, 4 paid): ${auditGas}`);
      expect(auditGas).to.be.lessThan(400_000n);
    });
  });

  describe("an audit", function () {
    it("takes a leaf and path under the root in force when the round opened, and only that root", async function () {
      const f = await setup();
      const { auditClaim, roundId, signature, tree, epoch } = await canaryRound(f);
      // A root committed after the round opened cannot audit it, even with the same leaf (the truth chosen late).
      await (await f.canary.connect(f.operator).commitRoot(tree.root)).wait();
      const [, lateAt] = await f.canary.rootAt(epoch + 1n);
      const openedAt = (await f.validation.getRound(roundId)).openedAt;
      await expect(f.canary.connect(f.operator).audit({ ...auditClaim, epoch: epoch + 1n }, roundId, signature))
        .to.be.revertedWithCustomError(f.canary, "CanaryRootAfterRound")
        .withArgs(epoch + 1n, lateAt, openedAt);
      await expect(f.canary.connect(f.operator).audit({ ...auditClaim, epoch: epoch + 2n }, roundId, signature))
        .to.be.revertedWithCustomError(f.canary, "CanaryUnknownEpoch")
        .withArgs(epoch + 2n);
      // A path one level short, or with a sibling changed, is not the leaf's.
      await expect(
        f.canary.connect(f.operator).audit({ ...auditClaim, proof: auditClaim.proof.slice(1) }, roundId, signature),
      ).to.be.revertedWithCustomError(f.canary, "CanaryBadProof");
      const forged: string[] = [...auditClaim.proof];
      forged[0] = hexlify(randomBytes(32));
      await expect(
        f.canary.connect(f.operator).audit({ ...auditClaim, proof: forged }, roundId, signature),
      ).to.be.revertedWithCustomError(f.canary, "CanaryBadProof");
      await f.canary.connect(f.operator).audit(auditClaim, roundId, signature);

      // A round opened after a newer root: the older root is superseded for it (by the late root above).
      const second = await canaryRound(f);
      const [, supersededAt] = await f.canary.rootAt(epoch + 1n);
      const secondOpenedAt = (await f.validation.getRound(second.roundId)).openedAt;
      await expect(
        f.canary.connect(f.operator).audit({ ...second.auditClaim, epoch }, second.roundId, second.signature),
      )
        .to.be.revertedWithCustomError(f.canary, "CanaryRootSuperseded")
        .withArgs(epoch, supersededAt, secondOpenedAt);
    });

    it("slashes the member above tolerance, pays the catchers per seat and the rest to the reward pool", async function () {
      const f = await setup();
      const { listingId, auditClaim, salt, roundId, committee, commitment, commitGas, signature } =
        await canaryRound(f);
      console.log(`      commitRoot gas: ${commitGas}`);
      const atRisk = (await f.validation.memberOf(roundId, f.lazy.address)).stakeAtRisk;
      const slash = (atRisk * BigInt(CANARY.canarySlashBps)) / 10_000n;
      const catchers = committee.filter((m) => m.address !== f.lazy.address);
      const perSeat = (slash * BigInt(CANARY.catcherShareBps)) / 10_000n / BigInt(catchers.length);
      const stakeBefore = (await f.validatorPool.memberOf(f.lazy.address)).staked;
      const poolBefore = await f.token.balanceOf(await f.validation.getAddress());
      const tx = f.canary.connect(f.operator).audit(auditClaim, roundId, signature);
      await expect(tx)
        .to.emit(f.canary, "ValidatorCaught")
        .withArgs(roundId, f.lazy.address, listingId, LISTED_QUALITY, slash);
      await expect(tx)
        .to.emit(f.canary, "CanaryAudited")
        .withArgs(
          commitment,
          roundId,
          listingId,
          CANARY_QUALITY,
          1n,
          BigInt(catchers.length),
          slash,
          perSeat * BigInt(catchers.length),
          slash - perSeat * BigInt(catchers.length),
          0n,
        );
      await expect(tx).to.emit(f.validatorPool, "StakeAuditSlashed");
      expect((await f.validatorPool.memberOf(f.lazy.address)).staked).to.equal(stakeBefore - slash);
      expect(await f.token.balanceOf(await f.validation.getAddress())).to.equal(
        poolBefore + slash - perSeat * BigInt(catchers.length),
      );
      expect(await f.canary.auditedBy(roundId)).to.equal(commitment);
      // The pool's books still balance: its CUR covers every stake.
      const [stakes] = await f.validatorPool.totalOwed();
      expect(await f.token.balanceOf(await f.validatorPool.getAddress())).to.be.greaterThanOrEqual(stakes);
    });

    it("tops each catching seat's slash share up to the governed bounty out of its (treasury-funded) reserve", async function () {
      const f = await setup();
      // The reserve pays only within a daily budget (0 by default): see test/redteam/canary-bounty-redteam.test.ts.
      await f.canary.connect(f.asTimelock).setBountyBudget(parseEther("100"));
      await f.token.connect(f.deployer).approve(await f.canary.getAddress(), parseEther("100"));
      await expect(f.canary.connect(f.deployer).fundBounties(parseEther("100")))
        .to.emit(f.canary, "BountiesFunded")
        .withArgs(f.deployer.address, parseEther("100"));
      const { auditClaim, roundId, committee, signature } = await canaryRound(f);
      const honest = committee.find((m) => m.address !== f.lazy.address)!;
      const atRisk = (await f.validation.memberOf(roundId, f.lazy.address)).stakeAtRisk;
      const perSeat =
        (((atRisk * BigInt(CANARY.canarySlashBps)) / 10_000n) * BigInt(CANARY.catcherShareBps)) / 10_000n / 4n;
      // A bounty 5 CUR above what the slash pays a seat.
      const bounty = perSeat + parseEther("5");
      await f.canary.connect(f.asTimelock).setParameters({ ...CANARY, bountyPerSeat: bounty });
      // The slashes pay first: the reserve adds what the slash share leaves short of the bounty.
      expect(perSeat).to.be.greaterThan(0n);
      const topUp = bounty - perSeat;
      await expect(f.canary.connect(f.operator).audit(auditClaim, roundId, signature))
        .to.emit(f.canary, "CatcherPaid")
        .withArgs(roundId, honest.address, 1n, perSeat, topUp);
      expect(await f.token.balanceOf(await f.canary.getAddress())).to.equal(parseEther("100") - topUp * 4n);
      expect(await f.canary.bountyReserve()).to.equal(parseEther("100") - topUp * 4n);
      expect((await f.canary.bountyBudget())[1]).to.equal(parseEther("100") - topUp * 4n);
    });

    it("sweeps stray tokens and CUR beyond the bounty reserve to the treasury; the timelock takes leftover bounties back", async function () {
      const f = await setup();
      const canary = await f.canary.getAddress();
      const cur = await f.token.getAddress();
      const treasury = await f.canary.timelock();
      await f.token.connect(f.deployer).approve(canary, parseEther("50"));
      await f.canary.connect(f.deployer).fundBounties(parseEther("50"));
      await expect(f.canary.connect(f.outsider).sweepStrayTokens(cur))
        .to.be.revertedWithCustomError(f.canary, "NothingToSweep")
        .withArgs(cur, parseEther("50"), parseEther("50"));
      // A plain transfer (a mistake, or a grant sent without fundBounties) is stray; the reserve never moves.
      await (await f.token.connect(f.deployer).transfer(canary, parseEther("7"))).wait();
      const before = await f.token.balanceOf(treasury);
      await expect(f.canary.connect(f.outsider).sweepStrayTokens(cur))
        .to.emit(f.canary, "StrayTokensSwept")
        .withArgs(cur, treasury, parseEther("7"));
      expect(await f.token.balanceOf(treasury)).to.equal(before + parseEther("7"));
      expect(await f.token.balanceOf(canary)).to.equal(parseEther("50"));
      // Another token is all stray.
      const other = await (await vEthers.getContractFactory("ReferenceToken")).deploy(f.deployer.address, 10n);
      await (await other.connect(f.deployer).transfer(canary, 10n)).wait();
      await expect(f.canary.connect(f.outsider).sweepStrayTokens(await other.getAddress()))
        .to.emit(f.canary, "StrayTokensSwept")
        .withArgs(await other.getAddress(), treasury, 10n);
      // Leftover bounty money: only the timelock, at most the reserve.
      await expect(f.canary.connect(f.outsider).withdrawBounties(1n))
        .to.be.revertedWithCustomError(f.canary, "GovernedOnlyTimelock")
        .withArgs(f.outsider.address);
      await expect(f.canary.connect(f.asTimelock).withdrawBounties(parseEther("51")))
        .to.be.revertedWithCustomError(f.canary, "CanaryBountyReserveShort")
        .withArgs(parseEther("51"), parseEther("50"));
      await expect(f.canary.connect(f.asTimelock).withdrawBounties(parseEther("50")))
        .to.emit(f.canary, "BountiesWithdrawn")
        .withArgs(parseEther("50"));
      expect(await f.canary.bountyReserve()).to.equal(0n);
      expect(await f.token.balanceOf(canary)).to.equal(0n);
    });

    it("still finds a lazy validator that unstaked everything right after committing (the escape fails)", async function () {
      const f = await setup();
      const { listingId, auditClaim, salt, roundId, signature } = await canaryRound(f, { unstakeAfterCommit: true });
      const deadline = await f.canary.auditDeadline(roundId);
      // Its stake thaws until a thawing period after the request, which came after the round opened: past the deadline.
      await f.helper.increaseTo(deadline - 1n);
      await expect(f.validatorPool.connect(f.lazy).withdraw()).to.be.revertedWithCustomError(
        f.validatorPool,
        "StakePoolNothingToWithdraw",
      );
      const thawingBefore = (await f.validatorPool.memberOf(f.lazy.address)).thawing;
      const atRisk = (await f.validation.memberOf(roundId, f.lazy.address)).stakeAtRisk;
      await f.canary.connect(f.operator).audit(auditClaim, roundId, signature);
      expect((await f.validatorPool.memberOf(f.lazy.address)).thawing).to.equal(
        thawingBefore - (atRisk * BigInt(CANARY.canarySlashBps)) / 10_000n,
      );
      expect(BigInt(CANARY.auditWindow)).to.be.lessThanOrEqual(BigInt(VALIDATOR_POOL.thawingPeriod));
    });
  });

  describe("bad inputs", function () {
    it("rejects a wrong salt or score, an unfinalized round, another listing's round, a double or late audit, and anyone but the operator", async function () {
      const f = await setup();
      const { listingId, auditClaim, salt, roundId, commitment, signature } = await canaryRound(f);
      const wrong = hexlify(randomBytes(32));
      const epoch = auditClaim.epoch;
      await expect(f.canary.connect(f.operator).audit({ ...auditClaim, salt: wrong }, roundId, signature))
        .to.be.revertedWithCustomError(f.canary, "CanaryBadProof")
        .withArgs(canaryCommitment(listingId, CANARY_QUALITY, wrong), epoch);
      await expect(
        f.canary.connect(f.operator).audit({ ...auditClaim, trueScoreBps: CANARY_QUALITY + 1 }, roundId, signature),
      )
        .to.be.revertedWithCustomError(f.canary, "CanaryBadProof")
        .withArgs(canaryCommitment(listingId, CANARY_QUALITY + 1, salt), epoch);
      await expect(f.canary.connect(f.operator).audit({ ...auditClaim, trueScoreBps: 10_001 }, roundId, signature))
        .to.be.revertedWithCustomError(f.canary, "CanaryInvalidScore")
        .withArgs(10_001n);
      await expect(f.canary.connect(f.outsider).audit(auditClaim, roundId, signature))
        .to.be.revertedWithCustomError(f.canary, "CanaryOnlyOperator")
        .withArgs(f.outsider.address);
      await expect(f.canary.connect(f.outsider).commitRoot(wrong))
        .to.be.revertedWithCustomError(f.canary, "CanaryOnlyOperator")
        .withArgs(f.outsider.address);

      // A round of the fixture's listing, committed to as if it were the canary's: another listing.
      const other = await f.helper.open(f.requester, f.listingId);
      await expect(f.canary.connect(f.operator).audit(auditClaim, other, signature))
        .to.be.revertedWithCustomError(f.canary, "CanaryRoundNotFinalized")
        .withArgs(other, 1n);
      await expect(f.canary.connect(f.operator).audit(auditClaim, 999n, signature))
        .to.be.revertedWithCustomError(f.canary, "CanaryRoundNotFinalized")
        .withArgs(999n, 0n);
      const committee = await f.helper.draw(other);
      await f.helper.commitScores(other, committee, [9000, 9000, 9000, 9000, 9000]);
      await f.helper.waitForReveal(other);
      await f.helper.revealScores(other, committee);
      await f.helper.waitForFinalize(other);
      await f.validation.finalizeRound(other);
      await expect(f.canary.connect(f.operator).audit(auditClaim, other, signature))
        .to.be.revertedWithCustomError(f.canary, "CanaryWrongListing")
        .withArgs(other, f.listingId, listingId);

      await f.canary.connect(f.operator).audit(auditClaim, roundId, signature);
      await expect(f.canary.connect(f.operator).audit(auditClaim, roundId, signature))
        .to.be.revertedWithCustomError(f.canary, "CanaryRoundAlreadyAudited")
        .withArgs(roundId, commitment);
    });

    it("refuses to audit a real provider's listing: the operator cannot make up a truth to slash honest validators", async function () {
      const f = await setup();
      // A rogue operator commits a low "truth" for the fixture's real listing before its round...
      const salt = hexlify(randomBytes(32));
      const commitment = canaryCommitment(f.listingId, 1_000, salt);
      const { claims } = await commitTruths(f, [{ listingId: f.listingId, score: 1_000, salt }]);
      const { roundId } = await f.helper.runRound(f.requester, f.listingId, [9000, 9000, 9000, 9000, 9000]);
      await f.validation.finalizeRound(roundId);
      // ...but cannot sign for the listing's provider: its own signature, or a canary provider's, is refused.
      for (const signer of [f.operator, f.spares[8]!]) {
        await expect(f.canary.connect(f.operator).audit(claims[0]!, roundId, await claim(f, signer, commitment)))
          .to.be.revertedWithCustomError(f.canary, "CanaryNotProviderSigned")
          .withArgs(f.listingId, f.provider.address);
      }
    });

    it("rejects an audit after the deadline and a root committed after the round opened", async function () {
      const f = await setup();
      const { auditClaim, roundId, signature } = await canaryRound(f);
      const deadline = await f.canary.auditDeadline(roundId);
      expect(deadline).to.equal((await f.validation.getRound(roundId)).openedAt + BigInt(CANARY.auditWindow));
      await vHelpers.time.setNextBlockTimestamp(deadline + 1n);
      await expect(f.canary.connect(f.operator).audit(auditClaim, roundId, signature))
        .to.be.revertedWithCustomError(f.canary, "CanaryAuditTooLate")
        .withArgs(roundId, deadline, deadline + 1n);

      // The operator cannot pick the truth after seeing the scores: a later root does not audit the round.
      const { listingId: late, roundId: lateRound } = await canaryRound(f);
      const lateSalt = hexlify(randomBytes(32));
      const { claims } = await commitTruths(f, [{ listingId: late, score: 9_999, salt: lateSalt }]);
      await expect(f.canary.connect(f.operator).audit(claims[0]!, lateRound, signature)).to.be.revertedWithCustomError(
        f.canary,
        "CanaryRootAfterRound",
      );
    });

    it("rejects a zero root, figures out of bounds, and slashes from anyone but the auditor", async function () {
      const f = await setup();
      await expect(f.canary.connect(f.operator).commitRoot(ZeroHash)).to.be.revertedWithCustomError(
        f.canary,
        "CanaryZeroCommitment",
      );
      const thaw = BigInt(VALIDATOR_POOL.thawingPeriod);
      await expect(f.canary.connect(f.asTimelock).setParameters({ ...CANARY, auditWindow: thaw + 1n }))
        .to.be.revertedWithCustomError(f.canary, "CanaryParameterOutOfBounds")
        .withArgs(encodeBytes32String("auditWindow"), thaw + 1n, 3_600n, thaw);
      await expect(
        f.canary.connect(f.asTimelock).setParameters({ ...CANARY, canarySlashBps: 0 }),
      ).to.be.revertedWithCustomError(f.canary, "CanaryParameterOutOfBounds");
      await expect(f.canary.connect(f.outsider).setOperator(f.outsider.address))
        .to.be.revertedWithCustomError(f.canary, "GovernedOnlyTimelock")
        .withArgs(f.outsider.address);
      await expect(f.validatorPool.connect(f.operator).slashAudited(f.lazy.address, 1n, f.operator.address))
        .to.be.revertedWithCustomError(f.validatorPool, "StakePoolOnlyAuditor")
        .withArgs(f.operator.address);
      await expect(f.validatorPool.connect(f.outsider).setAuditor(f.outsider.address))
        .to.be.revertedWithCustomError(f.validatorPool, "GovernedOnlyTimelock")
        .withArgs(f.outsider.address);
    });

    it("never takes stake a live round holds at risk", async function () {
      const f = await setup();
      // The DAO makes the treasury a second auditor for this check; the lazy member sits on a live round.
      await f.validatorPool.connect(f.asTimelock).setAuditor(f.asTimelock.address);
      const roundId = await f.helper.open(f.requester, f.listingId);
      await f.helper.draw(roundId);
      const m = await f.validatorPool.memberOf(f.lazy.address);
      expect(m.locked).to.be.greaterThan(0n);
      await expect(f.validatorPool.connect(f.asTimelock).slashAudited(f.lazy.address, m.staked, f.asTimelock.address))
        .to.emit(f.validatorPool, "StakeAuditSlashed")
        .withArgs(f.lazy.address, f.asTimelock.address, m.staked, m.staked - m.locked, m.locked, 0n);
      expect((await f.validatorPool.memberOf(f.lazy.address)).locked).to.equal(m.locked);
    });
  });
});
