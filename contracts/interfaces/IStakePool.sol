// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IStakePool
/// @notice One pool of staked CUR with a stake-weighted sortition tree, written once and deployed once per use: the
/// jurors' pool (managed by the Court) and the validators' pool (managed by the ValidationManager).
///
/// Members stake, ask to unstake (the amount thaws for `thawingPeriod`), and withdraw what has thawed. Their drawable
/// stake (`staked`) is their weight in the tree: the manager draws members with probability weight / total in
/// O(log n). The manager locks stake at risk while a member sits on a dispute or round, and releases it afterwards,
/// slashing part or all of it. Locks are always covered by staked + thawing, so a member can never withdraw stake at
/// risk.
///
/// The pool also holds its manager's funds: whatever CUR the pool holds beyond its members' stakes (fees the manager
/// pulled in, slashed stake, donations). The manager pays out of them with {pay}; it may pay ahead of a slash it has
/// already decided (a coherent juror's reward from an incoherent juror's penalty not yet settled), so a payment may
/// reach into locked stake, but never into stake that is not locked: free stake is always fully backed.
///
/// Fair draws: the manager calls {beginDraw} when it requests a draw's seed and {endDraw} when the draw is over. In
/// between, the tree does not change, so nobody can move weight after the seed is known; stake changes made meanwhile
/// take effect in the tree at the member's next change or by anyone's {syncWeight}. A member is only seated if its
/// stake backs its whole weight in the tree. Members who split stake across addresses gain nothing: seats are drawn
/// with replacement, each in proportion to weight.
interface IStakePool {
    // ------------------------------------------------------------------ types

    /// @notice A member's stake. `staked` is drawable (its weight in the tree); `thawing` waits for `thawEnd`; `locked`
    /// is the stake at risk and is covered by staked + thawing. `locked` shares its slot with `staked`: a draw reads
    /// both at once, and locking writes a slot that already holds the stake (5,000 gas, not 22,100, per first seat).
    struct Member {
        uint128 staked;
        uint128 locked;
        uint128 thawing;
        uint48 thawEnd;
    }

    /// @notice Governed figures.
    /// @param minStake Smallest drawable stake a member may hold (zero aside), and may be drawn with.
    /// @param thawingPeriod Seconds between an unstake request and the withdrawal.
    struct PoolParameters {
        uint128 minStake;
        uint32 thawingPeriod;
    }

    // ------------------------------------------------------------------ events

    /// @notice `account`'s drawable stake rose by `amount` (paid by `payer`) to `staked`.
    event Staked(address indexed account, address indexed payer, uint256 amount, uint256 staked);
    /// @notice `account` moved `amount` into thawing until `thawEnd` (the clock restarts for all of `thawing`).
    event UnstakeRequested(address indexed account, uint256 amount, uint256 staked, uint256 thawing, uint48 thawEnd);
    /// @notice `account` withdrew `amount` of thawed stake; `thawing` still thaws (locked).
    event StakeWithdrawn(address indexed account, uint256 amount, uint256 thawing);
    /// @notice The manager locked `amount` of `account`'s stake; `locked` is its stake at risk now.
    event StakeLocked(address indexed account, uint256 amount, uint256 locked);
    /// @notice The manager unlocked `unlocked` of `account`'s stake, slashed `slashed` of it (to its funds) and paid
    /// `paid` of its funds to the member. The slash came from drawable stake first, then from thawing stake: the
    /// balances after follow from the member's before. Not reported, so that a release need not read the thawing slot
    /// when the slash leaves it alone (2,100 gas) nor log two more words (512 gas) (issue 15).
    event StakeReleased(address indexed account, uint256 unlocked, uint256 slashed, uint256 paid);
    /// @notice {endDrawAndLockSeats} locked a committee's seats: per seat, the member seated (low 160 bits; zero: the
    /// seat stays empty) and the amount of its stake locked (the bits above), as the call returns them. One event for
    /// the committee instead of a {StakeLocked} per seat (issue 15); a member's stake at risk is the sum of its seats'.
    event SeatsLocked(uint256[] seats);
    /// @notice {releaseBatch} unlocked `unlocked[i]` of `accounts[i]`'s stake and slashed `slashed[i]` of it (to the
    /// manager's funds), from drawable stake first, then from thawing stake, as {StakeReleased} reports one member's.
    /// One event for the batch instead of a {StakeReleased} per member (issue 15): the balances after follow from the
    /// member's before.
    event StakesReleased(address[] accounts, uint256[] unlocked, uint256[] slashed);
    /// @notice The manager paid `amount` to `to` out of its funds ({pay}).
    event ManagerPaid(address indexed to, uint256 amount);
    /// @notice The manager changed.
    event ManagerSet(address oldManager, address newManager);
    /// @notice The governed figures changed.
    event PoolParametersSet(PoolParameters oldParameters, PoolParameters newParameters);
    /// @notice Draws now pending (the tree is frozen while this is not zero).
    event PendingDrawsChanged(uint256 pendingDraws);
    /// @notice `account`'s draw weight was set to `weight` (whole CUR of drawable stake) by {syncWeight}.
    event WeightSynced(address indexed account, uint256 weight);
    /// @notice The auditor ({slashAudited}) changed (zero: none).
    event AuditorSet(address oldAuditor, address newAuditor);
    /// @notice The auditor slashed `slashed` of `account`'s unlocked stake (of `requested`) and sent it to `to`;
    /// `staked` and `thawing` are the member's balances after.
    event StakeAuditSlashed(
        address indexed account,
        address indexed to,
        uint256 requested,
        uint256 slashed,
        uint256 staked,
        uint256 thawing
    );

