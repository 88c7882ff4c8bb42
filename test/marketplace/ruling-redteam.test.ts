// Red team of the delisting's storage and calls as issue 15 cut them: the CurationPool's freeze lift and curators'
// slash in one registry call (resolveDispute), the listing's dispute id in the bond's slot (64 bits), and the registry's
// bond total in the token's slot (96 bits). Each test plays the attack against the cheaper layout and asserts the safe
// behaviour: it fails if the attack works.
import { expect } from "chai";
import { id, parseEther } from "ethers";
import { BOND, CURATION, deployMarketFixture, mHelpers, PRICE } from "../helpers/marketplace.js";

const BPS = 10_000n;
const Status = { Pending: 1n, Active: 2n, Challenged: 3n, Delisted: 4n } as const;

describe("red team: the delisting in one registry call", function () {
  it("attack: a frozen curator, an outsider or the slasher cannot lift a dispute's freeze through resolveDispute", async function () {
    const { provider, curatorA, challenges, outsider, registry, curationPool, token, treasury, market } =
      await mHelpers.loadFixture(deployMarketFixture);
    const listingId = await market.listActive(provider, "m");
    const stake = parseEther("200");
    await market.stakeActive(curatorA, listingId, stake);
    await curationPool.connect(curatorA).requestUnstake(listingId, stake);
    await market.waitForThaw(listingId, curatorA);
    await registry.connect(challenges).onChallengeOpened(listingId, 7n);
    expect((await curationPool.listingPool(listingId)).frozenBy).to.equal(7n);

    // The curator who sees its listing about to be delisted tries to lift the freeze (or have it lifted) and run
    // before the slash: only the registry, which checks the challenge role and the dispute, may end it.
    for (const caller of [curatorA, outsider, challenges]) {
      await expect(curationPool.connect(caller).resolveDispute(listingId, 7n, false))
        .to.be.revertedWithCustomError(curationPool, "CurationOnlyRegistry")
        .withArgs(caller.address);
    }
    await expect(curationPool.connect(curatorA).withdraw(listingId))
      .to.be.revertedWithCustomError(curationPool, "CurationExitsFrozen")
      .withArgs(listingId, 7n);

    // The ruling's one call lifts the freeze and slashes the thawing stake for the treasury, held in the pool.
    const slash = (stake * BigInt(CURATION.slashBps)) / BPS;
    const [, , feesBefore] = await curationPool.totalOwed();
    const [bondSlashed, curatorSlash] = await registry
      .connect(challenges)
      .onChallengeResolved.staticCall(listingId, 7n, true);
    expect([bondSlashed, curatorSlash]).to.deep.equal([BOND, slash]);
    await expect(registry.connect(challenges).onChallengeResolved(listingId, 7n, true))
      .to.emit(curationPool, "ExitsUnfrozen")
      .withArgs(listingId, 7n)
      .and.to.emit(curationPool, "CuratorsSlashed")
      .withArgs(listingId, 0n, slash, treasury, 0n, stake - slash);
    expect((await curationPool.listingPool(listingId)).frozenBy).to.equal(0n);
    const [, , feesAfter] = await curationPool.totalOwed();
    expect(feesAfter - feesBefore, "the treasury's slash stays in the pool").to.equal(slash);
    const before = await token.balanceOf(curatorA.address);
    await curationPool.connect(curatorA).withdraw(listingId);
    expect((await token.balanceOf(curatorA.address)) - before, "the curator leaves slashed").to.equal(stake - slash);
  });

  it("a ruling for the provider lifts the freeze in the same call and slashes nobody", async function () {
    const { provider, curatorA, challenges, registry, curationPool, market } =
      await mHelpers.loadFixture(deployMarketFixture);
    const listingId = await market.listActive(provider, "m");
    await market.stakeActive(curatorA, listingId, parseEther("200"));
    await registry.connect(challenges).onChallengeOpened(listingId, 7n);
    const [bondSlashed, curatorSlash] = await registry
      .connect(challenges)
      .onChallengeResolved.staticCall(listingId, 7n, false);
    expect([bondSlashed, curatorSlash]).to.deep.equal([0n, 0n]);
    await expect(registry.connect(challenges).onChallengeResolved(listingId, 7n, false))
      .to.emit(curationPool, "ExitsUnfrozen")
      .withArgs(listingId, 7n)
      .and.not.to.emit(curationPool, "CuratorsSlashed");
    expect(await curationPool.stakeOf(listingId, curatorA.address)).to.deep.equal([parseEther("200"), 0n, 0n]);
    expect(await registry.statusOf(listingId)).to.equal(Status.Active);
  });
});

