// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IStrayTokens
/// @notice Tokens sent to a Curia contract by mistake (a plain transfer instead of a stake, a purchase or a bond) are
/// not lost: anyone may send what the contract holds beyond what it owes to the DAO's timelock, the treasury. What it
/// owes (stakes, bonds, earnings, rewards, fees) is never touched: a contract keeps its own O(1) totals of it.
interface IStrayTokens {
    /// @notice The contract holds no more of `token` than it owes.
    /// @param token The token asked for.
    /// @param balance What the contract holds.
    /// @param owed What it owes in that token (zero for any token but CUR).
    error NothingToSweep(address token, uint256 balance, uint256 owed);

    /// @notice `amount` of `token`, held beyond what the contract owes, went to `treasury`.
    event StrayTokensSwept(address indexed token, address indexed treasury, uint256 amount);

    /// @notice Sends whatever of `token` this contract holds beyond what it owes to the DAO's timelock (anyone may
    /// call: the tokens can only go to the treasury).
    /// @param token Any ERC-20; for CUR only the surplus over the contract's debts moves.
    /// @return amount What was sent.
    function sweepStrayTokens(address token) external returns (uint256 amount);
}
