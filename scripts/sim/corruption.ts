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
import type { DaoPopulation, SimParameters } from "./config.js";

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

// ---------------------------------------------------------------------------------------------------- DAO capture
//
// Issue 18: the DAO can upgrade everything, so the yardstick of corrupting it is not one dispute's gain but everything
// it secures (UMA's profit-from-corruption against cost-of-corruption). Votes are checkpointed at the proposal's
// snapshot, so they can be borrowed across it and returned; they are public and never slashed. The holders are a
// population (config.dao): a share of the votable supply turns out, a share of the voters sells its vote, and a share
// of the supply can be borrowed at an annual rate for `borrowSeconds`.

export interface DaoCaptureInput {
  dao: DaoPopulation;
  /** Every token outside the treasury (the timelock's tokens do not vote). */
  votableSupply: number;
  /** The governor's quorum, in votes. */
  quorum: number;
  /** What the DAO secures, CUR by holder, and the seconds each holder's money needs to leave (0: never). */
  secured: Record<string, number>;
  exitSeconds: Record<string, number>;
  /** Seconds from a proposal to its execution (voting delay + voting period + timelock delay). */
  proposalToExecution: number;
}

export interface DaoCapture {
  turnout: number;
  bribable: number;
  borrowable: number;
  /** Borrowed and bribed votes of the cheapest winning mix (NaN when none wins). */
  borrowed: number;
  bribed: number;
  feasible: boolean;
  /** The cheapest winning mix's cost (Infinity when the borrowable and bribable votes cannot win). */
  cost: number;
  /** What an attacker that tries anyway spends: every borrowable vote borrowed, every bribable voter paid. */
  attemptCost: number;
  /** Everything the DAO secures, and what of it cannot leave between the proposal and its execution. */
  securedTotal: number;
  capturable: number;
  /** cost / securedTotal (Infinity when infeasible). */
  ratio: number;
  /** The borrowable share of the votable supply (bps) at which capture becomes feasible (every bribable vote bought). */
  borrowableBpsToCapture: number;
  /** The attacker's result: capturable − cost when it wins, −attemptCost when it cannot. */
  pnl: number;
}

export function daoCapture(input: DaoCaptureInput): DaoCapture {
  const { dao } = input;
  const turnout = (input.votableSupply * dao.turnoutBps) / 10_000;
  const bribable = (turnout * dao.bribableBps) / 10_000;
  const borrowable = (input.votableSupply * dao.borrowableBps) / 10_000;
  // A borrowed vote costs the interest for the time it must be held across the snapshot.
  const perBorrowed = (dao.borrowRateBps / 10_000) * (dao.borrowSeconds / (365 * 86_400));
  const winning = (b: number, x: number) => b + x > turnout - x && b + x >= input.quorum;
  // The attacker needs b + x > turnout − x (a bribed voter leaves the honest side) and b + x ≥ quorum; the cost is
  // linear, so the cheapest mix is at a vertex of that region: try them all.
  const candidates: [number, number][] = [];
  const eps = 1;
  candidates.push([Math.max(turnout + eps, input.quorum), 0]);
  candidates.push([Math.max(turnout - 2 * bribable + eps, input.quorum - bribable, 0), bribable]);
  candidates.push([0, Math.max((turnout + eps) / 2, input.quorum)]);
  candidates.push([borrowable, Math.max((turnout - borrowable + eps) / 2, input.quorum - borrowable, 0)]);
  let best: { b: number; x: number; cost: number } | undefined;
  for (const [b, x] of candidates) {
    if (b > borrowable + 1e-9 || x > bribable + 1e-9 || !winning(b, x + 1e-9)) continue;
    const cost = b * perBorrowed + x * dao.bribePerVote;
    if (best === undefined || cost < best.cost) best = { b, x, cost };
  }
  const securedTotal = Object.values(input.secured).reduce((a, b) => a + b, 0);
  // Money that can leave before a malicious upgrade executes is not capturable: its holders see the proposal.
  const capturable = Object.entries(input.secured)
    .filter(([k]) => {
      const exit = input.exitSeconds[k] ?? 0;
      return exit === 0 || exit > input.proposalToExecution;
    })
    .reduce((a, [, v]) => a + v, 0);
  const attemptCost = borrowable * perBorrowed + bribable * dao.bribePerVote;
  const feasible = best !== undefined;
  const cost = best?.cost ?? Infinity;
  const needed = Math.max(turnout - 2 * bribable + eps, input.quorum - bribable, 0);
  return {
    turnout,
    bribable,
    borrowable,
    borrowed: best?.b ?? NaN,
    bribed: best?.x ?? NaN,
    feasible,
    cost,
    attemptCost,
    securedTotal,
    capturable,
    ratio: securedTotal === 0 ? Infinity : cost / securedTotal,
    borrowableBpsToCapture: input.votableSupply === 0 ? Infinity : (needed / input.votableSupply) * 10_000,
    pnl: feasible ? capturable - cost : -attemptCost,
  };
}
