// Mapping tests of the marketplace, curation, stake pools, court, listing challenges and validation contracts: the
// built subgraph WASM runs on the events of real transactions on a Hardhat chain (deployed by deployCuria), and the
// entities it writes are compared with what the contracts themselves report.
import { expect } from "chai";
import type { AddressInfo } from "node:net";
import { id, MaxUint256, ZeroAddress } from "ethers";
import type { IndexerApp } from "../src/app.js";
import { QueryExecutor } from "../src/graphql/executor.js";
import { createQueryServer } from "../src/server.js";
import type { EntityData, StoreValue } from "../src/values.js";
import { sharedHardhatNode, temporaryDirectory } from "./helpers/chain.js";
import {
  APPEAL_CONTRIBUTION,
  deployMarketSystem,
  JUROR_STAKE,
  JUROR_UNSTAKE,
  MEDIAN,
  NEW_PRICE,
  runMarketStory,
  SCORES,
  STAKE_A,
  STAKE_B,
  STAKE_ON_CHALLENGED,
  UNSTAKE_B,
  VALIDATOR_STAKE,
  type MarketStory,
  type MarketSystem,
} from "./helpers/market.js";
import { syncedIndexer } from "./helpers/indexer.js";

function field(data: EntityData | undefined, name: string): unknown {
  if (data === undefined) throw new Error("entity not found");
  const value: StoreValue | undefined = data.get(name);
  if (value === undefined || value.kind === "Null") return null;
  if (value.kind === "Array") return value.value.map((v) => (v.kind === "Null" ? null : v.value));
  return value.value;
}

