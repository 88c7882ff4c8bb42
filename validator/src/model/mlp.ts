// A 784-H-10 multilayer perceptron (Gemm → Relu → Gemm → Softmax) trained with seeded minibatch SGD in plain
// TypeScript. The same seed and parameters give bit-identical weights on every machine (IEEE-754 arithmetic in a fixed
// order), which is what makes the reference model's content hash reproducible.
import { CLASSES, INPUT_SIZE, imageOf, type Dataset } from "./dataset.js";
import { Prng } from "./prng.js";

export interface TrainingParams {
  hidden: number;
  epochs: number;
  learningRate: number;
  batchSize: number;
  seed: number;
  /** Use only the first `limit` (shuffled) training samples; undefined: all of them. */
  limit?: number;
}

/** Weights in ONNX Gemm layout (transB = 0): w1 is 784 × H row-major, w2 is H × 10. */
export interface MlpWeights {
  hidden: number;
  w1: Float32Array;
  b1: Float32Array;
  w2: Float32Array;
  b2: Float32Array;
}

/** Softmax probabilities of one image (float64 arithmetic; used for training and as a check, not for scoring). */
export function forward(weights: MlpWeights, x: Float32Array, hiddenOut?: Float64Array): Float64Array {
  const { hidden: H, w1, b1, w2, b2 } = weights;
  const h = hiddenOut ?? new Float64Array(H);
  for (let j = 0; j < H; j++) h[j] = b1[j]!;
  for (let i = 0; i < INPUT_SIZE; i++) {
    const xi = x[i]!;
    if (xi === 0) continue;
    const row = i * H;
    for (let j = 0; j < H; j++) h[j]! += xi * w1[row + j]!;
  }
  for (let j = 0; j < H; j++) if (h[j]! < 0) h[j] = 0;
  const out = new Float64Array(CLASSES);
  let max = -Infinity;
  for (let k = 0; k < CLASSES; k++) {
    let z = b2[k]!;
    for (let j = 0; j < H; j++) z += h[j]! * w2[j * CLASSES + k]!;
    out[k] = z;
    if (z > max) max = z;
  }
  let sum = 0;
  for (let k = 0; k < CLASSES; k++) {
    out[k] = Math.exp(out[k]! - max);
    sum += out[k]!;
  }
  for (let k = 0; k < CLASSES; k++) out[k]! /= sum;
  return out;
}

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < values.length; k++) if (values[k]! > values[best]!) best = k;
  return best;
}

/** Trains from a seeded He initialisation with cross-entropy loss and a learning rate cut by a quarter after each epoch. */
export function train(data: Dataset, params: TrainingParams): MlpWeights {
  const { hidden: H, epochs, batchSize, seed } = params;
  if (!(H >= 1 && epochs >= 1 && batchSize >= 1))
    throw new Error(`invalid training parameters ${JSON.stringify(params)}`);
  const rng = new Prng(seed);
  const w1 = new Float32Array(INPUT_SIZE * H).map(() => rng.normal() * Math.sqrt(2 / INPUT_SIZE));
  const b1 = new Float32Array(H);
  const w2 = new Float32Array(H * CLASSES).map(() => rng.normal() * Math.sqrt(2 / H));
  const b2 = new Float32Array(CLASSES);
  const weights: MlpWeights = { hidden: H, w1, b1, w2, b2 };
  const order = rng.shuffle(Array.from({ length: data.count }, (_, i) => i)).slice(0, params.limit ?? data.count);

  const gw1 = new Float64Array(w1.length);
  const gb1 = new Float64Array(H);
  const gw2 = new Float64Array(w2.length);
  const gb2 = new Float64Array(CLASSES);
  const h = new Float64Array(H);
  const dh = new Float64Array(H);
  let lr = params.learningRate;
  for (let epoch = 0; epoch < epochs; epoch++) {
    rng.shuffle(order);
    for (let start = 0; start < order.length; start += batchSize) {
      const batch = order.slice(start, start + batchSize);
      gw1.fill(0);
      gb1.fill(0);
      gw2.fill(0);
      gb2.fill(0);
      for (const index of batch) {
        const x = imageOf(data, index);
        const p = forward(weights, x, h);
        p[data.labels[index]!]! -= 1; // dLoss/dlogits of softmax + cross-entropy
        dh.fill(0);
        for (let j = 0; j < H; j++) {
          const hj = h[j]!;
          const row = j * CLASSES;
          for (let k = 0; k < CLASSES; k++) {
            gw2[row + k]! += hj * p[k]!;
            if (hj > 0) dh[j]! += w2[row + k]! * p[k]!;
          }
        }
        for (let k = 0; k < CLASSES; k++) gb2[k]! += p[k]!;
        for (let j = 0; j < H; j++) gb1[j]! += dh[j]!;
        for (let i = 0; i < INPUT_SIZE; i++) {
          const xi = x[i]!;
          if (xi === 0) continue;
          const row = i * H;
          for (let j = 0; j < H; j++) gw1[row + j]! += xi * dh[j]!;
        }
      }
      const step = lr / batch.length;
      for (let i = 0; i < w1.length; i++) w1[i]! -= step * gw1[i]!;
      for (let i = 0; i < H; i++) b1[i]! -= step * gb1[i]!;
      for (let i = 0; i < w2.length; i++) w2[i]! -= step * gw2[i]!;
      for (let i = 0; i < CLASSES; i++) b2[i]! -= step * gb2[i]!;
    }
    lr *= 0.75;
  }
  return weights;
}

/** Share of `data` whose most probable class is the label. */
export function accuracy(weights: MlpWeights, data: Dataset): number {
  let correct = 0;
  for (let i = 0; i < data.count; i++) if (argmax(forward(weights, imageOf(data, i))) === data.labels[i]) correct++;
  return correct / data.count;
}
