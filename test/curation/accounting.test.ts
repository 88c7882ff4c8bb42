// CurationPool's share accounting to the wei, where rounding costs someone money: a partial unstake after a slash (the
// share price is no longer 1:1, so the shares burned must round up), thawing stake after a slash, rewards waiting when a
// position grows or shrinks. Expected figures follow the documented formulas (ShareMath, reward per share × 1e27).
import { expect } from "chai";
import { parseEther } from "ethers";
import { CURATION, deployMarketFixture, MARKET, mHelpers, PRICE } from "../helpers/marketplace.js";

const BPS = 10_000n;
const PRECISION = 10n ** 27n;
const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;

/** An active listing with nobody behind it yet. */
async function listingFixture() {
  const f = await mHelpers.loadFixture(deployMarketFixture);
  const listingId = await f.market.listActive(f.provider, "m");
  return { ...f, listingId };
}

/** What `calls` purchased calls add to the curators' reward per share, with `activeShares` active. */
async function rewardPerShareFrom(
  f: Awaited<ReturnType<typeof listingFixture>>,
  calls: bigint,
  activeShares: bigint,
): Promise<bigint> {
  const { curatorFee } = await f.market.expectedSplit(PRICE * calls);
  const toCurators = (curatorFee * BigInt(MARKET.defaultQualityBps)) / BPS;
  return (toCurators * PRECISION) / activeShares;
}

