// The web app's task samples (task-samples.json, @curia/protocol's TaskSampleFile): for VAD and OCR, one fresh input
// sent to the demo's honest and cheating listing of the task, through their providers as any paying consumer calls
// them (a signed request, the answer's receipt checked), with what the task's single-answer rule finds. The listing
// page shows the input (the text line as a PNG, the clip as a WAV) and both answers side by side.
import { randomBytes } from "node:crypto";
import { deflateSync, crc32 } from "node:zlib";
import type { Signer, TypedDataDomain } from "ethers";
import {
  OCR_HEIGHT,
  OCR_WIDTH,
  VAD_SAMPLE_RATE,
  type TaskId,
  type TaskSample,
  type TaskSampleFile,
} from "@curia/protocol";
import { ocrTask, ocrText, vadTask, type TaskPlugin } from "@curia/validator";
import { InferenceClient } from "../../validator/src/client.js";
import type { ListingKeys } from "../../validator/src/receipts.js";

/** A grayscale image (values 0 … 1, row-major) as a PNG data: URL. */
export function grayPngDataUrl(pixels: ArrayLike<number>, width: number, height: number): string {
  if (pixels.length !== width * height) throw new Error(`expected ${width} × ${height} pixels, got ${pixels.length}`);
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // grayscale
  const raw = Buffer.alloc(height * (width + 1));
  for (let y = 0; y < height; y++) {
    raw[y * (width + 1)] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const v = pixels[y * width + x]!;
      raw[y * (width + 1) + 1 + x] = Math.round(Math.min(1, Math.max(0, v)) * 255);
    }
  }
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
  return `data:image/png;base64,${png.toString("base64")}`;
}

/** Mono float samples (−1 … 1) as a 16-bit PCM WAV data: URL. */
export function wavDataUrl(samples: ArrayLike<number>, sampleRate: number): string {
  const data = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) {
    data.writeInt16LE(Math.round(Math.min(1, Math.max(-1, samples[i]!)) * 32_767), i * 2);
  }
  const header = Buffer.alloc(44);
  header.write("RIFF", 0, "latin1");
  header.writeUInt32LE(36 + data.length, 4);
  header.write("WAVEfmt ", 8, "latin1");
  header.writeUInt32LE(16, 16); // fmt chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28); // bytes per second
  header.writeUInt16LE(2, 32); // bytes per frame
  header.writeUInt16LE(16, 34); // bits per sample
  header.write("data", 36, "latin1");
  header.writeUInt32LE(data.length, 40);
  return `data:audio/wav;base64,${Buffer.concat([header, data]).toString("base64")}`;
}

export interface TaskSampleOptions {
  /** The demo consumer, which bought calls on every task listing. */
  consumer: Signer;
  domain: TypedDataDomain;
  keys: ListingKeys;
  /** The chain's clock (receipts are dated on it). */
  chainNow: () => number;
  /** Per task, the honest and the cheating listing with their endpoints. */
  pairs: { task: TaskId; honest: { id: bigint; endpoint: string }; cheating: { id: bigint; endpoint: string } }[];
}

const PLUGINS: Partial<Record<TaskId, TaskPlugin>> = { vad: vadTask, ocr: ocrTask };

/** One fresh sample per task of `pairs` (VAD and OCR), answered by both listings. */
export async function collectTaskSamples(options: TaskSampleOptions): Promise<TaskSampleFile> {
  const client = new InferenceClient(options.consumer, options.domain, options.keys, {
    chainNow: options.chainNow,
    attempts: 2,
    timeoutMs: 60_000,
  });
  const samples: TaskSample[] = [];
  for (const pair of options.pairs) {
    const plugin = PLUGINS[pair.task];
    if (plugin === undefined) throw new Error(`no sample for task ${pair.task}: only vad and ocr have one`);
    const sample = await plugin.generate(randomBytes(32), "demo-sample", 1);
    const [honest, cheating] = await Promise.all(
      [pair.honest, pair.cheating].map((l) => client.infer(l.endpoint, l.id, sample.inputs, 1, plugin.spec)),
    );
    const show = (output: Float32Array): string | number[] =>
      pair.task === "ocr" ? ocrText(output) : Array.from(output, (p) => Math.round(p * 1000) / 1000);
    samples.push({
      task: pair.task,
      input:
        pair.task === "ocr"
          ? { kind: "image", dataUrl: grayPngDataUrl(sample.inputs, OCR_WIDTH, OCR_HEIGHT) }
          : { kind: "audio", dataUrl: wavDataUrl(sample.inputs, VAD_SAMPLE_RATE) },
      truth: pair.task === "ocr" ? String((sample.truth as string[])[0]) : Array.from(sample.truth as Uint8Array),
      answers: [
        { listing: pair.honest, output: honest!, role: "honest" as const },
        { listing: pair.cheating, output: cheating!, role: "cheating" as const },
      ].map(({ listing, output, role }) => {
        const verdict = plugin.judgeAnswer(output, honest!);
        return {
          listingId: listing.id.toString(),
          role,
          answer: show(output),
          deviation: Math.round(verdict.deviation * 10_000) / 10_000,
          within: verdict.within,
        };
      }),
    });
  }
  return { generatedAt: Math.floor(Date.now() / 1000), samples };
}