    // ------------------------------------------------------------------ errors

    /// @notice A governed figure outside its bounds.
    error StakePoolParameterOutOfBounds(bytes32 parameter, uint256 value, uint256 min, uint256 max);
    /// @notice A zero amount.
    error StakePoolZeroAmount();
    /// @notice The drawable stake would be non-zero and below the minimum.
    error StakePoolStakeTooLow(uint256 stake, uint256 minimum);
    /// @notice More than the drawable stake was asked back.
    error StakePoolInsufficientStake(uint256 requested, uint256 available);
    /// @notice Someone else may stake only for an account with no stake at all.
    error StakePoolAccountHasPosition(address account);
    /// @notice Nothing has thawed yet (or nothing is thawing).
    error StakePoolNothingToWithdraw(address account, uint256 thawing, uint48 thawEnd);
    /// @notice All the thawed stake is locked.
    error StakePoolStakeLocked(address account, uint256 locked);
    /// @notice Only the manager may begin or end a draw, draw with a lock, release, or pay.
    error StakePoolOnlyManager(address caller);
    /// @notice Nobody is staked: nothing can be drawn.
    error StakePoolEmpty();
    /// @notice Batch arrays of different lengths.
    error StakePoolLengthMismatch(uint256 accounts, uint256 unlocks, uint256 slashes);
    /// @notice A release of more than the account's lock, or a slash of more than the release.
    error StakePoolInvalidRelease(address account, uint256 unlock, uint256 slash, uint256 locked);
    /// @notice A payment beyond the manager's funds plus the locked stake.
    error StakePoolInsufficientFunds(uint256 amount, uint256 available);
    /// @notice Weights cannot be synced while `pendingDraws` draws are pending; retry once they are drawn.
    error StakePoolDrawPending(uint256 pendingDraws);
    /// @notice {endDraw} without a pending draw.
    error StakePoolNoPendingDraw();
    /// @notice The manager cannot change while `locked` of the members' stake is locked or `pendingDraws` draws are
    /// pending: only the manager that locked a stake can release it, so a new one would strand it. Retry once the
    /// manager's disputes or rounds are over (or upgrade the manager in place).
    error StakePoolManagerBusy(uint256 locked, uint256 pendingDraws);
    /// @notice Only the auditor may call {slashAudited}.
    error StakePoolOnlyAuditor(address caller);

    // ------------------------------------------------------------------ members

    /// @notice Adds `amount` (pulled with transferFrom) to the caller's drawable stake. Emits {Staked}.
    function stake(uint256 amount) external;

    /// @notice Stakes `amount`, paid by the caller, for `account`, which must hold no stake at all (onboarding: a
    /// grant, a staking service). Emits {Staked}.
    function stakeFor(address account, uint256 amount) external;

    /// @notice Moves `amount` of drawable stake into thawing; a new request restarts the clock for all of it. What
    /// stays staked must be zero or at least the minimum. Emits {UnstakeRequested}.
    function requestUnstake(uint256 amount) external;

    /// @notice Withdraws the thawed stake that is not locked. Emits {StakeWithdrawn}.
    function withdraw() external returns (uint256 amount);

    /// @notice Sets `account`'s draw weight to its drawable stake, applying a change that was made while a draw was
    /// pending. Anyone may call it, once no draw is pending. Emits {WeightSynced}.
    function syncWeight(address account) external;

    // ------------------------------------------------------------------ manager

    /// @notice A draw's seed was requested: the tree freezes until every such draw has ended ({endDraw}). Stake,
    /// unstake and slashes still move money at once, but their effect on the draw weights waits (see
    /// {syncWeight}). Emits {PendingDrawsChanged}.
    function beginDraw() external;

    /// @notice A draw begun with {beginDraw} is over (drawn, or given up at its deadline). Emits {PendingDrawsChanged}.
    function endDraw() external;

    /// @notice Locks `fixedAmount + staked × shareBps / 10,000` of `account`'s stake if it can sit (as for
    /// {drawAndLock}). Emits {StakeLocked} when it locks.
    /// @return ok Whether the stake was locked.
    /// @return amount The amount locked (when `ok`).
    function lock(address account, uint256 fixedAmount, uint256 shareBps) external returns (bool ok, uint256 amount);

