// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

// Test-only contracts of the court and staking tests; never deployed by deploy/.

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IRandomnessSource} from "../interfaces/IRandomnessSource.sol";
import {IStakePool} from "../interfaces/IStakePool.sol";
import {SortitionSumTree} from "../libraries/SortitionSumTree.sol";

/// @dev Exposes SortitionSumTree for unit and statistical tests.
contract SortitionSumTreeHarness {
    using SortitionSumTree for SortitionSumTree.Tree;

    SortitionSumTree.Tree private _tree;
    /// @dev The tree's caller keeps each account's leaf + 1 (the StakePool keeps it in the member's record).
    mapping(address account => uint256) private _leafOf;
    /// @dev And the tree's height.
    uint256 private _height;

    function set(address account, uint64 weight) external {
        (_leafOf[account], _height) = _tree.set(_height, _leafOf[account], account, weight);
    }

    function draw(uint256 value) external view returns (address account) {
        (account, ) = _tree.draw(_height, value);
    }

    function drawWithWeight(uint256 value) external view returns (address account, uint256 weight) {
        return _tree.draw(_height, value);
    }

    function weightOf(address account) external view returns (uint256) {
        return _tree.weightAt(_leafOf[account]);
    }

    function total() external view returns (uint256) {
        return _tree.totalWeight(_height);
    }

    function height() external view returns (uint256) {
        return _height;
    }

    /// @dev How often each of `accounts` is drawn in `count` draws seeded by keccak256(seed, i).
    function drawCounts(
        address[] calldata accounts,
        uint256 seed,
        uint256 count
    ) external view returns (uint256[] memory counts) {
        counts = new uint256[](accounts.length);
        uint256 totalWeight = _tree.totalWeight(_height);
        for (uint256 i; i < count; ++i) {
            (address drawn, ) = _tree.draw(_height, uint256(keccak256(abi.encode(seed, i))) % totalWeight);
            for (uint256 a; a < accounts.length; ++a) {
                if (accounts[a] == drawn) {
                    ++counts[a];
                    break;
                }
            }
        }
    }
}

/// @dev Stakes for many fresh addresses in one transaction (they become real members of the pool's tree).
contract BatchStaker {
    function stakeMany(IStakePool pool, IERC20 token, uint256 firstMember, uint256 count, uint256 amount) external {
        token.approve(address(pool), count * amount);
        for (uint256 i; i < count; ++i) pool.stakeFor(address(uint160(firstMember + i)), amount);
    }
}

/// @dev A randomness source with values fixed by a seed, for reproducible draws.
contract FixedRandomness is IRandomnessSource {
    uint256 public seed;
    uint256 public requestCount;

    constructor(uint256 seed_) {
        seed = seed_;
    }

    function setSeed(uint256 seed_) external {
        seed = seed_;
    }

    function requestRandomness() external returns (uint256 requestId) {
        requestId = ++requestCount;
        emit RandomnessRequested(requestId, msg.sender, block.number);
    }

    function randomness(uint256 requestId) external view returns (uint256) {
        return uint256(keccak256(abi.encode(seed, requestId)));
    }
}

/// @dev Every request gets the same value: with unchanged stakes every round draws the same seats (the validation
/// tests' fixture, whose seed seats each of its five equal validators once, in staking order).
contract ConstantRandomness is IRandomnessSource {
    uint256 public immutable value;
    uint256 public requestCount;

    constructor(uint256 value_) {
        value = value_;
    }

    function requestRandomness() external returns (uint256 requestId) {
        requestId = ++requestCount;
        emit RandomnessRequested(requestId, msg.sender, block.number);
    }

    function randomness(uint256) external view returns (uint256) {
        return value;
    }
}
