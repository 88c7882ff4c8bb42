// Issue 17, played as the attacker would: a curator who escapes the slash of a dispute on its listing, and a
// just-in-time curator who stakes in the block of a large purchase to take the curators' fee.
import hre from "hardhat";
import { expect } from "chai";
import { MaxUint256, parseEther } from "ethers";
import { LOCAL_DEFAULTS, MAINNET_MARKETPLACE } from "../../deploy/config.js";
import { LOCAL_COURT, MAINNET_COURT } from "../../deploy/court-config.js";
import { LOCAL_VALIDATION } from "../../deploy/validation-config.js";
import { deployCuria } from "../../deploy/system.js";
import { Choice, CourtHelper, courtConnection, cEthers, cHelpers, JUROR_STAKE } from "../helpers/court.js";
import { deployMarketFixture, MarketHelper, mEthers, mHelpers } from "../helpers/marketplace.js";

const DAY = 86_400;

/** The whole system with the public-chain figures of deploy/ (curation, market, court), ten jurors staked. */
async function publicSettingsFixture() {
  const signers = await cEthers.getSigners();
  const [deployer, provider, challenger, curator, honestCurator] = signers;
  const jurors = signers.slice(7, 17);
  if (deployer === undefined || honestCurator === undefined) throw new Error("need 17 accounts");
  const system = await deployCuria({
    hre,
    connection: courtConnection,
    config: {
      governance: LOCAL_DEFAULTS,
      marketplace: MAINNET_MARKETPLACE,
      // Public-chain periods and figures; the local randomness lookahead so the helper's draws need no waiting.
      court: { ...MAINNET_COURT, randomnessLookahead: LOCAL_COURT.randomnessLookahead },
      validation: LOCAL_VALIDATION,
    },
  });
  const { token, registry, curationPool, court, jurorPool, challenges } = system;
  for (const account of [provider!, challenger!, curator!, honestCurator, ...jurors]) {
    await token.connect(deployer).transfer(account.address, parseEther("100000"));
    for (const spender of [registry, curationPool, court, challenges, jurorPool]) {
      await token.connect(account).approve(await spender.getAddress(), MaxUint256);
    }
  }
  for (const juror of jurors) await jurorPool.connect(juror).stake(JUROR_STAKE);
  const market = new MarketHelper(registry, curationPool, cHelpers);
  const courtHelper = new CourtHelper(court, challenges, jurors, cHelpers);
  return {
    ...system,
    provider: provider!,
    challenger: challenger!,
    curator: curator!,
    market,
    courtHelper,
  };
}

