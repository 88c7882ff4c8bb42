// Red team of crowdfunded appeals (ListingChallenges.fundAppeal / withdrawAppealFunds / the default ruling) and of the
// StakePool's frozen-weight lock cap, played as a rational adversary who sees every transaction and picks its moment.
// Every test asserts the safe behaviour: it fails if the attack it plays works.
import { expect } from "chai";
import { MaxUint256, parseEther } from "ethers";
import {
  cEthers,
  Choice,
  COURT,
  cHelpers,
  deployCourtFixture,
  ListingStatus,
  paramsOf,
  Period,
} from "../helpers/court.js";
import { MarketHelper } from "../helpers/marketplace.js";
import { deployValidationFixture, juryVotes, vHelpers, vIncreaseTo } from "../helpers/validation.js";
import { LOCAL_COURT } from "../../deploy/court-config.js";

const BPS = 10_000n;
const MULTIPLIERS = LOCAL_COURT.appealFunding;
const FIRST_APPEAL_COST = COURT.appealFeePerSeat * (2n * BigInt(COURT.firstRoundSeats) + 1n);
const needs = (cost: bigint, bps: number) => cost + (cost * BigInt(bps)) / BPS;
const WINNER_NEEDS = needs(FIRST_APPEAL_COST, MULTIPLIERS.winnerMultiplierBps);
const LOSER_NEEDS = needs(FIRST_APPEAL_COST, MULTIPLIERS.loserMultiplierBps);

/**
 * Two listings challenged: the first's jury ruled for the provider (appeal period open), the second is still drawing,
 * so ListingChallenges holds the second challenger's bond all along: a payout beyond what appeal funders put in would
 * come out of it.
 */
async function twoChallengesFixture() {
  const f = await cHelpers.loadFixture(deployCourtFixture);
  const market = new MarketHelper(f.registry, f.curationPool, cHelpers);
  const listingId = await market.list(f.provider, "mnist-mlp");
  const otherListing = await market.list(f.provider, "other-model");
  const disputeId = await f.courtHelper.challenge(f.challenger, listingId);
  await f.courtHelper.runRound(disputeId, () => Choice.Defendant);
  const otherDispute = await f.courtHelper.challenge(f.challenger, otherListing);
  const otherBond = (await f.challenges.getChallenge(otherDispute)).bond;
  const [funder, backer] = [f.alice, f.bob];
  for (const s of [funder, backer]) {
    await f.token.connect(f.deployer).transfer(s.address, parseEther("20000"));
    await f.token.connect(s).approve(await f.challenges.getAddress(), MaxUint256);
  }
  expect(await f.court.periodOf(disputeId)).to.equal(Period.Appeal);
  return { ...f, listingId, disputeId, otherDispute, otherBond, funder, backer };
}

