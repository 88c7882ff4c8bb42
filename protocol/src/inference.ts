// Signed inference requests (EIP-712). A request carries the caller's signature over {caller, listingId, nonce, expiry}
// in the domain {name "Curia Inference", version "1", chainId, verifyingContract: the ListingRegistry}. A provider
// serves it only while the caller has paid calls left on-chain: no API keys, and a validator's sample looks exactly
// like a paying consumer's call. Signing and recovery with ethers: `@curia/protocol/ethers`; viem's signTypedData
// takes these types as they are.
import { checksumAddress, type Hex } from "./hashing.js";

export const INFERENCE_DOMAIN_NAME = "Curia Inference";
export const INFERENCE_DOMAIN_VERSION = "1";
export const INFERENCE_PRIMARY_TYPE = "InferenceRequest";
export const INFERENCE_TYPES = {
  InferenceRequest: [
    { name: "caller", type: "address" },
    { name: "listingId", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "expiry", type: "uint256" },
  ],
} as const;

/** The EIP-712 domain of a deployment's inference requests. */
export interface InferenceDomain {
  name: string;
  version: string;
  chainId: bigint;
  verifyingContract: Hex;
}

export function inferenceDomain(chainId: bigint | number, registry: string): InferenceDomain {
  return {
    name: INFERENCE_DOMAIN_NAME,
    version: INFERENCE_DOMAIN_VERSION,
    chainId: BigInt(chainId),
    verifyingContract: checksumAddress(registry),
  };
}

/** The signed message. */
export interface InferenceRequest {
  caller: string;
  listingId: bigint;
  nonce: bigint;
  expiry: bigint;
}

/** What travels with each request (numbers as decimal strings: they are uint256 on the signing side). */
export interface InferenceAuth {
  caller: string;
  listingId: string;
  nonce: string;
  /** Unix time (seconds, wall clock) after which the provider refuses the request. */
  expiry: number;
  signature: string;
}

/** The message `auth` signed. */
export function inferenceRequestOf(auth: InferenceAuth): InferenceRequest {
  return {
    caller: auth.caller,
    listingId: BigInt(auth.listingId),
    nonce: BigInt(auth.nonce),
    expiry: BigInt(auth.expiry),
  };
}

/**
 * The little-endian float32 bytes of `values`: what the wire's `inputsF32` / `outputsF32` carry in base64, and what a
 * receipt's `inputHash` / `outputHash` hash. Browser-safe (`@curia/protocol/ethers` has Node's Buffer versions).
 */
export function float32ToBytes(values: Float32Array): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return bytes;
}

/** The float32 values of little-endian `bytes`; undefined when their count is not a multiple of 4. */
export function bytesToFloat32(bytes: Uint8Array): Float32Array | undefined {
  if (bytes.length % 4 !== 0) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}
