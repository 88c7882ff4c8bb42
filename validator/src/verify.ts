// One verification: the listing's model is fetched and hash-checked, samples are drawn from the held-out set (seeded by
// the round), the provider answers them through signed requests, the reference model re-executes them with
// onnxruntime-node, and the two are scored (score.ts).
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import cliProgress from "cli-progress";
import { parseListingMetadata, type TaskId } from "@curia/protocol";
import {
  ListingMetadataUnavailableError,
  ListingUnverifiableError,
  fetchBytes,
  fetchVerifiedModel,
  modelUriFromMetadata,
  shortUri,
  type FetchOptions,
} from "./fetch-model.js";
import type { Logger } from "./log.js";
import { CLASSES, INPUT_SIZE, evalPool, loadMnist } from "./model/dataset.js";
import { modelHashOf } from "./model/hash.js";
import { argmax } from "./model/mlp.js";
import { Prng, seedFrom } from "./model/prng.js";
import { createSession, type ExecutionProvider, type ModelSession } from "./runtime.js";
import { DEFAULT_SCORE_PARAMS, scoreSamples, type ScoreParams, type ScoreResult } from "./score.js";
import { mnistTask, taskFor } from "./tasks/index.js";
import type { TaskPlugin, TaskRunner, TaskScore } from "./tasks/types.js";

/** Values per input row and per output row of a request (a task's wire shape; MNIST's by default). */
export interface RowShape {
  inputSize: number;
  outputSize: number;
}
const MNIST_SHAPE: RowShape = { inputSize: INPUT_SIZE, outputSize: CLASSES };

export interface VerifierOptions {
  fetch: FetchOptions;
  /** Samples per verification (default 200); each one is a paid call. */
  samples?: number;
  /** Per task: samples in place of `samples` (a task whose inputs cost more to make and run may need fewer). */
  taskSamples?: Partial<Record<TaskId, number>>;
  /** Samples per provider request (default 100). */
  batchSize?: number;
  executionProvider?: ExecutionProvider | "auto";
  score?: ScoreParams;
  log: Logger;
  /** A progress bar on stderr (only drawn when stderr is a TTY). */
  progress?: boolean;
  /** Model URIs by listing id ("*": any listing) used instead of the one the listing's metadata names. */
  modelURIs?: Record<string, string>;
  /**
   * The private seed a non-MNIST task's evaluation inputs are generated from (32+ bytes; each round and listing gets
   * its own inputs from it). Default: 32 random bytes per Verifier, so nothing a provider could look up in advance.
   */
  evalSecret?: Uint8Array;
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
  /** The listing's task (its metadata's; MNIST when it names none). */
  task: string;
  /** A non-MNIST task's own verdict (its metric, pass mark, details); scoreBps above is its scoreBps. */
  taskScore?: TaskScore;
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
  infer(
    endpoint: string,
    listingId: bigint,
    images: Float32Array,
    count: number,
    shape?: RowShape,
  ): Promise<Float32Array>;
}

/** An MNIST session or a task plugin's runner: both answer whole rows. */
type Session = ModelSession | TaskRunner;

interface LoadedModel {
  session: Session;
  /** Where the model was fetched from (the first time its hash was needed). */
  modelURI: string;
}

export class Verifier {
  /** Sessions by model hash, while loading and after. */
  private readonly sessions = new Map<string, Promise<Session>>();
  /** The loaded ones, looked up without an await. */
  private readonly loaded = new Map<string, LoadedModel>();
  /** Task plugins by metadata URI (the URI is on-chain; its content is read once). */
  private readonly tasks = new Map<string, Promise<TaskPlugin>>();
  private readonly evalSecret: Uint8Array;

  constructor(readonly options: VerifierOptions) {
    this.evalSecret = options.evalSecret ?? new Uint8Array(randomBytes(32));
  }

  /**
   * The listing's task plugin, from its metadata (@curia/protocol's parseListingMetadata). Metadata that cannot be
   * fetched throws ListingMetadataUnavailableError (nothing is remembered: the next call reads again); metadata that is
   * not a JSON object, names an unknown task or an unsupported version makes the listing unverifiable. Only a JSON
   * object naming no task at all is an MNIST listing, as listings were before tasks existed.
   */
  taskOf(target: Pick<ListingTarget, "listingId" | "metadataURI">): Promise<TaskPlugin> {
    let task = this.tasks.get(target.metadataURI);
    if (task === undefined) {
      task = this.readTask(target);
      task.catch(() => this.tasks.delete(target.metadataURI));
      this.tasks.set(target.metadataURI, task);
    }
    return task;
  }

