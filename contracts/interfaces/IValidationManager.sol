// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IListingChallenges} from "./IListingChallenges.sol";
import {IListingRegistry} from "./IListingRegistry.sol";
import {IRandomnessSource} from "./IRandomnessSource.sol";
import {IStakePool} from "./IStakePool.sol";

/// @title IValidationManager
/// @notice Curia's validation rounds. Validators stake CUR in the validators' StakePool; a round on a listing draws k
/// seats from it with replacement, weighted by stake (O(log n) per seat, all from one seed over weights frozen before
/// the seed could be known), and the validators holding them commit and then reveal a quality score in basis points,
/// once for all their seats. The median of the revealed scores, one per seat, becomes the listing's quality in the
/// ListingRegistry. Counts (seated, committed, revealed, quorum, honest) are in seats. Members who did not reveal,
/// and members further than the governed tolerance from the median, lose a governed fraction of their stake to the
/// validators' reward pool; the others share the round's reward from that pool. A median below the governed minimum
/// quality challenges the listing through ListingChallenges, with the bond paid from the pool.
///
/// A round goes `Drawing` → `Commit` → `Reveal` → `Finalizable` → `Finalized`, or `Drawing` → `Cancelled` when
/// fewer than `quorum` seats were filled, the listing is no longer Active when the committee is drawn, or the draw
/// came later than the governed draw period.
///
/// The reward pool is this contract's CUR balance minus credited, unclaimed rewards: the registry's validator fees
/// (`sweepFees`), request fees, penalties (collected from the validators' pool when a round closes), donations and
/// court winnings all land there. Stakes stay in the validators' pool.
interface IValidationManager {
    // ------------------------------------------------------------------ types

    /// @notice Where a round stands (see the contract notice for the transitions).
    enum RoundPhase {
        None,
        Drawing,
        Commit,
        Reveal,
        Finalizable,
        Finalized,
        Cancelled
    }

    /// @notice What is stored of a round's progress; the phase adds the clock (see {phaseOf}).
    enum RoundStatus {
        None,
        Drawing,
        Voting,
        Finalized,
        Cancelled
    }

    /// @notice Why a round was cancelled.
    enum CancelReason {
        NotEnoughValidators,
        ListingNotActive,
        DrawExpired
    }

    /// @notice Why a member lost stake.
    enum PenaltyReason {
        NoReveal,
        OutOfTolerance,
        /// @dev Scored below the minimum quality a listing that the court then kept ({settleCommittee}).
        Overturned
    }

    /// @notice Why a median below the minimum quality did not open a dispute.
    enum DisputeSkipReason {
        PoolTooSmall,
        ListingNotChallengeable,
        CourtRejected
    }

    /// @notice A round on `listingId`. The tolerance, penalty, quorum and the listing's price per call (what sampled
    /// calls are reimbursed at; prices above 2^96 − 1 wei are recorded as that) are fixed when the round opens; the
    /// commit and reveal windows when the committee is drawn, and `curatorsHeld`: whether the draw held the listing's
    /// curators' exits (a listing nobody curates takes no hold), lifted at finalisation.
    struct Round {
        uint256 listingId;
        IRandomnessSource randomness;
        uint48 openedAt;
        RoundStatus status;
        uint8 committeeSize;
        uint8 quorum;
        uint8 seated;
        uint8 committed;
        uint8 revealed;
        uint256 randomnessRequest;
        uint48 commitEnd;
        uint48 revealEnd;
        uint16 toleranceBps;
        uint16 penaltyBps;
        uint16 medianBps;
        bool quorumReached;
        uint96 pricePerCall;
        bool curatorsHeld;
    }

    /// @notice A committee member's record in one round. `stakeAtRisk` is locked from the draw to finalisation.
    struct Member {
        uint8 seats;
        bool revealed;
        uint16 scoreBps;
        uint128 stakeAtRisk;
        bytes32 commitment;
    }

