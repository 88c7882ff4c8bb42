// Mapping of ValidationManager events: quality rounds on listings with their committees, commits, reveals, penalties
// and rewards, validators' rewards, the automatic disputes of low medians, and the manager's settings. Validators'
// stakes (and the locks and slashes of their stake at risk) are the ValidatorPool's (validator-pool.ts).
import { ethereum } from "@graphprotocol/graph-ts";
import {
  ChallengesSet,
  CommitteeDrawn,
  CommitteeSettled,
  DisputeAppealed,
  DisputeRequested,
  DisputeSkipped,
  RandomnessSourceSet,
  RewardsClaimed,
  RoundCancelled,
  RoundFeeRefunded,
  RoundFinalized,
  RoundOpened,
  ScoreCommitted,
  ScoreRevealed,
  Upgraded,
  ValidationParametersSet,
  ValidatorPenalized,
  ValidatorRewarded,
} from "../generated/ValidationManager/ValidationManager";
import {
  CommitteeMember,
  ValidationCommitteeSettlement,
  ValidationPoolAppeal,
  ValidatorReport,
} from "../generated/schema";
import {
  eventId,
  loadOrCreateCommitteeMember,
  loadOrCreateDailyStat,
  loadOrCreateProtocol,
  loadOrCreateValidationRound,
  loadOrCreateValidator,
  recordParameterChange,
  recordParameterTupleChange,
  recordUpgrade,
  ZERO,
} from "./helpers";

const VALIDATION = "ValidationManager";
const CANCEL_REASONS: Array<string> = ["NotEnoughValidators", "ListingNotActive", "DrawExpired"];
const PENALTY_REASONS: Array<string> = ["NoReveal", "OutOfTolerance", "Overturned"];
const DISPUTE_SKIP_REASONS: Array<string> = ["PoolTooSmall", "ListingNotChallengeable", "CourtRejected"];

function reasonName(names: Array<string>, value: i32): string {
  if (value >= 0 && value < names.length) return names[value];
  return value.toString();
}

function report(event: ethereum.Event, kind: string, member: CommitteeMember): ValidatorReport {
  const record = new ValidatorReport(eventId(event));
  record.kind = kind;
  record.round = member.round;
  record.member = member.id;
  record.validator = member.validator;
  record.commitment = null;
  record.unset("scoreBps");
  record.amount = ZERO;
  record.penaltyReason = null;
  record.timestamp = event.block.timestamp;
  record.transaction = event.transaction.hash;
  return record;
}

// ------------------------------------------------------------------ validators

export function handleRewardsClaimed(event: RewardsClaimed): void {
  const validator = loadOrCreateValidator(event.params.validator);
  validator.rewardsClaimed = validator.rewardsClaimed.plus(event.params.amount);
  validator.save();
}

// ------------------------------------------------------------------ rounds

export function handleRoundOpened(event: RoundOpened): void {
  const p = event.params;
  const round = loadOrCreateValidationRound(p.roundId, event);
  round.listing = p.listingId.toString();
  round.requester = p.requester;
  round.feePaid = p.feePaid;
  round.committeeSize = p.committeeSize.toI32();
  round.toleranceBps = p.toleranceBps.toI32();
  round.penaltyBps = p.penaltyBps.toI32();
  round.pricePerCall = p.pricePerCall;
  round.openedAt = event.block.timestamp;
  round.save();
  const protocol = loadOrCreateProtocol();
  protocol.validationRoundCount += 1;
  protocol.save();
  const stat = loadOrCreateDailyStat(event.block);
  stat.validationRoundsOpened += 1;
  stat.save();
}

export function handleCommitteeDrawn(event: CommitteeDrawn): void {
  const p = event.params;
  const round = loadOrCreateValidationRound(p.roundId, event);
  const committee = p.committee;
  const seats = p.seats;
  const stakes = p.stakesAtRisk;
  const ids = new Array<string>();
  let seatCount = 0;
  for (let i = 0; i < committee.length; i++) {
    // The stake at risk was locked by the ValidatorPool (SeatsLocked, during the draw), where the validator staked.
    const member = loadOrCreateCommitteeMember(p.roundId, committee[i]);
    member.seats = seats[i].toI32();
    member.stakeAtRisk = stakes[i];
    member.save();
    ids.push(member.validator);
    seatCount += member.seats;
  }
  round.committee = ids;
  round.seats = seatCount;
  round.status = "Voting";
  round.commitEnd = p.commitEnd;
  round.revealEnd = p.revealEnd;
  round.save();
}

export function handleRoundCancelled(event: RoundCancelled): void {
  // A round is cancelled only while drawing: no committee was announced; the ValidatorPool released any seat taken.
  const round = loadOrCreateValidationRound(event.params.roundId, event);
  round.status = "Cancelled";
  round.cancelReason = reasonName(CANCEL_REASONS, event.params.reason);
  round.closedAt = event.block.timestamp;
  round.save();
}

export function handleScoreCommitted(event: ScoreCommitted): void {
  const p = event.params;
  const member = loadOrCreateCommitteeMember(p.roundId, p.validator);
  const round = loadOrCreateValidationRound(p.roundId, event);
  round.committedCount += member.seats;
  round.save();
  member.commitment = p.commitment;
  member.save();
  const record = report(event, "Committed", member);
  record.commitment = p.commitment;
  record.save();
}

