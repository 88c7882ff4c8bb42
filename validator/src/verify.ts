// One verification: the listing's model is fetched and hash-checked, samples are drawn from the held-out set (seeded by
// the round), the provider answers them through signed requests, the reference model re-executes them with
// onnxruntime-node, and the two are scored (score.ts).
import { readFile } from "node:fs/promises";
import cliProgress from "cli-progress";
import {
  ListingUnverifiableError,
  fetchVerifiedModel,
  modelUriFromMetadata,
  type FetchOptions,
} from "./fetch-model.js";
import type { Logger } from "./log.js";
import { CLASSES, INPUT_SIZE, evalPool, loadMnist } from "./model/dataset.js";
import { modelHashOf } from "./model/hash.js";
import { argmax } from "./model/mlp.js";
import { Prng, seedFrom } from "./model/prng.js";
import { createSession, type ExecutionProvider, type ModelSession } from "./runtime.js";
import { DEFAULT_SCORE_PARAMS, scoreSamples, type ScoreParams, type ScoreResult } from "./score.js";

export interface VerifierOptions {
  fetch: FetchOptions;
  /** Samples per verification (default 200); each one is a paid call. */
  samples?: number;
  /** Samples per provider request (default 100). */
  batchSize?: number;
  executionProvider?: ExecutionProvider | "auto";
  score?: ScoreParams;
  log: Logger;
  /** A progress bar on stderr (only drawn when stderr is a TTY). */
  progress?: boolean;
  /** Model URIs by listing id ("*": any listing) used instead of the one the listing's metadata names. */
  modelURIs?: Record<string, string>;
}

export interface ListingTarget {
  listingId: bigint;
  endpoint: string;
  modelHash: string;
  metadataURI: string;
  /** Seeds the sample draw (0n for a one-off verification). */
  roundId: bigint;
}

export interface VerificationReport extends ScoreResult {
  listingId: string;
  roundId: string;
  endpoint: string;
  modelURI: string;
  modelHash: string;
  executionProvider: ExecutionProvider;
  /** Milliseconds; providerMs and referenceMs overlap (the reference model runs while the provider answers). */
  timings: {
    modelMs: number;
    sampleMs: number;
    providerMs: number;
    referenceMs: number;
    scoreMs: number;
    totalMs: number;
  };
}

export interface ModelFileReport {
  path: string;
  modelHash: string;
  executionProvider: ExecutionProvider;
  samples: number;
  accuracy: number;
  inferencesPerSecond: number;
}

/**
 * Where a verification's samples start in the shuffled evaluation pool (see {@link evalPool}): an offset drawn from a
 * seed derived from the round and the listing. Every member of a round's committee sees the same samples; the
 * provider cannot tell them from any other call.
 */
export function sampleOffset(roundId: bigint, listingId: bigint, poolSize: number): number {
  // FNV-1a, not a cryptographic hash: the seed only has to be the same for every member and differ between rounds
  // (the provider can compute it either way), and it is on every verification's critical path.
  const seed = seedFrom(`curia-validation:${roundId}:${listingId}`);
  return new Prng(seed).int(poolSize);
}

/** The `count` samples of a round: views into the pool (no copy), with their labels. */
export function drawSamples(
  roundId: bigint,
  listingId: bigint,
  count: number,
): { images: Float32Array; labels: Uint8Array; offset: number } {
  const pool = evalPool();
  if (!Number.isInteger(count) || count < 1 || count > pool.count) {
    throw new Error(`samples must be between 1 and ${pool.count}, got ${count}`);
  }
  const offset = sampleOffset(roundId, listingId, pool.count);
  return {
    images: pool.images.subarray(offset * INPUT_SIZE, (offset + count) * INPUT_SIZE),
    labels: pool.labels.subarray(offset, offset + count),
    offset,
  };
}

/** Where provider outputs come from: an {@link InferenceClient} (signed HTTP requests), or a recording in benchmarks. */
export interface InferenceSource {
  infer(endpoint: string, listingId: bigint, images: Float32Array, count: number): Promise<Float32Array>;
}

