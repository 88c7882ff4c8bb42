// Court disputes as the subgraph tells them, with the time-driven period (Commit → Reveal → Appeal → Executable)
// derived from the current round's deadlines and the chain's time by Court.periodOf's own rule (@curia/protocol).
import { disputePeriod as courtPeriod, type PeriodName } from "@curia/protocol";
import { fetchAllPages, type GraphQLClient } from "../graphql/client";
import { FRAUD_PROOF_FIELDS, type FraudProofRow } from "../marketplace/fraud-proofs";
import { STAKE_EVENTS_SELECTION, type StakeEventRow } from "../staking/history";

export type IndexedPeriod = "Drawing" | "Commit" | "DaoReview" | "Executed";
export type IndexedRuling = "Challenger" | "Defendant";

export interface RoundSummary {
  id: string;
  index: number;
  seats: number;
  drawn: number;
  commitEnd: string | null;
  revealEnd: string | null;
  appealEnd: string | null;
  committedJurors: number;
  challengerVotes: number;
  defendantVotes: number;
}

export interface DisputeSummary {
  id: string;
  disputeId: string;
  /** What the dispute is about, in its arbitrable's terms (for a listing challenge: the listing id). */
  subjectId: string;
  /** The listing challenged; null for a dispute another arbitrable opened. */
  listing: { id: string; metadataURI: string } | null;
  challenger: string;
  defendant: string;
  /** The challenger's bond, held by ListingChallenges until the ruling (zero for another arbitrable). */
  bond: string;
  fee: string;
  period: IndexedPeriod;
  roundCount: number;
  /** When the DAO's review ends (seconds), once the dispute went to the DAO: then the last juror ruling stands. */
  daoDeadline: string | null;
  ruling: IndexedRuling | null;
  createdAt: string;
  executedAt: string | null;
  /** The latest round only (first: 1, newest first). */
  rounds: RoundSummary[];
}

export interface JurorVoteRow {
  id: string;
  juror: { id: string };
  seats: number;
  commitment: string | null;
  choice: IndexedRuling | null;
  settled: boolean;
  coherent: boolean;
  reward: string;
  penalty: string;
}

export interface RoundDetail extends RoundSummary {
  seatStake: string;
  penaltyPerSeat: string;
  fees: string;
  appellant: string | null;
  coherentSeats: number;
  rewardPool: string;
  votes: JurorVoteRow[];
}

export interface EvidenceRow {
  id: string;
  party: string;
  uri: string;
  timestamp: string;
  transaction: string;
}

/** An appeal the validators' pool paid (ValidationManager.appealDispute), for a dispute the pool is a party to. */
export interface PoolAppealRow {
  id: string;
  caller: string;
  fee: string;
  timestamp: string;
  transaction: string;
}

export interface DisputeDetail extends Omit<DisputeSummary, "rounds"> {
  /** The contract that opened the dispute (ListingChallenges for a listing challenge). */
  arbitrable: string;
  metaEvidenceId: string;
  /** The policy jurors apply (ERC-1497 meta-evidence); null when its announcement was not indexed. */
  metaEvidence: { uri: string } | null;
  byDao: boolean;
  /** False when the arbitrable, revoked by the DAO, refused the ruling and the dispute closed without it. */
  rulingApplied: boolean;
  winner: string | null;
  loserStake: string;
  curatorSlash: string;
  toWinner: string;
  toJurors: string;
  /** What the arbitrable returned to the Court for the coherent jurors of the last juror round. */
  jurorReward: string;
  toTreasury: string;
  createdTransaction: string;
  rounds: RoundDetail[];
  evidence: EvidenceRow[];
  poolAppeals: PoolAppealRow[];
  /** The receipt filed, when the dispute is a fraud proof (a derived list: at most one). */
  fraudProof: FraudProofRow[];
}

const ROUND_FIELDS = `id index seats drawn commitEnd revealEnd appealEnd committedJurors challengerVotes defendantVotes`;
const SUMMARY_FIELDS = `id disputeId subjectId listing { id metadataURI } challenger defendant bond fee period roundCount
  daoDeadline ruling createdAt executedAt`;

export async function fetchDisputes(gql: GraphQLClient, limit = 5000): Promise<DisputeSummary[]> {
  const all = await fetchAllPages(
    async (after, first) =>
      (
        await gql.request<{ disputes: DisputeSummary[] }>(
          `query($after: ID!, $first: Int!) {
            disputes(first: $first, where: { id_gt: $after }, orderBy: id, orderDirection: asc) {
              ${SUMMARY_FIELDS} rounds(first: 1, orderBy: index, orderDirection: desc) { ${ROUND_FIELDS} }
            }
          }`,
          { after, first },
        )
      ).disputes,
    limit,
  );
  return all.sort((a, b) => Number(BigInt(b.disputeId) - BigInt(a.disputeId)));
}

export async function fetchDispute(gql: GraphQLClient, id: string): Promise<DisputeDetail | null> {
  const { dispute } = await gql.request<{ dispute: DisputeDetail | null }>(
    `query($id: ID!) {
      dispute(id: $id) {
        ${SUMMARY_FIELDS} arbitrable metaEvidenceId metaEvidence { uri } byDao rulingApplied winner loserStake curatorSlash toWinner
        toJurors jurorReward toTreasury createdTransaction
        rounds(first: 100, orderBy: index, orderDirection: asc) {
          ${ROUND_FIELDS} seatStake penaltyPerSeat fees appellant coherentSeats rewardPool
          votes(first: 1000) { id juror { id } seats commitment choice settled coherent reward penalty }
        }
        evidence(first: 1000, orderBy: timestamp, orderDirection: asc) { id party uri timestamp transaction }
        poolAppeals(first: 100, orderBy: timestamp, orderDirection: asc) { id caller fee timestamp transaction }
        fraudProof(first: 1) { ${FRAUD_PROOF_FIELDS} }
      }
    }`,
    { id },
  );
  return dispute;
}

