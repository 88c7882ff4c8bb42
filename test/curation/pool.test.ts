import { expect } from "chai";
import { parseEther } from "ethers";
import { CURATION, deployMarketFixture, mEthers, mHelpers, PRICE, signPermit } from "../helpers/marketplace.js";

const PRECISION = 10n ** 27n;

describe("CurationPool", function () {
  it("shares a listing's curator fees per share, weighted by its verified quality", async function () {
    const { provider, consumer, curatorA, curatorB, validation, registry, curationPool, market } =
      await mHelpers.loadFixture(deployMarketFixture);
    const listingId = await market.listActive(provider, "m");
    await market.stakeActive(curatorA, listingId, parseEther("300"));
    await market.stakeActive(curatorB, listingId, parseEther("100"));
    await registry.connect(validation).setQuality(listingId, 8_000);

    const cost = PRICE * 1_000n;
    const { curatorFee } = await market.expectedSplit(cost);
    const toCurators = (curatorFee * 8_000n) / 10_000n;
    await expect(market.buy(consumer, listingId, 1_000n))
      .to.emit(curationPool, "FeesDistributed")
      .withArgs(
        listingId,
        curatorFee,
        8_000,
        toCurators,
        curatorFee - toCurators,
        (toCurators * PRECISION) / parseEther("400"),
      );

    const a = await curationPool.claimable(listingId, curatorA.address);
    const b = await curationPool.claimable(listingId, curatorB.address);
    expect(a).to.equal((toCurators * 3n) / 4n);
    expect(b).to.equal(toCurators / 4n);
    expect(a + b).to.be.lessThanOrEqual(toCurators, "never more than was distributed");

    await expect(curationPool.connect(curatorA).claim(listingId, curatorA.address))
      .to.emit(curationPool, "RewardsClaimed")
      .withArgs(listingId, curatorA.address, curatorA.address, a);
    await expect(curationPool.connect(curatorA).claim(listingId, curatorA.address))
      .to.be.revertedWithCustomError(curationPool, "CurationNothingToClaim")
      .withArgs(listingId, curatorA.address);
  });

  it("stakes with an ERC-2612 permit in one transaction", async function () {
    const { provider, curatorB, token, curationPool, market } = await mHelpers.loadFixture(deployMarketFixture);
    const listingId = await market.list(provider, "m");
    const poolAddress = await curationPool.getAddress();
    await token.connect(curatorB).approve(poolAddress, 0n);
    const amount = parseEther("250");
    const deadline = BigInt(await mHelpers.time.latest()) + 3_600n;
    const signature = await signPermit(token, curatorB, poolAddress, amount, deadline);
    await expect(
      curationPool
        .connect(curatorB)
        .stakeWithPermit(listingId, amount, deadline, signature.v, signature.r, signature.s),
    )
      .to.emit(curationPool, "Staked")
      .withArgs(listingId, curatorB.address, amount, amount);
    // A new stake warms up before it earns: it is neither active nor thawing yet.
    expect(await curationPool.stakeOf(listingId, curatorB.address)).to.deep.equal([0n, 0n, amount]);
    expect(await token.allowance(curatorB.address, poolAddress)).to.equal(0n);
  });

  it("sends everything to the treasury when nobody curates the listing", async function () {
    const { provider, consumer, curationPool, market } = await mHelpers.loadFixture(deployMarketFixture);
    const listingId = await market.listActive(provider, "m");
    const { curatorFee } = await market.expectedSplit(PRICE * 10n);
    await market.buy(consumer, listingId, 10n);
    const [staked, rewards, treasuryFees] = await curationPool.totalOwed();
    expect([staked, rewards, treasuryFees]).to.deep.equal([0n, 0n, curatorFee]);
  });

  it("thaws unstaked tokens for the governed period; thawing stake earns nothing", async function () {
    const { provider, consumer, curatorA, curatorB, token, curationPool, market } =
      await mHelpers.loadFixture(deployMarketFixture);
    const listingId = await market.listActive(provider, "m");
    await market.stakeActive(curatorA, listingId, parseEther("200"));
    await market.stakeActive(curatorB, listingId, parseEther("200"));
    const requestedAt = BigInt(await mHelpers.time.latest()) + 1n;
    await mHelpers.time.setNextBlockTimestamp(requestedAt);
    const tx = curationPool.connect(curatorA).requestUnstake(listingId, parseEther("200"));
    const thawEnd = requestedAt + BigInt(CURATION.thawingPeriod);
    await expect(tx)
      .to.emit(curationPool, "UnstakeRequested")
      .withArgs(listingId, curatorA.address, parseEther("200"), parseEther("200"), parseEther("200"), thawEnd);
    await expect(curationPool.connect(curatorA).withdraw(listingId))
      .to.be.revertedWithCustomError(curationPool, "CurationNothingToWithdraw")
      .withArgs(listingId, curatorA.address, thawEnd);

    await market.buy(consumer, listingId, 100n);
    expect(await curationPool.claimable(listingId, curatorA.address)).to.equal(0n);
    expect(await curationPool.claimable(listingId, curatorB.address)).to.be.greaterThan(0n);

    await mHelpers.time.increaseTo(thawEnd);
    const before = await token.balanceOf(curatorA.address);
    await expect(curationPool.connect(curatorA).withdraw(listingId))
      .to.emit(curationPool, "StakeWithdrawn")
      .withArgs(listingId, curatorA.address, parseEther("200"), parseEther("200"));
    expect(await token.balanceOf(curatorA.address)).to.equal(before + parseEther("200"));
  });

  it("slashes active, warming and thawing stake by the governed percentage, exactly, from the challenges only", async function () {
    const { provider, curatorA, curatorB, challenges, outsider, token, curationPool, market } =
      await mHelpers.loadFixture(deployMarketFixture);
    const listingId = await market.listActive(provider, "m");
    await market.stakeActive(curatorA, listingId, parseEther("300"));
    await market.stakeActive(curatorB, listingId, parseEther("101"));
    // A stake placed just before the ruling is still warming: it answers for the dispute all the same.
    await market.stake(curatorA, listingId, parseEther("150"));
    await curationPool.connect(curatorB).requestUnstake(listingId, parseEther("101"));
    await expect(curationPool.connect(outsider).slash(listingId, outsider.address))
      .to.be.revertedWithCustomError(curationPool, "CurationOnlySlasher")
      .withArgs(outsider.address);

    const activeSlashed = (parseEther("300") * BigInt(CURATION.slashBps)) / 10_000n;
    const thawingSlashed = (parseEther("101") * BigInt(CURATION.slashBps)) / 10_000n;
    const warmingSlashed = (parseEther("150") * BigInt(CURATION.slashBps)) / 10_000n;
    const challengesBefore = await token.balanceOf(challenges.address);
    await expect(curationPool.connect(challenges).slash(listingId, challenges.address))
      .to.emit(curationPool, "WarmingStakeSlashed")
      .withArgs(listingId, warmingSlashed, parseEther("150") - warmingSlashed)
      .and.to.emit(curationPool, "CuratorsSlashed")
      .withArgs(
        listingId,
        activeSlashed,
        thawingSlashed,
        challenges.address,
        parseEther("300") - activeSlashed,
        parseEther("101") - thawingSlashed,
      );
    expect(await token.balanceOf(challenges.address)).to.equal(
      challengesBefore + activeSlashed + thawingSlashed + warmingSlashed,
    );
    const [activeA, , warmingA] = await curationPool.stakeOf(listingId, curatorA.address);
    const [, thawingB] = await curationPool.stakeOf(listingId, curatorB.address);
    expect(activeA).to.equal(parseEther("300") - activeSlashed);
    expect(warmingA).to.equal(parseEther("150") - warmingSlashed, "a late stake does not escape the slash");
    expect(thawingB).to.equal(parseEther("101") - thawingSlashed, "leaving does not escape the slash");
  });

  it("sends reward rounding dust to the treasury when the last curator leaves, leaving nothing stuck", async function () {
    const { provider, consumer, curatorA, curatorB, token, curationPool, market } =
      await mHelpers.loadFixture(deployMarketFixture);
    const listingId = await market.listActive(provider, "m", 3n);
    await market.stakeActive(curatorA, listingId, parseEther("100") + 1n);
    await market.stakeActive(curatorB, listingId, parseEther("100") + 2n);
    for (let i = 0; i < 5; i++) await market.buy(consumer, listingId, 7n + BigInt(i));
    for (const curator of [curatorA, curatorB]) {
      const [active] = await curationPool.stakeOf(listingId, curator.address);
      await curationPool.connect(curator).requestUnstake(listingId, active);
    }
    await market.waitForThaw(listingId, curatorB);
    for (const curator of [curatorA, curatorB]) {
      await curationPool.connect(curator).withdraw(listingId);
      if ((await curationPool.claimable(listingId, curator.address)) > 0n)
        await curationPool.connect(curator).claim(listingId, curator.address);
    }
    const pool = await curationPool.listingPool(listingId);
    expect([
      pool.activeShares,
      pool.activeStake,
      pool.thawingShares,
      pool.thawingStake,
      pool.rewardsOwed,
      pool.openPositions,
    ]).to.deep.equal([0n, 0n, 0n, 0n, 0n, 0n]);
    const [staked, rewards, treasuryFees] = await curationPool.totalOwed();
    expect(staked + rewards).to.equal(0n);
    expect(await token.balanceOf(await curationPool.getAddress())).to.equal(treasuryFees);
    await curationPool.sweepTreasuryFees();
    expect(await token.balanceOf(await curationPool.getAddress())).to.equal(0n);
  });

  it("activates a warm stake once its warm-up is over, by anyone; a new stake restarts the warm-up", async function () {
    const { provider, outsider, curatorA, curationPool, market } = await mHelpers.loadFixture(deployMarketFixture);
    const listingId = await market.listActive(provider, "m");
    await market.stake(curatorA, listingId, parseEther("100"));
    let { warmEnd } = await curationPool.positionOf(listingId, curatorA.address);
    await expect(curationPool.connect(outsider).activate(listingId, curatorA.address))
      .to.be.revertedWithCustomError(curationPool, "CurationNothingToActivate")
      .withArgs(listingId, curatorA.address, warmEnd);
    // Adding to a warming stake cannot shorten its warm-up: the whole of it starts again.
    await mHelpers.time.increaseTo(warmEnd - 10n);
    await market.stake(curatorA, listingId, parseEther("50"));
    ({ warmEnd } = await curationPool.positionOf(listingId, curatorA.address));
    expect(warmEnd).to.equal(BigInt(await mHelpers.time.latest()) + BigInt(CURATION.warmupPeriod));
    await mHelpers.time.increaseTo(warmEnd);
    await expect(curationPool.connect(outsider).activate(listingId, curatorA.address))
      .to.emit(curationPool, "StakeActivated")
      .withArgs(listingId, curatorA.address, parseEther("150"), parseEther("150"), parseEther("150"), outsider.address);
    expect(await curationPool.stakeOf(listingId, curatorA.address)).to.deep.equal([parseEther("150"), 0n, 0n]);
    await expect(curationPool.activate(listingId, curatorA.address))
      .to.be.revertedWithCustomError(curationPool, "CurationNothingToActivate")
      .withArgs(listingId, curatorA.address, 0n);
  });

  describe("reverts", function () {
    it("refuses stakes below the minimum, leftovers below it, and asking back more than staked", async function () {
      const { provider, curatorA, curationPool, market } = await mHelpers.loadFixture(deployMarketFixture);
      const listingId = await market.list(provider, "m");
      await expect(market.stake(curatorA, listingId, CURATION.minStake - 1n))
        .to.be.revertedWithCustomError(curationPool, "CurationStakeTooLow")
        .withArgs(CURATION.minStake - 1n, CURATION.minStake);
      await expect(market.stake(curatorA, listingId, 0n)).to.be.revertedWithCustomError(
        curationPool,
        "CurationZeroAmount",
      );
      await market.stake(curatorA, listingId, parseEther("150"));
      // Stake still warming cannot be asked back.
      await expect(curationPool.connect(curatorA).requestUnstake(listingId, parseEther("100")))
        .to.be.revertedWithCustomError(curationPool, "CurationInsufficientStake")
        .withArgs(parseEther("100"), 0n);
      await market.waitForWarmUp(listingId, curatorA);
      await expect(curationPool.connect(curatorA).requestUnstake(listingId, parseEther("100")))
        .to.be.revertedWithCustomError(curationPool, "CurationStakeTooLow")
        .withArgs(parseEther("50"), CURATION.minStake);
      await expect(curationPool.connect(curatorA).requestUnstake(listingId, parseEther("151")))
        .to.be.revertedWithCustomError(curationPool, "CurationInsufficientStake")
        .withArgs(parseEther("151"), parseEther("150"));
    });

    it("refuses stake on a delisted listing and fee reports from anyone but the registry", async function () {
      const { provider, curatorA, challenges, outsider, registry, curationPool, market } =
        await mHelpers.loadFixture(deployMarketFixture);
      const listingId = await market.list(provider, "m");
      await registry.connect(challenges).onChallengeOpened(listingId, 1n);
      await expect(market.stake(curatorA, listingId, parseEther("100")))
        .to.be.revertedWithCustomError(curationPool, "CurationListingNotOpen")
        .withArgs(listingId, 3);
      await registry.connect(challenges).onChallengeResolved(listingId, 1n, true);
      await expect(market.stake(curatorA, listingId, parseEther("100")))
        .to.be.revertedWithCustomError(curationPool, "CurationListingNotOpen")
        .withArgs(listingId, 4);
      await expect(curationPool.connect(outsider).notifyFees(listingId, 1n, 10_000))
        .to.be.revertedWithCustomError(curationPool, "CurationOnlyRegistry")
        .withArgs(outsider.address);
    });

    it("lets only the timelock change settings, within bounds", async function () {
      const { outsider, asTimelock, curationPool } = await mHelpers.loadFixture(deployMarketFixture);
      await expect(curationPool.connect(outsider).setSlashBps(1))
        .to.be.revertedWithCustomError(curationPool, "GovernedOnlyTimelock")
        .withArgs(outsider.address);
      await expect(curationPool.connect(asTimelock).setSlashBps(5_001))
        .to.be.revertedWithCustomError(curationPool, "CurationParameterOutOfBounds")
        .withArgs(mEthers.encodeBytes32String("slashBps"), 5_001n, 0n, 5_000n);
      await expect(curationPool.connect(asTimelock).setThawingPeriod(60)).to.be.revertedWithCustomError(
        curationPool,
        "CurationParameterOutOfBounds",
      );
      await expect(curationPool.connect(asTimelock).setSlashBps(1_000))
        .to.emit(curationPool, "SlashBpsSet")
        .withArgs(CURATION.slashBps, 1_000);
      await expect(curationPool.connect(asTimelock).setWarmupPeriod(299))
        .to.be.revertedWithCustomError(curationPool, "CurationParameterOutOfBounds")
        .withArgs(mEthers.encodeBytes32String("warmupPeriod"), 299n, 300n, 30n * 86_400n);
      await expect(curationPool.connect(outsider).setWarmupPeriod(3_600))
        .to.be.revertedWithCustomError(curationPool, "GovernedOnlyTimelock")
        .withArgs(outsider.address);
      await expect(curationPool.connect(asTimelock).setWarmupPeriod(3_600))
        .to.emit(curationPool, "WarmupPeriodSet")
        .withArgs(CURATION.warmupPeriod, 3_600);
    });
  });
});
