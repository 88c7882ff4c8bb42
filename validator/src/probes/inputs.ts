// Fresh probe inputs: MNIST-shaped digits that no public dataset contains, generated from the validator's private probe
// secret. Each one is a digit of the shipped dataset (label kept) pushed through a random elastic distortion, a random
// affine map (rotation, scale, shear, shift), a random stroke-contrast curve and additive noise. A provider holding the
// whole public dataset cannot look a probe up: its nearest public image is about as far from it as two different
// handwritten digits are from each other (measured in validator/test/probe-inputs.test.ts), and the transformation
// parameters come from a keyed stream it cannot reproduce without the secret.
//
// The stream is AES-256-CTR under a key derived from the secret and the probe's tag (HMAC-SHA256), not the seeded
// mulberry32 of model/prng.ts: that one has 2^32 seeds, few enough for a provider to try them all against the public
// dataset and recognise the inputs it would produce.
import { createCipheriv, createHmac } from "node:crypto";
import { INPUT_SIZE, loadMnist, type Dataset } from "../model/dataset.js";

const SIDE = 28;

/** How strongly each input is transformed. The defaults keep the reference model's accuracy high (see the test). */
export interface AugmentParams {
  /** Largest rotation, degrees either way. */
  maxRotationDeg: number;
  /** Scale factor range around 1 (0.1: 0.9–1.1). */
  maxScaleDelta: number;
  /** Largest horizontal shear (x += shear · y). */
  maxShear: number;
  /** Largest shift in pixels, each axis. */
  maxShiftPx: number;
  /** Elastic distortion: displacement in pixels (α) and the smoothing of its field (σ, pixels). */
  elasticAlpha: number;
  elasticSigma: number;
  /** Stroke contrast: pixel ← pixel^γ with log γ uniform in ±this. */
  maxLogGamma: number;
  /** Standard deviation of the additive Gaussian noise (pixel values are in [0, 1]). */
  noiseSigma: number;
}

// Chosen by measurement (validator/test/probe-inputs.test.ts): the reference model (an MLP, sensitive to position)
// keeps ~85-92 % accuracy, so an honest provider scores ~9,400-9,800; even with the noise thresholded away, a probe's
// nearest public digit is as far as two distinct digits of the dataset usually are from each other.
export const DEFAULT_AUGMENT: AugmentParams = {
  maxRotationDeg: 4,
  maxScaleDelta: 0.04,
  maxShear: 0.05,
  maxShiftPx: 0.3,
  elasticAlpha: 0.8,
  elasticSigma: 3,
  maxLogGamma: 0.3,
  noiseSigma: 0.12,
};

/** A keyed stream of uniform numbers: AES-256-CTR keystream under HMAC-SHA256(secret, tag). */
export class KeyedStream {
  private readonly cipher;
  private buffer = Buffer.alloc(0);
  private offset = 0;
  private spareNormal: number | undefined;

  constructor(secret: Uint8Array, tag: string) {
    if (secret.length < 32) throw new Error(`a probe secret has 32 bytes, got ${secret.length}`);
    const key = createHmac("sha256", secret).update(`curia-probe:${tag}`).digest();
    this.cipher = createCipheriv("aes-256-ctr", key, Buffer.alloc(16));
  }

  private refill(): void {
    this.buffer = this.cipher.update(Buffer.alloc(4096));
    this.offset = 0;
  }

  /** A uniform float in [0, 1) (32 random bits). */
  next(): number {
    if (this.offset + 4 > this.buffer.length) this.refill();
    const value = this.buffer.readUInt32LE(this.offset);
    this.offset += 4;
    return value / 4294967296;
  }

  /** A uniform integer in [0, n), without modulo bias. */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 2 ** 32) throw new RangeError(`int(n) needs 1 ≤ n ≤ 2^32, got ${n}`);
    const limit = Math.floor(4294967296 / n) * n;
    for (;;) {
      const raw = this.next() * 4294967296;
      if (raw < limit) return raw % n;
    }
  }

  /** A uniform float in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** A standard normal deviate (Box–Muller, both halves used). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const spare = this.spareNormal;
      this.spareNormal = undefined;
      return spare;
    }
    const u = 1 - this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
}

/** Every digit the validator ships (training and evaluation parts): the sources of probe inputs. */
export function shippedDigits(): Dataset {
  const { train, eval: held } = loadMnist();
  const images = new Float32Array((train.count + held.count) * INPUT_SIZE);
  images.set(train.images, 0);
  images.set(held.images, train.images.length);
  const labels = new Uint8Array(train.count + held.count);
  labels.set(train.labels, 0);
  labels.set(held.labels, train.count);
  return { images, labels, count: train.count + held.count };
}

let sources: Dataset | undefined;

/** 1-D Gaussian kernel of standard deviation `sigma`, radius 3σ, normalised. */
function gaussianKernel(sigma: number): Float64Array {
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const kernel = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) sum += kernel[i + radius] = Math.exp(-(i * i) / (2 * sigma * sigma));
  for (let i = 0; i < kernel.length; i++) kernel[i]! /= sum;
  return kernel;
}

