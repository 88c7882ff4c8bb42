// The reference and degraded MNIST models, trained on demand and cached under validator/.cache/models/<key>/, where
// <key> hashes the training code and parameters: editing either retrains once; otherwise every test, benchmark and
// `npm start` reuses the files.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadMnist } from "./dataset.js";
import { modelHashOf } from "./hash.js";
import { accuracy, train, type TrainingParams } from "./mlp.js";
import { mlpToOnnx } from "./onnx.js";

const HERE = dirname(fileURLToPath(import.meta.url));
export const VALIDATOR_ROOT = resolve(HERE, "..", "..");
export const CACHE_DIR = process.env.CURIA_VALIDATOR_CACHE ?? join(VALIDATOR_ROOT, ".cache");

/** The honest model: 784-64-10, ~93 % on the held-out digits, a few seconds of training. */
export const REFERENCE_PARAMS: TrainingParams = { hidden: 64, epochs: 12, learningRate: 0.1, batchSize: 16, seed: 1 };
/** The cheating provider's cheaper model: 784-8-10 trained briefly on a fifth of the data. */
export const DEGRADED_PARAMS: TrainingParams = {
  hidden: 8,
  epochs: 2,
  learningRate: 0.1,
  batchSize: 32,
  seed: 2,
  limit: 1600,
};

export interface BuiltModel {
  kind: "reference" | "degraded";
  path: string;
  /** SHA-256 of the file (see {@link modelHashOf}). */
  modelHash: string;
  /** Accuracy on the held-out evaluation set, measured when trained. */
  evalAccuracy: number;
  params: TrainingParams;
}

export interface ModelSet {
  reference: BuiltModel;
  degraded: BuiltModel;
  dir: string;
}

/** Hash of the sources that determine the weights and of the parameters. */
export function trainingKey(): string {
  const hash = createHash("sha256");
  for (const file of ["dataset.ts", "mlp.ts", "onnx.ts", "prng.ts", "reference.ts"]) {
    hash.update(readFileSync(join(HERE, file)));
  }
  hash.update(JSON.stringify({ REFERENCE_PARAMS, DEGRADED_PARAMS }));
  return hash.digest("hex").slice(0, 16);
}

function buildOne(kind: BuiltModel["kind"], params: TrainingParams, dir: string): BuiltModel {
  const path = join(dir, `mnist-mlp-${kind}.onnx`);
  const infoPath = `${path}.json`;
  if (existsSync(path) && existsSync(infoPath)) {
    const info = JSON.parse(readFileSync(infoPath, "utf8")) as BuiltModel;
    if (info.modelHash === modelHashOf(readFileSync(path))) return { ...info, path };
  }
  const { train: trainSet, eval: evalSet } = loadMnist();
  const weights = train(trainSet, params);
  const bytes = mlpToOnnx(
    weights,
    `mnist_mlp_${kind}`,
    `Curia ${kind} MNIST classifier 784-${params.hidden}-10 (${JSON.stringify(params)})`,
  );
  const built: BuiltModel = {
    kind,
    path,
    modelHash: modelHashOf(bytes),
    evalAccuracy: accuracy(weights, evalSet),
    params,
  };
  mkdirSync(dir, { recursive: true });
  // Temp file + rename: a process killed mid-write never leaves a truncated model behind.
  writeFileSync(`${path}.${process.pid}.tmp`, bytes);
  renameSync(`${path}.${process.pid}.tmp`, path);
  writeFileSync(`${infoPath}.${process.pid}.tmp`, JSON.stringify(built, null, 2) + "\n");
  renameSync(`${infoPath}.${process.pid}.tmp`, infoPath);
  return built;
}

/** The cached reference and degraded models, trained first when the cache has none for the current code. */
export function ensureModels(cacheDir = CACHE_DIR): ModelSet {
  const dir = join(cacheDir, "models", trainingKey());
  return {
    reference: buildOne("reference", REFERENCE_PARAMS, dir),
    degraded: buildOne("degraded", DEGRADED_PARAMS, dir),
    dir,
  };
}
