// The MNIST sample task as a plugin (issue 19): the same rules the validator has always applied, reached through the
// plugin interface. The plugin's score is score.ts's, its inputs are probes/inputs.ts's perturbed digits, its single-
// answer rule is fraud.ts's band, so porting MNIST onto the interface changes no verdict.
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { TASKS, parseListingMetadata } from "@curia/protocol";
import { probeInputs } from "../src/probes/inputs.js";
import { ensureModels } from "../src/model/reference.js";
import { ANSWER_TOLERANCE, scoreSamples } from "../src/score.js";
import { evaluate, judgeReceipt } from "../src/tasks/evaluate.js";
import { taskFor } from "../src/tasks/index.js";
import { mnistTask } from "../src/tasks/mnist.js";
import type { TaskRunner } from "../src/tasks/types.js";

const secret = new Uint8Array(32).fill(19);

describe("task plugin: MNIST (the sample task, ported)", function () {
  let reference: TaskRunner;
  let degraded: TaskRunner;

  before(async function () {
    const models = ensureModels();
    reference = await mnistTask.open(readFileSync(models.reference.path));
    degraded = await mnistTask.open(readFileSync(models.degraded.path));
  });

  after(async function () {
    await Promise.all([reference, degraded].map((r) => r?.release()));
  });

  it("reads old and new listing metadata as mnist v1, and refuses bad metadata clearly", function () {
    expect(parseListingMetadata({ name: "m", task: "mnist digit classification" })).to.include({
      task: "mnist",
      taskVersion: 1,
    });
    const hash = `0x${"ab".repeat(32)}`;
    expect(parseListingMetadata({ name: "v", task: "vad", taskVersion: 1, modelHash: hash })).to.deep.equal({
      name: "v",
      task: "vad",
      taskVersion: 1,
      modelHash: hash,
    });
    expect(() => parseListingMetadata({ name: "x", task: "speech" })).to.throw(/unknown task "speech"/);
    expect(() => parseListingMetadata({ name: "x", task: "ocr", taskVersion: 7 })).to.throw(/version 7/);
    expect(() => parseListingMetadata({ name: "x", task: "ocr", modelHash: "0x12" })).to.throw(/modelHash/);
    expect(() => parseListingMetadata({ task: "ocr" })).to.throw(/needs a name/);
    expect(taskFor("mnist")).to.equal(mnistTask);
    expect(mnistTask.spec).to.deep.equal(TASKS.mnist);
  });

  it("generates the validator's probe inputs and scores exactly as score.ts does", async function () {
    const inputs = await mnistTask.generate(secret, "7", 40);
    const probes = probeInputs(secret, "7", 40);
    expect(Buffer.from(inputs.inputs.buffer).equals(Buffer.from(probes.images.buffer))).to.equal(true);
    expect([...inputs.labels!]).to.deep.equal([...probes.labels]);
    const ref = await reference.run(inputs.inputs, 40);
    const deg = await degraded.run(inputs.inputs, 40);
    expect(mnistTask.score(deg, ref, inputs).scoreBps).to.equal(scoreSamples(deg, ref, probes.labels).scoreBps);
  });

  it("passes the reference model's provider and catches the degraded one, in a round and on single receipts", async function () {
    const honest = await evaluate(mnistTask, reference, (x, n) => reference.run(x, n), secret, "round", 200);
    const cheap = await evaluate(mnistTask, reference, (x, n) => degraded.run(x, n), secret, "round", 200);
    expect(honest.score.passed).to.equal(true);
    expect(cheap.score.passed).to.equal(false);
    console.log(`      mnist: honest ${honest.score.scoreBps} bps, degraded ${cheap.score.scoreBps} bps`);
    const size = TASKS.mnist.inputSize;
    let fraud = 0;
    for (let i = 0; i < 10; i++) {
      const input = cheap.evalInputs.inputs.subarray(i * size, (i + 1) * size);
      const verdict = await judgeReceipt(
        mnistTask,
        reference,
        input,
        cheap.providerOutputs.subarray(i * 10, i * 10 + 10),
      );
      if (!verdict.within) fraud++;
      expect(verdict.deviation > ANSWER_TOLERANCE).to.equal(!verdict.within);
    }
    expect(fraud).to.be.above(0);
  });
});
