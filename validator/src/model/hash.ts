import { createHash } from "node:crypto";

/**
 * The content hash a listing records as its `modelHash`: the SHA-256 of the model file's bytes, as a 0x-prefixed
 * bytes32 (IListingRegistry.createListing documents the same). SHA-256 is also the digest of IPFS's default multihash,
 * so a CIDv1 of the raw file carries the same 32 bytes.
 */
export function modelHashOf(bytes: Uint8Array): string {
  return `0x${createHash("sha256").update(bytes).digest("hex")}`;
}
