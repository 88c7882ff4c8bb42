// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

// Test-only reproduction of the Beanstalk governance attack: borrow tokens, delegate and propose (or vote) in one
// transaction, repay. Curia's Governor measures votes at a past timepoint, so the borrowed balance counts for nothing.

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";

contract MockFlashLender {
    error MockFlashLenderNotRepaid(uint256 balanceBefore, uint256 balanceAfter);

    IERC20 public immutable token;

    constructor(IERC20 token_) {
        token = token_;
    }

    function flashLoan(FlashLoanAttacker receiver, uint256 amount, bytes calldata data) external {
        uint256 before = token.balanceOf(address(this));
        token.transfer(address(receiver), amount);
        receiver.onFlashLoan(amount, data);
        uint256 afterwards = token.balanceOf(address(this));
        if (afterwards < before) revert MockFlashLenderNotRepaid(before, afterwards);
    }
}

contract FlashLoanAttacker {
    MockFlashLender public immutable lender;
    IGovernor public immutable governor;

    constructor(MockFlashLender lender_, IGovernor governor_) {
        lender = lender_;
        governor = governor_;
    }

    /// @notice Borrows `amount`, then in the same transaction delegates to itself and calls the Governor with `call`.
    function attack(uint256 amount, bytes calldata call) external {
        lender.flashLoan(this, amount, call);
    }

    function onFlashLoan(uint256 amount, bytes calldata call) external {
        IVotes(address(lender.token())).delegate(address(this));
        (bool ok, bytes memory returned) = address(governor).call(call);
        if (!ok) {
            assembly {
                revert(add(returned, 32), mload(returned))
            }
        }
        lender.token().transfer(address(lender), amount);
    }
}
