// Fraud proofs on a single receipt for the VAD and OCR tasks (issue 19): fraud.ts's judgeAnswer, given the listing's
// task plugin, re-executes the one published input on the reference model and judges the signed output by the task's
// single-answer rule. The attack: a provider serving the cheaper model (fp16 VAD, reduced-width OCR) signs a receipt;
// before task-aware judging, any such answer was "input-malformed" (not whole 784-float images) and could never be
// proved. Now the cheap answer is fraud and the honest answer to the same input is not.
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { dataHash, float32ToBytes, TASKS, toDataURI, type Hex, type InferenceReceipt } from "@curia/protocol";
import { judgeAnswer } from "../src/fraud.js";
import { modelHashOf } from "../src/model/hash.js";
import { ocrModelPath, ocrTask, openOcr } from "../src/tasks/ocr.js";
import type { TaskPlugin, TaskRunner } from "../src/tasks/types.js";
import { sileroModel, vadTask } from "../src/tasks/vad.js";

const options = { ipfsGateway: "http://127.0.0.1:1" };

function published(modelHash: string, input: Float32Array, output: Float32Array) {
  const inputBytes = float32ToBytes(input);
  const outputBytes = float32ToBytes(output);
  const receipt: InferenceReceipt = {
    listingId: 1n,
    modelHash: modelHash as Hex,
    caller: `0x${"11".repeat(20)}`,
    nonce: 1n,
    inputHash: dataHash(inputBytes),
    outputHash: dataHash(outputBytes),
    servedAt: 1n,
  };
  return { receipt, inputURI: toDataURI(inputBytes), outputURI: toDataURI(outputBytes) };
}

const verifierOf = (reference: TaskRunner) => ({
  referenceOutputs: async (_target: unknown, inputs: Float32Array, count: number) => ({
    outputs: await reference.run(inputs, count),
    executionProvider: reference.executionProvider,
  }),
});

/** The first of `count` generated inputs whose cheap answer the task's single-answer rule rejects. */
async function caseFor(task: TaskPlugin, reference: TaskRunner, cheap: TaskRunner, count: number) {
  const { inputs } = await task.generate(new Uint8Array(32).fill(0xf0), "receipt", count);
  const { inputSize, outputSize } = task.spec;
  const ref = await reference.run(inputs, count);
  const bad = await cheap.run(inputs, count);
  for (let i = 0; i < count; i++) {
    const at = (out: Float32Array) => out.slice(i * outputSize, (i + 1) * outputSize);
    if (!task.judgeAnswer(at(bad), at(ref)).within) {
      return { input: inputs.slice(i * inputSize, (i + 1) * inputSize), cheap: at(bad), honest: at(ref) };
    }
  }
  throw new Error(`${task.spec.id}: no cheap answer among ${count} is outside the band`);
}

for (const [task, open] of [
  [
    vadTask,
    async () => [await vadTask.open(sileroModel("fp32")), await vadTask.open(sileroModel("fp16")), sileroModel("fp32")],
  ],
  [
    ocrTask,
    async () => {
      const model = readFileSync(ocrModelPath());
      return [await ocrTask.open(model), await openOcr(model, { reducedWidth: 160 }), model];
    },
  ],
] as const) {
  describe(`fraud proof on a single ${task.spec.id} receipt`, function () {
    let reference: TaskRunner;
    let cheap: TaskRunner;
    let modelHash: string;

    before(async function () {
      const [r, c, model] = (await open()) as [TaskRunner, TaskRunner, Uint8Array];
      reference = r;
      cheap = c;
      modelHash = modelHashOf(model);
    });
    after(async function () {
      await Promise.all([reference, cheap].map((r) => r?.release()));
    });

    it("finds the cheap provider's signed answer fraudulent and the honest one honest", async function () {
      const c = await caseFor(task, reference, cheap, 6);
      const listing = { listingId: 1n, modelHash, metadataURI: "data:," };
      const verifier = verifierOf(reference);
      // Before: judged as MNIST, the task's receipt cannot be proved (its input is not whole 784-float images).
      const asMnist = await judgeAnswer(published(modelHash, c.input, c.cheap), listing, verifier, options);
      expect(asMnist.outcome).to.equal("input-malformed");
      const fraud = await judgeAnswer(published(modelHash, c.input, c.cheap), listing, verifier, options, task);
      expect(fraud.outcome).to.equal("fraud");
      expect(fraud.tolerance).to.equal(task.answerTolerance);
      expect(fraud.maxDeviation).to.be.above(task.answerTolerance);
      const honest = await judgeAnswer(published(modelHash, c.input, c.honest), listing, verifier, options, task);
      expect(honest.outcome).to.equal("honest");
      expect(honest.maxDeviation).to.equal(0);
      // A signed output of the wrong shape is fraud too; an input of the wrong shape proves nothing.
      const short = await judgeAnswer(
        published(modelHash, c.input, c.honest.slice(1)),
        listing,
        verifier,
        options,
        task,
      );
      expect(short.outcome).to.equal("fraud");
      const cut = await judgeAnswer(published(modelHash, c.input.slice(1), c.honest), listing, verifier, options, task);
      expect(cut.outcome).to.equal("input-malformed");
      expect(TASKS[task.spec.id].outputSize).to.equal(c.honest.length);
    });
  });
}
