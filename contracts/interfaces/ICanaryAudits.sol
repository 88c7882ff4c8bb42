// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IStakePool} from "./IStakePool.sol";
import {IValidationManager} from "./IValidationManager.sol";

/// @title ICanaryAudits
/// @notice Planted errors for validators (Truebit-style forced errors). A validator that reveals the score it predicts
/// an honest committee will find, without querying the model, is never out of tolerance on an ordinary listing: only
/// listings whose true quality is known to someone, and unknown to the validators, catch it.
///
/// The DAO appoints a canary operator (an off-chain service). The operator lists canaries from fresh addresses with
/// ordinary bonds: they claim a real model hash and serve a degraded model whose true score the operator measured.
/// It commits `keccak256(abi.encode(uint256 listingId, uint16 trueScoreBps, bytes32 salt))` ({commit}, in batches
/// padded with decoys so the commit's timing does not point at the listing) before a round on the canary opens. The
/// operator may also commit later for a listing it runs honestly at first and degrades afterwards (a "turncoat"
/// canary): otherwise a validator could do the work only on new listings. Once such a round is finalized, the operator
/// reveals ({audit}): every member that revealed a score above `trueScoreBps + toleranceBps` of the round (it scored
/// the degraded model as good) loses `canarySlashBps` of its stake at risk in that round, taken from its stake that no
/// live round holds (staked, then thawing) in the validators' pool; the members within tolerance of the truth share
/// `catcherShareBps` of it per seat (they may have been penalised by a lazy majority's median), plus a bounty per seat
/// from this contract's own balance (a treasury grant) while it lasts; the rest of the slashes goes to the
/// ValidationManager's reward pool.
///
/// An audit must come within `auditWindow` (at most the validators' pool's thawing period) of the round's opening: a
/// member seated in the round was drawn after it opened, and its stake at the draw can only leave the pool a thawing
/// period after an unstake request made after the draw, so the slash finds it. Each (commitment, round) is audited
/// once; a commitment made after the round opened cannot audit it (the operator cannot choose the truth after seeing
/// the scores), and only a listing whose provider key signs the claim can be audited (the operator cannot slash the
/// validators of a real provider's listing). The operator is still trusted for the true score of its own canaries.
interface ICanaryAudits {
    // ------------------------------------------------------------------ types

    /// @notice Governed figures.
    /// @param canarySlashBps Slash of a caught member, in bps of its stake at risk in the round (up to 10× it).
    /// @param catcherShareBps Share of the round's canary slashes paid to the members within tolerance of the truth.
    /// @param bountyPerSeat CUR paid per catching seat out of this contract's own balance (0: none).
    /// @param auditWindow Seconds after the round opened within which it may be audited (at most the pool's thaw).
    struct AuditParameters {
        uint32 canarySlashBps;
        uint16 catcherShareBps;
        uint32 auditWindow;
        uint128 bountyPerSeat;
    }

    // ------------------------------------------------------------------ events

    /// @notice The canary operator changed.
    event OperatorSet(address oldOperator, address newOperator);
    /// @notice The governed figures changed.
    event AuditParametersSet(AuditParameters oldParameters, AuditParameters newParameters);
    /// @notice The operator committed `commitment` (a canary or a decoy).
    event CanaryCommitted(bytes32 indexed commitment);
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
    /// `bounty` (from the grant).
    event CatcherPaid(
        uint256 indexed roundId,
        address indexed validator,
        uint256 seats,
        uint256 reward,
        uint256 bounty
    );
    /// @notice Round `roundId` of canary `listingId` was audited against `trueScoreBps`: `caught` members lost
    /// `slashed` in all, `catchingSeats` seats shared `toCatchers` and `bounties`, `toPool` went to the reward pool.
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
    /// @notice A zero commitment.
    error CanaryZeroCommitment();
    /// @notice The commitment was already made.
    error CanaryAlreadyCommitted(bytes32 commitment);
    /// @notice No such commitment: the listing, score or salt differ from what was committed.
    error CanaryUnknownCommitment(bytes32 commitment);
    /// @notice A true score above 10,000 bps.
    error CanaryInvalidScore(uint256 scoreBps);
    /// @notice The round is not finalized (or does not exist).
    error CanaryRoundNotFinalized(uint256 roundId, IValidationManager.RoundPhase phase);
    /// @notice The round scored another listing.
    error CanaryWrongListing(uint256 roundId, uint256 roundListingId, uint256 listingId);
    /// @notice The commitment was made at `committedAt`, after the round opened at `openedAt`.
    error CanaryCommittedAfterRound(bytes32 commitment, uint256 committedAt, uint256 openedAt);
    /// @notice The audit's deadline passed.
    error CanaryAuditTooLate(uint256 roundId, uint256 deadline, uint256 nowTimestamp);
    /// @notice The signature is not the listing's provider's over the canary claim: only a listing the operator runs
    /// (from the provider's key) can be audited.
    error CanaryNotProviderSigned(uint256 listingId, address provider);
    /// @notice This commitment already audited this round.
    error CanaryAlreadyAudited(bytes32 commitment, uint256 roundId);
    /// @notice Another commitment already audited this round: one audit per round, or an operator holding two
    /// commitments for one canary (two salts, or two truths) would slash the same scores twice.
    error CanaryRoundAlreadyAudited(uint256 roundId, bytes32 auditedBy);

    // ------------------------------------------------------------------ operator

    /// @notice Records commitments (canaries and decoys), each once. Operator only. Emits {CanaryCommitted} each.
    function commit(bytes32[] calldata commitments) external;

    /// @notice Reveals canary `listingId`'s true score for finalized round `roundId` and settles it (see the notice).
    /// Operator only. `providerSignature` is the listing's provider's EIP-191 signature (or ERC-1271 approval) of the
    /// 32 bytes `keccak256(abi.encode(address(this), block.chainid, commitment))` (the protocol
    /// package's `canaryClaimDigest`): the operator proves it runs the listing, so it cannot slash the validators of a real
    /// provider's listing with a made-up truth. Emits {ValidatorCaught}, {CatcherPaid} and {CanaryAudited}.
    function audit(
        uint256 listingId,
        uint16 trueScoreBps,
        bytes32 salt,
        uint256 roundId,
        bytes calldata providerSignature
    ) external;

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

    /// @notice When `commitment` was made (0: never).
    function committedAt(bytes32 commitment) external view returns (uint256);

    function audited(bytes32 commitment, uint256 roundId) external view returns (bool);

    /// @notice The commitment that audited round `roundId` (zero: none yet).
    function auditedBy(uint256 roundId) external view returns (bytes32);

    /// @notice The last moment round `roundId` may be audited (0 for a round that does not exist).
    function auditDeadline(uint256 roundId) external view returns (uint256);
}
