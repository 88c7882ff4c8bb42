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

/// @dev Base of the arbitrables below: opens disputes and lets the court pull anything (so that only the shape of
/// its answer, never an allowance, is what the court refuses). Their `rule` answers in assembly, past the ABI.
abstract contract HostileArbitrable is IArbitrable {
    ICourt public immutable court;

    constructor(ICourt court_, IERC20 token) {
        court = court_;
        token.approve(address(court_), type(uint256).max);
    }

    function open(address challenger, address defendant) external returns (uint256) {
        return court.createDispute(0, challenger, defendant);
    }
}

/// @dev Accepts its ruling (no revert) with return data that does not decode as two words: none, or one word. A
/// try-call's decoding of it reverts in the caller, outside the catch: were the court to decode it so, the execution
/// would revert for ever (even after the DAO revokes it) and the drawn jurors would stay locked.
contract MalformedArbitrable is HostileArbitrable {
    uint256 public immutable answerSize;

    constructor(ICourt court_, IERC20 token, uint256 answerSize_) HostileArbitrable(court_, token) {
        answerSize = answerSize_;
    }

    function rule(uint256, uint256) external view returns (uint256, uint256) {
        uint256 size = answerSize;
        assembly {
            mstore(0, 1)
            return(0, size)
        }
    }
}

/// @dev Answers its ruling with as much data as its gas can pay for (memory costs 3n + n²/512 gas for n words), as a
/// revert reason (`mode` 0) or as a successful answer (1), or burns all its gas (2). Copying the answer into the
/// court's memory costs the court as much as it cost the arbitrable to write it, with 1/64 of the gas left: were the
/// court to copy it all, the execution would run out of gas whatever the gas limit, for ever. Burning all the gas it
/// is forwarded leaves the court 1/64 of the transaction's.
contract GasBombArbitrable is HostileArbitrable {
    uint256 public immutable mode;

    constructor(ICourt court_, IERC20 token, uint256 mode_) HostileArbitrable(court_, token) {
        mode = mode_;
    }

    function rule(uint256, uint256) external view returns (uint256, uint256) {
        uint256 m = mode;
        assembly {
            if eq(m, 2) {
                invalid()
            }
            // n = sqrt(400 × gas) words: n²/512 + 3n stays under the gas left (Babylonian square root).
            let x := mul(gas(), 400)
            let n := x
            let y := shr(1, add(x, 1))
            for {} lt(y, n) {} {
                n := y
                y := shr(1, add(div(x, y), y))
            }
            let size := mul(n, 32)
            if eq(m, 1) {
                return(0, size)
            }
            revert(0, size)
        }
    }
}

/// @dev An honest arbitrable whose `rule` needs `gasNeeded` gas (under the court's cap) and checks it has it before it
/// starts (refusing at once otherwise, which leaves the caller nearly all its gas), then accepts, paying nothing. Once
/// revoked, a keeper (the party the ruling goes against) that sends too low a gas limit must not make its call fail
/// and close the dispute without its ruling.
contract GasHungryArbitrable is HostileArbitrable {
    error GasHungryArbitrableNeeds(uint256 gasNeeded, uint256 gasLeft);

    uint256 public immutable gasNeeded;
    uint256 public ruled;

    constructor(ICourt court_, IERC20 token, uint256 gasNeeded_) HostileArbitrable(court_, token) {
        gasNeeded = gasNeeded_;
    }

    function rule(uint256, uint256) external returns (uint256, uint256) {
        uint256 left = gasleft();
        if (left < gasNeeded) revert GasHungryArbitrableNeeds(gasNeeded, left);
        uint256 stop = left - gasNeeded + 30_000;
        uint256 spins;
        while (gasleft() > stop) ++spins;
        ruled = 1;
        return (0, 0);
    }
}
