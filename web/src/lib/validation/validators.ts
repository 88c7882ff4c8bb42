// Validators, their committee seats and reports, and validation rounds, as the subgraph tells them.
import { roundPhase as validationPhase, type RoundPhaseName, type RoundStatusName } from "@curia/protocol";
import { fetchAllPages, type GraphQLClient } from "../graphql/client";
import { STAKE_EVENTS_SELECTION, type StakeEventRow } from "../staking/history";

/** A round's stored status as the subgraph indexes it (IValidationManager.RoundStatus, less None). */
export type RoundStatus = Exclude<RoundStatusName, "None">;

export interface MembershipRow {
  id: string;
  stakeAtRisk: string;
  commitment: string | null;
  scoreBps: number | null;
  penalty: string;
  reward: string;
  round: { id: string; roundId: string; status: RoundStatus; medianBps: number | null; listing: { id: string } };
}

export interface ValidatorRow {
  id: string;
  registered: boolean;
  staked: string;
  thawing: string;
  locked: string;
  thawEnd: string | null;
  rewardsCredited: string;
  rewardsClaimed: string;
  penalties: string;
  memberships: MembershipRow[];
}

export interface ValidatorReportRow {
  id: string;
  kind: "Committed" | "Revealed" | "Penalized" | "Rewarded";
  round: { id: string; listing: { id: string } };
  scoreBps: number | null;
  amount: string;
  penaltyReason: string | null;
  timestamp: string;
  transaction: string;
}

export interface ValidatorDetail extends ValidatorRow {
  reports: ValidatorReportRow[];
  /** Its records in the validators' pool, newest first. */
  stakeEvents: StakeEventRow[];
}

export interface ValidationRoundRow {
  id: string;
  roundId: string;
  listing: { id: string };
  requester: string;
  feePaid: string;
  status: RoundStatus;
  committeeSize: number;
  /** Seats drawn; a member may hold several (committees are drawn with replacement). */
  seats: number;
  toleranceBps: number;
  penaltyBps: number;
  /** The listing's price per call when the round opened: sampled calls are reimbursed at it (CUR wei). */
  pricePerCall: string;
  commitEnd: string | null;
  revealEnd: string | null;
  /** Seats whose member committed, and revealed: a member's score counts once per seat. */
  committedCount: number;
  revealedCount: number;
  medianBps: number | null;
  quorumReached: boolean;
  honestCount: number;
  rewardTotal: string;
  penaltyTotal: string;
  cancelReason: string | null;
  dispute: { id: string } | null;
  disputeSkipReason: string | null;
  openedAt: string;
  closedAt: string | null;
  members: {
    id: string;
    validator: { id: string };
    seats: number;
    scoreBps: number | null;
    penalty: string;
    /** Reimbursed calls included. */
    reward: string;
    reimbursed: string;
  }[];
}

const MEMBERSHIP_FIELDS = `id stakeAtRisk commitment scoreBps penalty reward
  round { id roundId status medianBps listing { id } }`;
const VALIDATOR_FIELDS = `id registered staked thawing locked thawEnd rewardsCredited rewardsClaimed penalties
  memberships(first: 1000) { ${MEMBERSHIP_FIELDS} }`;
const ROUND_FIELDS = `id roundId listing { id } requester feePaid status committeeSize seats toleranceBps penaltyBps
  pricePerCall commitEnd revealEnd committedCount revealedCount medianBps quorumReached honestCount rewardTotal penaltyTotal cancelReason
  dispute { id } disputeSkipReason openedAt closedAt
  members(first: 100) { id validator { id } seats scoreBps penalty reward reimbursed }`;

export async function fetchValidators(gql: GraphQLClient): Promise<ValidatorRow[]> {
  const all = await fetchAllPages(
    async (after, first) =>
      (
        await gql.request<{ validators: ValidatorRow[] }>(
          `query($after: ID!, $first: Int!) {
          validators(first: $first, where: { id_gt: $after }, orderBy: id, orderDirection: asc) { ${VALIDATOR_FIELDS} }
        }`,
          { after, first },
        )
      ).validators,
  );
  return all.sort((a, b) => (BigInt(b.staked) > BigInt(a.staked) ? 1 : BigInt(b.staked) < BigInt(a.staked) ? -1 : 0));
}

