// Input checks of the provider's forms (create a listing, change its price, endpoint or metadata), run before anything
// is simulated or sent, with the registry's own limits (pure: unit-tested).
import { isHex, type Hex } from "viem";
import { formatCur, parseCur } from "../format";

/** The registry's MAX_URI_LENGTH: metadata and endpoint URIs are 1 to 2,048 characters. */
export const MAX_LISTING_URI_LENGTH = 2048;
/** Prices and bonds are stored as uint128 (ListingInvalidPrice / ListingBondTooLow above it). */
const MAX_UINT128 = (1n << 128n) - 1n;

export type CheckedField<T> = { ok: true; value: T } | { ok: false; error: string };

/** A 32-byte hex hash (the sha-256 of the model file), not zero. */
export function checkModelHash(text: string): CheckedField<Hex> {
  const value = text.trim();
  if (value === "") return { ok: false, error: "Enter the model's hash, or pick the model file to compute it." };
  const hex = (value.startsWith("0x") ? value : `0x${value}`).toLowerCase();
  if (!isHex(hex) || hex.length !== 66) {
    return { ok: false, error: "The model hash is 32 bytes in hex: 0x and 64 hex digits." };
  }
  if (/^0x0+$/.test(hex)) return { ok: false, error: "The model hash cannot be zero." };
  return { ok: true, value: hex as Hex };
}

/** The inference endpoint: an http(s) URL. */
export function checkEndpoint(text: string): CheckedField<string> {
  const value = text.trim();
  if (value === "") return { ok: false, error: "Enter the endpoint where you serve inference." };
  if (value.length > MAX_LISTING_URI_LENGTH) {
    return {
      ok: false,
      error: `Keep the endpoint under ${MAX_LISTING_URI_LENGTH.toLocaleString("en-US")} characters.`,
    };
  }
  if (!/^https?:\/\/[^\s/]+\S*$/.test(value)) return { ok: false, error: "Use an http:// or https:// URL." };
  return { ok: true, value };
}

/** The metadata URI (name, task, licence, evaluation set): https, ipfs, ar or a data: URI. */
export function checkMetadataURI(text: string): CheckedField<string> {
  const value = text.trim();
  if (value === "") return { ok: false, error: "Link the model's metadata (a JSON document's URI)." };
  if (value.length > MAX_LISTING_URI_LENGTH) {
    return {
      ok: false,
      error: `Keep the metadata URI under ${MAX_LISTING_URI_LENGTH.toLocaleString("en-US")} characters.`,
    };
  }
  if (!/^(https?:\/\/|ipfs:\/\/|ar:\/\/|data:)\S+$/.test(value)) {
    return { ok: false, error: "Use an https://, ipfs://, ar:// or data: URI." };
  }
  return { ok: true, value };
}

/** A price per call in CUR, above zero. */
export function checkPrice(text: string): CheckedField<bigint> {
  const value = parseCur(text);
  if (value === undefined) return { ok: false, error: "Enter the price of one call in CUR, like 0.5." };
  if (value === 0n) return { ok: false, error: "The price must be above zero." };
  if (value > MAX_UINT128) return { ok: false, error: "That price is too large." };
  return { ok: true, value };
}

/** The bond in CUR: at least the governed minimum, within the provider's balance (undefined: not known yet). */
export function checkBond(text: string, ctx: { minBond: bigint; balance: bigint | undefined }): CheckedField<bigint> {
  const value = parseCur(text);
  if (value === undefined) return { ok: false, error: "Enter the bond in CUR, like 1000." };
  if (value < ctx.minBond) return { ok: false, error: `The bond must be at least ${formatCur(ctx.minBond)}.` };
  if (value > MAX_UINT128) return { ok: false, error: "That bond is too large." };
  if (ctx.balance !== undefined && value > ctx.balance) {
    return { ok: false, error: `You hold only ${formatCur(ctx.balance)}.` };
  }
  return { ok: true, value };
}

export interface NewListing {
  modelHash: Hex;
  metadataURI: string;
  endpointURI: string;
  pricePerCall: bigint;
  bond: bigint;
}

export interface NewListingText {
  modelHash: string;
  metadataURI: string;
  endpointURI: string;
  price: string;
  bond: string;
}

export type CheckedListing =
  { ok: true; listing: NewListing } | { ok: false; errors: Partial<Record<keyof NewListingText, string>> };

export function checkNewListing(
  text: NewListingText,
  ctx: { minBond: bigint; balance: bigint | undefined },
): CheckedListing {
  const modelHash = checkModelHash(text.modelHash);
  const metadataURI = checkMetadataURI(text.metadataURI);
  const endpointURI = checkEndpoint(text.endpointURI);
  const price = checkPrice(text.price);
  const bond = checkBond(text.bond, ctx);
  if (modelHash.ok && metadataURI.ok && endpointURI.ok && price.ok && bond.ok) {
    return {
      ok: true,
      listing: {
        modelHash: modelHash.value,
        metadataURI: metadataURI.value,
        endpointURI: endpointURI.value,
        pricePerCall: price.value,
        bond: bond.value,
      },
    };
  }
  const errors: Partial<Record<keyof NewListingText, string>> = {};
  if (!modelHash.ok) errors.modelHash = modelHash.error;
  if (!metadataURI.ok) errors.metadataURI = metadataURI.error;
  if (!endpointURI.ok) errors.endpointURI = endpointURI.error;
  if (!price.ok) errors.price = price.error;
  if (!bond.ok) errors.bond = bond.error;
  return { ok: false, errors };
}

/** The sha-256 of a model file, as the registry's model hash (Web Crypto: nothing leaves the browser). */
export async function sha256Hex(data: ArrayBuffer): Promise<Hex> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
  return `0x${Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}
