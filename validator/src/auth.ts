// Signed inference requests. A request carries an EIP-712 signature by the caller over {caller, listingId, nonce,
// expiry}, in the domain {name "Curia Inference", version "1", chainId, verifyingContract: the ListingRegistry}. The
// provider serves it only while the caller has paid calls left on-chain: no API keys, and a validator's sample looks
// exactly like a paying consumer's call.
import { randomBytes } from "node:crypto";
import { getAddress, verifyTypedData, type Signer, type TypedDataDomain } from "ethers";

export const INFERENCE_DOMAIN_NAME = "Curia Inference";
export const INFERENCE_DOMAIN_VERSION = "1";
export const INFERENCE_TYPES = {
  InferenceRequest: [
    { name: "caller", type: "address" },
    { name: "listingId", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "expiry", type: "uint256" },
  ],
};

/** What travels with each request (numbers as decimal strings: they are uint256 on the signing side). */
export interface InferenceAuth {
  caller: string;
  listingId: string;
  nonce: string;
  /** Unix time (seconds, wall clock) after which the provider refuses the request. */
  expiry: number;
  signature: string;
}

export function inferenceDomain(chainId: bigint | number, registry: string): TypedDataDomain {
  return {
    name: INFERENCE_DOMAIN_NAME,
    version: INFERENCE_DOMAIN_VERSION,
    chainId: BigInt(chainId),
    verifyingContract: getAddress(registry),
  };
}

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
  const signature = await signer.signTypedData(domain, INFERENCE_TYPES, { caller, listingId, nonce, expiry });
  return { caller, listingId: listingId.toString(), nonce: nonce.toString(), expiry, signature };
}

/** The address that signed `auth` in `domain` (throws on a malformed signature). */
export function recoverInferenceSigner(domain: TypedDataDomain, auth: InferenceAuth): string {
  return verifyTypedData(
    domain,
    INFERENCE_TYPES,
    { caller: auth.caller, listingId: BigInt(auth.listingId), nonce: BigInt(auth.nonce), expiry: BigInt(auth.expiry) },
    auth.signature,
  );
}
