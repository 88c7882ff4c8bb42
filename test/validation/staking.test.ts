import { expect } from "chai";
import { parseEther, ZeroAddress } from "ethers";
import { deployValidationFixture, VALIDATION, VALIDATOR_STAKE, vEthers, vHelpers } from "../helpers/validation.js";
import type { ValidationManager } from "../../types/ethers-contracts/index.js";

const WEIGHT_UNIT = 10n ** 18n;

function paramsOf(p: Awaited<ReturnType<ValidationManager["parameters"]>>) {
  return {
    minStake: p.minStake,
    requestFee: p.requestFee,
    roundReward: p.roundReward,
    thawingPeriod: p.thawingPeriod,
    roundPeriod: p.roundPeriod,
    commitPeriod: p.commitPeriod,
    revealPeriod: p.revealPeriod,
    committeeSize: p.committeeSize,
    quorum: p.quorum,
    toleranceBps: p.toleranceBps,
    penaltyBps: p.penaltyBps,
    rewardShareBps: p.rewardShareBps,
    minQualityBps: p.minQualityBps,
  };
}

describe("ValidationManager: validators and governance", function () {
  it("registers with stake, adds stake, thaws on request and withdraws after the thawing period", async function () {
    const { validation, token, spares } = await vHelpers.loadFixture(deployValidationFixture);
    const v = spares[0]!;
    await expect(validation.connect(v).register(parseEther("300")))
      .to.emit(validation, "ValidatorRegistered")
      .withArgs(v.address, parseEther("300"));
    await expect(validation.connect(v).addStake(parseEther("200")))
      .to.emit(validation, "StakeAdded")
      .withArgs(v.address, parseEther("200"), parseEther("500"));
    expect((await validation.drawWeight(v.address))[0]).to.equal(parseEther("500") / WEIGHT_UNIT);

    const requestedAt = BigInt(await vHelpers.time.latest()) + 1n;
    await vHelpers.time.setNextBlockTimestamp(requestedAt);
    const tx = validation.connect(v).requestUnstake(parseEther("400"));
    const thawEnd = requestedAt + BigInt(VALIDATION.thawingPeriod);
    await expect(tx)
      .to.emit(validation, "UnstakeRequested")
      .withArgs(v.address, parseEther("400"), parseEther("100"), parseEther("400"), thawEnd);
    expect((await validation.drawWeight(v.address))[0]).to.equal(parseEther("100") / WEIGHT_UNIT);
    await expect(validation.connect(v).withdraw())
      .to.be.revertedWithCustomError(validation, "ValidationNothingToWithdraw")
      .withArgs(v.address, parseEther("400"), thawEnd);

    await vHelpers.time.increaseTo(thawEnd);
    const before = await token.balanceOf(v.address);
    await expect(validation.connect(v).withdraw())
      .to.emit(validation, "StakeWithdrawn")
      .withArgs(v.address, parseEther("400"), 0n);
    expect(await token.balanceOf(v.address)).to.equal(before + parseEther("400"));

    // Leaving entirely: the registration ends with the last withdrawal, and the account may register again.
    await validation.connect(v).requestUnstake(parseEther("100"));
    await vHelpers.time.increase(VALIDATION.thawingPeriod);
    await expect(validation.connect(v).withdraw()).to.emit(validation, "ValidatorExited").withArgs(v.address);
    expect((await validation.validatorOf(v.address)).registered).to.equal(false);
    await expect(validation.connect(v).register(VALIDATION.minStake)).to.emit(validation, "ValidatorRegistered");
  });

  it("keeps the stake at risk in a live round locked until the round is finalized", async function () {
    const { validation, helper, validators, listingId, requester } =
      await vHelpers.loadFixture(deployValidationFixture);
    const v = validators[0]!;
    const roundId = await helper.open(requester, listingId);
    await helper.draw(roundId);
    const atRisk = (VALIDATOR_STAKE * BigInt(VALIDATION.penaltyBps)) / 10_000n;
    expect((await validation.validatorOf(v.address)).locked).to.equal(atRisk);
    await validation.connect(v).requestUnstake(VALIDATOR_STAKE);
    await vHelpers.time.increase(VALIDATION.thawingPeriod);
    await expect(validation.connect(v).withdraw())
      .to.emit(validation, "StakeWithdrawn")
      .withArgs(v.address, VALIDATOR_STAKE - atRisk, atRisk);
    await expect(validation.connect(v).withdraw())
      .to.be.revertedWithCustomError(validation, "ValidationStakeLocked")
      .withArgs(v.address, atRisk);
    // It never committed: the whole stake at risk goes, taken from thawing stake, and the account leaves.
    await vHelpers.time.increase(VALIDATION.commitPeriod + VALIDATION.revealPeriod);
    await expect(validation.finalizeRound(roundId))
      .to.emit(validation, "ValidatorPenalized")
      .withArgs(roundId, v.address, 0n, atRisk, 0n, 0n);
    expect(await validation.validatorOf(v.address)).to.deep.equal([
      0n,
      0n,
      0n,
      (await validation.validatorOf(v.address)).thawEnd,
      true,
    ]);
  });

  it("lets the timelock set bounded parameters, the randomness source, the court and the evidence URI", async function () {
    const { validation, asTimelock, outsider } = await vHelpers.loadFixture(deployValidationFixture);
    const old = paramsOf(await validation.parameters());
    const next = { ...old, committeeSize: 7n, quorum: 4n, toleranceBps: 300n };
    await expect(validation.connect(asTimelock).setParameters(next))
      .to.emit(validation, "ValidationParametersSet")
      .withArgs(Object.values(old), Object.values(next));
    expect((await validation.parameters()).committeeSize).to.equal(7n);
    for (const [field, value, min, max] of [
      ["minStake", parseEther("0.5"), parseEther("1"), parseEther("1000000")],
      ["requestFee", parseEther("100001"), 0n, parseEther("100000")],
      ["roundReward", parseEther("1000001"), 0n, parseEther("1000000")],
      ["thawingPeriod", 60n, 3_600n, 90n * 86_400n],
      ["roundPeriod", 60n, 3_600n, 365n * 86_400n],
      ["commitPeriod", 59n, 60n, 30n * 86_400n],
      ["revealPeriod", 30n * 86_400n + 1n, 60n, 30n * 86_400n],
      ["committeeSize", 22n, 1n, 21n],
      ["committeeSize", 0n, 1n, 21n],
      ["toleranceBps", 10_001n, 0n, 10_000n],
      ["penaltyBps", 10_001n, 0n, 10_000n],
      ["rewardShareBps", 10_001n, 0n, 10_000n],
      ["minQualityBps", 10_001n, 0n, 10_000n],
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

    const [, , court, randomness, uri] = await validation.addresses();
    await expect(validation.connect(asTimelock).setRandomnessSource(outsider.address))
      .to.emit(validation, "RandomnessSourceSet")
      .withArgs(randomness, outsider.address);
    await expect(validation.connect(asTimelock).setRandomnessSource(ZeroAddress))
      .to.be.revertedWithCustomError(validation, "GovernedZeroAddress")
      .withArgs("randomness");
    await expect(validation.connect(asTimelock).setCourt(outsider.address))
      .to.emit(validation, "CourtSet")
      .withArgs(court, outsider.address);
    await expect(validation.connect(asTimelock).setCourt(ZeroAddress))
      .to.be.revertedWithCustomError(validation, "GovernedZeroAddress")
      .withArgs("court");
    await expect(validation.connect(asTimelock).setEvidenceBaseURI("ipfs://rounds/"))
      .to.emit(validation, "EvidenceBaseURISet")
      .withArgs(uri, "ipfs://rounds/");
    await expect(validation.connect(asTimelock).setEvidenceBaseURI(""))
      .to.be.revertedWithCustomError(validation, "ValidationInvalidURI")
      .withArgs(0n, 256n);
    await expect(validation.connect(asTimelock).setEvidenceBaseURI("x".repeat(257)))
      .to.be.revertedWithCustomError(validation, "ValidationInvalidURI")
      .withArgs(257n, 256n);
    for (const call of [
      validation.connect(outsider).setRandomnessSource(outsider.address),
      validation.connect(outsider).setCourt(outsider.address),
      validation.connect(outsider).setEvidenceBaseURI("x"),
    ]) {
      await expect(call).to.be.revertedWithCustomError(validation, "GovernedOnlyTimelock").withArgs(outsider.address);
    }
  });

  describe("reverts", function () {
    it("rejects registrations, top-ups, unstakes and withdrawals that break the rules", async function () {
      const { validation, validators, spares } = await vHelpers.loadFixture(deployValidationFixture);
      const [v, fresh] = [validators[0]!, spares[0]!];
      await expect(validation.connect(v).register(VALIDATION.minStake))
        .to.be.revertedWithCustomError(validation, "ValidationAlreadyRegistered")
        .withArgs(v.address);
      await expect(validation.connect(fresh).register(VALIDATION.minStake - 1n))
        .to.be.revertedWithCustomError(validation, "ValidationStakeTooLow")
        .withArgs(VALIDATION.minStake - 1n, VALIDATION.minStake);
      await expect(validation.connect(fresh).addStake(VALIDATION.minStake))
        .to.be.revertedWithCustomError(validation, "ValidationNotRegistered")
        .withArgs(fresh.address);
      await expect(validation.connect(v).addStake(0n)).to.be.revertedWithCustomError(
        validation,
        "ValidationZeroAmount",
      );
      await expect(validation.connect(v).requestUnstake(0n)).to.be.revertedWithCustomError(
        validation,
        "ValidationZeroAmount",
      );
      await expect(validation.connect(v).requestUnstake(VALIDATOR_STAKE + 1n))
        .to.be.revertedWithCustomError(validation, "ValidationInsufficientStake")
        .withArgs(VALIDATOR_STAKE + 1n, VALIDATOR_STAKE);
      const leaves = VALIDATION.minStake - 1n;
      await expect(validation.connect(v).requestUnstake(VALIDATOR_STAKE - leaves))
        .to.be.revertedWithCustomError(validation, "ValidationStakeTooLow")
        .withArgs(leaves, VALIDATION.minStake);
      await expect(validation.connect(v).withdraw())
        .to.be.revertedWithCustomError(validation, "ValidationNothingToWithdraw")
        .withArgs(v.address, 0n, 0n);
      // Back to stake after a full unstake: the top-up alone must reach the minimum.
      await validation.connect(v).requestUnstake(VALIDATOR_STAKE);
      await expect(validation.connect(v).addStake(VALIDATION.minStake - 1n))
        .to.be.revertedWithCustomError(validation, "ValidationStakeTooLow")
        .withArgs(VALIDATION.minStake - 1n, VALIDATION.minStake);
      await expect(validation.connect(v).claimRewards())
        .to.be.revertedWithCustomError(validation, "ValidationNothingToClaim")
        .withArgs(v.address);
    });
  });
});
