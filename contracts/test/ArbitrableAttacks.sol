// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

// Test-only arbitrables that attack the Court's jurors; never deployed by deploy/.

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IArbitrable} from "../interfaces/IArbitrable.sol";
import {ICourt} from "../interfaces/ICourt.sol";

/// @dev Opens disputes and never accepts a ruling (or claims a jurors' reward it cannot pay): if the Court waited for
/// it, every juror drawn into its disputes would stay locked for ever, for the price of one arbitration fee.
contract StallingArbitrable is IArbitrable {
    error StallingArbitrableRefuses(uint256 disputeId);

    ICourt public immutable court;
    /// @dev When set, `rule` "accepts" but names a reward it never approved instead of reverting.
    bool public immutable claimsUnpaidReward;

    constructor(ICourt court_, IERC20 token, bool claimsUnpaidReward_) {
        court = court_;
        claimsUnpaidReward = claimsUnpaidReward_;
        // Enough for fees; nothing for rewards (the court may pull only what it is allowed to).
        token.approve(address(court_), 1_000 ether);
    }

    function open(address challenger, address defendant) external returns (uint256) {
        return court.createDispute(0, challenger, defendant);
    }

    function rule(uint256 disputeId, uint256) external view returns (uint256, uint256) {
        if (!claimsUnpaidReward) revert StallingArbitrableRefuses(disputeId);
        return (1_000_000 ether, 0);
    }
}

/// @dev Accepts its ruling and names amounts whose sum overflows: were the court to add them unchecked-for-size, the
/// execution would revert for ever (even after the DAO revokes it) and the drawn jurors would stay locked.
contract OverflowingArbitrable is IArbitrable {
    ICourt public immutable court;

    constructor(ICourt court_, IERC20 token) {
        court = court_;
        token.approve(address(court_), type(uint256).max);
    }

    function open(address challenger, address defendant) external returns (uint256) {
        return court.createDispute(0, challenger, defendant);
    }

    function rule(uint256, uint256) external pure returns (uint256, uint256) {
        return (type(uint256).max, 1);
    }
}