describe("red team: crowdfunded appeals", function () {
  it("drain: double withdrawals, rounds that never existed and losing funders take nothing; the other bond stays", async function () {
    const { court, courtHelper, challenges, token, disputeId, otherBond, funder, backer, provider, outsider } =
      await cHelpers.loadFixture(twoChallengesFixture);
    const adapter = await challenges.getAddress();
    const start = await token.balanceOf(adapter);
    expect(start).to.equal(otherBond + (await challenges.getChallenge(disputeId)).bond);
    // A funder on both sides (hedging) and two plain funders; the appeal is raised by the last contribution.
    await challenges.connect(funder).fundAppeal(disputeId, Choice.Challenger, LOSER_NEEDS / 2n);
    await challenges.connect(funder).fundAppeal(disputeId, Choice.Defendant, WINNER_NEEDS / 2n);
    await challenges.connect(backer).fundAppeal(disputeId, Choice.Challenger, LOSER_NEEDS);
    await challenges.connect(provider).fundAppeal(disputeId, Choice.Defendant, WINNER_NEEDS);
    expect((await challenges.appealFundingOf(disputeId, 0n)).appealed).to.equal(true);
    // Nothing can be withdrawn before the dispute is resolved, for any round.
    for (const round of [0n, 1n, 7n]) {
      await expect(challenges.withdrawAppealFunds(disputeId, round, funder.address))
        .to.be.revertedWithCustomError(challenges, "ChallengeNotResolved")
        .withArgs(disputeId);
    }
    await courtHelper.runRound(disputeId, () => Choice.Defendant);
    await courtHelper.execute(disputeId);
    expect(await challenges.resolvedRuling(disputeId)).to.equal(Choice.Defendant);

    const pot = LOSER_NEEDS + WINNER_NEEDS - FIRST_APPEAL_COST;
    let paidOut = 0n;
    for (const who of [funder, provider]) {
      const paid = (await challenges.appealContributionOf(disputeId, 0n, who.address))[1];
      const before = await token.balanceOf(who.address);
      await challenges.connect(outsider).withdrawAppealFunds(disputeId, 0n, who.address);
      const got = (await token.balanceOf(who.address)) - before;
      expect(got).to.equal((paid * pot) / WINNER_NEEDS);
      paidOut += got;
      // A second withdrawal takes nothing, and the hedger's losing side is gone with the first.
      await expect(challenges.withdrawAppealFunds(disputeId, 0n, who.address))
        .to.be.revertedWithCustomError(challenges, "ChallengeNothingToWithdraw")
        .withArgs(disputeId, 0n, who.address);
    }
    await expect(challenges.withdrawAppealFunds(disputeId, 0n, backer.address)).to.be.revertedWithCustomError(
      challenges,
      "ChallengeNothingToWithdraw",
    );
    // The round the last jury sat in was never appealed, and round 7 never existed: nothing to take from either.
    for (const round of [1n, 7n]) {
      await expect(challenges.withdrawAppealFunds(disputeId, round, provider.address))
        .to.be.revertedWithCustomError(challenges, "ChallengeNothingToWithdraw")
        .withArgs(disputeId, round, provider.address);
    }
    expect(pot - paidOut).to.be.lessThan(2n);
    // Only the other challenge's bond and the rounding dust remain: its ruling can still pay out.
    const left = await token.balanceOf(adapter);
    expect(left - otherBond).to.equal(pot - paidOut);
    expect((await court.getDispute(disputeId)).executed).to.equal(true);
  });

  it("cost raised by the DAO between the two sides' funding: the appeal is paid from what was raised, not from bonds", async function () {
    const { court, courtHelper, challenges, token, asTimelock, disputeId, otherDispute, otherBond, funder, provider } =
      await cHelpers.loadFixture(twoChallengesFixture);
    const adapter = await challenges.getAddress();
    await challenges.connect(funder).fundAppeal(disputeId, Choice.Challenger, LOSER_NEEDS);
    // The DAO raises the appeal fee fivefold: the losing side is funded at the old cost, the winner pays the new.
    const p = paramsOf(await court.parameters());
    await court.connect(asTimelock).setParameters({ ...p, appealFeePerSeat: p.appealFeePerSeat * 5n });
    const newCost = await court.appealCost(disputeId);
    expect(newCost).to.equal(FIRST_APPEAL_COST * 5n);
    const [required] = await challenges.appealFundingRequired(disputeId, Choice.Defendant);
    expect(required).to.equal(needs(newCost, MULTIPLIERS.winnerMultiplierBps));
    const bondBefore = (await challenges.getChallenge(disputeId)).bond;
    await expect(challenges.connect(provider).fundAppeal(disputeId, Choice.Defendant, required))
      .to.emit(challenges, "AppealRaised")
      .withArgs(disputeId, 0n, newCost);
    // The court took the new cost; what the two sides raised covers it: every bond is still held in full.
    expect(await token.balanceOf(adapter)).to.equal(otherBond + bondBefore + LOSER_NEEDS + required - newCost);

    // The DAO now cuts the fee to a tenth: nothing about round 0's accounting moves.
    await court.connect(asTimelock).setParameters({ ...p, appealFeePerSeat: p.appealFeePerSeat / 10n });
    await courtHelper.runRound(disputeId, () => Choice.Challenger);
    await courtHelper.execute(disputeId);
    const before = await token.balanceOf(funder.address);
    await challenges.withdrawAppealFunds(disputeId, 0n, funder.address);
    expect((await token.balanceOf(funder.address)) - before).to.equal(LOSER_NEEDS + required - newCost);
    expect(await token.balanceOf(adapter)).to.equal(otherBond);
    // And the other challenge still resolves (its bond is there to be paid out).
    await courtHelper.runRound(otherDispute, () => Choice.Defendant);
    await expect(courtHelper.execute(otherDispute)).to.emit(challenges, "ChallengeResolved");
    expect(await token.balanceOf(adapter)).to.equal(0n);
  });

  it("free default: with a zero appeal fee nobody can mark a side funded without paying", async function () {
    const { court, challenges, registry, asTimelock, listingId, disputeId, outsider } =
      await cHelpers.loadFixture(twoChallengesFixture);
    const p = paramsOf(await court.parameters());
    await court.connect(asTimelock).setParameters({ ...p, appealFeePerSeat: 0n });
    expect(await court.appealCost(disputeId)).to.equal(0n);
    // The attack: one call, no tokens, marks the losing (challenger's) side funded; an absent provider then loses a
    // listing the jury kept, for free.
    await expect(
      challenges.connect(outsider).fundAppeal(disputeId, Choice.Challenger, 1n),
    ).to.be.revertedWithCustomError(challenges, "ChallengeAppealNotOpen");
    const r = await court.getRound(disputeId, 0n);
    await cHelpers.time.increaseTo(r.appealEnd);
    await court.executeRuling(disputeId);
    expect(await challenges.resolvedRuling(disputeId)).to.equal(Choice.Defendant);
    expect(await registry.statusOf(listingId)).to.not.equal(ListingStatus.Delisted);
  });

  it("a party's own appeal racing the crowdfunding: later funding is refused, every funder is refunded, no default", async function () {
    const { court, courtHelper, challenges, token, disputeId, funder, backer, challenger } =
      await cHelpers.loadFixture(twoChallengesFixture);
    await challenges.connect(funder).fundAppeal(disputeId, Choice.Challenger, LOSER_NEEDS);
    await challenges.connect(backer).fundAppeal(disputeId, Choice.Defendant, WINNER_NEEDS - 1n);
    // The losing challenger appeals on its own first (front-running the winner side's last wei).
    await courtHelper.appeal(challenger, disputeId);
    await expect(challenges.connect(backer).fundAppeal(disputeId, Choice.Defendant, 1n))
      .to.be.revertedWithCustomError(challenges, "ChallengeAppealNotOpen")
      .withArgs(disputeId);
    // Round 1 is the last juror round here: its appeal goes to the DAO and is not crowdfunded.
    await courtHelper.runRound(disputeId, () => Choice.Defendant);
    await expect(challenges.connect(funder).fundAppeal(disputeId, Choice.Challenger, 1n))
      .to.be.revertedWithCustomError(challenges, "ChallengeAppealGoesToDao")
      .withArgs(disputeId, 2n);
    // Round 0's lone funded side does not decide the dispute: round 1's jury does.
    await expect(courtHelper.execute(disputeId)).to.not.emit(challenges, "AppealDefaulted");
    expect(await challenges.resolvedRuling(disputeId)).to.equal(Choice.Defendant);
    for (const [who, paid] of [
      [funder, LOSER_NEEDS],
      [backer, WINNER_NEEDS - 1n],
    ] as const) {
      const before = await token.balanceOf(who.address);
      await challenges.withdrawAppealFunds(disputeId, 0n, who.address);
      expect((await token.balanceOf(who.address)) - before).to.equal(paid);
    }
    expect((await court.getDispute(disputeId)).rounds).to.equal(2n);
  });

  it("the DAO lowering maxJurorRounds after one side was funded does not hand that side a default win", async function () {
    const { court, challenges, registry, token, asTimelock, listingId, disputeId, funder, provider } =
      await cHelpers.loadFixture(twoChallengesFixture);
    await challenges.connect(funder).fundAppeal(disputeId, Choice.Challenger, LOSER_NEEDS);
    const p = paramsOf(await court.parameters());
    await court.connect(asTimelock).setParameters({ ...p, maxJurorRounds: 1 });
    // The provider answers in its half, but its side can no longer be funded: the next appeal is the DAO's.
    await expect(challenges.connect(provider).fundAppeal(disputeId, Choice.Defendant, WINNER_NEEDS))
      .to.be.revertedWithCustomError(challenges, "ChallengeAppealGoesToDao")
      .withArgs(disputeId, 1n);
    const r = await court.getRound(disputeId, 0n);
    await cHelpers.time.increaseTo(r.appealEnd);
    await expect(court.executeRuling(disputeId)).to.not.emit(challenges, "AppealDefaulted");
    expect(await challenges.resolvedRuling(disputeId)).to.equal(Choice.Defendant);
    expect(await registry.statusOf(listingId)).to.not.equal(ListingStatus.Delisted);
    const before = await token.balanceOf(funder.address);
    await challenges.withdrawAppealFunds(disputeId, 0n, funder.address);
    expect((await token.balanceOf(funder.address)) - before).to.equal(LOSER_NEEDS);
  });

  it("a default flip never makes rule() revert, and the jurors of the court's own ruling settle to the wei", async function () {
    const { court, courtHelper, challenges, registry, jurorPool, token, listingId, disputeId, funder } =
      await cHelpers.loadFixture(twoChallengesFixture);
    // Round 0 ruled for the provider; only the challenger's side is funded: the provider loses by default.
    await challenges.connect(funder).fundAppeal(disputeId, Choice.Challenger, LOSER_NEEDS);
    await expect(courtHelper.execute(disputeId))
      .to.emit(challenges, "AppealDefaulted")
      .withArgs(disputeId, 0n, Choice.Challenger, Choice.Defendant);
    expect(await registry.statusOf(listingId)).to.equal(ListingStatus.Delisted);
    // The court keeps its own ruling for the jurors (as in Kleros): every juror settles, no total goes negative.
    expect((await court.getDispute(disputeId)).ruling).to.equal(Choice.Defendant);
    await courtHelper.settleAll(disputeId);
    const [, rewards, pending] = await court.totalOwed();
    expect([rewards, pending]).to.deep.equal([0n, 0n]);
    const [staked, locked] = await jurorPool.totalOwed();
    expect(locked).to.equal(0n);
    expect(await token.balanceOf(await jurorPool.getAddress())).to.be.greaterThanOrEqual(staked);
  });

  it("a tied round with the winning side funded by the attacker and the losing side by nobody keeps the ruling", async function () {
    const f = await cHelpers.loadFixture(deployCourtFixture);
    const { court, courtHelper, challenges, registry, token, deployer, outsider, provider, challenger } = f;
    const market = new MarketHelper(registry, f.curationPool, cHelpers);
    const listingId = await market.list(provider, "tie-model");
    const disputeId = await courtHelper.challenge(challenger, listingId);
    // Nobody reveals: a tie, ruled for the provider (the defendant).
    // (No commit at all: the helper's salts from other tests' dispute 1 must not be revealed here.)
    await courtHelper.drawJury(disputeId);
    await courtHelper.waitForReveal(disputeId);
    await courtHelper.waitForAppeal(disputeId);
    expect(await court.currentRuling(disputeId)).to.equal(Choice.Defendant);
    await token.connect(deployer).transfer(outsider.address, parseEther("1000"));
    await token.connect(outsider).approve(await challenges.getAddress(), MaxUint256);
    // The challenger's side (the loser) can be funded; the attacker funds the provider's only, which changes nothing.
    await challenges.connect(outsider).fundAppeal(disputeId, Choice.Defendant, WINNER_NEEDS);
    await expect(courtHelper.execute(disputeId)).to.not.emit(challenges, "AppealDefaulted");
    expect(await registry.statusOf(listingId)).to.not.equal(ListingStatus.Delisted);
    await courtHelper.settleAll(disputeId);
    const [, rewards, pending] = await court.totalOwed();
    expect([rewards, pending]).to.deep.equal([0n, 0n]);
  });
});

