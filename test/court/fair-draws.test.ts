// Fair draws (issue 17), played as an attacker who sees every on-chain value, the seed included, and can time its
// transactions: it cannot buy seats with stake moved after the seed is known, cannot steer seats by drawing them one by
// one, cannot move anybody else's seat by declining its own, cannot sit on a weight its stake no longer backs, and
// cannot re-roll a seed. Each attack first shows, on the same chain, what it would have won on a tree that took stake
// changes at once (as v1's did): the control that makes the defence's test meaningful.
import { expect } from "chai";
import type { ContractTransactionResponse } from "ethers";
import { AbiCoder, keccak256, parseEther } from "ethers";
import { drawLandsOn, drawValue } from "@curia/protocol";
import hre from "hardhat";
import type { StakePool } from "../../types/ethers-contracts/index.js";
import { cEthers, cHelpers, COURT, deployCourtFixture, JUROR_STAKE, Period } from "../helpers/court.js";
import { MarketHelper } from "../helpers/marketplace.js";

const BPS = 10_000n;
const SEATS = BigInt(COURT.firstRoundSeats);

/** The value seat `seat`'s attempt `attempt` draws with (the protocol package's rule, as Court._drawSeats). */
const seatValue = (seed: bigint, seat: bigint, attempt = 0n): bigint => drawValue(seed, seat, attempt);

/** The pool's tree as (account, weight) leaves in slot order, read from the chain. */
async function treeLeaves(pool: StakePool): Promise<{ account: string; weight: bigint }[]> {
  const leaves = [];
  const slots = await pool.memberSlots();
  for (let slot = 0n; slot < slots; slot++) {
    const account = await pool.memberAt(slot);
    leaves.push({ account, weight: account === cEthers.ZeroAddress ? 0n : (await pool.drawWeight(account))[0] });
  }
  return leaves;
}

/** Who a value lands on in a tree whose leaves are `leaves` (the sortition tree's cumulative ranges, in slot order). */
function landsOn(leaves: { account: string; weight: bigint }[], value: bigint): string {
  const leaf = drawLandsOn(leaves, value);
  if (leaf === undefined) throw new Error("the pool has no weight");
  return leaf.account;
}

/** Seat → juror of the draws in `txs`, from their JurorDrawn events. */
async function seatsOf(
  f: Awaited<ReturnType<typeof deployCourtFixture>>,
  txs: ContractTransactionResponse[],
): Promise<Map<bigint, string>> {
  const seats = new Map<bigint, string>();
  for (const tx of txs) {
    const receipt = await tx.wait();
    for (const log of receipt!.logs) {
      const parsed = f.court.interface.parseLog(log);
      if (parsed?.name === "JurorDrawn") seats.set(parsed.args.seat as bigint, parsed.args.juror as string);
    }
  }
  return seats;
}

/** A dispute whose seed is known (its randomness block is mined) and whose jury is not drawn yet. */
async function seedKnownFixture() {
  const f = await deployCourtFixture();
  const market = new MarketHelper(f.registry, f.curationPool, cHelpers);
  const listingId = await market.list(f.provider, "mnist-mlp");
  const disputeId = await f.courtHelper.challenge(f.challenger, listingId);
  await f.courtHelper.waitForRandomness();
  const round = await f.court.getRound(disputeId, 0n);
  const seed = await f.randomness.randomness(round.randomnessRequest);
  return { ...f, listingId, disputeId, seed, attacker: f.jurors[0]! };
}

