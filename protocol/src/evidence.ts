// Publishing a fraud proof's input and output inline, for tasks whose tensors are larger than MNIST's.
//
// ListingChallenges.fileFraudProof takes each of the input and output as a URI of at most MAX_DATA_URI_LENGTH
// (65,536) characters. The bound exists because the publication is calldata and a FraudProofFiled event field, which
// every indexer (subgraph, Ponder) stores and serves: unbounded, a filer could make the event cost whatever gas a block
// holds and the indexers store megabytes per dispute. A base64 data: URI of raw float32 holds at most 49,122 bytes:
// 12,280 values. One VAD clip is 24,576 float32 (98,304 bytes, 131,109 characters) and one OCR line 15,360 (61,440
// bytes, 81,957 characters), so neither could be published, and a cheat on a single VAD or OCR call could not be proved.
//
// The fix keeps the receipt and its inputHash exactly as they are (the hash of the float32 bytes the model ran on) and
// publishes those bytes in a lossless palette form when they have at most 256 distinct values: a table of the distinct
// float32 words and one index byte per value. Decoding gives back the very bytes the receipt hashed, so the judge still
// checks dataHash(decoded) against the receipt and re-runs exactly what the consumer sent. A consumer makes its calls
// provable by sending inputs on its task's canonical 8-bit grid (canonicalInputs: audio on G.711 mu-law's 256 levels,
// images on 8-bit grey levels, as audio and images are usually stored anyway); one clip then publishes in ~34 K
// characters and one line in ~22 K. Off-grid inputs still work for inference, they are only too large to prove inline.
import type { TaskId } from "./tasks.js";
import { TASKS } from "./tasks.js";

/** ListingChallenges.MAX_DATA_URI_LENGTH: the longest input or output URI a fraud proof may publish. */
export const MAX_DATA_URI_LENGTH = 65_536;

/** The media type of a palette-encoded float32 tensor (see this file's header). */
export const PALETTE_MEDIA_TYPE = "application/x-curia-f32-palette";
const PALETTE_PREFIX = `data:${PALETTE_MEDIA_TYPE};base64,`;
const RAW_PREFIX = "data:application/octet-stream;base64,";

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * Palette form of float32 `bytes` (little-endian, as on the wire): [count − 1] [count × float32 word] [one index per
 * value]. Undefined when the bytes are not whole float32 words or hold more than 256 distinct words.
 */
export function encodePalette(bytes: Uint8Array): Uint8Array | undefined {
  if (bytes.length === 0 || bytes.length % 4 !== 0) return undefined;
  // Words, not float values: -0 and NaN payloads are kept bit for bit, so decoding is exact.
  const words = new Uint32Array(bytes.slice().buffer);
  const index = new Map<number, number>();
  const indices = new Uint8Array(words.length);
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    let at = index.get(word);
    if (at === undefined) {
      if (index.size === 256) return undefined;
      at = index.size;
      index.set(word, at);
    }
    indices[i] = at;
  }
  const table = new Uint32Array([...index.keys()]);
  const out = new Uint8Array(1 + table.length * 4 + indices.length);
  out[0] = table.length - 1;
  out.set(new Uint8Array(table.buffer), 1);
  out.set(indices, 1 + table.length * 4);
  return out;
}

/** The float32 bytes a palette encodes; undefined when it is malformed (an index past the table, no values). */
export function decodePalette(packed: Uint8Array): Uint8Array | undefined {
  if (packed.length < 1) return undefined;
  const count = packed[0]! + 1;
  const start = 1 + count * 4;
  if (packed.length <= start) return undefined;
  const table = new Uint32Array(packed.slice(1, start).buffer);
  const words = new Uint32Array(packed.length - start);
  for (let i = start; i < packed.length; i++) {
    const at = packed[i]!;
    if (at >= count) return undefined;
    words[i - start] = table[at]!;
  }
  return new Uint8Array(words.buffer);
}

/**
 * A fraud proof's publication of `bytes`: the raw base64 data: URI when it fits ListingChallenges' limit (every
 * MNIST proof, unchanged), else the palette form when the bytes have one and it fits. Otherwise the raw URI, which is
 * too long: callers check the length against MAX_DATA_URI_LENGTH and say why. `fromDataURI` reads both forms back.
 */
export function toEvidenceURI(bytes: Uint8Array): string {
  const raw = RAW_PREFIX + base64(bytes);
  if (raw.length <= MAX_DATA_URI_LENGTH) return raw;
  const packed = encodePalette(bytes);
  if (packed === undefined) return raw;
  const palette = PALETTE_PREFIX + base64(packed);
  return palette.length < raw.length ? palette : raw;
}

/** Whether `uri` is a palette-form data: URI (fromDataURI decodes it). */
export function isPaletteURI(uri: string): boolean {
  return uri.startsWith(PALETTE_PREFIX);
}

/** G.711 mu-law: the 256 levels, as float32 in [-1, 1) (the decoded 16-bit sample / 32768), index = the code byte. */
export const MU_LAW_LEVELS: Float32Array = (() => {
  const levels = new Float32Array(256);
  for (let code = 0; code < 256; code++) {
    const u = ~code & 0xff;
    const exponent = (u >> 4) & 0x07;
    const magnitude = ((((u & 0x0f) << 3) + 0x84) << exponent) - 0x84;
    levels[code] = (u & 0x80 ? -magnitude : magnitude) / 32768;
  }
  return levels;
})();

/** Each sample moved to the nearest mu-law level (audio as telephony stores it: 8 bits, ~38 dB signal-to-noise). */
export function toMuLawGrid(samples: Float32Array): Float32Array {
  const sorted = [...new Set(MU_LAW_LEVELS)].sort((a, b) => a - b);
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const x = samples[i]!;
    // Binary search of the nearest level (the levels are not evenly spaced).
    let lo = 0;
    let hi = sorted.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! <= x) lo = mid;
      else hi = mid;
    }
    out[i] = Math.abs(x - sorted[lo]!) <= Math.abs(sorted[hi]! - x) ? sorted[lo]! : sorted[hi]!;
  }
  return out;
}

/** Each pixel (in [0, 1]) moved to the nearest of the 256 8-bit grey levels k / 255. */
export function toGrey8Grid(pixels: Float32Array): Float32Array {
  const out = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) out[i] = Math.round(Math.max(0, Math.min(1, pixels[i]!)) * 255) / 255;
  return out;
}

/**
 * `inputs` (whole rows of `task`) on the task's canonical grid, so that one call's input publishes inline as a fraud
 * proof: VAD audio on mu-law levels, OCR lines on 8-bit grey levels; MNIST's raw input already fits, returned as is.
 */
export function canonicalInputs(task: TaskId, inputs: Float32Array): Float32Array {
  if (inputs.length % TASKS[task].inputSize !== 0) {
    throw new Error(`${task}: inputs must be whole rows of ${TASKS[task].inputSize} values, got ${inputs.length}`);
  }
  if (task === "vad") return toMuLawGrid(inputs);
  if (task === "ocr") return toGrey8Grid(inputs);
  return inputs;
}
