// The provider middleware's core, independent of any HTTP framework: it checks a signed inference request against the
// caller's paid calls on-chain, counts the calls served, runs the provider's own inference function, and signs the
// receipt of the answer with the listing's serving key. The adapters (node-http.ts, express.ts, fastify.ts) only move
// a parsed JSON body in and a status + JSON body out.
//
//   request  {"auth": InferenceAuth, "inputs": number[][]}            or {"auth", "inputsF32": base64 float32 LE}
//   answer   {"outputs": number[][], "receipt": SignedReceiptWire, …}  or {"outputsF32": base64, "receipt", …}
//
// Each input is one call: a batch of n inputs needs n paid calls left. Errors are {"error": {"code", "message"}}:
// 400 malformed, 401 forged / foreign / expired / replayed signature, 402 no paid calls left, 404 a listing not served
// here, 413 too many inputs, 503 the chain cannot be read.
//
// The receipt (protocol/src/receipts.ts) signs: the listing, the listing's declared model hash, the request's caller
// and nonce, keccak256 of the float32 little-endian bytes of every input of the request in order (JSON numbers are
// converted to float32 first), the same of every output returned, and the provider's clock. A client refuses an
// answer without one, and a wrong answer with one is a fraud proof anyone can file on-chain.
import { getAddress, type Signer, type TypedDataDomain } from "ethers";
import {
  dataHash,
  receiptToWire,
  type Hex,
  type InferenceAuth,
  type InferenceReceipt,
  type SignedReceiptWire,
} from "@curia/protocol";
import { base64ToF32, f32ToBase64, f32ToBytes, recoverInferenceSigner, signReceipt } from "@curia/protocol/ethers";
import type { Logger } from "@curia/validator";
import { UsageStore } from "../usage.js";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A listing this provider serves, with the model hash it declared on-chain (what its receipts name). */
export interface ServedListing {
  listingId: bigint;
  modelHash: string;
  /** Values per input of this listing's task, when the server serves several tasks (default: the core's inputSize). */
  inputSize?: number;
}

/** One authorized request, as the provider's inference function sees it. */
export interface ServedRequest {
  listingId: bigint;
  /** The signed caller (checksummed). */
  caller: string;
  nonce: bigint;
  /** `count` inputs of `inputSize` values each, in order. */
  inputs: Float32Array;
  count: number;
}

/** The provider's model: the outputs of `request.count` inputs, in order (any number of values per input). */
export type InferFunction = (request: ServedRequest) => Promise<Float32Array> | Float32Array;

export interface CoreOptions {
  /** The inference domain of the deployment (`inferenceDomain(chainId, registry)`): requests and receipts. */
  domain: TypedDataDomain;
  /** Listings served, each with its on-chain model hash (see `loadServedListings`). */
  listings: readonly ServedListing[];
  /** The key that signs receipts: it must be each listing's `ListingRegistry.servingKeyOf`. */
  servingKey: Signer;
  /** Paid calls credited to `caller` on `listingId`, all purchases together (`ListingRegistry.callsPurchased`). */
  callsPurchased(listingId: bigint, caller: string): Promise<bigint>;
  /** Values per input (784 for the sample MNIST task). */
  inputSize: number;
  usage?: UsageStore;
  log?: Logger;
  /** Largest batch per request (default 512). */
  maxBatch?: number;
  /** Farthest expiry accepted, in seconds from now (default 3600): bounds how long nonces must be remembered. */
  maxTtlSeconds?: number;
  /** The wall clock, unix seconds: what signed requests' expiries are checked against. */
  now?: () => number;
  /**
   * The chain's clock, unix seconds: what receipts are dated with (`servedAt`; ListingChallenges checks it against
   * block time). Default: `now`; a development chain moved ahead needs a ChainClock (`@curia/protocol/ethers`).
   */
  chainNow?: () => number;
}

/** What an adapter sends back. */
export interface CoreResponse {
  status: number;
  body: Record<string, unknown>;
}

