// Mapping of ListingChallenges events, the marketplace's side of a Court dispute: the listing challenged, the
// challenger's bond, ERC-1497 meta-evidence and evidence, and the split of the loser's stake once the Court has ruled.
// They complete the Dispute entity the Court's DisputeCreated opens earlier in the same transaction (court.ts).
import {
  AppealContribution as AppealContributionEvent,
  AppealDefaulted,
  AppealFundingParametersSet,
  AppealFundsWithdrawn,
  AppealRaised,
  ChallengeParametersSet,
  Dispute as DisputeEvent,
  Evidence as EvidenceEvent,
  ChallengeOpened,
  ChallengeResolved,
  FraudProofFiled,
  PooledBondReturned,
  ReceiptRecorded,
  ListingMetaEvidenceSet,
  EvidenceBaseURISet,
  MetaEvidence as MetaEvidenceEvent,
  Upgraded,
  StrayTokensSwept,
} from "../generated/ListingChallenges/ListingChallenges";
import {
  AppealContribution,
  AppealWithdrawal,
  Evidence,
  FraudProof,
  MetaEvidence,
  ReceiptRecord,
} from "../generated/schema";
import {
  eventId,
  loadOrCreateDispute,
  metaEvidenceId,
  recordParameterChange,
  recordParameterTupleChange,
  recordUpgrade,
  recordStrayTokensSwept,
} from "./helpers";

const CHALLENGES = "ListingChallenges";

// ------------------------------------------------------------------ challenges

export function handleChallengeOpened(event: ChallengeOpened): void {
  // The Court's DisputeCreated, earlier in the same transaction, set the parties and the fee.
  const p = event.params;
  const dispute = loadOrCreateDispute(p.disputeId, event);
  dispute.listing = p.listingId.toString();
  dispute.challenger = p.challenger;
  dispute.bond = p.bond;
  dispute.save();
}

export function handleChallengeResolved(event: ChallengeResolved): void {
  const p = event.params;
  const dispute = loadOrCreateDispute(p.disputeId, event);
  dispute.winner = p.winner;
  dispute.loserStake = p.loserStake;
  dispute.curatorSlash = p.curatorSlash;
  dispute.toWinner = p.toWinner;
  dispute.toJurors = p.toJurors;
  // `p.toTreasury` went to the Court with the jurors' share (one pull): the Court's RulingExecuted, right after,
  // reports it in its own toTreasury with what no coherent seat earned, so it is not added here.
  dispute.save();
}

export function handlePooledBondReturned(event: PooledBondReturned): void {
  // ChallengeResolved, right after in the same transaction, adds the jurors' share of the same bond.
  const dispute = loadOrCreateDispute(event.params.disputeId, event);
  dispute.returnedToPool = event.params.amount;
  dispute.save();
}

// ------------------------------------------------------------------ crowdfunded appeals

export function handleAppealContribution(event: AppealContributionEvent): void {
  const p = event.params;
  const contribution = new AppealContribution(eventId(event));
  contribution.dispute = p.disputeId.toString();
  contribution.round = p.round;
  contribution.contributor = p.contributor;
  contribution.side = p.side;
  contribution.amount = p.amount;
  contribution.sidePaid = p.paid;
  contribution.sideRequired = p.required;
  contribution.timestamp = event.block.timestamp;
  contribution.transaction = event.transaction.hash;
  contribution.save();
}

export function handleAppealRaised(event: AppealRaised): void {
  // The Court's AppealFunded, in the same transaction, opens the next round (court.ts).
  const dispute = loadOrCreateDispute(event.params.disputeId, event);
  dispute.crowdfundedAppeals = dispute.crowdfundedAppeals + 1;
  dispute.save();
}

export function handleAppealDefaulted(event: AppealDefaulted): void {
  // ChallengeResolved, right after in the same transaction, reports the split under this ruling.
  const dispute = loadOrCreateDispute(event.params.disputeId, event);
  dispute.defaultRuling = event.params.ruling;
  dispute.save();
}

export function handleAppealFundsWithdrawn(event: AppealFundsWithdrawn): void {
  const p = event.params;
  const withdrawal = new AppealWithdrawal(eventId(event));
  withdrawal.dispute = p.disputeId.toString();
  withdrawal.round = p.round;
  withdrawal.contributor = p.contributor;
  withdrawal.amount = p.amount;
  withdrawal.timestamp = event.block.timestamp;
  withdrawal.transaction = event.transaction.hash;
  withdrawal.save();
}

