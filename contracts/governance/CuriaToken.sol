// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/ERC20Upgradeable.sol";
import {ERC20CappedUpgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC20CappedUpgradeable.sol";
import {ERC20PermitUpgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC20PermitUpgradeable.sol";
import {ERC20VotesUpgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC20VotesUpgradeable.sol";
import {NoncesUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/NoncesUpgradeable.sol";
import {OwnableUpgradeable} from "@openzeppelin/contracts-upgradeable/access/OwnableUpgradeable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";
import {ICuriaToken} from "../interfaces/ICuriaToken.sol";

/// @title CuriaToken (CUR)
/// @notice See {ICuriaToken}. Owned by the DAO timelock, which alone mints and upgrades.
/// @dev All state lives in OpenZeppelin's ERC-7201 namespaces; this contract adds none of its own.
/// @custom:security-contact security@curia.invalid
contract CuriaToken is
    ICuriaToken,
    ERC20Upgradeable,
    ERC20CappedUpgradeable,
    ERC20PermitUpgradeable,
    ERC20VotesUpgradeable,
    OwnableUpgradeable,
    UUPSUpgradeable
{
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Sets up the token and mints the initial distribution.
    /// @param name_ ERC20 name (also the EIP-712 domain name for permits).
    /// @param symbol_ ERC20 symbol.
    /// @param cap_ Maximum total supply, in CUR wei.
    /// @param owner_ The DAO timelock: the only account that mints and upgrades.
    /// @param allocations Initial balances; their sum must not exceed `cap_`.
    function initialize(
        string calldata name_,
        string calldata symbol_,
        uint256 cap_,
        address owner_,
        Allocation[] calldata allocations
    ) external initializer {
        if (bytes(name_).length == 0 || bytes(symbol_).length == 0) revert CuriaTokenEmptyMetadata();
        if (owner_ == address(0)) revert CuriaTokenInvalidOwner(owner_);
        __ERC20_init(name_, symbol_);
        __ERC20Capped_init(cap_);
        __ERC20Permit_init(name_);
        __ERC20Votes_init();
        __Ownable_init(owner_);
        // Bounded by the deployer's own calldata, run once: not a loop over users.
        for (uint256 i = 0; i < allocations.length; ++i) {
            _mint(allocations[i].to, allocations[i].amount);
        }
    }

    /// @inheritdoc ICuriaToken
    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
        emit TokensMinted(to, amount);
    }

    /// @notice Always reverts: the token must stay owned by the timelock.
    function renounceOwnership() public view override onlyOwner {
        revert CuriaTokenOwnershipRequired();
    }

    /// @notice The token's clock is the block timestamp (ERC-6372), so governance periods are in seconds.
    function clock() public view override returns (uint48) {
        return Time.timestamp();
    }

    /// @notice ERC-6372 clock description.
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override returns (string memory) {
        return "mode=timestamp";
    }

    /// @inheritdoc ERC20PermitUpgradeable
    function nonces(address owner) public view override(ERC20PermitUpgradeable, NoncesUpgradeable) returns (uint256) {
        return super.nonces(owner);
    }

    function _update(
        address from,
        address to,
        uint256 value
    ) internal override(ERC20Upgradeable, ERC20CappedUpgradeable, ERC20VotesUpgradeable) {
        super._update(from, to, value);
    }

    /// @inheritdoc ICuriaToken
    function version() external pure returns (string memory) {
        return "2.0.0";
    }

    // solhint-disable-next-line no-empty-blocks
    function _authorizeUpgrade(address) internal override onlyOwner {}
}
