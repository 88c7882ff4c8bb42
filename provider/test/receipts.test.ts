// Issue 16, played as the attacker first: a validator-aware provider answers registered validators with the listed
// (reference) model and paying consumers with a cheaper one, so every validator probe passes. Then the defence: every
// answer carries a receipt signed by the listing's serving key; the consumer's CuriaClient keeps it, sees the answer is
// wrong by re-running the listed model locally, and files it as a fraud proof that opens a dispute on-chain. And the
// client refuses answers whose receipt would prove nothing: none, a foreign signer, a wrong outputHash, a backdated
// date, a rotated-out key. All on the real contracts (deploy/system.ts on a local hardhat node) and the real provider
// server (the sample provider on the middleware's node:http adapter).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { expect } from "chai";
import { Wallet, parseEther, type Signer } from "ethers";
import {
  ListingStatus,
  dataHash,
  fromDataURI,
  inferenceDomain,
  receiptFromWire,
  receiptToWire,
  type InferenceReceipt,
} from "@curia/protocol";
import {
  ChainClock,
  CuriaClient,
  FileReceiptStore,
  IListingChallenges__factory,
  IStakePool__factory,
  PriceAboveCapError,
  ReceiptRefusedError,
  bytesToF32,
  f32ToBytes,
  signReceipt,
  type IListingChallenges,
  type IStakePool,
  type SignedReceiptWire,
} from "@curia/protocol/ethers";
import {
  CLASSES,
  INPUT_SIZE,
  createLogger,
  createSession,
  ensureModels,
  imageOf,
  loadMnist,
  modelHashOf,
  type ModelSession,
} from "@curia/validator";
import { devServingKey } from "../src/keys.js";
import { ProviderServer } from "../src/server.js";
import { ACCOUNTS, deploySystem, metadataFor, temporaryDirectory, type System } from "./helpers/chain.js";

const VALIDATOR = 9;
const PRICE = parseEther("0.5"); // what createActiveListing lists at

/** `count` MNIST evaluation images from `offset`, as one float32 batch. */
function batch(offset: number, count: number): Float32Array {
  const evalSet = loadMnist().eval;
  const out = new Float32Array(count * INPUT_SIZE);
  for (let i = 0; i < count; i++) out.set(imageOf(evalSet, offset + i), i * INPUT_SIZE);
  return out;
}

