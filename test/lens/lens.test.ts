// CuriaLens: each aggregated view equals what the core contracts answer one call at a time.
import { expect } from "chai";
import { Period, RoundPhase } from "@curia/protocol";
import { deployValidationFixture, vHelpers } from "../helpers/validation.js";
import { CourtHelper } from "../../scripts/drivers/court.js";

describe("CuriaLens", function () {
  it("answers a validator's stake and rewards, a round with its committee, and a listing", async function () {
    const f = await vHelpers.loadFixture(deployValidationFixture);
    const { validation, validatorPool, registry, helper, listingId, requester, validators, token, deployer } = f;
    const lens = f.lens;
    await token.connect(deployer).transfer(await validation.getAddress(), 10n ** 21n);
    const { roundId, committee } = await helper.runRound(requester, listingId, [7000, 7100, 6900, 7000, 7050]);
    await validation.finalizeRound(roundId);

    const info = await lens.roundInfo(roundId);
    expect(info.committee).to.deep.equal(committee.map((m) => m.address));
    expect(Number(info.phase)).to.equal(RoundPhase.Finalized);
    expect(info.round.medianBps).to.equal((await validation.getRound(roundId)).medianBps);
    for (const [i, member] of committee.entries()) {
      expect(info.members[i]!.scoreBps).to.equal((await validation.memberOf(roundId, member.address)).scoreBps);
    }

    const v = validators[0]!;
    const stake = await lens.validatorInfo(v.address);
    const member = await validatorPool.memberOf(v.address);
    expect([stake.stake.staked, stake.stake.locked, stake.stake.thawing]).to.deep.equal([
      member.staked,
      member.locked,
      member.thawing,
    ]);
    const [weight, total] = await validatorPool.drawWeight(v.address);
    expect([stake.weight, stake.totalWeight]).to.deep.equal([weight, total]);
    expect(stake.rewards)
      .to.equal(await validation.rewardsOf(v.address))
      .and.be.greaterThan(0n);

    const listing = await lens.listingInfo(listingId);
    expect(listing.listing.provider).to.equal((await registry.getListing(listingId)).provider);
    expect(listing.status).to.equal(await registry.statusOf(listingId));
    expect(listing.qualityBps)
      .to.equal(await registry.qualityOf(listingId))
      .and.equal(7_000n);
    expect(listing.lastRoundId).to.equal(roundId);
  });

  it("answers a dispute with every round, its period, ruling and appeal cost, and a juror's stake", async function () {
    const f = await vHelpers.loadFixture(deployValidationFixture);
    const { court, challenges, jurorPool, juror, outsider, listingId, lens } = f;
    const courtHelper = new CourtHelper(court, challenges, [juror], vHelpers);
    const disputeId = await courtHelper.challenge(outsider, listingId);
    await courtHelper.runRound(disputeId, () => 2);

    const info = await lens.disputeInfo(disputeId);
    expect(Number(info.period)).to.equal(Period.Appeal);
    expect(info.dispute.challenger).to.equal(outsider.address);
    expect(info.rounds).to.have.length(1);
    expect(info.rounds[0]!.seats).to.equal((await court.getRound(disputeId, 0n)).seats);
    expect(info.currentRuling).to.equal(await court.currentRuling(disputeId));
    expect(info.appealCost).to.equal(await court.appealCost(disputeId));
    await courtHelper.execute(disputeId);
    expect((await lens.disputeInfo(disputeId)).appealCost).to.equal(0n, "no appeal once executed");

    const stake = await lens.jurorInfo(juror.address);
    expect(stake.stake.staked).to.equal((await jurorPool.memberOf(juror.address)).staked);
    expect(stake.rewards).to.equal(0n);
  });
});
