import { expect } from "chai";
import { parseEther, ZeroAddress, ZeroHash } from "ethers";
import {
  CHALLENGE_BOND,
  cEthers,
  cHelpers,
  Choice,
  COURT,
  deployCourtFixture,
  paramsOf,
  JUROR_POOL,
  JUROR_STAKE,
  ListingStatus,
  Period,
} from "../helpers/court.js";
import { MarketHelper } from "../helpers/marketplace.js";

async function listedFixture() {
  const f = await cHelpers.loadFixture(deployCourtFixture);
  const market = new MarketHelper(f.registry, f.curationPool, cHelpers);
  const listingId = await market.list(f.provider, "mnist-mlp");
  return { ...f, market, listingId };
}

describe("Court: jurors' stake, governance and arbitrables", function () {
  it("keeps stake drawn into a live dispute locked until the juror's vote is settled", async function () {
    const { court, jurorPool, courtHelper, challenger, listingId } = await cHelpers.loadFixture(listedFixture);
    const disputeId = await courtHelper.challenge(challenger, listingId);
    const { juror, seats } = (await courtHelper.drawJury(disputeId))[0]!;
    const locked = seats * COURT.seatStake;
    expect((await jurorPool.memberOf(juror.address)).locked).to.equal(locked);
    await jurorPool.connect(juror).requestUnstake(JUROR_STAKE);
    await cHelpers.time.increase(JUROR_POOL.thawingPeriod);
    await expect(jurorPool.connect(juror).withdraw())
      .to.emit(jurorPool, "StakeWithdrawn")
      .withArgs(juror.address, JUROR_STAKE - locked, locked);
    await expect(jurorPool.connect(juror).withdraw())
      .to.be.revertedWithCustomError(jurorPool, "StakePoolStakeLocked")
      .withArgs(juror.address, locked);
    await courtHelper.execute(disputeId);
    const penalty = (locked * BigInt(COURT.penaltyBps)) / 10_000n;
    await court.settle(disputeId, 0n, juror.address);
    await expect(jurorPool.connect(juror).withdraw())
      .to.emit(jurorPool, "StakeWithdrawn")
      .withArgs(juror.address, locked - penalty, 0n);
  });

  it("lets the timelock set bounded parameters, emitting old and new; the documented extremes pass", async function () {
    const { court, asTimelock } = await cHelpers.loadFixture(deployCourtFixture);
    const old = paramsOf(await court.parameters());
    const next = { ...old, firstRoundSeats: 5n, penaltyBps: 500n };
    await expect(court.connect(asTimelock).setParameters(next))
      .to.emit(court, "CourtParametersSet")
      .withArgs(Object.values(old), Object.values(next));
    expect((await court.parameters()).firstRoundSeats).to.equal(5n);
    const extremes = {
      seatStake: [parseEther("1"), parseEther("1000000")],
      firstRoundSeats: [1n, 31n],
      maxJurorRounds: [1n, 5n],
      penaltyBps: [0n, 10_000n],
      commitPeriod: [60n, 30n * 86_400n],
      appealFeePerSeat: [0n, parseEther("100000")],
      drawPeriod: [600n, 30n * 86_400n],
      drawRewardBps: [0n, 2_000n],
      daoReviewPeriod: [3_600n, 90n * 86_400n],
    } as const;
    for (const [field, [min, max]] of Object.entries(extremes)) {
      for (const value of [min, max]) {
        await expect(court.connect(asTimelock).setParameters({ ...next, [field]: value }), `${field} ${value}`).to.emit(
          court,
          "CourtParametersSet",
        );
      }
    }
    for (const [field, value, min, max] of [
      ["firstRoundSeats", 4n, 1n, 31n],
      ["firstRoundSeats", 33n, 1n, 31n],
      ["maxJurorRounds", 0n, 1n, 5n],
      ["penaltyBps", 10_001n, 0n, 10_000n],
      ["seatStake", parseEther("1") - 1n, parseEther("1"), parseEther("1000000")],
      ["commitPeriod", 59n, 60n, 30n * 86_400n],
      ["revealPeriod", 30n * 86_400n + 1n, 60n, 30n * 86_400n],
      ["drawPeriod", 599n, 600n, 30n * 86_400n],
      ["drawRewardBps", 2_001n, 0n, 2_000n],
      ["daoReviewPeriod", 3_599n, 3_600n, 90n * 86_400n],
      ["daoReviewPeriod", 90n * 86_400n + 1n, 3_600n, 90n * 86_400n],
    ] as const) {
      await expect(court.connect(asTimelock).setParameters({ ...next, [field]: value }))
        .to.be.revertedWithCustomError(court, "CourtParameterOutOfBounds")
        .withArgs(cHelpersBytes32(field), value, min, max);
    }
  });

  it("opens disputes only for the arbitrables the DAO approved, between two distinct parties", async function () {
    const { court, asTimelock, outsider, challenger, provider, challenges, token, jurorPool } =
      await cHelpers.loadFixture(deployCourtFixture);
    // Attack: a contract of anyone's opens disputes it never rules on, keeping drawn jurors' stake locked for the
    // price of a fee. Only approved arbitrables may open disputes.
    await expect(court.connect(outsider).createDispute(1n, outsider.address, provider.address))
      .to.be.revertedWithCustomError(court, "CourtArbitrableNotAllowed")
      .withArgs(outsider.address);
    expect(await court.isArbitrable(await challenges.getAddress())).to.equal(true);
    await expect(court.connect(asTimelock).setArbitrable(outsider.address, true))
      .to.emit(court, "ArbitrableSet")
      .withArgs(outsider.address, false, true);
    await token.connect(outsider).approve(await court.getAddress(), 10n ** 30n);
    for (const [a, b] of [
      [ZeroAddress, provider.address],
      [challenger.address, ZeroAddress],
      [challenger.address, challenger.address],
    ]) {
      await expect(court.connect(outsider).createDispute(1n, a!, b!))
        .to.be.revertedWithCustomError(court, "CourtInvalidParties")
        .withArgs(a, b);
    }
    const fee = await court.arbitrationCost();
    expect(fee).to.equal(COURT.arbitrationFeePerSeat * BigInt(COURT.firstRoundSeats));
    const poolBefore = await token.balanceOf(await jurorPool.getAddress());
    await expect(court.connect(outsider).createDispute(7n, challenger.address, provider.address))
      .to.emit(court, "DisputeCreated")
      .withArgs(1n, outsider.address, 7n, challenger.address, provider.address, fee, COURT.firstRoundSeats);
    expect(await token.balanceOf(await jurorPool.getAddress())).to.equal(poolBefore + fee, "the fee is the court's");
    await court.connect(asTimelock).setArbitrable(outsider.address, false);
    await expect(court.connect(outsider).createDispute(7n, challenger.address, provider.address))
      .to.be.revertedWithCustomError(court, "CourtArbitrableNotAllowed")
      .withArgs(outsider.address);
    await expect(court.connect(outsider).setArbitrable(outsider.address, true))
      .to.be.revertedWithCustomError(court, "GovernedOnlyTimelock")
      .withArgs(outsider.address);
    await expect(court.connect(asTimelock).setArbitrable(ZeroAddress, true))
      .to.be.revertedWithCustomError(court, "GovernedZeroAddress")
      .withArgs("arbitrable");
  });

  for (const claimsUnpaidReward of [false, true]) {
    it(`attack: an approved arbitrable that ${claimsUnpaidReward ? "claims a jurors' reward it never pays" : "refuses its ruling"} keeps jurors locked until the DAO revokes it`, async function () {
      const { court, jurorPool, courtHelper, asTimelock, token, deployer, challenger, provider } =
        await cHelpers.loadFixture(deployCourtFixture);
      const attacker = await cEthers.deployContract("StallingArbitrable", [
        await court.getAddress(),
        await token.getAddress(),
        claimsUnpaidReward,
      ]);
      await token.connect(deployer).transfer(await attacker.getAddress(), parseEther("1000"));
      // Unapproved, it cannot open a dispute at all.
      await expect(attacker.open(challenger.address, provider.address))
        .to.be.revertedWithCustomError(court, "CourtArbitrableNotAllowed")
        .withArgs(await attacker.getAddress());
      // Approved (a DAO mistake, or a contract that turned bad), its dispute draws real jurors...
      await court.connect(asTimelock).setArbitrable(await attacker.getAddress(), true);
      await attacker.open(challenger.address, provider.address);
      const disputeId = await court.disputeCount();
      const jury = await courtHelper.drawJury(disputeId);
      await courtHelper.waitForExecution(disputeId);
      // ...and the ruling cannot execute: the attack works while the DAO approves it.
      const execution = courtHelper.court.executeRuling(disputeId);
      if (claimsUnpaidReward) {
        await expect(execution)
          .to.be.revertedWithCustomError(court, "CourtRulingRefused")
          .withArgs(disputeId, await attacker.getAddress());
      } else {
        await expect(execution)
          .to.be.revertedWithCustomError(attacker, "StallingArbitrableRefuses")
          .withArgs(disputeId);
      }
      const juror = jury[0]!.juror;
      expect((await jurorPool.memberOf(juror.address)).locked).to.equal(jury[0]!.seats * COURT.seatStake);
      // The DAO revokes it: the dispute closes without it, the jurors settle and their stake is free again.
      await court.connect(asTimelock).setArbitrable(await attacker.getAddress(), false);
      await expect(court.executeRuling(disputeId))
        .to.emit(court, "RulingNotApplied")
        .withArgs(disputeId, await attacker.getAddress());
      await courtHelper.settleAll(disputeId);
      for (const { juror: j } of jury) expect((await jurorPool.memberOf(j.address)).locked).to.equal(0n);
      expect(await court.periodOf(disputeId)).to.equal(Period.Executed);
    });
  }

  it("attack: an arbitrable that names a jurors' reward and treasury share whose sum overflows cannot keep jurors locked once revoked", async function () {
    const { court, jurorPool, courtHelper, asTimelock, token, deployer, challenger, provider } =
      await cHelpers.loadFixture(deployCourtFixture);
    const attacker = await cEthers.deployContract("OverflowingArbitrable", [
      await court.getAddress(),
      await token.getAddress(),
    ]);
    await token.connect(deployer).transfer(await attacker.getAddress(), parseEther("1000"));
    await court.connect(asTimelock).setArbitrable(await attacker.getAddress(), true);
    await attacker.open(challenger.address, provider.address);
    const disputeId = await court.disputeCount();
    const jury = await courtHelper.drawJury(disputeId);
    await courtHelper.waitForExecution(disputeId);
    // Approved, it blocks its own ruling (a failure for the DAO to fix), as an unpaid reward does.
    await expect(courtHelper.court.executeRuling(disputeId))
      .to.be.revertedWithCustomError(court, "CourtRulingRefused")
      .withArgs(disputeId, await attacker.getAddress());
    // Revoked, its amounts are refused before they are added (an overflow would revert every execution, for ever):
    // the dispute closes without it and the jurors' stake is free again.
    await court.connect(asTimelock).setArbitrable(await attacker.getAddress(), false);
    await expect(court.executeRuling(disputeId))
      .to.emit(court, "RulingNotApplied")
      .withArgs(disputeId, await attacker.getAddress());
    await courtHelper.settleAll(disputeId);
    for (const { juror } of jury) expect((await jurorPool.memberOf(juror.address)).locked).to.equal(0n);
  });

  /** A dispute of an approved hostile arbitrable (a test contract of ArbitrableAttacks.sol), drawn and executable. */
  async function hostileDispute(name: string, extra: bigint) {
    const f = await cHelpers.loadFixture(deployCourtFixture);
    const attacker = await cEthers.deployContract(name, [
      await f.court.getAddress(),
      await f.token.getAddress(),
      extra,
    ]);
    const address = await attacker.getAddress();
    await f.token.connect(f.deployer).transfer(address, parseEther("1000"));
    await f.court.connect(f.asTimelock).setArbitrable(address, true);
    await attacker.getFunction("open")(f.challenger.address, f.provider.address);
    const disputeId = await f.court.disputeCount();
    const jury = await f.courtHelper.drawJury(disputeId);
    await f.courtHelper.waitForExecution(disputeId);
    return { ...f, attacker, address, disputeId, jury };
  }

  for (const answerSize of [0n, 32n]) {
    it(`attack: an arbitrable that accepts its ruling with ${answerSize} bytes of answer (not two words) cannot keep jurors locked once revoked`, async function () {
      const { court, jurorPool, courtHelper, asTimelock, address, disputeId, jury } = await hostileDispute(
        "MalformedArbitrable",
        answerSize,
      );
      // Approved, an answer that is not two words is a refusal, which blocks its own ruling (a failure to fix).
      await expect(court.executeRuling(disputeId))
        .to.be.revertedWithCustomError(court, "CourtRulingRefused")
        .withArgs(disputeId, address);
      // Revoked, the dispute closes without it: a try-call would have reverted decoding the answer, outside its
      // catch, at every execution (for ever).
      await court.connect(asTimelock).setArbitrable(address, false);
      await expect(court.executeRuling(disputeId))
        .to.emit(court, "RulingNotApplied")
        .withArgs(disputeId, address)
        .and.to.emit(court, "RulingExecuted");
      await courtHelper.settleAll(disputeId);
      for (const { juror } of jury) expect((await jurorPool.memberOf(juror.address)).locked).to.equal(0n);
    });
  }

  for (const [mode, what] of [
    [0n, "reverts with as long a reason as its gas can write"],
    [2n, "burns all the gas it is sent"],
  ] as const) {
    it(`attack: an arbitrable that ${what} cannot keep jurors locked once revoked, nor burn more than the court's cap`, async function () {
      const { court, jurorPool, courtHelper, asTimelock, address, disputeId, jury } = await hostileDispute(
        "GasBombArbitrable",
        mode,
      );
      // Approved, its failure blocks its own ruling.
      await expect(court.executeRuling(disputeId, { gasLimit: 3_000_000n })).to.be.revert(cEthers);
      // Revoked, the court copies none of its reason and sends it at most RULE_GAS (1,000,000): the dispute closes
      // for a bounded price. A try-call copied a reason as long as the arbitrable could write with 63/64 of the gas
      // into the court's memory at the same quadratic price with 1/64 left: out of gas at any limit, up to the
      // transaction cap (16,777,216); a burner took 63/64 of any limit (15.5 million gas at the cap).
      await court.connect(asTimelock).setArbitrable(address, false);
      const tx = await court.executeRuling(disputeId, { gasLimit: 1_400_000n });
      await expect(tx).to.emit(court, "RulingNotApplied").withArgs(disputeId, address);
      expect((await tx.wait())!.gasUsed).to.be.lessThan(1_200_000n);
      await courtHelper.settleAll(disputeId);
      for (const { juror } of jury) expect((await jurorPool.memberOf(juror.address)).locked).to.equal(0n);
    });
  }

  it("attack: an arbitrable that answers its ruling with as much data as its gas can write cannot keep jurors locked", async function () {
    const { court, jurorPool, courtHelper, disputeId, jury } = await hostileDispute("GasBombArbitrable", 1n);
    // Its answer starts with two zero words, a valid acceptance: the court reads those two and nothing more, at a
    // bounded price, even with the arbitrable approved. A try-call moved the free memory pointer past the whole
    // answer, and the court's next memory use (an event) paid the quadratic price of all of it with 1/64 of the gas
    // left: out of gas at any limit up to the transaction cap, even after revocation.
    const tx = await court.executeRuling(disputeId, { gasLimit: 1_400_000n });
    await expect(tx).to.emit(court, "RulingExecuted").and.not.to.emit(court, "RulingNotApplied");
    expect((await tx.wait())!.gasUsed).to.be.lessThan(1_200_000n);
    await courtHelper.settleAll(disputeId);
    for (const { juror } of jury) expect((await jurorPool.memberOf(juror.address)).locked).to.equal(0n);
  });

  it("attack: an arbitrable with no code (an account, or a contract destroyed in the transaction that made it) cannot keep jurors locked once revoked", async function () {
    const { court, jurorPool, courtHelper, asTimelock, token, outsider, challenger, provider } =
      await cHelpers.loadFixture(deployCourtFixture);
    await court.connect(asTimelock).setArbitrable(outsider.address, true);
    await token.connect(outsider).approve(await court.getAddress(), 10n ** 30n);
    await court.connect(outsider).createDispute(1n, challenger.address, provider.address);
    const disputeId = await court.disputeCount();
    const jury = await courtHelper.drawJury(disputeId);
    await courtHelper.waitForExecution(disputeId);
    // A call to no code succeeds with no answer: a refusal. A try-call reverted first, outside its catch, on the
    // address's missing code: for ever, even revoked.
    await expect(court.executeRuling(disputeId))
      .to.be.revertedWithCustomError(court, "CourtRulingRefused")
      .withArgs(disputeId, outsider.address);
    await court.connect(asTimelock).setArbitrable(outsider.address, false);
    await expect(court.executeRuling(disputeId))
      .to.emit(court, "RulingNotApplied")
      .withArgs(disputeId, outsider.address);
    await courtHelper.settleAll(disputeId);
    for (const { juror } of jury) expect((await jurorPool.memberOf(juror.address)).locked).to.equal(0n);
  });

  it("attack: a keeper cannot starve a revoked arbitrable of gas to close its dispute without the ruling", async function () {
    const { court, asTimelock, attacker, address, disputeId } = await hostileDispute("GasHungryArbitrable", 900_000n);
    // Revoked (the DAO stopped it opening disputes; "its open disputes go on"): the party the ruling goes against
    // executes with too little gas for the arbitrable's rule, which refuses at once and leaves the court plenty of
    // gas. Without the court's check the dispute would close there without the ruling (RulingNotApplied).
    await court.connect(asTimelock).setArbitrable(address, false);
    for (const gasLimit of [600_000n, 900_000n]) {
      await expect(court.executeRuling(disputeId, { gasLimit })).to.be.revertedWithCustomError(
        attacker,
        "GasHungryArbitrableNeeds",
      );
    }
    // With the gas the court forwards (its cap), the arbitrable applies the ruling.
    await expect(court.executeRuling(disputeId, { gasLimit: 1_500_000n }))
      .to.emit(court, "RulingExecuted")
      .and.not.to.emit(court, "RulingNotApplied");
    expect(await attacker.getFunction("ruled")()).to.equal(1n);
  });

  it("refuses a dispute when nobody can be drawn", async function () {
    const { court, courtHelper, jurorPool, jurors, challenger, listingId } = await cHelpers.loadFixture(listedFixture);
    for (const juror of jurors) await jurorPool.connect(juror).requestUnstake(JUROR_STAKE);
    await expect(courtHelper.challenge(challenger, listingId)).to.be.revertedWithCustomError(court, "CourtNoJurors");
  });

  describe("reverts", function () {
    it("rejects bad challenges with exact errors", async function () {
      const { court, challenges, registry, challenger, listingId, asTimelock } =
        await cHelpers.loadFixture(listedFixture);
      await expect(challenges.connect(challenger).challenge(listingId, CHALLENGE_BOND - 1n, "ipfs://e"))
        .to.be.revertedWithCustomError(challenges, "ChallengeBondTooLow")
        .withArgs(CHALLENGE_BOND - 1n, CHALLENGE_BOND);
      await expect(challenges.connect(challenger).challenge(listingId, CHALLENGE_BOND, ""))
        .to.be.revertedWithCustomError(challenges, "ChallengeInvalidURI")
        .withArgs(0n, 2_048n);
      await expect(challenges.connect(challenger).challenge(listingId, CHALLENGE_BOND, "x".repeat(2_049)))
        .to.be.revertedWithCustomError(challenges, "ChallengeInvalidURI")
        .withArgs(2_049n, 2_048n);
      await expect(challenges.connect(challenger).challenge(99n, CHALLENGE_BOND, "ipfs://e"))
        .to.be.revertedWithCustomError(registry, "ListingNotFound")
        .withArgs(99n);
      await challenges.connect(challenger).challenge(listingId, CHALLENGE_BOND, "ipfs://e");
      await expect(challenges.connect(challenger).challenge(listingId, CHALLENGE_BOND, "ipfs://e"))
        .to.be.revertedWithCustomError(registry, "ListingWrongStatus")
        .withArgs(listingId, ListingStatus.Challenged);
      await expect(challenges.connect(challenger).submitEvidence(99n, "ipfs://e"))
        .to.be.revertedWithCustomError(challenges, "ChallengeNotFound")
        .withArgs(99n);
      await expect(challenges.connect(challenger).rule(1n, Choice.Challenger))
        .to.be.revertedWithCustomError(challenges, "ChallengeOnlyCourt")
        .withArgs(challenger.address, await court.getAddress());
      await expect(court.connect(challenger).setParameters(paramsOf(await court.parameters())))
        .to.be.revertedWithCustomError(court, "GovernedOnlyTimelock")
        .withArgs(challenger.address);
      await expect(court.connect(asTimelock).setRandomnessSource(ZeroAddress))
        .to.be.revertedWithCustomError(court, "GovernedZeroAddress")
        .withArgs("randomness");
    });

    it("rejects actions out of their period, by the wrong account, or with bad votes", async function () {
      const { court, challenges, courtHelper, challenger, provider, outsider, listingId, randomness } =
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
      await expect(challenges.connect(outsider).submitEvidence(disputeId, "ipfs://late"))
        .to.be.revertedWithCustomError(challenges, "ChallengeAlreadyResolved")
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
