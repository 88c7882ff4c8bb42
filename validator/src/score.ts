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
// provider output that is not a probability vector (non-finite, outside [0, 1], or not summing to 1 ± 1e-3) neither
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
  let agreeing = 0;
  let correct = 0;
  let referenceCorrect = 0;
  let malformed = 0;
  let maxAbsDiff = 0;
  // One pass over the flat arrays with everything in locals, no views or iterators: scoring stays a small fraction of
  // the inference time.
  const { atol, rtol } = params;
  for (let i = 0, base = 0; i < n; i++, base += CLASSES) {
    let top = 0;
    let topValue = -Infinity;
    let predicted = 0;
    let predictedValue = -Infinity;
    let sum = 0;
    let valid = true;
    let inBand = true;
    let rowMaxDiff = 0;
    for (let k = 0; k < CLASSES; k++) {
      const p = provider[base + k]!;
      const r = reference[base + k]!;
      if (r > topValue) {
        topValue = r;
        top = k;
      }
      if (p > predictedValue) {
        predictedValue = p;
        predicted = k;
      }
      if (!(p >= 0 && p <= 1)) valid = false; // also false for NaN
      sum += p;
      const diff = p > r ? p - r : r - p;
      if (diff > rowMaxDiff) rowMaxDiff = diff;
      if (diff > atol + rtol * r) inBand = false;
    }
    const label = labels[i]!;
    if (top === label) referenceCorrect++;
    if (!valid || Math.abs(sum - 1) > 1e-3) {
      malformed++;
      maxAbsDiff = Infinity;
      continue;
    }
    if (rowMaxDiff > maxAbsDiff) maxAbsDiff = rowMaxDiff;
    if (predicted === label) correct++;
    if (inBand && predicted === top) agreeing++;
  }
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
