// ListingChallenges: the marketplace's arbitrable. Anyone challenges a Pending or Active listing with a bond and
// evidence (it pays the Court's arbitration fee on top of the bond) and adds evidence to a challenge until it is
// resolved; the Court decides and this contract applies the ruling to the registry and the curation pool.
import { encodeFunctionData, type Address } from "viem";
import { listingChallengesAbi } from "@curia/protocol";
import { addressOf, type ChainContext, type TxRequest } from "./context";
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
  const challenges = addressOf(ctx, "ListingChallenges");
  const cost = await readChallengeCost(ctx, bond);
  return [
    ...(await approvalSteps(ctx, account, challenges, cost, "listing challenges contract")),
    {
      to: challenges,
      data: encodeFunctionData({
        abi: listingChallengesAbi,
        functionName: "challenge",
        args: [listingId, bond, evidenceURI],
      }),
      description: `Challenge listing #${listingId} with a ${formatCur(bond)} bond`,
    },
  ];
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