    /// @notice Governed figures (amounts in CUR wei, periods in seconds, shares in bps).
    /// @param requestFee Paid by whoever opens a round before the listing's free round is due; goes to the pool.
    /// @param roundReward Reward budget of one round, shared by its honest members per seat, on top of their
    /// reimbursed calls. A round pays out, reimbursements and rewards together, at most `rewardShareBps` of the pool,
    /// and a requested round at most the fee its caller paid.
    /// @param roundPeriod Seconds after a round opens before the listing's next round is free.
    /// @param commitPeriod Seconds to commit once the committee is drawn.
    /// @param revealPeriod Seconds to reveal after the commit period.
    /// @param committeeSize Members drawn per round (k, at most {MAX_COMMITTEE_SIZE}).
    /// @param quorum Smallest committee a round opens with, and the reveals its median needs to count.
    /// @param toleranceBps Largest distance from the median (in bps of score) that is not penalised.
    /// @param penaltyBps Share of a member's drawable stake (at the draw) lost for not revealing or for an outlying
    /// score. A validator's minimum stake and thawing period are the validators' pool's.
    /// @param rewardShareBps Largest share of the reward pool one round may pay out.
    /// @param minQualityBps A median below this challenges the listing in the Court (0: never).
    /// @param drawPeriod Seconds after a round opens within which its committee must be drawn; later, drawing cancels
    /// it (the validators' pool stays frozen until then, so a round cannot hold it frozen for longer).
    /// @param reimbursedCalls Calls reimbursed per honest seat at the price fixed when the round opened: what probing a
    /// listing with too little audited traffic costs a validator. Paid to every honest seat, since a probe bought from
    /// an unlinkable address cannot be told apart on-chain, and per seat, so that splitting stake across addresses
    /// gains nothing (0: no reimbursement).
    struct ValidationParameters {
        uint128 requestFee;
        uint128 roundReward;
        uint32 roundPeriod;
        uint32 commitPeriod;
        uint32 revealPeriod;
        uint8 committeeSize;
        uint8 quorum;
        uint16 toleranceBps;
        uint16 penaltyBps;
        uint16 rewardShareBps;
        uint16 minQualityBps;
        uint32 drawPeriod;
        uint16 reimbursedCalls;
    }

    // ------------------------------------------------------------------ events: validators

    /// @notice `validator` took `amount` of credited rewards.
    event RewardsClaimed(address indexed validator, uint256 amount);

    // ------------------------------------------------------------------ events: rounds

    /// @notice Round `roundId` opened on `listingId` by `requester`, who paid `feePaid` (zero for a due round);
    /// `randomnessRequest` of `randomness` seeds the committee. The committee is drawn next ({drawCommittee}).
    /// `pricePerCall` is the listing's price now: the round reimburses sampled calls at it, whatever the price later.
    event RoundOpened(
        uint256 indexed roundId,
        uint256 indexed listingId,
        address indexed requester,
        uint256 feePaid,
        address randomness,
        uint256 randomnessRequest,
        uint256 committeeSize,
        uint256 toleranceBps,
        uint256 penaltyBps,
        uint256 pricePerCall
    );
    /// @notice The committee of `roundId` was drawn: `committee[i]` holds `seats[i]` seats and put `stakesAtRisk[i]`
    /// at risk. Commits are open until `commitEnd`, reveals until `revealEnd`.
    event CommitteeDrawn(
        uint256 indexed roundId,
        uint256 indexed listingId,
        address[] committee,
        uint256[] seats,
        uint256[] stakesAtRisk,
        uint48 commitEnd,
        uint48 revealEnd
    );
    /// @notice Round `roundId` was cancelled (`seated` members had been drawn, all released).
    event RoundCancelled(uint256 indexed roundId, uint256 indexed listingId, CancelReason reason, uint256 seated);
    /// @notice Round `roundId` ended without a quality (cancelled, or finalized short of its quorum): the `amount` its
    /// requester `payer` paid went back to it.
    event RoundFeeRefunded(uint256 indexed roundId, address indexed payer, uint256 amount);
    /// @notice `validator` committed to a score in `roundId`.
    event ScoreCommitted(uint256 indexed roundId, address indexed validator, bytes32 commitment);
    /// @notice `validator` revealed `scoreBps` in `roundId`.
    event ScoreRevealed(uint256 indexed roundId, address indexed validator, uint16 scoreBps);
    /// @notice `validator` lost `amount` of stake in `roundId` (the validators' pool reports its balances after, in
    /// its StakeReleased).
    event ValidatorPenalized(uint256 indexed roundId, address indexed validator, PenaltyReason reason, uint256 amount);
    /// @notice `validator` was credited `amount` for an honest score in `roundId` (taken with {claimRewards}), of which
    /// `reimbursed` pays back its sampled calls at the round's price.
    event ValidatorRewarded(uint256 indexed roundId, address indexed validator, uint256 amount, uint256 reimbursed);
    /// @notice Round `roundId` closed. When `quorumReached`, `medianBps` of the `revealedCount` scores became the
    /// listing's quality; otherwise the quality was left as it was. `honestCount` seats shared `rewardTotal` (reimbursements included);
    /// `penaltyTotal` went to the pool.
    event RoundFinalized(
        uint256 indexed roundId,
        uint256 indexed listingId,
        uint16 medianBps,
        uint256 revealedCount,
        bool quorumReached,
        uint256 honestCount,
        uint256 rewardTotal,
        uint256 penaltyTotal
    );
    /// @notice A median below the minimum quality challenged `listingId`: dispute `disputeId`, paid `bond` + `fee`
    /// from the pool.
    event DisputeRequested(
        uint256 indexed roundId,
        uint256 indexed listingId,
        uint256 indexed disputeId,
        uint256 bond,
        uint256 fee
    );
    /// @notice A median below the minimum quality did not challenge `listingId`: `needed` (bond + fee) against
    /// `available` in the pool.
    event DisputeSkipped(
        uint256 indexed roundId,
        uint256 indexed listingId,
        DisputeSkipReason reason,
        uint256 needed,
        uint256 available
    );

