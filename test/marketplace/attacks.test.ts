// Issue 17, played as the attacker would: a provider that profits from its own delisting through a sybil challenger,
// a validator majority and a provider farming the validators' pool, and a pause guardian that overrides the DAO.
import { expect } from "chai";
import { parseEther } from "ethers";
import { Choice, cHelpers, deployCourtFixture, ListingStatus } from "../helpers/court.js";
import { deployMarketFixture, MarketHelper, mHelpers, PAUSE_GUARDIAN_TERM } from "../helpers/marketplace.js";
import { deployValidationFixture, juryVotes, vHelpers } from "../helpers/validation.js";

describe("ListingChallenges and ListingRegistry: attacks (issue 17)", function () {
  it("a provider with a sybil challenger no longer profits from its own delisting: the curators' slash goes to the treasury", async function () {
    const f = await cHelpers.loadFixture(deployCourtFixture);
    const { provider, challenger, curator, token, curationPool, registry, challenges, treasury, courtHelper } = f;
    const market = new MarketHelper(registry, f.curationPool, cHelpers);
    const coalition = async () =>
      (await token.balanceOf(provider.address)) + (await token.balanceOf(challenger.address));
    const before = await coalition();
    const treasuryBefore = await token.balanceOf(treasury);
    const listingId = await market.listActive(provider, "popular");
    const bond = (await registry.getListing(listingId)).bond;
    // Curators trusted the listing with 100,000 CUR.
    const curated = parseEther("100000");
    await market.stakeActive(curator, listingId, curated);

    // The provider's own sybil challenges the listing; the provider concedes, and honest jurors delist it.
    const challengeCost = await challenges.challengeCost((await challenges.parameters()).minChallengeBond);
    const disputeId = await courtHelper.challenge(challenger, listingId, "ipfs://evidence/i-serve-noise");
    await courtHelper.runRound(disputeId, () => Choice.Challenger);
    const slash = (curated * (await curationPool.parameters()).slashBps) / 10_000n;
    const { winnerShareBps, jurorShareBps } = await challenges.parameters();
    const toWinner = (bond * winnerShareBps) / 10_000n;
    const toJurors = (bond * jurorShareBps) / 10_000n;
    // The loser's stake is the provider's bond alone; the curators' slash is reported apart and goes to the treasury.
    await expect(courtHelper.execute(disputeId))
      .to.emit(challenges, "ChallengeResolved")
      .withArgs(
        disputeId,
        listingId,
        Choice.Challenger,
        challenger.address,
        bond,
        slash,
        toWinner,
        toJurors,
        bond - toWinner - toJurors,
      )
      .and.to.emit(curationPool, "CuratorsSlashed")
      .withArgs(listingId, slash, 0n, treasury, curated - slash, 0n);
    expect(await registry.statusOf(listingId)).to.equal(ListingStatus.Delisted);

    // The old rule paid the challenger 60% of the bond and of the slash: +11,570 CUR for the coalition.
    const arbitrationFee = challengeCost - (await challenges.parameters()).minChallengeBond;
    const oldRuleGain = ((bond + slash) * winnerShareBps) / 10_000n - bond - arbitrationFee;
    expect(oldRuleGain).to.equal(parseEther("11570"), "the attack under the old rule");
    // Now the coalition loses the provider's bond but the winner's share, and the arbitration fee.
    const gain = (await coalition()) - before;
    expect(gain).to.equal(toWinner - bond - arbitrationFee);
    expect(gain).to.be.lessThan(0n, "a self-delisting costs the coalition");
    // The treasury's shares wait for their sweeps (the slash in the CurationPool, its share of the bond in the court).
    await curationPool.sweepTreasuryFees();
    await f.court.sweepTreasury();
    expect((await token.balanceOf(treasury)) - treasuryBefore).to.equal(slash + bond - toWinner - toJurors);
  });

  it("a validator majority and a provider cannot farm the validators' pool: a lost pooled challenge pays no winner", async function () {
    const f = await vHelpers.loadFixture(deployValidationFixture);
    const { validation, court, token, juror, provider, requester, helper, listingId } = f;
    await token.connect(f.deployer).transfer(await validation.getAddress(), parseEther("3000"));
    const providerBefore = await token.balanceOf(provider.address);
    const [, poolBefore] = await validation.totalOwed();

    // The committee scores a good listing 0: the pool challenges it with its own bond.
    const { roundId } = await helper.runRound(requester, listingId, [0, 0, 0, 0, 0]);
    await validation.finalizeRound(roundId);
    const disputeId = 1n;
    const bond = (await f.challenges.parameters()).minChallengeBond;
    const arbitrationFee = (await f.challenges.challengeCost(bond)) - bond;
    const toJurors = (bond * (await f.challenges.parameters()).jurorShareBps) / 10_000n;
    // Honest jurors keep the listing; nobody appeals.
    await juryVotes(court, juror, disputeId, Choice.Defendant, "appealEnd");
    const [, poolBeforeRuling] = await validation.totalOwed();
    await expect(court.executeRuling(disputeId))
      .to.emit(f.challenges, "PooledBondReturned")
      .withArgs(disputeId, await validation.getAddress(), bond - toJurors)
      .and.to.emit(f.challenges, "ChallengeResolved")
      .withArgs(disputeId, listingId, Choice.Defendant, provider.address, bond, 0n, 0n, toJurors, 0n);

    // The old rule handed the provider 60% of the pool's bond; now it gets nothing of it.
    expect(await token.balanceOf(provider.address)).to.equal(providerBefore, "the provider took none of the bond");
    // The pool pays the jurors' share (and the arbitration fee) and gets the rest of its bond back.
    const [, poolAfter] = await validation.totalOwed();
    expect(poolAfter - poolBeforeRuling).to.equal(bond - toJurors, "the bond came back but the jurors' share");
    const oldRuleLoss = poolBefore - poolBeforeRuling;
    expect(oldRuleLoss).to.be.greaterThan(bond + arbitrationFee - 1n, "the old rule: the whole bond and the fee");
    expect(poolBefore - poolAfter).to.equal(oldRuleLoss - bond + toJurors);
  });

  it("the pause guardian cannot lift a pause the DAO decided, and its power to pause ends with its term", async function () {
    const { deployer, asTimelock, registry } = await mHelpers.loadFixture(deployMarketFixture);
    const [, , , guardian] = await registry.addresses();
    expect(guardian).to.equal(deployer.address);
    const paused = async () => (await registry.addresses())[4] !== 0n;

    // Control: within its term the guardian pauses the market and lifts its own pause (the old rule's power).
    await registry.connect(deployer).setMarketPaused(true);
    expect(await paused()).to.equal(true);
    await registry.connect(deployer).setMarketPaused(false);
    expect(await paused()).to.equal(false);

    // The attack: the DAO pauses; the guardian tries to lift it.
    await registry.connect(asTimelock).setMarketPaused(true);
    await expect(registry.connect(deployer).setMarketPaused(false)).to.be.revertedWithCustomError(
      registry,
      "MarketPausedByDao",
    );
    expect(await paused()).to.equal(true, "the DAO's pause holds");
    await registry.connect(asTimelock).setMarketPaused(false);

    // Ten years later the guardian's term is long over: it can no longer pause.
    const term = PAUSE_GUARDIAN_TERM;
    const [, , , , , termEnd] = await registry.addresses();
    expect(termEnd).to.be.greaterThan(BigInt(await mHelpers.time.latest()));
    expect(termEnd).to.be.lessThanOrEqual(BigInt(await mHelpers.time.latest()) + term);
    await mHelpers.time.increase(10 * 365 * 86_400);
    await expect(registry.connect(deployer).setMarketPaused(true))
      .to.be.revertedWithCustomError(registry, "MarketGuardianTermOver")
      .withArgs(deployer.address, termEnd);
    expect(await paused()).to.equal(false, "ten years later, no longer a guardian");
    // The DAO renews the guardian explicitly, for one more term.
    const renewedAt = BigInt(await mHelpers.time.latest()) + 10n;
    await mHelpers.time.setNextBlockTimestamp(renewedAt);
    await expect(registry.connect(asTimelock).setPauseGuardian(deployer.address))
      .to.emit(registry, "PauseGuardianTermSet")
      .withArgs(deployer.address, renewedAt + term);
    await registry.connect(deployer).setMarketPaused(true);
    expect(await paused()).to.equal(true);
  });
});
