// The ValidationManager's round phases as a pure function of the stored round (getRound, or the subgraph's record)
// and the chain's time, matching ValidationManager.phaseOf to the second (test/validation.test.ts).
import { enumName, RoundStatusNames, type RoundPhaseName, type RoundStatusName } from "./enums.js";
import type { Uint } from "./court.js";

/** What the phase depends on in IValidationManager.Round. */
export interface ValidationRoundProgress {
  /** The stored status: a RoundStatus value (viem, ethers) or its name (the subgraph's). */
  status: RoundStatusName | number | bigint;
  /** Seats drawn (a validator may hold several); `committed` and `revealed` count seats too. */
  seated: Uint;
  committed: Uint;
  revealed: Uint;
  commitEnd: Uint;
  revealEnd: Uint;
}

/**
 * ValidationManager.phaseOf at chain time `now`. A drawn round (status Voting) is in Commit until `commitEnd`, but
 * moves to Reveal as soon as every seat's holder committed; it is in Reveal until `revealEnd`, but becomes Finalizable as
 * soon as every commitment is revealed: nobody can add information after that.
 */
export function roundPhase(round: ValidationRoundProgress, now: Uint): RoundPhaseName {
  const status = typeof round.status === "string" ? round.status : enumName(RoundStatusNames, round.status);
  if (status !== "Voting") return status;
  const t = BigInt(now);
  const committed = BigInt(round.committed);
  if (t < BigInt(round.commitEnd) && committed < BigInt(round.seated)) return "Commit";
  if (t < BigInt(round.revealEnd) && BigInt(round.revealed) < committed) return "Reveal";
  return "Finalizable";
}

/** What a round's reimbursement of sampled calls depends on (IValidationManager: Round, ValidationParameters). */
export interface ReimbursementTerms {
  /** The listing's price per call fixed when the round opened (Round.pricePerCall). */
  pricePerCall: Uint;
  /** ValidationParameters.reimbursedCalls. */
  reimbursedCalls: Uint;
  /** The validators' reward pool (ValidationManager.totalOwed()[1]) when the round pays. */
  rewardPool: Uint;
  /** ValidationParameters.rewardShareBps. */
  rewardShareBps: Uint;
  /** What the round's requester paid (RoundOpened.feePaid; 0 for a due round): a requested round pays no more. */
  feePaid: Uint;
  /** Honest seats sharing the cap (at most the seats drawn; with every seat honest, the least each one gets). */
  honestSeats: Uint;
}

/**
 * What one honest seat of a round is reimbursed for its sampled calls, as ValidationManager._creditRewards pays it:
 * `reimbursedCalls` at the round's price, cut so that all seats together stay within the round's cap (the pool's
 * `rewardShareBps`, and a requested round's fee). A validator never spends more probing a listing than this pays it
 * back (validator/src/service.ts), so a provider cannot price its calls to make validators pay for its rounds.
 */
export function reimbursementPerSeat(terms: ReimbursementTerms): bigint {
  let cap = (BigInt(terms.rewardPool) * BigInt(terms.rewardShareBps)) / 10_000n;
  const fee = BigInt(terms.feePaid);
  if (fee > 0n && cap > fee) cap = fee;
  const seats = BigInt(terms.honestSeats);
  let perSeat = BigInt(terms.pricePerCall) * BigInt(terms.reimbursedCalls);
  if (seats > 0n && perSeat * seats > cap) perSeat = cap / seats;
  return perSeat;
}

/** How many calls at `pricePerCall` fit in what is left of `budget` after `spent` (all CUR wei). */
export function affordableCalls(budget: bigint, spent: bigint, pricePerCall: bigint): number {
  if (budget <= spent) return 0;
  if (pricePerCall === 0n) return Number.MAX_SAFE_INTEGER;
  const calls = (budget - spent) / pricePerCall;
  return calls > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(calls);
}
