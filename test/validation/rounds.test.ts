import { expect } from "chai";
import { scoreCommitment, voteCommitment } from "@curia/protocol";
import { hexlify, MaxUint256, parseEther, randomBytes, ZeroHash } from "ethers";
import {
  creditPerSeat,
  LISTING_PRICE,
  CHALLENGES,
  COURT,
  deployValidationFixture,
  ListingStatus,
  Phase,
  VALIDATION,
  VALIDATOR_STAKE,
  vHelpers,
  validationParamsOf,
} from "../helpers/validation.js";

const AT_RISK = (VALIDATOR_STAKE * BigInt(VALIDATION.penaltyBps)) / 10_000n;
const BOND = CHALLENGES.minChallengeBond;
const DISPUTE_COST = BOND + COURT.arbitrationFeePerSeat * BigInt(COURT.firstRoundSeats);
const Reason = { NoReveal: 0n, OutOfTolerance: 1n } as const;
const Skip = { PoolTooSmall: 0n, ListingNotChallengeable: 1n, CourtRejected: 2n } as const;

/** The fixture with `amount` CUR sent straight to the manager: donations land in the reward pool. */
async function funded(amount: bigint) {
  const f = await vHelpers.loadFixture(deployValidationFixture);
  if (amount > 0n) await f.token.connect(f.deployer).transfer(await f.validation.getAddress(), amount);
  return f;
}

const fundedFixture = async () => funded(parseEther("1000"));
const disputeFixture = async () => funded(parseEther("2000"));

/** What each of `honest` seats is credited, with the pool as it is after penalties (the fixture's listing price). */
function rewardEach(poolAfterPenalties: bigint, honest: bigint): bigint {
  return creditPerSeat(poolAfterPenalties, honest, { pricePerCall: LISTING_PRICE }).each;
}

/** The reimbursed part of {@link rewardEach}. */
function reimbursedEach(poolAfterPenalties: bigint, honest: bigint): bigint {
  return creditPerSeat(poolAfterPenalties, honest, { pricePerCall: LISTING_PRICE }).reimbursed;
}

