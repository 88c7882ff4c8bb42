// The inference tasks a listing can declare, and the listing metadata that names one. Shared facts only: a task's id,
// version and wire shape (values per input and per output, float32 as everywhere on the wire: inference.ts), and the
// metric it is judged by. How a task is run and scored (its plugin) lives in @curia/validator (src/tasks/), which the
// validator and the sample provider both import.

export const TASK_IDS = ["mnist", "vad", "ocr"] as const;
export type TaskId = (typeof TASK_IDS)[number];

export interface TaskSpec {
  id: TaskId;
  /** Bumped whenever the wire shape, the pre/post-processing or the metric changes: old receipts keep their version. */
  version: number;
  /** Float32 values per input row and per output row (a request carries whole rows). */
  inputSize: number;
  outputSize: number;
  /** What the validator measures against the reference model's output (shown to buyers). */
  metric: string;
  /**
   * How the task's metric maps onto the chain's quality scale (what a validator commits); absent: the metric's score
   * is committed as it is (MNIST). See taskQualityBps.
   */
  qualityScale?: QualityScale;
}

/**
 * The on-chain quality a task's pass mark maps to: the ValidationManager's default minQualityBps
 * (deploy/validation-config.ts), the one threshold under which a round's median opens the pool's dispute. One number
 * serves every task because each task's metric is mapped onto the chain's scale (taskQualityBps) so that its own pass
 * mark lands here.
 */
export const QUALITY_PASS_BPS = 3_000;

/**
 * A task's quality scale: linear in the task's metric score (10,000 × its metric as a share of a perfect answer set:
 * VAD 10,000 × frame agreement, OCR 10,000 × (1 − CER)), through (passMetricBps → QUALITY_PASS_BPS) and
 * (10,000 → 10,000), clamped at 0 below the zero point that line crosses. Why: a task whose honest runs agree on
 * (almost) everything and whose cheap substitute still agrees on most of it (fp16 VAD ~69 % of frames, half-width OCR
 * ~74 % of characters) would otherwise commit ~7,000, above the chain's threshold, and no round would dispute it.
 */
export interface QualityScale {
  /** The metric score (bps) at and above which the task passes: it maps to QUALITY_PASS_BPS. */
  passMetricBps: number;
}

/** The metric score (bps) a task's quality scale maps to 0 (rounded); 0 for a task without a scale. */
export function qualityZeroBps(spec: TaskSpec): number {
  const pass = spec.qualityScale?.passMetricBps;
  if (pass === undefined) return 0;
  return Math.round(pass - (QUALITY_PASS_BPS * (10_000 - pass)) / (10_000 - QUALITY_PASS_BPS));
}

/**
 * What a validator commits for a task's metric score `metricBps` (0 … 10,000): the task's quality scale applied
 * (rounded, clamped to 0 … 10,000), or the metric score itself for a task without one.
 */
export function taskQualityBps(spec: TaskSpec, metricBps: number): number {
  if (!Number.isFinite(metricBps)) throw new RangeError(`${spec.id}: a metric score must be finite, got ${metricBps}`);
  const pass = spec.qualityScale?.passMetricBps;
  if (pass === undefined) return Math.max(0, Math.min(10_000, Math.round(metricBps)));
  const quality = QUALITY_PASS_BPS + ((metricBps - pass) * (10_000 - QUALITY_PASS_BPS)) / (10_000 - pass);
  return Math.max(0, Math.min(10_000, Math.round(quality)));
}

/** 16 kHz audio clip of VAD_FRAMES frames of 512 samples (Silero VAD's window at 16 kHz). */
export const VAD_SAMPLE_RATE = 16_000;
export const VAD_FRAME = 512;
export const VAD_FRAMES = 48;
/** OCR text-line image: grayscale, PP-OCRv4 recognition's 48-pixel height, a fixed 320-pixel width. */
export const OCR_HEIGHT = 48;
export const OCR_WIDTH = 320;
/** The recognised line as dictionary indices (0 = none), PP-OCRv4's 40 CTC steps at width 320. */
export const OCR_MAX_CHARS = 40;

