// StakePool, written once and deployed twice: the member rules are checked on both deployed pools (jurors' and
// validators'), and the manager's powers on a pool whose manager is a plain account, so each call can be made alone.
import { expect } from "chai";
import { AbiCoder, keccak256, MaxUint256, parseEther, ZeroAddress } from "ethers";
import { upgrades } from "@openzeppelin/hardhat-upgrades";
import hre from "hardhat";
import { cEthers, cHelpers, courtConnection, deployCourtFixture, JUROR_POOL } from "../helpers/court.js";
import { LOCAL_VALIDATION } from "../../deploy/validation-config.js";

const WEIGHT_UNIT = 10n ** 18n;

/** Both deployed pools, with the figures they were deployed with and their managers. */
async function poolsFixture() {
  const f = await cHelpers.loadFixture(deployCourtFixture);
  const system = {
    jurors: { pool: f.jurorPool, params: JUROR_POOL, manager: await f.court.getAddress() },
    validators: {
      pool: f.validatorPool,
      params: LOCAL_VALIDATION.validatorPool,
      manager: await f.validation.getAddress(),
    },
  };
  return { ...f, system };
}

/** A pool managed by a plain account: every manager call can be tried on its own. */
async function managedPoolFixture() {
  const f = await cHelpers.loadFixture(deployCourtFixture);
  const [, , , , , , , , , , , , , , , , , manager, stranger] = await cEthers.getSigners();
  if (manager === undefined || stranger === undefined) throw new Error("need 19 accounts");
  const api = await upgrades(hre, courtConnection);
  const factory = await cEthers.getContractFactory("StakePool");
  const proxy = await api.deployProxy(factory, [await f.token.getAddress(), f.treasury, JUROR_POOL], { kind: "uups" });
  const pool = await cEthers.getContractAt("StakePool", await proxy.getAddress());
  await pool.setManager(manager.address);
  const [alice, bob] = f.jurors;
  for (const member of [alice!, bob!]) {
    await f.token.connect(member).approve(await pool.getAddress(), MaxUint256);
    await pool.connect(member).stake(parseEther("1000"));
  }
  return { ...f, pool, manager, stranger, alice: alice!, bob: bob! };
}

