// ListingChallenges: the marketplace's arbitrable. Anyone challenges a Pending or Active listing with a bond and
// evidence (it pays the Court's arbitration fee on top of the bond) and adds evidence to a challenge until it is
// resolved; the Court decides and this contract applies the ruling to the registry and the curation pool.
import {
  encodeFunctionData,
  parseEventLogs,
  recoverTypedDataAddress,
  type Address,
  type Hex,
  type TransactionReceipt,
} from "viem";
import {
  RECEIPT_PRIMARY_TYPE,
  RECEIPT_TYPES,
  inferenceDomain,
  listingChallengesAbi,
  receiptDigest,
  signedInKeyPeriod,
  type InferenceReceipt,
} from "@curia/protocol";
import { addressOf, type ChainContext, type TxRequest } from "./context";
import { readServingKey, readServingKeyPeriod } from "./registry";
import { approvalSteps } from "./token";
import { formatCur } from "../format";

/** IListingChallenges.ChallengeParameters: the smallest bond and how the loser's stake is split (bps, sum 10,000). */
export interface ChallengeParameters {
  minChallengeBond: bigint;
  winnerShareBps: number;
  jurorShareBps: number;
  treasuryShareBps: number;
}

/** A challenge by its dispute id in the Court (which records the challenger and the provider). */
export interface ChallengeOnChain {
  listingId: bigint;
  bond: bigint;
}

export async function readChallengeParameters(ctx: ChainContext): Promise<ChallengeParameters> {
  const p = await ctx.client.readContract({
    address: addressOf(ctx, "ListingChallenges"),
    abi: listingChallengesAbi,
    functionName: "parameters",
  });
  return { ...p };
}

/** What a challenge with `bond` costs the challenger now: the bond plus the Court's arbitration cost. */
export function readChallengeCost(ctx: ChainContext, bond: bigint): Promise<bigint> {
  return ctx.client.readContract({
    address: addressOf(ctx, "ListingChallenges"),
    abi: listingChallengesAbi,
    functionName: "challengeCost",
    args: [bond],
  });
}

export async function readChallenge(ctx: ChainContext, disputeId: bigint): Promise<ChallengeOnChain> {
  const c = await ctx.client.readContract({
    address: addressOf(ctx, "ListingChallenges"),
    abi: listingChallengesAbi,
    functionName: "getChallenge",
    args: [disputeId],
  });
  return { listingId: c.listingId, bond: c.bond };
}

/**
 * Approve ListingChallenges (when needed) for the bond plus the arbitration fee (`challengeCost(bond)`, read now), then
 * challenge `listingId` with `evidenceURI`.
 */
export async function populateChallengeListingSteps(
  ctx: ChainContext,
  account: Address,
  listingId: bigint,
  bond: bigint,
  evidenceURI: string,
): Promise<TxRequest[]> {
  return bondedSteps(
    ctx,
    account,
    bond,
    encodeFunctionData({ abi: listingChallengesAbi, functionName: "challenge", args: [listingId, bond, evidenceURI] }),
    `Challenge listing #${listingId} with a ${formatCur(bond)} bond`,
  );
}

/** Adds evidence to the listing challenge that is dispute `disputeId` in the Court (anyone, until it is resolved). */
export function populateSubmitEvidenceTx(ctx: ChainContext, disputeId: bigint, evidenceURI: string): TxRequest {
  return {
    to: addressOf(ctx, "ListingChallenges"),
    data: encodeFunctionData({
      abi: listingChallengesAbi,
      functionName: "submitEvidence",
      args: [disputeId, evidenceURI],
    }),
    description: `Submit evidence to dispute #${disputeId}`,
  };
}

/** The longest inputURI / outputURI a fraud proof may publish (ListingChallenges.MAX_DATA_URI_LENGTH, bytes). */
export function readMaxDataURILength(ctx: ChainContext): Promise<bigint> {
  return ctx.client.readContract({
    address: addressOf(ctx, "ListingChallenges"),
    abi: listingChallengesAbi,
    functionName: "MAX_DATA_URI_LENGTH",
  });
}

/** Who signed a receipt, and whether that key was the listing's serving key when the receipt was served. */
export interface ReceiptSigner {
  /** The address the EIP-712 signature recovers to; undefined when the signature is malformed. */
  signer?: Address;
  /** Whether the contract will take it (ListingChallenges: a key of the listing at `servedAt`). */
  valid: boolean;
  /** The listing's serving key now. */
  servingKey: Address;
}

