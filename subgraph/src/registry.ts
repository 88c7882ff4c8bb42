// Mapping of ListingRegistry events: listings, their purchases, quality and challenges, and the marketplace's settings.
import { Address, ethereum } from "@graphprotocol/graph-ts";
import {
  ApplicationPeriodSet,
  CallsPurchased,
  ChallengeRoleSet,
  CurationPoolSet,
  DefaultQualitySet,
  EarningsEscrowPeriodSet,
  EarningsEscrowSlashed,
  EarningsReleased,
  FeeSharesSet,
  ListingActivated,
  ListingBondIncreased,
  ListingChallenged,
  ListingChallengeResolved,
  ListingCreated,
  ListingEndpointUpdated,
  ListingMetadataUpdated,
  ListingPauseSet,
  ListingPriceUpdated,
  ListingQualityUpdated,
  ListingWithdrawalRequested,
  ListingWithdrawn,
  MarketPausedSet,
  MaxEscrowPerBondSet,
  MinBondSet,
  PauseGuardianSet,
  PauseGuardianTermSet,
  ProtocolFeeSet,
  ServingKeySet,
  Upgraded,
  ValidationRoleSet,
  ValidatorRewardPoolSet,
  WithdrawalDelaySet,
  ModelSlashed,
  FeesSwept,
  StrayTokensSwept,
} from "../generated/ListingRegistry/ListingRegistry";
import { Listing, ModelSlash, Purchase, QualityUpdate, ServingKeyChange } from "../generated/schema";
import {
  eventId,
  loadOrCreateDailyStat,
  loadOrCreateListing,
  loadOrCreateProtocol,
  recordParameterChange,
  recordParameterStructChange,
  recordUpgrade,
  ZERO,
  newTokenSweep,
  recordStrayTokensSwept,
} from "./helpers";

const REGISTRY = "ListingRegistry";
/** IListingRegistry.ListingStatus, by its uint8 value. */
const LISTING_STATUS: Array<string> = ["None", "Pending", "Active", "Challenged", "Delisted", "Withdrawn"];

export function handleListingCreated(event: ListingCreated): void {
  const p = event.params;
  const listing = loadOrCreateListing(p.listingId, event);
  listing.provider = p.provider;
  listing.modelHash = p.modelHash;
  listing.metadataURI = p.metadataURI;
  listing.endpointURI = p.endpointURI;
  listing.pricePerCall = p.pricePerCall;
  listing.bond = p.bond;
  listing.status = "Pending";
  listing.activatesAt = p.activatesAt;
  listing.createdAt = event.block.timestamp;
  listing.createdBlock = event.block.number;
  listing.createdTransaction = event.transaction.hash;
  listing.save();
  const protocol = loadOrCreateProtocol();
  protocol.listingCount += 1;
  protocol.save();
  const stat = loadOrCreateDailyStat(event.block);
  stat.listingsCreated += 1;
  stat.save();
}

export function handleListingActivated(event: ListingActivated): void {
  const listing = loadOrCreateListing(event.params.listingId, event);
  listing.status = "Active";
  listing.save();
}

export function handleListingMetadataUpdated(event: ListingMetadataUpdated): void {
  const listing = loadOrCreateListing(event.params.listingId, event);
  listing.metadataURI = event.params.newMetadataURI;
  listing.save();
}

export function handleListingEndpointUpdated(event: ListingEndpointUpdated): void {
  const listing = loadOrCreateListing(event.params.listingId, event);
  listing.endpointURI = event.params.newEndpointURI;
  listing.save();
}

export function handleListingPriceUpdated(event: ListingPriceUpdated): void {
  const listing = loadOrCreateListing(event.params.listingId, event);
  listing.pricePerCall = event.params.newPricePerCall;
  listing.save();
}

export function handleListingPauseSet(event: ListingPauseSet): void {
  const listing = loadOrCreateListing(event.params.listingId, event);
  listing.paused = event.params.paused;
  listing.save();
}

export function handleListingWithdrawalRequested(event: ListingWithdrawalRequested): void {
  const listing = loadOrCreateListing(event.params.listingId, event);
  listing.withdrawableAt = event.params.withdrawableAt;
  listing.save();
}

export function handleListingBondIncreased(event: ListingBondIncreased): void {
  const listing = loadOrCreateListing(event.params.listingId, event);
  listing.bond = event.params.newBond;
  listing.save();
}

export function handleMaxEscrowPerBondSet(event: MaxEscrowPerBondSet): void {
  record(event, "MaxEscrowPerBond", event.params.oldBps.toString(), event.params.newBps.toString());
}

export function handleListingWithdrawn(event: ListingWithdrawn): void {
  const listing = loadOrCreateListing(event.params.listingId, event);
  listing.status = "Withdrawn";
  listing.bond = ZERO;
  listing.save();
}

