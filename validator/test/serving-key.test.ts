// A serving key answers for the receipts it signed during its period (issue 16). The attack: a provider cheats, then
// rotates its serving key (ListingRegistry.setServingKey) so that every receipt of its wrong answers is signed by a key
// that is no longer the listing's. A validator that checks receipts against the listing's current key refuses them:
// the consumers' audits of the cheat bounce and no fraud proof is filed, while ListingChallenges still takes them. The
// validator applies the contract's own rule (@curia/protocol's signedInKeyPeriod, 300 s of clock skew around the
// period): the old key's receipt served before the rotation is accepted by the answer check, the audit server and the
// fraud-proof filer; one the old key signs after its period, or one by a key never registered, is refused by all three
// exactly when the contract refuses it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { Wallet, hexlify, parseEther, randomBytes, type JsonRpcProvider, type Signer } from "ethers";
import {
  MAX_RECEIPT_CLOCK_SKEW_SECONDS,
  dataHash,
  inferenceDomain,
  receiptFromWire,
  receiptToWire,
  toDataURI,
  type InferenceDomain,
  type InferenceReceipt,
  type SignedReceiptWire,
} from "@curia/protocol";
import { connectRpc, signReceipt } from "@curia/protocol/ethers";
import { AuditStore, type AuditServer } from "../src/audits.js";
import { connectContracts, readAddresses } from "../src/chain.js";
import { FraudProofFiler } from "../src/filer.js";
import { judgeAnswer } from "../src/fraud.js";
import { devAccount } from "../src/keys.js";
import { createLogger } from "../src/log.js";
import { INPUT_SIZE, evalPool } from "../src/model/dataset.js";
import { ensureModels } from "../src/model/reference.js";
import { ReceiptRejectedError, checkAnswerReceipt, f32ToBytes, listingKeysOf } from "../src/receipts.js";
import { createSession } from "../src/runtime.js";
import { StateStore } from "../src/state.js";
import { Verifier } from "../src/verify.js";
import { ACCOUNTS, deploySystem, temporaryDirectory, type System } from "./helpers/chain.js";
import { localAuditServer } from "./helpers/service.js";
import { listReferenceModel } from "./helpers/providers.js";

const VALIDATOR = 14;
const INPUTS = 4;

