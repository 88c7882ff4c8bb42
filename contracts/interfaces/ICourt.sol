// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IRandomnessSource} from "./IRandomnessSource.sol";

/// @title ICourt
/// @notice Curia's arbitration court. Jurors stake CUR and are drawn into disputes weighted by stake (sum tree,
/// O(log n)); each seat locks a fixed stake at risk until the dispute is settled. A round is commit → reveal →
/// appeal; the ruling is the majority of revealed seats. The losing side may appeal to a round of 2n + 1 seats; after
/// the last governed juror round an appeal goes to the DAO, whose timelock rules. Jurors settle their own votes (O(1)
/// each): coherent seats share the round's fees and penalties (and, in the last juror round, the jurors' share of
/// the loser's stake); incoherent and absent seats lose a governed fraction of their stake at risk.
///
/// Rulings: 1 = the challenger wins (the listing is delisted), 2 = the defendant wins (the listing stays).
/// A tie — including a round where nobody revealed — rules for the defendant: the challenger carries the burden of
/// proof, and the status quo stands.
interface ICourt {
    // ------------------------------------------------------------------ types

    /// @notice Where a dispute stands. `Drawing` → `Commit` → `Reveal` → `Appeal` → (`Drawing` of the next round |
    /// `DaoReview` | `Executable`) → `Executed`.
    enum Period {
        None,
        Drawing,
        Commit,
        Reveal,
        Appeal,
        Executable,
        DaoReview,
        Executed
    }

    /// @notice A juror's stake. `staked` is drawable (it is the juror's weight in the tree); `thawing` waits for
    /// `thawEnd`; `locked` is the stake at risk in live disputes and is covered by staked + thawing.
    struct Juror {
        uint128 staked;
        uint128 thawing;
        uint128 locked;
        uint48 thawEnd;
    }

    /// @notice A dispute about `subjectId` (a listing id) raised by `challenger` against `defendant`.
    struct DisputeRecord {
        address challenger;
        uint8 rounds;
        bool toDao;
        bool executed;
        uint8 ruling;
        address defendant;
        uint48 createdAt;
        uint256 subjectId;
        uint256 metaEvidenceId;
        uint128 challengerBond;
        /// @dev Bond and fees held for this dispute until it is executed.
        uint128 escrow;
    }

    /// @notice One round of a dispute. Seats are counted per juror: a juror drawn twice has two seats and votes once
    /// for both.
    struct Round {
        uint16 seats;
        uint16 drawn;
        uint16 committed;
        uint16 challengerVotes;
        uint16 defendantVotes;
        uint16 coherentSeats;
        uint16 settledCoherentSeats;
        uint48 commitEnd;
        uint48 revealEnd;
        uint48 appealEnd;
        uint64 drawNonce;
        IRandomnessSource randomness;
        uint256 randomnessRequest;
        uint128 seatStake;
        uint128 penaltyPerSeat;
        uint128 fees;
        uint128 rewardPool;
        uint128 rewardPaid;
    }

    /// @notice A juror's vote in one round.
    struct Vote {
        uint16 seats;
        uint8 choice;
        bool revealed;
        bool settled;
        bytes32 commitment;
    }

    /// @notice Governed figures (amounts in CUR wei, periods in seconds, shares in bps).
    /// @param minJurorStake Smallest stake a juror may hold; also the stake at risk of one seat.
    /// @param minChallengeBond Smallest bond of a listing challenge.
    /// @param arbitrationFeePerSeat Paid by the challenger for each seat of the first round.
    /// @param appealFeePerSeat Paid by the appellant for each seat of the next round (for a DAO appeal: of the round
    /// the DAO replaces, 2n + 1 seats; it goes to the treasury).
    /// @param thawingPeriod Seconds between a juror's unstake request and its withdrawal.
    /// @param commitPeriod Seconds to commit once a round is drawn.
    /// @param revealPeriod Seconds to reveal after the commit period.
    /// @param appealPeriod Seconds to appeal after the reveal period.
    /// @param firstRoundSeats Seats of the first round (odd).
    /// @param maxJurorRounds Juror rounds before an appeal goes to the DAO.
    /// @param penaltyBps Share of a seat's stake at risk lost by an incoherent or absent juror.
    /// @param winnerShareBps Share of the loser's stake (challenger bond, or provider bond + curator slash) for the
    /// winning party.
    /// @param jurorShareBps Share for the coherent jurors of the last juror round.
    /// @param treasuryShareBps Share for the treasury (the timelock); the three shares sum to 10,000.
    struct CourtParameters {
        uint128 minJurorStake;
        uint128 minChallengeBond;
        uint128 arbitrationFeePerSeat;
        uint128 appealFeePerSeat;
        uint32 thawingPeriod;
        uint32 commitPeriod;
        uint32 revealPeriod;
        uint32 appealPeriod;
        uint16 firstRoundSeats;
        uint8 maxJurorRounds;
        uint16 penaltyBps;
        uint16 winnerShareBps;
        uint16 jurorShareBps;
        uint16 treasuryShareBps;
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

