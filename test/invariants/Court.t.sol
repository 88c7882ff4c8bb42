// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

// Fuzzer naming convention: invariant_<property>.
// solhint-disable func-name-mixedcase

import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {CuriaToken} from "../../contracts/governance/CuriaToken.sol";
import {ListingRegistry} from "../../contracts/marketplace/ListingRegistry.sol";
import {ListingChallenges} from "../../contracts/marketplace/ListingChallenges.sol";
import {CurationPool} from "../../contracts/curation/CurationPool.sol";
import {Court} from "../../contracts/court/Court.sol";
import {StakePool} from "../../contracts/staking/StakePool.sol";
import {FixedRandomness} from "../../contracts/test/CourtTestTools.sol";
import {ICourt} from "../../contracts/interfaces/ICourt.sol";
import {ICuriaToken} from "../../contracts/interfaces/ICuriaToken.sol";
import {ICurationPool} from "../../contracts/interfaces/ICurationPool.sol";
import {IListingChallenges} from "../../contracts/interfaces/IListingChallenges.sol";
import {IListingRegistry} from "../../contracts/interfaces/IListingRegistry.sol";
import {IStakePool} from "../../contracts/interfaces/IStakePool.sol";
import {CuriaTest} from "./CuriaTest.sol";

/// @dev Random court activity by six accounts: staking in the jurors' pool, unstaking, challenges of up to four
/// listings through ListingChallenges, draws, commits, reveals, appeals, executions, DAO rulings and settlements. The
/// handler is the court's timelock (and treasury). It keeps a ghost ledger of the bonds ListingChallenges must hold.
contract CourtHandler is CuriaTest {
    CuriaToken public immutable token;
    ListingRegistry public immutable registry;
    CurationPool public immutable curation;
    Court public court;
    StakePool public jurorPool;
    ListingChallenges public challenges;
    address[] public actors;
    uint256[] public disputes;
    /// @dev The bond each challenge paid (the ghost ledger): ListingChallenges must hold those of open disputes.
    mapping(uint256 disputeId => uint256) public bondOf;
    /// @dev Whose stake changed while a draw was pending and has not been synced since: only their draw weight may
    /// differ from their drawable stake.
    mapping(address juror => bool) public weightStale;
    /// @dev Rewards paid per round by settlements (the ghost ledger of Court.settle's returns).
    mapping(uint256 disputeId => mapping(uint256 round => uint256)) public rewardsPaid;
    address public constant RESCUER = address(0xBEEF);
    /// @dev The fairness ledgers. A juror is honest until one of its votes is settled without a reveal of the final
    /// ruling (the handler judges this itself, from the vote and the ruling, never from what settle returns). An honest
    /// juror's stake is only ever moved by its own stakes and withdrawals, and each of its settlements pays it at least
    /// its seats' share of what the round's fees and its dishonest seats' penalties put in the pool: value never
    /// moves from one honest juror to another, nor from an honest juror to anyone.
    mapping(address juror => bool) public dishonest;
    mapping(address juror => uint256) public deposited;
    mapping(address juror => uint256) public withdrawn;
    /// @dev What honest settlements paid short of their fair share (0 unless value moved away from an honest juror).
    uint256 public honestShortfall;
    /// @dev The crowdfunded appeals' ledger: what funders paid ListingChallenges, the appeal costs it paid the court
    /// out of that, what it paid funders back, and how many rounds were appealed that way (each leaves at most one
    /// wei per funder of rounding behind).
    uint256 public appealFundsIn;
    uint256 public appealCostsPaid;
    uint256 public appealFundsOut;
    uint256 public crowdfundedRounds;

    uint256 private constant MAX_DISPUTES = 4;
    /// @dev The private key of the provider whose signed receipts consumers file as fraud proofs.
    uint256 public constant SERVING_KEY = 0xC0FFEE;

    constructor(CuriaToken token_, ListingRegistry registry_, CurationPool curation_, address[] memory actors_) {
        token = token_;
        registry = registry_;
        curation = curation_;
        actors = actors_;
    }

    /// @dev Once, by the test's setUp (the fuzzer calls it too, in vain): as the court's timelock, approve the adapter.
    function wire(Court court_, StakePool jurorPool_, ListingChallenges challenges_) external {
        if (address(court) != address(0)) return;
        court = court_;
        jurorPool = jurorPool_;
        challenges = challenges_;
        court_.setArbitrable(address(challenges_), true);
    }

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    function disputeCount() external view returns (uint256) {
        return disputes.length;
    }

    function _actor(uint256 seed) private view returns (address) {
        return actors[seed % actors.length];
    }

    function _dispute(uint256 seed) private view returns (uint256) {
        return disputes.length == 0 ? 1 : disputes[seed % disputes.length];
    }

    function _salt(address juror, uint256 disputeId, uint256 round) private pure returns (bytes32) {
        return keccak256(abi.encode("salt", juror, disputeId, round));
    }

    function stake(uint256 actorSeed, uint256 amount) external {
        address juror = _actor(actorSeed);
        vm.prank(juror);
        amount = bound(amount, 1, 5_000 ether);
        try jurorPool.stake(amount) {
            deposited[juror] += amount;
            _stakeChanged(juror);
        } catch {} // solhint-disable-line no-empty-blocks
    }

    function requestUnstake(uint256 actorSeed, uint256 amount) external {
        address juror = _actor(actorSeed);
        uint256 staked = jurorPool.memberOf(juror).staked;
        if (staked == 0) return;
        vm.prank(juror);
        try jurorPool.requestUnstake(bound(amount, 1, staked)) {
            _stakeChanged(juror);
        } catch {} // solhint-disable-line no-empty-blocks
    }

    function syncWeight(uint256 actorSeed) external {
        address juror = _actor(actorSeed);
        try jurorPool.syncWeight(juror) {
            weightStale[juror] = false;
        } catch {} // solhint-disable-line no-empty-blocks
    }

    /// @dev A change applies to the tree at once unless a draw is pending.
    function _stakeChanged(address juror) private {
        weightStale[juror] = jurorPool.pendingDraws() > 0;
    }

    function withdraw(uint256 actorSeed) external {
        address juror = _actor(actorSeed);
        vm.prank(juror);
        try jurorPool.withdraw() returns (uint256 amount) {
            withdrawn[juror] += amount;
        } catch {} // solhint-disable-line no-empty-blocks
    }

    function challenge(uint256 actorSeed, uint256 bond) external {
        if (disputes.length >= MAX_DISPUTES) return;
        address provider = _actor(actorSeed);
        address challenger = _actor(actorSeed + 1);
        vm.prank(provider);
        uint256 listingId = registry.createListing(
            keccak256(abi.encode(disputes.length)),
            "ipfs://m",
            "https://e",
            1,
            1_000 ether
        );
        // Some curators behind the listing, to be slashed if it is delisted.
        vm.prank(challenger);
        curation.stake(listingId, 500 ether);
        bond = bound(bond, 1_000 ether, 5_000 ether);
        vm.prank(challenger);
        try challenges.challenge(listingId, bond, "ipfs://evidence") returns (uint256 disputeId) {
            disputes.push(disputeId);
            bondOf[disputeId] = bond;
        } catch {} // solhint-disable-line no-empty-blocks
    }

    /// @dev A provider lists, a consumer buys calls (the provider's part goes to the listing's escrow), and files the
    /// receipt of an answer as a fraud proof: the same Court and settlement, with the escrow in the loser's stake.
    function fileFraudProof(uint256 actorSeed, uint256 bond, uint256 calls) external {
        if (disputes.length >= MAX_DISPUTES) return;
        address provider = vm.addr(SERVING_KEY);
        address consumer = _actor(actorSeed);
        bytes32 modelHash = keccak256(abi.encode("served", disputes.length));
        vm.prank(provider);
        uint256 listingId = registry.createListing(modelHash, "ipfs://m", "https://e", 1 ether, 1_000 ether);
        vm.warp(block.timestamp + registry.parameters().applicationPeriod);
        calls = bound(calls, 1, 1_000);
        vm.prank(consumer);
        registry.purchase(listingId, calls, consumer, 1 ether);
        IListingChallenges.InferenceReceipt memory receipt = IListingChallenges.InferenceReceipt({
            listingId: listingId,
            modelHash: modelHash,
            caller: consumer,
            nonce: calls,
            inputHash: keccak256("input"),
            outputHash: keccak256("output"),
            servedAt: block.timestamp
        });
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(SERVING_KEY, challenges.receiptDigest(receipt));
        bond = bound(bond, 1_000 ether, 5_000 ether);
        vm.prank(consumer);
        try challenges.fileFraudProof(receipt, abi.encodePacked(r, s, v), bond, "data:,in", "data:,out") returns (
            uint256 disputeId
        ) {
            disputes.push(disputeId);
            bondOf[disputeId] = bond;
        } catch {} // solhint-disable-line no-empty-blocks
    }

    function draw(uint256 disputeSeed, uint256 iterations) external {
        try court.draw(_dispute(disputeSeed), bound(iterations, 1, 20)) {} catch {} // solhint-disable-line no-empty-blocks
    }

    function commit(uint256 disputeSeed, uint256 actorSeed, bool forChallenger) external {
        uint256 disputeId = _dispute(disputeSeed);
        address juror = _actor(actorSeed);
        if (disputes.length == 0) return;
        uint256 round = court.getDispute(disputeId).rounds - 1;
        uint8 choice = forChallenger ? 1 : 2;
        bytes32 commitment = keccak256(abi.encode(choice, _salt(juror, disputeId, round), juror, disputeId, round));
        vm.prank(juror);
        try court.commit(disputeId, commitment) {} catch {} // solhint-disable-line no-empty-blocks
    }

    function reveal(uint256 disputeSeed, uint256 actorSeed) external {
        uint256 disputeId = _dispute(disputeSeed);
        address juror = _actor(actorSeed);
        if (disputes.length == 0) return;
        uint256 round = court.getDispute(disputeId).rounds - 1;
        bytes32 commitment = court.voteOf(disputeId, round, juror).commitment;
        bytes32 salt = _salt(juror, disputeId, round);
        uint8 choice = commitment == keccak256(abi.encode(uint8(1), salt, juror, disputeId, round)) ? 1 : 2;
        vm.prank(juror);
        try court.reveal(disputeId, choice, salt) {} catch {} // solhint-disable-line no-empty-blocks
    }

    function appeal(uint256 disputeSeed, uint256 actorSeed) external {
        vm.prank(_actor(actorSeed));
        try court.appeal(_dispute(disputeSeed)) {} catch {} // solhint-disable-line no-empty-blocks
    }

    /// @dev Anyone funds a side of an appeal; when both are funded the adapter pays the court the appeal's cost.
    function fundAppeal(uint256 disputeSeed, uint256 actorSeed, bool challengerSide, uint256 amount) external {
        if (disputes.length == 0) return;
        uint256 disputeId = _dispute(disputeSeed);
        uint256 round = court.getDispute(disputeId).rounds - 1;
        amount = bound(amount, 1, 1_000 ether);
        vm.prank(_actor(actorSeed));
        try challenges.fundAppeal(disputeId, challengerSide ? 1 : 2, amount) returns (uint256 taken) {
            appealFundsIn += taken;
            IListingChallenges.AppealFunding memory f = challenges.appealFundingOf(disputeId, round);
            if (f.appealed) {
                // Raised by this very call (a raised round takes no more funding).
                appealCostsPaid += f.cost;
                ++crowdfundedRounds;
            }
        } catch {} // solhint-disable-line no-empty-blocks
    }

    function withdrawAppealFunds(uint256 disputeSeed, uint256 roundSeed, uint256 actorSeed) external {
        if (disputes.length == 0) return;
        uint256 disputeId = _dispute(disputeSeed);
        _withdrawAppealFunds(disputeId, roundSeed % court.getDispute(disputeId).rounds, _actor(actorSeed));
    }

    function _withdrawAppealFunds(uint256 disputeId, uint256 round, address contributor) private {
        try challenges.withdrawAppealFunds(disputeId, round, contributor) returns (uint256 amount) {
            appealFundsOut += amount;
        } catch {} // solhint-disable-line no-empty-blocks
    }

    function execute(uint256 disputeSeed) external {
        try court.executeRuling(_dispute(disputeSeed)) {} catch {} // solhint-disable-line no-empty-blocks
    }

    function ruleAsDao(uint256 disputeSeed, bool forChallenger) external {
        try court.ruleAsDao(_dispute(disputeSeed), forChallenger ? 1 : 2) {} catch {} // solhint-disable-line no-empty-blocks
    }

    function settle(uint256 disputeSeed, uint256 roundSeed, uint256 actorSeed) external {
        if (disputes.length == 0) return;
        uint256 disputeId = _dispute(disputeSeed);
        uint256 round = roundSeed % court.getDispute(disputeId).rounds;
        _settle(disputeId, round, _actor(actorSeed));
    }

    /// @dev Moves a dispute through its current period with every drawn actor acting: a draw, commits (two bits of
    /// `votesSeed` per actor: for the challenger, for the defendant, or none), reveals, the end of the appeal period,
    /// the execution, or every settlement. Random single calls seldom finish a dispute within the suite's depth.
    function advance(uint256 disputeSeed, uint256 votesSeed, uint256 periods) external {
        periods = bound(periods, 1, 8);
        for (uint256 p; p < periods; ++p) _advance(disputeSeed, votesSeed);
    }

    function _advance(uint256 disputeSeed, uint256 votesSeed) private {
        if (disputes.length == 0) return;
        uint256 index = disputeSeed % disputes.length;
        uint256 disputeId = disputes[index];
        ICourt.Period period = court.periodOf(disputeId);
        uint256 round = court.getDispute(disputeId).rounds - 1;
        if (period == ICourt.Period.Drawing) {
            try court.draw(disputeId, 30) {} catch {} // solhint-disable-line no-empty-blocks
        } else if (period == ICourt.Period.Executable) {
            court.executeRuling(disputeId);
        } else if (period == ICourt.Period.Executed) {
            for (uint256 r; r <= round; ++r) {
                for (uint256 a; a < actors.length; ++a) _settle(disputeId, r, actors[a]);
            }
        } else if (period == ICourt.Period.Commit || period == ICourt.Period.Reveal) {
            for (uint256 a; a < actors.length; ++a) {
                uint256 choice = (votesSeed >> (2 * a)) % 4;
                if (period == ICourt.Period.Reveal) this.reveal(index, a);
                else if (choice != 0) this.commit(index, a, choice == 1);
            }
            ICourt.Round memory r = court.getRound(disputeId, round);
            vm.warp(period == ICourt.Period.Commit ? r.commitEnd + 1 : r.revealEnd + 1);
        } else if (period == ICourt.Period.Appeal) {
            vm.warp(court.getRound(disputeId, round).appealEnd + 1);
        }
    }

    function _settle(uint256 disputeId, uint256 round, address juror) private {
        ICourt.Vote memory v = court.voteOf(disputeId, round, juror);
        bool executed = court.periodOf(disputeId) == ICourt.Period.Executed;
        bool honest = v.revealed && v.choice == court.getDispute(disputeId).ruling;
        uint256 before = _wealth(juror);
        try court.settle(disputeId, round, juror) returns (uint256 reward, uint256 penalty) {
            rewardsPaid[disputeId][round] += reward;
            if (penalty > 0) _stakeChanged(juror);
            if (executed && !honest) dishonest[juror] = true;
            if (executed && honest) {
                uint256 share = _fairShare(disputeId, round, v.seats);
                uint256 gained = _wealth(juror) >= before ? _wealth(juror) - before : 0;
                if (gained < share) honestShortfall += share - gained;
            }
        } catch {} // solhint-disable-line no-empty-blocks
    }

    /// @dev What a juror holds: its tokens and its stake (staked and thawing).
    function _wealth(address juror) private view returns (uint256) {
        IStakePool.Member memory m = jurorPool.memberOf(juror);
        return token.balanceOf(juror) + m.staked + m.thawing;
    }

    /// @dev A lower bound of an honest vote's reward computed from the round's record alone (not from its rewardPool):
    /// its seats' share of the round's fees and of the penalties of the seats that did not vote for the ruling. (The
    /// last round's share of the arbitrable's juror reward only adds to it.) Court.settle's cumulative rounding pays
    /// each juror at least the floor of its exact share, so no dust allowance is needed.
    function _fairShare(uint256 disputeId, uint256 round, uint256 seats) private view returns (uint256) {
        ICourt.Round memory r = court.getRound(disputeId, round);
        uint256 coherent = court.getDispute(disputeId).ruling == 1 ? r.challengerVotes : r.defendantVotes;
        uint256 fromOthers = uint256(r.fees) + (r.seats - coherent) * uint256(r.penaltyPerSeat);
        return (fromOthers * seats) / coherent;
    }

    function elapse(uint256 secondsAhead) external {
        vm.warp(block.timestamp + bound(secondsAhead, 1, 2 hours));
    }

    /// @dev Every dispute runs to its end (a rescuer stakes so that juries can be drawn), every vote is settled, the
    /// keeper claims its draw rewards, and every juror leaves.
    function everyoneLeaves() external {
        vm.prank(RESCUER);
        jurorPool.stake(1_000_000 ether);
        for (uint256 i; i < disputes.length; ++i) {
            uint256 disputeId = disputes[i];
            for (uint256 guard; guard < 20; ++guard) {
                ICourt.Period period = court.periodOf(disputeId);
                if (period == ICourt.Period.Executed) break;
                // The rescuer's stake may wait for the pending draws to end: past the deadline, a draw ends them.
                if (period == ICourt.Period.Drawing) {
                    if (court.draw(disputeId, 600) == 0) vm.warp(block.timestamp + 1 days);
                } else if (period == ICourt.Period.DaoReview) court.ruleAsDao(disputeId, 2);
                else if (period == ICourt.Period.Executable) court.executeRuling(disputeId);
                else vm.warp(block.timestamp + 1 hours);
            }
            uint256 rounds = court.getDispute(disputeId).rounds;
            for (uint256 r; r < rounds; ++r) {
                for (uint256 a; a < actors.length; ++a) _withdrawAppealFunds(disputeId, r, actors[a]);
                for (uint256 a; a <= actors.length; ++a) {
                    address juror = a == actors.length ? RESCUER : actors[a];
                    ICourt.Vote memory v = court.voteOf(disputeId, r, juror);
                    if (v.seats > 0 && !v.settled) {
                        (uint256 reward, ) = court.settle(disputeId, r, juror);
                        rewardsPaid[disputeId][r] += reward;
                        if (!v.revealed || v.choice != court.getDispute(disputeId).ruling) dishonest[juror] = true;
                    }
                }
            }
        }
        for (uint256 a; a <= actors.length; ++a) {
            address juror = a == actors.length ? RESCUER : actors[a];
            uint256 staked = jurorPool.memberOf(juror).staked;
            if (staked > 0) {
                vm.prank(juror);
                jurorPool.requestUnstake(staked);
            }
        }
        vm.warp(block.timestamp + 2 hours);
        for (uint256 a; a <= actors.length; ++a) {
            address juror = a == actors.length ? RESCUER : actors[a];
            if (jurorPool.memberOf(juror).thawing > 0) {
                vm.prank(juror);
                withdrawn[juror] += jurorPool.withdraw();
            }
        }
        // This handler drew every round: its draw rewards wait for its claim.
        court.claimDrawRewards(address(this));
        court.sweepTreasury();
    }

    function sweepTreasury() external {
        court.sweepTreasury();
    }

    /// @dev CUR sent straight to the court and the jurors' pool (or nothing), then swept by anyone: the invariants'
    /// exact balances hold after it only if the sweeps took that surplus and nothing the court or the jurors are owed.
    function strayAndSweep(uint256 amount, bool send) external {
        if (send) {
            amount = bound(amount, 1, 50 ether);
            vm.startPrank(RESCUER);
            token.transfer(address(jurorPool), amount);
            token.transfer(address(court), amount);
            vm.stopPrank();
        }
        try jurorPool.sweepStrayTokens(address(token)) {} catch {} // solhint-disable-line no-empty-blocks
        try court.sweepStrayTokens(address(token)) {} catch {} // solhint-disable-line no-empty-blocks
    }
}

