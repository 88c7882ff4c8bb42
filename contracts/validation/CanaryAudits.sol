// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {StrayTokenSweeper} from "../governance/StrayTokenSweeper.sol";
import {ICanaryAudits} from "../interfaces/ICanaryAudits.sol";
import {IListingRegistry} from "../interfaces/IListingRegistry.sol";
import {IStakePool} from "../interfaces/IStakePool.sol";
import {IValidationManager} from "../interfaces/IValidationManager.sol";

/// @dev The ValidationManager's view of its wiring (not in IValidationManager).
interface IValidationWiring {
    function addresses() external view returns (address, address, address);
}

/// @title CanaryAudits
/// @notice See {ICanaryAudits}. It only reads the ValidationManager (rounds, committees, revealed scores) and slashes
/// through the validators' pool's auditor role: the manager itself is unchanged.
contract CanaryAudits is ICanaryAudits, StrayTokenSweeper, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @custom:storage-location erc7201:curia.storage.CanaryAudits
    struct CanaryAuditsStorage {
        IValidationManager validation;
        IStakePool pool;
        IERC20 token;
        IListingRegistry registry;
        address operator;
        AuditParameters params;
        /// @dev The operator's roots, in commit order (timestamps never decrease): the one in force when a round opened
        /// is the only one that can audit it.
        Root[] roots;
        /// @dev One audit per round: the leaf that audited it.
        mapping(uint256 roundId => bytes32 leaf) auditedBy;
        /// @dev The bounty grant: the only CUR this contract owes between audits ({sweepStrayTokens} leaves it).
        uint256 bountyReserve;
        /// @dev The most the reserve pays in bounties per UTC day ({BUDGET_PERIOD}); 0: it pays none.
        uint128 bountyBudget;
        /// @dev The day ({BUDGET_PERIOD}s since the epoch) `budgetSpent` counts.
        uint64 budgetDay;
        /// @dev What the reserve paid in bounties on `budgetDay`.
        uint256 budgetSpent;
    }

    /// @dev A committed root and when.
    struct Root {
        bytes32 root;
        uint64 committedAt;
    }

    // keccak256(abi.encode(uint256(keccak256("curia.storage.CanaryAudits")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant CANARY_AUDITS_STORAGE = 0x2100d9f99111f5b3e506625bce3aa3f23a2ff4f67779a061e6d33cf82bf44100;

    uint256 private constant BPS = 10_000;
    uint256 private constant MAX_SCORE = 10_000;
    /// @inheritdoc ICanaryAudits
    uint256 public constant TREE_DEPTH = 32;
    /// @inheritdoc ICanaryAudits
    uint256 public constant BUDGET_PERIOD = 1 days;
    /// @dev The bounty budget's bound per period (the same as a seat's bounty's).
    uint256 private constant MAX_BOUNTY = 100_000 ether;

    /// @dev A member within tolerance of the truth, between the slashing pass and the paying pass.
    struct Catcher {
        address account;
        uint256 seats;
    }

    /// @dev One audit's figures (in memory: the event needs more of them than the stack holds).
    struct Settlement {
        uint256 caught;
        uint256 catchingSeats;
        uint256 slashed;
        uint256 toCatchers;
        uint256 toPool;
        uint256 bounties;
        Catcher[] catchers;
    }

    modifier onlyOperator() {
        if (msg.sender != _s().operator) revert CanaryOnlyOperator(msg.sender);
        _;
    }

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Sets up the audits of `validation_`'s rounds (its validators' pool and token are read from it).
    /// @param timelock_ The DAO timelock: the operator, the figures, upgrades.
    /// @param validation_ The ValidationManager whose rounds are audited.
    /// @param operator_ The canary operator (zero: none yet).
    /// @param params_ Initial figures, checked as {setParameters}.
    function initialize(
        address timelock_,
        IValidationManager validation_,
        address operator_,
        AuditParameters calldata params_
    ) external initializer {
        if (address(validation_) == address(0)) revert GovernedZeroAddress("validation");
        __Governed_init(timelock_);
        CanaryAuditsStorage storage $ = _s();
        IStakePool pool_ = validation_.validatorPool();
        $.validation = validation_;
        $.pool = pool_;
        $.token = IERC20(pool_.token());
        (, address registry_, ) = IValidationWiring(address(validation_)).addresses();
        $.registry = IListingRegistry(registry_);
        emit OperatorSet(address(0), operator_);
        $.operator = operator_;
        _setParameters(params_);
    }

    // ---------------------------------------------------------------- governance

    /// @inheritdoc ICanaryAudits
    function setOperator(address newOperator) external onlyTimelock {
        CanaryAuditsStorage storage $ = _s();
        emit OperatorSet($.operator, newOperator);
        $.operator = newOperator;
    }

    /// @inheritdoc ICanaryAudits
    function setParameters(AuditParameters calldata newParameters) external onlyTimelock {
        _setParameters(newParameters);
    }

    /// @inheritdoc ICanaryAudits
    function setBountyBudget(uint256 newBudget) external onlyTimelock {
        _checkBounds("bountyBudget", newBudget, 0, MAX_BOUNTY);
        CanaryAuditsStorage storage $ = _s();
        emit BountyBudgetSet($.bountyBudget, newBudget);
        $.bountyBudget = uint128(newBudget);
    }

    /// @inheritdoc ICanaryAudits
    function fundBounties(uint256 amount) external {
        CanaryAuditsStorage storage $ = _s();
        $.bountyReserve += amount;
        $.token.safeTransferFrom(msg.sender, address(this), amount);
        emit BountiesFunded(msg.sender, amount);
    }

    /// @inheritdoc ICanaryAudits
    function withdrawBounties(uint256 amount) external onlyTimelock {
        CanaryAuditsStorage storage $ = _s();
        uint256 reserve = $.bountyReserve;
        if (amount > reserve) revert CanaryBountyReserveShort(amount, reserve);
        $.bountyReserve = reserve - amount;
        $.token.safeTransfer(msg.sender, amount);
        emit BountiesWithdrawn(amount);
    }

    // ---------------------------------------------------------------- operator

    /// @inheritdoc ICanaryAudits
    function commitRoot(bytes32 root) external onlyOperator returns (uint256 epoch) {
        if (root == bytes32(0)) revert CanaryZeroCommitment();
        CanaryAuditsStorage storage $ = _s();
        epoch = $.roots.length;
        $.roots.push(Root(root, uint64(block.timestamp)));
        emit RootCommitted(epoch, root);
    }

    /// @inheritdoc ICanaryAudits
    function audit(
        AuditClaim calldata claim,
        uint256 roundId,
        bytes calldata providerSignature
    ) external onlyOperator nonReentrant {
        uint256 listingId = claim.listingId;
        uint16 trueScoreBps = claim.trueScoreBps;
        if (trueScoreBps > MAX_SCORE) revert CanaryInvalidScore(trueScoreBps);
        CanaryAuditsStorage storage $ = _s();
        bytes32 c = keccak256(abi.encode(listingId, trueScoreBps, claim.salt));
        uint256 tolerance = _checkAudit($, claim, c, roundId);
        _checkProvider($, c, listingId, providerSignature);
        $.auditedBy[roundId] = c;
        Settlement memory t = _slash($, roundId, listingId, trueScoreBps, tolerance);
        _pay($, roundId, t);
        emit CanaryAudited(
            c,
            roundId,
            listingId,
            trueScoreBps,
            t.caught,
            t.catchingSeats,
            t.slashed,
            t.toCatchers,
            t.toPool,
            t.bounties
        );
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc ICanaryAudits
    function operator() external view returns (address) {
        return _s().operator;
    }

    /// @inheritdoc ICanaryAudits
    function parameters() external view returns (AuditParameters memory) {
        return _s().params;
    }

    /// @inheritdoc ICanaryAudits
    function validation() external view returns (IValidationManager) {
        return _s().validation;
    }

    /// @inheritdoc ICanaryAudits
    function validatorPool() external view returns (IStakePool) {
        return _s().pool;
    }

    /// @inheritdoc ICanaryAudits
    function rootCount() external view returns (uint256) {
        return _s().roots.length;
    }

    /// @inheritdoc ICanaryAudits
    function rootAt(uint256 epoch) external view returns (bytes32 root, uint256 committedAt) {
        CanaryAuditsStorage storage $ = _s();
        if (epoch >= $.roots.length) revert CanaryUnknownEpoch(epoch);
        Root storage r = $.roots[epoch];
        return (r.root, r.committedAt);
    }

    /// @inheritdoc ICanaryAudits
    function bountyReserve() external view returns (uint256) {
        return _s().bountyReserve;
    }

    /// @inheritdoc ICanaryAudits
    function bountyBudget() external view returns (uint256 perPeriod, uint256 left) {
        CanaryAuditsStorage storage $ = _s();
        return ($.bountyBudget, _budgetLeft($));
    }

    /// @inheritdoc ICanaryAudits
    function auditedBy(uint256 roundId) external view returns (bytes32) {
        return _s().auditedBy[roundId];
    }

    /// @inheritdoc ICanaryAudits
    function auditDeadline(uint256 roundId) external view returns (uint256) {
        CanaryAuditsStorage storage $ = _s();
        uint256 openedAt = $.validation.getRound(roundId).openedAt;
        return openedAt == 0 ? 0 : _deadline($, openedAt);
    }

    // ---------------------------------------------------------------- internal

    /// @dev The window, cut to the pool's thawing period as it is now (governance may shorten it after setting the
    /// window): a seated member cannot have withdrawn the stake it held at the draw before this.
    function _deadline(CanaryAuditsStorage storage $, uint256 openedAt) private view returns (uint256) {
        uint256 window = $.params.auditWindow;
        uint256 thaw = $.pool.parameters().thawingPeriod;
        return openedAt + (window < thaw ? window : thaw);
    }

    /// @dev The listing's provider signed the claim: the operator runs this listing, and cannot audit a real
    /// provider's listing with a made-up truth.
    function _checkProvider(
        CanaryAuditsStorage storage $,
        bytes32 c,
        uint256 listingId,
        bytes calldata signature
    ) private view {
        address provider = $.registry.getListing(listingId).provider;
        bytes32 digest = MessageHashUtils.toEthSignedMessageHash(
            keccak256(abi.encode(address(this), block.chainid, c))
        );
        if (!SignatureChecker.isValidSignatureNow(provider, digest, signature)) {
            revert CanaryNotProviderSigned(listingId, provider);
        }
    }

    /// @dev Every check of {audit} but the score's and the provider's; returns the round's tolerance.
    function _checkAudit(
        CanaryAuditsStorage storage $,
        AuditClaim calldata claim,
        bytes32 leaf,
        uint256 roundId
    ) private view returns (uint256) {
        IValidationManager validation_ = $.validation;
        IValidationManager.RoundPhase phase = validation_.phaseOf(roundId);
        if (phase != IValidationManager.RoundPhase.Finalized) revert CanaryRoundNotFinalized(roundId, phase);
        IValidationManager.Round memory round = validation_.getRound(roundId);
        if (round.listingId != claim.listingId) revert CanaryWrongListing(roundId, round.listingId, claim.listingId);
        uint256 deadline = _deadline($, round.openedAt);
        if (block.timestamp > deadline) revert CanaryAuditTooLate(roundId, deadline, block.timestamp);
        bytes32 prior = $.auditedBy[roundId];
        if (prior != bytes32(0)) revert CanaryRoundAlreadyAudited(roundId, prior);
        _checkRoot($, claim, leaf, round.openedAt);
        return round.toleranceBps;
    }

    /// @dev The claim's root is the one in force when the round opened (the last committed at or before it), and the
    /// leaf sits at the listing's own position under it. Each root holds one leaf per position, and each round has
    /// one root in force: one truth per listing per round, fixed before any member of the round was drawn.
    function _checkRoot(
        CanaryAuditsStorage storage $,
        AuditClaim calldata claim,
        bytes32 leaf,
        uint256 openedAt
    ) private view {
        uint256 epoch = claim.epoch;
        uint256 count = $.roots.length;
        if (epoch >= count) revert CanaryUnknownEpoch(epoch);
        Root storage r = $.roots[epoch];
        if (r.committedAt > openedAt) revert CanaryRootAfterRound(epoch, r.committedAt, openedAt);
        if (epoch + 1 < count) {
            uint256 next = $.roots[epoch + 1].committedAt;
            if (next <= openedAt) revert CanaryRootSuperseded(epoch, next, openedAt);
        }
        uint256 listingId = claim.listingId;
        if (listingId >> TREE_DEPTH != 0) revert CanaryListingOutOfTree(listingId);
        bytes32[] calldata proof = claim.proof;
        if (proof.length != TREE_DEPTH) revert CanaryBadProof(leaf, epoch);
        bytes32 node = leaf;
        for (uint256 i; i < TREE_DEPTH; ++i) {
            // The listing id's bits, lowest first, say on which side the path runs: its position is fixed.
            node =
                (listingId >> i) & 1 == 0
                    ? keccak256(abi.encodePacked(node, proof[i]))
                    : keccak256(abi.encodePacked(proof[i], node));
        }
        if (node != r.root) revert CanaryBadProof(leaf, epoch);
    }

    /// @dev Slashes the members above the truth's tolerance (to this contract) and lists the ones within it.
    function _slash(
        CanaryAuditsStorage storage $,
        uint256 roundId,
        uint256 listingId,
        uint256 trueScoreBps,
        uint256 toleranceBps
    ) private returns (Settlement memory t) {
        address[] memory committee = $.validation.committeeOf(roundId);
        uint256 n = committee.length;
        t.catchers = new Catcher[](n);
        uint256 ceiling = trueScoreBps + toleranceBps;
        uint256 floor = trueScoreBps > toleranceBps ? trueScoreBps - toleranceBps : 0;
        uint256 found;
        for (uint256 i; i < n; ++i) {
            found = _judge($, t, found, roundId, listingId, committee[i], ceiling, floor);
        }
        Catcher[] memory catchers = t.catchers;
        // Trims the array to the catchers found.
        assembly {
            mstore(catchers, found)
        }
    }

    /// @dev One member of the committee: slashed above `ceiling`, listed as a catcher from `floor` to `ceiling`.
    /// Returns the catchers listed so far.
    function _judge(
        CanaryAuditsStorage storage $,
        Settlement memory t,
        uint256 found,
        uint256 roundId,
        uint256 listingId,
        address v,
        uint256 ceiling,
        uint256 floor
    ) private returns (uint256) {
        IValidationManager.Member memory m = $.validation.memberOf(roundId, v);
        // A member that did not reveal was penalised by the round itself; it scored nothing here.
        if (!m.revealed) return found;
        if (m.scoreBps > ceiling) {
            uint256 amount = $.pool.slashAudited(
                v,
                (uint256(m.stakeAtRisk) * $.params.canarySlashBps) / BPS,
                address(this)
            );
            t.slashed += amount;
            ++t.caught;
            emit ValidatorCaught(roundId, v, listingId, m.scoreBps, amount);
        } else if (m.scoreBps >= floor) {
            t.catchers[found++] = Catcher(v, m.seats);
            t.catchingSeats += m.seats;
        }
        return found;
    }

    /// @dev Pays the catchers their share of the slashes, tops each seat up to the bounty from the reserve within the
    /// day's budget, and pays the rest of the slashes to the reward pool. The slashes come first: the operator knows
    /// its canaries, so seats it runs catch every one, and an uncapped reserve would be theirs round after round.
    function _pay(CanaryAuditsStorage storage $, uint256 roundId, Settlement memory t) private {
        IERC20 token_ = $.token;
        uint256 perSeat;
        uint256 bountyPerSeat;
        uint256 seats = t.catchingSeats;
        if (seats > 0) {
            perSeat = (t.slashed * $.params.catcherShareBps) / BPS / seats;
            uint256 target = $.params.bountyPerSeat;
            if (target > perSeat) {
                bountyPerSeat = target - perSeat;
                uint256 left = _budgetLeft($);
                if (bountyPerSeat * seats > left) bountyPerSeat = left / seats;
                uint256 paid = bountyPerSeat * seats;
                if (paid > 0) {
                    $.bountyReserve -= paid;
                    uint64 day = uint64(block.timestamp / BUDGET_PERIOD);
                    if ($.budgetDay != day) {
                        $.budgetDay = day;
                        $.budgetSpent = paid;
                    } else $.budgetSpent += paid;
                }
            }
        }
        Catcher[] memory catchers = t.catchers;
        for (uint256 i; i < catchers.length; ++i) {
            Catcher memory k = catchers[i];
            uint256 reward = perSeat * k.seats;
            uint256 bounty = bountyPerSeat * k.seats;
            t.toCatchers += reward;
            t.bounties += bounty;
            if (reward + bounty > 0) token_.safeTransfer(k.account, reward + bounty);
            emit CatcherPaid(roundId, k.account, k.seats, reward, bounty);
        }
        t.toPool = t.slashed - t.toCatchers;
        if (t.toPool > 0) token_.safeTransfer(address($.validation), t.toPool);
    }

    /// @dev What the reserve may still pay today: the day's budget less what it paid today, at most the reserve.
    function _budgetLeft(CanaryAuditsStorage storage $) private view returns (uint256) {
        uint256 spent = $.budgetDay == block.timestamp / BUDGET_PERIOD ? $.budgetSpent : 0;
        uint256 budget = $.bountyBudget;
        uint256 left = budget > spent ? budget - spent : 0;
        uint256 reserve = $.bountyReserve;
        return left < reserve ? left : reserve;
    }

    /// @dev Between audits only the bounty reserve is owed (the slashes an audit takes are paid out within it).
    function _owedIn(address token_) internal view override returns (uint256) {
        CanaryAuditsStorage storage $ = _s();
        return token_ == address($.token) ? $.bountyReserve : 0;
    }

    function _checkBounds(bytes32 parameter, uint256 value, uint256 min, uint256 max) private pure {
        if (value < min || value > max) revert CanaryParameterOutOfBounds(parameter, value, min, max);
    }

    function _setParameters(AuditParameters calldata p) private {
        CanaryAuditsStorage storage $ = _s();
        _checkBounds("canarySlashBps", p.canarySlashBps, 1, 100_000);
        _checkBounds("catcherShareBps", p.catcherShareBps, 0, BPS);
        _checkBounds("bountyPerSeat", p.bountyPerSeat, 0, MAX_BOUNTY);
        // Beyond the pool's thaw a lazy member could unstake after the round and be gone before the audit.
        _checkBounds("auditWindow", p.auditWindow, 1 hours, $.pool.parameters().thawingPeriod);
        emit AuditParametersSet($.params, p);
        $.params = p;
    }

    function _s() private pure returns (CanaryAuditsStorage storage $) {
        assembly {
            $.slot := CANARY_AUDITS_STORAGE
        }
    }
}
