// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IRandomnessSource} from "../interfaces/IRandomnessSource.sol";

/// @title BlockhashRandomness
/// @notice The randomness source of local development chains: a request commits to a future block, and its value is
/// keccak256(blockhash(that block), requestId). Nobody knows the value when the request is made.
/// @dev LOCAL CHAINS ONLY (the constructor refuses any other chain id). The proposer (or builder) of the committed
/// block chooses its contents, so it can grind candidate blocks for the draw it prefers, or withhold its block; and a
/// value nobody read within 256 blocks is lost. Public chains use {VrfRandomness}. There is no renewal: a renewal is
/// a re-roll that whoever dislikes the seed could wait for. A round whose seed expired ends at its draw deadline.
contract BlockhashRandomness is IRandomnessSource {
    /// @notice Blocks between a request and the block whose hash it uses (at least 1).
    uint256 public immutable lookahead;
    uint256 public requestCount;
    mapping(uint256 requestId => uint256) public targetBlock;

    error RandomnessInvalidLookahead(uint256 lookahead);
    /// @notice Blockhash randomness can be ground by block producers: it is refused outside local chains.
    error RandomnessLocalChainOnly(uint256 chainId);

    /// @dev The chain ids of Hardhat's and other local development nodes.
    uint256 private constant HARDHAT_CHAIN_ID = 31_337;
    uint256 private constant LOCAL_CHAIN_ID = 1_337;

    constructor(uint256 lookahead_) {
        if (block.chainid != HARDHAT_CHAIN_ID && block.chainid != LOCAL_CHAIN_ID) {
            revert RandomnessLocalChainOnly(block.chainid);
        }
        if (lookahead_ == 0 || lookahead_ > 128) revert RandomnessInvalidLookahead(lookahead_);
        lookahead = lookahead_;
    }

    /// @inheritdoc IRandomnessSource
    function requestRandomness() external returns (uint256 requestId) {
        requestId = ++requestCount;
        uint256 target = block.number + lookahead;
        targetBlock[requestId] = target;
        emit RandomnessRequested(requestId, msg.sender, target + 1);
    }

    /// @inheritdoc IRandomnessSource
    function randomness(uint256 requestId) external view returns (uint256) {
        uint256 target = targetBlock[requestId];
        if (target == 0) revert RandomnessUnknown(requestId);
        if (block.number <= target) revert RandomnessNotReady(requestId, target + 1);
        if (block.number > target + 256) revert RandomnessExpired(requestId);
        return uint256(keccak256(abi.encode(blockhash(target), requestId)));
    }
}
