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
