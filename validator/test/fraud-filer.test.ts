// The validator service files fraud proofs itself (issue 16). The attack: a provider cheats on a consumer's call and
// counts on the consumer never filing (a fraud proof costs a bond and some effort). The consumer's client forwards the
// call to the validator's audit server and does nothing else; the validator re-executes it, finds it outside the task's
// tolerance and files the receipt on-chain with its own bond: the listing goes to the court without the consumer. The
// filer's own risks: it never files a well-behaved answer (its bond would go to the provider), never a receipt twice
// (not one somebody else filed first, not a second one on a listing its dispute already holds), records the receipt
// on-chain while someone else's challenge holds the listing (so that challenge cannot run out the receipt's time),
// approves exactly what it spends, keeps a failed filing on disk to retry it, and files its own probes' wrong answers.
import { join } from "node:path";
import { expect } from "chai";
import { parseEther, type JsonRpcProvider } from "ethers";
import { ListingStatus, receiptFromWire } from "@curia/protocol";
import { ChainClock, CuriaClient, connectRpc, type Answer } from "@curia/protocol/ethers";
import { AuditStore, type AuditServer } from "../src/audits.js";
import { readAddresses } from "../src/chain.js";
import { judgeAnswer } from "../src/fraud.js";
import { devAccount } from "../src/keys.js";
import { createLogger } from "../src/log.js";
import { INPUT_SIZE, evalPool } from "../src/model/dataset.js";
import { ValidatorService, type ServiceOptions } from "../src/service.js";
import { StateStore } from "../src/state.js";
import { Verifier } from "../src/verify.js";
import { ACCOUNTS, deploySystem, fundedProbeFunder, temporaryDirectory, type System } from "./helpers/chain.js";
import { immediateProbes, localAuditServer, onDevChain } from "./helpers/service.js";
import { listReferenceModel, setEndpoint, startProvider, type RunningProvider } from "./helpers/providers.js";
import { waitFor } from "./helpers/wait.js";

const VALIDATOR = 15;
/** Inputs per call: small enough for a fraud proof's data: URIs (ListingChallenges.MAX_DATA_URI_LENGTH). */
const PER_CALL = 4;
const NAMES = ["honest", "cheat", "cheatChallenged", "cheatFiledByConsumer", "cheatWhileBroke", "cheatProbed"] as const;
const CHEATS = NAMES.filter((n) => n !== "honest");
type Name = (typeof NAMES)[number];

