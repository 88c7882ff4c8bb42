// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

// Next versions used by the upgrade tests: same storage, one added view, so a test can tell the upgrade happened.
// Their reinitializer does not call the parents' initializers: those already ran on the live proxy in v1.

import {CuriaGovernor} from "../governance/CuriaGovernor.sol";
import {CuriaToken} from "../governance/CuriaToken.sol";

/// @custom:oz-upgrades-from contracts/governance/CuriaGovernor.sol:CuriaGovernor
/// @custom:oz-upgrades-unsafe-allow missing-initializer missing-initializer-call
contract CuriaGovernorV2 is CuriaGovernor {
    // solhint-disable-next-line no-empty-blocks
    function initializeV2() external reinitializer(2) {}

    function governorVersion() external pure returns (uint256) {
        return 2;
    }
}

/// @custom:oz-upgrades-from contracts/governance/CuriaToken.sol:CuriaToken
/// @custom:oz-upgrades-unsafe-allow missing-initializer missing-initializer-call
contract CuriaTokenV2 is CuriaToken {
    // solhint-disable-next-line no-empty-blocks
    function initializeV2() external reinitializer(2) {}

    function tokenVersion() external pure returns (uint256) {
        return 2;
    }
}