    // ------------------------------------------------------------------ events: jurors

    /// @notice `juror`'s drawable stake rose by `amount` (paid by `payer`) to `staked`.
    event JurorStaked(address indexed juror, address indexed payer, uint256 amount, uint256 staked);
    /// @notice `juror` moved `amount` into thawing until `thawEnd`.
    event JurorUnstakeRequested(address indexed juror, uint256 amount, uint256 staked, uint256 thawing, uint48 thawEnd);
    /// @notice `juror` withdrew `amount` of thawed stake; `thawing` is what still thaws (locked by live disputes).
    event JurorStakeWithdrawn(address indexed juror, uint256 amount, uint256 thawing);

    // ------------------------------------------------------------------ events: disputes

    /// @notice A dispute opened on `subjectId` of `arbitrable`; `fee` pays the first round's `seats`.
    event DisputeCreated(
        uint256 indexed disputeId,
        address indexed arbitrable,
        uint256 indexed subjectId,
        address challenger,
        address defendant,
        uint256 bond,
        uint256 fee,
        uint256 seats
    );
    /// @notice Round `round` of `disputeId` opened with `seats` seats of `seatStake` each; `randomnessRequest` seeds it.
    event RoundCreated(
        uint256 indexed disputeId,
        uint256 indexed round,
        uint256 seats,
        uint256 seatStake,
        uint256 penaltyPerSeat,
        uint256 fees,
        address randomness,
        uint256 randomnessRequest
    );
    /// @notice `juror` took seat `seat` of the round (its `seats`-th), locking `seatStake` (`locked` in all).
    event JurorDrawn(
        uint256 indexed disputeId,
        uint256 indexed round,
        address indexed juror,
        uint256 seat,
        uint256 seats,
        uint256 locked
    );
    /// @notice A draw attempt picked `juror`, who lacked free stake for a seat; the attempt was spent.
    event DrawSkipped(uint256 indexed disputeId, uint256 indexed round, address indexed juror, uint256 nonce);
    /// @notice Every seat is filled: commits until `commitEnd`, reveals until `revealEnd`, appeals until `appealEnd`.
    event RoundDrawn(
        uint256 indexed disputeId,
        uint256 indexed round,
        uint48 commitEnd,
        uint48 revealEnd,
        uint48 appealEnd
    );
    /// @notice `juror` committed its vote for its `seats` seats.
    event VoteCommitted(
        uint256 indexed disputeId,
        uint256 indexed round,
        address indexed juror,
        uint256 seats,
        bytes32 commitment
    );
    /// @notice `juror` revealed `choice` for its `seats` seats; the round's tallies are now as given.
    event VoteRevealed(
        uint256 indexed disputeId,
        uint256 indexed round,
        address indexed juror,
        uint8 choice,
        uint256 seats,
        uint256 challengerVotes,
        uint256 defendantVotes
    );
    /// @notice `appellant` paid `fee` to appeal round `round - 1`, whose ruling was `appealedRuling`; `toDao` when the
    /// DAO decides next.
    event AppealFunded(
        uint256 indexed disputeId,
        uint256 indexed round,
        address indexed appellant,
        uint8 appealedRuling,
        uint256 fee,
        bool toDao
    );
    /// @notice The dispute's final ruling was executed (`byDao` when the timelock ruled). `loserStake` (challenger
    /// bond, or provider bond + `curatorSlash`) went `toWinner` to `winner`, `toJurors` to the last juror round,
    /// `toTreasury` (with fees nobody earned) to the treasury.
    event RulingExecuted(
        uint256 indexed disputeId,
        uint8 ruling,
        bool byDao,
        address winner,
        uint256 loserStake,
        uint256 curatorSlash,
        uint256 toWinner,
        uint256 toJurors,
        uint256 toTreasury
    );
    /// @notice Round `round` closed with `coherentSeats` seats that voted the final ruling, sharing `rewardPool`.
    event RoundRewardsSet(uint256 indexed disputeId, uint256 indexed round, uint256 coherentSeats, uint256 rewardPool);
    /// @notice `juror`'s vote was settled: its `seats` × seat stake unlocked, `reward` paid or `penalty` taken;
    /// `staked` and `thawing` are its balances after.
    event JurorSettled(
        uint256 indexed disputeId,
        uint256 indexed round,
        address indexed juror,
        bool coherent,
        uint256 reward,
        uint256 penalty,
        uint256 staked,
        uint256 thawing
    );

