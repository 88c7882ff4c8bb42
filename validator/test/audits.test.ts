// Receipts on real traffic (issue 16): a consumer's client refuses an answer without a valid receipt; the audits it
// forwards are checked (serving key, hashes) and stored by the validator's audit server; a round with enough audits
// scores the listing from them, re-executing each audited input, without buying a single probe. A validator-aware
// provider (the listed model to validators, a cheaper one to consumers) is caught by what its consumers received.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { parseEther, type JsonRpcProvider } from "ethers";
import { RoundPhase, inferenceDomain, receiptFromWire, receiptToWire, toDataURI } from "@curia/protocol";
import { ChainClock, connectRpc, signReceipt } from "@curia/protocol/ethers";
import { AuditStore, type AuditServer } from "../src/audits.js";
import { readAddresses } from "../src/chain.js";
import { InferenceClient, ProviderRefusedError, type ReceivedAnswer } from "../src/client.js";
import { devAccount } from "../src/keys.js";
import { createLogger } from "../src/log.js";
import { INPUT_SIZE, evalPool } from "../src/model/dataset.js";
import { listingKeysOf } from "../src/receipts.js";
import { probeBuyerWallet } from "../src/probes/buyers.js";
import { ValidatorService } from "../src/service.js";
import { StateStore, type RoundRecord } from "../src/state.js";
import { Verifier } from "../src/verify.js";
import { ACCOUNTS, deploySystem, fundedProbeFunder, temporaryDirectory, type System } from "./helpers/chain.js";
import { immediateProbes, localAuditServer, onDevChain } from "./helpers/service.js";
import { listReferenceModel, setEndpoint, startProvider, type RunningProvider } from "./helpers/providers.js";
import { waitFor } from "./helpers/wait.js";

const VALIDATOR = 13;
const AUDITS = 4;
const PER_CALL = 5;

