// Scoring a period's probes: every answered probe input is re-executed on the listing's declared model and scored as
// a verification scores its samples (score.ts: agreement within the band, and accuracy on the inputs' labels); every
// call bought and not answered (an unreachable or refusing provider) counts as a sample worth 0.
import { fromDataURI } from "@curia/protocol";
import { bytesToF32 } from "@curia/protocol/ethers";
import { CLASSES, INPUT_SIZE } from "../model/dataset.js";
import { DEFAULT_SCORE_PARAMS, scoreSamples, type ScoreParams } from "../score.js";
import type { ExecutionProvider } from "../runtime.js";
import type { ListingTarget, Verifier } from "../verify.js";
import type { TaskPlugin, TaskScore } from "../tasks/types.js";
import type { ProbeFault, ProbeRecord } from "./store.js";

export interface ProbeTally {
  probes: number;
  answered: number;
  unanswered: number;
  agreeing: number;
  correct: number;
  referenceCorrect: number;
  malformed: number;
  maxAbsDiff: number;
  /** Σ over answered inputs of w · agree + (1 − w) · correct (a score in samples, 0 … answered). */
  points: number;
  faults: ProbeFault[];
  /** A non-MNIST task's verdict on the answered inputs (its metric; points = scoreBps × answered / 10 000). */
  taskScore?: TaskScore;
  /** Where the reference model ran (undefined when nothing was answered). */
  executionProvider?: ExecutionProvider;
}

function decode(uri: string, what: string): Float32Array {
  const bytes = fromDataURI(uri);
  const values = bytes === undefined ? undefined : bytesToF32(bytes);
  if (values === undefined) throw new Error(`a stored probe's ${what} is not float32 data (${uri.slice(0, 40)}…)`);
  return values;
}

export async function tallyProbes(
  records: readonly ProbeRecord[],
  target: Pick<ListingTarget, "listingId" | "modelHash" | "metadataURI">,
  verifier: Verifier,
  params: ScoreParams = DEFAULT_SCORE_PARAMS,
): Promise<ProbeTally> {
  const answered = records.reduce((n, r) => n + r.answers.reduce((m, a) => m + a.count, 0), 0);
  const tally: ProbeTally = {
    probes: records.length,
    answered,
    unanswered: records.reduce((n, r) => n + r.unanswered, 0),
    agreeing: 0,
    correct: 0,
    referenceCorrect: 0,
    malformed: 0,
    maxAbsDiff: 0,
    points: 0,
    faults: records.flatMap((r) => (r.fault === undefined ? [] : [r.fault])),
  };
  if (answered === 0) return tally;
  const task = await verifier.taskOf(target);
  if (task.spec.id !== "mnist") return tallyTask(records, target, verifier, task, tally);
  const images = new Float32Array(answered * INPUT_SIZE);
  const outputs = new Float32Array(answered * CLASSES);
  const labels = new Uint8Array(answered);
  let row = 0;
  for (const record of records) {
    let inRecord = 0;
    for (const answer of record.answers) {
      const input = decode(answer.inputURI, "input");
      const output = decode(answer.outputURI, "output");
      if (input.length !== answer.count * INPUT_SIZE || output.length !== answer.count * CLASSES)
        throw new Error(`probe ${record.buyerIndex}: stored answer of ${answer.count} inputs has the wrong shape`);
      images.set(input, row * INPUT_SIZE);
      outputs.set(output, row * CLASSES);
      labels.set(record.labels.slice(inRecord, inRecord + answer.count), row);
      row += answer.count;
      inRecord += answer.count;
    }
  }
  const { outputs: reference, executionProvider } = await verifier.referenceOutputs(target, images, answered);
  const result = scoreSamples(outputs, reference, labels, params);
  const w = params.agreementWeightBps / 10_000;
  return {
    ...tally,
    agreeing: result.agreeing,
    correct: result.correct,
    referenceCorrect: result.referenceCorrect,
    malformed: result.malformed,
    maxAbsDiff: result.maxAbsDiff,
    points: w * result.agreeing + (1 - w) * result.correct,
    executionProvider,
  };
}

/**
 * The tally for a non-MNIST listing: the answered probe inputs re-executed through the task's pipeline and scored by
 * its metric; the task's score stands for agreement (no labels: accuracy is not part of a task's score).
 */
async function tallyTask(
  records: readonly ProbeRecord[],
  target: Pick<ListingTarget, "listingId" | "modelHash" | "metadataURI">,
  verifier: Verifier,
  task: TaskPlugin,
  tally: ProbeTally,
): Promise<ProbeTally> {
  const { inputSize, outputSize } = task.spec;
  const count = tally.answered;
  const inputs = new Float32Array(count * inputSize);
  const outputs = new Float32Array(count * outputSize);
  let row = 0;
  for (const record of records) {
    for (const answer of record.answers) {
      const input = decode(answer.inputURI, "input");
      const output = decode(answer.outputURI, "output");
      if (input.length !== answer.count * inputSize || output.length !== answer.count * outputSize)
        throw new Error(
          `probe ${record.buyerIndex}: stored ${task.spec.id} answer of ${answer.count} inputs has the wrong shape`,
        );
      inputs.set(input, row * inputSize);
      outputs.set(output, row * outputSize);
      row += answer.count;
    }
  }
  const { outputs: reference, executionProvider } = await verifier.referenceOutputs(target, inputs, count);
  const taskScore = task.score(outputs, reference, { inputs, count });
  const points = (taskScore.scoreBps * count) / 10_000;
  return {
    ...tally,
    agreeing: Math.round(points),
    malformed: taskScore.malformed,
    maxAbsDiff: taskScore.detail.maxAbsDiff ?? 0,
    points,
    taskScore,
    executionProvider,
  };
}
