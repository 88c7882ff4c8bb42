// Red team of issue 16's on-chain mechanisms (serving keys, earnings escrow, fraud proofs), played as a rational provider
// (sees every request it serves and all on-chain data, picks its receipts' dates, times its transactions) and a rational
// filer. Each test shows an attack failing. Four of them succeeded against the first version of these contracts (a
// provider leaving before its receipts could reach it, a sybil challenge running out a receipt's time, and two key
// rotations across dates the client accepts): the tests say what changed.
import { expect } from "chai";
import {
  MAX_RECEIPT_CLOCK_SKEW_SECONDS,
  receiptDigest,
  receiptMismatch,
  toDataURI,
  type Hex,
  type InferenceReceipt,
} from "@curia/protocol";
import { signReceipt } from "@curia/protocol/ethers";
import { concat, recoverAddress, Signature, toBeHex, Wallet, ZeroHash, zeroPadValue, type Signer } from "ethers";
import { LOCAL_CONFIG } from "../../deploy/config.js";
import { CHALLENGES, Choice, cEthers, cHelpers, ListingStatus } from "../helpers/court.js";
import { ESCROW, INPUT, listedFixture, receiptOf, WRONG_OUTPUT, type ReceiptsFixture } from "../helpers/receipts.js";

const WITHDRAWAL_DELAY = BigInt(LOCAL_CONFIG.marketplace.market.withdrawalDelay);
const BPS = 10_000n;
const BOND = CHALLENGES.minChallengeBond;
/** secp256k1's group order: s and n - s both verify under plain ecrecover. */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

const INPUT_URI = toDataURI(INPUT);
const OUTPUT_URI = toDataURI(WRONG_OUTPUT);

type Fixture = ReceiptsFixture;

async function now(): Promise<bigint> {
  return BigInt(await cHelpers.time.latest());
}

/** The next transaction lands at exactly `timestamp`. */
async function at(timestamp: bigint): Promise<void> {
  await cHelpers.time.setNextBlockTimestamp(timestamp);
}

function file(f: Fixture, filer: Signer, receipt: InferenceReceipt, signature: string) {
  return f.challenges.connect(filer).fileFraudProof(receipt, signature, BOND, INPUT_URI, OUTPUT_URI);
}

/** What the consumer's client (protocol's receiptMismatch, the check ProtocolClient.verifyReceipt applies) says. */
function clientVerdict(f: Fixture, receipt: InferenceReceipt, clientNow: bigint): string | undefined {
  return receiptMismatch(receipt, {
    listingId: f.listingId,
    modelHash: f.modelHash,
    caller: receipt.caller,
    nonce: receipt.nonce,
    input: INPUT,
    output: WRONG_OUTPUT,
    now: Number(clientNow),
  });
}

