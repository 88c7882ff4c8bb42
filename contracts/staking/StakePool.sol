// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";
import {StrayTokenSweeper} from "../governance/StrayTokenSweeper.sol";
import {IStakePool, IStakePoolManager} from "../interfaces/IStakePool.sol";
import {SortitionSumTree} from "../libraries/SortitionSumTree.sol";

/// @title StakePool
/// @notice See {IStakePool}. Every operation is O(1) or O(log n) in the number of members (one tree walk per draw or
/// weight change); nothing loops over members.
/// @dev Money: the pool's CUR balance = stakes (staked + thawing of every member) + the manager's funds. A slash moves
/// stake into the manager's funds without moving tokens; {pay} checks that what stays covers every unlocked stake.
contract StakePool is IStakePool, StrayTokenSweeper, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using SortitionSumTree for SortitionSumTree.Tree;

    // ---------------------------------------------------------------- types and storage

    /// @custom:storage-location erc7201:curia.storage.StakePool
    /// @dev The totals share one slot with the pending draws and the thawing period: a release that slashes reads the
    /// pending draws (for the tree) and writes both totals there in one slot, and a lock writes the locks beside the
    /// pending draws a committee's draw reads anyway (issue 15: the settle of a juror). The minimum stake sits with the
    /// manager: every lock checks the one and reads the other, and a stake reads it once (an unstake of all of a stake
    /// never needs it). 96 bits hold 79 billion CUR, far above the cap, and the minimum stake's bound (1,000,000 CUR).
    struct StakePoolStorage {
        IERC20 token;
        address manager;
        /// @dev The governed figures ({PoolParameters}) field by field, each beside what is read with it.
        uint96 minStake;
        /// @dev Staked plus thawing, over all members.
        uint96 totalStaked;
        /// @dev The locked part of the stakes.
        uint96 totalLocked;
        /// @dev Seconds; at most 90 days (the parameter's bound), which 24 bits hold.
        uint24 thawingPeriod;
        /// @dev Draws whose seed is requested and not yet used up: while any is pending the tree is frozen. Its slot is
        /// never zero (the thawing period is at least an hour): a new draw never writes it from zero.
        uint32 pendingDraws;
        /// @dev The draw tree's height (SortitionSumTree leaves it to its caller): every weight change and every draw
        /// reads this slot anyway, for the pending draws or the totals (issue 15).
        uint8 treeHeight;
        /// @dev The deployer may bind the manager once (it is deployed after the pool); then only the timelock.
        address wiring;
        SortitionSumTree.Tree tree;
        mapping(address account => MemberRecord) members;
    }

    /// @dev A member as stored: its leaf in the draw tree (index + 1; 0: none) shares the slot of the stake it weighs,
    /// which every weight change reads and writes anyway: the tree keeps no account-to-leaf map, whose cold read cost
    /// every stake, unstake and slash 2,100 gas and whose first write a new member 20,000 (issue 15). 96 bits hold 79
    /// billion CUR, far above the cap. {memberOf} reports it as a {Member}.
    struct MemberRecord {
        uint96 staked;
        uint96 locked;
        uint64 leafPlusOne;
        uint128 thawing;
        uint48 thawEnd;
    }

    // keccak256(abi.encode(uint256(keccak256("curia.storage.StakePool")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STAKE_POOL_STORAGE = 0xb1b902b61f71329f23e5c2a0771c021d4dca43ff19017d9b4eb32a7cb27ddc00;

    /// @custom:storage-location erc7201:curia.storage.StakePoolAuditor
    /// @dev Its own namespace: the pool's struct stays as it was (its packing is tuned for gas elsewhere).
    struct AuditorStorage {
        address auditor;
    }

    // keccak256(abi.encode(uint256(keccak256("curia.storage.StakePoolAuditor")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant AUDITOR_STORAGE = 0xb4023e528069da61fc9962d92998faeb4336d517f3e42399280482f500f5b700;

    /// @dev Tree weights are stakes in whole CUR (the tree's 32-bit sums hold 4.29e9 CUR, more than the CUR cap).
    uint256 public constant WEIGHT_UNIT = 1e18;
    uint256 private constant BPS = 10_000;

    /// @dev The manager's calls carry no reentrancy guard (~350 gas each, issue 15): only the manager can make them,
    /// and the only external call they make is a transfer of the pool's token, fixed at initialisation (CUR, no
    /// transfer hooks), so nothing can run in between.
    modifier onlyManager() {
        if (msg.sender != _s().manager) revert StakePoolOnlyManager(msg.sender);
        _;
    }

    // ---------------------------------------------------------------- initializer

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Sets up the pool. Its manager is bound afterwards ({setManager}).
    /// @param token_ The CUR token.
    /// @param timelock_ The DAO timelock: parameters, the manager, upgrades.
    /// @param params_ Initial figures, checked against the same bounds as {setParameters}.
    function initialize(IERC20 token_, address timelock_, PoolParameters calldata params_) external initializer {
        if (address(token_) == address(0)) revert GovernedZeroAddress("token");
        __Governed_init(timelock_);
        StakePoolStorage storage $ = _s();
        $.token = token_;
        $.wiring = msg.sender;
        _setParameters(params_);
    }

    // ---------------------------------------------------------------- governance setters

    /// @notice Replaces the governed figures (bounds checked). Emits {PoolParametersSet}.
    function setParameters(PoolParameters calldata newParameters) external onlyTimelock {
        _setParameters(newParameters);
    }

    /// @notice Binds (deployer, once) or replaces (timelock) the manager: the Court or the ValidationManager. A
    /// replacement waits until no stake is locked and no draw is pending ({StakePoolManagerBusy}). Emits {ManagerSet}.
    function setManager(address newManager) external {
        StakePoolStorage storage $ = _s();
        bool deployerWiring = msg.sender == $.wiring && $.manager == address(0);
        if (!deployerWiring) {
            _checkTimelock();
            // Only the manager that locked a stake or began a draw can release or end it: a new one would strand the
            // members' locked stake, and a frozen tree, for ever.
            if ($.totalLocked != 0 || $.pendingDraws != 0) revert StakePoolManagerBusy($.totalLocked, $.pendingDraws);
        }
        if (newManager == address(0)) revert GovernedZeroAddress("manager");
        emit ManagerSet($.manager, newManager);
        $.manager = newManager;
        $.wiring = address(0);
    }

    // ---------------------------------------------------------------- members

    /// @inheritdoc IStakePool
    function stake(uint256 amount) external nonReentrant {
        _stake(msg.sender, amount);
    }

    /// @inheritdoc IStakePool
    function stakeFor(address account, uint256 amount) external nonReentrant {
        if (account == address(0)) revert GovernedZeroAddress("account");
        MemberRecord storage m = _s().members[account];
        if (m.staked != 0 || m.thawing != 0 || m.locked != 0) revert StakePoolAccountHasPosition(account);
        _stake(account, amount);
    }

    /// @inheritdoc IStakePool
    function requestUnstake(uint256 amount) external {
        StakePoolStorage storage $ = _s();
        MemberRecord storage m = $.members[msg.sender];
        if (amount == 0) revert StakePoolZeroAmount();
        uint256 staked = m.staked;
        if (amount > staked) revert StakePoolInsufficientStake(amount, staked);
        uint256 rest = staked - amount;
        // Read only when some stake stays: unstaking all of it does not read the minimum's slot.
        if (rest != 0) {
            uint256 minimum = $.minStake;
            if (rest < minimum) revert StakePoolStakeTooLow(rest, minimum);
        }
        m.staked = uint96(rest);
        uint256 thawing = m.thawing + amount;
        m.thawing = uint128(thawing);
        uint48 thawEnd = Time.timestamp() + $.thawingPeriod;
        m.thawEnd = thawEnd;
        _updateWeight($, m, msg.sender, rest);
        emit UnstakeRequested(msg.sender, amount, rest, thawing, thawEnd);
    }

    /// @inheritdoc IStakePool
    function withdraw() external nonReentrant returns (uint256 amount) {
        StakePoolStorage storage $ = _s();
        MemberRecord storage m = $.members[msg.sender];
        uint256 thawing = m.thawing;
        if (thawing == 0 || Time.timestamp() < m.thawEnd) {
            revert StakePoolNothingToWithdraw(msg.sender, thawing, m.thawEnd);
        }
        // Locks are covered by staked + thawing; whatever they do not cover may leave.
        uint256 free = uint256(m.staked) + thawing - m.locked;
        amount = free < thawing ? free : thawing;
        if (amount == 0) revert StakePoolStakeLocked(msg.sender, m.locked);
        thawing -= amount;
        m.thawing = uint128(thawing);
        // Nothing left thawing: clearing the date too empties the slot (a storage refund).
        if (thawing == 0) m.thawEnd = 0;
        $.totalStaked -= uint96(amount);
        $.token.safeTransfer(msg.sender, amount);
        emit StakeWithdrawn(msg.sender, amount, thawing);
    }

    /// @inheritdoc IStakePool
    function syncWeight(address account) external {
        StakePoolStorage storage $ = _s();
        uint256 pending = $.pendingDraws;
        if (pending != 0) revert StakePoolDrawPending(pending);
        MemberRecord storage m = $.members[account];
        uint256 staked = m.staked;
        _setWeight($, m, account, staked);
        uint256 weight = staked / WEIGHT_UNIT;
        emit WeightSynced(account, weight);
    }

    // ---------------------------------------------------------------- manager

    /// @inheritdoc IStakePool
    function beginDraw() external onlyManager {
        StakePoolStorage storage $ = _s();
        uint256 pending = $.pendingDraws + 1;
        $.pendingDraws = uint32(pending);
        emit PendingDrawsChanged(pending);
    }

    /// @inheritdoc IStakePool
    function endDraw() external onlyManager {
        _endDraw(_s());
    }

    /// @inheritdoc IStakePool
    function lock(
        address account,
        uint256 fixedAmount,
        uint256 shareBps
    ) external onlyManager returns (bool ok, uint256 amount) {
        StakePoolStorage storage $ = _s();
        return _lock($, account, fixedAmount, shareBps, $.tree.weightAt($.members[account].leafPlusOne), true);
    }

    /// @inheritdoc IStakePool
    function drawAndLock(
        uint256 randomValue,
        uint256 fixedAmount,
        uint256 shareBps
    ) external onlyManager returns (address account, bool ok, uint256 amount) {
        StakePoolStorage storage $ = _s();
        uint256 total = $.tree.totalWeight($.treeHeight);
        if (total == 0) revert StakePoolEmpty();
        uint256 weight;
        (account, weight) = $.tree.drawBelow($.treeHeight, randomValue % total, total);
        (ok, amount) = _lock($, account, fixedAmount, shareBps, weight, true);
    }

    /// @inheritdoc IStakePool
    /// @dev One call for a whole committee instead of one per attempt and one to end the draw: each call into this
    /// proxy costs the manager ~2,000 gas (issue 15). The tree cannot change between the seats (locks leave it alone).
    function endDrawAndLockSeats(
        uint256 seed,
        uint256 seats,
        uint256 attempts,
        uint256 shareBps
    ) external onlyManager returns (uint256[] memory drawn) {
        StakePoolStorage storage $ = _s();
        _endDraw($);
        drawn = new uint256[](seats);
        uint256 height = $.treeHeight;
        uint256 total = $.tree.totalWeight(height);
        if (total == 0) return drawn;
        uint256 lockedNow;
        for (uint256 seat; seat < seats; ++seat) {
            for (uint256 attempt; attempt < attempts; ++attempt) {
                (address account, uint256 weight) = $.tree.drawBelow(
                    height,
                    uint256(keccak256(abi.encode(seed, seat, attempt))) % total,
                    total
                );
                (bool ok, uint256 amount) = _lock($, account, 0, shareBps, weight, false);
                if (!ok) continue;
                drawn[seat] = uint256(uint160(account)) | (amount << 160);
                lockedNow += amount;
                break;
            }
        }
        // The lock total written once for the committee, and one event for its seats (issue 15).
        $.totalLocked += uint96(lockedNow);
        emit SeatsLocked(drawn);
    }

    /// @inheritdoc IStakePool
    function release(address account, uint256 unlockAmount, uint256 slashAmount, uint256 reward) external onlyManager {
        StakePoolStorage storage $ = _s();
        _release($, account, unlockAmount, slashAmount, reward);
        if (reward > 0) _transferFunds($, account, reward);
    }

    /// @inheritdoc IStakePool
    function releaseBatch(
        address[] calldata accounts,
        uint256[] calldata unlockAmounts,
        uint256[] calldata slashAmounts,
        address collectTo
    ) external onlyManager returns (uint256 slashed) {
        uint256 n = accounts.length;
        if (unlockAmounts.length != n || slashAmounts.length != n) {
            revert StakePoolLengthMismatch(n, unlockAmounts.length, slashAmounts.length);
        }
        StakePoolStorage storage $ = _s();
        uint256 unlocked;
        for (uint256 i; i < n; ++i) {
            _unlockAndSlash($, accounts[i], unlockAmounts[i], slashAmounts[i]);
            unlocked += unlockAmounts[i];
            slashed += slashAmounts[i];
        }
        // The totals written once for the batch, and one event for it (issue 15).
        $.totalLocked -= uint96(unlocked);
        if (slashed > 0) $.totalStaked -= uint96(slashed);
        emit StakesReleased(accounts, unlockAmounts, slashAmounts);
        if (slashed > 0 && collectTo != address(0)) {
            // No balance check: what leaves is what the batch just took out of the stakes, which the balance backed
            // (a check reads the token's balance, ~2,000 gas on finalisation: issue 15).
            $.token.safeTransfer(collectTo, slashed);
            emit ManagerPaid(collectTo, slashed);
        }
    }

    /// @inheritdoc IStakePool
    function pay(address to, uint256 amount) external onlyManager {
        if (to == address(0)) revert GovernedZeroAddress("to");
        _transferFunds(_s(), to, amount);
        emit ManagerPaid(to, amount);
    }

    // ---------------------------------------------------------------- auditor

    /// @inheritdoc IStakePool
    function setAuditor(address newAuditor) external onlyTimelock {
        AuditorStorage storage a = _a();
        emit AuditorSet(a.auditor, newAuditor);
        a.auditor = newAuditor;
    }

    /// @inheritdoc IStakePool
    /// @dev Only stake beyond the member's locks can go: a live round's stake at risk stays covered, so the manager's
    /// releases never fail for it.
    function slashAudited(address account, uint256 amount, address to) external nonReentrant returns (uint256 slashed) {
        if (msg.sender != _a().auditor) revert StakePoolOnlyAuditor(msg.sender);
        if (to == address(0)) revert GovernedZeroAddress("to");
        StakePoolStorage storage $ = _s();
        MemberRecord storage m = $.members[account];
        uint256 staked = m.staked;
        uint256 thawing = m.thawing;
        uint256 unlocked = staked + thawing - m.locked;
        slashed = amount < unlocked ? amount : unlocked;
        if (slashed > 0) {
            uint256 fromStaked = slashed < staked ? slashed : staked;
            if (fromStaked > 0) {
                staked -= fromStaked;
                m.staked = uint96(staked);
                _updateWeight($, m, account, staked);
            }
            thawing -= slashed - fromStaked;
            m.thawing = uint128(thawing);
            $.totalStaked -= uint96(slashed);
            // The stakes shrank by what leaves: free stake stays fully backed.
            $.token.safeTransfer(to, slashed);
        }
        emit StakeAuditSlashed(account, to, amount, slashed, staked, thawing);
    }

    /// @inheritdoc IStakePool
    function auditor() external view returns (address) {
        return _a().auditor;
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IStakePool
    function draw(uint256 randomValue) external view returns (address account) {
        StakePoolStorage storage $ = _s();
        uint256 total = $.tree.totalWeight($.treeHeight);
        if (total == 0) revert StakePoolEmpty();
        (account, ) = $.tree.drawBelow($.treeHeight, randomValue % total, total);
    }

    /// @inheritdoc IStakePool
    function memberOf(address account) external view returns (Member memory) {
        MemberRecord storage m = _s().members[account];
        return Member(m.staked, m.locked, m.thawing, m.thawEnd);
    }

    /// @inheritdoc IStakePool
    function drawWeight(address account) external view returns (uint256 weight, uint256 totalWeight) {
        StakePoolStorage storage $ = _s();
        return ($.tree.weightAt($.members[account].leafPlusOne), $.tree.totalWeight($.treeHeight));
    }

    /// @inheritdoc IStakePool
    function pendingDraws() external view returns (uint256) {
        return _s().pendingDraws;
    }

    /// @inheritdoc IStakePool
    function totalWeight() external view returns (uint256) {
        return _s().tree.totalWeight(_s().treeHeight);
    }

    /// @inheritdoc IStakePool
    function memberSlots() external view returns (uint256) {
        return _s().tree.leafCount;
    }

    /// @inheritdoc IStakePool
    function memberAt(uint256 slot) external view returns (address) {
        return _s().tree.accountAt[slot];
    }

    /// @inheritdoc IStakePool
    function parameters() external view returns (PoolParameters memory) {
        StakePoolStorage storage $ = _s();
        return PoolParameters($.minStake, $.thawingPeriod);
    }

    /// @inheritdoc IStakePool
    function token() external view returns (address) {
        return address(_s().token);
    }

    /// @inheritdoc IStakePool
    function manager() external view returns (address) {
        return _s().manager;
    }

    /// @inheritdoc IStakePool
    function totalOwed() external view returns (uint256 stakes, uint256 locked) {
        StakePoolStorage storage $ = _s();
        return ($.totalStaked, $.totalLocked);
    }

    // ---------------------------------------------------------------- internal

    function _stake(address account, uint256 amount) private {
        StakePoolStorage storage $ = _s();
        if (amount == 0) revert StakePoolZeroAmount();
        MemberRecord storage m = $.members[account];
        uint256 staked = m.staked + amount;
        uint256 minimum = $.minStake;
        if (staked < minimum) revert StakePoolStakeTooLow(staked, minimum);
        m.staked = SafeCast.toUint96(staked);
        $.totalStaked += uint96(amount);
        _updateWeight($, m, account, staked);
        $.token.safeTransferFrom(msg.sender, address(this), amount);
        emit Staked(account, msg.sender, amount, staked);
    }

    /// @dev One member's release ({release}): its bookkeeping, the totals and its event.
    function _release(
        StakePoolStorage storage $,
        address account,
        uint256 unlockAmount,
        uint256 slashAmount,
        uint256 reward
    ) private {
        _unlockAndSlash($, account, unlockAmount, slashAmount);
        $.totalLocked -= uint96(unlockAmount);
        if (slashAmount > 0) $.totalStaked -= uint96(slashAmount);
        emit StakeReleased(account, unlockAmount, slashAmount, reward);
    }

    /// @dev Unlocks `unlockAmount` of a member's stake and slashes `slashAmount` of it, from drawable stake first, then
    /// from thawing stake; the totals and the event are the caller's ({releaseBatch} writes and emits once for the
    /// batch). The thawing slot is read only when the slash reaches it (issue 15).
    function _unlockAndSlash(
        StakePoolStorage storage $,
        address account,
        uint256 unlockAmount,
        uint256 slashAmount
    ) private {
        MemberRecord storage m = $.members[account];
        uint256 locked = m.locked;
        if (unlockAmount > locked || slashAmount > unlockAmount) {
            revert StakePoolInvalidRelease(account, unlockAmount, slashAmount, locked);
        }
        m.locked = uint96(locked - unlockAmount);
        if (slashAmount == 0) return;
        uint256 staked = m.staked;
        uint256 fromStaked = slashAmount < staked ? slashAmount : staked;
        if (fromStaked > 0) {
            staked -= fromStaked;
            m.staked = uint96(staked);
            _updateWeight($, m, account, staked);
        }
        // Staked + thawing covered the lock, and the slash is at most the lock: this cannot underflow.
        if (slashAmount > fromStaked) m.thawing -= uint128(slashAmount - fromStaked);
    }

    /// @dev `weight` is the member's weight in the tree. A weight its stake no longer backs (an unstake or slash made
    /// while a draw was pending, not yet synced) seats nobody: otherwise a member could keep the weight of stake it
    /// has withdrawn and top up only the stake of a seat it likes, after seeing the seed. Stake above that weight (a
    /// top-up made while the tree was frozen) counts neither for the locks nor for their share: a member drawn more
    /// often than its frozen stake covers cannot top up after seeing the seed to keep the extra seats, nor lose its
    /// seats by topping up. When the tree is in sync the cap is above the stake and changes nothing.
    /// `single`: one lock ({lock}, {drawAndLock}), which adds to the lock total and emits {StakeLocked}; a committee's
    /// seat ({endDrawAndLockSeats}) leaves both to its caller, which writes the total and emits once (issue 15).
    function _lock(
        StakePoolStorage storage $,
        address account,
        uint256 fixedAmount,
        uint256 shareBps,
        uint256 weight,
        bool single
    ) private returns (bool, uint256) {
        MemberRecord storage m = $.members[account];
        uint256 staked = m.staked;
        if (staked == 0 || staked < $.minStake || staked / WEIGHT_UNIT < weight) return (false, 0);
        // The weight is whole CUR: the stake it stands for is below (weight + 1) units.
        uint256 frozenCap = (weight + 1) * WEIGHT_UNIT - 1;
        uint256 backing = staked < frozenCap ? staked : frozenCap;
        uint256 amount = fixedAmount + (backing * shareBps) / BPS;
        uint256 locked = m.locked + amount;
        if (locked > backing) return (false, 0);
        m.locked = uint96(locked);
        if (single) {
            $.totalLocked += uint96(amount);
            emit StakeLocked(account, amount, locked);
        }
        return (true, amount);
    }

    function _endDraw(StakePoolStorage storage $) private {
        uint256 pending = $.pendingDraws;
        if (pending == 0) revert StakePoolNoPendingDraw();
        $.pendingDraws = uint32(--pending);
        emit PendingDrawsChanged(pending);
    }

    /// @dev Pays out of the manager's funds, refusing to touch stake that is not locked.
    function _transferFunds(StakePoolStorage storage $, address to, uint256 amount) private {
        IERC20 token_ = $.token;
        uint256 balance = token_.balanceOf(address(this));
        // Stake that is not locked must stay fully backed; the manager decides what happens to locked stake.
        uint256 unlocked = $.totalStaked - $.totalLocked;
        uint256 available = balance > unlocked ? balance - unlocked : 0;
        if (amount > available) revert StakePoolInsufficientFunds(amount, available);
        token_.safeTransfer(to, amount);
    }

    /// @dev While a draw is pending the tree stays as it was when its seed was requested: a change made after the seed
    /// is known cannot steer the draw. The member's next change after the draw, or anyone's {syncWeight}, applies it.
    function _updateWeight(
        StakePoolStorage storage $,
        MemberRecord storage m,
        address account,
        uint256 staked
    ) private {
        if ($.pendingDraws == 0) _setWeight($, m, account, staked);
    }

    function _setWeight(StakePoolStorage storage $, MemberRecord storage m, address account, uint256 staked) private {
        uint256 leafPlusOne = m.leafPlusOne;
        uint256 height = $.treeHeight;
        (uint256 leafAfter, uint256 heightAfter) = $.tree.set(
            height,
            leafPlusOne,
            account,
            uint64(staked / WEIGHT_UNIT)
        );
        if (leafAfter != leafPlusOne) m.leafPlusOne = uint64(leafAfter);
        if (heightAfter != height) $.treeHeight = uint8(heightAfter);
    }

    function _checkBounds(bytes32 parameter, uint256 value, uint256 min, uint256 max) private pure {
        if (value < min || value > max) revert StakePoolParameterOutOfBounds(parameter, value, min, max);
    }

    function _setParameters(PoolParameters calldata n) private {
        _checkBounds("minStake", n.minStake, 1 ether, 1_000_000 ether);
        _checkBounds("thawingPeriod", n.thawingPeriod, 1 hours, 90 days);
        StakePoolStorage storage $ = _s();
        emit PoolParametersSet(PoolParameters($.minStake, $.thawingPeriod), n);
        ($.minStake, $.thawingPeriod) = (uint96(n.minStake), uint24(n.thawingPeriod));
    }

    function _a() private pure returns (AuditorStorage storage a) {
        assembly {
            a.slot := AUDITOR_STORAGE
        }
    }

    /// @dev Stakes (staked and thawing) and what the manager keeps here (its {IStakePoolManager.poolFundsOwed}).
    function _owedIn(address token_) internal view override returns (uint256) {
        StakePoolStorage storage $ = _s();
        if (token_ != address($.token)) return 0;
        return $.totalStaked + IStakePoolManager($.manager).poolFundsOwed();
    }

    function _s() private pure returns (StakePoolStorage storage $) {
        assembly {
            $.slot := STAKE_POOL_STORAGE
        }
    }
}
