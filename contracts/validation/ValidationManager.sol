// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";
import {GovernedUpgradeable} from "../governance/GovernedUpgradeable.sol";
import {ICourt} from "../interfaces/ICourt.sol";
import {IListingChallenges} from "../interfaces/IListingChallenges.sol";
import {IListingRegistry} from "../interfaces/IListingRegistry.sol";
import {IRandomnessSource} from "../interfaces/IRandomnessSource.sol";
import {IStakePool, IStakePoolManager} from "../interfaces/IStakePool.sol";
import {IValidationManager} from "../interfaces/IValidationManager.sol";
import {ScoreMedian} from "./ScoreMedian.sol";

/// @title ValidationManager
/// @notice See {IValidationManager}. Holds credited rewards and the validators' reward pool (the ListingRegistry's
/// `validatorRewardPool`); stakes, draws and stake at risk live in the validators' StakePool, which it manages. Every
/// operation is O(1) or O(log n) in the number of validators and listings: the only loops run over one round's
/// committee, bounded by {MAX_COMMITTEE_SIZE}, and over the bounded draw attempts ({DRAW_ATTEMPTS_PER_SEAT} per seat).
/// @dev Rules, all fixed here:
/// - Median: odd count, the middle score; even count, the mean of the two middle scores rounded down.
/// - A round whose reveals fall short of its quorum writes no quality and opens no dispute; its non-revealers are still
///   penalised, its revealers are neither penalised nor paid.
/// - Honest members (revealed, within tolerance of the median) are reimbursed `reimbursedCalls` per seat at the price
///   fixed when the round opened, then share min(roundReward, what is left of the cap) equally per seat, rounded down; the
///   cap is pool × rewardShareBps, and for a requested round the fee its caller paid; the rounding dust stays in the
///   pool. Rewards are credited at finalisation and claimed in O(1).
/// - The stake at risk of a member is `penaltyBps` of its drawable stake at the draw, locked in the pool until
///   finalisation; a penalty takes exactly that amount, from drawable stake first, then from thawing stake, and the
///   round's penalties come to the reward pool in one transfer.
/// - The automatic dispute is paid before the round's rewards. It is skipped (with {DisputeSkipped}) when the pool
///   cannot pay bond + fee, the listing cannot be challenged, or the challenge is rejected (e.g. no jurors), so that a
///   round always closes. When a juror round rules for the listing, anyone may have the pool appeal
///   ({appealDispute}), which pays the appeal fee as it paid the bond; when the Court finally rules against the
///   listing, the bond and the winner's share come back here, into the pool.
/// - While the pool's dispute runs, the stakes at risk it decides stay locked: low scores (below the minimum, within
///   tolerance) and high outliers. Once the ruling is final anyone settles them ({settleCommittee}): the side the
///   ruling proves wrong loses its stake at risk to the pool, so a committee that lies pays for the pool's lost dispute.
contract ValidationManager is IValidationManager, IStakePoolManager, GovernedUpgradeable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    // ---------------------------------------------------------------- types and storage

    /// @dev What a round's finalisation judges members by.
    struct Verdict {
        uint256 roundId;
        bool reached;
        uint16 median;
        uint16 toleranceBps;
        /// @dev The round's median opens a dispute if the pool can pay (0: it does not): members whose fate depends on
        /// the ruling are held, not judged yet ({_judge}).
        uint16 minQualityBps;
    }

    /// @dev One of the pool's disputes, in one slot: the round that raised it, the committee indices (bit i: member i)
    /// whose stake at risk it holds (`low`: scored below the minimum within tolerance; `high`: at or above it, outside
    /// tolerance), and the adapter that records its ruling (kept per dispute: a new adapter cannot strand a hold).
    struct PoolDispute {
        uint40 roundId;
        uint24 low;
        uint24 high;
        IListingChallenges challenges;
    }

    /// @dev A listing's rounds: its latest, and when a round on it is free again (0: now).
    struct ListingRounds {
        uint256 lastRoundId;
        uint48 nextFreeRoundAt;
    }

    /// @dev Who paid a requested round's fee, and how much (0 for a due round): one slot, written once.
    struct RoundFee {
        address payer;
        uint96 amount;
    }

    /// @custom:storage-location erc7201:curia.storage.ValidationManager
    struct ValidationManagerStorage {
        IERC20 token;
        /// @dev Fees of requested rounds not yet ended, out of the pool's reach: a round that ends without a result
        /// refunds its fee. Beside the token, which every use of the pool reads anyway.
        uint96 held;
        IListingRegistry registry;
        IStakePool pool;
        /// @dev Credited rewards not yet claimed. Beside the validators' pool, which finalisation reads anyway (its
        /// release of the committee): crediting a round's rewards then never writes a slot from zero, nor reads one
        /// more (issue 15: -19,000 on the first finalisation). 96 bits hold 79 billion CUR, far above the cap.
        uint96 totalRewardsOwed;
        IListingChallenges challenges;
        IRandomnessSource randomness;
        ValidationParameters params;
        uint256 roundCount;
        mapping(uint256 roundId => Round) rounds;
        mapping(uint256 roundId => address[]) committees;
        mapping(uint256 roundId => mapping(address validator => Member)) members;
        mapping(uint256 listingId => ListingRounds) listings;
        mapping(address validator => uint256) rewards;
        /// @dev The fee a requested round's caller paid (0 for a due round): the most its members may earn.
        mapping(uint256 roundId => RoundFee) fees;
        /// @dev The round whose median raised each of the pool's disputes (its revealers may have the pool appeal) and
        /// the stakes at risk held for the ruling.
        mapping(uint256 disputeId => PoolDispute) disputes;
    }

    // keccak256(abi.encode(uint256(keccak256("curia.storage.ValidationManager")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant VALIDATION_MANAGER_STORAGE =
        0x7fb1138c9afc7660dcc2e0c84b283b3eaa1d3eac6ffc4ce8dee8a53f7c80de00;

    uint256 private constant BPS = 10_000;
    uint256 public constant MAX_COMMITTEE_SIZE = 21;
    /// @dev Draw attempts per seat: repeats and validators without free stake are skipped within this budget.
    uint256 public constant DRAW_ATTEMPTS_PER_SEAT = 4;
    /// @dev The most calls a round reimburses each member: ten times the validator service's default sample.
    uint256 private constant MAX_REIMBURSED_CALLS = 2_000;
    uint8 private constant NOT_PENALIZED = type(uint8).max;
    /// @dev ListingChallenges' ruling for the provider: the court kept the listing.
    uint8 private constant KEPT = 2;

    // ---------------------------------------------------------------- initializer

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Sets up the manager. It still needs the registry's validation role, to be its validator reward pool,
    /// and to be the validators' pool's manager.
    /// @param timelock_ The DAO timelock: parameters and upgrades.
    /// @param registry_ The ListingRegistry whose listings are scored (its token is the manager's).
    /// @param pool_ The validators' StakePool.
    /// @param challenges_ The ListingChallenges adapter that automatic disputes go through.
    /// @param randomness_ The randomness source of committee draws.
    /// @param params_ Initial figures, checked against the same bounds as {setParameters}.
    function initialize(
        address timelock_,
        IListingRegistry registry_,
        IStakePool pool_,
        IListingChallenges challenges_,
        IRandomnessSource randomness_,
        ValidationParameters memory params_
    ) external initializer {
        _nonZero(address(registry_), "registry");
        _nonZero(address(pool_), "pool");
        __Governed_init(timelock_);
        ValidationManagerStorage storage $ = _s();
        address token_ = registry_.token();
        $.token = IERC20(token_);
        $.registry = registry_;
        $.pool = pool_;
        _setChallenges(challenges_);
        _setRandomnessSource(randomness_);
        _setParameters(params_);
    }

    // ---------------------------------------------------------------- governance setters

    /// @notice Replaces every governed figure at once (bounds checked). Live rounds keep their committee size,
    /// quorum, tolerance, penalty and windows. Emits {ValidationParametersSet}.
    function setParameters(ValidationParameters memory newParameters) external onlyTimelock {
        _setParameters(newParameters);
    }

    /// @notice Sets the randomness source of rounds opened from now on. Emits {RandomnessSourceSet}.
    function setRandomnessSource(IRandomnessSource newSource) external onlyTimelock {
        _setRandomnessSource(newSource);
    }

    /// @notice Sets the adapter of automatic disputes. Emits {ChallengesSet}.
    function setChallenges(IListingChallenges newChallenges) external onlyTimelock {
        _setChallenges(newChallenges);
    }

    // ---------------------------------------------------------------- validators

    /// @inheritdoc IValidationManager
    function claimRewards() external nonReentrant returns (uint256 amount) {
        ValidationManagerStorage storage $ = _s();
        amount = $.rewards[msg.sender];
        if (amount == 0) revert ValidationNothingToClaim(msg.sender);
        $.rewards[msg.sender] = 0;
        _moveOwed($, 0, amount);
        $.token.safeTransfer(msg.sender, amount);
        emit RewardsClaimed(msg.sender, amount);
    }

    // ---------------------------------------------------------------- rounds

    /// @inheritdoc IValidationManager
    function openRound(uint256 listingId) external nonReentrant returns (uint256 roundId) {
        ValidationManagerStorage storage $ = _s();
        (IListingRegistry.ListingStatus status, uint256 price) = $.registry.statusAndPriceOf(listingId);
        if (status != IListingRegistry.ListingStatus.Active) revert ValidationListingNotActive(listingId, status);
        ListingRounds storage lr = $.listings[listingId];
        uint256 last = lr.lastRoundId;
        if (last != 0) {
            // A recorded round is at least Drawing: below Finalized, it is Drawing or Voting.
            if ($.rounds[last].status < RoundStatus.Finalized) revert ValidationRoundInProgress(listingId, last);
        }
        ValidationParameters storage p = $.params;
        uint48 now_ = Time.timestamp();
        uint256 fee = now_ >= lr.nextFreeRoundAt ? 0 : p.requestFee;

        roundId = ++$.roundCount;
        IRandomnessSource source = $.randomness;
        uint256 request = source.requestRandomness();
        // The seed is unknown until the request is served: the pool's weights freeze now, before anyone can know it.
        $.pool.beginDraw();
        // A price above 2^96 − 1 wei (79 billion CUR a call) is reimbursed as that: it only lowers a reimbursement
        // that the round's cap (a share of the pool) would cut anyway.
        uint96 pricePerCall = price > type(uint96).max ? type(uint96).max : uint96(price);
        _writeRound($.rounds[roundId], listingId, source, now_, request, p, pricePerCall);
        lr.lastRoundId = roundId;
        lr.nextFreeRoundAt = now_ + p.roundPeriod;

        if (fee > 0) {
            // requestFee is at most 100,000 CUR (its bound), far below 2^96 wei.
            $.fees[roundId] = RoundFee(msg.sender, uint96(fee));
            $.held += uint96(fee);
            $.token.safeTransferFrom(msg.sender, address(this), fee);
        }
        emit RoundOpened(
            roundId,
            listingId,
            msg.sender,
            fee,
            address(source),
            request,
            p.committeeSize,
            p.toleranceBps,
            p.penaltyBps,
            pricePerCall
        );
    }

    /// @inheritdoc IValidationManager
    function drawCommittee(uint256 roundId) external nonReentrant {
        ValidationManagerStorage storage $ = _s();
        Round storage r = _roundIn(roundId, RoundPhase.Drawing);
        // Whatever happens next in this transaction, this round's draw is over: the pool's weights may move again
        // (a cancelled draw ends it here, a drawn one in the same call into the pool as its seats).
        CancelReason reason = CancelReason.NotEnoughValidators;
        if ($.registry.statusOf(r.listingId) != IListingRegistry.ListingStatus.Active) {
            reason = CancelReason.ListingNotActive;
        } else if (Time.timestamp() >= r.openedAt + $.params.drawPeriod) {
            reason = CancelReason.DrawExpired;
        }
        if (reason != CancelReason.NotEnoughValidators) {
            $.pool.endDraw();
            _cancel($, roundId, r, reason);
            return;
        }
        uint256 seated = _drawSeats($, roundId, r, r.randomness.randomness(r.randomnessRequest));
        r.seated = uint8(seated);
        if (seated < r.quorum) {
            _cancel($, roundId, r, CancelReason.NotEnoughValidators);
            return;
        }
        r.status = RoundStatus.Voting;
        // The round may end in a dispute, and its scores are still unknown to everyone: the curators' exits are held from
        // here to finalisation. Holding from the first low reveal instead lost to a curator who read that reveal in the
        // mempool and ordered its withdraw first (test/redteam/curation-review-redteam.test.ts).
        bool held = _holdExits(r.listingId, true);
        uint48 commitEnd = Time.timestamp() + $.params.commitPeriod;
        uint48 revealEnd = commitEnd + $.params.revealPeriod;
        (r.commitEnd, r.revealEnd, r.curatorsHeld) = (commitEnd, revealEnd, held);
        // Read once into memory, as committeeOf does: the event then shares the memory array's encoder (issue 15).
        address[] memory drawn = _committee(roundId);
        uint256 n = drawn.length;
        uint256[] memory seats = _newUints(n);
        uint256[] memory stakesAtRisk = _newUints(n);
        for (uint256 i; i < n; ++i) {
            Member storage m = $.members[roundId][drawn[i]];
            (seats[i], stakesAtRisk[i]) = (m.seats, m.stakeAtRisk);
        }
        emit CommitteeDrawn(roundId, r.listingId, drawn, seats, stakesAtRisk, commitEnd, revealEnd);
    }

    /// @inheritdoc IValidationManager
    function commitScore(uint256 roundId, bytes32 commitment) external {
        (Round storage r, Member storage m) = _seat(roundId, RoundPhase.Commit);
        if (m.commitment != bytes32(0)) revert ValidationAlreadyCommitted(roundId, msg.sender);
        if (commitment == bytes32(0)) revert ValidationInvalidCommitment();
        m.commitment = commitment;
        // Unchecked: a round has at most MAX_COMMITTEE_SIZE seats, far below uint8's 255 (and ~20 bytes smaller).
        unchecked {
            r.committed += m.seats;
        }
        emit ScoreCommitted(roundId, msg.sender, commitment);
    }

    /// @inheritdoc IValidationManager
    function revealScore(uint256 roundId, uint16 scoreBps, bytes32 salt) external {
        (Round storage r, Member storage m) = _seat(roundId, RoundPhase.Reveal);
        bytes32 commitment = m.commitment;
        if (commitment == bytes32(0)) revert ValidationNotCommitted(roundId, msg.sender);
        if (m.revealed) revert ValidationAlreadyRevealed(roundId, msg.sender);
        if (scoreBps > BPS) revert ValidationInvalidScore(scoreBps);
        // The validator's address is in the hash: a copied commitment cannot be revealed by anyone but its author.
        bytes32 computed = keccak256(abi.encode(scoreBps, salt, msg.sender, roundId));
        if (computed != commitment) revert ValidationRevealMismatch(roundId, msg.sender, commitment, computed);
        m.revealed = true;
        m.scoreBps = scoreBps;
        // Unchecked: at most MAX_COMMITTEE_SIZE seats, as committed.
        unchecked {
            r.revealed += m.seats;
        }
        emit ScoreRevealed(roundId, msg.sender, scoreBps);
    }

    /// @inheritdoc IValidationManager
    function finalizeRound(uint256 roundId) external nonReentrant {
        ValidationManagerStorage storage $ = _s();
        Round storage r = _roundIn(roundId, RoundPhase.Finalizable);
        // Closed before any external call: reentrancy.
        r.status = RoundStatus.Finalized;
        address[] storage committee = $.committees[roundId];
        uint256 revealedCount = r.revealed;
        bool reached = revealedCount >= r.quorum;
        uint16 median;
        uint16 disputeBelow;
        if (reached) {
            median = _median($, roundId, committee, revealedCount);
            r.medianBps = median;
            r.quorumReached = true;
            uint16 minQuality = uint16($.params.minQualityBps);
            if (median < minQuality) disputeBelow = minQuality;
        }
        // A round that measured nothing gives its fee back; one that did adds it to the pool, before anything is paid.
        _endFee($, roundId, !reached);

        (address[] memory honest, uint256 honestSeats, uint256 penaltyTotal, uint256 held) = _settleMembers(
            $,
            Verdict(roundId, reached, median, r.toleranceBps, disputeBelow),
            committee
        );

        uint256 listingId = r.listingId;
        if (reached) $.registry.setQuality(listingId, median);
        // The hold of the draw, if it took one, is lifted; a dispute opened next freezes the exits in this same
        // transaction, before any curator can act.
        if (r.curatorsHeld) _holdExits(listingId, false);
        if (disputeBelow != 0) _requestDispute($, roundId, listingId, held);
        uint256 rewardTotal = _creditRewards($, roundId, honest, honestSeats);
        emit RoundFinalized(roundId, listingId, median, revealedCount, reached, honestSeats, rewardTotal, penaltyTotal);
    }

    /// @inheritdoc IValidationManager
    function appealDispute(uint256 disputeId) external nonReentrant {
        ValidationManagerStorage storage $ = _s();
        // Only a validator who revealed a score in the round that raised the dispute spends the pool on its appeal.
        PoolDispute storage d = _poolDispute(disputeId);
        uint256 roundId = d.roundId;
        if (!$.members[roundId][msg.sender].revealed) revert ValidationAppealNotAllowed(disputeId, msg.sender, roundId);
        IERC20 token = $.token;
        address court = address(d.challenges.court());
        uint256 balanceBefore = token.balanceOf(address(this));
        // The court pulls exactly the appeal fee and checks the rest: the appeal period, and that this contract raised
        // the dispute and lost the round. Only the pool is approved: stakes and credited rewards are never at risk.
        token.forceApprove(court, _rewardPool($));
        ICourt(court).appeal(disputeId);
        token.forceApprove(court, 0);
        emit DisputeAppealed(disputeId, msg.sender, balanceBefore - token.balanceOf(address(this)));
    }

    /// @inheritdoc IValidationManager
    function settleCommittee(uint256 disputeId) external nonReentrant {
        PoolDispute storage d = _poolDispute(disputeId);
        uint256 held = uint256(d.low) | (uint256(d.high) << 24);
        if (held == 0) revert ValidationNothingHeld(disputeId);
        // resolvedRuling is 0 until the adapter applied the court's final ruling: appeals and DAO review come first.
        uint8 ruling = d.challenges.resolvedRuling(disputeId);
        if (ruling == 0) revert ValidationDisputeNotResolved(disputeId);
        (d.low, d.high) = (0, 0);
        uint256 roundId = d.roundId;
        emit CommitteeSettled(disputeId, roundId, ruling, _settleHeld(_s(), roundId, held, ruling == KEPT));
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IValidationManager
    function phaseOf(uint256 roundId) external view returns (RoundPhase) {
        return _phase(_s().rounds[roundId]);
    }

    /// @inheritdoc IValidationManager
    function getRound(uint256 roundId) external view returns (Round memory) {
        return _round(roundId);
    }

    /// @inheritdoc IValidationManager
    function committeeOf(uint256 roundId) external view returns (address[] memory) {
        return _committee(roundId);
    }

    /// @inheritdoc IValidationManager
    function memberOf(uint256 roundId, address validator) external view returns (Member memory) {
        return _s().members[roundId][validator];
    }

    /// @inheritdoc IValidationManager
    function rewardsOf(address validator) external view returns (uint256) {
        return _s().rewards[validator];
    }

    /// @inheritdoc IValidationManager
    function listingRounds(uint256 listingId) external view returns (uint256 lastRoundId, uint48 nextFreeRoundAt) {
        ListingRounds storage lr = _s().listings[listingId];
        return (lr.lastRoundId, lr.nextFreeRoundAt);
    }

    /// @inheritdoc IValidationManager
    function parameters() external view returns (ValidationParameters memory) {
        return _params();
    }

    /// @inheritdoc IValidationManager
    function roundCount() external view returns (uint256) {
        return _s().roundCount;
    }

    /// @inheritdoc IValidationManager
    function totalOwed() external view returns (uint256 rewardsOwed, uint256 rewardPool, uint256 held) {
        ValidationManagerStorage storage $ = _s();
        return ($.totalRewardsOwed, _rewardPool($), $.held);
    }

    /// @inheritdoc IValidationManager
    function validatorPool() external view returns (IStakePool) {
        return _s().pool;
    }

    /// @inheritdoc IValidationManager
    function challenges() external view returns (IListingChallenges) {
        return _s().challenges;
    }

    /// @notice The token, the registry and the randomness source.
    function addresses() external view returns (address token, address registry, address randomness) {
        ValidationManagerStorage storage $ = _s();
        return (address($.token), address($.registry), address($.randomness));
    }

    /// @inheritdoc IStakePoolManager
    /// @dev Penalties come here at once ({_settleMembers}) and nothing is paid from the pool: the manager keeps nothing
    /// in the validators' pool beside the stakes.
    function poolFundsOwed() external pure returns (uint256) {
        return 0;
    }

    // ---------------------------------------------------------------- internal

    /// @dev Draws the round's seats from one seed, with replacement, in one call into the validators' pool, which also
    /// ends the draw's freeze: seat s's attempt a draws with keccak256(seed, s, a), so a validator holds seats in
    /// proportion to its stake whether it sits at one address or at many, and a validator who makes itself unable to
    /// sit only sends its own seat to a new draw. Each seat locks `penaltyBps` of the holder's drawable stake; a seat
    /// nobody can take within its {DRAW_ATTEMPTS_PER_SEAT} attempts stays empty. Returns the seats filled.
    function _drawSeats(
        ValidationManagerStorage storage $,
        uint256 roundId,
        Round storage r,
        uint256 seed
    ) private returns (uint256 seated) {
        uint256 penaltyBps = r.penaltyBps;
        uint256[] memory drawn = $.pool.endDrawAndLockSeats(seed, r.committeeSize, DRAW_ATTEMPTS_PER_SEAT, penaltyBps);
        address[] storage committee = $.committees[roundId];
        uint256 n = drawn.length;
        for (uint256 seat; seat < n; ++seat) {
            // The member in the low 160 bits (zero: an empty seat), its stake locked above them.
            address account = address(uint160(drawn[seat]));
            if (account == address(0)) continue;
            Member storage m = $.members[roundId][account];
            if (m.seats == 0) committee.push(account);
            // Unchecked: at most MAX_COMMITTEE_SIZE seats, and locks of stakes below 2^96 wei (the pool's word).
            unchecked {
                ++m.seats;
                m.stakeAtRisk += uint128(drawn[seat] >> 160);
                ++seated;
            }
        }
    }

    /// @dev Writes a new (all-zero) round, Drawing, in four stores: each of its packed words at once instead of one read
    /// and one write per field, ~110 bytes smaller and ~1,200 gas cheaper (issue 15). The words follow {Round}'s
    /// declaration order (Solidity's packing: the first field in the low-order bytes), which the storage layout
    /// snapshot (deploy/storage-layouts/v2.json) pins; getRound's tests read every field back.
    function _writeRound(
        Round storage r,
        uint256 listingId,
        IRandomnessSource source,
        uint48 openedAt,
        uint256 request,
        ValidationParameters storage p,
        uint96 pricePerCall
    ) private {
        // Word 1: randomness (bytes 0-19), openedAt (20-25), status (26), committeeSize (27), quorum (28); seated,
        // committed and revealed (29-31) start at 0.
        uint256 word1 =
            uint256(uint160(address(source))) |
                (uint256(openedAt) << 160) |
                (uint256(uint8(RoundStatus.Drawing)) << 208) |
                (uint256(p.committeeSize) << 216) |
                (uint256(p.quorum) << 224);
        // Word 3: commitEnd and revealEnd (bytes 0-11) start at 0, toleranceBps (12-13), penaltyBps (14-15); medianBps
        // and quorumReached (16-18) start at 0; pricePerCall (19-30).
        uint256 word3 =
            (uint256(p.toleranceBps) << 96) | (uint256(p.penaltyBps) << 112) | (uint256(pricePerCall) << 152);
        assembly ("memory-safe") {
            let slot := r.slot
            sstore(slot, listingId)
            sstore(add(slot, 1), word1)
            sstore(add(slot, 2), request)
            sstore(add(slot, 3), word3)
        }
    }

    /// @dev Releases the seated members' stake at risk and closes the round; the listing's next round is free.
    function _cancel(
        ValidationManagerStorage storage $,
        uint256 roundId,
        Round storage r,
        CancelReason reason
    ) private {
        uint256 seated = $.committees[roundId].length;
        // Every member released as a low score the ruling upheld: unlocked, nothing slashed.
        if (seated > 0) _settleHeld($, roundId, (1 << seated) - 1, false);
        r.status = RoundStatus.Cancelled;
        // Only a free round gives the listing its next round free: a paid one is refunded instead, and its clock stays
        // as its opening set it (else letting a paid draw expire made the next round free before roundPeriod).
        if ($.fees[roundId].amount == 0) $.listings[r.listingId].nextFreeRoundAt = 0;
        _endFee($, roundId, true);
        emit RoundCancelled(roundId, r.listingId, reason, seated);
    }

    /// @dev Ends the hold on a requested round's fee: back to its payer (`refund`: the round ends without a quality), or
    /// into the pool. Emits {RoundFeeRefunded}.
    function _endFee(ValidationManagerStorage storage $, uint256 roundId, bool refund) private {
        RoundFee storage f = $.fees[roundId];
        uint96 fee = f.amount;
        if (fee == 0) return;
        $.held -= fee;
        if (!refund) return;
        address payer = f.payer;
        $.token.safeTransfer(payer, fee);
        emit RoundFeeRefunded(roundId, payer, fee);
    }

    function _median(
        ValidationManagerStorage storage $,
        uint256 roundId,
        address[] storage committee,
        uint256 revealedCount
    ) private view returns (uint16) {
        // One score per seat: a member's score counts as many times as it holds seats.
        uint256[] memory scores = _newUints(revealedCount);
        uint256 j;
        uint256 n = committee.length;
        for (uint256 i; i < n; ++i) {
            Member storage m = $.members[roundId][committee[i]];
            if (!m.revealed) continue;
            for (uint256 s = m.seats; s > 0; --s) scores[j++] = m.scoreBps;
        }
        return uint16(ScoreMedian.median(scores));
    }

    /// @dev Unlocks every member's stake at risk, penalises non-revealers and outliers, and lists the honest members:
    /// one call to the validators' pool releases the whole committee and brings the penalties to the reward pool.
    function _settleMembers(
        ValidationManagerStorage storage $,
        Verdict memory verdict,
        address[] storage committee
    ) private returns (address[] memory honest, uint256 honestSeats, uint256 penaltyTotal, uint256 held) {
        uint256 n = committee.length;
        (address[] memory accounts, uint256[] memory unlocks, uint256[] memory slashes) = _batch(n);
        honest = _newAddresses(n);
        for (uint256 i; i < n; ++i) {
            accounts[i] = committee[i];
            bool isHonest;
            uint256 side;
            (unlocks[i], slashes[i], isHonest, side) = _judge($, verdict, accounts[i]);
            // Held: stays locked (unlock 0) until the dispute settles, or until it is skipped.
            if (side != 0) {
                unlocks[i] = 0;
                held |= side << i;
            }
            if (isHonest) {
                honest[i] = accounts[i];
                honestSeats += $.members[verdict.roundId][accounts[i]].seats;
            }
        }
        penaltyTotal = _releaseBatch($, accounts, unlocks, slashes);
    }

    /// @dev A member's stake at risk, the part it loses (all of it, for no reveal or an outlying score), whether it is
    /// honest (revealed within the tolerance of a counted median), and, when the median is below the minimum quality,
    /// whether the court's ruling decides its stake at risk instead (`held`: 1, a low score within tolerance, which
    /// loses it if the court keeps the listing; 1 << 24, a high outlier, which loses it only if the court delists).
    /// Emits {ValidatorPenalized} for a penalty taken now.
    function _judge(
        ValidationManagerStorage storage $,
        Verdict memory verdict,
        address account
    ) private returns (uint256 atRisk, uint256 penalty, bool isHonest, uint256 held) {
        Member storage m = $.members[verdict.roundId][account];
        atRisk = m.stakeAtRisk;
        uint8 reason = _penaltyReason(m, verdict.reached, verdict.median, verdict.toleranceBps);
        bool low = m.scoreBps < verdict.minQualityBps;
        if (reason == NOT_PENALIZED) return (atRisk, 0, verdict.reached && m.revealed, low ? 1 : 0);
        if (reason == uint8(PenaltyReason.OutOfTolerance) && !low && verdict.minQualityBps != 0) {
            return (atRisk, 0, false, 1 << 24);
        }
        _penalized(verdict.roundId, account, PenaltyReason(reason), atRisk);
        return (atRisk, atRisk, false, 0);
    }

    /// @dev Releases the stakes at risk that round `roundId` held for its dispute (`held`: bit i, member i scored low;
    /// bit 24 + i, member i was a high outlier), slashing the side the ruling proved wrong (`kept`: the court kept the
    /// listing, so the low scores were wrong) into the pool. Emits {ValidatorPenalized} per slash.
    function _settleHeld(
        ValidationManagerStorage storage $,
        uint256 roundId,
        uint256 held,
        bool kept
    ) private returns (uint256) {
        address[] storage committee = $.committees[roundId];
        uint256 n = committee.length;
        (address[] memory accounts, uint256[] memory unlocks, uint256[] memory slashes) = _batch(n);
        uint256 j;
        for (uint256 i; i < n; ++i) {
            bool low = (held >> i) & 1 == 1;
            if (!low && (held >> (24 + i)) & 1 == 0) continue;
            address account = committee[i];
            uint256 atRisk = $.members[roundId][account].stakeAtRisk;
            (accounts[j], unlocks[j]) = (account, atRisk);
            if (low == kept) slashes[j] = atRisk;
            ++j;
            if (low != kept) continue;
            _penalized(roundId, account, kept ? PenaltyReason.Overturned : PenaltyReason.OutOfTolerance, atRisk);
        }
        // Only the held members go to the pool: the arrays shrink to the j filled (memory, never read past j).
        assembly ("memory-safe") {
            mstore(accounts, j)
            mstore(unlocks, j)
            mstore(slashes, j)
        }
        return _releaseBatch($, accounts, unlocks, slashes);
    }

    /// @dev One encoding site for {ValidatorPenalized}, emitted by {_judge} and {_settleHeld} (issue 15).
    function _penalized(uint256 roundId, address account, PenaltyReason reason, uint256 atRisk) private {
        emit ValidatorPenalized(roundId, account, reason, atRisk);
    }

    /// @dev The three arrays of a {_releaseBatch} for `n` members: one allocation site for its two callers.
    function _batch(
        uint256 n
    ) private pure returns (address[] memory accounts, uint256[] memory unlocks, uint256[] memory slashes) {
        (accounts, unlocks, slashes) = (_newAddresses(n), _newUints(n), _newUints(n));
    }

    /// @dev One storage-to-memory copy of a committee for committeeOf and the CommitteeDrawn event (issue 15).
    function _committee(uint256 roundId) private view returns (address[] memory) {
        return _s().committees[roundId];
    }

    /// @dev One allocation site for the five uint arrays and one for the two address arrays: each `new` inlines ~50
    /// bytes of allocation code (issue 15).
    function _newUints(uint256 n) private pure returns (uint256[] memory) {
        return new uint256[](n);
    }

    function _newAddresses(uint256 n) private pure returns (address[] memory) {
        return new address[](n);
    }

    /// @dev One call into the validators' pool for a whole committee; the slashes come to the reward pool. One call site
    /// for the three releases (finalisation, a held dispute, a cancelled round) keeps this contract small.
    function _releaseBatch(
        ValidationManagerStorage storage $,
        address[] memory accounts,
        uint256[] memory unlocks,
        uint256[] memory slashes
    ) private returns (uint256) {
        return $.pool.releaseBatch(accounts, unlocks, slashes, address(this));
    }

    /// @dev Why a member loses its stake at risk: no reveal, or a score outside the tolerance of a counted median.
    function _penaltyReason(
        Member storage m,
        bool reached,
        uint16 median,
        uint16 toleranceBps
    ) private view returns (uint8) {
        if (!m.revealed) return uint8(PenaltyReason.NoReveal);
        if (reached && ScoreMedian.distance(m.scoreBps, median) > toleranceBps) {
            return uint8(PenaltyReason.OutOfTolerance);
        }
        return NOT_PENALIZED;
    }

    /// @dev Credits each honest seat the round's reimbursed calls at the round's price, then an equal share of the
    /// round's reward; the rounding dust stays in the pool. Both are paid per seat, like the reward, so that splitting
    /// stake across addresses gains nothing. Reimbursements and rewards together stay within the round's cap:
    /// `rewardShareBps` of the pool, and for a requested round the fee its caller paid, so that a high price cannot
    /// drain the pool faster than rewards could. `honest` is the committee with zeros for the members that are not.
    function _creditRewards(
        ValidationManagerStorage storage $,
        uint256 roundId,
        address[] memory honest,
        uint256 honestSeats
    ) private returns (uint256 paid) {
        if (honestSeats == 0) return 0;
        uint256 cap = (_rewardPool($) * $.params.rewardShareBps) / BPS;
        uint256 fee = $.fees[roundId].amount;
        if (fee > 0 && cap > fee) cap = fee;
        uint256 reimbursed = uint256($.rounds[roundId].pricePerCall) * $.params.reimbursedCalls;
        if (reimbursed * honestSeats > cap) reimbursed = cap / honestSeats;
        uint256 budget = cap - reimbursed * honestSeats;
        if (budget > $.params.roundReward) budget = $.params.roundReward;
        uint256 perSeat = budget / honestSeats + reimbursed;
        if (perSeat == 0) return 0;
        uint256 n = honest.length;
        for (uint256 i; i < n; ++i) {
            address account = honest[i];
            if (account == address(0)) continue;
            uint256 seats = $.members[roundId][account].seats;
            uint256 amount = perSeat * seats;
            $.rewards[account] += amount;
            emit ValidatorRewarded(roundId, account, amount, reimbursed * seats);
        }
        paid = perSeat * honestSeats;
        _moveOwed($, paid, 0);
    }

    /// @dev Challenges the listing with the bond and fee paid from the pool, or says why not.
    /// When it is skipped, the stakes at risk held for it (`held`) settle at once as if the court upheld the median.
    function _requestDispute(
        ValidationManagerStorage storage $,
        uint256 roundId,
        uint256 listingId,
        uint256 held
    ) private {
        IListingChallenges challenges_ = $.challenges;
        uint256 bond = challenges_.parameters().minChallengeBond;
        uint256 needed = challenges_.challengeCost(bond);
        uint256 fee = needed - bond;
        uint256 available = _rewardPool($);
        IListingRegistry.ListingStatus status = $.registry.statusOf(listingId);
        DisputeSkipReason reason = DisputeSkipReason.CourtRejected;
        if (status != IListingRegistry.ListingStatus.Active && status != IListingRegistry.ListingStatus.Pending) {
            reason = DisputeSkipReason.ListingNotChallengeable;
        } else if (available < needed) {
            reason = DisputeSkipReason.PoolTooSmall;
        } else {
            IERC20 token = $.token;
            token.forceApprove(address(challenges_), needed);
            uint256 gasBefore = gasleft();
            // The adapter writes the round's evidence URI: the URI prefix is its setting.
            try challenges_.challengeFromRound(listingId, bond, roundId) returns (uint256 disputeId) {
                // The adapter pulls bond + fee, which uses the approval up: resetting a zero allowance cost a token call
                // and an Approval event (~2,600, issue 15). Whatever an adapter left unspent is still withdrawn.
                if (token.allowance(address(this), address(challenges_)) != 0) {
                    token.forceApprove(address(challenges_), 0);
                }
                // roundCount grows by one a round: 2^40 rounds is beyond any chain's gas.
                $.disputes[disputeId] = PoolDispute(uint40(roundId), uint24(held), uint24(held >> 24), challenges_);
                emit DisputeRequested(roundId, listingId, disputeId, bond, fee);
                return;
            } catch {
                // A challenge starved of gas (63/64 rule) must not pass for a rejection: the caller retries with more.
                if (gasleft() <= gasBefore / 63) revert ValidationInsufficientGas();
                token.forceApprove(address(challenges_), 0);
            }
        }
        emit DisputeSkipped(roundId, listingId, reason, needed, available);
        if (held != 0) _settleHeld($, roundId, held, false);
    }

    /// @dev Holds (or frees) the curators' exits of `listingId` in the registry's CurationPool, if it has one: the
    /// registry forwards to the pool it has bound now (nothing here keeps a copy that the DAO's rebinding could leave
    /// stale), which says whether it holds them now. Finalisation lifts only a hold its draw took: a listing nobody
    /// curates takes none, and its round makes no call into the pool (issue 15: ~16,000 gas at finalisation).
    function _holdExits(uint256 listingId, bool hold) private returns (bool held) {
        return _s().registry.setUnderReview(listingId, hold);
    }

    /// @dev One of the pool's disputes; reverts with {ValidationNotPoolDispute} for another.
    function _poolDispute(uint256 disputeId) private view returns (PoolDispute storage d) {
        d = _s().disputes[disputeId];
        if (d.roundId == 0) revert ValidationNotPoolDispute(disputeId);
    }

    /// @dev Adds `credited` to the rewards owed and takes `claimed` off: one site for the packed total's
    /// read-modify-write keeps this contract small. Unchecked: owed rewards are CUR held here (a credit comes out of
    /// the reward pool, a claim out of a credit), below 2^96 wei and never below zero.
    function _moveOwed(ValidationManagerStorage storage $, uint256 credited, uint256 claimed) private {
        unchecked {
            $.totalRewardsOwed = uint96($.totalRewardsOwed + credited - claimed);
        }
    }

    function _rewardPool(ValidationManagerStorage storage $) private view returns (uint256) {
        return $.token.balanceOf(address(this)) - $.totalRewardsOwed - $.held;
    }

    function _phase(Round storage r) private view returns (RoundPhase) {
        RoundStatus status = r.status;
        if (status == RoundStatus.None) return RoundPhase.None;
        if (status == RoundStatus.Drawing) return RoundPhase.Drawing;
        if (status == RoundStatus.Finalized) return RoundPhase.Finalized;
        if (status == RoundStatus.Cancelled) return RoundPhase.Cancelled;
        uint48 now_ = Time.timestamp();
        // Reveals may start as soon as every member committed, and the round may close once every commitment is
        // revealed: nobody can add information after that.
        if (now_ < r.commitEnd && r.committed < r.seated) return RoundPhase.Commit;
        if (now_ < r.revealEnd && r.revealed < r.committed) return RoundPhase.Reveal;
        return RoundPhase.Finalizable;
    }

    /// @dev The round, which must exist and be in the `expected` phase.
    function _roundIn(uint256 roundId, RoundPhase expected) private view returns (Round storage r) {
        r = _round(roundId);
        RoundPhase current = _phase(r);
        if (current != expected) revert ValidationWrongPhase(roundId, current, expected);
    }

    /// @dev The round in `phase` and the caller's seat in its committee: commitScore's and revealScore's shared checks.
    function _seat(uint256 roundId, RoundPhase phase) private view returns (Round storage r, Member storage m) {
        r = _roundIn(roundId, phase);
        m = _s().members[roundId][msg.sender];
        if (m.seats == 0) revert ValidationNotInCommittee(roundId, msg.sender);
    }

    function _round(uint256 roundId) private view returns (Round storage r) {
        r = _s().rounds[roundId];
        if (r.status == RoundStatus.None) revert ValidationRoundNotFound(roundId);
    }

    /// @dev Checks figure `field` of `n` (its index in {ValidationParameters}) against its bounds. The thirteen call
    /// sites pass the index, not the field's value: each read and its cleanup happen once, here (~100 bytes, issue 15).
    /// The order of the calls is the order in which the checks have always run (the first failing figure is reported).
    function _checkBounds(
        ValidationParameters memory n,
        uint256 field,
        bytes32 name,
        uint256 min,
        uint256 max
    ) private pure {
        uint256 value;
        assembly ("memory-safe") {
            // A memory struct of value types is one word per field, in declaration order, each already clean
            // (abi-decoded or built by the caller).
            value := mload(add(n, shl(5, field)))
        }
        if (value < min || value > max) revert ValidationParameterOutOfBounds(name, value, min, max);
    }

    /// @dev Takes the figures in memory (the external setters decode them there): the bounds checks, the event and
    /// the store then share the memory struct's code, ~450 bytes smaller than from calldata (issue 15).
    function _setParameters(ValidationParameters memory n) private {
        _checkBounds(n, 0, "requestFee", 0, 100_000 ether);
        _checkBounds(n, 1, "roundReward", 0, 1_000_000 ether);
        _checkBounds(n, 2, "roundPeriod", 1 hours, 365 days);
        _checkBounds(n, 3, "commitPeriod", 1 minutes, 30 days);
        _checkBounds(n, 4, "revealPeriod", 1 minutes, 30 days);
        _checkBounds(n, 5, "committeeSize", 1, MAX_COMMITTEE_SIZE);
        _checkBounds(n, 11, "drawPeriod", 10 minutes, 30 days);
        _checkBounds(n, 6, "quorum", 1, n.committeeSize);
        _checkBounds(n, 7, "toleranceBps", 0, BPS);
        _checkBounds(n, 8, "penaltyBps", 0, BPS);
        _checkBounds(n, 9, "rewardShareBps", 0, BPS);
        _checkBounds(n, 10, "minQualityBps", 0, BPS);
        _checkBounds(n, 12, "reimbursedCalls", 0, MAX_REIMBURSED_CALLS);
        ValidationManagerStorage storage $ = _s();
        emit ValidationParametersSet(_params(), n);
        $.params = n;
    }

    /// @dev One storage-to-memory copy of the figures for the view and the event keeps this contract small.
    function _params() private view returns (ValidationParameters memory) {
        return _s().params;
    }

    function _setRandomnessSource(IRandomnessSource newSource) private {
        _nonZero(address(newSource), "randomness");
        ValidationManagerStorage storage $ = _s();
        emit RandomnessSourceSet(address($.randomness), address(newSource));
        $.randomness = newSource;
    }

    function _setChallenges(IListingChallenges newChallenges) private {
        _nonZero(address(newChallenges), "challenges");
        ValidationManagerStorage storage $ = _s();
        emit ChallengesSet(address($.challenges), address(newChallenges));
        $.challenges = newChallenges;
    }

    /// @dev One revert path for the four address checks keeps this contract small.
    function _nonZero(address account, string memory name) private pure {
        if (account == address(0)) revert GovernedZeroAddress(name);
    }

    function _s() private pure returns (ValidationManagerStorage storage $) {
        assembly {
            $.slot := VALIDATION_MANAGER_STORAGE
        }
    }
}
