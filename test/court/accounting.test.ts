// Every share of a dispute paid out exactly, one party at a time: each juror's reward, penalty, unlock and draw weight
// after settlement (in both settlement orders), the cumulative rounding of Court.settle, votes counted per seat, two
// rounds that both earn, and ListingChallenges' split between winner, jurors and treasury to the wei. Totals alone hide
// a reward divided by the wrong number of seats; these amounts are chosen so that every rounding shows.
import { expect } from "chai";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { parseEther } from "ethers";
import {
  CHALLENGES,
  Choice,
  COURT,
  cEthers,
  cHelpers,
  CourtHelper,
  deployCourtFixture,
  JUROR_STAKE,
  ListingStatus,
  paramsOf,
} from "../helpers/court.js";
import { MarketHelper, PRICE } from "../helpers/marketplace.js";

const BPS = 10_000n;
const SEATS = 5n;
/** The first round's fees, less the draw reward its keeper took (one draw call fills every seat). */
const FEE =
  COURT.arbitrationFeePerSeat * SEATS - (COURT.arbitrationFeePerSeat * SEATS * BigInt(COURT.drawRewardBps)) / BPS;
const PENALTY = (COURT.seatStake * BigInt(COURT.penaltyBps)) / BPS;
/** A stake whose shares (6,000 / 200 / 3,800 bps) all round: 30.6, 1.02 and 19.38 wei above whole CUR. */
const ODD = 51n;
const WEIGHT_UNIT = 10n ** 18n;

/**
 * Four jurors left in the pool, five seats a first round and a fixed seed: the jury is jurors[0] with two seats and
 * jurors[1..3] with one each, on every run. The listing's bond is odd by 51 wei, so every share of it rounds.
 */
async function fiveSeatFixture() {
  const f = await cHelpers.loadFixture(deployCourtFixture);
  // Seed 173 seats jurors[0] twice and jurors[1..3] once (found off-chain with @curia/protocol's drawValue and
  // drawLandsOn over the pool as it stands at the request).
  const fixed = await cEthers.deployContract("FixedRandomness", [173n]);
  await f.court.connect(f.asTimelock).setRandomnessSource(await fixed.getAddress());
  await f.court
    .connect(f.asTimelock)
    .setParameters({ ...paramsOf(await f.court.parameters()), firstRoundSeats: SEATS });
  for (const juror of f.jurors.slice(4)) await f.jurorPool.connect(juror).requestUnstake(JUROR_STAKE);
  const market = new MarketHelper(f.registry, f.curationPool, cHelpers);
  const bond = (await f.registry.parameters()).minBond + ODD;
  const listingId = await market.list(f.provider, "mnist-mlp", PRICE, bond);
  return { ...f, market, listingId, bond, four: f.jurors.slice(0, 4) };
}

/** The dispute drawn, with the jury checked against what the fixed seed gives. */
async function drawnFixture() {
  const f = await cHelpers.loadFixture(fiveSeatFixture);
  const disputeId = await f.courtHelper.challenge(f.challenger, f.listingId);
  const jury = await f.courtHelper.drawJury(disputeId);
  expect(jury.map((j) => [f.jurors.indexOf(j.juror), j.seats])).to.deep.equal(
    [
      [0, 2n],
      [1, 1n],
      [2, 1n],
      [3, 1n],
    ],
    "the fixed seed's jury",
  );
  return { ...f, disputeId };
}

/** Votes per juror index (undefined: never commits; "silent": commits and never reveals), then the appeal period. */
async function vote(
  f: { courtHelper: CourtHelper },
  disputeId: bigint,
  choices: (number | "silent" | undefined)[],
): Promise<void> {
  const jury = await f.courtHelper.jury(disputeId);
  await f.courtHelper.commitVotes(disputeId, jury, (_, i) => {
    const c = choices[i];
    return c === "silent" ? Choice.Challenger : c;
  });
  await f.courtHelper.waitForReveal(disputeId);
  // Revealed one by one: the helper's salts outlive fixture snapshots, so revealVotes could find a stale one.
  for (const [i, { juror }] of jury.entries()) {
    const c = choices[i];
    if (c !== undefined && c !== "silent") await f.courtHelper.reveal(juror, disputeId);
  }
  await f.courtHelper.waitForAppeal(disputeId);
}

