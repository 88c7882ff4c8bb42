// A juror's vote salt derived from a wallet signature, as Kleros does: the salt is keccak256 of the juror's signature
// over a fixed message naming the chain, the court, the dispute, the round and the juror. Wallets sign personal
// messages deterministically (RFC 6979), so the same wallet derives the same salt again on any device: a juror who
// lost the browser's storage and the downloaded file can still reveal. Nobody else can: the signature needs the
// juror's key, and the message alone (all public) gives nothing. One salt per round, so a revealed salt says nothing
// about another round's vote.
import { checksumAddress, hexToBytes, keccak256, type Hex } from "./hashing.js";

export interface JurorSaltContext {
  chainId: number | bigint;
  court: string;
  disputeId: bigint;
  /** The court round, from 0. */
  round: bigint;
  juror: string;
}

/**
 * The text the juror's wallet signs (personal_sign, EIP-191). Its wording is part of the protocol: changing it
 * changes every derived salt, so a juror could no longer re-derive a salt committed under the old wording.
 */
export function jurorSaltMessage(ctx: JurorSaltContext): string {
  return [
    "Curia juror vote salt",
    "",
    "Signing this derives the secret salt of your vote. Sign it only in the Curia app: anyone who sees this signature",
    "can read your vote before you reveal it.",
    "",
    `Chain: ${BigInt(ctx.chainId)}`,
    `Court: ${checksumAddress(ctx.court)}`,
    `Dispute: ${ctx.disputeId}`,
    `Round: ${ctx.round}`,
    `Juror: ${checksumAddress(ctx.juror)}`,
  ].join("\n");
}

/** keccak256 of the signature's bytes: the vote's salt. Throws on anything but a 65-byte signature. */
export function jurorSaltFromSignature(signature: string): Hex {
  if (!/^0x[0-9a-fA-F]*$/.test(signature) || signature.length % 2 !== 0) {
    throw new TypeError("a signature is 0x-prefixed hex");
  }
  const bytes = hexToBytes(signature);
  if (bytes.length !== 65) throw new TypeError(`a signature is 65 bytes, not ${bytes.length}`);
  return keccak256(bytes);
}

/** Where a vote's salt came from: the wallet's signature (re-derivable anywhere) or random bytes (this device only). */
export type JurorSaltSource = "signature" | "random";

export interface JurorSalt {
  salt: Hex;
  source: JurorSaltSource;
  /** Why the wallet did not sign (its error), when source is "random". */
  refusal?: unknown;
}

function randomBytes32(): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(32));
}

/**
 * The vote's salt: derived from the juror's signature over jurorSaltMessage(ctx) when the wallet signs; when it
 * refuses (the juror rejects, or a wallet without personal_sign), 32 random bytes instead, so the juror can still vote.
 * A random salt cannot be re-derived on another device: the caller must keep it (storage, a downloaded file) and say so.
 */
export async function jurorSaltOrRandom(
  sign: (message: string) => Promise<string>,
  ctx: JurorSaltContext,
  random: () => Uint8Array = randomBytes32,
): Promise<JurorSalt> {
  let signature: string;
  try {
    signature = await sign(jurorSaltMessage(ctx));
  } catch (refusal) {
    const bytes = random();
    if (bytes.length !== 32) throw new TypeError(`a random salt is 32 bytes, not ${bytes.length}`);
    const salt = `0x${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}` as Hex;
    return { salt, source: "random", refusal };
  }
  // A signature the wallet did return but that is malformed is a wallet bug, not a refusal: it throws.
  return { salt: jurorSaltFromSignature(signature), source: "signature" };
}
