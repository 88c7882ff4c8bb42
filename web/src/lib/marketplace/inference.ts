// Calling a listing's model from the browser, as a paying consumer: read the inputs the user gives, sign the request
// (EIP-712 InferenceRequest) with the wallet, POST it to the listing's endpoint, and refuse the answer unless it comes
// with a receipt of this very call signed by the listing's serving key (what the client library does). The receipt,
// with the input and output behind its hashes, is what a fraud proof files: the page offers it as a file and can hand
// it to the "Report a bad answer" form.
import {
  INFERENCE_PRIMARY_TYPE,
  INFERENCE_TYPES,
  bytesToFloat32,
  fromDataURI,
  float32ToBytes,
  inferenceDomain,
  receiptFromWire,
  receiptMismatch,
  receiptToWire,
  toEvidenceURI,
  type InferenceAuth,
  type InferenceReceipt,
  type StoredReceipt,
} from "@curia/protocol";
import type { Address, Hex } from "viem";
import { checkReceiptSigner, receiptDigestOf } from "../chain/challenges";
import { addressOf, type ChainContext } from "../chain/context";
import type { TypedDataPayload } from "../chain/wallet.svelte";

// ------------------------------------------------------------------ the inputs the user gives

export type ParsedInputs =
  | {
      ok: true;
      /** Every input's values, in order (what the request's `inputsF32` carries). */
      values: Float32Array;
      /** How many inputs (rows), when the text says it; a base64 blob does not. */
      count?: number;
    }
  | { ok: false; error: string };

/**
 * Reads inputs as the user pastes or loads them: JSON (an array of inputs, each an array of numbers; one array of
 * numbers for a single input; or the provider's own request body `{"inputs": [[…], …]}`), or the wire's base64
 * little-endian float32 (`inputsF32`), plain or as a base64 data: URI.
 */
export function parseInputs(text: string): ParsedInputs {
  const clean = text.trim();
  if (clean === "") return { ok: false, error: "Give the inputs: JSON arrays of numbers, or base64 float32." };
  if (clean.startsWith("[") || clean.startsWith("{")) return parseJsonInputs(clean);
  let bytes: Uint8Array | undefined;
  if (clean.startsWith("data:")) {
    bytes = fromDataURI(clean.replace(/\s+/g, ""));
    if (!bytes) return { ok: false, error: "The inputs are a data: URI but not a base64 one (data:…;base64,…)." };
  } else {
    const base64 = clean.replace(/\s+/g, "");
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0) {
      return {
        ok: false,
        error:
          "The inputs are neither JSON nor base64 (base64: A–Z, a–z, 0–9, + and /, padded with = to a multiple of 4).",
      };
    }
    bytes = fromDataURI(`data:;base64,${base64}`);
    if (!bytes) return { ok: false, error: "The inputs are not valid base64." };
  }
  const values = bytesToFloat32(bytes);
  if (!values || values.length === 0) {
    return { ok: false, error: `The inputs are ${bytes.length} bytes: float32 values take 4 bytes each.` };
  }
  return { ok: true, values };
}

function parseJsonInputs(text: string): ParsedInputs {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `The inputs are not JSON: ${(error as Error).message}.` };
  }
  if (typeof doc === "object" && doc !== null && !Array.isArray(doc)) doc = (doc as { inputs?: unknown }).inputs;
  if (!Array.isArray(doc) || doc.length === 0) {
    return { ok: false, error: 'Give an array of inputs ([[…], […]]), one input ([…]), or {"inputs": [[…], …]}.' };
  }
  const rows: unknown[][] = doc.every((row) => Array.isArray(row)) ? (doc as unknown[][]) : [doc];
  const width = rows[0]!.length;
  for (const [i, row] of rows.entries()) {
    if (row.length === 0) return { ok: false, error: `Input ${i + 1} is empty.` };
    if (row.length !== width) {
      return {
        ok: false,
        error: `Input ${i + 1} has ${row.length} values, input 1 has ${width}: all must be the same size.`,
      };
    }
    const bad = row.findIndex((v) => typeof v !== "number" || !Number.isFinite(v));
    if (bad >= 0) return { ok: false, error: `Input ${i + 1}, value ${bad + 1} is not a finite number.` };
  }
  return { ok: true, values: Float32Array.from(rows.flat() as number[]), count: rows.length };
}