describe("receipts checked against the serving key's period, not only the current key", function () {
  const dir = temporaryDirectory("curia-serving-key-test-");
  let system: System;
  let rpc: JsonRpcProvider;
  let domain: InferenceDomain;
  let listingId: bigint;
  let input: Uint8Array;
  let cheapOutput: Uint8Array;
  let server: AuditServer;
  let auditUrl: string;
  let verifier: Verifier;
  let filer: FraudProofFiler;
  let validator: string;
  const receipts: Record<"beforeRotation" | "afterPeriod" | "neverRegistered" | "newKey", SignedReceiptWire> = {
    beforeRotation: undefined!,
    afterPeriod: undefined!,
    neverRegistered: undefined!,
    newKey: undefined!,
  };
  const log = createLogger("validator", { level: "error" });

  const latest = async () => BigInt((await system.connection.ethers.provider.getBlock("latest"))!.timestamp);

  /** The receipt of the cheap answer to the consumer, dated `servedAt`, signed by `key`. */
  async function receiptBy(key: Signer, servedAt: bigint): Promise<SignedReceiptWire> {
    const receipt: InferenceReceipt = {
      listingId,
      modelHash: (await system.registry.getListing(listingId)).modelHash as `0x${string}`,
      caller: system.signer(ACCOUNTS.consumer).address as `0x${string}`,
      nonce: BigInt(hexlify(randomBytes(16))),
      inputHash: dataHash(input),
      outputHash: dataHash(cheapOutput),
      servedAt,
    };
    return receiptToWire(receipt, await signReceipt(key, domain, receipt));
  }

  const auditOf = (receipt: SignedReceiptWire) => ({
    receipt,
    inputURI: toDataURI(input),
    outputURI: toDataURI(cheapOutput),
  });

  before(async function () {
    system = await deploySystem(dir.path);
    for (const juror of ACCOUNTS.jurors)
      await (await system.jurorPool.connect(system.signer(juror)).stake(parseEther("5000"))).wait();
    domain = inferenceDomain(system.record.chainId, await system.registry.getAddress());
    listingId = await listReferenceModel(system, ACCOUNTS.provider, "rotating");
    const images = evalPool().images.slice(0, INPUTS * INPUT_SIZE);
    input = f32ToBytes(images);
    const degraded = await createSession(readFileSync(ensureModels().degraded.path), { executionProvider: "cpu" });
    cheapOutput = f32ToBytes(await degraded.run(images, INPUTS));
    await degraded.release();

    // The provider cheats under its first key (its own address)…
    const provider = system.signer(ACCOUNTS.provider);
    expect(await system.registry.servingKeyOf(listingId)).to.equal(provider.address);
    receipts.beforeRotation = await receiptBy(provider, await latest());
    // …and rotates to a fresh key right after.
    const fresh = Wallet.createRandom();
    await (await system.registry.connect(provider).setServingKey(listingId, fresh.address)).wait();
    expect(await system.registry.servingKeyOf(listingId)).to.equal(fresh.address);
    // Past the old key's period and the skew: what it signs now answers for nothing.
    await system.helpers.time.increase(MAX_RECEIPT_CLOCK_SKEW_SECONDS + 10);
    receipts.afterPeriod = await receiptBy(provider, await latest());
    receipts.neverRegistered = await receiptBy(Wallet.createRandom(), await latest());
    receipts.newKey = await receiptBy(fresh, await latest());

    const addresses = readAddresses(system.deploymentPath);
    rpc = await connectRpc(system.chain.url, addresses, 200);
    const { wallet } = devAccount(VALIDATOR, rpc);
    validator = wallet.address;
    const state = new StateStore(join(dir.path, "state"), wallet.address);
    server = await localAuditServer(system, new AuditStore(state.dir, 100), log);
    auditUrl = `${await server.listen(0)}/audits`;
    verifier = new Verifier({ fetch: { ipfsGateway: "http://127.0.0.1:1" }, log });
    filer = new FraudProofFiler({
      wallet,
      addresses,
      contracts: connectContracts(addresses, wallet),
      stateDir: state.dir,
      verifier,
      publication: { ipfsGateway: "http://127.0.0.1:1" },
      log,
      provider: rpc,
    });
  });

  after(async function () {
    await server?.close();
    await verifier?.close();
    rpc?.destroy();
    dir.remove();
  });

  it("the answer check accepts the old key's receipt from before the rotation, refuses later and unknown keys", async function () {
    const keys = listingKeysOf(system.registry);
    const check = (wire: SignedReceiptWire) =>
      checkAnswerReceipt(wire, domain, keys, {
        listingId,
        caller: system.signer(ACCOUNTS.consumer).address,
        nonce: BigInt(wire.nonce),
        input,
        output: cheapOutput,
        now: Number(wire.servedAt),
      });
    const accepted = await check(receipts.beforeRotation);
    expect(accepted.signer).to.equal(system.signer(ACCOUNTS.provider).address);
    expect((await check(receipts.newKey)).signer).to.equal(await system.registry.servingKeyOf(listingId));
    for (const [name, pattern] of [
      ["afterPeriod", /outside that period/],
      ["neverRegistered", /was never listing \d+'s serving key/],
    ] as const) {
      try {
        await check(receipts[name]);
        expect.fail(`accepted the ${name} receipt`);
      } catch (error) {
        expect(error, name).to.be.instanceOf(ReceiptRejectedError);
        expect((error as Error).message).to.match(pattern);
      }
    }
  });

  it("the audit server stores the audit of the old key's receipt, refuses the others", async function () {
    const post = async (wire: SignedReceiptWire) => {
      const response = await fetch(auditUrl, { method: "POST", body: JSON.stringify(auditOf(wire)) });
      return {
        status: response.status,
        body: (await response.json()) as { error?: { code: string; message: string } },
      };
    };
    expect((await post(receipts.beforeRotation)).status).to.equal(201);
    expect((await post(receipts.newKey)).status).to.equal(201);
    for (const name of ["afterPeriod", "neverRegistered"] as const) {
      const refused = await post(receipts[name]);
      expect(refused.status, name).to.equal(422);
      expect(refused.body.error?.code, name).to.equal("bad_signature");
    }
  });

  it("the filer files the old key's receipt and refuses, sending nothing, the two the contract refuses", async function () {
    const listing = await system.registry.getListing(listingId);
    const target = { listingId, modelHash: listing.modelHash, metadataURI: listing.metadataURI };
    const judge = (audit: ReturnType<typeof auditOf>) =>
      judgeAnswer({ ...audit, receipt: receiptFromWire(audit.receipt).receipt }, target, verifier, {
        ipfsGateway: "http://127.0.0.1:1",
      });
    const { minChallengeBond } = await system.challenges.parameters();
    const balanceBefore = await system.token.balanceOf(validator);
    for (const name of ["neverRegistered", "afterPeriod"] as const) {
      const audit = auditOf(receipts[name]);
      const verdict = await judge(audit);
      expect(verdict.outcome, name).to.equal("fraud"); // the answer is wrong; the receipt is what fails
      const record = filer.consider(audit, verdict, "audit")!;
      await filer.tick();
      const closed = filer.get(record.receiptDigest)!;
      expect(closed.status, name).to.equal("closed");
      expect(closed.reason, name).to.match(/^invalid receipt: /);
      expect(closed.attempts, name).to.equal(0);
      // The contract refuses it too: the validator's rule is the contract's.
      const { receipt, signature } = receiptFromWire(receipts[name]);
      let reverted: string | undefined;
      await system.challenges
        .connect(system.signer(ACCOUNTS.consumer))
        .fileFraudProof.staticCall(receipt, signature, minChallengeBond, audit.inputURI, audit.outputURI)
        .catch(
          (error: { data?: string }) => (reverted = system.challenges.interface.parseError(error.data ?? "0x")?.name),
        );
      expect(reverted, name).to.equal("ReceiptNotSigned");
    }
    expect(await system.token.balanceOf(validator)).to.equal(balanceBefore);

    const audit = auditOf(receipts.beforeRotation);
    const verdict = await judge(audit);
    const record = filer.consider(audit, verdict, "audit")!;
    await filer.tick();
    const filed = filer.get(record.receiptDigest)!;
    expect(filed.status, filed.lastError ?? filed.reason).to.equal("filed");
    const [event] = await system.challenges.queryFilter(
      system.challenges.filters.FraudProofFiled(BigInt(filed.disputeId!)),
    );
    expect(event!.args.filer).to.equal(validator);
    expect(event!.args.signer).to.equal(system.signer(ACCOUNTS.provider).address);
    expect(event!.args.receiptDigest).to.equal(record.receiptDigest);
    const cost = await system.challenges.challengeCost(minChallengeBond);
    expect(await system.token.balanceOf(validator)).to.equal(balanceBefore - cost);
  });
});