export const TASKS: Readonly<Record<TaskId, TaskSpec>> = {
  mnist: {
    id: "mnist",
    version: 1,
    inputSize: 784,
    outputSize: 10,
    metric: "agreement with the reference probabilities (atol 1e-3 + rtol 1e-2) and accuracy",
  },
  vad: {
    id: "vad",
    version: 1,
    inputSize: VAD_FRAME * VAD_FRAMES,
    outputSize: VAD_FRAMES,
    metric: "frame agreement: speech/non-speech decisions (p ≥ 0.5) equal to the reference model's",
    // Honest runs agree on 100 % of frames (fp32 exports, batch sizes); fp16 Silero on ~69 % (tasks-vad.test.ts).
    qualityScale: { passMetricBps: 9_700 },
  },
  ocr: {
    id: "ocr",
    version: 1,
    inputSize: OCR_HEIGHT * OCR_WIDTH,
    outputSize: OCR_MAX_CHARS,
    metric: "character error rate against the reference model's text (and the rendered ground truth)",
    // Honest runs read every line as the reference does (CER 0); half-width input ~26 % CER (tasks-ocr.test.ts).
    qualityScale: { passMetricBps: 9_800 },
  },
};

/**
 * The task's quality scale in words, for buyers (the web app's listing page) and reports: how its metric becomes the
 * quality the chain records. Undefined for a task scored on the chain's scale directly (MNIST).
 */
export function qualityScaleSummary(spec: TaskSpec): string | undefined {
  const pass = spec.qualityScale?.passMetricBps;
  if (pass === undefined) return undefined;
  const pct = (bps: number) => `${(bps / 100).toFixed(2).replace(/\.?0+$/, "")} %`;
  return (
    `on the chain's quality scale, ${pct(pass)} of the metric's perfect score (its pass mark) is ` +
    `${QUALITY_PASS_BPS.toLocaleString("en-US")} bps, the default minimum below which a round disputes the listing; ` +
    `100 % is 10,000 bps and ${pct(qualityZeroBps(spec))} or less is 0`
  );
}

/** A task's spec, or a clear error naming the known ones. */
export function taskSpec(id: string, version?: number): TaskSpec {
  const spec = (TASKS as Record<string, TaskSpec | undefined>)[id];
  if (spec === undefined) throw new Error(`unknown task "${id}" (known: ${TASK_IDS.join(", ")})`);
  if (version !== undefined && version !== spec.version) {
    throw new Error(`task ${id} version ${version} is not supported (this build speaks version ${spec.version})`);
  }
  return spec;
}

/** What a listing's metadataURI resolves to (JSON). */
export interface ListingMetadata {
  name: string;
  description?: string;
  task: TaskId;
  taskVersion: number;
  /** 0x SHA-256 of the model file: the listing's on-chain modelHash. */
  modelHash?: string;
  modelURI?: string;
}

/** Metadata written before tasks existed named the MNIST task in words; it still reads as mnist v1. */
const LEGACY_TASK_NAMES: Record<string, TaskId> = { "mnist digit classification": "mnist" };

/** Parses listing metadata JSON (already decoded), with a clear error for each bad field. */
export function parseListingMetadata(json: unknown): ListingMetadata {
  if (typeof json !== "object" || json === null) throw new Error("listing metadata must be a JSON object");
  const raw = json as Record<string, unknown>;
  if (typeof raw.name !== "string" || raw.name === "") throw new Error("listing metadata needs a name");
  if (typeof raw.task !== "string") throw new Error(`listing metadata needs a task (one of ${TASK_IDS.join(", ")})`);
  const legacy = LEGACY_TASK_NAMES[raw.task];
  const task = legacy ?? raw.task;
  if (raw.taskVersion !== undefined && (typeof raw.taskVersion !== "number" || !Number.isInteger(raw.taskVersion))) {
    throw new Error(`listing metadata's taskVersion must be an integer, got ${JSON.stringify(raw.taskVersion)}`);
  }
  const spec = taskSpec(task, legacy !== undefined ? undefined : (raw.taskVersion as number | undefined));
  if (
    raw.modelHash !== undefined &&
    (typeof raw.modelHash !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(raw.modelHash))
  ) {
    throw new Error(`listing metadata's modelHash must be a 0x-prefixed 32-byte hex string`);
  }
  for (const key of ["description", "modelURI"] as const) {
    if (raw[key] !== undefined && typeof raw[key] !== "string")
      throw new Error(`listing metadata's ${key} must be text`);
  }
  return {
    name: raw.name,
    task: spec.id,
    taskVersion: (raw.taskVersion as number | undefined) ?? spec.version,
    ...(typeof raw.description === "string" ? { description: raw.description } : {}),
    ...(typeof raw.modelHash === "string" ? { modelHash: raw.modelHash.toLowerCase() } : {}),
    ...(typeof raw.modelURI === "string" ? { modelURI: raw.modelURI } : {}),
  };
}