/// @notice Conservation and liveness of the court's money under random sequences of calls.
contract CourtInvariants is CuriaTest {
    CuriaToken internal token;
    ListingRegistry internal registry;
    CurationPool internal curation;
    StakePool internal jurorPool;
    Court internal court;
    ListingChallenges internal challenges;
    CourtHandler internal handler;
    address[] internal actors;

    function setUp() public {
        for (uint256 i = 1; i <= 6; ++i) actors.push(address(uint160(0xC000 + i)));
        ICuriaToken.Allocation[] memory allocations = new ICuriaToken.Allocation[](actors.length + 2);
        for (uint256 i = 0; i < actors.length; ++i) allocations[i] = ICuriaToken.Allocation(actors[i], 1e30);
        allocations[actors.length] = ICuriaToken.Allocation(address(0xBEEF), 1e30);
        address servingProvider = vm.addr(0xC0FFEE); // CourtHandler.SERVING_KEY
        allocations[actors.length + 1] = ICuriaToken.Allocation(servingProvider, 1e30);
        token = CuriaToken(
            address(
                new ERC1967Proxy(
                    address(new CuriaToken()),
                    abi.encodeCall(CuriaToken.initialize, ("Curia", "CUR", 1e36, address(this), allocations))
                )
            )
        );
        _deployMarketplace();
        handler = new CourtHandler(token, registry, curation, actors);
        jurorPool = StakePool(
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
        _deployCourt();
        jurorPool.setManager(address(court));
        handler.wire(court, jurorPool, challenges);
        registry.setChallengeRole(address(challenges));
        curation.setSlasher(address(challenges));
        for (uint256 i = 0; i <= actors.length; ++i) {
            vm.startPrank(i == actors.length ? address(0xBEEF) : actors[i]);
            token.approve(address(registry), type(uint256).max);
            token.approve(address(curation), type(uint256).max);
            token.approve(address(court), type(uint256).max);
            token.approve(address(jurorPool), type(uint256).max);
            token.approve(address(challenges), type(uint256).max);
            vm.stopPrank();
        }
        vm.prank(servingProvider);
        token.approve(address(registry), type(uint256).max);
        targetContract(address(handler));
    }

    /// @notice The handler's fraud proofs do open disputes (the invariants would prove little if they all reverted).
    function test_handlerFilesFraudProofs() public {
        for (uint256 a = 0; a < actors.length; ++a) handler.stake(a, 2_000 ether);
        handler.fileFraudProof(0, 1_000 ether, 10);
        assertEq(handler.disputeCount(), 1, "the fraud proof opened no dispute");
        assertEq(uint256(registry.statusOf(1)), uint256(IListingRegistry.ListingStatus.Challenged), "listing");
    }

    /// @notice The handler's `advance` takes a dispute to honest settlements (the fairness invariant would prove little
    /// if no honest juror were ever settled): every juror votes for the defendant and is paid its share.
    function test_advanceSettlesHonestJurors() public {
        for (uint256 a = 0; a < actors.length; ++a) handler.stake(a, 2_000 ether);
        handler.challenge(0, 1_000 ether);
        uint256 allForDefendant = 0xAAAAAAAA; // two bits per actor: 2 = for the defendant
        for (uint256 step; step < 8 && court.periodOf(1) != ICourt.Period.Executed; ++step) {
            handler.advance(0, allForDefendant, 1);
        }
        assertEq(uint256(court.periodOf(1)), uint256(ICourt.Period.Executed), "dispute not executed");
        handler.advance(0, allForDefendant, 1);
        uint256 settled;
        for (uint256 a = 0; a < actors.length; ++a) {
            ICourt.Vote memory v = court.voteOf(1, 0, actors[a]);
            if (v.seats > 0) {
                assertEq(v.settled ? 1 : 0, 1, "vote not settled");
                assertEq(handler.dishonest(actors[a]) ? 1 : 0, 0, "an honest juror marked dishonest");
                ++settled;
            }
        }
        assertLe(1, settled, "nobody settled");
        invariant_honestJurorsNeverPayOthers();
    }

    /// @notice The handler's crowdfunded appeals do get raised, paid back and conserved (the invariants would prove
    /// little about them if every fundAppeal reverted): both sides of a round funded, a second jury, every funder paid.
    function test_handlerCrowdfundsAppeals() public {
        for (uint256 a = 0; a < actors.length; ++a) handler.stake(a, 2_000 ether);
        handler.challenge(0, 1_000 ether);
        uint256 allForDefendant = 0xAAAAAAAA;
        // (The handler bounds its inputs by modulo: 0 periods is one, 1_000 ether - 1 is 1,000 CUR.)
        for (uint256 step; step < 8 && court.periodOf(1) != ICourt.Period.Appeal; ++step) {
            handler.advance(0, allForDefendant, 0);
        }
        assertEq(uint256(court.periodOf(1)), uint256(ICourt.Period.Appeal), "no appeal period");
        handler.fundAppeal(0, 2, true, 1_000 ether - 1); // the losing (challenger's) side: 3 × the cost
        handler.fundAppeal(0, 3, false, 1_000 ether - 1); // the winning side: 2 × the cost, which raises the appeal
        assertEq(handler.crowdfundedRounds(), 1, "appeal not raised");
        assertEq(court.getDispute(1).rounds, 2, "no second round");
        invariant_poolsHoldWhatTheyOwe();
        invariant_nothingStuckOnceEveryoneLeft();
    }

    /// @notice Seats come from the weights frozen when the round's randomness was requested: stake changes made after
    /// the request (after the seed is known, before or between draw calls) cannot change who sits. The same seed is
    /// drawn twice, from one snapshot, with and without the late change. A top-up changes nothing; an unstake may only
    /// cost the unstaker its own seats (its frozen weight is no longer backed), which are drawn again among the others.
    /// Stakes of one to three seats, so jurors are often drawn for more seats than their stake covers: a top-up after
    /// the seed must not turn such a skipped attempt into a seat (StakePool bounds every lock by the frozen weight).
    function test_lateStakeChangesDoNotMoveSeats(
        uint256[6] memory stakes,
        uint256 who,
        uint256 amount,
        bool unstake,
        uint256 drawnFirst,
        uint256 seed
    ) public {
        for (uint256 a = 0; a < actors.length; ++a) {
            vm.prank(actors[a]);
            jurorPool.stake(bound(stakes[a], 100 ether, 300 ether));
        }
        FixedRandomness(_randomness()).setSeed(seed);
        handler.challenge(0, 1_000 ether);
        drawnFirst = bound(drawnFirst, 0, 2);
        if (drawnFirst > 0) court.draw(1, drawnFirst); // the seed is known, some seats are already drawn
        address mover = actors[who % actors.length];
        uint256 snapshot = vm.snapshotState();
        uint256[6] memory seatsBefore = _drawAll();
        vm.revertToState(snapshot);
        uint256 staked = jurorPool.memberOf(mover).staked;
        amount = bound(amount, 1, unstake ? staked : 5_000 ether);
        if (unstake && staked - amount < 100 ether) amount = staked; // a stake below the minimum leaves whole
        vm.prank(mover);
        if (unstake) jurorPool.requestUnstake(amount);
        else jurorPool.stake(amount);
        uint256[6] memory seatsAfter = _drawAll();
        for (uint256 a = 0; a < actors.length; ++a) {
            if (!unstake) assertEq(seatsAfter[a], seatsBefore[a], "a top-up after the request moved a seat");
            else if (actors[a] == mover) assertLe(seatsAfter[a], seatsBefore[a], "the unstaker won a seat");
            else assertLe(seatsBefore[a], seatsAfter[a], "an unstake after the request took another's seat");
        }
    }

    function _randomness() private view returns (address source) {
        (, , source) = court.addresses();
    }

    /// @dev Draws the first round's remaining seats (past the deadline, if attempts keep failing) and counts them.
    function _drawAll() private returns (uint256[6] memory seats) {
        for (uint256 i; i < 10 && court.periodOf(1) == ICourt.Period.Drawing; ++i) court.draw(1, 50);
        for (uint256 a = 0; a < actors.length; ++a) seats[a] = court.voteOf(1, 0, actors[a]).seats;
    }

    function _deployMarketplace() private {
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
        ICurationPool.CurationParameters memory curationParams = ICurationPool.CurationParameters({
            minStake: 100 ether,
            thawingPeriod: 1 days,
            slashBps: 3_333,
            warmupPeriod: 1 hours
        });
        curation = CurationPool(
            address(
                new ERC1967Proxy(
                    address(new CurationPool()),
                    abi.encodeCall(
                        CurationPool.initialize,
                        (IERC20(address(token)), address(this), registry, address(0), curationParams)
                    )
                )
            )
        );
        registry.setCurationPool(curation);
    }

    function _deployCourt() private {
        ICourt.CourtParameters memory params = ICourt.CourtParameters({
            seatStake: 100 ether,
            arbitrationFeePerSeat: 10 ether,
            appealFeePerSeat: 20 ether,
            commitPeriod: 1 hours,
            revealPeriod: 1 hours,
            appealPeriod: 1 hours,
            firstRoundSeats: 3,
            maxJurorRounds: 2,
            penaltyBps: 3_333,
            drawPeriod: 1 days,
            drawRewardBps: 500,
            daoReviewPeriod: 1 days
        });
        court = Court(
            address(
                new ERC1967Proxy(
                    address(new Court()),
                    abi.encodeCall(Court.initialize, (address(handler), jurorPool, new FixedRandomness(42), params))
                )
            )
        );
        IListingChallenges.ChallengeParameters memory challengeParams = IListingChallenges.ChallengeParameters({
            minChallengeBond: 1_000 ether,
            winnerShareBps: 5_000,
            jurorShareBps: 3_000,
            treasuryShareBps: 2_000
        });
        challenges = ListingChallenges(
            address(
                new ERC1967Proxy(
                    address(new ListingChallenges()),
                    abi.encodeCall(
                        ListingChallenges.initialize,
                        (
                            address(handler),
                            registry,
                            court,
                            challengeParams,
                            IListingChallenges.AppealFundingParameters({
                                winnerMultiplierBps: 10_000,
                                loserMultiplierBps: 20_000
                            }),
                            "ipfs://policy",
                            "curia://rounds/"
                        )
                    )
                )
            )
        );
    }

    /// @notice The court holds nothing; the jurors' pool holds exactly the stakes plus the court's funds (fees and
    /// unpaid rewards, less the penalties already promised to coherent jurors, which still sit inside the penalised
    /// jurors' locked stakes until they are settled); stake that is not locked is always backed; ListingChallenges
    /// holds exactly the bonds of the challenges still open.
    function invariant_poolsHoldWhatTheyOwe() public view {
        (uint256 escrow, uint256 rewards, uint256 pendingPenalties, uint256 treasury) = court.totalOwed();
        (uint256 stakes, uint256 locked) = jurorPool.totalOwed();
        uint256 poolBalance = token.balanceOf(address(jurorPool));
        assertEq(token.balanceOf(address(court)), 0, "tokens in the court");
        assertEq(poolBalance + pendingPenalties, stakes + escrow + rewards + treasury, "jurors' pool balance");
        assertLe(stakes - locked, poolBalance, "free stake not backed");
        uint256 openBonds;
        for (uint256 i; i < handler.disputeCount(); ++i) {
            uint256 disputeId = handler.disputes(i);
            if (court.periodOf(disputeId) != ICourt.Period.Executed) openBonds += handler.bondOf(disputeId);
        }
        // Plus the appeal funds not yet paid back: a ruling never pays out of them, an appeal's cost never comes out
        // of a bond, and no funder is paid more than was raised.
        assertLe(
            handler.appealCostsPaid() + handler.appealFundsOut(),
            handler.appealFundsIn(),
            "appeal funds overpaid"
        );
        uint256 appealFunds = handler.appealFundsIn() - handler.appealCostsPaid() - handler.appealFundsOut();
        assertEq(
            token.balanceOf(address(challenges)),
            openBonds + appealFunds,
            "bonds and appeal funds held by ListingChallenges"
        );
        // Its own books agree, so a stray-token sweep can never take a bond or an appeal fund.
        (uint256 bondsHeld, uint256 appealFundsHeld) = challenges.totalHeld();
        assertEq(bondsHeld, openBonds, "ListingChallenges' bond total");
        assertEq(appealFundsHeld, appealFunds, "ListingChallenges' appeal fund total");
        uint256 sum;
        uint256 lockedSum;
        for (uint256 a = 0; a < actors.length; ++a) {
            IStakePool.Member memory m = jurorPool.memberOf(actors[a]);
            sum += uint256(m.staked) + m.thawing;
            lockedSum += m.locked;
            // Locks are always covered: no stake can go negative when penalties are taken.
            assertLe(m.locked, uint256(m.staked) + m.thawing, "locked above stake");
            // Stake changes made while a draw is pending wait for a sync; every other weight is the drawable stake.
            (uint256 weight, ) = jurorPool.drawWeight(actors[a]);
            if (!handler.weightStale(actors[a])) assertEq(weight, m.staked / 1e18, "draw weight");
        }
        assertEq(sum, stakes, "sum of juror stakes");
        assertEq(lockedSum, locked, "sum of locks");
        assertLe(pendingPenalties, locked, "pending penalties above locked stake");
    }

    /// @notice Value never moves away from an honest juror (one whose every settled vote revealed the final ruling):
    /// its stake is exactly what it deposited less what it withdrew, whoever else acted in between, and each of its
    /// settlements paid at least its share of the fees and of the dishonest seats' penalties. ("Nobody takes out more
    /// than they put in" would pass if one honest juror's reward were paid from another honest juror's stake.)
    function invariant_honestJurorsNeverPayOthers() public view {
        assertEq(handler.honestShortfall(), 0, "an honest settlement paid less than its fair share");
        for (uint256 a = 0; a < actors.length; ++a) {
            address juror = actors[a];
            if (handler.dishonest(juror)) continue;
            IStakePool.Member memory m = jurorPool.memberOf(juror);
            assertEq(
                uint256(m.staked) + m.thawing + handler.withdrawn(juror),
                handler.deposited(juror),
                "an honest juror's stake moved"
            );
        }
    }

    /// @notice A round whose coherent seats have all been settled has paid out its reward pool to the wei (the
    /// cumulative rounding of Court.settle), and no round ever pays more than its pool.
    function invariant_roundsPayTheirPoolExactly() public view {
        for (uint256 i; i < handler.disputeCount(); ++i) {
            uint256 disputeId = handler.disputes(i);
            uint256 rounds = court.getDispute(disputeId).rounds;
            for (uint256 r; r < rounds; ++r) {
                ICourt.Round memory round = court.getRound(disputeId, r);
                uint256 paid = handler.rewardsPaid(disputeId, r);
                assertLe(paid, round.rewardPool, "a round paid more than its pool");
                if (round.coherentSeats > 0 && round.settledCoherentSeats == round.coherentSeats) {
                    assertEq(paid, round.rewardPool, "a settled round's rewards vs its pool");
                }
            }
        }
    }

    /// @notice After any sequence, every dispute can be finished and settled and every juror can leave: nothing stays
    /// locked or stuck in the court, the jurors' pool or ListingChallenges.
    function invariant_nothingStuckOnceEveryoneLeft() public {
        uint256 snapshot = vm.snapshotState();
        handler.everyoneLeaves();
        assertEq(token.balanceOf(address(jurorPool)), 0, "tokens stuck in the jurors' pool");
        // Every funder was paid back what it was owed: only pro-rata rounding (under a wei per funder) stays behind.
        assertLe(
            token.balanceOf(address(challenges)),
            handler.crowdfundedRounds() * actors.length,
            "tokens stuck in ListingChallenges"
        );
        (uint256 escrow, uint256 rewards, uint256 pendingPenalties, uint256 treasury) = court.totalOwed();
        (uint256 stakes, uint256 locked) = jurorPool.totalOwed();
        assertEq(stakes + locked + escrow + rewards + pendingPenalties + treasury, 0, "court and pool totals");
        for (uint256 a = 0; a < actors.length; ++a) {
            assertEq(jurorPool.memberOf(actors[a]).locked, 0, "stake still locked");
        }
        // Every round of every dispute has paid its whole pool, to the wei.
        for (uint256 i; i < handler.disputeCount(); ++i) {
            uint256 disputeId = handler.disputes(i);
            uint256 rounds = court.getDispute(disputeId).rounds;
            for (uint256 r; r < rounds; ++r) {
                assertEq(handler.rewardsPaid(disputeId, r), court.getRound(disputeId, r).rewardPool, "pool paid out");
            }
        }
        vm.revertToState(snapshot);
    }
}