for (const kind of ["jurors", "validators"] as const) {
  describe(`StakePool (${kind}' pool): members`, function () {
    it("stakes into the draw tree, thaws on request, and withdraws after the thawing period", async function () {
      const { system, outsider, token } = await cHelpers.loadFixture(poolsFixture);
      const { pool, params } = system[kind];
      const amount = params.minStake * 3n;
      await expect(pool.connect(outsider).stake(amount))
        .to.emit(pool, "Staked")
        .withArgs(outsider.address, outsider.address, amount, amount);
      expect((await pool.drawWeight(outsider.address))[0]).to.equal(amount / WEIGHT_UNIT);
      const requestedAt = BigInt(await cHelpers.time.latest()) + 1n;
      await cHelpers.time.setNextBlockTimestamp(requestedAt);
      const thawEnd = requestedAt + BigInt(params.thawingPeriod);
      const part = params.minStake * 2n;
      await expect(pool.connect(outsider).requestUnstake(part))
        .to.emit(pool, "UnstakeRequested")
        .withArgs(outsider.address, part, amount - part, part, thawEnd);
      expect((await pool.drawWeight(outsider.address))[0]).to.equal((amount - part) / WEIGHT_UNIT);
      // One second before the end of the thaw nothing is free; at the end it is.
      await cHelpers.time.setNextBlockTimestamp(thawEnd - 1n);
      await expect(pool.connect(outsider).withdraw())
        .to.be.revertedWithCustomError(pool, "StakePoolNothingToWithdraw")
        .withArgs(outsider.address, part, thawEnd);
      await cHelpers.time.setNextBlockTimestamp(thawEnd);
      const before = await token.balanceOf(outsider.address);
      await expect(pool.connect(outsider).withdraw())
        .to.emit(pool, "StakeWithdrawn")
        .withArgs(outsider.address, part, 0n);
      expect(await token.balanceOf(outsider.address)).to.equal(before + part);
      const [stakes] = await pool.totalOwed();
      expect(await token.balanceOf(await pool.getAddress())).to.be.greaterThanOrEqual(stakes);
    });

    it("lets anyone stake for an account that holds nothing, and only for it", async function () {
      const { system, outsider } = await cHelpers.loadFixture(poolsFixture);
      const { pool, params } = system[kind];
      const fresh = (await cEthers.getSigners())[18];
      await expect(pool.connect(outsider).stakeFor(fresh!.address, params.minStake))
        .to.emit(pool, "Staked")
        .withArgs(fresh!.address, outsider.address, params.minStake, params.minStake);
      await expect(pool.connect(outsider).stakeFor(fresh!.address, params.minStake))
        .to.be.revertedWithCustomError(pool, "StakePoolAccountHasPosition")
        .withArgs(fresh!.address);
      await expect(pool.connect(outsider).stakeFor(ZeroAddress, 1n))
        .to.be.revertedWithCustomError(pool, "GovernedZeroAddress")
        .withArgs("account");
    });

    it("rejects bad stakes, unstakes and withdrawals with exact errors", async function () {
      const { system, outsider, jurors } = await cHelpers.loadFixture(poolsFixture);
      const { pool, params } = system[kind];
      const member = jurors[1]!;
      await pool.connect(member).stake(params.minStake * 2n);
      const staked = (await pool.memberOf(member.address)).staked;
      await expect(pool.connect(outsider).stake(0n)).to.be.revertedWithCustomError(pool, "StakePoolZeroAmount");
      await expect(pool.connect(outsider).stake(params.minStake - 1n))
        .to.be.revertedWithCustomError(pool, "StakePoolStakeTooLow")
        .withArgs(params.minStake - 1n, params.minStake);
      await expect(pool.connect(outsider).requestUnstake(0n)).to.be.revertedWithCustomError(
        pool,
        "StakePoolZeroAmount",
      );
      await expect(pool.connect(member).requestUnstake(staked + 1n))
        .to.be.revertedWithCustomError(pool, "StakePoolInsufficientStake")
        .withArgs(staked + 1n, staked);
      await expect(pool.connect(member).requestUnstake(staked - params.minStake + 1n))
        .to.be.revertedWithCustomError(pool, "StakePoolStakeTooLow")
        .withArgs(params.minStake - 1n, params.minStake);
      // Exactly the minimum may stay.
      await pool.connect(member).requestUnstake(staked - params.minStake);
      await expect(pool.connect(outsider).withdraw())
        .to.be.revertedWithCustomError(pool, "StakePoolNothingToWithdraw")
        .withArgs(outsider.address, 0n, 0n);
      // Back to stake after a full unstake: the top-up alone must reach the minimum.
      await pool.connect(member).requestUnstake(params.minStake);
      await expect(pool.connect(member).stake(params.minStake - 1n))
        .to.be.revertedWithCustomError(pool, "StakePoolStakeTooLow")
        .withArgs(params.minStake - 1n, params.minStake);
    });

    it("lets only the timelock set bounded parameters, emitting old and new; the documented extremes pass", async function () {
      const { system, asTimelock, outsider } = await cHelpers.loadFixture(poolsFixture);
      const { pool, params } = system[kind];
      const old = [params.minStake, BigInt(params.thawingPeriod)];
      for (const next of [
        { minStake: parseEther("1"), thawingPeriod: 3_600n },
        { minStake: parseEther("1000000"), thawingPeriod: 90n * 86_400n },
      ]) {
        await expect(pool.connect(asTimelock).setParameters(next)).to.emit(pool, "PoolParametersSet");
        expect(await pool.parameters()).to.deep.equal([next.minStake, next.thawingPeriod]);
      }
      for (const [field, value, min, max] of [
        ["minStake", parseEther("1") - 1n, parseEther("1"), parseEther("1000000")],
        ["minStake", parseEther("1000000") + 1n, parseEther("1"), parseEther("1000000")],
        ["thawingPeriod", 3_599n, 3_600n, 90n * 86_400n],
        ["thawingPeriod", 90n * 86_400n + 1n, 3_600n, 90n * 86_400n],
      ] as const) {
        const bad = { minStake: old[0]!, thawingPeriod: old[1]!, [field]: value };
        await expect(pool.connect(asTimelock).setParameters(bad), `${field} ${value}`)
          .to.be.revertedWithCustomError(pool, "StakePoolParameterOutOfBounds")
          .withArgs(cEthers.encodeBytes32String(field), value, min, max);
      }
      await expect(pool.connect(outsider).setParameters({ minStake: old[0]!, thawingPeriod: old[1]! }))
        .to.be.revertedWithCustomError(pool, "GovernedOnlyTimelock")
        .withArgs(outsider.address);
    });

    it("is managed by its contract alone: the deployer cannot rebind it, only the timelock can", async function () {
      const { system, deployer, asTimelock, outsider } = await cHelpers.loadFixture(poolsFixture);
      const { pool, manager } = system[kind];
      expect(await pool.manager()).to.equal(manager);
      await expect(pool.connect(deployer).setManager(outsider.address))
        .to.be.revertedWithCustomError(pool, "GovernedOnlyTimelock")
        .withArgs(deployer.address);
      const asOutsider = pool.connect(outsider);
      for (const call of [
        () => asOutsider.lock(outsider.address, 1n, 0n),
        () => asOutsider.drawAndLock(1n, 1n, 0n),
        () => asOutsider.beginDraw(),
        () => asOutsider.endDraw(),
        () => asOutsider.endDrawAndLockSeats(1n, 1n, 1n, 0n),
        () => asOutsider.release(outsider.address, 0n, 0n, 0n),
        () => asOutsider.pay(outsider.address, 1n),
      ]) {
        await expect(call()).to.be.revertedWithCustomError(pool, "StakePoolOnlyManager").withArgs(outsider.address);
      }
      await expect(pool.connect(asTimelock).setManager(ZeroAddress))
        .to.be.revertedWithCustomError(pool, "GovernedZeroAddress")
        .withArgs("manager");
      await expect(pool.connect(asTimelock).setManager(outsider.address))
        .to.emit(pool, "ManagerSet")
        .withArgs(manager, outsider.address);
    });
  });
}

