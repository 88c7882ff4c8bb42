// Mapping of CurationPool events: curators' positions on listings (shares and stake at the pool's share price, and
// their unclaimed rewards by the pool's reward-per-share accounting), their history, the fees shared, slashes, and the
// pool's settings.
import { BigInt, ethereum } from "@graphprotocol/graph-ts";
import {
  CuratorsSlashed,
  ExitsFrozen,
  ExitsUnfrozen,
  FeesDistributed,
  MinStakeSet,
  RewardsClaimed,
  SlashBpsSet,
  SlasherSet,
  StakeActivated,
  Staked,
  StakeWithdrawn,
  ThawingPeriodSet,
  UnstakeRequested,
  UnderReviewSet,
  Upgraded,
  WarmingStakeSlashed,
  WarmupPeriodSet,
  DustSwept,
  StrayTokensSwept,
  TreasuryFeesSwept,
} from "../generated/CurationPool/CurationPool";
import { CurationEvent, CurationPosition, Listing } from "../generated/schema";
import {
  addStake,
  eventId,
  loadOrCreateCurationPosition,
  loadOrCreateListing,
  recordParameterChange,
  recordUpgrade,
  StakeKind,
  ZERO,
  newTokenSweep,
  recordStrayTokensSwept,
} from "./helpers";

const POOL = "CurationPool";
/** CurationPool's reward-per-share scale. */
const PRECISION = BigInt.fromString("1000000000000000000000000000");

/** ⌊shares × rewardPerShare / 10^27⌋ (CurationPool._accrued). */
function accrued(shares: BigInt, rewardPerShare: BigInt): BigInt {
  return shares.times(rewardPerShare).div(PRECISION);
}

/**
 * CurationPool._settle: credits what the position's active shares earned since it was last settled, at the listing's
 * reward per share (which FeesDistributed reports), before its shares change.
 */
function settle(position: CurationPosition, listing: Listing): void {
  const credited = accrued(position.shares, listing.rewardPerShare);
  position.unclaimedRewards = position.unclaimedRewards.plus(credited.minus(position.rewardDebt));
  position.rewardDebt = credited;
}

/** shares × stake / totalShares, rounded down (ShareMath.amountForShares); zero for an empty pool. */
function valueOf(shares: BigInt, totalShares: BigInt, totalStake: BigInt): BigInt {
  if (totalShares.isZero()) return ZERO;
  return shares.times(totalStake).div(totalShares);
}

/** Re-prices a position at the listing's current share prices. */
function price(position: CurationPosition, listing: Listing): void {
  position.stake = valueOf(position.shares, listing.curatorShares, listing.curatorStake);
  position.thawingStake = valueOf(position.thawingShares, listing.curatorThawingShares, listing.curatorThawingStake);
  position.warmingStake = valueOf(position.warmingShares, listing.curatorWarmingShares, listing.curatorWarmingStake);
}

function recordEvent(
  event: ethereum.Event,
  kind: string,
  listing: Listing,
  position: CurationPosition | null,
  amount: BigInt,
  shares: BigInt,
): CurationEvent {
  const record = new CurationEvent(eventId(event));
  record.kind = kind;
  record.listing = listing.id;
  record.position = null;
  record.curator = null;
  if (position) {
    record.position = position.id;
    record.curator = position.curator;
  }
  record.amount = amount;
  record.shares = shares;
  record.thawEnd = null;
  record.recipient = null;
  record.timestamp = event.block.timestamp;
  record.transaction = event.transaction.hash;
  return record;
}

/** A new stake buys warming shares: they earn nothing, so the position's reward debt does not move. */
export function handleStaked(event: Staked): void {
  const p = event.params;
  const listing = loadOrCreateListing(p.listingId, event);
  listing.curatorWarmingShares = listing.curatorWarmingShares.plus(p.shares);
  listing.curatorWarmingStake = listing.curatorWarmingStake.plus(p.amount);
  listing.save();
  const position = loadOrCreateCurationPosition(p.listingId, p.curator, event);
  settle(position, listing);
  position.warmingShares = position.warmingShares.plus(p.shares);
  position.totalStaked = position.totalStaked.plus(p.amount);
  price(position, listing);
  position.save();
  recordEvent(event, "Staked", listing, position, p.amount, p.shares).save();
  addStake(event.block, StakeKind.Curator, p.amount);
}

