// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

// Fuzzer naming convention: invariant_<property>.
// solhint-disable func-name-mixedcase

import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {CuriaToken} from "../../contracts/governance/CuriaToken.sol";
import {ListingRegistry} from "../../contracts/marketplace/ListingRegistry.sol";
import {StakePool} from "../../contracts/staking/StakePool.sol";
import {ValidationManager} from "../../contracts/validation/ValidationManager.sol";
import {FixedRandomness} from "../../contracts/test/CourtTestTools.sol";
import {ICuriaToken} from "../../contracts/interfaces/ICuriaToken.sol";
import {IListingChallenges} from "../../contracts/interfaces/IListingChallenges.sol";
import {IListingRegistry} from "../../contracts/interfaces/IListingRegistry.sol";
import {IStakePool} from "../../contracts/interfaces/IStakePool.sol";
import {IValidationManager} from "../../contracts/interfaces/IValidationManager.sol";
import {CuriaTest} from "./CuriaTest.sol";

/// @dev The marketplace's challenge adapter as the ValidationManager sees it when no juror can be drawn: it quotes a
/// bond and a fee and refuses every challenge, so a low median's dispute is skipped (DisputeSkipped) and the suite
/// stays on the manager's own money. (The Court's suite plays disputes.)
contract RefusingChallenges {
    error NoJurors();

    function parameters() external pure returns (IListingChallenges.ChallengeParameters memory) {
        return IListingChallenges.ChallengeParameters(1_000 ether, 5_000, 3_000, 2_000);
    }

    function challengeCost(uint256 bond) external pure returns (uint256) {
        return bond + 30 ether;
    }

    function challengeFromRound(uint256, uint256, uint256) external pure returns (uint256) {
        revert NoJurors();
    }
}

