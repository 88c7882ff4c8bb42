// StakePool's thaw and positions to the second and to the wei, on both deployed pools: a second unstake request
// restarts the clock for everything thawing (as IStakePool documents), stake can be given only to an account with no
// position at all (thawing stake included), and the draw weight is the drawable stake in whole CUR, rounded down.
import { expect } from "chai";
import { parseEther } from "ethers";
import { Clock } from "../../scripts/drivers/time.js";
import { cEthers, cHelpers, deployCourtFixture, JUROR_POOL } from "../helpers/court.js";
import { LOCAL_VALIDATION } from "../../deploy/validation-config.js";

const WEIGHT_UNIT = 10n ** 18n;

async function poolsFixture() {
  const f = await cHelpers.loadFixture(deployCourtFixture);
  return {
    ...f,
    pools: {
      jurors: { pool: f.jurorPool, params: JUROR_POOL },
      validators: { pool: f.validatorPool, params: LOCAL_VALIDATION.validatorPool },
    },
  };
}

for (const kind of ["jurors", "validators"] as const) {
  describe(`StakePool (${kind}' pool): thaw and positions`, function () {
    it("restarts the thaw of everything thawing on a second request, to the second", async function () {
      const { pools, outsider, token } = await cHelpers.loadFixture(poolsFixture);
      const { pool, params } = pools[kind];
      const clock = new Clock(cHelpers);
      const period = BigInt(params.thawingPeriod);
      await pool.connect(outsider).stake(params.minStake * 4n);
      const first = await clock.next();
      await pool.connect(outsider).requestUnstake(params.minStake);
      const second = await clock.at(first + period / 2n);
      await expect(pool.connect(outsider).requestUnstake(params.minStake))
        .to.emit(pool, "UnstakeRequested")
        .withArgs(outsider.address, params.minStake, params.minStake * 2n, params.minStake * 2n, second + period);
      // The first request's own end has passed: nothing is free, the clock restarted for both parts.
      await clock.at(first + period);
      await expect(pool.connect(outsider).withdraw())
        .to.be.revertedWithCustomError(pool, "StakePoolNothingToWithdraw")
        .withArgs(outsider.address, params.minStake * 2n, second + period);
      await clock.justBefore(second + period);
      await expect(pool.connect(outsider).withdraw()).to.be.revertedWithCustomError(pool, "StakePoolNothingToWithdraw");
      await clock.at(second + period);
      const before = await token.balanceOf(outsider.address);
      await expect(pool.connect(outsider).withdraw())
        .to.emit(pool, "StakeWithdrawn")
        .withArgs(outsider.address, params.minStake * 2n, 0n);
      expect(await token.balanceOf(outsider.address)).to.equal(before + params.minStake * 2n);
      const member = await pool.memberOf(outsider.address);
      expect([member.staked, member.thawing, member.thawEnd]).to.deep.equal([params.minStake * 2n, 0n, 0n]);
    });

    it("refuses to stake for an account whose only position is thawing", async function () {
      const { pools, outsider, jurors } = await cHelpers.loadFixture(poolsFixture);
      const { pool, params } = pools[kind];
      const [, , , , , , , , , , , , , , , , , , fresh] = await cEthers.getSigners();
      await pool.connect(outsider).stakeFor(fresh!.address, params.minStake);
      await pool.connect(fresh!).requestUnstake(params.minStake);
      expect((await pool.memberOf(fresh!.address)).staked).to.equal(0n);
      await expect(pool.connect(jurors[0]!).stakeFor(fresh!.address, params.minStake))
        .to.be.revertedWithCustomError(pool, "StakePoolAccountHasPosition")
        .withArgs(fresh!.address);
    });

    it("weighs a stake in whole CUR, rounded down, and follows every change", async function () {
      const { pools, outsider } = await cHelpers.loadFixture(poolsFixture);
      const { pool, params } = pools[kind];
      const [, totalBefore] = await pool.drawWeight(outsider.address);
      const amount = params.minStake + parseEther("0.999999999999999999");
      await pool.connect(outsider).stake(amount);
      expect(await pool.drawWeight(outsider.address)).to.deep.equal([
        params.minStake / WEIGHT_UNIT,
        totalBefore + params.minStake / WEIGHT_UNIT,
      ]);
      await pool.connect(outsider).stake(1n);
      expect((await pool.drawWeight(outsider.address))[0]).to.equal(params.minStake / WEIGHT_UNIT + 1n);
      await pool.connect(outsider).requestUnstake(amount + 1n);
      expect(await pool.drawWeight(outsider.address)).to.deep.equal([0n, totalBefore]);
      expect(await pool.totalWeight()).to.equal(totalBefore);
    });
  });
}
