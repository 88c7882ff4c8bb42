import { expect } from "chai";
import { parseEther, ZeroAddress, ZeroHash } from "ethers";
import {
  CHALLENGE_BOND,
  cHelpers,
  Choice,
  COURT,
  deployCourtFixture,
  JUROR_STAKE,
  ListingStatus,
  Period,
} from "../helpers/court.js";
import { MarketHelper } from "../helpers/marketplace.js";
import type { Court } from "../../types/ethers-contracts/index.js";

async function listedFixture() {
  const f = await cHelpers.loadFixture(deployCourtFixture);
  const market = new MarketHelper(f.registry, f.curationPool, cHelpers);
  const listingId = await market.list(f.provider, "mnist-mlp");
  return { ...f, market, listingId };
}

describe("Court: jurors and governance", function () {
  it("stakes into the draw tree, thaws on request, and withdraws after the thawing period", async function () {
    const { court, outsider, token } = await cHelpers.loadFixture(deployCourtFixture);
    await expect(court.connect(outsider).stake(parseEther("300")))
      .to.emit(court, "JurorStaked")
      .withArgs(outsider.address, outsider.address, parseEther("300"), parseEther("300"));
    expect((await court.drawWeight(outsider.address))[0]).to.equal(parseEther("300") / 10n ** 18n);
    const requestedAt = BigInt(await cHelpers.time.latest()) + 1n;
    await cHelpers.time.setNextBlockTimestamp(requestedAt);
    const tx = court.connect(outsider).requestUnstake(parseEther("200"));
    const thawEnd = requestedAt + BigInt(COURT.thawingPeriod);
    await expect(tx)
      .to.emit(court, "JurorUnstakeRequested")
      .withArgs(outsider.address, parseEther("200"), parseEther("100"), parseEther("200"), thawEnd);
    expect((await court.drawWeight(outsider.address))[0]).to.equal(parseEther("100") / 10n ** 18n);
    await expect(court.connect(outsider).withdraw())
      .to.be.revertedWithCustomError(court, "CourtNothingToWithdraw")
      .withArgs(outsider.address, parseEther("200"), thawEnd);
    await cHelpers.time.increaseTo(thawEnd);
    const before = await token.balanceOf(outsider.address);
    await expect(court.connect(outsider).withdraw())
      .to.emit(court, "JurorStakeWithdrawn")
      .withArgs(outsider.address, parseEther("200"), 0n);
    expect(await token.balanceOf(outsider.address)).to.equal(before + parseEther("200"));
  });

  it("keeps stake drawn into a live dispute locked until the juror's vote is settled", async function () {
    const { court, courtHelper, challenger, listingId } = await cHelpers.loadFixture(listedFixture);
    const disputeId = await courtHelper.challenge(challenger, listingId);
    const { juror, seats } = (await courtHelper.drawJury(disputeId))[0]!;
    const locked = seats * COURT.minJurorStake;
    expect((await court.jurorOf(juror.address)).locked).to.equal(locked);
    await court.connect(juror).requestUnstake(JUROR_STAKE);
    await cHelpers.time.increase(COURT.thawingPeriod);
    await expect(court.connect(juror).withdraw())
      .to.emit(court, "JurorStakeWithdrawn")
      .withArgs(juror.address, JUROR_STAKE - locked, locked);
    await expect(court.connect(juror).withdraw())
      .to.be.revertedWithCustomError(court, "CourtStakeLocked")
      .withArgs(juror.address, locked);
    await courtHelper.execute(disputeId);
    const penalty = (locked * BigInt(COURT.penaltyBps)) / 10_000n;
    await court.settle(disputeId, 0n, juror.address);
    await expect(court.connect(juror).withdraw())
      .to.emit(court, "JurorStakeWithdrawn")
      .withArgs(juror.address, locked - penalty, 0n);
  });

  it("lets the timelock set bounded parameters, emitting old and new", async function () {
    const { court, asTimelock } = await cHelpers.loadFixture(deployCourtFixture);
    const old = await court.parameters();
    const next = { ...paramsOf(old), firstRoundSeats: 5n, penaltyBps: 500n };
    await expect(court.connect(asTimelock).setParameters(next)).to.emit(court, "CourtParametersSet");
    expect((await court.parameters()).firstRoundSeats).to.equal(5n);
    for (const [field, value, min, max] of [
      ["firstRoundSeats", 4n, 1n, 31n],
      ["firstRoundSeats", 33n, 1n, 31n],
      ["maxJurorRounds", 0n, 1n, 5n],
      ["penaltyBps", 10_001n, 0n, 10_000n],
      ["minJurorStake", 1n, parseEther("1"), parseEther("1000000")],
      ["commitPeriod", 0n, 60n, 30n * 86_400n],
    ] as const) {
      await expect(court.connect(asTimelock).setParameters({ ...next, [field]: value }))
        .to.be.revertedWithCustomError(court, "CourtParameterOutOfBounds")
        .withArgs(cHelpersBytes32(field), value, min, max);
    }
    await expect(court.connect(asTimelock).setParameters({ ...next, jurorShareBps: 1n }))
      .to.be.revertedWithCustomError(court, "CourtParameterOutOfBounds")
      .withArgs(
        cHelpersBytes32("shareSum"),
        BigInt(COURT.winnerShareBps + COURT.treasuryShareBps) + 1n,
        10_000n,
        10_000n,
      );
  });

  describe("reverts", function () {
    it("rejects bad stakes and unstakes with exact errors", async function () {
      const { court, outsider, jurors } = await cHelpers.loadFixture(deployCourtFixture);
      await expect(court.connect(outsider).stake(0n)).to.be.revertedWithCustomError(court, "CourtZeroAmount");
      await expect(court.connect(outsider).stake(1n))
        .to.be.revertedWithCustomError(court, "CourtStakeTooLow")
        .withArgs(1n, COURT.minJurorStake);
      await expect(court.connect(outsider).stakeFor(jurors[0]!.address, COURT.minJurorStake))
        .to.be.revertedWithCustomError(court, "CourtJurorHasPosition")
        .withArgs(jurors[0]!.address);
      await expect(court.connect(outsider).stakeFor(ZeroAddress, 1n))
        .to.be.revertedWithCustomError(court, "GovernedZeroAddress")
        .withArgs("juror");
      await expect(court.connect(outsider).requestUnstake(0n)).to.be.revertedWithCustomError(court, "CourtZeroAmount");
      await expect(court.connect(jurors[0]!).requestUnstake(JUROR_STAKE + 1n))
        .to.be.revertedWithCustomError(court, "CourtInsufficientStake")
        .withArgs(JUROR_STAKE + 1n, JUROR_STAKE);
      await expect(court.connect(jurors[0]!).requestUnstake(JUROR_STAKE - 1n))
        .to.be.revertedWithCustomError(court, "CourtStakeTooLow")
        .withArgs(1n, COURT.minJurorStake);
      await expect(court.connect(outsider).withdraw())
        .to.be.revertedWithCustomError(court, "CourtNothingToWithdraw")
        .withArgs(outsider.address, 0n, 0n);
    });

    it("rejects bad challenges with exact errors", async function () {
      const { court, registry, challenger, listingId, asTimelock } = await cHelpers.loadFixture(listedFixture);
      await expect(court.connect(challenger).challengeListing(listingId, CHALLENGE_BOND - 1n, "ipfs://e"))
        .to.be.revertedWithCustomError(court, "CourtBondTooLow")
        .withArgs(CHALLENGE_BOND - 1n, CHALLENGE_BOND);
      await expect(court.connect(challenger).challengeListing(listingId, CHALLENGE_BOND, ""))
        .to.be.revertedWithCustomError(court, "CourtInvalidURI")
        .withArgs(0n, 2_048n);
      await expect(court.connect(challenger).challengeListing(99n, CHALLENGE_BOND, "ipfs://e"))
        .to.be.revertedWithCustomError(registry, "ListingNotFound")
        .withArgs(99n);
      await court.connect(challenger).challengeListing(listingId, CHALLENGE_BOND, "ipfs://e");
      await expect(court.connect(challenger).challengeListing(listingId, CHALLENGE_BOND, "ipfs://e"))
        .to.be.revertedWithCustomError(registry, "ListingWrongStatus")
        .withArgs(listingId, ListingStatus.Challenged);
      await expect(court.connect(challenger).setParameters(paramsOf(await court.parameters())))
        .to.be.revertedWithCustomError(court, "GovernedOnlyTimelock")
        .withArgs(challenger.address);
      await expect(court.connect(asTimelock).setRandomnessSource(ZeroAddress))
        .to.be.revertedWithCustomError(court, "GovernedZeroAddress")
        .withArgs("randomness");
    });

    it("rejects actions out of their period, by the wrong account, or with bad votes", async function () {
      const { court, courtHelper, challenger, provider, outsider, listingId, randomness } =
        await cHelpers.loadFixture(listedFixture);
      await expect(court.draw(1n, 1n)).to.be.revertedWithCustomError(court, "CourtDisputeNotFound").withArgs(1n);
      const disputeId = await courtHelper.challenge(challenger, listingId);
      const requestId = (await court.getRound(disputeId, 0n)).randomnessRequest;
      const block = BigInt(await cHelpers.time.latestBlock());
      await expect(court.draw(disputeId, 3n))
        .to.be.revertedWithCustomError(randomness, "RandomnessNotReady")
        .withArgs(requestId, block + 2n);
      await expect(court.draw(disputeId, 0n)).to.be.revertedWithCustomError(court, "CourtZeroIterations");
      await expect(court.connect(outsider).commit(disputeId, ZeroHash))
        .to.be.revertedWithCustomError(court, "CourtWrongPeriod")
        .withArgs(disputeId, Period.Drawing, Period.Commit);
      const jury = await courtHelper.drawJury(disputeId);
      const juror = jury[0]!.juror;
      await expect(court.draw(disputeId, 1n))
        .to.be.revertedWithCustomError(court, "CourtWrongPeriod")
        .withArgs(disputeId, Period.Commit, Period.Drawing);
      await expect(court.connect(outsider).commit(disputeId, ZeroHash.replace(/0$/, "1")))
        .to.be.revertedWithCustomError(court, "CourtNotDrawn")
        .withArgs(disputeId, 0n, outsider.address);
      await expect(court.connect(juror).commit(disputeId, ZeroHash)).to.be.revertedWithCustomError(
        court,
        "CourtInvalidCommitment",
      );
      await courtHelper.commit(juror, disputeId, Choice.Challenger);
      await expect(courtHelper.commit(juror, disputeId, Choice.Challenger))
        .to.be.revertedWithCustomError(court, "CourtAlreadyCommitted")
        .withArgs(disputeId, 0n, juror.address);
      await expect(court.connect(juror).reveal(disputeId, Choice.Challenger, ZeroHash))
        .to.be.revertedWithCustomError(court, "CourtWrongPeriod")
        .withArgs(disputeId, Period.Commit, Period.Reveal);
      await courtHelper.waitForReveal(disputeId);
      const other = jury.find((j) => j.juror.address !== juror.address)?.juror;
      if (other !== undefined) {
        await expect(court.connect(other).reveal(disputeId, Choice.Challenger, ZeroHash))
          .to.be.revertedWithCustomError(court, "CourtNotCommitted")
          .withArgs(disputeId, 0n, other.address);
      }
      await expect(court.connect(juror).reveal(disputeId, 3, ZeroHash))
        .to.be.revertedWithCustomError(court, "CourtInvalidChoice")
        .withArgs(3);
      await courtHelper.reveal(juror, disputeId);
      await expect(courtHelper.reveal(juror, disputeId))
        .to.be.revertedWithCustomError(court, "CourtAlreadyRevealed")
        .withArgs(disputeId, 0n, juror.address);
      await courtHelper.waitForAppeal(disputeId);
      // The challenger won the round: only the provider may appeal.
      await expect(court.connect(challenger).appeal(disputeId))
        .to.be.revertedWithCustomError(court, "CourtNotLosingParty")
        .withArgs(disputeId, challenger.address, provider.address);
      await expect(court.executeRuling(disputeId))
        .to.be.revertedWithCustomError(court, "CourtWrongPeriod")
        .withArgs(disputeId, Period.Appeal, Period.Executable);
      await expect(court.settle(disputeId, 0n, juror.address))
        .to.be.revertedWithCustomError(court, "CourtWrongPeriod")
        .withArgs(disputeId, Period.Appeal, Period.Executed);
      await courtHelper.execute(disputeId);
      await expect(court.connect(outsider).submitEvidence(disputeId, "ipfs://late"))
        .to.be.revertedWithCustomError(court, "CourtDisputeClosed")
        .withArgs(disputeId);
      await expect(court.settle(disputeId, 1n, juror.address))
        .to.be.revertedWithCustomError(court, "CourtRoundNotFound")
        .withArgs(disputeId, 1n);
      await expect(court.settle(disputeId, 0n, outsider.address))
        .to.be.revertedWithCustomError(court, "CourtNotDrawn")
        .withArgs(disputeId, 0n, outsider.address);
      await court.settle(disputeId, 0n, juror.address);
      await expect(court.settle(disputeId, 0n, juror.address))
        .to.be.revertedWithCustomError(court, "CourtAlreadySettled")
        .withArgs(disputeId, 0n, juror.address);
      await expect(court.connect(provider).ruleAsDao(disputeId, Choice.Defendant))
        .to.be.revertedWithCustomError(court, "GovernedOnlyTimelock")
        .withArgs(provider.address);
    });
  });
});

function cHelpersBytes32(text: string): string {
  return "0x" + Buffer.from(text, "utf8").toString("hex").padEnd(64, "0");
}

/** A writable copy of the parameters struct returned by the contract. */
function paramsOf(p: Awaited<ReturnType<Court["parameters"]>>) {
  return {
    minJurorStake: p.minJurorStake,
    minChallengeBond: p.minChallengeBond,
    arbitrationFeePerSeat: p.arbitrationFeePerSeat,
    appealFeePerSeat: p.appealFeePerSeat,
    thawingPeriod: p.thawingPeriod,
    commitPeriod: p.commitPeriod,
    revealPeriod: p.revealPeriod,
    appealPeriod: p.appealPeriod,
    firstRoundSeats: p.firstRoundSeats,
    maxJurorRounds: p.maxJurorRounds,
    penaltyBps: p.penaltyBps,
    winnerShareBps: p.winnerShareBps,
    jurorShareBps: p.jurorShareBps,
    treasuryShareBps: p.treasuryShareBps,
  };
}
