// ListingRegistry (marketplace): listings, purchases, market parameters.
import { encodeFunctionData, type Address } from "viem";
import { ListingStatusNames, enumName, listingRegistryAbi, type ListingStatusName } from "@curia/protocol";
import { addressOf, type ChainContext, type TxRequest } from "./context";
import { approvalSteps } from "./token";
import { formatBps, formatCur } from "../format";

export interface MarketParameters {
  minBond: bigint;
  applicationPeriod: number;
  withdrawalDelay: number;
  protocolFeeBps: number;
  treasuryShareBps: number;
  curatorShareBps: number;
  validatorShareBps: number;
  defaultQualityBps: number;
  /** Seconds earnings stay in escrow; also how old a receipt a fraud proof may still carry. */
  earningsEscrowPeriod: number;
  /** Most a listing's escrow may hold, in bps of its bond: a purchase past it reverts (ListingSalesCapReached). */
  maxEscrowPerBondBps: number;
}

export async function readMarketParameters(ctx: ChainContext): Promise<MarketParameters> {
  const p = await ctx.client.readContract({
    address: addressOf(ctx, "ListingRegistry"),
    abi: listingRegistryAbi,
    functionName: "parameters",
  });
  return { ...p };
}

export async function readListingStatus(ctx: ChainContext, listingId: bigint): Promise<ListingStatusName> {
  const status = await ctx.client.readContract({
    address: addressOf(ctx, "ListingRegistry"),
    abi: listingRegistryAbi,
    functionName: "statusOf",
    args: [listingId],
  });
  return enumName(ListingStatusNames, status);
}

export function readCallsPurchased(ctx: ChainContext, listingId: bigint, account: Address): Promise<bigint> {
  return ctx.client.readContract({
    address: addressOf(ctx, "ListingRegistry"),
    abi: listingRegistryAbi,
    functionName: "callsPurchased",
    args: [listingId, account],
  });
}

/** The key that signs the listing's receipts now (zero for an unknown listing). */
export function readServingKey(ctx: ChainContext, listingId: bigint): Promise<Address> {
  return ctx.client.readContract({
    address: addressOf(ctx, "ListingRegistry"),
    abi: listingRegistryAbi,
    functionName: "servingKeyOf",
    args: [listingId],
  });
}

/** When `key` signed for the listing: from `validFrom` until `validUntil` (0: still the key); zeros: never. */
export interface ServingKeyPeriod {
  validFrom: number;
  validUntil: number;
}

export async function readServingKeyPeriod(
  ctx: ChainContext,
  listingId: bigint,
  key: Address,
): Promise<ServingKeyPeriod> {
  const p = await ctx.client.readContract({
    address: addressOf(ctx, "ListingRegistry"),
    abi: listingRegistryAbi,
    functionName: "servingKeyPeriod",
    args: [listingId, key],
  });
  return { validFrom: Number(p.validFrom), validUntil: Number(p.validUntil) };
}

/** A listing's escrowed earnings (CUR wei): not due yet, releasable now, and when the next locked part is due. */
export interface Escrow {
  locked: bigint;
  releasable: bigint;
  /** Unix seconds; 0 when nothing is locked. */
  nextReleaseAt: number;
}

export async function readEscrow(ctx: ChainContext, listingId: bigint): Promise<Escrow> {
  const [locked, releasable, nextReleaseAt] = await ctx.client.readContract({
    address: addressOf(ctx, "ListingRegistry"),
    abi: listingRegistryAbi,
    functionName: "escrowOf",
    args: [listingId],
  });
  return { locked, releasable, nextReleaseAt: Number(nextReleaseAt) };
}

/** Earnings `provider` can withdraw now (released from escrow), CUR wei. */
export function readEarnings(ctx: ChainContext, provider: Address): Promise<bigint> {
  return ctx.client.readContract({
    address: addressOf(ctx, "ListingRegistry"),
    abi: listingRegistryAbi,
    functionName: "earningsOf",
    args: [provider],
  });
}

/** Moves the listing's earnings that waited one escrow period to its provider's withdrawable earnings (anyone). */
export function populateReleaseEarningsTx(ctx: ChainContext, listingId: bigint, amount: bigint): TxRequest {
  return {
    to: addressOf(ctx, "ListingRegistry"),
    data: encodeFunctionData({ abi: listingRegistryAbi, functionName: "releaseEarnings", args: [listingId] }),
    description: `Release ${formatCur(amount)} of earnings from listing #${listingId}'s escrow`,
  };
}

/** Sends the caller's released earnings to `to`. */
export function populateWithdrawEarningsTx(ctx: ChainContext, to: Address, amount: bigint): TxRequest {
  return {
    to: addressOf(ctx, "ListingRegistry"),
    data: encodeFunctionData({ abi: listingRegistryAbi, functionName: "withdrawEarnings", args: [to] }),
    description: `Withdraw ${formatCur(amount)} of earnings`,
  };
}

/** Approve (when needed) and buy `calls` inference calls at `pricePerCall`. */
export async function populatePurchaseSteps(
  ctx: ChainContext,
  account: Address,
  listingId: bigint,
  calls: bigint,
  pricePerCall: bigint,
): Promise<TxRequest[]> {
  const registry = addressOf(ctx, "ListingRegistry");
  const cost = calls * pricePerCall;
  return [
    ...(await approvalSteps(ctx, account, registry, cost, "marketplace")),
    {
      to: registry,
      data: encodeFunctionData({
        abi: listingRegistryAbi,
        functionName: "purchase",
        args: [listingId, calls, account, pricePerCall],
      }),
      description: `Buy ${calls} calls on listing #${listingId} for ${formatCur(cost)}`,
    },
  ];
}

/** Calldata of `setProtocolFee(bps)`, for the "change the marketplace fee" proposal template. */
export function encodeSetProtocolFee(feeBps: number) {
  return encodeFunctionData({ abi: listingRegistryAbi, functionName: "setProtocolFee", args: [feeBps] });
}

export function describeProtocolFee(feeBps: number): string {
  return `Set the marketplace protocol fee to ${formatBps(feeBps)}`;
}