describe("Red team: receipts, serving keys and escrowed earnings (issue 16)", function () {
  describe("escrow against disputes", function () {
    it("attack: the provider front-runs a fraud proof with releaseEarnings + withdrawEarnings; it only moves what already waited a full period, the rest is slashed", async function () {
      const f = await cHelpers.loadFixture(listedFixture);
      const { registry, token, provider, consumer, market, courtHelper, listingId, domain } = f;
      const [bucketA, , dueA] = await registry.escrowOf(listingId);
      const openA = dueA - ESCROW;
      const soldA = openA - ESCROW; // the fixture's sale opened bucket A
      // A second sale after A closed: A is due at the new bucket's close, B one period later.
      await at(openA + 10n);
      await market.buy(consumer, listingId, 200n);
      const [locked, , dueNow] = await registry.escrowOf(listingId);
      const bucketB = locked - bucketA;
      expect(dueNow).to.equal(openA + 10n + ESCROW);
      // The provider cheats on a call served now, and watches the mempool.
      await cHelpers.time.increaseTo(dueNow - 60n);
      const receipt = await receiptOf(f, consumer);
      const signature = await signReceipt(provider, domain, receipt);
      // The consumer files just after A became due; the provider's release and withdrawal land first.
      const providerBefore = await token.balanceOf(provider.address);
      await at(dueNow);
      await expect(registry.connect(provider).releaseEarnings(listingId))
        .to.emit(registry, "EarningsReleased")
        .withArgs(listingId, provider.address, bucketA);
      await registry.connect(provider).withdrawEarnings(provider.address);
      expect(await token.balanceOf(provider.address)).to.equal(providerBefore + bucketA);
      expect(dueNow - soldA).to.be.greaterThanOrEqual(ESCROW, "what left had waited at least one period");
      // The fraud proof lands; nothing more can leave while it runs; B goes with the bond.
      await file(f, consumer, receipt, signature);
      await expect(registry.releaseEarnings(listingId)).to.be.revertedWithCustomError(
        registry,
        "ListingDisputePending",
      );
      await courtHelper.runRound(1n, () => Choice.Challenger);
      await expect(courtHelper.execute(1n)).to.emit(registry, "EarningsEscrowSlashed").withArgs(listingId, 1n, bucketB);
      await expect(registry.connect(provider).withdrawEarnings(provider.address)).to.be.revertedWithCustomError(
        registry,
        "ListingNoEarnings",
      );
    });

    it("attack: the cheating provider asks to leave right after a wrong answer; its bond stays one escrow period, and the consumer's fraud proof takes bond and escrow", async function () {
      // Before the fix the bond came back after withdrawalDelay (1 h locally, 7 days on mainnet), shorter than the
      // receipt's window (the escrow period: 1 day, 30 days): a fresh receipt then met a Withdrawn listing.
      const f = await cHelpers.loadFixture(listedFixture);
      const { registry, challenges, courtHelper, provider, consumer, listingId, domain } = f;
      expect(WITHDRAWAL_DELAY).to.be.lessThan(ESCROW, "the local configuration, as the mainnet one (7 d < 30 d)");
      const [escrowed] = await registry.escrowOf(listingId);
      const { bond } = await registry.getListing(listingId);
      const receipt = await receiptOf(f, consumer);
      const signature = await signReceipt(provider, domain, receipt);
      const requestedAt = (await now()) + 1n;
      await cHelpers.time.setNextBlockTimestamp(requestedAt);
      await expect(registry.connect(provider).requestWithdrawal(listingId))
        .to.emit(registry, "ListingWithdrawalRequested")
        .withArgs(listingId, requestedAt + ESCROW);
      await cHelpers.time.increase(WITHDRAWAL_DELAY);
      await expect(registry.connect(provider).completeWithdrawal(listingId))
        .to.be.revertedWithCustomError(registry, "ListingWithdrawalNotReady")
        .withArgs(listingId, requestedAt + ESCROW);
      // The consumer files an hour later: the listing is still there, bond and escrow with it.
      await cHelpers.time.increase(3_600);
      await expect(file(f, consumer, receipt, signature)).to.emit(challenges, "FraudProofFiled");
      await courtHelper.runRound(1n, () => Choice.Challenger);
      await expect(courtHelper.execute(1n))
        .to.emit(registry, "ListingChallengeResolved")
        .withArgs(listingId, 1n, true, bond + escrowed, ListingStatus.Delisted);
    });
    it("a withdrawal request does not stop a fraud proof during the delay, and a pending dispute blocks completing it", async function () {
      const f = await cHelpers.loadFixture(listedFixture);
      const { registry, provider, consumer, courtHelper, listingId, domain } = f;
      const receipt = await receiptOf(f, consumer);
      const signature = await signReceipt(provider, domain, receipt);
      await registry.connect(provider).requestWithdrawal(listingId);
      await file(f, consumer, receipt, signature);
      // (Checked before the delay: the dispute status is refused first, whatever the time.)
      await expect(registry.connect(provider).completeWithdrawal(listingId))
        .to.be.revertedWithCustomError(registry, "ListingDisputePending")
        .withArgs(listingId, 1n);
      const [escrowed] = await registry.escrowOf(listingId);
      await courtHelper.runRound(1n, () => Choice.Challenger);
      await expect(courtHelper.execute(1n))
        .to.emit(registry, "EarningsEscrowSlashed")
        .withArgs(listingId, 1n, escrowed);
      await expect(registry.connect(provider).completeWithdrawal(listingId))
        .to.be.revertedWithCustomError(registry, "ListingWrongStatus")
        .withArgs(listingId, ListingStatus.Delisted);
    });

    it("attack: the provider front-runs a late fraud proof with a sybil challenge(); the consumer records its receipt, whose age stops there, and files it once the sybil dispute ends", async function () {
      // Before recordReceipt, a receipt was anchored only by its own successful filing: a sybil challenge made the
      // consumer's filing revert (listing Challenged) and outlasted what was left of the receipt's window.
      const f = await cHelpers.loadFixture(listedFixture);
      const { registry, challenges, provider, consumer, outsider, courtHelper, listingId, domain } = f;
      const receipt = await receiptOf(f, consumer);
      const signature = await signReceipt(provider, domain, receipt);
      const digest = receiptDigest(domain, receipt);
      await cHelpers.time.increaseTo(receipt.servedAt + ESCROW - 60n);
      const sybilDispute = await courtHelper.challenge(outsider, listingId, "ipfs://nothing");
      await expect(file(f, consumer, receipt, signature))
        .to.be.revertedWithCustomError(registry, "ListingWrongStatus")
        .withArgs(listingId, ListingStatus.Challenged);
      // The client records the receipt instead: no bond, no dispute, any status.
      await expect(challenges.connect(consumer).recordReceipt(receipt, signature)).to.emit(
        challenges,
        "ReceiptRecorded",
      );
      const anchoredAt = await challenges.receiptFirstFiledAt(digest);
      expect(anchoredAt).to.equal(await now());
      // A forged receipt cannot be recorded (nor anchor anything).
      const forged = await signReceipt(outsider, domain, { ...receipt, nonce: 99n });
      await expect(
        challenges.connect(consumer).recordReceipt({ ...receipt, nonce: 99n }, forged),
      ).to.be.revertedWithCustomError(challenges, "ReceiptNotSigned");
      await courtHelper.runRound(sybilDispute, () => Choice.Defendant);
      await courtHelper.execute(sybilDispute);
      expect(await now()).to.be.greaterThan(receipt.servedAt + ESCROW, "past the receipt's window from now");
      await expect(file(f, consumer, receipt, signature)).to.emit(challenges, "FraudProofFiled");
      expect(await challenges.receiptFirstFiledAt(digest)).to.equal(anchoredAt, "the first record stands");
    });
  });

  describe("escrow bucket boundaries and governance", function () {
    it("a sale exactly at openUntil opens a new bucket; each bucket is due one period after its close, not a second before", async function () {
      const f = await cHelpers.loadFixture(listedFixture);
      const { registry, provider, consumer, market, listingId } = f;
      const [bucketA, , dueA] = await registry.escrowOf(listingId);
      const openA = dueA - ESCROW;
      await at(openA - 1n);
      await market.buy(consumer, listingId, 1n); // the last second of bucket A
      const [aTotal] = await registry.escrowOf(listingId);
      expect(aTotal).to.be.greaterThan(bucketA);
      await at(openA);
      await expect(market.buy(consumer, listingId, 1n)).not.to.emit(registry, "EarningsReleased");
      const [locked, releasable, nextAt] = await registry.escrowOf(listingId);
      expect([locked > aTotal, releasable, nextAt]).to.deep.equal([true, 0n, openA + ESCROW]);
      // One second before A is due, a sale (which releases what is due) releases nothing; at the second, exactly A.
      await at(openA + ESCROW - 1n);
      await expect(market.buy(consumer, listingId, 1n)).not.to.emit(registry, "EarningsReleased");
      await at(openA + ESCROW);
      await expect(registry.releaseEarnings(listingId))
        .to.emit(registry, "EarningsReleased")
        .withArgs(listingId, provider.address, aTotal);
      await expect(registry.releaseEarnings(listingId)).to.be.revertedWithCustomError(
        registry,
        "ListingNothingToRelease",
      );
      expect(await registry.earningsOf(provider.address)).to.equal(aTotal, "released once");
    });

    it("governance shortens the period mid-bucket: sales wait at least the new period, and nothing is stuck", async function () {
      const f = await cHelpers.loadFixture(listedFixture);
      const { registry, provider, consumer, market, asTimelock, listingId } = f;
      const [, , dueA] = await registry.escrowOf(listingId);
      const openA = dueA - ESCROW;
      const lastSale = openA - 5n;
      await at(lastSale);
      await market.buy(consumer, listingId, 3n);
      const [bucketA] = await registry.escrowOf(listingId);
      const SHORT = 3_600n;
      await registry.connect(asTimelock).setEarningsEscrowPeriod(SHORT);
      const [, , newDue] = await registry.escrowOf(listingId);
      expect(newDue).to.equal(openA + SHORT);
      expect(newDue - lastSale).to.be.greaterThanOrEqual(SHORT, "the last sale waits the new period");
      await at(newDue - 1n);
      await expect(registry.releaseEarnings(listingId))
        .to.be.revertedWithCustomError(registry, "ListingNothingToRelease")
        .withArgs(listingId, newDue);
      await at(newDue + 1n);
      await expect(registry.releaseEarnings(listingId))
        .to.emit(registry, "EarningsReleased")
        .withArgs(listingId, provider.address, bucketA);
    });

    it("observed: governance lengthens the period mid-bucket; the closed bucket keeps the old schedule (released before one new period after its sales)", async function () {
      // Not a provider attack (the timelock decides), noted for the lead: `previous` is due at `openUntil`, which was
      // fixed with the old period, while receipts of those sales become fileable for the new, longer period. If the
      // DAO wants a longer period to re-lock what is already escrowed, `_releasable` would need per-bucket periods.
      const f = await cHelpers.loadFixture(listedFixture);
      const { registry, provider, consumer, market, asTimelock, listingId } = f;
      const [bucketA, , dueA] = await registry.escrowOf(listingId);
      const openA = dueA - ESCROW;
      const soldA = openA - ESCROW;
      await at(openA + 10n);
      await market.buy(consumer, listingId, 1n); // A closes, due at the new openUntil
      const LONG = 90n * 86_400n;
      await registry.connect(asTimelock).setEarningsEscrowPeriod(LONG);
      await at(openA + 10n + ESCROW);
      await expect(registry.releaseEarnings(listingId))
        .to.emit(registry, "EarningsReleased")
        .withArgs(listingId, provider.address, bucketA);
      const releasedAt = await now();
      expect(releasedAt - soldA)
        .to.be.lessThan(LONG)
        .and.greaterThanOrEqual(ESCROW);
      // A receipt of A's time is still fileable under the new window, with A gone.
      expect(soldA + LONG).to.be.greaterThan(releasedAt);
    });
  });

  describe("serving-key rotation", function () {
    it("refuses rotating to the zero address, to the current key, or back to any past key; allows another listing's key, which cannot carry receipts across listings", async function () {
      const f = await cHelpers.loadFixture(listedFixture);
      const { registry, challenges, provider, consumer, market, listingId, domain } = f;
      for (const key of [cEthers.ZeroAddress, provider.address]) {
        await expect(registry.connect(provider).setServingKey(listingId, key))
          .to.be.revertedWithCustomError(registry, "ListingInvalidServingKey")
          .withArgs(listingId, key);
      }
      // A second listing of the same provider, created later: the provider's address is its key too.
      const receiptBefore = await receiptOf(f, consumer);
      await cHelpers.time.increase(100);
      const second = await market.list(provider, "mnist-mlp-2");
      const created = (await registry.servingKeyPeriod(second, provider.address)).validFrom;
      // A receipt of listing 1 re-labelled for listing 2 recovers to someone else.
      const signature1 = await signReceipt(provider, domain, receiptBefore);
      const relabelled = {
        ...receiptBefore,
        listingId: second,
        modelHash: (await registry.getListing(second)).modelHash as Hex,
      };
      await expect(file(f, consumer, relabelled, signature1)).to.be.revertedWithCustomError(
        challenges,
        "ReceiptNotSigned",
      );
      // A receipt for listing 2 dated more than the clients' clock skew before listing 2 existed is refused; within
      // the skew of its creation it counts (a key answers for the dates clients accept around its period).
      const skew = BigInt(MAX_RECEIPT_CLOCK_SKEW_SECONDS);
      await cHelpers.time.increaseTo(receiptBefore.servedAt + skew + 100n);
      const early = { ...relabelled, servedAt: created - skew - 1n };
      await expect(file(f, consumer, early, await signReceipt(provider, domain, early)))
        .to.be.revertedWithCustomError(challenges, "ReceiptNotSigned")
        .withArgs(second, provider.address, created - skew - 1n);
      // Sharing a key across listings: listing 1 rotates to a new key, and listing 2 may take the same key.
      const shared = Wallet.createRandom();
      await registry.connect(provider).setServingKey(listingId, shared.address);
      await registry.connect(provider).setServingKey(second, shared.address);
      const sharedFrom2 = (await registry.servingKeyPeriod(second, shared.address)).validFrom;
      const onTime = { ...relabelled, servedAt: created };
      await expect(file(f, consumer, onTime, await signReceipt(provider, domain, onTime))).to.emit(
        challenges,
        "FraudProofFiled",
      );
      // The shared key's receipt for listing 1 names listing 1: it can only ever be filed against listing 1.
      const r1 = await receiptOf(f, consumer, { nonce: 9n });
      const s1 = await signReceipt(shared, domain, r1);
      await expect(file(f, consumer, { ...r1, listingId: second }, s1)).to.be.revertedWithCustomError(
        challenges,
        "ReceiptWrongModel",
      );
      expect(sharedFrom2).to.be.greaterThan(0n);
      await expect(file(f, consumer, r1, s1)).to.emit(challenges, "FraudProofFiled");
    });

    it("a rotation at second T: the old key answers for receipts dated before T + skew, the new key from T - skew on", async function () {
      const f = await cHelpers.loadFixture(listedFixture);
      const { registry, challenges, provider, consumer, listingId, domain } = f;
      const skew = BigInt(MAX_RECEIPT_CLOCK_SKEW_SECONDS);
      const key = Wallet.createRandom();
      const T = (await now()) + 400n;
      await at(T);
      await registry.connect(provider).setServingKey(listingId, key.address);
      await cHelpers.time.increaseTo(T + skew + 10n);
      const oldLate = await receiptOf(f, consumer, { servedAt: T + skew });
      await expect(file(f, consumer, oldLate, await signReceipt(provider, domain, oldLate)))
        .to.be.revertedWithCustomError(challenges, "ReceiptNotSigned")
        .withArgs(listingId, provider.address, T + skew);
      const newEarly = await receiptOf(f, consumer, { servedAt: T - skew - 1n, nonce: 8n });
      await expect(file(f, consumer, newEarly, await signReceipt(key, domain, newEarly)))
        .to.be.revertedWithCustomError(challenges, "ReceiptNotSigned")
        .withArgs(listingId, key.address, T - skew - 1n);
      const oldInSkew = await receiptOf(f, consumer, { servedAt: T + skew - 1n, nonce: 9n });
      await expect(file(f, consumer, oldInSkew, await signReceipt(provider, domain, oldInSkew))).to.emit(
        challenges,
        "FraudProofFiled",
      );
    });
    it("attack: the provider dates a receipt a few minutes ahead (the client accepts up to 300 s) and rotates its key before that date; the old key still answers for it", async function () {
      // Before the fix a key answered only for dates inside its period: the rotation voided the receipt. Now it
      // answers for dates within the clients' clock skew (RECEIPT_CLOCK_SKEW) around its period.
      const f = await cHelpers.loadFixture(listedFixture);
      const { registry, challenges, provider, consumer, listingId, domain } = f;
      expect(await challenges.RECEIPT_CLOCK_SKEW()).to.equal(BigInt(MAX_RECEIPT_CLOCK_SKEW_SECONDS));
      const servedNow = await now();
      const receipt = await receiptOf(f, consumer, { servedAt: servedNow + 250n });
      const signature = await signReceipt(provider, domain, receipt);
      expect(clientVerdict(f, receipt, servedNow)).to.equal(undefined, "the client accepts the answer");
      await registry.connect(provider).setServingKey(listingId, Wallet.createRandom().address);
      await cHelpers.time.increaseTo(receipt.servedAt + 1n);
      await expect(file(f, consumer, receipt, signature)).to.emit(challenges, "FraudProofFiled");
    });
    it("attack: after each rotation the provider backdates the new key's receipts a few seconds (the client accepts); they still count", async function () {
      const f = await cHelpers.loadFixture(listedFixture);
      const { registry, challenges, consumer, provider, listingId, domain, courtHelper } = f;
      for (let i = 0n; i < 2n; i++) {
        const key = Wallet.createRandom();
        await registry.connect(provider).setServingKey(listingId, key.address);
        const rotatedAt = await now();
        await cHelpers.time.increase(200);
        const clientNow = await now();
        const receipt = await receiptOf(f, consumer, { servedAt: rotatedAt - 1n, nonce: 100n + i });
        const signature = await signReceipt(key, domain, receipt);
        expect(clientVerdict(f, receipt, clientNow)).to.equal(undefined, "the client accepts the answer");
        const disputeId = await courtHelper.fileFraudProof(consumer, receipt, signature, "data:,a", "data:,b");
        // The fraud proof opened; rule for the provider so the next one can be filed on the same listing.
        await courtHelper.runRound(disputeId, () => Choice.Defendant);
        await courtHelper.execute(disputeId);
      }
      expect(await challenges.receiptFirstFiledAt(ZeroHash)).to.equal(0n);
    });
  });

  describe("signatures and replay", function () {
    it("a high-s or 64-byte (EIP-2098) form of a valid signature is refused, and cannot open a second digest", async function () {
      const f = await cHelpers.loadFixture(listedFixture);
      const { challenges, provider, consumer, listingId, domain } = f;
      const receipt = await receiptOf(f, consumer);
      const signature = await signReceipt(provider, domain, receipt);
      const sig = Signature.from(signature);
      const highS = concat([
        sig.r,
        zeroPadValue(toBeHex(SECP256K1_N - BigInt(sig.s)), 32),
        sig.v === 27 ? "0x1c" : "0x1b",
      ]);
      // Plain ecrecover takes it (the malleable twin); OpenZeppelin's ECDSA refuses it.
      expect(recoverAddress(receiptDigest(domain, receipt), sig.serialized)).to.equal(provider.address);
      for (const bad of [highS, sig.compactSerialized]) {
        await expect(file(f, consumer, receipt, bad))
          .to.be.revertedWithCustomError(challenges, "ReceiptNotSigned")
          .withArgs(listingId, cEthers.ZeroAddress, receipt.servedAt);
      }
      // The digest is of the receipt, not of the signature: the valid form files it, once per receipt anchor.
      await expect(file(f, consumer, receipt, signature)).to.emit(challenges, "FraudProofFiled");
      expect(await challenges.receiptFirstFiledAt(receiptDigest(domain, receipt))).to.equal(await now());
    });

    it("a receipt signed for another registry (verifyingContract) or another chain does not verify", async function () {
      const f = await cHelpers.loadFixture(listedFixture);
      const { challenges, provider, consumer, domain } = f;
      const receipt = await receiptOf(f, consumer);
      for (const other of [
        { ...domain, verifyingContract: Wallet.createRandom().address },
        { ...domain, chainId: domain.chainId + 1n },
        { ...domain, name: "Curia Inference v2" },
      ]) {
        await expect(
          file(f, consumer, receipt, await signReceipt(provider, other, receipt)),
        ).to.be.revertedWithCustomError(challenges, "ReceiptNotSigned");
      }
    });
  });

  describe("the receipt's window", function () {
    it("a receipt is fileable up to exactly servedAt + escrow period, not a second later; a failed late filing anchors nothing", async function () {
      const f = await cHelpers.loadFixture(listedFixture);
      const { challenges, provider, consumer, domain } = f;
      const receipt = await receiptOf(f, consumer);
      const signature = await signReceipt(provider, domain, receipt);
      const late = await receiptOf(f, consumer, { nonce: 8n });
      const lateSignature = await signReceipt(provider, domain, late);
      await at(late.servedAt + ESCROW + 1n);
      await expect(file(f, consumer, late, lateSignature))
        .to.be.revertedWithCustomError(challenges, "ReceiptTooOld")
        .withArgs(late.servedAt, late.servedAt + 1n);
      expect(await challenges.receiptFirstFiledAt(receiptDigest(domain, late))).to.equal(0n);
      // Same servedAt, filed at the last second: accepted (the two share a servedAt, so set the time anew).
      const f2 = await cHelpers.loadFixture(listedFixture);
      const again = await receiptOf(f2, consumer, { servedAt: receipt.servedAt });
      await at(receipt.servedAt + ESCROW);
      await expect(file(f2, consumer, again, signature)).to.emit(f2.challenges, "FraudProofFiled");
    });
  });

  describe("griefing and dead listings", function () {
    it("griefing: re-filing the same honest receipt costs the filer bond and fee every time, pays the provider, and leaves the escrow intact", async function () {
      const f = await cHelpers.loadFixture(listedFixture);
      const { registry, token, court, provider, consumer, courtHelper, listingId, domain, market } = f;
      const receipt = await receiptOf(f, consumer);
      const signature = await signReceipt(provider, domain, receipt);
      const [escrowed] = await registry.escrowOf(listingId);
      const fee = await court.arbitrationCost();
      const toWinner = (BOND * BigInt(CHALLENGES.winnerShareBps)) / BPS;
      for (const disputeId of [1n, 2n]) {
        const filerBefore = await token.balanceOf(consumer.address);
        const providerBefore = await token.balanceOf(provider.address);
        await file(f, consumer, receipt, signature);
        // While it runs the listing sells nothing: the grief is paid for by the griefer.
        await expect(market.buy(consumer, listingId, 1n)).to.be.revertedWithCustomError(registry, "ListingWrongStatus");
        await courtHelper.runRound(disputeId, () => Choice.Defendant);
        await courtHelper.execute(disputeId);
        expect(await token.balanceOf(consumer.address)).to.equal(filerBefore - BOND - fee);
        expect(await token.balanceOf(provider.address)).to.equal(providerBefore + toWinner);
      }
      const [locked, releasable] = await registry.escrowOf(listingId);
      expect(locked + releasable).to.equal(escrowed);
    });

    it("a delisted listing: further receipts, releases, key changes and purchases are all refused; nothing is left to take", async function () {
      const f = await cHelpers.loadFixture(listedFixture);
      const { registry, provider, consumer, courtHelper, market, listingId, domain } = f;
      const receipt = await receiptOf(f, consumer);
      await file(f, consumer, receipt, await signReceipt(provider, domain, receipt));
      await courtHelper.runRound(1n, () => Choice.Challenger);
      await courtHelper.execute(1n);
      const second = await receiptOf(f, consumer, { nonce: 8n });
      await expect(file(f, consumer, second, await signReceipt(provider, domain, second)))
        .to.be.revertedWithCustomError(registry, "ListingWrongStatus")
        .withArgs(listingId, ListingStatus.Delisted);
      await expect(registry.releaseEarnings(listingId)).to.be.revertedWithCustomError(
        registry,
        "ListingNothingToRelease",
      );
      await expect(registry.connect(provider).setServingKey(listingId, Wallet.createRandom().address))
        .to.be.revertedWithCustomError(registry, "ListingWrongStatus")
        .withArgs(listingId, ListingStatus.Delisted);
      await expect(market.buy(consumer, listingId, 1n)).to.be.revertedWithCustomError(registry, "ListingWrongStatus");
      expect(await registry.escrowOf(listingId)).to.deep.equal([0n, 0n, 0n]);
    });

    it("the price cap: a purchase at exactly the cap passes, one wei under refuses, also through purchaseWithPermit", async function () {
      const f = await cHelpers.loadFixture(listedFixture);
      const { registry, consumer, listingId } = f;
      const { pricePerCall } = await registry.getListing(listingId);
      await expect(registry.connect(consumer).purchase(listingId, 1n, consumer.address, pricePerCall)).to.emit(
        registry,
        "CallsPurchased",
      );
      await expect(registry.connect(consumer).purchase(listingId, 1n, consumer.address, pricePerCall - 1n))
        .to.be.revertedWithCustomError(registry, "ListingPriceAboveMax")
        .withArgs(listingId, pricePerCall, pricePerCall - 1n);
      // A bogus permit is ignored (allowance already there), the cap still applies.
      await expect(
        registry
          .connect(consumer)
          .purchaseWithPermit(
            listingId,
            1n,
            consumer.address,
            pricePerCall - 1n,
            0n,
            27,
            cEthers.ZeroHash,
            cEthers.ZeroHash,
          ),
      ).to.be.revertedWithCustomError(registry, "ListingPriceAboveMax");
    });
  });
});
