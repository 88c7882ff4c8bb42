// Issue 18, "provider risk scales with reward", played as the attacker would: a cheater that sells as much as the market
// buys, takes out what its escrow releases and is caught one release late; and a slashed provider that relists the same
// model hash from a fresh address at the minimum bond.
import { expect } from "chai";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { encodeBytes32String, id, parseEther } from "ethers";
import { BOND, deployMarketFixture, MARKET, type MarketFixture, mHelpers, PRICE } from "../helpers/marketplace.js";
import { ESCROW } from "../helpers/receipts.js";

const Status = { Active: 2n, Delisted: 4n } as const;
/** The mainnet default of deploy/config.ts: the escrow at risk may reach the bond, no more. */
const MAINNET_CAP_BPS = 10_000n;

/** The challenge role (a plain account in the market fixture) opens and wins a dispute: the listing is delisted. */
async function delist(f: MarketFixture, listingId: bigint, disputeId: bigint) {
  await (await f.registry.connect(f.challenges).onChallengeOpened(listingId, disputeId)).wait();
  return f.registry.connect(f.challenges).onChallengeResolved(listingId, disputeId, true);
}

/** Consumers buy `demand` calls in chunks of `chunk`, as long as the listing sells; returns the calls sold. */
async function buyWhileItSells(f: MarketFixture, listingId: bigint, demand: bigint, chunk: bigint) {
  let sold = 0n;
  while (sold < demand) {
    try {
      await (await f.market.buy(f.consumer, listingId, chunk)).wait();
    } catch {
      break;
    }
    sold += chunk;
  }
  return sold;
}

/**
 * The late-caught cheater: lists at the minimum bond, serves junk, sells what the market buys in one escrow period
 * (10,000 calls: 10 times its bond), waits until those earnings are released, withdraws them, sells again and is
 * caught. Returns its profit in CUR wei and the calls it sold in the first period.
 */
async function lateCaughtCheater(f: MarketFixture, cheater: HardhatEthersSigner) {
  const before = await f.token.balanceOf(cheater.address);
  const listingId = await f.market.listActive(cheater, "junk-served-as-mnist");
  const sold = await buyWhileItSells(f, listingId, 10_000n, 500n);
  await mHelpers.time.increase(2n * ESCROW);
  await buyWhileItSells(f, listingId, 10_000n, 500n); // the first credit of the new period releases the old ones
  await (await f.registry.releaseEarnings(listingId).catch(() => null))?.wait();
  if ((await f.registry.earningsOf(cheater.address)) > 0n) {
    await f.registry.connect(cheater).withdrawEarnings(cheater.address);
  }
  await delist(f, listingId, 1n);
  expect(await f.registry.statusOf(listingId)).to.equal(Status.Delisted);
  return { profit: (await f.token.balanceOf(cheater.address)) - before, sold };
}

