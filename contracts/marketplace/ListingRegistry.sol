// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";
import {StrayTokenSweeper} from "../governance/StrayTokenSweeper.sol";
import {ICurationPool} from "../interfaces/ICurationPool.sol";
import {IListingRegistry} from "../interfaces/IListingRegistry.sol";

/// @title ListingRegistry
/// @notice See {IListingRegistry}. Holds provider bonds and earnings; fees for the treasury and the validators
/// accrue here and are swept on by anyone, so a purchase moves tokens only twice (buyer in, curators' share out).
contract ListingRegistry is IListingRegistry, StrayTokenSweeper, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    // ---------------------------------------------------------------- types and storage

    /// @custom:storage-location erc7201:curia.storage.ListingRegistry
    /// @dev The bond total shares the token's slot, which every change to it reads anyway (96 bits hold 79 billion
    /// CUR, far above the supply cap; each bond is checked against it): one cold slot less per listing, bond increase,
    /// withdrawal and delisting (issue 15).
    struct ListingRegistryStorage {
        IERC20 token;
        uint96 totalBonds;
        ICurationPool curationPool;
        address validation;
        /// @dev ListingChallenges: opens and resolves listing disputes.
        address challenges;
        address validatorRewardPool;
        /// @dev May pause the market until `pauseGuardianTermEnd`, and lift only its own pause; packed with the pause
        /// state, which every purchase reads.
        address pauseGuardian;
        uint48 pauseGuardianTermEnd;
        MarketPause marketPause;
        /// @dev The deployer may bind the CurationPool once (it is deployed after the registry); then nobody but
        /// the timelock can change it.
        address wiring;
        MarketParameters params;
        uint256 listingCount;
        mapping(uint256 listingId => Listing) listings;
        mapping(uint256 listingId => mapping(address account => uint256)) callsPurchased;
        mapping(address provider => uint256) earnings;
        uint256 totalEarnings;
        uint256 treasuryFees;
        uint256 validatorFees;
        /// @dev Earnings wait here one escrow period, slashable with the bond; `totalEarnings` counts them.
        mapping(uint256 listingId => EarningsEscrow) escrows;
        mapping(uint256 listingId => address) servingKeys;
        mapping(uint256 listingId => mapping(address key => ServingKeyPeriod)) servingKeyPeriods;
        /// @dev Each model hash's lost challenges (low 128 bits) and pending ones (high 128 bits): a new listing's
        /// bond doubles with each lost one, and once more while any is pending, so a provider that sees its challenge
        /// coming cannot relist the model at the lower bond before the ruling. One slot for both: the first
        /// challenge of a model writes it and its delisting updates it (issue 15: the ruling no longer writes a slot
        /// from zero). Both counts follow from {ListingChallenged}, {ListingChallengeResolved} and {ModelSlashed}.
        mapping(bytes32 modelHash => uint256) modelChallenges;
    }

    /// @dev Where the money of one purchase goes.
    struct Split {
        uint256 cost;
        uint256 providerAmount;
        uint256 treasuryFee;
        uint256 curatorFee;
        uint256 validatorFee;
        uint16 quality;
    }

    // keccak256(abi.encode(uint256(keccak256("curia.storage.ListingRegistry")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant LISTING_REGISTRY_STORAGE =
        0x06fe2a63200dfd14a54770d09469fe4a1c7100f401bc2c94ea526f2ca09a6100;

    uint256 private constant BPS = 10_000;
    uint256 private constant MIN_BOND_FLOOR = 1 ether;
    uint256 private constant MIN_BOND_CEILING = 10_000_000 ether;
    uint256 private constant MAX_APPLICATION_PERIOD = 30 days;
    uint256 private constant MIN_WITHDRAWAL_DELAY = 1 hours;
    uint256 private constant MAX_WITHDRAWAL_DELAY = 90 days;
    uint256 private constant MAX_PROTOCOL_FEE_BPS = 3_000;
    uint256 private constant MAX_URI_LENGTH = 2_048;
    uint256 private constant MAX_CALLS_PER_PURCHASE = 1e12;
    /// @dev A guardian may pause for this long after the timelock (or the initializer) names it: the DAO renews it by
    /// naming it again.
    uint256 private constant PAUSE_GUARDIAN_TERM = 365 days;
    uint256 private constant MIN_EARNINGS_ESCROW_PERIOD = 1 hours;
    uint256 private constant MAX_EARNINGS_ESCROW_PERIOD = 90 days;
    /// @dev From a tenth of the bond (a DAO that wants bonds to dwarf sales) to 100 times it (nearly no cap).
    uint256 private constant MIN_MAX_ESCROW_PER_BOND_BPS = 1_000;
    uint256 private constant MAX_MAX_ESCROW_PER_BOND_BPS = 1_000_000;
    /// @dev A model hash slashed this often needs 2^8 = 256 minimum bonds; more slashes do not raise it further, so the
    /// required bond stays within what a listing can hold.
    uint256 private constant MAX_SLASH_DOUBLINGS = 8;
    /// @dev One pending challenge in a model's `modelChallenges` word.
    uint256 private constant PENDING_CHALLENGE = 1 << 128;

    event CurationPoolSet(address oldPool, address newPool);

    // ---------------------------------------------------------------- initializer

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Sets up the registry. The CurationPool is bound afterwards by the deployer ({setCurationPool}).
    /// @param token_ The CUR token.
    /// @param timelock_ The DAO timelock: parameters, roles, upgrades, and the treasury that receives its fees.
    /// @param validatorRewardPool_ Receives the validators' share of fees (the timelock until validation exists).
    /// @param pauseGuardian_ May pause new listings and purchases for {PAUSE_GUARDIAN_TERM}; zero for none.
    /// @param params_ Initial figures, checked against the same bounds as the setters.
    function initialize(
        IERC20 token_,
        address timelock_,
        address validatorRewardPool_,
        address pauseGuardian_,
        MarketParameters calldata params_
    ) external initializer {
        if (address(token_) == address(0)) revert GovernedZeroAddress("token");
        if (validatorRewardPool_ == address(0)) revert GovernedZeroAddress("validatorRewardPool");
        __Governed_init(timelock_);
        ListingRegistryStorage storage $ = _s();
        $.token = token_;
        $.wiring = msg.sender;
        _setValidatorRewardPool(validatorRewardPool_);
        _setPauseGuardian(pauseGuardian_);
        _setMinBond(params_.minBond);
        _setApplicationPeriod(params_.applicationPeriod);
        _setWithdrawalDelay(params_.withdrawalDelay);
        _setProtocolFee(params_.protocolFeeBps);
        _setFeeShares(params_.treasuryShareBps, params_.curatorShareBps, params_.validatorShareBps);
        _setDefaultQuality(params_.defaultQualityBps);
        _setEarningsEscrowPeriod(params_.earningsEscrowPeriod);
        _setMaxEscrowPerBond(params_.maxEscrowPerBondBps);
    }

    // ---------------------------------------------------------------- governance setters

    /// @notice Binds (deployer, once) or replaces (timelock) the CurationPool that receives curators' fees.
    function setCurationPool(ICurationPool pool) external {
        ListingRegistryStorage storage $ = _s();
        bool deployerWiring = msg.sender == $.wiring && address($.curationPool) == address(0);
        if (!deployerWiring) _checkTimelock();
        if (address(pool) == address(0)) revert GovernedZeroAddress("curationPool");
        emit CurationPoolSet(address($.curationPool), address(pool));
        $.curationPool = pool;
        $.wiring = address(0);
    }

    function setMinBond(uint128 newMinBond) external onlyTimelock {
        _setMinBond(newMinBond);
    }

    function setApplicationPeriod(uint32 newPeriod) external onlyTimelock {
        _setApplicationPeriod(newPeriod);
    }

    function setWithdrawalDelay(uint32 newDelay) external onlyTimelock {
        _setWithdrawalDelay(newDelay);
    }

    function setProtocolFee(uint16 newFeeBps) external onlyTimelock {
        _setProtocolFee(newFeeBps);
    }

    function setFeeShares(uint16 treasuryBps, uint16 curatorBps, uint16 validatorBps) external onlyTimelock {
        _setFeeShares(treasuryBps, curatorBps, validatorBps);
    }

    function setDefaultQuality(uint16 newQualityBps) external onlyTimelock {
        _setDefaultQuality(newQualityBps);
    }

    function setEarningsEscrowPeriod(uint32 newPeriod) external onlyTimelock {
        _setEarningsEscrowPeriod(newPeriod);
    }

    function setMaxEscrowPerBond(uint32 newBps) external onlyTimelock {
        _setMaxEscrowPerBond(newBps);
    }

    function setValidationRole(address newValidation) external onlyTimelock {
        ListingRegistryStorage storage $ = _s();
        emit ValidationRoleSet($.validation, newValidation);
        $.validation = newValidation;
    }

    function setChallengeRole(address newChallenges) external onlyTimelock {
        ListingRegistryStorage storage $ = _s();
        emit ChallengeRoleSet($.challenges, newChallenges);
        $.challenges = newChallenges;
    }

    function setValidatorRewardPool(address newPool) external onlyTimelock {
        if (newPool == address(0)) revert GovernedZeroAddress("validatorRewardPool");
        _setValidatorRewardPool(newPool);
    }

    /// @inheritdoc IListingRegistry
    function setPauseGuardian(address newGuardian) external onlyTimelock {
        _setPauseGuardian(newGuardian);
    }

    /// @inheritdoc IListingRegistry
    function setMarketPaused(bool paused) external {
        ListingRegistryStorage storage $ = _s();
        MarketPause state;
        if (msg.sender == timelock()) {
            // The DAO may lift any pause, and adopts the guardian's when it pauses too.
            state = paused ? MarketPause.ByDao : MarketPause.None;
        } else if (msg.sender == $.pauseGuardian) {
            if ($.marketPause == MarketPause.ByDao) revert MarketPausedByDao();
            // Lifting its own pause stays possible after the term: it only gives the market back.
            if (paused && Time.timestamp() >= $.pauseGuardianTermEnd) {
                revert MarketGuardianTermOver(msg.sender, $.pauseGuardianTermEnd);
            }
            state = paused ? MarketPause.ByGuardian : MarketPause.None;
        } else {
            revert ListingUnauthorized(msg.sender, "pauseGuardian");
        }
        $.marketPause = state;
        emit MarketPausedSet(msg.sender, paused);
    }

    // ---------------------------------------------------------------- provider actions

    /// @inheritdoc IListingRegistry
    function createListing(
        bytes32 modelHash,
        string calldata metadataURI,
        string calldata endpointURI,
        uint256 pricePerCall,
        uint256 bond
    ) external nonReentrant returns (uint256 listingId) {
        ListingRegistryStorage storage $ = _s();
        if ($.marketPause != MarketPause.None) revert MarketPaused();
        if (modelHash == bytes32(0)) revert ListingInvalidModelHash();
        _checkURI(metadataURI);
        _checkURI(endpointURI);
        _checkPrice(pricePerCall);
        uint256 required = requiredBond(modelHash);
        // No bond can exceed the CUR supply; the bound keeps the 96-bit bond total exact whatever the token.
        if (bond < required || bond > type(uint96).max) revert ListingBondTooLow(bond, required);

        listingId = ++$.listingCount;
        uint48 activatesAt = Time.timestamp() + $.params.applicationPeriod;
        Listing storage listing = $.listings[listingId];
        listing.provider = msg.sender;
        listing.activatesAt = activatesAt;
        listing.status = ListingStatus.Pending;
        listing.pricePerCall = uint128(pricePerCall);
        listing.bond = uint128(bond);
        listing.modelHash = modelHash;
        listing.metadataURI = metadataURI;
        listing.endpointURI = endpointURI;
        $.totalBonds += uint96(bond);
        _setKey($, listingId, address(0), msg.sender);

        $.token.safeTransferFrom(msg.sender, address(this), bond);
        emit ListingCreated(
            listingId,
            msg.sender,
            modelHash,
            metadataURI,
            endpointURI,
            pricePerCall,
            bond,
            activatesAt
        );
    }

    /// @inheritdoc IListingRegistry
    function increaseBond(uint256 listingId, uint256 amount) external {
        Listing storage listing = _ownLiveListing(listingId);
        uint256 newBond = listing.bond + amount;
        if (amount == 0 || newBond > type(uint96).max) revert ListingInvalidBondIncrease(listingId, amount);
        // Effects before the transfer (of the CUR token, which calls no one back): no reentrancy guard needed.
        listing.bond = uint128(newBond);
        ListingRegistryStorage storage $ = _s();
        $.totalBonds += uint96(amount);
        $.token.safeTransferFrom(msg.sender, address(this), amount);
        emit ListingBondIncreased(listingId, amount, newBond);
    }

    /// @inheritdoc IListingRegistry
    function activate(uint256 listingId) external {
        Listing storage listing = _existing(listingId);
        ListingStatus status = _effectiveStatus(listing);
        if (status != ListingStatus.Active || listing.status == ListingStatus.Active) {
            revert ListingWrongStatus(listingId, status);
        }
        _recordActivation(listingId, listing);
    }

    /// @inheritdoc IListingRegistry
    function updateMetadata(uint256 listingId, string calldata metadataURI) external {
        Listing storage listing = _ownLiveListing(listingId);
        _checkURI(metadataURI);
        emit ListingMetadataUpdated(listingId, listing.metadataURI, metadataURI);
        listing.metadataURI = metadataURI;
    }

    /// @inheritdoc IListingRegistry
    function updateEndpoint(uint256 listingId, string calldata endpointURI) external {
        Listing storage listing = _ownLiveListing(listingId);
        _checkURI(endpointURI);
        emit ListingEndpointUpdated(listingId, listing.endpointURI, endpointURI);
        listing.endpointURI = endpointURI;
    }

    /// @inheritdoc IListingRegistry
    function updatePrice(uint256 listingId, uint256 pricePerCall) external {
        Listing storage listing = _ownLiveListing(listingId);
        _checkPrice(pricePerCall);
        emit ListingPriceUpdated(listingId, listing.pricePerCall, pricePerCall);
        listing.pricePerCall = uint128(pricePerCall);
    }

    /// @inheritdoc IListingRegistry
    function setListingPaused(uint256 listingId, bool paused) external {
        Listing storage listing = _ownLiveListing(listingId);
        listing.paused = paused;
        emit ListingPauseSet(listingId, paused);
    }

    /// @inheritdoc IListingRegistry
    function requestWithdrawal(uint256 listingId) external {
        Listing storage listing = _ownLiveListing(listingId);
        if (listing.withdrawableAt != 0) revert ListingWithdrawalAlreadyRequested(listingId, listing.withdrawableAt);
        // The bond stays for at least one escrow period: every receipt served before the request can still be filed
        // as a fraud proof (a cheater cannot leave before its receipts reach it).
        MarketParameters storage p = _s().params;
        uint32 delay = p.withdrawalDelay > p.earningsEscrowPeriod ? p.withdrawalDelay : p.earningsEscrowPeriod;
        uint48 withdrawableAt = Time.timestamp() + delay;
        listing.withdrawableAt = withdrawableAt;
        emit ListingWithdrawalRequested(listingId, withdrawableAt);
    }

    /// @inheritdoc IListingRegistry
    function completeWithdrawal(uint256 listingId) external nonReentrant {
        Listing storage listing = _existing(listingId);
        if (listing.provider != msg.sender) revert ListingNotProvider(listingId, msg.sender);
        ListingStatus status = listing.status;
        if (status == ListingStatus.Challenged) revert ListingDisputePending(listingId, listing.activeDisputeId);
        if (status == ListingStatus.Delisted || status == ListingStatus.Withdrawn) {
            revert ListingWrongStatus(listingId, status);
        }
        uint48 withdrawableAt = listing.withdrawableAt;
        if (withdrawableAt == 0 || Time.timestamp() < withdrawableAt) {
            revert ListingWithdrawalNotReady(listingId, withdrawableAt);
        }
        uint256 bond = listing.bond;
        listing.status = ListingStatus.Withdrawn;
        listing.bond = 0;
        ListingRegistryStorage storage $ = _s();
        $.totalBonds -= uint96(bond);
        $.token.safeTransfer(msg.sender, bond);
        emit ListingWithdrawn(listingId, msg.sender, bond);
    }

    /// @inheritdoc IListingRegistry
    function setServingKey(uint256 listingId, address key) external {
        _ownLiveListing(listingId);
        ListingRegistryStorage storage $ = _s();
        // A key that signed before would get a second period, and receipts it signed between the two would pass
        // for forged: refuse it.
        if (key == address(0) || $.servingKeyPeriods[listingId][key].validFrom != 0) {
            revert ListingInvalidServingKey(listingId, key);
        }
        address old = $.servingKeys[listingId];
        $.servingKeyPeriods[listingId][old].validUntil = Time.timestamp();
        _setKey($, listingId, old, key);
    }

    /// @inheritdoc IListingRegistry
    function releaseEarnings(uint256 listingId) external nonReentrant returns (uint256 amount) {
        Listing storage listing = _existing(listingId);
        if (listing.activeDisputeId != 0) revert ListingDisputePending(listingId, listing.activeDisputeId);
        ListingRegistryStorage storage $ = _s();
        EarningsEscrow memory e = $.escrows[listingId];
        uint48 nextReleaseAt;
        (amount, , nextReleaseAt) = _releasable(e, $.params.earningsEscrowPeriod);
        if (amount == 0) revert ListingNothingToRelease(listingId, nextReleaseAt);
        uint48 now_ = Time.timestamp();
        if (now_ >= e.openUntil) e.previous = 0;
        if (now_ >= uint256(e.openUntil) + $.params.earningsEscrowPeriod) e.recent = 0;
        $.escrows[listingId] = e;
        address provider = listing.provider;
        $.earnings[provider] += amount;
        emit EarningsReleased(listingId, provider, amount);
    }

    /// @inheritdoc IListingRegistry
    function withdrawEarnings(address to) external nonReentrant returns (uint256 amount) {
        if (to == address(0)) revert GovernedZeroAddress("to");
        ListingRegistryStorage storage $ = _s();
        amount = $.earnings[msg.sender];
        if (amount == 0) revert ListingNoEarnings(msg.sender);
        $.earnings[msg.sender] = 0;
        $.totalEarnings -= amount;
        $.token.safeTransfer(to, amount);
        emit EarningsWithdrawn(msg.sender, to, amount);
    }

    // ---------------------------------------------------------------- consumer actions

    /// @inheritdoc IListingRegistry
    function purchase(
        uint256 listingId,
        uint256 calls,
        address beneficiary,
        uint256 maxPricePerCall
    ) external nonReentrant returns (uint256) {
        return _purchase(listingId, calls, beneficiary, maxPricePerCall);
    }

    /// @inheritdoc IListingRegistry
    function purchaseWithPermit(
        uint256 listingId,
        uint256 calls,
        address beneficiary,
        uint256 maxPricePerCall,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant returns (uint256) {
        uint256 cost = uint256(_existing(listingId).pricePerCall) * calls;
        // Someone may have front-run the permit with the same signature: then the allowance is already there.
        try IERC20Permit(address(_s().token)).permit(msg.sender, address(this), cost, deadline, v, r, s) {} catch {} // solhint-disable-line no-empty-blocks
        return _purchase(listingId, calls, beneficiary, maxPricePerCall);
    }

    /// @inheritdoc IListingRegistry
    function sweepFees() external nonReentrant {
        ListingRegistryStorage storage $ = _s();
        uint256 treasuryAmount = $.treasuryFees;
        uint256 validatorAmount = $.validatorFees;
        $.treasuryFees = 0;
        $.validatorFees = 0;
        address treasury = timelock();
        if (treasuryAmount > 0) $.token.safeTransfer(treasury, treasuryAmount);
        if (validatorAmount > 0) $.token.safeTransfer($.validatorRewardPool, validatorAmount);
        emit FeesSwept(treasury, treasuryAmount, $.validatorRewardPool, validatorAmount);
    }

    // ---------------------------------------------------------------- roles

    /// @inheritdoc IListingRegistry
    function setQuality(uint256 listingId, uint16 qualityBps) external {
        ListingRegistryStorage storage $ = _s();
        if (msg.sender != $.validation) revert ListingUnauthorized(msg.sender, "validation");
        if (qualityBps > BPS) revert ListingInvalidQuality(qualityBps);
        Listing storage listing = _existing(listingId);
        uint16 old = listing.hasQuality ? listing.qualityBps : $.params.defaultQualityBps;
        listing.qualityBps = qualityBps;
        listing.hasQuality = true;
        emit ListingQualityUpdated(listingId, old, qualityBps);
    }

    /// @inheritdoc IListingRegistry
    function setUnderReview(uint256 listingId, bool underReview) external returns (bool held) {
        ListingRegistryStorage storage $ = _s();
        if (msg.sender != $.validation) revert ListingUnauthorized(msg.sender, "validation");
        // The hold is the registry's bound CurationPool's, if it has one: nothing else keeps a copy of the pool.
        ICurationPool pool = $.curationPool;
        if (address(pool) != address(0)) held = pool.setUnderReview(listingId, underReview);
    }

    /// @inheritdoc IListingRegistry
    function onChallengeOpened(uint256 listingId, uint256 disputeId) external {
        _checkChallenges();
        Listing storage listing = _existing(listingId);
        ListingStatus status = _effectiveStatus(listing);
        if (status != ListingStatus.Pending && status != ListingStatus.Active) {
            revert ListingWrongStatus(listingId, status);
        }
        listing.status = ListingStatus.Challenged;
        listing.activeDisputeId = SafeCast.toUint64(disputeId);
        // Unchecked: fewer challenges than disputes, far below 2^128.
        unchecked {
            _s().modelChallenges[listing.modelHash] += PENDING_CHALLENGE;
        }
        emit ListingChallenged(listingId, disputeId);
        // The curators answer for the dispute: their stake cannot leave the listing until it is resolved.
        _s().curationPool.setExitsFrozen(listingId, disputeId, true);
    }

    /// @inheritdoc IListingRegistry
    function onChallengeResolved(
        uint256 listingId,
        uint256 disputeId,
        bool delist
    ) external nonReentrant returns (uint256 bondSlashed, uint256 curatorSlash) {
        _checkChallenges();
        Listing storage listing = _existing(listingId);
        if (listing.status != ListingStatus.Challenged) revert ListingWrongStatus(listingId, listing.status);
        if (listing.activeDisputeId != disputeId) {
            revert ListingWrongDispute(listingId, disputeId, listing.activeDisputeId);
        }
        listing.activeDisputeId = 0;
        ListingStatus newStatus;
        ListingRegistryStorage storage $ = _s();
        bytes32 modelHash = listing.modelHash;
        // This challenge leaves the pending count (it was counted when it opened), and a delisting adds a slash: one
        // wrapping add of 1 - 2^128 or of -2^128 (one slot lookup). Slashes stay far below the pending count's bit.
        uint256 challenges;
        unchecked {
            challenges = $.modelChallenges[modelHash] += (delist ? 1 : 0) - PENDING_CHALLENGE;
        }
        if (delist) {
            newStatus = ListingStatus.Delisted;
            bondSlashed = listing.bond;
            listing.bond = 0;
            listing.status = newStatus;
            $.totalBonds -= uint96(bondSlashed);
            emit ModelSlashed(modelHash, listingId, uint128(challenges));
            // Earnings still in escrow go with the bond: a cheater caught within a period keeps none of them.
            EarningsEscrow storage e = $.escrows[listingId];
            uint256 escrowed = uint256(e.recent) + e.previous;
            if (escrowed > 0) {
                delete $.escrows[listingId];
                $.totalEarnings -= escrowed;
                bondSlashed += escrowed;
                emit EarningsEscrowSlashed(listingId, disputeId, escrowed);
            }
            $.token.safeTransfer(msg.sender, bondSlashed);
        } else {
            newStatus = Time.timestamp() >= listing.activatesAt ? ListingStatus.Active : ListingStatus.Pending;
            listing.status = newStatus;
        }
        emit ListingChallengeResolved(listingId, disputeId, delist, bondSlashed, newStatus);
        // One call into the pool bound now lifts the dispute's freeze and, on a delisting, slashes the curators for
        // the treasury (issue 15: ListingChallenges no longer calls the pool after this one).
        curatorSlash = $.curationPool.resolveDispute(listingId, disputeId, delist);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IListingRegistry
    function getListing(uint256 listingId) external view returns (Listing memory) {
        return _existing(listingId);
    }

    /// @inheritdoc IListingRegistry
    function statusOf(uint256 listingId) external view returns (ListingStatus) {
        return _effectiveStatus(_s().listings[listingId]);
    }

    /// @inheritdoc IListingRegistry
    function qualityOf(uint256 listingId) external view returns (uint16) {
        Listing storage listing = _existing(listingId);
        return listing.hasQuality ? listing.qualityBps : _s().params.defaultQualityBps;
    }

    /// @inheritdoc IListingRegistry
    function statusAndPriceOf(uint256 listingId) external view returns (ListingStatus status, uint256 pricePerCall) {
        Listing storage listing = _s().listings[listingId];
        return (_effectiveStatus(listing), listing.pricePerCall);
    }

    /// @inheritdoc IListingRegistry
    function callsPurchased(uint256 listingId, address account) external view returns (uint256) {
        return _s().callsPurchased[listingId][account];
    }

    /// @inheritdoc IListingRegistry
    function servingKeyOf(uint256 listingId) external view returns (address) {
        return _s().servingKeys[listingId];
    }

    /// @inheritdoc IListingRegistry
    function servingKeyPeriod(uint256 listingId, address key) external view returns (ServingKeyPeriod memory) {
        return _s().servingKeyPeriods[listingId][key];
    }

    /// @inheritdoc IListingRegistry
    function escrowOf(
        uint256 listingId
    ) external view returns (uint256 locked, uint256 releasable, uint48 nextReleaseAt) {
        ListingRegistryStorage storage $ = _s();
        (releasable, locked, nextReleaseAt) = _releasable($.escrows[listingId], $.params.earningsEscrowPeriod);
    }

    /// @inheritdoc IListingRegistry
    function earningsOf(address provider) external view returns (uint256) {
        return _s().earnings[provider];
    }

    /// @inheritdoc IListingRegistry
    function requiredBond(bytes32 modelHash) public view returns (uint256) {
        ListingRegistryStorage storage $ = _s();
        uint256 challenges = $.modelChallenges[modelHash];
        // Pending challenges add one doubling, however many run: a challenged provider cannot relist at the lower
        // bond, and a sybil who challenges its own listings of a model cannot price newcomers out (2^8 bonds with
        // eight challenges, ~3,400 CUR of fees and shares at the local figures) before any jury has ruled.
        uint256 slashes = uint128(challenges) + (challenges >> 128 == 0 ? 0 : 1);
        return uint256($.params.minBond) << (slashes < MAX_SLASH_DOUBLINGS ? slashes : MAX_SLASH_DOUBLINGS);
    }

    /// @inheritdoc IListingRegistry
    function parameters() external view returns (MarketParameters memory) {
        return _s().params;
    }

    /// @inheritdoc IListingRegistry
    function listingCount() external view returns (uint256) {
        return _s().listingCount;
    }

    /// @inheritdoc IListingRegistry
    function providerOf(uint256 listingId) external view returns (address) {
        return _existing(listingId).provider;
    }

    /// @inheritdoc IListingRegistry
    function token() external view returns (address) {
        return address(_s().token);
    }

    /// @inheritdoc IListingRegistry
    function totalOwed()
        external
        view
        returns (uint256 bonds, uint256 earnings, uint256 treasuryFees, uint256 validatorFees)
    {
        ListingRegistryStorage storage $ = _s();
        return ($.totalBonds, $.totalEarnings, $.treasuryFees, $.validatorFees);
    }

    /// @inheritdoc IListingRegistry
    function addresses()
        external
        view
        returns (
            address curationPool,
            address challenges,
            address validatorRewardPool,
            address pauseGuardian,
            MarketPause marketPause,
            uint48 pauseGuardianTermEnd
        )
    {
        ListingRegistryStorage storage $ = _s();
        return (
            address($.curationPool),
            $.challenges,
            $.validatorRewardPool,
            $.pauseGuardian,
            $.marketPause,
            $.pauseGuardianTermEnd
        );
    }

    /// @inheritdoc IListingRegistry
    function curationPool() external view returns (address) {
        return address(_s().curationPool);
    }

    /// @inheritdoc IListingRegistry
    function validationRole() external view returns (address) {
        return _s().validation;
    }

    // ---------------------------------------------------------------- internal

    function _purchase(
        uint256 listingId,
        uint256 calls,
        address beneficiary,
        uint256 maxPricePerCall
    ) private returns (uint256) {
        ListingRegistryStorage storage $ = _s();
        if ($.marketPause != MarketPause.None) revert MarketPaused();
        if (calls == 0 || calls > MAX_CALLS_PER_PURCHASE || beneficiary == address(0)) {
            revert ListingInvalidPurchase(calls, beneficiary);
        }
        Listing storage listing = _existing(listingId);
        ListingStatus status = _effectiveStatus(listing);
        if (status != ListingStatus.Active) revert ListingWrongStatus(listingId, status);
        if (listing.paused || listing.withdrawableAt != 0) revert ListingNotPurchasable(listingId);
        if (listing.pricePerCall > maxPricePerCall) {
            revert ListingPriceAboveMax(listingId, listing.pricePerCall, maxPricePerCall);
        }
        if (listing.status == ListingStatus.Pending) _recordActivation(listingId, listing);

        Split memory split = _split(listing, calls, $.params);
        // The bond shares the price's slot and the cap the fee figures': both warm here.
        _escrow($, listingId, split.providerAmount, (uint256(listing.bond) * $.params.maxEscrowPerBondBps) / BPS);
        $.totalEarnings += split.providerAmount;
        $.treasuryFees += split.treasuryFee;
        $.validatorFees += split.validatorFee;
        $.callsPurchased[listingId][beneficiary] += calls;

        $.token.safeTransferFrom(msg.sender, address(this), split.cost);
        if (split.curatorFee > 0) {
            $.token.safeTransfer(address($.curationPool), split.curatorFee);
            $.curationPool.notifyFees(listingId, split.curatorFee, split.quality);
        }
        emit CallsPurchased(
            listingId,
            msg.sender,
            beneficiary,
            calls,
            split.cost,
            split.providerAmount,
            split.treasuryFee,
            split.curatorFee,
            split.validatorFee,
            split.quality
        );
        return split.cost;
    }

    function _split(
        Listing storage listing,
        uint256 calls,
        MarketParameters storage p
    ) private view returns (Split memory split) {
        split.cost = uint256(listing.pricePerCall) * calls;
        uint256 fee = (split.cost * p.protocolFeeBps) / BPS;
        split.curatorFee = (fee * p.curatorShareBps) / BPS;
        split.validatorFee = (fee * p.validatorShareBps) / BPS;
        // The treasury takes the rounding remainder, so the parts always add up to the fee exactly.
        split.treasuryFee = fee - split.curatorFee - split.validatorFee;
        split.providerAmount = split.cost - fee;
        split.quality = listing.hasQuality ? listing.qualityBps : p.defaultQualityBps;
    }

    /// @dev Credits the listing's escrow. The `recent` bucket takes credits until `openUntil`; the first credit after
    /// it turns `recent` into `previous` (due at the new `openUntil`, one period after its own closing at the latest)
    /// and releases what was due: so every credit waits at least one period, in one slot. What stays in it afterwards
    /// is all at risk (slashed on a delisting), and may not pass `cap`.
    function _escrow(ListingRegistryStorage storage $, uint256 listingId, uint256 amount, uint256 cap) private {
        EarningsEscrow memory e = $.escrows[listingId];
        uint48 now_ = Time.timestamp();
        if (now_ >= e.openUntil) {
            uint256 period = $.params.earningsEscrowPeriod;
            (uint256 due, , ) = _releasable(e, period);
            if (due > 0) {
                address provider = $.listings[listingId].provider;
                $.earnings[provider] += due;
                emit EarningsReleased(listingId, provider, due);
            }
            e.previous = now_ >= uint256(e.openUntil) + period ? 0 : e.recent;
            e.recent = 0;
            e.openUntil = now_ + uint48(period);
        }
        e.recent = SafeCast.toUint104(e.recent + amount);
        uint256 atRisk = uint256(e.recent) + e.previous;
        if (atRisk > cap) revert ListingSalesCapReached(listingId, atRisk, cap);
        $.escrows[listingId] = e;
    }

    /// @dev What of the escrow is due now, what stays locked, and when the next locked part is due.
    function _releasable(
        EarningsEscrow memory e,
        uint256 period
    ) private view returns (uint256 due, uint256 locked, uint48 nextReleaseAt) {
        uint48 now_ = Time.timestamp();
        uint48 recentDue = SafeCast.toUint48(uint256(e.openUntil) + period);
        if (now_ >= e.openUntil) due = e.previous;
        else if (e.previous > 0) nextReleaseAt = e.openUntil;
        if (now_ >= recentDue) due += e.recent;
        else if (e.recent > 0) {
            locked = e.recent;
            if (nextReleaseAt == 0) nextReleaseAt = recentDue;
        }
        if (now_ < e.openUntil) locked += e.previous;
    }

    function _setKey(ListingRegistryStorage storage $, uint256 listingId, address old, address key) private {
        $.servingKeys[listingId] = key;
        $.servingKeyPeriods[listingId][key].validFrom = Time.timestamp();
        emit ServingKeySet(listingId, old, key);
    }

    function _recordActivation(uint256 listingId, Listing storage listing) private {
        listing.status = ListingStatus.Active;
        emit ListingActivated(listingId);
    }

    function _effectiveStatus(Listing storage listing) private view returns (ListingStatus) {
        ListingStatus status = listing.status;
        if (status == ListingStatus.Pending && Time.timestamp() >= listing.activatesAt) return ListingStatus.Active;
        return status;
    }

    function _existing(uint256 listingId) private view returns (Listing storage listing) {
        listing = _s().listings[listingId];
        if (listing.status == ListingStatus.None) revert ListingNotFound(listingId);
    }

    /// @dev The caller's listing, not yet Delisted or Withdrawn.
    function _ownLiveListing(uint256 listingId) private view returns (Listing storage listing) {
        listing = _existing(listingId);
        if (listing.provider != msg.sender) revert ListingNotProvider(listingId, msg.sender);
        if (listing.status == ListingStatus.Delisted || listing.status == ListingStatus.Withdrawn) {
            revert ListingWrongStatus(listingId, listing.status);
        }
    }

    function _checkChallenges() private view {
        if (msg.sender != _s().challenges) revert ListingUnauthorized(msg.sender, "challenges");
    }

    function _checkURI(string calldata uri) private pure {
        uint256 length = bytes(uri).length;
        if (length == 0 || length > MAX_URI_LENGTH) revert ListingInvalidURI(length, MAX_URI_LENGTH);
    }

    function _checkPrice(uint256 pricePerCall) private pure {
        if (pricePerCall == 0 || pricePerCall > type(uint128).max) revert ListingInvalidPrice(pricePerCall);
    }

    function _checkBounds(bytes32 parameter, uint256 value, uint256 min, uint256 max) private pure {
        if (value < min || value > max) revert ListingParameterOutOfBounds(parameter, value, min, max);
    }

    function _setMinBond(uint128 newMinBond) private {
        _checkBounds("minBond", newMinBond, MIN_BOND_FLOOR, MIN_BOND_CEILING);
        MarketParameters storage p = _s().params;
        emit MinBondSet(p.minBond, newMinBond);
        p.minBond = uint96(newMinBond); // the ceiling (1e25) is far below 2^96
    }

    function _setApplicationPeriod(uint32 newPeriod) private {
        _checkBounds("applicationPeriod", newPeriod, 0, MAX_APPLICATION_PERIOD);
        MarketParameters storage p = _s().params;
        emit ApplicationPeriodSet(p.applicationPeriod, newPeriod);
        p.applicationPeriod = newPeriod;
    }

    function _setWithdrawalDelay(uint32 newDelay) private {
        _checkBounds("withdrawalDelay", newDelay, MIN_WITHDRAWAL_DELAY, MAX_WITHDRAWAL_DELAY);
        MarketParameters storage p = _s().params;
        emit WithdrawalDelaySet(p.withdrawalDelay, newDelay);
        p.withdrawalDelay = newDelay;
    }

    function _setProtocolFee(uint16 newFeeBps) private {
        _checkBounds("protocolFeeBps", newFeeBps, 0, MAX_PROTOCOL_FEE_BPS);
        MarketParameters storage p = _s().params;
        emit ProtocolFeeSet(p.protocolFeeBps, newFeeBps);
        p.protocolFeeBps = newFeeBps;
    }

    function _setFeeShares(uint16 treasuryBps, uint16 curatorBps, uint16 validatorBps) private {
        if (uint256(treasuryBps) + curatorBps + validatorBps != BPS) {
            revert ListingFeeSharesInvalid(treasuryBps, curatorBps, validatorBps);
        }
        MarketParameters storage p = _s().params;
        emit FeeSharesSet(
            p.treasuryShareBps,
            p.curatorShareBps,
            p.validatorShareBps,
            treasuryBps,
            curatorBps,
            validatorBps
        );
        p.treasuryShareBps = treasuryBps;
        p.curatorShareBps = curatorBps;
        p.validatorShareBps = validatorBps;
    }

    function _setDefaultQuality(uint16 newQualityBps) private {
        _checkBounds("defaultQualityBps", newQualityBps, 0, BPS);
        MarketParameters storage p = _s().params;
        emit DefaultQualitySet(p.defaultQualityBps, newQualityBps);
        p.defaultQualityBps = newQualityBps;
    }

    function _setEarningsEscrowPeriod(uint32 newPeriod) private {
        _checkBounds("earningsEscrowPeriod", newPeriod, MIN_EARNINGS_ESCROW_PERIOD, MAX_EARNINGS_ESCROW_PERIOD);
        MarketParameters storage p = _s().params;
        emit EarningsEscrowPeriodSet(p.earningsEscrowPeriod, newPeriod);
        p.earningsEscrowPeriod = newPeriod;
    }

    function _setMaxEscrowPerBond(uint32 newBps) private {
        _checkBounds("maxEscrowPerBondBps", newBps, MIN_MAX_ESCROW_PER_BOND_BPS, MAX_MAX_ESCROW_PER_BOND_BPS);
        MarketParameters storage p = _s().params;
        emit MaxEscrowPerBondSet(p.maxEscrowPerBondBps, newBps);
        p.maxEscrowPerBondBps = newBps;
    }

    function _setValidatorRewardPool(address newPool) private {
        ListingRegistryStorage storage $ = _s();
        emit ValidatorRewardPoolSet($.validatorRewardPool, newPool);
        $.validatorRewardPool = newPool;
    }

    function _setPauseGuardian(address newGuardian) private {
        uint48 termEnd = newGuardian == address(0) ? 0 : Time.timestamp() + uint48(PAUSE_GUARDIAN_TERM);
        ListingRegistryStorage storage $ = _s();
        emit PauseGuardianSet($.pauseGuardian, newGuardian);
        emit PauseGuardianTermSet(newGuardian, termEnd);
        $.pauseGuardian = newGuardian;
        $.pauseGuardianTermEnd = termEnd;
    }

    /// @dev Bonds, earnings (escrowed or not) and both fee buckets: the registry's whole debt in CUR ({totalOwed}).
    function _owedIn(address token) internal view override returns (uint256) {
        ListingRegistryStorage storage $ = _s();
        return token == address($.token) ? $.totalBonds + $.totalEarnings + $.treasuryFees + $.validatorFees : 0;
    }

    function _s() private pure returns (ListingRegistryStorage storage $) {
        assembly {
            $.slot := LISTING_REGISTRY_STORAGE
        }
    }
}
