// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title ShareMath
/// @notice Conversions between token amounts and pool shares. Every rounding favours the pool, never the staker:
/// deposits mint shares rounded down, withdrawals burn shares rounded up and pay amounts rounded down.
library ShareMath {
    /// @notice Shares minted for depositing `amount` into a pool of `totalAmount` backing `totalShares`.
    function sharesForDeposit(
        uint256 amount,
        uint256 totalShares,
        uint256 totalAmount
    ) internal pure returns (uint256) {
        if (totalShares == 0) return amount;
        return Math.mulDiv(amount, totalShares, totalAmount);
    }

    /// @notice Shares to burn to take exactly `amount` out of the pool.
    function sharesForWithdrawal(
        uint256 amount,
        uint256 totalShares,
        uint256 totalAmount
    ) internal pure returns (uint256) {
        return Math.mulDiv(amount, totalShares, totalAmount, Math.Rounding.Ceil);
    }

    /// @notice Amount that `shares` are worth; the last holder (all shares) gets exactly everything, dust included.
    function amountForShares(uint256 shares, uint256 totalShares, uint256 totalAmount) internal pure returns (uint256) {
        if (shares == totalShares) return totalAmount;
        return Math.mulDiv(shares, totalAmount, totalShares);
    }
}
