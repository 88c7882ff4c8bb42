// Mapping of ValidationManager events: validators' stakes, quality rounds on listings with their committees, commits,
// reveals, penalties and rewards, the automatic disputes of low medians, and the manager's settings.
import { Address, BigInt, ethereum } from "@graphprotocol/graph-ts";
import {
  CommitteeDrawn,
  CourtSet,
  DisputeAppealed,
  DisputeRequested,
  DisputeSkipped,
  EvidenceBaseURISet,
  RandomnessSourceSet,
  RewardsClaimed,
  RoundCancelled,
  RoundFinalized,
  RoundOpened,
  ScoreCommitted,
  ScoreRevealed,
  StakeAdded,
  StakeWithdrawn,
  UnstakeRequested,
  Upgraded,
  ValidationParametersSet,
  ValidatorExited,
  ValidatorPenalized,
  ValidatorRegistered,
  ValidatorRewarded,
} from "../generated/ValidationManager/ValidationManager";
import { CommitteeMember, ValidationPoolAppeal, Validator, ValidatorReport } from "../generated/schema";
import {
  addStake,
  eventId,
  loadOrCreateCommitteeMember,
  loadOrCreateDailyStat,
  loadOrCreateProtocol,
  loadOrCreateValidationRound,
  loadOrCreateValidator,
  recordParameterChange,
  recordParameterStructChange,
  recordUpgrade,
  StakeKind,
  ZERO,
} from "./helpers";

const VALIDATION = "ValidationManager";
const CANCEL_REASONS: Array<string> = ["NotEnoughValidators", "ListingNotActive"];
const PENALTY_REASONS: Array<string> = ["NoReveal", "OutOfTolerance"];
const DISPUTE_SKIP_REASONS: Array<string> = ["PoolTooSmall", "ListingNotChallengeable", "CourtRejected"];

function reasonName(names: Array<string>, value: i32): string {
  if (value >= 0 && value < names.length) return names[value];
  return value.toString();
}

/** Sets a validator's staked and thawing balances as an event reported them, keeping the protocol total in step. */
function setBalances(block: ethereum.Block, validator: Validator, staked: BigInt, thawing: BigInt): void {
  const delta = staked.plus(thawing).minus(validator.staked).minus(validator.thawing);
  validator.staked = staked;
  validator.thawing = thawing;
  addStake(block, StakeKind.Validator, delta);
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

export function handleValidatorRegistered(event: ValidatorRegistered): void {
  const validator = loadOrCreateValidator(event.params.validator);
  validator.registered = true;
  setBalances(event.block, validator, validator.staked.plus(event.params.amount), validator.thawing);
  validator.save();
}

export function handleStakeAdded(event: StakeAdded): void {
  const validator = loadOrCreateValidator(event.params.validator);
  setBalances(event.block, validator, event.params.staked, validator.thawing);
  validator.save();
}

export function handleUnstakeRequested(event: UnstakeRequested): void {
  const p = event.params;
  const validator = loadOrCreateValidator(p.validator);
  setBalances(event.block, validator, p.staked, p.thawing);
  validator.thawEnd = p.thawEnd;
  validator.save();
}

export function handleStakeWithdrawn(event: StakeWithdrawn): void {
  const validator = loadOrCreateValidator(event.params.validator);
  setBalances(event.block, validator, validator.staked, event.params.thawing);
  validator.save();
}

export function handleValidatorExited(event: ValidatorExited): void {
  const validator = loadOrCreateValidator(event.params.validator);
  validator.registered = false;
  validator.save();
}

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
  const stakes = p.stakesAtRisk;
  const ids = new Array<string>();
  for (let i = 0; i < committee.length; i++) {
    const member = loadOrCreateCommitteeMember(p.roundId, committee[i]);
    member.stakeAtRisk = stakes[i];
    member.save();
    const validator = loadOrCreateValidator(committee[i]);
    validator.locked = validator.locked.plus(stakes[i]);
    validator.save();
    ids.push(validator.id);
  }
  round.committee = ids;
  round.status = "Voting";
  round.commitEnd = p.commitEnd;
  round.revealEnd = p.revealEnd;
  round.save();
}

