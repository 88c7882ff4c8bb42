// Entity creation for every mapping: each loadOrCreateX sets every field, so a new entity is always complete, and
// every composite id is built by `compositeId`.
import { Address, BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";
import { Account, DailyStat, Delegate, GovernedContract, ParameterChange, Protocol } from "../generated/schema";

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
  loadOrCreateGovernedContract(event.address, kind);
  const change = new ParameterChange(eventId(event));
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
