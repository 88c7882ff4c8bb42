// Mapping of StakePool events, shared by its two deployments: the jurors' pool (juror-pool.ts, managed by the Court)
// and the validators' pool (validator-pool.ts, managed by the ValidationManager). Each data source has its own
// generated event classes, so the handlers there pass the events' values here with the pool they come from. A member
// is a Juror or a Validator; every event sets the balances it reports, keeps the protocol's total stake in step and
// leaves an immutable StakeEvent.
import { Address, BigInt, ethereum } from "@graphprotocol/graph-ts";
import { StakeEvent } from "../generated/schema";
import {
  addStake,
  compositeId,
  eventId,
  loadOrCreateJuror,
  loadOrCreateValidator,
  recordParameterChange,
  recordParameterTupleChange,
  recordStrayTokensSwept,
  recordUpgrade,
  StakeKind,
  ZERO,
} from "./helpers";

/** The pool's name: its data source, its GovernedContractKind and its StakePoolKind. */
function poolName(kind: StakeKind): string {
  if (kind == StakeKind.Juror) return "JurorPool";
  return "ValidatorPool";
}

/** A member's balances in a pool, whichever entity holds them. */
class PoolMember {
  constructor(
    public staked: BigInt,
    public thawing: BigInt,
    public locked: BigInt,
    public thawEnd: BigInt | null,
  ) {}
}

function loadMember(kind: StakeKind, account: Address): PoolMember {
  if (kind == StakeKind.Juror) {
    const juror = loadOrCreateJuror(account);
    return new PoolMember(juror.staked, juror.thawing, juror.locked, juror.thawEnd);
  }
  const validator = loadOrCreateValidator(account);
  return new PoolMember(validator.staked, validator.thawing, validator.locked, validator.thawEnd);
}

/**
 * Writes a member's balances into its Juror or Validator (a validator is registered while it has stake) and adds the
 * change of its staked + thawing stake to the protocol's total for the pool.
 */
function saveMember(block: ethereum.Block, kind: StakeKind, account: Address, member: PoolMember): void {
  let before: BigInt;
  if (kind == StakeKind.Juror) {
    const juror = loadOrCreateJuror(account);
    before = juror.staked.plus(juror.thawing);
    juror.staked = member.staked;
    juror.thawing = member.thawing;
    juror.locked = member.locked;
    juror.thawEnd = member.thawEnd;
    juror.save();
  } else {
    const validator = loadOrCreateValidator(account);
    before = validator.staked.plus(validator.thawing);
    validator.staked = member.staked;
    validator.thawing = member.thawing;
    validator.locked = member.locked;
    validator.thawEnd = member.thawEnd;
    validator.registered = !member.staked.plus(member.thawing).isZero();
    validator.save();
  }
  addStake(block, kind, member.staked.plus(member.thawing).minus(before));
}

/** A StakeEvent with the member's balances after the event; the caller sets the kind's own fields and saves it. */
function stakeEvent(
  event: ethereum.Event,
  kind: StakeKind,
  eventKind: string,
  account: Address,
  amount: BigInt,
  member: PoolMember,
): StakeEvent {
  const record = new StakeEvent(eventId(event));
  record.kind = eventKind;
  record.pool = poolName(kind);
  record.account = account;
  record.juror = null;
  record.validator = null;
  if (kind == StakeKind.Juror) record.juror = account.toHexString();
  else record.validator = account.toHexString();
  record.amount = amount;
  record.slashed = ZERO;
  record.paid = ZERO;
  record.payer = null;
  record.thawEnd = null;
  record.staked = member.staked;
  record.thawing = member.thawing;
  record.locked = member.locked;
  record.blockNumber = event.block.number;
  record.timestamp = event.block.timestamp;
  record.transaction = event.transaction.hash;
  return record;
}

// ------------------------------------------------------------------ members

export function applyStaked(
  event: ethereum.Event,
  kind: StakeKind,
  account: Address,
  payer: Address,
  amount: BigInt,
  staked: BigInt,
): void {
  const member = loadMember(kind, account);
  member.staked = staked;
  saveMember(event.block, kind, account, member);
  const record = stakeEvent(event, kind, "Staked", account, amount, member);
  record.payer = payer;
  record.save();
}

export function applyUnstakeRequested(
  event: ethereum.Event,
  kind: StakeKind,
  account: Address,
  amount: BigInt,
  staked: BigInt,
  thawing: BigInt,
  thawEnd: BigInt,
): void {
  const member = loadMember(kind, account);
  member.staked = staked;
  member.thawing = thawing;
  member.thawEnd = thawEnd;
  saveMember(event.block, kind, account, member);
  const record = stakeEvent(event, kind, "UnstakeRequested", account, amount, member);
  record.thawEnd = thawEnd;
  record.save();
}

export function applyStakeWithdrawn(
  event: ethereum.Event,
  kind: StakeKind,
  account: Address,
  amount: BigInt,
  thawing: BigInt,
): void {
  const member = loadMember(kind, account);
  member.thawing = thawing;
  saveMember(event.block, kind, account, member);
  stakeEvent(event, kind, "Withdrawn", account, amount, member).save();
}

// ------------------------------------------------------------------ manager

export function applyStakeLocked(
  event: ethereum.Event,
  kind: StakeKind,
  account: Address,
  amount: BigInt,
  locked: BigInt,
): void {
  const member = loadMember(kind, account);
  member.locked = locked;
  saveMember(event.block, kind, account, member);
  stakeEvent(event, kind, "Locked", account, amount, member).save();
}

