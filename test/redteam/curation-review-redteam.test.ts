// Red team of issue 17's curator hold (CurationPool.underReview), played by a curator who watches the mempool and by an
// outsider. What holds: nobody but the ValidationManager sets or lifts the hold, a round that ends lifts it (finalizeRound
// is permissionless: a stalled round cannot keep honest curators' exits shut), and a curator cannot withdraw while a
// round is in its commit or reveal phase. The attack below succeeded when the hold started with the first low reveal's
// transaction, which is public in the mempool before it is mined: a curator whose thaw had ended ordered its withdraw
// ahead of it in the same block and left with all of its stake before the round's dispute. The hold now starts at the
// committee's draw, before any score exists, so nothing the curator can see in the mempool comes before it.
import { expect } from "chai";
import { encodeBytes32String, parseEther } from "ethers";
import { LOCAL_CONFIG } from "../../deploy/config.js";
import { upgrades } from "@openzeppelin/hardhat-upgrades";
import hre from "hardhat";
import {
  deployCuratedValidationFixture,
  deployValidationFixture,
  validationConnection,
  VALIDATION,
  vEthers,
  vHelpers,
} from "../helpers/validation.js";
import type { CurationPool } from "../../types/ethers-contracts/index.js";

const CURATION = LOCAL_CONFIG.marketplace.curation;
const STAKE = parseEther("5000");

/** The DAO's rebinding: a second CurationPool (same token, treasury, registry and slasher), bound to the registry. */
async function rebindCurationPool(
  f: Awaited<ReturnType<typeof deployCuratedValidationFixture>>,
): Promise<CurationPool> {
  const api = await upgrades(hre, validationConnection);
  const proxy = await api.deployProxy(await vEthers.getContractFactory("CurationPool"), [
    await f.token.getAddress(),
    f.asTimelock.address,
    await f.registry.getAddress(),
    (await f.curationPool.addresses())[2],
    CURATION,
  ]);
  const pool = await vEthers.getContractAt("CurationPool", await proxy.getAddress());
  await f.registry.connect(f.asTimelock).setCurationPool(await pool.getAddress());
  return pool;
}

