// Fraud proofs in the browser: reading what a consumer holds (the receipt a provider returned, with the input it sent
// and the output it got), checking it the way ListingChallenges.fileFraudProof will before anyone pays a bond, and the
// indexed fraud proofs (a listing's, a filer's, a dispute's) with the validators' verdicts.
import { dataHash, fromDataURI, receiptFromWire, type InferenceReceipt } from "@curia/protocol";
import type { Hex } from "viem";
import { formatDuration, formatTime } from "../format";
import type { GraphQLClient } from "../graphql/client";

// ------------------------------------------------------------------ reading what the consumer pastes or loads

/** What a fraud proof needs: the signed receipt and the bytes behind its input and output hashes. */
export interface ReceiptSubmission {
  receipt: InferenceReceipt;
  signature: Hex;
  input: Uint8Array;
  output: Uint8Array;
}

export type ParsedSubmission =
  | { ok: true; submission: ReceiptSubmission }
  | { ok: false; errors: { receipt?: string; input?: string; output?: string } };

/**
 * Reads bytes given as a base64 data: URI or as plain base64 text; a message saying what is wrong otherwise. Whitespace
 * (line breaks of a pasted block) is ignored.
 */
export function bytesFromText(text: string, what: "input" | "output"): Uint8Array | string {
  const clean = text.trim();
  if (clean === "") return `Paste the ${what} (base64, or a base64 data: URI).`;
  if (clean.startsWith("data:")) {
    const bytes = fromDataURI(clean.replace(/\s+/g, ""));
    return bytes ?? `The ${what} is a data: URI but not a base64 one (data:…;base64,…).`;
  }
  const base64 = clean.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0) {
    return `The ${what} is not base64 (A–Z, a–z, 0–9, + and /, padded with = to a multiple of 4 characters).`;
  }
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Reads a receipt the way a consumer has it, in one of these forms:
 * - the receipt JSON the provider returned (SignedReceiptWire), or the provider's whole answer ({receipt, …}), with
 *   the input and output pasted in their own fields;
 * - one JSON document with all three: {receipt, input, output} (base64), or the client library's stored receipt
 *   {receipt, inputURI, outputURI, …} (data: URIs). Bytes pasted in the fields take precedence over the document's.
 */
export function parseReceiptSubmission(receiptText: string, inputText: string, outputText: string): ParsedSubmission {
  const errors: { receipt?: string; input?: string; output?: string } = {};
  if (receiptText.trim() === "") return { ok: false, errors: { receipt: "Paste the receipt JSON or load its file." } };
  let doc: unknown;
  try {
    doc = JSON.parse(receiptText);
  } catch (error) {
    return { ok: false, errors: { receipt: `The receipt is not JSON: ${(error as Error).message}.` } };
  }
  const outer = typeof doc === "object" && doc !== null ? (doc as Record<string, unknown>) : {};
  const wire = typeof outer.receipt === "object" && outer.receipt !== null ? outer.receipt : doc;
  let parsed: ReturnType<typeof receiptFromWire> | undefined;
  try {
    parsed = receiptFromWire(wire);
  } catch (error) {
    errors.receipt = `The receipt cannot be read: ${(error as Error).message}.`;
  }
  const bytesOf = (what: "input" | "output", pasted: string): Uint8Array | undefined => {
    const fromDoc = [outer[what], outer[`${what}URI`]].find((v): v is string => typeof v === "string");
    const text = pasted.trim() !== "" ? pasted : (fromDoc ?? "");
    const result = bytesFromText(text, what);
    if (typeof result === "string") {
      errors[what] = result;
      return undefined;
    }
    return result;
  };
  const input = bytesOf("input", inputText);
  const output = bytesOf("output", outputText);
  if (!parsed || !input || !output) return { ok: false, errors };
  return { ok: true, submission: { ...parsed, input, output } };
}

/** Whether `bytes` hash to `expected` (a receipt's inputHash / outputHash). */
export function hashMatches(bytes: Uint8Array, expected: string): boolean {
  return dataHash(bytes) === expected.toLowerCase();
}

// ------------------------------------------------------------------ what ListingChallenges.fileFraudProof checks

