// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";
import {StrayTokenSweeper} from "../governance/StrayTokenSweeper.sol";
import {ICurationPool} from "../interfaces/ICurationPool.sol";
import {IListingRegistry} from "../interfaces/IListingRegistry.sol";
import {ShareMath} from "../libraries/ShareMath.sol";

/// @title CurationPool
/// @notice See {ICurationPool}. Each listing holds three share pools (warming, active, thawing): stakes buy warming
/// shares, which become active shares after the warm-up, slashes shrink what every share is worth, and fees raise a
/// reward-per-share accumulator of active shares, so every operation is O(1) however many curators there are.
/// Rounding always favours the pool; the dust it leaves goes to the treasury when a listing's last curator leaves.
contract CurationPool is ICurationPool, StrayTokenSweeper, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    // ---------------------------------------------------------------- types and storage

    /// @dev A {Position} as stored: the warming shares share a slot with the end of their warm-up, so that a first stake
    /// writes one slot from zero for both. 2^208 shares are out of reach: shares are minted at the warming pool's price,
    /// which only a slash raises, and a slashed (delisted) listing takes no more stake.
    struct StoredPosition {
        uint256 shares;
        uint256 rewardDebt;
        uint208 warmingShares;
        uint48 warmEnd;
        uint256 thawingShares;
        uint128 rewards;
        uint48 thawEnd;
    }

    /// @custom:storage-location erc7201:curia.storage.CurationPool
    struct CurationPoolStorage {
        IERC20 token;
        IListingRegistry registry;
        address slasher;
        CurationParameters params;
        mapping(uint256 listingId => ListingPool) pools;
        mapping(uint256 listingId => mapping(address curator => StoredPosition)) positions;
        /// @dev Active, warming and thawing stake over all listings. It shares a slot with `treasuryFees` (128 bits
        /// each: the CUR supply is capped far below), so that a slash, which writes the one, holds the curators'
        /// slash for the treasury in the other at no new slot (issue 15: a transfer to the treasury per ruling cost
        /// ~17,000 gas).
        uint128 totalStaked;
        /// @dev The treasury's: fees no curator earns, rewards dust, and the curators' slashes; {sweepTreasuryFees}.
        uint128 treasuryFees;
        uint256 totalRewardsOwed;
    }

    // keccak256(abi.encode(uint256(keccak256("curia.storage.CurationPool")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant CURATION_POOL_STORAGE = 0x7340794a5c75d545af2231ef033961c6b6404db993b76eab2fcc55b59747ea00;

    uint256 private constant BPS = 10_000;
    /// @dev Scale of the reward-per-share accumulator: keeps per-share rounding far below a wei per curator.
    uint256 private constant PRECISION = 1e27;
    uint256 public constant MAX_MIN_STAKE = 1_000_000 ether;
    uint256 public constant MIN_THAWING_PERIOD = 1 hours;
    uint256 public constant MAX_THAWING_PERIOD = 90 days;
    /// @dev At most half: a slash then always leaves some stake behind every share, so share prices stay defined.
    uint256 public constant MAX_SLASH_BPS = 5_000;
    /// @dev Above zero, so that a stake placed in the block of a purchase (or just before it) never shares its fee.
    uint256 public constant MIN_WARMUP_PERIOD = 5 minutes;
    uint256 public constant MAX_WARMUP_PERIOD = 30 days;

    // ---------------------------------------------------------------- initializer

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Sets up the pool.
    /// @param token_ The CUR token.
    /// @param timelock_ The DAO timelock (parameters, upgrades, and the treasury).
    /// @param registry_ The ListingRegistry: the only source of fees and listing states.
    /// @param slasher_ May slash curators outside a delisting (a delisting goes through {resolveDispute}); zero unless
    /// the DAO names one.
    /// @param params_ Initial figures, checked against the same bounds as the setters.
    function initialize(
        IERC20 token_,
        address timelock_,
        IListingRegistry registry_,
        address slasher_,
        CurationParameters calldata params_
    ) external initializer {
        if (address(token_) == address(0)) revert GovernedZeroAddress("token");
        if (address(registry_) == address(0)) revert GovernedZeroAddress("registry");
        __Governed_init(timelock_);
        CurationPoolStorage storage $ = _s();
        $.token = token_;
        $.registry = registry_;
        _setSlasher(slasher_);
        _setMinStake(params_.minStake);
        _setThawingPeriod(params_.thawingPeriod);
        _setSlashBps(params_.slashBps);
        _setWarmupPeriod(params_.warmupPeriod);
    }

    // ---------------------------------------------------------------- governance setters

    function setMinStake(uint128 newMinStake) external onlyTimelock {
        _setMinStake(newMinStake);
    }

    function setThawingPeriod(uint32 newThawingPeriod) external onlyTimelock {
        _setThawingPeriod(newThawingPeriod);
    }

    function setSlashBps(uint16 newSlashBps) external onlyTimelock {
        _setSlashBps(newSlashBps);
    }

    /// @notice Sets the warm-up of stakes made from now on (stakes already warming keep their end). Emits
    /// {WarmupPeriodSet}.
    function setWarmupPeriod(uint32 newWarmupPeriod) external onlyTimelock {
        _setWarmupPeriod(newWarmupPeriod);
    }

    function setSlasher(address newSlasher) external onlyTimelock {
        _setSlasher(newSlasher);
    }

    // ---------------------------------------------------------------- curator actions

    /// @inheritdoc ICurationPool
    function stake(uint256 listingId, uint256 amount) external nonReentrant returns (uint256) {
        return _stake(listingId, amount);
    }

    /// @inheritdoc ICurationPool
    function stakeWithPermit(
        uint256 listingId,
        uint256 amount,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant returns (uint256) {
        // Someone may have front-run the permit with the same signature: then the allowance is already there.
        try IERC20Permit(address(_s().token)).permit(msg.sender, address(this), amount, deadline, v, r, s) {} catch {} // solhint-disable-line no-empty-blocks
        return _stake(listingId, amount);
    }

    /// @inheritdoc ICurationPool
    function activate(uint256 listingId, address curator) external nonReentrant returns (uint256 shares) {
        CurationPoolStorage storage $ = _s();
        StoredPosition storage pos = $.positions[listingId][curator];
        uint48 warmEnd = pos.warmEnd;
        if (warmEnd == 0 || Time.timestamp() < warmEnd) revert CurationNothingToActivate(listingId, curator, warmEnd);
        ListingPool storage pool = $.pools[listingId];
        _settle(pool, pos);
        shares = _activate(listingId, pool, pos, curator);
    }

    /// @inheritdoc ICurationPool
    function requestUnstake(uint256 listingId, uint256 amount) external nonReentrant {
        if (amount == 0) revert CurationZeroAmount();
        CurationPoolStorage storage $ = _s();
        ListingPool storage pool = $.pools[listingId];
        StoredPosition storage pos = $.positions[listingId][msg.sender];
        _settle(pool, pos);
        _activateIfWarm(listingId, pool, pos, msg.sender);

        uint256 available = ShareMath.amountForShares(pos.shares, pool.activeShares, pool.activeStake);
        if (pos.shares == 0 || amount > available) revert CurationInsufficientStake(amount, available);
        uint256 left = available - amount;
        if (left != 0 && left < $.params.minStake) revert CurationStakeTooLow(left, $.params.minStake);

        uint256 burned =
            amount == available
                ? pos.shares
                : Math.min(ShareMath.sharesForWithdrawal(amount, pool.activeShares, pool.activeStake), pos.shares);
        // Whoever burns the last active shares owns all the active stake, rounding dust included.
        if (burned == pool.activeShares) amount = pool.activeStake;
        pool.activeShares -= burned;
        pool.activeStake -= uint128(amount);
        pos.shares -= burned;
        pos.rewardDebt = _accrued(pos.shares, pool.rewardPerShare);

        uint256 thawingShares = ShareMath.sharesForDeposit(amount, pool.thawingShares, pool.thawingStake);
        if (thawingShares == 0) revert CurationStakeTooLow(amount, 1);
        pool.thawingShares += thawingShares;
        pool.thawingStake += uint128(amount);
        pos.thawingShares += thawingShares;
        uint48 thawEnd = Time.timestamp() + $.params.thawingPeriod;
        pos.thawEnd = thawEnd;
        emit UnstakeRequested(listingId, msg.sender, amount, burned, thawingShares, thawEnd);
    }

    /// @inheritdoc ICurationPool
    function withdraw(uint256 listingId) external nonReentrant returns (uint256 amount) {
        CurationPoolStorage storage $ = _s();
        ListingPool storage pool = $.pools[listingId];
        StoredPosition storage pos = $.positions[listingId][msg.sender];
        uint256 shares = pos.thawingShares;
        if (shares == 0 || Time.timestamp() < pos.thawEnd) {
            revert CurationNothingToWithdraw(listingId, msg.sender, pos.thawEnd);
        }
        // Thawing stake answers for a dispute that opened before it could leave (it is slashed like active stake).
        uint256 frozenBy = pool.frozenBy;
        if (frozenBy != 0) {
            // The registry lifts a freeze on the pool it is bound to at the ruling: were it rebound while the dispute
            // ran, that is another pool and this freeze would hold for ever. A freeze whose dispute is no longer the
            // listing's open one is stale: it goes (this rare path asks the registry; the everyday one reads no more).
            if ($.registry.getListing(listingId).activeDisputeId == frozenBy) {
                revert CurationExitsFrozen(listingId, frozenBy);
            }
            pool.frozenBy = 0;
            emit ExitsUnfrozen(listingId, frozenBy);
        }
        // And for a validation round going against the listing: its automatic dispute would find the stake gone.
        if (pool.underReview) {
            // The round's end lifts the hold through the registry, on the pool bound then: were it rebound while the
            // round ran, this hold would hold for ever. A pool the registry left cannot be slashed by any ruling (the
            // challenges adapter slashes the registry's current pool), so its hold protects nothing: it goes.
            if ($.registry.curationPool() == address(this)) revert CurationUnderReview(listingId);
            pool.underReview = false;
            emit UnderReviewSet(listingId, false);
        }
        _settle(pool, pos);
        amount = ShareMath.amountForShares(shares, pool.thawingShares, pool.thawingStake);
        pool.thawingShares -= shares;
        pool.thawingStake -= uint128(amount);
        pos.thawingShares = 0;
        pos.thawEnd = 0;
        $.totalStaked -= uint128(amount);
        _closeIfDone(listingId, pool, pos);
        $.token.safeTransfer(msg.sender, amount);
        emit StakeWithdrawn(listingId, msg.sender, amount, shares);
    }

    /// @inheritdoc ICurationPool
    function claim(uint256 listingId, address to) external nonReentrant returns (uint256 amount) {
        if (to == address(0)) revert GovernedZeroAddress("to");
        CurationPoolStorage storage $ = _s();
        ListingPool storage pool = $.pools[listingId];
        StoredPosition storage pos = $.positions[listingId][msg.sender];
        _settle(pool, pos);
        _activateIfWarm(listingId, pool, pos, msg.sender);
        amount = pos.rewards;
        if (amount == 0) revert CurationNothingToClaim(listingId, msg.sender);
        pos.rewards = 0;
        // Each settlement rounds a position's share of the accumulator on its own, so the positions' rewards can sum
        // to a few wei more than the listing holds: the last claim takes what is left instead of reverting (which
        // would lock that curator's whole reward until new fees came, or for ever on a closed listing).
        uint256 owed = pool.rewardsOwed;
        if (amount > owed) amount = owed;
        pool.rewardsOwed -= amount;
        $.totalRewardsOwed -= amount;
        _closeIfDone(listingId, pool, pos);
        $.token.safeTransfer(to, amount);
        emit RewardsClaimed(listingId, msg.sender, to, amount);
    }

    // ---------------------------------------------------------------- registry and challenges

    /// @inheritdoc ICurationPool
    function notifyFees(uint256 listingId, uint256 amount, uint16 qualityBps) external {
        CurationPoolStorage storage $ = _s();
        if (msg.sender != address($.registry)) revert CurationOnlyRegistry(msg.sender);
        ListingPool storage pool = $.pools[listingId];
        // Only active shares earn: stake still warming up takes nothing, however large.
        uint256 toCurators = pool.activeShares == 0 ? 0 : (amount * qualityBps) / BPS;
        uint256 toTreasury = amount - toCurators;
        if (toCurators > 0) {
            pool.rewardPerShare += (toCurators * PRECISION) / pool.activeShares;
            pool.rewardsOwed += toCurators;
            $.totalRewardsOwed += toCurators;
        }
        $.treasuryFees += uint128(toTreasury);
        emit FeesDistributed(listingId, amount, qualityBps, toCurators, toTreasury, pool.rewardPerShare);
    }

    /// @inheritdoc ICurationPool
    function setExitsFrozen(uint256 listingId, uint256 disputeId, bool frozen) external {
        CurationPoolStorage storage $ = _s();
        if (msg.sender != address($.registry)) revert CurationOnlyRegistry(msg.sender);
        ListingPool storage pool = $.pools[listingId];
        if (frozen) {
            // A listing nobody curates has nothing to freeze, and takes no stake while challenged: skip the write.
            if (pool.openPositions != 0) pool.frozenBy = SafeCast.toUint64(disputeId);
            emit ExitsFrozen(listingId, disputeId);
        } else {
            if (pool.frozenBy != 0) pool.frozenBy = 0;
            emit ExitsUnfrozen(listingId, disputeId);
        }
    }

    /// @inheritdoc ICurationPool
    function setUnderReview(uint256 listingId, bool underReview) external returns (bool held) {
        CurationPoolStorage storage $ = _s();
        // From the registry, which checks the validation role (twice a round: its draw and its end): one slot here.
        if (msg.sender != address($.registry)) revert CurationOnlyRegistry(msg.sender);
        ListingPool storage pool = $.pools[listingId];
        // A listing nobody curates has nothing to hold (a stake made now cannot thaw before the round ends): no hold, no
        // event, and its round lifts none (its indexed state never shows a hold that nothing would lift).
        if (underReview && pool.openPositions == 0) return false;
        pool.underReview = underReview;
        emit UnderReviewSet(listingId, underReview);
        return underReview;
    }

    /// @inheritdoc ICurationPool
    function resolveDispute(
        uint256 listingId,
        uint256 disputeId,
        bool slashCurators
    ) external nonReentrant returns (uint256 slashed) {
        CurationPoolStorage storage $ = _s();
        if (msg.sender != address($.registry)) revert CurationOnlyRegistry(msg.sender);
        ListingPool storage pool = $.pools[listingId];
        // The freeze shares the thawing stake's slot, which the slash writes anyway: one call from the registry lifts
        // it and slashes (issue 15: a second call into the pool from ListingChallenges cost ~9,000 gas).
        if (pool.frozenBy != 0) pool.frozenBy = 0;
        emit ExitsUnfrozen(listingId, disputeId);
        // The registry's delisting: the slash is the treasury's and stays here (see {slash}).
        if (slashCurators) slashed = _slash($, listingId, pool, timelock());
    }

    /// @inheritdoc ICurationPool
    function slash(uint256 listingId, address recipient) external nonReentrant returns (uint256 slashed) {
        CurationPoolStorage storage $ = _s();
        if (msg.sender != $.slasher) revert CurationOnlySlasher(msg.sender);
        if (recipient == address(0)) revert GovernedZeroAddress("recipient");
        slashed = _slash($, listingId, $.pools[listingId], recipient);
    }

    /// @inheritdoc ICurationPool
    function sweepTreasuryFees() external nonReentrant returns (uint256 amount) {
        CurationPoolStorage storage $ = _s();
        amount = $.treasuryFees;
        $.treasuryFees = 0;
        address treasury = timelock();
        if (amount > 0) $.token.safeTransfer(treasury, amount);
        emit TreasuryFeesSwept(treasury, amount);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc ICurationPool
    function listingPool(uint256 listingId) external view returns (ListingPool memory) {
        return _s().pools[listingId];
    }

    /// @inheritdoc ICurationPool
    function positionOf(uint256 listingId, address curator) external view returns (Position memory position) {
        CurationPoolStorage storage $ = _s();
        StoredPosition storage pos = $.positions[listingId][curator];
        position = Position(
            pos.shares,
            pos.rewardDebt,
            pos.warmingShares,
            pos.thawingShares,
            pos.rewards,
            pos.warmEnd,
            pos.thawEnd
        );
        position.rewards += uint128(_accrued(position.shares, $.pools[listingId].rewardPerShare) - position.rewardDebt);
    }

    /// @inheritdoc ICurationPool
    function stakeOf(
        uint256 listingId,
        address curator
    ) external view returns (uint256 active, uint256 thawing, uint256 warming) {
        CurationPoolStorage storage $ = _s();
        ListingPool storage pool = $.pools[listingId];
        StoredPosition storage pos = $.positions[listingId][curator];
        if (pos.shares > 0) active = ShareMath.amountForShares(pos.shares, pool.activeShares, pool.activeStake);
        if (pos.thawingShares > 0) {
            thawing = ShareMath.amountForShares(pos.thawingShares, pool.thawingShares, pool.thawingStake);
        }
        if (pos.warmingShares > 0) {
            warming = ShareMath.amountForShares(pos.warmingShares, pool.warmingShares, pool.warmingStake);
        }
    }

    /// @inheritdoc ICurationPool
    function claimable(uint256 listingId, address curator) external view returns (uint256) {
        CurationPoolStorage storage $ = _s();
        StoredPosition storage pos = $.positions[listingId][curator];
        ListingPool storage pool = $.pools[listingId];
        uint256 amount = pos.rewards + _accrued(pos.shares, pool.rewardPerShare) - pos.rewardDebt;
        // What {claim} would pay: never more than the listing holds (see there).
        return amount < pool.rewardsOwed ? amount : pool.rewardsOwed;
    }

    /// @inheritdoc ICurationPool
    function totalOwed() external view returns (uint256 staked, uint256 rewards, uint256 treasuryFees) {
        CurationPoolStorage storage $ = _s();
        return ($.totalStaked, $.totalRewardsOwed, $.treasuryFees);
    }

    /// @inheritdoc ICurationPool
    function parameters() external view returns (CurationParameters memory) {
        return _s().params;
    }

    /// @notice The token, the registry and the slasher.
    function addresses() external view returns (address token, address registry, address slasher) {
        CurationPoolStorage storage $ = _s();
        return (address($.token), address($.registry), $.slasher);
    }

    // ---------------------------------------------------------------- internal

    function _stake(uint256 listingId, uint256 amount) private returns (uint256 warmingShares) {
        if (amount == 0) revert CurationZeroAmount();
        CurationPoolStorage storage $ = _s();
        IListingRegistry.ListingStatus status = $.registry.statusOf(listingId);
        if (status != IListingRegistry.ListingStatus.Pending && status != IListingRegistry.ListingStatus.Active) {
            revert CurationListingNotOpen(listingId, uint8(status));
        }
        ListingPool storage pool = $.pools[listingId];
        StoredPosition storage pos = $.positions[listingId][msg.sender];
        bool wasOpen = _isOpen(pos);
        _settle(pool, pos);
        _activateIfWarm(listingId, pool, pos, msg.sender);

        uint128 stake128 = SafeCast.toUint128(amount);
        warmingShares = ShareMath.sharesForDeposit(amount, pool.warmingShares, pool.warmingStake);
        pool.warmingShares += warmingShares;
        pool.warmingStake += stake128;
        pos.warmingShares += SafeCast.toUint208(warmingShares);
        uint256 value = ShareMath.amountForShares(pos.warmingShares, pool.warmingShares, pool.warmingStake);
        if (pos.shares > 0) value += ShareMath.amountForShares(pos.shares, pool.activeShares, pool.activeStake);
        if (warmingShares == 0 || value < $.params.minStake) revert CurationStakeTooLow(value, $.params.minStake);
        // A new stake restarts the warm-up of everything still warming: adding to a warming stake cannot shorten it.
        pos.warmEnd = Time.timestamp() + $.params.warmupPeriod;
        $.totalStaked += stake128;
        if (!wasOpen) ++pool.openPositions;

        $.token.safeTransferFrom(msg.sender, address(this), amount);
        emit Staked(listingId, msg.sender, amount, warmingShares);
    }

    /// @dev Moves rewards earned since the last change into `pos.rewards`. The caller resets `rewardDebt` after
    /// changing `pos.shares`.
    function _settle(ListingPool storage pool, StoredPosition storage pos) private {
        uint256 accrued = _accrued(pos.shares, pool.rewardPerShare);
        pos.rewards += uint128(accrued - pos.rewardDebt);
        pos.rewardDebt = accrued;
    }

    /// @dev Activates a settled position's warming stake if its warm-up is over.
    function _activateIfWarm(
        uint256 listingId,
        ListingPool storage pool,
        StoredPosition storage pos,
        address curator
    ) private {
        uint48 warmEnd = pos.warmEnd;
        if (warmEnd != 0 && Time.timestamp() >= warmEnd) _activate(listingId, pool, pos, curator);
    }

    /// @dev Turns a settled position's warming shares into active shares at today's prices; from here on they earn.
    function _activate(
        uint256 listingId,
        ListingPool storage pool,
        StoredPosition storage pos,
        address curator
    ) private returns (uint256 shares) {
        uint256 warmingShares = pos.warmingShares;
        uint256 amount = ShareMath.amountForShares(warmingShares, pool.warmingShares, pool.warmingStake);
        pool.warmingShares -= warmingShares;
        pool.warmingStake -= uint128(amount);
        pos.warmingShares = 0;
        pos.warmEnd = 0;
        // Rounds down like any deposit: at worst a wei of dust stays with the listing's active curators.
        shares = ShareMath.sharesForDeposit(amount, pool.activeShares, pool.activeStake);
        pool.activeShares += shares;
        pool.activeStake += uint128(amount);
        pos.shares += shares;
        pos.rewardDebt = _accrued(pos.shares, pool.rewardPerShare);
        emit StakeActivated(listingId, curator, amount, warmingShares, shares, msg.sender);
    }

    function _accrued(uint256 shares, uint256 rewardPerShare) private pure returns (uint256) {
        return Math.mulDiv(shares, rewardPerShare, PRECISION);
    }

    function _isOpen(StoredPosition storage pos) private view returns (bool) {
        return pos.shares > 0 || pos.thawingShares > 0 || pos.warmingShares > 0 || pos.rewards > 0;
    }

    /// @dev Closes a position that holds nothing any more; when it was the listing's last, nobody can claim the
    /// listing's remaining rewards (rounding dust), so they go to the treasury instead of staying stuck.
    function _closeIfDone(uint256 listingId, ListingPool storage pool, StoredPosition storage pos) private {
        if (_isOpen(pos)) return;
        if (--pool.openPositions > 0) return;
        uint256 dust = pool.rewardsOwed;
        if (dust == 0) return;
        CurationPoolStorage storage $ = _s();
        pool.rewardsOwed = 0;
        $.totalRewardsOwed -= dust;
        $.treasuryFees += uint128(dust);
        emit DustSwept(listingId, dust);
    }

    /// @dev Slashes the listing's curators by the governed percentage for `recipient`.
    function _slash(
        CurationPoolStorage storage $,
        uint256 listingId,
        ListingPool storage pool,
        address recipient
    ) private returns (uint256 slashed) {
        uint256 slashBps = $.params.slashBps;
        // Each part rounds down and slashBps is at most half, so every part keeps some stake behind its shares.
        uint128 activeSlashed = uint128((uint256(pool.activeStake) * slashBps) / BPS);
        uint128 warmingSlashed = uint128((uint256(pool.warmingStake) * slashBps) / BPS);
        uint128 thawingSlashed = uint128((uint256(pool.thawingStake) * slashBps) / BPS);
        pool.activeStake -= activeSlashed;
        pool.warmingStake -= warmingSlashed;
        pool.thawingStake -= thawingSlashed;
        uint128 slashed128 = activeSlashed + warmingSlashed + thawingSlashed;
        slashed = slashed128;
        $.totalStaked -= slashed128;
        // The treasury's slash stays here, owed to it with its fees (one slot with the stake total, written anyway)
        // until {sweepTreasuryFees}: a transfer per ruling to the treasury cost ~17,000 gas (issue 15). Any other
        // recipient is paid now.
        if (recipient == timelock()) $.treasuryFees += slashed128;
        else if (slashed > 0) $.token.safeTransfer(recipient, slashed);
        if (warmingSlashed > 0) emit WarmingStakeSlashed(listingId, warmingSlashed, pool.warmingStake);
        emit CuratorsSlashed(listingId, activeSlashed, thawingSlashed, recipient, pool.activeStake, pool.thawingStake);
    }

    function _checkBounds(bytes32 parameter, uint256 value, uint256 min, uint256 max) private pure {
        if (value < min || value > max) revert CurationParameterOutOfBounds(parameter, value, min, max);
    }

    function _setMinStake(uint128 newMinStake) private {
        _checkBounds("minStake", newMinStake, 1, MAX_MIN_STAKE);
        CurationParameters storage p = _s().params;
        emit MinStakeSet(p.minStake, newMinStake);
        p.minStake = newMinStake;
    }

    function _setThawingPeriod(uint32 newThawingPeriod) private {
        _checkBounds("thawingPeriod", newThawingPeriod, MIN_THAWING_PERIOD, MAX_THAWING_PERIOD);
        CurationParameters storage p = _s().params;
        emit ThawingPeriodSet(p.thawingPeriod, newThawingPeriod);
        p.thawingPeriod = newThawingPeriod;
    }

    function _setSlashBps(uint16 newSlashBps) private {
        _checkBounds("slashBps", newSlashBps, 0, MAX_SLASH_BPS);
        CurationParameters storage p = _s().params;
        emit SlashBpsSet(p.slashBps, newSlashBps);
        p.slashBps = newSlashBps;
    }

    function _setWarmupPeriod(uint32 newWarmupPeriod) private {
        _checkBounds("warmupPeriod", newWarmupPeriod, MIN_WARMUP_PERIOD, MAX_WARMUP_PERIOD);
        CurationParameters storage p = _s().params;
        emit WarmupPeriodSet(p.warmupPeriod, newWarmupPeriod);
        p.warmupPeriod = newWarmupPeriod;
    }

    function _setSlasher(address newSlasher) private {
        CurationPoolStorage storage $ = _s();
        emit SlasherSet($.slasher, newSlasher);
        $.slasher = newSlasher;
    }

    /// @dev Stakes, unclaimed rewards and the treasury's fees: the pool's whole debt in CUR ({totalOwed}).
    function _owedIn(address token) internal view override returns (uint256) {
        CurationPoolStorage storage $ = _s();
        return token == address($.token) ? $.totalStaked + $.totalRewardsOwed + $.treasuryFees : 0;
    }

    function _s() private pure returns (CurationPoolStorage storage $) {
        assembly {
            $.slot := CURATION_POOL_STORAGE
        }
    }
}
