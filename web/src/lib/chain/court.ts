// Court: listing challenges with evidence, juror stakes, commit/reveal votes, appeals, rulings and settlements.
// Periods, rulings, costs and the vote commitment are the protocol package's (@curia/protocol): one copy for every
// program, tested against the live Court.
import { encodeFunctionData, type Address, type Hex } from "viem";
import { Ruling, arbitrationCost, courtAbi, type RulingValue } from "@curia/protocol";
import { addressOf, type ChainContext, type TxRequest } from "./context";
import { approvalSteps } from "./token";
import { formatCur } from "../format";

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
  return bond + arbitrationCost(params);
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

// ------------------------------------------------------------------ jurors, votes, appeals (the Court screens)

export interface JurorPosition {
  staked: bigint;
  thawing: bigint;
  locked: bigint;
  thawEnd: number;
}

export interface DisputeOnChain {
  challenger: Address;
  defendant: Address;
  rounds: number;
  toDao: boolean;
  executed: boolean;
  ruling: number;
  subjectId: bigint;
  challengerBond: bigint;
}

export interface RoundOnChain {
  seats: number;
  drawn: number;
  committed: number;
  challengerVotes: number;
  defendantVotes: number;
  commitEnd: number;
  revealEnd: number;
  appealEnd: number;
  seatStake: bigint;
  penaltyPerSeat: bigint;
  fees: bigint;
}

export interface VoteOnChain {
  seats: number;
  choice: number;
  revealed: boolean;
  settled: boolean;
  commitment: Hex;
}

export const ZERO_HASH: Hex = `0x${"0".repeat(64)}`;

export async function readJuror(ctx: ChainContext, juror: Address): Promise<JurorPosition> {
  const j = await ctx.client.readContract({
    address: addressOf(ctx, "Court"),
    abi: courtAbi,
    functionName: "jurorOf",
    args: [juror],
  });
  return { staked: j.staked, thawing: j.thawing, locked: j.locked, thawEnd: Number(j.thawEnd) };
}

export async function readDispute(ctx: ChainContext, disputeId: bigint): Promise<DisputeOnChain> {
  const d = await ctx.client.readContract({
    address: addressOf(ctx, "Court"),
    abi: courtAbi,
    functionName: "getDispute",
    args: [disputeId],
  });
  return {
    challenger: d.challenger,
    defendant: d.defendant,
    rounds: d.rounds,
    toDao: d.toDao,
    executed: d.executed,
    ruling: d.ruling,
    subjectId: d.subjectId,
    challengerBond: d.challengerBond,
  };
}

export async function readRound(ctx: ChainContext, disputeId: bigint, round: bigint): Promise<RoundOnChain> {
  const r = await ctx.client.readContract({
    address: addressOf(ctx, "Court"),
    abi: courtAbi,
    functionName: "getRound",
    args: [disputeId, round],
  });
  return {
    seats: r.seats,
    drawn: r.drawn,
    committed: r.committed,
    challengerVotes: r.challengerVotes,
    defendantVotes: r.defendantVotes,
    commitEnd: Number(r.commitEnd),
    revealEnd: Number(r.revealEnd),
    appealEnd: Number(r.appealEnd),
    seatStake: r.seatStake,
    penaltyPerSeat: r.penaltyPerSeat,
    fees: r.fees,
  };
}

export async function readVote(
  ctx: ChainContext,
  disputeId: bigint,
  round: bigint,
  juror: Address,
): Promise<VoteOnChain> {
  const v = await ctx.client.readContract({
    address: addressOf(ctx, "Court"),
    abi: courtAbi,
    functionName: "voteOf",
    args: [disputeId, round, juror],
  });
  return { seats: v.seats, choice: v.choice, revealed: v.revealed, settled: v.settled, commitment: v.commitment };
}

