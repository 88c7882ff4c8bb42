// `curia consumer call` and `curia consumer verify-receipt`. The signed request, the wire, the receipt checks and the
// receipt file are @curia/protocol's (CuriaClient, FileReceiptStore, receiptFromWire, recoverReceiptSigner,
// signedInKeyPeriod): nothing about hashing or signing is restated here.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { TypedDataDomain } from "ethers";
import {
  dataHash,
  fromDataURI,
  inferenceDomain,
  receiptDigest,
  receiptFromWire,
  signedInKeyPeriod,
  type InferenceReceipt,
  type StoredReceipt,
} from "@curia/protocol";
import { bytesToF32, recoverReceiptSigner, type IListingRegistry } from "@curia/protocol/ethers";
import { UsageError } from "./format.js";

/** Where `consumer call` keeps receipts unless told otherwise (one `<digest>.json` per answer). */
export const DEFAULT_RECEIPTS_DIR = ".curia/receipts";

/**
 * An input file's float32 values: JSON (an array of inputs, each an array of numbers; one array of numbers; or a
 * provider request body `{"inputs": [[…], …]}`), or anything else as raw little-endian float32 bytes (the wire's).
 */
export function readInputFile(path: string): { values: Float32Array; count?: number } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new UsageError(`cannot read --input ${path}: ${(error as NodeJS.ErrnoException).code ?? "error"}`);
  }
  const text = bytes.toString("utf8").trim();
  if (text.startsWith("[") || text.startsWith("{")) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (error) {
      throw new UsageError(`--input ${path} is not JSON: ${(error as Error).message}`);
    }
    if (typeof doc === "object" && doc !== null && !Array.isArray(doc)) doc = (doc as { inputs?: unknown }).inputs;
    if (!Array.isArray(doc) || doc.length === 0)
      throw new UsageError(`--input ${path}: give an array of inputs ([[…], …]), one input ([…]) or {"inputs": …}`);
    const rows: unknown[][] = doc.every((row) => Array.isArray(row)) ? (doc as unknown[][]) : [doc];
    const width = rows[0]!.length;
    for (const [i, row] of rows.entries()) {
      if (row.length === 0 || row.length !== width)
        throw new UsageError(`--input ${path}: input ${i + 1} has ${row.length} values, input 1 has ${width}`);
      const bad = row.findIndex((v) => typeof v !== "number" || !Number.isFinite(v));
      if (bad >= 0) throw new UsageError(`--input ${path}: input ${i + 1}, value ${bad + 1} is not a finite number`);
    }
    return { values: Float32Array.from(rows.flat() as number[]), count: rows.length };
  }
  const values = bytesToF32(new Uint8Array(bytes));
  if (values === undefined || values.length === 0)
    throw new UsageError(`--input ${path} is neither JSON nor float32 bytes (${bytes.length} bytes)`);
  return { values };
}

/** Writes `entry` to `path` whole or not at all (a temporary file, fsync, rename): a receipt is never half-written. */
export function writeReceiptFile(path: string, entry: StoredReceipt): string {
  const target = resolve(path);
  const tmp = `${target}.${process.pid}.tmp`;
  const fd = openSync(tmp, "w", 0o600);
  try {
    writeFileSync(fd, `${JSON.stringify(entry, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, target);
  return target;
}

/** The outputs as rows of the input count (when known), 6 significant digits, each with its largest entry. */
export function formatOutputs(outputs: Float32Array, count: number | undefined): string[] {
  const rows = count !== undefined && count > 0 && outputs.length % count === 0 ? count : 1;
  const width = outputs.length / rows;
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    const row = Array.from(outputs.subarray(r * width, (r + 1) * width));
    const top = row.reduce((best, v, i) => (v > row[best]! ? i : best), 0);
    lines.push(`  [${row.map((v) => Number(v.toPrecision(6))).join(", ")}]  (largest: #${top})`);
  }
  return lines;
}

export type ReceiptVerdict =
  | { valid: true; digest: string; signer: string; receipt: InferenceReceipt; notes: string[] }
  | { valid: false; reason: string; digest?: string };

/**
 * Whether the receipt in `doc` (a saved receipt file: {receipt, inputURI, outputURI, …}, or a bare signed receipt)
 * holds on-chain: well-formed, signed by a key that was the listing's serving key for its date (ListingChallenges'
 * rule), naming the listing's model, and, when the file carries the input and output, matching their hashes.
 */
export async function verifyReceiptDocument(
  doc: unknown,
  registry: Pick<IListingRegistry, "listingCount" | "getListing" | "servingKeyPeriod">,
  chainId: bigint,
  registryAddress: string,
): Promise<ReceiptVerdict> {
  const stored =
    typeof doc === "object" && doc !== null && "receipt" in doc ? (doc as Partial<StoredReceipt>) : undefined;
  let parsed: ReturnType<typeof receiptFromWire>;
  try {
    parsed = receiptFromWire(stored?.receipt ?? doc);
  } catch (error) {
    return { valid: false, reason: `malformed: ${(error as Error).message}` };
  }
  const { receipt, signature } = parsed;
  const domain = inferenceDomain(chainId, registryAddress);
  const digest = receiptDigest(domain, receipt);
  let signer: string;
  try {
    signer = recoverReceiptSigner(domain as TypedDataDomain, receipt, signature);
  } catch (error) {
    return { valid: false, digest, reason: `the signature does not parse: ${(error as Error).message.split(" (")[0]}` };
  }
  if (receipt.listingId === 0n || receipt.listingId > (await registry.listingCount()))
    return { valid: false, digest, reason: `listing ${receipt.listingId} does not exist on this deployment` };
  const { modelHash } = await registry.getListing(receipt.listingId);
  if (modelHash.toLowerCase() !== receipt.modelHash.toLowerCase()) {
    return {
      valid: false,
      digest,
      reason: `the receipt names model ${receipt.modelHash}, listing ${receipt.listingId} declares ${modelHash}`,
    };
  }
  const period = await registry.servingKeyPeriod(receipt.listingId, signer);
  if (!signedInKeyPeriod(period, receipt.servedAt)) {
    const served = new Date(Number(receipt.servedAt) * 1000).toISOString();
    return {
      valid: false,
      digest,
      reason:
        period.validFrom === 0n
          ? `signed by ${signer}, which was never listing ${receipt.listingId}'s serving key`
          : `signed by ${signer}, which was not listing ${receipt.listingId}'s serving key at ${served} ` +
            `(it was from ${period.validFrom}${period.validUntil === 0n ? "" : ` until ${period.validUntil}`})`,
    };
  }
  const notes: string[] = [];
  for (const [name, uri, hash] of [
    ["input", stored?.inputURI, receipt.inputHash],
    ["output", stored?.outputURI, receipt.outputHash],
  ] as const) {
    if (uri === undefined) {
      notes.push(`the file carries no ${name}: its hash is not checked`);
      continue;
    }
    const bytes = fromDataURI(uri);
    if (bytes === undefined) {
      notes.push(`the ${name} is not a data: URI: its hash is not checked`);
      continue;
    }
    if (dataHash(bytes) !== hash.toLowerCase())
      return {
        valid: false,
        digest,
        reason: `the file's ${name} is not the one the receipt signs (${name}Hash differs)`,
      };
  }
  return { valid: true, digest, signer, receipt, notes };
}
