// Proposals as the subgraph tells them, with the Governor's time-driven state derived from chain time.
import type { ProposalState } from "./states";
import { createGraphQLClient, fetchAllPages, type GraphQLClient } from "../graphql/client";
import { prefetch, takePrefetched } from "../boot";

export interface ProposalSummary {
  id: string;
  proposalId: string;
  proposer: { id: string };
  description: string;
  status: "Pending" | "Queued" | "Executed" | "Canceled";
  voteStart: string;
  voteEnd: string;
  quorum: string;
  forVotes: string;
  againstVotes: string;
  abstainVotes: string;
  voteCount: number;
  actionCount: number;
  eta: string | null;
  createdAt: string;
}

export interface ProposalAction {
  index: number;
  target: string;
  value: string;
  calldata: `0x${string}`;
  signature: string;
  functionSignature: string | null;
  arguments: string[];
}

export interface ProposalVote {
  id: string;
  voter: { id: string };
  support: "Against" | "For" | "Abstain";
  weight: string;
  reason: string;
  timestamp: string;
  transaction: string;
}

export interface ProposalDetail extends ProposalSummary {
  extended: boolean;
  quorumNumerator: string;
  totalSupplyAtSnapshot: string;
  createdTransaction: string;
  queuedAt: string | null;
  executedAt: string | null;
  canceledAt: string | null;
  actions: ProposalAction[];
  votes: ProposalVote[];
}

const SUMMARY_FIELDS = `id proposalId proposer { id } description status voteStart voteEnd quorum forVotes againstVotes
  abstainVotes voteCount actionCount eta createdAt`;

export async function fetchProposals(gql: GraphQLClient, limit = 5000): Promise<ProposalSummary[]> {
  const all = await fetchAllPages(
    async (after, first) =>
      (
        await gql.request<{ proposals: ProposalSummary[] }>(
          `query($after: ID!, $first: Int!) {
            proposals(first: $first, where: { id_gt: $after }, orderBy: id, orderDirection: asc) { ${SUMMARY_FIELDS} }
          }`,
          { after, first },
        )
      ).proposals,
    limit,
  );
  return sortNewestFirst(all);
}

/** The key of the proposal list prefetched at start-up from the indexer at `graphqlUrl` (see boot.ts). */
const prefetchKey = (graphqlUrl: string): string => `proposals ${graphqlUrl}`;

/** Requests the proposal list at start-up, before the app has loaded (the route's `prefetch`). */
export function prefetchProposals(graphqlUrl: string): void {
  prefetch(prefetchKey(graphqlUrl), () => fetchProposals(createGraphQLClient(graphqlUrl)));
}

/** The proposal list: the one prefetched at start-up from the same indexer if it is still untaken, else a new fetch. */
export function proposalsOnce(gql: GraphQLClient): Promise<ProposalSummary[]> {
  return takePrefetched<ProposalSummary[]>(prefetchKey(gql.url)) ?? fetchProposals(gql);
}

export function sortNewestFirst<T extends { createdAt: string; id: string }>(items: T[]): T[] {
  return items.sort((a, b) => Number(BigInt(b.createdAt) - BigInt(a.createdAt)) || (a.id < b.id ? 1 : -1));
}

export async function fetchProposal(gql: GraphQLClient, id: string): Promise<ProposalDetail | null> {
  const { proposal } = await gql.request<{ proposal: ProposalDetail | null }>(
    `query($id: ID!) {
      proposal(id: $id) {
        ${SUMMARY_FIELDS} extended quorumNumerator totalSupplyAtSnapshot createdTransaction queuedAt executedAt canceledAt
        actions(first: 100, orderBy: index) { index target value calldata signature functionSignature arguments }
        votes(first: 1000, orderBy: timestamp, orderDirection: desc) {
          id voter { id } support weight reason timestamp transaction
        }
      }
    }`,
    { id },
  );
  return proposal;
}

/** The Governor's `state()` from the indexed record and the chain's time (as OZ Governor computes it). */
export function proposalState(p: ProposalSummary, now: bigint): ProposalState {
  if (p.status === "Executed") return "Executed";
  if (p.status === "Canceled") return "Canceled";
  if (p.status === "Queued") return "Queued";
  if (BigInt(p.voteStart) >= now) return "Pending";
  if (BigInt(p.voteEnd) >= now) return "Active";
  return quorumReached(p) && BigInt(p.forVotes) > BigInt(p.againstVotes) ? "Succeeded" : "Defeated";
}

/** Why an account may cancel a proposal: as the proposal guardian, or as its proposer. */
export type CancelRight = "guardian" | "proposer";

/**
 * Whether `account` may cancel a proposal in `state`, as OpenZeppelin's GovernorProposalGuardian decides: nobody once
 * it is canceled, expired or executed; otherwise the guardian always, the proposer while it is pending, and the
 * proposer in any state when there is no guardian (none was set, or its term has ended: `guardian` is then zero).
 */
export function cancelRight(
  state: ProposalState,
  account: string | undefined,
  proposer: string,
  guardian: string,
): CancelRight | undefined {
  if (account === undefined || state === "Canceled" || state === "Expired" || state === "Executed") return undefined;
  const me = account.toLowerCase();
  const noGuardian = /^0x0{40}$/i.test(guardian);
  if (!noGuardian && me === guardian.toLowerCase()) return "guardian";
  if (me === proposer.toLowerCase() && (noGuardian || state === "Pending")) return "proposer";
  return undefined;
}

/** GovernorCountingSimple: For and Abstain count towards the quorum. */
export function quorumReached(p: Pick<ProposalSummary, "forVotes" | "abstainVotes" | "quorum">): boolean {
  return BigInt(p.forVotes) + BigInt(p.abstainVotes) >= BigInt(p.quorum);
}

/** First line of the description without a leading `# `: the title. */
export function proposalTitle(description: string): string {
  const line = description.trim().split("\n", 1)[0] ?? "";
  return line.replace(/^#+\s*/, "").trim() || "(untitled proposal)";
}

export type StateFilter = ProposalState | "All";

/** Filters by state and by a case-insensitive search over title, description, proposer and id. */
export function filterProposals<T extends ProposalSummary>(
  proposals: readonly T[],
  now: bigint,
  state: StateFilter,
  search: string,
): T[] {
  const needle = search.trim().toLowerCase();
  return proposals.filter((p) => {
    if (state !== "All" && proposalState(p, now) !== state) return false;
    if (!needle) return true;
    return (
      p.description.toLowerCase().includes(needle) ||
      p.proposer.id.toLowerCase().includes(needle) ||
      p.proposalId.includes(needle)
    );
  });
}

/** How many proposals are in each state (for the filter's counts). */
export function countByState(proposals: readonly ProposalSummary[], now: bigint): Record<StateFilter, number> {
  const counts = { All: proposals.length } as Record<StateFilter, number>;
  for (const p of proposals) {
    const state = proposalState(p, now);
    counts[state] = (counts[state] ?? 0) + 1;
  }
  return counts;
}

export interface DelegateInfo {
  id: string;
  votingPower: string;
  delegatorCount: number;
  voteCount: number;
}

export async function fetchTopDelegates(gql: GraphQLClient, first = 20): Promise<DelegateInfo[]> {
  const { delegates } = await gql.request<{ delegates: DelegateInfo[] }>(
    `query($first: Int!) {
      delegates(first: $first, orderBy: votingPower, orderDirection: desc, where: { votingPower_gt: "0" }) {
        id votingPower delegatorCount voteCount
      }
    }`,
    { first },
  );
  return delegates;
}
