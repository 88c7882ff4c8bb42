// Issue 17, played as the attacker would, on what a validation round does to money around it:
// - a curator who reads a round's revealed scores (below the minimum quality) withdraws before the round is finalized
//   and its automatic dispute freezes the listing's exits, and so escapes the slash (exits are now held from the draw);
// - a requested round that ends without a quality (no seat drawn, no reveal) kept its requester's fee.
import { expect } from "chai";
import { encodeBytes32String, parseEther } from "ethers";
import { LOCAL_CONFIG } from "../../deploy/config.js";
import {
  deployCuratedValidationFixture,
  deployValidationFixture,
  juryVotes,
  ListingStatus,
  VALIDATION,
  vHelpers,
} from "../helpers/validation.js";

const CHALLENGER = 1;
const CURATION = LOCAL_CONFIG.marketplace.curation;
const STAKE = parseEther("5000");

describe("ValidationManager: what a round does to the money around it (issue 17)", function () {
  describe("curator exits during a round going against the listing", function () {
    it("attack: a curator reading low reveals cannot withdraw before the round's dispute, and the slash reaches it", async function () {
      const { validation, curationPool, curator, helper, requester, listingId, token, court, juror, registry } =
        await vHelpers.loadFixture(deployCuratedValidationFixture);
      // The curator keeps its stake ready to leave: asked back, thawing (still slashable), the thaw ending mid-round.
      await curationPool.connect(curator).requestUnstake(listingId, STAKE);
      const { thawEnd } = await curationPool.positionOf(listingId, curator.address);
      await helper.increaseTo(thawEnd - BigInt(VALIDATION.revealPeriod) + 60n);
      const roundId = await helper.open(requester, listingId);
      expect((await curationPool.listingPool(listingId)).underReview).to.equal(false, "no hold before the draw");
      // The listing is under review from its committee's draw, before any score exists: no reveal, public in the
      // mempool before it is mined, can be read in time to leave (test/redteam/curation-review-redteam.test.ts).
      const committee = await helper.draw(roundId);
      expect((await curationPool.listingPool(listingId)).underReview).to.equal(true);
      await helper.commitScores(roundId, committee, [1_000, 1_000, 1_000, 1_000, 1_000]);
      expect(VALIDATION.minQualityBps).to.be.greaterThan(1_000);
      // Low reveals change nothing (one hold per round).
      await expect(helper.reveal(committee[0]!, roundId)).not.to.emit(curationPool, "UnderReviewSet");
      await expect(helper.reveal(committee[1]!, roundId)).not.to.emit(curationPool, "UnderReviewSet");

      // The thaw ends before the round can be finalized: the old code let the curator leave with all of it here.
      await helper.increaseTo(thawEnd);
      expect(await validation.phaseOf(roundId)).to.equal(3n, "still in the reveal phase");
      await expect(curationPool.connect(curator).withdraw(listingId))
        .to.be.revertedWithCustomError(curationPool, "CurationUnderReview")
        .withArgs(listingId);

      // Finalisation opens the automatic dispute, whose freeze takes over in the same transaction.
      await helper.revealScores(roundId, committee);
      const finalized = validation.finalizeRound(roundId);
      await expect(finalized).to.emit(validation, "DisputeRequested");
      await expect(finalized).to.emit(curationPool, "ExitsFrozen").withArgs(listingId, 1n);
      await expect(finalized).to.emit(curationPool, "UnderReviewSet").withArgs(listingId, false);
      await expect(curationPool.connect(curator).withdraw(listingId))
        .to.be.revertedWithCustomError(curationPool, "CurationExitsFrozen")
        .withArgs(listingId, 1n);

      // The jury upholds the validators: the slash reaches the curator's thawing stake.
      const r = await juryVotes(court, juror, 1n, CHALLENGER);
      await helper.increaseTo(r.appealEnd);
      await court.executeRuling(1n);
      expect(await registry.statusOf(listingId)).to.equal(ListingStatus.Delisted);
      const slash = (STAKE * BigInt(CURATION.slashBps)) / 10_000n;
      const before = await token.balanceOf(curator.address);
      await curationPool.connect(curator).withdraw(listingId);
      expect(await token.balanceOf(curator.address)).to.equal(before + STAKE - slash, "the escape cost the slash");
    });

    it("holds exits while a low score is out and frees them when the round ends with a passing median", async function () {
      const { validation, curationPool, curator, helper, requester, listingId, token } =
        await vHelpers.loadFixture(deployCuratedValidationFixture);
      await curationPool.connect(curator).requestUnstake(listingId, STAKE);
      const { thawEnd } = await curationPool.positionOf(listingId, curator.address);
      await helper.increaseTo(thawEnd - BigInt(VALIDATION.revealPeriod) + 60n);
      const roundId = await helper.open(requester, listingId);
      const committee = await helper.draw(roundId);
      // One low outlier among passing scores.
      await helper.commitScores(roundId, committee, [1_000, 8_000, 8_000, 8_000, 8_000]);
      await helper.reveal(committee[0]!, roundId);
      await helper.increaseTo(thawEnd);
      await expect(curationPool.connect(curator).withdraw(listingId)).to.be.revertedWithCustomError(
        curationPool,
        "CurationUnderReview",
      );
      await helper.revealScores(roundId, committee);
      const finalized = validation.finalizeRound(roundId);
      await expect(finalized).to.emit(curationPool, "UnderReviewSet").withArgs(listingId, false);
      await expect(finalized).not.to.emit(validation, "DisputeRequested");
      const before = await token.balanceOf(curator.address);
      await curationPool.connect(curator).withdraw(listingId);
      expect(await token.balanceOf(curator.address)).to.equal(before + STAKE, "a passing round costs nothing");
    });

    it("holds exits through a round whose scores all pass (nobody knows that before the reveals) and frees them at its end", async function () {
      const { validation, curationPool, curator, helper, requester, listingId } =
        await vHelpers.loadFixture(deployCuratedValidationFixture);
      await curationPool.connect(curator).requestUnstake(listingId, STAKE);
      const { thawEnd } = await curationPool.positionOf(listingId, curator.address);
      await helper.increaseTo(thawEnd - BigInt(VALIDATION.revealPeriod) + 60n);
      const roundId = await helper.open(requester, listingId);
      const committee = await helper.draw(roundId);
      await helper.commitScores(roundId, committee, [8_000, 8_000, 8_000, 8_000, 8_000]);
      await helper.reveal(committee[0]!, roundId);
      await helper.increaseTo(thawEnd);
      await expect(curationPool.connect(curator).withdraw(listingId))
        .to.be.revertedWithCustomError(curationPool, "CurationUnderReview")
        .withArgs(listingId);
      await helper.revealScores(roundId, committee);
      await expect(validation.finalizeRound(roundId))
        .to.emit(curationPool, "UnderReviewSet")
        .withArgs(listingId, false);
      await expect(curationPool.connect(curator).withdraw(listingId)).to.emit(curationPool, "StakeWithdrawn");
    });

    it("attack (fails since a round without a quality still lifts the hold): the registry lifts the hold with the quality, and a round that misses its quorum writes none", async function () {
      // Finalisation lifts the hold in the registry's setQuality (one call, issue 15). A round below its quorum
      // writes no quality: if nothing else lifted the hold there, the curators' stake would stay held for ever.
      const { validation, registry, curationPool, curator, helper, requester, listingId } =
        await vHelpers.loadFixture(deployCuratedValidationFixture);
      await curationPool.connect(curator).requestUnstake(listingId, STAKE);
      const { thawEnd } = await curationPool.positionOf(listingId, curator.address);
      const roundId = await helper.open(requester, listingId);
      const committee = await helper.draw(roundId);
      // Two reveals of five seats: below the quorum.
      await helper.commitScores(roundId, committee, [8_000, 8_000]);
      await helper.waitForReveal(roundId);
      await helper.revealScores(roundId, committee);
      await helper.waitForFinalize(roundId);
      await helper.increaseTo(thawEnd);
      await expect(curationPool.connect(curator).withdraw(listingId)).to.be.revertedWithCustomError(
        curationPool,
        "CurationUnderReview",
      );
      const finalized = validation.finalizeRound(roundId);
      await expect(finalized).to.emit(curationPool, "UnderReviewSet").withArgs(listingId, false);
      await expect(finalized).not.to.emit(registry, "ListingQualityUpdated");
      expect((await validation.getRound(roundId)).quorumReached).to.equal(false);
      await expect(curationPool.connect(curator).withdraw(listingId)).to.emit(curationPool, "StakeWithdrawn");
    });

    it("lets only the validation role hold exits, through the registry's bound pool", async function () {
      const { curationPool, registry, outsider, listingId } =
        await vHelpers.loadFixture(deployCuratedValidationFixture);
      await expect(registry.connect(outsider).setUnderReview(listingId, true))
        .to.be.revertedWithCustomError(registry, "ListingUnauthorized")
        .withArgs(outsider.address, encodeBytes32String("validation"));
      await expect(curationPool.connect(outsider).setUnderReview(listingId, true))
        .to.be.revertedWithCustomError(curationPool, "CurationOnlyRegistry")
        .withArgs(outsider.address);
    });
  });

  describe("a requested round that ends without a quality refunds its fee", function () {
    /** The free round of the day is used up, so that the next round is requested and paid. */
    async function paidRoundFixture() {
      const f = await vHelpers.loadFixture(deployValidationFixture);
      const { roundId } = await f.helper.runRound(f.requester, f.listingId, [8_000, 8_000, 8_000, 8_000, 8_000]);
      await f.validation.finalizeRound(roundId);
      return f;
    }

    it("attack: a round whose draw expired kept the requester's fee; now it comes back with the cancellation", async function () {
      const { validation, helper, requester, listingId, token } = await vHelpers.loadFixture(paidRoundFixture);
      const before = await token.balanceOf(requester.address);
      const roundId = await helper.open(requester, listingId);
      expect(await token.balanceOf(requester.address)).to.equal(before - VALIDATION.requestFee, "the fee was paid");
      // Held apart from the pool while the round runs: nothing the pool pays can spend it.
      const [, poolWhileOpen, held] = await validation.totalOwed();
      expect(held).to.equal(VALIDATION.requestFee);
      await vHelpers.time.increase(VALIDATION.drawPeriod);
      const tx = validation.drawCommittee(roundId);
      await expect(tx).to.emit(validation, "RoundCancelled").withArgs(roundId, listingId, 2n, 0n);
      await expect(tx)
        .to.emit(validation, "RoundFeeRefunded")
        .withArgs(roundId, requester.address, VALIDATION.requestFee);
      expect(await token.balanceOf(requester.address)).to.equal(before, "nothing lost");
      expect(await validation.totalOwed()).to.deep.equal([0n, poolWhileOpen, 0n]);
    });

    it("refunds a round in which nobody revealed, and still penalises the silent members", async function () {
      const { validation, helper, requester, listingId, token } = await vHelpers.loadFixture(paidRoundFixture);
      const before = await token.balanceOf(requester.address);
      const { roundId } = await helper.runRound(requester, listingId, []);
      const tx = validation.finalizeRound(roundId);
      await expect(tx)
        .to.emit(validation, "RoundFeeRefunded")
        .withArgs(roundId, requester.address, VALIDATION.requestFee);
      await expect(tx).to.emit(validation, "ValidatorPenalized");
      await expect(tx).to.emit(validation, "RoundFinalized");
      expect((await validation.getRound(roundId)).quorumReached).to.equal(false);
      expect(await token.balanceOf(requester.address)).to.equal(before);
      expect((await validation.totalOwed())[2]).to.equal(0n);
    });

    it("keeps the fee in the pool once the round measured the listing", async function () {
      const { validation, helper, requester, listingId } = await vHelpers.loadFixture(paidRoundFixture);
      const [, poolBefore] = await validation.totalOwed();
      const { roundId } = await helper.runRound(requester, listingId, [8_000, 8_000, 8_000, 8_000, 8_000]);
      const tx = validation.finalizeRound(roundId);
      await expect(tx).not.to.emit(validation, "RoundFeeRefunded");
      const receipt = await (await tx).wait();
      const credited = receipt!.logs
        .map((l) => validation.interface.parseLog(l))
        .filter((p) => p?.name === "ValidatorRewarded")
        .reduce((s, p) => s + (p!.args.amount as bigint), 0n);
      const [, poolAfter, held] = await validation.totalOwed();
      expect(held).to.equal(0n);
      expect(poolAfter).to.equal(poolBefore + VALIDATION.requestFee - credited);
    });
  });
});