describe("the validator service files fraud proofs from its consumers' audits", function () {
  const dir = temporaryDirectory("curia-filer-test-");
  let system: System;
  let rpc: JsonRpcProvider;
  const listings = {} as Record<Name, bigint>;
  const providers: RunningProvider[] = [];
  let clock: ChainClock;
  let consumer: CuriaClient;
  let server: AuditServer;
  let auditUrl: string;
  let service: ValidatorService;
  /** A fresh service on the same state dir (a restart), with `change` to its options. */
  let startService: (change?: Partial<ServiceOptions>) => Promise<void>;
  let verifier: Verifier;
  let validator: string;
  let call = 0;

  const images = () => evalPool().images.slice(call * PER_CALL * INPUT_SIZE, ++call * PER_CALL * INPUT_SIZE);
  /** One paid call of the consumer, forwarded to the audit server (every call is, here). */
  const infer = async (name: Name): Promise<Answer> => {
    await clock.refresh();
    const answer = await consumer.infer(listings[name], images());
    expect(answer.audited).to.equal(true);
    const [sent] = await consumer.flushAudits();
    expect(sent?.status, sent?.error).to.equal(201);
    return answer;
  };
  const fraudProofsOn = (listingId: bigint) =>
    system.challenges.queryFilter(system.challenges.filters.FraudProofFiled(undefined, listingId));
  const filed = (digest: string) =>
    waitFor(`the filing of ${digest}`, () => {
      const record = service.filer!.get(digest);
      return record?.status === "filed" ? record : undefined;
    });

  before(async function () {
    system = await deploySystem(dir.path);
    for (const juror of ACCOUNTS.jurors)
      await (await system.jurorPool.connect(system.signer(juror)).stake(parseEther("5000"))).wait();
    listings.honest = await listReferenceModel(system, ACCOUNTS.provider, "honest");
    for (const name of CHEATS) listings[name] = await listReferenceModel(system, ACCOUNTS.cheater, name);
    // The cheater lists the reference model and serves a cheaper one.
    providers.push(await startProvider(system, "honest", [listings.honest]));
    const cheating = CHEATS.map((name) => listings[name]);
    providers.push(await startProvider(system, "degraded", cheating));
    await setEndpoint(system, ACCOUNTS.provider, listings.honest, providers[0]!.url);
    for (const id of cheating) await setEndpoint(system, ACCOUNTS.cheater, id, providers[1]!.url);

    const addresses = readAddresses(system.deploymentPath);
    rpc = await connectRpc(system.chain.url, addresses, 200);
    const { wallet, label } = devAccount(VALIDATOR, rpc);
    validator = wallet.address;
    const state = new StateStore(join(dir.path, "state"), wallet.address);
    const store = new AuditStore(state.dir, 100);
    const log = createLogger("validator", { level: "error" });
    server = await localAuditServer(system, store, log);
    auditUrl = `${await server.listen(0)}/audits`;
    verifier = new Verifier({ fetch: { ipfsGateway: "http://127.0.0.1:1" }, log });
    const options = {
      ...onDevChain(),
      wallet,
      keyLabel: label,
      addresses,
      provider: rpc,
      verifier,
      state,
      log,
      // No round is opened here: the audits are judged as they arrive.
      audits: { store, minAudits: 1000 },
      fileFraudProofs: { retryBaseMs: 200 },
    };
    startService = async (change = {}) => {
      service = new ValidatorService({ ...options, ...change });
      await service.start();
    };
    await startService();

    clock = await ChainClock.start(system.connection.ethers.provider, 0);
    for (const p of providers) await p.clock.refresh(); // the listings moved the chain's time
    consumer = CuriaClient.fromDeployment(system.record, system.signer(ACCOUNTS.consumer), {
      audit: { urls: [auditUrl], share: 1 },
      chainNow: () => clock.now(),
    });
    for (const name of NAMES) await consumer.buyCalls(listings[name], 40n, parseEther("1"));
  });

  after(async function () {
    await service?.stop();
    clock?.stop();
    await server?.close();
    await verifier?.close();
    for (const p of providers) await p.close();
    rpc?.destroy();
    dir.remove();
  });

  it("files the receipt of a cheat on a consumer's audited call, the consumer doing nothing more", async function () {
    const consumerAddress = system.signer(ACCOUNTS.consumer).address;
    const consumerBalance = await system.token.balanceOf(consumerAddress);
    const validatorBalance = await system.token.balanceOf(validator);
    const answer = await infer("cheat");
    const record = await filed(answer.stored.digest);

    // The evidence on disk is what the consumer got, and what the fraud proof published.
    expect(record.source).to.equal("audit");
    expect(record.verdict.outcome).to.equal("fraud");
    expect(record.inputURI).to.equal(answer.stored.inputURI);
    expect(record.outputURI).to.equal(answer.stored.outputURI);
    expect(record.attempts).to.equal(1);
    const [event] = await fraudProofsOn(listings.cheat);
    expect(event!.args.disputeId.toString()).to.equal(record.disputeId);
    expect(event!.args.filer).to.equal(validator);
    expect(event!.args.receiptDigest).to.equal(answer.stored.digest);
    expect(event!.args.receipt.caller).to.equal(consumerAddress);
    expect(event!.args.inputURI).to.equal(answer.stored.inputURI);
    expect(event!.args.outputURI).to.equal(answer.stored.outputURI);
    expect(await system.registry.statusOf(listings.cheat)).to.equal(BigInt(ListingStatus.Challenged));

    // The validator paid bond + fee, approving exactly that; the consumer paid nothing more.
    const { minChallengeBond } = await system.challenges.parameters();
    const cost = await system.challenges.challengeCost(minChallengeBond);
    expect(record.bond).to.equal(minChallengeBond.toString());
    expect(await system.token.balanceOf(validator)).to.equal(validatorBalance - cost);
    expect(await system.token.allowance(validator, await system.challenges.getAddress())).to.equal(0n);
    expect(await system.token.balanceOf(consumerAddress)).to.equal(consumerBalance);

    // And, as every validator does for every fraud proof, it submits its verdict as evidence.
    const evidence = await waitFor("the validator's evidence", async () => {
      const events = await system.challenges.queryFilter(
        system.challenges.filters.Evidence(undefined, event!.args.disputeId, validator),
      );
      return events[0];
    });
    expect(evidence.args.evidence).to.match(/^data:application\/json,.*%22fraud%22%3Atrue/);
  });

  it("never files a well-behaved answer", async function () {
    const before = await system.token.balanceOf(validator);
    const answers = [await infer("honest"), await infer("honest")];
    for (const answer of answers)
      await waitFor("the honest answer's judgement", () => service.filer!.isJudged(answer.stored.digest) || undefined);
    for (const answer of answers) expect(service.filer!.get(answer.stored.digest)).to.equal(undefined);
    expect(await fraudProofsOn(listings.honest)).to.have.length(0);
    expect(await system.registry.statusOf(listings.honest)).to.equal(BigInt(ListingStatus.Active));
    expect(await system.token.balanceOf(validator)).to.equal(before);
  });

  it("never files twice: not the same receipt, not a second one while its dispute holds the listing", async function () {
    const first = (await fraudProofsOn(listings.cheat))[0]!;
    // A second cheat on the same listing: judged fraud, queued, and left waiting on the open dispute, not recorded.
    const second = await infer("cheat");
    const waiting = await waitFor("the second cheat's record", () => {
      const record = service.filer!.get(second.stored.digest);
      // (It may first wait a moment for the chain's clock to reach the receipt's date.)
      return record?.waiting?.includes("under challenge") === true ? record : undefined;
    });
    expect(waiting.status).to.equal("pending");
    expect(waiting.waiting).to.match(new RegExp(`under challenge \\(dispute ${first.args.disputeId}\\)`));
    expect(waiting.attempts).to.equal(0);
    expect(waiting.recordTx).to.equal(undefined);

    // The first receipt judged again (a round scoring its audit, a restart): the same record, filed once.
    const stored = (await consumer.store.all()).find((s) => s.receipt.listingId === listings.cheat.toString())!;
    const listing = await system.registry.getListing(listings.cheat);
    const verdict = await judgeAnswer(
      { receipt: receiptFromWire(stored.receipt).receipt, inputURI: stored.inputURI, outputURI: stored.outputURI },
      { listingId: listings.cheat, modelHash: listing.modelHash, metadataURI: listing.metadataURI },
      verifier,
      { ipfsGateway: "http://127.0.0.1:1" },
    );
    expect(verdict.fraud).to.equal(true);
    expect(service.filer!.consider(stored, verdict, "audit")?.status).to.equal("filed");
    await new Promise((r) => setTimeout(r, 1000)); // a few of the service's passes
    expect(await fraudProofsOn(listings.cheat)).to.have.length(1);
  });

  it("under someone else's challenge: records the receipt on-chain (its age stops counting) and waits", async function () {
    // A rival (or the cheater's own sybil, to run out the receipts' time) challenges the listing first.
    const { minChallengeBond } = await system.challenges.parameters();
    await (
      await system.challenges
        .connect(system.signer(ACCOUNTS.provider))
        .challenge(listings.cheatChallenged, minChallengeBond, "ipfs://rival")
    ).wait();
    const answer = await infer("cheatChallenged");
    const record = await waitFor("the recorded receipt", () => {
      const r = service.filer!.get(answer.stored.digest);
      return r?.recordTx !== undefined && r.waiting?.includes("under challenge") === true ? r : undefined;
    });
    expect(record.status).to.equal("pending");
    expect(record.attempts).to.equal(0);
    const [recorded] = await system.challenges.queryFilter(
      system.challenges.filters.ReceiptRecorded(answer.stored.digest),
    );
    expect(recorded?.args.by).to.equal(validator);
    expect(recorded?.transactionHash).to.equal(record.recordTx);
    expect(await system.challenges.receiptFirstFiledAt(answer.stored.digest)).to.equal(recorded?.args.firstFiledAt);
    expect(await fraudProofsOn(listings.cheatChallenged)).to.have.length(0);
  });

  it("does not file a receipt the consumer filed first", async function () {
    // This consumer files its own fraud proof before its audit reaches the validator.
    const quiet = CuriaClient.fromDeployment(system.record, system.signer(ACCOUNTS.consumer), {
      audit: { urls: [], share: 0 },
      chainNow: () => clock.now(),
    });
    await clock.refresh();
    const answer = await quiet.infer(listings.cheatFiledByConsumer, images());
    const { minChallengeBond } = await system.challenges.parameters();
    const { disputeId } = await quiet.fileStoredFraudProof(answer.stored, minChallengeBond);
    const before = await system.token.balanceOf(validator);
    const posted = await fetch(auditUrl, {
      method: "POST",
      body: JSON.stringify({
        receipt: answer.stored.receipt,
        inputURI: answer.stored.inputURI,
        outputURI: answer.stored.outputURI,
      }),
    });
    expect(posted.status).to.equal(201);
    const record = await filed(answer.stored.digest);
    expect(record.filer).to.equal(system.signer(ACCOUNTS.consumer).address);
    expect(record.disputeId).to.equal(disputeId.toString());
    expect(record.attempts).to.equal(0);
    expect(await fraudProofsOn(listings.cheatFiledByConsumer)).to.have.length(1);
    expect(await system.token.balanceOf(validator)).to.equal(before);
  });

  it("keeps a filing that failed on disk, across a restart, and files it on a later pass", async function () {
    // The validator's CUR is gone (spent elsewhere, while the service was down): the attempt fails, the record stays
    // pending with the reason.
    await service.stop();
    const treasury = system.signer(ACCOUNTS.stranger);
    const held = await system.token.balanceOf(validator);
    await (await system.token.connect(system.signer(VALIDATOR)).transfer(treasury.address, held)).wait();
    await startService();
    const answer = await infer("cheatWhileBroke");
    const failed = await waitFor("the failed attempt", () => {
      const record = service.filer!.get(answer.stored.digest);
      return record?.lastError !== undefined ? record : undefined;
    });
    expect(failed.status).to.equal("pending");
    expect(failed.lastError).to.match(/holds 0 CUR wei; a fraud proof costs \d+/);
    expect(failed.failures).to.be.at.least(1);
    expect(failed.attempts).to.equal(0);

    // Down again; funded; up again: the record on disk is filed, once.
    await service.stop();
    await (await system.token.connect(treasury).transfer(validator, held)).wait();
    await startService();
    const record = await filed(answer.stored.digest);
    expect(record.filer).to.equal(validator);
    expect(record.attempts).to.equal(1);
    expect(record.lastError).to.equal(undefined);
    expect(await fraudProofsOn(listings.cheatWhileBroke)).to.have.length(1);
  });

  it("files the receipt of a wrong answer to its own probe, when the batch fits a fraud proof", async function () {
    // Probes of 10 inputs (a fraud proof publishes inline up to 15 MNIST inputs), in a round of the cheating listing.
    await service.stop();
    const log = createLogger("validator", { level: "error" });
    const probing = new Verifier({ fetch: { ipfsGateway: "http://127.0.0.1:1" }, samples: 10, batchSize: 10, log });
    try {
      await startService({
        verifier: probing,
        keeper: true,
        probes: immediateProbes(await fundedProbeFunder(system, rpc, readAddresses(system.deploymentPath).token)),
      });
      await service.ensureRegistered(parseEther("1000"));
      // A validator probes only what a round pays back: the validators' pool holds the reimbursement.
      const pool = await system.validation.getAddress();
      await (await system.token.connect(system.deployer).transfer(pool, parseEther("1000"))).wait();
      await (await system.validation.connect(system.signer(ACCOUNTS.consumer)).openRound(listings.cheatProbed)).wait();
      const record = await waitFor("the probe's fraud proof", () =>
        service.filer!.all().find((r) => r.listingId === listings.cheatProbed.toString() && r.status === "filed"),
      );
      expect(record.source).to.equal("probe");
      expect(record.filer).to.equal(validator);
      const [event] = await fraudProofsOn(listings.cheatProbed);
      expect(event!.args.filer).to.equal(validator);
      // The probe was a fresh buyer's paid call (filing it from the validator's key links the two: docs/probes.md).
      const caller = event!.args.receipt.caller as string;
      expect(caller).to.not.equal(validator);
      expect(await system.registry.callsPurchased(listings.cheatProbed, caller)).to.equal(10n);
      expect(await system.registry.callsPurchased(listings.cheatProbed, validator)).to.equal(0n);
    } finally {
      await service.stop();
      await probing.close();
    }
  });
});
