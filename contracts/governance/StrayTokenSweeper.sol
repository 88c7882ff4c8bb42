// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IStrayTokens} from "../interfaces/IStrayTokens.sol";
import {GovernedUpgradeable} from "./GovernedUpgradeable.sol";

/// @title StrayTokenSweeper
/// @notice See {IStrayTokens}. A contract that holds tokens says what it owes in each ({_owedIn}); the rest of its
/// balance is stray and goes to the timelock. It changes no state of its own, so a hostile token's callbacks find
/// nothing half-done.
abstract contract StrayTokenSweeper is IStrayTokens, GovernedUpgradeable {
    using SafeERC20 for IERC20;

    /// @inheritdoc IStrayTokens
    function sweepStrayTokens(address token) external returns (uint256 amount) {
        uint256 balance = IERC20(token).balanceOf(address(this));
        uint256 owed = _owedIn(token);
        if (balance <= owed) revert NothingToSweep(token, balance, owed);
        amount = balance - owed;
        address treasury = timelock();
        IERC20(token).safeTransfer(treasury, amount);
        emit StrayTokensSwept(token, treasury, amount);
    }

    /// @dev What this contract owes in `token`: its debts in CUR, zero in any other token.
    function _owedIn(address token) internal view virtual returns (uint256);
}