describe("subgraph mappings of the marketplace, curation, stake pools, court, challenges and validation", function () {
  this.timeout(180_000);
  let dir: ReturnType<typeof temporaryDirectory>;
  let system: MarketSystem;
  let story: MarketStory;
  let app: IndexerApp;
  const lower = (address: string) => address.toLowerCase();
  const load = (type: string, entityId: string) => app.store.load(type, entityId);
  const where = (type: string, key: string, value: string) => app.store.loadWhere(type, key, value);

  before(async () => {
    const chain = await sharedHardhatNode();
    dir = temporaryDirectory("curia-market-mappings-");
    system = await deployMarketSystem(chain.url, dir.path);
    story = await runMarketStory(system);
    app = await syncedIndexer(chain.url, system.deploymentPath, `${dir.path}/index.sqlite`);
  });

  after(async () => {
    await app?.close();
    dir?.remove();
  });

  describe("listings and purchases", () => {
    it("records the listing as the registry holds it: provider, hash, URIs, price, bond, status, quality", async () => {
      const { registry, provider } = system;
      const listing = load("Listing", story.listingId.toString());
      const stored = await registry.getListing(story.listingId);
      expect(field(listing, "provider")).to.equal(lower(provider.address));
      expect(field(listing, "modelHash")).to.equal(id("mnist-mlp"));
      expect(field(listing, "metadataURI")).to.equal(stored.metadataURI).and.equal("ipfs://meta/mnist-mlp-v2");
      expect(field(listing, "endpointURI")).to.equal(stored.endpointURI).and.equal("https://v2.example/infer");
      expect(field(listing, "pricePerCall")).to.equal(stored.pricePerCall).and.equal(NEW_PRICE);
      expect(field(listing, "bond")).to.equal(stored.bond);
      expect(field(listing, "activatesAt")).to.equal(stored.activatesAt);
      expect(field(listing, "paused")).to.equal(stored.paused).and.equal(false);
      expect(field(listing, "status")).to.equal("Active");
      expect(await registry.statusOf(story.listingId)).to.equal(2n);
      expect(field(listing, "qualityBps")).to.equal(Number(await registry.qualityOf(story.listingId)));
      expect(field(listing, "qualityBps")).to.equal(MEDIAN);
      expect(field(listing, "withdrawableAt")).to.equal(null);
    });

    it("records each purchase immutably and totals calls, revenue and fees", async () => {
      const { registry, consumer, curatorB } = system;
      const purchases = where("Purchase", "listing", story.listingId.toString());
      expect(purchases).to.have.length(2);
      expect(app.store.schema.entities.get("Purchase")!.immutable).to.equal(true);
      const calls = purchases.map((p) => field(p, "calls") as bigint);
      expect(calls).to.have.members([50n, 100n]);
      const listing = load("Listing", story.listingId.toString());
      const sold =
        (await registry.callsPurchased(story.listingId, consumer.address)) +
        (await registry.callsPurchased(story.listingId, curatorB.address));
      expect(field(listing, "callsSold")).to.equal(sold);
      expect(field(listing, "purchaseCount")).to.equal(2);
      const revenue = purchases.reduce((sum, p) => sum + (field(p, "cost") as bigint), 0n);
      expect(field(listing, "revenue"))
        .to.equal(revenue)
        .and.equal(100n * 2n * 10n ** 18n + 50n * NEW_PRICE);
      // The provider's part waits in the listing's escrow (released or not yet): together, its revenue.
      const [locked, releasable] = await registry.escrowOf(story.listingId);
      const released = await registry.earningsOf(system.provider.address);
      expect(field(listing, "providerRevenue")).to.equal(locked + releasable + released);
      expect(field(listing, "escrowedEarnings")).to.equal(
        (field(listing, "providerRevenue") as bigint) - (field(listing, "earningsReleased") as bigint),
      );
      for (const p of purchases) {
        const parts = ["providerAmount", "treasuryFee", "curatorFee", "validatorFee"].map((k) => field(p, k) as bigint);
        expect(parts.reduce((a, b) => a + b, 0n)).to.equal(field(p, "cost"));
      }
      const beneficiaries = purchases.map((p) => field(p, "beneficiary"));
      expect(beneficiaries).to.have.members([lower(consumer.address), lower(curatorB.address)]);
    });

    it("keeps the quality history from the validation round", async () => {
      const updates = where("QualityUpdate", "listing", story.listingId.toString());
      expect(updates).to.have.length(1);
      const defaultQuality = (await system.registry.parameters()).defaultQualityBps;
      expect(field(updates[0], "oldQualityBps")).to.equal(Number(defaultQuality));
      expect(field(updates[0], "newQualityBps")).to.equal(MEDIAN);
    });
  });

  describe("curation", () => {
    it("tracks each curator's shares, stake, thawing and claimed rewards like the pool", async () => {
      const { curationPool, curatorA, curatorB } = system;
      for (const curator of [curatorA, curatorB]) {
        const position = load("CurationPosition", `${story.listingId}-${lower(curator.address)}`);
        const onChain = await curationPool.positionOf(story.listingId, curator.address);
        const [active, thawing, warming] = await curationPool.stakeOf(story.listingId, curator.address);
        expect(field(position, "shares"), curator.address).to.equal(onChain.shares);
        expect(field(position, "thawingShares")).to.equal(onChain.thawingShares);
        expect(field(position, "warmingShares")).to.equal(onChain.warmingShares).and.equal(0n);
        expect(field(position, "stake")).to.equal(active);
        expect(field(position, "thawingStake")).to.equal(thawing);
        expect(field(position, "warmingStake")).to.equal(warming);
      }
      const b = load("CurationPosition", `${story.listingId}-${lower(curatorB.address)}`);
      expect(field(b, "stake")).to.equal(STAKE_B - UNSTAKE_B);
      expect(field(b, "totalWithdrawn")).to.equal(UNSTAKE_B);
      expect(field(b, "thawEnd")).to.equal(null);
      const a = load("CurationPosition", `${story.listingId}-${lower(curatorA.address)}`);
      expect(field(a, "stake")).to.equal(STAKE_A);
      expect(field(a, "rewardsClaimed")).to.equal(story.claimed);
      expect(story.claimed > 0n).to.equal(true);
      const pool = await curationPool.listingPool(story.listingId);
      const listing = load("Listing", story.listingId.toString());
      expect(field(listing, "curatorShares")).to.equal(pool.activeShares);
      expect(field(listing, "curatorStake")).to.equal(pool.activeStake);
      expect(field(listing, "curatorThawingStake")).to.equal(pool.thawingStake);
      expect(field(listing, "curatorWarmingShares")).to.equal(pool.warmingShares);
      expect(field(listing, "curatorWarmingStake")).to.equal(pool.warmingStake);
      expect(field(listing, "rewardPerShare")).to.equal(pool.rewardPerShare);
    });

    it("settles each position's unclaimed rewards by reward per share, as the pool's claimable()", async () => {
      const { curationPool, curatorA, curatorB } = system;
      const rewardPerShare = field(load("Listing", story.listingId.toString()), "rewardPerShare") as bigint;
      for (const curator of [curatorA, curatorB]) {
        const position = load("CurationPosition", `${story.listingId}-${lower(curator.address)}`);
        const onChain = await curationPool.positionOf(story.listingId, curator.address);
        expect(field(position, "unclaimedRewards"), curator.address).to.equal(onChain.rewards);
        expect(field(position, "rewardDebt"), curator.address).to.equal(onChain.rewardDebt);
        const shares = field(position, "shares") as bigint;
        const claimable = (field(position, "unclaimedRewards") as bigint) + (shares * rewardPerShare) / 10n ** 27n;
        expect(claimable - (field(position, "rewardDebt") as bigint)).to.equal(
          await curationPool.claimable(story.listingId, curator.address),
        );
      }
      // B's last event (the withdrawal) came after both purchases: its share of their fees is settled and unclaimed.
      const b = load("CurationPosition", `${story.listingId}-${lower(curatorB.address)}`);
      expect((field(b, "unclaimedRewards") as bigint) > 0n).to.equal(true);
      // A claimed everything it had earned.
      const a = load("CurationPosition", `${story.listingId}-${lower(curatorA.address)}`);
      expect(field(a, "unclaimedRewards")).to.equal(0n);
    });

    it("records every curation event immutably", () => {
      const events = where("CurationEvent", "listing", story.listingId.toString());
      expect(events.map((e) => field(e, "kind"))).to.have.members([
        "Staked",
        "Staked",
        "Activated",
        "Activated",
        "Claimed",
        "UnstakeRequested",
        "Withdrawn",
      ]);
      const unstake = events.find((e) => field(e, "kind") === "UnstakeRequested");
      expect(field(unstake, "amount")).to.equal(UNSTAKE_B);
      expect(field(unstake, "thawEnd")).to.be.a("bigint");
      expect(app.store.schema.entities.get("CurationEvent")!.immutable).to.equal(true);
    });
  });

  describe("court and listing challenges", () => {
    it("records the dispute, its ruling and the delisting as the court, challenges and registry report them", async () => {
      const { court, challenges, registry, curationPool, challenger, provider } = system;
      const dispute = load("Dispute", story.disputeId.toString());
      const stored = await court.getDispute(story.disputeId);
      const challenge = await challenges.getChallenge(story.disputeId);
      const challengesAddress = lower(await challenges.getAddress());
      expect(field(dispute, "listing"))
        .to.equal(story.challengedId.toString())
        .and.equal(challenge.listingId.toString());
      expect(field(dispute, "arbitrable")).to.equal(lower(stored.arbitrable)).and.equal(challengesAddress);
      expect(field(dispute, "subjectId")).to.equal(challenge.listingId).and.equal(story.challengedId);
      expect(field(dispute, "challenger")).to.equal(lower(challenger.address)).and.equal(lower(stored.challenger));
      expect(field(dispute, "defendant")).to.equal(lower(provider.address)).and.equal(lower(stored.defendant));
      expect(field(dispute, "bond"))
        .to.equal(challenge.bond)
        .and.equal((await challenges.parameters()).minChallengeBond);
      // The fee paid for the first round: what the round holds now plus what its draw paid whoever drew the seats.
      const firstRound = load("DisputeRound", `${story.disputeId}-0`);
      const drawRewards = field(firstRound, "drawRewards") as bigint;
      expect(drawRewards).to.equal(
        ((await court.arbitrationCost()) * BigInt((await court.parameters()).drawRewardBps)) / 10_000n,
      );
      expect(field(dispute, "fee")).to.equal((await court.getRound(story.disputeId, 0n)).fees + drawRewards);
      expect(field(dispute, "fee")).to.equal(await court.arbitrationCost());
      const [, , , metaEvidenceId] = await challenges.addresses();
      expect(field(dispute, "metaEvidenceId")).to.equal(metaEvidenceId);
      expect(field(dispute, "metaEvidence")).to.equal(`${challengesAddress}-${metaEvidenceId}`);
      expect(field(dispute, "roundCount")).to.equal(Number(stored.rounds));
      expect(field(dispute, "period")).to.equal("Executed");
      expect(await court.periodOf(story.disputeId)).to.equal(7n);
      expect(field(dispute, "ruling")).to.equal("Challenger");
      expect(Number(stored.ruling)).to.equal(1);
      expect(field(dispute, "byDao")).to.equal(false);
      expect(field(dispute, "winner")).to.equal(lower(challenger.address));
      const slash = (STAKE_ON_CHALLENGED * 2_000n) / 10_000n;
      expect(field(dispute, "curatorSlash")).to.equal(slash);

      const listing = load("Listing", story.challengedId.toString());
      expect(field(listing, "status")).to.equal("Delisted");
      expect(await registry.statusOf(story.challengedId)).to.equal(4n);
      expect(field(listing, "bond")).to.equal((await registry.getListing(story.challengedId)).bond);
      // The loser's stake is the provider's bond alone: the curators' slash went to the treasury.
      expect(field(listing, "bondSlashed")).to.equal(field(dispute, "loserStake"));
      expect(field(listing, "activeDispute")).to.equal(null);
      const pool = await curationPool.listingPool(story.challengedId);
      expect(field(listing, "curatorStake")).to.equal(pool.activeStake);
      expect(field(listing, "curatorWarmingStake")).to.equal(pool.warmingStake);
      expect(pool.warmingStake).to.equal(
        STAKE_ON_CHALLENGED - slash,
        "the stake was still warming: slashed all the same",
      );
      const slashed = where("CurationEvent", "listing", story.challengedId.toString()).filter(
        (e) => field(e, "kind") === "Slashed",
      );
      // One record for the warming stake, one for the active and thawing stake (none).
      expect(slashed.map((e) => field(e, "amount"))).to.have.members([slash, 0n]);
      expect(where("Evidence", "dispute", story.disputeId.toString()).map((e) => field(e, "uri"))).to.have.members([
        "ipfs://e/1",
        "ipfs://e/defence",
      ]);
    });

    it("splits the loser's stake as ListingChallenges and the Court reported it when the ruling executed", async () => {
      const { court, challenges } = system;
      const dispute = load("Dispute", story.disputeId.toString());
      const receipt = await system.connection.ethers.provider.getTransactionReceipt(story.executeTransaction);
      const parsed = receipt!.logs.map((log) => {
        const address = log.address.toLowerCase();
        if (address === lower(system.record.contracts.Court!.proxy)) return court.interface.parseLog(log);
        if (address === lower(system.record.contracts.ListingChallenges!.proxy))
          return challenges.interface.parseLog(log);
        return null;
      });
      const resolved = parsed.find((e) => e?.name === "ChallengeResolved")!;
      const executed = parsed.find((e) => e?.name === "RulingExecuted")!;
      expect(field(dispute, "winner")).to.equal(lower(resolved.args.winner as string));
      expect(field(dispute, "loserStake")).to.equal(resolved.args.loserStake);
      expect(field(dispute, "curatorSlash")).to.equal(resolved.args.curatorSlash);
      expect(field(dispute, "toWinner")).to.equal(resolved.args.toWinner);
      expect(field(dispute, "toJurors")).to.equal(resolved.args.toJurors);
      expect(field(dispute, "jurorReward")).to.equal(executed.args.jurorReward).and.equal(resolved.args.toJurors);
      // The treasury's share of the loser's stake, which the court pulled with the jurors' share and set aside, plus
      // what no coherent seat earned (none: every seat was coherent).
      expect(executed.args.toTreasury).to.equal(resolved.args.toTreasury);
      expect(field(dispute, "toTreasury")).to.equal(executed.args.toTreasury);
      // The split follows the governed shares and pays out the whole loser's stake.
      const shares = await challenges.parameters();
      const loserStake = field(dispute, "loserStake") as bigint;
      expect(field(dispute, "toWinner")).to.equal((loserStake * shares.winnerShareBps) / 10_000n);
      expect(field(dispute, "toJurors")).to.equal((loserStake * shares.jurorShareBps) / 10_000n);
      const paid = ["toWinner", "toJurors", "toTreasury"].map((k) => field(dispute, k) as bigint);
      expect(paid.reduce((a, b) => a + b, 0n)).to.equal(loserStake);
      // The coherent jurors of the (last) round share its fees and the jurors' reward.
      const round = load("DisputeRound", `${story.disputeId}-0`);
      expect(field(round, "rewardPool")).to.equal(
        (field(round, "fees") as bigint) + (field(dispute, "jurorReward") as bigint),
      );
    });

    it("records contributions to a crowdfunded appeal and what came back, as ListingChallenges holds them", async () => {
      const { challenges, provider } = system;
      const dispute = load("Dispute", story.disputeId.toString());
      expect(field(dispute, "crowdfundedAppeals")).to.equal(0);
      expect(field(dispute, "defaultRuling")).to.equal(null);
      const [contribution] = where("AppealContribution", "dispute", story.disputeId.toString());
      const funding = await challenges.appealFundingOf(story.disputeId, 0n);
      expect(field(contribution, "contributor")).to.equal(lower(provider.address));
      expect([field(contribution, "round"), field(contribution, "side")]).to.deep.equal([0n, 2]);
      expect(field(contribution, "amount")).to.equal(APPEAL_CONTRIBUTION);
      expect(field(contribution, "sidePaid")).to.equal(funding.paid[2]);
      const [required] = [field(contribution, "sideRequired") as bigint];
      expect(required > APPEAL_CONTRIBUTION, "the side was not funded").to.equal(true);
      expect(funding.funded[2]).to.equal(false);
      const [withdrawal] = where("AppealWithdrawal", "dispute", story.disputeId.toString());
      expect(field(withdrawal, "amount")).to.equal(APPEAL_CONTRIBUTION);
      expect(await challenges.appealContributionOf(story.disputeId, 0n, provider.address)).to.deep.equal([0n, 0n]);
    });

    it("records the policy jurors apply as ERC-1497 meta-evidence, linked to its disputes", async () => {
      const { challenges } = system;
      const [, , , metaEvidenceId] = await challenges.addresses();
      const challengesAddress = lower(await challenges.getAddress());
      const metaEvidence = load("MetaEvidence", `${challengesAddress}-${metaEvidenceId}`);
      expect(field(metaEvidence, "arbitrable")).to.equal(challengesAddress);
      expect(field(metaEvidence, "metaEvidenceId")).to.equal(metaEvidenceId);
      const { LOCAL_CONFIG } = await import("../../deploy/config.js");
      expect(field(metaEvidence, "uri")).to.equal(LOCAL_CONFIG.court.listingMetaEvidenceURI);
      expect(app.store.schema.entities.get("MetaEvidence")!.immutable).to.equal(true);
      expect(app.store.schema.entities.get("Evidence")!.immutable).to.equal(true);
    });

    it("records the round, each juror's seats, commit, reveal and settlement", async () => {
      const { court } = system;
      const roundId = `${story.disputeId}-0`;
      const round = load("DisputeRound", roundId);
      const stored = await court.getRound(story.disputeId, 0n);
      expect(field(round, "seats")).to.equal(Number(stored.seats));
      expect(field(round, "drawn")).to.equal(Number(stored.drawn));
      expect(field(round, "drawDeadline")).to.equal(stored.drawDeadline);
      expect(field(round, "drawExpired")).to.equal(false);
      expect(field(round, "fees"), "the fees left once the keeper was paid").to.equal(stored.fees);
      expect(field(round, "seatStake"))
        .to.equal(stored.seatStake)
        .and.equal((await court.parameters()).seatStake);
      expect(field(round, "challengerVotes")).to.equal(Number(stored.challengerVotes));
      expect(field(round, "defendantVotes")).to.equal(0);
      expect(field(round, "commitEnd")).to.equal(stored.commitEnd);
      expect(field(round, "appealEnd")).to.equal(stored.appealEnd);
      expect(field(round, "coherentSeats")).to.equal(Number(stored.coherentSeats));
      expect(field(round, "rewardPool")).to.equal(stored.rewardPool);
      expect(field(round, "committedJurors")).to.equal(story.jury.length);
      const votes = where("JurorVote", "round", roundId);
      expect(votes).to.have.length(story.jury.length);
      for (const juror of story.jury) {
        const vote = load("JurorVote", `${roundId}-${lower(juror.address)}`);
        const onChain = await court.voteOf(story.disputeId, 0n, juror.address);
        expect(field(vote, "seats")).to.equal(Number(onChain.seats));
        expect(field(vote, "commitment")).to.equal(onChain.commitment);
        expect(field(vote, "choice")).to.equal("Challenger");
        expect(field(vote, "settled")).to.equal(onChain.settled).and.equal(true);
        expect(field(vote, "coherent")).to.equal(true);
        const records = where("JurorVoteRecord", "vote", `${roundId}-${lower(juror.address)}`);
        expect(records.map((r) => field(r, "kind"))).to.have.members(["Committed", "Revealed", "Settled"]);
      }
    });
  });

  describe("stake pools", () => {
    it("keeps every juror's staked, thawing and locked stake equal to the jurors' pool's", async () => {
      const { jurorPool } = system;
      for (const juror of system.jurors) {
        const entity = load("Juror", lower(juror.address));
        const onChain = await jurorPool.memberOf(juror.address);
        expect(field(entity, "staked"), juror.address).to.equal(onChain.staked);
        expect(field(entity, "thawing")).to.equal(onChain.thawing);
        expect(field(entity, "locked")).to.equal(onChain.locked).and.equal(0n);
      }
      const first = load("Juror", lower(story.jury[0]!.address));
      expect((field(first, "rewards") as bigint) > 0n).to.equal(true);
      expect(field(first, "thawing")).to.equal(JUROR_UNSTAKE);
      expect(field(first, "thawEnd")).to.equal((await jurorPool.memberOf(story.jury[0]!.address)).thawEnd);
      const [stakes] = await jurorPool.totalOwed();
      expect(field(load("Protocol", "curia"), "jurorStake")).to.equal(stakes);
      expect(stakes >= JUROR_STAKE * BigInt(system.jurors.length)).to.equal(true);
      // What the court set aside for the treasury and nobody swept yet, as the court reports it.
      expect(field(load("Protocol", "curia"), "courtTreasuryOwed")).to.equal((await system.court.totalOwed())[3]);
      // The draw rewards credited to whoever drew the juries and not claimed yet, as the court reports them.
      const { court } = system;
      const drawn = await court.drawRewardsOf(
        await (court.runner as unknown as { getAddress(): Promise<string> }).getAddress(),
      );
      expect(drawn > 0n).to.equal(true);
      expect(field(load("Protocol", "curia"), "courtDrawRewardsOwed")).to.equal(drawn);
    });

    it("records each juror's stake, the seats' locks and releases, and the unstake request", async () => {
      const { court, jurorPool } = system;
      const seatStake = (await court.getRound(story.disputeId, 0n)).seatStake;
      const first = story.jury[0]!;
      for (const juror of story.jury) {
        const events = where("StakeEvent", "juror", lower(juror.address));
        expect(events.every((e) => field(e, "pool") === "JurorPool" && field(e, "validator") === null)).to.equal(true);
        const staked = events.filter((e) => field(e, "kind") === "Staked");
        expect(staked.map((e) => field(e, "amount"))).to.deep.equal([JUROR_STAKE]);
        expect(field(staked[0], "payer")).to.equal(lower(juror.address));
        // One lock per seat, and one release of them all when the vote was settled, with nothing slashed.
        const seats = (await court.voteOf(story.disputeId, 0n, juror.address)).seats;
        const locks = events.filter((e) => field(e, "kind") === "Locked");
        expect(locks).to.have.length(Number(seats));
        expect(locks.every((e) => field(e, "amount") === seatStake)).to.equal(true);
        const releases = events.filter((e) => field(e, "kind") === "Released");
        expect(releases.map((e) => field(e, "amount"))).to.deep.equal([seatStake * seats]);
        expect(field(releases[0], "slashed")).to.equal(0n);
        expect(field(releases[0], "locked")).to.equal(0n);
        const unstakes = events.filter((e) => field(e, "kind") === "UnstakeRequested");
        expect(unstakes).to.have.length(juror === first ? 1 : 0);
      }
      const [unstake] = where("StakeEvent", "juror", lower(first.address)).filter(
        (e) => field(e, "kind") === "UnstakeRequested",
      );
      const member = await jurorPool.memberOf(first.address);
      expect(field(unstake, "amount")).to.equal(JUROR_UNSTAKE);
      expect(field(unstake, "thawEnd")).to.equal(member.thawEnd);
      expect(field(unstake, "staked")).to.equal(member.staked);
      expect(field(unstake, "thawing")).to.equal(member.thawing);
      expect(app.store.schema.entities.get("StakeEvent")!.immutable).to.equal(true);
    });

    it("keeps every validator's stake, lock and rewards equal to the validators' pool and the manager", async () => {
      const { validation, validatorPool } = system;
      for (const v of system.validators) {
        const entity = load("Validator", lower(v.address));
        const onChain = await validatorPool.memberOf(v.address);
        expect(field(entity, "staked"), v.address).to.equal(onChain.staked);
        expect(field(entity, "thawing")).to.equal(onChain.thawing);
        expect(field(entity, "locked")).to.equal(onChain.locked).and.equal(0n);
        // Registered while it has stake in the pool: all but the outlier, who withdrew everything.
        expect(field(entity, "registered")).to.equal(onChain.staked + onChain.thawing > 0n);
        expect(field(entity, "registered")).to.equal(v !== story.exited);
        expect(field(entity, "rewardsCredited")).to.equal(await validation.rewardsOf(v.address));
      }
      const [stakes] = await validatorPool.totalOwed();
      expect(field(load("Protocol", "curia"), "validatorStake")).to.equal(stakes);
    });

    it("records the outlier's stake, lock, slash and exit from the validators' pool", async () => {
      const events = where("StakeEvent", "validator", lower(story.exited.address));
      expect(events.every((e) => field(e, "pool") === "ValidatorPool" && field(e, "juror") === null)).to.equal(true);
      expect(events.map((e) => field(e, "kind"))).to.have.members([
        "Staked",
        "Locked",
        "Released",
        "UnstakeRequested",
        "Withdrawn",
      ]);
      const member = load("CommitteeMember", `${story.roundId}-${lower(story.exited.address)}`);
      const penalty = field(member, "penalty") as bigint;
      expect(penalty > 0n).to.equal(true);
      const byKind = (kind: string) => events.find((e) => field(e, "kind") === kind);
      expect(field(byKind("Staked"), "amount")).to.equal(VALIDATOR_STAKE);
      expect(field(byKind("Locked"), "amount")).to.equal(field(member, "stakeAtRisk"));
      expect(field(byKind("Released"), "amount")).to.equal(field(member, "stakeAtRisk"));
      expect(field(byKind("Released"), "slashed")).to.equal(penalty);
      // All of its stake thawed before the round closed: the penalty came out of thawing stake.
      expect(field(byKind("UnstakeRequested"), "amount")).to.equal(VALIDATOR_STAKE);
      expect(field(byKind("Released"), "staked")).to.equal(0n);
      expect(field(byKind("Released"), "thawing")).to.equal(VALIDATOR_STAKE - penalty);
      expect(field(byKind("Released"), "locked")).to.equal(0n);
      expect(field(byKind("Withdrawn"), "amount")).to.equal(VALIDATOR_STAKE - penalty);
      expect(field(byKind("Withdrawn"), "thawing")).to.equal(0n);
      expect(field(load("Validator", lower(story.exited.address)), "penalties")).to.equal(penalty);
    });
  });

  describe("validation", () => {
    it("records the round, its committee, scores, median, penalties and rewards", async () => {
      const { validation } = system;
      const round = load("ValidationRound", story.roundId.toString());
      const stored = await validation.getRound(story.roundId);
      expect(field(round, "listing")).to.equal(story.listingId.toString());
      expect(field(round, "status")).to.equal("Finalized");
      expect(field(round, "medianBps")).to.equal(Number(stored.medianBps)).and.equal(MEDIAN);
      expect(field(round, "quorumReached")).to.equal(stored.quorumReached);
      expect(field(round, "revealedCount")).to.equal(Number(stored.revealed));
      expect(field(round, "committedCount")).to.equal(Number(stored.committed));
      expect(field(round, "seats")).to.equal(Number(stored.seated)).and.equal(SCORES.length);
      expect(field(round, "commitEnd")).to.equal(stored.commitEnd);
      expect(field(round, "pricePerCall")).to.equal(stored.pricePerCall);
      expect(stored.pricePerCall > 0n, "the listing's price when the round opened").to.equal(true);
      expect(field(round, "committee")).to.deep.equal(story.committee.map((m) => lower(m.address)));
      for (const [i, member] of story.committee.entries()) {
        const entity = load("CommitteeMember", `${story.roundId}-${lower(member.address)}`);
        const onChain = await validation.memberOf(story.roundId, member.address);
        expect(field(entity, "scoreBps")).to.equal(Number(onChain.scoreBps)).and.equal(SCORES[i]);
        expect(field(entity, "commitment")).to.equal(onChain.commitment);
        expect(field(entity, "stakeAtRisk")).to.equal(onChain.stakeAtRisk);
        expect(field(entity, "seats")).to.equal(Number(onChain.seats));
        // Reimbursed calls are part of the reward: both come from each member's ValidatorRewarded.
        const rewarded = (
          await validation.queryFilter(validation.filters.ValidatorRewarded(story.roundId, member.address))
        )[0];
        expect(field(entity, "reward")).to.equal(rewarded?.args.amount ?? 0n);
        expect(field(entity, "reimbursed")).to.equal(rewarded?.args.reimbursed ?? 0n);
        const reports = where("ValidatorReport", "member", `${story.roundId}-${lower(member.address)}`);
        const kinds = reports.map((r) => field(r, "kind"));
        expect(kinds).to.include.members(["Committed", "Revealed"]);
        if (i === SCORES.length - 1) {
          expect(kinds).to.include("Penalized");
          expect((field(entity, "penalty") as bigint) > 0n).to.equal(true);
        } else expect(field(entity, "penalty")).to.equal(0n);
      }
      expect(app.store.schema.entities.get("ValidatorReport")!.immutable).to.equal(true);
    });
  });

  describe("query API", () => {
    it("serves the new entities and their @derivedFrom links over GraphQL", async () => {
      const server = createQueryServer({ executor: new QueryExecutor(app.store) });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      try {
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/subgraphs/name/curia`;
        const text = `{
          listing(id: "${story.challengedId}") {
            status
            disputes { ruling period bond jurorReward metaEvidence { uri } rounds { votes { choice seats } } }
          }
          validationRounds { medianBps members(orderBy: scoreBps) { scoreBps } listing { qualityBps } }
          validators(where: { registered: false }) { id stakeEvents(orderBy: blockNumber) { kind pool } }
        }`;
        const response = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ query: text }),
        });
        const body = (await response.json()) as {
          data?: {
            listing: {
              status: string;
              disputes: {
                ruling: string;
                bond: string;
                jurorReward: string;
                metaEvidence: { uri: string } | null;
                rounds: { votes: { choice: string }[] }[];
              }[];
            };
            validationRounds: { medianBps: number; members: { scoreBps: number }[]; listing: { qualityBps: number } }[];
            validators: { id: string; stakeEvents: { kind: string; pool: string }[] }[];
          };
          errors?: unknown;
        };
        expect(body.errors).to.equal(undefined);
        expect(body.data!.listing.status).to.equal("Delisted");
        const [dispute] = body.data!.listing.disputes;
        expect(dispute!.ruling).to.equal("Challenger");
        const challenge = await system.challenges.getChallenge(story.disputeId);
        expect(BigInt(dispute!.bond)).to.equal(challenge.bond);
        expect(BigInt(dispute!.jurorReward) > 0n).to.equal(true);
        expect(dispute!.metaEvidence!.uri).to.match(/^ipfs:\/\//);
        const validators = body.data!.validators;
        expect(validators.map((v) => v.id)).to.deep.equal([lower(story.exited.address)]);
        // In order: its unstake request came while its stake at risk was still locked.
        expect(validators[0]!.stakeEvents.map((e) => e.kind)).to.deep.equal([
          "Staked",
          "Locked",
          "UnstakeRequested",
          "Released",
          "Withdrawn",
        ]);
        expect(validators[0]!.stakeEvents.every((e) => e.pool === "ValidatorPool")).to.equal(true);
        const votes = body.data!.listing.disputes[0]!.rounds[0]!.votes;
        expect(votes.map((v) => v.choice)).to.deep.equal(story.jury.map(() => "Challenger"));
        const [round] = body.data!.validationRounds;
        expect(round!.medianBps).to.equal(MEDIAN);
        expect(round!.members.map((m) => m.scoreBps)).to.deep.equal([...SCORES].sort((a, b) => a - b));
        expect(round!.listing.qualityBps).to.equal(MEDIAN);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });
  });

  describe("settings and statistics", () => {
    it("records the deploy-time wiring as parameter changes and every proxy's implementation", async () => {
      const contracts = system.record.contracts;
      const address = (name: keyof typeof contracts) => lower(contracts[name]!.proxy);
      const changes = (name: keyof typeof contracts, parameter: string) =>
        where("ParameterChange", "contract", address(name)).filter((c) => field(c, "parameter") === parameter);
      const challenges = address("ListingChallenges");
      expect(changes("ListingRegistry", "ChallengeRole").map((c) => field(c, "newValue"))).to.include(challenges);
      // ListingChallenges holds no role in the CurationPool (a delisting slashes through the registry): the pool's
      // slasher is the zero address its initializer set.
      expect(changes("CurationPool", "Slasher").map((c) => field(c, "newValue"))).to.deep.equal([ZeroAddress]);
      const arbitrable = changes("Court", "Arbitrable");
      expect(arbitrable.map((c) => [field(c, "key"), field(c, "newValue")])).to.deep.include([challenges, "true"]);
      expect(changes("ValidationManager", "Challenges").map((c) => field(c, "newValue"))).to.include(challenges);
      expect(changes("JurorPool", "Manager").map((c) => field(c, "newValue"))).to.deep.equal([address("Court")]);
      expect(changes("ValidatorPool", "Manager").map((c) => field(c, "newValue"))).to.deep.equal([
        address("ValidationManager"),
      ]);
      // The initial governed figures of every struct of settings, one row per field, as the contracts hold them.
      const { jurorPool, validatorPool, court } = system;
      for (const [name, pool] of [
        ["JurorPool", jurorPool],
        ["ValidatorPool", validatorPool],
      ] as const) {
        const rows = changes(name, "PoolParameters");
        const parameters = await pool.parameters();
        expect(rows.map((c) => [field(c, "key"), field(c, "newValue")])).to.have.deep.members([
          ["minStake", parameters.minStake.toString()],
          ["thawingPeriod", parameters.thawingPeriod.toString()],
        ]);
      }
      const challengeRows = changes("ListingChallenges", "ChallengeParameters");
      const challengeParameters = await system.challenges.parameters();
      expect(challengeRows.find((c) => field(c, "key") === "minChallengeBond")).to.not.equal(undefined);
      expect(
        field(
          challengeRows.find((c) => field(c, "key") === "minChallengeBond"),
          "newValue",
        ),
      ).to.equal(challengeParameters.minChallengeBond.toString());
      const courtRows = changes("Court", "CourtParameters");
      expect(
        field(
          courtRows.find((c) => field(c, "key") === "seatStake"),
          "newValue",
        ),
      ).to.equal((await court.parameters()).seatStake.toString());
      expect(changes("ListingChallenges", "ListingMetaEvidence").map((c) => field(c, "newValue"))).to.deep.equal([
        (await system.challenges.addresses())[3].toString(),
      ]);
      for (const name of [
        "ListingRegistry",
        "ListingChallenges",
        "CurationPool",
        "Court",
        "JurorPool",
        "ValidationManager",
        "ValidatorPool",
      ] as const) {
        const governed = load("GovernedContract", address(name));
        expect(field(governed, "kind"), name).to.equal(name);
        expect(field(governed, "implementation"), name).to.equal(lower(contracts[name]!.implementation));
      }
    });

    it("counts listings, purchases, fees, disputes and stakes", async () => {
      const protocol = load("Protocol", "curia");
      expect(field(protocol, "listingCount")).to.equal(Number(await system.registry.listingCount()));
      expect(field(protocol, "disputeCount")).to.equal(Number(await system.court.disputeCount()));
      expect(field(protocol, "validationRoundCount")).to.equal(Number(await system.validation.roundCount()));
      const [curatorStake] = await system.curationPool.totalOwed();
      expect(field(protocol, "curatorStake")).to.equal(curatorStake);
      const stats = app.store.dumpAll(false).DailyStat!;
      const sum = (key: string) => stats.reduce((acc, s) => acc + Number(s[key]), 0);
      expect(sum("listingsCreated")).to.equal(2);
      expect(sum("purchases")).to.equal(2);
      expect(sum("disputesCreated")).to.equal(1);
      expect(sum("disputesExecuted")).to.equal(1);
      expect(sum("validationRoundsOpened")).to.equal(1);
      const fees = stats.reduce((acc, s) => acc + (field(load("DailyStat", String(s.id)), "fees") as bigint), 0n);
      expect(fees).to.equal(field(protocol, "totalFees"));
      expect((field(protocol, "totalFees") as bigint) > 0n).to.equal(true);
    });
  });
  describe("rewards accrued after a position's last event", () => {
    // Runs last: it buys more calls on the story's listing, which the other tests' counts do not expect.
    it("gives the claimable amount from the position and the listing's reward per share", async () => {
      const { registry, curationPool, consumer, curatorA, curatorB } = system;
      await (await registry.connect(consumer).purchase(story.listingId, 70n, consumer.address, MaxUint256)).wait();
      await app.indexer.syncToLatest();
      const rewardPerShare = field(load("Listing", story.listingId.toString()), "rewardPerShare") as bigint;
      expect(rewardPerShare).to.equal((await curationPool.listingPool(story.listingId)).rewardPerShare);
      for (const curator of [curatorA, curatorB]) {
        const position = load("CurationPosition", `${story.listingId}-${lower(curator.address)}`);
        const shares = field(position, "shares") as bigint;
        const claimable =
          (field(position, "unclaimedRewards") as bigint) +
          (shares * rewardPerShare) / 10n ** 27n -
          (field(position, "rewardDebt") as bigint);
        expect(claimable, curator.address).to.equal(await curationPool.claimable(story.listingId, curator.address));
      }
      // A had claimed everything before this purchase: all it can claim now comes from the formula.
      const a = load("CurationPosition", `${story.listingId}-${lower(curatorA.address)}`);
      expect(field(a, "unclaimedRewards")).to.equal(0n);
      expect((await curationPool.claimable(story.listingId, curatorA.address)) > 0n).to.equal(true);
    });
  });
});
