// Signing and checking inference requests with ethers (the types and domain: ../inference.ts).
import { randomBytes } from "node:crypto";
import { verifyTypedData, type Signer, type TypedDataDomain } from "ethers";
import { INFERENCE_TYPES, inferenceRequestOf, type InferenceAuth } from "../inference.js";

/** INFERENCE_TYPES as ethers' mutable TypedDataField lists. */
const TYPES = { InferenceRequest: [...INFERENCE_TYPES.InferenceRequest] };

/** Signs a request for one call batch on `listingId`, valid for `ttlSeconds` (a fresh random 128-bit nonce). */
export async function signInferenceRequest(
  signer: Signer,
  domain: TypedDataDomain,
  listingId: bigint,
  options: { ttlSeconds?: number; nonce?: bigint; expiry?: number; now?: number } = {},
): Promise<InferenceAuth> {
  const caller = await signer.getAddress();
  const nonce = options.nonce ?? BigInt(`0x${randomBytes(16).toString("hex")}`);
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const expiry = options.expiry ?? now + (options.ttlSeconds ?? 120);
  const signature = await signer.signTypedData(domain, TYPES, { caller, listingId, nonce, expiry });
  return { caller, listingId: listingId.toString(), nonce: nonce.toString(), expiry, signature };
}

/** The address that signed `auth` in `domain` (throws on a malformed signature). */
export function recoverInferenceSigner(domain: TypedDataDomain, auth: InferenceAuth): string {
  return verifyTypedData(domain, TYPES, inferenceRequestOf(auth), auth.signature);
}