/// @dev Random validation activity by six validators and a requester: stakes, unstake requests and withdrawals in the
/// validators' pool, rounds opened (free when due, paid otherwise) on up to three listings, draws, commits, reveals of
/// honest (8,000 bps), lazy (absent) and outlying scores, finalisations, reward claims and donations to the pool. It
/// keeps ghost ledgers of the fees paid and the rewards credited per round.
contract ValidationHandler is CuriaTest {
    CuriaToken public immutable token;
    ListingRegistry public immutable registry;
    StakePool public immutable pool;
    ValidationManager public immutable validation;
    address[] public actors;
    uint256[] public listings;
    uint256[] public rounds;
    address public constant REQUESTER = address(0xBEEF);
    /// @dev Whose stake changed while a draw was pending and has not been synced since.
    mapping(address validator => bool) public weightStale;
    /// @dev Rewards credited by each round's finalisation, and the fee its requester paid.
    mapping(uint256 roundId => uint256) public credited;
    mapping(uint256 roundId => uint256) public feeOf;

    /// @dev The fairness ledgers. A validator is honest until a finalised round finds it absent, silent, or revealing
    /// outside the tolerance of a counted median (the handler judges this itself, from the member's reveal and the
    /// round's median, never from the penalties the manager takes): an honest validator's stake is only ever moved
    /// by its own stakes and withdrawals.
    mapping(address validator => bool) public dishonest;
    mapping(address validator => uint256) public deposited;
    mapping(address validator => uint256) public withdrawn;

    /// @dev Rounds playRound took to finalisation (the suite's own check that sequences reach the money).
    uint256 public finalizedRounds;

    uint256 private constant MAX_LISTINGS = 3;

    constructor(
        CuriaToken token_,
        ListingRegistry registry_,
        StakePool pool_,
        ValidationManager validation_,
        address[] memory actors_
    ) {
        token = token_;
        registry = registry_;
        pool = pool_;
        validation = validation_;
        actors = actors_;
    }

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    function roundCount() external view returns (uint256) {
        return rounds.length;
    }

    function _actor(uint256 seed) private view returns (address) {
        return actors[seed % actors.length];
    }

    function _round(uint256 seed) private view returns (uint256) {
        return rounds.length == 0 ? 1 : rounds[seed % rounds.length];
    }

    function _salt(address validator, uint256 roundId) private pure returns (bytes32) {
        return keccak256(abi.encode("salt", validator, roundId));
    }

    /// @dev The score `validator` commits in `roundId`: most validators are honest, the last two outlying half the time.
    function _score(address validator, uint256 roundId) private view returns (uint16) {
        bool outlier = validator == actors[actors.length - 1] || validator == actors[actors.length - 2];
        if (outlier && uint256(keccak256(abi.encode(validator, roundId))) % 2 == 0) return 2_000;
        return 8_000;
    }

    function stake(uint256 actorSeed, uint256 amount) external {
        address validator = _actor(actorSeed);
        vm.prank(validator);
        amount = bound(amount, 100 ether, 5_000 ether);
        try pool.stake(amount) {
            deposited[validator] += amount;
            _stakeChanged(validator);
        } catch {} // solhint-disable-line no-empty-blocks
    }

    function requestUnstake(uint256 actorSeed, uint256 amount) external {
        address validator = _actor(actorSeed);
        uint256 staked = pool.memberOf(validator).staked;
        if (staked == 0) return;
        vm.prank(validator);
        try pool.requestUnstake(bound(amount, 1, staked)) {
            _stakeChanged(validator);
        } catch {} // solhint-disable-line no-empty-blocks
    }

    function withdraw(uint256 actorSeed) external {
        address validator = _actor(actorSeed);
        vm.prank(validator);
        try pool.withdraw() returns (uint256 amount) {
            withdrawn[validator] += amount;
        } catch {} // solhint-disable-line no-empty-blocks
    }

    /// @dev After a finalisation: marks the committee's absent, silent and outlying members dishonest.
    function _judge(uint256 roundId) private {
        IValidationManager.Round memory r = validation.getRound(roundId);
        address[] memory committee = validation.committeeOf(roundId);
        for (uint256 m; m < committee.length; ++m) {
            IValidationManager.Member memory member = validation.memberOf(roundId, committee[m]);
            uint256 score = member.scoreBps;
            uint256 distance = score > r.medianBps ? score - r.medianBps : r.medianBps - score;
            if (!member.revealed || (r.quorumReached && distance > r.toleranceBps)) dishonest[committee[m]] = true;
        }
    }

    function syncWeight(uint256 actorSeed) external {
        address validator = _actor(actorSeed);
        try pool.syncWeight(validator) {
            weightStale[validator] = false;
        } catch {} // solhint-disable-line no-empty-blocks
    }

    function _stakeChanged(address validator) private {
        weightStale[validator] = pool.pendingDraws() > 0;
    }

    function _committeeStakes(uint256 roundId) private view returns (uint256[] memory stakes) {
        address[] memory committee = validation.committeeOf(roundId);
        stakes = new uint256[](committee.length);
        for (uint256 m; m < committee.length; ++m) stakes[m] = pool.memberOf(committee[m]).staked;
    }

    /// @dev A finalisation's penalties lower members' stakes: while another round's draw is pending, their weights wait.
    function _penaltiesTaken(uint256 roundId, uint256[] memory stakesBefore) private {
        address[] memory committee = validation.committeeOf(roundId);
        for (uint256 m; m < committee.length; ++m) {
            if (pool.memberOf(committee[m]).staked != stakesBefore[m]) _stakeChanged(committee[m]);
        }
    }

    function list(uint256 actorSeed) external {
        if (listings.length >= MAX_LISTINGS) return;
        address provider = _actor(actorSeed);
        vm.prank(provider);
        uint256 listingId = registry.createListing(
            keccak256(abi.encode("model", listings.length)),
            "ipfs://m",
            "https://e",
            1,
            1_000 ether
        );
        listings.push(listingId);
    }

    function activate(uint256 listingSeed) external {
        if (listings.length == 0) return;
        try registry.activate(listings[listingSeed % listings.length]) {} catch {} // solhint-disable-line no-empty-blocks
    }

    function openRound(uint256 listingSeed) external {
        if (listings.length == 0) return;
        uint256 before = token.balanceOf(REQUESTER);
        vm.prank(REQUESTER);
        try validation.openRound(listings[listingSeed % listings.length]) returns (uint256 roundId) {
            rounds.push(roundId);
            feeOf[roundId] = before - token.balanceOf(REQUESTER);
        } catch {} // solhint-disable-line no-empty-blocks
    }

    function drawCommittee(uint256 roundSeed) external {
        try validation.drawCommittee(_round(roundSeed)) {} catch {} // solhint-disable-line no-empty-blocks
    }

    function commit(uint256 roundSeed, uint256 actorSeed) external {
        uint256 roundId = _round(roundSeed);
        address validator = _actor(actorSeed);
        bytes32 commitment = keccak256(
            abi.encode(_score(validator, roundId), _salt(validator, roundId), validator, roundId)
        );
        vm.prank(validator);
        try validation.commitScore(roundId, commitment) {} catch {} // solhint-disable-line no-empty-blocks
    }

    function reveal(uint256 roundSeed, uint256 actorSeed) external {
        uint256 roundId = _round(roundSeed);
        address validator = _actor(actorSeed);
        vm.prank(validator);
        // solhint-disable-next-line no-empty-blocks
        try validation.revealScore(roundId, _score(validator, roundId), _salt(validator, roundId)) {} catch {}
    }

    function finalize(uint256 roundSeed) external {
        uint256 roundId = _round(roundSeed);
        uint256 owedBefore = _owed();
        uint256[] memory stakes = _committeeStakes(roundId);
        try validation.finalizeRound(roundId) {
            _judge(roundId);
            credited[roundId] = _owed() - owedBefore;
            _penaltiesTaken(roundId, stakes);
        } catch {} // solhint-disable-line no-empty-blocks
    }

    /// @dev A whole round in one call, so that sequences reach finalisations often: open, draw, commits by the
    /// members not in `absentMask`, reveals by those not in `silentMask`, each window run out, finalise. Other calls
    /// interleave with the granular steps above.
    function playRound(uint256 listingSeed, uint256 absentMask, uint256 silentMask) external {
        if (listings.length == 0) return;
        uint256 before = token.balanceOf(REQUESTER);
        vm.prank(REQUESTER);
        uint256 roundId;
        try validation.openRound(listings[listingSeed % listings.length]) returns (uint256 id) {
            roundId = id;
        } catch {
            return;
        }
        rounds.push(roundId);
        feeOf[roundId] = before - token.balanceOf(REQUESTER);
        validation.drawCommittee(roundId);
        if (validation.phaseOf(roundId) != IValidationManager.RoundPhase.Commit) return;
        address[] memory committee = validation.committeeOf(roundId);
        for (uint256 m; m < committee.length; ++m) {
            if ((absentMask >> m) & 1 == 1) continue;
            address validator = committee[m];
            vm.prank(validator);
            validation.commitScore(
                roundId,
                keccak256(abi.encode(_score(validator, roundId), _salt(validator, roundId), validator, roundId))
            );
        }
        vm.warp(validation.getRound(roundId).commitEnd);
        for (uint256 m; m < committee.length; ++m) {
            address validator = committee[m];
            if ((absentMask >> m) & 1 == 1 || (silentMask >> m) & 1 == 1) continue;
            vm.prank(validator);
            validation.revealScore(roundId, _score(validator, roundId), _salt(validator, roundId));
        }
        vm.warp(validation.getRound(roundId).revealEnd);
        uint256 owedBefore = _owed();
        uint256[] memory stakes = _committeeStakes(roundId);
        validation.finalizeRound(roundId);
        _judge(roundId);
        credited[roundId] = _owed() - owedBefore;
        _penaltiesTaken(roundId, stakes);
        ++finalizedRounds;
    }

    function claim(uint256 actorSeed) external {
        vm.prank(_actor(actorSeed));
        try validation.claimRewards() {} catch {} // solhint-disable-line no-empty-blocks
    }

    /// @dev Validator fees reaching the pool (the registry's sweep), or a donation.
    function donate(uint256 amount) external {
        vm.prank(REQUESTER);
        token.transfer(address(validation), bound(amount, 1, 500 ether));
    }

    /// @dev CUR sent straight to the validators' pool (or nothing), then swept by anyone: the pool's exact balance
    /// (its stakes) holds after it only if the sweep took that surplus and no stake, locked or free.
    function strayAndSweep(uint256 amount, bool send) external {
        if (send) {
            vm.prank(REQUESTER);
            token.transfer(address(pool), bound(amount, 1, 50 ether));
        }
        try pool.sweepStrayTokens(address(token)) {} catch {} // solhint-disable-line no-empty-blocks
    }

    function elapse(uint256 secondsAhead) external {
        vm.warp(block.timestamp + bound(secondsAhead, 1, 2 hours));
    }

    function _owed() private view returns (uint256 owed) {
        (owed, , ) = validation.totalOwed();
    }

    /// @dev Ends every round (drawing, past its windows, finalising or cancelling), claims every reward and takes every
    /// validator out of the pool.
    function everyoneLeaves() external {
        for (uint256 i; i < rounds.length; ++i) {
            uint256 roundId = rounds[i];
            for (uint256 guard; guard < 6; ++guard) {
                IValidationManager.RoundPhase phase = validation.phaseOf(roundId);
                if (phase == IValidationManager.RoundPhase.Finalized) break;
                if (phase == IValidationManager.RoundPhase.Cancelled) break;
                if (phase == IValidationManager.RoundPhase.Drawing) {
                    // Past the draw period a draw cancels the round; before it, it draws.
                    // solhint-disable-next-line no-empty-blocks
                    try validation.drawCommittee(roundId) {} catch {
                        vm.warp(block.timestamp + 1 days + 1);
                    }
                } else if (phase == IValidationManager.RoundPhase.Finalizable) {
                    validation.finalizeRound(roundId);
                    _judge(roundId);
                } else vm.warp(block.timestamp + 2 hours);
            }
        }
        for (uint256 a; a < actors.length; ++a) {
            address validator = actors[a];
            if (validation.rewardsOf(validator) > 0) {
                vm.prank(validator);
                validation.claimRewards();
            }
            uint256 staked = pool.memberOf(validator).staked;
            if (staked > 0) {
                vm.prank(validator);
                pool.requestUnstake(staked);
            }
        }
        vm.warp(block.timestamp + 2 hours);
        for (uint256 a; a < actors.length; ++a) {
            if (pool.memberOf(actors[a]).thawing > 0) {
                vm.prank(actors[a]);
                withdrawn[actors[a]] += pool.withdraw();
            }
        }
    }
}

