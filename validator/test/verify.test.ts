// Verification reports: an honest provider agrees with the reference model and scores high; a degraded model and
// random answers score low; a model file whose hash differs from the listing's is refused (library and CLI).
import { spawn } from "node:child_process";
import { join } from "node:path";
import { expect } from "chai";
import { MaxUint256 } from "ethers";
import { inferenceDomain } from "@curia/protocol";
import { ChainClock } from "@curia/protocol/ethers";
import { InferenceClient } from "../src/client.js";
import { listingKeysOf } from "../src/receipts.js";
import { ModelHashMismatchError } from "../src/fetch-model.js";
import { createLogger } from "../src/log.js";
import { CLASSES, loadMnist } from "../src/model/dataset.js";
import { ensureModels } from "../src/model/reference.js";
import { DEFAULT_SCORE_PARAMS, scoreSamples } from "../src/score.js";
import { Verifier, drawSamples, type ListingTarget } from "../src/verify.js";
import { ACCOUNTS, REPO_ROOT, deploySystem, metadataFor, temporaryDirectory, type System } from "./helpers/chain.js";
import { listReferenceModel, setEndpoint, startProvider, type RunningProvider } from "./helpers/providers.js";

/** Runs the CLI without blocking this process (whose in-process providers must keep answering). */
function runCli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, "validator/bin/curia-validator.mjs"), ...args], {
      cwd: REPO_ROOT,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("exit", (status) => resolve({ status, stdout, stderr }));
  });
}

describe("score formula", function () {
  const probs = (top: number, p = 0.91) =>
    Float32Array.from({ length: CLASSES }, (_, k) => (k === top ? p : (1 - p) / 9));

  it("counts outputs within the tolerance band as agreeing, and weighs agreement 70 % and accuracy 30 %", function () {
    const reference = new Float32Array([...probs(1), ...probs(2), ...probs(3), ...probs(4)]);
    const provider = reference.slice();
    provider[0]! += 5e-6; // GPU-sized noise: still agrees
    provider[1]! -= 5e-6;
    provider[CLASSES + 2]! -= 0.05; // a different model: outside the band although the argmax is the same
    provider[CLASSES + 0]! += 0.05;
    const labels = [1, 2, 3, 9]; // the last sample is wrong for both
    const result = scoreSamples(provider, reference, labels);
    expect(result.agreeing).to.equal(3);
    expect(result.correct).to.equal(3);
    expect(result.scoreBps).to.equal(Math.round(10_000 * (0.7 * 0.75 + 0.3 * 0.75)));
    expect(DEFAULT_SCORE_PARAMS.agreementWeightBps).to.equal(7_000);
  });

  it("gives no credit for an output that is not a probability vector", function () {
    const reference = probs(5);
    const provider = reference.map((v) => v * 2);
    const result = scoreSamples(provider, reference, [5]);
    expect(result).to.include({ malformed: 1, agreeing: 0, correct: 0, scoreBps: 0 });
  });

  it("counts exactly what the formula in score.ts says, on random and malformed outputs", function () {
    // The kernel is generated and unrolled for speed; this is the formula written plainly, sample by sample.
    const plain = (provider: Float32Array, reference: Float32Array, labels: number[]) => {
      let agreeing = 0;
      let correct = 0;
      let malformed = 0;
      labels.forEach((label, i) => {
        const p = Array.from(provider.subarray(i * CLASSES, (i + 1) * CLASSES));
        const r = Array.from(reference.subarray(i * CLASSES, (i + 1) * CLASSES));
        const argmax = (v: number[]) => v.reduce((best, x, k) => (x > v[best]! ? k : best), 0);
        const sum = p.reduce((a, b) => a + b, 0);
        if (p.some((x) => !(x >= 0)) || !(Math.abs(sum - 1) <= 1e-3)) return void malformed++;
        if (argmax(p) === label) correct++;
        const inBand = p.every((x, k) => Math.abs(x - r[k]!) <= 1e-3 + 1e-2 * r[k]!);
        if (inBand && argmax(p) === argmax(r)) agreeing++;
      });
      return { agreeing, correct, malformed };
    };
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const softmax = () => {
      const e = Array.from({ length: CLASSES }, () => Math.exp(6 * random()));
      const total = e.reduce((a, b) => a + b, 0);
      return e.map((x) => x / total);
    };
    const n = 600;
    const reference = new Float32Array(n * CLASSES);
    const provider = new Float32Array(n * CLASSES);
    const labels: number[] = [];
    for (let i = 0; i < n; i++) {
      const r = softmax();
      reference.set(r, i * CLASSES);
      const kind = i % 6; // 0: exact, 1: within the band, 2: another model, 3: > 1, 4: NaN, 5: negative
      const p = kind === 2 ? softmax() : r.map((x) => (kind === 1 ? x * (1 + 2e-3 * (random() - 0.5)) : x));
      if (kind === 3) p[i % CLASSES] = 1.5;
      if (kind === 4) p[i % CLASSES] = Number.NaN;
      if (kind === 5) p[i % CLASSES] = -1e-6;
      provider.set(p, i * CLASSES);
      labels.push(Math.floor(random() * CLASSES));
    }
    const expected = plain(provider, reference, labels);
    expect(expected.malformed).to.equal(300);
    expect(expected.agreeing).to.be.within(150, 300);
    expect(scoreSamples(provider, reference, labels)).to.include(expected);
  });

  it("draws the same samples for the same round and others for another round", function () {
    const a = drawSamples(7n, 1n, 50);
    expect(drawSamples(7n, 1n, 50).offset).to.equal(a.offset);
    expect(drawSamples(8n, 1n, 50).offset).to.not.equal(a.offset);
    expect(drawSamples(7n, 2n, 50).offset).to.not.equal(a.offset);
    // A draw of the whole pool holds every held-out digit exactly once.
    const evalSet = loadMnist().eval;
    const histogram = (labels: ArrayLike<number>) =>
      Array.from(labels).reduce((h, l) => (h[l]!++, h), new Array<number>(10).fill(0));
    const all = drawSamples(7n, 1n, evalSet.count);
    expect(histogram(all.labels)).to.deep.equal(histogram(evalSet.labels));
    expect(() => drawSamples(7n, 1n, evalSet.count + 1)).to.throw("samples must be between 1 and 2004");
  });
});

