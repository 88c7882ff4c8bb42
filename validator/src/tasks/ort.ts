// Opening an ONNX model on onnxruntime-node's CUDA execution provider when it loads, the CPU one otherwise (the npm
// package is CPU-only on machines without the CUDA / cuDNN libraries, and an ['cuda', 'cpu'] list throws there instead
// of falling back, so each is tried on its own). Every task's runner reports which one ran.
import * as ort from "onnxruntime-node";
import type { ExecutionProvider } from "../runtime.js";
import type { RunnerOptions } from "./types.js";

// A failed CUDA load is reported once, by us, with the fallback, not as the runtime's own error dump.
ort.env.logLevel = "fatal";

export interface OpenedSession {
  session: ort.InferenceSession;
  executionProvider: ExecutionProvider;
  cudaError?: string;
}

export async function openSession(model: Uint8Array, options: RunnerOptions = {}): Promise<OpenedSession> {
  const wanted = options.executionProvider ?? "auto";
  if (wanted !== "auto" && wanted !== "cuda" && wanted !== "cpu") {
    throw new Error(`executionProvider must be auto, cuda or cpu, got "${String(wanted)}"`);
  }
  const base: ort.InferenceSession.SessionOptions = {
    graphOptimizationLevel: "all",
    ...(options.intraOpThreads !== undefined ? { intraOpNumThreads: options.intraOpThreads } : {}),
  };
  let cudaError: string | undefined;
  if (wanted !== "cpu") {
    try {
      const session = await ort.InferenceSession.create(model, {
        ...base,
        logSeverityLevel: 4,
        executionProviders: ["cuda"],
      });
      return { session, executionProvider: "cuda" };
    } catch (error) {
      cudaError = (error as Error).message.split("\n")[0];
      if (wanted === "cuda") throw new Error(`the CUDA execution provider did not load: ${cudaError}`);
    }
  }
  const session = await ort.InferenceSession.create(model, { ...base, executionProviders: ["cpu"] });
  return { session, executionProvider: "cpu", ...(cudaError !== undefined ? { cudaError } : {}) };
}

export { ort };