  private async readTask(target: Pick<ListingTarget, "listingId" | "metadataURI">): Promise<TaskPlugin> {
    const where = `listing ${target.listingId}: its metadata at ${shortUri(target.metadataURI)}`;
    let bytes: Uint8Array;
    try {
      bytes = await fetchBytes(target.metadataURI, this.options.fetch);
    } catch (error) {
      throw new ListingMetadataUnavailableError(target.listingId, target.metadataURI, (error as Error).message);
    }
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(bytes).toString("utf8"));
    } catch (error) {
      throw new ListingUnverifiableError(`${where} is not JSON (${(error as Error).message})`);
    }
    if (typeof json !== "object" || json === null || Array.isArray(json)) {
      throw new ListingUnverifiableError(`${where} is not a JSON object`);
    }
    if ((json as { task?: unknown }).task === undefined) return mnistTask;
    try {
      const metadata = parseListingMetadata(json);
      return taskFor(metadata.task, metadata.taskVersion);
    } catch (error) {
      throw new ListingUnverifiableError(`${where}: ${(error as Error).message}`);
    }
  }

  /** Sessions of non-MNIST tasks are keyed by task too: the same bytes under another task run another pipeline. */
  private static key(task: TaskPlugin, modelHash: string): string {
    return task.spec.id === "mnist" ? modelHash : `${task.spec.id}:${modelHash}`;
  }

  get samples(): number {
    return this.options.samples ?? 200;
  }

  /** Samples a verification or a round's probes of a listing of `task` take (its taskSamples, else samples). */
  samplesFor(task: TaskPlugin): number {
    return this.options.taskSamples?.[task.spec.id] ?? this.samples;
  }

  /** A session on the model whose SHA-256 is `modelHash`, loaded once per hash (the bytes were checked against it). */
  sessionFor(bytes: Uint8Array, modelHash: string, task: TaskPlugin = mnistTask): Promise<Session> {
    const key = Verifier.key(task, modelHash);
    let session = this.sessions.get(key);
    if (session === undefined) {
      const executionProvider = this.options.executionProvider ?? "auto";
      const opened: Promise<Session> =
        task.spec.id === "mnist"
          ? createSession(bytes, { executionProvider })
          : task.open(bytes, { executionProvider });
      session = opened.then((s) => {
        this.options.log.info(`onnxruntime execution provider: ${s.executionProvider}`, {
          modelHash,
          task: task.spec.id,
          ...(s.cudaError !== undefined ? { cudaUnavailable: s.cudaError } : {}),
        });
        return s;
      });
      session.catch(() => {
        this.sessions.delete(key);
        this.loaded.delete(key);
      });
      this.sessions.set(key, session);
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
    const task = await this.taskOf(target);
    if (task.spec.id !== "mnist") return this.verifyTaskListing(target, client, task, started);
    // Content addressing: a model already fetched and checked against this hash needs no second download (nor a
    // second look at the listing's metadata): the synchronous lookup keeps the common case off the event loop.
    const loaded = this.loaded.get(target.modelHash) ?? (await this.fetchModel(target, mnistTask));
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
      task: "mnist",
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
    // The listing's task decides which pipeline re-executes its inputs (a VAD clip is not run as MNIST images).
    const task = await this.taskOf(target);
    const { session } = this.loaded.get(Verifier.key(task, target.modelHash)) ?? (await this.fetchModel(target, task));
    return { outputs: await session.run(images, count), executionProvider: session.executionProvider };
  }

  /** Fetches the listing's model, checks it against the listing's modelHash and loads it (once per hash). */
  private async fetchModel(
    target: Pick<ListingTarget, "listingId" | "modelHash" | "metadataURI">,
    task: TaskPlugin,
  ): Promise<LoadedModel> {
    const key = Verifier.key(task, target.modelHash);
    const modelURI = await this.modelUriFor(target);
    const session = await (this.sessions.get(key) ??
      this.sessionFor(
        await fetchVerifiedModel(modelURI, target.modelHash, this.options.fetch),
        target.modelHash,
        task,
      ));
    const loaded = { session, modelURI };
    this.loaded.set(key, loaded);
    return loaded;
  }

  /**
   * A verification of a non-MNIST listing: `samples` fresh inputs generated from the private evaluation secret for this
   * round and listing (nothing public to memorise), the provider's answers, the reference re-executed through the
   * task's pipeline, and the plugin's metric.
   */
  private async verifyTaskListing(
    target: ListingTarget,
    client: InferenceSource,
    task: TaskPlugin,
    started: number,
  ): Promise<VerificationReport> {
    const { session, modelURI } =
      this.loaded.get(Verifier.key(task, target.modelHash)) ?? (await this.fetchModel(target, task));
    const modelMs = performance.now() - started;
    let t = performance.now();
    const evalInputs = await task.generate(
      this.evalSecret,
      `round:${target.roundId}:listing:${target.listingId}`,
      this.samplesFor(task),
    );
    const sampleMs = performance.now() - t;
    const runStarted = performance.now();
    let referenceMs = 0;
    const referenceRun = session.run(evalInputs.inputs, evalInputs.count).then((out) => {
      referenceMs = performance.now() - runStarted;
      return out;
    });
    referenceRun.catch(() => undefined);
    t = performance.now();
    const providerOut = await this.collectAnswers(target, client, evalInputs.inputs, evalInputs.count, task.spec);
    const providerMs = performance.now() - t;
    const reference = await referenceRun;
    t = performance.now();
    const taskScore = task.score(providerOut, reference, evalInputs);
    const scoreMs = performance.now() - t;
    // Agreement in the task's own metric (before its quality scale): what the samples showed, not what is committed.
    const metricBps = taskScore.detail.metricBps ?? taskScore.scoreBps;
    const agreeing = Math.round((metricBps * taskScore.samples) / 10_000);
    const report: VerificationReport = {
      listingId: target.listingId.toString(),
      roundId: target.roundId.toString(),
      endpoint: target.endpoint,
      modelURI,
      modelHash: target.modelHash,
      executionProvider: session.executionProvider,
      task: task.spec.id,
      taskScore,
      // MNIST's fields, filled from the task's verdict: agreement is the task's score; accuracy needs labels it lacks.
      samples: taskScore.samples,
      agreeing,
      correct: 0,
      referenceCorrect: 0,
      malformed: taskScore.malformed,
      agreement: metricBps / 10_000,
      accuracy: 0,
      referenceAccuracy: 0,
      maxAbsDiff: taskScore.detail.maxAbsDiff ?? NaN,
      scoreBps: taskScore.scoreBps,
      timings: { modelMs, sampleMs, providerMs, referenceMs, scoreMs, totalMs: performance.now() - started },
    };
    this.options.log.info("verified", {
      listing: target.listingId,
      round: target.roundId,
      task: task.spec.id,
      scoreBps: report.scoreBps,
      [taskScore.metricName]: taskScore.metric,
      passed: taskScore.passed,
      samples: report.samples,
      executionProvider: report.executionProvider,
    });
    return report;
  }

  /** The provider's answers to `images`, in requests of at most `batchSize` samples. */
  private collectAnswers(
    target: ListingTarget,
    client: InferenceSource,
    images: Float32Array,
    count: number,
    shape?: RowShape,
  ): Promise<Float32Array> {
    const batch = this.options.batchSize ?? 100;
    const { inputSize, outputSize } = shape ?? MNIST_SHAPE;
    const answer = (start: number, size: number) =>
      (shape === undefined
        ? client.infer(
            target.endpoint,
            target.listingId,
            images.subarray(start * inputSize, (start + size) * inputSize),
            size,
          )
        : client.infer(
            target.endpoint,
            target.listingId,
            images.subarray(start * inputSize, (start + size) * inputSize),
            size,
            { inputSize, outputSize },
          )
      ).then((out) => {
        if (out.length !== size * outputSize) {
          throw new Error(`provider ${target.endpoint} returned ${out.length} outputs for ${size} samples`);
        }
        return out;
      });
    // One request: its answer is the whole output, no copy.
    if (count <= batch) return answer(0, count);
    return this.collectInBatches(answer, count, batch, outputSize);
  }

  private async collectInBatches(
    answer: (start: number, size: number) => Promise<Float32Array>,
    count: number,
    batch: number,
    outputSize: number,
  ): Promise<Float32Array> {
    const providerOut = new Float32Array(count * outputSize);
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
        providerOut.set(await answer(start, size), start * outputSize);
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
    this.tasks.clear();
  }
}