function argmax(outputs: Float32Array, row: number): number {
  let best = 0;
  for (let k = 1; k < CLASSES; k++) if (outputs[row * CLASSES + k]! > outputs[row * CLASSES + best]!) best = k;
  return best;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/** An HTTP server in front of `target` that rewrites each 200 answer with `tamper` (a dishonest provider). */
async function tamperingProxy(
  target: string,
  tamper: (answer: { outputsF32: string; receipt?: SignedReceiptWire }) => Promise<void>,
): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
      const upstream = await fetch(target, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: Buffer.concat(chunks),
      });
      const answer = (await upstream.json()) as { outputsF32: string; receipt?: SignedReceiptWire };
      if (upstream.ok) await tamper(answer);
      response.writeHead(upstream.status, { "content-type": "application/json" });
      response.end(JSON.stringify(answer));
    })();
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe("receipts: the validator-aware provider is caught by a consumer's receipt", function () {
  const dir = temporaryDirectory("curia-receipts-test-");
  let system: System;
  let reference: ModelSession;
  let degraded: ModelSession;
  let listedModelHash: string;
  let pool: IStakePool;
  let challenges: IListingChallenges;
  let cheatingListing: bigint;
  let honestListing: bigint;
  let cheating: ProviderServer;
  let honest: ProviderServer;
  let cheatingUrl: string;
  let honestUrl: string;
  let consumer: Signer;
  let validator: Signer;
  const closers: (() => Promise<void>)[] = [];
  // The tests move the chain's clock ahead (listings' application periods): receipts are dated and checked on it.
  let clock: ChainClock;
  const chainNow = () => clock.now();

  const clientOf = (signer: Signer, options: Partial<ConstructorParameters<typeof CuriaClient>[0]> = {}) =>
    CuriaClient.fromDeployment(system.record, signer, { chainNow, ...options });

  before(async function () {
    system = await deploySystem(dir.path);
    const models = ensureModels();
    const referenceBytes = readFileSync(models.reference.path);
    reference = await createSession(referenceBytes, { executionProvider: "cpu" });
    degraded = await createSession(readFileSync(models.degraded.path), { executionProvider: "cpu" });
    listedModelHash = modelHashOf(referenceBytes);
    consumer = system.signer(ACCOUNTS.consumer);
    validator = system.signer(VALIDATOR);
    const providerSigner = system.signer(ACCOUNTS.provider);
    const runner = system.signer(0);
    pool = IStakePool__factory.connect(system.record.contracts.ValidatorPool!.proxy, runner);
    challenges = IListingChallenges__factory.connect(system.record.contracts.ListingChallenges!.proxy, runner);

    // A registered validator: stake in the validators' pool, as the validator service registers.
    const { minStake } = await pool.parameters();
    const token = await system.registry.token();
    const cur = (await import("@curia/protocol/ethers")).CuriaToken__factory.connect(token, runner);
    await (await cur.transfer(await validator.getAddress(), minStake + parseEther("1000"))).wait();
    await (await cur.connect(validator).approve(await pool.getAddress(), minStake)).wait();
    await (await pool.connect(validator).stake(minStake)).wait();
    // Jurors in the court's pool: a dispute needs someone to draw (the court refuses one without: CourtNoJurors).
    const jurorPool = IStakePool__factory.connect(system.record.contracts.JurorPool!.proxy, runner);
    for (const index of [10, 11, 12]) {
      const juror = system.signer(index);
      await (await cur.transfer(await juror.getAddress(), parseEther("5000"))).wait();
      await (await cur.connect(juror).approve(await jurorPool.getAddress(), parseEther("5000"))).wait();
      await (await jurorPool.connect(juror).stake(parseEther("5000"))).wait();
    }

    // Both listings claim the reference model; one is served validator-aware, the other honestly.
    cheatingListing = await system.createActiveListing(
      providerSigner,
      listedModelHash,
      metadataFor("cheating", models.reference.path),
      "http://127.0.0.1/placeholder",
    );
    honestListing = await system.createActiveListing(
      providerSigner,
      listedModelHash,
      metadataFor("honest", models.reference.path),
      "http://127.0.0.1/placeholder",
    );
    clock = await ChainClock.start(system.connection.ethers.provider, 0);
    const domain = inferenceDomain(system.record.chainId, await system.registry.getAddress());
    const common = {
      domain,
      chainNow,
      servingKey: providerSigner,
      callsPurchased: (id: bigint, caller: string) => system.registry.callsPurchased(id, caller),
      log: createLogger("provider", { level: "error" }),
    };
    cheating = new ProviderServer({
      ...common,
      mode: "validator-aware",
      session: degraded,
      validatorSession: reference,
      isValidator: async (caller) => {
        const member = await pool.memberOf(caller);
        return member.staked + member.locked > 0n;
      },
      listings: [{ listingId: cheatingListing, modelHash: listedModelHash }],
    });
    honest = new ProviderServer({
      ...common,
      mode: "honest",
      session: reference,
      listings: [{ listingId: honestListing, modelHash: listedModelHash }],
    });
    cheatingUrl = await cheating.listen(0);
    honestUrl = await honest.listen(0);
  });

  after(async function () {
    for (const close of closers) await close();
    await cheating?.close();
    await honest?.close();
    await reference?.release();
    await degraded?.release();
    clock?.stop();
    await system?.stop();
    dir.remove();
  });

  it("attack: the validator-aware provider answers a validator with the listed model and a consumer with a cheaper one", async function () {
    const inputs = batch(0, 8);
    const expected = await reference.run(inputs, 8);
    const cheap = await degraded.run(inputs, 8);

    const validatorClient = clientOf(validator);
    await validatorClient.buyCalls(cheatingListing, 8n, PRICE);
    const probe = await validatorClient.infer(cheatingListing, inputs, { endpoint: cheatingUrl });
    expect([...probe.outputs]).to.deep.equal([...expected], "the validator's probe gets the listed model, exactly");

    const consumerClient = clientOf(consumer);
    await consumerClient.buyCalls(cheatingListing, 8n, PRICE);
    const paid = await consumerClient.infer(cheatingListing, inputs, { endpoint: cheatingUrl });
    expect([...paid.outputs]).to.deep.equal([...cheap], "the paying consumer gets the cheaper model");
    expect(maxAbsDiff(paid.outputs, expected)).to.be.greaterThan(0.1);
    expect(cheating.validatorRequests).to.equal(1);
    // Both answers carry a valid receipt from the serving key: the cheat signs, or clients refuse its answers.
    expect(paid.receipt.modelHash).to.equal(listedModelHash);
  });

  it("defence: the consumer's receipt of a wrong answer is a fraud proof the client files, and the dispute opens on-chain", async function () {
    const store = new FileReceiptStore(`${dir.path}/receipts`);
    const consumerClient = clientOf(consumer, { store });
    // The consumer checks its answers against the listed model (the validator's public model API, run locally) and
    // keeps calling until one is wrong: a digit classified differently from the listed model.
    await consumerClient.buyCalls(cheatingListing, 80n, PRICE);
    let inputs = batch(0, 0);
    let answer: Awaited<ReturnType<CuriaClient["infer"]>> | undefined;
    const stored: string[] = [];
    for (let call = 0; call < 10 && answer === undefined; call++) {
      inputs = batch(100 + 8 * call, 8);
      const got = await consumerClient.infer(cheatingListing, inputs, { endpoint: cheatingUrl });
      stored.push(got.stored.digest);
      const listed = await reference.run(inputs, 8);
      const wrong = Array.from({ length: 8 }, (_, r) => r).filter((r) => argmax(got.outputs, r) !== argmax(listed, r));
      if (wrong.length > 0) {
        expect(maxAbsDiff(got.outputs, listed)).to.be.greaterThan(0.1);
        answer = got;
      }
    }
    expect(answer, "a wrong answer within 80 calls (the cheaper model is ~75 % accurate)").to.not.equal(undefined);

    // Every receipt was kept on disk with the exact bytes behind its hashes.
    const kept = new FileReceiptStore(store.dir).all();
    expect(kept.map((r) => r.digest).sort()).to.deep.equal([...stored].sort());
    const proof = kept.find((r) => r.digest === answer!.stored.digest)!;
    expect(dataHash(fromDataURI(proof.outputURI)!)).to.equal(answer!.receipt.outputHash);
    expect(dataHash(fromDataURI(proof.inputURI)!)).to.equal(answer!.receipt.inputHash);

    const { minChallengeBond } = await challenges.parameters();
    const consumerAddress = await consumer.getAddress();
    const filed = await consumerClient.fileFraudProof(
      answer!.receipt,
      answer!.signature,
      f32ToBytes(inputs),
      f32ToBytes(answer!.outputs),
      minChallengeBond,
    );
    expect(filed.cost).to.equal(await challenges.challengeCost(minChallengeBond));
    const mined = await system.connection.ethers.provider.getTransactionReceipt(filed.txHash);
    const event = mined!.logs
      .map((log) => challenges.interface.parseLog(log))
      .find((e) => e?.name === "FraudProofFiled");
    expect(event, "FraudProofFiled emitted").to.not.equal(undefined);
    expect(event!.args.disputeId).to.equal(filed.disputeId);
    expect(event!.args.listingId).to.equal(cheatingListing);
    expect(event!.args.filer).to.equal(consumerAddress);
    expect(event!.args.signer).to.equal(await system.signer(ACCOUNTS.provider).getAddress());
    expect(dataHash(fromDataURI(event!.args.outputURI as string)!)).to.equal(answer!.receipt.outputHash);
    expect(Number(await system.registry.statusOf(cheatingListing))).to.equal(ListingStatus.Challenged);
    expect((await challenges.getChallenge(filed.disputeId)).listingId).to.equal(cheatingListing);
    // Exact approvals: nothing is left approved to the registry or the challenges contract.
    const token = (await import("@curia/protocol/ethers")).CuriaToken__factory.connect(
      await system.registry.token(),
      consumer,
    );
    expect(await token.allowance(consumerAddress, await challenges.getAddress())).to.equal(0n);
    expect(await token.allowance(consumerAddress, await system.registry.getAddress())).to.equal(0n);
  });

  it("buys with a price cap: refuses before approving anything when the price is above it", async function () {
    const consumerClient = clientOf(consumer);
    const error = await consumerClient.buyCalls(honestListing, 1n, PRICE - 1n).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(PriceAboveCapError);
  });

  describe("the client refuses an answer whose receipt proves nothing", function () {
    const serving = () => devServingKey(ACCOUNTS.provider, BigInt(system.record.chainId)).wallet;
    let domain: ReturnType<typeof inferenceDomain>;

    before(async function () {
      domain = inferenceDomain(system.record.chainId, await system.registry.getAddress());
      expect(serving().address).to.equal(await system.registry.servingKeyOf(honestListing));
      await clientOf(consumer).buyCalls(honestListing, 20n, PRICE);
    });

    async function refusal(tamper: (answer: { outputsF32: string; receipt?: SignedReceiptWire }) => Promise<void>) {
      const proxy = await tamperingProxy(honestUrl, tamper);
      closers.push(() => new Promise((done) => proxy.server.close(() => done())));
      const error = await clientOf(consumer)
        .infer(honestListing, batch(200, 1), { endpoint: proxy.url })
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ReceiptRefusedError);
      return error as ReceiptRefusedError;
    }

    async function resign(
      wire: SignedReceiptWire,
      change: Partial<InferenceReceipt>,
      key: Signer,
    ): Promise<SignedReceiptWire> {
      const receipt = { ...receiptFromWire(wire).receipt, ...change };
      return receiptToWire(receipt, await signReceipt(key, domain, receipt));
    }

    it("accepts the honest provider's answer as it is (the control)", async function () {
      const answer = await clientOf(consumer).infer(honestListing, batch(200, 1), { endpoint: honestUrl });
      expect(answer.receipt.listingId).to.equal(honestListing);
    });

    it("an answer without a receipt", async function () {
      const error = await refusal(async (answer) => void delete answer.receipt);
      expect(error.reason).to.equal("missing");
    });

    it("a receipt signed by a key that is not the listing's serving key", async function () {
      const error = await refusal(async (answer) => {
        answer.receipt = await resign(answer.receipt!, {}, Wallet.createRandom());
      });
      expect(error.reason).to.equal("wrong_signer");
    });

    it("a receipt of the serving key whose outputHash is not of the output sent", async function () {
      const error = await refusal(async (answer) => {
        answer.receipt = await resign(answer.receipt!, { outputHash: dataHash(new Uint8Array([1, 2, 3])) }, serving());
      });
      expect(error.reason).to.equal("mismatch");
      expect(error.message).to.contain("outputHash");
      // The same with the outputs swapped under an honest receipt.
      const swapped = await refusal(async (answer) => {
        answer.outputsF32 = Buffer.from(new Float32Array(CLASSES).fill(0.1).buffer).toString("base64");
      });
      expect(swapped.reason).to.equal("mismatch");
    });

    it("a receipt of the serving key backdated beyond 300 s (out of a fraud proof's reach)", async function () {
      const error = await refusal(async (answer) => {
        const { receipt } = receiptFromWire(answer.receipt!);
        answer.receipt = await resign(answer.receipt!, { servedAt: receipt.servedAt - 301n - 5n }, serving());
      });
      expect(error.reason).to.equal("mismatch");
      expect(error.message).to.contain("at most 300 s");
    });

    it("a receipt of a serving key the provider rotated out", async function () {
      // The provider names a new serving key on-chain but keeps signing with the old one.
      const next = Wallet.createRandom();
      await (
        await system.registry.connect(system.signer(ACCOUNTS.provider)).setServingKey(honestListing, next.address)
      ).wait();
      const error = await clientOf(consumer)
        .infer(honestListing, batch(200, 1), { endpoint: honestUrl })
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ReceiptRefusedError);
      expect((error as ReceiptRefusedError).reason).to.equal("wrong_signer");
    });
  });

  describe("audits of real traffic", function () {
    it("forwards the drawn share of calls (receipt, input, output) to every audit endpoint, and none at share 0", async function () {
      const received: { url: string; body: { receipt: SignedReceiptWire; inputURI: string; outputURI: string } }[] = [];
      const endpoints: string[] = [];
      for (let i = 0; i < 2; i++) {
        const server = createServer((request, response) => {
          void (async () => {
            const chunks: Buffer[] = [];
            for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
            received.push({
              url: String(i),
              body: JSON.parse(Buffer.concat(chunks).toString()) as (typeof received)[number]["body"],
            });
            response.writeHead(202).end();
          })();
        });
        await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
        closers.push(() => new Promise((done) => server.close(() => done())));
        endpoints.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}/audit`);
      }
      // The validator is served by the cheating provider too (the listing is challenged now: use a fresh honest one).
      const listing = await system.createActiveListing(
        system.signer(ACCOUNTS.provider),
        listedModelHash,
        metadataFor("audited", ensureModels().reference.path),
        "http://127.0.0.1/placeholder",
      );
      const server = new ProviderServer({
        mode: "honest",
        session: reference,
        domain: inferenceDomain(system.record.chainId, await system.registry.getAddress()),
        listings: [{ listingId: listing, modelHash: listedModelHash }],
        servingKey: system.signer(ACCOUNTS.provider),
        callsPurchased: (id, caller) => system.registry.callsPurchased(id, caller),
        log: createLogger("provider", { level: "error" }),
        chainNow,
      });
      await clock.refresh();
      const url = await server.listen(0);
      closers.push(() => server.close());
      // Draws 0.3, 0.1, 0.7, 0.05 against a share of 0.2: the second and the fourth calls are audited.
      const draws = [0.3, 0.1, 0.7, 0.05];
      const audited = clientOf(consumer, { audit: { urls: endpoints, share: 0.2, random: () => draws.shift()! } });
      await audited.buyCalls(listing, 4n, PRICE);
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await audited.infer(listing, batch(300 + i, 1), { endpoint: url }));
      expect(answers.map((a) => a.audited)).to.deep.equal([false, true, false, true]);
      const results = await audited.flushAudits();
      expect(results).to.have.length(4);
      expect(results.every((r) => r.ok && r.status === 202)).to.equal(true);
      expect(received).to.have.length(4);
      const sent = [batch(301, 1), batch(303, 1)];
      for (const { body } of received) {
        const { receipt } = receiptFromWire(body.receipt);
        // The forwarded input decodes to exactly the floats the consumer sent with that call.
        const input = bytesToF32(fromDataURI(body.inputURI)!)!;
        expect(sent.some((s) => s.every((v, i) => v === input[i]) && s.length === input.length)).to.equal(true);
        expect(dataHash(fromDataURI(body.inputURI)!)).to.equal(receipt.inputHash);
        expect(dataHash(fromDataURI(body.outputURI)!)).to.equal(receipt.outputHash);
      }
      expect(received.map((r) => r.body.receipt.nonce).sort()).to.deep.equal(
        [answers[1]!, answers[3]!].flatMap((a) => [a.receipt.nonce.toString(), a.receipt.nonce.toString()]).sort(),
      );

      const off = clientOf(consumer, { audit: { urls: endpoints, share: 0, random: () => 0 } });
      await off.buyCalls(listing, 1n, PRICE);
      expect((await off.infer(listing, batch(310, 1), { endpoint: url })).audited).to.equal(false);
      expect(await off.flushAudits()).to.deep.equal([]);
      expect(received).to.have.length(4);
    });
  });
});
