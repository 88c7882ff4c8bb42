// Mapping of CuriaGovernor events: proposals, their actions, votes and tallies, and the Governor's settings.
import { Address, BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";
import {
  LateQuorumVoteExtensionSet,
  ProposalCanceled,
  ProposalCreated,
  ProposalExecuted,
  ProposalExtended,
  ProposalGuardianSet,
  ProposalGuardianTermSet,
  ProposalQueued,
  ProposalThresholdSet,
  QuorumNumeratorUpdated,
  TimelockChange,
  Upgraded,
  VoteCast,
  VoteCastWithParams,
  VotingDelaySet,
  VotingPeriodSet,
} from "../generated/CuriaGovernor/CuriaGovernor";
import { Proposal, ProposalAction, TimelockOperation, Vote } from "../generated/schema";
import { decodeCall } from "./actions";
import {
  compositeId,
  loadOrCreateAccount,
  loadOrCreateDailyStat,
  loadOrCreateDelegate,
  loadOrCreateProtocol,
  recordParameterChange,
  recordUpgrade,
  ZERO,
} from "./helpers";
import { refreshPendingQuorums } from "./quorum";

const GOVERNOR = "CuriaGovernor";
const HUNDRED = BigInt.fromI32(100);
const SUPPORT_NAMES: Array<string> = ["Against", "For", "Abstain"];

export function handleProposalCreated(event: ProposalCreated): void {
  const protocol = loadOrCreateProtocol();
  const id = event.params.proposalId.toString();
  loadOrCreateAccount(event.params.proposer);
  const proposal = new Proposal(id);
  proposal.proposalId = event.params.proposalId;
  proposal.proposer = event.params.proposer.toHexString();
  proposal.description = event.params.description;
  proposal.status = "Pending";
  proposal.actionCount = event.params.targets.length;
  proposal.voteStart = event.params.voteStart;
  proposal.voteEnd = event.params.voteEnd;
  proposal.extended = false;
  // Provisional until the snapshot passes: supply and quorum changes before it are applied by refreshPendingQuorums.
  proposal.quorumNumerator = protocol.quorumNumerator;
  proposal.totalSupplyAtSnapshot = protocol.totalSupply;
  proposal.quorum = protocol.totalSupply.times(protocol.quorumNumerator).div(HUNDRED);
  proposal.forVotes = ZERO;
  proposal.againstVotes = ZERO;
  proposal.abstainVotes = ZERO;
  proposal.voteCount = 0;
  proposal.eta = null;
  proposal.createdAt = event.block.timestamp;
  proposal.createdBlock = event.block.number;
  proposal.createdTransaction = event.transaction.hash;
  proposal.queuedAt = null;
  proposal.queuedTransaction = null;
  proposal.executedAt = null;
  proposal.executedTransaction = null;
  proposal.canceledAt = null;
  proposal.canceledTransaction = null;
  proposal.save();

  const targets = event.params.targets;
  const values = event.params.values;
  const signatures = event.params.signatures;
  const calldatas = event.params.calldatas;
  for (let i = 0; i < targets.length; i++) {
    const action = new ProposalAction(compositeId([id, i.toString()]));
    const calldata = calldatas[i];
    const decoded = decodeCall(calldata);
    action.proposal = id;
    action.index = i;
    action.target = targets[i];
    action.value = values[i];
    action.signature = signatures[i];
    action.calldata = calldata;
    action.selector = calldata.length >= 4 ? Bytes.fromUint8Array(calldata.subarray(0, 4)) : null;
    action.functionSignature = decoded.signature;
    action.arguments = decoded.args;
    action.save();
  }

  const pending = protocol.pendingSnapshotProposals;
  pending.push(id);
  protocol.pendingSnapshotProposals = pending;
  protocol.proposalCount += 1;
  protocol.save();
  const stat = loadOrCreateDailyStat(event.block);
  stat.proposalsCreated += 1;
  stat.save();
}

export function handleProposalQueued(event: ProposalQueued): void {
  const proposal = Proposal.load(event.params.proposalId.toString());
  if (proposal == null) return;
  proposal.status = "Queued";
  proposal.eta = event.params.etaSeconds;
  proposal.queuedAt = event.block.timestamp;
  proposal.queuedTransaction = event.transaction.hash;
  proposal.save();
  // The timelock emitted CallScheduled just before, in this same transaction: link the operation to the proposal.
  const protocol = loadOrCreateProtocol();
  const lastTx = protocol.lastScheduledTransaction;
  const lastOperation = protocol.lastScheduledOperation;
  if (lastTx === null || lastOperation === null) return;
  if (!lastTx.equals(event.transaction.hash)) return;
  const operation = TimelockOperation.load(lastOperation);
  if (operation == null) return;
  operation.proposal = proposal.id;
  operation.save();
}

export function handleProposalExecuted(event: ProposalExecuted): void {
  const proposal = Proposal.load(event.params.proposalId.toString());
  if (proposal == null) return;
  proposal.status = "Executed";
  proposal.executedAt = event.block.timestamp;
  proposal.executedTransaction = event.transaction.hash;
  proposal.save();
}

export function handleProposalCanceled(event: ProposalCanceled): void {
  const proposal = Proposal.load(event.params.proposalId.toString());
  if (proposal == null) return;
  proposal.status = "Canceled";
  proposal.canceledAt = event.block.timestamp;
  proposal.canceledTransaction = event.transaction.hash;
  proposal.save();
}

export function handleProposalExtended(event: ProposalExtended): void {
  const proposal = Proposal.load(event.params.proposalId.toString());
  if (proposal == null) return;
  proposal.voteEnd = event.params.extendedDeadline;
  proposal.extended = true;
  proposal.save();
}

function recordVote(
  event: ethereum.Event,
  voter: Address,
  proposalId: BigInt,
  support: i32,
  weight: BigInt,
  reason: string,
  params: Bytes,
): void {
  const id = proposalId.toString();
  const proposal = Proposal.load(id);
  if (proposal == null) return;
  const delegate = loadOrCreateDelegate(voter);
  const vote = new Vote(compositeId([id, voter.toHexString()]));
  vote.proposal = id;
  vote.voter = delegate.id;
  vote.support = support >= 0 && support < SUPPORT_NAMES.length ? SUPPORT_NAMES[support] : "Abstain";
  vote.weight = weight;
  vote.reason = reason;
  vote.params = params;
  vote.blockNumber = event.block.number;
  vote.timestamp = event.block.timestamp;
  vote.transaction = event.transaction.hash;
  vote.save();

  if (support == 0) proposal.againstVotes = proposal.againstVotes.plus(weight);
  else if (support == 1) proposal.forVotes = proposal.forVotes.plus(weight);
  else proposal.abstainVotes = proposal.abstainVotes.plus(weight);
  proposal.voteCount += 1;
  proposal.save();
  delegate.voteCount += 1;
  delegate.save();
  const protocol = loadOrCreateProtocol();
  protocol.voteCount += 1;
  protocol.save();
  const stat = loadOrCreateDailyStat(event.block);
  stat.votesCast += 1;
  stat.votingPowerCast = stat.votingPowerCast.plus(weight);
  stat.save();
}

export function handleVoteCast(event: VoteCast): void {
  const p = event.params;
  // `new Bytes(0)`, not `Bytes.empty()`: graph-ts 0.38 makes the latter four zero bytes.
  recordVote(event, p.voter, p.proposalId, p.support, p.weight, p.reason, new Bytes(0));
}

export function handleVoteCastWithParams(event: VoteCastWithParams): void {
  const p = event.params;
  recordVote(event, p.voter, p.proposalId, p.support, p.weight, p.reason, p.params);
}

export function handleVotingDelaySet(event: VotingDelaySet): void {
  const protocol = loadOrCreateProtocol();
  protocol.votingDelay = event.params.newVotingDelay;
  protocol.save();
  const p = event.params;
  recordParameterChange(event, GOVERNOR, "VotingDelay", null, p.oldVotingDelay.toString(), p.newVotingDelay.toString());
}

export function handleVotingPeriodSet(event: VotingPeriodSet): void {
  const protocol = loadOrCreateProtocol();
  protocol.votingPeriod = event.params.newVotingPeriod;
  protocol.save();
  const p = event.params;
  recordParameterChange(
    event,
    GOVERNOR,
    "VotingPeriod",
    null,
    p.oldVotingPeriod.toString(),
    p.newVotingPeriod.toString(),
  );
}

export function handleProposalThresholdSet(event: ProposalThresholdSet): void {
  const protocol = loadOrCreateProtocol();
  protocol.proposalThreshold = event.params.newProposalThreshold;
  protocol.save();
  const p = event.params;
  recordParameterChange(
    event,
    GOVERNOR,
    "ProposalThreshold",
    null,
    p.oldProposalThreshold.toString(),
    p.newProposalThreshold.toString(),
  );
}

export function handleQuorumNumeratorUpdated(event: QuorumNumeratorUpdated): void {
  const protocol = loadOrCreateProtocol();
  protocol.quorumNumerator = event.params.newQuorumNumerator;
  protocol.save();
  refreshPendingQuorums(event.block.timestamp);
  const p = event.params;
  recordParameterChange(
    event,
    GOVERNOR,
    "QuorumNumerator",
    null,
    p.oldQuorumNumerator.toString(),
    p.newQuorumNumerator.toString(),
  );
}

export function handleLateQuorumVoteExtensionSet(event: LateQuorumVoteExtensionSet): void {
  const protocol = loadOrCreateProtocol();
  protocol.lateQuorumVoteExtension = event.params.newVoteExtension;
  protocol.save();
  const p = event.params;
  recordParameterChange(
    event,
    GOVERNOR,
    "LateQuorumVoteExtension",
    null,
    p.oldVoteExtension.toString(),
    p.newVoteExtension.toString(),
  );
}

export function handleProposalGuardianSet(event: ProposalGuardianSet): void {
  const protocol = loadOrCreateProtocol();
  protocol.proposalGuardian = event.params.newProposalGuardian;
  protocol.save();
  const p = event.params;
  recordParameterChange(
    event,
    GOVERNOR,
    "ProposalGuardian",
    null,
    p.oldProposalGuardian.toHexString(),
    p.newProposalGuardian.toHexString(),
  );
}

export function handleProposalGuardianTermSet(event: ProposalGuardianTermSet): void {
  const protocol = loadOrCreateProtocol();
  protocol.proposalGuardianTermEnd = event.params.newTermEnd;
  protocol.save();
  const p = event.params;
  recordParameterChange(
    event,
    GOVERNOR,
    "ProposalGuardianTerm",
    null,
    p.oldTermEnd.toString(),
    p.newTermEnd.toString(),
  );
}

export function handleTimelockChange(event: TimelockChange): void {
  const p = event.params;
  recordParameterChange(event, GOVERNOR, "Timelock", null, p.oldTimelock.toHexString(), p.newTimelock.toHexString());
}

export function handleUpgraded(event: Upgraded): void {
  recordUpgrade(event, GOVERNOR, event.params.implementation);
}