describe("ListingRegistry: provider risk scales with reward (issue 18)", function () {
  describe("attacks", function () {
    it("a cheater caught one escrow release late loses money: its sales per period are capped by its bond", async function () {
      const f = await mHelpers.loadFixture(deployMarketFixture);
      await f.registry.connect(f.asTimelock).setMaxEscrowPerBond(Number(MAINNET_CAP_BPS));
      const { profit, sold } = await lateCaughtCheater(f, f.rival);
      // Without the cap the market bought all 10,000 calls: 19,000 CUR released, minus the 1,000 CUR bond = +18,000.
      // With it, the escrow at risk never passes the bond: 500 calls (950 CUR) in the first period, the next chunk
      // of 500 would put 1,900 CUR at risk against a 1,000 CUR bond.
      expect(sold).to.equal(500n);
      expect(profit).to.equal(parseEther("950") - BOND);
      expect(profit).to.be.lessThan(0n, "the late-caught cheater loses");
    });

    it("a slashed provider cannot relist the same model hash from a new address at the minimum bond", async function () {
      const f = await mHelpers.loadFixture(deployMarketFixture);
      const { provider, rival, outsider, registry, market } = f;
      const first = await market.listActive(provider, "mnist-mlp");
      await expect(delist(f, first, 1n))
        .to.emit(registry, "ModelSlashed")
        .withArgs(id("mnist-mlp"), first, 1n);
      expect(await registry.requiredBond(id("mnist-mlp"))).to.equal(2n * BOND);

      // A fresh address, the same weights: the minimum bond is no longer enough, twice it is.
      const relist = (who: HardhatEthersSigner, bond: bigint) =>
        registry.connect(who).createListing(id("mnist-mlp"), "ipfs://meta", "https://m.example/infer", PRICE, bond);
      await expect(relist(rival, BOND))
        .to.be.revertedWithCustomError(registry, "ListingBondTooLow")
        .withArgs(BOND, 2n * BOND);
      const second = await market.list(rival, "mnist-mlp", PRICE, 2n * BOND);
      await market.waitForActivation(second);
      await delist(f, second, 2n);
      // Each slash doubles it.
      await expect(relist(outsider, 2n * BOND))
        .to.be.revertedWithCustomError(registry, "ListingBondTooLow")
        .withArgs(2n * BOND, 4n * BOND);
      // Another hash (one byte of the file changed) is another model: the minimum bond, but no validator or curator
      // history, and the listing no longer claims the reference weights the slashed one did.
      await expect(
        registry.connect(outsider).createListing(id("mnist-mlp-v2"), "ipfs://meta", "https://m.example", PRICE, BOND),
      ).to.emit(registry, "ListingCreated");
      // The doubling stops at 2^8 minimum bonds, so the required bond stays within what a listing can hold.
      for (let i = 3n; i <= 10n; i++) {
        const next = await market.list(outsider, "mnist-mlp", PRICE, await registry.requiredBond(id("mnist-mlp")));
        await market.waitForActivation(next);
        await (await delist(f, next, i)).wait();
      }
      expect(await registry.requiredBond(id("mnist-mlp"))).to.equal(256n * BOND);
    });
    it("a provider whose listing is challenged cannot relist the model at the unslashed bond before the ruling", async function () {
      // The cheater sees the challenge coming in and, knowing it will lose, lists the same weights again (from another
      // address) while the dispute runs: were only rulings counted, the new listing would pay the minimum bond and
      // outlive the slash. A challenge pending against the model counts as a slash until it is ruled.
      const f = await mHelpers.loadFixture(deployMarketFixture);
      const { provider, rival, outsider, registry, market } = f;
      const relist = (who: HardhatEthersSigner, bond: bigint) =>
        registry.connect(who).createListing(id("mnist-mlp"), "ipfs://meta", "https://m.example/infer", PRICE, bond);
      const first = await market.listActive(provider, "mnist-mlp");
      const second = await market.listActive(outsider, "mnist-mlp");
      await (await registry.connect(f.challenges).onChallengeOpened(first, 1n)).wait();
      await expect(relist(rival, BOND))
        .to.be.revertedWithCustomError(registry, "ListingBondTooLow")
        .withArgs(BOND, 2n * BOND);
      // Two challenges pending against the model: still one doubling (self-challenges cannot price newcomers out).
      await (await registry.connect(f.challenges).onChallengeOpened(second, 2n)).wait();
      expect(await registry.requiredBond(id("mnist-mlp"))).to.equal(2n * BOND);
      // A challenge the provider wins no longer counts; one it loses counts as the slash it is.
      await (await registry.connect(f.challenges).onChallengeResolved(second, 2n, false)).wait();
      expect(await registry.requiredBond(id("mnist-mlp"))).to.equal(2n * BOND);
      await expect(registry.connect(f.challenges).onChallengeResolved(first, 1n, true))
        .to.emit(registry, "ModelSlashed")
        .withArgs(id("mnist-mlp"), first, 1n);
      expect(await registry.requiredBond(id("mnist-mlp"))).to.equal(2n * BOND);
      await expect(relist(rival, 2n * BOND)).to.emit(registry, "ListingCreated");
    });

    it("a challenge the provider wins leaves the model's bond where it was", async function () {
      const f = await mHelpers.loadFixture(deployMarketFixture);
      const { provider, registry, market } = f;
      const listingId = await market.listActive(provider, "mnist-mlp");
      await (await registry.connect(f.challenges).onChallengeOpened(listingId, 1n)).wait();
      await (await registry.connect(f.challenges).onChallengeResolved(listingId, 1n, false)).wait();
      expect(await registry.requiredBond(id("mnist-mlp"))).to.equal(BOND);
    });
  });

  describe("sales cap", function () {
    async function cappedListing() {
      const f = await mHelpers.loadFixture(deployMarketFixture);
      await f.registry.connect(f.asTimelock).setMaxEscrowPerBond(Number(MAINNET_CAP_BPS));
      const listingId = await f.market.listActive(f.provider, "mnist-mlp");
      return { ...f, listingId };
    }

    it("refuses a purchase that would put more than bond × cap at risk, and keeps the calls bought before", async function () {
      const { registry, market, consumer, listingId } = await cappedListing();
      await market.buy(consumer, listingId, 500n); // 950 CUR in escrow against a 1,000 CUR bond
      await expect(market.buy(consumer, listingId, 100n))
        .to.be.revertedWithCustomError(registry, "ListingSalesCapReached")
        .withArgs(listingId, parseEther("1140"), BOND);
      expect(await registry.callsPurchased(listingId, consumer.address)).to.equal(500n, "none lost");
      await expect(market.buy(consumer, listingId, 26n)).to.emit(registry, "CallsPurchased"); // 999.4 CUR: fits
    });

    it("lets the provider raise its bond to sell more, and frees capacity as the escrow is released", async function () {
      const { registry, token, market, provider, consumer, listingId } = await cappedListing();
      await market.buy(consumer, listingId, 500n);
      await expect(registry.connect(provider).increaseBond(listingId, BOND))
        .to.emit(registry, "ListingBondIncreased")
        .withArgs(listingId, BOND, 2n * BOND);
      expect((await registry.getListing(listingId)).bond).to.equal(2n * BOND);
      expect((await registry.totalOwed())[0]).to.equal(2n * BOND);
      await expect(market.buy(consumer, listingId, 500n)).to.emit(registry, "CallsPurchased"); // 1,900 ≤ 2,000
      // Two periods later the first sales are released: the escrow at risk is empty again.
      await mHelpers.time.increase(2n * ESCROW);
      await expect(market.buy(consumer, listingId, 1_000n)).to.emit(registry, "EarningsReleased");
      // The bond, raised, comes back whole on exit.
      await registry.connect(provider).requestWithdrawal(listingId);
      await mHelpers.time.increase(2n * ESCROW);
      const before = await token.balanceOf(provider.address);
      await registry.connect(provider).completeWithdrawal(listingId);
      expect((await token.balanceOf(provider.address)) - before).to.equal(2n * BOND);
    });

    it("is governed within bounds, emitting old and new", async function () {
      const { registry, asTimelock, outsider } = await mHelpers.loadFixture(deployMarketFixture);
      const local = (await registry.parameters()).maxEscrowPerBondBps;
      expect(local).to.equal(BigInt(MARKET.maxEscrowPerBondBps));
      await expect(registry.connect(asTimelock).setMaxEscrowPerBond(20_000))
        .to.emit(registry, "MaxEscrowPerBondSet")
        .withArgs(local, 20_000n);
      expect((await registry.parameters()).maxEscrowPerBondBps).to.equal(20_000n);
      await expect(registry.connect(outsider).setMaxEscrowPerBond(20_000)).to.be.revertedWithCustomError(
        registry,
        "GovernedOnlyTimelock",
      );
      for (const bad of [999, 1_000_001]) {
        await expect(registry.connect(asTimelock).setMaxEscrowPerBond(bad))
          .to.be.revertedWithCustomError(registry, "ListingParameterOutOfBounds")
          .withArgs(encodeBytes32String("maxEscrowPerBondBps"), bad, 1_000n, 1_000_000n);
      }
    });

    describe("reverts", function () {
      it("refuses a zero or oversized bond increase, a stranger's, and one on a delisted listing", async function () {
        const f = await cappedListing();
        const { registry, provider, outsider, listingId } = f;
        await expect(registry.connect(provider).increaseBond(listingId, 0n))
          .to.be.revertedWithCustomError(registry, "ListingInvalidBondIncrease")
          .withArgs(listingId, 0n);
        await expect(registry.connect(provider).increaseBond(listingId, 2n ** 128n))
          .to.be.revertedWithCustomError(registry, "ListingInvalidBondIncrease")
          .withArgs(listingId, 2n ** 128n);
        await expect(registry.connect(outsider).increaseBond(listingId, BOND))
          .to.be.revertedWithCustomError(registry, "ListingNotProvider")
          .withArgs(listingId, outsider.address);
        await expect(registry.connect(provider).increaseBond(42n, BOND))
          .to.be.revertedWithCustomError(registry, "ListingNotFound")
          .withArgs(42n);
        await delist(f, listingId, 1n);
        await expect(registry.connect(provider).increaseBond(listingId, BOND))
          .to.be.revertedWithCustomError(registry, "ListingWrongStatus")
          .withArgs(listingId, Status.Delisted);
      });
    });
  });
});
