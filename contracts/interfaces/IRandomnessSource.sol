// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IRandomnessSource
/// @notice Where the Court and the ValidationManager get the seed of a draw, shaped for a verifiable random function:
/// a request is made when a round opens (when the draw's weights freeze) and its value is read when the round is
/// drawn, so nobody knows the seed while stakes can still move. Nobody can ask for a second value for the same
/// request: a seed cannot be re-rolled. Implementations: {VrfRandomness} (a Chainlink VRF v2.5 coordinator; public
/// chains) and {BlockhashRandomness} (local chains only).
interface IRandomnessSource {
    /// @notice A request was made; its value is expected from `readyAtBlock` on (an estimate for a VRF).
    event RandomnessRequested(uint256 indexed requestId, address indexed requester, uint256 readyAtBlock);

    /// @notice The value is not available yet.
    error RandomnessNotReady(uint256 requestId, uint256 readyAtBlock);
    /// @notice The value can no longer be read (the blockhash source: its block is older than 256 blocks). The draw's
    /// deadline then settles the round; the request is never renewed.
    error RandomnessExpired(uint256 requestId);
    /// @notice No such request.
    error RandomnessUnknown(uint256 requestId);

    /// @notice Opens a request. Emits {RandomnessRequested}.
    function requestRandomness() external returns (uint256 requestId);

    /// @notice The random value of `requestId`; reverts with {RandomnessNotReady}, {RandomnessExpired} or
    /// {RandomnessUnknown}.
    function randomness(uint256 requestId) external view returns (uint256);
}
