// The quality score a validator commits, in basis points.
//
//   agree(i)   = argmax(p_i) = argmax(r_i)  and  |p_ik − r_ik| ≤ atol + rtol · r_ik  for every class k
//   A          = (samples that agree) / n                 — agreement with the reference model
//   Acc        = (samples with argmax(p_i) = label_i) / n   — the provider's accuracy on the held-out labels
//   scoreBps   = round(10 000 · (w · A + (1 − w) · Acc)),  w = agreementWeightBps / 10 000 (default 0.7)
//
// p_i are the provider's 10 probabilities for sample i, r_i the reference model's (re-executed by the validator). The
// tolerance band (default atol 1e-3, rtol 1e-2) absorbs the non-bit-identical arithmetic of GPUs and CPUs, kernels and
// batch sizes (differences there are ~1e-6); a different model, even an equally accurate one, falls outside it. A
// provider output that is not a probability vector (a negative or non-finite value, or not summing to 1 ± 1e-3, which
// with no negative value also bounds each one by 1 + 1e-3) neither
// agrees nor counts as correct.
import { CLASSES } from "./model/dataset.js";

export interface ScoreParams {
  atol: number;
  rtol: number;
  agreementWeightBps: number;
}

export const DEFAULT_SCORE_PARAMS: ScoreParams = { atol: 1e-3, rtol: 1e-2, agreementWeightBps: 7_000 };

export interface ScoreResult {
  samples: number;
  agreeing: number;
  correct: number;
  /** The reference model's own accuracy on the same samples (context for the report; not in the score). */
  referenceCorrect: number;
  malformed: number;
  agreement: number;
  accuracy: number;
  referenceAccuracy: number;
  /** Largest |p − r| over all samples and classes. */
  maxAbsDiff: number;
  scoreBps: number;
}

/** What one pass over the outputs counts (see {@link scoreSamples}). */
interface Tally {
  agreeing: number;
  correct: number;
  referenceCorrect: number;
  malformed: number;
  maxAbsDiff: number;
}

type TallyKernel = (
  provider: Float32Array,
  reference: Float32Array,
  labels: ArrayLike<number>,
  atol: number,
  rtol: number,
) => Tally;

/**
 * The per-sample rules, written once: this is the step for class `k` of the row that starts at `b`. The kernel below
 * repeats it for k = 0 … CLASSES − 1 (unrolled: V8 does not unroll loops, and the unrolled pass is ~30 % faster, which
 * matters because scoring is the largest part of the validator's work on top of inference, see bench:validator).
 */
const classStep = (k: number) => `
      p = provider[b + ${k}]; r = reference[b + ${k}];
      ${k === 0 ? "topValue = r; predictedValue = p;" : `if (r > topValue) { topValue = r; top = ${k}; } if (p > predictedValue) { predictedValue = p; predicted = ${k}; }`}
      if (p < 0) valid = false;
      sum += p;
      diff = p > r ? p - r : r - p;
      if (diff > rowMaxDiff) rowMaxDiff = diff;
      if (diff > atol + rtol * r) inBand = false;`;

// A NaN or infinite value makes the sum NaN or infinite, which the row's sum check rejects (NaN fails every comparison).
const tallyOutputs = new Function(
  "provider",
  "reference",
  "labels",
  "atol",
  "rtol",
  `"use strict";
  let agreeing = 0, correct = 0, referenceCorrect = 0, malformed = 0, maxAbsDiff = 0;
  for (let i = 0, b = 0, n = labels.length; i < n; i++, b += ${CLASSES}) {
    let p = 0, r = 0, diff = 0, top = 0, topValue = 0, predicted = 0, predictedValue = 0;
    let sum = 0, rowMaxDiff = 0, valid = true, inBand = true;
    ${Array.from({ length: CLASSES }, (_, k) => classStep(k)).join("")}
    const label = labels[i];
    if (top === label) referenceCorrect++;
    if (!valid || !(Math.abs(sum - 1) <= 1e-3)) { malformed++; maxAbsDiff = Infinity; continue; }
    if (rowMaxDiff > maxAbsDiff) maxAbsDiff = rowMaxDiff;
    if (predicted === label) correct++;
    if (inBand && predicted === top) agreeing++;
  }
  return { agreeing, correct, referenceCorrect, malformed, maxAbsDiff };`,
) as TallyKernel;

export function scoreSamples(
  provider: Float32Array,
  reference: Float32Array,
  labels: ArrayLike<number>,
  params: ScoreParams = DEFAULT_SCORE_PARAMS,
): ScoreResult {
  const n = labels.length;
  if (provider.length !== n * CLASSES || reference.length !== n * CLASSES) {
    throw new Error(`score needs ${n} × ${CLASSES} outputs, got ${provider.length} and ${reference.length}`);
  }
  if (n === 0) throw new Error("score needs at least one sample");
  const { agreeing, correct, referenceCorrect, malformed, maxAbsDiff } = tallyOutputs(
    provider,
    reference,
    labels,
    params.atol,
    params.rtol,
  );
  const agreement = agreeing / n;
  const accuracy = correct / n;
  const w = params.agreementWeightBps / 10_000;
  return {
    samples: n,
    agreeing,
    correct,
    referenceCorrect,
    malformed,
    agreement,
    accuracy,
    referenceAccuracy: referenceCorrect / n,
    maxAbsDiff,
    scoreBps: Math.round(10_000 * (w * agreement + (1 - w) * accuracy)),
  };
}

// Judging single answers (fraud proofs and audited receipts). One answer is an input's 10 probabilities; it is
// within tolerance when it is a probability vector (as above) and every class is within ANSWER_TOLERANCE of the
// reference model's: max_k |p_k − r_k| ≤ 0.02. Honest CPU/GPU/batching differences are ~1e-6, so an honest provider
// is never near the band; the degraded sample model (and any other model) is far outside it on most inputs. The band
// is wider than the score's (atol 1e-3 + rtol 1e-2) on purpose: a fraud proof slashes on a single answer, so it must
// leave no room for an honest numeric difference.
export const ANSWER_TOLERANCE = 0.02;

export interface AnswerComparison {
  answers: number;
  /** Answers within the tolerance band. */
  withinTolerance: number;
  /** Answers that are not probability vectors (never within tolerance). */
  malformed: number;
  /** Largest |p − r| over the well-formed answers (0 with none). */
  maxDeviation: number;
}

/** Compares `count` answers with the reference model's, answer by answer (see {@link ANSWER_TOLERANCE}). */
export function compareAnswers(
  provider: Float32Array,
  reference: Float32Array,
  count: number,
  tolerance: number = ANSWER_TOLERANCE,
): AnswerComparison {
  if (provider.length !== count * CLASSES || reference.length !== count * CLASSES) {
    throw new Error(`compare needs ${count} × ${CLASSES} outputs, got ${provider.length} and ${reference.length}`);
  }
  let withinTolerance = 0;
  let malformed = 0;
  let maxDeviation = 0;
  for (let i = 0; i < count; i++) {
    let sum = 0;
    let valid = true;
    let rowMax = 0;
    for (let k = 0; k < CLASSES; k++) {
      const p = provider[i * CLASSES + k]!;
      if (!(p >= 0)) valid = false;
      sum += p;
      rowMax = Math.max(rowMax, Math.abs(p - reference[i * CLASSES + k]!));
    }
    if (!valid || !(Math.abs(sum - 1) <= 1e-3)) {
      malformed++;
      continue;
    }
    maxDeviation = Math.max(maxDeviation, rowMax);
    if (rowMax <= tolerance) withinTolerance++;
  }
  return { answers: count, withinTolerance, malformed, maxDeviation };
}
