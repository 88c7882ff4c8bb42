// Audits of VAD and OCR calls (issue 19). The attack: a provider lists Silero VAD fp32 (or PP-OCRv4 rec) and answers
// its paying consumers with the cheaper model (fp16 VAD, OCR at half width). Its consumers' clients forward a share of
// their calls to the validators' audit server; before this fix the server checked every audit against MNIST's shapes
// (784 → 10) and refused a VAD clip or an OCR line with 422 bad_shape, so the cheat escaped this path entirely (no
// audit stored, nothing judged, nothing filed). Now the listing's task (its metadata, read as the Verifier reads it)
// decides the shapes: the consumer's real call, on the task's canonical grid, is stored, judged with the task's plugin
// by the validator's filer (as the service wires it), and filed on-chain with the palette publication (toEvidenceURI).
import { join } from "node:path";
import { expect } from "chai";
import { parseEther, type JsonRpcProvider } from "ethers";
import {
  canonicalInputs,
  dataHash,
  float32ToBytes,
  fromDataURI,
  inferenceDomain,
  isPaletteURI,
  ListingStatus,
  MAX_DATA_URI_LENGTH,
  toEvidenceURI,
} from "@curia/protocol";
import { ChainClock, CuriaClient, connectRpc } from "@curia/protocol/ethers";
import type { ProviderServer } from "@curia/provider";
import { AuditServer, AuditStore } from "../src/audits.js";
import { connectContracts, readAddresses } from "../src/chain.js";
import { FraudProofFiler } from "../src/filer.js";
import { devAccount } from "../src/keys.js";
import { createLogger } from "../src/log.js";
import { modelHashOf } from "../src/model/hash.js";
import { listingKeysOf } from "../src/receipts.js";
import { StateStore } from "../src/state.js";
import { ocrTask } from "../src/tasks/ocr.js";
import type { TaskRunner } from "../src/tasks/types.js";
import { Verifier } from "../src/verify.js";
import { ACCOUNTS, deploySystem, temporaryDirectory, type System } from "./helpers/chain.js";
import { TASK_CASES, outOfBandInput, serveTaskListing, taskMetadataURI } from "./helpers/tasks.js";

const VALIDATOR = 14;
const secret = new Uint8Array(32).fill(0x5d);
const publication = { ipfsGateway: "http://127.0.0.1:1" };

