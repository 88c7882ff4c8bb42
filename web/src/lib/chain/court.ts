// Court: listing challenges with evidence (more for jurors: see the Court screens).
import { encodeFunctionData, type Address } from "viem";
import { courtAbi } from "./abis.generated";
import { addressOf, type ChainContext, type TxRequest } from "./context";
import { approvalSteps } from "./token";
import { formatCur } from "../format";

export const DISPUTE_PERIODS = [
  "None",
  "Drawing",
  "Commit",
  "Reveal",
  "Appeal",
  "Executable",
  "DaoReview",
  "Executed",
] as const;
export type DisputePeriodName = (typeof DISPUTE_PERIODS)[number];

export interface CourtParameters {
  minJurorStake: bigint;
  minChallengeBond: bigint;
  arbitrationFeePerSeat: bigint;
  appealFeePerSeat: bigint;
  thawingPeriod: number;
  commitPeriod: number;
  revealPeriod: number;
  appealPeriod: number;
  firstRoundSeats: number;
  maxJurorRounds: number;
  penaltyBps: number;
  winnerShareBps: number;
  jurorShareBps: number;
  treasuryShareBps: number;
}

export async function readCourtParameters(ctx: ChainContext): Promise<CourtParameters> {
  const p = await ctx.client.readContract({
    address: addressOf(ctx, "Court"),
    abi: courtAbi,
    functionName: "parameters",
  });
  return { ...p };
}

/** What a challenger pays: the bond plus the first round's arbitration fee. */
export function challengeCost(params: CourtParameters, bond: bigint): bigint {
  return bond + params.arbitrationFeePerSeat * BigInt(params.firstRoundSeats);
}

/** Approve (when needed) the bond and fee, then challenge `listingId` with `evidenceURI`. */
export async function populateChallengeListingSteps(
  ctx: ChainContext,
  account: Address,
  params: CourtParameters,
  listingId: bigint,
  bond: bigint,
  evidenceURI: string,
): Promise<TxRequest[]> {
  const court = addressOf(ctx, "Court");
  const cost = challengeCost(params, bond);
  return [
    ...(await approvalSteps(ctx, account, court, cost, "court")),
    {
      to: court,
      data: encodeFunctionData({
        abi: courtAbi,
        functionName: "challengeListing",
        args: [listingId, bond, evidenceURI],
      }),
      description: `Challenge listing #${listingId} with a ${formatCur(bond)} bond`,
    },
  ];
}

export function populateSubmitEvidenceTx(ctx: ChainContext, disputeId: bigint, evidenceURI: string): TxRequest {
  return {
    to: addressOf(ctx, "Court"),
    data: encodeFunctionData({ abi: courtAbi, functionName: "submitEvidence", args: [disputeId, evidenceURI] }),
    description: `Submit evidence to dispute #${disputeId}`,
  };
}
