// The validators' pool appeals an automatic dispute it lost (ValidationManager.appealDispute): the subgraph records
// the appeal, linked to its dispute, with what the pool paid, as the contracts report it.
import { expect } from "chai";
import { id, parseEther } from "ethers";
import type { IndexerApp } from "../src/app.js";
import type { EntityData } from "../src/values.js";
import { sharedHardhatNode, temporaryDirectory } from "./helpers/chain.js";
import {
  DEFENDANT_WINS,
  deployMarketSystem,
  JUROR_STAKE,
  juryVotes,
  scoreRound,
  VALIDATOR_STAKE,
  type MarketSystem,
} from "./helpers/market.js";
import { syncedIndexer } from "./helpers/indexer.js";

const value = (data: EntityData | undefined, name: string): unknown => {
  if (data === undefined) throw new Error("entity not found");
  const v = data.get(name);
  return v === undefined || v.kind === "Null" ? null : v.value;
};

describe("subgraph mapping of the validators' pool appeals", function () {
  this.timeout(180_000);
  let dir: ReturnType<typeof temporaryDirectory>;
  let system: MarketSystem;
  let app: IndexerApp;
  let disputeId: bigint;
  let roundId: bigint;
  let fee: bigint;
  let appealTransaction: string;
  let returned: bigint;

  before(async () => {
    const chain = await sharedHardhatNode();
    dir = temporaryDirectory("curia-pool-appeal-");
    system = await deployMarketSystem(chain.url, dir.path);
    const { registry, court, jurorPool, validation, validatorPool, token, deployer, provider, consumer } = system;
    const appellant = system.validators[0]!; // it will reveal a score in the round that raises the dispute
    const time = system.connection.networkHelpers.time;

    // An active listing, validators and jurors, and a pool that can pay for a dispute and its appeal.
    const bond = (await registry.parameters()).minBond;
    await (
      await registry
        .connect(provider)
        .createListing(id("weak-model"), "ipfs://meta/weak", "https://weak.example/infer", parseEther("1"), bond)
    ).wait();
    const listingId = await registry.listingCount();
    await time.increaseTo((await registry.getListing(listingId)).activatesAt);
    await (await registry.activate(listingId)).wait();
    for (const v of system.validators) await (await validatorPool.connect(v).stake(VALIDATOR_STAKE)).wait();
    for (const juror of system.jurors) await (await jurorPool.connect(juror).stake(JUROR_STAKE)).wait();
    await (await token.connect(deployer).transfer(await validation.getAddress(), parseEther("20000"))).wait();

    // Every validator finds it poor: the round's median opens a dispute from the pool …
    roundId = await validation.connect(consumer).openRound.staticCall(listingId);
    await (await validation.connect(consumer).openRound(listingId)).wait();
    await scoreRound(system, roundId, [1_000, 1_000, 1_000, 1_000, 1_000]);
    await (await validation.finalizeRound(roundId)).wait();
    disputeId = await court.disputeCount();
    expect((await court.getDispute(disputeId)).challenger).to.equal(await validation.getAddress());

    // … whose first jury rules for the listing; a validator who revealed in that round has the pool appeal.
    await juryVotes(system, disputeId, DEFENDANT_WINS);
    const [, poolBefore] = await validation.totalOwed();
    const receipt = await (await validation.connect(appellant).appealDispute(disputeId)).wait();
    fee = poolBefore - (await validation.totalOwed())[1];
    appealTransaction = receipt!.hash;

    // The appeal jury rules for the listing too: the pool lost, and what of its bond the jurors do not take comes back.
    await juryVotes(system, disputeId, DEFENDANT_WINS);
    const [, poolBeforeRuling] = await validation.totalOwed();
    await (await system.courtHelper.execute(disputeId)).wait();
    returned = (await validation.totalOwed())[1] - poolBeforeRuling;

    app = await syncedIndexer(chain.url, system.deploymentPath, `${dir.path}/index.sqlite`);
  });

  after(async () => {
    await app?.close();
    dir?.remove();
  });

  it("records the appeal with its dispute, caller and the fee the pool paid", () => {
    expect(fee > 0n).to.equal(true);
    const appeals = app.store.loadWhere("ValidationPoolAppeal", "dispute", disputeId.toString());
    expect(appeals).to.have.length(1);
    const appeal = appeals[0]!;
    expect(value(appeal, "caller")).to.equal(system.validators[0]!.address.toLowerCase());
    expect(value(appeal, "fee")).to.equal(fee);
    expect(value(appeal, "transaction")).to.equal(appealTransaction);
    // The court saw the same appeal: the dispute has its second round.
    const dispute = app.store.load("Dispute", disputeId.toString());
    expect(value(dispute, "roundCount")).to.equal(2);
  });

  it("records what of the pool's bond came back to the pool once it finally lost (PooledBondReturned)", async () => {
    const dispute = app.store.load("Dispute", disputeId.toString());
    const challenge = await system.challenges.getChallenge(disputeId);
    expect(returned > 0n).to.equal(true);
    expect(value(dispute, "returnedToPool")).to.equal(returned);
    // The bond is split between the jurors and the pool; no winner's share is paid.
    expect((value(dispute, "returnedToPool") as bigint) + (value(dispute, "toJurors") as bigint)).to.equal(
      challenge.bond,
    );
    expect(value(dispute, "toWinner")).to.equal(0n);
  });

  it("records the pool's dispute as ListingChallenges opened it: the manager challenged with the pool's bond", async () => {
    const { challenges, validation } = system;
    const dispute = app.store.load("Dispute", disputeId.toString());
    const challenge = await challenges.getChallenge(disputeId);
    expect(value(dispute, "challenger")).to.equal((await validation.getAddress()).toLowerCase());
    expect(value(dispute, "bond"))
      .to.equal(challenge.bond)
      .and.equal((await challenges.parameters()).minChallengeBond);
    expect(value(dispute, "listing")).to.equal(challenge.listingId.toString());
    expect(value(dispute, "arbitrable")).to.equal((await challenges.getAddress()).toLowerCase());
    expect(value(app.store.load("ValidationRound", roundId.toString()), "dispute")).to.equal(disputeId.toString());
  });
});