describe("CurationPool: attacks (issue 17)", function () {
  it("a curator cannot escape the slash: exits stay frozen until the dispute on its listing is resolved", async function () {
    const { provider, challenger, curator, token, registry, curationPool, timelock, market, courtHelper } =
      await cHelpers.loadFixture(publicSettingsFixture);
    // The old rule's opening: with the public-chain figures the thaw is no longer than the shortest dispute.
    expect(MAINNET_MARKETPLACE.curation.thawingPeriod).to.be.at.most(
      MAINNET_COURT.params.commitPeriod + MAINNET_COURT.params.revealPeriod + MAINNET_COURT.params.appealPeriod,
      "the thaw is no longer than the shortest dispute",
    );
    expect(MAINNET_MARKETPLACE.curation.thawingPeriod).to.equal(7 * DAY);
    const stake = parseEther("5000");

    // Control: with no dispute, a curator leaves with its whole stake after the thaw.
    const quiet = await market.listActive(provider, "quiet-model");
    await market.stake(curator, quiet, stake);
    await market.waitForWarmUp(quiet, curator);
    const quietBefore = await token.balanceOf(curator.address);
    await curationPool.connect(curator).requestUnstake(quiet, stake);
    await market.waitForThaw(quiet, curator);
    await curationPool.connect(curator).withdraw(quiet);
    expect(await token.balanceOf(curator.address)).to.equal(quietBefore + stake, "a quiet exit is whole");

    // The attack: the challenge lands; the curator asks its stake back in the next block.
    const listingId = await market.listActive(provider, "bad-model");
    await market.stake(curator, listingId, stake);
    await market.waitForWarmUp(listingId, curator);
    const before = await token.balanceOf(curator.address);
    const disputeId = await courtHelper.challenge(challenger, listingId, "ipfs://evidence/bad-model");
    await curationPool.connect(curator).requestUnstake(listingId, stake);
    await courtHelper.runRound(disputeId, () => Choice.Challenger);

    // The thaw is over before the ruling can be executed, but the stake cannot leave while the dispute is open.
    await market.waitForThaw(listingId, curator);
    await expect(curationPool.connect(curator).withdraw(listingId))
      .to.be.revertedWithCustomError(curationPool, "CurationExitsFrozen")
      .withArgs(listingId, disputeId);
    const slash = (stake * BigInt(MAINNET_MARKETPLACE.curation.slashBps)) / 10_000n;
    await expect(courtHelper.execute(disputeId))
      .to.emit(curationPool, "CuratorsSlashed")
      .withArgs(listingId, 0n, slash, await timelock.getAddress(), 0n, stake - slash)
      .and.to.emit(curationPool, "ExitsUnfrozen")
      .withArgs(listingId, disputeId);
    expect(await registry.statusOf(listingId)).to.equal(4n, "Delisted");

    // Once the ruling is applied the curator leaves with what the slash left: the escape cost it the slash.
    await curationPool.connect(curator).withdraw(listingId);
    expect(await token.balanceOf(curator.address)).to.equal(before + stake - slash, "the slash reached the stake");
  });

  it("a just-in-time curator staking in the block of a large purchase takes none of its 3,000 CUR curator fee", async function () {
    const { provider, consumer, curatorA, curatorB, validation, registry, curationPool, market, asTimelock, token } =
      await mHelpers.loadFixture(deployMarketFixture);
    const listingId = await market.listActive(provider, "popular");
    await registry.connect(validation).setQuality(listingId, 10_000);
    // Two purchases of 100,000 CUR leave the provider's 190,000 CUR in escrow: the sales cap must cover it (100 bonds
    // of 2,000 CUR), which is not what this test is about.
    await registry.connect(asTimelock).setMaxEscrowPerBond(1_000_000);
    await token.connect(provider).approve(await registry.getAddress(), parseEther("1000"));
    await registry.connect(provider).increaseBond(listingId, parseEther("1000"));
    // 50,000 calls at 2 CUR: a 5% protocol fee of which 60% is the curators' = 3,000 CUR at full quality.
    const calls = 50_000n;
    const { curatorFee } = await market.expectedSplit(parseEther("2") * calls);
    expect(curatorFee).to.equal(parseEther("3000"));

    // Control: a stake placed a warm-up ahead earns its pro-rata share (the old rule's 2,970 CUR).
    await market.stakeActive(curatorA, listingId, parseEther("100"));
    await market.stakeActive(curatorB, listingId, parseEther("9900"));
    await market.buy(consumer, listingId, calls);
    expect(await curationPool.claimable(listingId, curatorB.address)).to.equal(parseEther("2970"));
    expect(await curationPool.claimable(listingId, curatorA.address)).to.equal(parseEther("30"));
    await curationPool.connect(curatorB).requestUnstake(listingId, parseEther("9900"));
    await curationPool.connect(curatorA).claim(listingId, curatorA.address);
    await curationPool.connect(curatorB).claim(listingId, curatorB.address);

    // The attack: the attacker sees the purchase coming and gets its stake into the same block, ahead of it.
    await mEthers.provider.send("evm_setAutomine", [false]);
    try {
      await curationPool.connect(curatorB).stake(listingId, parseEther("9900"), { gasLimit: 500_000n });
      await registry.connect(consumer).purchase(listingId, calls, consumer.address, MaxUint256, { gasLimit: 500_000n });
      await mHelpers.mine();
    } finally {
      await mEthers.provider.send("evm_setAutomine", [true]);
    }
    // The stake is still warming: it earns nothing, and the curator whose stake was active takes the whole fee.
    expect(await curationPool.claimable(listingId, curatorB.address)).to.equal(0n, "the just-in-time stake earned");
    expect(await curationPool.claimable(listingId, curatorA.address)).to.equal(curatorFee);
    // It cannot be asked back before it has warmed up; once active it still has earned nothing of that fee.
    await expect(curationPool.connect(curatorB).requestUnstake(listingId, parseEther("9900")))
      .to.be.revertedWithCustomError(curationPool, "CurationInsufficientStake")
      .withArgs(parseEther("9900"), 0n);
    await market.waitForWarmUp(listingId, curatorB);
    await expect(curationPool.activate(listingId, curatorB.address)).to.emit(curationPool, "StakeActivated");
    expect(await curationPool.claimable(listingId, curatorB.address)).to.equal(0n, "nothing after the warm-up either");
  });
});
