// ListingRegistry (marketplace): listings, purchases, market parameters.
import { encodeFunctionData, type Address, type Hex } from "viem";
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

/** A listing as the registry stores it, with its effective status (a Pending one past its period is Active). */
export interface OwnListing {
  listingId: bigint;
  provider: Address;
  status: ListingStatusName;
  paused: boolean;
  pricePerCall: bigint;
  bond: bigint;
  modelHash: Hex;
  metadataURI: string;
  endpointURI: string;
  activatesAt: number;
  /** Unix seconds when the bond can be taken back; 0 before the provider asked to leave. */
  withdrawableAt: number;
  activeDisputeId: bigint;
}

export async function readListing(ctx: ChainContext, listingId: bigint): Promise<OwnListing> {
  const registry = addressOf(ctx, "ListingRegistry");
  const [l, status] = await Promise.all([
    ctx.client.readContract({
      address: registry,
      abi: listingRegistryAbi,
      functionName: "getListing",
      args: [listingId],
    }),
    ctx.client.readContract({
      address: registry,
      abi: listingRegistryAbi,
      functionName: "statusOf",
      args: [listingId],
    }),
  ]);
  return {
    listingId,
    provider: l.provider,
    status: enumName(ListingStatusNames, status),
    paused: l.paused,
    pricePerCall: l.pricePerCall,
    bond: l.bond,
    modelHash: l.modelHash,
    metadataURI: l.metadataURI,
    endpointURI: l.endpointURI,
    activatesAt: Number(l.activatesAt),
    withdrawableAt: Number(l.withdrawableAt),
    activeDisputeId: l.activeDisputeId,
  };
}

/**
 * Every listing `provider` created, newest first, read from the registry itself (a listing just created shows at
 * once, before the indexer has it). Reads each listing once: fine for a local or young marketplace (the reads go out
 * in one batched HTTP request); a large one would ask the indexer for the ids first.
 */
export async function readProviderListings(ctx: ChainContext, provider: Address): Promise<OwnListing[]> {
  const count = await ctx.client.readContract({
    address: addressOf(ctx, "ListingRegistry"),
    abi: listingRegistryAbi,
    functionName: "listingCount",
  });
  const ids = Array.from({ length: Number(count) }, (_, i) => count - BigInt(i));
  const listings = await Promise.all(ids.map((id) => readListing(ctx, id)));
  return listings.filter((l) => l.provider.toLowerCase() === provider.toLowerCase());
}

/** Approve the bond (when needed), then list the model. */
export async function populateCreateListingSteps(
  ctx: ChainContext,
  account: Address,
  listing: {
    modelHash: Hex;
    metadataURI: string;
    endpointURI: string;
    pricePerCall: bigint;
    bond: bigint;
  },
): Promise<TxRequest[]> {
  const registry = addressOf(ctx, "ListingRegistry");
  return [
    ...(await approvalSteps(ctx, account, registry, listing.bond, "marketplace")),
    {
      to: registry,
      data: encodeFunctionData({
        abi: listingRegistryAbi,
        functionName: "createListing",
        args: [listing.modelHash, listing.metadataURI, listing.endpointURI, listing.pricePerCall, listing.bond],
      }),
      description: `List the model at ${formatCur(listing.pricePerCall)} per call with a ${formatCur(listing.bond)} bond`,
    },
  ];
}

function registryTx(ctx: ChainContext, data: Hex, description: string): TxRequest {
  return { to: addressOf(ctx, "ListingRegistry"), data, description };
}

export function populateUpdatePriceTx(ctx: ChainContext, listingId: bigint, pricePerCall: bigint): TxRequest {
  return registryTx(
    ctx,
    encodeFunctionData({ abi: listingRegistryAbi, functionName: "updatePrice", args: [listingId, pricePerCall] }),
    `Set listing #${listingId}'s price to ${formatCur(pricePerCall)} per call`,
  );
}

export function populateUpdateEndpointTx(ctx: ChainContext, listingId: bigint, endpointURI: string): TxRequest {
  return registryTx(
    ctx,
    encodeFunctionData({ abi: listingRegistryAbi, functionName: "updateEndpoint", args: [listingId, endpointURI] }),
    `Move listing #${listingId}'s endpoint to ${endpointURI}`,
  );
}

export function populateUpdateMetadataTx(ctx: ChainContext, listingId: bigint, metadataURI: string): TxRequest {
  return registryTx(
    ctx,
    encodeFunctionData({ abi: listingRegistryAbi, functionName: "updateMetadata", args: [listingId, metadataURI] }),
    `Change listing #${listingId}'s metadata to ${metadataURI}`,
  );
}

export function populateSetListingPausedTx(ctx: ChainContext, listingId: bigint, paused: boolean): TxRequest {
  return registryTx(
    ctx,
    encodeFunctionData({ abi: listingRegistryAbi, functionName: "setListingPaused", args: [listingId, paused] }),
    `${paused ? "Pause" : "Resume"} sales of listing #${listingId}`,
  );
}

export function populateRequestWithdrawalTx(ctx: ChainContext, listingId: bigint): TxRequest {
  return registryTx(
    ctx,
    encodeFunctionData({ abi: listingRegistryAbi, functionName: "requestWithdrawal", args: [listingId] }),
    `Stop listing #${listingId}'s sales and start its exit`,
  );
}

export function populateCompleteWithdrawalTx(ctx: ChainContext, listingId: bigint, bond: bigint): TxRequest {
  return registryTx(
    ctx,
    encodeFunctionData({ abi: listingRegistryAbi, functionName: "completeWithdrawal", args: [listingId] }),
    `Leave with listing #${listingId}'s ${formatCur(bond)} bond`,
  );
}