    /// @notice Draws a member for `randomValue` (weighted by the tree) and locks `fixedAmount + staked × shareBps /
    /// 10,000` of its stake if it can sit: its drawable stake is at least the minimum, backs its whole weight in the
    /// tree, and covers its locks plus that amount. Emits {StakeLocked} when it locks.
    /// @return account The member drawn.
    /// @return ok Whether its stake was locked.
    /// @return amount The amount locked (when `ok`).
    function drawAndLock(
        uint256 randomValue,
        uint256 fixedAmount,
        uint256 shareBps
    ) external returns (address account, bool ok, uint256 amount);

    /// @notice Ends a draw begun with {beginDraw} (as {endDraw}) and draws its `seats` seats in one call: seat s's
    /// attempt a draws with keccak256(abi.encode(seed, s, a)) and locks `staked × shareBps / 10,000` of the member
    /// drawn if it can sit (as {drawAndLock}); a seat nobody can take within `attempts` stays empty. Emits
    /// {PendingDrawsChanged}, and {SeatsLocked} once.
    /// @return drawn Per seat, the member seated (low 160 bits; zero: the seat stays empty) and the amount locked (the
    /// bits above: below 2^96, as every stake); one word a seat keeps the manager's decoding small.
    function endDrawAndLockSeats(
        uint256 seed,
        uint256 seats,
        uint256 attempts,
        uint256 shareBps
    ) external returns (uint256[] memory drawn);

    /// @notice Unlocks `unlockAmount` of `account`'s stake and slashes `slashAmount` of it (at most the unlocked amount)
    /// into the manager's funds, from drawable stake first, then from thawing stake; then pays `reward` of the
    /// manager's funds to `account` (checked as {pay}). Emits {StakeReleased}.
    function release(address account, uint256 unlockAmount, uint256 slashAmount, uint256 reward) external;

    /// @notice {release} for several members at once (no reward), then pays everything it slashed to `collectTo` when
    /// that is not zero: one call for a whole committee. Emits {StakesReleased} once, and {ManagerPaid} when it
    /// collects.
    /// @return slashed The sum of the slashes.
    function releaseBatch(
        address[] calldata accounts,
        uint256[] calldata unlockAmounts,
        uint256[] calldata slashAmounts,
        address collectTo
    ) external returns (uint256 slashed);

    /// @notice Pays `amount` of the manager's funds to `to`. Emits {ManagerPaid}.
    function pay(address to, uint256 amount) external;

    // ------------------------------------------------------------------ auditor

    /// @notice Sets the auditor (timelock only; zero removes it): a second role, besides the manager, that may slash
    /// members after the fact (the CanaryAudits of the validators' pool). Emits {AuditorSet}.
    function setAuditor(address newAuditor) external;

    /// @notice Slashes up to `amount` of `account`'s stake that no live lock holds (staked first, then thawing; locks of
    /// live rounds stay covered) and sends it to `to`. Auditor only. Emits {StakeAuditSlashed}.
    /// @return slashed What was slashed: `amount`, or less when the unlocked stake is smaller.
    function slashAudited(address account, uint256 amount, address to) external returns (uint256 slashed);

    function auditor() external view returns (address);

    // ------------------------------------------------------------------ views

    /// @notice The member drawn for `randomValue`: the one whose cumulative weight range holds randomValue % total.
    function draw(uint256 randomValue) external view returns (address);

    function memberOf(address account) external view returns (Member memory);

    /// @notice Draws begun and not ended: while not zero, the draw weights are frozen.
    function pendingDraws() external view returns (uint256);

    /// @notice A member's weight in the draw (its drawable stake in whole CUR when last applied to the tree) and the
    /// total weight.
    function drawWeight(address account) external view returns (uint256 weight, uint256 totalWeight);

    /// @notice The sum of every member's weight (drawable stake in whole CUR): zero when nobody can be drawn.
    function totalWeight() external view returns (uint256);

    /// @notice Slots of the sortition tree ever used; {memberAt} of each lists every member (zero for a freed slot).
    function memberSlots() external view returns (uint256);

    function memberAt(uint256 slot) external view returns (address);

    function parameters() external view returns (PoolParameters memory);

    function token() external view returns (address);

    function manager() external view returns (address);

    /// @notice Stakes (staked + thawing, all members) and the locked part of them. The pool's CUR balance minus
    /// `stakes` is the manager's funds; it is never below `-locked`.
    function totalOwed() external view returns (uint256 stakes, uint256 locked);
}

/// @title IStakePoolManager
/// @notice What a pool's manager keeps in the pool beside the stakes (the Court's escrow, rewards and treasury share):
/// the pool's stray-token sweep leaves stakes and this untouched.
interface IStakePoolManager {
    /// @notice The manager's funds held in its pool, in the pool's token.
    function poolFundsOwed() external view returns (uint256);
}
