// The task plugin interface: everything the validator, the sample provider, receipts and fraud proofs need to know
// about one kind of model. Wire facts (id, version, values per input and per output) come from @curia/protocol's
// TASKS; a plugin adds how inputs are made, how a model is run on them (pre- and post-processing around ONNX
// Runtime), and how a provider's outputs are judged against the reference model's.
import type { TaskSpec } from "@curia/protocol";
import type { ExecutionProvider } from "../runtime.js";

/** A loaded model that answers whole input rows with whole output rows (both row-major float32, the wire's shape). */
export interface TaskRunner {
  /** Where it runs: onnxruntime's CUDA execution provider when it loaded, else the CPU one. */
  executionProvider: ExecutionProvider;
  /** Why CUDA was not used (undefined when it runs). */
  cudaError?: string;
  run(inputs: Float32Array, count: number): Promise<Float32Array>;
  release(): Promise<void>;
}

export interface RunnerOptions {
  /** "auto" (default): CUDA when it loads, else CPU. */
  executionProvider?: ExecutionProvider | "auto";
  intraOpThreads?: number;
}

/** Evaluation inputs, generated from a private secret: nothing a provider could have looked up in advance. */
export interface EvalInputs {
  inputs: Float32Array;
  count: number;
  /** MNIST: the source digit's label of each input. */
  labels?: Uint8Array;
  /** OCR: the rendered text of each line; VAD: per frame 1 where speech was mixed in (ground truth, for the report). */
  truth?: string[] | Uint8Array;
}

/** A round's verdict on `samples` outputs of a provider against the reference model's. */
export interface TaskScore {
  samples: number;
  /**
   * 0 … 10 000: what a validator commits, on the chain's quality scale: the task's metric mapped by its quality scale
   * (@curia/protocol's taskQualityBps; MNIST: its score as it is). The raw metric stays in `metric` and
   * `detail.metricBps`.
   */
  scoreBps: number;
  /** The task's own metric (MNIST: agreement, VAD: frame agreement, OCR: character error rate). */
  metric: number;
  metricName: string;
  /** Whether scoreBps reaches the task's pass mark. */
  passed: boolean;
  /** Outputs that are not valid outputs of the task (never agree). */
  malformed: number;
  /**
   * Task-specific context for reports (accuracy on labels, CER against ground truth, largest deviation …); VAD/OCR:
   * metricBps, the metric as a score before the quality scale (what was committed before the scale existed).
   */
  detail: Record<string, number>;
}

/** One answer (a single receipt's output) judged against the reference model's answer to the same input. */
export interface AnswerVerdict {
  within: boolean;
  malformed: boolean;
  /** How far it is, in the task's own unit (MNIST: max |p − r|, VAD: 1 − frame agreement, OCR: CER). */
  deviation: number;
}

export interface TaskPlugin {
  spec: TaskSpec;
  /** Loads `model` (ONNX bytes) with this task's pre- and post-processing. */
  open(model: Uint8Array, options?: RunnerOptions): Promise<TaskRunner>;
  /** `count` fresh inputs for the round or probe named `tag`, from the validator's private `secret` (32+ bytes). */
  generate(secret: Uint8Array, tag: string, count: number): Promise<EvalInputs>;
  /** Scores a provider's outputs against the reference model's on the same `evalInputs`. */
  score(provider: Float32Array, reference: Float32Array, evalInputs: EvalInputs): TaskScore;
  /** The single-answer rule fraud proofs apply: wider than the round's band, so an honest numeric difference never slashes. */
  judgeAnswer(provider: Float32Array, reference: Float32Array): AnswerVerdict;
  /** scoreBps (on the chain's quality scale) at or above which a round passes. */
  passBps: number;
  /** The largest deviation (judgeAnswer's unit) a single answer may have: what a fraud-proof verdict reports. */
  answerTolerance: number;
}

/** Checks the row shapes a plugin's score/judge receive. */
export function checkRows(spec: TaskSpec, provider: Float32Array, reference: Float32Array, count: number): void {
  if (provider.length !== count * spec.outputSize || reference.length !== count * spec.outputSize) {
    throw new Error(
      `${spec.id}: scoring needs ${count} × ${spec.outputSize} outputs, got ${provider.length} and ${reference.length}`,
    );
  }
  if (count === 0) throw new Error(`${spec.id}: scoring needs at least one sample`);
}