    // ------------------------------------------------------------------ events: governance

    /// @notice The governed figures changed.
    event CourtParametersSet(CourtParameters oldParameters, CourtParameters newParameters);
    /// @notice The randomness source for new rounds changed.
    event RandomnessSourceSet(address oldSource, address newSource);
    /// @notice New listing challenges refer to meta-evidence `newMetaEvidenceId` (announced by {MetaEvidence}).
    event ListingMetaEvidenceSet(uint256 oldMetaEvidenceId, uint256 newMetaEvidenceId);

    // ------------------------------------------------------------------ errors

    /// @notice A governed figure outside its bounds.
    error CourtParameterOutOfBounds(bytes32 parameter, uint256 value, uint256 min, uint256 max);
    /// @notice A zero amount.
    error CourtZeroAmount();
    /// @notice The juror's stake would be non-zero and below the minimum.
    error CourtStakeTooLow(uint256 stake, uint256 minimum);
    /// @notice More than the drawable stake was asked back.
    error CourtInsufficientStake(uint256 requested, uint256 available);
    /// @notice Someone else may stake only for an account with no stake at all.
    error CourtJurorHasPosition(address juror);
    /// @notice Nothing has thawed yet (or nothing is thawing).
    error CourtNothingToWithdraw(address juror, uint256 thawing, uint48 thawEnd);
    /// @notice All the thawed stake is locked by live disputes.
    error CourtStakeLocked(address juror, uint256 locked);
    /// @notice A challenge bond below the minimum (or too large to store).
    error CourtBondTooLow(uint256 bond, uint256 minimum);
    /// @notice An empty or overlong evidence URI.
    error CourtInvalidURI(uint256 length, uint256 maxLength);
    /// @notice No such dispute.
    error CourtDisputeNotFound(uint256 disputeId);
    /// @notice The dispute was already executed: it takes no more evidence.
    error CourtDisputeClosed(uint256 disputeId);
    /// @notice The dispute is not in the period the action needs.
    error CourtWrongPeriod(uint256 disputeId, Period current, Period expected);
    /// @notice Nobody is staked: no jury can be drawn.
    error CourtNoJurors(uint256 disputeId);
    /// @notice A draw with zero iterations.
    error CourtZeroIterations();
    /// @notice The caller holds no seat in the round.
    error CourtNotDrawn(uint256 disputeId, uint256 round, address juror);
    /// @notice The juror already committed in this round.
    error CourtAlreadyCommitted(uint256 disputeId, uint256 round, address juror);
    /// @notice A zero commitment.
    error CourtInvalidCommitment();
    /// @notice The juror did not commit in this round.
    error CourtNotCommitted(uint256 disputeId, uint256 round, address juror);
    /// @notice The juror already revealed in this round.
    error CourtAlreadyRevealed(uint256 disputeId, uint256 round, address juror);
    /// @notice A choice other than 1 (challenger) or 2 (defendant).
    error CourtInvalidChoice(uint8 choice);
    /// @notice The revealed vote does not hash to the juror's commitment.
    error CourtRevealMismatch(uint256 disputeId, uint256 round, address juror, bytes32 commitment, bytes32 computed);
    /// @notice Only the side that lost the round may appeal.
    error CourtNotLosingParty(uint256 disputeId, address caller, address loser);
    /// @notice The vote was already settled.
    error CourtAlreadySettled(uint256 disputeId, uint256 round, address juror);
    /// @notice No such round in the dispute.
    error CourtRoundNotFound(uint256 disputeId, uint256 round);

    // ------------------------------------------------------------------ jurors

    /// @notice Adds `amount` (pulled with transferFrom) to the caller's drawable stake. Emits {JurorStaked}.
    function stake(uint256 amount) external;