/** What the page knows of the listing and the chain, to check a receipt against before filing it. */
export interface ReceiptCheckContext {
  listingId: bigint;
  /** The listing's declared model hash. */
  modelHash: string;
  /** The chain's time (unix seconds). */
  now: bigint;
  /** The registry's earningsEscrowPeriod: the oldest receipt a fraud proof may carry. */
  escrowPeriod: number;
  /**
   * When the receipt was first filed or recorded on-chain (ListingChallenges.receiptFirstFiledAt; 0n or undefined:
   * never): its age counts until then, so a receipt recorded in time stays fileable after the escrow period.
   */
  firstFiledAt?: bigint;
}

/**
 * Why the contract would refuse `submission` before any juror sees it, in the order it checks (the signer is checked
 * separately against the serving key on-chain); an empty list when none.
 */
export function receiptProblems(submission: ReceiptSubmission, ctx: ReceiptCheckContext): string[] {
  const { receipt, input, output } = submission;
  const problems: string[] = [];
  if (receipt.listingId !== ctx.listingId) {
    problems.push(
      `This receipt is for listing #${receipt.listingId}, not this listing (#${ctx.listingId}): file it on that listing's page.`,
    );
  }
  if (receipt.modelHash.toLowerCase() !== ctx.modelHash.toLowerCase()) {
    problems.push(`The receipt names model ${receipt.modelHash}, not the listing's declared ${ctx.modelHash}.`);
  }
  if (!hashMatches(input, receipt.inputHash)) {
    problems.push(
      `The input given hashes to ${dataHash(input)}, not the receipt's inputHash ${receipt.inputHash}: it is not the input the provider signed for.`,
    );
  }
  if (!hashMatches(output, receipt.outputHash)) {
    problems.push(
      `The output given hashes to ${dataHash(output)}, not the receipt's outputHash ${receipt.outputHash}: it is not the answer the provider signed.`,
    );
  }
  if (receipt.servedAt > ctx.now) {
    problems.push(
      `The receipt is dated ${formatTime(receipt.servedAt)}, after the chain's time: it cannot be filed yet.`,
    );
  } else if (ctx.firstFiledAt !== undefined && ctx.firstFiledAt > 0n) {
    if (receipt.servedAt + BigInt(ctx.escrowPeriod) < ctx.firstFiledAt) {
      problems.push(
        `The receipt was served ${formatTime(receipt.servedAt)} and first filed ${formatTime(ctx.firstFiledAt)}, more than the ${formatDuration(ctx.escrowPeriod)} earnings escrow period later: too old to file.`,
      );
    }
  } else if (receipt.servedAt + BigInt(ctx.escrowPeriod) < ctx.now) {
    problems.push(
      `The receipt was served ${formatTime(receipt.servedAt)}, more than the ${formatDuration(ctx.escrowPeriod)} earnings escrow period ago: too old to file (the earnings it paid may be released).`,
    );
  }
  return problems;
}

// ------------------------------------------------------------------ indexed fraud proofs

export type IndexedRuling = "Challenger" | "Defendant";

/** A fraud proof as the subgraph tells it (FraudProof), with its dispute's state. */
export interface FraudProofRow {
  id: string;
  filer: string;
  signer: string;
  caller: string;
  nonce: string;
  modelHash: string;
  inputHash: string;
  outputHash: string;
  receiptDigest: string;
  servedAt: string;
  inputURI: string;
  outputURI: string;
  timestamp: string;
  transaction: string;
  listing: { id: string; metadataURI: string };
  dispute: { id: string; period: string; ruling: IndexedRuling | null };
}

export const FRAUD_PROOF_FIELDS = `id filer signer caller nonce modelHash inputHash outputHash receiptDigest servedAt inputURI
  outputURI timestamp transaction listing { id metadataURI } dispute { id period ruling }`;

/** The fraud proofs `filer` filed, newest first. */
export async function fetchFraudProofsBy(gql: GraphQLClient, filer: string): Promise<FraudProofRow[]> {
  const { fraudProofs } = await gql.request<{ fraudProofs: FraudProofRow[] }>(
    `query($filer: Bytes!) {
      fraudProofs(first: 1000, where: { filer: $filer }, orderBy: timestamp, orderDirection: desc) {
        ${FRAUD_PROOF_FIELDS}
      }
    }`,
    { filer: filer.toLowerCase() },
  );
  return fraudProofs;
}

/** "pending", "the provider cheated (filer won)" or "the answer was within tolerance (provider won)". */
export function fraudProofOutcome(dispute: FraudProofRow["dispute"]): string {
  if (dispute.ruling === "Challenger") return "fraud upheld: the provider was slashed, the filer rewarded";
  if (dispute.ruling === "Defendant") return "rejected: the filer lost its bond";
  return "pending";
}

