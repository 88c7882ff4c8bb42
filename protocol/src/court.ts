// The Court's rules as pure functions of what it stores (getDispute, getRound, parameters) and the chain's time: a
// program that holds those knows the period and the costs without another call, and agrees with the contract to the
// second. Each is tested against the live contract (test/court.test.ts).
import type { PeriodName } from "./generated/enums.js";

/** A uint from viem (number for ≤ 48 bits), ethers (bigint), or the subgraph (a decimal string). */
export type Uint = number | bigint | string;

/** A juror's choice, and a ruling: the challenger wins (the listing is delisted) or the defendant wins (it stays). */
export const Ruling = { Challenger: 1, Defendant: 2 } as const;
export type RulingValue = (typeof Ruling)[keyof typeof Ruling];

export function isRuling(value: unknown): value is RulingValue {
  return value === Ruling.Challenger || value === Ruling.Defendant;
}

/** What the period depends on in ICourt.DisputeRecord. */
export interface DisputeProgress {
  /** Rounds opened so far (0: no such dispute). */
  rounds: Uint;
  toDao: boolean;
  executed: boolean;
  /** When the DAO's review ends (0 when the dispute never went to the DAO); past it the last juror ruling stands. */
  daoDeadline: Uint;
}

/** What the period depends on in the dispute's latest ICourt.Round. */
export interface CourtRoundProgress {
  seats: Uint;
  drawn: Uint;
  commitEnd: Uint;
  revealEnd: Uint;
  appealEnd: Uint;
}

/**
 * Court.periodOf at chain time `now`: None (no dispute), Executed, DaoReview until `daoDeadline` then Executable,
 * Drawing (seats left to draw in the latest round), then Commit until `commitEnd`, Reveal until `revealEnd`, Appeal
 * until `appealEnd`, Executable.
 * Each deadline is the first second of the next period. `round` is the dispute's latest round.
 */
export function disputePeriod(dispute: DisputeProgress, round: CourtRoundProgress | undefined, now: Uint): PeriodName {
  if (BigInt(dispute.rounds) === 0n) return "None";
  if (dispute.executed) return "Executed";
  if (dispute.toDao) return BigInt(now) < BigInt(dispute.daoDeadline) ? "DaoReview" : "Executable";
  if (round === undefined) throw new TypeError("disputePeriod needs the dispute's latest round");
  if (BigInt(round.drawn) < BigInt(round.seats)) return "Drawing";
  const t = BigInt(now);
  if (t < BigInt(round.commitEnd)) return "Commit";
  if (t < BigInt(round.revealEnd)) return "Reveal";
  if (t < BigInt(round.appealEnd)) return "Appeal";
  return "Executable";
}

/** The ruling of a round (Court.currentRuling before execution): the majority of revealed seats; a tie (no reveal
 * included) rules for the defendant, who needs no proof. */
export function roundRuling(round: { challengerVotes: Uint; defendantVotes: Uint }): RulingValue {
  return BigInt(round.challengerVotes) > BigInt(round.defendantVotes) ? Ruling.Challenger : Ruling.Defendant;
}

/** The Court's fee figures (ICourt.CourtParameters). */
export interface CourtFees {
  arbitrationFeePerSeat: bigint;
  appealFeePerSeat: bigint;
  firstRoundSeats: Uint;
  maxJurorRounds: Uint;
}

/** What opening a dispute costs on top of the bond: the fee per seat of the first round. */
export function arbitrationCost(params: Pick<CourtFees, "arbitrationFeePerSeat" | "firstRoundSeats">): bigint {
  return params.arbitrationFeePerSeat * BigInt(params.firstRoundSeats);
}

/** Seats of the round that an appeal of a `seats`-seat round opens: 2n + 1. */
export function appealSeats(seats: Uint): number {
  return Number(BigInt(seats) * 2n + 1n);
}

/** What appealing a `seats`-seat round costs: the appeal fee per seat of the next round (also when the DAO rules
 * next: the seats of the round it replaces). */
export function appealCost(params: Pick<CourtFees, "appealFeePerSeat">, seats: Uint): bigint {
  return params.appealFeePerSeat * BigInt(appealSeats(seats));
}

/** Whether an appeal after `rounds` juror rounds goes to the DAO rather than to a new juror round. */
export function appealGoesToDao(params: Pick<CourtFees, "maxJurorRounds">, rounds: Uint): boolean {
  return BigInt(rounds) >= BigInt(params.maxJurorRounds);
}

/** The Court's deadlines (ICourt.CourtParameters), in seconds. */
export interface CourtDeadlines {
  drawPeriod: Uint;
  commitPeriod: Uint;
  revealPeriod: Uint;
  appealPeriod: Uint;
  maxJurorRounds: Uint;
  daoReviewPeriod: Uint;
}

/**
 * The longest a dispute can take from its creation to an executable ruling, in seconds, under parameters that do not
 * change meanwhile: each juror round is drawn by its draw deadline (or goes on with the seats it has, or to the DAO),
 * then commit, reveal and appeal run their course; the last appeal goes to the DAO, whose review has its own deadline.
 */
export function maxDisputeDuration(p: CourtDeadlines): bigint {
  const round = BigInt(p.drawPeriod) + BigInt(p.commitPeriod) + BigInt(p.revealPeriod) + BigInt(p.appealPeriod);
  return BigInt(p.maxJurorRounds) * round + BigInt(p.daoReviewPeriod);
}