    /// @notice Stakes `amount`, paid by the caller, for `juror`, which must hold no stake at all (onboarding: a grant,
    /// a staking service). Emits {JurorStaked}.
    function stakeFor(address juror, uint256 amount) external;

    /// @notice Moves `amount` out of the drawable stake into thawing; a new request restarts the clock for all of it.
    /// What stays staked must be zero or at least the minimum. Emits {JurorUnstakeRequested}.
    function requestUnstake(uint256 amount) external;

    /// @notice Withdraws the thawed stake that live disputes do not lock. Emits {JurorStakeWithdrawn}.
    function withdraw() external returns (uint256 amount);

    // ------------------------------------------------------------------ disputes

    /// @notice Challenges a Pending or Active listing: pays `bond` plus the first round's arbitration fee, opens a
    /// dispute, and marks the listing Challenged. Emits {DisputeCreated}, {Dispute}, {Evidence}, {RoundCreated}.
    /// @return disputeId The new dispute (sequential, from 1).
    function challengeListing(
        uint256 listingId,
        uint256 bond,
        string calldata evidenceURI
    ) external returns (uint256 disputeId);

    /// @notice Adds evidence to a dispute not yet executed (anyone). Emits {Evidence}.
    function submitEvidence(uint256 disputeId, string calldata evidenceURI) external;

    /// @notice Makes up to `iterations` draw attempts for the current round (anyone); each fills a seat unless the
    /// drawn juror lacks free stake. When the last seat is filled, the commit period starts. Emits {JurorDrawn} per
    /// seat and {RoundDrawn} at the end.
    /// @return drawn Seats filled by this call.
    function draw(uint256 disputeId, uint256 iterations) external returns (uint256 drawn);

    /// @notice Commits the caller's vote for all its seats in the current round:
    /// `commitment = keccak256(abi.encode(choice, salt, juror, disputeId, round))`. Emits {VoteCommitted}.
    function commit(uint256 disputeId, bytes32 commitment) external;

    /// @notice Reveals the caller's committed vote. Emits {VoteRevealed}.
    function reveal(uint256 disputeId, uint8 choice, bytes32 salt) external;

    /// @notice Appeals the current round's ruling: only the losing party, paying the appeal fee for the next round.
    /// Emits {AppealFunded} and, for a juror round, {RoundCreated}.
    function appeal(uint256 disputeId) external;

    /// @notice Executes the ruling of the last round once its appeal period passed without appeal (anyone).
    /// Emits {RulingExecuted}.
    function executeRuling(uint256 disputeId) external;

    /// @notice The DAO's final ruling on a dispute appealed past the last juror round; only the timelock, through a
    /// passed proposal. Emits {RulingExecuted}.
    function ruleAsDao(uint256 disputeId, uint8 ruling) external;

    /// @notice Settles `juror`'s vote in round `round` of an executed dispute (anyone): unlocks its stake at risk, pays
    /// its share of the round's rewards when coherent, takes its penalty otherwise. Emits {JurorSettled}.
    function settle(uint256 disputeId, uint256 round, address juror) external returns (uint256 reward, uint256 penalty);

    // ------------------------------------------------------------------ views

    /// @notice The period `disputeId` is in now.
    function periodOf(uint256 disputeId) external view returns (Period);

    /// @notice The ruling the dispute would execute with now: the current round's majority (ties: defendant).
    function currentRuling(uint256 disputeId) external view returns (uint8);

    function getDispute(uint256 disputeId) external view returns (DisputeRecord memory);

    function getRound(uint256 disputeId, uint256 round) external view returns (Round memory);

    function voteOf(uint256 disputeId, uint256 round, address juror) external view returns (Vote memory);

    function jurorOf(address juror) external view returns (Juror memory);

    /// @notice A juror's weight in the draw tree (its staked amount in units of 1e9 wei) and the total weight.
    function drawWeight(address juror) external view returns (uint256 weight, uint256 totalWeight);

    function parameters() external view returns (CourtParameters memory);

    function disputeCount() external view returns (uint256);

    /// @notice Tokens the court accounts for. Its CUR balance always equals stakes + escrow + rewards − pendingPenalties:
    /// penalties already promised to coherent jurors stay inside the penalised jurors' stakes until they are settled.
    function totalOwed()
        external
        view
        returns (uint256 stakes, uint256 escrow, uint256 rewards, uint256 pendingPenalties);
}
