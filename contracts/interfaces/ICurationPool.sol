// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title ICurationPool
/// @notice Curators stake CUR on the listings they trust and share those listings' curator fees, weighted by each
/// listing's verified quality; the unweighted remainder goes to the treasury. Leaving takes a governed thawing period,
/// and thawing stake stays slashable, so that leaving does not escape a pending dispute.
interface ICurationPool {
    /// @notice One listing's pool. Active stake earns fees; thawing stake does not, but both can be slashed.
    struct ListingPool {
        uint256 activeShares;
        uint256 activeStake;
        uint256 thawingShares;
        uint256 thawingStake;
        /// @dev Rewards per active share, scaled by 1e27.
        uint256 rewardPerShare;
        /// @dev Rewards distributed to this listing's curators and not yet claimed (rounding dust included).
        uint256 rewardsOwed;
        /// @dev Curators with active shares, thawing shares or unclaimed rewards on this listing.
        uint256 openPositions;
    }

    /// @notice One curator's position on one listing.
    struct Position {
        uint256 shares;
        uint256 rewardDebt;
        uint256 rewards;
        uint256 thawingShares;
        uint48 thawEnd;
    }

    /// @notice Governed figures.
    /// @param minStake Smallest active stake a position may keep, in CUR wei.
    /// @param thawingPeriod Seconds between an unstake request and the withdrawal.
    /// @param slashBps Share of a listing's curator stake (active and thawing) slashed when it loses a dispute.
    struct CurationParameters {
        uint128 minStake;
        uint32 thawingPeriod;
        uint16 slashBps;
    }

    /// @notice `curator` staked `amount` on `listingId` and received `shares`.
    event Staked(uint256 indexed listingId, address indexed curator, uint256 amount, uint256 shares);
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
    /// @notice ListingChallenges slashed the listing's curators: `activeSlashed` + `thawingSlashed` sent to `recipient`.
    event CuratorsSlashed(
        uint256 indexed listingId,
        uint256 activeSlashed,
        uint256 thawingSlashed,
        address recipient,
        uint256 activeStakeAfter,
        uint256 thawingStakeAfter
    );
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
    /// @notice The account allowed to slash changed (ListingChallenges).
    event SlasherSet(address oldSlasher, address newSlasher);

    /// @notice Only the ListingRegistry may report fees.
    error CurationOnlyRegistry(address caller);
    /// @notice Only the slasher (ListingChallenges) may slash.
    error CurationOnlySlasher(address caller);
    /// @notice The listing is not Pending or Active, so it takes no new stake.
    error CurationListingNotOpen(uint256 listingId, uint8 status);
    /// @notice The position would be left with a non-zero stake below the minimum.
    error CurationStakeTooLow(uint256 amount, uint256 minimum);
    /// @notice More than the active stake was asked back.
    error CurationInsufficientStake(uint256 requested, uint256 available);
    /// @notice Nothing is thawing, or it is still thawing.
    error CurationNothingToWithdraw(uint256 listingId, address curator, uint48 thawEnd);
    /// @notice No rewards to claim.
    error CurationNothingToClaim(uint256 listingId, address curator);
    /// @notice A zero amount.
    error CurationZeroAmount();
    /// @notice A governed setting outside its bounds.
    error CurationParameterOutOfBounds(bytes32 parameter, uint256 value, uint256 min, uint256 max);

    /// @notice Stakes `amount` on `listingId` (pulled with transferFrom). Emits {Staked}.
    function stake(uint256 listingId, uint256 amount) external returns (uint256 shares);

    /// @notice {stake} with an ERC-2612 permit, in one transaction.
    function stakeWithPermit(
        uint256 listingId,
        uint256 amount,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 shares);

    /// @notice Moves `amount` of active stake into thawing; a new request restarts the thawing clock for all of it.
    /// @dev Emits {UnstakeRequested}. What is left active must be zero or at least the minimum stake.
    function requestUnstake(uint256 listingId, uint256 amount) external;

    /// @notice Withdraws all thawed stake once the thawing period is over. Emits {StakeWithdrawn}.
    function withdraw(uint256 listingId) external returns (uint256 amount);

    /// @notice Sends the caller's rewards on `listingId` to `to`. Emits {RewardsClaimed}.
    function claim(uint256 listingId, address to) external returns (uint256 amount);

    /// @notice Reports `amount` of curator fees already transferred to the pool; only the registry.
    /// @dev Emits {FeesDistributed}. With no curators staked, everything goes to the treasury.
    function notifyFees(uint256 listingId, uint256 amount, uint16 qualityBps) external;

    /// @notice Slashes the listing's curators by the governed percentage, sending the tokens to `recipient`;
    /// only the slasher (ListingChallenges). Emits {CuratorsSlashed}.
    function slash(uint256 listingId, address recipient) external returns (uint256 slashed);

    /// @notice Sends accrued treasury fees to the timelock (anyone may call). Emits {TreasuryFeesSwept}.
    function sweepTreasuryFees() external returns (uint256 amount);

    /// @notice A listing's pool.
    function listingPool(uint256 listingId) external view returns (ListingPool memory);

    /// @notice A curator's position with its claimable rewards brought up to date.
    function positionOf(uint256 listingId, address curator) external view returns (Position memory);

    /// @notice Active stake `curator` holds on `listingId`, in CUR wei (what its shares are worth now).
    function stakeOf(uint256 listingId, address curator) external view returns (uint256 active, uint256 thawing);

    /// @notice Rewards `curator` can claim on `listingId`.
    function claimable(uint256 listingId, address curator) external view returns (uint256);

    /// @notice Tokens the pool owes: stakes, unclaimed rewards and unswept treasury fees; equal to its balance.
    function totalOwed() external view returns (uint256 staked, uint256 rewards, uint256 treasuryFees);

    /// @notice The governed figures.
    function parameters() external view returns (CurationParameters memory);
}
