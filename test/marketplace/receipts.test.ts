// Issue 16: the marketplace's promise made enforceable on-chain. Played as the provider that cheats would play it: it
// sees every request it serves and every transaction, signs what it must, rotates keys, backdates, front-runs, and
// withdraws its money as early as it can. Each attack is shown against the contracts: the v1 contracts let it pay
// (earnings withdrawn at once and never slashed, a price raised under a pending purchase, no receipt to hold against
// an answer); the v2 contracts refuse it or make it lose.
import { expect } from "chai";
import {
  MAX_RECEIPT_CLOCK_SKEW_SECONDS,
  dataHash,
  receiptDigest,
  toDataURI,
  type Hex,
  type InferenceReceipt,
} from "@curia/protocol";
import { signReceipt } from "@curia/protocol/ethers";
import { parseEther, Wallet } from "ethers";
import { CHALLENGES, Choice, cEthers, cHelpers, ListingStatus } from "../helpers/court.js";
import { ESCROW, INPUT, listedFixture, receiptOf, WRONG_OUTPUT } from "../helpers/receipts.js";

const BPS = 10_000n;

describe("Receipts, fraud proofs and escrowed earnings (issue 16)", function () {
  describe("a wrong answer under the provider's signature costs it its bond and escrowed earnings", function () {
    it("attack: the validator-aware provider's receipt to a consumer is a fraud proof: delisted, bond and escrow slashed, the filer rewarded", async function () {
      const f = await cHelpers.loadFixture(listedFixture);
      const { registry, challenges, token, provider, consumer, courtHelper, listingId, domain } = f;
      // The provider answers the consumer with a cheaper model and must sign the receipt (clients refuse answers
      // without one). The consumer files it with the input and output behind its hashes.
      const receipt = await receiptOf(f, consumer);
      const signature = await signReceipt(provider, domain, receipt);
      expect(await challenges.receiptDigest(receipt)).to.equal(
        receiptDigest(domain, receipt),
        "one digest, on and off chain",
      );
      const [escrowed] = await registry.escrowOf(listingId);
      expect(escrowed).to.be.greaterThan(0n);
      const { bond } = await registry.getListing(listingId);

      const filerBefore = await token.balanceOf(consumer.address);
      const inputURI = toDataURI(INPUT);
      const outputURI = toDataURI(WRONG_OUTPUT);
      const tx = challenges
        .connect(consumer)
        .fileFraudProof(receipt, signature, CHALLENGES.minChallengeBond, inputURI, outputURI);
      await expect(tx)
        .to.emit(challenges, "FraudProofFiled")
        .withArgs(
          1n,
          listingId,
          consumer.address,
          receiptDigest(domain, receipt),
          provider.address,
          Object.values(receipt),
          inputURI,
          outputURI,
        );
      expect(await registry.statusOf(listingId)).to.equal(ListingStatus.Challenged);
      const fee = await f.court.arbitrationCost();
      expect(await token.balanceOf(consumer.address)).to.equal(filerBefore - CHALLENGES.minChallengeBond - fee);

      // While the dispute runs the escrow cannot leave: not released, not withdrawn.
      await expect(registry.releaseEarnings(listingId))
        .to.be.revertedWithCustomError(registry, "ListingDisputePending")
        .withArgs(listingId, 1n);
      await expect(registry.connect(provider).withdrawEarnings(provider.address)).to.be.revertedWithCustomError(
        registry,
        "ListingNoEarnings",
      );

      // Validators re-execute the input on the listing's model; the jurors see the output outside tolerance.
      await courtHelper.runRound(1n, () => Choice.Challenger);
      const executed = await courtHelper.execute(1n);
      const loserStake = bond + escrowed;
      const toWinner = (loserStake * BigInt(CHALLENGES.winnerShareBps)) / BPS;
      await expect(executed)
        .to.emit(registry, "EarningsEscrowSlashed")
        .withArgs(listingId, 1n, escrowed)
        .and.to.emit(registry, "ListingChallengeResolved")
        .withArgs(listingId, 1n, true, loserStake, ListingStatus.Delisted);
      expect(await registry.statusOf(listingId)).to.equal(ListingStatus.Delisted);
      expect(await registry.escrowOf(listingId)).to.deep.equal([0n, 0n, 0n]);
      // The filer gets its bond back and the winner's share of the provider's bond and escrow.
      expect(await token.balanceOf(consumer.address)).to.equal(
        filerBefore - fee + toWinner,
        "filer: bond back plus the winner's share",
      );
      await expect(registry.connect(provider).withdrawEarnings(provider.address)).to.be.revertedWithCustomError(
        registry,
        "ListingNoEarnings",
      );
    });

    it("a receipt whose answer was within tolerance costs the filer its bond, and the provider its escrow nothing", async function () {
      const f = await cHelpers.loadFixture(listedFixture);
      const { registry, challenges, token, provider, consumer, courtHelper, listingId, domain } = f;
      const receipt = await receiptOf(f, consumer);
      const signature = await signReceipt(provider, domain, receipt);
      const [escrowed] = await registry.escrowOf(listingId);
      await courtHelper.fileFraudProof(consumer, receipt, signature, toDataURI(INPUT), toDataURI(WRONG_OUTPUT));
      await courtHelper.runRound(1n, () => Choice.Defendant);
      const providerBefore = await token.balanceOf(provider.address);
      await courtHelper.execute(1n);
      expect(await registry.statusOf(listingId)).to.equal(ListingStatus.Active);
      const toWinner = (CHALLENGES.minChallengeBond * BigInt(CHALLENGES.winnerShareBps)) / BPS;
      expect(await token.balanceOf(provider.address)).to.equal(providerBefore + toWinner);
      const [locked, releasable] = await registry.escrowOf(listingId);
      expect(locked + releasable).to.equal(escrowed, "the escrow is intact");
    });
  });

  describe("forged, altered and dodged receipts are refused on-chain", function () {
    it("refuses a receipt not signed by the listing's serving key, or altered after signing", async function () {
      const f = await cHelpers.loadFixture(listedFixture);
      const { challenges, provider, consumer, outsider, domain, listingId } = f;
      const receipt = await receiptOf(f, consumer);
      const forged = await signReceipt(outsider, domain, receipt);
      await expect(
        challenges.connect(consumer).fileFraudProof(receipt, forged, CHALLENGES.minChallengeBond, "data:,a", "data:,b"),
      )
        .to.be.revertedWithCustomError(challenges, "ReceiptNotSigned")
        .withArgs(listingId, outsider.address, receipt.servedAt);
      const signature = await signReceipt(provider, domain, receipt);
      const altered = { ...receipt, outputHash: dataHash(INPUT) };
      await expect(
        challenges
          .connect(consumer)
          .fileFraudProof(altered, signature, CHALLENGES.minChallengeBond, "data:,a", "data:,b"),
      ).to.be.revertedWithCustomError(challenges, "ReceiptNotSigned");
      // Signed for another chain: the domain differs, the signer recovers to someone else.
      const otherChain = await signReceipt(provider, { ...domain, chainId: 1n }, receipt);
      await expect(
        challenges
          .connect(consumer)
          .fileFraudProof(receipt, otherChain, CHALLENGES.minChallengeBond, "data:,a", "data:,b"),
      ).to.be.revertedWithCustomError(challenges, "ReceiptNotSigned");
      await expect(
        challenges
          .connect(consumer)
          .fileFraudProof(receipt, "0x1234", CHALLENGES.minChallengeBond, "data:,a", "data:,b"),
      )
        .to.be.revertedWithCustomError(challenges, "ReceiptNotSigned")
        .withArgs(listingId, cEthers.ZeroAddress, receipt.servedAt);
    });

    it("refuses a receipt naming another model, dated in the future, or older than the escrow period", async function () {
      const f = await cHelpers.loadFixture(listedFixture);
      const { challenges, provider, consumer, domain, listingId, modelHash } = f;
      const file = async (receipt: InferenceReceipt, bond = CHALLENGES.minChallengeBond) =>
        challenges
          .connect(consumer)
          .fileFraudProof(receipt, await signReceipt(provider, domain, receipt), bond, "data:,a", "data:,b");
      const other = cEthers.id("a cheaper model") as Hex;
      await expect(file(await receiptOf(f, consumer, { modelHash: other })))
        .to.be.revertedWithCustomError(challenges, "ReceiptWrongModel")
        .withArgs(listingId, other, modelHash);
      const now = BigInt(await cHelpers.time.latest());
      await expect(file(await receiptOf(f, consumer, { servedAt: now + 3_600n }))).to.be.revertedWithCustomError(
        challenges,
        "ReceiptFromFuture",
      );
      // Earnings older than the escrow period may be gone: so may the right to file against their answers.
      const old = await receiptOf(f, consumer, { servedAt: now });
      const oldSignature = await signReceipt(provider, domain, old);
      await cHelpers.time.increase(ESCROW + 10n);
      await expect(
        challenges
          .connect(consumer)
          .fileFraudProof(old, oldSignature, CHALLENGES.minChallengeBond, "data:,a", "data:,b"),
      ).to.be.revertedWithCustomError(challenges, "ReceiptTooOld");
      await expect(file(await receiptOf(f, consumer), 1n)).to.be.revertedWithCustomError(
        challenges,
        "ChallengeBondTooLow",
      );
      await expect(
        challenges.connect(consumer).fileFraudProof(old, oldSignature, CHALLENGES.minChallengeBond, "", "data:,b"),
      ).to.be.revertedWithCustomError(challenges, "ChallengeInvalidURI");
    });

    it("attack: rotating the serving key away and back would void old receipts; a key is never reused, and old receipts keep counting", async function () {
      const f = await cHelpers.loadFixture(listedFixture);
      const { registry, challenges, provider, consumer, outsider, domain, listingId } = f;
      expect(await registry.servingKeyOf(listingId)).to.equal(provider.address, "the provider's address at listing");
      const receipt = await receiptOf(f, consumer);
      const signature = await signReceipt(provider, domain, receipt);

      // The provider rotates to a new key...
      const key = Wallet.createRandom();
      await expect(registry.connect(outsider).setServingKey(listingId, key.address))
        .to.be.revertedWithCustomError(registry, "ListingNotProvider")
        .withArgs(listingId, outsider.address);
      await expect(registry.connect(provider).setServingKey(listingId, key.address))
        .to.emit(registry, "ServingKeySet")
        .withArgs(listingId, provider.address, key.address);
      const rotatedAt = BigInt(await cHelpers.time.latest());
      const period = await registry.servingKeyPeriod(listingId, provider.address);
      expect(period.validUntil).to.equal(rotatedAt);
      expect(period.validFrom).to.be.greaterThan(0n).and.lessThanOrEqual(receipt.servedAt);
      // ...and back, so that its old period would restart after the receipt: refused.
      await expect(registry.connect(provider).setServingKey(listingId, provider.address))
        .to.be.revertedWithCustomError(registry, "ListingInvalidServingKey")
        .withArgs(listingId, provider.address);
      await expect(
        registry.connect(provider).setServingKey(listingId, cEthers.ZeroAddress),
      ).to.be.revertedWithCustomError(registry, "ListingInvalidServingKey");

      // The old key cannot sign for the time after its period (beyond the clients' clock skew)...
      await cHelpers.time.increase(MAX_RECEIPT_CLOCK_SKEW_SECONDS + 10);
      const late = await receiptOf(f, consumer);
      await expect(
        challenges
          .connect(consumer)
          .fileFraudProof(
            late,
            await signReceipt(provider, domain, late),
            CHALLENGES.minChallengeBond,
            "data:,a",
            "data:,b",
          ),
      ).to.be.revertedWithCustomError(challenges, "ReceiptNotSigned");
      // ...but what it signed in its period still counts.
      await expect(
        challenges
          .connect(consumer)
          .fileFraudProof(receipt, signature, CHALLENGES.minChallengeBond, "data:,a", "data:,b"),
      ).to.emit(challenges, "FraudProofFiled");
    });

    it("attack: the provider front-runs the consumer's fraud proof with a sybil filing of garbage; the consumer still files once it is lost, past the receipt's age", async function () {
      const f = await cHelpers.loadFixture(listedFixture);
      const { registry, challenges, provider, consumer, outsider, courtHelper, listingId, domain } = f;
      const receipt = await receiptOf(f, consumer);
      const signature = await signReceipt(provider, domain, receipt);
      // The provider (any copy of the receipt will do: it signed it) files first through a sybil, with data that
      // does not match the receipt's hashes, so that its own dispute is lost and the listing kept...
      await courtHelper.fileFraudProof(outsider, receipt, signature, "data:,garbage", "data:,garbage");
      await expect(
        challenges
          .connect(consumer)
          .fileFraudProof(receipt, signature, CHALLENGES.minChallengeBond, "data:,a", "data:,b"),
      )
        .to.be.revertedWithCustomError(registry, "ListingWrongStatus")
        .withArgs(listingId, ListingStatus.Challenged);
      await courtHelper.runRound(1n, () => Choice.Defendant);
      await courtHelper.execute(1n);
      // ...and the dispute outlasted the receipt's escrow period. The receipt's age counts from its first filing.
      await cHelpers.time.increase(ESCROW);
      expect(await challenges.receiptFirstFiledAt(receiptDigest(domain, receipt))).to.be.greaterThan(0n);
      await expect(
        challenges
          .connect(consumer)
          .fileFraudProof(receipt, signature, CHALLENGES.minChallengeBond, toDataURI(INPUT), toDataURI(WRONG_OUTPUT)),
      ).to.emit(challenges, "FraudProofFiled");
      // A fresh receipt of the same age, never filed, would be too old: the anchor is the first filing, not "now".
      const unfiled = await receiptOf(f, consumer, { nonce: 8n, servedAt: receipt.servedAt });
      expect(BigInt(await cHelpers.time.latest())).to.be.greaterThan(receipt.servedAt + ESCROW);
      expect(await challenges.receiptFirstFiledAt(receiptDigest(domain, unfiled))).to.equal(0n);
    });
  });

  describe("earnings wait one escrow period", function () {
    it("attack: v1 let a provider withdraw every sale at once, so a late delisting took only its bond; now the last period's earnings stay slashable", async function () {
      const f = await cHelpers.loadFixture(listedFixture);
      const { registry, provider, market, consumer, listingId, courtHelper } = f;
      const [locked, releasable, nextReleaseAt] = await registry.escrowOf(listingId);
      expect(locked).to.be.greaterThan(0n);
      expect(releasable).to.equal(0n);
      await expect(registry.releaseEarnings(listingId))
        .to.be.revertedWithCustomError(registry, "ListingNothingToRelease")
        .withArgs(listingId, nextReleaseAt);
      await expect(registry.connect(provider).withdrawEarnings(provider.address)).to.be.revertedWithCustomError(
        registry,
        "ListingNoEarnings",
      );
      // One period later the first sales are due; the sales of the new period wait their own period.
      await cHelpers.time.increaseTo(nextReleaseAt);
      await market.buy(consumer, listingId, 100n);
      expect(await registry.earningsOf(provider.address)).to.equal(locked, "the first period's earnings, released");
      const [lockedNow] = await registry.escrowOf(listingId);
      expect(lockedNow).to.be.greaterThan(0n);
      // A challenge now still reaches this period's earnings.
      const disputeId = await courtHelper.challenge(consumer, listingId);
      await courtHelper.runRound(disputeId, () => Choice.Challenger);
      await expect(courtHelper.execute(disputeId))
        .to.emit(registry, "EarningsEscrowSlashed")
        .withArgs(listingId, disputeId, lockedNow);
    });

    it("releases to the provider only what waited a full period, bucket by bucket, to anyone's call", async function () {
      const f = await cHelpers.loadFixture(listedFixture);
      const { registry, provider, market, consumer, outsider, listingId } = f;
      const [first, , due] = await registry.escrowOf(listingId);
      const openUntil = due - ESCROW; // the first bucket takes sales until then, and is due one period later
      await cHelpers.time.increaseTo(openUntil - 10n);
      await market.buy(consumer, listingId, 100n); // still the first bucket
      const [firstBucket] = await registry.escrowOf(listingId);
      expect(firstBucket).to.be.greaterThan(first);
      await cHelpers.time.increaseTo(openUntil + 10n);
      await market.buy(consumer, listingId, 100n); // a second bucket; the first is now due at the new one's close
      const [locked, releasable, nextDue] = await registry.escrowOf(listingId);
      expect(releasable).to.equal(0n);
      expect(nextDue).to.equal(openUntil + 11n + ESCROW, "every sale of the first bucket has waited a full period");
      const second = locked - firstBucket;
      await cHelpers.time.increaseTo(nextDue);
      await expect(registry.connect(outsider).releaseEarnings(listingId))
        .to.emit(registry, "EarningsReleased")
        .withArgs(listingId, provider.address, firstBucket);
      expect(await registry.earningsOf(provider.address)).to.equal(firstBucket);
      expect(await registry.escrowOf(listingId)).to.deep.equal([second, 0n, nextDue + ESCROW]);
      const [, owedEarnings] = await registry.totalOwed();
      expect(owedEarnings).to.equal(firstBucket + second, "escrowed and released earnings are both owed");
    });
  });

  describe("price", function () {
    it("attack: a provider raises its price under a pending purchase; the buyer's maximum price refuses it", async function () {
      const f = await cHelpers.loadFixture(listedFixture);
      const { registry, token, provider, bob, listingId, deployer } = f;
      await token.connect(deployer).transfer(bob.address, parseEther("10000"));
      // The buyer saw 2 CUR a call and approved generously (as v1 clients did: price × calls was the only guard).
      await token.connect(bob).approve(await registry.getAddress(), parseEther("10000"));
      const { pricePerCall } = await registry.getListing(listingId);
      await registry.connect(provider).updatePrice(listingId, pricePerCall * 50n);
      await expect(registry.connect(bob).purchase(listingId, 100n, bob.address, pricePerCall))
        .to.be.revertedWithCustomError(registry, "ListingPriceAboveMax")
        .withArgs(listingId, pricePerCall * 50n, pricePerCall);
    });
  });
});
