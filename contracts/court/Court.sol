// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";
import {GovernedUpgradeable} from "../governance/GovernedUpgradeable.sol";
import {ICourt} from "../interfaces/ICourt.sol";
import {ICurationPool} from "../interfaces/ICurationPool.sol";
import {IListingRegistry} from "../interfaces/IListingRegistry.sol";
import {IRandomnessSource} from "../interfaces/IRandomnessSource.sol";
import {SortitionSumTree} from "../libraries/SortitionSumTree.sol";

/// @title Court
/// @notice See {ICourt}. Holds juror stakes, challenge bonds, fees and unpaid rewards. Every operation is O(1) or
/// O(log n) in the number of jurors: a draw costs one tree walk per seat, and rewards and penalties are settled per
/// juror by {settle}, never by a loop over a jury. The only loops run over a round's seats (bounded by the caller's
/// `iterations`) and over a dispute's rounds (bounded by the governed maximum, at most 5).
/// @dev Rounding: a coherent seat's reward is floor(pool × seats / coherentSeats); the juror who settles the last
/// coherent seats receives the remainder, so a pool is always paid out exactly. Bond splits round down for the winner
/// and the jurors; the treasury takes the remainder.
contract Court is ICourt, GovernedUpgradeable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using SortitionSumTree for SortitionSumTree.Tree;

    // ---------------------------------------------------------------- types and storage

    /// @custom:storage-location erc7201:curia.storage.Court
    struct CourtStorage {
        IERC20 token;
        IListingRegistry registry;
        ICurationPool curationPool;
        IRandomnessSource randomness;
        CourtParameters params;
        uint256 disputeCount;
        uint256 metaEvidenceCount;
        uint256 listingMetaEvidenceId;
        SortitionSumTree.Tree tree;
        mapping(address juror => Juror) jurors;
        mapping(uint256 disputeId => DisputeRecord) disputes;
        mapping(uint256 disputeId => mapping(uint256 round => Round)) rounds;
        mapping(uint256 disputeId => mapping(uint256 round => mapping(address juror => Vote))) votes;
        uint256 totalStaked;
        uint256 totalEscrow;
        uint256 totalRewards;
        uint256 pendingPenalties;
    }

    // keccak256(abi.encode(uint256(keccak256("curia.storage.Court")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant COURT_STORAGE = 0xcce2dfbe7427409fbe08b0858f96b3bd1cf18d172a91df88a59b001d9b4f2100;

    uint8 public constant CHALLENGER = 1;
    uint8 public constant DEFENDANT = 2;
    /// @dev Tree weights are stakes in whole CUR (the tree's 32-bit sums hold 4.29e9 CUR, more than the CUR cap).
    uint256 public constant WEIGHT_UNIT = 1e18;
    uint256 private constant BPS = 10_000;
    uint256 public constant MAX_URI_LENGTH = 2_048;
    uint256 public constant MAX_FIRST_ROUND_SEATS = 31;
    uint256 public constant MAX_JUROR_ROUNDS = 5;

    // ---------------------------------------------------------------- initializer

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Sets up the court.
    /// @param token_ The CUR token.
    /// @param timelock_ The DAO timelock: parameters, upgrades, final rulings, and the treasury.
    /// @param registry_ The ListingRegistry whose listings are challenged here (the court must hold its court role).
    /// @param curationPool_ The CurationPool whose curators are slashed (the court must be its slasher).
    /// @param randomness_ The randomness source of jury draws.
    /// @param params_ Initial figures, checked against the same bounds as {setParameters}.
    /// @param listingMetaEvidenceURI The policy jurors apply to listing challenges (ERC-1497 meta-evidence).
    function initialize(
        IERC20 token_,
        address timelock_,
        IListingRegistry registry_,
        ICurationPool curationPool_,
        IRandomnessSource randomness_,
        CourtParameters calldata params_,
        string calldata listingMetaEvidenceURI
    ) external initializer {
        if (address(token_) == address(0)) revert GovernedZeroAddress("token");
        if (address(registry_) == address(0)) revert GovernedZeroAddress("registry");
        if (address(curationPool_) == address(0)) revert GovernedZeroAddress("curationPool");
        __Governed_init(timelock_);
        CourtStorage storage $ = _s();
        $.token = token_;
        $.registry = registry_;
        $.curationPool = curationPool_;
        _setRandomnessSource(randomness_);
        _setParameters(params_);
        _setListingMetaEvidence(listingMetaEvidenceURI);
    }

    // ---------------------------------------------------------------- governance setters

    /// @notice Replaces every governed figure at once (bounds checked). Live rounds keep their seat stake, penalty
    /// and periods; bond shares apply to disputes executed from now on. Emits {CourtParametersSet}.
    function setParameters(CourtParameters calldata newParameters) external onlyTimelock {
        _setParameters(newParameters);
    }

    /// @notice Sets the randomness source of rounds opened from now on. Emits {RandomnessSourceSet}.
    function setRandomnessSource(IRandomnessSource newSource) external onlyTimelock {
        _setRandomnessSource(newSource);
    }

    /// @notice Announces a new policy for listing challenges opened from now on.
    /// Emits {MetaEvidence} and {ListingMetaEvidenceSet}.
    function setListingMetaEvidence(string calldata uri) external onlyTimelock {
        _setListingMetaEvidence(uri);
    }

    // ---------------------------------------------------------------- jurors

    /// @inheritdoc ICourt
    function stake(uint256 amount) external nonReentrant {
        _stake(msg.sender, amount);
    }

    /// @inheritdoc ICourt
    function stakeFor(address juror, uint256 amount) external nonReentrant {
        if (juror == address(0)) revert GovernedZeroAddress("juror");
        Juror storage j = _s().jurors[juror];
        if (j.staked != 0 || j.thawing != 0 || j.locked != 0) revert CourtJurorHasPosition(juror);
        _stake(juror, amount);
    }

    /// @inheritdoc ICourt
    function requestUnstake(uint256 amount) external {
        CourtStorage storage $ = _s();
        Juror storage j = $.jurors[msg.sender];
        if (amount == 0) revert CourtZeroAmount();
        if (amount > j.staked) revert CourtInsufficientStake(amount, j.staked);
        uint256 rest = j.staked - amount;
        uint256 minimum = $.params.minJurorStake;
        if (rest != 0 && rest < minimum) revert CourtStakeTooLow(rest, minimum);
        j.staked = uint128(rest);
        j.thawing += uint128(amount);
        uint48 thawEnd = Time.timestamp() + $.params.thawingPeriod;
        j.thawEnd = thawEnd;
        _updateWeight($, msg.sender, rest);
        emit JurorUnstakeRequested(msg.sender, amount, rest, j.thawing, thawEnd);
    }

    /// @inheritdoc ICourt
    function withdraw() external nonReentrant returns (uint256 amount) {
        CourtStorage storage $ = _s();
        Juror storage j = $.jurors[msg.sender];
        uint256 thawing = j.thawing;
        if (thawing == 0 || Time.timestamp() < j.thawEnd) revert CourtNothingToWithdraw(msg.sender, thawing, j.thawEnd);
        // Locks are covered by staked + thawing; whatever they do not cover may leave.
        uint256 free = uint256(j.staked) + thawing - j.locked;
        amount = free < thawing ? free : thawing;
        if (amount == 0) revert CourtStakeLocked(msg.sender, j.locked);
        j.thawing = uint128(thawing - amount);
        $.totalStaked -= amount;
        $.token.safeTransfer(msg.sender, amount);
        emit JurorStakeWithdrawn(msg.sender, amount, thawing - amount);
    }

    // ---------------------------------------------------------------- disputes

    /// @inheritdoc ICourt
    function challengeListing(
        uint256 listingId,
        uint256 bond,
        string calldata evidenceURI
    ) external nonReentrant returns (uint256 disputeId) {
        CourtStorage storage $ = _s();
        CourtParameters storage p = $.params;
        if (bond < p.minChallengeBond || bond > type(uint128).max) revert CourtBondTooLow(bond, p.minChallengeBond);
        _checkURI(evidenceURI);
        disputeId = ++$.disputeCount;
        if ($.tree.totalWeight() == 0) revert CourtNoJurors(disputeId);
        address defendant = $.registry.getListing(listingId).provider;
        uint256 seats = p.firstRoundSeats;
        uint256 fee = uint256(p.arbitrationFeePerSeat) * seats;

        DisputeRecord storage d = $.disputes[disputeId];
        d.challenger = msg.sender;
        d.defendant = defendant;
        d.createdAt = Time.timestamp();
        d.subjectId = listingId;
        d.metaEvidenceId = $.listingMetaEvidenceId;
        d.challengerBond = uint128(bond);
        d.escrow = uint128(bond + fee);
        $.totalEscrow += bond + fee;

        $.registry.onChallengeOpened(listingId, disputeId);
        $.token.safeTransferFrom(msg.sender, address(this), bond + fee);
        emit DisputeCreated(disputeId, address($.registry), listingId, msg.sender, defendant, bond, fee, seats);
        emit Dispute(address(this), disputeId, d.metaEvidenceId, disputeId);
        emit Evidence(address(this), disputeId, msg.sender, evidenceURI);
        _openRound($, disputeId, d, seats, fee);
    }

    /// @inheritdoc ICourt
    function submitEvidence(uint256 disputeId, string calldata evidenceURI) external {
        DisputeRecord storage d = _dispute(disputeId);
        if (d.executed) revert CourtDisputeClosed(disputeId);
        _checkURI(evidenceURI);
        emit Evidence(address(this), disputeId, msg.sender, evidenceURI);
    }

    /// @inheritdoc ICourt
    function draw(uint256 disputeId, uint256 iterations) external nonReentrant returns (uint256 drawn) {
        CourtStorage storage $ = _s();
        DisputeRecord storage d = _dispute(disputeId);
        if (iterations == 0) revert CourtZeroIterations();
        _expectPeriod(disputeId, d, Period.Drawing);
        uint256 roundIndex = d.rounds - 1;
        Round storage r = $.rounds[disputeId][roundIndex];
        uint256 total = $.tree.totalWeight();
        if (total == 0) revert CourtNoJurors(disputeId);
        uint256 seed = r.randomness.randomness(r.randomnessRequest);

        uint256 seats = r.seats;
        uint256 filled = r.drawn;
        uint256 nonce = r.drawNonce;
        for (uint256 i; i < iterations && filled < seats; ++i) {
            address juror = $.tree.draw(uint256(keccak256(abi.encode(seed, nonce))) % total);
            if (_takeSeat($, disputeId, roundIndex, juror, r.seatStake, filled)) {
                ++filled;
                ++drawn;
            } else {
                emit DrawSkipped(disputeId, roundIndex, juror, nonce);
            }
            ++nonce;
        }
        r.drawNonce = uint64(nonce);
        r.drawn = uint16(filled);
        if (filled == seats) _startVoting($, disputeId, roundIndex, r);
    }

    /// @inheritdoc ICourt
    function commit(uint256 disputeId, bytes32 commitment) external {
        DisputeRecord storage d = _dispute(disputeId);
        _expectPeriod(disputeId, d, Period.Commit);
        uint256 roundIndex = d.rounds - 1;
        Vote storage v = _s().votes[disputeId][roundIndex][msg.sender];
        if (v.seats == 0) revert CourtNotDrawn(disputeId, roundIndex, msg.sender);
        if (v.commitment != bytes32(0)) revert CourtAlreadyCommitted(disputeId, roundIndex, msg.sender);
        if (commitment == bytes32(0)) revert CourtInvalidCommitment();
        v.commitment = commitment;
        _s().rounds[disputeId][roundIndex].committed += v.seats;
        emit VoteCommitted(disputeId, roundIndex, msg.sender, v.seats, commitment);
    }

    /// @inheritdoc ICourt
    function reveal(uint256 disputeId, uint8 choice, bytes32 salt) external {
        DisputeRecord storage d = _dispute(disputeId);
        _expectPeriod(disputeId, d, Period.Reveal);
        uint256 roundIndex = d.rounds - 1;
        Vote storage v = _s().votes[disputeId][roundIndex][msg.sender];
        if (v.seats == 0) revert CourtNotDrawn(disputeId, roundIndex, msg.sender);
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
        if (msg.sender != loser) revert CourtNotLosingParty(disputeId, msg.sender, loser);
        uint256 seats = uint256(r.seats) * 2 + 1;
        uint256 fee = uint256($.params.appealFeePerSeat) * seats;
        d.escrow += uint128(fee);
        $.totalEscrow += fee;
        bool toDao = d.rounds >= $.params.maxJurorRounds;
        $.token.safeTransferFrom(msg.sender, address(this), fee);
        emit AppealFunded(disputeId, d.rounds, msg.sender, ruling, fee, toDao);
        if (toDao) d.toDao = true;
        else _openRound($, disputeId, d, seats, fee);
    }

    /// @inheritdoc ICourt
    function executeRuling(uint256 disputeId) external nonReentrant {
        DisputeRecord storage d = _dispute(disputeId);
        _expectPeriod(disputeId, d, Period.Executable);
        _execute(disputeId, d, _roundRuling(_s().rounds[disputeId][d.rounds - 1]), false);
    }

    /// @inheritdoc ICourt
    function ruleAsDao(uint256 disputeId, uint8 ruling) external onlyTimelock nonReentrant {
        DisputeRecord storage d = _dispute(disputeId);
        _expectPeriod(disputeId, d, Period.DaoReview);
        if (ruling != CHALLENGER && ruling != DEFENDANT) revert CourtInvalidChoice(ruling);
        _execute(disputeId, d, ruling, true);
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
        Round storage r = $.rounds[disputeId][round];
        Juror storage j = $.jurors[juror];
        j.locked -= uint128(seats * r.seatStake);
        if (v.revealed && v.choice == d.ruling) {
            uint256 settledSeats = r.settledCoherentSeats + seats;
            reward =
                settledSeats == r.coherentSeats
                    ? r.rewardPool - r.rewardPaid
                    : (uint256(r.rewardPool) * seats) / r.coherentSeats;
            r.settledCoherentSeats = uint16(settledSeats);
            r.rewardPaid += uint128(reward);
            $.totalRewards -= reward;
            if (reward > 0) $.token.safeTransfer(juror, reward);
        } else {
            penalty = seats * r.penaltyPerSeat;
            // Locks never exceed staked + thawing, and a seat's penalty never exceeds its lock: this cannot underflow.
            uint256 fromStaked = penalty < j.staked ? penalty : j.staked;
            if (fromStaked > 0) {
                j.staked -= uint128(fromStaked);
                _updateWeight($, juror, j.staked);
            }
            j.thawing -= uint128(penalty - fromStaked);
            $.totalStaked -= penalty;
            // With no coherent seat the penalty was promised to nobody: it goes to the treasury now.
            if (r.coherentSeats == 0) {
                if (penalty > 0) $.token.safeTransfer(timelock(), penalty);
            } else {
                $.pendingPenalties -= penalty;
            }
        }
        emit JurorSettled(disputeId, round, juror, reward > 0 || penalty == 0, reward, penalty, j.staked, j.thawing);
    }

    // ---------------------------------------------------------------- views

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
        return _roundRuling(_s().rounds[disputeId][d.rounds - 1]);
    }

    /// @inheritdoc ICourt
    function getDispute(uint256 disputeId) external view returns (DisputeRecord memory) {
        return _dispute(disputeId);
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
    function jurorOf(address juror) external view returns (Juror memory) {
        return _s().jurors[juror];
    }

    /// @inheritdoc ICourt
    function drawWeight(address juror) external view returns (uint256 weight, uint256 totalWeight) {
        CourtStorage storage $ = _s();
        return ($.tree.weightOf(juror), $.tree.totalWeight());
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
    function totalOwed()
        external
        view
        returns (uint256 stakes, uint256 escrow, uint256 rewards, uint256 pendingPenalties)
    {
        CourtStorage storage $ = _s();
        return ($.totalStaked, $.totalEscrow, $.totalRewards, $.pendingPenalties);
    }

    /// @notice The token, the registry, the curation pool, the randomness source and the listing meta-evidence id.
    function addresses()
        external
        view
        returns (address token, address registry, address curationPool, address randomness, uint256 metaEvidenceId)
    {
        CourtStorage storage $ = _s();
        return (
            address($.token),
            address($.registry),
            address($.curationPool),
            address($.randomness),
            $.listingMetaEvidenceId
        );
    }

    // ---------------------------------------------------------------- internal

    function _stake(address juror, uint256 amount) private {
        CourtStorage storage $ = _s();
        if (amount == 0) revert CourtZeroAmount();
        Juror storage j = $.jurors[juror];
        uint256 staked = j.staked + amount;
        uint256 minimum = $.params.minJurorStake;
        if (staked < minimum) revert CourtStakeTooLow(staked, minimum);
        j.staked = SafeCast.toUint128(staked);
        $.totalStaked += amount;
        _updateWeight($, juror, staked);
        $.token.safeTransferFrom(msg.sender, address(this), amount);
        emit JurorStaked(juror, msg.sender, amount, staked);
    }

    /// @dev The jury is complete: the commit, reveal and appeal periods start now.
    function _startVoting(CourtStorage storage $, uint256 disputeId, uint256 roundIndex, Round storage r) private {
        CourtParameters storage p = $.params;
        uint48 commitEnd = Time.timestamp() + p.commitPeriod;
        uint48 revealEnd = commitEnd + p.revealPeriod;
        uint48 appealEnd = revealEnd + p.appealPeriod;
        (r.commitEnd, r.revealEnd, r.appealEnd) = (commitEnd, revealEnd, appealEnd);
        emit RoundDrawn(disputeId, roundIndex, commitEnd, revealEnd, appealEnd);
    }

    /// @dev Gives `juror` one more seat if its drawable stake covers one more seat's stake at risk.
    function _takeSeat(
        CourtStorage storage $,
        uint256 disputeId,
        uint256 roundIndex,
        address juror,
        uint256 seatStake,
        uint256 seat
    ) private returns (bool) {
        Juror storage j = $.jurors[juror];
        uint256 locked = uint256(j.locked) + seatStake;
        if (locked > j.staked) return false;
        j.locked = uint128(locked);
        Vote storage v = $.votes[disputeId][roundIndex][juror];
        uint16 jurorSeats = v.seats + 1;
        v.seats = jurorSeats;
        emit JurorDrawn(disputeId, roundIndex, juror, seat, jurorSeats, locked);
        return true;
    }

    function _updateWeight(CourtStorage storage $, address juror, uint256 staked) private {
        $.tree.set(juror, uint64(staked / WEIGHT_UNIT));
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
        uint256 seatStake = p.minJurorStake;
        uint256 penaltyPerSeat = (seatStake * p.penaltyBps) / BPS;
        IRandomnessSource source = $.randomness;
        uint256 request = source.requestRandomness();
        r.seats = uint16(seats);
        r.seatStake = uint128(seatStake);
        r.penaltyPerSeat = uint128(penaltyPerSeat);
        r.fees = uint128(fees);
        r.randomness = source;
        r.randomnessRequest = request;
        d.rounds = uint8(roundIndex + 1);
        emit RoundCreated(disputeId, roundIndex, seats, seatStake, penaltyPerSeat, fees, address(source), request);
    }

    /// @dev Resolves the listing, splits the loser's stake, and sets every round's reward pool (at most 5 rounds).
    function _execute(uint256 disputeId, DisputeRecord storage d, uint8 ruling, bool byDao) private {
        CourtStorage storage $ = _s();
        d.executed = true;
        d.ruling = ruling;
        uint256 escrow = d.escrow;
        $.totalEscrow -= escrow;
        bool delist = ruling == CHALLENGER;
        (address winner, uint256 loserStake, uint256 curatorSlash, uint256 refund) = _resolveListing(
            $,
            disputeId,
            d,
            delist
        );
        uint256 toWinner = (loserStake * $.params.winnerShareBps) / BPS;
        uint256 toJurors = (loserStake * $.params.jurorShareBps) / BPS;
        // The treasury takes the rounding remainder, a DAO appeal's fee, and what rounds with no coherent seat left.
        uint256 toTreasury =
            loserStake -
                toWinner +
                (escrow - d.challengerBond) -
                _closeRounds($, disputeId, d.rounds, delist, toJurors);
        if (toWinner + refund > 0) $.token.safeTransfer(winner, toWinner + refund);
        if (toTreasury > 0) $.token.safeTransfer(timelock(), toTreasury);
        emit RulingExecuted(disputeId, ruling, byDao, winner, loserStake, curatorSlash, toWinner, toJurors, toTreasury);
    }

    /// @dev Tells the registry; on a delisting, takes the provider's bond and slashes the curators.
    function _resolveListing(
        CourtStorage storage $,
        uint256 disputeId,
        DisputeRecord storage d,
        bool delist
    ) private returns (address winner, uint256 loserStake, uint256 curatorSlash, uint256 refund) {
        uint256 bondSlashed = $.registry.onChallengeResolved(d.subjectId, disputeId, delist);
        if (delist) {
            curatorSlash = $.curationPool.slash(d.subjectId, address(this));
            return (d.challenger, bondSlashed + curatorSlash, curatorSlash, d.challengerBond);
        }
        return (d.defendant, d.challengerBond, 0, 0);
    }

    /// @dev Sets each round's coherent seats and reward pool: its fees, its absent and incoherent seats' penalties,
    /// and for the last round the jurors' share of the loser's stake. Returns the fees and share put into pools.
    function _closeRounds(
        CourtStorage storage $,
        uint256 disputeId,
        uint256 rounds,
        bool delist,
        uint256 toJurors
    ) private returns (uint256 pooled) {
        uint256 rewards;
        uint256 penalties;
        for (uint256 i; i < rounds; ++i) {
            Round storage r = $.rounds[disputeId][i];
            uint256 coherent = delist ? r.challengerVotes : r.defendantVotes;
            uint256 pool;
            if (coherent > 0) {
                uint256 roundPenalties = (r.seats - coherent) * uint256(r.penaltyPerSeat);
                uint256 funded = r.fees + (i == rounds - 1 ? toJurors : 0);
                pooled += funded;
                pool = funded + roundPenalties;
                penalties += roundPenalties;
                rewards += pool;
            }
            r.coherentSeats = uint16(coherent);
            r.rewardPool = uint128(pool);
            emit RoundRewardsSet(disputeId, i, coherent, pool);
        }
        $.totalRewards += rewards;
        $.pendingPenalties += penalties;
    }

    function _period(uint256 disputeId, DisputeRecord storage d) private view returns (Period) {
        if (d.executed) return Period.Executed;
        if (d.toDao) return Period.DaoReview;
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

    /// @dev Majority of revealed seats; a tie (no reveal at all included) rules for the defendant.
    function _roundRuling(Round storage r) private view returns (uint8) {
        return r.challengerVotes > r.defendantVotes ? CHALLENGER : DEFENDANT;
    }

    function _dispute(uint256 disputeId) private view returns (DisputeRecord storage d) {
        d = _s().disputes[disputeId];
        if (d.rounds == 0) revert CourtDisputeNotFound(disputeId);
    }

    function _checkURI(string calldata uri) private pure {
        uint256 length = bytes(uri).length;
        if (length == 0 || length > MAX_URI_LENGTH) revert CourtInvalidURI(length, MAX_URI_LENGTH);
    }

    function _checkBounds(bytes32 parameter, uint256 value, uint256 min, uint256 max) private pure {
        if (value < min || value > max) revert CourtParameterOutOfBounds(parameter, value, min, max);
    }

    function _setParameters(CourtParameters calldata n) private {
        _checkBounds("minJurorStake", n.minJurorStake, 1 ether, 1_000_000 ether);
        _checkBounds("minChallengeBond", n.minChallengeBond, 1 ether, 10_000_000 ether);
        _checkBounds("arbitrationFeePerSeat", n.arbitrationFeePerSeat, 0, 100_000 ether);
        _checkBounds("appealFeePerSeat", n.appealFeePerSeat, 0, 100_000 ether);
        _checkBounds("thawingPeriod", n.thawingPeriod, 1 hours, 90 days);
        _checkBounds("commitPeriod", n.commitPeriod, 1 minutes, 30 days);
        _checkBounds("revealPeriod", n.revealPeriod, 1 minutes, 30 days);
        _checkBounds("appealPeriod", n.appealPeriod, 1 minutes, 30 days);
        // Odd, so that a full jury cannot tie.
        uint256 seats = n.firstRoundSeats;
        if (seats % 2 == 0) revert CourtParameterOutOfBounds("firstRoundSeats", seats, 1, MAX_FIRST_ROUND_SEATS);
        _checkBounds("firstRoundSeats", seats, 1, MAX_FIRST_ROUND_SEATS);
        _checkBounds("maxJurorRounds", n.maxJurorRounds, 1, MAX_JUROR_ROUNDS);
        _checkBounds("penaltyBps", n.penaltyBps, 0, BPS);
        uint256 shares = uint256(n.winnerShareBps) + n.jurorShareBps + n.treasuryShareBps;
        _checkBounds("shareSum", shares, BPS, BPS);
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

    function _setListingMetaEvidence(string calldata uri) private {
        _checkURI(uri);
        CourtStorage storage $ = _s();
        uint256 id = ++$.metaEvidenceCount;
        emit MetaEvidence(id, uri);
        emit ListingMetaEvidenceSet($.listingMetaEvidenceId, id);
        $.listingMetaEvidenceId = id;
    }

    function _s() private pure returns (CourtStorage storage $) {
        assembly {
            $.slot := COURT_STORAGE
        }
    }
}
