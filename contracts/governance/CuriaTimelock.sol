// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {TimelockControllerUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/TimelockControllerUpgradeable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {ICuriaTimelock} from "../interfaces/ICuriaTimelock.sol";

/// @title CuriaTimelock
/// @notice See {ICuriaTimelock}. Holds the DAO treasury and executes every passed proposal after its delay.
/// @dev All state lives in OpenZeppelin's ERC-7201 namespaces; this contract adds none of its own.
contract CuriaTimelock is ICuriaTimelock, TimelockControllerUpgradeable, UUPSUpgradeable {
    /// @inheritdoc ICuriaTimelock
    uint256 public constant MAX_MIN_DELAY = 30 days;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Sets up the timelock.
    /// @param minDelay Minimum delay of every operation, in seconds, at most `MAX_MIN_DELAY`.
    /// @param proposers Accounts granted the proposer and canceller roles (the Governor); no zero address.
    /// @param executors Accounts granted the executor role; `address(0)` lets anyone execute.
    /// @param admin Optional temporary admin for wiring at deployment; the deploy script renounces it.
    function initialize(
        uint256 minDelay,
        address[] memory proposers,
        address[] memory executors,
        address admin
    ) public override initializer {
        if (minDelay > MAX_MIN_DELAY) revert CuriaTimelockDelayOutOfBounds(minDelay, MAX_MIN_DELAY);
        // Bounded by the deployer's own calldata, run once: not a loop over users.
        for (uint256 i = 0; i < proposers.length; ++i) {
            if (proposers[i] == address(0)) revert CuriaTimelockInvalidProposer(address(0));
        }
        __TimelockController_init(minDelay, proposers, executors, admin);
    }

    /// @notice Changes the minimum delay; callable only by the timelock itself (a passed proposal).
    /// @param newDelay New delay in seconds, at most `MAX_MIN_DELAY`.
    function updateDelay(uint256 newDelay) public override {
        if (newDelay > MAX_MIN_DELAY) revert CuriaTimelockDelayOutOfBounds(newDelay, MAX_MIN_DELAY);
        super.updateDelay(newDelay);
    }

    /// @inheritdoc ICuriaTimelock
    function version() external pure returns (string memory) {
        return "2.0.0";
    }

    function _authorizeUpgrade(address) internal view override {
        if (msg.sender != address(this)) revert CuriaTimelockUnauthorizedUpgrade(msg.sender);
    }
}