export function handleRoundCancelled(event: RoundCancelled): void {
  // A round is cancelled only while drawing: no committee was announced, so no stake is locked here.
  const round = loadOrCreateValidationRound(event.params.roundId, event);
  round.status = "Cancelled";
  round.cancelReason = reasonName(CANCEL_REASONS, event.params.reason);
  round.closedAt = event.block.timestamp;
  round.save();
}

export function handleScoreCommitted(event: ScoreCommitted): void {
  const p = event.params;
  const round = loadOrCreateValidationRound(p.roundId, event);
  round.committedCount += 1;
  round.save();
  const member = loadOrCreateCommitteeMember(p.roundId, p.validator);
  member.commitment = p.commitment;
  member.save();
  const record = report(event, "Committed", member);
  record.commitment = p.commitment;
  record.save();
}

export function handleScoreRevealed(event: ScoreRevealed): void {
  const p = event.params;
  const round = loadOrCreateValidationRound(p.roundId, event);
  round.revealedCount += 1;
  round.save();
  const member = loadOrCreateCommitteeMember(p.roundId, p.validator);
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
  const validator = loadOrCreateValidator(p.validator);
  validator.penalties = validator.penalties.plus(p.amount);
  setBalances(event.block, validator, p.staked, p.thawing);
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
  // Finalisation releases every member's stake at risk (a penalty, already applied, equals it).
  const committee = round.committee;
  for (let i = 0; i < committee.length; i++) {
    const address = Address.fromString(committee[i]);
    const member = loadOrCreateCommitteeMember(p.roundId, address);
    const validator = loadOrCreateValidator(address);
    validator.locked = validator.locked.minus(member.stakeAtRisk);
    validator.save();
  }
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

export function handleDisputeSkipped(event: DisputeSkipped): void {
  const round = loadOrCreateValidationRound(event.params.roundId, event);
  round.disputeSkipReason = reasonName(DISPUTE_SKIP_REASONS, event.params.reason);
  round.save();
}

// ------------------------------------------------------------------ governed settings

const PARAMETER_NAMES: Array<string> = [
  "minStake",
  "requestFee",
  "roundReward",
  "thawingPeriod",
  "roundPeriod",
  "commitPeriod",
  "revealPeriod",
  "committeeSize",
  "quorum",
  "toleranceBps",
  "penaltyBps",
  "rewardShareBps",
  "minQualityBps",
];

/** The fields of a ValidationParameters tuple as decimal strings, in PARAMETER_NAMES order. */
function parameterValues(tuple: ethereum.Tuple): Array<string> {
  const values = new Array<string>();
  for (let i = 0; i < tuple.length; i++) values.push(tuple[i].toBigInt().toString());
  return values;
}

export function handleValidationParametersSet(event: ValidationParametersSet): void {
  const oldValues = parameterValues(changetype<ethereum.Tuple>(event.params.oldParameters));
  const newValues = parameterValues(changetype<ethereum.Tuple>(event.params.newParameters));
  recordParameterStructChange(event, VALIDATION, "ValidationParameters", PARAMETER_NAMES, oldValues, newValues);
}

export function handleRandomnessSourceSet(event: RandomnessSourceSet): void {
  const p = event.params;
  const oldValue = p.oldSource.toHexString();
  recordParameterChange(event, VALIDATION, "RandomnessSource", null, oldValue, p.newSource.toHexString());
}

export function handleCourtSet(event: CourtSet): void {
  const p = event.params;
  recordParameterChange(event, VALIDATION, "Court", null, p.oldCourt.toHexString(), p.newCourt.toHexString());
}

export function handleEvidenceBaseURISet(event: EvidenceBaseURISet): void {
  const p = event.params;
  recordParameterChange(event, VALIDATION, "EvidenceBaseURI", null, p.oldBaseURI, p.newBaseURI);
}

export function handleUpgraded(event: Upgraded): void {
  recordUpgrade(event, VALIDATION, event.params.implementation);
}
