// Listings as the subgraph tells them: queries, metadata parsing, and the browser's filters and sorts.
import { listingStatus, type ListingStatusName } from "@curia/protocol";
import { fetchAllPages, type GraphQLClient } from "../graphql/client";
import { FRAUD_PROOF_FIELDS, fetchReceiptRecords, type FraudProofRow, type ReceiptRecordRow } from "./fraud-proofs";

/** A listing's status as the subgraph indexes it (IListingRegistry.ListingStatus, less None). */
export type ListingStatus = Exclude<ListingStatusName, "None">;

export interface ListingSummary {
  id: string;
  listingId: string;
  provider: string;
  modelHash: string;
  metadataURI: string;
  endpointURI: string;
  pricePerCall: string;
  bond: string;
  status: ListingStatus;
  paused: boolean;
  qualityBps: number | null;
  activatesAt: string;
  purchaseCount: number;
  callsSold: string;
  revenue: string;
  curatorStake: string;
  curatorShares: string;
  curatorThawingStake: string;
  createdAt: string;
}

export interface QualityPoint {
  id: string;
  oldQualityBps: number;
  newQualityBps: number;
  timestamp: string;
  transaction: string;
}

export interface CurationPositionInfo {
  id: string;
  curator: string;
  shares: string;
  stake: string;
  thawingStake: string;
  thawEnd: string | null;
  totalStaked: string;
  rewardsClaimed: string;
}

export interface PurchaseInfo {
  id: string;
  buyer: string;
  calls: string;
  cost: string;
  curatorFee: string;
  qualityBps: number;
  timestamp: string;
  transaction: string;
}

export interface ListingDetail extends ListingSummary {
  curatorFees: string;
  curatorRewards: string;
  providerRevenue: string;
  bondSlashed: string;
  withdrawableAt: string | null;
  activeDispute: { id: string } | null;
  qualityUpdates: QualityPoint[];
  curationPositions: CurationPositionInfo[];
  purchases: PurchaseInfo[];
  disputes: { id: string }[];
  /** The key that signs its receipts now (null before the subgraph saw one). */
  servingKey: string | null;
  /** Earnings still in escrow, released to the provider, and slashed on its delisting (CUR wei). */
  escrowedEarnings: string;
  earningsReleased: string;
  escrowSlashed: string;
  /** Receipts filed against it as fraud proofs, newest first. */
  fraudProofs: FraudProofRow[];
  /** Receipts recorded without a dispute (while it was under challenge), newest first. */
  receiptRecords: ReceiptRecordRow[];
}

const SUMMARY_FIELDS = `id listingId provider modelHash metadataURI endpointURI pricePerCall bond status paused qualityBps
  activatesAt purchaseCount callsSold revenue curatorStake curatorShares curatorThawingStake createdAt`;

export async function fetchListings(gql: GraphQLClient, limit = 5000): Promise<ListingSummary[]> {
  return fetchAllPages(
    async (after, first) =>
      (
        await gql.request<{ listings: ListingSummary[] }>(
          `query($after: ID!, $first: Int!) {
            listings(first: $first, where: { id_gt: $after }, orderBy: id, orderDirection: asc) { ${SUMMARY_FIELDS} }
          }`,
          { after, first },
        )
      ).listings,
    limit,
  );
}

export async function fetchListing(gql: GraphQLClient, id: string): Promise<ListingDetail | null> {
  const [{ listing }, receiptRecords] = await Promise.all([
    gql.request<{ listing: Omit<ListingDetail, "receiptRecords"> | null }>(
      `query($id: ID!) {
      listing(id: $id) {
        ${SUMMARY_FIELDS} curatorFees curatorRewards providerRevenue bondSlashed withdrawableAt activeDispute { id }
        qualityUpdates(first: 1000, orderBy: timestamp, orderDirection: asc) {
          id oldQualityBps newQualityBps timestamp transaction
        }
        curationPositions(first: 1000, orderBy: shares, orderDirection: desc) {
          id curator shares stake thawingStake thawEnd totalStaked rewardsClaimed
        }
        purchases(first: 100, orderBy: timestamp, orderDirection: desc) {
          id buyer calls cost curatorFee qualityBps timestamp transaction
        }
        disputes(first: 100) { id }
        servingKey escrowedEarnings earningsReleased escrowSlashed
        fraudProofs(first: 100, orderBy: timestamp, orderDirection: desc) { ${FRAUD_PROOF_FIELDS} }
      }
    }`,
      { id },
    ),
    // ReceiptRecord has no field on Listing in the schema: asked for by its listing.
    fetchReceiptRecords(gql, id),
  ]);
  return listing ? { ...listing, receiptRecords } : null;
}

