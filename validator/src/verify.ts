// One verification: the listing's model is fetched and hash-checked, samples are drawn from the held-out set (seeded by
// the round), the provider answers them through signed requests, the reference model re-executes them with
// onnxruntime-node, and the two are scored (score.ts).
import { readFile } from "node:fs/promises";
import { createHash } from "node:crypto";
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
import { Prng } from "./model/prng.js";
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
  const seed = createHash("sha256").update(`curia-validation:${roundId}:${listingId}`).digest().readUInt32BE(0);
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

export class Verifier {
  private readonly sessions = new Map<string, Promise<ModelSession>>();

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
      session.catch(() => this.sessions.delete(modelHash));
      this.sessions.set(modelHash, session);
    }
    return session;
  }

  async modelUriFor(target: ListingTarget): Promise<string> {
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
    const log = this.options.log.child({ listing: target.listingId, round: target.roundId });
    const modelURI = await this.modelUriFor(target);
    // Content addressing: a model already fetched and checked against this hash needs no second download.
    const cached = this.sessions.get(target.modelHash);
    const session =
      cached !== undefined
        ? await cached
        : await this.sessionFor(
            await fetchVerifiedModel(modelURI, target.modelHash, this.options.fetch),
            target.modelHash,
          );
    const modelMs = performance.now() - started;

    let t = performance.now();
    const { images, labels } = drawSamples(target.roundId, target.listingId, this.samples);
    const sampleMs = performance.now() - t;

    t = performance.now();
    const batch = this.options.batchSize ?? 100;
    const providerOut = new Float32Array(labels.length * CLASSES);
    const bar =
      this.options.progress === true && process.stderr.isTTY
        ? new cliProgress.SingleBar(
            { format: "verifying [{bar}] {value}/{total} samples", stream: process.stderr, clearOnComplete: true },
            cliProgress.Presets.shades_classic,
          )
        : undefined;
    bar?.start(labels.length, 0);
    try {
      for (let start = 0; start < labels.length; start += batch) {
        const count = Math.min(batch, labels.length - start);
        const chunk = images.subarray(start * INPUT_SIZE, (start + count) * INPUT_SIZE);
        providerOut.set(await client.infer(target.endpoint, target.listingId, chunk, count), start * CLASSES);
        bar?.update(start + count);
      }
    } finally {
      bar?.stop();
    }
    const providerMs = performance.now() - t;

    const local = await this.scoreLocally(session, images, labels, providerOut);
    const report: VerificationReport = {
      listingId: target.listingId.toString(),
      roundId: target.roundId.toString(),
      endpoint: target.endpoint,
      modelURI,
      modelHash: target.modelHash,
      executionProvider: session.executionProvider,
      ...local.result,
      timings: {
        modelMs,
        sampleMs,
        providerMs,
        referenceMs: local.referenceMs,
        scoreMs: local.scoreMs,
        totalMs: performance.now() - started,
      },
    };
    log.info("verified", {
      scoreBps: report.scoreBps,
      agreement: report.agreement,
      accuracy: report.accuracy,
      samples: report.samples,
      executionProvider: report.executionProvider,
    });
    return report;
  }

  /** The local half of a verification: re-execution on the reference model and scoring. */
  async scoreLocally(
    session: ModelSession,
    images: Float32Array,
    labels: Uint8Array,
    providerOut: Float32Array,
  ): Promise<{ result: ScoreResult; referenceMs: number; scoreMs: number }> {
    let t = performance.now();
    const reference = await session.run(images, labels.length);
    const referenceMs = performance.now() - t;
    t = performance.now();
    const result = scoreSamples(providerOut, reference, labels, this.options.score ?? DEFAULT_SCORE_PARAMS);
    return { result, referenceMs, scoreMs: performance.now() - t };
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
  }
}
