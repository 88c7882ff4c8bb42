// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IRandomnessSource
/// @notice Where the Court gets the seed of a jury draw. A request is made when a round opens and read when the round
/// is drawn, so the seed is unknown when the dispute (or appeal) is created. A VRF (Chainlink, drand bridge, …) can
/// implement this and replace the default {BlockhashRandomness} through governance.
interface IRandomnessSource {
    /// @notice A request was made; its value becomes readable once `readyAtBlock` is mined.
    event RandomnessRequested(uint256 indexed requestId, address indexed requester, uint256 readyAtBlock);
    /// @notice An expired request was pointed at a new future block.
    event RandomnessRenewed(uint256 indexed requestId, uint256 readyAtBlock);

    /// @notice The value is not available yet.
    error RandomnessNotReady(uint256 requestId, uint256 readyAtBlock);
    /// @notice The value can no longer be read (for the default source: its block is older than 256 blocks); renew it.
    error RandomnessExpired(uint256 requestId);
    /// @notice No such request, or a renewal of a request that has not expired.
    error RandomnessUnknownOrLive(uint256 requestId);

    /// @notice Opens a request. Emits {RandomnessRequested}.
    function requestRandomness() external returns (uint256 requestId);

    /// @notice The random value of `requestId`; reverts with {RandomnessNotReady} or {RandomnessExpired}.
    function randomness(uint256 requestId) external view returns (uint256);
}
