// Entity creation for every mapping: each loadOrCreateX sets every field, so a new entity is always complete, and
// every composite id is built by `compositeId`.
import { Address, BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";
import {
  Account,
  CommitteeMember,
  CurationPosition,
  DailyStat,
  Delegate,
  Dispute,
  DisputeRound,
  GovernedContract,
  Juror,
  JurorVote,
  Listing,
  ParameterChange,
  Protocol,
  TokenSweep,
  ValidationRound,
  Validator,
} from "../generated/schema";

export const PROTOCOL_ID = "curia";
export const ZERO = BigInt.zero();
const SECONDS_PER_DAY: i64 = 86400;

/** The one way composite ids are built: parts joined by `-`. */
export function compositeId(parts: Array<string>): string {
  return parts.join("-");
}

/** `<transaction hash>-<log index>`: unique per event, used by every append-only record. */
export function eventId(event: ethereum.Event): string {
  return compositeId([event.transaction.hash.toHexString(), event.logIndex.toString()]);
}

export function loadOrCreateProtocol(): Protocol {
  let protocol = Protocol.load(PROTOCOL_ID);
  if (protocol != null) return protocol;
  protocol = new Protocol(PROTOCOL_ID);
  protocol.proposalCount = 0;
  protocol.voteCount = 0;
  protocol.totalSupply = ZERO;
  protocol.delegatedVotes = ZERO;
  protocol.holderCount = 0;
  protocol.delegateCount = 0;
  protocol.votingDelay = ZERO;
  protocol.votingPeriod = ZERO;
  protocol.proposalThreshold = ZERO;
  protocol.quorumNumerator = ZERO;
  protocol.lateQuorumVoteExtension = ZERO;
  protocol.proposalGuardian = null;
  protocol.proposalGuardianTermEnd = ZERO;
  protocol.timelockMinDelay = ZERO;
  protocol.pendingSnapshotProposals = [];
  protocol.lastScheduledOperation = null;
  protocol.lastScheduledTransaction = null;
  protocol.listingCount = 0;
  protocol.disputeCount = 0;
  protocol.validationRoundCount = 0;
  protocol.curatorStake = ZERO;
  protocol.jurorStake = ZERO;
  protocol.courtTreasuryOwed = ZERO;
  protocol.courtDrawRewardsOwed = ZERO;
  protocol.validatorStake = ZERO;
  protocol.totalFees = ZERO;
  return protocol;
}

export function loadOrCreateAccount(address: Address): Account {
  const id = address.toHexString();
  let account = Account.load(id);
  if (account != null) return account;
  account = new Account(id);
  account.balance = ZERO;
  account.delegate = null;
  account.save();
  return account;
}

export function loadOrCreateDelegate(address: Address): Delegate {
  const id = address.toHexString();
  let delegate = Delegate.load(id);
  if (delegate != null) return delegate;
  loadOrCreateAccount(address);
  delegate = new Delegate(id);
  delegate.account = id;
  delegate.votingPower = ZERO;
  delegate.delegatorCount = 0;
  delegate.voteCount = 0;
  delegate.save();
  return delegate;
}

export function loadOrCreateGovernedContract(address: Address, kind: string): GovernedContract {
  const id = address.toHexString();
  let governed = GovernedContract.load(id);
  if (governed != null) return governed;
  governed = new GovernedContract(id);
  governed.kind = kind;
  governed.address = address;
  governed.implementation = null;
  governed.owner = null;
  governed.save();
  return governed;
}

export function dayId(timestamp: BigInt): string {
  return (timestamp.toI64() / SECONDS_PER_DAY).toString();
}

export function loadOrCreateDailyStat(block: ethereum.Block): DailyStat {
  const id = dayId(block.timestamp);
  let stat = DailyStat.load(id);
  if (stat != null) return stat;
  const protocol = loadOrCreateProtocol();
  stat = new DailyStat(id);
  stat.date = i32((block.timestamp.toI64() / SECONDS_PER_DAY) * SECONDS_PER_DAY);
  stat.proposalsCreated = 0;
  stat.votesCast = 0;
  stat.votingPowerCast = ZERO;
  stat.delegationChanges = 0;
  stat.transfers = 0;
  stat.transferVolume = ZERO;
  stat.parameterChanges = 0;
  stat.totalSupply = protocol.totalSupply;
  stat.delegatedVotes = protocol.delegatedVotes;
  stat.listingsCreated = 0;
  stat.purchases = 0;
  stat.callsSold = ZERO;
  stat.purchaseVolume = ZERO;
  stat.fees = ZERO;
  stat.disputesCreated = 0;
  stat.disputesExecuted = 0;
  stat.validationRoundsOpened = 0;
  stat.curatorStake = protocol.curatorStake;
  stat.jurorStake = protocol.jurorStake;
  stat.validatorStake = protocol.validatorStake;
  return stat;
}

/** Records one governed-setting change (immutable) and counts it in the day's statistics. */
export function recordParameterChange(
  event: ethereum.Event,
  kind: string,
  parameter: string,
  key: string | null,
  oldValue: string,
  newValue: string,
): void {
  recordParameterChangeWithId(eventId(event), event, kind, parameter, key, oldValue, newValue);
}

/**
 * Records the changes of a struct of settings set by one event (a fee split, a parameter struct): one row per field
 * that changed, with `key` = the field's name and id `<transaction hash>-<log index>-<field>`.
 */
export function recordParameterStructChange(
  event: ethereum.Event,
  kind: string,
  parameter: string,
  keys: Array<string>,
  oldValues: Array<string>,
  newValues: Array<string>,
): void {
  for (let i = 0; i < keys.length; i++) {
    if (oldValues[i] == newValues[i]) continue;
    const id = compositeId([eventId(event), keys[i]]);
    recordParameterChangeWithId(id, event, kind, parameter, keys[i], oldValues[i], newValues[i]);
  }
}

/**
 * recordParameterStructChange for a contract's parameters struct whose fields are all integers (its
 * `<Name>ParametersSet(old, new)` event): `keys` names the struct's fields in order, each value is a decimal string.
 */
export function recordParameterTupleChange(
  event: ethereum.Event,
  kind: string,
  parameter: string,
  keys: Array<string>,
  oldParameters: ethereum.Tuple,
  newParameters: ethereum.Tuple,
): void {
  recordParameterStructChange(event, kind, parameter, keys, integerFields(oldParameters), integerFields(newParameters));
}

/** The fields of a tuple of integers as decimal strings, in order. */
function integerFields(tuple: ethereum.Tuple): Array<string> {
  const values = new Array<string>();
  for (let i = 0; i < tuple.length; i++) values.push(tuple[i].toBigInt().toString());
  return values;
}

function recordParameterChangeWithId(
  id: string,
  event: ethereum.Event,
  kind: string,
  parameter: string,
  key: string | null,
  oldValue: string,
  newValue: string,
): void {
  loadOrCreateGovernedContract(event.address, kind);
  const change = new ParameterChange(id);
  change.contract = event.address.toHexString();
  change.parameter = parameter;
  change.key = key;
  change.oldValue = oldValue;
  change.newValue = newValue;
  change.blockNumber = event.block.number;
  change.timestamp = event.block.timestamp;
  change.transaction = event.transaction.hash;
  change.logIndex = event.logIndex;
  change.save();
  const stat = loadOrCreateDailyStat(event.block);
  stat.parameterChanges += 1;
  stat.save();
}

/** Records an `Upgraded(implementation)` of any proxy: the old value comes from the last one indexed. */
export function recordUpgrade(event: ethereum.Event, kind: string, implementation: Address): void {
  const governed = loadOrCreateGovernedContract(event.address, kind);
  recordParameterChange(
    event,
    kind,
    "Implementation",
    null,
    addressOrEmpty(governed.implementation),
    implementation.toHexString(),
  );
  governed.implementation = implementation;
  governed.save();
}

/** 0x-hex of an optional address, empty when absent. */
export function addressOrEmpty(address: Bytes | null): string {
  // An if, not a ternary: AssemblyScript 0.19 crashes on an overloaded `==` inside a ternary.
  if (address) return address.toHexString();
  return "";
}

/** Which protocol-wide stake a change belongs to. */
export enum StakeKind {
  Curator,
  Juror,
  Validator,
}

/** Adds `delta` (may be negative) to one protocol-wide stake and copies it into the day's statistics. */
export function addStake(block: ethereum.Block, kind: StakeKind, delta: BigInt): void {
  if (delta.isZero()) return;
  const protocol = loadOrCreateProtocol();
  if (kind == StakeKind.Curator) protocol.curatorStake = protocol.curatorStake.plus(delta);
  else if (kind == StakeKind.Juror) protocol.jurorStake = protocol.jurorStake.plus(delta);
  else protocol.validatorStake = protocol.validatorStake.plus(delta);
  protocol.save();
  const stat = loadOrCreateDailyStat(block);
  stat.curatorStake = protocol.curatorStake;
  stat.jurorStake = protocol.jurorStake;
  stat.validatorStake = protocol.validatorStake;
  stat.save();
}

/** A listing; one not seen before (created before the start block) starts with empty fields. */
export function loadOrCreateListing(listingId: BigInt, event: ethereum.Event): Listing {
  const id = listingId.toString();
  let listing = Listing.load(id);
  if (listing != null) return listing;
  listing = new Listing(id);
  listing.listingId = listingId;
  listing.provider = Address.zero();
  listing.modelHash = new Bytes(0);
  listing.metadataURI = "";
  listing.endpointURI = "";
  listing.pricePerCall = ZERO;
  listing.bond = ZERO;
  listing.status = "Pending";
  listing.paused = false;
  listing.unset("qualityBps");
  listing.activatesAt = ZERO;
  listing.withdrawableAt = null;
  listing.activeDispute = null;
  listing.purchaseCount = 0;
  listing.callsSold = ZERO;
  listing.revenue = ZERO;
  listing.providerRevenue = ZERO;
  listing.curatorFees = ZERO;
  listing.curatorRewards = ZERO;
  listing.curatorShares = ZERO;
  listing.curatorStake = ZERO;
  listing.curatorThawingShares = ZERO;
  listing.curatorThawingStake = ZERO;
  listing.curatorWarmingShares = ZERO;
  listing.curatorWarmingStake = ZERO;
  listing.rewardPerShare = ZERO;
  listing.bondSlashed = ZERO;
  listing.servingKey = null;
  listing.curatorExitsFrozenBy = null;
  listing.escrowedEarnings = ZERO;
  listing.earningsReleased = ZERO;
  listing.escrowSlashed = ZERO;
  listing.underReview = false;
  listing.modelSlashCount = ZERO;
  listing.createdAt = event.block.timestamp;
  listing.createdBlock = event.block.number;
  listing.createdTransaction = event.transaction.hash;
  return listing;
}

export function loadOrCreateCurationPosition(
  listingId: BigInt,
  curator: Address,
  event: ethereum.Event,
): CurationPosition {
  const id = compositeId([listingId.toString(), curator.toHexString()]);
  let position = CurationPosition.load(id);
  if (position != null) return position;
  position = new CurationPosition(id);
  position.listing = listingId.toString();
  position.curator = curator;
  position.shares = ZERO;
  position.stake = ZERO;
  position.thawingShares = ZERO;
  position.thawingStake = ZERO;
  position.warmingShares = ZERO;
  position.warmingStake = ZERO;
  position.thawEnd = null;
  position.totalStaked = ZERO;
  position.totalWithdrawn = ZERO;
  position.rewardsClaimed = ZERO;
  position.unclaimedRewards = ZERO;
  position.rewardDebt = ZERO;
  position.createdAt = event.block.timestamp;
  return position;
}

export function loadOrCreateJuror(address: Address): Juror {
  const id = address.toHexString();
  let juror = Juror.load(id);
  if (juror != null) return juror;
  juror = new Juror(id);
  juror.staked = ZERO;
  juror.thawing = ZERO;
  juror.locked = ZERO;
  juror.thawEnd = null;
  juror.rewards = ZERO;
  juror.penalties = ZERO;
  return juror;
}

export function loadOrCreateDispute(disputeId: BigInt, event: ethereum.Event): Dispute {
  const id = disputeId.toString();
  let dispute = Dispute.load(id);
  if (dispute != null) return dispute;
  dispute = new Dispute(id);
  dispute.disputeId = disputeId;
  dispute.arbitrable = Address.zero();
  dispute.subjectId = ZERO;
  dispute.listing = null;
  dispute.rulingApplied = true;
  dispute.daoDeadline = null;
  dispute.daoAppealRefund = ZERO;
  dispute.challenger = Address.zero();
  dispute.defendant = Address.zero();
  dispute.bond = ZERO;
  dispute.fee = ZERO;
  dispute.metaEvidenceId = ZERO;
  dispute.metaEvidence = null;
  dispute.period = "Drawing";
  dispute.roundCount = 0;
  dispute.ruling = null;
  dispute.byDao = false;
  dispute.winner = null;
  dispute.loserStake = ZERO;
  dispute.curatorSlash = ZERO;
  dispute.toWinner = ZERO;
  dispute.toJurors = ZERO;
  dispute.returnedToPool = ZERO;
  dispute.crowdfundedAppeals = 0;
  dispute.jurorReward = ZERO;
  dispute.toTreasury = ZERO;
  dispute.createdAt = event.block.timestamp;
  dispute.createdTransaction = event.transaction.hash;
  dispute.executedAt = null;
  return dispute;
}

export function disputeRoundId(disputeId: BigInt, round: BigInt): string {
  return compositeId([disputeId.toString(), round.toString()]);
}

export function loadOrCreateDisputeRound(disputeId: BigInt, round: BigInt): DisputeRound {
  const id = disputeRoundId(disputeId, round);
  let entity = DisputeRound.load(id);
  if (entity != null) return entity;
  entity = new DisputeRound(id);
  entity.dispute = disputeId.toString();
  entity.index = round.toI32();
  entity.seats = 0;
  entity.drawn = 0;
  entity.drawDeadline = ZERO;
  entity.drawExpired = false;
  entity.drawRewards = ZERO;
  entity.seatStake = ZERO;
  entity.penaltyPerSeat = ZERO;
  entity.fees = ZERO;
  entity.randomness = Address.zero();
  entity.randomnessRequest = ZERO;
  entity.commitEnd = null;
  entity.revealEnd = null;
  entity.appealEnd = null;
  entity.committedJurors = 0;
  entity.challengerVotes = 0;
  entity.defendantVotes = 0;
  entity.appellant = null;
  entity.coherentSeats = 0;
  entity.rewardPool = ZERO;
  return entity;
}

export function loadOrCreateJurorVote(disputeId: BigInt, round: BigInt, juror: Address): JurorVote {
  const id = compositeId([disputeId.toString(), round.toString(), juror.toHexString()]);
  let vote = JurorVote.load(id);
  if (vote != null) return vote;
  vote = new JurorVote(id);
  vote.round = disputeRoundId(disputeId, round);
  vote.juror = juror.toHexString();
  vote.seats = 0;
  vote.commitment = null;
  vote.choice = null;
  vote.settled = false;
  vote.coherent = false;
  vote.reward = ZERO;
  vote.penalty = ZERO;
  return vote;
}

export function loadOrCreateValidator(address: Address): Validator {
  const id = address.toHexString();
  let validator = Validator.load(id);
  if (validator != null) return validator;
  validator = new Validator(id);
  validator.registered = false;
  validator.staked = ZERO;
  validator.thawing = ZERO;
  validator.locked = ZERO;
  validator.thawEnd = null;
  validator.rewardsCredited = ZERO;
  validator.rewardsClaimed = ZERO;
  validator.penalties = ZERO;
  return validator;
}

export function loadOrCreateValidationRound(roundId: BigInt, event: ethereum.Event): ValidationRound {
  const id = roundId.toString();
  let round = ValidationRound.load(id);
  if (round != null) return round;
  round = new ValidationRound(id);
  round.roundId = roundId;
  round.listing = "0";
  round.requester = Address.zero();
  round.feePaid = ZERO;
  round.status = "Drawing";
  round.committeeSize = 0;
  round.toleranceBps = 0;
  round.penaltyBps = 0;
  round.pricePerCall = ZERO;
  round.committee = [];
  round.commitEnd = null;
  round.revealEnd = null;
  round.seats = 0;
  round.committedCount = 0;
  round.revealedCount = 0;
  round.unset("medianBps");
  round.quorumReached = false;
  round.honestCount = 0;
  round.rewardTotal = ZERO;
  round.penaltyTotal = ZERO;
  round.cancelReason = null;
  round.dispute = null;
  round.disputeSkipReason = null;
  round.openedAt = event.block.timestamp;
  round.closedAt = null;
  round.feeRefunded = ZERO;
  round.feeRefundedTo = null;
  round.canaryAudit = null;
  return round;
}

export function loadOrCreateCommitteeMember(roundId: BigInt, validator: Address): CommitteeMember {
  const id = compositeId([roundId.toString(), validator.toHexString()]);
  let member = CommitteeMember.load(id);
  if (member != null) return member;
  member = new CommitteeMember(id);
  member.round = roundId.toString();
  member.validator = validator.toHexString();
  member.seats = 0;
  member.stakeAtRisk = ZERO;
  member.commitment = null;
  member.unset("scoreBps");
  member.penalty = ZERO;
  member.reward = ZERO;
  member.reimbursed = ZERO;
  return member;
}

/** `<arbitrable address>-<meta-evidence id>`: ERC-1497 meta-evidence ids are numbered per arbitrable. */
export function metaEvidenceId(arbitrable: Address, id: BigInt): string {
  return compositeId([arbitrable.toHexString(), id.toString()]);
}

/** 0x-hex of an address. */
export function hex(address: Address): string {
  return address.toHexString();
}

/** A sweep to the treasury (see TokenSweep); the optional fields are left null for the caller to fill. */
export function newTokenSweep(event: ethereum.Event, kind: string, contractKind: string, amount: BigInt): TokenSweep {
  loadOrCreateGovernedContract(event.address, contractKind);
  const sweep = new TokenSweep(eventId(event));
  sweep.contract = event.address.toHexString();
  sweep.kind = kind;
  sweep.token = null;
  sweep.to = null;
  sweep.amount = amount;
  sweep.validatorAmount = null;
  sweep.validatorRewardPool = null;
  sweep.listing = null;
  sweep.timestamp = event.block.timestamp;
  sweep.transaction = event.transaction.hash;
  return sweep;
}

/** IStrayTokens.StrayTokensSwept of any contract. */
export function recordStrayTokensSwept(
  event: ethereum.Event,
  contractKind: string,
  token: Address,
  treasury: Address,
  amount: BigInt,
): void {
  const sweep = newTokenSweep(event, "StrayTokens", contractKind, amount);
  sweep.token = token;
  sweep.to = treasury;
  sweep.save();
}