describe("red team: crowdfunded appeals, the funded rounds kept in the challenge's slot", function () {
  it("a side that raised an earlier round's appeal wins no default in a later round nobody funded", async function () {
    const { court, courtHelper, challenges, registry, asTimelock, listingId, disputeId, funder, backer } =
      await cHelpers.loadFixture(twoChallengesFixture);
    // A third juror round exists, so round 1 can be appealed (and defaulted) by crowdfunding.
    const p = paramsOf(await court.parameters());
    await court.connect(asTimelock).setParameters({ ...p, maxJurorRounds: 3 });
    // Both sides raise round 0's appeal: the appeal is raised, and both sides have a funded round on record.
    await challenges.connect(funder).fundAppeal(disputeId, Choice.Challenger, LOSER_NEEDS);
    await expect(challenges.connect(backer).fundAppeal(disputeId, Choice.Defendant, WINNER_NEEDS)).to.emit(
      challenges,
      "AppealRaised",
    );
    const c = await challenges.getChallenge(disputeId);
    expect([c.challengerFundedRound, c.providerFundedRound]).to.deep.equal([1n, 1n]);
    // Round 1 overturns the ruling; nobody funds its appeal. The provider's side raised round 0's appeal only: a
    // record that said "this side funded an appeal" without the round would hand it the dispute by default.
    await courtHelper.runRound(disputeId, () => Choice.Challenger);
    await expect(courtHelper.execute(disputeId)).to.not.emit(challenges, "AppealDefaulted");
    expect(await challenges.resolvedRuling(disputeId)).to.equal(Choice.Challenger);
    expect(await registry.statusOf(listingId)).to.equal(ListingStatus.Delisted);
  });

  it("the side that alone raised the last round's appeal still wins by default after an appealed round", async function () {
    const { court, courtHelper, challenges, registry, asTimelock, listingId, disputeId, funder, backer } =
      await cHelpers.loadFixture(twoChallengesFixture);
    const p = paramsOf(await court.parameters());
    await court.connect(asTimelock).setParameters({ ...p, maxJurorRounds: 3 });
    await challenges.connect(funder).fundAppeal(disputeId, Choice.Challenger, LOSER_NEEDS);
    await challenges.connect(backer).fundAppeal(disputeId, Choice.Defendant, WINNER_NEEDS);
    // Round 1 rules for the provider again; only the challenger's side raises its appeal (as the round's loser).
    await courtHelper.runRound(disputeId, () => Choice.Defendant);
    await challenges.connect(funder).fundAppeal(disputeId, Choice.Challenger, MaxUint256);
    expect((await challenges.getChallenge(disputeId)).challengerFundedRound).to.equal(2n);
    await expect(courtHelper.execute(disputeId))
      .to.emit(challenges, "AppealDefaulted")
      .withArgs(disputeId, 1n, Choice.Challenger, Choice.Defendant);
    expect(await registry.statusOf(listingId)).to.equal(ListingStatus.Delisted);
  });
});