describe("ValidationManager: rounds", function () {
  describe("opening and drawing", function () {
    it("opens a listing's round for free, charges the request fee until the period passes, then is free again", async function () {
      const { validation, helper, listingId, requester, token } = await vHelpers.loadFixture(deployValidationFixture);
      const address = await validation.getAddress();
      await expect(validation.connect(requester).openRound(listingId))
        .to.emit(validation, "RoundOpened")
        .withArgs(
          1n,
          listingId,
          requester.address,
          0n,
          await (
            await validation.addresses()
          )[2],
          1n,
          5n,
          500n,
          1_000n,
          LISTING_PRICE,
        );
      expect(await validation.phaseOf(1n)).to.equal(Phase.Drawing);
      const committee = await helper.draw(1n);
      await helper.commitScores(1n, committee, [7000, 7000, 7000, 7000, 7000]);
      await helper.revealScores(1n, committee);
      await validation.finalizeRound(1n);

      const before = await token.balanceOf(address);
      await expect(validation.connect(requester).openRound(listingId))
        .to.emit(validation, "RoundOpened")
        .withArgs(
          2n,
          listingId,
          requester.address,
          VALIDATION.requestFee,
          (await validation.addresses())[2],
          2n,
          5n,
          500n,
          1_000n,
          LISTING_PRICE,
        );
      expect(await token.balanceOf(address)).to.equal(before + VALIDATION.requestFee);
      // Held apart from the pool until the round ends (refunded if it ends without a quality).
      expect((await validation.totalOwed())[2]).to.equal(VALIDATION.requestFee);
      await (await validation.drawCommittee(2n)).wait();
      await vHelpers.time.increase(VALIDATION.commitPeriod + VALIDATION.revealPeriod);
      await validation.finalizeRound(2n);

      const [, nextFreeRoundAt] = await validation.listingRounds(listingId);
      await helper.increaseTo(nextFreeRoundAt);
      await expect(validation.connect(requester).openRound(listingId))
        .to.emit(validation, "RoundOpened")
        .withArgs(
          3n,
          listingId,
          requester.address,
          0n,
          (await validation.addresses())[2],
          3n,
          5n,
          500n,
          1_000n,
          LISTING_PRICE,
        );
    });

    it("draws k seats from one seed, each locking its holder's stake at risk (the fixed seed seats all five once)", async function () {
      const { validation, validatorPool, helper, listingId, requester, validators } =
        await vHelpers.loadFixture(deployValidationFixture);
      const roundId = await helper.open(requester, listingId);
      const drawnAt = BigInt(await vHelpers.time.latest()) + 1n;
      await vHelpers.time.setNextBlockTimestamp(drawnAt);
      const tx = validation.drawCommittee(roundId);
      const commitEnd = drawnAt + BigInt(VALIDATION.commitPeriod);
      await expect(tx)
        .to.emit(validation, "CommitteeDrawn")
        .withArgs(
          roundId,
          listingId,
          validators.map((v) => v.address),
          validators.map(() => 1n),
          validators.map(() => AT_RISK),
          commitEnd,
          commitEnd + BigInt(VALIDATION.revealPeriod),
        );
      expect(await validation.phaseOf(roundId)).to.equal(Phase.Commit);
      for (const v of validators) expect((await validatorPool.memberOf(v.address)).locked).to.equal(AT_RISK);
    });

    it("draws k seats by stake with replacement out of many: a member holds as many seats as it drew", async function () {
      const { validation, validatorPool, helper, listingId, requester, spares, validators } =
        await vHelpers.loadFixture(deployValidationFixture);
      // Ten more validators, one with a larger stake: 15 in all for 5 seats.
      for (const [i, v] of spares.entries()) {
        await validatorPool.connect(v).stake(parseEther(i === 0 ? "3000" : "500"));
      }
      const start = await vHelpers.takeSnapshot();
      const roundId = await helper.open(requester, listingId);
      const committee = (await helper.draw(roundId)).map((m) => m.address);
      const registered = new Set([...validators, ...spares].map((v) => v.address));
      for (const a of committee) expect(registered.has(a)).to.equal(true);
      expect(new Set(committee).size, "each member once in the committee").to.equal(committee.length);
      let seats = 0n;
      for (const a of committee) {
        const m = await validation.memberOf(roundId, a);
        const staked = (await validatorPool.memberOf(a)).staked;
        // Every seat locks its own share of the holder's stake.
        expect(m.stakeAtRisk).to.equal(m.seats * ((staked * BigInt(VALIDATION.penaltyBps)) / 10_000n));
        expect((await validatorPool.memberOf(a)).locked).to.equal(m.stakeAtRisk);
        seats += m.seats;
      }
      expect(seats).to.equal(BigInt(VALIDATION.committeeSize));
      expect((await validation.getRound(roundId)).seated).to.equal(seats);
      // The same seed over the same stakes draws the same seats.
      await start.restore();
      const again = await helper.open(requester, listingId);
      expect((await helper.draw(again)).map((m) => m.address)).to.deep.equal(committee);
    });

    it("gives a dominant stake most seats, one stake at risk per seat", async function () {
      const { validation, validatorPool, helper, listingId, requester, spares } =
        await vHelpers.loadFixture(deployValidationFixture);
      for (const [i, v] of spares.entries()) {
        await validatorPool.connect(v).stake(parseEther(i === 0 ? "90000" : "500"));
      }
      const roundId = await helper.open(requester, listingId);
      await helper.draw(roundId);
      // The whale holds 90% of the stake: with this seed it takes 4 of the 5 seats, and risks 10% per seat.
      const whale = await validation.memberOf(roundId, spares[0]!.address);
      expect(whale.seats).to.be.greaterThanOrEqual(3n);
      expect(whale.stakeAtRisk).to.equal(whale.seats * parseEther("9000"));
      expect((await validation.getRound(roundId)).seated).to.equal(5n);
      expect(await validation.phaseOf(roundId)).to.equal(Phase.Commit);
    });

    it("cancels a round when no validator can be drawn, and the next round is free", async function () {
      const { validation, validatorPool, helper, listingId, requester, validators, token } =
        await vHelpers.loadFixture(deployValidationFixture);
      for (const v of validators) await validatorPool.connect(v).requestUnstake(VALIDATOR_STAKE);
      const roundId = await helper.open(requester, listingId);
      await expect(validation.drawCommittee(roundId))
        .to.emit(validation, "RoundCancelled")
        .withArgs(roundId, listingId, 0n, 0n);
      expect(await validation.phaseOf(roundId)).to.equal(Phase.Cancelled);
      for (const v of validators) expect((await validatorPool.memberOf(v.address)).locked).to.equal(0n);
      const before = await token.balanceOf(requester.address);
      await expect(validation.connect(requester).openRound(listingId))
        .to.emit(validation, "RoundOpened")
        .withArgs(
          roundId + 1n,
          listingId,
          requester.address,
          0n,
          (await validation.addresses())[2],
          2n,
          5n,
          500n,
          1_000n,
          LISTING_PRICE,
        );
      expect(await token.balanceOf(requester.address)).to.equal(before);
    });

    it("cancels a round whose listing is no longer Active when the committee is drawn", async function () {
      const { validation, challenges, helper, listingId, requester, outsider } =
        await vHelpers.loadFixture(deployValidationFixture);
      const roundId = await helper.open(requester, listingId);
      await challenges.connect(outsider).challenge(listingId, BOND, "ipfs://evidence");
      await expect(validation.drawCommittee(roundId))
        .to.emit(validation, "RoundCancelled")
        .withArgs(roundId, listingId, 1n, 0n);
    });
  });

  describe("finalization", function () {
    it("writes the median of an odd count as the quality and pays every member within tolerance", async function () {
      const { validation, validatorPool, registry, helper, listingId, requester, validators, token } =
        await vHelpers.loadFixture(fundedFixture);
      const scores = [7000, 7200, 6900, 7100, 7050];
      const { roundId } = await helper.runRound(requester, listingId, scores);
      const each = rewardEach(parseEther("1000"), 5n);
      const tx = validation.finalizeRound(roundId);
      await expect(tx).to.emit(registry, "ListingQualityUpdated").withArgs(listingId, 5_000n, 7_050n);
      await expect(tx)
        .to.emit(validation, "RoundFinalized")
        .withArgs(roundId, listingId, 7_050n, 5n, true, 5n, each * 5n, 0n);
      for (const v of validators)
        await expect(tx)
          .to.emit(validation, "ValidatorRewarded")
          .withArgs(roundId, v.address, each, reimbursedEach(parseEther("1000"), 5n));
      await expect(tx).not.to.emit(validation, "ValidatorPenalized");
      expect(await registry.qualityOf(listingId)).to.equal(7_050n);
      expect((await validation.getRound(roundId)).medianBps).to.equal(7_050n);
      for (const v of validators) expect((await validatorPool.memberOf(v.address)).locked).to.equal(0n);

      const v = validators[0]!;
      const before = await token.balanceOf(v.address);
      await expect(validation.connect(v).claimRewards())
        .to.emit(validation, "RewardsClaimed")
        .withArgs(v.address, each);
      expect(await token.balanceOf(v.address)).to.equal(before + each);
      expect(await validation.rewardsOf(v.address)).to.equal(0n);
    });

    it("takes the mean of the two middle scores (rounded down) for an even count and penalises outliers and no-shows", async function () {
      const { validation, validatorPool, registry, helper, listingId, requester, validators } =
        await vHelpers.loadFixture(fundedFixture);
      // Four reveal (6000, 6101, 6300, 9000): median (6101 + 6300) / 2 = 6200; 9000 is 2800 away; the fifth never commits.
      const { roundId } = await helper.runRound(requester, listingId, [6000, 6101, 9000, 6300, undefined]);
      const each = rewardEach(parseEther("1000") + 2n * AT_RISK, 3n);
      const tx = validation.finalizeRound(roundId);
      await expect(tx)
        .to.emit(validation, "RoundFinalized")
        .withArgs(roundId, listingId, 6_200n, 4n, true, 3n, each * 3n, 2n * AT_RISK);
      await expect(tx)
        .to.emit(validation, "ValidatorPenalized")
        .withArgs(roundId, validators[2]!.address, Reason.OutOfTolerance, AT_RISK);
      await expect(tx)
        .to.emit(validation, "ValidatorPenalized")
        .withArgs(roundId, validators[4]!.address, Reason.NoReveal, AT_RISK);
      for (const i of [0, 1, 3]) {
        await expect(tx)
          .to.emit(validation, "ValidatorRewarded")
          .withArgs(roundId, validators[i]!.address, each, reimbursedEach(parseEther("1000") + 2n * AT_RISK, 3n));
      }
      expect(await registry.qualityOf(listingId)).to.equal(6_200n);
      expect((await validatorPool.memberOf(validators[2]!.address)).staked).to.equal(VALIDATOR_STAKE - AT_RISK);
      expect(await validation.rewardsOf(validators[2]!.address)).to.equal(0n);
      expect((await validatorPool.drawWeight(validators[4]!.address))[0]).to.equal(
        (VALIDATOR_STAKE - AT_RISK) / 10n ** 18n,
      );
    });

    it("keeps exactly the tolerance unpunished and one bps more punished", async function () {
      const { validation, helper, listingId, requester, validators } = await vHelpers.loadFixture(fundedFixture);
      // Median 7000; 7500 is exactly 500 away (kept), 6499 is 501 away (penalised).
      const { roundId } = await helper.runRound(requester, listingId, [7000, 7500, 6499, 7000, 7000]);
      const tx = validation.finalizeRound(roundId);
      await expect(tx)
        .to.emit(validation, "ValidatorPenalized")
        .withArgs(roundId, validators[2]!.address, Reason.OutOfTolerance, AT_RISK);
      await expect(tx)
        .to.emit(validation, "RoundFinalized")
        .withArgs(
          roundId,
          listingId,
          7_000n,
          5n,
          true,
          4n,
          (await rewardEach(parseEther("1000") + AT_RISK, 4n)) * 4n,
          AT_RISK,
        );
      expect(await validation.rewardsOf(validators[1]!.address)).to.be.greaterThan(0n);
    });

    it("never rewards an outlier, even when the penalty is zero", async function () {
      const { validation, helper, listingId, requester, validators, asTimelock } =
        await vHelpers.loadFixture(fundedFixture);
      const p = await validation.parameters();
      await validation.connect(asTimelock).setParameters({ ...validationParamsOf(p), penaltyBps: 0n });
      const { roundId } = await helper.runRound(requester, listingId, [7000, 7000, 9000, 7000, 7000]);
      const tx = validation.finalizeRound(roundId);
      // Nothing at risk, so nothing lost: but the outlier is still out of tolerance, and shares no reward.
      await expect(tx)
        .to.emit(validation, "ValidatorPenalized")
        .withArgs(roundId, validators[2]!.address, Reason.OutOfTolerance, 0n);
      await tx;
      expect(await validation.rewardsOf(validators[2]!.address)).to.equal(0n);
      expect(await validation.rewardsOf(validators[0]!.address)).to.be.greaterThan(0n);
    });

    it("penalises committed scores never revealed, and writes no quality below the reveal quorum", async function () {
      const { validation, validatorPool, registry, helper, listingId, requester, validators } =
        await vHelpers.loadFixture(fundedFixture);
      // All five commit; only two reveal (quorum 3).
      const { roundId } = await helper.runRound(requester, listingId, [7000, 7000, 7000, 7000, 7000], [2, 3, 4]);
      const tx = validation.finalizeRound(roundId);
      for (const i of [2, 3, 4]) {
        await expect(tx)
          .to.emit(validation, "ValidatorPenalized")
          .withArgs(roundId, validators[i]!.address, Reason.NoReveal, AT_RISK);
      }
      await expect(tx)
        .to.emit(validation, "RoundFinalized")
        .withArgs(roundId, listingId, 0n, 2n, false, 0n, 0n, 3n * AT_RISK);
      await expect(tx).not.to.emit(registry, "ListingQualityUpdated");
      await expect(tx).not.to.emit(validation, "ValidatorRewarded");
      expect((await registry.getListing(listingId)).hasQuality).to.equal(false);
      const [owed, pool] = await validation.totalOwed();
      expect((await validatorPool.totalOwed())[0]).to.equal(5n * VALIDATOR_STAKE - 3n * AT_RISK);
      expect(owed).to.equal(0n);
      expect(pool).to.equal(parseEther("1000") + 3n * AT_RISK);
    });

    it("opens reveals once every member committed and closes once every commitment is revealed", async function () {
      const { validation, helper, listingId, requester } = await vHelpers.loadFixture(deployValidationFixture);
      const roundId = await helper.open(requester, listingId);
      const committee = await helper.draw(roundId);
      await helper.commitScores(roundId, committee, [8000, 8000, 8000, 8000]);
      expect(await validation.phaseOf(roundId)).to.equal(Phase.Commit);
      await helper.commit(committee[4]!, roundId, 8000);
      expect(await validation.phaseOf(roundId)).to.equal(Phase.Reveal);
      await helper.revealScores(roundId, committee);
      expect(await validation.phaseOf(roundId)).to.equal(Phase.Finalizable);
      await expect(validation.finalizeRound(roundId))
        .to.emit(validation, "RoundFinalized")
        .withArgs(roundId, listingId, 8_000n, 5n, true, 5n, 0n, 0n);
      expect(await validation.phaseOf(roundId)).to.equal(Phase.Finalized);
    });

    it("receives the validators' fee share from the registry into the reward pool", async function () {
      const { validation, registry, requester, listingId } = await vHelpers.loadFixture(deployValidationFixture);
      await registry.connect(requester).purchase(listingId, 1_000n, requester.address, MaxUint256);
      const [, , , validatorFees] = await registry.totalOwed();
      expect(validatorFees).to.be.greaterThan(0n);
      await expect(registry.sweepFees()).to.emit(registry, "FeesSwept");
      expect((await validation.totalOwed())[1]).to.equal(validatorFees);
    });
  });

  describe("automatic dispute", function () {
    it("challenges the listing in the Court when the median is below the minimum quality, paid from the pool", async function () {
      const { validation, registry, court, challenges, token, helper, listingId, requester } =
        await vHelpers.loadFixture(disputeFixture);
      const { roundId } = await helper.runRound(requester, listingId, [2000, 2100, 1900, 2050, 2000]);
      const address = await validation.getAddress();
      const tx = validation.finalizeRound(roundId);
      await expect(tx)
        .to.emit(validation, "DisputeRequested")
        .withArgs(roundId, listingId, 1n, BOND, DISPUTE_COST - BOND);
      await expect(tx)
        .to.emit(challenges, "Evidence")
        .withArgs(await court.getAddress(), 1n, address, `curia://validation/rounds/${roundId}`);
      const each = rewardEach(parseEther("2000") - DISPUTE_COST, 5n);
      await expect(tx)
        .to.emit(validation, "RoundFinalized")
        .withArgs(roundId, listingId, 2_000n, 5n, true, 5n, each * 5n, 0n);
      expect(await registry.statusOf(listingId)).to.equal(ListingStatus.Challenged);
      expect((await court.getDispute(1n)).challenger).to.equal(address);
      expect(await token.allowance(address, await challenges.getAddress())).to.equal(0n);
      expect((await validation.totalOwed())[1]).to.equal(parseEther("2000") - DISPUTE_COST - each * 5n);
    });

    it("refuses a round's challenge from anyone but the validation role: nobody passes a dispute off as a round's", async function () {
      // Attack: a provider's sybil (or anyone) opens a challenge that jurors would read as raised by validation round
      // `roundId` (its evidence URI names the round), while paying its own bond.
      const { validation, challenges, registry, helper, listingId, requester, outsider } =
        await vHelpers.loadFixture(disputeFixture);
      const { roundId } = await helper.runRound(requester, listingId, [8000, 8000, 8000, 8000, 8000]);
      await validation.finalizeRound(roundId);
      await expect(challenges.connect(outsider).challengeFromRound(listingId, BOND, roundId))
        .to.be.revertedWithCustomError(challenges, "ChallengeOnlyValidation")
        .withArgs(outsider.address);
      expect(await registry.statusOf(listingId)).to.equal(ListingStatus.Active);
    });

    it("takes back the bond and the winner's share into the pool when the Court delists the listing", async function () {
      const { validation, registry, court, helper, listingId, requester, juror } =
        await vHelpers.loadFixture(disputeFixture);
      const { roundId } = await helper.runRound(requester, listingId, [1000, 1000, 1000, 1000, 1000]);
      await validation.finalizeRound(roundId);
      const poolBefore = (await validation.totalOwed())[1];
      // The single juror takes every seat and votes to delist.
      await vHelpers.mine(2);
      await court.draw(1n, 16n);
      const salt = hexlify(randomBytes(32));
      const vote = voteCommitment(1, salt, juror.address, 1n, 0n);
      await court.connect(juror).commit(1n, vote);
      const round = await court.getRound(1n, 0n);
      await helper.increaseTo(round.commitEnd);
      await court.connect(juror).reveal(1n, 1, salt);
      await helper.increaseTo(round.appealEnd);
      await court.executeRuling(1n);
      expect(await registry.statusOf(listingId)).to.equal(ListingStatus.Delisted);
      const bond = (await registry.parameters()).minBond;
      const toWinner = (bond * BigInt(CHALLENGES.winnerShareBps)) / 10_000n;
      expect((await validation.totalOwed())[1]).to.equal(poolBefore + BOND + toWinner);
    });

    it("skips the dispute, saying why, when the pool cannot pay the bond and fee", async function () {
      const { validation, registry, helper, listingId, requester } =
        await vHelpers.loadFixture(deployValidationFixture);
      const { roundId } = await helper.runRound(requester, listingId, [2000, 2000, 2000, 2000, undefined]);
      await expect(validation.finalizeRound(roundId))
        .to.emit(validation, "DisputeSkipped")
        .withArgs(roundId, listingId, Skip.PoolTooSmall, DISPUTE_COST, AT_RISK);
      expect(await registry.statusOf(listingId)).to.equal(ListingStatus.Active);
      expect(await registry.qualityOf(listingId)).to.equal(2_000n);
    });

    it("skips the dispute when the listing is already challenged", async function () {
      const { validation, challenges, helper, listingId, requester, outsider } =
        await vHelpers.loadFixture(disputeFixture);
      const { roundId } = await helper.runRound(requester, listingId, [2000, 2000, 2000, 2000, 2000]);
      await challenges.connect(outsider).challenge(listingId, BOND, "ipfs://evidence");
      await expect(validation.finalizeRound(roundId))
        .to.emit(validation, "DisputeSkipped")
        .withArgs(roundId, listingId, Skip.ListingNotChallengeable, DISPUTE_COST, parseEther("2000"));
    });

    it("skips the dispute when the Court rejects it (no jurors), and the round still closes", async function () {
      const { validation, challenges, jurorPool, token, helper, listingId, requester, juror } =
        await vHelpers.loadFixture(disputeFixture);
      await jurorPool.connect(juror).requestUnstake(parseEther("1000"));
      const { roundId } = await helper.runRound(requester, listingId, [2000, 2000, 2000, 2000, 2000]);
      await expect(validation.finalizeRound(roundId))
        .to.emit(validation, "DisputeSkipped")
        .withArgs(roundId, listingId, Skip.CourtRejected, DISPUTE_COST, parseEther("2000"));
      expect(await validation.phaseOf(roundId)).to.equal(Phase.Finalized);
      expect(await token.allowance(await validation.getAddress(), await challenges.getAddress())).to.equal(0n);
    });

    it("does not challenge a listing at or above the minimum quality", async function () {
      const { validation, helper, listingId, requester } = await vHelpers.loadFixture(disputeFixture);
      const min = VALIDATION.minQualityBps;
      const { roundId } = await helper.runRound(requester, listingId, [min, min, min, min, min]);
      const tx = validation.finalizeRound(roundId);
      await expect(tx).not.to.emit(validation, "DisputeRequested");
      await expect(tx).not.to.emit(validation, "DisputeSkipped");
    });
  });

  it("reports the gas of register, open, draw, commit, reveal and finalize (figures for the benchmark file)", async function () {
    const { validation, validatorPool, helper, listingId, requester, spares } =
      await vHelpers.loadFixture(fundedFixture);
    const gas = async (tx: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>) =>
      (await (await tx).wait())!.gasUsed;
    const register = await gas(validatorPool.connect(spares[0]!).stake(parseEther("500")));
    for (const v of spares.slice(1)) await validatorPool.connect(v).stake(parseEther("500"));
    const open = await gas(validation.connect(requester).openRound(listingId));
    const draw = await gas(validation.drawCommittee(1n));
    const committee = await helper.committee(1n);
    const commit = await gas(helper.commit(committee[0]!, 1n, 7000));
    await helper.commitScores(1n, committee.slice(1), [7100, 6900, 7050, 7000]);
    const reveal = await gas(helper.reveal(committee[0]!, 1n));
    await helper.revealScores(1n, committee.slice(1));
    const finalize = await gas(validation.finalizeRound(1n));
    const claim = await gas(validation.connect(committee[0]!).claimRewards());
    console.log(
      `      gas: stake (new validator) ${register}, openRound ${open}, drawCommittee(k=5 of 15) ${draw}, commitScore ${commit}, ` +
        `revealScore ${reveal}, finalizeRound(k=5, all honest) ${finalize}, claimRewards ${claim}`,
    );
    expect(finalize).to.be.lessThan(600_000n);
  });

  describe("reverts", function () {
    it("rejects rounds on listings that are not Active, and a second live round on a listing", async function () {
      const { validation, helper, listingId, requester, provider, registry } =
        await vHelpers.loadFixture(deployValidationFixture);
      await expect(validation.openRound(99n))
        .to.be.revertedWithCustomError(validation, "ValidationListingNotActive")
        .withArgs(99n, ListingStatus.None);
      const bond = (await registry.parameters()).minBond;
      await registry.connect(provider).createListing(ZeroHash.replace(/0$/, "1"), "ipfs://m", "https://e", 1n, bond);
      await expect(validation.openRound(2n))
        .to.be.revertedWithCustomError(validation, "ValidationListingNotActive")
        .withArgs(2n, ListingStatus.Pending);
      const roundId = await helper.open(requester, listingId);
      await expect(validation.openRound(listingId))
        .to.be.revertedWithCustomError(validation, "ValidationRoundInProgress")
        .withArgs(listingId, roundId);
      await helper.draw(roundId);
      await expect(validation.openRound(listingId))
        .to.be.revertedWithCustomError(validation, "ValidationRoundInProgress")
        .withArgs(listingId, roundId);
    });

    it("rejects draws, commits, reveals and finalizations out of turn or by outsiders", async function () {
      const { validation, helper, listingId, requester, outsider, validators } =
        await vHelpers.loadFixture(deployValidationFixture);
      const [v, w] = [validators[0]!, validators[1]!];
      for (const call of [
        validation.drawCommittee(7n),
        validation.commitScore(7n, ZeroHash.replace(/0$/, "1")),
        validation.revealScore(7n, 1, ZeroHash),
        validation.finalizeRound(7n),
      ]) {
        await expect(call).to.be.revertedWithCustomError(validation, "ValidationRoundNotFound").withArgs(7n);
      }
      const roundId = await helper.open(requester, listingId);
      const some = scoreCommitment(7000, ZeroHash, v.address, roundId);
      await expect(validation.connect(v).commitScore(roundId, some))
        .to.be.revertedWithCustomError(validation, "ValidationWrongPhase")
        .withArgs(roundId, Phase.Drawing, Phase.Commit);
      await expect(validation.finalizeRound(roundId))
        .to.be.revertedWithCustomError(validation, "ValidationWrongPhase")
        .withArgs(roundId, Phase.Drawing, Phase.Finalizable);
      const committee = await helper.draw(roundId);
      await expect(validation.drawCommittee(roundId))
        .to.be.revertedWithCustomError(validation, "ValidationWrongPhase")
        .withArgs(roundId, Phase.Commit, Phase.Drawing);
      await expect(validation.connect(outsider).commitScore(roundId, some))
        .to.be.revertedWithCustomError(validation, "ValidationNotInCommittee")
        .withArgs(roundId, outsider.address);
      await expect(validation.connect(v).commitScore(roundId, ZeroHash)).to.be.revertedWithCustomError(
        validation,
        "ValidationInvalidCommitment",
      );
      await expect(validation.connect(v).revealScore(roundId, 7000, ZeroHash))
        .to.be.revertedWithCustomError(validation, "ValidationWrongPhase")
        .withArgs(roundId, Phase.Commit, Phase.Reveal);
      await helper.commit(v, roundId, 7000);
      await expect(validation.connect(v).commitScore(roundId, some))
        .to.be.revertedWithCustomError(validation, "ValidationAlreadyCommitted")
        .withArgs(roundId, v.address);
      await helper.commitScores(roundId, committee.slice(2), [7000, 7000, 7000]);
      await expect(validation.finalizeRound(roundId))
        .to.be.revertedWithCustomError(validation, "ValidationWrongPhase")
        .withArgs(roundId, Phase.Commit, Phase.Finalizable);

      await helper.waitForReveal(roundId);
      await expect(validation.connect(w).commitScore(roundId, some))
        .to.be.revertedWithCustomError(validation, "ValidationWrongPhase")
        .withArgs(roundId, Phase.Reveal, Phase.Commit);
      await expect(validation.connect(outsider).revealScore(roundId, 7000, ZeroHash))
        .to.be.revertedWithCustomError(validation, "ValidationNotInCommittee")
        .withArgs(roundId, outsider.address);
      await expect(validation.connect(w).revealScore(roundId, 7000, ZeroHash))
        .to.be.revertedWithCustomError(validation, "ValidationNotCommitted")
        .withArgs(roundId, w.address);
      await expect(validation.connect(v).revealScore(roundId, 10_001, ZeroHash))
        .to.be.revertedWithCustomError(validation, "ValidationInvalidScore")
        .withArgs(10_001n);
      const commitment = (await validation.memberOf(roundId, v.address)).commitment;
      const wrong = scoreCommitment(7001, ZeroHash, v.address, roundId);
      await expect(validation.connect(v).revealScore(roundId, 7001, ZeroHash))
        .to.be.revertedWithCustomError(validation, "ValidationRevealMismatch")
        .withArgs(roundId, v.address, commitment, wrong);
      await expect(validation.finalizeRound(roundId))
        .to.be.revertedWithCustomError(validation, "ValidationWrongPhase")
        .withArgs(roundId, Phase.Reveal, Phase.Finalizable);
      await helper.reveal(v, roundId);
      await expect(helper.reveal(v, roundId))
        .to.be.revertedWithCustomError(validation, "ValidationAlreadyRevealed")
        .withArgs(roundId, v.address);

      await helper.waitForFinalize(roundId);
      await expect(helper.reveal(committee[2]!, roundId))
        .to.be.revertedWithCustomError(validation, "ValidationWrongPhase")
        .withArgs(roundId, Phase.Finalizable, Phase.Reveal);
      await validation.finalizeRound(roundId);
      await expect(validation.finalizeRound(roundId))
        .to.be.revertedWithCustomError(validation, "ValidationWrongPhase")
        .withArgs(roundId, Phase.Finalized, Phase.Finalizable);
      expect(committee).to.have.length(5);
    });

    it("binds a commitment to its author: a copied commitment cannot be revealed by another member", async function () {
      const { validation, helper, listingId, requester } = await vHelpers.loadFixture(deployValidationFixture);
      const roundId = await helper.open(requester, listingId);
      const [author, copier] = await helper.draw(roundId);
      const salt = hexlify(randomBytes(32));
      const commitment = scoreCommitment(9000, salt, author!.address, roundId);
      await validation.connect(author!).commitScore(roundId, commitment);
      await validation.connect(copier!).commitScore(roundId, commitment);
      await helper.waitForReveal(roundId);
      await expect(validation.connect(copier!).revealScore(roundId, 9000, salt))
        .to.be.revertedWithCustomError(validation, "ValidationRevealMismatch")
        .withArgs(roundId, copier!.address, commitment, scoreCommitment(9000, salt, copier!.address, roundId));
    });
  });
});
