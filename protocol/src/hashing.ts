// Commitment hashing: what the contracts recompute on reveal, written once for every program (viem or ethers alike:
// it takes and returns plain hex strings, bigints and numbers, and hashes with @noble/hashes, which both build on).

import { keccak_256 } from "@noble/hashes/sha3.js";

/** A 0x-prefixed hex string (viem's `Hex`). */
export type Hex = `0x${string}`;

/** The ABI types this module encodes: every one is static, one 32-byte word. */
export type StaticAbiType = "address" | "bool" | "bytes32" | `uint${number}`;

const HEX = /^0x[0-9a-fA-F]*$/;

function toHex(bytes: Uint8Array): Hex {
  let text = "0x";
  for (const byte of bytes) text += byte.toString(16).padStart(2, "0");
  return text as Hex;
}

/** The bytes of a 0x-prefixed hex string. */
export function hexToBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array((hex.length - 2) / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 + 2 * i, 4 + 2 * i), 16);
  return bytes;
}

function uintWord(value: bigint, bits: number, type: string): Uint8Array {
  if (value < 0n || value >= 1n << BigInt(bits)) throw new RangeError(`${value} does not fit ${type}`);
  return hexToBytes(`0x${value.toString(16).padStart(64, "0")}`);
}

function word(type: StaticAbiType, value: unknown): Uint8Array {
  if (type === "address") {
    if (typeof value !== "string" || value.length !== 42 || !HEX.test(value)) {
      throw new TypeError(`${String(value)} is not an address`);
    }
    return uintWord(BigInt(value), 160, type);
  }
  if (type === "bytes32") {
    if (typeof value !== "string" || value.length !== 66 || !HEX.test(value)) {
      throw new TypeError(`${String(value)} is not a bytes32 (0x and 64 hex digits)`);
    }
    return hexToBytes(value);
  }
  if (type === "bool") {
    if (typeof value !== "boolean") throw new TypeError(`${String(value)} is not a bool`);
    return uintWord(value ? 1n : 0n, 8, type);
  }
  const bits = Number(type.slice(4));
  if (!Number.isInteger(bits) || bits < 8 || bits > 256 || bits % 8 !== 0) throw new TypeError(`unknown type ${type}`);
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw new RangeError(`${value} is not a safe integer for ${type}`);
    return uintWord(BigInt(value), bits, type);
  }
  if (typeof value !== "bigint") throw new TypeError(`${String(value)} is not a number or bigint for ${type}`);
  return uintWord(value, bits, type);
}

/** `abi.encode(values…)` of static types: each value left-padded to one 32-byte word, in order. */
export function abiEncodeStatic(types: readonly StaticAbiType[], values: readonly unknown[]): Uint8Array {
  if (types.length !== values.length) throw new TypeError(`${types.length} types but ${values.length} values`);
  const out = new Uint8Array(32 * types.length);
  types.forEach((type, i) => out.set(word(type, values[i]), 32 * i));
  return out;
}

/** keccak256 of `bytes`, as hex. */
export function keccak256(bytes: Uint8Array): Hex {
  return toHex(keccak_256(bytes));
}

/** What `Court.reveal` hashes: `keccak256(abi.encode(uint8 choice, bytes32 salt, address juror, uint256 disputeId,
 * uint256 round))`, `round` counting from 0. */
export const VOTE_COMMITMENT_TYPES = ["uint8", "bytes32", "address", "uint256", "uint256"] as const;

/** A juror's vote commitment (ICourt.commit): the juror's address is in it, so nobody else can reveal a copy. */
export function voteCommitment(choice: number, salt: string, juror: string, disputeId: bigint, round: bigint): Hex {
  return keccak256(abiEncodeStatic(VOTE_COMMITMENT_TYPES, [choice, salt, juror, disputeId, round]));
}

/** What `ValidationManager.revealScore` hashes: `keccak256(abi.encode(uint16 scoreBps, bytes32 salt, address validator,
 * uint256 roundId))`. */
export const SCORE_COMMITMENT_TYPES = ["uint16", "bytes32", "address", "uint256"] as const;

/** A validator's score commitment (IValidationManager.commitScore). */
export function scoreCommitment(scoreBps: number, salt: string, validator: string, roundId: bigint): Hex {
  return keccak256(abiEncodeStatic(SCORE_COMMITMENT_TYPES, [scoreBps, salt, validator, roundId]));
}

/** What `CanaryAudits.audit` hashes: `keccak256(abi.encode(uint256 listingId, uint16 trueScoreBps, bytes32 salt))`. */
export const CANARY_COMMITMENT_TYPES = ["uint256", "uint16", "bytes32"] as const;

/**
 * A canary listing's leaf in the operator's tree (ICanaryAudits.commitRoot): it names the listing, so it audits only
 * rounds of that listing; the salt keeps the score hidden until the audit.
 */
export function canaryCommitment(listingId: bigint, trueScoreBps: number, salt: string): Hex {
  return keccak256(abiEncodeStatic(CANARY_COMMITMENT_TYPES, [listingId, trueScoreBps, salt]));
}

/** What a canary's provider key signs (EIP-191, as 32 bytes) for `CanaryAudits.audit`:
 * `keccak256(abi.encode(address canaryAudits, uint256 chainId, bytes32 commitment))`. */
export const CANARY_CLAIM_TYPES = ["address", "uint256", "bytes32"] as const;

