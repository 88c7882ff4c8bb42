// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {IGoverned} from "../interfaces/IGoverned.sol";

/// @title GovernedUpgradeable
/// @notice Base of the DAO-governed contracts: a UUPS proxy whose parameters and upgrades belong to the timelock.
abstract contract GovernedUpgradeable is IGoverned, Initializable, UUPSUpgradeable {
    /// @custom:storage-location erc7201:curia.storage.Governed
    struct GovernedStorage {
        address timelock;
    }

    // keccak256(abi.encode(uint256(keccak256("curia.storage.Governed")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant GOVERNED_STORAGE = 0x159c51712c94f02cf69aa9914751b9fbd4df90002bb96d430fd41280e4c32900;

    modifier onlyTimelock() {
        _checkTimelock();
        _;
    }

    // solhint-disable-next-line func-name-mixedcase
    function __Governed_init(address timelock_) internal onlyInitializing {
        if (timelock_ == address(0)) revert GovernedZeroAddress("timelock");
        _getGovernedStorage().timelock = timelock_;
    }

    /// @inheritdoc IGoverned
    function timelock() public view returns (address) {
        return _getGovernedStorage().timelock;
    }

    /// @inheritdoc IGoverned
    /// @dev A later implementation overrides it with its own release.
    function version() external pure virtual returns (string memory) {
        return "2.0.0";
    }

    function _checkTimelock() internal view {
        if (msg.sender != _getGovernedStorage().timelock) revert GovernedOnlyTimelock(msg.sender);
    }

    function _authorizeUpgrade(address) internal view override {
        _checkTimelock();
    }

    function _getGovernedStorage() private pure returns (GovernedStorage storage $) {
        assembly {
            $.slot := GOVERNED_STORAGE
        }
    }
}
