// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IStakePool} from "./IStakePool.sol";
import {IStrayTokens} from "./IStrayTokens.sol";
import {IValidationManager} from "./IValidationManager.sol";

/// @title ICanaryAudits
/// @notice Planted errors for validators (Truebit-style forced errors). A validator that reveals the score it predicts
/// an honest committee will find, without querying the model, is never out of tolerance on an ordinary listing: only
/// listings whose true quality is known to someone, and unknown to the validators, catch it.
///
/// The DAO appoints a canary operator (an off-chain service). The operator lists canaries from fresh addresses with
/// ordinary bonds: they claim a real model hash and serve a degraded model whose true score the operator measured.
/// It commits, from time to time, one root ({commitRoot}) of a binary tree of depth {TREE_DEPTH} whose leaf at position
/// `listingId` (the id's bits, lowest first, choose the path) is `keccak256(abi.encode(uint256 listingId, uint16
/// trueScoreBps, bytes32 salt))` for a canary and a random decoy for other listings, so a root says nothing about which
/// listings are canaries. The root in force for a round is the last one committed at or before the round opened:
/// each round has exactly one, and a root holds exactly one leaf per listing, so the operator can use at most one
/// truth per listing per round, fixed before the round's committee was drawn (it cannot hold two candidate truths and
/// pick one after the reveals). A new root may change a listing's truth for later rounds (a "turncoat" canary run
/// honestly at first and degraded afterwards: otherwise a validator could do the work only on new listings). Once such
/// a round is finalized, the operator reveals the leaf and its path ({audit}): every member that revealed a score
/// above `trueScoreBps + toleranceBps` of the round (it scored the degraded model as good) loses `canarySlashBps` of
/// its stake at risk in that round, taken from its stake that no live round holds (staked, then thawing) in the
/// validators' pool; the members within tolerance of the truth share
/// `catcherShareBps` of it per seat (they may have been penalised by a lazy majority's median); a seat whose share is
/// below `bountyPerSeat` is topped up to it from the bounty reserve (a treasury grant), at most {bountyBudget} CUR a day
/// in all ({BUDGET_PERIOD}); the rest of the slashes goes to the ValidationManager's reward pool. The slashes pay first
/// and the reserve is capped because the operator knows which listings are canaries: validators it runs catch every
/// canary without doing the work, and an uncapped reserve would be theirs, round after round. What the operator's seats
/// can take from the reserve is at most the daily budget, which the DAO sets (0, the default: the reserve pays nothing).
///
/// An audit must come within `auditWindow` (at most the validators' pool's thawing period) of the round's opening: a
/// member seated in the round was drawn after it opened, and its stake at the draw can only leave the pool a thawing
/// period after an unstake request made after the draw, so the slash finds it. Each round is audited once, and only
/// a listing whose provider key signs the claim can be audited (the operator cannot slash the validators of a real
/// provider's listing). The operator is still trusted for the true score of its own canaries, but must commit it
/// blind, before the round.
///
/// The bounty grant is an explicit reserve ({fundBounties}, {withdrawBounties}); any other token, or CUR beyond the
/// reserve, is stray and anyone may sweep it to the treasury ({IStrayTokens-sweepStrayTokens}).
interface ICanaryAudits is IStrayTokens {
    // ------------------------------------------------------------------ types

    /// @notice Governed figures.
    /// @param canarySlashBps Slash of a caught member, in bps of its stake at risk in the round (up to 10× it).
    /// @param catcherShareBps Share of the round's canary slashes paid to the members within tolerance of the truth.
    /// @param bountyPerSeat CUR a catching seat is paid at least: its share of the slashes, topped up from the bounty
    /// reserve within the daily budget (0: no top-up).
    /// @param auditWindow Seconds after the round opened within which it may be audited (at most the pool's thaw).
    struct AuditParameters {
        uint32 canarySlashBps;
        uint16 catcherShareBps;
        uint32 auditWindow;
        uint128 bountyPerSeat;
    }

