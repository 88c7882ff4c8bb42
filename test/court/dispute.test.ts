import { expect } from "chai";
import { voteCommitment as commitment } from "@curia/protocol";
import { parseEther } from "ethers";
import { GovernanceHelper } from "../../scripts/drivers/governance.js";
import {
  CHALLENGE_BOND,
  CHALLENGES,
  Choice,
  COURT,
  cEthers,
  cHelpers,
  deployCourtFixture,
  ListingStatus,
  Period,
} from "../helpers/court.js";
import { MarketHelper } from "../helpers/marketplace.js";

const BPS = 10_000n;
const SEAT_STAKE = COURT.seatStake;
const PENALTY = (SEAT_STAKE * BigInt(COURT.penaltyBps)) / BPS;
const FIRST_FEE = COURT.arbitrationFeePerSeat * BigInt(COURT.firstRoundSeats);
/** What a round's fees leave for its jurors once whoever drew all its seats took the draw reward. */
const afterDrawReward = (fees: bigint) => fees - (fees * BigInt(COURT.drawRewardBps)) / BPS;
const FIRST_POOLED = afterDrawReward(FIRST_FEE);

async function listedFixture() {
  const f = await cHelpers.loadFixture(deployCourtFixture);
  const market = new MarketHelper(f.registry, f.curationPool, cHelpers);
  const listingId = await market.list(f.provider, "mnist-mlp");
  await f.curationPool.connect(f.curator).stake(listingId, parseEther("5000"));
  return { ...f, market, listingId };
}

/** The listed fixture with reproducible draws: the tests that need two distinct jurors get them on every run. */
async function fixedSeedFixture() {
  const f = await cHelpers.loadFixture(listedFixture);
  const fixed = await cEthers.deployContract("FixedRandomness", [7n]);
  await f.court.connect(f.asTimelock).setRandomnessSource(await fixed.getAddress());
  return f;
}

