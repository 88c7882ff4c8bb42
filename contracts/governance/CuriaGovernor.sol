// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {GovernorUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/GovernorUpgradeable.sol";
import {GovernorSettingsUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorSettingsUpgradeable.sol";
import {GovernorCountingSimpleUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorCountingSimpleUpgradeable.sol";
import {GovernorVotesUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorVotesUpgradeable.sol";
import {GovernorVotesQuorumFractionUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorVotesQuorumFractionUpgradeable.sol";
import {GovernorTimelockControlUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorTimelockControlUpgradeable.sol";
import {GovernorPreventLateQuorumUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorPreventLateQuorumUpgradeable.sol";
import {GovernorProposalGuardianUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorProposalGuardianUpgradeable.sol";
import {TimelockControllerUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/TimelockControllerUpgradeable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {IERC6372} from "@openzeppelin/contracts/interfaces/IERC6372.sol";
import {TransientSlot} from "@openzeppelin/contracts/utils/TransientSlot.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";
import {ICuriaGovernor} from "../interfaces/ICuriaGovernor.sol";

/// @title CuriaGovernor
/// @notice See {ICuriaGovernor}. Proposals execute through the CuriaTimelock, which holds the treasury; the Governor
/// upgrades only through a passed proposal (`onlyGovernance`), and the `#proposer=0x…` description suffix of
/// OpenZeppelin's Governor prevents front-running a proposal's id.
contract CuriaGovernor is
    ICuriaGovernor,
    GovernorUpgradeable,
    GovernorSettingsUpgradeable,
    GovernorCountingSimpleUpgradeable,
    GovernorVotesUpgradeable,
    GovernorVotesQuorumFractionUpgradeable,
    GovernorTimelockControlUpgradeable,
    GovernorPreventLateQuorumUpgradeable,
    GovernorProposalGuardianUpgradeable,
    UUPSUpgradeable
{
    using TransientSlot for *;

    /// @custom:storage-location erc7201:curia.storage.CuriaGovernor
    struct CuriaGovernorStorage {
        uint48 proposalGuardianTermEnd;
        /// @dev The largest late-quorum extension ever set. It never decreases, so it bounds every extension any
        /// past vote can have granted: while `clock() + max <= deadline`, no deadline can have moved yet.
        uint48 maxLateQuorumVoteExtension;
    }

    // keccak256(abi.encode(uint256(keccak256("curia.storage.CuriaGovernor")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant CURIA_GOVERNOR_STORAGE =
        0x6bf6aaf3e2f55c4f85cfe750b3b4648ff7c80ff0fb2481a1eba70db89d3be000;

    // keccak256("curia.transient.CuriaGovernor.quorumReachedBeforeVote"): holds proposalId + 1 while a vote is
    // being counted on a proposal whose quorum was already reached before that vote.
    bytes32 private constant QUORUM_REACHED_BEFORE_VOTE =
        0xd90845943af3d22aa1bb9899346d07b584876d58d4337c77c186e7e8e3637a69;
    bytes32 private constant TIMESTAMP_CLOCK = keccak256("mode=timestamp");

    /// @inheritdoc ICuriaGovernor
    uint256 public constant MIN_VOTING_DELAY = 1;
    /// @inheritdoc ICuriaGovernor
    uint256 public constant MAX_VOTING_DELAY = 30 days;
    /// @inheritdoc ICuriaGovernor
    uint256 public constant MIN_VOTING_PERIOD = 1 hours;
    /// @inheritdoc ICuriaGovernor
    uint256 public constant MAX_VOTING_PERIOD = 90 days;
    /// @inheritdoc ICuriaGovernor
    uint256 public constant MIN_QUORUM_NUMERATOR = 1;
    /// @inheritdoc ICuriaGovernor
    uint256 public constant MAX_QUORUM_NUMERATOR = 50;
    /// @inheritdoc ICuriaGovernor
    uint256 public constant MAX_GUARDIAN_TERM = 730 days;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Sets up the Governor. Every setting is checked against the same bounds as its governance setter.
    /// @param token The CUR token (ERC20Votes, timestamp clock).
    /// @param timelock The CuriaTimelock that executes proposals and holds the treasury.
    /// @param settings Initial settings, see {ICuriaGovernor-Settings}.
    function initialize(
        IVotes token,
        TimelockControllerUpgradeable timelock,
        Settings calldata settings
    ) external initializer {
        if (address(token) == address(0) || address(timelock) == address(0)) {
            revert CuriaGovernorInvalidDependencies(address(token), address(timelock));
        }
        __Governor_init(settings.name);
        __GovernorSettings_init(settings.votingDelay, settings.votingPeriod, settings.proposalThreshold);
        __GovernorCountingSimple_init();
        __GovernorVotes_init(token);
        // The Governor reads the clock itself (cheaper than asking the token on every vote): it must be the same.
        string memory clockMode = IERC6372(address(token)).CLOCK_MODE();
        if (keccak256(bytes(clockMode)) != TIMESTAMP_CLOCK) revert CuriaGovernorTokenClockNotTimestamp(clockMode);
        __GovernorVotesQuorumFraction_init(settings.quorumNumerator);
        __GovernorTimelockControl_init(timelock);
        __GovernorPreventLateQuorum_init(settings.lateQuorumVoteExtension);
        __GovernorProposalGuardian_init();
        _setProposalGuardian(settings.proposalGuardian);
        _setProposalGuardianTerm(settings.guardianTermEnd);
        // Settings are initialised before the token is known (OpenZeppelin's linearised order): check it now.
        _requireProposalThresholdInBounds(settings.proposalThreshold);
    }

    // ---------------------------------------------------------------- governance setters

    /// @inheritdoc ICuriaGovernor
    function setProposalGuardianTerm(uint48 newTermEnd) external onlyGovernance {
        _setProposalGuardianTerm(newTermEnd);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc ICuriaGovernor
    function proposalGuardianTermEnd() public view returns (uint48) {
        return _getCuriaGovernorStorage().proposalGuardianTermEnd;
    }

    /// @notice The guardian, or the zero address once its term has ended (then proposers may cancel their own
    /// proposals, as in OpenZeppelin's GovernorProposalGuardian with no guardian).
    function proposalGuardian() public view override returns (address) {
        if (clock() > proposalGuardianTermEnd()) return address(0);
        return super.proposalGuardian();
    }

    /// @notice The block timestamp (ERC-6372 `mode=timestamp`), the CUR token's clock, checked at initialization.
    function clock() public view override(GovernorUpgradeable, GovernorVotesUpgradeable) returns (uint48) {
        return Time.timestamp();
    }

    /// @notice ERC-6372 clock description.
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override(GovernorUpgradeable, GovernorVotesUpgradeable) returns (string memory) {
        return "mode=timestamp";
    }

    function votingDelay() public view override(GovernorUpgradeable, GovernorSettingsUpgradeable) returns (uint256) {
        return super.votingDelay();
    }

    function votingPeriod() public view override(GovernorUpgradeable, GovernorSettingsUpgradeable) returns (uint256) {
        return super.votingPeriod();
    }

    function quorum(
        uint256 timepoint
    ) public view override(GovernorUpgradeable, GovernorVotesQuorumFractionUpgradeable) returns (uint256) {
        return super.quorum(timepoint);
    }

    function proposalThreshold()
        public
        view
        override(GovernorUpgradeable, GovernorSettingsUpgradeable)
        returns (uint256)
    {
        return super.proposalThreshold();
    }

    function state(
        uint256 proposalId
    ) public view override(GovernorUpgradeable, GovernorTimelockControlUpgradeable) returns (ProposalState) {
        return super.state(proposalId);
    }

    function proposalNeedsQueuing(
        uint256 proposalId
    ) public view override(GovernorUpgradeable, GovernorTimelockControlUpgradeable) returns (bool) {
        return super.proposalNeedsQueuing(proposalId);
    }

    /// @notice The deadline, extended if quorum was reached late (see GovernorPreventLateQuorum).
    function proposalDeadline(
        uint256 proposalId
    ) public view override(GovernorUpgradeable, GovernorPreventLateQuorumUpgradeable) returns (uint256) {
        uint256 originalDeadline = GovernorUpgradeable.proposalDeadline(proposalId);
        // Skips reading the extension record (a cold storage read on every vote) while none can exist.
        if (clock() + _getCuriaGovernorStorage().maxLateQuorumVoteExtension <= originalDeadline) {
            return originalDeadline;
        }
        return super.proposalDeadline(proposalId);
    }

    // ---------------------------------------------------------------- internal: bounds on every setting

    function _setVotingDelay(uint48 newVotingDelay) internal override {
        if (newVotingDelay < MIN_VOTING_DELAY || newVotingDelay > MAX_VOTING_DELAY) {
            revert CuriaGovernorVotingDelayOutOfBounds(newVotingDelay, MIN_VOTING_DELAY, MAX_VOTING_DELAY);
        }
        super._setVotingDelay(newVotingDelay);
    }

    function _setVotingPeriod(uint32 newVotingPeriod) internal override {
        if (newVotingPeriod < MIN_VOTING_PERIOD || newVotingPeriod > MAX_VOTING_PERIOD) {
            revert CuriaGovernorVotingPeriodOutOfBounds(newVotingPeriod, MIN_VOTING_PERIOD, MAX_VOTING_PERIOD);
        }
        super._setVotingPeriod(newVotingPeriod);
    }

    function _setProposalThreshold(uint256 newProposalThreshold) internal override {
        if (address(token()) != address(0)) _requireProposalThresholdInBounds(newProposalThreshold);
        super._setProposalThreshold(newProposalThreshold);
    }

    function _requireProposalThresholdInBounds(uint256 threshold) private view {
        // A threshold above the supply would leave nobody able to propose, i.e. no way to undo it.
        uint256 supply = IERC20(address(token())).totalSupply();
        if (threshold > supply) revert CuriaGovernorProposalThresholdOutOfBounds(threshold, supply);
    }

    function _updateQuorumNumerator(uint256 newQuorumNumerator) internal override {
        if (newQuorumNumerator < MIN_QUORUM_NUMERATOR || newQuorumNumerator > MAX_QUORUM_NUMERATOR) {
            revert CuriaGovernorQuorumOutOfBounds(newQuorumNumerator, MIN_QUORUM_NUMERATOR, MAX_QUORUM_NUMERATOR);
        }
        super._updateQuorumNumerator(newQuorumNumerator);
    }

    function _setProposalGuardianTerm(uint48 newTermEnd) internal {
        uint256 now_ = clock();
        uint256 maxTermEnd = now_ + MAX_GUARDIAN_TERM;
        // A term in the past is only meaningful as "no guardian", so it is refused while a guardian is set.
        bool pastTermWithGuardian = newTermEnd < now_ && super.proposalGuardian() != address(0);
        if (newTermEnd > maxTermEnd || pastTermWithGuardian) {
            revert CuriaGovernorGuardianTermOutOfBounds(newTermEnd, now_, maxTermEnd);
        }
        CuriaGovernorStorage storage $ = _getCuriaGovernorStorage();
        emit ProposalGuardianTermSet($.proposalGuardianTermEnd, newTermEnd);
        $.proposalGuardianTermEnd = newTermEnd;
    }

    // ---------------------------------------------------------------- internal: hook resolution

    // Late-quorum protection at a fraction of the gas. OpenZeppelin's GovernorPreventLateQuorum checks the quorum on
    // every vote (two checkpoint lookups and a call into the token, ~15k gas) and writes a marker slot when quorum is
    // first reached (20k), although a deadline can only move for a vote cast within `lateQuorumVoteExtension` of it.
    // So votes before that window skip the check entirely. Inside the window, a vote must not extend the deadline if
    // quorum was already reached before it (possibly before the window, where nothing was recorded): `_countVote`
    // notes that case before counting, and `_tallyUpdated` then skips the extension. Tallies only grow, so "reached
    // before this vote" is exactly "reached at an earlier vote", and the effective deadline is the one OpenZeppelin's
    // extension would give (the tests check both the late and the early case).

    function _countVote(
        uint256 proposalId,
        address account,
        uint8 support,
        uint256 totalWeight,
        bytes memory params
    ) internal override(GovernorUpgradeable, GovernorCountingSimpleUpgradeable) returns (uint256) {
        if (_inLateQuorumWindow(proposalId) && _quorumReached(proposalId)) {
            QUORUM_REACHED_BEFORE_VOTE.asUint256().tstore(proposalId + 1);
        }
        return super._countVote(proposalId, account, support, totalWeight, params);
    }

    function _tallyUpdated(
        uint256 proposalId
    ) internal override(GovernorUpgradeable, GovernorPreventLateQuorumUpgradeable) {
        if (!_inLateQuorumWindow(proposalId)) return;
        if (QUORUM_REACHED_BEFORE_VOTE.asUint256().tload() == proposalId + 1) {
            QUORUM_REACHED_BEFORE_VOTE.asUint256().tstore(0);
            return;
        }
        super._tallyUpdated(proposalId);
    }

    /// @dev True when a vote now could still move the deadline: within the extension of the original deadline, and
    /// not extended yet (inside the window, OpenZeppelin only records a quorum time that does extend it).
    function _inLateQuorumWindow(uint256 proposalId) private view returns (bool) {
        uint256 originalDeadline = GovernorUpgradeable.proposalDeadline(proposalId);
        uint256 now_ = clock();
        // Cheap exit on the slot `proposalDeadline` already read: the current extension is at most the maximum.
        if (now_ + _getCuriaGovernorStorage().maxLateQuorumVoteExtension <= originalDeadline) return false;
        return now_ + lateQuorumVoteExtension() > originalDeadline && proposalDeadline(proposalId) == originalDeadline;
    }

    function _setLateQuorumVoteExtension(uint48 newVoteExtension) internal override {
        super._setLateQuorumVoteExtension(newVoteExtension);
        CuriaGovernorStorage storage $ = _getCuriaGovernorStorage();
        if (newVoteExtension > $.maxLateQuorumVoteExtension) $.maxLateQuorumVoteExtension = newVoteExtension;
    }

    function _validateCancel(
        uint256 proposalId,
        address caller
    ) internal view override(GovernorUpgradeable, GovernorProposalGuardianUpgradeable) returns (bool) {
        return super._validateCancel(proposalId, caller);
    }

    function _queueOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(GovernorUpgradeable, GovernorTimelockControlUpgradeable) returns (uint48) {
        return super._queueOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _executeOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(GovernorUpgradeable, GovernorTimelockControlUpgradeable) {
        super._executeOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _cancel(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(GovernorUpgradeable, GovernorTimelockControlUpgradeable) returns (uint256) {
        return super._cancel(targets, values, calldatas, descriptionHash);
    }

    function _executor()
        internal
        view
        override(GovernorUpgradeable, GovernorTimelockControlUpgradeable)
        returns (address)
    {
        return super._executor();
    }

    /// @dev Upgrades go through a passed proposal executed by the timelock, like any other governance call.
    // solhint-disable-next-line no-empty-blocks
    function _authorizeUpgrade(address) internal override onlyGovernance {}

    function _getCuriaGovernorStorage() private pure returns (CuriaGovernorStorage storage $) {
        assembly {
            $.slot := CURIA_GOVERNOR_STORAGE
        }
    }
}