describe("red team: curator exits under review", function () {
  afterEach(async function () {
    await vEthers.provider.send("evm_setAutomine", [true]);
  });

  it("ATTACK (fails since the hold starts at the draw): a curator front-runs the first low reveal with its withdraw in the same block", async function () {
    const { validation, curationPool, curator, helper, requester, listingId, token } =
      await vHelpers.loadFixture(deployCuratedValidationFixture);
    // The curator keeps its stake ready: asked back, the thaw over before the reveals start.
    await curationPool.connect(curator).requestUnstake(listingId, STAKE);
    const { thawEnd } = await curationPool.positionOf(listingId, curator.address);
    // The round opens just before the thaw ends (the curator times its request so).
    await helper.increaseTo(thawEnd - 30n);
    const roundId = await helper.open(requester, listingId);
    const committee = await helper.draw(roundId);
    await helper.commitScores(roundId, committee, [1_000, 1_000, 1_000, 1_000, 1_000]);
    // Every member committed: the reveals are open, and the thaw is over.
    await helper.increaseTo(thawEnd);
    expect(await validation.phaseOf(roundId)).to.equal(3n, "reveal phase");
    expect(VALIDATION.minQualityBps).to.be.greaterThan(1_000);

    // The first low reveal is pending; the curator sees it and sends its withdraw with a higher tip.
    await vEthers.provider.send("evm_setAutomine", [false]);
    const before = await token.balanceOf(curator.address);
    const reveal = await helper.reveal(committee[0]!, roundId);
    // Its gas is set by hand: an estimate would run after the pending reveal and fail.
    const withdraw = await curationPool.connect(curator).withdraw(listingId, {
      gasLimit: 500_000n,
      maxPriorityFeePerGas: reveal.maxPriorityFeePerGas! * 10n + 1n,
      maxFeePerGas: reveal.maxFeePerGas! * 10n + 1n,
    });
    await vEthers.provider.send("evm_mine", []);
    await vEthers.provider.send("evm_setAutomine", [true]);
    const r = await reveal.wait();
    const w = await vEthers.provider.getTransactionReceipt(withdraw.hash);
    expect(r!.status).to.equal(1);
    expect(w!.blockNumber).to.equal(r!.blockNumber);
    expect(w!.index).to.be.lessThan(r!.index, "the withdraw was ordered first");
    expect(w!.status).to.equal(0, "the withdraw reverted: the exits were held from the draw");
    await expect(curationPool.connect(curator).withdraw.staticCall(listingId))
      .to.be.revertedWithCustomError(curationPool, "CurationUnderReview")
      .withArgs(listingId);
    expect(await token.balanceOf(curator.address)).to.equal(before, "nothing left");
    // The round ends in a dispute whose freeze takes over: the curator's thawing stake is still there to slash.
    await helper.revealScores(roundId, committee);
    await helper.waitForFinalize(roundId);
    await expect(validation.finalizeRound(roundId)).to.emit(validation, "DisputeRequested");
    expect((await curationPool.positionOf(listingId, curator.address)).thawingShares).to.be.greaterThan(0n);
  });

  it("defence: after the low reveal is mined the curator's withdraw fails, and any outsider's finalize lifts the hold (no griefing)", async function () {
    const { validation, registry, curationPool, curator, helper, requester, listingId, outsider } =
      await vHelpers.loadFixture(deployCuratedValidationFixture);
    await curationPool.connect(curator).requestUnstake(listingId, STAKE);
    const { thawEnd } = await curationPool.positionOf(listingId, curator.address);
    // The round opens just before the thaw ends (the curator times its request so).
    await helper.increaseTo(thawEnd - 30n);
    const roundId = await helper.open(requester, listingId);
    const committee = await helper.draw(roundId);
    // One low outlier, four passing scores; nobody but the low member ever reveals (a round left to stall).
    await helper.commitScores(roundId, committee, [1_000, 8_000, 8_000, 8_000, 8_000]);
    // Every member committed: the reveals are open, and the thaw is over.
    await helper.increaseTo(thawEnd);
    expect(await validation.phaseOf(roundId)).to.equal(3n, "reveal phase");
    await helper.reveal(committee[0]!, roundId);
    await expect(curationPool.connect(curator).withdraw(listingId))
      .to.be.revertedWithCustomError(curationPool, "CurationUnderReview")
      .withArgs(listingId);
    // The outsider can neither lift the hold itself nor set one on another listing, at the pool or at the registry
    // that forwards the validation role's holds to it.
    await expect(curationPool.connect(outsider).setUnderReview(listingId, false))
      .to.be.revertedWithCustomError(curationPool, "CurationOnlyRegistry")
      .withArgs(outsider.address);
    await expect(curationPool.connect(outsider).setUnderReview(listingId, true)).to.be.revertedWithCustomError(
      curationPool,
      "CurationOnlyRegistry",
    );
    await expect(registry.connect(outsider).setUnderReview(listingId, false))
      .to.be.revertedWithCustomError(registry, "ListingUnauthorized")
      .withArgs(outsider.address, encodeBytes32String("validation"));
    // The round stalls (no quorum); once its reveal period is over anyone finalizes it and the hold is gone.
    await helper.waitForFinalize(roundId);
    await expect(validation.connect(outsider).finalizeRound(roundId))
      .to.emit(curationPool, "UnderReviewSet")
      .withArgs(listingId, false);
    expect((await curationPool.listingPool(listingId)).underReview).to.equal(false);
    await expect(curationPool.connect(curator).withdraw(listingId)).to.emit(curationPool, "StakeWithdrawn");
  });

  it("defence: after the DAO rebinds the registry's CurationPool, the next draw holds the new pool (no stale copy of the pool anywhere)", async function () {
    // A copy of the pool's address kept by the ValidationManager (or of the role kept by the pool) would go on holding
    // the old pool: the new pool's curators would leave while a round runs against their listing. The hold goes
    // through the registry, which forwards it to the pool bound at that moment.
    const f = await vHelpers.loadFixture(deployCuratedValidationFixture);
    const { validation, curationPool, token, helper, requester, listingId, spares } = f;
    const newPool = await rebindCurationPool(f);
    const curator = spares[8]!;
    await token.connect(curator).approve(await newPool.getAddress(), STAKE);
    await newPool.connect(curator).stake(listingId, STAKE);
    await vHelpers.time.increase(CURATION.warmupPeriod);
    await newPool.connect(curator).requestUnstake(listingId, STAKE);
    const { thawEnd } = await newPool.positionOf(listingId, curator.address);
    await helper.increaseTo(thawEnd - 30n);
    const roundId = await helper.open(requester, listingId);
    const committee = await helper.draw(roundId);
    expect((await newPool.listingPool(listingId)).underReview, "the new pool is held").to.equal(true);
    expect((await curationPool.listingPool(listingId)).underReview, "the old pool is left alone").to.equal(false);
    await helper.commitScores(roundId, committee, [1_000, 1_000, 1_000, 1_000, 1_000]);
    await helper.increaseTo(thawEnd);
    await helper.reveal(committee[0]!, roundId);
    await expect(newPool.connect(curator).withdraw(listingId))
      .to.be.revertedWithCustomError(newPool, "CurationUnderReview")
      .withArgs(listingId);
    // The round ends: the hold is lifted where it was set.
    await helper.waitForFinalize(roundId);
    await expect(validation.finalizeRound(roundId)).to.emit(newPool, "UnderReviewSet").withArgs(listingId, false);
    expect((await newPool.listingPool(listingId)).underReview).to.equal(false);
  });
  it("ATTACK (fails since a pool the registry left drops its hold): the DAO rebinds the pool while a round runs, and the old pool's curators stay held for ever", async function () {
    // The round's end lifts the hold through the registry, on the pool bound at that moment: rebound mid-round, that
    // is another pool, and the old one's curators could never withdraw again (funds lost). No round's dispute can
    // slash a pool the registry left (the ruling slashes the registry's current pool), so its hold protects nothing.
    const f = await vHelpers.loadFixture(deployCuratedValidationFixture);
    const { validation, curationPool, curator, token, helper, requester, listingId } = f;
    await curationPool.connect(curator).requestUnstake(listingId, STAKE);
    const { thawEnd } = await curationPool.positionOf(listingId, curator.address);
    await helper.increaseTo(thawEnd - 30n);
    const roundId = await helper.open(requester, listingId);
    const committee = await helper.draw(roundId);
    expect((await curationPool.listingPool(listingId)).underReview, "the bound pool is held").to.equal(true);
    await rebindCurationPool(f);
    await helper.commitScores(roundId, committee, [8_000, 8_000, 8_000, 8_000, 8_000]);
    await helper.increaseTo(thawEnd);
    await helper.revealScores(roundId, committee);
    await helper.waitForFinalize(roundId);
    await validation.finalizeRound(roundId);
    // The round is over and passed; the old pool's hold is stale: the curator's withdraw drops it.
    const before = await token.balanceOf(curator.address);
    await expect(curationPool.connect(curator).withdraw(listingId))
      .to.emit(curationPool, "UnderReviewSet")
      .withArgs(listingId, false);
    expect((await token.balanceOf(curator.address)) - before, "the curator gets its stake back").to.equal(STAKE);
    expect((await curationPool.listingPool(listingId)).underReview).to.equal(false);
  });

  it("a round's draw records whether it held the curators; finalisation lifts that hold and calls no pool for a listing nobody curated", async function () {
    // Issue 15: a listing nobody curates takes no hold at the draw, so its round's end has nothing to lift: it no
    // longer calls the registry and the pool for it (~16,000 gas). What must not break: a hold taken is always
    // lifted (else the curators' stake is stuck), and a curator who joins during such a round is never held by it.
    const curated = await vHelpers.loadFixture(deployCuratedValidationFixture);
    const heldRound = await curated.helper.open(curated.requester, curated.listingId);
    const heldCommittee = await curated.helper.draw(heldRound);
    expect((await curated.validation.getRound(heldRound)).curatorsHeld).to.equal(true);
    await curated.helper.commitScores(heldRound, heldCommittee, [8_000, 8_000, 8_000, 8_000, 8_000]);
    await curated.helper.revealScores(heldRound, heldCommittee);
    await curated.helper.waitForFinalize(heldRound);
    await expect(curated.validation.finalizeRound(heldRound))
      .to.emit(curated.curationPool, "UnderReviewSet")
      .withArgs(curated.listingId, false);
    expect((await curated.curationPool.listingPool(curated.listingId)).underReview).to.equal(false);

    const f = await vHelpers.loadFixture(deployValidationFixture);
    const [curationAddress] = await f.registry.addresses();
    const pool = await vEthers.getContractAt("CurationPool", curationAddress);
    const roundId = await f.helper.open(f.requester, f.listingId);
    const committee = await f.helper.draw(roundId);
    expect((await f.validation.getRound(roundId)).curatorsHeld, "nobody curated the listing at the draw").to.equal(
      false,
    );
    // A curator joins during the round and asks its stake back at once: no hold of this round stands in its way.
    const latecomer = f.spares[9]!;
    await f.token.connect(latecomer).approve(curationAddress, STAKE);
    await pool.connect(latecomer).stake(f.listingId, STAKE);
    await f.helper.commitScores(roundId, committee, [8_000, 8_000, 8_000, 8_000, 8_000]);
    await f.helper.revealScores(roundId, committee);
    await f.helper.waitForFinalize(roundId);
    const finalized = f.validation.finalizeRound(roundId);
    await expect(finalized).to.emit(f.validation, "RoundFinalized");
    await expect(finalized).not.to.emit(pool, "UnderReviewSet");
    expect((await pool.listingPool(f.listingId)).underReview).to.equal(false);
    await vHelpers.time.increase(CURATION.warmupPeriod);
    await pool.connect(latecomer).requestUnstake(f.listingId, STAKE);
    await vHelpers.time.increase(CURATION.thawingPeriod);
    const before = await f.token.balanceOf(latecomer.address);
    await expect(pool.connect(latecomer).withdraw(f.listingId)).to.emit(pool, "StakeWithdrawn");
    expect((await f.token.balanceOf(latecomer.address)) - before).to.equal(STAKE);
  });
});
