// Voice activity detection as a task plugin (issue 19): Silero VAD fp32 is the listed model, its fp16 conversion the
// cheaper substitute. The attack: serve the fp16 model. Its speech/non-speech decisions match the reference's on ~98 %
// of frames, so a decision-only frame agreement (the first version of this metric) passed it at 9,818 bps against a
// 9,700 pass mark; with each frame's probability also held to VAD_ATOL of the reference's, it scores ~6,600 and fails,
// while an honest provider running another fp32 export of the model, one clip at a time, scores 10,000.
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { TASKS, VAD_FRAMES } from "@curia/protocol";
import { evaluate, judgeReceipt } from "../src/tasks/evaluate.js";
import { taskFor } from "../src/tasks/index.js";
import type { TaskRunner } from "../src/tasks/types.js";
import { sileroModel, sileroModelPath, VAD_ATOL, vadTask } from "../src/tasks/vad.js";

const CLIPS = 12;

describe("task plugin: voice activity detection (Silero VAD, espeak-ng speech)", function () {
  let reference: TaskRunner;
  let honest: TaskRunner;
  let cheap: TaskRunner;
  // A fixed secret keeps the test deterministic (the generator test shows another secret gives other clips).
  const secret = new Uint8Array(32).fill(0x0a);

  before(async function () {
    reference = await vadTask.open(sileroModel("fp32"));
    // Another honest execution: the package's opset-18 fp32 export of the same weights, on one thread.
    const op18 = readFileSync(join(dirname(sileroModelPath("fp32")), "silero_vad_op18_ifless.onnx"));
    honest = await vadTask.open(op18, { intraOpThreads: 1 });
    cheap = await vadTask.open(sileroModel("fp16"));
  });

  after(async function () {
    await Promise.all([reference, honest, cheap].map((r) => r?.release()));
  });

  it("is the protocol's vad task, resolved from listing metadata's task id", function () {
    expect(taskFor("vad", 1)).to.equal(vadTask);
    expect(vadTask.spec).to.deep.equal(TASKS.vad);
    expect(() => taskFor("vad", 2)).to.throw(/version 2 is not supported/);
    expect(() => taskFor("asr")).to.throw(/unknown task "asr"/);
    expect(["cpu", "cuda"]).to.include(reference.executionProvider);
  });

  it("generates the same clips from the same secret and tag, and unrelated ones from another secret", async function () {
    const a = await vadTask.generate(secret, "round-1", 2);
    const b = await vadTask.generate(secret, "round-1", 2);
    const c = await vadTask.generate(randomBytes(32), "round-1", 2);
    const d = await vadTask.generate(secret, "round-2", 2);
    expect(a.inputs.length).to.equal(2 * TASKS.vad.inputSize);
    expect(Buffer.from(a.inputs.buffer).equals(Buffer.from(b.inputs.buffer))).to.equal(true);
    expect(Buffer.from(a.inputs.buffer).equals(Buffer.from(c.inputs.buffer))).to.equal(false);
    expect(Buffer.from(a.inputs.buffer).equals(Buffer.from(d.inputs.buffer))).to.equal(false);
    // Each clip mixes speech into silence: some frames are speech, some are not.
    const truth = a.truth as Uint8Array;
    for (let c2 = 0; c2 < 2; c2++) {
      const speech = truth.subarray(c2 * VAD_FRAMES, (c2 + 1) * VAD_FRAMES).reduce((n, v) => n + v, 0);
      expect(speech).to.be.within(1, VAD_FRAMES - 1);
    }
  });

  it("passes an honest provider, within the band, and catches the fp16 one in a round", async function () {
    const round = await evaluate(vadTask, reference, (x, n) => perClip(honest, x, n), secret, "round", CLIPS);
    expect(round.score.scoreBps).to.equal(10_000);
    expect(round.score.passed).to.equal(true);
    expect(round.score.detail.maxAbsDiff).to.be.below(VAD_ATOL / 100);
    // The reference model actually detects the synthesized speech (not a degenerate all-silence answer).
    expect(round.score.detail.groundTruthAgreement).to.be.above(0.75);

    const cheated = await evaluate(vadTask, reference, (x, n) => cheap.run(x, n), secret, "round", CLIPS);
    expect(cheated.score.passed).to.equal(false);
    expect(cheated.score.scoreBps).to.be.below(8_500);
    console.log(
      `      vad: honest ${round.score.scoreBps} bps (max |Δp| ${round.score.detail.maxAbsDiff!.toExponential(1)}), ` +
        `fp16 ${cheated.score.scoreBps} bps (max |Δp| ${cheated.score.detail.maxAbsDiff!.toFixed(2)}); ` +
        `reference on ${round.executionProvider}`,
    );
  });

  it("judges single receipts: the honest answers are never fraud, some fp16 answer is", async function () {
    const { inputs } = await vadTask.generate(secret, "receipts", CLIPS);
    const size = TASKS.vad.inputSize;
    let cheapFraud = 0;
    for (let i = 0; i < CLIPS; i++) {
      const input = inputs.subarray(i * size, (i + 1) * size);
      expect((await judgeReceipt(vadTask, reference, input, await honest.run(input, 1))).within).to.equal(true);
      if (!(await judgeReceipt(vadTask, reference, input, await cheap.run(input, 1))).within) cheapFraud++;
    }
    expect(cheapFraud).to.be.above(0);
    // A truncated or out-of-range answer is malformed, never within.
    const input = inputs.subarray(0, size);
    expect((await judgeReceipt(vadTask, reference, input, new Float32Array(3))).malformed).to.equal(true);
    expect((await judgeReceipt(vadTask, reference, input, new Float32Array(VAD_FRAMES).fill(2))).malformed).to.equal(
      true,
    );
  });

  it("fails with a clear message when espeak-ng cannot run", async function () {
    const path = process.env.PATH;
    process.env.PATH = "/nonexistent";
    try {
      await vadTask.generate(secret, "no-espeak", 1).then(
        () => expect.fail("generated speech without espeak-ng"),
        (error: Error) => expect(error.message).to.match(/could not run espeak-ng.*apt-get install espeak-ng/),
      );
    } finally {
      process.env.PATH = path;
    }
  });
});

/** An honest provider that answers one clip per session run (another batch size than the reference's). */
async function perClip(runner: TaskRunner, inputs: Float32Array, count: number): Promise<Float32Array> {
  const size = TASKS.vad.inputSize;
  const out = new Float32Array(count * VAD_FRAMES);
  for (let i = 0; i < count; i++)
    out.set(await runner.run(inputs.subarray(i * size, (i + 1) * size), 1), i * VAD_FRAMES);
  return out;
}