interface LoadedModel {
  session: ModelSession;
  /** Where the model was fetched from (the first time its hash was needed). */
  modelURI: string;
}

export class Verifier {
  /** Sessions by model hash, while loading and after. */
  private readonly sessions = new Map<string, Promise<ModelSession>>();
  /** The loaded ones, looked up without an await. */
  private readonly loaded = new Map<string, LoadedModel>();

  constructor(readonly options: VerifierOptions) {}

  get samples(): number {
    return this.options.samples ?? 200;
  }

  /** A session on the model whose SHA-256 is `modelHash`, loaded once per hash (the bytes were checked against it). */
  sessionFor(bytes: Uint8Array, modelHash: string): Promise<ModelSession> {
    let session = this.sessions.get(modelHash);
    if (session === undefined) {
      session = createSession(bytes, { executionProvider: this.options.executionProvider ?? "auto" }).then((s) => {
        this.options.log.info(`onnxruntime execution provider: ${s.executionProvider}`, {
          modelHash,
          ...(s.cudaError !== undefined ? { cudaUnavailable: s.cudaError } : {}),
        });
        return s;
      });
      session.catch(() => {
        this.sessions.delete(modelHash);
        this.loaded.delete(modelHash);
      });
      this.sessions.set(modelHash, session);
    }
    return session;
  }

  async modelUriFor(target: Pick<ListingTarget, "listingId" | "metadataURI">): Promise<string> {
    const override = this.options.modelURIs?.[target.listingId.toString()] ?? this.options.modelURIs?.["*"];
    if (override !== undefined) return override;
    const fromMetadata = await modelUriFromMetadata(target.metadataURI, this.options.fetch);
    if (fromMetadata === undefined) {
      throw new ListingUnverifiableError(
        `listing ${target.listingId}: its metadata (${target.metadataURI.slice(0, 80)}) names no modelURI; ` +
          `pass --model-uri ${target.listingId}=<uri>`,
      );
    }
    return fromMetadata;
  }

  async verifyListing(target: ListingTarget, client: InferenceSource): Promise<VerificationReport> {
    const started = performance.now();
    // Content addressing: a model already fetched and checked against this hash needs no second download (nor a
    // second look at the listing's metadata): the synchronous lookup keeps the common case off the event loop.
    const loaded = this.loaded.get(target.modelHash) ?? (await this.fetchModel(target));
    const { session, modelURI } = loaded;
    const modelMs = performance.now() - started;

    let t = performance.now();
    const { images, labels } = drawSamples(target.roundId, target.listingId, this.samples);
    const sampleMs = performance.now() - t;

    // The reference model runs while the provider's answers are on their way: its run occupies this thread, the
    // network does not, so an end-to-end verification costs max(provider, reference) + scoring, not their sum.
    const runStarted = performance.now();
    let referenceMs = 0;
    const referenceRun = session.run(images, labels.length).then((out) => {
      referenceMs = performance.now() - runStarted;
      return out;
    });
    referenceRun.catch(() => undefined); // awaited below; a provider failure must not leave it unhandled
    t = performance.now();
    const providerOut = await this.collectAnswers(target, client, images, labels.length);
    const providerMs = performance.now() - t;
    const reference = await referenceRun;

    t = performance.now();
    const result = scoreSamples(providerOut, reference, labels, this.options.score ?? DEFAULT_SCORE_PARAMS);
    const scoreMs = performance.now() - t;
    const report: VerificationReport = {
      listingId: target.listingId.toString(),
      roundId: target.roundId.toString(),
      endpoint: target.endpoint,
      modelURI,
      modelHash: target.modelHash,
      executionProvider: session.executionProvider,
      ...result,
      timings: { modelMs, sampleMs, providerMs, referenceMs, scoreMs, totalMs: performance.now() - started },
    };
    this.options.log.info("verified", {
      listing: target.listingId,
      round: target.roundId,
      scoreBps: report.scoreBps,
      agreement: report.agreement,
      accuracy: report.accuracy,
      samples: report.samples,
      executionProvider: report.executionProvider,
    });
    return report;
  }

