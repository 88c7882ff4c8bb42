// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title ICurationPool
/// @notice Curators stake CUR on the listings they trust and share those listings' curator fees, weighted by each
/// listing's verified quality; the unweighted remainder goes to the treasury.
///
/// A stake passes through three states, each a share pool of its own per listing, so every operation is O(1):
/// - **warming**: a new stake earns nothing for a governed warm-up, so that a stake placed just before a large
///   purchase (in its block, or once the purchase is known) takes none of its fee. Once the warm-up is over the stake
///   is activated, lazily: by the curator's next stake, unstake or claim, or by anyone through {activate}.
/// - **active**: earns fees per share (a reward-per-share accumulator).
/// - **thawing**: asked back, earns nothing, withdrawable after a governed thawing period.
///
/// All three are slashed alike when the listing loses a dispute. While the listing is under a dispute nothing can be
/// withdrawn ({withdraw} fails with {CurationExitsFrozen}): the registry freezes the listing's exits when a challenge
/// opens and lifts the freeze when it is resolved, so leaving never escapes a pending dispute however long it runs. A
/// freeze whose dispute is no longer the listing's open one in the registry (the DAO rebound the registry to another
/// pool while it ran, and the registry lifted the freeze there) goes at the next {withdraw}.
/// Nor can it escape a validation round that goes against the listing: from a round's committee draw, before any score
/// exists, until the round is finalized (and its automatic dispute, if any, has frozen the exits) the ValidationManager
/// holds the listing under review ({setUnderReview}, {withdraw} fails with {CurationUnderReview}).
interface ICurationPool {
    /// @notice One listing's pool. Only active stake earns fees; active, warming and thawing stake can all be slashed.
    /// Amounts fit 128 bits (the CUR supply is capped far below); share counts keep 256 (slashes raise them per CUR).
    struct ListingPool {
        uint256 activeShares;
        uint256 warmingShares;
        uint256 thawingShares;
        /// @dev Rewards per active share, scaled by 1e27.
        uint256 rewardPerShare;
        uint128 activeStake;
        uint128 warmingStake;
        uint128 thawingStake;
        /// @dev The dispute that freezes the listing's exits (0: none). Set and cleared by the registry.
        uint64 frozenBy;
        /// @dev Curators with active, warming or thawing shares or unclaimed rewards on this listing.
        uint56 openPositions;
        /// @dev A validation round on the listing revealed a score below the minimum quality and is not finalized yet:
        /// nothing can be withdrawn. Set and cleared by the ValidationManager; it shares the slot {withdraw} reads anyway.
        bool underReview;
        /// @dev Rewards distributed to this listing's curators and not yet claimed (rounding dust included).
        uint256 rewardsOwed;
    }

    /// @notice One curator's position on one listing.
    /// Rewards share a slot with the two clocks, which a claim reads anyway.
    struct Position {
        uint256 shares;
        uint256 rewardDebt;
        uint256 warmingShares;
        uint256 thawingShares;
        /// @dev Settled rewards not yet claimed, in CUR wei.
        uint128 rewards;
        /// @dev When the warming stake may be activated (0: nothing warming).
        uint48 warmEnd;
        /// @dev When the thawing stake may be withdrawn.
        uint48 thawEnd;
    }

    /// @notice Governed figures.
    /// @param minStake Smallest stake a position may keep (active and warming together), in CUR wei.
    /// @param thawingPeriod Seconds between an unstake request and the withdrawal.
    /// @param slashBps Share of a listing's curator stake (active, warming and thawing) slashed when it loses a dispute.
    /// @param warmupPeriod Seconds a new stake waits before it earns fees.
    struct CurationParameters {
        uint128 minStake;
        uint32 thawingPeriod;
        uint16 slashBps;
        uint32 warmupPeriod;
    }

