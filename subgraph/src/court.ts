// Mapping of Court events: disputes with their rounds, draws, votes (commit, reveal, settlement) and rulings, jurors'
// rewards and penalties, and the court's settings. Jurors' stakes are the JurorPool's (juror-pool.ts); what a dispute
// is about (listing, bond, evidence, the split of the loser's stake) is its arbitrable's (challenges.ts).
import { BigInt, ethereum } from "@graphprotocol/graph-ts";
import {
  AppealFunded,
  ArbitrableSet,
  CourtParametersSet,
  DaoAppealRefunded,
  DaoReviewOpened,
  DisputeCreated,
  DrawExpired,
  DrawRewarded,
  DrawRewardsClaimed,
  JurorDrawn,
  JurorSettled,
  RandomnessSourceSet,
  RoundCreated,
  RoundDrawn,
  RoundRewardsSet,
  RulingExecuted,
  RulingNotApplied,
  TreasuryCredited,
  TreasurySwept,
  Upgraded,
  VoteCommitted,
  VoteRevealed,
  StrayTokensSwept,
} from "../generated/Court/Court";
import { JurorVote, JurorVoteRecord } from "../generated/schema";
import {
  eventId,
  loadOrCreateDailyStat,
  loadOrCreateDispute,
  loadOrCreateDisputeRound,
  loadOrCreateJuror,
  loadOrCreateJurorVote,
  loadOrCreateProtocol,
  recordParameterChange,
  recordParameterTupleChange,
  recordUpgrade,
  ZERO,
  recordStrayTokensSwept,
} from "./helpers";

const COURT = "Court";

/** A ruling or choice (1: challenger, 2: defendant) as a Ruling enum value; null for anything else. */
function rulingName(value: i32): string | null {
  if (value == 1) return "Challenger";
  if (value == 2) return "Defendant";
  return null;
}

function recordVote(event: ethereum.Event, kind: string, vote: JurorVote): JurorVoteRecord {
  const record = new JurorVoteRecord(eventId(event));
  record.kind = kind;
  record.vote = vote.id;
  record.juror = vote.juror;
  record.seats = vote.seats;
  record.commitment = null;
  record.choice = null;
  record.unset("coherent");
  record.reward = ZERO;
  record.penalty = ZERO;
  record.timestamp = event.block.timestamp;
  record.transaction = event.transaction.hash;
  return record;
}

// ------------------------------------------------------------------ disputes

export function handleDisputeCreated(event: DisputeCreated): void {
  const p = event.params;
  const dispute = loadOrCreateDispute(p.disputeId, event);
  dispute.arbitrable = p.arbitrable;
  dispute.subjectId = p.subjectId;
  dispute.challenger = p.challenger;
  dispute.defendant = p.defendant;
  dispute.fee = p.fee;
  dispute.createdAt = event.block.timestamp;
  dispute.createdTransaction = event.transaction.hash;
  dispute.save();
  const protocol = loadOrCreateProtocol();
  protocol.disputeCount += 1;
  protocol.save();
  const stat = loadOrCreateDailyStat(event.block);
  stat.disputesCreated += 1;
  stat.save();
}

export function handleRoundCreated(event: RoundCreated): void {
  const p = event.params;
  const round = loadOrCreateDisputeRound(p.disputeId, p.round);
  round.seats = p.seats.toI32();
  round.seatStake = p.seatStake;
  round.penaltyPerSeat = p.penaltyPerSeat;
  round.fees = p.fees;
  round.randomness = p.randomness;
  round.randomnessRequest = p.randomnessRequest;
  round.drawDeadline = p.drawDeadline;
  round.save();
  const dispute = loadOrCreateDispute(p.disputeId, event);
  dispute.roundCount = p.round.toI32() + 1;
  dispute.period = "Drawing";
  dispute.save();
}

export function handleJurorDrawn(event: JurorDrawn): void {
  const p = event.params;
  const round = loadOrCreateDisputeRound(p.disputeId, p.round);
  round.drawn += 1;
  round.save();
  // The seat's stake was locked by the JurorPool (StakeLocked, just before this event), where the juror staked.
  const vote = loadOrCreateJurorVote(p.disputeId, p.round, p.juror);
  vote.seats = p.seats.toI32();
  vote.save();
}

