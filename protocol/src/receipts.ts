// Signed receipts (EIP-712): with every answer the listing's serving key signs {listingId, modelHash, caller, nonce,
// inputHash, outputHash, servedAt} in the domain of inference requests (../inference.ts). A client refuses an answer
// without a valid receipt; a receipt whose output is wrong is a fraud proof anyone can file on-chain
// (ListingChallenges.fileFraudProof), publishing the input and output behind its hashes. The digest is computed here
// without ethers or viem (browser-safe); signing and recovery: `@curia/protocol/ethers`.
import { abiEncodeStatic, hexToBytes, keccak256, type Hex } from "./hashing.js";
import type { InferenceDomain } from "./inference.js";
import { decodePalette, isPaletteURI } from "./evidence.js";

export const RECEIPT_PRIMARY_TYPE = "InferenceReceipt";
export const RECEIPT_TYPES = {
  InferenceReceipt: [
    { name: "listingId", type: "uint256" },
    { name: "modelHash", type: "bytes32" },
    { name: "caller", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "inputHash", type: "bytes32" },
    { name: "outputHash", type: "bytes32" },
    { name: "servedAt", type: "uint256" },
  ],
} as const;

/**
 * How far a receipt's `servedAt` may be from the client's clock. A provider that backdates its receipts would put
 * them out of a fraud proof's reach (the contract takes receipts no older than the earnings escrow period): clients
 * refuse them.
 */
export const MAX_RECEIPT_CLOCK_SKEW_SECONDS = 300;

/** When a key was a listing's serving key (ListingRegistry.servingKeyPeriod): `validUntil` 0 while it still is;
 * `validFrom` 0 when it never was. Unix seconds. */
export interface ServingKeyPeriod {
  validFrom: number | bigint;
  validUntil: number | bigint;
}

/**
 * Whether the key of `period` answers for a receipt dated `servedAt`: ListingChallenges' rule. A key answers for the
 * dates clients accept ({@link MAX_RECEIPT_CLOCK_SKEW_SECONDS}) around its period, so that no rotation of its own can
 * void a receipt a client took.
 */
export function signedInKeyPeriod(period: ServingKeyPeriod, servedAt: bigint): boolean {
  const skew = BigInt(MAX_RECEIPT_CLOCK_SKEW_SECONDS);
  const from = BigInt(period.validFrom);
  const until = BigInt(period.validUntil);
  return from !== 0n && servedAt + skew >= from && (until === 0n || servedAt < until + skew);
}

/** The signed message. */
export interface InferenceReceipt {
  listingId: bigint;
  modelHash: Hex;
  caller: Hex;
  nonce: bigint;
  inputHash: Hex;
  outputHash: Hex;
  servedAt: bigint;
}

/** A receipt as it travels in JSON (numbers as decimal strings), with its signature. */
export interface SignedReceiptWire {
  listingId: string;
  modelHash: string;
  caller: string;
  nonce: string;
  inputHash: string;
  outputHash: string;
  servedAt: string;
  signature: string;
}

const HEX32 = /^0x[0-9a-fA-F]{64}$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const DECIMAL = /^[0-9]{1,78}$/;
const SIGNATURE = /^0x[0-9a-fA-F]{128}([0-9a-fA-F]{2})?$/;

/** The receipt and signature of `wire`; throws a message naming the first malformed field. */
export function receiptFromWire(wire: unknown): { receipt: InferenceReceipt; signature: Hex } {
  if (typeof wire !== "object" || wire === null) throw new TypeError("the receipt is not an object");
  const w = wire as Record<string, unknown>;
  const field = (name: keyof SignedReceiptWire, pattern: RegExp): string => {
    const value = w[name];
    if (typeof value !== "string" || !pattern.test(value)) throw new TypeError(`receipt.${name} is malformed`);
    return value;
  };
  return {
    receipt: {
      listingId: BigInt(field("listingId", DECIMAL)),
      modelHash: field("modelHash", HEX32) as Hex,
      caller: field("caller", ADDRESS) as Hex,
      nonce: BigInt(field("nonce", DECIMAL)),
      inputHash: field("inputHash", HEX32) as Hex,
      outputHash: field("outputHash", HEX32) as Hex,
      servedAt: BigInt(field("servedAt", DECIMAL)),
    },
    signature: field("signature", SIGNATURE) as Hex,
  };
}

/**
 * One answer's receipt with the bytes behind its hashes, as data: URIs (exactly what a fraud proof publishes): what
 * the client library keeps (`ReceiptStore`) and the web app offers for download. A fraud proof can be filed from it
 * alone.
 */
export interface StoredReceipt {
  receipt: SignedReceiptWire;
  /** The EIP-712 digest (ListingChallenges.receiptDigest): the receipt's id. */
  digest: Hex;
  inputURI: string;
  outputURI: string;
  endpoint: string;
}