describe("Court: disputes", function () {
  it("runs a whole dispute with 3 jurors: challenge, draw, commit, reveal, delist, split, settle", async function () {
    const {
      court,
      courtHelper,
      challenges,
      jurorPool,
      registry,
      curationPool,
      token,
      challenger,
      provider,
      treasury,
      listingId,
    } = await cHelpers.loadFixture(listedFixture);
    const bondBefore = await token.balanceOf(challenger.address);
    const disputeId = await courtHelper.challenge(challenger, listingId, "ipfs://evidence/bad-model");
    expect(await token.balanceOf(challenger.address)).to.equal(bondBefore - CHALLENGE_BOND - FIRST_FEE);
    expect(await registry.statusOf(listingId)).to.equal(ListingStatus.Challenged);
    expect(await court.periodOf(disputeId)).to.equal(Period.Drawing);
    await expect(challenges.connect(provider).submitEvidence(disputeId, "ipfs://evidence/reply"))
      .to.emit(challenges, "Evidence")
      .withArgs(await court.getAddress(), disputeId, provider.address, "ipfs://evidence/reply");

    const jury = await courtHelper.drawJury(disputeId);
    expect(jury.reduce((s, j) => s + j.seats, 0n)).to.equal(3n);
    expect(await court.periodOf(disputeId)).to.equal(Period.Commit);
    await courtHelper.commitVotes(disputeId, jury, () => Choice.Challenger);
    await courtHelper.waitForReveal(disputeId);
    expect(await court.periodOf(disputeId)).to.equal(Period.Reveal);
    await courtHelper.revealVotes(disputeId, jury);
    await courtHelper.waitForAppeal(disputeId);
    expect(await court.currentRuling(disputeId)).to.equal(Choice.Challenger);

    const providerBond = (await registry.getListing(listingId)).bond;
    // The curator's stake is still warming up (placed after the listing): it is slashed all the same.
    const curatorStake = (await curationPool.listingPool(listingId)).warmingStake;
    expect(curatorStake).to.equal(parseEther("5000"));
    const curatorSlash = (curatorStake * 2_000n) / BPS; // LOCAL curation slashBps
    // The loser's stake is the provider's own bond; the curators' slash goes to the treasury, not to the winner.
    const loserStake = providerBond;
    const toWinner = (loserStake * BigInt(CHALLENGES.winnerShareBps)) / BPS;
    const toJurors = (loserStake * BigInt(CHALLENGES.jurorShareBps)) / BPS;
    const challengerBefore = await token.balanceOf(challenger.address);
    const treasuryBefore = await token.balanceOf(treasury);
    const execution = courtHelper.execute(disputeId);
    // Every fee and the jurors' share went into the coherent jurors' pool; the court set aside only the treasury's
    // share of the bond, which came with the jurors' share in its one pull.
    const toTreasury = loserStake - toWinner - toJurors;
    await expect(execution)
      .to.emit(court, "RulingExecuted")
      .withArgs(disputeId, Choice.Challenger, false, toJurors, toTreasury);
    await expect(execution)
      .to.emit(challenges, "ChallengeResolved")
      .withArgs(
        disputeId,
        listingId,
        Choice.Challenger,
        challenger.address,
        loserStake,
        curatorSlash,
        toWinner,
        toJurors,
        loserStake - toWinner - toJurors,
      );
    expect(await registry.statusOf(listingId)).to.equal(ListingStatus.Delisted);
    expect(await token.balanceOf(challenger.address)).to.equal(challengerBefore + CHALLENGE_BOND + toWinner);
    // The treasury's shares wait for their sweeps: the bond's in the court, the curators' slash in the CurationPool.
    expect(await token.balanceOf(treasury)).to.equal(treasuryBefore);
    expect((await court.totalOwed())[3]).to.equal(toTreasury);
    expect((await curationPool.totalOwed())[2]).to.equal(curatorSlash);
    await court.sweepTreasury();
    await curationPool.sweepTreasuryFees();
    expect(await token.balanceOf(treasury)).to.equal(treasuryBefore + toTreasury + curatorSlash);

    const totals = await courtHelper.settleAll(disputeId);
    const paid = [...totals.values()].reduce((s, t) => s + t.reward, 0n);
    expect(paid).to.equal(FIRST_POOLED + toJurors, "coherent jurors share the fee and the jurors' share exactly");
    for (const { juror, seats } of jury) {
      expect(totals.get(juror.address)?.penalty).to.equal(0n);
      expect((await jurorPool.memberOf(juror.address)).locked).to.equal(0n, `${seats} seats unlocked`);
    }
    // The keeper's draw rewards wait in the escrow for its claim.
    await courtHelper.claimDrawRewards();
    const [escrow, rewards, pending] = await court.totalOwed();
    expect([escrow, rewards, pending]).to.deep.equal([0n, 0n, 0n]);
    // The court holds nothing; the jurors' pool holds exactly the stakes once every vote is settled.
    expect(await token.balanceOf(await court.getAddress())).to.equal(0n);
    const [stakes, locked] = await jurorPool.totalOwed();
    expect(locked).to.equal(0n);
    expect(await token.balanceOf(await jurorPool.getAddress())).to.equal(stakes);
    expect(await token.balanceOf(await challenges.getAddress())).to.equal(0n, "no bond left behind");
  });

  it("penalises a juror who does not reveal and pays its penalty to the coherent ones", async function () {
    const { court, courtHelper, jurorPool, challenger, listingId, registry } =
      await cHelpers.loadFixture(fixedSeedFixture);
    const disputeId = await courtHelper.challenge(challenger, listingId);
    const jury = await courtHelper.drawJury(disputeId);
    expect(jury.length, "the fixed seed draws at least two distinct jurors").to.be.greaterThanOrEqual(2);
    await courtHelper.commitVotes(disputeId, jury, () => Choice.Defendant);
    await courtHelper.waitForReveal(disputeId);
    const absent = jury[0]!;
    await courtHelper.revealVotes(disputeId, jury, [absent.juror.address]);
    await courtHelper.execute(disputeId);
    expect(await registry.statusOf(listingId)).to.equal(ListingStatus.Active);
    const stakeBefore = (await jurorPool.memberOf(absent.juror.address)).staked;
    const settlement = court.settle(disputeId, 0n, absent.juror.address);
    await expect(settlement)
      .to.emit(court, "JurorSettled")
      .withArgs(disputeId, 0n, absent.juror.address, false, 0n, absent.seats * PENALTY);
    // The jurors' pool took the penalty out of the drawable stake and unlocked the seats.
    const seatStake = absent.seats * COURT.seatStake;
    await expect(settlement)
      .to.emit(jurorPool, "StakeReleased")
      .withArgs(absent.juror.address, seatStake, absent.seats * PENALTY, 0n);
    const after = await jurorPool.memberOf(absent.juror.address);
    expect([after.staked, after.locked]).to.deep.equal([stakeBefore - absent.seats * PENALTY, 0n]);
    const round = await court.getRound(disputeId, 0n);
    const coherentSeats = 3n - absent.seats;
    expect(round.coherentSeats).to.equal(coherentSeats);
    const toJurors = (CHALLENGE_BOND * BigInt(CHALLENGES.jurorShareBps)) / BPS;
    expect(round.rewardPool).to.equal(FIRST_POOLED + toJurors + absent.seats * PENALTY);
  });

  it("rules for the defendant on a tie and when nobody reveals", async function () {
    const { court, courtHelper, challenger, listingId, treasury, token } = await cHelpers.loadFixture(listedFixture);
    const disputeId = await courtHelper.challenge(challenger, listingId);
    await courtHelper.drawJury(disputeId);
    await courtHelper.waitForAppeal(disputeId);
    expect(await court.currentRuling(disputeId)).to.equal(Choice.Defendant);
    const before = await token.balanceOf(treasury);
    // Nobody is coherent: the court sets aside for the treasury its share of the bond (pulled from ListingChallenges
    // with the jurors' share), the fee and the jurors' share, then each absent seat's penalty as it is settled;
    // anyone sweeps it across.
    const toWinner = (CHALLENGE_BOND * BigInt(CHALLENGES.winnerShareBps)) / BPS;
    const toJurors = (CHALLENGE_BOND * BigInt(CHALLENGES.jurorShareBps)) / BPS;
    const toTreasury = CHALLENGE_BOND - toWinner - toJurors;
    await expect(courtHelper.execute(disputeId))
      .to.emit(court, "RulingExecuted")
      .withArgs(disputeId, Choice.Defendant, false, toJurors, FIRST_POOLED + toJurors + toTreasury);
    expect((await court.totalOwed())[3]).to.equal(FIRST_POOLED + toJurors + toTreasury);
    expect(await token.balanceOf(treasury)).to.equal(before);
    await courtHelper.settleAll(disputeId);
    expect((await court.totalOwed())[3]).to.equal(FIRST_POOLED + toJurors + toTreasury + 3n * PENALTY);
    await expect(court.sweepTreasury())
      .to.emit(court, "TreasurySwept")
      .withArgs(treasury, FIRST_POOLED + toJurors + toTreasury + 3n * PENALTY);
    expect(await token.balanceOf(treasury)).to.equal(before + CHALLENGE_BOND - toWinner + FIRST_POOLED + 3n * PENALTY);
    // The keeper's draw rewards wait in the escrow for its claim.
    await courtHelper.claimDrawRewards();
    const [escrow, rewards, pending, owed] = await court.totalOwed();
    expect([escrow, rewards, pending, owed]).to.deep.equal([0n, 0n, 0n, 0n]);
  });

  it("appeals to 7 jurors, whose ruling stands and who earn the jurors' share", async function () {
    const { court, courtHelper, challenger, provider, token, listingId, registry } =
      await cHelpers.loadFixture(listedFixture);
    const disputeId = await courtHelper.challenge(challenger, listingId);
    await courtHelper.runRound(disputeId, () => Choice.Challenger);
    const fee = COURT.appealFeePerSeat * 7n;
    const before = await token.balanceOf(provider.address);
    await expect(courtHelper.appeal(provider, disputeId))
      .to.emit(court, "AppealFunded")
      .withArgs(disputeId, 1n, provider.address, Choice.Challenger, fee, false);
    expect(await token.balanceOf(provider.address)).to.equal(before - fee);
    expect((await court.getRound(disputeId, 1n)).seats).to.equal(7n);
    const jury = await courtHelper.runRound(disputeId, () => Choice.Defendant);
    expect(jury.reduce((s, j) => s + j.seats, 0n)).to.equal(7n);
    await courtHelper.execute(disputeId);
    expect(await registry.statusOf(listingId)).to.equal(ListingStatus.Active);
    const toJurors = (CHALLENGE_BOND * BigInt(CHALLENGES.jurorShareBps)) / BPS;
    const first = await court.getRound(disputeId, 0n);
    const second = await court.getRound(disputeId, 1n);
    expect(first.coherentSeats).to.equal(0n, "the first jury voted against the final ruling");
    expect(second.rewardPool).to.equal(afterDrawReward(fee) + toJurors);
    const totals = await courtHelper.settleAll(disputeId);
    for (const { juror, seats } of await courtHelper.jury(disputeId, 0n)) {
      expect(totals.get(juror.address)!.penalty).to.be.greaterThanOrEqual(seats * PENALTY);
    }
    // The keeper's draw rewards wait in the escrow for its claim.
    await courtHelper.claimDrawRewards();
    const [escrow, rewards, pending] = await court.totalOwed();
    expect([escrow, rewards, pending]).to.deep.equal([0n, 0n, 0n]);
  });

  it("appeals past the last juror round to the DAO, which rules through a passed proposal", async function () {
    const { court, courtHelper, challenger, provider, listingId, registry, governor, alice, bob, treasury, token } =
      await cHelpers.loadFixture(listedFixture);
    const disputeId = await courtHelper.challenge(challenger, listingId);
    await courtHelper.runRound(disputeId, () => Choice.Challenger);
    await courtHelper.appeal(provider, disputeId);
    await courtHelper.runRound(disputeId, () => Choice.Defendant);
    const daoFee = COURT.appealFeePerSeat * 15n;
    await expect(courtHelper.appeal(challenger, disputeId))
      .to.emit(court, "AppealFunded")
      .withArgs(disputeId, 2n, challenger.address, Choice.Defendant, daoFee, true);
    expect(await court.periodOf(disputeId)).to.equal(Period.DaoReview);
    await expect(court.connect(challenger).ruleAsDao(disputeId, Choice.Challenger))
      .to.be.revertedWithCustomError(court, "GovernedOnlyTimelock")
      .withArgs(challenger.address);
    await expect(courtHelper.execute(disputeId))
      .to.be.revertedWithCustomError(court, "CourtWrongPeriod")
      .withArgs(disputeId, Period.DaoReview, Period.Executable);

    const proposal = new GovernanceHelper(
      governor,
      cHelpers,
      [
        {
          target: await court.getAddress(),
          data: court.interface.encodeFunctionData("ruleAsDao", [disputeId, Choice.Challenger]),
        },
      ],
      `Rule dispute ${disputeId}: the model does not match its hash; delist`,
    );
    const treasuryBefore = await token.balanceOf(treasury);
    await proposal.passAndExecute(alice, [alice, bob]);
    expect(await court.periodOf(disputeId)).to.equal(Period.Executed);
    const dispute = await court.getDispute(disputeId);
    expect(dispute.ruling).to.equal(Choice.Challenger);
    expect(await registry.statusOf(listingId)).to.equal(ListingStatus.Delisted);
    // The DAO appeal's fee was nobody's to earn: the court set it aside for the treasury, which sweeps it.
    expect((await court.totalOwed())[3]).to.be.greaterThanOrEqual(daoFee);
    await court.sweepTreasury();
    expect(await token.balanceOf(treasury)).to.be.greaterThan(treasuryBefore + daoFee - 1n);
    expect((await court.getRound(disputeId, 1n)).coherentSeats).to.equal(0n);
    await courtHelper.settleAll(disputeId);
    // The keeper's draw rewards wait in the escrow for its claim.
    await courtHelper.claimDrawRewards();
    const [escrow, rewards, pending] = await court.totalOwed();
    expect([escrow, rewards, pending]).to.deep.equal([0n, 0n, 0n]);
  });

  it("reports the gas of each step (figures for the benchmark file)", async function () {
    const { court, courtHelper, challenges, challenger, provider, listingId } =
      await cHelpers.loadFixture(listedFixture);
    const gas = async (tx: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>) =>
      (await (await tx).wait())!.gasUsed;
    const create = await gas(challenges.connect(challenger).challenge(listingId, CHALLENGE_BOND, "ipfs://e"));
    await courtHelper.waitForRandomness();
    const draw = await gas(court.draw(1n, 3n));
    const jury = await courtHelper.jury(1n);
    const commit = await gas(courtHelper.commit(jury[0]!.juror, 1n, Choice.Challenger));
    await courtHelper.commitVotes(1n, jury.slice(1), () => Choice.Challenger);
    await courtHelper.waitForReveal(1n);
    const reveal = await gas(courtHelper.reveal(jury[0]!.juror, 1n));
    await courtHelper.revealVotes(1n, jury.slice(1));
    await courtHelper.waitForAppeal(1n);
    const appeal = await gas(courtHelper.appeal(provider, 1n));
    await courtHelper.runRound(1n, () => Choice.Challenger);
    await courtHelper.waitForExecution(1n);
    const execute = await gas(court.executeRuling(1n));
    const settle = await gas(court.settle(1n, 1n, (await courtHelper.jury(1n, 1n))[0]!.juror.address));
    console.log(
      `      gas: challenge ${create}, draw(3) ${draw}, commit ${commit}, reveal ${reveal}, ` +
        `appeal ${appeal}, executeRuling(2 rounds, delist) ${execute}, settle ${settle}`,
    );
    expect(create).to.be.lessThan(600_000n);
  });

  describe("votes", function () {
    it("binds a commitment to its juror: a copied commitment cannot be revealed", async function () {
      const { court, courtHelper, challenger, listingId } = await cHelpers.loadFixture(fixedSeedFixture);
      const disputeId = await courtHelper.challenge(challenger, listingId);
      const jury = await courtHelper.drawJury(disputeId);
      expect(jury.length, "the fixed seed draws at least two distinct jurors").to.be.greaterThanOrEqual(2);
      const [author, copier] = [jury[0]!.juror, jury[1]!.juror];
      const salt = "0x" + "11".repeat(32);
      const original = commitment(Choice.Challenger, salt, author.address, disputeId, 0n);
      await court.connect(author).commit(disputeId, original);
      await court.connect(copier).commit(disputeId, original);
      await courtHelper.waitForReveal(disputeId);
      await court.connect(author).reveal(disputeId, Choice.Challenger, salt);
      const computed = commitment(Choice.Challenger, salt, copier.address, disputeId, 0n);
      await expect(court.connect(copier).reveal(disputeId, Choice.Challenger, salt))
        .to.be.revertedWithCustomError(court, "CourtRevealMismatch")
        .withArgs(disputeId, 0n, copier.address, original, computed);
    });

    it("reverts a reveal that does not match its commitment", async function () {
      const { court, courtHelper, challenger, listingId } = await cHelpers.loadFixture(listedFixture);
      const disputeId = await courtHelper.challenge(challenger, listingId);
      const juror = (await courtHelper.drawJury(disputeId))[0]!.juror;
      const salt = "0x" + "22".repeat(32);
      const committed = commitment(Choice.Challenger, salt, juror.address, disputeId, 0n);
      await court.connect(juror).commit(disputeId, committed);
      await courtHelper.waitForReveal(disputeId);
      await expect(court.connect(juror).reveal(disputeId, Choice.Defendant, salt))
        .to.be.revertedWithCustomError(court, "CourtRevealMismatch")
        .withArgs(
          disputeId,
          0n,
          juror.address,
          committed,
          commitment(Choice.Defendant, salt, juror.address, disputeId, 0n),
        );
    });
  });
});
