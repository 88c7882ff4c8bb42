// Red team of the treasury's shares a delisting ruling now holds instead of transferring (issue 15's executeRuling
// gas): the curators' slash stays in the CurationPool (owed to the treasury with its fees, swept by
// sweepTreasuryFees), and ListingChallenges' treasury share of the loser's stake travels with the jurors' share in the
// court's one pull and waits in the jurors' pool as the court's treasury debt (swept by sweepTreasury). Played by
// anyone who sees the chain: a keeper calling the stray-token sweeps right after the ruling, a curator of the slashed
// listing, a challenger opening the next dispute. What must hold: a held share is owed (no stray sweep can move it,
// no curator, juror or bond can draw on it), and the treasury's sweeps pay it exactly, leaving every contract
// holding exactly what it owes. Against a naive hold (the slash kept in the pool, or the share pulled into the
// jurors' pool, without being counted as the treasury's) the stray sweeps below succeed: the held share was
// nobody's.
import { expect } from "chai";
import { parseEther } from "ethers";
import { CHALLENGES, Choice, cHelpers, deployCourtFixture } from "../helpers/court.js";
import { MarketHelper } from "../helpers/marketplace.js";

const BPS = 10_000n;

async function delistedFixture() {
  const f = await cHelpers.loadFixture(deployCourtFixture);
  const market = new MarketHelper(f.registry, f.curationPool, cHelpers);
  const listingId = await market.list(f.provider, "mnist-mlp");
  await f.curationPool.connect(f.curator).stake(listingId, parseEther("5000"));
  const disputeId = await f.courtHelper.challenge(f.challenger, listingId);
  await f.courtHelper.runRound(disputeId, () => Choice.Challenger);
  const bond = (await f.registry.getListing(listingId)).bond;
  const slashable = (await f.curationPool.listingPool(listingId)).warmingStake;
  const treasuryBefore = await f.token.balanceOf(f.treasury);
  const [stakedBefore, , feesBefore] = await f.curationPool.totalOwed();
  const [, , , courtTreasuryBefore] = await f.court.totalOwed();
  await f.courtHelper.execute(disputeId);
  const curatorSlash = (slashable * 2_000n) / BPS; // LOCAL curation slashBps
  const toTreasury =
    bond - (bond * BigInt(CHALLENGES.winnerShareBps)) / BPS - (bond * BigInt(CHALLENGES.jurorShareBps)) / BPS;
  return {
    ...f,
    listingId,
    disputeId,
    curatorSlash,
    toTreasury,
    treasuryBefore,
    stakedBefore,
    feesBefore,
    courtTreasuryBefore,
  };
}

describe("red team: the treasury's shares a delisting ruling holds", function () {
  it("ATTACK (fails): the stray-token sweeps right after the ruling find nothing: both held shares are owed", async function () {
    const f = await cHelpers.loadFixture(delistedFixture);
    const { token, curationPool, challenges, jurorPool, court, outsider } = f;
    for (const holder of [curationPool, jurorPool, challenges]) {
      await expect(holder.connect(outsider).sweepStrayTokens(await token.getAddress())).to.be.revertedWithCustomError(
        holder,
        "NothingToSweep",
      );
    }
    // The ruling moved nothing to the treasury: both shares are held, each counted as the treasury's.
    expect(await token.balanceOf(f.treasury)).to.equal(f.treasuryBefore);
    expect((await curationPool.totalOwed())[2]).to.equal(f.feesBefore + f.curatorSlash);
    expect((await court.totalOwed())[3]).to.equal(f.courtTreasuryBefore + f.toTreasury);
    // Not a bond either: the adapter holds nothing of it (no open challenge, no appeal funds).
    expect(await challenges.totalHeld()).to.deep.equal([0n, 0n]);
    expect(await token.balanceOf(await challenges.getAddress())).to.equal(0n);
  });

  it("ATTACK (fails): the held slash is out of the curators' stake books and the jurors' rewards; the sweeps pay the treasury exactly", async function () {
    const f = await cHelpers.loadFixture(delistedFixture);
    const { token, curationPool, court, curator, jurorPool, courtHelper, listingId, disputeId } = f;
    // The curator's stake is what the slash left, and the pool's stake total agrees: the slash left the stake books.
    const [active, thawing, warming] = await curationPool.stakeOf(listingId, curator.address);
    expect(active + thawing + warming).to.equal(parseEther("5000") - f.curatorSlash);
    const [staked, rewards, fees] = await curationPool.totalOwed();
    expect(staked).to.equal(f.stakedBefore - f.curatorSlash);
    expect(await token.balanceOf(await curationPool.getAddress())).to.equal(staked + rewards + fees);
    // The jurors settle: their pool pays rewards from the round's pool only, never from the treasury's share.
    await courtHelper.settleAll(disputeId);
    await courtHelper.claimDrawRewards();
    expect((await court.totalOwed()).slice(0, 3)).to.deep.equal([0n, 0n, 0n]);
    expect((await court.totalOwed())[3]).to.equal(f.courtTreasuryBefore + f.toTreasury);
    // Anyone sweeps both to the treasury, exactly; then each contract holds exactly what it owes.
    await expect(curationPool.sweepTreasuryFees())
      .to.emit(curationPool, "TreasuryFeesSwept")
      .withArgs(f.treasury, f.feesBefore + f.curatorSlash);
    await expect(court.sweepTreasury())
      .to.emit(court, "TreasurySwept")
      .withArgs(f.treasury, f.courtTreasuryBefore + f.toTreasury);
    expect(await token.balanceOf(f.treasury)).to.equal(
      f.treasuryBefore + f.feesBefore + f.curatorSlash + f.courtTreasuryBefore + f.toTreasury,
    );
    const [stakedAfter, rewardsAfter, feesAfter] = await curationPool.totalOwed();
    expect(feesAfter).to.equal(0n);
    expect(await token.balanceOf(await curationPool.getAddress())).to.equal(stakedAfter + rewardsAfter);
    const [stakes] = await jurorPool.totalOwed();
    expect(await token.balanceOf(await jurorPool.getAddress())).to.equal(stakes);
  });
});