export function handleListingChallenged(event: ListingChallenged): void {
  const listing = loadOrCreateListing(event.params.listingId, event);
  listing.status = "Challenged";
  listing.activeDispute = event.params.disputeId.toString();
  listing.save();
}

export function handleListingChallengeResolved(event: ListingChallengeResolved): void {
  const listing = loadOrCreateListing(event.params.listingId, event);
  const status = event.params.newStatus;
  if (status > 0 && status < LISTING_STATUS.length) listing.status = LISTING_STATUS[status];
  listing.activeDispute = null;
  listing.bondSlashed = listing.bondSlashed.plus(event.params.bondSlashed);
  if (event.params.delisted) listing.bond = ZERO;
  listing.save();
}

export function handleListingQualityUpdated(event: ListingQualityUpdated): void {
  const listing = loadOrCreateListing(event.params.listingId, event);
  listing.qualityBps = event.params.newQualityBps;
  listing.save();
  const update = new QualityUpdate(eventId(event));
  update.listing = listing.id;
  update.oldQualityBps = event.params.oldQualityBps;
  update.newQualityBps = event.params.newQualityBps;
  update.timestamp = event.block.timestamp;
  update.transaction = event.transaction.hash;
  update.save();
}

export function handleCallsPurchased(event: CallsPurchased): void {
  const p = event.params;
  const listing: Listing = loadOrCreateListing(p.listingId, event);
  // A purchase activates a Pending listing past its application period lazily (ListingActivated comes first).
  const fees = p.treasuryFee.plus(p.curatorFee).plus(p.validatorFee);
  listing.purchaseCount += 1;
  listing.callsSold = listing.callsSold.plus(p.calls);
  listing.revenue = listing.revenue.plus(p.cost);
  listing.providerRevenue = listing.providerRevenue.plus(p.providerAmount);
  listing.curatorFees = listing.curatorFees.plus(p.curatorFee);
  // The provider's part waits in the listing's escrow (EarningsReleased moves it on).
  listing.escrowedEarnings = listing.escrowedEarnings.plus(p.providerAmount);
  listing.save();

  const purchase = new Purchase(eventId(event));
  purchase.listing = listing.id;
  purchase.buyer = p.buyer;
  purchase.beneficiary = p.beneficiary;
  purchase.calls = p.calls;
  purchase.cost = p.cost;
  purchase.providerAmount = p.providerAmount;
  purchase.treasuryFee = p.treasuryFee;
  purchase.curatorFee = p.curatorFee;
  purchase.validatorFee = p.validatorFee;
  purchase.qualityBps = p.qualityBps;
  purchase.blockNumber = event.block.number;
  purchase.timestamp = event.block.timestamp;
  purchase.transaction = event.transaction.hash;
  purchase.save();

  const protocol = loadOrCreateProtocol();
  protocol.totalFees = protocol.totalFees.plus(fees);
  protocol.save();
  const stat = loadOrCreateDailyStat(event.block);
  stat.purchases += 1;
  stat.callsSold = stat.callsSold.plus(p.calls);
  stat.purchaseVolume = stat.purchaseVolume.plus(p.cost);
  stat.fees = stat.fees.plus(fees);
  stat.save();
}

// ------------------------------------------------------------------ governed settings

function record(event: ethereum.Event, parameter: string, oldValue: string, newValue: string): void {
  recordParameterChange(event, REGISTRY, parameter, null, oldValue, newValue);
}

export function handleMinBondSet(event: MinBondSet): void {
  record(event, "MinBond", event.params.oldMinBond.toString(), event.params.newMinBond.toString());
}

export function handleApplicationPeriodSet(event: ApplicationPeriodSet): void {
  const p = event.params;
  record(event, "ApplicationPeriod", p.oldApplicationPeriod.toString(), p.newApplicationPeriod.toString());
}

export function handleWithdrawalDelaySet(event: WithdrawalDelaySet): void {
  const p = event.params;
  record(event, "WithdrawalDelay", p.oldWithdrawalDelay.toString(), p.newWithdrawalDelay.toString());
}

export function handleProtocolFeeSet(event: ProtocolFeeSet): void {
  record(event, "ProtocolFee", event.params.oldFeeBps.toString(), event.params.newFeeBps.toString());
}

export function handleFeeSharesSet(event: FeeSharesSet): void {
  const p = event.params;
  recordParameterStructChange(
    event,
    REGISTRY,
    "FeeShares",
    ["treasuryShareBps", "curatorShareBps", "validatorShareBps"],
    [p.oldTreasuryShareBps.toString(), p.oldCuratorShareBps.toString(), p.oldValidatorShareBps.toString()],
    [p.newTreasuryShareBps.toString(), p.newCuratorShareBps.toString(), p.newValidatorShareBps.toString()],
  );
}