    /// @notice A canary's revealed leaf under root `epoch`.
    /// @param listingId The canary listing (its position in the tree).
    /// @param trueScoreBps Its true score, as committed.
    /// @param salt The leaf's salt.
    /// @param epoch The index of the root in force when the round opened.
    /// @param proof The {TREE_DEPTH} sibling hashes from the leaf up, lowest level first.
    struct AuditClaim {
        uint256 listingId;
        uint16 trueScoreBps;
        bytes32 salt;
        uint256 epoch;
        bytes32[] proof;
    }

    // ------------------------------------------------------------------ events

    /// @notice The canary operator changed.
    event OperatorSet(address oldOperator, address newOperator);
    /// @notice The governed figures changed.
    event AuditParametersSet(AuditParameters oldParameters, AuditParameters newParameters);
    /// @notice The operator committed root number `epoch` (in force for rounds opened from now until the next one).
    event RootCommitted(uint256 indexed epoch, bytes32 root);
    /// @notice `funder` added `amount` CUR to the bounty reserve.
    event BountiesFunded(address indexed funder, uint256 amount);
    /// @notice The timelock took `amount` CUR of the bounty reserve back.
    event BountiesWithdrawn(uint256 amount);
    /// @notice The most the reserve pays in bounties per {BUDGET_PERIOD} changed.
    event BountyBudgetSet(uint256 oldBudget, uint256 newBudget);
    /// @notice `validator` scored the canary `listingId` at `scoreBps` in `roundId` (true score above) and lost
    /// `slashed` of its stake.
    event ValidatorCaught(
        uint256 indexed roundId,
        address indexed validator,
        uint256 indexed listingId,
        uint16 scoreBps,
        uint256 slashed
    );
    /// @notice `validator` scored the canary within tolerance of the truth and was paid `reward` (from the slashes) and
    /// `bounty` (from the grant: the top-up to `bountyPerSeat` a seat, within the day's budget).
    event CatcherPaid(
        uint256 indexed roundId,
        address indexed validator,
        uint256 seats,
        uint256 reward,
        uint256 bounty
    );
    /// @notice Round `roundId` of canary `listingId` was audited against `trueScoreBps`: `caught` members lost
    /// `slashed` in all, `catchingSeats` seats shared `toCatchers` and `bounties`, `toPool` went to the reward pool.
    /// `bounties` left the reserve and count against the day's budget ({bountyBudget}).
    event CanaryAudited(
        bytes32 indexed commitment,
        uint256 indexed roundId,
        uint256 indexed listingId,
        uint16 trueScoreBps,
        uint256 caught,
        uint256 catchingSeats,
        uint256 slashed,
        uint256 toCatchers,
        uint256 toPool,
        uint256 bounties
    );

    // ------------------------------------------------------------------ errors

    /// @notice A governed figure outside its bounds.
    error CanaryParameterOutOfBounds(bytes32 parameter, uint256 value, uint256 min, uint256 max);
    /// @notice Only the canary operator may commit and audit.
    error CanaryOnlyOperator(address caller);
    /// @notice A zero root.
    error CanaryZeroCommitment();
    /// @notice No root with this index.
    error CanaryUnknownEpoch(uint256 epoch);
    /// @notice `leaf` with this path does not hash to root `epoch`: the listing, score, salt or proof differ from what
    /// was committed (or the proof is not {TREE_DEPTH} long).
    error CanaryBadProof(bytes32 leaf, uint256 epoch);
    /// @notice A listing id beyond the tree's 2^{TREE_DEPTH} positions.
    error CanaryListingOutOfTree(uint256 listingId);
    /// @notice Root `epoch` was committed at `committedAt`, after the round opened at `openedAt`.
    error CanaryRootAfterRound(uint256 epoch, uint256 committedAt, uint256 openedAt);
    /// @notice Root `epoch` was no longer in force when the round opened at `openedAt`: the next one came at
    /// `supersededAt`.
    error CanaryRootSuperseded(uint256 epoch, uint256 supersededAt, uint256 openedAt);
    /// @notice Asked to withdraw more than the bounty reserve.
    error CanaryBountyReserveShort(uint256 amount, uint256 reserve);
    /// @notice A true score above 10,000 bps.
    error CanaryInvalidScore(uint256 scoreBps);
    /// @notice The round is not finalized (or does not exist).
    error CanaryRoundNotFinalized(uint256 roundId, IValidationManager.RoundPhase phase);
    /// @notice The round scored another listing.
    error CanaryWrongListing(uint256 roundId, uint256 roundListingId, uint256 listingId);
    /// @notice The audit's deadline passed.
    error CanaryAuditTooLate(uint256 roundId, uint256 deadline, uint256 nowTimestamp);
    /// @notice The signature is not the listing's provider's over the canary claim: only a listing the operator runs
    /// (from the provider's key) can be audited.
    error CanaryNotProviderSigned(uint256 listingId, address provider);
    /// @notice The round was already audited (by leaf `auditedBy`): one audit per round, or the same scores would be
    /// slashed twice.
    error CanaryRoundAlreadyAudited(uint256 roundId, bytes32 auditedBy);

