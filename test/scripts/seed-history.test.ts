// The demo's weeks of history (scripts/demo/seed-history.ts) on a fresh local deployment, after the seeds that come
// before it in `npm start`: the chain's blocks span two weeks and more, every day has purchases that grow, the curator's
// stake is all active, proposals settled on several days, validation rounds and disputes happened on days of their own
// with the outcomes the history plans, nothing of them is left locked or drawable, and the figures the earlier seeds
// left are untouched.
import { expect } from "chai";
import { parseEther } from "ethers";
import { ListingStatus, PenaltyReason, Period, ProposalState, RoundPhase, Ruling } from "@curia/protocol";
import {
  Court__factory,
  CurationPool__factory,
  CuriaGovernor__factory,
  CuriaToken__factory,
  ListingChallenges__factory,
  ListingRegistry__factory,
  StakePool__factory,
  ValidationManager__factory,
} from "../../types/ethers-contracts/index.js";
import { deploySystem, temporaryDirectory, type System } from "../../provider/test/helpers/chain.js";
import { seedGovernance } from "../../scripts/demo/seed-governance.js";
import { seedProposals } from "../../scripts/demo/seed-proposals.js";
import { DEMO_CONSUMER, DEMO_LISTINGS, seedMarketplace } from "../../scripts/demo/seed-marketplace.js";
import {
  HISTORY_BUYERS,
  HISTORY_CHALLENGE,
  HISTORY_CURATOR,
  HISTORY_DAYS,
  HISTORY_DISPUTES,
  HISTORY_LISTINGS,
  HISTORY_POOL_DISPUTE_DAY,
  HISTORY_ROUNDS,
  historyCalls,
  seedHistory,
} from "../../scripts/demo/seed-history.js";
import { HISTORY_JURORS, HISTORY_VALIDATORS } from "../../scripts/demo/history-court.js";
import { hardhatTestAccount } from "../../scripts/lib/dev-accounts.js";

const DAY = 86_400;

