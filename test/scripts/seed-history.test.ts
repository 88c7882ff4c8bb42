// The demo's weeks of history (scripts/demo/seed-history.ts) on a fresh local deployment, after the seeds that come
// before it in `npm start`: the chain's blocks span two weeks and more, every day has purchases that grow, the curator's
// stake is all active, proposals settled on several days, and the figures the earlier seeds left are untouched.
import { expect } from "chai";
import { ProposalState } from "@curia/protocol";
import {
  CurationPool__factory,
  CuriaGovernor__factory,
  CuriaToken__factory,
  ListingRegistry__factory,
} from "../../types/ethers-contracts/index.js";
import { deploySystem, temporaryDirectory, type System } from "../../provider/test/helpers/chain.js";
import { seedGovernance } from "../../scripts/demo/seed-governance.js";
import { seedProposals } from "../../scripts/demo/seed-proposals.js";
import { DEMO_CONSUMER, DEMO_LISTINGS, seedMarketplace } from "../../scripts/demo/seed-marketplace.js";
import {
  HISTORY_BUYERS,
  HISTORY_CURATOR,
  HISTORY_DAYS,
  HISTORY_LISTINGS,
  historyCalls,
  seedHistory,
} from "../../scripts/demo/seed-history.js";
import { hardhatTestAccount } from "../../scripts/lib/dev-accounts.js";

const DAY = 86_400;

describe("demo history (scripts/demo/seed-history.ts)", function () {
  const dir = temporaryDirectory("curia-history-test-");
  let system: System;

  after(async function () {
    await system?.stop();
    dir.remove();
  });

  it("seeds two weeks of daily purchases, curator stakes and settled proposals, and leaves the demo's figures alone", async function () {
    // A node, a deployment and ~150 transactions: over `hardhat test mocha`'s 120 s on a busy machine.
    this.timeout(300_000);
    system = await deploySystem(dir.path);
    const accounts = await system.connection.ethers.getSigners();
    const { contracts } = system.record;
    const token = CuriaToken__factory.connect(contracts.CuriaToken!.proxy, accounts[0]);
    const registry = ListingRegistry__factory.connect(contracts.ListingRegistry!.proxy, accounts[0]);
    const curationPool = CurationPool__factory.connect(contracts.CurationPool!.proxy, accounts[0]);
    const governor = CuriaGovernor__factory.connect(contracts.CuriaGovernor!.proxy, accounts[0]);
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

    const history = await seedHistory({
      token,
      registry,
      curationPool,
      governor,
      accounts,
      provider,
      increaseTime,
      now,
    });
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

    // Proposals settled on several days: executed and defeated; the fee is what the demo's executed proposal set.
    const created = await governor.queryFilter(governor.filters.ProposalCreated());
    const states = await Promise.all(created.map(async (e) => Number(await governor.state(e.args.proposalId))));
    expect(states.filter((s) => s === ProposalState.Executed).length).to.be.at.least(2);
    expect(states.filter((s) => s === ProposalState.Defeated).length).to.be.at.least(2);
    expect(created.length).to.equal(3 + history!.proposals);
    expect((await registry.parameters()).protocolFeeBps).to.equal(feeBefore);

    // The demo consumer's and curators' own figures (start.test.ts checks them exactly) did not move.
    for (const [i, listing] of DEMO_LISTINGS.entries()) {
      for (const { account, calls } of listing.purchases) {
        expect(await registry.callsPurchased(BigInt(i + 1), hardhatTestAccount(account).address)).to.equal(calls);
      }
    }
    expect(DEMO_LISTINGS.some((l) => l.purchases.some((p) => p.account === DEMO_CONSUMER))).to.equal(true);

    // Seeded once: a second run leaves the chain as it is.
    expect(
      await seedHistory({ token, registry, curationPool, governor, accounts, provider, increaseTime, now }),
    ).to.equal(undefined);
  });
});