describe("Court: every share paid exactly", function () {
  it("counts a juror's vote once per seat: two seats outvote one", async function () {
    const f = await cHelpers.loadFixture(drawnFixture);
    const { court, courtHelper, disputeId, four } = f;
    await courtHelper.commitVotes(disputeId, await courtHelper.jury(disputeId), (_, i) =>
      i === 0 ? Choice.Challenger : i === 1 ? Choice.Defendant : undefined,
    );
    await courtHelper.waitForReveal(disputeId);
    await expect(courtHelper.reveal(four[0]!, disputeId))
      .to.emit(court, "VoteRevealed")
      .withArgs(disputeId, 0n, four[0]!.address, Choice.Challenger, 2n, 2n, 0n);
    await expect(courtHelper.reveal(four[1]!, disputeId))
      .to.emit(court, "VoteRevealed")
      .withArgs(disputeId, 0n, four[1]!.address, Choice.Defendant, 1n, 2n, 1n);
    expect(await court.currentRuling(disputeId)).to.equal(Choice.Challenger);
  });

  it("settles each juror alone: penalties per seat, the pool shared per coherent seat with cumulative rounding, in either order", async function () {
    const f = await cHelpers.loadFixture(drawnFixture);
    const { court, courtHelper, jurorPool, disputeId, four, bond, token, treasury, challenges, registry } = f;
    // jurors[0] (2 seats) commits and never reveals; jurors[1] and [2] vote to delist; jurors[3] votes to keep.
    await vote(f, disputeId, ["silent", Choice.Challenger, Choice.Challenger, Choice.Defendant]);
    const toWinner = (bond * BigInt(CHALLENGES.winnerShareBps)) / BPS;
    const toJurors = (bond * BigInt(CHALLENGES.jurorShareBps)) / BPS;
    const toTreasury = bond - toWinner - toJurors;
    expect([toWinner, toJurors, toTreasury]).to.deep.equal([
      parseEther("600") + 30n,
      parseEther("20") + 1n,
      parseEther("380") + 20n,
    ]);
    const treasuryBefore = await token.balanceOf(treasury);
    const challengerBefore = await token.balanceOf(f.challenger.address);
    const execution = courtHelper.execute(disputeId);
    // The pool: the fee, the jurors' share, and three incoherent seats' penalties (two of them jurors[0]'s).
    const pool = FEE + toJurors + 3n * PENALTY;
    expect(pool % 2n).to.equal(1n, "an odd pool for two coherent seats");
    await expect(execution).to.emit(court, "RoundRewardsSet").withArgs(disputeId, 0n, 2n, pool);
    // The treasury's share travels with the jurors' in the court's one pull and is set aside there.
    await expect(execution)
      .to.emit(court, "RulingExecuted")
      .withArgs(disputeId, Choice.Challenger, false, toJurors, toTreasury);
    await expect(execution)
      .to.emit(challenges, "ChallengeResolved")
      .withArgs(
        disputeId,
        f.listingId,
        Choice.Challenger,
        f.challenger.address,
        bond,
        0n,
        toWinner,
        toJurors,
        toTreasury,
      );
    expect(await registry.statusOf(f.listingId)).to.equal(ListingStatus.Delisted);
    // Winner and treasury are paid to the wei (the treasury's share waits in the court for its sweep); the adapter
    // keeps nothing, not even the rounding.
    expect(await token.balanceOf(f.challenger.address)).to.equal(
      challengerBefore + CHALLENGES.minChallengeBond + toWinner,
    );
    expect(await token.balanceOf(treasury)).to.equal(treasuryBefore);
    expect((await court.totalOwed())[3]).to.equal(toTreasury);
    expect(await token.balanceOf(await challenges.getAddress())).to.equal(0n);

    const settledState = await cHelpers.takeSnapshot();
    const half = pool / 2n;
    for (const order of [
      [1, 2],
      [2, 1],
    ]) {
      await settledState.restore();
      // The first coherent juror to settle gets floor(pool / 2), the second what makes the total exact.
      for (const [k, i] of order.entries()) {
        const juror = four[i]!;
        const reward = k === 0 ? half : pool - half;
        const staked = (await jurorPool.memberOf(juror.address)).staked;
        const settlement = court.settle(disputeId, 0n, juror.address);
        await expect(settlement)
          .to.emit(court, "JurorSettled")
          .withArgs(disputeId, 0n, juror.address, true, reward, 0n);
        await expect(settlement)
          .to.emit(jurorPool, "StakeReleased")
          .withArgs(juror.address, COURT.seatStake, 0n, reward);
        const after = await jurorPool.memberOf(juror.address);
        expect([after.staked, after.locked]).to.deep.equal([staked, 0n]);
      }
      expect((await court.totalOwed())[1]).to.equal(0n, "the pool is paid out to the wei");
    }
    // The incoherent: each seat's penalty and each seat's stake unlocked; the draw weight follows the stake.
    for (const [i, seats] of [
      [0, 2n],
      [3, 1n],
    ] as const) {
      const juror = four[i]!;
      await expect(court.settle(disputeId, 0n, juror.address))
        .to.emit(court, "JurorSettled")
        .withArgs(disputeId, 0n, juror.address, false, 0n, seats * PENALTY);
      const member = await jurorPool.memberOf(juror.address);
      expect([member.staked, member.locked]).to.deep.equal([JUROR_STAKE - seats * PENALTY, 0n]);
      expect((await jurorPool.drawWeight(juror.address))[0]).to.equal((JUROR_STAKE - seats * PENALTY) / WEIGHT_UNIT);
    }
    for (const juror of four) {
      const member = await jurorPool.memberOf(juror.address);
      expect((await jurorPool.drawWeight(juror.address))[0]).to.equal(member.staked / WEIGHT_UNIT);
    }
    // The keeper's draw rewards wait in the escrow for its claim; the treasury's share, for its sweep.
    await courtHelper.claimDrawRewards();
    await court.sweepTreasury();
    expect(await token.balanceOf(treasury)).to.equal(treasuryBefore + toTreasury);
    const [escrow, rewards, pending, owed] = await court.totalOwed();
    expect([escrow, rewards, pending, owed]).to.deep.equal([0n, 0n, 0n, 0n]);
    const [stakes, locked] = await jurorPool.totalOwed();
    expect(locked).to.equal(0n);
    expect(await token.balanceOf(await jurorPool.getAddress())).to.equal(stakes);
  });

  it("pays the provider that wins its share of the challenger's bond, to the wei", async function () {
    const f = await cHelpers.loadFixture(fiveSeatFixture);
    const { courtHelper, challenges, token, treasury, provider, challenger, listingId } = f;
    const bond = CHALLENGES.minChallengeBond + ODD;
    const disputeId = await courtHelper.challenge(challenger, listingId, "ipfs://e", bond);
    await courtHelper.drawJury(disputeId);
    await vote(f, disputeId, [Choice.Defendant, Choice.Defendant, Choice.Defendant, Choice.Defendant]);
    const toWinner = (bond * BigInt(CHALLENGES.winnerShareBps)) / BPS;
    const toJurors = (bond * BigInt(CHALLENGES.jurorShareBps)) / BPS;
    const toTreasury = bond - toWinner - toJurors;
    const providerBefore = await token.balanceOf(provider.address);
    const challengerBefore = await token.balanceOf(challenger.address);
    const treasuryBefore = await token.balanceOf(treasury);
    await expect(courtHelper.execute(disputeId))
      .to.emit(challenges, "ChallengeResolved")
      .withArgs(disputeId, listingId, Choice.Defendant, provider.address, bond, 0n, toWinner, toJurors, toTreasury);
    expect(await token.balanceOf(provider.address)).to.equal(providerBefore + toWinner);
    expect(await token.balanceOf(challenger.address)).to.equal(challengerBefore, "the losing bond is not refunded");
    expect(await token.balanceOf(await challenges.getAddress())).to.equal(0n);
    // The treasury's share waits in the court (with the jurors' share, in the jurors' pool) until the sweep.
    expect(await token.balanceOf(treasury)).to.equal(treasuryBefore);
    expect((await f.court.totalOwed())[3]).to.equal(toTreasury);
    await f.court.sweepTreasury();
    expect(await token.balanceOf(treasury)).to.equal(treasuryBefore + toTreasury);
    // Everyone coherent, one juror with two seats: the pool is shared per seat.
    const pool = FEE + toJurors;
    const totals = await courtHelper.settleAll(disputeId);
    const paid = [...totals.values()].reduce((s, t) => s + t.reward, 0n);
    expect(paid).to.equal(pool);
    const twoSeats = totals.get(f.four[0]!.address)!.reward;
    expect(twoSeats).to.be.within((pool * 2n) / SEATS, (pool * 2n) / SEATS + 1n);
  });

  it("shares both rounds' pools when both juries voted the final ruling; the last round also gets the jurors' share", async function () {
    const f = await cHelpers.loadFixture(drawnFixture);
    const { court, courtHelper, jurorPool, disputeId, provider, bond, token } = f;
    await vote(f, disputeId, [Choice.Challenger, Choice.Challenger, Choice.Defendant, undefined]);
    await courtHelper.appeal(provider, disputeId);
    const appealSeats = SEATS * 2n + 1n;
    const appealFee = COURT.appealFeePerSeat * appealSeats;
    // What the appeal round's jurors share of it: its keeper took the draw reward (the helper draws in one call).
    const appealFeeToJurors = appealFee - (appealFee * BigInt(COURT.drawRewardBps)) / 10_000n;
    const second = await courtHelper.runRound(disputeId, () => Choice.Challenger);
    expect(second.reduce((s, j) => s + j.seats, 0n)).to.equal(appealSeats);
    const toJurors = (bond * BigInt(CHALLENGES.jurorShareBps)) / BPS;
    const firstPool = FEE + 2n * PENALTY;
    const secondPool = appealFeeToJurors + toJurors;
    const execution = courtHelper.execute(disputeId);
    await expect(execution).to.emit(court, "RoundRewardsSet").withArgs(disputeId, 0n, 3n, firstPool);
    await expect(execution).to.emit(court, "RoundRewardsSet").withArgs(disputeId, 1n, appealSeats, secondPool);
    // The adapter's treasury share of the provider's bond is set aside in the court (with the jurors' share's pull).
    const toTreasury = bond - (bond * BigInt(CHALLENGES.winnerShareBps)) / BPS - toJurors;
    await expect(execution)
      .to.emit(court, "RulingExecuted")
      .withArgs(disputeId, Choice.Challenger, false, toJurors, toTreasury);
    const totals = await courtHelper.settleAll(disputeId);
    const paid = [...totals.values()].reduce((s, t) => s + t.reward, 0n);
    expect(paid).to.equal(firstPool + secondPool);
    // The keeper's draw rewards wait in the escrow for its claim; the treasury's share, for its sweep.
    await courtHelper.claimDrawRewards();
    await expect(court.sweepTreasury()).to.emit(court, "TreasurySwept").withArgs(f.treasury, toTreasury);
    const [escrow, rewards, pending, owed] = await court.totalOwed();
    expect([escrow, rewards, pending, owed]).to.deep.equal([0n, 0n, 0n, 0n]);
    const [stakes, locked] = await jurorPool.totalOwed();
    expect(locked).to.equal(0n);
    expect(await token.balanceOf(await jurorPool.getAddress())).to.equal(stakes);
  });

  it("keeps each juror's draw weight equal to its stake over the weight unit through a dispute", async function () {
    const f = await cHelpers.loadFixture(drawnFixture);
    const { courtHelper, jurorPool, disputeId, four } = f;
    const check = async (accounts: HardhatEthersSigner[]) => {
      for (const a of accounts) {
        const member = await jurorPool.memberOf(a.address);
        expect((await jurorPool.drawWeight(a.address))[0]).to.equal(member.staked / WEIGHT_UNIT, a.address);
      }
    };
    await check(four);
    await vote(f, disputeId, [undefined, undefined, undefined, undefined]);
    await courtHelper.execute(disputeId);
    await courtHelper.settleAll(disputeId);
    await check(four);
    // Every seat was absent: each juror lost its seats' penalties.
    expect((await jurorPool.memberOf(four[0]!.address)).staked).to.equal(JUROR_STAKE - 2n * PENALTY);
    expect((await jurorPool.drawWeight(four[0]!.address))[0]).to.equal((JUROR_STAKE - 2n * PENALTY) / WEIGHT_UNIT);
  });
});