  /**
   * The listing's declared model's outputs on `count` inputs (re-execution for fraud proofs and audits). The model is
   * fetched and checked against `modelHash` like in a verification.
   */
  async referenceOutputs(
    target: Pick<ListingTarget, "listingId" | "modelHash" | "metadataURI">,
    images: Float32Array,
    count: number,
  ): Promise<{ outputs: Float32Array; executionProvider: ExecutionProvider }> {
    const { session } = this.loaded.get(target.modelHash) ?? (await this.fetchModel(target));
    return { outputs: await session.run(images, count), executionProvider: session.executionProvider };
  }

  /** Fetches the listing's model, checks it against the listing's modelHash and loads it (once per hash). */
  private async fetchModel(
    target: Pick<ListingTarget, "listingId" | "modelHash" | "metadataURI">,
  ): Promise<LoadedModel> {
    const modelURI = await this.modelUriFor(target);
    const session = await (this.sessions.get(target.modelHash) ??
      this.sessionFor(await fetchVerifiedModel(modelURI, target.modelHash, this.options.fetch), target.modelHash));
    const loaded = { session, modelURI };
    this.loaded.set(target.modelHash, loaded);
    return loaded;
  }

  /** The provider's answers to `images`, in requests of at most `batchSize` samples. */
  private collectAnswers(
    target: ListingTarget,
    client: InferenceSource,
    images: Float32Array,
    count: number,
  ): Promise<Float32Array> {
    const batch = this.options.batchSize ?? 100;
    const answer = (start: number, size: number) =>
      client
        .infer(
          target.endpoint,
          target.listingId,
          images.subarray(start * INPUT_SIZE, (start + size) * INPUT_SIZE),
          size,
        )
        .then((out) => {
          if (out.length !== size * CLASSES) {
            throw new Error(`provider ${target.endpoint} returned ${out.length} outputs for ${size} samples`);
          }
          return out;
        });
    // One request: its answer is the whole output, no copy.
    if (count <= batch) return answer(0, count);
    return this.collectInBatches(answer, count, batch);
  }

  private async collectInBatches(
    answer: (start: number, size: number) => Promise<Float32Array>,
    count: number,
    batch: number,
  ): Promise<Float32Array> {
    const providerOut = new Float32Array(count * CLASSES);
    const bar =
      this.options.progress === true && process.stderr.isTTY
        ? new cliProgress.SingleBar(
            { format: "verifying [{bar}] {value}/{total} samples", stream: process.stderr, clearOnComplete: true },
            cliProgress.Presets.shades_classic,
          )
        : undefined;
    bar?.start(count, 0);
    try {
      for (let start = 0; start < count; start += batch) {
        const size = Math.min(batch, count - start);
        providerOut.set(await answer(start, size), start * CLASSES);
        bar?.update(start + size);
      }
    } finally {
      bar?.stop();
    }
    return providerOut;
  }

  /** A model file on its own: its content hash and its accuracy on the whole held-out set. */
  async verifyModelFile(path: string): Promise<ModelFileReport> {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (error) {
      throw new Error(
        `cannot read model file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
    const modelHash = modelHashOf(bytes);
    const session = await this.sessionFor(bytes, modelHash);
    const evalSet = loadMnist().eval;
    const t = performance.now();
    const out = await session.run(evalSet.images, evalSet.count);
    const seconds = (performance.now() - t) / 1000;
    let correct = 0;
    for (let i = 0; i < evalSet.count; i++)
      if (argmax(out.subarray(i * CLASSES, (i + 1) * CLASSES)) === evalSet.labels[i]) correct++;
    return {
      path,
      modelHash,
      executionProvider: session.executionProvider,
      samples: evalSet.count,
      accuracy: correct / evalSet.count,
      inferencesPerSecond: evalSet.count / seconds,
    };
  }

  async close(): Promise<void> {
    for (const session of this.sessions.values()) await (await session.catch(() => undefined))?.release();
    this.sessions.clear();
    this.loaded.clear();
  }
}
