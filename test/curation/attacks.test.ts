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
  it("a curator escapes the slash: with the public-chain figures it unstakes when the challenge lands and withdraws before the ruling", async function () {
    const { provider, challenger, curator, token, registry, curationPool, challenges, market, courtHelper } =
      await cHelpers.loadFixture(publicSettingsFixture);
    expect(MAINNET_MARKETPLACE.curation.thawingPeriod).to.be.at.most(
      MAINNET_COURT.params.commitPeriod + MAINNET_COURT.params.revealPeriod + MAINNET_COURT.params.appealPeriod,
      "the thaw is no longer than the shortest dispute",
    );
    expect(MAINNET_MARKETPLACE.curation.thawingPeriod).to.equal(7 * DAY);
    const listingId = await market.listActive(provider, "bad-model");
    const stake = parseEther("5000");
    await market.stake(curator, listingId, stake);
    const before = await token.balanceOf(curator.address);

    // The challenge lands; the curator leaves in the next block.
    const disputeId = await courtHelper.challenge(challenger, listingId, "ipfs://evidence/bad-model");
    await curationPool.connect(curator).requestUnstake(listingId, stake);
    await courtHelper.runRound(disputeId, () => Choice.Challenger);

    // The ruling cannot be executed before the appeal period ends; the thaw is over by then.
    await market.waitForThaw(listingId, curator);
    await curationPool.connect(curator).withdraw(listingId);
    const execution = courtHelper.execute(disputeId);
    await expect(execution)
      .to.emit(curationPool, "CuratorsSlashed")
      .withArgs(listingId, 0n, 0n, await challenges.getAddress(), 0n, 0n);
    expect(await registry.statusOf(listingId)).to.equal(4n, "Delisted");
    expect(await token.balanceOf(curator.address)).to.equal(before + stake, "the whole stake escaped the slash");
  });

  it("a just-in-time curator staking in the block of a large purchase takes 2,970 of its 3,000 CUR curator fee", async function () {
    const { provider, consumer, curatorA, curatorB, validation, registry, curationPool, market } =
      await mHelpers.loadFixture(deployMarketFixture);
    const listingId = await market.listActive(provider, "popular");
    await registry.connect(validation).setQuality(listingId, 10_000);
    await market.stake(curatorA, listingId, parseEther("100"));
    // 50,000 calls at 2 CUR: a 5% protocol fee of which 60% is the curators' = 3,000 CUR at full quality.
    const calls = 50_000n;
    const { curatorFee } = await market.expectedSplit(parseEther("2") * calls);
    expect(curatorFee).to.equal(parseEther("3000"));

    // The attacker sees the purchase coming and gets its stake into the same block, ahead of it.
    await mEthers.provider.send("evm_setAutomine", [false]);
    try {
      await curationPool.connect(curatorB).stake(listingId, parseEther("9900"), { gasLimit: 500_000n });
      await registry.connect(consumer).purchase(listingId, calls, consumer.address, { gasLimit: 500_000n });
      await mHelpers.mine();
    } finally {
      await mEthers.provider.send("evm_setAutomine", [true]);
    }
    const jit = await curationPool.claimable(listingId, curatorB.address);
    const honest = await curationPool.claimable(listingId, curatorA.address);
    expect(jit).to.equal(parseEther("2970"));
    expect(honest).to.equal(parseEther("30"));
    await curationPool.connect(curatorB).claim(listingId, curatorB.address);
    await curationPool.connect(curatorB).requestUnstake(listingId, parseEther("9900"));
  });
});