/** The ruling the dispute would execute with now (1 challenger, 2 defendant). */
export function readCurrentRuling(ctx: ChainContext, disputeId: bigint): Promise<number> {
  return ctx.client.readContract({
    address: addressOf(ctx, "Court"),
    abi: courtAbi,
    functionName: "currentRuling",
    args: [disputeId],
  });
}

/** Approve (when needed), then stake `amount` as a juror. */
export async function populateJurorStakeSteps(
  ctx: ChainContext,
  account: Address,
  amount: bigint,
): Promise<TxRequest[]> {
  const court = addressOf(ctx, "Court");
  return [
    ...(await approvalSteps(ctx, account, court, amount, "court")),
    {
      to: court,
      data: encodeFunctionData({ abi: courtAbi, functionName: "stake", args: [amount] }),
      description: `Stake ${formatCur(amount)} as a juror`,
    },
  ];
}

export function populateJurorRequestUnstakeTx(ctx: ChainContext, amount: bigint): TxRequest {
  return {
    to: addressOf(ctx, "Court"),
    data: encodeFunctionData({ abi: courtAbi, functionName: "requestUnstake", args: [amount] }),
    description: `Start thawing ${formatCur(amount)} of juror stake`,
  };
}

export function populateJurorWithdrawTx(ctx: ChainContext): TxRequest {
  return {
    to: addressOf(ctx, "Court"),
    data: encodeFunctionData({ abi: courtAbi, functionName: "withdraw" }),
    description: "Withdraw thawed juror stake",
  };
}

export function populateDrawTx(ctx: ChainContext, disputeId: bigint, iterations = 64n): TxRequest {
  return {
    to: addressOf(ctx, "Court"),
    data: encodeFunctionData({ abi: courtAbi, functionName: "draw", args: [disputeId, iterations] }),
    description: `Draw jurors for dispute #${disputeId}`,
  };
}

export function populateCommitTx(ctx: ChainContext, disputeId: bigint, commitment: Hex): TxRequest {
  return {
    to: addressOf(ctx, "Court"),
    data: encodeFunctionData({ abi: courtAbi, functionName: "commit", args: [disputeId, commitment] }),
    description: `Commit your vote on dispute #${disputeId}`,
  };
}

export function populateRevealTx(ctx: ChainContext, disputeId: bigint, choice: RulingValue, salt: Hex): TxRequest {
  return {
    to: addressOf(ctx, "Court"),
    data: encodeFunctionData({ abi: courtAbi, functionName: "reveal", args: [disputeId, choice, salt] }),
    description: `Reveal your vote on dispute #${disputeId} (${choice === Ruling.Challenger ? "challenger" : "defendant"} wins)`,
  };
}

/** Approve (when needed) the appeal fee, then appeal the current round of `disputeId`. */
export async function populateAppealSteps(
  ctx: ChainContext,
  account: Address,
  disputeId: bigint,
  fee: bigint,
): Promise<TxRequest[]> {
  const court = addressOf(ctx, "Court");
  return [
    ...(await approvalSteps(ctx, account, court, fee, "court")),
    {
      to: court,
      data: encodeFunctionData({ abi: courtAbi, functionName: "appeal", args: [disputeId] }),
      description: `Appeal dispute #${disputeId} for ${formatCur(fee)}`,
    },
  ];
}

export function populateExecuteRulingTx(ctx: ChainContext, disputeId: bigint): TxRequest {
  return {
    to: addressOf(ctx, "Court"),
    data: encodeFunctionData({ abi: courtAbi, functionName: "executeRuling", args: [disputeId] }),
    description: `Execute the ruling of dispute #${disputeId}`,
  };
}

export function populateSettleTx(ctx: ChainContext, disputeId: bigint, round: bigint, juror: Address): TxRequest {
  return {
    to: addressOf(ctx, "Court"),
    data: encodeFunctionData({ abi: courtAbi, functionName: "settle", args: [disputeId, round, juror] }),
    description: `Settle the round ${round + 1n} vote of ${juror.slice(0, 6)}…${juror.slice(-4)} on dispute #${disputeId}`,
  };
}