export function handleDrawRewarded(event: DrawRewarded): void {
  const p = event.params;
  // The Court took the reward out of the round's fees and the dispute's escrow and credited it to the keeper, who
  // claims it later (DrawRewardsClaimed; the JurorPool pays it, ManagerPaid).
  const round = loadOrCreateDisputeRound(p.disputeId, p.round);
  round.fees = round.fees.minus(p.reward);
  round.drawRewards = round.drawRewards.plus(p.reward);
  round.save();
  const protocol = loadOrCreateProtocol();
  protocol.courtDrawRewardsOwed = protocol.courtDrawRewardsOwed.plus(p.reward);
  protocol.save();
}

export function handleDrawRewardsClaimed(event: DrawRewardsClaimed): void {
  const protocol = loadOrCreateProtocol();
  protocol.courtDrawRewardsOwed = protocol.courtDrawRewardsOwed.minus(event.params.amount);
  protocol.save();
}

export function handleDrawExpired(event: DrawExpired): void {
  const p = event.params;
  const round = loadOrCreateDisputeRound(p.disputeId, p.round);
  round.drawExpired = true;
  round.save();
  if (p.drawn.isZero()) {
    // Nobody could be drawn: the DAO rules (voting never starts, so no RoundDrawn follows).
    const dispute = loadOrCreateDispute(p.disputeId, event);
    dispute.period = "DaoReview";
    dispute.save();
  } else {
    // The round goes on with the seats it has; RoundDrawn follows in the same transaction.
    round.seats = p.drawn.toI32();
    round.save();
  }
}

export function handleRoundDrawn(event: RoundDrawn): void {
  const p = event.params;
  const round = loadOrCreateDisputeRound(p.disputeId, p.round);
  round.commitEnd = p.commitEnd;
  round.revealEnd = p.revealEnd;
  round.appealEnd = p.appealEnd;
  round.save();
  const dispute = loadOrCreateDispute(p.disputeId, event);
  dispute.period = "Commit";
  dispute.save();
}

export function handleDaoReviewOpened(event: DaoReviewOpened): void {
  const dispute = loadOrCreateDispute(event.params.disputeId, event);
  dispute.period = "DaoReview";
  dispute.daoDeadline = event.params.deadline;
  dispute.save();
}

export function handleDaoAppealRefunded(event: DaoAppealRefunded): void {
  // The DAO let its deadline pass; RulingExecuted (byDao false) follows in the same transaction.
  const dispute = loadOrCreateDispute(event.params.disputeId, event);
  dispute.daoAppealRefund = event.params.amount;
  dispute.save();
}

export function handleVoteCommitted(event: VoteCommitted): void {
  const p = event.params;
  const round = loadOrCreateDisputeRound(p.disputeId, p.round);
  round.committedJurors += 1;
  round.save();
  const vote = loadOrCreateJurorVote(p.disputeId, p.round, p.juror);
  vote.commitment = p.commitment;
  vote.save();
  const record = recordVote(event, "Committed", vote);
  record.commitment = p.commitment;
  record.save();
}

export function handleVoteRevealed(event: VoteRevealed): void {
  const p = event.params;
  const round = loadOrCreateDisputeRound(p.disputeId, p.round);
  round.challengerVotes = p.challengerVotes.toI32();
  round.defendantVotes = p.defendantVotes.toI32();
  round.save();
  const vote = loadOrCreateJurorVote(p.disputeId, p.round, p.juror);
  vote.choice = rulingName(p.choice);
  vote.save();
  const record = recordVote(event, "Revealed", vote);
  record.choice = vote.choice;
  record.save();
}

export function handleAppealFunded(event: AppealFunded): void {
  const p = event.params;
  // `round` is the round the appeal opens; the appealed one is the round before.
  const appealed = loadOrCreateDisputeRound(p.disputeId, p.round.minus(BigInt.fromI32(1)));
  appealed.appellant = p.appellant;
  appealed.save();
  if (p.toDao) {
    const dispute = loadOrCreateDispute(p.disputeId, event);
    dispute.period = "DaoReview";
    dispute.save();
  }
}