describe("audits of VAD and OCR calls: stored with the listing's task shapes, judged by the plugin, filed", function () {
  const dir = temporaryDirectory("curia-audits-tasks-");
  const log = createLogger("validator", { level: "error" });
  let system: System;
  let rpc: JsonRpcProvider;
  let store: AuditStore;
  let server: AuditServer;
  let verifier: Verifier;
  let filer: FraudProofFiler;
  let consumer: CuriaClient;
  let clock: ChainClock;
  const clocks: ChainClock[] = [];
  const servers: ProviderServer[] = [];
  const runners: TaskRunner[] = [];
  /** Per task: the cheat's listing, and one canonical input its cheaper model answers outside the single-answer band. */
  const cheats: Record<string, { listingId: bigint; input: Float32Array }> = {};

  before(async function () {
    system = await deploySystem(dir.path);
    // A fraud proof opens a court dispute: the court needs staked jurors to draw.
    for (const juror of ACCOUNTS.jurors)
      await (await system.jurorPool.connect(system.signer(juror)).stake(parseEther("5000"))).wait();
    const domain = inferenceDomain(system.record.chainId, await system.registry.getAddress());
    const cheater = system.signer(ACCOUNTS.cheater);
    for (const { task, open } of TASK_CASES) {
      const pair = await open();
      runners.push(pair.honest, pair.cheap);
      const { inputs, count } = await task.generate(secret, "audit", 8);
      const input = await outOfBandInput(task, pair, canonicalInputs(task.spec.id, inputs), count);
      const modelHash = modelHashOf(pair.model);
      const metadataURI = taskMetadataURI(task, modelHash, pair.modelPath);
      const listingId = await system.createActiveListing(cheater, modelHash, metadataURI, "http://127.0.0.1:1/unset");
      // The cheat serves the cheaper model under the listed model's hash.
      servers.push(await serveTaskListing(system, cheater, listingId, task, pair.cheap, clocks));
      cheats[task.spec.id] = { listingId, input };
    }
    for (const c of clocks) await c.refresh(); // later listings moved the chain's time

    const addresses = readAddresses(system.deploymentPath);
    rpc = await connectRpc(system.chain.url, addresses, 200);
    const { wallet } = devAccount(VALIDATOR, rpc);
    const state = new StateStore(join(dir.path, "state"), wallet.address);
    store = new AuditStore(state.dir, 10);
    verifier = new Verifier({ fetch: publication, log });
    // As the validator's CLI wires it: the listing's task from its metadata, read through the Verifier.
    server = new AuditServer({
      store,
      domain,
      keys: listingKeysOf(system.registry),
      publication,
      log,
      taskOf: async (listingId) =>
        verifier.taskOf({ listingId, metadataURI: (await system.registry.getListing(listingId)).metadataURI }),
    });
    const auditUrl = `${await server.listen(0)}/audits`;
    filer = new FraudProofFiler({
      wallet,
      addresses,
      contracts: connectContracts(addresses, wallet),
      stateDir: state.dir,
      verifier,
      publication,
      log,
      provider: rpc,
    });
    // As ValidatorService wires them: every stored audit is judged for a fraud proof on the filer's next pass.
    store.onStored((audit) => filer.queueAudit(audit));

    clock = await ChainClock.start(system.connection.ethers.provider, 0);
    consumer = CuriaClient.fromDeployment(system.record, system.signer(ACCOUNTS.consumer), {
      audit: { urls: [auditUrl], share: 1 }, // every call forwarded
      chainNow: () => clock.now(),
    });
    for (const { listingId } of Object.values(cheats)) await consumer.buyCalls(listingId, 5n, parseEther("1"));
  });

  after(async function () {
    clock?.stop();
    for (const c of clocks) c.stop();
    for (const s of servers) await s.close();
    await server?.close();
    await verifier?.close();
    await Promise.all(runners.map((r) => r.release()));
    rpc?.destroy();
    dir.remove();
  });

  for (const { task } of TASK_CASES) {
    const id = task.spec.id;
    it(`${id}: the cheat's real consumer call is forwarded, stored, judged fraud with the plugin and filed`, async function () {
      for (const c of [clock, ...clocks]) await c.refresh(); // filing moved the chain's time
      const { listingId, input } = cheats[id]!;
      const answer = await consumer.infer(listingId, input);
      expect(answer.audited).to.equal(true);
      const [result] = await consumer.flushAudits();
      // Before the fix: 422 bad_shape (the server wanted 784-float images), and nothing below happened.
      expect(result, JSON.stringify(result)).to.include({ ok: true, status: 201 });
      const [audit] = store.pending(listingId);
      expect(audit?.receipt).to.deep.equal(answer.stored.receipt);
      // Stored in the form a fraud proof publishes: the palette URI, within ListingChallenges' limit.
      const inputBytes = float32ToBytes(input);
      expect(audit!.inputURI).to.equal(toEvidenceURI(inputBytes));
      expect(isPaletteURI(audit!.inputURI)).to.equal(true);
      expect(audit!.inputURI.length).to.be.at.most(MAX_DATA_URI_LENGTH);

      await filer.tick();
      const record = filer.get(audit!.receiptDigest);
      expect(record?.verdict.outcome, JSON.stringify(record?.verdict)).to.equal("fraud");
      expect(record!.source).to.equal("audit");
      expect(record!.status, record!.lastError ?? record!.reason).to.equal("filed");
      const [filed] = await system.challenges.queryFilter(
        system.challenges.filters.FraudProofFiled(BigInt(record!.disputeId!)),
      );
      expect(filed!.args.receiptDigest).to.equal(audit!.receiptDigest);
      expect(dataHash(fromDataURI(filed!.args.inputURI)!)).to.equal(dataHash(inputBytes));
      expect(await system.registry.statusOf(listingId)).to.equal(BigInt(ListingStatus.Challenged));
    });
  }

  it("refuses an audit whose bytes are not its listing's task shapes (a VAD clip on an OCR listing)", async function () {
    const { listingId, input } = cheats.vad!;
    for (const c of [clock, ...clocks]) await c.refresh();
    const answer = await consumer.infer(listingId, input);
    await consumer.flushAudits();
    // The same genuine receipt and bytes, checked as if the listing were an OCR one: OCR's shapes refuse a VAD clip.
    const ocrServer = new AuditServer({
      store: new AuditStore(join(dir.path, "other"), 10),
      domain: inferenceDomain(system.record.chainId, await system.registry.getAddress()),
      keys: listingKeysOf(system.registry),
      publication,
      log,
      taskOf: async () => ocrTask,
    });
    let refused: unknown;
    try {
      await ocrServer.accept({
        receipt: answer.stored.receipt,
        inputURI: answer.stored.inputURI,
        outputURI: answer.stored.outputURI,
      });
    } catch (error) {
      refused = error;
    }
    expect((refused as { code?: string }).code).to.equal("bad_shape");
    expect((refused as { status?: number }).status).to.equal(422);
    expect((refused as Error).message).to.match(/\(task ocr\): the input must be whole 15360-float rows/);
  });
});
