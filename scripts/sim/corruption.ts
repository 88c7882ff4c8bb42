// The cost of corrupting one dispute against its gain, from the governed parameters (so that the DAO can compute it
// for a proposal before voting) and the figures the run observed (margins, honest juror stake).
//
// The dispute: a cheating listing (true quality below the minimum) faces an automatic challenge from the validators'
// pool, or a human challenger. Its provider bribes jurors to keep it. See README.md, "Cost of corruption", for the
// reasoning; in short:
//   - gain = what the provider keeps by flipping the ruling: its bond, the winner's share of the challenger's bond,
//     and one more epoch of sales (the next validation round challenges it again);
//   - bribe route: in every round the briber must win, a majority of the seats, each paid what an honest vote would
//     have earned plus the penalty the juror risks (what a juror who expects the others to vote honestly gives up);
//   - stake route: own as much drawable juror stake as the honest jurors (a coin flip per round, at best);
//   - appeals: the loser of a juror round appeals when it can and it pays; after the last juror round the DAO rules,
//     and a briber must then control the vote: at least the governor's quorum in delegated CUR.
import { formatEther } from "ethers";
import type { SimParameters } from "./config.js";

export interface CorruptionInput {
  parameters: SimParameters;
  /** The governor's quorum (votes) at the time of the run. */
  daoQuorum: bigint;
  /** Drawable stake of the jurors who vote honestly, in CUR. */
  honestJurorStake: number;
  /** The cheating provider's sales margin per epoch while it sells. */
  cheaterMarginPerEpoch: number;
  /** Whether the challenger of an automatic dispute can appeal (ValidationManager.appealDispute). */
  poolCanAppeal: boolean;
}

export interface RoundCost {
  round: number;
  seats: number;
  majority: number;
  rewardPerSeat: number;
  penaltyPerSeat: number;
  bribe: number;
}

export interface CorruptionCase {
  case: "automatic" | "human" | "automatic, no pool appeal";
  /** A what-if (the mechanism before ValidationManager.appealDispute): reported, not checked. */
  counterfactual: boolean;
  gain: number;
  /** Juror rounds the briber must win before the honest party stops appealing or the DAO takes the case. */
  rounds: RoundCost[];
  jurorBribes: number;
  stakeRoute: number;
  /** Whether the honest loser takes the case to the DAO after the last juror round. */
  reachesDao: boolean;
  daoCost: number;
  /** The cheapest way to flip the ruling, appeals included. */
  cost: number;
  ratio: number;
  /** The cost if the DAO never had to rule (juror rounds only): shows how much the last resort carries. */
  jurorStageRatio: number;
}

function cur(wei: bigint): number {
  return Number(formatEther(wei));
}

export function corruptionCases(input: CorruptionInput): CorruptionCase[] {
  const automatic = costOf(input, "automatic");
  // A run that plays the pool without its appeal (old rule pool-cannot-appeal) prices that what-if: reported only.
  if (!input.poolCanAppeal) automatic.counterfactual = true;
  const cases = [automatic, costOf(input, "human")];
  if (input.poolCanAppeal) {
    cases.push({ ...costOf({ ...input, poolCanAppeal: false }, "automatic"), case: "automatic, no pool appeal" });
    const last = cases[cases.length - 1];
    if (last !== undefined) last.counterfactual = true;
  }
  return cases;
}

function costOf(input: CorruptionInput, kind: "automatic" | "human"): CorruptionCase {
  const { court, challenges, market } = input.parameters;
  const challengeBond = cur(challenges.minChallengeBond);
  const providerBond = cur(market.minBond);
  const winnerShare = challenges.winnerShareBps / 10_000;
  const jurorShare = challenges.jurorShareBps / 10_000;
  const penalty = (cur(court.seatStake) * court.penaltyBps) / 10_000;
  // What the winner and the jurors share is the loser's own bond: the curators' slash goes to the treasury.
  const loserStake = providerBond;
  const gain = providerBond + winnerShare * challengeBond + Math.max(0, input.cheaterMarginPerEpoch);

  // Would the honest challenger appeal a lost round? The pool does when the mechanism lets it; a human challenger
  // does when winning in the end returns more than the fee.
  const recovery = challengeBond + winnerShare * loserStake;
  const rounds: RoundCost[] = [];
  let seats = court.firstRoundSeats;
  let reachesDao = false;
  for (let r = 0; r < court.maxJurorRounds; r++) {
    const feePerSeat = cur(r === 0 ? court.arbitrationFeePerSeat : court.appealFeePerSeat);
    const canAppeal = kind === "automatic" ? input.poolCanAppeal : true;
    const nextFee = cur(court.appealFeePerSeat) * (2 * seats + 1);
    const appeals = canAppeal && nextFee < recovery;
    const last = !appeals || r === court.maxJurorRounds - 1;
    // An honest vote in this round earns the round's fees, and in the last juror round the jurors' share.
    const reward = feePerSeat + (last ? (jurorShare * loserStake) / seats : 0);
    const majority = Math.floor(seats / 2) + 1;
    rounds.push({
      round: r,
      seats,
      majority,
      rewardPerSeat: reward,
      penaltyPerSeat: penalty,
      bribe: majority * (reward + penalty),
    });
    if (!appeals) break;
    if (r === court.maxJurorRounds - 1) reachesDao = true;
    seats = 2 * seats + 1;
  }
  const jurorBribes = rounds.reduce((s, r) => s + r.bribe, 0);
  // Owning as much drawable stake as the honest jurors gives even odds per round: the least stake worth trying with.
  const stakeRoute = input.honestJurorStake;
  const daoCost = reachesDao ? cur(input.daoQuorum) : 0;
  const cost = Math.min(jurorBribes, stakeRoute) + daoCost;
  return {
    case: kind,
    counterfactual: false,
    gain,
    rounds,
    jurorBribes,
    stakeRoute,
    reachesDao,
    daoCost,
    cost,
    ratio: cost / gain,
    jurorStageRatio: Math.min(jurorBribes, stakeRoute) / gain,
  };
}

/**
 * What a juror who flips a coin expects per seat, against jurors who vote the truth: coherent half the time (the
 * best-paid round's fee per seat plus its part of the jurors' share of the loser's stake), penalised the other half.
 */
export function randomJurorEdge(input: CorruptionInput): { rewardPerSeat: number; penaltyPerSeat: number; ev: number } {
  const { court, challenges, market } = input.parameters;
  const loserStake = cur(market.minBond); // the loser's own bond: the curators' slash goes to the treasury
  const share = (loserStake * challenges.jurorShareBps) / 10_000;
  const first = cur(court.arbitrationFeePerSeat) + share / court.firstRoundSeats;
  const appeal = court.maxJurorRounds > 1 ? cur(court.appealFeePerSeat) + share / (2 * court.firstRoundSeats + 1) : 0;
  const rewardPerSeat = Math.max(first, appeal);
  const penaltyPerSeat = (cur(court.seatStake) * court.penaltyBps) / 10_000;
  return { rewardPerSeat, penaltyPerSeat, ev: (rewardPerSeat - penaltyPerSeat) / 2 };
}
