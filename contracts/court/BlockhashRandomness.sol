// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IRandomnessSource} from "../interfaces/IRandomnessSource.sol";

/// @title BlockhashRandomness
/// @notice The default randomness source: a request commits to a future block, and its value is
/// keccak256(blockhash(that block), requestId). Nobody knows the value when the request is made.
/// @dev BIAS CAVEAT — do not rely on this source where a draw is worth more than a block: the proposer (or the builder)
/// of the committed block chooses its contents, so it can compute the hash of many candidate blocks and publish the
/// one whose draw it prefers (grinding), or withhold its block (and lose the block reward) to force a new value.
/// A juror who is also a proposer, or who bribes one, can thereby raise its chance of sitting on a dispute. The
/// lookahead only prevents the requester from knowing the value in advance. Replace this source with a VRF
/// (see {IRandomnessSource}) on any chain where the stakes justify it.
/// blockhash() is only available for the last 256 blocks: a request nobody used in time expires and anyone may
/// {renew} it to a new future block (which again nobody knows in advance).
contract BlockhashRandomness is IRandomnessSource {
    /// @notice Blocks between a request and the block whose hash it uses (at least 1).
    uint256 public immutable lookahead;
    uint256 public requestCount;
    mapping(uint256 requestId => uint256) public targetBlock;

    error RandomnessInvalidLookahead(uint256 lookahead);

    constructor(uint256 lookahead_) {
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

    /// @notice Points an expired request at a new future block (anyone may call). Emits {RandomnessRenewed}.
    function renew(uint256 requestId) external {
        uint256 target = targetBlock[requestId];
        if (target == 0 || block.number <= target + 256) revert RandomnessUnknownOrLive(requestId);
        target = block.number + lookahead;
        targetBlock[requestId] = target;
        emit RandomnessRenewed(requestId, target + 1);
    }

    /// @inheritdoc IRandomnessSource
    function randomness(uint256 requestId) external view returns (uint256) {
        uint256 target = targetBlock[requestId];
        if (target == 0) revert RandomnessUnknownOrLive(requestId);
        if (block.number <= target) revert RandomnessNotReady(requestId, target + 1);
        if (block.number > target + 256) revert RandomnessExpired(requestId);
        return uint256(keccak256(abi.encode(blockhash(target), requestId)));
    }
}
