// Per-task throughput of the validator (issue 19), run by `npm run bench:validator` after the MNIST pipeline bench.
// Writes benchmarks/tasks.md and .json. Per task, on N fresh inputs, medians over RUNS:
//   generate  — making the round's private inputs (espeak-ng speech, rendered lines, perturbed digits);
//   raw       — the reference model's execution with the task's pre- and post-processing (runner.run);
//   pipeline  — what the validator does per round once the provider answered: the reference execution and the
//               plugin's score (the provider's answers are those of the same model, recorded once);
// verified inferences/s = N / pipeline; overhead = the median of each run's pipeline / raw − 1 (target ≤ 10 %; input generation is reported
// apart: it is paid once per round and does not grow with the model). The execution provider is reported per task:
// CUDA when onnxruntime loads it, else CPU.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureModels } from "../src/model/reference.js";
import { ocrModelPath, ocrTask } from "../src/tasks/ocr.js";
import { mnistTask } from "../src/tasks/mnist.js";
import type { TaskPlugin } from "../src/tasks/types.js";
import { sileroModel, vadTask } from "../src/tasks/vad.js";

const ROOT = resolve(fileURLToPath(import.meta.url), "..", "..", "..");
const RUNS = Number(process.env.CURIA_BENCH_RUNS ?? 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const cases: { task: TaskPlugin; model: () => Uint8Array; n: number }[] = [
  { task: mnistTask, model: () => readFileSync(ensureModels().reference.path), n: 500 },
  { task: vadTask, model: () => sileroModel("fp32"), n: 16 },
  { task: ocrTask, model: () => readFileSync(ocrModelPath()), n: 16 },
];

const rows: Record<string, unknown>[] = [];
for (const { task, model, n } of cases) {
  const runner = await task.open(model());
  const secret = new Uint8Array(32).fill(0xbe);
  const generate: number[] = [];
  const raw: number[] = [];
  const pipeline: number[] = [];
  let t = performance.now();
  let inputs = await task.generate(secret, "bench-0", n);
  generate.push(performance.now() - t);
  const answers = await runner.run(inputs.inputs, n);
  await runner.run(inputs.inputs, n); // warm-up: the first runs pay for allocation and kernel selection
  // The score's warm-up too: a validator scores round after round, so its scoring code runs JIT-compiled; a cold first
  // call (MNIST's 500 samples score in well under a millisecond) would count the compiler, not the validator.
  for (let i = 0; i < 50; i++) task.score(answers, answers, inputs);
  for (let run = 0; run < RUNS; run++) {
    if (run > 0) {
      t = performance.now();
      inputs = await task.generate(secret, `bench-${run}`, n);
      generate.push(performance.now() - t);
    }
    // Alternate the order so that neither side always runs on a warmer cache.
    const timeRaw = async () => {
      const s = performance.now();
      await runner.run(inputs.inputs, n);
      raw.push(performance.now() - s);
    };
    const timePipeline = async () => {
      const s = performance.now();
      const reference = await runner.run(inputs.inputs, n);
      task.score(run === 0 ? answers : reference, reference, inputs);
      pipeline.push(performance.now() - s);
    };
    if (run % 2 === 0) {
      await timeRaw();
      await timePipeline();
    } else {
      await timePipeline();
      await timeRaw();
    }
  }
  await runner.release();
  const row = {
    task: task.spec.id,
    inputs: n,
    executionProvider: runner.executionProvider,
    generateMsPerInput: median(generate) / n,
    rawMs: median(raw),
    pipelineMs: median(pipeline),
    verifiedPerSecond: (1000 * n) / median(pipeline),
    // Paired: each run's pipeline against the raw run next to it (the machine's load moves both alike).
    overhead: median(pipeline.map((p, i) => p / raw[i]!)) - 1,
  };
  rows.push(row);
  console.log(`[bench] ${JSON.stringify(row)}`);
}

const lines = [
  "# Validator throughput per task (`npm run bench:validator`)",
  "",
  `${cpus().length} × ${cpus()[0]?.model ?? "CPU"}; medians over ${RUNS} runs. Overhead = median of each run's pipeline / raw − 1 (paired).`,
  "",
  "| task | inputs | EP | raw ms | pipeline ms | verified inferences/s | overhead | input generation ms/input |",
  "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |",
  ...rows.map(
    (r) =>
      `| ${r.task} | ${r.inputs} | ${r.executionProvider} | ${(r.rawMs as number).toFixed(1)} | ` +
      `${(r.pipelineMs as number).toFixed(1)} | ${(r.verifiedPerSecond as number).toFixed(1)} | ` +
      `${((r.overhead as number) * 100).toFixed(1)} % | ${(r.generateMsPerInput as number).toFixed(1)} |`,
  ),
  "",
];
mkdirSync(join(ROOT, "benchmarks"), { recursive: true });
writeFileSync(join(ROOT, "benchmarks", "tasks.md"), lines.join("\n"));
writeFileSync(join(ROOT, "benchmarks", "tasks.json"), JSON.stringify({ runs: RUNS, rows }, null, 2) + "\n");
console.log("[bench] wrote benchmarks/tasks.md and benchmarks/tasks.json");
