import { expect } from "chai";
import { id, parseEther, ZeroAddress } from "ethers";
import {
  BOND,
  deployMarketFixture,
  MARKET,
  mEthers,
  mHelpers,
  PAUSE_GUARDIAN_TERM,
  PRICE,
  signPermit,
} from "../helpers/marketplace.js";

const Status = { None: 0n, Pending: 1n, Active: 2n, Challenged: 3n, Delisted: 4n, Withdrawn: 5n } as const;

describe("ListingRegistry", function () {
  describe("listing lifecycle", function () {
    it("takes the bond, stays Pending for the application period, then activates", async function () {
      const { provider, token, registry, market } = await mHelpers.loadFixture(deployMarketFixture);
      const before = await token.balanceOf(provider.address);
      // Pinned: under load the next block's timestamp would otherwise follow the wall clock.
      const now = BigInt(await mHelpers.time.latest());
      await mHelpers.time.setNextBlockTimestamp(now + 1n);
      await expect(
        registry.connect(provider).createListing(id("m"), "ipfs://meta", "https://m.example/infer", PRICE, BOND + 5n),
      )
        .to.emit(registry, "ListingCreated")
        .withArgs(
          1n,
          provider.address,
          id("m"),
          "ipfs://meta",
          "https://m.example/infer",
          PRICE,
          BOND + 5n,
          now + 1n + BigInt(MARKET.applicationPeriod),
        );
      expect(await token.balanceOf(provider.address)).to.equal(before - BOND - 5n);
      expect(await registry.statusOf(1n)).to.equal(Status.Pending);
      await expect(registry.activate(1n))
        .to.be.revertedWithCustomError(registry, "ListingWrongStatus")
        .withArgs(1n, Status.Pending);

      await market.waitForActivation(1n);
      expect(await registry.statusOf(1n)).to.equal(Status.Active);
      expect((await registry.getListing(1n)).status).to.equal(Status.Pending, "recorded lazily");
      await expect(registry.activate(1n)).to.emit(registry, "ListingActivated").withArgs(1n);
      expect((await registry.getListing(1n)).status).to.equal(Status.Active);
      await expect(registry.activate(1n))
        .to.be.revertedWithCustomError(registry, "ListingWrongStatus")
        .withArgs(1n, Status.Active);
    });

    it("lets the provider update metadata, endpoint and price, emitting old and new values", async function () {
      const { provider, rival, registry, market } = await mHelpers.loadFixture(deployMarketFixture);
      const listingId = await market.list(provider, "m");
      await expect(registry.connect(provider).updateMetadata(listingId, "ipfs://meta2"))
        .to.emit(registry, "ListingMetadataUpdated")
        .withArgs(listingId, "ipfs://meta/m", "ipfs://meta2");
      await expect(registry.connect(provider).updateEndpoint(listingId, "https://new.example"))
        .to.emit(registry, "ListingEndpointUpdated")
        .withArgs(listingId, "https://m.example/infer", "https://new.example");
      await expect(registry.connect(provider).updatePrice(listingId, 7n))
        .to.emit(registry, "ListingPriceUpdated")
        .withArgs(listingId, PRICE, 7n);
      const listing = await registry.getListing(listingId);
      expect([listing.metadataURI, listing.endpointURI, listing.pricePerCall]).to.deep.equal([
        "ipfs://meta2",
        "https://new.example",
        7n,
      ]);
      await expect(registry.connect(rival).updatePrice(listingId, 1n))
        .to.be.revertedWithCustomError(registry, "ListingNotProvider")
        .withArgs(listingId, rival.address);
    });

    it("returns the bond after the withdrawal delay, and stops sales from the request on", async function () {
      const { provider, consumer, token, registry, market } = await mHelpers.loadFixture(deployMarketFixture);
      const listingId = await market.listActive(provider, "m");
      const requestedAt = BigInt(await mHelpers.time.latest()) + 1n;
      await mHelpers.time.setNextBlockTimestamp(requestedAt);
      const tx = registry.connect(provider).requestWithdrawal(listingId);
      // At least one escrow period: receipts served before the request can still reach the bond.
      const withdrawableAt = requestedAt + BigInt(Math.max(MARKET.withdrawalDelay, MARKET.earningsEscrowPeriod));
      await expect(tx).to.emit(registry, "ListingWithdrawalRequested").withArgs(listingId, withdrawableAt);
      await expect(market.buy(consumer, listingId, 1n))
        .to.be.revertedWithCustomError(registry, "ListingNotPurchasable")
        .withArgs(listingId);
      await expect(registry.connect(provider).requestWithdrawal(listingId))
        .to.be.revertedWithCustomError(registry, "ListingWithdrawalAlreadyRequested")
        .withArgs(listingId, withdrawableAt);
      await expect(registry.connect(provider).completeWithdrawal(listingId))
        .to.be.revertedWithCustomError(registry, "ListingWithdrawalNotReady")
        .withArgs(listingId, withdrawableAt);
      await mHelpers.time.increaseTo(withdrawableAt);
      const before = await token.balanceOf(provider.address);
      await expect(registry.connect(provider).completeWithdrawal(listingId))
        .to.emit(registry, "ListingWithdrawn")
        .withArgs(listingId, provider.address, BOND);
      expect(await token.balanceOf(provider.address)).to.equal(before + BOND);
      expect(await registry.statusOf(listingId)).to.equal(Status.Withdrawn);
      await expect(registry.connect(provider).completeWithdrawal(listingId))
        .to.be.revertedWithCustomError(registry, "ListingWrongStatus")
        .withArgs(listingId, Status.Withdrawn);
    });
  });

  describe("purchases", function () {
    it("splits price × calls between provider, treasury, curators and validators exactly", async function () {
      const { provider, consumer, curatorA, token, registry, curationPool, market } =
        await mHelpers.loadFixture(deployMarketFixture);
      const listingId = await market.listActive(provider, "m", 333_333_333_333n);
      await market.stakeActive(curatorA, listingId, parseEther("500"));
      const calls = 7n;
      const cost = 333_333_333_333n * calls;
      const split = await market.expectedSplit(cost);
      expect(split.fee).to.be.greaterThan(0n);
      const quality = BigInt(MARKET.defaultQualityBps);

      await expect(market.buy(consumer, listingId, calls))
        .to.emit(registry, "CallsPurchased")
        .withArgs(
          listingId,
          consumer.address,
          consumer.address,
          calls,
          cost,
          split.providerAmount,
          split.treasuryFee,
          split.curatorFee,
          split.validatorFee,
          quality,
        )
        .and.to.emit(registry, "ListingActivated")
        .withArgs(listingId);
      expect(split.providerAmount + split.treasuryFee + split.curatorFee + split.validatorFee).to.equal(cost);
      // The provider's part waits in the listing's escrow, slashable with the bond, for one escrow period.
      expect(await registry.earningsOf(provider.address)).to.equal(0n);
      const [locked, releasable] = await registry.escrowOf(listingId);
      expect([locked, releasable]).to.deep.equal([split.providerAmount, 0n]);
      expect(await registry.callsPurchased(listingId, consumer.address)).to.equal(calls);
      const [bonds, earnings, treasuryFees, validatorFees] = await registry.totalOwed();
      expect([bonds, earnings, treasuryFees, validatorFees]).to.deep.equal([
        BOND,
        split.providerAmount,
        split.treasuryFee,
        split.validatorFee,
      ]);
      expect(await token.balanceOf(await registry.getAddress())).to.equal(
        bonds + earnings + treasuryFees + validatorFees,
      );
      // Quality-weighted curators' share: half (default quality 50 %) to the curator, the rest to the treasury.
      const toCurators = (split.curatorFee * quality) / 10_000n;
      expect(await curationPool.claimable(listingId, curatorA.address)).to.be.closeTo(toCurators, 1n);
    });

    it("credits the calls to a beneficiary and sums them over purchases", async function () {
      const { provider, consumer, outsider, registry, market } = await mHelpers.loadFixture(deployMarketFixture);
      const listingId = await market.listActive(provider, "m");
      await market.buy(consumer, listingId, 3n, outsider.address);
      await market.buy(consumer, listingId, 4n, outsider.address);
      expect(await registry.callsPurchased(listingId, outsider.address)).to.equal(7n);
      expect(await registry.callsPurchased(listingId, consumer.address)).to.equal(0n);
    });

    it("buys with an ERC-2612 permit in one transaction, even when the permit was front-run", async function () {
      const { provider, curatorB, token, registry, market } = await mHelpers.loadFixture(deployMarketFixture);
      const listingId = await market.listActive(provider, "m");
      const registryAddress = await registry.getAddress();
      await token.connect(curatorB).approve(registryAddress, 0n);
      const cost = PRICE * 5n;
      const deadline = BigInt(await mHelpers.time.latest()) + 3_600n;
      const signature = await signPermit(token, curatorB, registryAddress, cost, deadline);
      // Someone submits the permit first: the purchase must still go through on the allowance it created.
      await token.permit(curatorB.address, registryAddress, cost, deadline, signature.v, signature.r, signature.s);
      await expect(
        registry
          .connect(curatorB)
          .purchaseWithPermit(listingId, 5n, curatorB.address, PRICE, deadline, signature.v, signature.r, signature.s),
      ).to.emit(registry, "CallsPurchased");
      expect(await registry.callsPurchased(listingId, curatorB.address)).to.equal(5n);
      expect(await token.allowance(curatorB.address, registryAddress)).to.equal(0n);
    });

    it("pays providers through pull payments and sweeps fees to the treasury and the validators' pool", async function () {
      const { provider, consumer, outsider, token, registry, market, treasury } =
        await mHelpers.loadFixture(deployMarketFixture);
      const listingId = await market.listActive(provider, "m");
      await market.buy(consumer, listingId, 10n);
      const split = await market.expectedSplit(PRICE * 10n);
      await mHelpers.time.increase(2 * MARKET.earningsEscrowPeriod);
      await expect(registry.connect(outsider).releaseEarnings(listingId))
        .to.emit(registry, "EarningsReleased")
        .withArgs(listingId, provider.address, split.providerAmount);
      await expect(registry.connect(provider).withdrawEarnings(outsider.address))
        .to.emit(registry, "EarningsWithdrawn")
        .withArgs(provider.address, outsider.address, split.providerAmount);
      await expect(registry.connect(provider).withdrawEarnings(provider.address))
        .to.be.revertedWithCustomError(registry, "ListingNoEarnings")
        .withArgs(provider.address);
      const treasuryBefore = await token.balanceOf(treasury);
      // The validators' share goes to the ValidationManager, the validators' reward pool.
      const [, , validatorPool] = await registry.addresses();
      const poolBefore = await token.balanceOf(validatorPool);
      await expect(registry.connect(outsider).sweepFees())
        .to.emit(registry, "FeesSwept")
        .withArgs(treasury, split.treasuryFee, validatorPool, split.validatorFee);
      expect(await token.balanceOf(treasury)).to.equal(treasuryBefore + split.treasuryFee);
      expect(await token.balanceOf(validatorPool)).to.equal(poolBefore + split.validatorFee);
      expect(await token.balanceOf(await registry.getAddress())).to.equal(BOND);
    });
  });

  describe("roles and pausing", function () {
    it("records quality only from the validation role, within 0..10,000 bps", async function () {
      const { provider, validation, outsider, registry, market } = await mHelpers.loadFixture(deployMarketFixture);
      const listingId = await market.list(provider, "m");
      expect(await registry.qualityOf(listingId)).to.equal(BigInt(MARKET.defaultQualityBps));
      await expect(registry.connect(outsider).setQuality(listingId, 9_000))
        .to.be.revertedWithCustomError(registry, "ListingUnauthorized")
        .withArgs(outsider.address, ethersBytes32("validation"));
      await expect(registry.connect(validation).setQuality(listingId, 10_001))
        .to.be.revertedWithCustomError(registry, "ListingInvalidQuality")
        .withArgs(10_001n);
      await expect(registry.connect(validation).setQuality(listingId, 9_000))
        .to.emit(registry, "ListingQualityUpdated")
        .withArgs(listingId, MARKET.defaultQualityBps, 9_000);
      expect(await registry.qualityOf(listingId)).to.equal(9_000n);
    });

    it("lets the challenges challenge, delist and take the bond; a failed challenge restores the listing", async function () {
      const { provider, rival, consumer, challenges, token, registry, market } =
        await mHelpers.loadFixture(deployMarketFixture);
      const honest = await market.listActive(provider, "honest");
      const cheat = await market.list(rival, "cheat");
      await expect(registry.connect(consumer).onChallengeOpened(cheat, 1n))
        .to.be.revertedWithCustomError(registry, "ListingUnauthorized")
        .withArgs(consumer.address, ethersBytes32("challenges"));

      await expect(registry.connect(challenges).onChallengeOpened(cheat, 1n))
        .to.emit(registry, "ListingChallenged")
        .withArgs(cheat, 1n);
      await expect(registry.connect(challenges).onChallengeOpened(honest, 2n))
        .to.emit(registry, "ListingChallenged")
        .withArgs(honest, 2n);
      await expect(market.buy(consumer, honest, 1n))
        .to.be.revertedWithCustomError(registry, "ListingWrongStatus")
        .withArgs(honest, Status.Challenged);
      await expect(registry.connect(challenges).onChallengeResolved(cheat, 2n, true))
        .to.be.revertedWithCustomError(registry, "ListingWrongDispute")
        .withArgs(cheat, 2n, 1n);

      const challengesBefore = await token.balanceOf(challenges.address);
      await expect(registry.connect(challenges).onChallengeResolved(cheat, 1n, true))
        .to.emit(registry, "ListingChallengeResolved")
        .withArgs(cheat, 1n, true, BOND, Status.Delisted);
      expect(await token.balanceOf(challenges.address)).to.equal(challengesBefore + BOND);
      expect(await registry.statusOf(cheat)).to.equal(Status.Delisted);
      await expect(registry.connect(rival).updatePrice(cheat, 1n))
        .to.be.revertedWithCustomError(registry, "ListingWrongStatus")
        .withArgs(cheat, Status.Delisted);

      await expect(registry.connect(challenges).onChallengeResolved(honest, 2n, false))
        .to.emit(registry, "ListingChallengeResolved")
        .withArgs(honest, 2n, false, 0n, Status.Active);
      await expect(market.buy(consumer, honest, 1n)).to.emit(registry, "CallsPurchased");
    });

    it("keeps the bond while a dispute is pending, even past the withdrawal delay", async function () {
      const { provider, challenges, registry, market } = await mHelpers.loadFixture(deployMarketFixture);
      const listingId = await market.listActive(provider, "m");
      await registry.connect(provider).requestWithdrawal(listingId);
      await registry.connect(challenges).onChallengeOpened(listingId, 9n);
      await mHelpers.time.increase(Math.max(MARKET.withdrawalDelay, MARKET.earningsEscrowPeriod) + 1);
      await expect(registry.connect(provider).completeWithdrawal(listingId))
        .to.be.revertedWithCustomError(registry, "ListingDisputePending")
        .withArgs(listingId, 9n);
      await registry.connect(challenges).onChallengeResolved(listingId, 9n, false);
      await expect(registry.connect(provider).completeWithdrawal(listingId))
        .to.emit(registry, "ListingWithdrawn")
        .withArgs(listingId, provider.address, BOND);
    });

    it("lets the guardian pause new listings and purchases, never exits or withdrawals", async function () {
      const { deployer, provider, consumer, outsider, registry, market } =
        await mHelpers.loadFixture(deployMarketFixture);
      const listingId = await market.listActive(provider, "m");
      await market.buy(consumer, listingId, 1n);
      await registry.connect(provider).requestWithdrawal(listingId);
      await mHelpers.time.increase(2 * MARKET.earningsEscrowPeriod);
      await expect(registry.connect(outsider).setMarketPaused(true))
        .to.be.revertedWithCustomError(registry, "ListingUnauthorized")
        .withArgs(outsider.address, ethersBytes32("pauseGuardian"));
      await expect(registry.connect(deployer).setMarketPaused(true))
        .to.emit(registry, "MarketPausedSet")
        .withArgs(deployer.address, true);

      await expect(market.list(provider, "m2")).to.be.revertedWithCustomError(registry, "MarketPaused");
      await expect(market.buy(consumer, listingId, 1n)).to.be.revertedWithCustomError(registry, "MarketPaused");
      await expect(registry.releaseEarnings(listingId)).to.emit(registry, "EarningsReleased");
      await expect(registry.connect(provider).withdrawEarnings(provider.address)).to.emit(
        registry,
        "EarningsWithdrawn",
      );
      await mHelpers.time.increase(MARKET.withdrawalDelay + 1);
      await expect(registry.connect(provider).completeWithdrawal(listingId)).to.emit(registry, "ListingWithdrawn");
      await expect(registry.sweepFees()).to.emit(registry, "FeesSwept");
    });

    it("keeps the DAO's pause for the timelock alone, and the guardian's power to pause within its term", async function () {
      const { deployer, outsider, asTimelock, registry } = await mHelpers.loadFixture(deployMarketFixture);
      const term = PAUSE_GUARDIAN_TERM;
      const [, , , guardian, , termEnd] = await registry.addresses();
      expect(guardian).to.equal(deployer.address);
      // The guardian pauses; the DAO takes the pause over by pausing too, and then only the timelock lifts it.
      await registry.connect(deployer).setMarketPaused(true);
      expect((await registry.addresses())[4]).to.equal(1n, "ByGuardian");
      await registry.connect(asTimelock).setMarketPaused(true);
      expect((await registry.addresses())[4]).to.equal(2n, "ByDao");
      await expect(registry.connect(deployer).setMarketPaused(false)).to.be.revertedWithCustomError(
        registry,
        "MarketPausedByDao",
      );
      await expect(registry.connect(deployer).setMarketPaused(true)).to.be.revertedWithCustomError(
        registry,
        "MarketPausedByDao",
      );
      await expect(registry.connect(asTimelock).setMarketPaused(false))
        .to.emit(registry, "MarketPausedSet")
        .withArgs(await asTimelock.getAddress(), false);
      // The DAO lifts a guardian's pause too.
      await registry.connect(deployer).setMarketPaused(true);
      await registry.connect(asTimelock).setMarketPaused(false);
      expect((await registry.addresses())[4]).to.equal(0n, "None");

      // Once its term is over the guardian can no longer pause, but it can still lift its own pause.
      await mHelpers.time.increaseTo(termEnd - 10n);
      await registry.connect(deployer).setMarketPaused(true);
      await mHelpers.time.increaseTo(termEnd);
      await expect(registry.connect(deployer).setMarketPaused(true))
        .to.be.revertedWithCustomError(registry, "MarketGuardianTermOver")
        .withArgs(deployer.address, termEnd);
      await registry.connect(deployer).setMarketPaused(false);
      expect((await registry.addresses())[4]).to.equal(0n, "lifted after the term");

      // A new guardian gets a full term; the former one has no power left; zero names none.
      await expect(registry.connect(outsider).setPauseGuardian(outsider.address))
        .to.be.revertedWithCustomError(registry, "GovernedOnlyTimelock")
        .withArgs(outsider.address);
      const namedAt = BigInt(await mHelpers.time.latest()) + 5n;
      await mHelpers.time.setNextBlockTimestamp(namedAt);
      await expect(registry.connect(asTimelock).setPauseGuardian(outsider.address))
        .to.emit(registry, "PauseGuardianSet")
        .withArgs(deployer.address, outsider.address)
        .and.to.emit(registry, "PauseGuardianTermSet")
        .withArgs(outsider.address, namedAt + term);
      await expect(registry.connect(deployer).setMarketPaused(true))
        .to.be.revertedWithCustomError(registry, "ListingUnauthorized")
        .withArgs(deployer.address, ethersBytes32("pauseGuardian"));
      await registry.connect(outsider).setMarketPaused(true);
      await expect(registry.connect(asTimelock).setPauseGuardian(ZeroAddress))
        .to.emit(registry, "PauseGuardianTermSet")
        .withArgs(ZeroAddress, 0n);
      expect((await registry.addresses())[4]).to.equal(1n, "a pause outlives its guardian until the DAO lifts it");
      await registry.connect(asTimelock).setMarketPaused(false);
    });

    it("freezes the curators' exits of a listing while it is challenged, and only through the registry", async function () {
      const { provider, curatorA, challenges, outsider, registry, curationPool, market } =
        await mHelpers.loadFixture(deployMarketFixture);
      const listingId = await market.listActive(provider, "m");
      await market.stakeActive(curatorA, listingId, parseEther("200"));
      await curationPool.connect(curatorA).requestUnstake(listingId, parseEther("200"));
      await market.waitForThaw(listingId, curatorA);
      await expect(curationPool.connect(outsider).setExitsFrozen(listingId, 7n, true))
        .to.be.revertedWithCustomError(curationPool, "CurationOnlyRegistry")
        .withArgs(outsider.address);
      await expect(registry.connect(challenges).onChallengeOpened(listingId, 7n))
        .to.emit(curationPool, "ExitsFrozen")
        .withArgs(listingId, 7n);
      expect((await curationPool.listingPool(listingId)).frozenBy).to.equal(7n);
      await expect(curationPool.connect(curatorA).withdraw(listingId))
        .to.be.revertedWithCustomError(curationPool, "CurationExitsFrozen")
        .withArgs(listingId, 7n);
      await expect(registry.connect(challenges).onChallengeResolved(listingId, 7n, false))
        .to.emit(curationPool, "ExitsUnfrozen")
        .withArgs(listingId, 7n);
      expect((await curationPool.listingPool(listingId)).frozenBy).to.equal(0n);
      await expect(curationPool.connect(curatorA).withdraw(listingId))
        .to.emit(curationPool, "StakeWithdrawn")
        .withArgs(listingId, curatorA.address, parseEther("200"), parseEther("200"));
    });

    it("lets the provider pause its own listing", async function () {
      const { provider, consumer, registry, market } = await mHelpers.loadFixture(deployMarketFixture);
      const listingId = await market.listActive(provider, "m");
      await expect(registry.connect(provider).setListingPaused(listingId, true))
        .to.emit(registry, "ListingPauseSet")
        .withArgs(listingId, true);
      await expect(market.buy(consumer, listingId, 1n))
        .to.be.revertedWithCustomError(registry, "ListingNotPurchasable")
        .withArgs(listingId);
      await registry.connect(provider).setListingPaused(listingId, false);
      await expect(market.buy(consumer, listingId, 1n)).to.emit(registry, "CallsPurchased");
    });
  });

  describe("governance", function () {
    it("lets only the timelock change settings, each within bounds and emitting old and new", async function () {
      const { outsider, asTimelock, registry } = await mHelpers.loadFixture(deployMarketFixture);
      await expect(registry.connect(outsider).setProtocolFee(100))
        .to.be.revertedWithCustomError(registry, "GovernedOnlyTimelock")
        .withArgs(outsider.address);
      const r = registry.connect(asTimelock);
      await expect(r.setProtocolFee(250)).to.emit(registry, "ProtocolFeeSet").withArgs(MARKET.protocolFeeBps, 250);
      await expect(r.setProtocolFee(3_001))
        .to.be.revertedWithCustomError(registry, "ListingParameterOutOfBounds")
        .withArgs(ethersBytes32("protocolFeeBps"), 3_001n, 0n, 3_000n);
      await expect(r.setFeeShares(5_000, 5_000, 1))
        .to.be.revertedWithCustomError(registry, "ListingFeeSharesInvalid")
        .withArgs(5_000n, 5_000n, 1n);
      await expect(r.setFeeShares(1_000, 8_000, 1_000))
        .to.emit(registry, "FeeSharesSet")
        .withArgs(MARKET.treasuryShareBps, MARKET.curatorShareBps, MARKET.validatorShareBps, 1_000, 8_000, 1_000);
      await expect(r.setMinBond(0)).to.be.revertedWithCustomError(registry, "ListingParameterOutOfBounds");
      await expect(r.setWithdrawalDelay(60)).to.be.revertedWithCustomError(registry, "ListingParameterOutOfBounds");
      await expect(r.setApplicationPeriod(31 * 86_400)).to.be.revertedWithCustomError(
        registry,
        "ListingParameterOutOfBounds",
      );
      await expect(r.setDefaultQuality(10_001)).to.be.revertedWithCustomError(registry, "ListingParameterOutOfBounds");
      await expect(r.setMinBond(parseEther("5")))
        .to.emit(registry, "MinBondSet")
        .withArgs(MARKET.minBond, parseEther("5"));
      await expect(r.setValidatorRewardPool(mEthers.ZeroAddress)).to.be.revertedWithCustomError(
        registry,
        "GovernedZeroAddress",
      );
    });

    it("binds the curation pool once from the deployer, then only the timelock can rebind it", async function () {
      const { deployer, outsider, asTimelock, registry, curationPool } =
        await mHelpers.loadFixture(deployMarketFixture);
      await expect(registry.connect(deployer).setCurationPool(outsider.address))
        .to.be.revertedWithCustomError(registry, "GovernedOnlyTimelock")
        .withArgs(deployer.address);
      await expect(registry.connect(asTimelock).setCurationPool(outsider.address))
        .to.emit(registry, "CurationPoolSet")
        .withArgs(await curationPool.getAddress(), outsider.address);
    });
  });

  describe("reverts", function () {
    it("refuses a listing with a low bond, a zero hash, an empty or overlong URI, or a zero price", async function () {
      const { provider, registry } = await mHelpers.loadFixture(deployMarketFixture);
      const r = registry.connect(provider);
      await expect(r.createListing(id("m"), "a", "b", PRICE, BOND - 1n))
        .to.be.revertedWithCustomError(registry, "ListingBondTooLow")
        .withArgs(BOND - 1n, BOND);
      await expect(r.createListing(mEthers.ZeroHash, "a", "b", PRICE, BOND)).to.be.revertedWithCustomError(
        registry,
        "ListingInvalidModelHash",
      );
      await expect(r.createListing(id("m"), "", "b", PRICE, BOND))
        .to.be.revertedWithCustomError(registry, "ListingInvalidURI")
        .withArgs(0n, 2_048n);
      await expect(r.createListing(id("m"), "a", "x".repeat(2_049), PRICE, BOND))
        .to.be.revertedWithCustomError(registry, "ListingInvalidURI")
        .withArgs(2_049n, 2_048n);
      await expect(r.createListing(id("m"), "a", "b", 0n, BOND))
        .to.be.revertedWithCustomError(registry, "ListingInvalidPrice")
        .withArgs(0n);
    });

    it("refuses purchases of unknown, pending or bad-argument listings", async function () {
      const { provider, consumer, registry, market } = await mHelpers.loadFixture(deployMarketFixture);
      await expect(market.buy(consumer, 42n, 1n))
        .to.be.revertedWithCustomError(registry, "ListingNotFound")
        .withArgs(42n);
      const listingId = await market.list(provider, "m");
      await expect(market.buy(consumer, listingId, 1n))
        .to.be.revertedWithCustomError(registry, "ListingWrongStatus")
        .withArgs(listingId, Status.Pending);
      await market.waitForActivation(listingId);
      await expect(market.buy(consumer, listingId, 0n))
        .to.be.revertedWithCustomError(registry, "ListingInvalidPurchase")
        .withArgs(0n, consumer.address);
      await expect(registry.connect(consumer).purchase(listingId, 1n, mEthers.ZeroAddress, PRICE))
        .to.be.revertedWithCustomError(registry, "ListingInvalidPurchase")
        .withArgs(1n, mEthers.ZeroAddress);
    });
  });
});

function ethersBytes32(text: string): string {
  return mEthers.encodeBytes32String(text);
}