// ---------------------------------------------------------------------------------------------- the validators' pool

const CHALLENGER = 1;

describe("red team: crowdfunded appeals of the validators' pool disputes", function () {
  it("a provider cannot buy a default win (for free) against a pool that won its jury, which cannot fund its side", async function () {
    const f = await vHelpers.loadFixture(deployValidationFixture);
    const { validation, court, challenges, registry, token, juror, listingId, provider, helper } = f;
    await token.connect(f.deployer).transfer(await validation.getAddress(), parseEther("3000"));
    const { roundId } = await helper.runRound(f.requester, listingId, [1000, 1000, 1000, 1000, 1000]);
    await validation.finalizeRound(roundId);
    const disputeId = 1n;
    expect((await challenges.getChallenge(disputeId)).pooled).to.equal(true);
    // The jury agrees with the validators: delist.
    const round = await juryVotes(court, juror, disputeId, CHALLENGER, "revealEnd");
    const cost = await court.appealCost(disputeId);
    // The provider funds its own (losing) side alone, in the first half: 3× the cost. The pool funds no appeal, so
    // with a default win this was a free reversal (the provider got its money back as well).
    await token.connect(f.deployer).transfer(provider.address, parseEther("1000"));
    await token.connect(provider).approve(await challenges.getAddress(), MaxUint256);
    const paid = needs(cost, MULTIPLIERS.loserMultiplierBps);
    await challenges.connect(provider).fundAppeal(disputeId, 2, paid);
    await vIncreaseTo(round.appealEnd);
    // The jury's ruling for the pool stands; the provider's contribution comes back.
    await expect(court.executeRuling(disputeId)).to.not.emit(challenges, "AppealDefaulted");
    expect(await registry.statusOf(listingId)).to.equal(ListingStatus.Delisted);
    expect(await challenges.resolvedRuling(disputeId)).to.equal(CHALLENGER);
    const before = await token.balanceOf(provider.address);
    await challenges.withdrawAppealFunds(disputeId, 0n, provider.address);
    expect((await token.balanceOf(provider.address)) - before).to.equal(paid);
  });

  it("a provider that lost to the pool still appeals at the court as the losing party", async function () {
    const f = await vHelpers.loadFixture(deployValidationFixture);
    const { validation, court, challenges, token, juror, listingId, provider, helper } = f;
    await token.connect(f.deployer).transfer(await validation.getAddress(), parseEther("3000"));
    const { roundId } = await helper.runRound(f.requester, listingId, [1000, 1000, 1000, 1000, 1000]);
    await validation.finalizeRound(roundId);
    const disputeId = 1n;
    await juryVotes(court, juror, disputeId, CHALLENGER, "revealEnd");
    await token.connect(f.deployer).transfer(provider.address, parseEther("1000"));
    await token.connect(provider).approve(await court.getAddress(), MaxUint256);
    await expect(court.connect(provider).appeal(disputeId)).to.emit(court, "AppealFunded");
    expect((await court.getDispute(disputeId)).rounds).to.equal(2n);
    expect(await challenges.resolvedRuling(disputeId)).to.equal(0n);
  });
});