describe("demo history (scripts/demo/seed-history.ts)", function () {
  const dir = temporaryDirectory("curia-history-test-");
  let system: System;

  after(async function () {
    await system?.stop();
    dir.remove();
  });

  it("seeds two weeks of purchases, curator stakes, settled proposals, validation rounds and disputes, and leaves the demo's figures alone", async function () {
    // A node, a deployment and ~370 transactions: over `hardhat test mocha`'s 120 s on a busy machine.
    this.timeout(300_000);
    system = await deploySystem(dir.path);
    const accounts = await system.connection.ethers.getSigners();
    const { contracts } = system.record;
    const token = CuriaToken__factory.connect(contracts.CuriaToken!.proxy, accounts[0]);
    const registry = ListingRegistry__factory.connect(contracts.ListingRegistry!.proxy, accounts[0]);
    const curationPool = CurationPool__factory.connect(contracts.CurationPool!.proxy, accounts[0]);
    const governor = CuriaGovernor__factory.connect(contracts.CuriaGovernor!.proxy, accounts[0]);
    const validation = ValidationManager__factory.connect(contracts.ValidationManager!.proxy, accounts[0]);
    const court = Court__factory.connect(contracts.Court!.proxy, accounts[0]);
    const jurorPool = StakePool__factory.connect(contracts.JurorPool!.proxy, accounts[0]);
    const challenges = ListingChallenges__factory.connect(contracts.ListingChallenges!.proxy, accounts[0]);
    const validatorPool = StakePool__factory.connect(await validation.validatorPool(), accounts[0]);
    const seeded = { token, registry, curationPool, governor, validation, court, jurorPool, challenges };
    const provider = system.connection.ethers.provider;
    const increaseTime = async (seconds: number): Promise<void> => {
      await system.connection.networkHelpers.time.increase(seconds);
    };
    const now = async () => BigInt((await provider.getBlock("latest"))!.timestamp);
    await seedGovernance({ token, accounts });
    await seedProposals({ governor, token, registry, accounts, increaseTime });
    await seedMarketplace({ token, registry, curationPool, accounts, increaseTime });
    const firstBlock = (await provider.getBlock(1))!.timestamp;
    const feeBefore = (await registry.parameters()).protocolFeeBps;

    const history = await seedHistory({ ...seeded, accounts, provider, increaseTime, now });
    expect(history).to.not.equal(undefined);
    expect(history!.days).to.equal(HISTORY_DAYS);
    expect(Number(history!.to - history!.from)).to.be.at.least(14 * DAY);
    expect((await provider.getBlock("latest"))!.timestamp - firstBlock).to.be.at.least(14 * DAY);

    // One purchase per buyer, listing and day, each on its own day: the days' block timestamps are a day apart.
    const purchases = await registry.queryFilter(registry.filters.CallsPurchased());
    const historyBuyers = new Set(HISTORY_BUYERS.map((i) => hardhatTestAccount(i).address));
    const ours = purchases.filter((e) => historyBuyers.has(e.args.buyer));
    expect(ours).to.have.length(HISTORY_DAYS * HISTORY_BUYERS.length * HISTORY_LISTINGS.length);
    const days = new Set<number>();
    for (const e of ours) days.add(Math.floor((await e.getBlock()).timestamp / DAY));
    expect(days.size).to.be.at.least(HISTORY_DAYS - 1);
    for (const [b, index] of HISTORY_BUYERS.entries()) {
      for (const [l, listingId] of HISTORY_LISTINGS.entries()) {
        let total = 0n;
        for (let day = 0; day < HISTORY_DAYS; day++) total += historyCalls(day, l, b);
        expect(await registry.callsPurchased(listingId, hardhatTestAccount(index).address)).to.equal(total);
      }
    }
    // A rising trend: the last week sells more than the first.
    expect(historyCalls(HISTORY_DAYS - 1, 0, 0)).to.be.greaterThan(historyCalls(0, 0, 0));

    // The curator's stakes are active (the demo check compares the pool's active stake with the index).
    const curator = hardhatTestAccount(HISTORY_CURATOR).address;
    for (const listingId of [1n, 3n]) {
      const member = await curationPool.stakeOf(listingId, curator);
      expect(member.active, `listing ${listingId}`).to.be.greaterThan(0n);
      expect(member.warming, `listing ${listingId}`).to.equal(0n);
    }

    // The history's own day numbers: each of its days starts a day after the previous one (calendar days would split
    // a day's activity that runs past midnight UTC).
    const dayOf = async (event: { getBlock: () => Promise<{ timestamp: number }> }) =>
      Math.floor(((await event.getBlock()).timestamp - Number(history!.from)) / DAY);

    // Proposals settled on several days: executed and defeated; the fee is what the demo's executed proposal set.
    const created = await governor.queryFilter(governor.filters.ProposalCreated());
    const states = await Promise.all(created.map(async (e) => Number(await governor.state(e.args.proposalId))));
    expect(states.filter((s) => s === ProposalState.Executed).length).to.be.at.least(2);
    expect(states.filter((s) => s === ProposalState.Defeated).length).to.be.at.least(2);
    expect(created.length).to.equal(3 + history!.proposals);
    expect((await registry.parameters()).protocolFeeBps).to.equal(feeBefore);

    // A validation round on each planned day, each finalized with the planned median (its members' scores are a little
    // off the planned one; the low round's is under the minimum and opened the pool's dispute).
    const { minQualityBps } = await validation.parameters();
    expect(history!.rounds.map((r) => r.listingId)).to.deep.equal(HISTORY_ROUNDS.map((r) => r.listingId));
    const opened = await validation.queryFilter(validation.filters.RoundOpened());
    expect(opened).to.have.length(HISTORY_ROUNDS.length);
    expect(await Promise.all(opened.map(dayOf))).to.deep.equal(HISTORY_ROUNDS.map((r) => r.day));
    for (const [i, plan] of HISTORY_ROUNDS.entries()) {
      const outcome = history!.rounds[i]!;
      expect(Number(await validation.phaseOf(outcome.roundId))).to.equal(RoundPhase.Finalized);
      const round = await validation.getRound(outcome.roundId);
      expect(round.quorumReached, `round ${outcome.roundId}`).to.equal(true);
      expect(Number(round.medianBps)).to.be.within(plan.scoreBps - 100, plan.scoreBps + 110);
      const low = plan.day === HISTORY_POOL_DISPUTE_DAY;
      expect(round.medianBps < minQualityBps, `round ${outcome.roundId} low`).to.equal(low);
      expect(outcome.disputeId !== undefined, `round ${outcome.roundId} disputed`).to.equal(low);
    }
    for (const listingId of [3n, 4n]) {
      const last = history!.rounds.filter((r) => r.listingId === listingId).at(-1)!;
      expect(await registry.qualityOf(listingId)).to.equal(BigInt(last.medianBps));
    }
    // Scores varied: the outlier was penalized (a committee of one member has no outlier: 5 seats drawn from 5 equal
    // stakes, one in 625 rounds).
    // The low round's members who scored the listing below the minimum pay for it once the court keeps the listing
    // (issue 17's overturned committee); nobody else is penalized.
    const penalized = await validation.queryFilter(validation.filters.ValidatorPenalized());
    const overturned = penalized.filter((e) => Number(e.args.reason) === PenaltyReason.Overturned);
    const lowRound = history!.rounds.find((r) => r.disputeId !== undefined)!;
    expect(overturned.length).to.be.greaterThan(0, "the overturned low scorers lost their stake at risk");
    expect(overturned.map((e) => e.args.roundId)).to.deep.equal(overturned.map(() => lowRound.roundId));
    const outliers = history!.rounds.filter((r) => r.outlier);
    expect(penalized.filter((e) => !overturned.includes(e)).map((e) => e.args.roundId)).to.deep.equal(
      outliers.map((r) => r.roundId),
    );
    const planned = history!.rounds.filter((_, i) => HISTORY_ROUNDS[i]!.outlierBps !== undefined);
    expect(outliers).to.deep.equal(planned.filter((r) => r.members > 1));

    // Two disputes, opened and executed on days of their own, both ruled for the provider: the pool's (one juror
    // round) and the challenge appealed once (two); the listings are Active again and the court's next id is the
    // live demo's.
    expect(await court.disputeCount()).to.equal(BigInt(HISTORY_DISPUTES));
    expect(history!.disputes.map((d) => [d.listingId, d.rounds, d.ruling])).to.deep.equal([
      [HISTORY_ROUNDS.find((r) => r.day === HISTORY_POOL_DISPUTE_DAY)!.listingId, 1, Ruling.Defendant],
      [HISTORY_CHALLENGE.listingId, 2, Ruling.Defendant],
    ]);
    const disputeDays = await Promise.all((await court.queryFilter(court.filters.DisputeCreated())).map(dayOf));
    const executedDays = await Promise.all((await court.queryFilter(court.filters.RulingExecuted())).map(dayOf));
    expect(disputeDays).to.deep.equal([HISTORY_POOL_DISPUTE_DAY, HISTORY_CHALLENGE.day]);
    expect(executedDays).to.deep.equal(disputeDays);
    for (const { disputeId, listingId } of history!.disputes) {
      expect(Number(await court.periodOf(disputeId))).to.equal(Period.Executed);
      expect(Number(await registry.statusOf(listingId))).to.equal(ListingStatus.Active);
    }
    for (const listingId of [1n, 2n, 3n, 4n]) {
      expect(Number(await registry.statusOf(listingId)), `listing ${listingId}`).to.equal(ListingStatus.Active);
    }

    // The history's validators and jurors left: nothing staked, thawing or locked, nothing owed, no draw weight. A
    // round opened now seats only a validator who joins now (as the live demo's do).
    for (const [pool, indices] of [
      [validatorPool, HISTORY_VALIDATORS],
      [jurorPool, HISTORY_JURORS],
    ] as const) {
      for (const index of indices) {
        const address = hardhatTestAccount(index).address;
        const member = await pool.memberOf(address);
        expect([member.staked, member.thawing, member.locked], `#${index}`).to.deep.equal([0n, 0n, 0n]);
        expect((await pool.drawWeight(address)).weight).to.equal(0n);
      }
    }
    for (const index of HISTORY_VALIDATORS) {
      expect(await validation.rewardsOf(hardhatTestAccount(index).address)).to.equal(0n);
    }
    const live = accounts[17]!;
    await (await token.transfer(live.address, parseEther("1000"))).wait();
    await (await token.connect(live).approve(await validatorPool.getAddress(), parseEther("1000"))).wait();
    await (await validatorPool.connect(live).stake(parseEther("1000"))).wait();
    const snapshot = await system.connection.networkHelpers.takeSnapshot();
    const liveRound = (await validation.roundCount()) + 1n;
    await (await validation.openRound(1n)).wait();
    await system.connection.networkHelpers.mine(2);
    await (await validation.drawCommittee(liveRound)).wait();
    expect([...new Set(await validation.committeeOf(liveRound))]).to.deep.equal([live.address]);
    await snapshot.restore();

    // The demo consumer's and curators' own figures (start.test.ts checks them exactly) did not move.
    for (const [i, listing] of DEMO_LISTINGS.entries()) {
      for (const { account, calls } of listing.purchases) {
        expect(await registry.callsPurchased(BigInt(i + 1), hardhatTestAccount(account).address)).to.equal(calls);
      }
    }
    expect(DEMO_LISTINGS.some((l) => l.purchases.some((p) => p.account === DEMO_CONSUMER))).to.equal(true);

    // Seeded once: a second run leaves the chain as it is.
    expect(await seedHistory({ ...seeded, accounts, provider, increaseTime, now })).to.equal(undefined);
  });
});