describe("receipts on consumer traffic: refused without one, audited, scored", function () {
  const dir = temporaryDirectory("curia-audits-test-");
  let system: System;
  let rpc: JsonRpcProvider;
  const providers: Record<string, RunningProvider> = {};
  const listings: Record<string, bigint> = {};
  let client: InferenceClient;
  let clock: ChainClock;
  const answers: ReceivedAnswer[] = [];
  let store: AuditStore;
  let state: StateStore;
  let server: AuditServer;
  let auditUrl: string;
  let service: ValidatorService;
  let verifier: Verifier;

  const post = async (body: unknown) => {
    const response = await fetch(auditUrl, { method: "POST", body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as { error?: { code: string }; stored?: boolean } };
  };
  const auditOf = (a: ReceivedAnswer) => ({
    receipt: a.receiptWire,
    inputURI: toDataURI(a.input),
    outputURI: toDataURI(a.output),
  });

  before(async function () {
    system = await deploySystem(dir.path);
    const consumer = system.signer(ACCOUNTS.consumer);
    for (const [name, owner, mode, fault] of [
      ["honest", ACCOUNTS.provider, "honest", "none"],
      ["cheap", ACCOUNTS.cheater, "degraded", "none"], // what the validator-aware provider serves its consumers
      ["probed", ACCOUNTS.provider, "honest", "none"],
      ["no-receipt", ACCOUNTS.provider, "honest", "no-receipt"],
      ["wrong-hash", ACCOUNTS.provider, "honest", "wrong-output-hash"],
    ] as const) {
      listings[name] = await listReferenceModel(system, owner, name);
      providers[name] = await startProvider(system, mode, [listings[name]], fault);
      await setEndpoint(system, owner, listings[name], providers[name].url);
      const price = (await system.registry.getListing(listings[name])).pricePerCall;
      await (await system.registry.connect(consumer).purchase(listings[name], 100n, consumer.address, price)).wait();
    }
    const domain = inferenceDomain(system.record.chainId, await system.registry.getAddress());
    clock = await ChainClock.start(system.connection.ethers.provider, 500);
    for (const p of Object.values(providers)) await p.clock.refresh(); // later listings moved the chain's time
    client = new InferenceClient(consumer, domain, listingKeysOf(system.registry), {
      attempts: 1,
      chainNow: () => clock.now(),
      onAnswer: (a) => answers.push(a),
    });
    const addresses = readAddresses(system.deploymentPath);
    rpc = await connectRpc(system.chain.url, addresses, 200);
    const { wallet, label } = devAccount(VALIDATOR, rpc);
    state = new StateStore(join(dir.path, "state"), wallet.address);
    store = new AuditStore(state.dir, AUDITS);
    const log = createLogger("validator", { level: "error" });
    server = await localAuditServer(system, store, log);
    auditUrl = `${await server.listen(0)}/audits`;
    verifier = new Verifier({ fetch: { ipfsGateway: "http://127.0.0.1:1" }, samples: 20, log });
    service = new ValidatorService({
      ...onDevChain(),
      wallet,
      keyLabel: label,
      addresses,
      provider: rpc,
      verifier,
      state,
      log,
      keeper: true,
      probes: immediateProbes(await fundedProbeFunder(system, rpc, addresses.token)),
      audits: { store, minAudits: 3 },
    });
    await service.ensureRegistered(parseEther("1000"));
  });

  after(async function () {
    await service?.stop();
    clock?.stop();
    await server?.close();
    await verifier?.close();
    for (const p of Object.values(providers)) await p.close();
    rpc?.destroy();
    dir.remove();
  });

  const images = (call: number) =>
    evalPool().images.slice(call * PER_CALL * INPUT_SIZE, (call + 1) * PER_CALL * INPUT_SIZE);

  it("refuses an answer without a receipt, and one whose receipt is not of the output received", async function () {
    for (const [name, pattern] of [
      ["no-receipt", /answer refused, the answer carries no receipt/],
      ["wrong-hash", /answer refused, the receipt's outputHash is not of the output received/],
    ] as const) {
      try {
        await client.infer(providers[name]!.url, listings[name]!, images(0), PER_CALL);
        expect.fail(`accepted an answer of ${name}`);
      } catch (error) {
        expect(error).to.be.instanceOf(ProviderRefusedError);
        expect((error as ProviderRefusedError).code).to.equal("bad_receipt");
        expect((error as Error).message).to.match(pattern);
      }
    }
    expect(answers).to.have.length(0);
  });

  it("keeps each accepted answer with its receipt, signed by the listing's serving key", async function () {
    for (const name of ["honest", "cheap"]) {
      for (let call = 0; call < AUDITS; call++)
        await client.infer(providers[name]!.url, listings[name]!, images(call), PER_CALL);
    }
    expect(answers).to.have.length(2 * AUDITS);
    expect(answers[0]!.signer).to.equal(await system.registry.servingKeyOf(listings.honest!));
    expect(answers[AUDITS]!.signer).to.equal(system.signer(ACCOUNTS.cheater).address);
  });

  it("audit server: stores checked audits on disk, refuses forged, mismatched, duplicate and excess ones", async function () {
    for (const a of answers) expect((await post(auditOf(a))).status).to.equal(201);
    expect(store.pendingCount(listings.honest!)).to.equal(AUDITS);
    expect(readdirSync(join(store.dir, listings.honest!.toString())).filter((f) => f.endsWith(".json"))).to.have.length(
      AUDITS,
    );

    const again = await post(auditOf(answers[0]!));
    expect(again.status).to.equal(200);
    expect(again.body.stored).to.equal(false);

    // A receipt re-signed by someone else than the serving key (the consumer forging a bad answer for the provider).
    const { receipt } = receiptFromWire(answers[0]!.receiptWire);
    const forged = { ...receipt, nonce: receipt.nonce + 1n };
    const domain = inferenceDomain(system.record.chainId, await system.registry.getAddress());
    const forgedWire = receiptToWire(forged, await signReceipt(system.signer(ACCOUNTS.consumer), domain, forged));
    const refusedForged = await post({ ...auditOf(answers[0]!), receipt: forgedWire });
    expect(refusedForged.status).to.equal(422);
    expect(refusedForged.body.error?.code).to.equal("bad_signature");

    // The honest provider's receipt with the cheap model's output published in its place.
    const swapped = await post({ ...auditOf(answers[0]!), outputURI: toDataURI(answers[AUDITS]!.output) });
    expect(swapped.status).to.equal(422);
    expect(swapped.body.error?.code).to.equal("publication-mismatch");

    // The queue of a listing is capped: a further (valid) audit is refused, none is dropped.
    const extra = answers.length;
    await client.infer(providers.honest!.url, listings.honest!, images(9), PER_CALL);
    const full = await post(auditOf(answers[extra]!));
    expect(full.status).to.equal(429);
    expect(store.pendingCount(listings.honest!)).to.equal(AUDITS);

    const bad = await fetch(auditUrl, { method: "POST", body: "{not json" });
    expect(bad.status).to.equal(400);
  });

  it("scores a round from audited receipts without probing; probes a listing with too few", async function () {
    await service.start();
    const consumer = system.signer(ACCOUNTS.consumer);
    const rounds: Record<string, bigint> = {};
    const open = async (name: string) => {
      await (await system.validation.connect(consumer).openRound(listings[name]!)).wait();
      [rounds[name]] = await system.validation.listingRounds(listings[name]!);
    };
    // A seat locks 10 % of the member's stake: one validator sits on two rounds of five seats at a time.
    await open("honest");
    await open("cheap");
    const record = (name: string) =>
      waitFor(`the ${name} round's commitment`, async () => {
        const member = await system.validation.memberOf(rounds[name]!, service.address);
        return member.commitment === "0x" + "0".repeat(64) ? undefined : state.get(rounds[name]!);
      });
    const honest: RoundRecord = await record("honest");
    const honestReport = honest.report as { source?: string; audits: number; answers: number };
    expect(honestReport.source).to.equal("audits");
    expect(honestReport.audits).to.equal(AUDITS);
    expect(honestReport.answers).to.equal(AUDITS * PER_CALL);
    expect(honest.scoreBps).to.equal(10_000);

    const cheap: RoundRecord = await record("cheap");
    expect((cheap.report as { source?: string }).source).to.equal("audits");
    const minQuality = (await system.validation.parameters()).minQualityBps;
    expect(cheap.scoreBps).to.be.below(Number(minQuality));

    // Scored from audits: not one probe bought. The listing without audits was probed.
    expect(await system.registry.callsPurchased(listings.honest!, service.address)).to.equal(0n);
    expect(await system.registry.callsPurchased(listings.cheap!, service.address)).to.equal(0n);
    for (const name of ["honest", "cheap"]) {
      await waitFor(`the ${name} round to finalise`, async () =>
        Number(await system.validation.phaseOf(rounds[name]!)) === RoundPhase.Finalized ? true : undefined,
      );
    }
    // Two audits of the last listing: fewer than --min-audits, so its round adds a probe, and scores every sample.
    const before = answers.length;
    for (const call of [10, 11]) await client.infer(providers.probed!.url, listings.probed!, images(call), PER_CALL);
    for (const a of answers.slice(before)) expect((await post(auditOf(a))).status).to.equal(201);
    await open("probed");
    const probed: RoundRecord = await record("probed");
    const probedReport = probed.report as {
      source?: string;
      probeIds: number[];
      audits: number;
      auditAnswers: number;
      auditWithinTolerance: number;
      probeAnswers: number;
      agreeing: number;
      correct: number;
    };
    expect(probedReport.source).to.equal("probes");
    expect(probedReport.audits).to.equal(2);
    expect([probedReport.auditAnswers, probedReport.auditWithinTolerance]).to.deep.equal([2 * PER_CALL, 2 * PER_CALL]);
    expect(probedReport.probeAnswers).to.equal(20);
    // Each audited answer within tolerance is worth 1, each probe answer 0.7 · agree + 0.3 · correct.
    const points = 2 * PER_CALL + 0.7 * probedReport.agreeing + 0.3 * probedReport.correct;
    expect(probed.scoreBps).to.equal(Math.round((10_000 * points) / (2 * PER_CALL + 20)));
    expect(await system.registry.callsPurchased(listings.probed!, service.address)).to.equal(0n);
    const [buyer] = probedReport.probeIds.map((id) => probeBuyerWallet(service.prober!.options.secret, id).address);
    expect(await system.registry.callsPurchased(listings.probed!, buyer!)).to.equal(20n);
    expect(store.pendingCount(listings.probed!)).to.equal(0); // the two audits were used too

    // The audits used are kept, out of the waiting queue.
    expect(store.pendingCount(listings.honest!)).to.equal(0);
    expect(existsSync(join(store.dir, listings.honest!.toString(), "scored"))).to.equal(true);
    expect(readdirSync(join(store.dir, listings.honest!.toString(), "scored"))).to.have.length(AUDITS);
  });
});