// ------------------------------------------------------------------------------ StakePool: locks on a stale weight

describe("red team: StakePool locks when a weight is stale after the freeze (nobody synced)", function () {
  /** A StakePool managed by the deployer (so the test locks and releases directly), alice and bob at 1,000 CUR. */
  async function managedFixture() {
    const f = await deployCourtFixture();
    const impl = await cEthers.deployContract("StakePool");
    const proxy = await cEthers.deployContract("ERC1967Proxy", [
      await impl.getAddress(),
      impl.interface.encodeFunctionData("initialize", [
        await f.token.getAddress(),
        f.treasury,
        { minStake: parseEther("100"), thawingPeriod: 3_600 },
      ]),
    ]);
    const pool = await cEthers.getContractAt("StakePool", await proxy.getAddress());
    const [manager, alice, bob] = [f.deployer, f.jurors[0]!, f.jurors[1]!];
    await pool.setManager(manager.address);
    for (const s of [alice, bob]) await f.token.connect(s).approve(await pool.getAddress(), MaxUint256);
    await pool.connect(alice).stake(parseEther("1000"));
    await pool.connect(bob).stake(parseEther("1000"));
    return { ...f, pool, manager, alice, bob };
  }

  it("a top-up made in a freeze backs nothing until synced, locks never exceed the frozen stake, releases balance", async function () {
    const { pool, manager, alice, token } = await cHelpers.loadFixture(managedFixture);
    await pool.connect(manager).beginDraw();
    await pool.connect(alice).stake(parseEther("1000"));
    await pool.connect(manager).endDraw();
    // The freeze is over and nobody synced: alice's weight is still 1,000 for the next draws.
    expect((await pool.drawWeight(alice.address))[0]).to.equal(1_000n);
    const onAlice = 0n;
    const seat = parseEther("100");
    let seats = 0n;
    for (let i = 0; i < 12; i++) {
      const [drawn, ok] = await pool.connect(manager).drawAndLock.staticCall(onAlice, seat, 0n);
      expect(drawn).to.equal(alice.address);
      if (!ok) break;
      await pool.connect(manager).drawAndLock(onAlice, seat, 0n);
      seats++;
    }
    // (1,000 + 1) × 1e18 − 1 backs ten seats of 100: the eleventh is refused, not seated on the unsynced top-up.
    expect(seats).to.equal(10n);
    // A share-based lock (the validators' stake at risk) takes its share of the frozen stake, not of 2,000.
    const [, okShare] = await pool.connect(manager).drawAndLock.staticCall(onAlice, 0n, 100n);
    expect(okShare, "1% of 2,000 would fit; 1% of the frozen 1,001 does not").to.equal(false);
    await pool.connect(manager).releaseBatch([alice.address], [seat * seats], [seat], manager.address);
    expect((await pool.memberOf(alice.address)).locked).to.equal(0n);
    const [staked, locked] = await pool.totalOwed();
    expect(locked).to.equal(0n);
    expect(await token.balanceOf(await pool.getAddress())).to.equal(staked);
    // Synced (anyone may, no draw pending), the slashed stake and the top-up both count: 1,900 CUR of weight.
    await expect(pool.syncWeight(alice.address)).to.emit(pool, "WeightSynced").withArgs(alice.address, 1_900n);
    const [, okAfter, amount] = await pool.connect(manager).drawAndLock.staticCall(onAlice, 0n, 1_000n);
    expect([okAfter, amount]).to.deep.equal([true, parseEther("190")]);
  });
});
