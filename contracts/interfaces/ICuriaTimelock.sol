// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title ICuriaTimelock
/// @notice The DAO's executor and treasury: an OpenZeppelin TimelockController behind a UUPS proxy. The Governor is
/// its only proposer and canceller, anyone may execute a ready operation, and only the timelock itself (through a
/// passed proposal) can change its delay, its roles or its implementation.
interface ICuriaTimelock {
    /// @notice The release of this implementation (semantic versioning): what an upgrade proposal moves from and to.
    function version() external pure returns (string memory);

    /// @notice A minimum delay above the allowed ceiling was given to `initialize` or `updateDelay`.
    /// @param delay The delay requested, in seconds.
    /// @param maxDelay The ceiling, in seconds.
    error CuriaTimelockDelayOutOfBounds(uint256 delay, uint256 maxDelay);
    /// @notice A proposer or executor list given to `initialize` contains the zero address where it is not allowed.
    error CuriaTimelockInvalidProposer(address proposer);
    /// @notice Only the timelock itself, executing a passed proposal, may upgrade its implementation.
    /// @param caller The account that tried.
    error CuriaTimelockUnauthorizedUpgrade(address caller);

    /// @notice Ceiling on the minimum delay, in seconds, so that a malicious proposal cannot freeze the DAO.
    function MAX_MIN_DELAY() external view returns (uint256);
}
