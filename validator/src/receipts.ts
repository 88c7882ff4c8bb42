// Receipts on the validator's side: checking the receipt of an answer (the signer was a serving key of the listing when
// the receipt was served, by @curia/protocol's signedInKeyPeriod, the rule ListingChallenges applies; the fields are
// those of the call, by receiptMismatch) and reading a published input or output (a fraud proof's, an audit's) whose
// keccak256 a receipt carries.
//
// Wire convention (shared with the provider): `inputHash` is keccak256 of the float32 little-endian bytes of all the
// request's inputs in order (what `inputsF32` decodes to), `outputHash` likewise of all outputs returned.
import type { TypedDataDomain } from "ethers";
import {
  dataHash,
  fromDataURI,
  receiptFromWire,
  receiptMismatch,
  signedInKeyPeriod,
  type InferenceReceipt,
  type ServingKeyPeriod,
  type SignedReceiptWire,
} from "@curia/protocol";
import { recoverReceiptSigner } from "@curia/protocol/ethers";
import { resolveUri } from "./fetch-model.js";

/** What a receipt's signer and model are checked against: the listing on-chain. */
export interface ListingKeys {
  /** The listing's serving key now (`ListingRegistry.servingKeyOf`; the zero address: no such listing). */
  servingKeyOf(listingId: bigint): Promise<string>;
  /** When `key` was the listing's serving key (`ListingRegistry.servingKeyPeriod`; validFrom 0: never). */
  servingKeyPeriod(listingId: bigint, key: string): Promise<ServingKeyPeriod>;
  /** The listing's declared model hash. */
  modelHashOf(listingId: bigint): Promise<string>;
}

/** The registry as {@link ListingKeys} (the views the validator's contracts binding has). */
export function listingKeysOf(registry: {
  servingKeyOf(listingId: bigint): Promise<string>;
  servingKeyPeriod(listingId: bigint, key: string): Promise<{ validFrom: bigint; validUntil: bigint }>;
  getListing(listingId: bigint): Promise<{ modelHash: string }>;
}): ListingKeys {
  return {
    servingKeyOf: (id) => registry.servingKeyOf(id),
    servingKeyPeriod: async (id, key) => {
      const { validFrom, validUntil } = await registry.servingKeyPeriod(id, key);
      return { validFrom, validUntil };
    },
    modelHashOf: async (id) => (await registry.getListing(id)).modelHash,
  };
}

/** A receipt that does not belong to the answer it came with, or is not signed by the listing's serving key. */
export class ReceiptRejectedError extends Error {}

/**
 * The signer of `receipt`, once it is checked to have been a serving key of the receipt's listing when the receipt was
 * served ({@link signedInKeyPeriod}, with the clock skew ListingChallenges allows): a key rotated away since still
 * answers for what it signed during its period, so a provider cannot void its receipts by rotating, and a key never
 * registered, or one signing after its period, answers for nothing. Throws {@link ReceiptRejectedError}. Errors reading
 * the chain pass through (transient).
 */
export async function checkReceiptSigner(
  domain: TypedDataDomain,
  keys: Pick<ListingKeys, "servingKeyPeriod">,
  receipt: InferenceReceipt,
  signature: string,
): Promise<string> {
  const signer = recoverSigner(domain, receipt, signature);
  const period = await keys.servingKeyPeriod(receipt.listingId, signer);
  if (signedInKeyPeriod(period, receipt.servedAt)) return signer;
  if (BigInt(period.validFrom) === 0n) {
    throw new ReceiptRejectedError(
      `the receipt is signed by ${signer}, which was never listing ${receipt.listingId}'s serving key`,
    );
  }
  const until = BigInt(period.validUntil) === 0n ? "now" : String(period.validUntil);
  throw new ReceiptRejectedError(
    `the receipt is signed by ${signer}, listing ${receipt.listingId}'s serving key from ${period.validFrom} until ` +
      `${until}, but dated ${receipt.servedAt}: outside that period`,
  );
}

/**
 * Parses and checks the receipt of an answer: well formed, signed (EIP-712, inference domain) by a serving key of the
 * listing at the time it was served ({@link checkReceiptSigner}), and every field the one of this call. Throws
 * {@link ReceiptRejectedError} naming the first problem.
 */