    /// @notice The pool appealed dispute `disputeId` that it raised and lost the last round of, paying `fee`; `caller`
    /// asked for it.
    event DisputeAppealed(uint256 indexed disputeId, address indexed caller, uint256 fee);
    /// @notice The court's final `ruling` on dispute `disputeId` (raised by round `roundId`) settled the stakes at risk
    /// the round held for it: `slashed` came to the pool (1, the challenger: the median stood; 2, the provider: the
    /// court kept the listing).
    event CommitteeSettled(uint256 indexed disputeId, uint256 indexed roundId, uint8 ruling, uint256 slashed);

    // ------------------------------------------------------------------ events: governance

    /// @notice The governed figures changed (live rounds keep their tolerance, penalty, quorum and windows).
    event ValidationParametersSet(ValidationParameters oldParameters, ValidationParameters newParameters);
    /// @notice The randomness source of rounds opened from now on changed.
    event RandomnessSourceSet(address oldSource, address newSource);
    /// @notice The adapter that automatic disputes go through changed.
    event ChallengesSet(address oldChallenges, address newChallenges);

    // ------------------------------------------------------------------ errors

    /// @notice A governed figure outside its bounds.
    error ValidationParameterOutOfBounds(bytes32 parameter, uint256 value, uint256 min, uint256 max);
    /// @notice Rounds open only on Active listings.
    error ValidationListingNotActive(uint256 listingId, IListingRegistry.ListingStatus status);
    /// @notice The listing's previous round is still drawing or voting.
    error ValidationRoundInProgress(uint256 listingId, uint256 roundId);
    /// @notice No such round.
    error ValidationRoundNotFound(uint256 roundId);
    /// @notice The round is not in the phase the action needs.
    error ValidationWrongPhase(uint256 roundId, RoundPhase current, RoundPhase expected);
    /// @notice The caller is not on the round's committee.
    error ValidationNotInCommittee(uint256 roundId, address validator);
    /// @notice The member already committed.
    error ValidationAlreadyCommitted(uint256 roundId, address validator);
    /// @notice A zero commitment.
    error ValidationInvalidCommitment();
    /// @notice The member did not commit.
    error ValidationNotCommitted(uint256 roundId, address validator);
    /// @notice The member already revealed.
    error ValidationAlreadyRevealed(uint256 roundId, address validator);
    /// @notice A score above 10,000 bps.
    error ValidationInvalidScore(uint256 scoreBps);
    /// @notice The revealed score and salt do not hash to the member's commitment.
    error ValidationRevealMismatch(uint256 roundId, address validator, bytes32 commitment, bytes32 computed);
    /// @notice No rewards to claim.
    error ValidationNothingToClaim(address validator);
    /// @notice The call had too little gas left for the court's challenge to be judged on its merits.
    error ValidationInsufficientGas();
    /// @notice The pool did not raise dispute `disputeId`: it cannot appeal it.
    error ValidationNotPoolDispute(uint256 disputeId);
    /// @notice `caller` revealed no score in round `roundId`, which raised dispute `disputeId`: it cannot have the pool
    /// appeal.
    error ValidationAppealNotAllowed(uint256 disputeId, address caller, uint256 roundId);
    /// @notice Dispute `disputeId` has no final ruling yet: the stakes its round holds wait for it.
    error ValidationDisputeNotResolved(uint256 disputeId);
    /// @notice Dispute `disputeId` holds no stake: it was settled already.
    error ValidationNothingHeld(uint256 disputeId);

    // ------------------------------------------------------------------ validators

    /// @notice Pays the caller's credited rewards. Emits {RewardsClaimed}.
    function claimRewards() external returns (uint256 amount);

    // ------------------------------------------------------------------ rounds

    /// @notice Opens a round on an Active listing (anyone). Free when the listing never had a round, its last round
    /// opened at least `roundPeriod` ago, or its last round was cancelled; otherwise the caller pays the request fee
    /// into the pool. Emits {RoundOpened}.
    /// @return roundId The new round (sequential, from 1).
    function openRound(uint256 listingId) external returns (uint256 roundId);

