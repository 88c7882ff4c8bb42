// OCR text recognition as a task plugin (issue 19): PP-OCRv4 recognition is the listed model; the cheaper provider
// runs it on the line squeezed to half its width (half the compute, measured ~2.3 × faster on CPU). The attack: serve
// that. Its character error rate against the reference's text is ~30 % on the rendered lines, while an honest provider
// (one line per session run, one thread) decodes the same text as the reference: CER 0.
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { OCR_MAX_CHARS, TASKS } from "@curia/protocol";
import { evaluate, judgeReceipt } from "../src/tasks/evaluate.js";
import { taskFor } from "../src/tasks/index.js";
import { editDistance, ocrModelPath, ocrTask, ocrText, openOcr } from "../src/tasks/ocr.js";
import type { TaskRunner } from "../src/tasks/types.js";

const LINES = 10;

describe("task plugin: OCR text recognition (PP-OCRv4, rendered lines)", function () {
  let reference: TaskRunner;
  let honest: TaskRunner;
  let cheap: TaskRunner;
  // A fixed secret keeps the test deterministic (the generator test shows another secret gives other lines).
  const secret = new Uint8Array(32).fill(0x0c);

  before(async function () {
    const model = readFileSync(ocrModelPath());
    reference = await ocrTask.open(model);
    honest = await ocrTask.open(model, { intraOpThreads: 1 });
    cheap = await openOcr(model, { reducedWidth: 160 });
  });

  after(async function () {
    await Promise.all([reference, honest, cheap].map((r) => r?.release()));
  });

  it("is the protocol's ocr task; edit distance and decoding behave", function () {
    expect(taskFor("ocr")).to.equal(ocrTask);
    expect(ocrTask.spec).to.deep.equal(TASKS.ocr);
    expect(editDistance("kitten", "sitting")).to.equal(3);
    expect(editDistance("", "abc")).to.equal(3);
    expect(ocrText([])).to.equal("");
  });

  it("renders the same lines from the same secret and tag, and other lines from another secret", async function () {
    const a = await ocrTask.generate(secret, "round-1", 3);
    const b = await ocrTask.generate(secret, "round-1", 3);
    const c = await ocrTask.generate(randomBytes(32), "round-1", 3);
    expect(Buffer.from(a.inputs.buffer).equals(Buffer.from(b.inputs.buffer))).to.equal(true);
    expect(Buffer.from(a.inputs.buffer).equals(Buffer.from(c.inputs.buffer))).to.equal(false);
    expect(a.truth).to.deep.equal(b.truth);
    // Ink on paper: every line has dark pixels (text) and mostly light ones.
    for (let i = 0; i < 3; i++) {
      const line = a.inputs.subarray(i * TASKS.ocr.inputSize, (i + 1) * TASKS.ocr.inputSize);
      const dark = line.filter((v) => v < 0.4).length / line.length;
      expect(dark).to.be.within(0.005, 0.4);
    }
  });

  it("passes an honest provider and catches the reduced-resolution one in a round", async function () {
    const round = await evaluate(ocrTask, reference, (x, n) => perLine(honest, x, n), secret, "round", LINES);
    expect(round.score.metric).to.equal(0);
    expect(round.score.passed).to.equal(true);
    // The reference reads the rendered text well: the task measures a real recogniser, not noise.
    expect(round.score.detail.referenceGroundTruthCer).to.be.below(0.2);

    const cheated = await evaluate(ocrTask, reference, (x, n) => cheap.run(x, n), secret, "round", LINES);
    expect(cheated.score.passed).to.equal(false);
    expect(cheated.score.metric).to.be.above(0.05);
    console.log(
      `      ocr: honest ${round.score.scoreBps} bps (CER 0, vs ground truth ` +
        `${round.score.detail.groundTruthCer!.toFixed(3)}), reduced-width ${cheated.score.scoreBps} bps ` +
        `(CER ${cheated.score.metric.toFixed(3)}); reference on ${round.executionProvider}`,
    );

    // Single receipts: no honest answer is fraud, some reduced-width answer is.
    const size = TASKS.ocr.inputSize;
    let fraud = 0;
    for (let i = 0; i < LINES; i++) {
      const input = round.evalInputs.inputs.subarray(i * size, (i + 1) * size);
      const at = (out: Float32Array) => out.subarray(i * OCR_MAX_CHARS, (i + 1) * OCR_MAX_CHARS);
      expect((await judgeReceipt(ocrTask, reference, input, at(round.providerOutputs))).within).to.equal(true);
      if (!(await judgeReceipt(ocrTask, reference, input, at(cheated.providerOutputs))).within) fraud++;
    }
    expect(fraud).to.be.above(0);
    // Not dictionary indices, or text after the end: malformed.
    const input = round.evalInputs.inputs.subarray(0, size);
    const bad = new Float32Array(OCR_MAX_CHARS);
    bad[1] = 5;
    expect((await judgeReceipt(ocrTask, reference, input, bad)).malformed).to.equal(true);
    expect(
      (await judgeReceipt(ocrTask, reference, input, new Float32Array(OCR_MAX_CHARS).fill(0.5))).malformed,
    ).to.equal(true);
  });

  it("fails with a clear message when the font is missing", async function () {
    // The font is loaded once per module instance: a fresh instance (another URL) reads CURIA_OCR_FONT again.
    const saved = process.env.CURIA_OCR_FONT;
    process.env.CURIA_OCR_FONT = "/nonexistent/font.ttf";
    try {
      const { ocrTask: fresh } = (await import(`../src/tasks/ocr.js?fresh=${Date.now()}`)) as {
        ocrTask: typeof ocrTask;
      };
      await fresh.generate(secret, "no-font", 1).then(
        () => expect.fail("rendered without a font"),
        (error: Error) => expect(error.message).to.match(/font \/nonexistent\/font.ttf is missing.*fonts-dejavu-core/),
      );
    } finally {
      if (saved === undefined) delete process.env.CURIA_OCR_FONT;
      else process.env.CURIA_OCR_FONT = saved;
    }
  });
});

/** An honest provider that answers one line per session run. */
async function perLine(runner: TaskRunner, inputs: Float32Array, count: number): Promise<Float32Array> {
  const size = TASKS.ocr.inputSize;
  const out = new Float32Array(count * OCR_MAX_CHARS);
  for (let i = 0; i < count; i++)
    out.set(await runner.run(inputs.subarray(i * size, (i + 1) * size), 1), i * OCR_MAX_CHARS);
  return out;
}