/** The largest request body the adapters read (JSON numbers of 512 MNIST inputs fit well within). */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

interface InferenceBody {
  auth?: Partial<InferenceAuth>;
  inputs?: unknown;
  inputsF32?: unknown;
}

function parseAuth(auth: Partial<InferenceAuth> | undefined): InferenceAuth & { listing: bigint; nonceValue: bigint } {
  if (auth === undefined || auth === null || typeof auth !== "object") {
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

function parseInputs(
  body: InferenceBody,
  inputSize: number,
  maxBatch: number,
): { inputs: Float32Array; count: number; binary: boolean } {
  if (typeof body.inputsF32 === "string") {
    const inputs = base64ToF32(body.inputsF32);
    if (inputs === undefined || inputs.length === 0 || inputs.length % inputSize !== 0) {
      throw new HttpError(400, "bad_inputs", `inputsF32 must hold a multiple of ${inputSize} float32 values`);
    }
    const count = inputs.length / inputSize;
    if (count > maxBatch) {
      throw new HttpError(413, "batch_too_large", `${count} inputs; at most ${maxBatch} per request`);
    }
    for (let i = 0; i < inputs.length; i++) {
      if (!Number.isFinite(inputs[i]!))
        throw new HttpError(400, "bad_inputs", `inputsF32[${i}] is not a finite number`);
    }
    return { inputs, count, binary: true };
  }
  if (!Array.isArray(body.inputs) || body.inputs.length === 0) {
    throw new HttpError(400, "bad_inputs", `inputs must be a non-empty array of ${inputSize}-number arrays`);
  }
  const count = body.inputs.length;
  if (count > maxBatch) throw new HttpError(413, "batch_too_large", `${count} inputs; at most ${maxBatch} per request`);
  const inputs = new Float32Array(count * inputSize);
  body.inputs.forEach((row: unknown, r) => {
    if (
      !Array.isArray(row) ||
      row.length !== inputSize ||
      !row.every((v) => typeof v === "number" && Number.isFinite(v))
    ) {
      throw new HttpError(400, "bad_inputs", `inputs[${r}] must be an array of ${inputSize} finite numbers`);
    }
    inputs.set(row as number[], r * inputSize);
  });
  return { inputs, count, binary: false };
}

const silent: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silent,
};

export class ProviderCore {
  readonly usage: UsageStore;
  private readonly served: Map<string, ServedListing>;
  private readonly log: Logger;
  /** Requests answered with 200 (for health checks, tests and logs). */
  requestsServed = 0;

  constructor(private readonly options: CoreOptions) {
    if (!Number.isInteger(options.inputSize) || options.inputSize <= 0) {
      throw new Error(`inputSize must be a positive integer, got ${options.inputSize}`);
    }
    for (const listing of options.listings) {
      if (listing.inputSize !== undefined && (!Number.isInteger(listing.inputSize) || listing.inputSize <= 0)) {
        throw new Error(`listing ${listing.listingId}: inputSize must be a positive integer, got ${listing.inputSize}`);
      }
    }
    this.usage = options.usage ?? new UsageStore();
    this.served = new Map(options.listings.map((l) => [l.listingId.toString(), l]));
    this.log = options.log ?? silent;
  }

  /** The listings served. */
  get listings(): string[] {
    return [...this.served.keys()];
  }

  private now(): number {
    return this.options.now?.() ?? Math.floor(Date.now() / 1000);
  }

  /** Checks the request and takes its calls; returns the caller and what it has left. */
  async authorize(
    rawAuth: Partial<InferenceAuth> | undefined,
    calls: number,
  ): Promise<{ caller: string; listing: bigint; nonce: bigint; remaining: bigint }> {
    const auth = parseAuth(rawAuth);
    if (!this.served.has(auth.listingId)) {
      throw new HttpError(404, "unknown_listing", `this server does not serve listing ${auth.listingId}`);
    }
    const { domain } = this.options;
    let signer: string;
    try {
      signer = recoverInferenceSigner(domain, auth);
    } catch (error) {
      throw new HttpError(401, "invalid_signature", `the signature does not parse: ${(error as Error).message}`);
    }
    if (signer !== auth.caller) {
      throw new HttpError(
        401,
        "invalid_signature",
        `the signature is not ${auth.caller}'s over this request in the domain "${String(domain.name)}" ` +
          `of chain ${String(domain.chainId)} and registry ${String(domain.verifyingContract)}`,
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
    return { caller: auth.caller, listing: auth.listing, nonce: auth.nonceValue, remaining };
  }

  /** The serving key's receipt of one answer. */
  async signReceipt(
    request: Pick<ServedRequest, "listingId" | "caller" | "nonce" | "inputs">,
    outputs: Float32Array,
  ): Promise<SignedReceiptWire> {
    const listing = this.served.get(request.listingId.toString());
    if (listing === undefined) throw new Error(`listing ${request.listingId} is not served here`);
    const receipt: InferenceReceipt = {
      listingId: request.listingId,
      modelHash: listing.modelHash as Hex,
      caller: request.caller as Hex,
      nonce: request.nonce,
      inputHash: dataHash(f32ToBytes(request.inputs)),
      outputHash: dataHash(f32ToBytes(outputs)),
      servedAt: BigInt(this.options.chainNow?.() ?? this.now()),
    };
    return receiptToWire(receipt, await signReceipt(this.options.servingKey, this.options.domain, receipt));
  }

  /** Serves one request body (already parsed from JSON): checks, counts, infers, signs. Never throws. */
  async serve(body: unknown, infer: InferFunction): Promise<CoreResponse> {
    try {
      if (body === null || typeof body !== "object" || Array.isArray(body)) {
        throw new HttpError(400, "bad_json", "the body must be a JSON object");
      }
      const request = body as InferenceBody;
      // The listing named in the request decides the input's shape (one server may serve MNIST, VAD and OCR listings);
      // a listing not served here falls back to the default shape and is refused by authorize.
      const named = this.served.get(String((request.auth as { listingId?: unknown } | undefined)?.listingId ?? ""));
      const inputSize = named?.inputSize ?? this.options.inputSize;
      const { inputs, count, binary } = parseInputs(request, inputSize, this.options.maxBatch ?? 512);
      const { caller, listing, nonce, remaining } = await this.authorize(request.auth, count);
      const served: ServedRequest = { listingId: listing, caller, nonce, inputs, count };
      const outputs = await infer(served);
      if (!(outputs instanceof Float32Array) || outputs.length % count !== 0) {
        throw new Error(`the inference function returned ${String(outputs?.length)} values for ${count} inputs`);
      }
      const receipt = await this.signReceipt(served, outputs);
      this.requestsServed++;
      this.log.debug("served", { listing, caller, calls: count, remaining });
      const result: Record<string, unknown> = {
        listingId: listing.toString(),
        calls: count,
        remainingCalls: remaining.toString(),
      };
      if (binary) {
        result.outputsF32 = f32ToBase64(outputs);
      } else {
        const width = outputs.length / count;
        result.outputs = Array.from({ length: count }, (_, r) =>
          Array.from(outputs.subarray(r * width, (r + 1) * width)),
        );
      }
      result.receipt = receipt;
      return { status: 200, body: result };
    } catch (error) {
      return this.errorResponse(error);
    }
  }

  /** The JSON answer of a refusal or a failure. */
  errorResponse(error: unknown): CoreResponse {
    if (error instanceof HttpError) {
      const fields = { status: error.status, code: error.code, reason: error.message };
      if (error.status >= 500) this.log.warn("request failed", fields);
      else this.log.debug("request refused", fields);
      return { status: error.status, body: { error: { code: error.code, message: error.message } } };
    }
    this.log.error("inference failed", { reason: (error as Error).message });
    return { status: 500, body: { error: { code: "internal", message: (error as Error).message } } };
  }

  health(): CoreResponse {
    return { status: 200, body: { status: "ok", listings: this.listings, requestsServed: this.requestsServed } };
  }
}