/** A smooth random displacement field (uniform noise blurred by a Gaussian, both axes), scaled to RMS ≈ `alpha`. */
function displacementField(stream: KeyedStream, alpha: number, kernel: Float64Array): Float64Array {
  const raw = new Float64Array(SIDE * SIDE);
  for (let i = 0; i < raw.length; i++) raw[i] = stream.uniform(-1, 1);
  const radius = (kernel.length - 1) / 2;
  const blurRows = new Float64Array(raw.length);
  for (let y = 0; y < SIDE; y++)
    for (let x = 0; x < SIDE; x++) {
      let s = 0;
      for (let k = -radius; k <= radius; k++) {
        const xx = Math.min(SIDE - 1, Math.max(0, x + k));
        s += raw[y * SIDE + xx]! * kernel[k + radius]!;
      }
      blurRows[y * SIDE + x] = s;
    }
  const field = new Float64Array(raw.length);
  let energy = 0;
  for (let y = 0; y < SIDE; y++)
    for (let x = 0; x < SIDE; x++) {
      let s = 0;
      for (let k = -radius; k <= radius; k++) {
        const yy = Math.min(SIDE - 1, Math.max(0, y + k));
        s += blurRows[yy * SIDE + x]! * kernel[k + radius]!;
      }
      field[y * SIDE + x] = s;
      energy += s * s;
    }
  const rms = Math.sqrt(energy / field.length) || 1;
  for (let i = 0; i < field.length; i++) field[i] = (field[i]! / rms) * alpha;
  return field;
}

/** Bilinear sample of a 28×28 image at (x, y); outside the image is background (0). */
function sample(image: Float32Array, x: number, y: number): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  const at = (xx: number, yy: number) => (xx < 0 || yy < 0 || xx >= SIDE || yy >= SIDE ? 0 : image[yy * SIDE + xx]!);
  return (
    at(x0, y0) * (1 - fx) * (1 - fy) +
    at(x0 + 1, y0) * fx * (1 - fy) +
    at(x0, y0 + 1) * (1 - fx) * fy +
    at(x0 + 1, y0 + 1) * fx * fy
  );
}

/** One fresh input from `source` into `out` (784 floats in [0, 1]). */
function transform(source: Float32Array, out: Float32Array, stream: KeyedStream, p: AugmentParams): void {
  const kernel = gaussianKernel(p.elasticSigma);
  const dx = displacementField(stream, p.elasticAlpha, kernel);
  const dy = displacementField(stream, p.elasticAlpha, kernel);
  const theta = (stream.uniform(-p.maxRotationDeg, p.maxRotationDeg) * Math.PI) / 180;
  const scale = stream.uniform(1 - p.maxScaleDelta, 1 + p.maxScaleDelta);
  const shear = stream.uniform(-p.maxShear, p.maxShear);
  const tx = stream.uniform(-p.maxShiftPx, p.maxShiftPx);
  const ty = stream.uniform(-p.maxShiftPx, p.maxShiftPx);
  const gamma = Math.exp(stream.uniform(-p.maxLogGamma, p.maxLogGamma));
  // The inverse map: for each output pixel, where it comes from in the source (about the image centre).
  const c = (SIDE - 1) / 2;
  const cos = Math.cos(theta) / scale;
  const sin = Math.sin(theta) / scale;
  for (let y = 0; y < SIDE; y++)
    for (let x = 0; x < SIDE; x++) {
      const u = x - c - tx + dx[y * SIDE + x]!;
      const v = y - c - ty + dy[y * SIDE + x]!;
      const ux = u - shear * v;
      const sx = cos * ux + sin * v + c;
      const sy = -sin * ux + cos * v + c;
      const ink = Math.pow(Math.min(1, Math.max(0, sample(source, sx, sy))), gamma);
      out[y * SIDE + x] = Math.min(1, Math.max(0, ink + p.noiseSigma * stream.normal()));
    }
}

export interface ProbeInputs {
  /** `count` × 784 floats in [0, 1]. */
  images: Float32Array;
  /** The source digit's label of each input. */
  labels: Uint8Array;
  count: number;
}

/**
 * `count` fresh inputs for the probe named `tag` (e.g. its buyer's index), from the private `secret`. The same secret
 * and tag give the same inputs (a probe can be re-derived), a different secret gives unrelated ones.
 */
export function probeInputs(
  secret: Uint8Array,
  tag: string,
  count: number,
  params: AugmentParams = DEFAULT_AUGMENT,
): ProbeInputs {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`a probe needs at least one input, got ${count}`);
  sources ??= shippedDigits();
  const stream = new KeyedStream(secret, `inputs:${tag}`);
  const images = new Float32Array(count * INPUT_SIZE);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const index = stream.int(sources.count);
    labels[i] = sources.labels[index]!;
    transform(
      sources.images.subarray(index * INPUT_SIZE, (index + 1) * INPUT_SIZE),
      images.subarray(i * INPUT_SIZE, (i + 1) * INPUT_SIZE),
      stream,
      params,
    );
  }
  return { images, labels, count };
}