    /// @notice `curator` staked `amount` on `listingId` and received `shares` warming shares; all of its warming stake
    /// may be activated from {Position.warmEnd} on (a new stake restarts the warm-up of the curator's warming stake).
    event Staked(uint256 indexed listingId, address indexed curator, uint256 amount, uint256 shares);
    /// @notice `curator`'s warm stake `amount` (`warmingShares` burned) became `shares` active shares; `by` called.
    event StakeActivated(
        uint256 indexed listingId,
        address indexed curator,
        uint256 amount,
        uint256 warmingShares,
        uint256 shares,
        address by
    );
    /// @notice `curator` moved `amount` (`shares` active shares) into thawing until `thawEnd`.
    event UnstakeRequested(
        uint256 indexed listingId,
        address indexed curator,
        uint256 amount,
        uint256 shares,
        uint256 thawingShares,
        uint48 thawEnd
    );
    /// @notice `curator` withdrew `amount` of thawed stake.
    event StakeWithdrawn(uint256 indexed listingId, address indexed curator, uint256 amount, uint256 thawingShares);
    /// @notice `curator` claimed `amount` of rewards.
    event RewardsClaimed(uint256 indexed listingId, address indexed curator, address to, uint256 amount);
    /// @notice Curator fees arrived for `listingId`: `toCurators` shared per active share, `toTreasury` the rest.
    event FeesDistributed(
        uint256 indexed listingId,
        uint256 amount,
        uint16 qualityBps,
        uint256 toCurators,
        uint256 toTreasury,
        uint256 rewardPerShare
    );
    /// @notice ListingChallenges slashed the listing's curators: `activeSlashed` + `thawingSlashed` (and the
    /// {WarmingStakeSlashed} figure) for `recipient` (the treasury: held with its fees until {sweepTreasuryFees}).
    event CuratorsSlashed(
        uint256 indexed listingId,
        uint256 activeSlashed,
        uint256 thawingSlashed,
        address recipient,
        uint256 activeStakeAfter,
        uint256 thawingStakeAfter
    );
    /// @notice The same slash took `warmingSlashed` of the listing's warming stake, leaving `warmingStakeAfter`
    /// (emitted just before {CuratorsSlashed}, only when the listing has warming stake).
    event WarmingStakeSlashed(uint256 indexed listingId, uint256 warmingSlashed, uint256 warmingStakeAfter);
    /// @notice Dispute `disputeId` on `listingId` opened: nothing can be withdrawn from the listing until it is resolved.
    event ExitsFrozen(uint256 indexed listingId, uint256 indexed disputeId);
    /// @notice Dispute `disputeId` on `listingId` was resolved (or, seen at a {withdraw}, is no longer the listing's open
    /// dispute in the registry): withdrawals are open again.
    event ExitsUnfrozen(uint256 indexed listingId, uint256 indexed disputeId);
    /// @notice A validation round on `listingId` revealed a score below the minimum quality (`underReview`): nothing can be
    /// withdrawn from the listing until the round is finalized, when the ValidationManager lifts it (`!underReview`).
    event UnderReviewSet(uint256 indexed listingId, bool underReview);
    /// @notice The last curator of a listing left: its reward rounding dust went to the treasury.
    event DustSwept(uint256 indexed listingId, uint256 amount);
    /// @notice Accrued treasury fees were sent to the timelock.
    event TreasuryFeesSwept(address treasury, uint256 amount);
    /// @notice The minimum stake changed.
    event MinStakeSet(uint256 oldMinStake, uint256 newMinStake);
    /// @notice The thawing period changed.
    event ThawingPeriodSet(uint32 oldThawingPeriod, uint32 newThawingPeriod);
    /// @notice The slashing percentage changed.
    event SlashBpsSet(uint16 oldSlashBps, uint16 newSlashBps);
    /// @notice The warm-up of new stake changed; it applies to stakes made from now on.
    event WarmupPeriodSet(uint32 oldWarmupPeriod, uint32 newWarmupPeriod);
    /// @notice The account allowed to {slash} changed (none unless the DAO names one: a delisting slashes through
    /// {resolveDispute}, from the registry).
    event SlasherSet(address oldSlasher, address newSlasher);

    /// @notice Only the ListingRegistry may report fees, freeze exits and (for its validation role) hold them.
    error CurationOnlyRegistry(address caller);
    /// @notice A validation round on the listing is going against it: its curators' stake stays until it is finalized.
    error CurationUnderReview(uint256 listingId);
    /// @notice Only the slasher (an account the DAO names; none by default) may {slash}.
    error CurationOnlySlasher(address caller);
    /// @notice The listing is not Pending or Active, so it takes no new stake.
    error CurationListingNotOpen(uint256 listingId, uint8 status);
    /// @notice The position would be left with a non-zero stake below the minimum.
    error CurationStakeTooLow(uint256 amount, uint256 minimum);
    /// @notice More than the active stake was asked back.
    error CurationInsufficientStake(uint256 requested, uint256 available);
    /// @notice Nothing is thawing, or it is still thawing.
    error CurationNothingToWithdraw(uint256 listingId, address curator, uint48 thawEnd);
    /// @notice The listing is under dispute `disputeId`: its curators' stake stays until the dispute is resolved.
    error CurationExitsFrozen(uint256 listingId, uint256 disputeId);
    /// @notice Nothing is warming, or its warm-up ends at `warmEnd`.
    error CurationNothingToActivate(uint256 listingId, address curator, uint48 warmEnd);
    /// @notice No rewards to claim.
    error CurationNothingToClaim(uint256 listingId, address curator);
    /// @notice A zero amount.
    error CurationZeroAmount();
    /// @notice A governed setting outside its bounds.
    error CurationParameterOutOfBounds(bytes32 parameter, uint256 value, uint256 min, uint256 max);

    /// @notice Stakes `amount` on a Pending or Active listing (pulled with transferFrom). The stake warms up for the
    /// governed warm-up and earns from its activation on; a new stake restarts the warm-up of the caller's warming
    /// stake. Warm stake is activated first. Emits {Staked} (and {StakeActivated}).
    /// @return warmingShares The warming shares received.
    function stake(uint256 listingId, uint256 amount) external returns (uint256 warmingShares);

