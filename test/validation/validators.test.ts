import { expect } from "chai";
import { parseEther, ZeroAddress } from "ethers";
import {
  deployValidationFixture,
  VALIDATION,
  VALIDATOR_POOL,
  VALIDATOR_STAKE,
  vEthers,
  validationParamsOf,
  vHelpers,
} from "../helpers/validation.js";

describe("ValidationManager: validators and governance", function () {
  it("draws a validator once it stakes, and never once its stake is gone", async function () {
    const { validation, validatorPool, helper, listingId, requester, spares, validators } =
      await vHelpers.loadFixture(deployValidationFixture);
    const fresh = spares[0]!;
    // Below the minimum a stake is refused: there is no validator below it.
    await expect(validatorPool.connect(fresh).stake(VALIDATOR_POOL.minStake - 1n))
      .to.be.revertedWithCustomError(validatorPool, "StakePoolStakeTooLow")
      .withArgs(VALIDATOR_POOL.minStake - 1n, VALIDATOR_POOL.minStake);
    // One validator leaves entirely and the fresh one takes its slot in the draw tree with the same stake: the fixed
    // seed seats each of the five once, so the fresh one sits where the leaver sat.
    await validatorPool.connect(validators[0]!).requestUnstake(VALIDATOR_STAKE);
    await validatorPool.connect(fresh).stake(VALIDATOR_STAKE);
    const roundId = await helper.open(requester, listingId);
    const committee = (await helper.draw(roundId)).map((v) => v.address);
    expect(committee).to.include(fresh.address);
    expect(committee).to.not.include(validators[0]!.address);
    expect((await validation.memberOf(roundId, fresh.address)).stakeAtRisk).to.equal(
      (VALIDATOR_STAKE * BigInt(VALIDATION.penaltyBps)) / 10_000n,
    );
  });

  it("keeps the stake at risk in a live round locked until the round is finalized", async function () {
    const { validation, validatorPool, helper, validators, listingId, requester, token } =
      await vHelpers.loadFixture(deployValidationFixture);
    const v = validators[0]!;
    const roundId = await helper.open(requester, listingId);
    await helper.draw(roundId);
    const atRisk = (VALIDATOR_STAKE * BigInt(VALIDATION.penaltyBps)) / 10_000n;
    expect((await validatorPool.memberOf(v.address)).locked).to.equal(atRisk);
    await validatorPool.connect(v).requestUnstake(VALIDATOR_STAKE);
    await vHelpers.time.increase(VALIDATOR_POOL.thawingPeriod);
    await expect(validatorPool.connect(v).withdraw())
      .to.emit(validatorPool, "StakeWithdrawn")
      .withArgs(v.address, VALIDATOR_STAKE - atRisk, atRisk);
    await expect(validatorPool.connect(v).withdraw())
      .to.be.revertedWithCustomError(validatorPool, "StakePoolStakeLocked")
      .withArgs(v.address, atRisk);
    // It never committed: the whole stake at risk goes, taken from thawing stake, into the reward pool.
    await vHelpers.time.increase(VALIDATION.commitPeriod + VALIDATION.revealPeriod);
    const [, rewardPoolBefore] = await validation.totalOwed();
    await expect(validation.finalizeRound(roundId))
      .to.emit(validation, "ValidatorPenalized")
      .withArgs(roundId, v.address, 0n, atRisk);
    const member = await validatorPool.memberOf(v.address);
    expect([member.staked, member.thawing, member.locked]).to.deep.equal([0n, 0n, 0n]);
    const [rewardsOwed, rewardPool] = await validation.totalOwed();
    // Nobody committed: the five members' stakes at risk reach the reward pool, in one transfer.
    expect(rewardPool).to.equal(rewardPoolBefore + 5n * atRisk, "the penalties of the round reach the reward pool");
    expect(await token.balanceOf(await validation.getAddress())).to.equal(rewardsOwed + rewardPool);
    const [stakes, locked] = await validatorPool.totalOwed();
    expect(locked).to.equal(0n);
    expect(await token.balanceOf(await validatorPool.getAddress())).to.equal(stakes);
  });

  it("lets the timelock set bounded parameters, the randomness source, the challenges adapter and the evidence URI", async function () {
    const {
      validation,
      challenges: adapter,
      asTimelock,
      outsider,
    } = await vHelpers.loadFixture(deployValidationFixture);
    const old = validationParamsOf(await validation.parameters());
    const next = { ...old, committeeSize: 7n, quorum: 4n, toleranceBps: 300n };
    await expect(validation.connect(asTimelock).setParameters(next))
      .to.emit(validation, "ValidationParametersSet")
      .withArgs(Object.values(old), Object.values(next));
    expect((await validation.parameters()).committeeSize).to.equal(7n);
    for (const [field, value, min, max] of [
      ["requestFee", parseEther("100001"), 0n, parseEther("100000")],
      ["roundReward", parseEther("1000001"), 0n, parseEther("1000000")],
      ["roundPeriod", 60n, 3_600n, 365n * 86_400n],
      ["commitPeriod", 59n, 60n, 30n * 86_400n],
      ["revealPeriod", 30n * 86_400n + 1n, 60n, 30n * 86_400n],
      ["committeeSize", 22n, 1n, 21n],
      ["committeeSize", 0n, 1n, 21n],
      ["toleranceBps", 10_001n, 0n, 10_000n],
      ["penaltyBps", 10_001n, 0n, 10_000n],
      ["rewardShareBps", 10_001n, 0n, 10_000n],
      ["minQualityBps", 10_001n, 0n, 10_000n],
      ["reimbursedCalls", 2_001n, 0n, 2_000n],
    ] as const) {
      const bad = { ...old, quorum: 1n, [field]: value };
      await expect(validation.connect(asTimelock).setParameters(bad), field)
        .to.be.revertedWithCustomError(validation, "ValidationParameterOutOfBounds")
        .withArgs(vEthers.encodeBytes32String(field), value, min, max);
    }
    await expect(validation.connect(asTimelock).setParameters({ ...old, committeeSize: 5n, quorum: 6n }))
      .to.be.revertedWithCustomError(validation, "ValidationParameterOutOfBounds")
      .withArgs(vEthers.encodeBytes32String("quorum"), 6n, 1n, 5n);
    await expect(validation.connect(outsider).setParameters(old))
      .to.be.revertedWithCustomError(validation, "GovernedOnlyTimelock")
      .withArgs(outsider.address);

    const [, , randomness] = await validation.addresses();
    const challenges = await validation.challenges();
    await expect(validation.connect(asTimelock).setRandomnessSource(outsider.address))
      .to.emit(validation, "RandomnessSourceSet")
      .withArgs(randomness, outsider.address);
    await expect(validation.connect(asTimelock).setRandomnessSource(ZeroAddress))
      .to.be.revertedWithCustomError(validation, "GovernedZeroAddress")
      .withArgs("randomness");
    await expect(validation.connect(asTimelock).setChallenges(outsider.address))
      .to.emit(validation, "ChallengesSet")
      .withArgs(challenges, outsider.address);
    await expect(validation.connect(asTimelock).setChallenges(ZeroAddress))
      .to.be.revertedWithCustomError(validation, "GovernedZeroAddress")
      .withArgs("challenges");
    // The evidence URI prefix of the rounds' disputes is the adapter's setting: it writes their evidence URI.
    const uri = (await adapter.addresses())[4];
    expect(uri).to.equal("curia://validation/rounds/");
    await expect(adapter.connect(asTimelock).setEvidenceBaseURI("ipfs://rounds/"))
      .to.emit(adapter, "EvidenceBaseURISet")
      .withArgs(uri, "ipfs://rounds/");
    expect((await adapter.addresses())[4]).to.equal("ipfs://rounds/");
    await expect(adapter.connect(asTimelock).setEvidenceBaseURI(""))
      .to.be.revertedWithCustomError(adapter, "ChallengeInvalidURI")
      .withArgs(0n, 256n);
    await expect(adapter.connect(asTimelock).setEvidenceBaseURI("x".repeat(257)))
      .to.be.revertedWithCustomError(adapter, "ChallengeInvalidURI")
      .withArgs(257n, 256n);
    await expect(adapter.connect(asTimelock).setEvidenceBaseURI("x".repeat(256))).to.emit(
      adapter,
      "EvidenceBaseURISet",
    );
    for (const call of [
      validation.connect(outsider).setRandomnessSource(outsider.address),
      validation.connect(outsider).setChallenges(outsider.address),
    ]) {
      await expect(call).to.be.revertedWithCustomError(validation, "GovernedOnlyTimelock").withArgs(outsider.address);
    }
    await expect(adapter.connect(outsider).setEvidenceBaseURI("x"))
      .to.be.revertedWithCustomError(adapter, "GovernedOnlyTimelock")
      .withArgs(outsider.address);
  });

  describe("reverts", function () {
    it("refuses to pay rewards nobody earned", async function () {
      const { validation, validators } = await vHelpers.loadFixture(deployValidationFixture);
      const v = validators[0]!;
      await expect(validation.connect(v).claimRewards())
        .to.be.revertedWithCustomError(validation, "ValidationNothingToClaim")
        .withArgs(v.address);
    });
  });
});