/** CurationPool._activate: the position's warming shares, settled first, become active shares at today's prices. */
export function handleStakeActivated(event: StakeActivated): void {
  const p = event.params;
  const listing = loadOrCreateListing(p.listingId, event);
  listing.curatorWarmingShares = listing.curatorWarmingShares.minus(p.warmingShares);
  listing.curatorWarmingStake = listing.curatorWarmingStake.minus(p.amount);
  listing.curatorShares = listing.curatorShares.plus(p.shares);
  listing.curatorStake = listing.curatorStake.plus(p.amount);
  listing.save();
  const position = loadOrCreateCurationPosition(p.listingId, p.curator, event);
  settle(position, listing);
  position.warmingShares = position.warmingShares.minus(p.warmingShares);
  position.shares = position.shares.plus(p.shares);
  position.rewardDebt = accrued(position.shares, listing.rewardPerShare);
  price(position, listing);
  position.save();
  recordEvent(event, "Activated", listing, position, p.amount, p.shares).save();
}

export function handleUnstakeRequested(event: UnstakeRequested): void {
  const p = event.params;
  const listing = loadOrCreateListing(p.listingId, event);
  listing.curatorShares = listing.curatorShares.minus(p.shares);
  listing.curatorStake = listing.curatorStake.minus(p.amount);
  listing.curatorThawingShares = listing.curatorThawingShares.plus(p.thawingShares);
  listing.curatorThawingStake = listing.curatorThawingStake.plus(p.amount);
  listing.save();
  const position = loadOrCreateCurationPosition(p.listingId, p.curator, event);
  settle(position, listing);
  position.shares = position.shares.minus(p.shares);
  position.rewardDebt = accrued(position.shares, listing.rewardPerShare);
  position.thawingShares = position.thawingShares.plus(p.thawingShares);
  position.thawEnd = p.thawEnd;
  price(position, listing);
  position.save();
  const record = recordEvent(event, "UnstakeRequested", listing, position, p.amount, p.shares);
  record.thawEnd = p.thawEnd;
  record.save();
}

export function handleStakeWithdrawn(event: StakeWithdrawn): void {
  const p = event.params;
  const listing = loadOrCreateListing(p.listingId, event);
  listing.curatorThawingShares = listing.curatorThawingShares.minus(p.thawingShares);
  listing.curatorThawingStake = listing.curatorThawingStake.minus(p.amount);
  listing.save();
  const position = loadOrCreateCurationPosition(p.listingId, p.curator, event);
  settle(position, listing);
  position.thawingShares = position.thawingShares.minus(p.thawingShares);
  position.thawEnd = null;
  position.totalWithdrawn = position.totalWithdrawn.plus(p.amount);
  price(position, listing);
  position.save();
  recordEvent(event, "Withdrawn", listing, position, p.amount, p.thawingShares).save();
  addStake(event.block, StakeKind.Curator, p.amount.neg());
}

export function handleRewardsClaimed(event: RewardsClaimed): void {
  const p = event.params;
  const listing = loadOrCreateListing(p.listingId, event);
  const position = loadOrCreateCurationPosition(p.listingId, p.curator, event);
  settle(position, listing);
  position.unclaimedRewards = position.unclaimedRewards.minus(p.amount);
  position.rewardsClaimed = position.rewardsClaimed.plus(p.amount);
  position.save();
  const record = recordEvent(event, "Claimed", listing, position, p.amount, ZERO);
  record.recipient = p.to;
  record.save();
}

export function handleFeesDistributed(event: FeesDistributed): void {
  const p = event.params;
  const listing = loadOrCreateListing(p.listingId, event);
  listing.curatorRewards = listing.curatorRewards.plus(p.toCurators);
  listing.rewardPerShare = p.rewardPerShare;
  listing.save();
}

