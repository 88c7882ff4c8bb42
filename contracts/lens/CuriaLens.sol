// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ICourt} from "../interfaces/ICourt.sol";
import {IListingRegistry} from "../interfaces/IListingRegistry.sol";
import {IStakePool} from "../interfaces/IStakePool.sol";
import {IValidationManager} from "../interfaces/IValidationManager.sol";

/// @title CuriaLens
/// @notice Read-only views that gather what one screen or one validator needs from several contracts in one call, so
/// that the core contracts keep their bytes for state changes (as Uniswap's periphery lenses do). It holds no state
/// and no funds, so it is not upgradeable: a new lens is simply deployed and recorded. Every view is bounded: a
/// committee has at most 21 members and a dispute at most 5 rounds.
contract CuriaLens {
    /// @notice A member of a pool, with its draw weight and what it can claim.
    struct StakeInfo {
        IStakePool.Member stake;
        uint256 weight;
        uint256 totalWeight;
        /// @dev Credited validator rewards (zero for jurors: theirs are paid when they settle).
        uint256 rewards;
    }

    /// @notice A validation round with its phase and its committee's records.
    struct RoundInfo {
        IValidationManager.Round round;
        IValidationManager.RoundPhase phase;
        address[] committee;
        IValidationManager.Member[] members;
    }

    /// @notice A dispute with its period, current ruling, rounds, and what an appeal would cost now.
    struct DisputeInfo {
        ICourt.DisputeRecord dispute;
        ICourt.Period period;
        uint8 currentRuling;
        ICourt.Round[] rounds;
        uint256 appealCost;
    }

    /// @notice A listing with its effective status and quality, and its validation rounds.
    struct ListingInfo {
        IListingRegistry.Listing listing;
        IListingRegistry.ListingStatus status;
        uint16 qualityBps;
        uint256 lastRoundId;
        uint48 nextFreeRoundAt;
        /// @dev Escrowed earnings not yet releasable (slashed on a delisting) and the most the escrow may hold: a
        /// purchase whose provider share passes `salesCap - atRisk` reverts (ListingSalesCapReached).
        uint256 atRisk;
        uint256 salesCap;
    }

    ICourt public immutable court;
    IValidationManager public immutable validation;
    IListingRegistry public immutable registry;

    constructor(ICourt court_, IValidationManager validation_, IListingRegistry registry_) {
        court = court_;
        validation = validation_;
        registry = registry_;
    }

    /// @notice `account` in the validators' pool, with its credited rewards.
    function validatorInfo(address account) external view returns (StakeInfo memory info) {
        info = _stakeInfo(validation.validatorPool(), account);
        info.rewards = validation.rewardsOf(account);
    }

    /// @notice `account` in the jurors' pool.
    function jurorInfo(address account) external view returns (StakeInfo memory) {
        (, address jurors, ) = court.addresses();
        return _stakeInfo(IStakePool(jurors), account);
    }

    /// @notice Round `roundId` with its phase and every committee member's record.
    function roundInfo(uint256 roundId) external view returns (RoundInfo memory info) {
        info.round = validation.getRound(roundId);
        info.phase = validation.phaseOf(roundId);
        info.committee = validation.committeeOf(roundId);
        uint256 n = info.committee.length;
        info.members = new IValidationManager.Member[](n);
        for (uint256 i; i < n; ++i) info.members[i] = validation.memberOf(roundId, info.committee[i]);
    }

    /// @notice Dispute `disputeId` with every round; `appealCost` is zero once no appeal is possible.
    function disputeInfo(uint256 disputeId) external view returns (DisputeInfo memory info) {
        info.dispute = court.getDispute(disputeId);
        info.period = court.periodOf(disputeId);
        info.currentRuling = court.currentRuling(disputeId);
        uint256 n = info.dispute.rounds;
        info.rounds = new ICourt.Round[](n);
        for (uint256 i; i < n; ++i) info.rounds[i] = court.getRound(disputeId, i);
        if (info.period == ICourt.Period.Appeal) info.appealCost = court.appealCost(disputeId);
    }

    /// @notice Listing `listingId` as a buyer or a validator sees it.
    function listingInfo(uint256 listingId) external view returns (ListingInfo memory info) {
        info.listing = registry.getListing(listingId);
        info.status = registry.statusOf(listingId);
        info.qualityBps = registry.qualityOf(listingId);
        (info.lastRoundId, info.nextFreeRoundAt) = validation.listingRounds(listingId);
        (info.atRisk, , ) = registry.escrowOf(listingId);
        info.salesCap = (uint256(info.listing.bond) * registry.parameters().maxEscrowPerBondBps) / 10_000;
    }

    function _stakeInfo(IStakePool pool, address account) private view returns (StakeInfo memory info) {
        info.stake = pool.memberOf(account);
        (info.weight, info.totalWeight) = pool.drawWeight(account);
    }
}
