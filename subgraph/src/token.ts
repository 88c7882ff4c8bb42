// Mapping of CuriaToken events: balances, supply, delegation and voting power, ownership and upgrades.
import { Address } from "@graphprotocol/graph-ts";
import {
  DelegateChanged,
  DelegateVotesChanged,
  OwnershipTransferred,
  Transfer,
  Upgraded,
} from "../generated/CuriaToken/CuriaToken";
import { DelegationChange, VotingPowerChange } from "../generated/schema";
import {
  eventId,
  loadOrCreateAccount,
  loadOrCreateDailyStat,
  loadOrCreateDelegate,
  loadOrCreateGovernedContract,
  loadOrCreateProtocol,
  recordParameterChange,
  recordUpgrade,
} from "./helpers";
import { refreshPendingQuorums } from "./quorum";

const TOKEN = "CuriaToken";

export function handleTransfer(event: Transfer): void {
  const from = event.params.from;
  const to = event.params.to;
  const value = event.params.value;
  const protocol = loadOrCreateProtocol();
  let supplyChanged = false;
  if (from == Address.zero()) {
    protocol.totalSupply = protocol.totalSupply.plus(value);
    supplyChanged = true;
  } else {
    const sender = loadOrCreateAccount(from);
    const before = sender.balance;
    sender.balance = before.minus(value);
    sender.save();
    if (!before.isZero() && sender.balance.isZero()) protocol.holderCount -= 1;
  }
  if (to == Address.zero()) {
    protocol.totalSupply = protocol.totalSupply.minus(value);
    supplyChanged = true;
  } else {
    const receiver = loadOrCreateAccount(to);
    const before = receiver.balance;
    receiver.balance = before.plus(value);
    receiver.save();
    if (before.isZero() && !receiver.balance.isZero()) protocol.holderCount += 1;
  }
  protocol.save();
  if (supplyChanged) refreshPendingQuorums(event.block.timestamp);

  const stat = loadOrCreateDailyStat(event.block);
  stat.transfers += 1;
  stat.transferVolume = stat.transferVolume.plus(value);
  stat.totalSupply = protocol.totalSupply;
  stat.save();
}

export function handleDelegateChanged(event: DelegateChanged): void {
  const delegator = loadOrCreateAccount(event.params.delegator);
  const fromAddress = event.params.fromDelegate;
  const toAddress = event.params.toDelegate;
  const change = new DelegationChange(eventId(event));
  change.delegator = delegator.id;
  change.fromDelegate = null;
  change.toDelegate = null;
  if (fromAddress != Address.zero()) {
    const previous = loadOrCreateDelegate(fromAddress);
    previous.delegatorCount -= 1;
    previous.save();
    change.fromDelegate = previous.id;
  }
  if (toAddress != Address.zero()) {
    const next = loadOrCreateDelegate(toAddress);
    next.delegatorCount += 1;
    next.save();
    change.toDelegate = next.id;
  }
  change.blockNumber = event.block.number;
  change.timestamp = event.block.timestamp;
  change.transaction = event.transaction.hash;
  change.logIndex = event.logIndex;
  change.save();
  // Reload: loadOrCreateDelegate may have saved this same account while creating it.
  const account = loadOrCreateAccount(event.params.delegator);
  account.delegate = change.toDelegate;
  account.save();

  const stat = loadOrCreateDailyStat(event.block);
  stat.delegationChanges += 1;
  stat.save();
}

export function handleDelegateVotesChanged(event: DelegateVotesChanged): void {
  const delegate = loadOrCreateDelegate(event.params.delegate);
  const previousVotes = event.params.previousVotes;
  const newVotes = event.params.newVotes;
  delegate.votingPower = newVotes;
  delegate.save();

  const record = new VotingPowerChange(eventId(event));
  record.delegate = delegate.id;
  record.previousVotes = previousVotes;
  record.newVotes = newVotes;
  record.blockNumber = event.block.number;
  record.timestamp = event.block.timestamp;
  record.transaction = event.transaction.hash;
  record.logIndex = event.logIndex;
  record.save();

  const protocol = loadOrCreateProtocol();
  protocol.delegatedVotes = protocol.delegatedVotes.plus(newVotes.minus(previousVotes));
  if (previousVotes.isZero() && !newVotes.isZero()) protocol.delegateCount += 1;
  if (!previousVotes.isZero() && newVotes.isZero()) protocol.delegateCount -= 1;
  protocol.save();
  const stat = loadOrCreateDailyStat(event.block);
  stat.delegatedVotes = protocol.delegatedVotes;
  stat.save();
}

export function handleOwnershipTransferred(event: OwnershipTransferred): void {
  const governed = loadOrCreateGovernedContract(event.address, TOKEN);
  governed.owner = event.params.newOwner;
  governed.save();
  recordParameterChange(
    event,
    TOKEN,
    "Owner",
    null,
    event.params.previousOwner.toHexString(),
    event.params.newOwner.toHexString(),
  );
}

export function handleUpgraded(event: Upgraded): void {
  recordUpgrade(event, TOKEN, event.params.implementation);
}