describe("verification reports", function () {
  const dir = temporaryDirectory("curia-verify-test-");
  let system: System;
  const providers: RunningProvider[] = [];
  const listings: Record<"honest" | "degraded" | "random", bigint> = { honest: 0n, degraded: 0n, random: 0n };
  let verifier: Verifier;
  let client: InferenceClient;
  let clock: ChainClock;

  const target = async (listingId: bigint, roundId = 1n): Promise<ListingTarget> => {
    const listing = await system.registry.getListing(listingId);
    return {
      listingId,
      endpoint: listing.endpointURI,
      modelHash: listing.modelHash,
      metadataURI: listing.metadataURI,
      roundId,
    };
  };

  before(async function () {
    system = await deploySystem(dir.path);
    const consumer = system.signer(ACCOUNTS.consumer);
    for (const mode of ["honest", "degraded", "random"] as const) {
      // Every provider claims the reference model; only the honest one serves it.
      const listingId = await listReferenceModel(
        system,
        mode === "honest" ? ACCOUNTS.provider : ACCOUNTS.cheater,
        mode,
      );
      const provider = await startProvider(system, mode, [listingId]);
      providers.push(provider);
      await setEndpoint(system, mode === "honest" ? ACCOUNTS.provider : ACCOUNTS.cheater, listingId, provider.url);
      await (await system.registry.connect(consumer).purchase(listingId, 1000n, consumer.address, MaxUint256)).wait();
      listings[mode] = listingId;
    }
    verifier = new Verifier({
      fetch: { ipfsGateway: "http://127.0.0.1:1" },
      samples: 300,
      batchSize: 128,
      executionProvider: "auto",
      log: createLogger("validator", { level: "error" }),
    });
    clock = await ChainClock.start(system.connection.ethers.provider, 500);
    for (const p of providers) await p.clock.refresh(); // the listings created after it moved the chain's time
    client = new InferenceClient(
      consumer,
      inferenceDomain(system.record.chainId, await system.registry.getAddress()),
      listingKeysOf(system.registry),
      { chainNow: () => clock.now() },
    );
  });

  after(async function () {
    clock?.stop();
    await verifier?.close();
    for (const p of providers) await p.close();
    dir.remove();
  });

  it("scores the honest provider high: full agreement, the reference model's accuracy", async function () {
    const report = await verifier.verifyListing(await target(listings.honest), client);
    expect(report.samples).to.equal(300);
    expect(report.agreement).to.equal(1);
    expect(report.maxAbsDiff).to.be.below(1e-5);
    expect(report.accuracy).to.equal(report.referenceAccuracy);
    expect(report.accuracy).to.be.above(0.88);
    expect(report.scoreBps).to.be.above(9_500);
    expect(report.executionProvider).to.be.oneOf(["cuda", "cpu"]);
    expect(providers[0]!.server.requestsServed).to.equal(3); // 300 samples in batches of 128
  });

  it("scores the degraded model low: no agreement, lower accuracy", async function () {
    const report = await verifier.verifyListing(await target(listings.degraded), client);
    expect(report.agreement).to.be.below(0.05);
    expect(report.accuracy).to.be.below(report.referenceAccuracy);
    expect(report.accuracy).to.be.above(0.5); // a plausible cheaper model, not noise
    expect(report.scoreBps).to.be.below(3_000); // the local minimum quality: it will be disputed
  });

  it("scores random answers near zero", async function () {
    const report = await verifier.verifyListing(await target(listings.random), client);
    expect(report.agreement).to.equal(0);
    expect(report.scoreBps).to.be.below(800);
  });

  it("runs as `curia-validator verify <listing> --json` and `status --json` with a dev account", async function () {
    const cli = (args: string[]) =>
      runCli([...args, "--rpc-url", system.chain.url, "--deployment", system.deploymentPath, "--dev-account", "14"]);
    const verify = await cli(["verify", listings.honest.toString(), "--json", "--samples", "64", "--round", "5"]);
    expect(verify.status, verify.stderr).to.equal(0);
    const report = JSON.parse(verify.stdout) as {
      scoreBps: number;
      samples: number;
      agreement: number;
      roundId: string;
    };
    expect(report).to.include({ samples: 64, agreement: 1, roundId: "5" });
    expect(report.scoreBps).to.be.above(9_000);
    expect(verify.stderr).to.contain("Hardhat test account #14 (public key, development only)");
    expect(verify.stderr).to.contain("onnxruntime execution provider:");

    const status = await cli(["status", "--json"]);
    expect(status.status, status.stderr).to.equal(0);
    const [row] = JSON.parse(status.stdout) as { address: string; registered: boolean; pendingRounds: string[] }[];
    expect(row).to.deep.include({ registered: false, pendingRounds: [] });
    expect(row!.address).to.equal("0xdF3e18d64BC6A983f673Ab319CCaE4f1a57C7097");
  });

  it("refuses a model whose content hash does not match the listing's modelHash", async function () {
    const { degraded, reference } = ensureModels();
    const listingId = await system.createActiveListing(
      system.signer(ACCOUNTS.cheater),
      degraded.modelHash, // claims the degraded model's hash …
      metadataFor("mismatch", reference.path), // … but points at the reference file
      providers[0]!.url,
    );
    let error: unknown;
    try {
      await verifier.verifyListing(await target(listingId), client);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(ModelHashMismatchError);
    expect((error as ModelHashMismatchError).expected).to.equal(degraded.modelHash);
    expect((error as ModelHashMismatchError).actual).to.equal(reference.modelHash);

    // The CLI says so and exits non-zero.
    const cli = await runCli([
      "verify",
      listingId.toString(),
      "--rpc-url",
      system.chain.url,
      "--deployment",
      system.deploymentPath,
      "--dev-account",
      String(ACCOUNTS.consumer),
      "--samples",
      "10",
    ]);
    expect(cli.status, cli.stderr).to.equal(1);
    expect(cli.stderr).to.contain("model refused");
    expect(cli.stderr).to.contain(degraded.modelHash);
  });
});