describe("CurationPool: every share exactly", function () {
  it("burns shares rounded up on a partial unstake after a slash: no curator's share loses value", async function () {
    const f = await mHelpers.loadFixture(listingFixture);
    const { curationPool, market, curatorA, curatorB, challenges, listingId } = f;
    await market.stakeActive(curatorA, listingId, parseEther("300"));
    await market.stakeActive(curatorB, listingId, parseEther("100"));
    await curationPool.connect(challenges).slash(listingId, challenges.address);
    const slashed = (parseEther("400") * BigInt(CURATION.slashBps)) / BPS;
    const pool = await curationPool.listingPool(listingId);
    expect([pool.activeShares, pool.activeStake]).to.deep.equal([parseEther("400"), parseEther("400") - slashed]);
    const [valueB] = await curationPool.stakeOf(listingId, curatorB.address);

    // 100 CUR + 1 wei is 125 shares + 1.25 at the new price: 125 shares + 2 burn.
    const amount = parseEther("100") + 1n;
    const burned = ceilDiv(amount * pool.activeShares, pool.activeStake);
    expect(burned).to.equal(parseEther("125") + 2n);
    await expect(curationPool.connect(curatorA).requestUnstake(listingId, amount))
      .to.emit(curationPool, "UnstakeRequested")
      .withArgs(listingId, curatorA.address, amount, burned, amount, (v: bigint) => v > 0n);
    const after = await curationPool.listingPool(listingId);
    expect([after.activeShares, after.activeStake]).to.deep.equal([
      pool.activeShares - burned,
      pool.activeStake - amount,
    ]);
    // The price of a share never falls on an unstake: the other curator's stake is worth at least what it was.
    expect(after.activeStake * pool.activeShares).to.be.greaterThanOrEqual(pool.activeStake * after.activeShares);
    const [valueBAfter] = await curationPool.stakeOf(listingId, curatorB.address);
    expect(valueBAfter).to.be.greaterThanOrEqual(valueB);
    const [valueA, thawingA] = await curationPool.stakeOf(listingId, curatorA.address);
    expect(thawingA).to.equal(amount);
    expect(valueA + valueBAfter).to.be.lessThanOrEqual(after.activeStake, "never more value than stake");
  });

  it("pays each thawing curator its slashed share exactly on withdrawal", async function () {
    const f = await mHelpers.loadFixture(listingFixture);
    const { curationPool, market, curatorA, curatorB, outsider, challenges, token, listingId } = f;
    await market.stakeActive(outsider, listingId, parseEther("300"));
    await market.stakeActive(curatorA, listingId, parseEther("200"));
    await market.stakeActive(curatorB, listingId, parseEther("101"));
    await curationPool.connect(curatorA).requestUnstake(listingId, parseEther("200"));
    await curationPool.connect(curatorB).requestUnstake(listingId, parseEther("101"));
    await curationPool.connect(challenges).slash(listingId, challenges.address);
    const keep = BPS - BigInt(CURATION.slashBps);
    await market.waitForThaw(listingId, curatorB);
    for (const [curator, staked] of [
      [curatorA, parseEther("200")],
      [curatorB, parseEther("101")],
    ] as const) {
      const before = await token.balanceOf(curator.address);
      await expect(curationPool.connect(curator).withdraw(listingId))
        .to.emit(curationPool, "StakeWithdrawn")
        .withArgs(listingId, curator.address, (staked * keep) / BPS, staked);
      expect(await token.balanceOf(curator.address)).to.equal(before + (staked * keep) / BPS);
    }
    const pool = await curationPool.listingPool(listingId);
    expect([pool.thawingShares, pool.thawingStake]).to.deep.equal([0n, 0n]);
  });

  it("keeps the rewards waiting when a curator adds to its stake", async function () {
    const f = await mHelpers.loadFixture(listingFixture);
    const { curationPool, market, consumer, curatorA, curatorB, listingId } = f;
    await market.stakeActive(curatorA, listingId, parseEther("300"));
    await market.stakeActive(curatorB, listingId, parseEther("100"));
    await market.buy(consumer, listingId, 1_000n);
    const rps = await rewardPerShareFrom(f, 1_000n, parseEther("400"));
    const waiting = (parseEther("300") * rps) / PRECISION;
    expect(await curationPool.claimable(listingId, curatorA.address)).to.equal(waiting);
    await market.stake(curatorA, listingId, parseEther("200"));
    expect(await curationPool.claimable(listingId, curatorA.address)).to.equal(waiting, "nothing lost by staking more");
    // The added stake earns nothing while it warms up: the 400 active shares share the next purchase.
    await market.buy(consumer, listingId, 700n);
    const rps2 = rps + (await rewardPerShareFrom(f, 700n, parseEther("400")));
    const warm = waiting + (parseEther("300") * rps2) / PRECISION - (parseEther("300") * rps) / PRECISION;
    expect(await curationPool.claimable(listingId, curatorA.address)).to.equal(warm);
    // Once activated it earns from then on, and only from then on.
    await market.waitForWarmUp(listingId, curatorA);
    await curationPool.activate(listingId, curatorA.address);
    expect(await curationPool.claimable(listingId, curatorA.address)).to.equal(warm, "nothing lost by activating");
    await market.buy(consumer, listingId, 500n);
    const rps3 = rps2 + (await rewardPerShareFrom(f, 500n, parseEther("600")));
    const expected = warm + (parseEther("500") * rps3) / PRECISION - (parseEther("500") * rps2) / PRECISION;
    expect(await curationPool.claimable(listingId, curatorA.address)).to.equal(expected);
    await expect(curationPool.connect(curatorA).claim(listingId, curatorA.address))
      .to.emit(curationPool, "RewardsClaimed")
      .withArgs(listingId, curatorA.address, curatorA.address, expected);
  });

  it("keeps the rewards earned on an unstaked part, and stops that part earning", async function () {
    const f = await mHelpers.loadFixture(listingFixture);
    const { curationPool, market, consumer, curatorA, curatorB, listingId } = f;
    await market.stakeActive(curatorA, listingId, parseEther("300"));
    await market.stakeActive(curatorB, listingId, parseEther("100"));
    await market.buy(consumer, listingId, 1_000n);
    const rps = await rewardPerShareFrom(f, 1_000n, parseEther("400"));
    const earned = (parseEther("300") * rps) / PRECISION;
    await curationPool.connect(curatorA).requestUnstake(listingId, parseEther("100"));
    expect(await curationPool.claimable(listingId, curatorA.address)).to.equal(earned);
    await market.buy(consumer, listingId, 333n);
    const rps2 = rps + (await rewardPerShareFrom(f, 333n, parseEther("300")));
    const more = (parseEther("200") * rps2) / PRECISION - (parseEther("200") * rps) / PRECISION;
    expect(await curationPool.claimable(listingId, curatorA.address)).to.equal(earned + more);
    expect(await curationPool.claimable(listingId, curatorB.address)).to.equal((parseEther("100") * rps2) / PRECISION);
  });
});