export function handleScoreRevealed(event: ScoreRevealed): void {
  const p = event.params;
  const member = loadOrCreateCommitteeMember(p.roundId, p.validator);
  const round = loadOrCreateValidationRound(p.roundId, event);
  round.revealedCount += member.seats;
  round.save();
  member.scoreBps = p.scoreBps;
  member.save();
  const record = report(event, "Revealed", member);
  record.scoreBps = p.scoreBps;
  record.save();
}

export function handleValidatorPenalized(event: ValidatorPenalized): void {
  const p = event.params;
  const member = loadOrCreateCommitteeMember(p.roundId, p.validator);
  member.penalty = member.penalty.plus(p.amount);
  member.save();
  // The slash itself is the ValidatorPool's (StakesReleased, in the same transaction).
  const validator = loadOrCreateValidator(p.validator);
  validator.penalties = validator.penalties.plus(p.amount);
  validator.save();
  const record = report(event, "Penalized", member);
  record.amount = p.amount;
  record.penaltyReason = reasonName(PENALTY_REASONS, p.reason);
  record.save();
}

export function handleValidatorRewarded(event: ValidatorRewarded): void {
  const p = event.params;
  const member = loadOrCreateCommitteeMember(p.roundId, p.validator);
  member.reward = member.reward.plus(p.amount);
  member.reimbursed = member.reimbursed.plus(p.reimbursed);
  member.save();
  const validator = loadOrCreateValidator(p.validator);
  validator.rewardsCredited = validator.rewardsCredited.plus(p.amount);
  validator.save();
  const record = report(event, "Rewarded", member);
  record.amount = p.amount;
  record.save();
}

export function handleRoundFinalized(event: RoundFinalized): void {
  const p = event.params;
  const round = loadOrCreateValidationRound(p.roundId, event);
  round.status = "Finalized";
  round.medianBps = p.medianBps;
  round.quorumReached = p.quorumReached;
  round.honestCount = p.honestCount.toI32();
  round.rewardTotal = p.rewardTotal;
  round.penaltyTotal = p.penaltyTotal;
  round.closedAt = event.block.timestamp;
  round.save();
  // Every member's stake at risk was released (a penalty slashed all of it) by the ValidatorPool, before this event.
}

export function handleDisputeRequested(event: DisputeRequested): void {
  const round = loadOrCreateValidationRound(event.params.roundId, event);
  round.dispute = event.params.disputeId.toString();
  round.save();
}

export function handleDisputeAppealed(event: DisputeAppealed): void {
  const appeal = new ValidationPoolAppeal(eventId(event));
  appeal.dispute = event.params.disputeId.toString();
  appeal.caller = event.params.caller;
  appeal.fee = event.params.fee;
  appeal.blockNumber = event.block.number;
  appeal.timestamp = event.block.timestamp;
  appeal.transaction = event.transaction.hash;
  appeal.save();
}

export function handleCommitteeSettled(event: CommitteeSettled): void {
  // Each slashed member's ValidatorPenalized came just before this event (its ValidatorReport and totals).
  const record = new ValidationCommitteeSettlement(eventId(event));
  record.dispute = event.params.disputeId.toString();
  record.round = event.params.roundId.toString();
  record.ruling = event.params.ruling;
  record.slashed = event.params.slashed;
  record.blockNumber = event.block.number;
  record.timestamp = event.block.timestamp;
  record.transaction = event.transaction.hash;
  record.save();
}

export function handleDisputeSkipped(event: DisputeSkipped): void {
  const round = loadOrCreateValidationRound(event.params.roundId, event);
  round.disputeSkipReason = reasonName(DISPUTE_SKIP_REASONS, event.params.reason);
  round.save();
}

// ------------------------------------------------------------------ governed settings

/** IValidationManager.ValidationParameters' fields, in order. */
const PARAMETER_NAMES: Array<string> = [
  "requestFee",
  "roundReward",
  "roundPeriod",
  "commitPeriod",
  "revealPeriod",
  "committeeSize",
  "quorum",
  "toleranceBps",
  "penaltyBps",
  "rewardShareBps",
  "minQualityBps",
  "drawPeriod",
  "reimbursedCalls",
];

export function handleValidationParametersSet(event: ValidationParametersSet): void {
  const p = event.params;
  recordParameterTupleChange(
    event,
    VALIDATION,
    "ValidationParameters",
    PARAMETER_NAMES,
    p.oldParameters,
    p.newParameters,
  );
}

export function handleRandomnessSourceSet(event: RandomnessSourceSet): void {
  const p = event.params;
  const oldValue = p.oldSource.toHexString();
  recordParameterChange(event, VALIDATION, "RandomnessSource", null, oldValue, p.newSource.toHexString());
}

export function handleChallengesSet(event: ChallengesSet): void {
  const p = event.params;
  const oldValue = p.oldChallenges.toHexString();
  recordParameterChange(event, VALIDATION, "Challenges", null, oldValue, p.newChallenges.toHexString());
}

export function handleUpgraded(event: Upgraded): void {
  recordUpgrade(event, VALIDATION, event.params.implementation);
}

/** A round's fee given back to its payer (a round cancelled for want of validators). */
export function handleRoundFeeRefunded(event: RoundFeeRefunded): void {
  const p = event.params;
  const round = loadOrCreateValidationRound(p.roundId, event);
  round.feeRefunded = round.feeRefunded.plus(p.amount);
  round.feeRefundedTo = p.payer;
  round.save();
}
