// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

// Fuzzer naming convention: invariant_<property>, testFuzz_<property>.
// solhint-disable func-name-mixedcase

import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {CuriaToken} from "../../contracts/governance/CuriaToken.sol";
import {ICuriaToken} from "../../contracts/interfaces/ICuriaToken.sol";
import {CuriaTest} from "./CuriaTest.sol";

/// @dev Random transfers, delegations, mints and time jumps among a fixed set of holders.
contract TokenHandler is CuriaTest {
    CuriaToken public immutable token;
    address public immutable owner;
    address[] public actors;

    constructor(CuriaToken token_, address owner_, address[] memory actors_) {
        token = token_;
        owner = owner_;
        actors = actors_;
    }

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    function transfer(uint256 fromSeed, uint256 toSeed, uint256 amount) external {
        address from = actors[fromSeed % actors.length];
        address to = actors[toSeed % actors.length];
        amount = bound(amount, 0, token.balanceOf(from));
        vm.prank(from);
        token.transfer(to, amount);
    }

    function delegate(uint256 fromSeed, uint256 toSeed) external {
        address from = actors[fromSeed % actors.length];
        // Seed 0 of the delegatee range means "undelegate" (delegate to the zero address).
        uint256 pick = toSeed % (actors.length + 1);
        address to = pick == actors.length ? address(0) : actors[pick];
        vm.prank(from);
        token.delegate(to);
    }

    function mint(uint256 toSeed, uint256 amount) external {
        address to = actors[toSeed % actors.length];
        amount = bound(amount, 0, token.cap() - token.totalSupply());
        vm.prank(owner);
        token.mint(to, amount);
    }

    function elapse(uint256 secondsAhead) external {
        vm.warp(block.timestamp + bound(secondsAhead, 1, 30 days));
    }
}

/// @notice Voting power is conserved: whatever holders do, the votes of all delegates add up to the balances of
/// the holders who delegated, no account has more votes than the supply, and the supply never passes the cap.
contract CuriaTokenVotesInvariants is CuriaTest {
    CuriaToken internal token;
    TokenHandler internal handler;
    address[] internal actors;

    function setUp() public {
        for (uint256 i = 1; i <= 5; ++i) actors.push(address(uint160(0xA000 + i)));
        ICuriaToken.Allocation[] memory allocations = new ICuriaToken.Allocation[](actors.length);
        for (uint256 i = 0; i < actors.length; ++i) allocations[i] = ICuriaToken.Allocation(actors[i], 1_000_000 ether);
        bytes memory init = abi.encodeCall(
            CuriaToken.initialize,
            ("Curia", "CUR", 10_000_000 ether, address(this), allocations)
        );
        token = CuriaToken(address(new ERC1967Proxy(address(new CuriaToken()), init)));
        handler = new TokenHandler(token, address(this), actors);
        targetContract(address(handler));
    }

    function invariant_votesEqualDelegatedBalances() public view {
        uint256 votes;
        uint256 delegated;
        for (uint256 i = 0; i < actors.length; ++i) {
            votes += token.getVotes(actors[i]);
            if (token.delegates(actors[i]) != address(0)) delegated += token.balanceOf(actors[i]);
        }
        assertEq(votes, delegated, "sum of votes vs delegated balances");
    }

    function invariant_supplyWithinCap() public view {
        assertLe(token.totalSupply(), token.cap(), "supply vs cap");
        uint256 balances;
        for (uint256 i = 0; i < actors.length; ++i) balances += token.balanceOf(actors[i]);
        assertEq(balances, token.totalSupply(), "balances vs supply");
    }

    function invariant_pastSupplyMatchesCheckpoints() public view {
        if (block.timestamp == 0) return;
        assertLe(token.getPastTotalSupply(block.timestamp - 1), token.cap(), "past supply vs cap");
    }

    /// @notice A permit signed by nobody never moves an allowance.
    function testFuzz_permitRejectsForgedSignature(uint256 value, uint8 v, bytes32 r, bytes32 s) public {
        address holder = actors[0];
        try token.permit(holder, address(this), value, block.timestamp + 1, v, r, s) {
            revert AssertionFailed("forged permit accepted", value, 0);
        } catch {
            assertEq(token.allowance(holder, address(this)), 0, "allowance after forged permit");
        }
    }
}