export async function checkAnswerReceipt(
  wire: unknown,
  domain: TypedDataDomain,
  keys: ListingKeys,
  call: { listingId: bigint; caller: string; nonce: bigint; input: Uint8Array; output: Uint8Array; now?: number },
): Promise<{ receipt: InferenceReceipt; signature: string; signer: string }> {
  if (wire === undefined || wire === null) throw new ReceiptRejectedError("the answer carries no receipt");
  let parsed;
  try {
    parsed = receiptFromWire(wire);
  } catch (error) {
    throw new ReceiptRejectedError((error as Error).message);
  }
  const { receipt, signature } = parsed;
  const modelHash = await keys.modelHashOf(call.listingId);
  const mismatch = receiptMismatch(receipt, {
    listingId: call.listingId,
    modelHash,
    caller: call.caller,
    nonce: call.nonce,
    input: call.input,
    output: call.output,
    now: call.now ?? Math.floor(Date.now() / 1000),
  });
  if (mismatch !== undefined) throw new ReceiptRejectedError(mismatch);
  const signer = await checkReceiptSigner(domain, keys, receipt, signature);
  return { receipt, signature, signer };
}

/** The signer of a receipt, or a {@link ReceiptRejectedError} for a malformed signature. */
export function recoverSigner(domain: TypedDataDomain, receipt: InferenceReceipt, signature: string): string {
  try {
    return recoverReceiptSigner(domain, receipt, signature);
  } catch (error) {
    throw new ReceiptRejectedError(`the receipt's signature is malformed: ${(error as Error).message}`);
  }
}

/** A published input or output that cannot be read (unsupported scheme, unreachable, too large). */
export class PublicationUnavailableError extends Error {}

/** Default cap on a published input or output: 784 floats × 4 bytes × 512 inputs is 1.6 MB. */
export const DEFAULT_MAX_PUBLICATION_BYTES = 8 * 1024 * 1024;

export interface PublicationOptions {
  ipfsGateway: string;
  maxBytes?: number;
  timeoutMs?: number;
}

/**
 * The bytes behind a published URI: a base64 data: URI, or http(s):// / ipfs:// (through the gateway) read up to
 * `maxBytes`. Never a local file: the URI comes from whoever filed the proof or sent the audit. The caller checks the
 * hash against the receipt.
 */
export async function fetchPublication(uri: string, options: PublicationOptions): Promise<Uint8Array> {
  const max = options.maxBytes ?? DEFAULT_MAX_PUBLICATION_BYTES;
  if (uri.startsWith("data:")) {
    const bytes = fromDataURI(uri);
    if (bytes === undefined) throw new PublicationUnavailableError(`${uri.slice(0, 60)}… is not a base64 data: URI`);
    if (bytes.length > max)
      throw new PublicationUnavailableError(`the data: URI holds ${bytes.length} bytes (max ${max})`);
    return bytes;
  }
  const url = uri.startsWith("ipfs://") ? resolveUri(uri, options) : uri;
  if (!/^https?:\/\//i.test(url)) {
    throw new PublicationUnavailableError(
      `unsupported publication URI ${uri.slice(0, 80)} (data:, http(s)://, ipfs://)`,
    );
  }
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 30_000), redirect: "follow" });
  } catch (error) {
    throw new PublicationUnavailableError(`fetch ${url} failed: ${(error as Error).message}`);
  }
  if (!response.ok) throw new PublicationUnavailableError(`fetch ${url} answered ${response.status}`);
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > max) throw new PublicationUnavailableError(`${url} is ${declared} bytes (max ${max})`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  if (reader === undefined) return new Uint8Array();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > max) {
      await reader.cancel();
      throw new PublicationUnavailableError(`${url} is more than ${max} bytes`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}

/** The float32 values of little-endian bytes (undefined when the length is not a multiple of 4). */
export function f32FromBytes(bytes: Uint8Array): Float32Array | undefined {
  if (bytes.length % 4 !== 0) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/** The little-endian bytes of float32 values (what the wire's base64 carries and the receipt hashes). */
export function f32ToBytes(values: Float32Array): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return bytes;
}

/** Whether `bytes` hash to `expected` (a receipt's inputHash or outputHash). */
export function matchesHash(bytes: Uint8Array, expected: string): boolean {
  return dataHash(bytes) === expected.toLowerCase();
}

export type { SignedReceiptWire };