    /// @notice Draws the committee once the round's randomness is available (anyone): `committeeSize` seats drawn
    /// with replacement by stake, each within {DRAW_ATTEMPTS_PER_SEAT} attempts, from the one seed of the round over
    /// the pool's weights as they were when the round opened. Cancels the round with fewer than `quorum` seats, an
    /// inactive listing, or once `drawPeriod` has passed since it opened. Emits {CommitteeDrawn} or {RoundCancelled}.
    function drawCommittee(uint256 roundId) external;

    /// @notice Commits the caller's score: `keccak256(abi.encode(uint16 scoreBps, bytes32 salt, address validator,
    /// uint256 roundId))`. Emits {ScoreCommitted}.
    function commitScore(uint256 roundId, bytes32 commitment) external;

    /// @notice Reveals the caller's committed score, once the commit period is over (or every member committed).
    /// Emits {ScoreRevealed}.
    function revealScore(uint256 roundId, uint16 scoreBps, bytes32 salt) external;

    /// @notice Closes a round once its reveal period is over (or every committed score is revealed), anyone: writes
    /// the median as the listing's quality, penalises and rewards the members, and challenges the listing when the
    /// median is below the minimum quality. Emits {ValidatorPenalized}, {ValidatorRewarded}, {RoundFinalized},
    /// and {DisputeRequested} or {DisputeSkipped}.
    function finalizeRound(uint256 roundId) external;

    /// @notice Appeals an automatic dispute whose last juror round ruled for the listing: the pool pays the appeal
    /// fee, as it paid the bond. Only a validator who revealed a score in the round that raised the dispute may ask
    /// (an outsider who risked nothing cannot spend the pool). Without it the challenger of an automatic dispute could never appeal,
    /// and corrupting the three jurors of a first round would be enough to keep a listing the validators found below
    /// the minimum quality (see scripts/sim/README.md). When the pool wins in the end, the bond and the winner's share
    /// come back to it. Reverts with {ValidationNotPoolDispute} for a dispute the pool did not raise,
    /// {ValidationAppealNotAllowed} for another caller, the court's error when the dispute is not in its appeal period
    /// or was won by the pool, and the token's allowance error when the pool cannot pay the fee.
    /// Emits {DisputeAppealed}; the court emits {ICourt-AppealFunded}.
    function appealDispute(uint256 disputeId) external;

    /// @notice Settles, once the court's ruling on the pool's dispute `disputeId` is final (the adapter's
    /// `resolvedRuling`), the stakes at risk its round kept locked: those of the members who scored the listing below the
    /// minimum quality within the median's tolerance (they claimed it bad), and those of the members who scored it at
    /// or above the minimum outside the tolerance (the median made them outliers). When the court keeps the listing
    /// the first lose their stake at risk ({PenaltyReason-Overturned}) to the pool, which paid the jurors' share and
    /// the arbitration fee, and the second get theirs back; when the court delists it the first get theirs back and
    /// the second lose theirs as outliers. Anyone may call: the outcome depends on the ruling alone. Reverts with
    /// {ValidationNotPoolDispute}, {ValidationDisputeNotResolved} before the ruling and {ValidationNothingHeld} once
    /// settled. Emits {ValidatorPenalized} per member slashed and {CommitteeSettled}.
    function settleCommittee(uint256 disputeId) external;

    // ------------------------------------------------------------------ views

    function phaseOf(uint256 roundId) external view returns (RoundPhase);

    function getRound(uint256 roundId) external view returns (Round memory);

    function committeeOf(uint256 roundId) external view returns (address[] memory);

    function memberOf(uint256 roundId, address validator) external view returns (Member memory);

    /// @notice Credited rewards `validator` can claim.
    function rewardsOf(address validator) external view returns (uint256);

    /// @notice The listing's latest round (0: none) and when its next free round is due.
    function listingRounds(uint256 listingId) external view returns (uint256 lastRoundId, uint48 nextFreeRoundAt);

    function parameters() external view returns (ValidationParameters memory);

    function roundCount() external view returns (uint256);

    /// @notice The validators' pool: stakes, draws and stake at risk.
    function validatorPool() external view returns (IStakePool);

    /// @notice The adapter automatic disputes go through.
    function challenges() external view returns (IListingChallenges);

    /// @notice Tokens the contract accounts for: its CUR balance is always rewardsOwed + rewardPool + held, the last
    /// being the fees of requested rounds not yet ended (refunded if the round ends without a quality).
    function totalOwed() external view returns (uint256 rewardsOwed, uint256 rewardPool, uint256 held);
}