export function handleRoundRewardsSet(event: RoundRewardsSet): void {
  const p = event.params;
  const round = loadOrCreateDisputeRound(p.disputeId, p.round);
  round.coherentSeats = p.coherentSeats.toI32();
  round.rewardPool = p.rewardPool;
  round.save();
}

export function handleRulingExecuted(event: RulingExecuted): void {
  const p = event.params;
  const dispute = loadOrCreateDispute(p.disputeId, event);
  dispute.period = "Executed";
  dispute.ruling = rulingName(p.ruling);
  dispute.byDao = p.byDao;
  dispute.jurorReward = p.jurorReward;
  // With what no coherent seat earned, the arbitrable's treasury share of the loser's stake (ChallengeResolved's
  // toTreasury), which the court pulled with the jurors' share.
  dispute.toTreasury = dispute.toTreasury.plus(p.toTreasury);
  if (p.toTreasury.gt(ZERO)) {
    // The court set it aside for the treasury (swept later: TreasurySwept).
    const protocol = loadOrCreateProtocol();
    protocol.courtTreasuryOwed = protocol.courtTreasuryOwed.plus(p.toTreasury);
    protocol.save();
  }
  dispute.executedAt = event.block.timestamp;
  dispute.save();
  const stat = loadOrCreateDailyStat(event.block);
  stat.disputesExecuted += 1;
  stat.save();
}

export function handleJurorSettled(event: JurorSettled): void {
  const p = event.params;
  const vote = loadOrCreateJurorVote(p.disputeId, p.round, p.juror);
  vote.settled = true;
  vote.coherent = p.coherent;
  vote.reward = p.reward;
  vote.penalty = p.penalty;
  vote.save();
  // The unlock and the slash are the JurorPool's (StakeReleased, just before this event).
  const juror = loadOrCreateJuror(p.juror);
  juror.rewards = juror.rewards.plus(p.reward);
  juror.penalties = juror.penalties.plus(p.penalty);
  juror.save();
  const record = recordVote(event, "Settled", vote);
  record.coherent = p.coherent;
  record.reward = p.reward;
  record.penalty = p.penalty;
  record.save();
}

// ------------------------------------------------------------------ governed settings

/** ICourt.CourtParameters' fields, in order. */
const PARAMETER_NAMES: Array<string> = [
  "seatStake",
  "arbitrationFeePerSeat",
  "appealFeePerSeat",
  "commitPeriod",
  "revealPeriod",
  "appealPeriod",
  "firstRoundSeats",
  "maxJurorRounds",
  "penaltyBps",
  "drawPeriod",
  "drawRewardBps",
  "daoReviewPeriod",
];

export function handleCourtParametersSet(event: CourtParametersSet): void {
  const p = event.params;
  recordParameterTupleChange(event, COURT, "CourtParameters", PARAMETER_NAMES, p.oldParameters, p.newParameters);
}

export function handleRandomnessSourceSet(event: RandomnessSourceSet): void {
  const p = event.params;
  const oldValue = p.oldSource.toHexString();
  recordParameterChange(event, COURT, "RandomnessSource", null, oldValue, p.newSource.toHexString());
}

export function handleArbitrableSet(event: ArbitrableSet): void {
  const p = event.params;
  const key = p.arbitrable.toHexString();
  const oldValue = p.oldAllowed ? "true" : "false";
  recordParameterChange(event, COURT, "Arbitrable", key, oldValue, p.newAllowed ? "true" : "false");
}

export function handleRulingNotApplied(event: RulingNotApplied): void {
  const dispute = loadOrCreateDispute(event.params.disputeId, event);
  dispute.rulingApplied = false;
  dispute.save();
}

export function handleTreasuryCredited(event: TreasuryCredited): void {
  const protocol = loadOrCreateProtocol();
  protocol.courtTreasuryOwed = event.params.owed;
  protocol.save();
}

export function handleTreasurySwept(event: TreasurySwept): void {
  const protocol = loadOrCreateProtocol();
  protocol.courtTreasuryOwed = ZERO;
  protocol.save();
}

export function handleUpgraded(event: Upgraded): void {
  recordUpgrade(event, COURT, event.params.implementation);
}

export function handleStrayTokensSwept(event: StrayTokensSwept): void {
  const p = event.params;
  recordStrayTokensSwept(event, COURT, p.token, p.treasury, p.amount);
}