// ------------------------------------------------------------------ receipts recorded without a dispute

/** A receipt anchored on-chain while its listing was under challenge (ReceiptRecord), to be filed once that ends. */
export interface ReceiptRecordRow {
  id: string;
  receiptDigest: string;
  recordedBy: string;
  /** Unix seconds: its age counts until then. */
  firstFiledAt: string;
  timestamp: string;
  transaction: string;
  listing: { id: string; metadataURI: string };
}

export const RECEIPT_RECORD_FIELDS =
  "id receiptDigest recordedBy firstFiledAt timestamp transaction listing { id metadataURI }";

/** The receipts recorded on `listingId`, newest first. */
export async function fetchReceiptRecords(gql: GraphQLClient, listingId: string): Promise<ReceiptRecordRow[]> {
  const { receiptRecords } = await gql.request<{ receiptRecords: ReceiptRecordRow[] }>(
    `query($listing: String!) {
      receiptRecords(first: 1000, where: { listing: $listing }, orderBy: timestamp, orderDirection: desc) {
        ${RECEIPT_RECORD_FIELDS}
      }
    }`,
    { listing: listingId },
  );
  return receiptRecords;
}

/** The receipts `account` recorded, newest first. */
export async function fetchReceiptRecordsBy(gql: GraphQLClient, account: string): Promise<ReceiptRecordRow[]> {
  const { receiptRecords } = await gql.request<{ receiptRecords: ReceiptRecordRow[] }>(
    `query($by: Bytes!) {
      receiptRecords(first: 1000, where: { recordedBy: $by }, orderBy: timestamp, orderDirection: desc) {
        ${RECEIPT_RECORD_FIELDS}
      }
    }`,
    { by: account.toLowerCase() },
  );
  return receiptRecords;
}

// ------------------------------------------------------------------ the validators' re-execution evidence

/** A validator's verdict on a fraud proof (validator/src/fraud.ts `verdictEvidenceURI`). */
export interface ValidatorVerdict {
  fraud: boolean;
  outcome?: string;
  reason?: string;
  maxDeviation?: number | string | null;
  tolerance?: number;
  inputs?: number;
  withinTolerance?: number;
  validator?: string;
}

/** The verdict in a `data:application/json` evidence URI with a boolean `fraud` field; undefined for anything else. */
export function verdictOf(uri: string): ValidatorVerdict | undefined {
  const match = /^data:application\/json(;charset=[\w-]+)?(;base64)?,(.*)$/s.exec(uri);
  if (!match) return undefined;
  try {
    const text = match[2]
      ? new TextDecoder().decode(fromDataURI(uri) ?? new Uint8Array())
      : decodeURIComponent(match[3] ?? "");
    const json = JSON.parse(text) as Record<string, unknown>;
    if (typeof json.fraud !== "boolean") return undefined;
    const str = (key: string): string | undefined =>
      typeof json[key] === "string" ? (json[key] as string) : undefined;
    const num = (key: string): number | undefined =>
      typeof json[key] === "number" ? (json[key] as number) : undefined;
    const verdict: ValidatorVerdict = { fraud: json.fraud };
    const outcome = str("outcome");
    const reason = str("reason");
    const validator = str("validator");
    const tolerance = num("tolerance");
    const inputs = num("inputs");
    const withinTolerance = num("withinTolerance");
    if (outcome !== undefined) verdict.outcome = outcome;
    if (reason !== undefined) verdict.reason = reason;
    if (validator !== undefined) verdict.validator = validator;
    if (tolerance !== undefined) verdict.tolerance = tolerance;
    if (inputs !== undefined) verdict.inputs = inputs;
    if (withinTolerance !== undefined) verdict.withinTolerance = withinTolerance;
    const dev = json.maxDeviation;
    if (typeof dev === "number" || typeof dev === "string" || dev === null) verdict.maxDeviation = dev;
    return verdict;
  } catch {
    return undefined;
  }
}

/** What a published input or output is, checked in the browser: its size and whether it hashes to the receipt's. */
export interface PublishedCheck {
  /** Undefined when the URI is not a data: URI (fetch it and check the hash yourself). */
  size?: number;
  matches?: boolean;
}

export function checkPublished(uri: string, expectedHash: string): PublishedCheck {
  const bytes = fromDataURI(uri);
  if (!bytes) return {};
  return { size: bytes.length, matches: hashMatches(bytes, expectedHash) };
}
