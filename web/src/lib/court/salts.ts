// A juror's vote secret (choice + salt). The salt is derived from the juror's wallet signature over a fixed message
// (@curia/protocol's jurorSaltMessage, as Kleros does), so the same wallet re-derives it on any device; between commit
// and reveal the secret also lives in localStorage, keyed by chain, court, dispute, round and juror, and in a JSON file
// the juror downloads before the commit is sent (the backup).
import { bytesToHex, getAddress, isAddress, isHex, type Address, type Hex } from "viem";
import {
  Ruling,
  isRuling,
  jurorSaltFromSignature,
  jurorSaltMessage,
  jurorSaltOrRandom,
  voteCommitment,
  type JurorSalt,
  type JurorSaltSource,
  type RulingValue,
} from "@curia/protocol";
import { memoryStorage } from "./memory-storage";

export interface VoteSecretKey {
  chainId: number;
  court: Address;
  disputeId: bigint;
  round: bigint;
  juror: Address;
}

/** What is stored and downloaded. Numbers as decimal strings, so the file is plain JSON. */
export interface VoteSecret {
  choice: RulingValue;
  salt: Hex;
  dispute: string;
  round: string;
  juror: Address;
  chainId: number;
  court: Address;
  commitment: Hex;
  /** "random" when the wallet refused to sign: then this salt exists only here and in the downloaded file. */
  saltSource: JurorSaltSource;
}

/** A minimal Storage (localStorage in the browser). */
export type SecretStorage = Pick<Storage, "getItem" | "setItem">;

/** localStorage, or an in-memory stand-in where it is unavailable (the downloaded file still keeps the secret). */
export function browserStorage(): SecretStorage {
  try {
    const storage = globalThis.localStorage;
    storage.getItem("curia:probe");
    return storage;
  } catch {
    return memoryStorage();
  }
}

export function secretStorageKey(key: VoteSecretKey): string {
  return [
    "curia:vote-secret",
    key.chainId,
    key.court.toLowerCase(),
    key.disputeId.toString(),
    key.round.toString(),
    key.juror.toLowerCase(),
  ].join(":");
}

/** 32 random bytes from the browser's CSPRNG. */
export function randomSalt(): Hex {
  return bytesToHex(crypto.getRandomValues(new Uint8Array(32)));
}

/** Signs a text message with the juror's wallet (Wallet.signMessage: personal_sign). */
export type MessageSigner = (message: string) => Promise<Hex>;

/** The vote's salt from the juror's signature over jurorSaltMessage(key): the same wallet gives the same salt. */
export async function deriveSalt(sign: MessageSigner, key: VoteSecretKey): Promise<Hex> {
  return jurorSaltFromSignature(await sign(jurorSaltMessage(key)));
}

/**
 * The salt from the juror's signature, or a random one when the wallet refuses to sign (see jurorSaltOrRandom): the
 * caller stores and downloads it, and tells the juror a random salt cannot be re-derived on another device.
 */
export async function saltOrRandom(sign: MessageSigner, key: VoteSecretKey): Promise<JurorSalt> {
  return jurorSaltOrRandom(sign, key, () => crypto.getRandomValues(new Uint8Array(32)));
}

/**
 * The secret behind `commitment` with `salt`, trying both rulings (a commitment hides one of two choices); undefined
 * when neither matches: the vote was committed with another salt (a random one, from an older app, or another wallet).
 */
export function recoverVoteSecret(key: VoteSecretKey, salt: Hex, commitment: Hex): VoteSecret | undefined {
  for (const choice of [Ruling.Challenger, Ruling.Defendant]) {
    const secret = createVoteSecret(key, choice, salt);
    if (secret.commitment.toLowerCase() === commitment.toLowerCase()) return secret;
  }
  return undefined;
}

