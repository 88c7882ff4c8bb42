// onnxruntime-node sessions: the CUDA execution provider when it loads, the CPU one otherwise. The npm package is
// CPU-only on machines without the CUDA 12 / cuDNN 9 files, and a ['cuda', 'cpu'] list throws there instead of falling
// back, so each provider is tried on its own.
import * as ort from "onnxruntime-node";
import { CLASSES, INPUT_SIZE } from "./model/dataset.js";
import { INPUT_NAME, OUTPUT_NAME } from "./model/onnx.js";

// A failed CUDA load is reported once, by us, with the fallback; the runtime's own logger would print it as an error
// dump. The level is read when the runtime initialises (the first session of the process), hence here.
ort.env.logLevel = "fatal";

export type ExecutionProvider = "cuda" | "cpu";

export interface ModelSession {
  executionProvider: ExecutionProvider;
  /** Why CUDA was not used (undefined when it runs). */
  cudaError?: string;
  /** Probabilities of `count` row-major 784-float images: `count` × 10 floats. */
  run(images: Float32Array, count: number): Promise<Float32Array>;
  release(): Promise<void>;
}

export interface SessionOptions {
  /** "auto" (default): CUDA when it loads, else CPU. */
  executionProvider?: ExecutionProvider | "auto";
  intraOpThreads?: number;
}

export async function createSession(model: Uint8Array, options: SessionOptions = {}): Promise<ModelSession> {
  const wanted = options.executionProvider ?? "auto";
  const base: ort.InferenceSession.SessionOptions = {
    graphOptimizationLevel: "all",
    ...(options.intraOpThreads !== undefined ? { intraOpNumThreads: options.intraOpThreads } : {}),
  };
  let session: ort.InferenceSession | undefined;
  let executionProvider: ExecutionProvider = "cpu";
  let cudaError: string | undefined;
  if (wanted !== "cpu") {
    try {
      session = await ort.InferenceSession.create(model, {
        ...base,
        logSeverityLevel: 4,
        executionProviders: ["cuda"],
      });
      executionProvider = "cuda";
    } catch (error) {
      cudaError = (error as Error).message.split("\n")[0];
      if (wanted === "cuda") throw new Error(`the CUDA execution provider did not load: ${cudaError}`);
    }
  }
  session ??= await ort.InferenceSession.create(model, { ...base, executionProviders: ["cpu"] });
  const loaded = session;
  if (!loaded.inputNames.includes(INPUT_NAME) || !loaded.outputNames.includes(OUTPUT_NAME)) {
    await loaded.release();
    throw new Error(
      `the model must take "${INPUT_NAME}" [N, ${INPUT_SIZE}] and return "${OUTPUT_NAME}" [N, ${CLASSES}]; it has inputs ` +
        `${JSON.stringify(loaded.inputNames)} and outputs ${JSON.stringify(loaded.outputNames)}`,
    );
  }
  return {
    executionProvider,
    ...(cudaError !== undefined ? { cudaError } : {}),
    async run(images, count) {
      if (images.length !== count * INPUT_SIZE) {
        throw new Error(`expected ${count} × ${INPUT_SIZE} floats, got ${images.length}`);
      }
      const feeds = { [INPUT_NAME]: new ort.Tensor("float32", images, [count, INPUT_SIZE]) };
      const results = await loaded.run(feeds);
      const output = results[OUTPUT_NAME];
      if (output === undefined || output.dims.length !== 2 || output.dims[1] !== CLASSES || output.dims[0] !== count) {
        throw new Error(`the model returned ${JSON.stringify(output?.dims)}, expected [${count}, ${CLASSES}]`);
      }
      return output.data as Float32Array;
    },
    release: () => loaded.release(),
  };
}
