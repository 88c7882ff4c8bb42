// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";
import {StrayTokenSweeper} from "../governance/StrayTokenSweeper.sol";
import {IArbitrable} from "../interfaces/IArbitrable.sol";
import {ICourt} from "../interfaces/ICourt.sol";
import {IRandomnessSource} from "../interfaces/IRandomnessSource.sol";
import {IStakePool, IStakePoolManager} from "../interfaces/IStakePool.sol";

/// @title Court
/// @notice See {ICourt}. Holds no tokens: fees, unpaid rewards and penalties are its funds in the jurors' StakePool,
/// which also holds the jurors' stakes and draws them. Every operation is O(1) or O(log n) in the number of jurors: a
/// draw costs one tree walk per seat, and rewards and penalties are settled per juror by {settle}, never by a loop
/// over a jury. The only loops run over a round's seats (bounded by the caller's `iterations`) and over a dispute's
/// rounds (bounded by the governed maximum, at most 5).
/// @dev Rounding: the jurors who settled the first s coherent seats of a round have been paid floor(pool × s /
/// coherentSeats) in all, so each juror receives the difference its seats make to that sum: every juror gets its
/// pro-rata share to within a wei, whatever the order of settlement, and a pool is always paid out exactly.
contract Court is ICourt, IStakePoolManager, StrayTokenSweeper, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    // ---------------------------------------------------------------- types and storage

    /// @custom:storage-location erc7201:curia.storage.Court
    /// @dev The totals share slots with what is read or written next to them (96 bits hold 79 billion CUR, far above
    /// the cap): a ruling moves the escrow into the rewards in one slot, which a new dispute also writes (its count);
    /// a settlement reads the pool and writes the pending penalties in one slot; a ruling that sets aside the
    /// treasury's share writes it beside the token it reads to pull the jurors' share (issue 15).
    struct CourtStorage {
        uint96 totalEscrow;
        uint96 totalRewards;
        uint64 disputeCount;
        IStakePool pool;
        uint96 pendingPenalties;
        IERC20 token;
        /// @dev What the treasury may sweep; a transfer at every ruling would cost more.
        uint96 treasuryOwed;
        IRandomnessSource randomness;
        CourtParameters params;
        mapping(address arbitrable => bool) arbitrables;
        mapping(uint256 disputeId => DisputeRecord) disputes;
        mapping(uint256 disputeId => mapping(uint256 round => Round)) rounds;
        mapping(uint256 disputeId => mapping(uint256 round => mapping(address juror => Vote))) votes;
        /// @dev Draw rewards credited and not yet claimed; they stay in `totalEscrow` until paid.
        mapping(address keeper => uint256) drawRewards;
    }

    // keccak256(abi.encode(uint256(keccak256("curia.storage.Court")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant COURT_STORAGE = 0xcce2dfbe7427409fbe08b0858f96b3bd1cf18d172a91df88a59b001d9b4f2100;

    uint8 public constant CHALLENGER = 1;
    uint8 public constant DEFENDANT = 2;
    uint256 private constant BPS = 10_000;
    uint256 public constant MAX_FIRST_ROUND_SEATS = 31;
    uint256 public constant MAX_JUROR_ROUNDS = 5;
    uint256 public constant MAX_DRAW_REWARD_BPS = 2_000;
    /// @dev The gas an arbitrable's `rule` gets: ListingChallenges' needs ~200,000 (cold).
    uint256 private constant RULE_GAS = 1_000_000;
    /// @dev The gas left before the call that guarantees the arbitrable all of {RULE_GAS} (63/64 rule), with a margin
    /// for the call's own cost (a cold account, 2,600) and the few instructions before it.
    uint256 private constant RULE_GAS_BEFORE = RULE_GAS + RULE_GAS / 63 + 5_000;

    // ---------------------------------------------------------------- initializer

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Sets up the court. It still needs to be its pool's manager, and the DAO to approve arbitrables.
    /// @param timelock_ The DAO timelock: parameters, upgrades, final rulings, and the treasury.
    /// @param pool_ The jurors' StakePool (its token is the court's).
    /// @param randomness_ The randomness source of jury draws.
    /// @param params_ Initial figures, checked against the same bounds as {setParameters}.
    function initialize(
        address timelock_,
        IStakePool pool_,
        IRandomnessSource randomness_,
        CourtParameters memory params_
    ) external initializer {
        if (address(pool_) == address(0)) revert GovernedZeroAddress("pool");
        __Governed_init(timelock_);
        CourtStorage storage $ = _s();
        $.pool = pool_;
        $.token = IERC20(pool_.token());
        _setRandomnessSource(randomness_);
        _setParameters(params_);
    }

    // ---------------------------------------------------------------- governance setters

    /// @notice Replaces every governed figure at once (bounds checked). Live rounds keep their seat stake, penalty
    /// and periods. Emits {CourtParametersSet}.
    function setParameters(CourtParameters memory newParameters) external onlyTimelock {
        _setParameters(newParameters);
    }

    /// @notice Sets the randomness source of rounds opened from now on. Emits {RandomnessSourceSet}.
    function setRandomnessSource(IRandomnessSource newSource) external onlyTimelock {
        _setRandomnessSource(newSource);
    }

    /// @notice Allows (or stops) `arbitrable` opening disputes; its open disputes go on. Emits {ArbitrableSet}.
    function setArbitrable(address arbitrable, bool allowed) external onlyTimelock {
        if (arbitrable == address(0)) revert GovernedZeroAddress("arbitrable");
        CourtStorage storage $ = _s();
        emit ArbitrableSet(arbitrable, $.arbitrables[arbitrable], allowed);
        $.arbitrables[arbitrable] = allowed;
    }

    // ---------------------------------------------------------------- disputes

    /// @inheritdoc ICourt
    function createDispute(
        uint256 subjectId,
        address challenger,
        address defendant
    ) external nonReentrant returns (uint256 disputeId) {
        CourtStorage storage $ = _s();
        if (!$.arbitrables[msg.sender]) revert CourtArbitrableNotAllowed(msg.sender);
        if (challenger == address(0) || defendant == address(0) || challenger == defendant) {
            revert CourtInvalidParties(challenger, defendant);
        }
        IStakePool pool = $.pool;
        if (pool.totalWeight() == 0) revert CourtNoJurors();
        uint256 seats = $.params.firstRoundSeats;
        uint256 fee = uint256($.params.arbitrationFeePerSeat) * seats;

        disputeId = ++$.disputeCount;
        DisputeRecord storage d = $.disputes[disputeId];
        d.challenger = challenger;
        d.defendant = defendant;
        d.createdAt = Time.timestamp();
        d.arbitrable = IArbitrable(msg.sender);
        d.escrow = uint96(fee);
        $.totalEscrow += uint96(fee);

        if (fee > 0) $.token.safeTransferFrom(msg.sender, address(pool), fee);
        emit DisputeCreated(disputeId, msg.sender, subjectId, challenger, defendant, fee, seats);
        _openRound($, disputeId, d, seats, fee);
    }

    /// @inheritdoc ICourt
    function draw(uint256 disputeId, uint256 iterations) external nonReentrant returns (uint256 drawn) {
        CourtStorage storage $ = _s();
        DisputeRecord storage d = _dispute(disputeId);
        _expectPeriod(disputeId, d, Period.Drawing);
        uint256 roundIndex = d.rounds - 1;
        Round storage r = $.rounds[disputeId][roundIndex];
        if (Time.timestamp() >= r.drawDeadline) {
            _expireDraw($, disputeId, d, roundIndex, r);
            return 0;
        }
        if (iterations == 0) revert CourtZeroIterations();
        drawn = _drawSeats($, disputeId, roundIndex, r, iterations);
        if (drawn > 0) _rewardKeeper($, disputeId, d, roundIndex, r, drawn);
        if (r.drawn == r.seats) {
            $.pool.endDraw();
            _startVoting($, disputeId, roundIndex, r);
        }
    }

    /// @inheritdoc ICourt
    function commit(uint256 disputeId, bytes32 commitment) external {
        (uint256 roundIndex, Vote storage v) = _seat(disputeId, Period.Commit);
        if (v.commitment != bytes32(0)) revert CourtAlreadyCommitted(disputeId, roundIndex, msg.sender);
        if (commitment == bytes32(0)) revert CourtInvalidCommitment();
        v.commitment = commitment;
        _s().rounds[disputeId][roundIndex].committed += v.seats;
        emit VoteCommitted(disputeId, roundIndex, msg.sender, v.seats, commitment);
    }

    /// @inheritdoc ICourt
    function reveal(uint256 disputeId, uint8 choice, bytes32 salt) external {
        (uint256 roundIndex, Vote storage v) = _seat(disputeId, Period.Reveal);
        if (v.commitment == bytes32(0)) revert CourtNotCommitted(disputeId, roundIndex, msg.sender);
        if (v.revealed) revert CourtAlreadyRevealed(disputeId, roundIndex, msg.sender);
        if (choice != CHALLENGER && choice != DEFENDANT) revert CourtInvalidChoice(choice);
        // The juror's address is in the hash: a copied commitment cannot be revealed by anyone but its author.
        bytes32 computed = keccak256(abi.encode(choice, salt, msg.sender, disputeId, roundIndex));
        if (computed != v.commitment) {
            revert CourtRevealMismatch(disputeId, roundIndex, msg.sender, v.commitment, computed);
        }
        v.revealed = true;
        v.choice = choice;
        Round storage r = _s().rounds[disputeId][roundIndex];
        if (choice == CHALLENGER) r.challengerVotes += v.seats;
        else r.defendantVotes += v.seats;
        emit VoteRevealed(disputeId, roundIndex, msg.sender, choice, v.seats, r.challengerVotes, r.defendantVotes);
    }

    /// @inheritdoc ICourt
    function appeal(uint256 disputeId) external nonReentrant {
        CourtStorage storage $ = _s();
        DisputeRecord storage d = _dispute(disputeId);
        _expectPeriod(disputeId, d, Period.Appeal);
        Round storage r = $.rounds[disputeId][d.rounds - 1];
        uint8 ruling = _roundRuling(r);
        address loser = ruling == CHALLENGER ? d.defendant : d.challenger;
        // The arbitrable may appeal for a side its funders raised the fee for (crowdfunded appeals, as in Kleros).
        if (msg.sender != loser && msg.sender != address(d.arbitrable)) {
            revert CourtNotLosingParty(disputeId, msg.sender, loser);
        }
        uint256 seats = uint256(r.seats) * 2 + 1;
        uint256 fee = uint256($.params.appealFeePerSeat) * seats;
        d.escrow += uint96(fee);
        $.totalEscrow += uint96(fee);
        bool toDao = d.rounds >= $.params.maxJurorRounds;
        if (fee > 0) $.token.safeTransferFrom(msg.sender, address($.pool), fee);
        emit AppealFunded(disputeId, d.rounds, msg.sender, ruling, fee, toDao);
        if (toDao) {
            d.daoAppellant = msg.sender;
            d.daoAppealFee = uint96(fee);
            _openDaoReview($, disputeId, d);
        } else _openRound($, disputeId, d, seats, fee);
    }

    /// @inheritdoc ICourt
    function executeRuling(uint256 disputeId) external nonReentrant {
        CourtStorage storage $ = _s();
        DisputeRecord storage d = _dispute(disputeId);
        _expectPeriod(disputeId, d, Period.Executable);
        // Only an appeal to the DAO pays a fee (the flag shares the slot read above: the fee's slot is read only then).
        uint256 refund = d.toDao ? d.daoAppealFee : 0;
        if (refund > 0) {
            // The DAO let its review deadline pass: the appellant paid for a decision it never got.
            d.daoAppealFee = 0;
            d.escrow -= uint96(refund);
            $.totalEscrow -= uint96(refund);
            _pay($, d.daoAppellant, refund);
            emit DaoAppealRefunded(disputeId, d.daoAppellant, refund);
        }
        _execute(disputeId, d, _lastJurorRuling(disputeId, d), false);
    }

    /// @inheritdoc ICourt
    function ruleAsDao(uint256 disputeId, uint8 ruling) external onlyTimelock nonReentrant {
        _ruleAsDao(disputeId, ruling);
    }

    /// @inheritdoc ICourt
    function ruleAsDaoBatch(
        uint256[] calldata disputeIds,
        uint8[] calldata rulings
    ) external onlyTimelock nonReentrant {
        // The caller's own arrays bound the loop: a proposal rules what it lists.
        uint256 n = disputeIds.length;
        if (n == 0 || rulings.length != n) revert CourtBatchMismatch(n, rulings.length);
        for (uint256 i; i < n; ++i) _ruleAsDao(disputeIds[i], rulings[i]);
    }

    /// @inheritdoc ICourt
    function settle(
        uint256 disputeId,
        uint256 round,
        address juror
    ) external nonReentrant returns (uint256 reward, uint256 penalty) {
        CourtStorage storage $ = _s();
        DisputeRecord storage d = _dispute(disputeId);
        _expectPeriod(disputeId, d, Period.Executed);
        if (round >= d.rounds) revert CourtRoundNotFound(disputeId, round);
        Vote storage v = $.votes[disputeId][round][juror];
        uint256 seats = v.seats;
        if (seats == 0) revert CourtNotDrawn(disputeId, round, juror);
        if (v.settled) revert CourtAlreadySettled(disputeId, round, juror);
        v.settled = true;
        uint256 unlock = v.lockedStake;
        bool coherent = v.revealed && v.choice == d.ruling;
        // With no coherent seat in the round the penalty was promised to nobody: it is the treasury's.
        bool toTreasury;
        if (coherent) {
            Round storage r = $.rounds[disputeId][round];
            uint256 coherentSeats = r.coherentSeats;
            uint256 settledBefore = r.settledCoherentSeats;
            uint256 pool = r.rewardPool;
            reward = (pool * (settledBefore + seats)) / coherentSeats - (pool * settledBefore) / coherentSeats;
            r.settledCoherentSeats = uint16(settledBefore + seats);
            $.totalRewards -= uint96(reward);
        } else {
            // A seat's penalty never exceeds its lock, which the pool keeps covered by staked + thawing.
            penalty = v.penalty;
            toTreasury = (d.coherentRounds >> round) & 1 == 0;
            if (!toTreasury) $.pendingPenalties -= uint96(penalty);
        }
        $.pool.release(juror, unlock, penalty, reward);
        if (penalty > 0 && toTreasury) _creditTreasury($, disputeId, penalty);
        emit JurorSettled(disputeId, round, juror, coherent, reward, penalty);
    }

    /// @inheritdoc ICourt
    function sweepTreasury() external nonReentrant returns (uint256 amount) {
        CourtStorage storage $ = _s();
        amount = $.treasuryOwed;
        $.treasuryOwed = 0;
        address treasury = timelock();
        _pay($, treasury, amount);
        emit TreasurySwept(treasury, amount);
    }

    /// @inheritdoc ICourt
    function claimDrawRewards(address keeper) external nonReentrant returns (uint256 amount) {
        CourtStorage storage $ = _s();
        amount = $.drawRewards[keeper];
        $.drawRewards[keeper] = 0;
        $.totalEscrow -= uint96(amount);
        _pay($, keeper, amount);
        emit DrawRewardsClaimed(keeper, amount);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc ICourt
    function drawRewardsOf(address keeper) external view returns (uint256) {
        return _s().drawRewards[keeper];
    }

    /// @inheritdoc ICourt
    function arbitrationCost() external view returns (uint256) {
        CourtParameters storage p = _s().params;
        return uint256(p.arbitrationFeePerSeat) * p.firstRoundSeats;
    }

    /// @inheritdoc ICourt
    function appealCost(uint256 disputeId) external view returns (uint256) {
        CourtStorage storage $ = _s();
        DisputeRecord storage d = _dispute(disputeId);
        return uint256($.params.appealFeePerSeat) * ($.rounds[disputeId][d.rounds - 1].seats * 2 + 1);
    }

    /// @inheritdoc ICourt
    function periodOf(uint256 disputeId) external view returns (Period) {
        DisputeRecord storage d = _s().disputes[disputeId];
        if (d.rounds == 0) return Period.None;
        return _period(disputeId, d);
    }

    /// @inheritdoc ICourt
    function currentRuling(uint256 disputeId) external view returns (uint8) {
        DisputeRecord storage d = _dispute(disputeId);
        if (d.executed) return d.ruling;
        return _lastJurorRuling(disputeId, d);
    }

    /// @inheritdoc ICourt
    function getDispute(uint256 disputeId) external view returns (DisputeRecord memory) {
        return _dispute(disputeId);
    }

    /// @inheritdoc ICourt
    function partiesOf(uint256 disputeId) external view returns (address challenger, address defendant) {
        DisputeRecord storage d = _dispute(disputeId);
        return (d.challenger, d.defendant);
    }

    /// @inheritdoc ICourt
    function getRound(uint256 disputeId, uint256 round) external view returns (Round memory) {
        return _s().rounds[disputeId][round];
    }

    /// @inheritdoc ICourt
    function voteOf(uint256 disputeId, uint256 round, address juror) external view returns (Vote memory) {
        return _s().votes[disputeId][round][juror];
    }

    /// @inheritdoc ICourt
    function parameters() external view returns (CourtParameters memory) {
        return _s().params;
    }

    /// @inheritdoc ICourt
    function disputeCount() external view returns (uint256) {
        return _s().disputeCount;
    }

    /// @inheritdoc ICourt
    function isArbitrable(address arbitrable) external view returns (bool) {
        return _s().arbitrables[arbitrable];
    }

    /// @inheritdoc ICourt
    function totalOwed()
        external
        view
        returns (uint256 escrow, uint256 rewards, uint256 pendingPenalties, uint256 treasury)
    {
        CourtStorage storage $ = _s();
        return ($.totalEscrow, $.totalRewards, $.pendingPenalties, $.treasuryOwed);
    }

    /// @inheritdoc ICourt
    function addresses() external view returns (address token, address pool, address randomness) {
        CourtStorage storage $ = _s();
        return (address($.token), address($.pool), address($.randomness));
    }

    // ---------------------------------------------------------------- internal

    /// @dev The jury is complete: the commit, reveal and appeal periods start now.
    function _startVoting(CourtStorage storage $, uint256 disputeId, uint256 roundIndex, Round storage r) private {
        CourtParameters storage p = $.params;
        uint48 commitEnd = Time.timestamp() + p.commitPeriod;
        uint48 revealEnd = commitEnd + p.revealPeriod;
        uint48 appealEnd = revealEnd + p.appealPeriod;
        (r.commitEnd, r.revealEnd, r.appealEnd) = (commitEnd, revealEnd, appealEnd);
        emit RoundDrawn(disputeId, roundIndex, commitEnd, revealEnd, appealEnd);
    }

    /// @dev Up to `iterations` draw attempts from the round's seed; each locks a seat's stake of the juror drawn, or is
    /// skipped when the juror cannot sit. Seat s's attempt a draws with keccak256(seed, s, a): with replacement, and
    /// independent of the other seats, so a juror who makes itself unable to sit (by unstaking once it has seen the
    /// seed) only sends its own seat to a new draw, which it may win again; it cannot move anybody else's seat.
    function _drawSeats(
        CourtStorage storage $,
        uint256 disputeId,
        uint256 roundIndex,
        Round storage r,
        uint256 iterations
    ) private returns (uint256 drawn) {
        uint256 seed = r.randomness.randomness(r.randomnessRequest);
        IStakePool pool = $.pool;
        uint256 filled = r.drawn;
        uint256 attempt = r.drawAttempt;
        uint256 seats = r.seats;
        uint256 seatStake = r.seatStake;
        for (uint256 i; i < iterations && filled < seats; ++i) {
            (address juror, bool seated, ) = pool.drawAndLock(
                uint256(keccak256(abi.encode(seed, filled, attempt))),
                seatStake,
                0
            );
            if (seated) {
                _addSeat($, disputeId, roundIndex, r, juror, filled);
                ++filled;
                ++drawn;
                attempt = 0;
            } else {
                emit DrawSkipped(disputeId, roundIndex, juror, filled, attempt);
                ++attempt;
            }
        }
        r.drawAttempt = uint32(attempt);
        r.drawn = uint16(filled);
    }

    /// @dev Credits whoever drew `drawn` seats with its share of the round's draw reward, out of the round's fees.
    function _rewardKeeper(
        CourtStorage storage $,
        uint256 disputeId,
        DisputeRecord storage d,
        uint256 roundIndex,
        Round storage r,
        uint256 drawn
    ) private {
        // r.fees already lost the rewards of the r.drawn - drawn seats drawn before: the share is taken of what the
        // fees were, so that every seat earns its keeper the same, whichever call drew it.
        uint256 fees = r.fees;
        uint256 bps = $.params.drawRewardBps;
        uint256 reward = (fees * bps * drawn) / (BPS * r.seats - bps * (r.drawn - drawn));
        if (reward == 0) return;
        r.fees = uint128(fees - reward);
        d.escrow -= uint96(reward);
        // Credited, not paid: a payment per draw (a call into the pool, a token transfer) cost each draw ~50,000 gas,
        // a credit ~5,000 once a keeper has one (issue 15). The reward leaves the dispute's escrow but stays in the
        // total until claimed, so the pool keeps owing it (its stray-token sweep cannot take it).
        $.drawRewards[msg.sender] += reward;
        emit DrawRewarded(disputeId, roundIndex, msg.sender, drawn, reward);
    }

    /// @dev The draw deadline passed: the round goes on with the seats it has (its fees are theirs), or, with none, the
    /// dispute goes to the DAO, the last resort. Either way the jurors' pool is no longer held frozen.
    function _expireDraw(
        CourtStorage storage $,
        uint256 disputeId,
        DisputeRecord storage d,
        uint256 roundIndex,
        Round storage r
    ) private {
        uint256 drawn = r.drawn;
        emit DrawExpired(disputeId, roundIndex, drawn, r.seats);
        $.pool.endDraw();
        if (drawn == 0) {
            _openDaoReview($, disputeId, d);
        } else {
            r.seats = uint16(drawn);
            _startVoting($, disputeId, roundIndex, r);
        }
    }

    /// @dev The caller's vote in the dispute's current round, which must be in `period`; the caller must hold a seat.
    function _seat(uint256 disputeId, Period period) private view returns (uint256 roundIndex, Vote storage v) {
        DisputeRecord storage d = _dispute(disputeId);
        _expectPeriod(disputeId, d, period);
        roundIndex = d.rounds - 1;
        v = _s().votes[disputeId][roundIndex][msg.sender];
        if (v.seats == 0) revert CourtNotDrawn(disputeId, roundIndex, msg.sender);
    }

    /// @dev The pool locked one more seat's stake of `juror`: it holds one more seat in the round, and the seat's stake
    /// and penalty join its vote's (one slot, written anyway).
    function _addSeat(
        CourtStorage storage $,
        uint256 disputeId,
        uint256 roundIndex,
        Round storage r,
        address juror,
        uint256 seat
    ) private {
        Vote storage v = $.votes[disputeId][roundIndex][juror];
        uint16 jurorSeats;
        // At most 31 seats a round (MAX_FIRST_ROUND_SEATS, doubled at most 5 times: under 2^16), each's stake and
        // penalty at most 1,000,000 CUR (the parameters' bounds): nothing here can overflow.
        unchecked {
            jurorSeats = v.seats + 1;
            (v.seats, v.lockedStake, v.penalty) = (
                jurorSeats,
                v.lockedStake + r.seatStake,
                v.penalty + r.penaltyPerSeat
            );
        }
        emit JurorDrawn(disputeId, roundIndex, juror, seat, jurorSeats);
    }

    function _openRound(
        CourtStorage storage $,
        uint256 disputeId,
        DisputeRecord storage d,
        uint256 seats,
        uint256 fees
    ) private {
        uint256 roundIndex = d.rounds;
        Round storage r = $.rounds[disputeId][roundIndex];
        CourtParameters storage p = $.params;
        uint256 seatStake = p.seatStake;
        uint256 penaltyPerSeat = (seatStake * p.penaltyBps) / BPS;
        IRandomnessSource source = $.randomness;
        uint256 request = source.requestRandomness();
        // The seed is unknown until the request is served: the pool's weights freeze now, before anyone can know it.
        $.pool.beginDraw();
        uint48 drawDeadline = Time.timestamp() + p.drawPeriod;
        r.drawDeadline = drawDeadline;
        r.seats = uint16(seats);
        r.seatStake = uint96(seatStake);
        r.penaltyPerSeat = uint96(penaltyPerSeat);
        r.fees = uint128(fees);
        r.randomness = source;
        r.randomnessRequest = request;
        d.rounds = uint8(roundIndex + 1);
        emit RoundCreated(
            disputeId,
            roundIndex,
            seats,
            seatStake,
            penaltyPerSeat,
            fees,
            address(source),
            request,
            drawDeadline
        );
    }

    /// @dev Closes the dispute, sends the ruling to its arbitrable (taking the jurors' reward it returns), and sets
    /// every round's reward pool (at most 5 rounds).
    function _execute(uint256 disputeId, DisputeRecord storage d, uint8 ruling, bool byDao) private {
        CourtStorage storage $ = _s();
        // Closed before the arbitrable is called: reentrancy.
        d.executed = true;
        d.ruling = ruling;
        uint256 escrow = d.escrow;
        $.totalEscrow -= uint96(escrow);
        (uint256 jurorReward, uint256 pulled) = _ruleThrough($, disputeId, d.arbitrable, ruling);
        // The treasury takes a DAO appeal's fee, what rounds with no coherent seat left, and the arbitrable's share (the
        // rest of what was pulled). RulingExecuted reports `toTreasury` itself: no TreasuryCredited here. Written
        // even when nothing is set aside: a listing's ruling nearly always sets its treasury share aside.
        uint256 toTreasury = escrow + pulled - _closeRounds($, disputeId, d, ruling, jurorReward);
        $.treasuryOwed += uint96(toTreasury);
        emit RulingExecuted(disputeId, ruling, byDao, jurorReward, toTreasury);
    }

    /// @dev Sends the ruling to the arbitrable and pulls the jurors' reward and the treasury's share it returns, in one
    /// transfer; returns the reward and the whole amount pulled (both zero when nothing was). An arbitrable that
    /// refuses the ruling or its amounts blocks the execution while the DAO approves it (a failure to fix, then
    /// retry); once the DAO revokes it, its dispute closes without it, so that no arbitrable can keep the jurors' stake
    /// locked for ever. Amounts whose sum wraps are refused like an unpaid reward: an overflow would revert the
    /// execution, for ever; a sum paid is at most the supply, so the totals it joins cannot overflow.
    /// The call is by hand, for the same reason: a try-call reverts outside its catch on an answer that does not
    /// decode (none, one word) or on an address with no code, and copies the whole of a revert reason (or moves the
    /// free memory pointer past the whole of an answer), whose memory the arbitrable writes with 63/64 of the gas and
    /// the court pays as much for with 1/64: out of gas at any limit. Here the court keeps at most two words and
    /// accepts only an answer of two words or more; anything else is a refusal. The arbitrable gets {RULE_GAS} (what it
    /// can burn is bounded); a failure counts as the refusal of a revoked arbitrable only if the court could forward
    /// all of it, else the execution reverts as for an approved one: no keeper can starve a revoked arbitrable's rule
    /// of gas to close its dispute without the ruling. No extcodesize check or decoding: cheaper than the try-call.
    function _ruleThrough(
        CourtStorage storage $,
        uint256 disputeId,
        IArbitrable arbitrable,
        uint8 ruling
    ) private returns (uint256, uint256) {
        uint256 gasBefore = gasleft();
        bool reverted;
        bool answered;
        uint256 jurorReward;
        uint256 share;
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, shl(224, 0x311a6c56)) // IArbitrable.rule.selector
            mstore(add(m, 4), disputeId)
            mstore(add(m, 36), ruling)
            let ok := call(RULE_GAS, arbitrable, 0, m, 68, m, 64)
            reverted := iszero(ok)
            answered := and(ok, gt(returndatasize(), 63))
            jurorReward := mload(m)
            share := mload(add(m, 32))
        }
        if (answered) {
            // A sum that wraps is refused; one paid is at most the supply, and so is each part (a transfer of nothing
            // needs no allowance).
            uint256 sum;
            unchecked {
                sum = jurorReward + share;
            }
            if (sum >= jurorReward && $.token.trySafeTransferFrom(address(arbitrable), address($.pool), sum)) {
                return (jurorReward, sum);
            }
        }
        if (gasBefore < RULE_GAS_BEFORE || $.arbitrables[address(arbitrable)]) {
            assembly ("memory-safe") {
                // The arbitrable's own reason, if it reverted with one (the transfer's is never bubbled).
                if and(reverted, gt(returndatasize(), 0)) {
                    let m := mload(0x40)
                    returndatacopy(m, 0, returndatasize())
                    revert(m, returndatasize())
                }
            }
            revert CourtRulingRefused(disputeId, address(arbitrable));
        }
        emit RulingNotApplied(disputeId, address(arbitrable));
        return (0, 0);
    }

    /// @dev Sets each round's coherent seats and reward pool: its fees, its absent and incoherent seats' penalties,
    /// and for the last round the jurors' reward. Returns the fees and reward put into pools.
    function _closeRounds(
        CourtStorage storage $,
        uint256 disputeId,
        DisputeRecord storage d,
        uint8 ruling,
        uint256 jurorReward
    ) private returns (uint256 pooled) {
        uint256 rewards;
        uint256 penalties;
        uint256 coherentRounds;
        uint256 rounds = d.rounds;
        for (uint256 i; i < rounds; ++i) {
            Round storage r = $.rounds[disputeId][i];
            uint256 coherent = ruling == CHALLENGER ? r.challengerVotes : r.defendantVotes;
            uint256 pool;
            if (coherent > 0) {
                uint256 roundPenalties = (r.seats - coherent) * uint256(r.penaltyPerSeat);
                uint256 funded = r.fees + (i == rounds - 1 ? jurorReward : 0);
                pooled += funded;
                pool = funded + roundPenalties;
                penalties += roundPenalties;
                rewards += pool;
                // Zero until now: a round with no coherent seat need not write the slot (issue 15's settle moved it
                // next to the seat stake, which such a round does not read here), nor its reward pool, which stays
                // zero (an appealed round's no-op write cost a cold read: -2,200 on a two-round ruling).
                r.coherentSeats = uint16(coherent);
                r.rewardPool = uint128(pool);
                coherentRounds |= 1 << i;
            }
            emit RoundRewardsSet(disputeId, i, coherent, pool);
        }
        // In the slot the ruling was just written to (at most 5 rounds: the bits fit).
        d.coherentRounds = uint8(coherentRounds);
        $.totalRewards += uint96(rewards);
        $.pendingPenalties += uint96(penalties);
    }

    /// @dev One call site for every payment out of the court's funds in the pool (bytecode: issue 15).
    function _pay(CourtStorage storage $, address to, uint256 amount) private {
        if (amount > 0) $.pool.pay(to, amount);
    }

    function _creditTreasury(CourtStorage storage $, uint256 disputeId, uint256 amount) private {
        uint256 owed = $.treasuryOwed + amount;
        $.treasuryOwed = uint96(owed);
        emit TreasuryCredited(disputeId, amount, owed);
    }

    function _period(uint256 disputeId, DisputeRecord storage d) private view returns (Period) {
        if (d.executed) return Period.Executed;
        if (d.toDao) return Time.timestamp() < d.daoDeadline ? Period.DaoReview : Period.Executable;
        Round storage r = _s().rounds[disputeId][d.rounds - 1];
        if (r.drawn < r.seats) return Period.Drawing;
        uint48 now_ = Time.timestamp();
        if (now_ < r.commitEnd) return Period.Commit;
        if (now_ < r.revealEnd) return Period.Reveal;
        if (now_ < r.appealEnd) return Period.Appeal;
        return Period.Executable;
    }

    function _expectPeriod(uint256 disputeId, DisputeRecord storage d, Period expected) private view {
        Period current = _period(disputeId, d);
        if (current != expected) revert CourtWrongPeriod(disputeId, current, expected);
    }

    function _ruleAsDao(uint256 disputeId, uint8 ruling) private {
        DisputeRecord storage d = _dispute(disputeId);
        _expectPeriod(disputeId, d, Period.DaoReview);
        if (ruling != CHALLENGER && ruling != DEFENDANT) revert CourtInvalidChoice(ruling);
        _execute(disputeId, d, ruling, true);
    }

    /// @dev The dispute goes to the DAO, for the governed review period at most.
    function _openDaoReview(CourtStorage storage $, uint256 disputeId, DisputeRecord storage d) private {
        uint48 deadline = Time.timestamp() + $.params.daoReviewPeriod;
        d.toDao = true;
        d.daoDeadline = deadline;
        emit DaoReviewOpened(disputeId, deadline);
    }

    /// @dev The ruling of the last round any juror sat in (a round whose draw expired with no seat has none); the
    /// defendant's when no juror ever sat. At most {MAX_JUROR_ROUNDS} rounds.
    function _lastJurorRuling(uint256 disputeId, DisputeRecord storage d) private view returns (uint8) {
        mapping(uint256 => Round) storage rounds = _s().rounds[disputeId];
        for (uint256 i = d.rounds; i > 0; --i) {
            Round storage r = rounds[i - 1];
            if (r.drawn > 0) return _roundRuling(r);
        }
        return DEFENDANT;
    }

    /// @dev Majority of revealed seats; a tie (no reveal at all included) rules for the defendant.
    function _roundRuling(Round storage r) private view returns (uint8) {
        return r.challengerVotes > r.defendantVotes ? CHALLENGER : DEFENDANT;
    }

    function _dispute(uint256 disputeId) private view returns (DisputeRecord storage d) {
        d = _s().disputes[disputeId];
        if (d.rounds == 0) revert CourtDisputeNotFound(disputeId);
    }

    function _checkBounds(bytes32 parameter, uint256 value, uint256 min, uint256 max) private pure {
        if (value < min || value > max) revert CourtParameterOutOfBounds(parameter, value, min, max);
    }

    /// @dev Takes the figures in memory (the external setters decode them there): the bounds checks, the event and
    /// the store then share the memory struct's code, ~450 bytes smaller than from calldata (issue 15).
    function _setParameters(CourtParameters memory n) private {
        _checkBounds("seatStake", n.seatStake, 1 ether, 1_000_000 ether);
        _checkBounds("arbitrationFeePerSeat", n.arbitrationFeePerSeat, 0, 100_000 ether);
        _checkBounds("appealFeePerSeat", n.appealFeePerSeat, 0, 100_000 ether);
        _checkBounds("commitPeriod", n.commitPeriod, 1 minutes, 30 days);
        _checkBounds("revealPeriod", n.revealPeriod, 1 minutes, 30 days);
        _checkBounds("appealPeriod", n.appealPeriod, 1 minutes, 30 days);
        // Odd, so that a full jury cannot tie.
        uint256 seats = n.firstRoundSeats;
        if (seats % 2 == 0) revert CourtParameterOutOfBounds("firstRoundSeats", seats, 1, MAX_FIRST_ROUND_SEATS);
        _checkBounds("firstRoundSeats", seats, 1, MAX_FIRST_ROUND_SEATS);
        _checkBounds("maxJurorRounds", n.maxJurorRounds, 1, MAX_JUROR_ROUNDS);
        _checkBounds("penaltyBps", n.penaltyBps, 0, BPS);
        _checkBounds("drawPeriod", n.drawPeriod, 10 minutes, 30 days);
        _checkBounds("drawRewardBps", n.drawRewardBps, 0, MAX_DRAW_REWARD_BPS);
        _checkBounds("daoReviewPeriod", n.daoReviewPeriod, 1 hours, 90 days);
        CourtStorage storage $ = _s();
        emit CourtParametersSet($.params, n);
        $.params = n;
    }

    function _setRandomnessSource(IRandomnessSource newSource) private {
        if (address(newSource) == address(0)) revert GovernedZeroAddress("randomness");
        CourtStorage storage $ = _s();
        emit RandomnessSourceSet(address($.randomness), address(newSource));
        $.randomness = newSource;
    }

    /// @inheritdoc IStakePoolManager
    /// @dev The court's funds in the jurors' pool ({totalOwed}): penalties still pending sit in locked stakes.
    function poolFundsOwed() external view returns (uint256) {
        CourtStorage storage $ = _s();
        return $.totalEscrow + $.totalRewards + $.treasuryOwed - $.pendingPenalties;
    }

    /// @dev Every payment into the court goes straight to the jurors' pool: whatever the court itself holds is stray.
    function _owedIn(address) internal pure override returns (uint256) {
        return 0;
    }

    function _s() private pure returns (CourtStorage storage $) {
        assembly {
            $.slot := COURT_STORAGE
        }
    }
}
