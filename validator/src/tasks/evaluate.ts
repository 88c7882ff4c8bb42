// One evaluation of a provider on a task, the way a validator runs it for any plugin: fresh inputs from the private
// secret, the provider's answers, the reference model's answers (re-executed here), the plugin's score. Also the
// single-receipt rule: judge one answer as a fraud proof would. Timings go to the bench (bench:validator).
import type { ExecutionProvider } from "../runtime.js";
import type { AnswerVerdict, EvalInputs, TaskPlugin, TaskRunner, TaskScore } from "./types.js";

export interface Evaluation {
  score: TaskScore;
  evalInputs: EvalInputs;
  providerOutputs: Float32Array;
  referenceOutputs: Float32Array;
  /** Where the reference model ran. */
  executionProvider: ExecutionProvider;
  timings: { generateMs: number; providerMs: number; referenceMs: number; scoreMs: number };
}

/** Anything that answers input rows: a local runner, or a client calling a provider over HTTP. */
export type Answerer = (inputs: Float32Array, count: number) => Promise<Float32Array>;

export async function evaluate(
  plugin: TaskPlugin,
  reference: TaskRunner,
  provider: Answerer,
  secret: Uint8Array,
  tag: string,
  count: number,
): Promise<Evaluation> {
  let t = performance.now();
  const evalInputs = await plugin.generate(secret, tag, count);
  const generateMs = performance.now() - t;
  t = performance.now();
  const providerOutputs = await provider(evalInputs.inputs, count);
  const providerMs = performance.now() - t;
  t = performance.now();
  const referenceOutputs = await reference.run(evalInputs.inputs, count);
  const referenceMs = performance.now() - t;
  t = performance.now();
  const score = plugin.score(providerOutputs, referenceOutputs, evalInputs);
  const scoreMs = performance.now() - t;
  return {
    score,
    evalInputs,
    providerOutputs,
    referenceOutputs,
    executionProvider: reference.executionProvider,
    timings: { generateMs, providerMs, referenceMs, scoreMs },
  };
}

/**
 * The verdict on one receipt: re-run the reference on its single input and judge the signed output against it (what
 * a fraud proof's challenger and the court's jurors both compute).
 */
export async function judgeReceipt(
  plugin: TaskPlugin,
  reference: TaskRunner,
  input: Float32Array,
  output: Float32Array,
): Promise<AnswerVerdict> {
  const { inputSize, outputSize, id } = plugin.spec;
  if (input.length !== inputSize)
    throw new Error(`${id}: a receipt's input has ${input.length} values, not ${inputSize}`);
  if (output.length !== outputSize) {
    return { within: false, malformed: true, deviation: Infinity };
  }
  return plugin.judgeAnswer(output, await reference.run(input, 1));
}
