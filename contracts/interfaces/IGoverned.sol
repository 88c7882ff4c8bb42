// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IGoverned
/// @notice Shared by every Curia contract that the DAO governs: the timelock alone changes parameters and upgrades.
interface IGoverned {
    /// @notice A function reserved to the DAO timelock was called by another account.
    /// @param caller The account that called.
    error GovernedOnlyTimelock(address caller);
    /// @notice A required address argument was the zero address.
    /// @param parameter Name of the argument.
    error GovernedZeroAddress(string parameter);

    /// @notice The DAO timelock: the only account that sets parameters and authorises upgrades.
    function timelock() external view returns (address);

    /// @notice The release of this implementation (semantic versioning): what an upgrade proposal moves from and to.
    function version() external pure returns (string memory);
}