describe("StakePool: the manager's powers", function () {
  it("locks only drawable stake at or above the minimum, proportionally or by a fixed amount", async function () {
    const { pool, manager, alice } = await cHelpers.loadFixture(managedPoolFixture);
    // 1,000 CUR drawable: a fixed 600 locks, then 10% of 1,000 (100) more, then 400 more does not fit.
    expect(await pool.connect(manager).lock.staticCall(alice.address, parseEther("600"), 0n)).to.deep.equal([
      true,
      parseEther("600"),
    ]);
    await expect(pool.connect(manager).lock(alice.address, parseEther("600"), 0n))
      .to.emit(pool, "StakeLocked")
      .withArgs(alice.address, parseEther("600"), parseEther("600"));
    await expect(pool.connect(manager).lock(alice.address, 0n, 1_000n))
      .to.emit(pool, "StakeLocked")
      .withArgs(alice.address, parseEther("100"), parseEther("700"));
    expect(await pool.connect(manager).lock.staticCall(alice.address, parseEther("301"), 0n)).to.deep.equal([
      false,
      0n,
    ]);
    expect(await pool.connect(manager).lock.staticCall(alice.address, parseEther("300"), 0n)).to.deep.equal([
      true,
      parseEther("300"),
    ]);
    // Below the minimum drawable stake nothing locks, not even zero.
    const [, , , , , , , , , , , , , , , , , , , fresh] = await cEthers.getSigners();
    expect(await pool.connect(manager).lock.staticCall(fresh!.address, 0n, 0n)).to.deep.equal([false, 0n]);
    expect((await pool.totalOwed())[1]).to.equal(parseEther("700"));
  });

  it("releases a lock with a slash taken from drawable stake first, then from thawing stake", async function () {
    const { pool, manager, alice } = await cHelpers.loadFixture(managedPoolFixture);
    await pool.connect(manager).lock(alice.address, parseEther("500"), 0n);
    await pool.connect(alice).requestUnstake(parseEther("800"));
    // Drawable 200, thawing 800, locked 500: a 300 slash takes 200 from drawable stake and 100 from thawing.
    await expect(pool.connect(manager).release(alice.address, parseEther("500"), parseEther("300"), 0n))
      .to.emit(pool, "StakeReleased")
      .withArgs(alice.address, parseEther("500"), parseEther("300"), 0n);
    // The event leaves the balances out: drawable 0, nothing locked, thawing 800 - (300 - 200 taken from drawable).
    const after = await pool.memberOf(alice.address);
    expect([after.staked, after.locked, after.thawing]).to.deep.equal([0n, 0n, parseEther("700")]);
    expect((await pool.drawWeight(alice.address))[0]).to.equal(0n);
    const [stakes, locked] = await pool.totalOwed();
    expect([stakes, locked]).to.deep.equal([parseEther("1700"), 0n]);
  });

  it("lets a member withdraw only the thawed stake its locks do not need, the rest once released", async function () {
    const { pool, manager, alice, token } = await cHelpers.loadFixture(managedPoolFixture);
    await pool.connect(manager).lock(alice.address, parseEther("300"), 0n);
    // All of it asked back while 300 is at risk in a dispute: the lock stays covered by the thawing stake.
    await pool.connect(alice).requestUnstake(parseEther("1000"));
    await cHelpers.time.increaseTo((await pool.memberOf(alice.address)).thawEnd);
    const before = await token.balanceOf(alice.address);
    await expect(pool.connect(alice).withdraw())
      .to.emit(pool, "StakeWithdrawn")
      .withArgs(alice.address, parseEther("700"), parseEther("300"));
    expect(await token.balanceOf(alice.address)).to.equal(before + parseEther("700"));
    await expect(pool.connect(alice).withdraw())
      .to.be.revertedWithCustomError(pool, "StakePoolStakeLocked")
      .withArgs(alice.address, parseEther("300"));
    await pool.connect(manager).release(alice.address, parseEther("300"), 0n, 0n);
    await expect(pool.connect(alice).withdraw())
      .to.emit(pool, "StakeWithdrawn")
      .withArgs(alice.address, parseEther("300"), 0n);
  });

  it("releases a whole committee in one call and collects what it slashed", async function () {
    const { pool, manager, stranger, alice, bob, token } = await cHelpers.loadFixture(managedPoolFixture);
    await pool.connect(manager).lock(alice.address, 0n, 1_000n);
    await pool.connect(manager).lock(bob.address, 0n, 1_000n);
    const batch = pool
      .connect(manager)
      .releaseBatch(
        [alice.address, bob.address],
        [parseEther("100"), parseEther("100")],
        [0n, parseEther("100")],
        stranger.address,
      );
    // One event for the batch (issue 15); the balances after follow from the members' before, as the subgraph derives them.
    await expect(batch)
      .to.emit(pool, "StakesReleased")
      .withArgs([alice.address, bob.address], [parseEther("100"), parseEther("100")], [0n, parseEther("100")]);
    await expect(batch).not.to.emit(pool, "StakeReleased");
    await expect(batch).to.emit(pool, "ManagerPaid").withArgs(stranger.address, parseEther("100"));
    expect(await token.balanceOf(stranger.address)).to.equal(parseEther("100"));
    expect(await pool.memberOf(alice.address)).to.deep.equal([parseEther("1000"), 0n, 0n, 0n]);
    expect(await pool.memberOf(bob.address)).to.deep.equal([parseEther("900"), 0n, 0n, 0n]);
    // The totals, written once for the batch: the stakes lost the slash, and nothing stays locked.
    expect(await pool.totalOwed()).to.deep.equal([parseEther("1900"), 0n]);
    await expect(pool.connect(manager).releaseBatch([alice.address], [], [], ZeroAddress))
      .to.be.revertedWithCustomError(pool, "StakePoolLengthMismatch")
      .withArgs(1n, 0n, 0n);
  });

  it("slashes a batch member's thawing stake once its drawable stake is gone, and keeps the totals", async function () {
    const { pool, manager, alice, bob } = await cHelpers.loadFixture(managedPoolFixture);
    await pool.connect(manager).lock(alice.address, parseEther("400"), 0n);
    await pool.connect(manager).lock(bob.address, parseEther("100"), 0n);
    // Alice moves most of her stake into thawing while locked: the slash takes the 200 left drawable, then thawing.
    await pool.connect(alice).requestUnstake(parseEther("800"));
    const { thawEnd } = await pool.memberOf(alice.address);
    await expect(
      pool
        .connect(manager)
        .releaseBatch(
          [alice.address, bob.address],
          [parseEther("400"), parseEther("50")],
          [parseEther("300"), 0n],
          ZeroAddress,
        ),
    )
      .to.emit(pool, "StakesReleased")
      .and.not.to.emit(pool, "ManagerPaid");
    expect(await pool.memberOf(alice.address)).to.deep.equal([0n, 0n, parseEther("700"), thawEnd]);
    expect(await pool.memberOf(bob.address)).to.deep.equal([parseEther("1000"), parseEther("50"), 0n, 0n]);
    expect(await pool.totalOwed()).to.deep.equal([parseEther("1700"), parseEther("50")]);
    // Her weight follows the slash at once (no draw pending): nothing drawable is left.
    expect((await pool.drawWeight(alice.address)).weight).to.equal(0n);
  });

  it("refuses a release beyond the lock or a slash beyond the release", async function () {
    const { pool, manager, alice } = await cHelpers.loadFixture(managedPoolFixture);
    await pool.connect(manager).lock(alice.address, parseEther("100"), 0n);
    await expect(pool.connect(manager).release(alice.address, parseEther("101"), 0n, 0n))
      .to.be.revertedWithCustomError(pool, "StakePoolInvalidRelease")
      .withArgs(alice.address, parseEther("101"), 0n, parseEther("100"));
    await expect(pool.connect(manager).release(alice.address, parseEther("50"), parseEther("51"), 0n))
      .to.be.revertedWithCustomError(pool, "StakePoolInvalidRelease")
      .withArgs(alice.address, parseEther("50"), parseEther("51"), parseEther("100"));
  });

  it("attack: a manager paying out more than its funds and the locked stake cannot touch free stake", async function () {
    const { pool, manager, stranger, alice, bob, token, deployer } = await cHelpers.loadFixture(managedPoolFixture);
    // The manager's funds: 50 CUR of fees sent to the pool. Locked: 100 of alice's stake, promised as a penalty.
    await token.connect(deployer).transfer(await pool.getAddress(), parseEther("50"));
    await pool.connect(manager).lock(alice.address, parseEther("100"), 0n);
    // It may pay ahead of the slash (a coherent juror before the incoherent one settles): 150 in all...
    await expect(pool.connect(manager).pay(stranger.address, parseEther("150")))
      .to.emit(pool, "ManagerPaid")
      .withArgs(stranger.address, parseEther("150"));
    // ...and not a wei more: the rest is the members' free stake.
    await expect(pool.connect(manager).pay(stranger.address, 1n))
      .to.be.revertedWithCustomError(pool, "StakePoolInsufficientFunds")
      .withArgs(1n, 0n);
    await expect(pool.connect(manager).release(bob.address, 0n, 0n, 1n))
      .to.be.revertedWithCustomError(pool, "StakePoolInsufficientFunds")
      .withArgs(1n, 0n);
    // The promised slash makes the books whole: every remaining stake is backed by tokens.
    await pool.connect(manager).release(alice.address, parseEther("100"), parseEther("100"), 0n);
    const [stakes] = await pool.totalOwed();
    expect(await token.balanceOf(await pool.getAddress())).to.equal(stakes);
    await pool.connect(bob).requestUnstake(parseEther("1000"));
    await cHelpers.time.increase(JUROR_POOL.thawingPeriod);
    await expect(pool.connect(bob).withdraw())
      .to.emit(pool, "StakeWithdrawn")
      .withArgs(bob.address, parseEther("1000"), 0n);
  });

  it("attack: after a release that slashes drawable and thawing stake the manager takes the slash, never free stake", async function () {
    // Issue 15 moved both totals into one slot, written once per release: a release that forgot the unlock would let
    // the manager pay free stake out, one that forgot the slash would strand it in the pool.
    const { pool, manager, stranger, alice, bob, token } = await cHelpers.loadFixture(managedPoolFixture);
    await pool.connect(manager).lock(alice.address, parseEther("500"), 0n);
    await pool.connect(alice).requestUnstake(parseEther("800"));
    // Drawable 200, thawing 800, locked 500: the 300 slash takes 200 drawable and 100 thawing stake.
    await pool.connect(manager).release(alice.address, parseEther("500"), parseEther("300"), 0n);
    // The manager holds the slash and nothing else: a wei more is the members' free stake.
    await expect(pool.connect(manager).pay(stranger.address, parseEther("300") + 1n))
      .to.be.revertedWithCustomError(pool, "StakePoolInsufficientFunds")
      .withArgs(parseEther("300") + 1n, parseEther("300"));
    await pool.connect(manager).pay(stranger.address, parseEther("300"));
    expect(await token.balanceOf(await pool.getAddress())).to.equal(parseEther("1700"));
    // Every member gets all of its free stake back, and the pool is left empty.
    await pool.connect(bob).requestUnstake(parseEther("1000"));
    await cHelpers.time.increase(JUROR_POOL.thawingPeriod);
    await expect(pool.connect(alice).withdraw())
      .to.emit(pool, "StakeWithdrawn")
      .withArgs(alice.address, parseEther("700"), 0n);
    await expect(pool.connect(bob).withdraw())
      .to.emit(pool, "StakeWithdrawn")
      .withArgs(bob.address, parseEther("1000"), 0n);
    expect(await token.balanceOf(await pool.getAddress())).to.equal(0n);
    expect(await pool.totalOwed()).to.deep.equal([0n, 0n]);
  });

  it("draws by weight and refuses to draw from an empty pool", async function () {
    const { pool, manager, alice, bob, token } = await cHelpers.loadFixture(managedPoolFixture);
    const api = await upgrades(hre, courtConnection);
    const empty = await api.deployProxy(await cEthers.getContractFactory("StakePool"), [
      await token.getAddress(),
      await pool.timelock(),
      JUROR_POOL,
    ]);
    await expect(empty.getFunction("draw")(0n)).to.be.revertedWithCustomError(pool, "StakePoolEmpty");
    // Two members of 1,000 CUR each: values 0..999 draw the first leaf, 1000..1999 the second, and wrap around.
    expect(await pool.draw(0n)).to.equal(alice.address);
    expect(await pool.draw(1_999n)).to.equal(bob.address);
    expect(await pool.draw(2_000n)).to.equal(alice.address);
    const [account, ok, amount] = await pool.connect(manager).drawAndLock.staticCall(1_000n, parseEther("100"), 0n);
    expect([account, ok, amount]).to.deep.equal([bob.address, true, parseEther("100")]);
  });

  it("draws a whole committee in one call exactly as one drawAndLock per attempt would, and ends the draw once", async function () {
    const { pool, manager, alice, bob, token } = await cHelpers.loadFixture(managedPoolFixture);
    const asManager = pool.connect(manager);
    // Alice can take one more seat only (500 of her 1,000 CUR lock per seat, 400 are locked already), Bob two: a
    // member who cannot sit sends the seat to its next attempt.
    await asManager.lock(alice.address, parseEther("400"), 0n);
    const seed = 7n;
    const shareBps = 5_000n;
    const seats = 6;
    for (const attempts of [1, 4]) {
      const before = await cHelpers.takeSnapshot();
      const expected: bigint[] = [];
      for (let seat = 0; seat < seats; seat++) {
        let word = 0n;
        for (let attempt = 0; attempt < attempts; attempt++) {
          const value = BigInt(
            keccak256(AbiCoder.defaultAbiCoder().encode(["uint256", "uint256", "uint256"], [seed, seat, attempt])),
          );
          const [account, ok, amount] = await asManager.drawAndLock.staticCall(value, 0n, shareBps);
          if (!ok) continue;
          await asManager.drawAndLock(value, 0n, shareBps);
          word = BigInt(account) | (amount << 160n);
          break;
        }
        expected.push(word);
      }
      const lockedOneByOne = [(await pool.memberOf(alice.address)).locked, (await pool.memberOf(bob.address)).locked];
      await before.restore();
      await asManager.beginDraw();
      const drawn = await asManager.endDrawAndLockSeats.staticCall(seed, seats, attempts, shareBps);
      expect(drawn, `${attempts} attempts`).to.deep.equal(expected);
      const lockedBefore = (await pool.totalOwed())[1];
      const call = asManager.endDrawAndLockSeats(seed, seats, attempts, shareBps);
      await expect(call).to.emit(pool, "PendingDrawsChanged").withArgs(0n);
      // One event for the committee, with the seats as the call returns them, and the lock total once for them all.
      await expect(call).to.emit(pool, "SeatsLocked").withArgs(expected);
      await expect(call).not.to.emit(pool, "StakeLocked");
      const seatsLocked = expected.reduce((sum, w) => sum + (w >> 160n), 0n);
      expect((await pool.totalOwed())[1]).to.equal(lockedBefore + seatsLocked);
      expect([(await pool.memberOf(alice.address)).locked, (await pool.memberOf(bob.address)).locked]).to.deep.equal(
        lockedOneByOne,
      );
      // Their stakes hold three seats at most (Alice one, Bob two): of six, some stay empty (zero words).
      expect(expected.filter((w) => w !== 0n).length, `${attempts} attempts`).to.be.within(1, 3);
      await before.restore();
    }
    // It ends a draw that was begun, never one that was not: the freeze cannot be lifted twice.
    await expect(asManager.endDrawAndLockSeats(seed, seats, 4, shareBps)).to.be.revertedWithCustomError(
      pool,
      "StakePoolNoPendingDraw",
    );
    // An empty pool seats nobody, and still ends the draw.
    const api = await upgrades(hre, courtConnection);
    const proxy = await api.deployProxy(await cEthers.getContractFactory("StakePool"), [
      await token.getAddress(),
      await pool.timelock(),
      JUROR_POOL,
    ]);
    const empty = await cEthers.getContractAt("StakePool", await proxy.getAddress());
    await empty.setManager(manager.address);
    await empty.connect(manager).beginDraw();
    expect(await empty.connect(manager).endDrawAndLockSeats.staticCall(seed, 3, 4, shareBps)).to.deep.equal([
      0n,
      0n,
      0n,
    ]);
    await empty.connect(manager).endDrawAndLockSeats(seed, 3, 4, shareBps);
    expect(await empty.pendingDraws()).to.equal(0n);
  });
});