    /// @notice {stake} with an ERC-2612 permit, in one transaction.
    function stakeWithPermit(
        uint256 listingId,
        uint256 amount,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 warmingShares);

    /// @notice Activates `curator`'s warming stake on `listingId` once its warm-up is over (anyone may call: the
    /// stake earns from this call on). Emits {StakeActivated}.
    /// @return shares The active shares received.
    function activate(uint256 listingId, address curator) external returns (uint256 shares);

    /// @notice Moves `amount` of active stake into thawing (warm stake is activated first; stake still warming cannot
    /// be asked back until it is active); a new request restarts the thawing clock for all of it. Allowed under a
    /// dispute: thawing stake is slashed like active stake and cannot be withdrawn before the ruling.
    /// @dev Emits {UnstakeRequested}. What is left active must be zero or at least the minimum stake.
    function requestUnstake(uint256 listingId, uint256 amount) external;

    /// @notice Withdraws all thawed stake once the thawing period is over and no dispute is pending on the listing.
    /// Emits {StakeWithdrawn}. A freeze or a hold left on a pool the registry has since left (the DAO rebound it while
    /// the dispute or the round ran, so its lift reached the new pool) is dropped here: {ExitsUnfrozen} or
    /// {UnderReviewSet}.
    function withdraw(uint256 listingId) external returns (uint256 amount);

    /// @notice Sends the caller's rewards on `listingId` to `to` (warm stake is activated first). Emits
    /// {RewardsClaimed}.
    function claim(uint256 listingId, address to) external returns (uint256 amount);

    /// @notice Reports `amount` of curator fees already transferred to the pool; only the registry.
    /// @dev Emits {FeesDistributed}. With no curators staked, everything goes to the treasury.
    function notifyFees(uint256 listingId, uint256 amount, uint16 qualityBps) external;

    /// @notice Slashes the listing's curators (active, warming and thawing stake) by the governed percentage for
    /// `recipient`; only the slasher (a delisting's slash goes through {resolveDispute} instead). A slash for the
    /// treasury (the timelock) stays in the pool with the treasury's fees until {sweepTreasuryFees}; any other
    /// recipient is paid at once. Emits {CuratorsSlashed}.
    function slash(uint256 listingId, address recipient) external returns (uint256 slashed);

    /// @notice Freezes the listing's exits while dispute `disputeId` runs (`frozen`), or lifts that freeze; only the
    /// registry, which calls it when a challenge opens (the dispute's resolution lifts it through {resolveDispute}).
    /// Emits {ExitsFrozen} or {ExitsUnfrozen}.
    function setExitsFrozen(uint256 listingId, uint256 disputeId, bool frozen) external;

    /// @notice Ends dispute `disputeId` of the listing: lifts its exit freeze and, when the listing is delisted
    /// (`slashCurators`), slashes its curators (active, warming and thawing stake) by the governed percentage for the
    /// treasury, held here with its fees until {sweepTreasuryFees}; only the registry, which resolves the listing in the
    /// same call. Emits {ExitsUnfrozen}, and {CuratorsSlashed} (after {WarmingStakeSlashed} if warming stake was taken)
    /// when slashing.
    /// @return slashed What the curators lost (zero when not slashing).
    function resolveDispute(
        uint256 listingId,
        uint256 disputeId,
        bool slashCurators
    ) external returns (uint256 slashed);

    /// @notice Holds the listing's exits while a validation round is in its commit or reveal phase (`underReview`, set
    /// when its committee is drawn), or lifts that hold when the round is finalized; only the registry, for its validation
    /// role (the ValidationManager, through {IListingRegistry-setUnderReview}). Emits {UnderReviewSet}, except for a
    /// hold on a listing nobody curates, which takes none.
    /// @return held Whether the listing's exits are held now: the round lifts at its end only a hold its draw took.
    function setUnderReview(uint256 listingId, bool underReview) external returns (bool held);

    /// @notice Sends accrued treasury fees (and the curators' slashes held for the treasury) to the timelock (anyone
    /// may call). Emits {TreasuryFeesSwept}.
    function sweepTreasuryFees() external returns (uint256 amount);

    /// @notice A listing's pool.
    function listingPool(uint256 listingId) external view returns (ListingPool memory);

    /// @notice A curator's position with its claimable rewards brought up to date.
    function positionOf(uint256 listingId, address curator) external view returns (Position memory);

    /// @notice Stake `curator` holds on `listingId` in each state, in CUR wei (what its shares are worth now).
    function stakeOf(
        uint256 listingId,
        address curator
    ) external view returns (uint256 active, uint256 thawing, uint256 warming);

    /// @notice Rewards `curator` can claim on `listingId`.
    function claimable(uint256 listingId, address curator) external view returns (uint256);

    /// @notice Tokens the pool owes: stakes, unclaimed rewards and unswept treasury fees; equal to its balance.
    function totalOwed() external view returns (uint256 staked, uint256 rewards, uint256 treasuryFees);

    /// @notice The governed figures.
    function parameters() external view returns (CurationParameters memory);
}
