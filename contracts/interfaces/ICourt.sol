// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IArbitrable} from "./IArbitrable.sol";
import {IRandomnessSource} from "./IRandomnessSource.sol";

/// @title ICourt
/// @notice Curia's arbitrator: a generic court that knows disputes, rounds, votes, appeals, rulings and their costs,
/// and nothing of what a dispute is about. An arbitrable contract approved by the DAO (the marketplace's
/// ListingChallenges) opens a dispute between a challenger and a defendant, paying {arbitrationCost}; the court rules
/// and calls the arbitrable's {IArbitrable-rule}, which applies the ruling to its own subject.
///
/// Jurors stake in the jurors' StakePool and are drawn into rounds weighted by stake (O(log n) per seat); each seat
/// locks a fixed stake at risk until the juror settles. A round is commit → reveal → appeal; the ruling is the
/// majority of revealed seats. The losing party may appeal to a round of 2n + 1 seats, paying {appealCost}; after the
/// last governed juror round an appeal goes to the DAO, whose timelock rules. Jurors settle their own votes (O(1)
/// each): coherent seats share the round's fees and penalties (and, in the last juror round, the reward the arbitrable
/// returns from {IArbitrable-rule}); incoherent and absent seats lose a governed fraction of their stake at risk.
///
/// Rulings: 1 = the challenger wins, 2 = the defendant wins. A tie, including a round where nobody revealed, rules for
/// the defendant: the challenger carries the burden of proof, and the status quo stands.
///
/// Money: the court holds no tokens. Fees, rewards and penalties live in the jurors' pool as the court's funds, so a
/// penalty becomes a reward without moving tokens.
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

    /// @notice A dispute opened by `arbitrable` between `challenger` and `defendant` (its subject is the arbitrable's
    /// business: {DisputeCreated} names it). Three slots: written once per dispute, they are most of its cost.
    struct DisputeRecord {
        address challenger;
        uint8 rounds;
        bool toDao;
        bool executed;
        uint8 ruling;
        /// @dev When the DAO's review ends (0: never in review); past it the last juror ruling stands.
        uint48 daoDeadline;
        /// @dev Once executed, bit i set: round i had a coherent seat (its penalties are owed to its coherent jurors;
        /// a round without one leaves them to the treasury). Written with the ruling, in its slot.
        uint8 coherentRounds;
        address defendant;
        uint48 createdAt;
        IArbitrable arbitrable;
        /// @dev Fees held for this dispute until it is executed (96 bits hold 79 billion CUR, far above the cap).
        uint96 escrow;
        /// @dev Who paid `daoAppealFee` to appeal to the DAO: refunded when the DAO lets its review deadline pass.
        address daoAppellant;
        uint96 daoAppealFee;
    }

    /// @notice One round of a dispute. Seats are counted per juror: a juror drawn twice has two seats and votes once
    /// for both.
    struct Round {
        uint16 seats;
        uint16 drawn;
        uint16 committed;
        uint16 challengerVotes;
        uint16 defendantVotes;
        uint48 commitEnd;
        uint48 revealEnd;
        uint48 appealEnd;
        /// @dev Failed attempts at the seat being drawn (seat `drawn`): its next attempt's draw value is
        /// keccak256(seed, seat, attempt), so no seat's draw depends on another's, or on how the draw is batched.
        uint32 drawAttempt;
        IRandomnessSource randomness;
        /// @dev Past it, the next {ICourt-draw} call ends the drawing (see {DrawExpired}).
        uint48 drawDeadline;
        uint256 randomnessRequest;
        /// @dev The settlement's figures in one slot: settling a juror reads one slot for its lock, its penalty and
        /// the coherent seats (issue 15). 96 bits hold 79 billion CUR; a seat stake is at most 1,000,000 CUR.
        uint96 seatStake;
        uint96 penaltyPerSeat;
        uint16 coherentSeats;
        uint16 settledCoherentSeats;
        uint128 fees;
        uint128 rewardPool;
    }

    /// @notice A juror's vote in one round. `lockedStake` and `penalty` are its seats' stake locked in the jurors' pool
    /// and what they lose if incoherent, added up at the draw: an incoherent juror's settlement reads them here, in the
    /// slot it writes anyway, instead of the round's (a cold read, 2,100 gas: issue 15).
    struct Vote {
        uint16 seats;
        uint8 choice;
        bool revealed;
        bool settled;
        uint96 lockedStake;
        uint96 penalty;
        bytes32 commitment;
    }

    /// @notice Governed figures (amounts in CUR wei, periods in seconds, shares in bps). A juror's minimum stake and
    /// thawing period are the jurors' pool's.
    /// @param seatStake Stake at risk of one seat, locked in the jurors' pool while the seat is held.
    /// @param arbitrationFeePerSeat Paid by the arbitrable for each seat of the first round.
    /// @param appealFeePerSeat Paid by the appellant for each seat of the next round (for a DAO appeal: of the round
    /// the DAO replaces, 2n + 1 seats; it goes to the treasury).
    /// @param commitPeriod Seconds to commit once a round is drawn.
    /// @param revealPeriod Seconds to reveal after the commit period.
    /// @param appealPeriod Seconds to appeal after the reveal period.
    /// @param firstRoundSeats Seats of the first round (odd).
    /// @param maxJurorRounds Juror rounds before an appeal goes to the DAO.
    /// @param penaltyBps Share of a seat's stake at risk lost by an incoherent or absent juror.
    /// @param drawPeriod Seconds a round may take to be drawn; then it goes on with the seats drawn, or to the DAO.
    /// @param drawRewardBps Share of a round's fees paid to whoever draws its seats (pro rata), so draws are prompt.
    /// @param daoReviewPeriod Seconds the DAO has to rule a dispute sent to it; then the last juror ruling stands (the
    /// defendant's, when no juror sat) and a DAO appeal's fee is refunded.
    struct CourtParameters {
        uint128 seatStake;
        uint128 arbitrationFeePerSeat;
        uint128 appealFeePerSeat;
        uint32 commitPeriod;
        uint32 revealPeriod;
        uint32 appealPeriod;
        uint16 firstRoundSeats;
        uint8 maxJurorRounds;
        uint16 penaltyBps;
        uint32 drawPeriod;
        uint16 drawRewardBps;
        uint32 daoReviewPeriod;
    }

    // ------------------------------------------------------------------ events: disputes

    /// @notice `arbitrable` opened a dispute on its `subjectId`; `fee` pays the first round's `seats`.
    event DisputeCreated(
        uint256 indexed disputeId,
        address indexed arbitrable,
        uint256 indexed subjectId,
        address challenger,
        address defendant,
        uint256 fee,
        uint256 seats
    );
    /// @notice Round `round` of `disputeId` opened with `seats` seats of `seatStake` each; `randomnessRequest` seeds it,
    /// and it must be drawn by `drawDeadline`. The jurors' pool's weights are frozen until it is drawn.
    event RoundCreated(
        uint256 indexed disputeId,
        uint256 indexed round,
        uint256 seats,
        uint256 seatStake,
        uint256 penaltyPerSeat,
        uint256 fees,
        address randomness,
        uint256 randomnessRequest,
        uint48 drawDeadline
    );
    /// @notice `juror` took seat `seat` of the round (its `seats`-th); the jurors' pool locked the seat's stake.
    event JurorDrawn(
        uint256 indexed disputeId,
        uint256 indexed round,
        address indexed juror,
        uint256 seat,
        uint256 seats
    );
    /// @notice Attempt `attempt` at seat `seat` picked `juror`, who could not sit (its stake does not back its weight or
    /// lacks room for the seat's lock); the seat is drawn again.
    event DrawSkipped(
        uint256 indexed disputeId,
        uint256 indexed round,
        address indexed juror,
        uint256 seat,
        uint256 attempt
    );
    /// @notice `keeper` drew `seats` seats and earned `reward` out of the round's fees, credited to it until it claims
    /// ({claimDrawRewards}).
    event DrawRewarded(
        uint256 indexed disputeId,
        uint256 indexed round,
        address indexed keeper,
        uint256 seats,
        uint256 reward
    );
    /// @notice The round was not fully drawn by its deadline: it goes on with the `drawn` seats it has, or, with none,
    /// the dispute goes to the DAO.
    event DrawExpired(uint256 indexed disputeId, uint256 indexed round, uint256 drawn, uint256 seats);
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
    /// @notice The dispute went to the DAO, which may rule it until `deadline`; then anyone may execute the last juror
    /// ruling (the defendant's when no juror sat).
    event DaoReviewOpened(uint256 indexed disputeId, uint48 deadline);
    /// @notice The DAO did not rule by its deadline: `appellant` got back the `amount` it paid to appeal to the DAO.
    event DaoAppealRefunded(uint256 indexed disputeId, address indexed appellant, uint256 amount);
    /// @notice The dispute's final ruling was executed (`byDao` when the timelock ruled) and sent to its arbitrable,
    /// which returned `jurorReward` for the last juror round; `toTreasury` (fees and rewards nobody earned, and the
    /// arbitrable's treasury share) was set aside for the treasury.
    event RulingExecuted(uint256 indexed disputeId, uint8 ruling, bool byDao, uint256 jurorReward, uint256 toTreasury);
    /// @notice `arbitrable`, which the DAO no longer approves, refused the ruling of `disputeId` or its jurors' reward:
    /// the dispute closed without it. A refusal is a revert, an answer shorter than two words, amounts it does not pay,
    /// or running out of the 1,000,000 gas its `rule` gets (the court reads at most two words of any answer or reason);
    /// an execution that could not forward all of that gas reverts instead, so that no caller can starve a ruling.
    event RulingNotApplied(uint256 indexed disputeId, address indexed arbitrable);
    /// @notice Round `round` closed with `coherentSeats` seats that voted the final ruling, sharing `rewardPool`.
    event RoundRewardsSet(uint256 indexed disputeId, uint256 indexed round, uint256 coherentSeats, uint256 rewardPool);
    /// @notice `juror`'s vote was settled: its `seats` × seat stake unlocked, `reward` paid or `penalty` taken (the
    /// jurors' pool reports the balances after, in its StakeReleased).
    event JurorSettled(
        uint256 indexed disputeId,
        uint256 indexed round,
        address indexed juror,
        bool coherent,
        uint256 reward,
        uint256 penalty
    );
    /// @notice The penalty `amount` of a round without a coherent seat was set aside for the treasury when its juror
    /// settled; `owed` is what the treasury can now sweep ({sweepTreasury}). (What a ruling sets aside, {RulingExecuted}
    /// reports as `toTreasury`.)
    event TreasuryCredited(uint256 indexed disputeId, uint256 amount, uint256 owed);
    /// @notice `amount` of the court's funds went to the treasury.
    event TreasurySwept(address indexed treasury, uint256 amount);
    /// @notice `keeper` was paid `amount`: every draw reward credited to it so far ({DrawRewarded}).
    event DrawRewardsClaimed(address indexed keeper, uint256 amount);

    // ------------------------------------------------------------------ events: governance

    /// @notice The governed figures changed.
    event CourtParametersSet(CourtParameters oldParameters, CourtParameters newParameters);
    /// @notice The randomness source for new rounds changed.
    event RandomnessSourceSet(address oldSource, address newSource);
    /// @notice `arbitrable` may (`newAllowed`) or may no longer open disputes; `oldAllowed` is what it was.
    event ArbitrableSet(address indexed arbitrable, bool oldAllowed, bool newAllowed);

    // ------------------------------------------------------------------ errors

    /// @notice A governed figure outside its bounds.
    error CourtParameterOutOfBounds(bytes32 parameter, uint256 value, uint256 min, uint256 max);
    /// @notice Only arbitrables approved by the DAO may open disputes (an unknown one could keep jurors locked).
    error CourtArbitrableNotAllowed(address arbitrable);
    /// @notice A dispute needs two distinct, non-zero parties.
    error CourtInvalidParties(address challenger, address defendant);
    /// @notice No such dispute.
    error CourtDisputeNotFound(uint256 disputeId);
    /// @notice The approved arbitrable of `disputeId` refused its ruling or the jurors' reward (without a reason of its
    /// own); execution can be retried once it is fixed, or goes through without it once the DAO revokes it. Also
    /// raised, for any arbitrable, when the call failed with less than the 1,000,000 gas its `rule` is due: retry with
    /// a higher gas limit.
    error CourtRulingRefused(uint256 disputeId, address arbitrable);
    /// @notice The dispute is not in the period the action needs.
    error CourtWrongPeriod(uint256 disputeId, Period current, Period expected);
    /// @notice Nobody is staked in the jurors' pool: no jury can be drawn.
    error CourtNoJurors();
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
    /// @notice A batch of DAO rulings with as many rulings as disputes, or none.
    error CourtBatchMismatch(uint256 disputes, uint256 rulings);

    // ------------------------------------------------------------------ disputes

    /// @notice Opens a dispute on the caller's `subjectId` (an approved arbitrable only), pulling {arbitrationCost}
    /// from the caller. Emits {DisputeCreated} and {RoundCreated}.
    /// @return disputeId The new dispute (sequential, from 1).
    function createDispute(
        uint256 subjectId,
        address challenger,
        address defendant
    ) external returns (uint256 disputeId);

    /// @notice Makes up to `iterations` draw attempts for the current round (anyone), all from the round's one seed
    /// over the jurors' pool as it was when the seed was requested; each fills a seat unless the drawn juror cannot
    /// sit. When the last seat is filled, the commit period starts. The caller earns the round's draw reward for the
    /// seats it fills, credited to it ({claimDrawRewards} pays them). Past the round's draw deadline it only ends the
    /// drawing ({DrawExpired}). Emits {JurorDrawn} per
    /// seat, {DrawRewarded}, and {RoundDrawn} at the end.
    /// @return drawn Seats filled by this call.
    function draw(uint256 disputeId, uint256 iterations) external returns (uint256 drawn);

    /// @notice Commits the caller's vote for all its seats in the current round:
    /// `commitment = keccak256(abi.encode(uint8 choice, bytes32 salt, address juror, uint256 disputeId,
    /// uint256 round))`. Emits {VoteCommitted}.
    function commit(uint256 disputeId, bytes32 commitment) external;

    /// @notice Reveals the caller's committed vote. Emits {VoteRevealed}.
    function reveal(uint256 disputeId, uint8 choice, bytes32 salt) external;

    /// @notice Appeals the current round's ruling: only the losing party, or the dispute's arbitrable for a side its
    /// funders raised the fee for (crowdfunded appeals), paying {appealCost} (pulled). Emits
    /// {AppealFunded} and, for a juror round, {RoundCreated}.
    function appeal(uint256 disputeId) external;

    /// @notice Executes the ruling of the last round once its appeal period passed without appeal, or the last juror
    /// ruling once the DAO's review deadline passed without a DAO ruling (the defendant's when no juror sat; a DAO
    /// appeal's fee goes back to its appellant: {DaoAppealRefunded}). Anyone may call. Sends the ruling to the
    /// arbitrable (see {RulingNotApplied} for an arbitrable the DAO revoked). Emits {RulingExecuted}.
    function executeRuling(uint256 disputeId) external;

    /// @notice Sends the treasury what the court set aside for it (anyone). Emits {TreasurySwept}.
    function sweepTreasury() external returns (uint256 amount);

    /// @notice Pays `keeper` (anyone may call) every draw reward credited to it and not yet paid. Emits
    /// {DrawRewardsClaimed}.
    function claimDrawRewards(address keeper) external returns (uint256 amount);

    /// @notice Draw rewards credited to `keeper` and not yet paid (they count in {totalOwed}'s escrow until then).
    function drawRewardsOf(address keeper) external view returns (uint256);

    /// @notice The DAO's final ruling on a dispute appealed past the last juror round; only the timelock, through a
    /// passed proposal. Emits {RulingExecuted}.
    function ruleAsDao(uint256 disputeId, uint8 ruling) external;

    /// @notice {ruleAsDao} for many disputes in one proposal: `rulings[i]` for `disputeIds[i]`; only the timelock.
    /// Reverts as a whole if any dispute is not in DAO review (its deadline passed) or any ruling is invalid.
    function ruleAsDaoBatch(uint256[] calldata disputeIds, uint8[] calldata rulings) external;

    /// @notice Settles `juror`'s vote in round `round` of an executed dispute (anyone): unlocks its stake at risk, pays
    /// its share of the round's rewards when coherent, takes its penalty otherwise. Emits {JurorSettled}.
    function settle(uint256 disputeId, uint256 round, address juror) external returns (uint256 reward, uint256 penalty);

    // ------------------------------------------------------------------ views

    /// @notice What opening a dispute costs now: the first round's seats × the arbitration fee per seat.
    function arbitrationCost() external view returns (uint256);

    /// @notice What appealing `disputeId`'s current round costs: (2n + 1) × the appeal fee per seat.
    function appealCost(uint256 disputeId) external view returns (uint256);

    /// @notice The period `disputeId` is in now.
    function periodOf(uint256 disputeId) external view returns (Period);

    /// @notice The ruling the dispute would execute with now: the current round's majority (ties: defendant).
    function currentRuling(uint256 disputeId) external view returns (uint8);

    function getDispute(uint256 disputeId) external view returns (DisputeRecord memory);

    /// @notice The two parties of `disputeId` (cheaper than {getDispute} for a contract).
    function partiesOf(uint256 disputeId) external view returns (address challenger, address defendant);

    function getRound(uint256 disputeId, uint256 round) external view returns (Round memory);

    function voteOf(uint256 disputeId, uint256 round, address juror) external view returns (Vote memory);

    function parameters() external view returns (CourtParameters memory);

    function disputeCount() external view returns (uint256);

    /// @notice Whether `arbitrable` may open disputes.
    function isArbitrable(address arbitrable) external view returns (bool);

    /// @notice The token, the jurors' pool (stakes, and the court's funds) and the randomness source.
    function addresses() external view returns (address token, address pool, address randomness);

    /// @notice What the court owes out of its funds in the jurors' pool (`escrow`: open disputes' fees, and draw rewards
    /// credited to keepers and not yet claimed). Those funds (the pool's balance minus its
    /// stakes) always equal escrow + rewards + treasury − pendingPenalties: penalties already promised to coherent
    /// jurors stay in the penalised jurors' locked stakes until they are settled.
    function totalOwed()
        external
        view
        returns (uint256 escrow, uint256 rewards, uint256 pendingPenalties, uint256 treasury);
}