export function receiptToWire(receipt: InferenceReceipt, signature: string): SignedReceiptWire {
  return {
    listingId: receipt.listingId.toString(),
    modelHash: receipt.modelHash,
    caller: receipt.caller,
    nonce: receipt.nonce.toString(),
    inputHash: receipt.inputHash,
    outputHash: receipt.outputHash,
    servedAt: receipt.servedAt.toString(),
    signature,
  };
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const DOMAIN_TYPEHASH = keccak256(
  utf8("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
);
const RECEIPT_TYPEHASH = keccak256(
  utf8(`${RECEIPT_PRIMARY_TYPE}(${RECEIPT_TYPES.InferenceReceipt.map((f) => `${f.type} ${f.name}`).join(",")})`),
);

/** The EIP-712 digest the serving key signs: what `ListingChallenges.receiptDigest` returns. */
export function receiptDigest(domain: InferenceDomain, receipt: InferenceReceipt): Hex {
  const domainSeparator = keccak256(
    abiEncodeStatic(
      ["bytes32", "bytes32", "bytes32", "uint256", "address"],
      [
        DOMAIN_TYPEHASH,
        keccak256(utf8(domain.name)),
        keccak256(utf8(domain.version)),
        domain.chainId,
        domain.verifyingContract,
      ],
    ),
  );
  const structHash = keccak256(
    abiEncodeStatic(
      ["bytes32", "uint256", "bytes32", "address", "uint256", "bytes32", "bytes32", "uint256"],
      [
        RECEIPT_TYPEHASH,
        receipt.listingId,
        receipt.modelHash,
        receipt.caller,
        receipt.nonce,
        receipt.inputHash,
        receipt.outputHash,
        receipt.servedAt,
      ],
    ),
  );
  const message = new Uint8Array(66);
  message.set([0x19, 0x01]);
  message.set(hexToBytes(domainSeparator), 2);
  message.set(hexToBytes(structHash), 34);
  return keccak256(message);
}

/** What a receipt's `inputHash` / `outputHash` is of: keccak256 of the bytes on the wire. */
export function dataHash(bytes: Uint8Array): Hex {
  return keccak256(bytes);
}

/** What a client expects of the receipt of the call it just made. */
export interface ReceiptExpectation {
  listingId: bigint;
  modelHash: string;
  caller: string;
  nonce: bigint;
  input: Uint8Array;
  output: Uint8Array;
  /** The client's clock, unix seconds. */
  now: number;
}

/**
 * Why `receipt` is not the receipt of the call `expected` describes (undefined when it is): every field must match
 * what the client sent and got, and `servedAt` must be within {@link MAX_RECEIPT_CLOCK_SKEW_SECONDS} of its clock. The
 * signer is checked separately (against the listing's serving key on-chain).
 */
export function receiptMismatch(receipt: InferenceReceipt, expected: ReceiptExpectation): string | undefined {
  if (receipt.listingId !== expected.listingId) return `the receipt is for listing ${receipt.listingId}`;
  if (receipt.modelHash.toLowerCase() !== expected.modelHash.toLowerCase()) {
    return `the receipt names model ${receipt.modelHash}, not the listing's ${expected.modelHash}`;
  }
  if (receipt.caller.toLowerCase() !== expected.caller.toLowerCase())
    return `the receipt is for caller ${receipt.caller}`;
  if (receipt.nonce !== expected.nonce) return `the receipt is for nonce ${receipt.nonce}`;
  if (receipt.inputHash.toLowerCase() !== dataHash(expected.input))
    return "the receipt's inputHash is not of the input sent";
  if (receipt.outputHash.toLowerCase() !== dataHash(expected.output)) {
    return "the receipt's outputHash is not of the output received";
  }
  const skew = Number(receipt.servedAt) - expected.now;
  if (Math.abs(skew) > MAX_RECEIPT_CLOCK_SKEW_SECONDS) {
    return `the receipt is dated ${skew} s from this clock (at most ${MAX_RECEIPT_CLOCK_SKEW_SECONDS} s allowed)`;
  }
  return undefined;
}

const DATA_URI_PREFIX = "data:application/octet-stream;base64,";

/** `bytes` as a data: URI, the inline way to publish a fraud proof's input or output. */
export function toDataURI(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return DATA_URI_PREFIX + btoa(binary);
}

/**
 * The bytes of a base64 data: URI, a palette-form one (evidence.ts: the float32 bytes it encodes) included; undefined
 * for any other URI (fetch those, then check the hash) and for a malformed palette.
 */
export function fromDataURI(uri: string): Uint8Array | undefined {
  const comma = uri.indexOf(",");
  if (!uri.startsWith("data:") || comma < 0 || !uri.slice(0, comma).endsWith(";base64")) return undefined;
  let bytes: Uint8Array;
  try {
    const binary = atob(uri.slice(comma + 1));
    bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  } catch {
    return undefined;
  }
  return isPaletteURI(uri) ? decodePalette(bytes) : bytes;
}