describe("red team: the listing's dispute id in the bond's slot", function () {
  it("attack: a dispute id past 64 bits cannot alias an earlier dispute in the listing's record", async function () {
    const { provider, challenges, registry, market } = await mHelpers.loadFixture(deployMarketFixture);
    const listingId = await market.listActive(provider, "m");
    // Truncated to 64 bits, 2^64 + 7 would be recorded as 7: a ruling on dispute 7 would then resolve this listing.
    const wide = (1n << 64n) + 7n;
    await expect(registry.connect(challenges).onChallengeOpened(listingId, wide))
      .to.be.revertedWithCustomError(registry, "SafeCastOverflowedUintDowncast")
      .withArgs(64, wide);
    await expect(registry.connect(challenges).onChallengeResolved(listingId, 7n, true))
      .to.be.revertedWithCustomError(registry, "ListingWrongStatus")
      .withArgs(listingId, Status.Pending); // the recorded status: never Challenged
  });

  it("attack: a provider raising its bond mid-dispute neither clears the dispute nor keeps the raise from the slash", async function () {
    const { provider, challenges, registry, token, market } = await mHelpers.loadFixture(deployMarketFixture);
    const listingId = await market.listActive(provider, "m");
    await registry.connect(challenges).onChallengeOpened(listingId, 7n);
    // The raise writes the slot that holds the dispute id: the pending dispute must still block the exits.
    await registry.connect(provider).increaseBond(listingId, parseEther("5"));
    const listing = await registry.getListing(listingId);
    expect([listing.bond, listing.activeDisputeId]).to.deep.equal([BOND + parseEther("5"), 7n]);
    await expect(registry.connect(provider).releaseEarnings(listingId))
      .to.be.revertedWithCustomError(registry, "ListingDisputePending")
      .withArgs(listingId, 7n);
    await expect(registry.connect(challenges).onChallengeResolved(listingId, 8n, true))
      .to.be.revertedWithCustomError(registry, "ListingWrongDispute")
      .withArgs(listingId, 8n, 7n);
    const before = await token.balanceOf(challenges.address);
    await registry.connect(challenges).onChallengeResolved(listingId, 7n, true);
    expect((await token.balanceOf(challenges.address)) - before).to.equal(BOND + parseEther("5"));
    const after = await registry.getListing(listingId);
    expect([after.bond, after.activeDisputeId, after.status]).to.deep.equal([0n, 0n, Status.Delisted]);
  });
});

describe("red team: the registry's bond total in the token's slot", function () {
  it("attack: a bond past 96 bits cannot wrap the bond total (the registry's debt, which bounds the stray sweep)", async function () {
    const { provider, registry, market } = await mHelpers.loadFixture(deployMarketFixture);
    const huge = 1n << 96n;
    await expect(registry.connect(provider).createListing(id("m"), "ipfs://meta", "https://m.example", PRICE, huge))
      .to.be.revertedWithCustomError(registry, "ListingBondTooLow")
      .withArgs(huge, BOND);
    const listingId = await market.listActive(provider, "m");
    const amount = huge - BOND;
    await expect(registry.connect(provider).increaseBond(listingId, amount))
      .to.be.revertedWithCustomError(registry, "ListingInvalidBondIncrease")
      .withArgs(listingId, amount);
    const [bonds] = await registry.totalOwed();
    expect(bonds).to.equal(BOND);
  });
});
