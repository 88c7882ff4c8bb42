// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title ICuriaToken
/// @notice The CUR governance token: ERC20 with ERC-2612 permits and ERC20Votes delegation on a timestamp clock
/// (ERC-6372 `mode=timestamp`), a hard supply cap, and minting reserved to the DAO timelock that owns it.
interface ICuriaToken {
    /// @notice The release of this implementation (semantic versioning): what an upgrade proposal moves from and to.
    function version() external pure returns (string memory);

    /// @notice One entry of the initial distribution minted by `initialize`.
    /// @param to Recipient of the tokens (the timelock for the treasury share).
    /// @param amount Amount in CUR wei.
    struct Allocation {
        address to;
        uint256 amount;
    }

    /// @notice Emitted when the timelock mints new tokens (besides the ERC20 `Transfer` from the zero address).
    /// @param to Recipient of the minted tokens.
    /// @param amount Amount minted, in CUR wei.
    event TokensMinted(address indexed to, uint256 amount);

    /// @notice The owner (timelock) address given to `initialize` is the zero address.
    error CuriaTokenInvalidOwner(address owner);
    /// @notice `initialize` was given an empty name or symbol.
    error CuriaTokenEmptyMetadata();
    /// @notice The token must always be owned by the timelock: renouncing ownership would freeze minting and upgrades.
    error CuriaTokenOwnershipRequired();

    /// @notice Mints `amount` CUR to `to`. Only the owner (the DAO timelock) may call it, and never past the cap.
    /// @dev Emits {TokensMinted} and an ERC20 `Transfer` from the zero address.
    /// @param to Recipient.
    /// @param amount Amount in CUR wei.
    function mint(address to, uint256 amount) external;
}