/**
 * Recovers the signer of `receipt` in the deployment's inference domain (chain id, ListingRegistry) and checks it was
 * the listing's serving key at `servedAt`, as ListingChallenges.fileFraudProof does.
 */
export async function checkReceiptSigner(
  ctx: ChainContext,
  receipt: InferenceReceipt,
  signature: Hex,
): Promise<ReceiptSigner> {
  const domain = inferenceDomain(ctx.config.chainId, addressOf(ctx, "ListingRegistry"));
  const servingKey = await readServingKey(ctx, receipt.listingId);
  let signer: Address;
  try {
    signer = await recoverTypedDataAddress({
      domain,
      types: RECEIPT_TYPES,
      primaryType: RECEIPT_PRIMARY_TYPE,
      message: receipt,
      signature,
    });
  } catch {
    return { valid: false, servingKey };
  }
  const period = await readServingKeyPeriod(ctx, receipt.listingId, signer);
  return { signer, valid: signedInKeyPeriod(period, receipt.servedAt), servingKey };
}

/** The dispute a mined fileFraudProof opened (its FraudProofFiled event); undefined when the receipt has none. */
export function fraudProofDisputeOf(ctx: ChainContext, receipt: Pick<TransactionReceipt, "logs">): bigint | undefined {
  const challenges = addressOf(ctx, "ListingChallenges").toLowerCase();
  const [event] = parseEventLogs({
    abi: listingChallengesAbi,
    eventName: "FraudProofFiled",
    logs: receipt.logs.filter((log) => log.address.toLowerCase() === challenges),
  });
  return event?.args.disputeId;
}

/** The EIP-712 digest of `receipt` in this deployment's inference domain (ListingChallenges.receiptDigest): its id. */
export function receiptDigestOf(ctx: ChainContext, receipt: InferenceReceipt): Hex {
  return receiptDigest(inferenceDomain(ctx.config.chainId, addressOf(ctx, "ListingRegistry")), receipt);
}

/**
 * When the receipt `digest` was first filed as a fraud proof or recorded (unix seconds; 0n: never). Its age counts
 * from then: a receipt recorded in time can be filed after the escrow period.
 */
export function readReceiptFirstFiledAt(ctx: ChainContext, digest: Hex): Promise<bigint> {
  return ctx.client.readContract({
    address: addressOf(ctx, "ListingChallenges"),
    abi: listingChallengesAbi,
    functionName: "receiptFirstFiledAt",
    args: [digest],
  });
}

/**
 * Records `receipt` on-chain without a bond or a dispute (ListingChallenges.recordReceipt): for a listing already under
 * challenge, which takes no second dispute. Its age stops counting: it can be filed once that dispute ends.
 */
export function populateRecordReceiptTx(ctx: ChainContext, receipt: InferenceReceipt, signature: Hex): TxRequest {
  return {
    to: addressOf(ctx, "ListingChallenges"),
    data: encodeFunctionData({ abi: listingChallengesAbi, functionName: "recordReceipt", args: [receipt, signature] }),
    description: `Record a receipt of listing #${receipt.listingId} on-chain (no bond, no dispute)`,
  };
}

/**
 * Approve ListingChallenges (when needed) for exactly the bond plus the arbitration fee (`challengeCost(bond)`, read
 * now), then file `receipt` (signed by the listing's serving key) as a fraud proof, publishing the input and output
 * behind its hashes at `inputURI` / `outputURI`.
 */
export async function populateFileFraudProofSteps(
  ctx: ChainContext,
  account: Address,
  receipt: InferenceReceipt,
  signature: Hex,
  bond: bigint,
  inputURI: string,
  outputURI: string,
): Promise<TxRequest[]> {
  return bondedSteps(
    ctx,
    account,
    bond,
    encodeFunctionData({
      abi: listingChallengesAbi,
      functionName: "fileFraudProof",
      args: [receipt, signature, bond, inputURI, outputURI],
    }),
    `File a receipt of listing #${receipt.listingId} as a fraud proof with a ${formatCur(bond)} bond`,
  );
}

/** Approve ListingChallenges (when needed) for exactly `bond` plus the arbitration fee, read now; then `data`. */
async function bondedSteps(
  ctx: ChainContext,
  account: Address,
  bond: bigint,
  data: Hex,
  description: string,
): Promise<TxRequest[]> {
  const challenges = addressOf(ctx, "ListingChallenges");
  const cost = await readChallengeCost(ctx, bond);
  return [
    ...(await approvalSteps(ctx, account, challenges, cost, "listing challenges contract")),
    { to: challenges, data, description },
  ];
}
