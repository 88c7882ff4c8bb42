// Committee members score independent private inputs (docs/probes.md, "Independent inputs per member"): shared
// inputs would be predictable or leak through one member, and would repeat across buyers. Their scores are then
// comparable only statistically: each is the mean of `samples` per-input scores, so a member's distance from the
// round's median shrinks as 1/√samples, and it must stay within the round's toleranceBps or honest members are
// penalised for sampling noise. This measures the per-input spread of each task's honest and cheap model, and checks
// that at the sample count rounds reimburse (reimbursedCalls) three standard errors fit the tolerance of both
// configurations, while at the 8 samples the CI service round uses they do not (why that test widens its tolerance).
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { taskQualityBps } from "@curia/protocol";
import { LOCAL_VALIDATION, MAINNET_VALIDATION } from "../../deploy/validation-config.js";
import { ocrModelPath, ocrTask, openOcr } from "../src/tasks/ocr.js";
import type { TaskPlugin, TaskRunner } from "../src/tasks/types.js";
import { sileroModel, vadTask } from "../src/tasks/vad.js";

const SECRET = new Uint8Array(32).fill(0x4d);

const CASES: { task: TaskPlugin; inputs: number; open: () => Promise<{ honest: TaskRunner; cheap: TaskRunner }> }[] = [
  {
    task: vadTask,
    inputs: 24,
    open: async () => ({
      honest: await vadTask.open(sileroModel("fp32"), { executionProvider: "cpu" }),
      cheap: await vadTask.open(sileroModel("fp16"), { executionProvider: "cpu" }),
    }),
  },
  {
    task: ocrTask,
    inputs: 32,
    open: async () => {
      const model = readFileSync(ocrModelPath());
      return {
        honest: await ocrTask.open(model, { executionProvider: "cpu" }),
        cheap: await openOcr(model, { reducedWidth: 160, executionProvider: "cpu" }),
      };
    },
  },
];

/**
 * Per-input metric scores (bps, before the task's quality scale: detail.metricBps) of `provider` against `reference`,
 * each input scored alone by the task's metric. A member's committed score is the quality scale applied to the mean of
 * its inputs' metric scores, so the spread is measured on the metric.
 */
function perInput(task: TaskPlugin, provider: Float32Array, reference: Float32Array, count: number): number[] {
  const size = task.spec.outputSize;
  return Array.from({ length: count }, (_, i) => {
    const at = (out: Float32Array) => out.slice(i * size, (i + 1) * size);
    return task.score(at(provider), at(reference), { inputs: new Float32Array(task.spec.inputSize), count: 1 }).detail
      .metricBps!;
  });
}

const stdev = (xs: number[]) => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1));
};

for (const { task, inputs, open } of CASES) {
  describe(`comparability of independent ${task.spec.id} inputs across committee members`, function () {
    it("fits the round's tolerance at the reimbursed sample count, not at 8 samples", async function () {
      const { honest, cheap } = await open();
      try {
        const generated = await task.generate(SECRET, "comparability", inputs);
        const reference = await honest.run(generated.inputs, inputs);
        const honestScores = perInput(task, await honest.run(generated.inputs, inputs), reference, inputs);
        const cheapScores = perInput(task, await cheap.run(generated.inputs, inputs), reference, inputs);
        const sigma = { honest: stdev(honestScores), cheap: stdev(cheapScores) };
        const tolerance = Math.min(LOCAL_VALIDATION.params.toleranceBps, MAINNET_VALIDATION.params.toleranceBps);
        const samples = Math.min(LOCAL_VALIDATION.params.reimbursedCalls, MAINNET_VALIDATION.params.reimbursedCalls);
        const needed = Math.ceil(((3 * sigma.cheap) / tolerance) ** 2);
        console.log(
          `      ${task.spec.id}: per-input σ honest ${sigma.honest.toFixed(0)} bps, cheap ${sigma.cheap.toFixed(0)} ` +
            `bps; 3σ/√n at n=${samples}: ${((3 * sigma.cheap) / Math.sqrt(samples)).toFixed(0)} bps, at n=8: ` +
            `${((3 * sigma.cheap) / Math.sqrt(8)).toFixed(0)} bps (tolerance ${tolerance}); samples needed ≥ ${needed}`,
        );
        // Honest runs agree on every input: members' honest scores are equal whatever inputs they drew.
        expect(sigma.honest).to.equal(0);
        // A cheat varies from input to input (otherwise this would prove nothing) …
        expect(sigma.cheap).to.be.above(0);
        // … and at the reimbursed sample count three standard errors stay inside the tolerance; at 8 they do not.
        expect((3 * sigma.cheap) / Math.sqrt(samples)).to.be.at.most(tolerance);
        expect((3 * sigma.cheap) / Math.sqrt(8)).to.be.above(tolerance);
        // On the task's quality scale (what members commit) the cheat's mean, even three standard errors up at 8
        // samples, is below the scale's zero point: every member commits 0 and the committee agrees exactly. (A model
        // scoring near the pass mark would spread wider there: the scale is steep, 7,000 bps over the last 3 % / 2 %.)
        const mean = cheapScores.reduce((a, b) => a + b, 0) / cheapScores.length;
        expect(taskQualityBps(task.spec, mean + (3 * sigma.cheap) / Math.sqrt(8))).to.equal(0);
      } finally {
        await Promise.all([honest.release(), cheap.release()]);
      }
    });
  });
}