export function handleFraudProofFiled(event: FraudProofFiled): void {
  // ChallengeOpened, earlier in the same transaction, linked the dispute to the listing and the bond.
  const p = event.params;
  const receipt = p.receipt;
  const proof = new FraudProof(p.disputeId.toString());
  proof.dispute = p.disputeId.toString();
  proof.listing = p.listingId.toString();
  proof.filer = p.filer;
  proof.receiptDigest = p.receiptDigest;
  proof.signer = p.signer;
  proof.caller = receipt.caller;
  proof.nonce = receipt.nonce;
  proof.modelHash = receipt.modelHash;
  proof.inputHash = receipt.inputHash;
  proof.outputHash = receipt.outputHash;
  proof.servedAt = receipt.servedAt;
  proof.inputURI = p.inputURI;
  proof.outputURI = p.outputURI;
  proof.timestamp = event.block.timestamp;
  proof.block = event.block.number;
  proof.transaction = event.transaction.hash;
  proof.save();
}

export function handleReceiptRecorded(event: ReceiptRecorded): void {
  const p = event.params;
  const record = new ReceiptRecord(eventId(event));
  record.receiptDigest = p.receiptDigest;
  record.listing = p.listingId.toString();
  record.recordedBy = p.by;
  record.firstFiledAt = p.firstFiledAt;
  record.timestamp = event.block.timestamp;
  record.block = event.block.number;
  record.transaction = event.transaction.hash;
  record.save();
}

// ------------------------------------------------------------------ ERC-1497 evidence

export function handleMetaEvidence(event: MetaEvidenceEvent): void {
  const p = event.params;
  const metaEvidence = new MetaEvidence(metaEvidenceId(event.address, p.metaEvidenceId));
  metaEvidence.arbitrable = event.address;
  metaEvidence.metaEvidenceId = p.metaEvidenceId;
  metaEvidence.uri = p.evidence;
  metaEvidence.timestamp = event.block.timestamp;
  metaEvidence.transaction = event.transaction.hash;
  metaEvidence.save();
}

export function handleDispute(event: DisputeEvent): void {
  const p = event.params;
  const dispute = loadOrCreateDispute(p.disputeId, event);
  dispute.metaEvidenceId = p.metaEvidenceId;
  const id = metaEvidenceId(event.address, p.metaEvidenceId);
  // A link only to meta-evidence this subgraph saw announced (before the start block it did not).
  if (MetaEvidence.load(id) != null) dispute.metaEvidence = id;
  dispute.save();
}

export function handleEvidence(event: EvidenceEvent): void {
  const evidence = new Evidence(eventId(event));
  evidence.dispute = event.params.evidenceGroupId.toString();
  evidence.party = event.params.party;
  evidence.uri = event.params.evidence;
  evidence.timestamp = event.block.timestamp;
  evidence.transaction = event.transaction.hash;
  evidence.save();
}

// ------------------------------------------------------------------ governed settings

/** IListingChallenges.ChallengeParameters' fields, in order. */
const PARAMETER_NAMES: Array<string> = ["minChallengeBond", "winnerShareBps", "jurorShareBps", "treasuryShareBps"];

export function handleChallengeParametersSet(event: ChallengeParametersSet): void {
  const p = event.params;
  recordParameterTupleChange(
    event,
    CHALLENGES,
    "ChallengeParameters",
    PARAMETER_NAMES,
    p.oldParameters,
    p.newParameters,
  );
}

/** IListingChallenges.AppealFundingParameters' fields, in order. */
const APPEAL_PARAMETER_NAMES: Array<string> = ["winnerMultiplierBps", "loserMultiplierBps"];

export function handleAppealFundingParametersSet(event: AppealFundingParametersSet): void {
  const p = event.params;
  recordParameterTupleChange(
    event,
    CHALLENGES,
    "AppealFundingParameters",
    APPEAL_PARAMETER_NAMES,
    p.oldParameters,
    p.newParameters,
  );
}

export function handleListingMetaEvidenceSet(event: ListingMetaEvidenceSet): void {
  const p = event.params;
  const oldValue = p.oldMetaEvidenceId.toString();
  recordParameterChange(event, CHALLENGES, "ListingMetaEvidence", null, oldValue, p.newMetaEvidenceId.toString());
}

export function handleEvidenceBaseURISet(event: EvidenceBaseURISet): void {
  const p = event.params;
  recordParameterChange(event, CHALLENGES, "EvidenceBaseURI", null, p.oldBaseURI, p.newBaseURI);
}

export function handleUpgraded(event: Upgraded): void {
  recordUpgrade(event, CHALLENGES, event.params.implementation);
}

export function handleStrayTokensSwept(event: StrayTokensSwept): void {
  const p = event.params;
  recordStrayTokensSwept(event, CHALLENGES, p.token, p.treasury, p.amount);
}