describe("Court: fair draws", function () {
  it("attack: a juror who sees the seed cannot buy the seats with stake added before the draw", async function () {
    const f = await cHelpers.loadFixture(seedKnownFixture);
    const { court, jurorPool, disputeId, seed, attacker } = f;
    expect(await jurorPool.pendingDraws(), "the request froze the jurors' pool").to.equal(1n);

    // The attacker's search, off-chain: the smallest top-up that would give it all three seats on a tree that took
    // the top-up at once. It holds 10% of the stake; fair odds of all three seats are 0.1%.
    const leaves = await treeLeaves(jurorPool);
    const mine = leaves.findIndex((l) => l.account === attacker.address);
    let topUp: bigint | undefined;
    for (let extra = 1n; extra <= 20_000n && topUp === undefined; extra++) {
      const steered = leaves.map((l, i) => (i === mine ? { ...l, weight: l.weight + extra } : l));
      if ([0n, 1n, 2n].every((s) => landsOn(steered, seatValue(seed, s)) === attacker.address)) topUp = extra;
    }
    expect(topUp !== undefined, "a top-up that takes every seat exists").to.equal(true);
    const extra = parseEther(topUp!.toString());
    const start = await cHelpers.takeSnapshot();

    // Control: once the draw is over the tree takes stake at once, and with the top-up the same seed's values would
    // seat the attacker three times (v1 drew over the live tree, so this was the attack).
    await court.draw(disputeId, 64);
    await jurorPool.connect(attacker).stake(extra);
    for (const s of [0n, 1n, 2n]) expect(await jurorPool.draw(seatValue(seed, s))).to.equal(attacker.address);
    await start.restore();

    // The attack: stake the top-up now, with the seed known, then draw. The tree is frozen: nothing changes.
    const honest = await seatsOf(f, [await court.draw(disputeId, 64)]);
    await start.restore();
    await expect(jurorPool.connect(attacker).stake(extra)).to.emit(jurorPool, "Staked");
    expect((await jurorPool.drawWeight(attacker.address))[0], "the weight waits").to.equal(JUROR_STAKE / 10n ** 18n);
    const attacked = await seatsOf(f, [await court.draw(disputeId, 64)]);
    expect([...attacked.entries()]).to.deep.equal([...honest.entries()]);
    expect([...attacked.values()].filter((j) => j === attacker.address).length).to.be.lessThan(3);
    // The draw is over: the pool thaws, and the top-up reaches the tree at the attacker's next change or a sync.
    expect(await jurorPool.pendingDraws()).to.equal(0n);
    await expect(jurorPool.syncWeight(attacker.address))
      .to.emit(jurorPool, "WeightSynced")
      .withArgs(attacker.address, (JUROR_STAKE + extra) / 10n ** 18n);
  });

  it("attack: drawing seat by seat, moving stake between the seats, gives every seat to the juror it had", async function () {
    const f = await cHelpers.loadFixture(seedKnownFixture);
    const { court, jurorPool, disputeId, attacker, jurors } = f;
    const start = await cHelpers.takeSnapshot();
    const allAtOnce = await seatsOf(f, [await court.draw(disputeId, 64)]);
    await start.restore();
    // One seat per call; between the calls the attacker adds stake and a juror the draw did not seat leaves half-way
    // (a seated juror who leaves declines its own later seats: the next test).
    const seated = new Set(allAtOnce.values());
    const bystanders = jurors.filter((j) => j !== attacker && !seated.has(j.address));
    expect(bystanders.length).to.be.at.least(Number(SEATS));
    const txs = [];
    for (let seat = 0; seat < Number(SEATS); seat++) {
      txs.push(await court.draw(disputeId, 1));
      await jurorPool.connect(attacker).stake(parseEther("7000"));
      await jurorPool.connect(bystanders[seat]!).requestUnstake(JUROR_STAKE / 2n);
    }
    expect([...(await seatsOf(f, txs)).entries()]).to.deep.equal([...allAtOnce.entries()]);
  });

  it("attack: a drawn juror who declines its seat after seeing the seed only sends its own seat to a new draw", async function () {
    const f = await cHelpers.loadFixture(seedKnownFixture);
    const { court, jurorPool, disputeId } = f;
    const start = await cHelpers.takeSnapshot();
    const baseline = await seatsOf(f, [await court.draw(disputeId, 64)]);
    await start.restore();
    // The holder of the middle seat declines: it asks back its whole stake before the draw, so it cannot sit.
    const decliner = baseline.get(1n)!;
    const signer = f.jurors.find((j) => j.address === decliner)!;
    await jurorPool.connect(signer).requestUnstake(JUROR_STAKE);
    const tx = await court.draw(disputeId, 64);
    await expect(tx).to.emit(court, "DrawSkipped").withArgs(disputeId, 0n, decliner, 1n, 0n);
    const after = await seatsOf(f, [tx]);
    // Every other seat went to the juror it went to before: declining moves nobody else's seat.
    for (const [seat, juror] of baseline) if (juror !== decliner) expect(after.get(seat)).to.equal(juror);
    expect(after.get(1n)).to.not.equal(decliner);
  });

  it("credits whoever draws a share of the round's fees, out of the round's escrow, and pays it on a claim", async function () {
    const f = await cHelpers.loadFixture(seedKnownFixture);
    const { court, jurorPool, token, disputeId, outsider } = f;
    const fees = COURT.arbitrationFeePerSeat * SEATS;
    const reward = (fees * BigInt(COURT.drawRewardBps)) / BPS;
    const [escrowBefore] = await court.totalOwed();
    const before = await token.balanceOf(outsider.address);
    // Two calls: the first draws one seat and earns a third of the reward, the second the rest.
    await expect(court.connect(outsider).draw(disputeId, 1))
      .to.emit(court, "DrawRewarded")
      .withArgs(disputeId, 0n, outsider.address, 1n, reward / SEATS);
    await expect(court.connect(outsider).draw(disputeId, 64))
      .to.emit(court, "DrawRewarded")
      .withArgs(disputeId, 0n, outsider.address, SEATS - 1n, (fees * BigInt(COURT.drawRewardBps) * 2n) / (BPS * 3n));
    const credited = await court.drawRewardsOf(outsider.address);
    expect(credited).to.be.closeTo(reward, 1n);
    // Credited, not paid: the reward left the round's fees and the dispute's escrow, and the court still owes it.
    expect(await token.balanceOf(outsider.address)).to.equal(before);
    expect((await court.getRound(disputeId, 0n)).fees).to.equal(fees - credited);
    expect((await court.getDispute(disputeId)).escrow).to.equal(fees - credited);
    expect((await court.totalOwed())[0]).to.equal(escrowBefore);
    expect(await jurorPool.pendingDraws()).to.equal(0n);
    expect(await court.periodOf(disputeId)).to.equal(Period.Commit);

    await expect(court.claimDrawRewards(outsider.address))
      .to.emit(court, "DrawRewardsClaimed")
      .withArgs(outsider.address, credited);
    expect(await token.balanceOf(outsider.address)).to.equal(before + credited);
    expect((await court.totalOwed())[0]).to.equal(escrowBefore - credited);
    expect(await court.drawRewardsOf(outsider.address)).to.equal(0n);
  });

  it("attack: credited draw rewards are owed: the pool's stray sweep, another caller and a second claim take none", async function () {
    const f = await cHelpers.loadFixture(seedKnownFixture);
    const { court, jurorPool, token, disputeId, outsider, attacker } = f;
    const tokenAddress = await token.getAddress();
    const poolAddress = await jurorPool.getAddress();
    await court.connect(outsider).draw(disputeId, 64);
    const credited = await court.drawRewardsOf(outsider.address);
    expect(credited).to.be.greaterThan(0n);
    // The pool's balance is exactly its stakes plus the court's funds, the credit included: nothing to sweep.
    const [stakes] = await jurorPool.totalOwed();
    expect(await token.balanceOf(poolAddress)).to.equal(stakes + (await court.poolFundsOwed()));
    await expect(jurorPool.sweepStrayTokens(tokenAddress)).to.be.revertedWithCustomError(jurorPool, "NothingToSweep");
    // Anyone may claim for the keeper, but the keeper is paid; the caller gets nothing.
    const attackerBefore = await token.balanceOf(attacker.address);
    const keeperBefore = await token.balanceOf(outsider.address);
    await court.connect(attacker).claimDrawRewards(outsider.address);
    expect(await token.balanceOf(attacker.address)).to.equal(attackerBefore);
    expect(await token.balanceOf(outsider.address)).to.equal(keeperBefore + credited);
    // A second claim, and a claim of someone who drew nothing, pay nothing.
    await expect(court.connect(outsider).claimDrawRewards(outsider.address))
      .to.emit(court, "DrawRewardsClaimed")
      .withArgs(outsider.address, 0n);
    await expect(court.connect(attacker).claimDrawRewards(attacker.address))
      .to.emit(court, "DrawRewardsClaimed")
      .withArgs(attacker.address, 0n);
    expect(await token.balanceOf(outsider.address)).to.equal(keeperBefore + credited);
    expect(await token.balanceOf(attacker.address)).to.equal(attackerBefore);
  });

  it("attack: an expired blockhash seed is never renewed; the draw deadline sends an undrawn round to the DAO", async function () {
    const f = await cHelpers.loadFixture(seedKnownFixture);
    const { court, jurorPool, randomness, disputeId } = f;
    // No renewal exists: whoever dislikes a seed cannot wait for it to expire and ask for another.
    const functions: string[] = [];
    randomness.interface.forEachFunction((f) => functions.push(f.name));
    expect(functions).to.not.include("renew");
    await cHelpers.mine(300);
    const { randomnessRequest } = await court.getRound(disputeId, 0n);
    await expect(court.draw(disputeId, 64))
      .to.be.revertedWithCustomError(randomness, "RandomnessExpired")
      .withArgs(randomnessRequest);
    const { drawDeadline } = await court.getRound(disputeId, 0n);
    await cHelpers.time.increaseTo(drawDeadline);
    await expect(court.draw(disputeId, 64)).to.emit(court, "DrawExpired").withArgs(disputeId, 0n, 0n, SEATS);
    expect(await court.periodOf(disputeId)).to.equal(Period.DaoReview);
    expect(await jurorPool.pendingDraws(), "the expired round no longer holds the pool frozen").to.equal(0n);
  });

  it("goes on with the seats drawn when the deadline passes mid-draw", async function () {
    const f = await cHelpers.loadFixture(seedKnownFixture);
    const { court, disputeId } = f;
    await court.draw(disputeId, 1);
    const { drawDeadline } = await court.getRound(disputeId, 0n);
    await cHelpers.time.increaseTo(drawDeadline);
    await expect(court.draw(disputeId, 64)).to.emit(court, "DrawExpired").withArgs(disputeId, 0n, 1n, SEATS);
    const round = await court.getRound(disputeId, 0n);
    expect([round.seats, round.drawn]).to.deep.equal([1n, 1n]);
    expect(await court.periodOf(disputeId)).to.equal(Period.Commit);
  });
});