// ------------------------------------------------------------------ the signed request

/** A fresh random 128-bit nonce (the provider refuses a nonce it has seen). */
export function randomNonce(): bigint {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return BigInt(`0x${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`);
}

/** The request the wallet signs (EIP-712 InferenceRequest in the deployment's inference domain). */
export function inferenceRequestTypedData(
  ctx: ChainContext,
  request: { caller: Address; listingId: bigint; nonce: bigint; expiry: number },
): TypedDataPayload {
  const domain = inferenceDomain(ctx.config.chainId, addressOf(ctx, "ListingRegistry"));
  return {
    domain: { ...domain },
    types: INFERENCE_TYPES,
    primaryType: INFERENCE_PRIMARY_TYPE,
    message: {
      caller: request.caller,
      listingId: request.listingId,
      nonce: request.nonce,
      expiry: BigInt(request.expiry),
    },
  };
}

// ------------------------------------------------------------------ the provider's answer

/** The provider refused, could not be reached, or answered something that is not an answer. */
export class ProviderError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** What the provider sent back for a call it served. */
export interface ProviderAnswer {
  outputs: Float32Array;
  /** The receipt as sent (not checked yet). */
  receipt: unknown;
  /** Paid calls the caller has left with this provider, as it counts them. */
  remainingCalls?: bigint;
}

/** Why a provider refuses, in words a consumer can act on. */
function refusal(status: number, code: string, message: string, endpoint: string): ProviderError {
  const hint =
    status === 402
      ? " Buy calls on this listing first (each input is one call)."
      : status === 401
        ? " Sign the request again."
        : "";
  return new ProviderError(
    status,
    code,
    `The provider at ${endpoint} refused the call (${status} ${code}): ${message}.${hint}`,
  );
}

/** POSTs the signed request with `values` (as `inputsF32`) to `endpoint`; throws ProviderError unless it answered. */
export async function postInference(
  endpoint: string,
  auth: InferenceAuth,
  values: Float32Array,
  options: { fetch?: typeof fetch; timeoutMs?: number } = {},
): Promise<ProviderAnswer> {
  const send = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await send(endpoint, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ auth, inputsF32: base64Of(float32ToBytes(values)) }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
  } catch (error) {
    throw new ProviderError(
      0,
      "unreachable",
      `The provider at ${endpoint} cannot be reached (${(error as Error).message}): it may be down, or not allow calls from this page (CORS).`,
    );
  }
  const text = await response.text();
  let body: {
    outputsF32?: unknown;
    receipt?: unknown;
    remainingCalls?: unknown;
    error?: { code?: string; message?: string };
  };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new ProviderError(
      response.status,
      "bad_answer",
      `The provider at ${endpoint} answered something that is not JSON.`,
    );
  }
  if (!response.ok) {
    throw refusal(response.status, body.error?.code ?? "error", body.error?.message ?? text.slice(0, 200), endpoint);
  }
  const bytes = typeof body.outputsF32 === "string" ? fromDataURI(`data:;base64,${body.outputsF32}`) : undefined;
  const outputs = bytes ? bytesToFloat32(bytes) : undefined;
  if (!outputs)
    throw new ProviderError(response.status, "bad_answer", `The provider at ${endpoint} sent no outputs (outputsF32).`);
  const answer: ProviderAnswer = { outputs, receipt: body.receipt };
  if (typeof body.remainingCalls === "string" && /^\d+$/.test(body.remainingCalls)) {
    answer.remainingCalls = BigInt(body.remainingCalls);
  }
  return answer;
}