export async function fetchValidator(gql: GraphQLClient, id: string): Promise<ValidatorDetail | null> {
  const { validator, validatorReports } = await gql.request<{
    validator: (ValidatorRow & { stakeEvents: StakeEventRow[] }) | null;
    validatorReports: ValidatorReportRow[];
  }>(
    `query($id: ID!, $validator: String!) {
      validator(id: $id) { ${VALIDATOR_FIELDS} ${STAKE_EVENTS_SELECTION} }
      validatorReports(first: 1000, where: { validator: $validator }, orderBy: timestamp, orderDirection: desc) {
        id kind round { id listing { id } } scoreBps amount penaltyReason timestamp transaction
      }
    }`,
    { id: id.toLowerCase(), validator: id.toLowerCase() },
  );
  return validator ? { ...validator, reports: validatorReports } : null;
}

/** Rounds, newest first; only those of `listingId` when given. */
export async function fetchValidationRounds(gql: GraphQLClient, listingId?: string): Promise<ValidationRoundRow[]> {
  const all = await fetchAllPages(
    async (after, first) =>
      (
        await gql.request<{ validationRounds: ValidationRoundRow[] }>(
          listingId === undefined
            ? `query($after: ID!, $first: Int!) {
              validationRounds(first: $first, where: { id_gt: $after }, orderBy: id, orderDirection: asc) { ${ROUND_FIELDS} }
            }`
            : `query($after: ID!, $first: Int!, $listing: String!) {
              validationRounds(first: $first, where: { id_gt: $after, listing: $listing }, orderBy: id, orderDirection: asc) {
                ${ROUND_FIELDS}
              }
            }`,
          listingId === undefined ? { after, first } : { after, first, listing: listingId },
        )
      ).validationRounds,
  );
  return all.sort((a, b) => Number(BigInt(b.roundId) - BigInt(a.roundId)));
}

export interface ValidatorScore {
  /** Committee seats. */
  rounds: number;
  /** Seats where it revealed a score. */
  revealed: number;
  /** Rounds finalized with a median, where it revealed. */
  scored: number;
  /** Mean distance of its revealed scores from the round's median (bps); undefined with no scored round. */
  meanDeviationBps: number | undefined;
  /** Share of finalized seats without a penalty (0–1); undefined with none. */
  honestRate: number | undefined;
}

/** A validator's record over its committee seats. */
export function validatorScore(memberships: readonly MembershipRow[]): ValidatorScore {
  let revealed = 0;
  let scored = 0;
  let deviation = 0;
  let finalized = 0;
  let honest = 0;
  for (const m of memberships) {
    if (m.scoreBps !== null) revealed += 1;
    if (m.round.status === "Finalized") {
      finalized += 1;
      if (BigInt(m.penalty) === 0n) honest += 1;
      if (m.scoreBps !== null && m.round.medianBps !== null) {
        scored += 1;
        deviation += Math.abs(m.scoreBps - m.round.medianBps);
      }
    }
  }
  return {
    rounds: memberships.length,
    revealed,
    scored,
    meanDeviationBps: scored === 0 ? undefined : Math.round(deviation / scored),
    honestRate: finalized === 0 ? undefined : honest / finalized,
  };
}

/**
 * The round's phase at chain time `now`: ValidationManager.phaseOf's own rule (@curia/protocol) over the indexed
 * round, so Reveal starts as soon as every seat's member committed and Finalizable as soon as every commitment is
 * revealed. The seats are recorded at the draw; the windows exist once it is drawn.
 */
export function roundPhase(
  r: Pick<ValidationRoundRow, "status" | "commitEnd" | "revealEnd" | "committedCount" | "revealedCount" | "seats">,
  now: bigint,
): Exclude<RoundPhaseName, "None"> {
  const phase = validationPhase(
    {
      status: r.status,
      seated: r.seats,
      committed: r.committedCount,
      revealed: r.revealedCount,
      commitEnd: r.commitEnd ?? 0,
      revealEnd: r.revealEnd ?? 0,
    },
    now,
  );
  if (phase === "None") throw new Error(`round ${JSON.stringify(r.status)} has no phase`);
  return phase;
}