describe("StakePool: frozen weights", function () {
  async function managedFixture() {
    const f = await deployCourtFixture();
    const pool = await cEthers.deployContract("StakePool");
    const proxy = await cEthers.deployContract("ERC1967Proxy", [
      await pool.getAddress(),
      pool.interface.encodeFunctionData("initialize", [
        await f.token.getAddress(),
        f.treasury,
        { minStake: parseEther("100"), thawingPeriod: 3_600 },
      ]),
    ]);
    const managed = await cEthers.getContractAt("StakePool", await proxy.getAddress());
    const [manager, alice, bob] = [f.deployer, f.jurors[0]!, f.jurors[1]!];
    await managed.setManager(manager.address);
    for (const s of [alice, bob]) await f.token.connect(s).approve(await managed.getAddress(), cEthers.MaxUint256);
    await managed.connect(alice).stake(parseEther("1000"));
    await managed.connect(bob).stake(parseEther("1000"));
    return { ...f, pool: managed, manager, alice, bob };
  }

  it("attack: a member cannot keep the weight of stake it withdrew and top up only the seat it likes", async function () {
    const { pool, manager, alice } = await cHelpers.loadFixture(managedFixture);
    // A draw is pending; alice asks back 900 of her 1,000: her money thaws at once, her weight waits.
    await pool.connect(manager).beginDraw();
    await pool.connect(alice).requestUnstake(parseEther("900"));
    await pool.connect(manager).endDraw();
    expect((await pool.drawWeight(alice.address))[0], "stale until synced").to.equal(1_000n);
    // Next draw: with the seed known, alice tops up just one seat's stake and would sit on a 1,000 CUR weight.
    await pool.connect(manager).beginDraw();
    await pool.connect(alice).stake(parseEther("100"));
    const onAlice = 0n; // alice holds the first leaf: [0, 1000)
    const [drawn, ok] = await pool.connect(manager).drawAndLock.staticCall(onAlice, parseEther("100"), 0n);
    expect([drawn, ok], "her 200 CUR do not back her 1,000 CUR weight").to.deep.equal([alice.address, false]);
    await expect(pool.syncWeight(alice.address))
      .to.be.revertedWithCustomError(pool, "StakePoolDrawPending")
      .withArgs(1n);
    await pool.connect(manager).endDraw();
    await expect(pool.syncWeight(alice.address)).to.emit(pool, "WeightSynced").withArgs(alice.address, 200n);
    // Synced, her weight is what she holds, and she can sit again.
    const [, okNow] = await pool.connect(manager).drawAndLock.staticCall(onAlice, parseEther("100"), 0n);
    expect(okNow).to.equal(true);
  });

  it("attack: a member drawn more often than its frozen stake covers cannot top up to keep the extra seat", async function () {
    const { pool, manager, alice } = await cHelpers.loadFixture(managedFixture);
    const seatStake = parseEther("600");
    const onAlice = 0n; // alice holds the first leaf: [0, 1000)
    // Control, on a tree that takes the top-up at once: with 1,200 CUR alice backs two 600 CUR seats.
    const start = await cHelpers.takeSnapshot();
    await pool.connect(alice).stake(parseEther("200"));
    await pool.connect(manager).beginDraw();
    await pool.connect(manager).drawAndLock(onAlice, seatStake, 0n);
    expect((await pool.connect(manager).drawAndLock.staticCall(onAlice, seatStake, 0n))[1]).to.equal(true);
    await start.restore();

    // The seed is known and lands on alice twice. Her frozen 1,000 CUR back one 600 CUR seat, not two: the second
    // goes to a new draw. Seeing that, she tops up 200 CUR to keep it.
    await pool.connect(manager).beginDraw();
    await expect(pool.connect(manager).drawAndLock(onAlice, seatStake, 0n)).to.emit(pool, "StakeLocked");
    expect((await pool.connect(manager).drawAndLock.staticCall(onAlice, seatStake, 0n))[1]).to.equal(false);
    await pool.connect(alice).stake(parseEther("200"));
    const [drawn, ok] = await pool.connect(manager).drawAndLock.staticCall(onAlice, seatStake, 0n);
    expect([drawn, ok], "a seat is backed by the stake of the frozen weight, not by stake added since").to.deep.equal([
      alice.address,
      false,
    ]);
    // A lock within her frozen weight still takes: the top-up only raises what she has at risk.
    expect((await pool.connect(manager).drawAndLock.staticCall(onAlice, parseEther("300"), 0n))[1]).to.equal(true);
  });

  it("refuses to end a draw that never began, and counts overlapping draws", async function () {
    const { pool, manager, alice } = await cHelpers.loadFixture(managedFixture);
    await expect(pool.connect(manager).endDraw()).to.be.revertedWithCustomError(pool, "StakePoolNoPendingDraw");
    await expect(pool.connect(manager).beginDraw()).to.emit(pool, "PendingDrawsChanged").withArgs(1n);
    await expect(pool.connect(manager).beginDraw()).to.emit(pool, "PendingDrawsChanged").withArgs(2n);
    await pool.connect(alice).stake(parseEther("500"));
    await pool.connect(manager).endDraw();
    // One draw still pending: the tree still waits.
    expect((await pool.drawWeight(alice.address))[0]).to.equal(1_000n);
    await expect(pool.connect(manager).endDraw()).to.emit(pool, "PendingDrawsChanged").withArgs(0n);
    await pool.connect(alice).stake(parseEther("1"));
    expect((await pool.drawWeight(alice.address))[0], "her next change applies all of it").to.equal(1_501n);
  });
});

