// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title ICuriaGovernor
/// @notice Curia's on-chain governance: an OpenZeppelin Governor (Settings, CountingSimple, VotesQuorumFraction,
/// TimelockControl, PreventLateQuorum, ProposalGuardian) behind a UUPS proxy that only a passed proposal can upgrade.
/// The proposal guardian's power to cancel expires at the end of its term.
interface ICuriaGovernor {
    /// @notice Settings handed to `initialize`.
    /// @param name EIP-712 name of the Governor (used by vote-by-signature).
    /// @param votingDelay Seconds between a proposal and its snapshot.
    /// @param votingPeriod Seconds the vote stays open.
    /// @param proposalThreshold Votes (CUR wei) a proposer needs.
    /// @param quorumNumerator Quorum as a percentage of the total supply at the snapshot.
    /// @param lateQuorumVoteExtension Seconds the vote stays open after quorum is reached late.
    /// @param proposalGuardian Account that may cancel any proposal until `guardianTermEnd`; zero for none.
    /// @param guardianTermEnd Timestamp after which the guardian loses its power.
    struct Settings {
        string name;
        uint48 votingDelay;
        uint32 votingPeriod;
        uint256 proposalThreshold;
        uint256 quorumNumerator;
        uint48 lateQuorumVoteExtension;
        address proposalGuardian;
        uint48 guardianTermEnd;
    }

    /// @notice Emitted when the guardian's term end changes.
    /// @param oldTermEnd Previous timestamp.
    /// @param newTermEnd New timestamp.
    event ProposalGuardianTermSet(uint48 oldTermEnd, uint48 newTermEnd);

    /// @notice `initialize` was given a zero token or timelock address.
    /// @param token The token given.
    /// @param timelock The timelock given.
    error CuriaGovernorInvalidDependencies(address token, address timelock);
    /// @notice The token's ERC-6372 clock is not `mode=timestamp`, which every Curia period assumes.
    error CuriaGovernorTokenClockNotTimestamp(string clockMode);
    /// @notice A voting delay outside [min, max].
    error CuriaGovernorVotingDelayOutOfBounds(uint256 votingDelay, uint256 minVotingDelay, uint256 maxVotingDelay);
    /// @notice A voting period outside [min, max].
    error CuriaGovernorVotingPeriodOutOfBounds(uint256 votingPeriod, uint256 minVotingPeriod, uint256 maxVotingPeriod);
    /// @notice A proposal threshold above the token's total supply (nobody could ever propose).
    error CuriaGovernorProposalThresholdOutOfBounds(uint256 proposalThreshold, uint256 maxProposalThreshold);
    /// @notice A quorum percentage outside [min, max].
    error CuriaGovernorQuorumOutOfBounds(uint256 quorumNumerator, uint256 minQuorum, uint256 maxQuorum);
    /// @notice A guardian term that ends in the past (for a non-zero guardian) or too far in the future.
    error CuriaGovernorGuardianTermOutOfBounds(uint256 termEnd, uint256 now_, uint256 maxTermEnd);

    /// @notice Floor on the voting delay, in seconds: above zero, so that a proposal's snapshot is never the second it
    /// was made in (votes bought in the proposal's own block would count).
    function MIN_VOTING_DELAY() external view returns (uint256);
    /// @notice Ceiling on the voting delay, in seconds.
    function MAX_VOTING_DELAY() external view returns (uint256);
    /// @notice Floor on the voting period, in seconds.
    function MIN_VOTING_PERIOD() external view returns (uint256);
    /// @notice Ceiling on the voting period, in seconds.
    function MAX_VOTING_PERIOD() external view returns (uint256);
    /// @notice Floor on the quorum, in percent of the supply.
    function MIN_QUORUM_NUMERATOR() external view returns (uint256);
    /// @notice Ceiling on the quorum, in percent of the supply.
    function MAX_QUORUM_NUMERATOR() external view returns (uint256);
    /// @notice Longest guardian term that can be set, counted from the moment it is set.
    function MAX_GUARDIAN_TERM() external view returns (uint256);

    /// @notice Timestamp after which the proposal guardian can no longer cancel proposals.
    function proposalGuardianTermEnd() external view returns (uint48);

    /// @notice Sets when the guardian's power ends. Only through a passed proposal.
    /// @dev Emits {ProposalGuardianTermSet}.
    /// @param newTermEnd Timestamp, at most `MAX_GUARDIAN_TERM` from now.
    function setProposalGuardianTerm(uint48 newTermEnd) external;
}