/** The claim a canary listing's provider signs: the operator runs that listing, for this contract on this chain. */
export function canaryClaimDigest(canaryAudits: string, chainId: bigint, commitment: string): Hex {
  return keccak256(abiEncodeStatic(CANARY_CLAIM_TYPES, [canaryAudits, chainId, commitment]));
}

/** `address` in its EIP-55 mixed-case form (what ethers' getAddress and viem's getAddress return). */
export function checksumAddress(address: string): Hex {
  if (address.length !== 42 || !HEX.test(address)) throw new TypeError(`${address} is not an address`);
  const lower = address.slice(2).toLowerCase();
  const hash = keccak256(new TextEncoder().encode(lower));
  let out = "0x";
  for (let i = 0; i < 40; i++) out += parseInt(hash[2 + i]!, 16) >= 8 ? lower[i]!.toUpperCase() : lower[i];
  if (address !== address.toLowerCase() && address.slice(2) !== address.slice(2).toUpperCase() && out !== address) {
    throw new TypeError(`${address} has a wrong EIP-55 checksum`);
  }
  return out as Hex;
}

/** The ABI types of a draw value's preimage: the round's seed, the seat's index, the attempt at that seat. */
export const DRAW_VALUE_TYPES = ["uint256", "uint256", "uint256"] as const;

/**
 * The random value attempt `attempt` at seat `seat` draws with: keccak256(abi.encode(seed, seat, attempt)), as both
 * Court._drawSeats and ValidationManager._drawSeats compute it. Every seat has its own value from the one seed, so the
 * order or batching of draw calls changes nobody's seat, and a seat drawn again (its juror could not sit) moves no other.
 */
export function drawValue(seed: bigint, seat: bigint, attempt = 0n): bigint {
  return BigInt(keccak256(abiEncodeStatic(DRAW_VALUE_TYPES, [seed, seat, attempt])));
}

/**
 * Who a draw value lands on in a stake pool whose leaves are `leaves` (each member's weight, in the pool's slot order):
 * value mod the total weight, walked through the members' cumulative ranges, as SortitionSumTree.draw does. Undefined
 * when the pool has no weight.
 */
export function drawLandsOn<T extends { weight: bigint }>(leaves: readonly T[], value: bigint): T | undefined {
  const total = leaves.reduce((sum, leaf) => sum + leaf.weight, 0n);
  if (total === 0n) return undefined;
  let rest = value % total;
  for (const leaf of leaves) {
    if (rest < leaf.weight) return leaf;
    rest -= leaf.weight;
  }
  return undefined;
}

/** ICanaryAudits.TREE_DEPTH: the canary tree has a leaf position for every listing id below 2^32. */
export const CANARY_TREE_DEPTH = 32;

function hashPair(left: Uint8Array, right: Uint8Array): Uint8Array {
  const both = new Uint8Array(64);
  both.set(left, 0);
  both.set(right, 32);
  return keccak_256(both);
}

/** A canary tree: its root and each leaf's path (what `CanaryAudits.audit` takes as `proof`). */
export interface CanaryTree {
  root: Hex;
  /** The {@link CANARY_TREE_DEPTH} sibling hashes from listing `listingId`'s leaf up, lowest level first. */
  proof(listingId: bigint): Hex[];
}

/**
 * Builds the operator's tree over `leaves` (listing id → leaf: {@link canaryCommitment} for a canary, 32 random bytes
 * for a decoy). A leaf's position is its listing id, so one tree holds one leaf per listing: the contract checks the
 * path against the id's bits. Positions without a leaf hold zero; the operator should give every listing it may
 * audit a leaf (decoys for the others) so that a revealed path does not tell which neighbours are canaries.
 */
export function canaryTree(leaves: ReadonlyMap<bigint, string>): CanaryTree {
  const levels: Map<bigint, Uint8Array>[] = [];
  const empty: Uint8Array[] = [new Uint8Array(32)];
  let level = new Map<bigint, Uint8Array>();
  for (const [id, leaf] of leaves) {
    if (id < 0n || id >> BigInt(CANARY_TREE_DEPTH) !== 0n)
      throw new Error(`listing id ${id} is outside the canary tree`);
    const bytes = hexToBytes(leaf);
    if (bytes.length !== 32) throw new Error(`leaf of listing ${id} is not 32 bytes`);
    level.set(id, bytes);
  }
  for (let depth = 0; depth < CANARY_TREE_DEPTH; depth++) {
    levels.push(level);
    const next = new Map<bigint, Uint8Array>();
    for (const index of level.keys()) {
      const parent = index >> 1n;
      if (next.has(parent)) continue;
      const left = level.get(parent * 2n) ?? empty[depth]!;
      const right = level.get(parent * 2n + 1n) ?? empty[depth]!;
      next.set(parent, hashPair(left, right));
    }
    empty.push(hashPair(empty[depth]!, empty[depth]!));
    level = next;
  }
  const root = level.get(0n) ?? empty[CANARY_TREE_DEPTH]!;
  return {
    root: toHex(root),
    proof(listingId: bigint): Hex[] {
      if (!leaves.has(listingId)) throw new Error(`listing ${listingId} has no leaf in this canary tree`);
      const path: Hex[] = [];
      let index = listingId;
      for (let depth = 0; depth < CANARY_TREE_DEPTH; depth++) {
        path.push(toHex(levels[depth]!.get(index ^ 1n) ?? empty[depth]!));
        index >>= 1n;
      }
      return path;
    },
  };
}