export function handleCuratorsSlashed(event: CuratorsSlashed): void {
  const p = event.params;
  const listing = loadOrCreateListing(p.listingId, event);
  listing.curatorStake = p.activeStakeAfter;
  listing.curatorThawingStake = p.thawingStakeAfter;
  listing.save();
  const slashed = p.activeSlashed.plus(p.thawingSlashed);
  const record = recordEvent(event, "Slashed", listing, null, slashed, ZERO);
  record.recipient = p.recipient;
  record.save();
  addStake(event.block, StakeKind.Curator, slashed.neg());
}

/** Emitted just before CuratorsSlashed when the slash also took warming stake. */
export function handleWarmingStakeSlashed(event: WarmingStakeSlashed): void {
  const p = event.params;
  const listing = loadOrCreateListing(p.listingId, event);
  listing.curatorWarmingStake = p.warmingStakeAfter;
  listing.save();
  recordEvent(event, "Slashed", listing, null, p.warmingSlashed, ZERO).save();
  addStake(event.block, StakeKind.Curator, p.warmingSlashed.neg());
}

// ------------------------------------------------------------------ governed settings

export function handleMinStakeSet(event: MinStakeSet): void {
  const p = event.params;
  recordParameterChange(event, POOL, "MinStake", null, p.oldMinStake.toString(), p.newMinStake.toString());
}

export function handleThawingPeriodSet(event: ThawingPeriodSet): void {
  const p = event.params;
  const oldValue = p.oldThawingPeriod.toString();
  recordParameterChange(event, POOL, "ThawingPeriod", null, oldValue, p.newThawingPeriod.toString());
}

export function handleSlashBpsSet(event: SlashBpsSet): void {
  const p = event.params;
  recordParameterChange(event, POOL, "SlashBps", null, p.oldSlashBps.toString(), p.newSlashBps.toString());
}

export function handleWarmupPeriodSet(event: WarmupPeriodSet): void {
  const p = event.params;
  const oldValue = p.oldWarmupPeriod.toString();
  recordParameterChange(event, POOL, "WarmupPeriod", null, oldValue, p.newWarmupPeriod.toString());
}

export function handleSlasherSet(event: SlasherSet): void {
  const p = event.params;
  recordParameterChange(event, POOL, "Slasher", null, p.oldSlasher.toHexString(), p.newSlasher.toHexString());
}

export function handleUpgraded(event: Upgraded): void {
  recordUpgrade(event, POOL, event.params.implementation);
}

// ------------------------------------------------------------------ exits frozen under dispute

/** A challenge froze the listing's curators' exits: unstake requests thaw, but nothing leaves until it is resolved. */
export function handleExitsFrozen(event: ExitsFrozen): void {
  const listing = loadOrCreateListing(event.params.listingId, event);
  listing.curatorExitsFrozenBy = event.params.disputeId.toString();
  listing.save();
}

export function handleExitsUnfrozen(event: ExitsUnfrozen): void {
  const listing = loadOrCreateListing(event.params.listingId, event);
  listing.curatorExitsFrozenBy = null;
  listing.save();
}

export function handleUnderReviewSet(event: UnderReviewSet): void {
  const listing = loadOrCreateListing(event.params.listingId, event);
  listing.underReview = event.params.underReview;
  listing.save();
}

export function handleStrayTokensSwept(event: StrayTokensSwept): void {
  const p = event.params;
  recordStrayTokensSwept(event, POOL, p.token, p.treasury, p.amount);
}

export function handleTreasuryFeesSwept(event: TreasuryFeesSwept): void {
  const sweep = newTokenSweep(event, "TreasuryFees", POOL, event.params.amount);
  sweep.to = event.params.treasury;
  sweep.save();
}

/** The last curator of a listing left: the pool's reward rounding dust went to the treasury. */
export function handleDustSwept(event: DustSwept): void {
  const sweep = newTokenSweep(event, "Dust", POOL, event.params.amount);
  sweep.listing = event.params.listingId.toString();
  sweep.save();
}
