// `npm run bench:probes`: what private probe inputs do to scores (docs/probes.md). Each committee member now probes
// with its own fresh inputs instead of a shared public window, so honest members' scores differ by sampling; this
// measures by how much, for the honest (reference) and the cheating (degraded) sample model, over many probe secrets
// and several --samples sizes, next to the old shared public window. It also measures how far probe inputs are from
// the nearest shipped digit. Writes benchmarks/probes.md and .json.
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { LOCAL_VALIDATION } from "../../deploy/validation-config.js";
import { INPUT_SIZE } from "../src/model/dataset.js";
import { ensureModels } from "../src/model/reference.js";
import { probeInputs, shippedDigits } from "../src/probes/inputs.js";
import { createSession } from "../src/runtime.js";
import { scoreSamples } from "../src/score.js";
import { drawSamples } from "../src/verify.js";

const ROOT = resolve(fileURLToPath(import.meta.url), "..", "..", "..");
const SECRETS = Number(process.env.CURIA_BENCH_SECRETS ?? 32);
const SIZES = [50, 100, 200];
const NEIGHBOUR_INPUTS = 60;

const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
const quantile = (values: number[], q: number) => sorted(values)[Math.floor(q * (values.length - 1))]!;

interface Spread {
  min: number;
  median: number;
  max: number;
  /** Largest |score − median| over the secrets: what a member risks against a median of its peers. */
  maxFromMedian: number;
}

function spread(scores: number[]): Spread {
  const median = quantile(scores, 0.5);
  return {
    min: Math.min(...scores),
    median,
    max: Math.max(...scores),
    maxFromMedian: Math.max(...scores.map((s) => Math.abs(s - median))),
  };
}

function nearestDigit(image: Float32Array, skip = -1): number {
  const digits = shippedDigits();
  let best = Infinity;
  for (let j = 0; j < digits.count; j++) {
    if (j === skip) continue;
    let d = 0;
    for (let i = 0, o = j * INPUT_SIZE; i < INPUT_SIZE && d < best; i++) {
      const t = image[i]! - digits.images[o + i]!;
      d += t * t;
    }
    if (d < best) best = d;
  }
  return Math.sqrt(best);
}

async function main(): Promise<void> {
  const models = ensureModels();
  const reference = await createSession(readFileSync(models.reference.path), { executionProvider: "cpu" });
  const degraded = await createSession(readFileSync(models.degraded.path), { executionProvider: "cpu" });
  const started = performance.now();
  const rows = [];
  for (const samples of SIZES) {
    const honest: number[] = [];
    const cheating: number[] = [];
    let referenceCorrect = 0;
    for (let s = 0; s < SECRETS; s++) {
      const { images, labels } = probeInputs(randomBytes(32), "buyer:0", samples);
      const expected = await reference.run(images, samples);
      const h = scoreSamples(expected, expected, labels);
      referenceCorrect += h.referenceCorrect;
      honest.push(h.scoreBps);
      cheating.push(scoreSamples(await degraded.run(images, samples), expected, labels).scoreBps);
    }
    // The old probes: every member scored the same public window of the round (here: 32 rounds' windows).
    const publicHonest: number[] = [];
    const publicCheating: number[] = [];
    for (let round = 1; round <= SECRETS; round++) {
      const { images, labels } = drawSamples(BigInt(round), 1n, samples);
      const expected = await reference.run(images, samples);
      publicHonest.push(scoreSamples(expected, expected, labels).scoreBps);
      publicCheating.push(scoreSamples(await degraded.run(images, samples), expected, labels).scoreBps);
    }
    rows.push({
      samples,
      referenceAccuracy: referenceCorrect / (SECRETS * samples),
      honest: spread(honest),
      cheating: spread(cheating),
      publicWindow: { honest: spread(publicHonest), cheating: spread(publicCheating) },
    });
  }
  const digits = shippedDigits();
  const withinDataset = Array.from({ length: NEIGHBOUR_INPUTS }, (_, k) => {
    const j = (k * 163) % digits.count;
    return nearestDigit(digits.images.subarray(j * INPUT_SIZE, (j + 1) * INPUT_SIZE), j);
  });
  const { images } = probeInputs(randomBytes(32), "buyer:0", NEIGHBOUR_INPUTS);
  const probeRaw: number[] = [];
  const probeDenoised: number[] = [];
  for (let i = 0; i < NEIGHBOUR_INPUTS; i++) {
    const image = images.slice(i * INPUT_SIZE, (i + 1) * INPUT_SIZE);
    probeRaw.push(nearestDigit(image));
    probeDenoised.push(nearestDigit(image.map((v) => (v < 0.35 ? 0 : v))));
  }
  const distances = Object.fromEntries(
    Object.entries({ withinDataset, probeRaw, probeDenoised }).map(([name, values]) => [
      name,
      { min: Math.min(...values), p10: quantile(values, 0.1), median: quantile(values, 0.5) },
    ]),
  );
  await reference.release();
  await degraded.release();
  const { toleranceBps, minQualityBps } = LOCAL_VALIDATION.params;
  const result = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavg: loadavg() },
    secrets: SECRETS,
    toleranceBps,
    minQualityBps,
    rows,
    nearestDigitDistance: distances,
    seconds: (performance.now() - started) / 1000,
  };
  const f = (s: Spread) => `${s.min}–${s.max} (median ${s.median}, ±${s.maxFromMedian})`;
  const lines = [
    "# Probe inputs: score spread across private secrets",
    "",
    `\`npm run bench:probes\`, ${result.date}. ${SECRETS} random probe secrets per size; each scores the honest`,
    "(reference) and the cheating (degraded) sample model on its own fresh inputs (validator/src/probes/inputs.ts).",
    `"±" is the largest distance of one secret's score from the median: what an honest member risks against a`,
    `median of its peers (the local round tolerance is ${toleranceBps} bps; the minimum quality ${minQualityBps} bps).`,
    "The public-window columns are the old probes (every member the same window; spread over rounds).",
    "",
    "| samples | reference accuracy | honest (bps) | cheating (bps) | old window: honest | old window: cheating |",
    "| ------: | -----------------: | ------------ | -------------- | ------------------ | -------------------- |",
    ...rows.map(
      (r) =>
        `| ${r.samples} | ${(100 * r.referenceAccuracy).toFixed(1)} % | ${f(r.honest)} | ${f(r.cheating)} | ` +
        `${f(r.publicWindow.honest)} | ${f(r.publicWindow.cheating)} |`,
    ),
    "",
    `Nearest shipped digit (Euclidean, pixels in [0, 1]; ${NEIGHBOUR_INPUTS} inputs each): a dataset digit to its`,
    "nearest other digit, a probe input as sent, and a probe input with pixels under 0.35 zeroed (noise removed).",
    "",
    "| | min | 10th percentile | median |",
    "| --- | --: | --: | --: |",
    ...Object.entries(distances).map(
      ([name, d]) => `| ${name} | ${d.min.toFixed(2)} | ${d.p10.toFixed(2)} | ${d.median.toFixed(2)} |`,
    ),
    "",
    `Machine: ${result.machine.cpus} × ${result.machine.model}, load ${result.machine.loadavg.map((l) => l.toFixed(2)).join(" ")}; ` +
      `${result.seconds.toFixed(0)} s.`,
    "",
  ];
  mkdirSync(join(ROOT, "benchmarks"), { recursive: true });
  writeFileSync(join(ROOT, "benchmarks", "probes.md"), lines.join("\n"));
  writeFileSync(join(ROOT, "benchmarks", "probes.json"), JSON.stringify(result, null, 2) + "\n");
  console.log(lines.join("\n"));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
