// The sample provider server: serves a task's model (the MNIST sample by default; any task plugin) over HTTP to callers who paid for calls on-chain, built on the
// provider middleware (middleware/core.ts: the request checks, the call accounting and the receipts; its node:http
// adapter: the HTTP side).
//
//   POST <any path>   {"auth": InferenceAuth, "inputs": number[][]}          → {"outputs": number[][], "receipt", ...}
//                     {"auth": InferenceAuth, "inputsF32": base64 float32 LE} → {"outputsF32": base64, "receipt", ...}
//   GET  /health      → {"status": "ok", "listings": [...]}
//
// Modes: honest (the reference model to everyone), degraded (a cheaper model to everyone), random (random answers),
// and validator-aware: the reference model to callers who are registered validators (a stake in the validators'
// StakePool) and the cheaper one to everyone else. That last one is the attack of issue 16: it passes every
// validator's probe. Every mode signs its receipts with the serving key (a client refuses an answer without one), so
// the consumer who got a wrong answer holds a signed proof of it.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mnistTask, Prng, type ModelSession, type TaskPlugin, type TaskRunner } from "@curia/validator";
import { ProviderCore, type CoreOptions, type InferFunction, type ServedRequest } from "./middleware/core.js";
import { curiaNodeHttp, type NodeHttpOptions } from "./middleware/node-http.js";

export type ProviderMode = "honest" | "degraded" | "random" | "validator-aware";
export const PROVIDER_MODES: readonly ProviderMode[] = ["honest", "degraded", "random", "validator-aware"];

/** One listing's task and its models, for a server that serves several tasks (loaded on first use, then kept). */
export interface ServedTask {
  task: TaskPlugin;
  /** The model that answers (per the mode, as `ProviderOptions.session`). */
  session(): Promise<ModelSession | TaskRunner>;
  /** validator-aware: the reference model validators get. */
  validatorSession?(): Promise<ModelSession | TaskRunner>;
}

export interface ProviderOptions extends Omit<CoreOptions, "inputSize"> {
  mode: ProviderMode;
  /**
   * The session that answers: the reference model when honest, the cheaper one when degraded, the cheaper one that
   * non-validators get when validator-aware; unused when random.
   */
  session: ModelSession | TaskRunner | undefined;
  /** validator-aware: the reference model validators get. */
  validatorSession?: ModelSession | TaskRunner;
  /** The task served (its wire shape; default: the MNIST sample task). */
  task?: TaskPlugin;
  /**
   * Per listing id, the listing's own task and models (listings not named here get `task` and `session`): how one
   * server serves MNIST, VAD and OCR listings, each through its task plugin's pre- and post-processing.
   */
  listingTasks?: ReadonlyMap<string, ServedTask>;
  /** validator-aware: whether `caller` is a registered validator (holds stake in the validators' pool). */
  isValidator?(caller: string): Promise<boolean>;
  seed?: number;
  /** Which web pages may call it (CORS; node-http.ts): any ("*", the default), one origin, or none (false). */
  allowOrigin?: NodeHttpOptions["allowOrigin"];
}

export class ProviderServer {
  readonly core: ProviderCore;
  readonly task: TaskPlugin;
  private readonly rng: Prng;
  private server: Server | undefined;
  /** validator-aware: requests answered with the reference model because the caller is a validator. */
  validatorRequests = 0;

  constructor(private readonly options: ProviderOptions) {
    const perListing = options.listingTasks ?? new Map<string, ServedTask>();
    // Listings without a task of their own are answered by `session` (and `validatorSession`).
    const sessionServed = options.listings.some((l) => !perListing.has(l.listingId.toString()));
    if (options.mode !== "random" && sessionServed && options.session === undefined) {
      throw new Error(`provider mode ${options.mode} needs a model session`);
    }
    if (options.mode === "validator-aware" && options.isValidator === undefined) {
      throw new Error("provider mode validator-aware needs isValidator");
    }
    if (options.mode === "validator-aware" && sessionServed && options.validatorSession === undefined) {
      throw new Error("provider mode validator-aware needs the validators' model session");
    }
    for (const [id, served] of perListing) {
      if (options.mode === "validator-aware" && served.validatorSession === undefined) {
        throw new Error(`provider mode validator-aware needs listing ${id}'s validators' model`);
      }
    }
    this.task = options.task ?? mnistTask;
    this.core = new ProviderCore({
      ...options,
      listings: options.listings.map((l) => {
        const own = perListing.get(l.listingId.toString());
        return own === undefined ? l : { ...l, inputSize: own.task.spec.inputSize };
      }),
      inputSize: this.task.spec.inputSize,
    });
    this.rng = new Prng(options.seed ?? 7);
  }

  /** Requests answered with 200. */
  get requestsServed(): number {
    return this.core.requestsServed;
  }

  /** The model run for `request`, per the mode. */
  readonly infer: InferFunction = async (request: ServedRequest) => {
    const { mode } = this.options;
    const own = this.options.listingTasks?.get(request.listingId.toString());
    if (own !== undefined) {
      if (mode === "random") return this.random(request.count, own.task);
      if (mode === "validator-aware" && (await this.options.isValidator!(request.caller))) {
        this.validatorRequests++;
        return (await own.validatorSession!()).run(request.inputs, request.count);
      }
      return (await own.session()).run(request.inputs, request.count);
    }
    if (mode === "random") return this.random(request.count);
    if (mode === "validator-aware" && (await this.options.isValidator!(request.caller))) {
      this.validatorRequests++;
      return this.options.validatorSession!.run(request.inputs, request.count);
    }
    return this.options.session!.run(request.inputs, request.count);
  };

  /** Random answers of the task's shape: MNIST gets probability vectors, other tasks uniform values in [0, 1). */
  private random(count: number, task: TaskPlugin = this.task): Float32Array {
    const CLASSES = task.spec.outputSize;
    if (task.spec.id !== "mnist") return Float32Array.from({ length: count * CLASSES }, () => this.rng.next());
    const out = new Float32Array(count * CLASSES);
    for (let r = 0; r < count; r++) {
      let sum = 0;
      for (let k = 0; k < CLASSES; k++) sum += out[r * CLASSES + k] = Math.exp(3 * this.rng.next());
      for (let k = 0; k < CLASSES; k++) out[r * CLASSES + k]! /= sum;
    }
    return out;
  }

  async listen(port: number, host = "127.0.0.1"): Promise<string> {
    const handler = curiaNodeHttp(this.core, this.infer, { allowOrigin: this.options.allowOrigin ?? "*" });
    const server = createServer((req, res) => void handler(req, res));
    this.server = server;
    await new Promise<void>((resolveListen, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => resolveListen());
    });
    const address = server.address() as AddressInfo;
    return `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
  }
}
