// The sample provider server: serves an MNIST model over HTTP to callers who paid for calls on-chain.
//
//   POST <any path>   {"auth": InferenceAuth, "inputs": number[][]}          → {"outputs": number[][], ...}
//                     {"auth": InferenceAuth, "inputsF32": base64 float32 LE} → {"outputsF32": base64, ...}
//   GET  /health      → {"status": "ok", "listings": [...]}
//
// Each input is one call: a batch of n inputs needs n paid calls left. Errors are JSON {"error": {"code", "message"}}:
// 400 malformed, 401 forged / foreign / expired / replayed signature, 402 no paid calls left, 404 a listing this server
// does not serve, 413 too many inputs.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { getAddress, type TypedDataDomain } from "ethers";
import type { InferenceAuth } from "@curia/protocol";
import { base64ToF32, f32ToBase64, recoverInferenceSigner } from "@curia/protocol/ethers";
import { CLASSES, INPUT_SIZE, Prng, type Logger, type ModelSession } from "@curia/validator";
import { UsageStore } from "./usage.js";

export type ProviderMode = "honest" | "degraded" | "random";
export const PROVIDER_MODES: readonly ProviderMode[] = ["honest", "degraded", "random"];

export interface ProviderOptions {
  mode: ProviderMode;
  /** The session that answers (the reference model when honest, the cheaper one when degraded); unused when random. */
  session: ModelSession | undefined;
  domain: TypedDataDomain;
  /** Listings this server serves. */
  listings: bigint[];
  /** Paid calls credited to `caller` on `listingId`, all purchases together (ListingRegistry.callsPurchased). */
  callsPurchased(listingId: bigint, caller: string): Promise<bigint>;
  usage?: UsageStore;
  log: Logger;
  /** Largest batch per request (default 512). */
  maxBatch?: number;
  /** Farthest expiry accepted, in seconds from now (default 3600): bounds how long nonces must be remembered. */
  maxTtlSeconds?: number;
  now?: () => number;
  seed?: number;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface InferenceBody {
  auth?: Partial<InferenceAuth>;
  inputs?: unknown;
  inputsF32?: unknown;
}

const MAX_BODY_BYTES = 64 * 1024 * 1024;

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, "body_too_large", `request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseAuth(auth: Partial<InferenceAuth> | undefined): InferenceAuth & { listing: bigint; nonceValue: bigint } {
  if (auth === undefined || typeof auth !== "object") {
    throw new HttpError(
      401,
      "missing_signature",
      "the request has no auth {caller, listingId, nonce, expiry, signature}",
    );
  }
  const { caller, listingId, nonce, expiry, signature } = auth;
  if (typeof caller !== "string" || typeof signature !== "string" || typeof expiry !== "number") {
    throw new HttpError(401, "malformed_signature", "auth needs caller (address), signature (hex) and expiry (number)");
  }
  let listing: bigint;
  let nonceValue: bigint;
  let checksummed: string;
  try {
    listing = BigInt(String(listingId));
    nonceValue = BigInt(String(nonce));
    checksummed = getAddress(caller);
  } catch {
    throw new HttpError(
      401,
      "malformed_signature",
      "auth.listingId and auth.nonce must be integers, auth.caller an address",
    );
  }
  return {
    caller: checksummed,
    listingId: listing.toString(),
    nonce: nonceValue.toString(),
    expiry,
    signature,
    listing,
    nonceValue,
  };
}

function parseInputs(body: InferenceBody, maxBatch: number): { images: Float32Array; count: number; binary: boolean } {
  if (typeof body.inputsF32 === "string") {
    const images = base64ToF32(body.inputsF32);
    if (images === undefined || images.length === 0 || images.length % INPUT_SIZE !== 0) {
      throw new HttpError(400, "bad_inputs", `inputsF32 must hold a multiple of ${INPUT_SIZE} float32 values`);
    }
    const count = images.length / INPUT_SIZE;
    if (count > maxBatch) {
      throw new HttpError(413, "batch_too_large", `${count} inputs; at most ${maxBatch} per request`);
    }
    for (let i = 0; i < images.length; i++) {
      if (!Number.isFinite(images[i]!))
        throw new HttpError(400, "bad_inputs", `inputsF32[${i}] is not a finite number`);
    }
    return { images, count, binary: true };
  }
  if (!Array.isArray(body.inputs) || body.inputs.length === 0) {
    throw new HttpError(400, "bad_inputs", `inputs must be a non-empty array of ${INPUT_SIZE}-number arrays`);
  }
  const count = body.inputs.length;
  if (count > maxBatch) throw new HttpError(413, "batch_too_large", `${count} inputs; at most ${maxBatch} per request`);
  const images = new Float32Array(count * INPUT_SIZE);
  body.inputs.forEach((row: unknown, r) => {
    if (
      !Array.isArray(row) ||
      row.length !== INPUT_SIZE ||
      !row.every((v) => typeof v === "number" && Number.isFinite(v))
    ) {
      throw new HttpError(400, "bad_inputs", `inputs[${r}] must be an array of ${INPUT_SIZE} finite numbers`);
    }
    images.set(row as number[], r * INPUT_SIZE);
  });
  return { images, count, binary: false };
}

export class ProviderServer {
  private readonly usage: UsageStore;
  private readonly served: Set<string>;
  private readonly rng: Prng;
  private server: Server | undefined;
  /** Requests answered with 200 (for tests and logs). */
  requestsServed = 0;

  constructor(private readonly options: ProviderOptions) {
    if (options.mode !== "random" && options.session === undefined) {
      throw new Error(`provider mode ${options.mode} needs a model session`);
    }
    this.usage = options.usage ?? new UsageStore();
    this.served = new Set(options.listings.map(String));
    this.rng = new Prng(options.seed ?? 7);
  }

  private now(): number {
    return this.options.now?.() ?? Math.floor(Date.now() / 1000);
  }

  /** Checks the request and takes its calls; returns the caller and what it has left. */
  async authorize(
    rawAuth: Partial<InferenceAuth> | undefined,
    calls: number,
  ): Promise<{ caller: string; listing: bigint; remaining: bigint }> {
    const auth = parseAuth(rawAuth);
    if (!this.served.has(auth.listingId)) {
      throw new HttpError(404, "unknown_listing", `this server does not serve listing ${auth.listingId}`);
    }
    let signer: string;
    try {
      signer = recoverInferenceSigner(this.options.domain, auth);
    } catch (error) {
      throw new HttpError(401, "invalid_signature", `the signature does not parse: ${(error as Error).message}`);
    }
    if (signer !== auth.caller) {
      throw new HttpError(
        401,
        "invalid_signature",
        `the signature is not ${auth.caller}'s over this request in the domain "${String(this.options.domain.name)}" ` +
          `of chain ${String(this.options.domain.chainId)} and registry ${String(this.options.domain.verifyingContract)}`,
      );
    }
    const now = this.now();
    if (auth.expiry <= now) {
      throw new HttpError(401, "signature_expired", `the request expired at ${auth.expiry} (now ${now})`);
    }
    const maxTtl = this.options.maxTtlSeconds ?? 3600;
    if (auth.expiry > now + maxTtl) {
      throw new HttpError(401, "expiry_too_far", `expiry ${auth.expiry} is more than ${maxTtl} s ahead (now ${now})`);
    }
    // The nonce is spent before the chain is read: two concurrent copies of one request cannot both pass.
    if (!this.usage.useNonce(auth.listing, auth.caller, auth.nonceValue, auth.expiry, now)) {
      throw new HttpError(401, "replayed_nonce", `nonce ${auth.nonce} of ${auth.caller} was already used`);
    }
    let purchased: bigint;
    try {
      purchased = await this.options.callsPurchased(auth.listing, auth.caller);
    } catch (error) {
      throw new HttpError(503, "chain_unavailable", `cannot read paid calls on-chain: ${(error as Error).message}`);
    }
    const remaining = this.usage.consume(auth.listing, auth.caller, BigInt(calls), purchased);
    if (remaining === undefined) {
      const left = purchased - this.usage.servedCalls(auth.listing, auth.caller);
      this.usage.save();
      throw new HttpError(
        402,
        "payment_required",
        `${auth.caller} has ${left} paid call(s) left on listing ${auth.listingId} and asked for ${calls}; buy more with ` +
          `ListingRegistry.purchase(${auth.listingId}, calls, ${auth.caller}, maxPricePerCall)`,
      );
    }
    this.usage.save();
    return { caller: auth.caller, listing: auth.listing, remaining };
  }

  private async infer(images: Float32Array, count: number): Promise<Float32Array> {
    if (this.options.mode === "random") {
      const out = new Float32Array(count * CLASSES);
      for (let r = 0; r < count; r++) {
        let sum = 0;
        for (let k = 0; k < CLASSES; k++) sum += out[r * CLASSES + k] = Math.exp(3 * this.rng.next());
        for (let k = 0; k < CLASSES; k++) out[r * CLASSES + k]! /= sum;
      }
      return out;
    }
    return this.options.session!.run(images, count);
  }

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    };
    try {
      if (request.method === "GET" && (request.url === "/health" || request.url === "/")) {
        return reply(200, { status: "ok", listings: [...this.served], requestsServed: this.requestsServed });
      }
      if (request.method !== "POST") throw new HttpError(405, "method_not_allowed", "POST an inference request");
      let body: InferenceBody;
      try {
        body = JSON.parse(await readBody(request)) as InferenceBody;
      } catch (error) {
        if (error instanceof HttpError) throw error;
        throw new HttpError(400, "bad_json", `the body is not JSON: ${(error as Error).message}`);
      }
      if (body === null || typeof body !== "object") throw new HttpError(400, "bad_json", "the body must be an object");
      const { images, count, binary } = parseInputs(body, this.options.maxBatch ?? 512);
      const { caller, listing, remaining } = await this.authorize(body.auth, count);
      const outputs = await this.infer(images, count);
      this.requestsServed++;
      this.options.log.debug("served", { listing, caller, calls: count, remaining });
      const result: Record<string, unknown> = {
        listingId: listing.toString(),
        calls: count,
        remainingCalls: remaining.toString(),
      };
      if (binary) {
        result.outputsF32 = f32ToBase64(outputs);
      } else {
        result.outputs = Array.from({ length: count }, (_, r) =>
          Array.from(outputs.subarray(r * CLASSES, (r + 1) * CLASSES)),
        );
      }
      return reply(200, result);
    } catch (error) {
      if (error instanceof HttpError) {
        if (error.status >= 500)
          this.options.log.warn("request failed", { status: error.status, code: error.code, reason: error.message });
        else
          this.options.log.debug("request refused", { status: error.status, code: error.code, reason: error.message });
        return reply(error.status, { error: { code: error.code, message: error.message } });
      }
      this.options.log.error("inference failed", { reason: (error as Error).message });
      return reply(500, { error: { code: "internal", message: (error as Error).message } });
    }
  }

  async listen(port: number, host = "127.0.0.1"): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res));
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