    // ------------------------------------------------------------------ operator

    /// @notice Commits the next root (see the notice). Operator only. Emits {RootCommitted}.
    /// @return epoch The root's index.
    function commitRoot(bytes32 root) external returns (uint256 epoch);

    /// @notice Reveals canary `claim.listingId`'s true score for finalized round `roundId` and settles it (see the
    /// notice). Operator only. `providerSignature` is the listing's provider's EIP-191 signature (or ERC-1271
    /// approval) of the 32 bytes `keccak256(abi.encode(address(this), block.chainid, leaf))` (the protocol package's
    /// `canaryClaimDigest`): the operator proves it runs the listing, so it cannot slash the validators of a real
    /// provider's listing with a made-up truth. Emits {ValidatorCaught}, {CatcherPaid} and {CanaryAudited}.
    function audit(AuditClaim calldata claim, uint256 roundId, bytes calldata providerSignature) external;

    /// @notice Adds `amount` CUR (pulled from the caller) to the bounty reserve. Emits {BountiesFunded}.
    function fundBounties(uint256 amount) external;

    /// @notice Sends `amount` of the bounty reserve back to the timelock (timelock). Emits {BountiesWithdrawn}.
    function withdrawBounties(uint256 amount) external;

    /// @notice Sets the most the reserve pays in bounties per {BUDGET_PERIOD} (timelock; at most 100,000 CUR, 0 pays
    /// none). Emits {BountyBudgetSet}.
    function setBountyBudget(uint256 newBudget) external;

    // ------------------------------------------------------------------ governance

    /// @notice Appoints the canary operator (timelock). Emits {OperatorSet}.
    function setOperator(address newOperator) external;

    /// @notice Replaces the governed figures (timelock, bounds checked). Emits {AuditParametersSet}.
    function setParameters(AuditParameters calldata newParameters) external;

    // ------------------------------------------------------------------ views

    function operator() external view returns (address);

    function parameters() external view returns (AuditParameters memory);

    function validation() external view returns (IValidationManager);

    function validatorPool() external view returns (IStakePool);

    /// @notice The depth of the canary tree: listing ids below 2^TREE_DEPTH.
    function TREE_DEPTH() external view returns (uint256);

    /// @notice How many roots were committed.
    function rootCount() external view returns (uint256);

    /// @notice Root `epoch` and when it was committed.
    function rootAt(uint256 epoch) external view returns (bytes32 root, uint256 committedAt);

    /// @notice The CUR held for bounties.
    function bountyReserve() external view returns (uint256);

    /// @notice The length of a bounty budget's period: a UTC day.
    function BUDGET_PERIOD() external view returns (uint256);

    /// @notice The reserve's bounty budget per {BUDGET_PERIOD}, and what it may still pay in the current one (at most
    /// the reserve).
    function bountyBudget() external view returns (uint256 perPeriod, uint256 left);

    /// @notice The leaf that audited round `roundId` (zero: none yet).
    function auditedBy(uint256 roundId) external view returns (bytes32);

    /// @notice The last moment round `roundId` may be audited (0 for a round that does not exist).
    function auditDeadline(uint256 roundId) external view returns (uint256);
}