export function createVoteSecret(
  key: VoteSecretKey,
  choice: RulingValue,
  salt: Hex = randomSalt(),
  saltSource: JurorSaltSource = "signature",
): VoteSecret {
  return {
    choice,
    salt,
    dispute: key.disputeId.toString(),
    round: key.round.toString(),
    juror: getAddress(key.juror),
    chainId: key.chainId,
    court: getAddress(key.court),
    commitment: voteCommitment(choice, salt, key.juror, key.disputeId, key.round),
    saltSource,
  };
}

export function saveVoteSecret(storage: SecretStorage, key: VoteSecretKey, secret: VoteSecret): void {
  storage.setItem(secretStorageKey(key), JSON.stringify(secret));
}

/** The secret saved for `key`, or undefined when none (or an unreadable one) is stored. */
export function loadVoteSecret(storage: SecretStorage, key: VoteSecretKey): VoteSecret | undefined {
  const raw = storage.getItem(secretStorageKey(key));
  if (raw === null) return undefined;
  try {
    return parseVoteSecret(JSON.parse(raw), key);
  } catch {
    return undefined;
  }
}

export function voteSecretFileName(secret: Pick<VoteSecret, "dispute" | "round" | "juror">): string {
  return `curia-vote-dispute-${secret.dispute}-round-${secret.round}-${secret.juror.slice(0, 8).toLowerCase()}.json`;
}

export function voteSecretFileContent(secret: VoteSecret): string {
  return `${JSON.stringify(secret, null, 2)}\n`;
}

export class VoteSecretError extends Error {
  override name = "VoteSecretError";
}

/**
 * Reads a vote secret for `key` from parsed JSON: the file this app downloads, or the demo's salt file
 * (`{ "<juror>": { disputeId, round, choice, salt } }`). Throws a VoteSecretError saying what does not match.
 */
export function parseVoteSecret(raw: unknown, key: VoteSecretKey): VoteSecret {
  if (typeof raw !== "object" || raw === null) throw new VoteSecretError("The file is not a JSON object.");
  let record = raw as Record<string, unknown>;
  if (!("salt" in record)) {
    const entry = Object.entries(record).find(([k]) => k.toLowerCase() === key.juror.toLowerCase())?.[1];
    if (typeof entry !== "object" || entry === null) {
      throw new VoteSecretError(`The file holds no vote of ${getAddress(key.juror)}.`);
    }
    record = entry as Record<string, unknown>;
  }
  const salt = record.salt;
  if (typeof salt !== "string" || !isHex(salt) || salt.length !== 66) {
    throw new VoteSecretError("The file's salt is not a 32-byte hex value.");
  }
  const choice = Number(record.choice);
  if (!isRuling(choice)) throw new VoteSecretError("The file's choice is neither 1 (challenger) nor 2 (defendant).");
  const dispute = String(record.dispute ?? record.disputeId ?? "");
  if (dispute !== key.disputeId.toString()) {
    throw new VoteSecretError(`The file is for dispute ${dispute || "?"}, not dispute ${key.disputeId}.`);
  }
  const round = String(record.round ?? "");
  if (round !== key.round.toString()) {
    throw new VoteSecretError(`The file is for round ${round || "?"}, not round ${key.round} (index from 0).`);
  }
  const juror = record.juror;
  if (
    juror !== undefined &&
    (typeof juror !== "string" || !isAddress(juror) || getAddress(juror) !== getAddress(key.juror))
  ) {
    throw new VoteSecretError(`The file is for juror ${String(juror)}, not ${getAddress(key.juror)}.`);
  }
  const court = record.court;
  if (
    court !== undefined &&
    (typeof court !== "string" || !isAddress(court) || getAddress(court) !== getAddress(key.court))
  ) {
    throw new VoteSecretError("The file is for another court contract.");
  }
  if (record.chainId !== undefined && Number(record.chainId) !== key.chainId) {
    throw new VoteSecretError(`The file is for chain ${String(record.chainId)}, not chain ${key.chainId}.`);
  }
  // Files without saltSource (the demo's, older downloads) say nothing of where the salt came from: "signature" is
  // only a label here, since the salt itself is what reveals.
  return createVoteSecret(key, choice, salt, record.saltSource === "random" ? "random" : "signature");
}
