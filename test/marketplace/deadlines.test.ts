// The marketplace's time windows at the exact second, as documented: a listing is Active from `activatesAt` (the
// application period's end) on, its bond comes back from `withdrawableAt` on, and a curator's unstaked tokens from
// `thawEnd` on. Each is tried one second before (refused) and at the second itself (allowed).
import { expect } from "chai";
import { id, parseEther } from "ethers";
import { Clock } from "../../scripts/drivers/time.js";
import { BOND, CURATION, deployMarketFixture, MARKET, mHelpers, PRICE } from "../helpers/marketplace.js";

const Status = { Pending: 1n, Active: 2n, Challenged: 3n } as const;

/** A listing created at a pinned second, and when its application period ends. */
async function listedFixture() {
  const f = await mHelpers.loadFixture(deployMarketFixture);
  const clock = new Clock(mHelpers);
  const createdAt = await clock.next();
  await f.registry.connect(f.provider).createListing(id("m"), "ipfs://meta", "https://m.example", PRICE, BOND);
  const activatesAt = createdAt + BigInt(MARKET.applicationPeriod);
  expect((await f.registry.getListing(1n)).activatesAt).to.equal(activatesAt);
  return { ...f, clock, listingId: 1n, activatesAt };
}

describe("Marketplace: deadlines to the second", function () {
  it("sells nothing at activatesAt − 1 and activates on the first purchase at activatesAt", async function () {
    const { registry, market, consumer, clock, listingId, activatesAt } = await mHelpers.loadFixture(listedFixture);
    await clock.justBefore(activatesAt);
    await expect(market.buy(consumer, listingId, 1n))
      .to.be.revertedWithCustomError(registry, "ListingWrongStatus")
      .withArgs(listingId, Status.Pending);
    await expect(registry.activate(listingId))
      .to.be.revertedWithCustomError(registry, "ListingWrongStatus")
      .withArgs(listingId, Status.Pending);
    await clock.at(activatesAt);
    await expect(market.buy(consumer, listingId, 1n))
      .to.emit(registry, "ListingActivated")
      .withArgs(listingId)
      .and.to.emit(registry, "CallsPurchased");
  });

  it("lets anyone record the activation at activatesAt", async function () {
    const { registry, clock, listingId, activatesAt } = await mHelpers.loadFixture(listedFixture);
    await clock.at(activatesAt);
    await expect(registry.activate(listingId)).to.emit(registry, "ListingActivated").withArgs(listingId);
  });

  it("restores a listing cleared before activatesAt to Pending, and one cleared at activatesAt to Active", async function () {
    const { registry, challenges, clock, listingId, activatesAt } = await mHelpers.loadFixture(listedFixture);
    await registry.connect(challenges).onChallengeOpened(listingId, 1n);
    const opened = await mHelpers.takeSnapshot();
    await clock.justBefore(activatesAt);
    await expect(registry.connect(challenges).onChallengeResolved(listingId, 1n, false))
      .to.emit(registry, "ListingChallengeResolved")
      .withArgs(listingId, 1n, false, 0n, Status.Pending);
    await opened.restore();
    await clock.at(activatesAt);
    await expect(registry.connect(challenges).onChallengeResolved(listingId, 1n, false))
      .to.emit(registry, "ListingChallengeResolved")
      .withArgs(listingId, 1n, false, 0n, Status.Active);
  });

  it("returns the bond at withdrawableAt and not a second before", async function () {
    const { registry, provider, token, clock, listingId } = await mHelpers.loadFixture(listedFixture);
    const requestedAt = await clock.next();
    await registry.connect(provider).requestWithdrawal(listingId);
    // At least one escrow period after the request: receipts served before it can still be filed.
    const withdrawableAt = requestedAt + BigInt(Math.max(MARKET.withdrawalDelay, MARKET.earningsEscrowPeriod));
    await clock.justBefore(withdrawableAt);
    await expect(registry.connect(provider).completeWithdrawal(listingId))
      .to.be.revertedWithCustomError(registry, "ListingWithdrawalNotReady")
      .withArgs(listingId, withdrawableAt);
    await clock.at(withdrawableAt);
    const before = await token.balanceOf(provider.address);
    await expect(registry.connect(provider).completeWithdrawal(listingId))
      .to.emit(registry, "ListingWithdrawn")
      .withArgs(listingId, provider.address, BOND);
    expect(await token.balanceOf(provider.address)).to.equal(before + BOND);
  });

  it("thaws a curator's stake until thawEnd − 1 and pays it at thawEnd", async function () {
    const { curationPool, market, curatorA, token, clock, listingId } = await mHelpers.loadFixture(listedFixture);
    const amount = parseEther("150");
    await market.stakeActive(curatorA, listingId, amount);
    const requestedAt = await clock.next();
    await curationPool.connect(curatorA).requestUnstake(listingId, amount);
    const thawEnd = requestedAt + BigInt(CURATION.thawingPeriod);
    expect((await curationPool.positionOf(listingId, curatorA.address)).thawEnd).to.equal(thawEnd);
    await clock.justBefore(thawEnd);
    await expect(curationPool.connect(curatorA).withdraw(listingId))
      .to.be.revertedWithCustomError(curationPool, "CurationNothingToWithdraw")
      .withArgs(listingId, curatorA.address, thawEnd);
    await clock.at(thawEnd);
    const before = await token.balanceOf(curatorA.address);
    await expect(curationPool.connect(curatorA).withdraw(listingId))
      .to.emit(curationPool, "StakeWithdrawn")
      .withArgs(listingId, curatorA.address, amount, amount);
    expect(await token.balanceOf(curatorA.address)).to.equal(before + amount);
  });
});