export function handleDefaultQualitySet(event: DefaultQualitySet): void {
  record(event, "DefaultQuality", event.params.oldQualityBps.toString(), event.params.newQualityBps.toString());
}

export function handleEarningsEscrowPeriodSet(event: EarningsEscrowPeriodSet): void {
  record(event, "EarningsEscrowPeriod", event.params.oldPeriod.toString(), event.params.newPeriod.toString());
}

export function handleServingKeySet(event: ServingKeySet): void {
  const p = event.params;
  const listing = loadOrCreateListing(p.listingId, event);
  listing.servingKey = p.newKey;
  listing.save();
  const change = new ServingKeyChange(eventId(event));
  change.listing = listing.id;
  change.key = p.newKey;
  change.previousKey = p.oldKey.equals(Address.zero()) ? null : p.oldKey;
  change.validFrom = event.block.timestamp;
  change.block = event.block.number;
  change.transaction = event.transaction.hash;
  change.save();
}

export function handleEarningsReleased(event: EarningsReleased): void {
  const p = event.params;
  const listing = loadOrCreateListing(p.listingId, event);
  listing.escrowedEarnings = listing.escrowedEarnings.minus(p.amount);
  listing.earningsReleased = listing.earningsReleased.plus(p.amount);
  listing.save();
}

export function handleEarningsEscrowSlashed(event: EarningsEscrowSlashed): void {
  const p = event.params;
  const listing = loadOrCreateListing(p.listingId, event);
  listing.escrowedEarnings = listing.escrowedEarnings.minus(p.amount);
  listing.escrowSlashed = listing.escrowSlashed.plus(p.amount);
  listing.save();
}

export function handleValidationRoleSet(event: ValidationRoleSet): void {
  const p = event.params;
  record(event, "ValidationRole", p.oldValidation.toHexString(), p.newValidation.toHexString());
}

export function handleChallengeRoleSet(event: ChallengeRoleSet): void {
  const p = event.params;
  record(event, "ChallengeRole", p.oldChallenges.toHexString(), p.newChallenges.toHexString());
}

export function handleValidatorRewardPoolSet(event: ValidatorRewardPoolSet): void {
  record(event, "ValidatorRewardPool", event.params.oldPool.toHexString(), event.params.newPool.toHexString());
}

export function handlePauseGuardianSet(event: PauseGuardianSet): void {
  const p = event.params;
  record(event, "PauseGuardian", p.oldGuardian.toHexString(), p.newGuardian.toHexString());
}

export function handleMarketPausedSet(event: MarketPausedSet): void {
  // The event carries only the new state: the old one is its opposite unless the call changed nothing.
  const p = event.params;
  recordParameterChange(event, REGISTRY, "MarketPaused", p.by.toHexString(), "", p.paused ? "true" : "false");
}

/** The guardian's term: it may pause until `termEnd` (keyed by the guardian; 0 when none is named). */
export function handlePauseGuardianTermSet(event: PauseGuardianTermSet): void {
  const p = event.params;
  recordParameterChange(event, REGISTRY, "PauseGuardianTerm", p.guardian.toHexString(), "", p.termEnd.toString());
}

export function handleCurationPoolSet(event: CurationPoolSet): void {
  record(event, "CurationPool", event.params.oldPool.toHexString(), event.params.newPool.toHexString());
}

export function handleUpgraded(event: Upgraded): void {
  recordUpgrade(event, REGISTRY, event.params.implementation);
}

/** A delisting's slash recorded against the model's hash: the registry counts slashes per model, across listings. */
export function handleModelSlashed(event: ModelSlashed): void {
  const p = event.params;
  const listing = loadOrCreateListing(p.listingId, event);
  listing.modelSlashCount = p.slashes;
  listing.save();
  const slash = new ModelSlash(eventId(event));
  slash.listing = listing.id;
  slash.modelHash = p.modelHash;
  slash.slashes = p.slashes;
  slash.timestamp = event.block.timestamp;
  slash.block = event.block.number;
  slash.transaction = event.transaction.hash;
  slash.save();
}

export function handleStrayTokensSwept(event: StrayTokensSwept): void {
  const p = event.params;
  recordStrayTokensSwept(event, REGISTRY, p.token, p.treasury, p.amount);
}

/** The accrued treasury and validator fees sent on: one sweep row, the validators' part beside the treasury's. */
export function handleFeesSwept(event: FeesSwept): void {
  const p = event.params;
  const sweep = newTokenSweep(event, "Fees", REGISTRY, p.treasuryAmount);
  sweep.to = p.treasury;
  sweep.validatorAmount = p.validatorAmount;
  sweep.validatorRewardPool = p.validatorRewardPool;
  sweep.save();
}