function base64Of(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** An answer whose receipt passed every check: what can be kept and, if wrong, filed. */
export interface CheckedAnswer {
  outputs: Float32Array;
  receipt: InferenceReceipt;
  signature: Hex;
  /** The serving key that signed it. */
  signer: Address;
  /** The receipt file: the receipt with its input and output as data: URIs (the client library's StoredReceipt). */
  stored: StoredReceipt;
}

/** The provider's answer came without a receipt of this call by the listing's serving key: it is refused. */
export class ReceiptRefused extends Error {}

/**
 * Checks `answer`'s receipt as the client library does: present and well formed, of this call (listing, model,
 * caller, nonce, the input sent and the output received, dated within the allowed skew of the chain's clock `now`),
 * and signed by a serving key of the listing at its date. Throws ReceiptRefused saying why otherwise.
 */
export async function checkAnswer(
  ctx: ChainContext,
  answer: ProviderAnswer,
  call: {
    listingId: bigint;
    modelHash: string;
    caller: Address;
    nonce: bigint;
    values: Float32Array;
    endpoint: string;
    now: bigint;
  },
): Promise<CheckedAnswer> {
  if (answer.receipt === undefined || answer.receipt === null) {
    throw new ReceiptRefused(
      "The provider answered without a receipt: the answer is refused (it could never be proven wrong).",
    );
  }
  let parsed: { receipt: InferenceReceipt; signature: Hex };
  try {
    parsed = receiptFromWire(answer.receipt);
  } catch (error) {
    throw new ReceiptRefused(
      `The provider's receipt is malformed (${(error as Error).message}): the answer is refused.`,
    );
  }
  const input = float32ToBytes(call.values);
  const output = float32ToBytes(answer.outputs);
  const why = receiptMismatch(parsed.receipt, {
    listingId: call.listingId,
    modelHash: call.modelHash,
    caller: call.caller,
    nonce: call.nonce,
    input,
    output,
    now: Number(call.now),
  });
  if (why) throw new ReceiptRefused(`The provider's receipt is not this call's: ${why}. The answer is refused.`);
  const signer = await checkReceiptSigner(ctx, parsed.receipt, parsed.signature);
  if (!signer.valid || !signer.signer) {
    throw new ReceiptRefused(
      `The receipt is signed by ${signer.signer ?? "no address"}, not by the listing's serving key ${signer.servingKey}: the answer is refused.`,
    );
  }
  return {
    outputs: answer.outputs,
    receipt: parsed.receipt,
    signature: parsed.signature,
    signer: signer.signer,
    stored: {
      receipt: receiptToWire(parsed.receipt, parsed.signature),
      digest: receiptDigestOf(ctx, parsed.receipt),
      inputURI: toEvidenceURI(input),
      outputURI: toEvidenceURI(output),
      endpoint: call.endpoint,
    },
  };
}

// ------------------------------------------------------------------ showing the answer

/** One input's answer read as a classification: the highest output and its value. */
export interface TopOutput {
  index: number;
  value: number;
}

/**
 * Each input's highest output, when the outputs split evenly over `count` inputs (a classifier's scores per class);
 * undefined otherwise.
 */
export function topOutputs(outputs: Float32Array, count: number | undefined): TopOutput[] | undefined {
  if (!count || count <= 0 || outputs.length === 0 || outputs.length % count !== 0) return undefined;
  const width = outputs.length / count;
  return Array.from({ length: count }, (_, row) => {
    let index = 0;
    for (let k = 1; k < width; k++) if (outputs[row * width + k]! > outputs[row * width + index]!) index = k;
    return { index, value: outputs[row * width + index]! };
  });
}

/** The receipt file's name: listing and nonce, so that several are told apart. */
export function receiptFileName(receipt: InferenceReceipt): string {
  return `curia-receipt-listing-${receipt.listingId}-${receipt.nonce.toString(16).slice(0, 12)}.json`;
}