/// @notice Conservation, fairness and liveness of the validation rounds' money under random sequences of calls.
contract ValidationInvariants is CuriaTest {
    CuriaToken internal token;
    ListingRegistry internal registry;
    StakePool internal pool;
    ValidationManager internal validation;
    ValidationHandler internal handler;
    address[] internal actors;

    function setUp() public {
        for (uint256 i = 1; i <= 6; ++i) actors.push(address(uint160(0xA000 + i)));
        ICuriaToken.Allocation[] memory allocations = new ICuriaToken.Allocation[](actors.length + 1);
        for (uint256 i = 0; i < actors.length; ++i) allocations[i] = ICuriaToken.Allocation(actors[i], 1e30);
        allocations[actors.length] = ICuriaToken.Allocation(address(0xBEEF), 1e30);
        token = CuriaToken(
            address(
                new ERC1967Proxy(
                    address(new CuriaToken()),
                    abi.encodeCall(CuriaToken.initialize, ("Curia", "CUR", 1e36, address(this), allocations))
                )
            )
        );
        IListingRegistry.MarketParameters memory market = IListingRegistry.MarketParameters({
            minBond: 1_000 ether,
            applicationPeriod: 1 hours,
            withdrawalDelay: 1 days,
            protocolFeeBps: 700,
            treasuryShareBps: 2_500,
            curatorShareBps: 5_500,
            validatorShareBps: 2_000,
            defaultQualityBps: 5_000,
            earningsEscrowPeriod: 2 hours,
            maxEscrowPerBondBps: 1_000_000
        });
        registry = ListingRegistry(
            address(
                new ERC1967Proxy(
                    address(new ListingRegistry()),
                    abi.encodeCall(
                        ListingRegistry.initialize,
                        (IERC20(address(token)), address(this), address(this), address(this), market)
                    )
                )
            )
        );
        pool = StakePool(
            address(
                new ERC1967Proxy(
                    address(new StakePool()),
                    abi.encodeCall(
                        StakePool.initialize,
                        (
                            IERC20(address(token)),
                            address(this),
                            IStakePool.PoolParameters({minStake: 100 ether, thawingPeriod: 1 hours})
                        )
                    )
                )
            )
        );
        IValidationManager.ValidationParameters memory params = IValidationManager.ValidationParameters({
            requestFee: 10 ether,
            roundReward: 100 ether,
            roundPeriod: 1 days,
            commitPeriod: 1 hours,
            revealPeriod: 1 hours,
            committeeSize: 5,
            quorum: 3,
            toleranceBps: 500,
            penaltyBps: 1_000,
            rewardShareBps: 1_000,
            minQualityBps: 3_000,
            drawPeriod: 1 days,
            reimbursedCalls: 200
        });
        validation = ValidationManager(
            address(
                new ERC1967Proxy(
                    address(new ValidationManager()),
                    abi.encodeCall(
                        ValidationManager.initialize,
                        (
                            address(this),
                            registry,
                            pool,
                            IListingChallenges(address(new RefusingChallenges())),
                            new FixedRandomness(7),
                            params
                        )
                    )
                )
            )
        );
        pool.setManager(address(validation));
        registry.setValidationRole(address(validation));
        handler = new ValidationHandler(token, registry, pool, validation, actors);
        for (uint256 i = 0; i <= actors.length; ++i) {
            vm.startPrank(i == actors.length ? address(0xBEEF) : actors[i]);
            token.approve(address(registry), type(uint256).max);
            token.approve(address(pool), type(uint256).max);
            token.approve(address(validation), type(uint256).max);
            vm.stopPrank();
        }
        // Sequences start from a live market: two Active listings and four validators staked (the other two join,
        // and everyone leaves, at random).
        handler.list(0);
        handler.list(1);
        vm.warp(block.timestamp + 1 hours);
        handler.activate(0);
        handler.activate(1);
        for (uint256 a; a < 4; ++a) handler.stake(a, 1_000 ether);
        handler.donate(499 ether); // validator fees the registry swept in
        targetContract(address(handler));
    }

    /// @notice A committee comes from the weights frozen when the round's randomness was requested (openRound): stake
    /// changes made after it (the seed is then known) cannot change who sits. The same seed is drawn twice, from one
    /// snapshot, with and without the late change. A top-up changes no seat; an unstake may only cost the unstaker its
    /// own seats (its frozen weight is no longer backed), which are drawn again among the others.
    function test_lateStakeChangesDoNotMoveSeats(
        uint256[6] memory stakes,
        uint256 who,
        uint256 amount,
        bool unstake,
        uint256 delay,
        uint256 seed
    ) public {
        for (uint256 a = 0; a < actors.length; ++a) {
            vm.prank(actors[a]);
            pool.stake(bound(stakes[a], 100 ether, 1_000 ether));
        }
        (, , address source) = validation.addresses();
        FixedRandomness(source).setSeed(seed);
        vm.prank(address(0xBEEF));
        uint256 roundId = validation.openRound(1);
        vm.warp(block.timestamp + bound(delay, 0, 23 hours)); // any moment of the draw period
        address mover = actors[who % actors.length];
        uint256 snapshot = vm.snapshotState();
        validation.drawCommittee(roundId);
        uint256[6] memory seatsBefore = _seats(roundId);
        vm.revertToState(snapshot);
        uint256 staked = pool.memberOf(mover).staked;
        amount = bound(amount, 1, unstake ? staked : 5_000 ether);
        if (unstake && staked - amount < 100 ether) amount = staked; // a stake below the minimum leaves whole
        vm.prank(mover);
        if (unstake) pool.requestUnstake(amount);
        else pool.stake(amount);
        validation.drawCommittee(roundId);
        uint256[6] memory seatsAfter = _seats(roundId);
        for (uint256 a = 0; a < actors.length; ++a) {
            if (!unstake) assertEq(seatsAfter[a], seatsBefore[a], "a top-up after the request moved a seat");
            else if (actors[a] == mover) assertLe(seatsAfter[a], seatsBefore[a], "the unstaker won a seat");
            else assertLe(seatsBefore[a], seatsAfter[a], "an unstake after the request took another's seat");
        }
    }

    function _seats(uint256 roundId) private view returns (uint256[6] memory seats) {
        for (uint256 a = 0; a < actors.length; ++a) seats[a] = validation.memberOf(roundId, actors[a]).seats;
    }

    /// @notice Value never moves away from an honest validator (one that every finalised round found revealing within
    /// the tolerance of the median): its stake is exactly what it deposited less what it withdrew, whatever the
    /// others did. A slash of an in-tolerance reveal would fail here even if the slashed stake stayed accounted for.
    function invariant_honestValidatorsKeepTheirStake() public view {
        for (uint256 a = 0; a < actors.length; ++a) {
            address validator = actors[a];
            if (handler.dishonest(validator)) continue;
            IStakePool.Member memory m = pool.memberOf(validator);
            assertEq(
                uint256(m.staked) + m.thawing + handler.withdrawn(validator),
                handler.deposited(validator),
                "an honest validator's stake moved"
            );
        }
    }

    /// @notice The handler plays whole rounds: a round with every member honest credits its reward; one with an absent
    /// and an outlying member penalises them. (Without this, the invariants below could hold over sequences that never
    /// reach the money.)
    function test_handlerPlaysWholeRounds() public {
        handler.playRound(0, 0, 0);
        assertEq(handler.finalizedRounds(), 1, "a round finalised");
        uint256 first = handler.rounds(0);
        assertEq(uint256(validation.getRound(first).medianBps), 8_000, "the honest median");
        assertLe(1, handler.credited(first), "rewards credited");
        vm.warp(block.timestamp + 1 days);
        handler.playRound(0, 1, 2);
        assertEq(handler.finalizedRounds(), 2, "a second round finalised");
        invariant_honestValidatorsKeepTheirStake();
        invariant_everyTokenAccountedFor();
        invariant_nothingStuckOnceEveryoneLeft();
    }

    /// @notice The manager holds exactly its credited rewards plus its reward pool; the validators' pool holds exactly
    /// its members' stakes (the manager takes penalties out when a round closes); every lock is covered by the member's
    /// stake; every weight the tree holds is the drawable stake, unless it changed while a draw was pending.
    function invariant_everyTokenAccountedFor() public view {
        (uint256 rewardsOwed, uint256 rewardPool, uint256 held) = validation.totalOwed();
        assertEq(token.balanceOf(address(validation)), rewardsOwed + rewardPool + held, "manager balance");
        (uint256 stakes, uint256 locked) = pool.totalOwed();
        assertEq(token.balanceOf(address(pool)), stakes, "validators' pool balance");
        uint256 sum;
        uint256 lockedSum;
        uint256 rewardsSum;
        for (uint256 a; a < actors.length; ++a) {
            IStakePool.Member memory m = pool.memberOf(actors[a]);
            sum += uint256(m.staked) + m.thawing;
            lockedSum += m.locked;
            rewardsSum += validation.rewardsOf(actors[a]);
            assertLe(m.locked, uint256(m.staked) + m.thawing, "locked above stake");
            (uint256 weight, ) = pool.drawWeight(actors[a]);
            if (!handler.weightStale(actors[a])) assertEq(weight, m.staked / 1e18, "draw weight");
        }
        assertEq(sum, stakes, "sum of validator stakes");
        assertEq(lockedSum, locked, "sum of locks");
        assertEq(rewardsSum, rewardsOwed, "sum of credited rewards");
    }

    /// @notice No requested round ever credits more than its requester paid, and no round more than the round reward
    /// plus its seats' reimbursed calls at the price fixed when it opened.
    function invariant_roundsPayAtMostTheirBudget() public view {
        for (uint256 i; i < handler.roundCount(); ++i) {
            uint256 roundId = handler.rounds(i);
            uint256 paid = handler.credited(roundId);
            IValidationManager.Round memory r = validation.getRound(roundId);
            uint256 reimbursements = uint256(r.seated) * 200 * r.pricePerCall;
            assertLe(paid, 100 ether + reimbursements, "a round credited more than its reward and reimbursements");
            uint256 fee = handler.feeOf(roundId);
            if (fee > 0) assertLe(paid, fee, "a requested round credited more than its fee");
        }
    }

    /// @notice A round's counts are in seats and never exceed them; its committee's seats add up to what it seated.
    function invariant_roundCountsInSeats() public view {
        for (uint256 i; i < handler.roundCount(); ++i) {
            uint256 roundId = handler.rounds(i);
            IValidationManager.Round memory r = validation.getRound(roundId);
            assertLe(r.revealed, r.committed, "more reveals than commitments");
            assertLe(r.committed, r.seated, "more commitments than seats");
            assertLe(r.seated, r.committeeSize, "more seats than the committee size");
            address[] memory committee = validation.committeeOf(roundId);
            uint256 seats;
            for (uint256 m; m < committee.length; ++m) seats += validation.memberOf(roundId, committee[m]).seats;
            assertEq(seats, r.seated, "the members' seats vs the round's");
        }
    }

    /// @notice After any sequence every round ends, every reward is claimed and every validator leaves: nothing stays
    /// locked or owed, the validators' pool is empty and the manager holds only its reward pool.
    function invariant_nothingStuckOnceEveryoneLeft() public {
        uint256 snapshot = vm.snapshotState();
        handler.everyoneLeaves();
        (uint256 stakes, uint256 locked) = pool.totalOwed();
        assertEq(stakes + locked, 0, "stake left in the validators' pool");
        assertEq(token.balanceOf(address(pool)), 0, "tokens stuck in the validators' pool");
        (uint256 rewardsOwed, uint256 rewardPool, uint256 held) = validation.totalOwed();
        assertEq(rewardsOwed, 0, "rewards still owed");
        assertEq(held, 0, "a fee or reward still held");
        assertEq(token.balanceOf(address(validation)), rewardPool, "manager balance");
        assertEq(pool.pendingDraws(), 0, "a draw still pending");
        vm.revertToState(snapshot);
    }
}