export interface ListingMetadata {
  name?: string;
  description?: string;
  task?: string;
  taskVersion?: number;
}

/** Reads `data:application/json,…` (plain or base64) metadata; other URIs are not fetched (shown as links). */
export function parseMetadata(uri: string): ListingMetadata {
  const match = /^data:application\/json(;base64)?,(.*)$/s.exec(uri);
  if (!match) return {};
  try {
    const text = match[1] ? atob(match[2] ?? "") : decodeURIComponent(match[2] ?? "");
    const json = JSON.parse(text) as Record<string, unknown>;
    const pick = (key: string): string | undefined =>
      typeof json[key] === "string" ? (json[key] as string) : undefined;
    const out: ListingMetadata = {};
    const name = pick("name");
    const description = pick("description");
    const task = pick("task");
    if (name) out.name = name;
    if (description) out.description = description;
    if (task) out.task = task;
    if (typeof json.taskVersion === "number") out.taskVersion = json.taskVersion;
    return out;
  } catch {
    return {};
  }
}

export function listingName(listing: Pick<ListingSummary, "metadataURI" | "id">): string {
  return parseMetadata(listing.metadataURI).name ?? `Listing #${listing.id}`;
}

/**
 * The effective status: a Pending listing past its application period already sells (the registry's `statusOf`,
 * by its own rule in @curia/protocol).
 */
export function effectiveStatus(listing: Pick<ListingSummary, "status" | "activatesAt">, now: bigint): ListingStatus {
  const status = listingStatus(listing, now);
  if (status === "None") throw new Error("an indexed listing has a status");
  return status;
}

export type ListingSort = "quality" | "stake" | "price-asc" | "price-desc" | "newest" | "sales";

export interface ListingFilter {
  search: string;
  status: ListingStatus | "All";
  sort: ListingSort;
  /** Listings with no verified quality sort with this default (the registry's defaultQualityBps). */
  defaultQualityBps?: number;
}

export function filterListings<T extends ListingSummary>(
  listings: readonly T[],
  filter: ListingFilter,
  now: bigint,
): T[] {
  const needle = filter.search.trim().toLowerCase();
  const quality = (l: T): number => l.qualityBps ?? filter.defaultQualityBps ?? -1;
  const result = listings.filter((l) => {
    if (filter.status !== "All" && effectiveStatus(l, now) !== filter.status) return false;
    if (!needle) return true;
    const meta = parseMetadata(l.metadataURI);
    return [meta.name, meta.description, meta.task, l.provider, l.endpointURI, `#${l.id}`]
      .filter((s): s is string => s !== undefined)
      .some((s) => s.toLowerCase().includes(needle));
  });
  const big = (a: string, b: string): number => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);
  const byId = (a: T, b: T): number => Number(a.id) - Number(b.id);
  const compare: Record<ListingSort, (a: T, b: T) => number> = {
    quality: (a, b) => quality(b) - quality(a) || big(b.curatorStake, a.curatorStake) || byId(a, b),
    stake: (a, b) => big(b.curatorStake, a.curatorStake) || byId(a, b),
    "price-asc": (a, b) => big(a.pricePerCall, b.pricePerCall) || byId(a, b),
    "price-desc": (a, b) => big(b.pricePerCall, a.pricePerCall) || byId(a, b),
    newest: (a, b) => big(b.createdAt, a.createdAt) || byId(b, a),
    sales: (a, b) => big(b.callsSold, a.callsSold) || byId(a, b),
  };
  return result.sort(compare[filter.sort]);
}
