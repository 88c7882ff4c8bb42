// Court: a generic arbitrator. Disputes (opened by an arbitrable such as ListingChallenges), rounds drawn from the
// jurors' pool, commit/reveal votes, appeals paid to the Court, rulings and settlements. Jurors' stakes live in the
// jurors' pool (stake-pool.ts), challenges and evidence in ListingChallenges (challenges.ts). Periods, rulings and the
// vote commitment are the protocol package's (@curia/protocol): one copy for every program, tested against the live
// Court; the costs come from the Court's own views.
import { encodeFunctionData, type Address, type Hex } from "viem";
import { Ruling, courtAbi, type RulingValue } from "@curia/protocol";
import { addressOf, type ChainContext, type TxRequest } from "./context";
import { approvalSteps } from "./token";
import { formatCur } from "../format";

/** ICourt.CourtParameters (a juror's minimum stake and thawing period are the jurors' pool's). */
export interface CourtParameters {
  /** Stake at risk of one seat, locked in the jurors' pool while the seat is held. */
  seatStake: bigint;
  arbitrationFeePerSeat: bigint;
  appealFeePerSeat: bigint;
  commitPeriod: number;
  revealPeriod: number;
  appealPeriod: number;
  firstRoundSeats: number;
  maxJurorRounds: number;
  /** Share of a seat's stake at risk lost by an incoherent or absent juror. */
  penaltyBps: number;
  /** Seconds a round's draw stays open; past it the round goes on with the seats drawn, or with none to the DAO. */
  drawPeriod: number;
  /** Share of a round's fees paid to whoever draws its seats, pro rata to the seats drawn. */
  drawRewardBps: number;
}

export async function readCourtParameters(ctx: ChainContext): Promise<CourtParameters> {
  const p = await ctx.client.readContract({
    address: addressOf(ctx, "Court"),
    abi: courtAbi,
    functionName: "parameters",
  });
  return { ...p };
}

/** What opening a dispute costs now (the first round's seats × the arbitration fee per seat). */
export function readArbitrationCost(ctx: ChainContext): Promise<bigint> {
  return ctx.client.readContract({ address: addressOf(ctx, "Court"), abi: courtAbi, functionName: "arbitrationCost" });
}

/** What appealing `disputeId`'s current round costs now: (2n + 1) × the appeal fee per seat. */
export function readAppealCost(ctx: ChainContext, disputeId: bigint): Promise<bigint> {
  return ctx.client.readContract({
    address: addressOf(ctx, "Court"),
    abi: courtAbi,
    functionName: "appealCost",
    args: [disputeId],
  });
}

/** What the Court has set aside for the treasury (fees and penalties no coherent seat earned) and not sent yet. */
export async function readCourtTreasuryOwed(ctx: ChainContext): Promise<bigint> {
  const [, , , treasury] = await ctx.client.readContract({
    address: addressOf(ctx, "Court"),
    abi: courtAbi,
    functionName: "totalOwed",
  });
  return treasury;
}

/** Sends the treasury what the Court set aside for it (anyone may). */
export function populateSweepTreasuryTx(ctx: ChainContext, amount: bigint): TxRequest {
  return {
    to: addressOf(ctx, "Court"),
    data: encodeFunctionData({ abi: courtAbi, functionName: "sweepTreasury" }),
    description: `Send the ${formatCur(amount)} the Court set aside to the treasury`,
  };
}

// ------------------------------------------------------------------ jurors, votes, appeals (the Court screens)

export interface DisputeOnChain {
  challenger: Address;
  defendant: Address;
  rounds: number;
  toDao: boolean;
  executed: boolean;
  /** When the DAO's review ends (seconds; 0 when the dispute never went to the DAO). */
  daoDeadline: number;
  ruling: number;
  /** The contract that opened the dispute and receives the ruling (ListingChallenges for a listing challenge). */
  arbitrable: Address;
  createdAt: number;
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
  /** The round's fees, less the draw rewards paid so far. */
  fees: bigint;
  /** When the draw closes (seconds). */
  drawDeadline: number;
}

export interface VoteOnChain {
  seats: number;
  choice: number;
  revealed: boolean;
  settled: boolean;
  commitment: Hex;
}

export const ZERO_HASH: Hex = `0x${"0".repeat(64)}`;

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
    daoDeadline: Number(d.daoDeadline),
    ruling: d.ruling,
    arbitrable: d.arbitrable,
    createdAt: Number(d.createdAt),
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
    drawDeadline: Number(r.drawDeadline),
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

/** Approve the Court (when needed) for the appeal fee (`appealCost`), then appeal the current round of `disputeId`. */
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
