// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IArbitrable} from "./IArbitrable.sol";
import {ICourt} from "./ICourt.sol";

/// @title IListingChallenges
/// @notice The marketplace's side of a listing dispute: anyone (a consumer, a curator, the ValidationManager after a
/// low score) challenges a Pending or Active listing with a bond and evidence; the Court decides; this contract applies
/// the ruling to the ListingRegistry and the CurationPool.
///
/// The loser's stake is the loser's own bond, never anyone else's money. When the challenger wins, the listing is
/// delisted: its provider's bond (the loser's stake) is split between the challenger (who also gets its bond back), the
/// coherent jurors of the last juror round and the treasury, and a governed share of the listing's curators' stake is
/// slashed to the treasury (not to the challenger: a provider with a sybil challenger would otherwise profit from its
/// own delisting). When the provider wins, the challenger's bond is the loser's stake, split the same way with the
/// provider as winner, except for a challenge the validators' pool paid (opened by the registry's validation role):
/// then only the jurors' share is taken and the rest goes back to the pool, so that nobody can farm the pool by having
/// it challenge a good listing. Evidence follows ERC-1497: {MetaEvidence} states the policy jurors apply, {Dispute}
/// links a dispute to it, {Evidence} carries each submission.
interface IListingChallenges is IArbitrable {
    // ------------------------------------------------------------------ types

    /// @notice Governed figures (amounts in CUR wei, shares in bps).
    /// @param minChallengeBond Smallest bond of a challenge.
    /// @param winnerShareBps Share of the loser's stake for the winning party.
    /// @param jurorShareBps Share for the coherent jurors of the last juror round.
    /// @param treasuryShareBps Share for the treasury (the timelock); the three shares sum to 10,000.
    struct ChallengeParameters {
        uint128 minChallengeBond;
        uint16 winnerShareBps;
        uint16 jurorShareBps;
        uint16 treasuryShareBps;
    }

    /// @notice A challenge, by its dispute id in the Court (which records the challenger and the provider). One slot:
    /// listing ids are sequential and stay far below 2^64.
    /// @param pooled Whether the validators' pool paid the bond (the registry's validation role challenged).
    struct Challenge {
        uint64 listingId;
        uint128 bond;
        bool pooled;
    }

    // ------------------------------------------------------------------ events: ERC-1497 evidence standard

    /// @notice The policy jurors apply to a kind of dispute (ERC-1497).
    event MetaEvidence(uint256 indexed metaEvidenceId, string evidence);
    /// @notice Evidence about dispute `evidenceGroupId` (= the dispute id) submitted by `party` (ERC-1497).
    event Evidence(address indexed arbitrator, uint256 indexed evidenceGroupId, address indexed party, string evidence);
    /// @notice ERC-1497 link between a dispute, its meta-evidence and its evidence group.
    event Dispute(
        address indexed arbitrator,
        uint256 indexed disputeId,
        uint256 metaEvidenceId,
        uint256 evidenceGroupId
    );

    // ------------------------------------------------------------------ events: challenges

    /// @notice `challenger` challenged `listingId` with `bond`: dispute `disputeId` in the court, whose
    /// {ICourt-DisputeCreated} names the provider and the fee paid.
    event ChallengeOpened(
        uint256 indexed disputeId,
        uint256 indexed listingId,
        address indexed challenger,
        uint256 bond
    );
    /// @notice The court ruled `ruling` on `disputeId`. `loserStake` (the loser's own bond: the challenger's, or the
    /// provider's on a delisting) went `toWinner` to `winner` (with its bond back when it is the challenger), `toJurors`
    /// to the court, `toTreasury` to the treasury; a lost challenge of the validators' pool pays no winner (see
    /// {PooledBondReturned}). On a delisting the curators' `curatorSlash` went to the treasury, not to the winner.
    event ChallengeResolved(
        uint256 indexed disputeId,
        uint256 indexed listingId,
        uint8 ruling,
        address winner,
        uint256 loserStake,
        uint256 curatorSlash,
        uint256 toWinner,
        uint256 toJurors,
        uint256 toTreasury
    );
    /// @notice The validators' pool (`pool`, the registry's validation role) lost its challenge `disputeId`: of its
    /// bond, the jurors' share went to the court and `amount` came back to the pool.
    event PooledBondReturned(uint256 indexed disputeId, address indexed pool, uint256 amount);

    // ------------------------------------------------------------------ events: governance

    /// @notice The governed figures changed.
    event ChallengeParametersSet(ChallengeParameters oldParameters, ChallengeParameters newParameters);
    /// @notice New challenges refer to meta-evidence `newMetaEvidenceId` (announced by {MetaEvidence}).
    event ListingMetaEvidenceSet(uint256 oldMetaEvidenceId, uint256 newMetaEvidenceId);

    // ------------------------------------------------------------------ errors

    /// @notice A governed figure outside its bounds.
    error ChallengeParameterOutOfBounds(bytes32 parameter, uint256 value, uint256 min, uint256 max);
    /// @notice A challenge bond below the minimum (or too large to store).
    error ChallengeBondTooLow(uint256 bond, uint256 minimum);
    /// @notice An empty or overlong evidence URI.
    error ChallengeInvalidURI(uint256 length, uint256 maxLength);
    /// @notice No challenge has this dispute id.
    error ChallengeNotFound(uint256 disputeId);
    /// @notice The court already ruled on the challenge: it takes no more evidence.
    error ChallengeAlreadyResolved(uint256 disputeId);
    /// @notice Only the court that holds the dispute may rule on it.
    error ChallengeOnlyCourt(address caller, address court);
    /// @notice A ruling other than 1 (challenger) or 2 (provider).
    error ChallengeInvalidRuling(uint256 ruling);

    // ------------------------------------------------------------------ actions

    /// @notice Challenges a Pending or Active listing: pulls `bond` plus the court's {ICourt-arbitrationCost} from the
    /// caller, opens a dispute in the court and marks the listing Challenged. Emits {ChallengeOpened},
    /// {Dispute} and {Evidence}.
    /// @return disputeId The court's dispute id.
    function challenge(
        uint256 listingId,
        uint256 bond,
        string calldata evidenceURI
    ) external returns (uint256 disputeId);

    /// @notice Adds evidence to a challenge not yet resolved (anyone). Emits {Evidence}.
    function submitEvidence(uint256 disputeId, string calldata evidenceURI) external;

    // ------------------------------------------------------------------ views

    /// @notice What a challenge with `bond` costs the challenger: the bond plus the court's arbitration cost.
    function challengeCost(uint256 bond) external view returns (uint256);

    function getChallenge(uint256 disputeId) external view returns (Challenge memory);

    function parameters() external view returns (ChallengeParameters memory);

    /// @notice The court of every challenge, fixed at initialization: moving to another court means a new adapter
    /// (the registry's challenge role moves to it), so dispute ids never mix between courts.
    function court() external view returns (ICourt);
}
