// Red team of the DAO rebinding the registry's CurationPool (ListingRegistry.setCurationPool), played by the curators of
// a challenged listing. Both attacks succeeded while ListingChallenges slashed the pool it was initialised with and the
// registry lifted a dispute's freeze on whichever pool was bound at the ruling:
//  (a) after a rebinding, a delisting slashed the old pool: the curators of the registry's current pool kept all of
//      their stake (and walked out once the registry lifted the freeze);
//  (b) a rebinding while a challenge ran left the old pool's curators frozen for ever (the registry lifted the freeze
//      on the new pool).
// Every test asserts the safe behaviour: it fails if the attack it plays works.
import { upgrades } from "@openzeppelin/hardhat-upgrades";
import { expect } from "chai";
import { parseEther } from "ethers";
import hre from "hardhat";
import { LOCAL_CONFIG } from "../../deploy/config.js";
import { cEthers, Choice, cHelpers, courtConnection, deployCourtFixture } from "../helpers/court.js";
import { MarketHelper } from "../helpers/marketplace.js";
import type { CurationPool } from "../../types/ethers-contracts/index.js";

const CURATION = LOCAL_CONFIG.marketplace.curation;
const STAKE = parseEther("5000");
const SLASHED = (STAKE * BigInt(CURATION.slashBps)) / 10_000n;

/** The court system, an active listing, and a second CurationPool whose slasher is ListingChallenges (not bound). */
async function rebindFixture() {
  const f = await cHelpers.loadFixture(deployCourtFixture);
  const api = await upgrades(hre, courtConnection);
  const proxy = await api.deployProxy(await cEthers.getContractFactory("CurationPool"), [
    await f.token.getAddress(),
    f.treasury,
    await f.registry.getAddress(),
    await f.challenges.getAddress(),
    CURATION,
  ]);
  const newPool = await cEthers.getContractAt("CurationPool", await proxy.getAddress());
  await f.token.connect(f.curator).approve(await newPool.getAddress(), STAKE);
  const oldMarket = new MarketHelper(f.registry, f.curationPool, cHelpers);
  const newMarket = new MarketHelper(f.registry, newPool, cHelpers);
  const listingId = await oldMarket.listActive(f.provider, "rebound-model");
  return { ...f, newPool, oldMarket, newMarket, listingId };
}

/** Moves time to the end of the curator's thaw unless it has passed. */
async function thawOver(pool: CurationPool, listingId: bigint, curator: string): Promise<void> {
  const { thawEnd } = await pool.positionOf(listingId, curator);
  if (thawEnd > BigInt(await cHelpers.time.latest())) await cHelpers.time.increaseTo(thawEnd);
}

describe("red team: the DAO rebinds the registry's CurationPool", function () {
  it("ATTACK (a) (fails since the ruling slashes the registry's current pool): the new pool's curators escape a delisting", async function () {
    const {
      registry,
      curationPool,
      newPool,
      newMarket,
      asTimelock,
      courtHelper,
      curator,
      challenger,
      listingId,
      token,
    } = await rebindFixture();
    const treasury = asTimelock.address;
    await registry.connect(asTimelock).setCurationPool(await newPool.getAddress());
    await newMarket.stakeActive(curator, listingId, STAKE);
    await newPool.connect(curator).requestUnstake(listingId, STAKE);
    const disputeId = await courtHelper.challenge(challenger, listingId);
    // The registry froze the pool it is bound to: the one the curator is in.
    expect((await newPool.listingPool(listingId)).frozenBy).to.equal(disputeId);
    await courtHelper.runRound(disputeId, () => Choice.Challenger);
    await thawOver(newPool, listingId, curator.address);
    // The slash goes to the treasury from the pool the registry froze (the stake is thawing).
    await expect(courtHelper.execute(disputeId))
      .to.emit(newPool, "CuratorsSlashed")
      .withArgs(listingId, 0n, SLASHED, treasury, 0n, STAKE - SLASHED);
    expect((await curationPool.totalOwed()).staked, "the old pool holds nothing of the listing").to.equal(0n);
    const before = await token.balanceOf(curator.address);
    await newPool.connect(curator).withdraw(listingId);
    expect((await token.balanceOf(curator.address)) - before, "the curator leaves slashed").to.equal(STAKE - SLASHED);
  });

  it("ATTACK (b) (fails since a pool drops a freeze whose dispute is over): a rebinding during a challenge freezes the old pool's curators for ever", async function () {
    const {
      registry,
      curationPool,
      newPool,
      oldMarket,
      asTimelock,
      courtHelper,
      curator,
      challenger,
      listingId,
      token,
    } = await rebindFixture();
    await oldMarket.stakeActive(curator, listingId, STAKE);
    await curationPool.connect(curator).requestUnstake(listingId, STAKE);
    const disputeId = await courtHelper.challenge(challenger, listingId);
    await registry.connect(asTimelock).setCurationPool(await newPool.getAddress());
    await courtHelper.runRound(disputeId, () => Choice.Defendant);
    await thawOver(curationPool, listingId, curator.address);
    // While the dispute runs (its appeal period now, the thaw over) the freeze holds, rebinding or not: the
    // curators answer for it.
    await expect(curationPool.connect(curator).withdraw(listingId))
      .to.be.revertedWithCustomError(curationPool, "CurationExitsFrozen")
      .withArgs(listingId, disputeId);
    await courtHelper.execute(disputeId);
    // The registry lifted the freeze on its current pool; the old pool's record of it is stale, and dropped.
    const before = await token.balanceOf(curator.address);
    await expect(curationPool.connect(curator).withdraw(listingId))
      .to.emit(curationPool, "ExitsUnfrozen")
      .withArgs(listingId, disputeId);
    expect((await token.balanceOf(curator.address)) - before, "the curator gets its stake back").to.equal(STAKE);
    expect((await curationPool.listingPool(listingId)).frozenBy).to.equal(0n);
  });
});
