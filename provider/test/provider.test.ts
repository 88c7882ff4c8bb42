// The sample provider's request signing: only signed requests of callers with paid calls left are served, and every
// input served takes exactly one paid call.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { MaxUint256, Wallet, type Signer, type TypedDataDomain } from "ethers";
import { inferenceDomain, type InferenceAuth } from "@curia/protocol";
import { dataHash, receiptFromWire, type SignedReceiptWire } from "@curia/protocol";
import { f32ToBytes, recoverReceiptSigner, signInferenceRequest } from "@curia/protocol/ethers";
import {
  INPUT_SIZE,
  createLogger,
  createSession,
  ensureModels,
  imageOf,
  loadMnist,
  modelHashOf,
  type ModelSession,
} from "@curia/validator";
import { ProviderServer } from "../src/server.js";
import { UsageStore } from "../src/usage.js";
import { ACCOUNTS, REPO_ROOT, deploySystem, metadataFor, temporaryDirectory, type System } from "./helpers/chain.js";

describe("provider request signing", function () {
  const dir = temporaryDirectory("curia-provider-test-");
  let system: System;
  let session: ModelSession;
  let server: ProviderServer;
  let url: string;
  let domain: TypedDataDomain;
  let listingId: bigint;
  let consumer: Signer;
  let stranger: Signer;
  const evalSet = loadMnist().eval;
  const images = (n: number) => Array.from({ length: n }, (_, i) => Array.from(imageOf(evalSet, i)));

  async function post(auth: Partial<InferenceAuth> | undefined, inputs: number[][]) {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ auth, inputs }),
    });
    return {
      status: response.status,
      body: (await response.json()) as {
        outputs?: number[][];
        remainingCalls?: string;
        receipt?: SignedReceiptWire;
        error?: { code: string; message: string };
      },
    };
  }

  before(async function () {
    system = await deploySystem(dir.path);
    const models = ensureModels();
    const bytes = readFileSync(models.reference.path);
    session = await createSession(bytes, { executionProvider: "cpu" });
    consumer = system.signer(ACCOUNTS.consumer);
    stranger = system.signer(ACCOUNTS.stranger);
    listingId = await system.createActiveListing(
      system.signer(ACCOUNTS.provider),
      modelHashOf(bytes),
      metadataFor("honest", models.reference.path),
      "http://127.0.0.1/placeholder",
    );
    domain = inferenceDomain(system.record.chainId, await system.registry.getAddress());
    server = new ProviderServer({
      mode: "honest",
      session,
      domain,
      listings: [{ listingId, modelHash: modelHashOf(bytes) }],
      servingKey: system.signer(ACCOUNTS.provider),
      callsPurchased: (id, caller) => system.registry.callsPurchased(id, caller),
      usage: new UsageStore(`${dir.path}/usage.json`),
      log: createLogger("provider", { level: "error" }),
    });
    url = `${await server.listen(0)}/mnist`;
    await (
      await system.registry.connect(consumer).purchase(listingId, 3n, await consumer.getAddress(), MaxUint256)
    ).wait();
  });

  after(async function () {
    await server?.close();
    await session?.release();
    await system?.stop();
    dir.remove();
  });

  it("serves a paid caller and counts its calls down exactly, one per input", async function () {
    const first = await post(await signInferenceRequest(consumer, domain, listingId), images(2));
    expect(first.status).to.equal(200);
    expect(first.body.remainingCalls).to.equal("1");
    expect(first.body.outputs).to.have.length(2);
    // The honest server answers with the reference model.
    const reference = await session.run(new Float32Array(images(2).flat()), 2);
    expect(first.body.outputs![1]![3]).to.be.closeTo(reference[13]!, 1e-6);
    // With a receipt of the serving key over the float32 bytes of the JSON inputs and outputs, the request's caller
    // and nonce, and the listing's model hash.
    const { receipt, signature } = receiptFromWire(first.body.receipt);
    expect(recoverReceiptSigner(domain, receipt, signature)).to.equal(
      await system.signer(ACCOUNTS.provider).getAddress(),
    );
    expect(receipt.inputHash).to.equal(dataHash(f32ToBytes(new Float32Array(images(2).flat()))));
    expect(receipt.outputHash).to.equal(dataHash(f32ToBytes(new Float32Array(first.body.outputs!.flat()))));
    expect(receipt.caller).to.equal(await consumer.getAddress());
    expect(receipt.listingId).to.equal(listingId);

    const tooMany = await post(await signInferenceRequest(consumer, domain, listingId), images(2));
    expect(tooMany.status).to.equal(402);
    expect(tooMany.body.error!.code).to.equal("payment_required");
    expect(tooMany.body.error!.message).to.contain("1 paid call(s) left");

    const last = await post(await signInferenceRequest(consumer, domain, listingId), images(1));
    expect(last.status).to.equal(200);
    expect(last.body.remainingCalls).to.equal("0");
    const none = await post(await signInferenceRequest(consumer, domain, listingId), images(1));
    expect(none.status).to.equal(402);

    // New purchases on-chain are honoured at once.
    await (
      await system.registry.connect(consumer).purchase(listingId, 2n, await consumer.getAddress(), MaxUint256)
    ).wait();
    const again = await post(await signInferenceRequest(consumer, domain, listingId), images(2));
    expect(again.status).to.equal(200);
    expect(again.body.remainingCalls).to.equal("0");
    // The count survives a restart of the provider (the usage file).
    expect(new UsageStore(`${dir.path}/usage.json`).servedCalls(listingId, await consumer.getAddress())).to.equal(5n);
  });

  it("refuses a caller that never paid with 402", async function () {
    const { status, body } = await post(await signInferenceRequest(stranger, domain, listingId), images(1));
    expect(status).to.equal(402);
    expect(body.error!.message).to.contain("has 0 paid call(s) left");
  });

  describe("refuses with 401", function () {
    beforeEach(async function () {
      await (
        await system.registry.connect(consumer).purchase(listingId, 10n, await consumer.getAddress(), MaxUint256)
      ).wait();
    });

    it("a replayed request", async function () {
      const auth = await signInferenceRequest(consumer, domain, listingId);
      expect((await post(auth, images(1))).status).to.equal(200);
      const replay = await post(auth, images(1));
      expect(replay.status).to.equal(401);
      expect(replay.body.error!.code).to.equal("replayed_nonce");
    });

    it("an expired request", async function () {
      const auth = await signInferenceRequest(consumer, domain, listingId, {
        expiry: Math.floor(Date.now() / 1000) - 1,
      });
      const { status, body } = await post(auth, images(1));
      expect(status).to.equal(401);
      expect(body.error!.code).to.equal("signature_expired");
    });

    it("a request that expires too far ahead", async function () {
      const auth = await signInferenceRequest(consumer, domain, listingId, { ttlSeconds: 10 * 3600 });
      expect((await post(auth, images(1))).body.error!.code).to.equal("expiry_too_far");
    });

    it("a forged signature: a stranger signing in the name of a paying caller", async function () {
      const forged = await signInferenceRequest(stranger, domain, listingId);
      forged.caller = await consumer.getAddress();
      const { status, body } = await post(forged, images(1));
      expect(status).to.equal(401);
      expect(body.error!.code).to.equal("invalid_signature");
      // A signature by a fresh key claiming the consumer's address fails the same way.
      const wallet = Wallet.createRandom();
      const other = await signInferenceRequest(wallet, domain, listingId);
      expect((await post({ ...other, caller: await consumer.getAddress() }, images(1))).status).to.equal(401);
    });

    it("a signature for another chain, registry or listing", async function () {
      const foreignChain = await signInferenceRequest(consumer, { ...domain, chainId: 1n }, listingId);
      expect((await post(foreignChain, images(1))).body.error!.code).to.equal("invalid_signature");
      const foreignRegistry = await signInferenceRequest(
        consumer,
        { ...domain, verifyingContract: Wallet.createRandom().address },
        listingId,
      );
      expect((await post(foreignRegistry, images(1))).status).to.equal(401);
      const auth = await signInferenceRequest(consumer, domain, listingId);
      expect((await post({ ...auth, listingId: (listingId + 1n).toString() }, images(1))).status).to.equal(404);
      expect((await post({ ...auth, nonce: "12345" }, images(1))).body.error!.code).to.equal("invalid_signature");
    });

    it("a request without a signature", async function () {
      expect((await post(undefined, images(1))).body.error!.code).to.equal("missing_signature");
    });
  });

  it("runs as the curia-provider command: prints its ready line and serves signed requests", async function () {
    const child = spawn(
      process.execPath,
      [
        join(REPO_ROOT, "provider/bin/curia-provider.mjs"),
        "--mode",
        "degraded",
        "--listing",
        listingId.toString(),
        "--port",
        "0",
        "--rpc-url",
        system.chain.url,
        "--deployment",
        system.deploymentPath,
      ],
      { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    try {
      let output = "";
      const ready = await new Promise<string>((resolveReady, reject) => {
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          const match = /\[provider\] listening on (http:\/\/\S+)/.exec(output);
          if (match !== null) resolveReady(match[1]!);
        };
        child.stdout!.on("data", onData);
        child.stderr!.on("data", onData);
        child.once("exit", (code) => reject(new Error(`curia-provider exited ${code}: ${output}`)));
      });
      const response = await fetch(ready, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ auth: await signInferenceRequest(stranger, domain, listingId), inputs: images(1) }),
      });
      expect(response.status).to.equal(402);
      const paid = await fetch(`${ready}/any/path`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ auth: await signInferenceRequest(consumer, domain, listingId), inputs: images(1) }),
      });
      expect(paid.status).to.equal(200);
      // Signed by the default serving key on the local chain: the Hardhat test account that lists (#5, public).
      const { receipt: wire } = (await paid.json()) as { receipt: SignedReceiptWire };
      const { receipt, signature } = receiptFromWire(wire);
      expect(recoverReceiptSigner(domain, receipt, signature)).to.equal(await system.registry.servingKeyOf(listingId));
      expect(output).to.contain("signing receipts with Hardhat test account #5 (public key, development only)");
    } finally {
      child.kill("SIGTERM");
    }
  });

  it("refuses to start with a key that is not the listing's serving key, with a clear error", async function () {
    const child = spawn(
      process.execPath,
      [
        join(REPO_ROOT, "provider/bin/curia-provider.mjs"),
        "--mode",
        "validator-aware",
        "--listing",
        listingId.toString(),
        "--port",
        "0",
        "--rpc-url",
        system.chain.url,
        "--deployment",
        system.deploymentPath,
        "--dev-account",
        String(ACCOUNTS.stranger),
      ],
      { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CURIA_SERVING_KEY: "" } },
    );
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.once("exit", done));
    expect(code).to.equal(1);
    expect(output).to.contain(
      `listing ${listingId}'s serving key on-chain is ${await system.registry.servingKeyOf(listingId)}`,
    );
    expect(output).to.contain("setServingKey");
  });

  it("spends no calls on refused requests and rejects malformed inputs with 400", async function () {
    const caller = await consumer.getAddress();
    const before = new UsageStore(`${dir.path}/usage.json`).servedCalls(listingId, caller);
    const bad = await post(await signInferenceRequest(consumer, domain, listingId), [[1, 2, 3]]);
    expect(bad.status).to.equal(400);
    expect(bad.body.error!.message).to.contain(`${INPUT_SIZE} finite numbers`);
    const nan = new Float32Array(INPUT_SIZE).fill(Number.NaN);
    const binary = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        auth: await signInferenceRequest(consumer, domain, listingId),
        inputsF32: Buffer.from(nan.buffer).toString("base64"),
      }),
    });
    expect(binary.status).to.equal(400);
    expect(((await binary.json()) as { error: { message: string } }).error.message).to.contain("not a finite number");
    const expired = await signInferenceRequest(consumer, domain, listingId, { expiry: 1 });
    expect((await post(expired, images(1))).status).to.equal(401);
    expect(new UsageStore(`${dir.path}/usage.json`).servedCalls(listingId, caller)).to.equal(before);
  });
});