export function applyStakeReleased(
  event: ethereum.Event,
  kind: StakeKind,
  account: Address,
  unlocked: BigInt,
  slashed: BigInt,
  paid: BigInt,
): void {
  const member = loadMember(kind, account);
  releaseMember(member, unlocked, slashed);
  saveMember(event.block, kind, account, member);
  const record = stakeEvent(event, kind, "Released", account, unlocked, member);
  record.slashed = slashed;
  record.paid = paid;
  record.save();
}

/**
 * The pool's own bookkeeping of a release, applied to the balances its earlier events reported (its StakeReleased
 * and StakesReleased leave the balances after out): the lock falls by what is unlocked; the slash comes from drawable
 * stake first, then from thawing stake.
 */
function releaseMember(member: PoolMember, unlocked: BigInt, slashed: BigInt): void {
  member.locked = member.locked.minus(unlocked);
  const fromStaked = slashed.lt(member.staked) ? slashed : member.staked;
  member.staked = member.staked.minus(fromStaked);
  member.thawing = member.thawing.minus(slashed.minus(fromStaked));
}

/**
 * One seat of the manager's committee draw (IStakePool.SeatsLocked: the member in the low 160 bits, zero for an empty
 * seat, the amount locked above): a Locked StakeEvent per seat taken, as StakeLocked recorded one, its id the event's
 * and the seat's.
 */
export function applySeatsLocked(event: ethereum.Event, kind: StakeKind, seats: Array<BigInt>): void {
  const shift = <u8>160;
  const mask = BigInt.fromI32(1).leftShift(shift).minus(BigInt.fromI32(1));
  for (let i = 0; i < seats.length; i++) {
    const seat = seats[i];
    const accountBits = seat.bitAnd(mask);
    if (accountBits.isZero()) continue;
    const account = Address.fromString("0x" + accountBits.toHexString().slice(2).padStart(40, "0"));
    const amount = seat.rightShift(shift);
    const member = loadMember(kind, account);
    member.locked = member.locked.plus(amount);
    saveMember(event.block, kind, account, member);
    const record = stakeEvent(event, kind, "Locked", account, amount, member);
    record.id = compositeId([eventId(event), i.toString()]);
    record.save();
  }
}

/**
 * The manager's batch release (IStakePool.StakesReleased): per member, the pool's own bookkeeping (the lock falls by
 * what is unlocked; the slash comes from drawable stake first, then from thawing stake) applied to the balances the
 * pool's earlier events reported, and a Released StakeEvent as StakeReleased recorded one.
 */
export function applyStakesReleased(
  event: ethereum.Event,
  kind: StakeKind,
  accounts: Array<Address>,
  unlocked: Array<BigInt>,
  slashed: Array<BigInt>,
): void {
  for (let i = 0; i < accounts.length; i++) {
    const account = accounts[i];
    const slash = slashed[i];
    const member = loadMember(kind, account);
    releaseMember(member, unlocked[i], slash);
    saveMember(event.block, kind, account, member);
    const record = stakeEvent(event, kind, "Released", account, unlocked[i], member);
    record.id = compositeId([eventId(event), i.toString()]);
    record.slashed = slash;
    record.save();
  }
}

/** The auditor's slash (IStakePool.StakeAuditSlashed): no lock moves; the member's balances after are in the event. */
export function applyStakeAuditSlashed(
  event: ethereum.Event,
  kind: StakeKind,
  account: Address,
  requested: BigInt,
  slashed: BigInt,
  staked: BigInt,
  thawing: BigInt,
): void {
  const member = loadMember(kind, account);
  member.staked = staked;
  member.thawing = thawing;
  saveMember(event.block, kind, account, member);
  const record = stakeEvent(event, kind, "AuditSlashed", account, requested, member);
  record.slashed = slashed;
  record.save();
}

// ------------------------------------------------------------------ governed settings

/** IStakePool.PoolParameters' fields, in order. */
const PARAMETER_NAMES: Array<string> = ["minStake", "thawingPeriod"];

export function recordPoolParameters(
  event: ethereum.Event,
  kind: StakeKind,
  oldParameters: ethereum.Tuple,
  newParameters: ethereum.Tuple,
): void {
  recordParameterTupleChange(event, poolName(kind), "PoolParameters", PARAMETER_NAMES, oldParameters, newParameters);
}

export function recordManager(event: ethereum.Event, kind: StakeKind, oldManager: Address, newManager: Address): void {
  recordParameterChange(event, poolName(kind), "Manager", null, oldManager.toHexString(), newManager.toHexString());
}

export function recordPoolUpgrade(event: ethereum.Event, kind: StakeKind, implementation: Address): void {
  recordUpgrade(event, poolName(kind), implementation);
}

export function recordAuditor(event: ethereum.Event, kind: StakeKind, oldAuditor: Address, newAuditor: Address): void {
  recordParameterChange(event, poolName(kind), "Auditor", null, oldAuditor.toHexString(), newAuditor.toHexString());
}

export function recordPoolStrayTokensSwept(
  event: ethereum.Event,
  kind: StakeKind,
  token: Address,
  treasury: Address,
  amount: BigInt,
): void {
  recordStrayTokensSwept(event, poolName(kind), token, treasury, amount);
}
