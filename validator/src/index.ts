// @curia/validator's public API: what other parts (the sample provider, benchmarks) may import. Everything else in
// src/ is the validator's own. The sample MNIST task lives here for now: the reference and degraded models (trained on
// demand, cached), their ONNX Runtime sessions, and the input format; with the logger and the RPC retry policy the
// provider shares, and the local chain's default probe-funding account (the demo funds it).
export { CLASSES, INPUT_SIZE, imageOf, loadMnist, type Dataset } from "./model/dataset.js";
export { modelHashOf } from "./model/hash.js";
export { Prng } from "./model/prng.js";
export { ensureModels, type BuiltModel, type ModelSet } from "./model/reference.js";
export { createSession, type ExecutionProvider, type ModelSession, type SessionOptions } from "./runtime.js";
export { createLogger, type LogFields, type LogLevel, type Logger } from "./log.js";
export { isTransientRpcError, withRetry } from "./retry.js";
export { DEFAULT_PROBE_FUNDING_DEV_ACCOUNT } from "./keys.js";
export {
  evaluate,
  judgeReceipt,
  mnistTask,
  ocrModelPath,
  openOcr,
  ocrTask,
  ocrText,
  sileroModel,
  sileroModelPath,
  taskFor,
  vadTask,
  type Answerer,
  type AnswerVerdict,
  type Evaluation,
  type EvalInputs,
  type RunnerOptions,
  type TaskPlugin,
  type TaskRunner,
  type TaskScore,
} from "./tasks/index.js";
export { DEFAULT_IPFS_GATEWAY, fetchBytes } from "./fetch-model.js";