/**
 * A sample input of a task with the answers of the listings that serve it (the demo's honest and cheating listing of
 * the same task), as `npm start` writes it for the web app's listing page (task-samples.json): buyers see on one
 * input what the cheaper model gets wrong.
 */
export interface TaskSample {
  task: TaskId;
  /** The input as a browser shows it: a PNG of the OCR text line, a WAV of the VAD clip (data: URLs). */
  input: { kind: "image" | "audio"; dataUrl: string };
  /** OCR: the rendered text; VAD: per frame 1 where speech was mixed in. */
  truth: string | number[];
  answers: TaskSampleAnswer[];
}

export interface TaskSampleAnswer {
  listingId: string;
  role: "honest" | "cheating";
  /** OCR: the recognised text; VAD: each frame's speech probability. */
  answer: string | number[];
  /** The task's single-answer rule against the honest listing's answer (what a fraud proof would find). */
  deviation: number;
  within: boolean;
}

export interface TaskSampleFile {
  /** Unix seconds. */
  generatedAt: number;
  samples: TaskSample[];
}

/** Parses task-samples.json (already decoded), with a clear error for what is wrong. */
export function parseTaskSamples(json: unknown): TaskSampleFile {
  const fail = (what: string): never => {
    throw new Error(`task samples: ${what}`);
  };
  if (typeof json !== "object" || json === null) return fail("not a JSON object");
  const raw = json as Record<string, unknown>;
  if (typeof raw.generatedAt !== "number") fail("generatedAt must be a number");
  if (!Array.isArray(raw.samples)) return fail("samples must be a list");
  const isNumbers = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === "number");
  const samples = raw.samples.map((value: unknown, i): TaskSample => {
    const s = (value ?? {}) as Record<string, unknown>;
    const task = typeof s.task === "string" ? taskSpec(s.task).id : fail(`samples[${i}].task is missing`);
    const input = (s.input ?? {}) as Record<string, unknown>;
    if ((input.kind !== "image" && input.kind !== "audio") || typeof input.dataUrl !== "string") {
      fail(`samples[${i}].input needs kind (image or audio) and dataUrl`);
    }
    if (typeof input.dataUrl === "string" && !/^data:(image|audio)\//.test(input.dataUrl)) {
      fail(`samples[${i}].input.dataUrl must be a data: URL of an image or audio`);
    }
    const answerOk = (v: unknown) => (task === "ocr" ? typeof v === "string" : isNumbers(v));
    if (!answerOk(s.truth)) fail(`samples[${i}].truth has the wrong type for ${task}`);
    if (!Array.isArray(s.answers)) fail(`samples[${i}].answers must be a list`);
    const answers = (s.answers as unknown[]).map((a: unknown, j): TaskSampleAnswer => {
      const r = (a ?? {}) as Record<string, unknown>;
      if (typeof r.listingId !== "string" || !/^\d+$/.test(r.listingId)) fail(`samples[${i}].answers[${j}].listingId`);
      if (r.role !== "honest" && r.role !== "cheating") fail(`samples[${i}].answers[${j}].role`);
      if (!answerOk(r.answer)) fail(`samples[${i}].answers[${j}].answer has the wrong type for ${task}`);
      if (typeof r.deviation !== "number" || typeof r.within !== "boolean") {
        fail(`samples[${i}].answers[${j}] needs deviation and within`);
      }
      return r as unknown as TaskSampleAnswer;
    });
    return { task, input: input as TaskSample["input"], truth: s.truth as TaskSample["truth"], answers };
  });
  return { generatedAt: raw.generatedAt as number, samples };
}
