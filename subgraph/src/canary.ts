// Mapping of CanaryAudits events: the operator's roots of canary truths by epoch, the audits of finalized validation
// rounds against them (members caught and slashed, catchers paid), the bounty balance's funding and withdrawals, and
// the contract's settings. The slashes themselves move validators' stake through the ValidatorPool's
// StakeAuditSlashed (validator-pool.ts); here they are tied to the audit that caused them.
import { ethereum } from "@graphprotocol/graph-ts";
import {
  AuditParametersSet,
  BountiesFunded,
  BountiesWithdrawn,
  BountyBudgetSet,
  CanaryAudited,
  CatcherPaid,
  OperatorSet,
  RootCommitted,
  StrayTokensSwept,
  Upgraded,
  ValidatorCaught,
} from "../generated/CanaryAudits/CanaryAudits";
import { CanaryAudit, CanaryBountyFlow, CanaryCatch, CanaryCatcherPayment, CanaryRoot } from "../generated/schema";
import {
  compositeId,
  eventId,
  loadOrCreateValidationRound,
  loadOrCreateValidator,
  recordParameterChange,
  recordParameterTupleChange,
  recordStrayTokensSwept,
  recordUpgrade,
} from "./helpers";

const CANARY = "CanaryAudits";
/** ICanaryAudits.AuditParameters' fields, in order. */
const PARAMETER_NAMES: Array<string> = ["canarySlashBps", "catcherShareBps", "auditWindow", "bountyPerSeat"];

export function handleRootCommitted(event: RootCommitted): void {
  const root = new CanaryRoot(event.params.epoch.toString());
  root.epoch = event.params.epoch;
  root.root = event.params.root;
  root.committedAt = event.block.timestamp;
  root.block = event.block.number;
  root.transaction = event.transaction.hash;
  root.save();
}

/** Emitted before the audit's CanaryAudited in the same transaction; a round is audited once, so its id is the audit's. */
export function handleValidatorCaught(event: ValidatorCaught): void {
  const p = event.params;
  const caught = new CanaryCatch(compositeId([p.roundId.toString(), p.validator.toHexString()]));
  caught.audit = p.roundId.toString();
  caught.round = p.roundId.toString();
  caught.validator = loadOrCreateValidator(p.validator).id;
  caught.listing = p.listingId.toString();
  caught.scoreBps = p.scoreBps;
  caught.slashed = p.slashed;
  caught.save();
}

export function handleCatcherPaid(event: CatcherPaid): void {
  const p = event.params;
  const paid = new CanaryCatcherPayment(compositeId([p.roundId.toString(), p.validator.toHexString()]));
  paid.audit = p.roundId.toString();
  paid.round = p.roundId.toString();
  paid.validator = loadOrCreateValidator(p.validator).id;
  paid.seats = p.seats;
  paid.reward = p.reward;
  paid.bounty = p.bounty;
  paid.save();
}

export function handleCanaryAudited(event: CanaryAudited): void {
  const p = event.params;
  const audit = new CanaryAudit(p.roundId.toString());
  audit.commitment = p.commitment;
  audit.round = p.roundId.toString();
  audit.listing = p.listingId.toString();
  audit.trueScoreBps = p.trueScoreBps;
  audit.caught = p.caught;
  audit.catchingSeats = p.catchingSeats;
  audit.slashed = p.slashed;
  audit.toCatchers = p.toCatchers;
  audit.toPool = p.toPool;
  audit.bounties = p.bounties;
  audit.timestamp = event.block.timestamp;
  audit.transaction = event.transaction.hash;
  audit.save();
  const round = loadOrCreateValidationRound(p.roundId, event);
  round.canaryAudit = audit.id;
  round.save();
}

function bountyFlow(event: ethereum.Event, kind: string): CanaryBountyFlow {
  const flow = new CanaryBountyFlow(eventId(event));
  flow.kind = kind;
  flow.funder = null;
  flow.timestamp = event.block.timestamp;
  flow.transaction = event.transaction.hash;
  return flow;
}

export function handleBountiesFunded(event: BountiesFunded): void {
  const flow = bountyFlow(event, "Funded");
  flow.funder = event.params.funder;
  flow.amount = event.params.amount;
  flow.save();
}

export function handleBountiesWithdrawn(event: BountiesWithdrawn): void {
  const flow = bountyFlow(event, "Withdrawn");
  flow.amount = event.params.amount;
  flow.save();
}

export function handleOperatorSet(event: OperatorSet): void {
  const p = event.params;
  recordParameterChange(event, CANARY, "Operator", null, p.oldOperator.toHexString(), p.newOperator.toHexString());
}

export function handleBountyBudgetSet(event: BountyBudgetSet): void {
  const p = event.params;
  recordParameterChange(event, CANARY, "BountyBudget", null, p.oldBudget.toString(), p.newBudget.toString());
}

export function handleAuditParametersSet(event: AuditParametersSet): void {
  const p = event.params;
  recordParameterTupleChange(event, CANARY, "AuditParameters", PARAMETER_NAMES, p.oldParameters, p.newParameters);
}

export function handleStrayTokensSwept(event: StrayTokensSwept): void {
  const p = event.params;
  recordStrayTokensSwept(event, CANARY, p.token, p.treasury, p.amount);
}

export function handleUpgraded(event: Upgraded): void {
  recordUpgrade(event, CANARY, event.params.implementation);
}