const coder = AbiCoder.defaultAbiCoder();

describe("Randomness sources", function () {
  /** The court drawing from a VRF adapter, whose coordinator is a local mock that delivers the word it is given. */
  async function vrfFixture() {
    const f = await deployCourtFixture();
    const coordinator = await cEthers.deployContract("VrfCoordinatorMock");
    const keyHash = keccak256("0x01");
    const vrf = await cEthers.deployContract("VrfRandomness", [
      f.deployer.address,
      await coordinator.getAddress(),
      keyHash,
      42n,
      3,
      500_000,
      false,
    ]);
    await vrf.setRequester(await f.court.getAddress(), true);
    await f.court.connect(f.asTimelock).setRandomnessSource(await vrf.getAddress());
    const market = new MarketHelper(f.registry, f.curationPool, cHelpers);
    const listingId = await market.list(f.provider, "mnist-mlp");
    return { ...f, coordinator, vrf, keyHash, listingId };
  }

  it("draws a jury from a VRF coordinator's word, which only the coordinator delivers, once", async function () {
    const { court, coordinator, vrf, keyHash, courtHelper, challenger, listingId, outsider } =
      await cHelpers.loadFixture(vrfFixture);
    const disputeId = await courtHelper.challenge(challenger, listingId);
    const { randomnessRequest } = await court.getRound(disputeId, 0n);
    expect(await coordinator.consumerOf(randomnessRequest)).to.equal(await vrf.getAddress());
    expect(await coordinator.keyHashOf(randomnessRequest)).to.equal(keyHash);
    expect(await coordinator.subIdOf(randomnessRequest)).to.equal(42n);
    // The extra args carry the VRF v2.5 tag and the payment choice (LINK here).
    expect(await coordinator.extraArgsOf(randomnessRequest)).to.equal(
      keccak256(new TextEncoder().encode("VRF ExtraArgsV1")).slice(0, 10) + coder.encode(["bool"], [false]).slice(2),
    );
    await expect(court.draw(disputeId, 64))
      .to.be.revertedWithCustomError(vrf, "RandomnessNotReady")
      .withArgs(randomnessRequest, 0n);
    await expect(vrf.connect(outsider).rawFulfillRandomWords(randomnessRequest, [7n]))
      .to.be.revertedWithCustomError(vrf, "RandomnessOnlyCoordinator")
      .withArgs(outsider.address, await coordinator.getAddress());
    await expect(coordinator.fulfill(randomnessRequest, 7n))
      .to.emit(vrf, "RandomnessFulfilled")
      .withArgs(randomnessRequest);
    await expect(coordinator.fulfill(randomnessRequest, 8n))
      .to.be.revertedWithCustomError(vrf, "RandomnessUnexpectedFulfillment")
      .withArgs(randomnessRequest);
    expect(await vrf.randomness(randomnessRequest)).to.equal(7n);
    await court.draw(disputeId, 64);
    expect(await court.periodOf(disputeId)).to.equal(Period.Commit);
  });

  it("lets only the requesters its owner approved spend the subscription", async function () {
    const { vrf, outsider, deployer } = await cHelpers.loadFixture(vrfFixture);
    await expect(vrf.connect(outsider).requestRandomness())
      .to.be.revertedWithCustomError(vrf, "RandomnessRequesterNotAllowed")
      .withArgs(outsider.address);
    await expect(vrf.connect(outsider).setRequester(outsider.address, true))
      .to.be.revertedWithCustomError(vrf, "OwnableUnauthorizedAccount")
      .withArgs(outsider.address);
    await expect(vrf.connect(deployer).setRequester(outsider.address, true))
      .to.emit(vrf, "RequesterSet")
      .withArgs(outsider.address, false, true);
    await expect(vrf.connect(outsider).requestRandomness()).to.emit(vrf, "RandomnessRequested");
    await expect(vrf.randomness(99n)).to.be.revertedWithCustomError(vrf, "RandomnessUnknown").withArgs(99n);
  });

  it("refuses blockhash randomness outside local chains", async function () {
    const sepolia = await hre.network.create({ override: { chainId: 11_155_111 } });
    const factory = await sepolia.ethers.getContractFactory("BlockhashRandomness");
    await expect(factory.deploy(1))
      .to.be.revertedWithCustomError(factory, "RandomnessLocalChainOnly")
      .withArgs(11_155_111n);
    await sepolia.close();
  });
});