/** Where a dispute stands at chain time `now`, from its indexed record and its latest round. */
export function disputePeriod(
  d: Pick<DisputeSummary, "period" | "roundCount" | "daoDeadline">,
  round: Pick<RoundSummary, "seats" | "drawn" | "commitEnd" | "revealEnd" | "appealEnd"> | undefined,
  now: bigint,
): PeriodName {
  // The DAO's review has a deadline: past it the last juror ruling stands, executable by anyone.
  if (d.period === "DaoReview" && d.daoDeadline !== null && now >= BigInt(d.daoDeadline)) return "Executable";
  if (round === undefined) return d.period;
  const { seats, drawn, commitEnd, revealEnd, appealEnd } = round;
  // The index has a round's deadlines once its jury is drawn; before that, what it says is all there is.
  if (commitEnd === null || revealEnd === null || appealEnd === null) return d.period;
  const dispute = {
    rounds: d.roundCount,
    executed: d.period === "Executed",
    toDao: d.period === "DaoReview",
    daoDeadline: d.daoDeadline ?? 0,
  };
  return courtPeriod(dispute, { seats, drawn, commitEnd, revealEnd, appealEnd }, now);
}

export function latestRound<R extends { index: number }>(rounds: readonly R[]): R | undefined {
  let latest: R | undefined;
  for (const r of rounds) if (!latest || r.index > latest.index) latest = r;
  return latest;
}

export const PERIOD_FILTERS = [
  "All",
  "Drawing",
  "Commit",
  "Reveal",
  "Appeal",
  "Executable",
  "DaoReview",
  "Executed",
] as const;
export type PeriodFilter = (typeof PERIOD_FILTERS)[number];
/** Open: not executed yet; Ruled: executed, by the ruling. */
export const STATUS_FILTERS = ["All", "Open", "Challenger won", "Defendant won"] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

/** "listing #3" for a listing challenge; "subject #7" for a dispute another arbitrable opened. */
export function disputeSubject(d: Pick<DisputeSummary, "listing" | "subjectId">): string {
  return d.listing ? `listing #${d.listing.id}` : `subject #${d.subjectId}`;
}

export function periodLabel(period: PeriodName): string {
  return period === "DaoReview" ? "DAO review" : period;
}

export function matchesStatus(d: Pick<DisputeSummary, "ruling" | "period">, status: StatusFilter): boolean {
  switch (status) {
    case "All":
      return true;
    case "Open":
      return d.period !== "Executed";
    case "Challenger won":
      return d.ruling === "Challenger";
    case "Defendant won":
      return d.ruling === "Defendant";
  }
}

/** Filters by period (at chain time `now`), status and a search over dispute id, listing id and parties. */
export function filterDisputes<T extends DisputeSummary>(
  disputes: readonly T[],
  now: bigint,
  period: PeriodFilter,
  status: StatusFilter,
  search = "",
): T[] {
  const needle = search.trim().toLowerCase().replace(/^#/, "");
  return disputes.filter((d) => {
    if (period !== "All" && disputePeriod(d, d.rounds[0], now) !== period) return false;
    if (!matchesStatus(d, status)) return false;
    if (!needle) return true;
    return (
      d.disputeId === needle ||
      d.listing?.id === needle ||
      d.challenger.toLowerCase().includes(needle) ||
      d.defendant.toLowerCase().includes(needle)
    );
  });
}

export function countByPeriod(disputes: readonly DisputeSummary[], now: bigint): Record<PeriodFilter, number> {
  const counts = Object.fromEntries(PERIOD_FILTERS.map((p) => [p, 0])) as Record<PeriodFilter, number>;
  counts.All = disputes.length;
  for (const d of disputes) {
    const p = disputePeriod(d, d.rounds[0], now);
    if (p !== "None") counts[p] += 1;
  }
  return counts;
}

export interface JurorRecord {
  id: string;
  staked: string;
  thawing: string;
  locked: string;
  thawEnd: string | null;
  rewards: string;
  penalties: string;
  votes: {
    id: string;
    seats: number;
    commitment: string | null;
    choice: IndexedRuling | null;
    settled: boolean;
    round: { index: number; dispute: { id: string; period: IndexedPeriod } };
  }[];
  /** Its records in the jurors' pool, newest first. */
  stakeEvents: StakeEventRow[];
}

/** A juror's indexed record with its seats (null when it never staked). */
export async function fetchJuror(gql: GraphQLClient, juror: string): Promise<JurorRecord | null> {
  const { juror: record } = await gql.request<{ juror: JurorRecord | null }>(
    `query($id: ID!) {
      juror(id: $id) {
        id staked thawing locked thawEnd rewards penalties
        votes(first: 1000) { id seats commitment choice settled round { index dispute { id period } } }
        ${STAKE_EVENTS_SELECTION}
      }
    }`,
    { id: juror.toLowerCase() },
  );
  return record;
}
