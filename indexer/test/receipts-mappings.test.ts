// Mapping tests of issue 16's events: a listing's serving keys, its escrowed, released and slashed earnings, and a
// consumer's receipt filed as a fraud proof. The built subgraph WASM runs on the events of real transactions on a
// Hardhat chain, and the entities it writes are compared with what the contracts report.
import { readFileSync } from "node:fs";
import { expect } from "chai";
import { dataHash, inferenceDomain, receiptDigest, toDataURI, type Hex, type InferenceReceipt } from "@curia/protocol";
import { signReceipt } from "@curia/protocol/ethers";
import { id, parseEther, Wallet } from "ethers";
import type { IndexerApp } from "../src/app.js";
import type { EntityData, StoreValue } from "../src/values.js";
import { sharedHardhatNode, temporaryDirectory } from "./helpers/chain.js";
import { deployMarketSystem, JUROR_STAKE, PRICE, type MarketSystem } from "./helpers/market.js";
import { syncedIndexer } from "./helpers/indexer.js";

function field(data: EntityData | undefined, name: string): unknown {
  if (data === undefined) throw new Error("entity not found");
  const value: StoreValue | undefined = data.get(name);
  if (value === undefined || value.kind === "Null") return null;
  return value.value;
}

describe("subgraph mappings of receipts, fraud proofs and escrowed earnings", function () {
  this.timeout(180_000);
  let dir: ReturnType<typeof temporaryDirectory>;
  let system: MarketSystem;
  let app: IndexerApp;
  let honestId: bigint;
  let cheaterId: bigint;
  let disputeId: bigint;
  let openDisputeId: bigint;
  let receipt: InferenceReceipt;
  let digest: Hex;
  const newKey = Wallet.createRandom();
  const input = new Uint8Array(new Float32Array(784).fill(0.25).buffer);
  const output = new Uint8Array(new Float32Array(10).fill(0.1).buffer);
  const lower = (address: string) => address.toLowerCase();
  const load = (type: string, entityId: string) => app.store.load(type, entityId);

  before(async () => {
    const chain = await sharedHardhatNode();
    dir = temporaryDirectory("curia-receipts-mappings-");
    system = await deployMarketSystem(chain.url, dir.path);
    const { registry, jurorPool, provider, consumer, courtHelper, connection } = system;
    for (const juror of system.jurors) await (await jurorPool.connect(juror).stake(JUROR_STAKE)).wait();
    const time = connection.networkHelpers.time;
    const bond = (await registry.parameters()).minBond;
    const list = async (name: string) => {
      await (
        await registry
          .connect(provider)
          .createListing(id(name), `ipfs://meta/${name}`, `https://${name}.example`, PRICE, bond)
      ).wait();
      return registry.listingCount();
    };
    honestId = await list("honest");
    cheaterId = await list("validator-aware");
    await time.increaseTo((await registry.getListing(cheaterId)).activatesAt);
    for (const listing of [honestId, cheaterId]) {
      await (await registry.connect(consumer).purchase(listing, 100n, consumer.address, PRICE)).wait();
    }
    // The honest provider rotates its serving key and, two escrow periods on, its earnings are released.
    await (await registry.connect(provider).setServingKey(honestId, newKey.address)).wait();
    const [, , due] = await registry.escrowOf(honestId);
    await time.increaseTo(due);
    await (await registry.releaseEarnings(honestId)).wait();
    // The cheater's answer to the consumer, under its signature, is filed as a fraud proof; the jury delists it.
    await (await registry.connect(consumer).purchase(cheaterId, 10n, consumer.address, PRICE)).wait();
    const { chainId } = await connection.ethers.provider.getNetwork();
    const domain = inferenceDomain(chainId, await registry.getAddress());
    receipt = {
      listingId: cheaterId,
      modelHash: (await registry.getListing(cheaterId)).modelHash as Hex,
      caller: consumer.address as Hex,
      nonce: 42n,
      inputHash: dataHash(input),
      outputHash: dataHash(output),
      servedAt: BigInt(await time.latest()),
    };
    digest = receiptDigest(domain, receipt);
    const signature = await signReceipt(provider, domain, receipt);
    disputeId = await courtHelper.fileFraudProof(consumer, receipt, signature, toDataURI(input), toDataURI(output));
    const jury = await courtHelper.drawJury(disputeId);
    await courtHelper.commitVotes(disputeId, jury, () => 1);
    await courtHelper.waitForReveal(disputeId);
    await courtHelper.revealVotes(disputeId, jury);
    await (await courtHelper.execute(disputeId)).wait();
    // Recorded again without a dispute (any status): its first filing date stands.
    await (await system.challenges.connect(consumer).recordReceipt(receipt, signature)).wait();
    // A curated listing's challenge is left open: its curators' exits stay frozen meanwhile.
    await (await system.curationPool.connect(system.curatorA).stake(honestId, parseEther("500"))).wait();
    openDisputeId = await courtHelper.challenge(system.challenger, honestId, "ipfs://open-challenge");
    app = await syncedIndexer(chain.url, system.deploymentPath, `${dir.path}/index.sqlite`);
  });

  after(async () => {
    await app?.close();
    dir?.remove();
  });

  it("records each serving key with the time it started signing, and the listing's current key", async () => {
    const { registry, provider } = system;
    const listing = load("Listing", honestId.toString());
    expect(field(listing, "servingKey"))
      .to.equal(lower(newKey.address))
      .and.equal(lower(await registry.servingKeyOf(honestId)));
    const changes = app.store.loadWhere("ServingKeyChange", "listing", honestId.toString());
    const byKey = new Map(changes.map((c) => [field(c, "key"), c]));
    const first = byKey.get(lower(provider.address));
    const second = byKey.get(lower(newKey.address));
    expect(field(first, "previousKey")).to.equal(null);
    expect(field(first, "validFrom")).to.equal((await registry.servingKeyPeriod(honestId, provider.address)).validFrom);
    expect(field(second, "previousKey")).to.equal(lower(provider.address));
    expect(field(second, "validFrom")).to.equal((await registry.servingKeyPeriod(honestId, newKey.address)).validFrom);
  });

  it("follows the earnings from escrow to the provider, and to the slash on a delisting", async () => {
    const { registry } = system;
    const honest = load("Listing", honestId.toString());
    const [locked, releasable] = await registry.escrowOf(honestId);
    expect(field(honest, "escrowedEarnings"))
      .to.equal(locked + releasable)
      .and.equal(0n);
    expect(field(honest, "earningsReleased")).to.equal(field(honest, "providerRevenue"));
    const cheater = load("Listing", cheaterId.toString());
    expect(field(cheater, "status")).to.equal("Delisted");
    expect(field(cheater, "escrowedEarnings")).to.equal(0n);
    // Its first sales were two periods old at its last purchase, which released them: only the last were slashed.
    const released = field(cheater, "earningsReleased") as bigint;
    expect(released).to.be.greaterThan(0n);
    expect(field(cheater, "escrowSlashed")).to.equal((field(cheater, "providerRevenue") as bigint) - released);
    expect(await registry.earningsOf(system.provider.address)).to.equal(
      released + (field(honest, "earningsReleased") as bigint),
    );
    const bond = (await registry.parameters()).minBond;
    expect(field(cheater, "bondSlashed")).to.equal(bond + (field(cheater, "escrowSlashed") as bigint));
  });

  it("records which dispute freezes a listing's curators' exits, and clears it when the dispute is resolved", async () => {
    const { curationPool } = system;
    const open = load("Listing", honestId.toString());
    expect(field(open, "curatorExitsFrozenBy")).to.equal(openDisputeId.toString());
    expect((await curationPool.listingPool(honestId)).frozenBy).to.equal(openDisputeId);
    const resolved = load("Listing", cheaterId.toString());
    expect(field(resolved, "curatorExitsFrozenBy")).to.equal(null);
    expect((await curationPool.listingPool(cheaterId)).frozenBy).to.equal(0n);
  });

  it("records the pause guardian's term, and only parameter names the schema's GovernedParameter enum declares", async () => {
    const { registry } = system;
    const changes = app.store
      .loadWhere("ParameterChange", "contract", lower(await registry.getAddress()))
      .filter((c) => field(c, "parameter") === "PauseGuardianTerm");
    const [, , , guardian, , termEnd] = await registry.addresses();
    expect(changes.map((c) => [field(c, "key"), field(c, "newValue")])).to.deep.include([
      lower(guardian),
      termEnd.toString(),
    ]);
    // graph-node refuses an enum value the schema does not declare: every recorded parameter must be declared.
    const schema = readFileSync(new URL("../../subgraph/schema.graphql", import.meta.url), "utf8");
    const body = /enum GovernedParameter \{([^}]*)\}/.exec(schema)![1]!;
    const declared = new Set(
      body
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => /^[A-Z]\w*$/.test(line)),
    );
    const recorded = new Set(
      ["ListingRegistry", "ListingChallenges", "CurationPool", "Court", "ValidationManager", "CuriaGovernor"]
        .map((name) => system.record.contracts[name as "Court"]?.proxy)
        .filter((address): address is string => address !== undefined)
        .flatMap((address) => app.store.loadWhere("ParameterChange", "contract", lower(address)))
        .map((c) => field(c, "parameter") as string),
    );
    expect(recorded.has("EarningsEscrowPeriod")).to.equal(true);
    for (const parameter of recorded) expect(declared.has(parameter), `${parameter} declared`).to.equal(true);
  });

  it("records a receipt recorded without a dispute, with its first filing date", async () => {
    const { challenges, consumer } = system;
    const records = app.store.loadWhere("ReceiptRecord", "listing", cheaterId.toString());
    expect(records).to.have.length(1);
    expect(field(records[0], "receiptDigest")).to.equal(digest);
    expect(field(records[0], "recordedBy")).to.equal(lower(consumer.address));
    expect(field(records[0], "firstFiledAt")).to.equal(await challenges.receiptFirstFiledAt(digest));
    expect(field(records[0], "firstFiledAt")).to.equal(field(load("FraudProof", disputeId.toString()), "timestamp"));
  });

  it("records the fraud proof: the receipt, its signer, the published data, linked to its dispute and listing", async () => {
    const { consumer, provider } = system;
    const proof = load("FraudProof", disputeId.toString());
    expect(field(proof, "dispute")).to.equal(disputeId.toString());
    expect(field(proof, "listing")).to.equal(cheaterId.toString());
    expect(field(proof, "filer")).to.equal(lower(consumer.address));
    expect(field(proof, "signer")).to.equal(lower(provider.address));
    expect(field(proof, "receiptDigest")).to.equal(digest);
    expect(field(proof, "caller")).to.equal(lower(consumer.address));
    expect(field(proof, "nonce")).to.equal(42n);
    expect(field(proof, "inputHash")).to.equal(receipt.inputHash);
    expect(field(proof, "outputHash")).to.equal(receipt.outputHash);
    expect(field(proof, "servedAt")).to.equal(receipt.servedAt);
    expect(field(proof, "inputURI")).to.equal(toDataURI(input));
    expect(field(proof, "outputURI")).to.equal(toDataURI(output));
    const dispute = load("Dispute", disputeId.toString());
    expect(field(dispute, "ruling")).to.equal("Challenger");
    expect(field(dispute, "challenger")).to.equal(lower(consumer.address));
  });
});
