// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IListingRegistry
/// @notice The marketplace: providers list AI models with a bond, consumers buy inference calls, and the protocol fee
/// is split between the treasury, the listing's curators and the validators' reward pool by governed shares.
/// Every figure is set by the DAO timelock within bounds.
interface IListingRegistry {
    /// @notice Lifecycle of a listing. `Pending` turns `Active` once its application period passes unchallenged.
    enum ListingStatus {
        None,
        Pending,
        Active,
        Challenged,
        Delisted,
        Withdrawn
    }

    /// @notice Whether new listings and purchases are paused, and by whom: the guardian may lift only its own pause,
    /// only the timelock lifts the DAO's.
    enum MarketPause {
        None,
        ByGuardian,
        ByDao
    }

    /// @notice A listing as stored. `status` is the recorded one: see {statusOf} for the effective one.
    /// `activeDisputeId` (0: none) shares the bond's slot: a challenge writes it into a slot that holds the bond already
    /// instead of a fresh one (22,100 gas), and its resolution reads and clears both at once (issue 15).
    struct Listing {
        address provider;
        uint48 activatesAt;
        uint48 withdrawableAt;
        ListingStatus status;
        bool paused;
        bool hasQuality;
        uint16 qualityBps;
        uint128 pricePerCall;
        uint128 bond;
        uint64 activeDisputeId;
        bytes32 modelHash;
        string metadataURI;
        string endpointURI;
    }

    /// @notice Governed figures of the marketplace.
    /// @param minBond Smallest provider bond, in CUR wei.
    /// @param applicationPeriod Seconds a new listing stays Pending, open to challenge, before it sells.
    /// @param withdrawalDelay Seconds between a provider's exit request and the bond's return.
    /// @param protocolFeeBps Share of each purchase taken as protocol fee.
    /// @param treasuryShareBps Part of the fee for the treasury.
    /// @param curatorShareBps Part of the fee for the listing's curators (weighted by quality in the CurationPool).
    /// @param validatorShareBps Part of the fee for the validators' reward pool.
    /// @param maxEscrowPerBondBps Most a listing may hold in escrow (earnings not yet releasable, slashable with the
    /// bond), per unit of its bond: a purchase that would pass bond × this / 10,000 reverts with
    /// {ListingSalesCapReached}. It bounds what a cheater earns before it is caught by what it loses when it is.
    /// @param defaultQualityBps Quality assumed for a listing no validator has scored yet.
    /// @param earningsEscrowPeriod Seconds a provider's earnings stay in the listing's escrow, slashable with its
    /// bond, before they can be withdrawn; also how old a receipt a fraud proof may still carry.
    struct MarketParameters {
        uint96 minBond;
        uint32 applicationPeriod;
        uint32 withdrawalDelay;
        uint16 protocolFeeBps;
        uint16 treasuryShareBps;
        uint16 curatorShareBps;
        uint16 validatorShareBps;
        // In the first slot with the fee figures, which every purchase reads already.
        uint32 maxEscrowPerBondBps;
        uint16 defaultQualityBps;
        uint32 earningsEscrowPeriod;
    }

    /// @notice When a serving key signed for a listing: from `validFrom` until `validUntil` (0: still the key).
    struct ServingKeyPeriod {
        uint48 validFrom;
        uint48 validUntil;
    }

    /// @notice A listing's escrowed earnings, in two buckets (see {escrowOf}). One slot.
    /// @param openUntil The `recent` bucket takes purchases until then; it is released one escrow period after,
    /// `previous` at `openUntil`.
    struct EarningsEscrow {
        uint48 openUntil;
        uint104 recent;
        uint104 previous;
    }

    // ------------------------------------------------------------------ events: listings

    /// @notice A provider listed a model and posted its bond.
    event ListingCreated(
        uint256 indexed listingId,
        address indexed provider,
        bytes32 modelHash,
        string metadataURI,
        string endpointURI,
        uint256 pricePerCall,
        uint256 bond,
        uint48 activatesAt
    );
    /// @notice A Pending listing's application period passed unchallenged; it now sells.
    event ListingActivated(uint256 indexed listingId);
    /// @notice The provider changed the metadata URI.
    event ListingMetadataUpdated(uint256 indexed listingId, string oldMetadataURI, string newMetadataURI);
    /// @notice The provider changed the inference endpoint.
    event ListingEndpointUpdated(uint256 indexed listingId, string oldEndpointURI, string newEndpointURI);
    /// @notice The provider changed the price per call.
    event ListingPriceUpdated(uint256 indexed listingId, uint256 oldPricePerCall, uint256 newPricePerCall);
    /// @notice The provider paused or resumed sales of a listing.
    event ListingPauseSet(uint256 indexed listingId, bool paused);
    /// @notice The provider asked to leave; the bond can be taken back at `withdrawableAt` if no dispute is pending.
    event ListingWithdrawalRequested(uint256 indexed listingId, uint48 withdrawableAt);
    /// @notice The provider left and took its bond back.
    event ListingWithdrawn(uint256 indexed listingId, address indexed provider, uint256 bondReturned);
    /// @notice A challenge opened a dispute on the listing; sales stop until it is resolved.
    event ListingChallenged(uint256 indexed listingId, uint256 indexed disputeId);
    /// @notice The dispute was resolved. When `delisted`, `bondSlashed` went to ListingChallenges for distribution.
    event ListingChallengeResolved(
        uint256 indexed listingId,
        uint256 indexed disputeId,
        bool delisted,
        uint256 bondSlashed,
        ListingStatus newStatus
    );
    /// @notice The provider added `amount` to the listing's bond, now `newBond`: it may hold that much more in escrow.
    event ListingBondIncreased(uint256 indexed listingId, uint256 amount, uint256 newBond);
    /// @notice A listing of `modelHash` was delisted by a lost challenge: the model's `slashes` so far. A new listing of
    /// the hash needs a bond of minBond × 2^slashes (the exponent capped at 8): see {requiredBond}.
    event ModelSlashed(bytes32 indexed modelHash, uint256 indexed listingId, uint256 slashes);
    /// @notice `newKey` signs the listing's receipts from now on; `oldKey` (zero at listing) signed until now.
    event ServingKeySet(uint256 indexed listingId, address indexed oldKey, address indexed newKey);
    /// @notice The validation role recorded a new verified quality.
    event ListingQualityUpdated(uint256 indexed listingId, uint16 oldQualityBps, uint16 newQualityBps);

    // ------------------------------------------------------------------ events: money

    /// @notice A consumer bought `calls` inference calls for `beneficiary`.
    /// @param cost Total paid: providerAmount + treasuryFee + curatorFee + validatorFee.
    /// @param qualityBps Quality used to weight the curators' share.
    event CallsPurchased(
        uint256 indexed listingId,
        address indexed buyer,
        address indexed beneficiary,
        uint256 calls,
        uint256 cost,
        uint256 providerAmount,
        uint256 treasuryFee,
        uint256 curatorFee,
        uint256 validatorFee,
        uint16 qualityBps
    );
    /// @notice Escrowed earnings of `listingId` became withdrawable by its provider.
    event EarningsReleased(uint256 indexed listingId, address indexed provider, uint256 amount);
    /// @notice A delisting took the listing's escrowed earnings with its bond (counted in the resolution's
    /// `bondSlashed`).
    event EarningsEscrowSlashed(uint256 indexed listingId, uint256 indexed disputeId, uint256 amount);
    /// @notice A provider withdrew its accumulated earnings.
    event EarningsWithdrawn(address indexed provider, address indexed to, uint256 amount);
    /// @notice Accrued treasury and validator fees were sent on to the timelock and the validators' reward pool.
    event FeesSwept(address treasury, uint256 treasuryAmount, address validatorRewardPool, uint256 validatorAmount);

    // ------------------------------------------------------------------ events: governance

    /// @notice The minimum bond changed.
    event MinBondSet(uint256 oldMinBond, uint256 newMinBond);
    /// @notice The application period changed.
    event ApplicationPeriodSet(uint32 oldApplicationPeriod, uint32 newApplicationPeriod);
    /// @notice The withdrawal delay changed.
    event WithdrawalDelaySet(uint32 oldWithdrawalDelay, uint32 newWithdrawalDelay);
    /// @notice The protocol fee changed.
    event ProtocolFeeSet(uint16 oldFeeBps, uint16 newFeeBps);
    /// @notice The fee split changed.
    event FeeSharesSet(
        uint16 oldTreasuryShareBps,
        uint16 oldCuratorShareBps,
        uint16 oldValidatorShareBps,
        uint16 newTreasuryShareBps,
        uint16 newCuratorShareBps,
        uint16 newValidatorShareBps
    );
    /// @notice The cap on a listing's escrow per unit of bond changed.
    event MaxEscrowPerBondSet(uint32 oldBps, uint32 newBps);
    /// @notice The earnings escrow period changed.
    event EarningsEscrowPeriodSet(uint32 oldPeriod, uint32 newPeriod);
    /// @notice The quality assumed for unscored listings changed.
    event DefaultQualitySet(uint16 oldQualityBps, uint16 newQualityBps);
    /// @notice The account allowed to record qualities changed (the ValidationManager).
    event ValidationRoleSet(address oldValidation, address newValidation);
    /// @notice The account allowed to open and resolve challenges changed (ListingChallenges).
    event ChallengeRoleSet(address oldChallenges, address newChallenges);
    /// @notice The account that receives the validators' share of fees changed.
    event ValidatorRewardPoolSet(address oldPool, address newPool);
    /// @notice The account allowed to pause new listings and purchases changed.
    event PauseGuardianSet(address oldGuardian, address newGuardian);
    /// @notice `guardian` (just named) may pause until `termEnd` (0: no guardian); it may lift its own pause after.
    event PauseGuardianTermSet(address indexed guardian, uint48 termEnd);
    /// @notice New listings and purchases were paused or resumed (exits and withdrawals never pause) by `by`: the
    /// pause guardian or the timelock (the DAO).
    event MarketPausedSet(address indexed by, bool paused);

    // ------------------------------------------------------------------ errors

    /// @notice The listing does not exist.
    error ListingNotFound(uint256 listingId);
    /// @notice The caller is not the listing's provider.
    error ListingNotProvider(uint256 listingId, address caller);
    /// @notice The listing's effective status does not allow this action.
    error ListingWrongStatus(uint256 listingId, ListingStatus status);
    /// @notice The bond is below the required one (the governed minimum, doubled for each slash of the model hash and
    /// once more while a challenge of it is pending: see {requiredBond}), or above what a listing can hold.
    error ListingBondTooLow(uint256 bond, uint256 requiredBond);
    /// @notice A bond increase of zero, or one that would take the bond past what a listing can hold.
    error ListingInvalidBondIncrease(uint256 listingId, uint256 amount);
    /// @notice The purchase would put `atRisk` in the listing's escrow, above its `cap` (bond × maxEscrowPerBondBps):
    /// buy fewer calls, or later (escrow is released every period), or the provider raises its bond.
    error ListingSalesCapReached(uint256 listingId, uint256 atRisk, uint256 cap);
    /// @notice A price of zero, or one too large to store.
    error ListingInvalidPrice(uint256 pricePerCall);
    /// @notice A zero model hash.
    error ListingInvalidModelHash();
    /// @notice An empty or overlong URI.
    error ListingInvalidURI(uint256 length, uint256 maxLength);
    /// @notice A purchase of zero calls, to the zero address, or of a paused or exiting listing.
    error ListingNotPurchasable(uint256 listingId);
    /// @notice A purchase with zero calls or the zero beneficiary.
    error ListingInvalidPurchase(uint256 calls, address beneficiary);
    /// @notice New listings and purchases are paused by the guardian or the DAO.
    error MarketPaused();
    /// @notice The DAO paused the market: only the timelock lifts (or takes over) its pause.
    error MarketPausedByDao();
    /// @notice The guardian's term ended at `termEnd`: it may no longer pause (it may still lift its own pause).
    error MarketGuardianTermOver(address guardian, uint48 termEnd);
    /// @notice The provider already asked to leave.
    error ListingWithdrawalAlreadyRequested(uint256 listingId, uint48 withdrawableAt);
    /// @notice The withdrawal delay has not passed yet.
    error ListingWithdrawalNotReady(uint256 listingId, uint48 withdrawableAt);
    /// @notice The bond cannot come back while a dispute is pending.
    error ListingDisputePending(uint256 listingId, uint256 disputeId);
    /// @notice The dispute id does not match the listing's pending dispute.
    error ListingWrongDispute(uint256 listingId, uint256 disputeId, uint256 activeDisputeId);
    /// @notice No earnings to withdraw.
    error ListingNoEarnings(address provider);
    /// @notice The caller does not hold the role.
    error ListingUnauthorized(address caller, bytes32 role);
    /// @notice The listing's price is above what the buyer accepts: the provider raised it.
    error ListingPriceAboveMax(uint256 listingId, uint256 pricePerCall, uint256 maxPricePerCall);
    /// @notice A zero serving key, or one the listing used before (a key's period is never reopened, so receipts it
    /// signed keep their meaning).
    error ListingInvalidServingKey(uint256 listingId, address key);
    /// @notice No escrowed earnings of the listing are due yet; the next part is due at `nextReleaseAt` (0: none).
    error ListingNothingToRelease(uint256 listingId, uint48 nextReleaseAt);
    /// @notice A quality score above 10,000 bps.
    error ListingInvalidQuality(uint256 qualityBps);
    /// @notice A governed setting outside its bounds.
    error ListingParameterOutOfBounds(bytes32 parameter, uint256 value, uint256 min, uint256 max);
    /// @notice Fee shares that do not sum to 10,000 bps.
    error ListingFeeSharesInvalid(uint256 treasuryShareBps, uint256 curatorShareBps, uint256 validatorShareBps);

    // ------------------------------------------------------------------ provider actions

    /// @notice Lists a model; the caller becomes its provider and pays `bond`: at least {requiredBond} (the minimum bond,
    /// doubled for each listing of the same model hash delisted by a lost challenge).
    /// @dev Emits {ListingCreated}.
    /// @param modelHash Content hash of the reference weights (sha-256 of the model file).
    /// @param metadataURI Description of the model (name, task, license, evaluation set).
    /// @param endpointURI Where the provider serves inference.
    /// @param pricePerCall Price of one call, in CUR wei.
    /// @param bond Bond posted, in CUR wei; the registry pulls it with `transferFrom`.
    /// @return listingId The new listing's id (sequential, from 1).
    function createListing(
        bytes32 modelHash,
        string calldata metadataURI,
        string calldata endpointURI,
        uint256 pricePerCall,
        uint256 bond
    ) external returns (uint256 listingId);

    /// @notice Adds `amount` to the caller's listing's bond (pulled with `transferFrom`), so that it may sell more:
    /// its escrow may hold bond × maxEscrowPerBondBps / 10,000. The bond returns with the rest on withdrawal.
    /// @dev Emits {ListingBondIncreased}.
    function increaseBond(uint256 listingId, uint256 amount) external;

    /// @notice Records the Pending → Active transition once the application period is over (anyone may call).
    /// @dev Emits {ListingActivated}. Purchases activate lazily too.
    function activate(uint256 listingId) external;

    /// @notice Changes the metadata URI. Emits {ListingMetadataUpdated}.
    function updateMetadata(uint256 listingId, string calldata metadataURI) external;

    /// @notice Changes the inference endpoint. Emits {ListingEndpointUpdated}.
    function updateEndpoint(uint256 listingId, string calldata endpointURI) external;

    /// @notice Changes the price per call; a buyer protects itself by approving only price × calls.
    /// @dev Emits {ListingPriceUpdated}.
    function updatePrice(uint256 listingId, uint256 pricePerCall) external;

    /// @notice Pauses or resumes sales of the caller's listing. Emits {ListingPauseSet}.
    function setListingPaused(uint256 listingId, bool paused) external;

    /// @notice Starts the provider's exit: sales stop now, the bond returns after the withdrawal delay.
    /// @dev Emits {ListingWithdrawalRequested}.
    function requestWithdrawal(uint256 listingId) external;

    /// @notice Completes the exit and returns the bond, once the delay passed and no dispute is pending.
    /// @dev Emits {ListingWithdrawn}.
    function completeWithdrawal(uint256 listingId) external;

    /// @notice Names the key that signs the listing's receipts from now on (the provider's own address at listing);
    /// the old key's receipts keep counting for the time it was the key. A key is never reused on a listing.
    /// @dev Emits {ServingKeySet}.
    function setServingKey(uint256 listingId, address key) external;

    /// @notice Moves the listing's earnings that have waited one escrow period to its provider's withdrawable
    /// earnings (anyone may call). Refused while a dispute on the listing is open: they may be slashed.
    /// @dev Emits {EarningsReleased}.
    function releaseEarnings(uint256 listingId) external returns (uint256 amount);

    /// @notice Sends the caller's released earnings to `to` (pull payment). Emits {EarningsWithdrawn}.
    function withdrawEarnings(address to) external returns (uint256 amount);

    // ------------------------------------------------------------------ consumer actions

    /// @notice Buys `calls` inference calls on an Active listing, credited to `beneficiary`; pays price × calls, and
    /// reverts with {ListingPriceAboveMax} when the price is above `maxPricePerCall` (a provider cannot raise it
    /// under a buyer's pending transaction). The provider's part goes to the listing's escrow.
    /// @dev Emits {CallsPurchased}. The caller must have approved the cost.
    /// @return cost The amount paid.
    function purchase(
        uint256 listingId,
        uint256 calls,
        address beneficiary,
        uint256 maxPricePerCall
    ) external returns (uint256 cost);

    /// @notice {purchase} with an ERC-2612 permit for the cost, in one transaction.
    /// @dev A permit already used (front-run) is ignored when the allowance suffices.
    function purchaseWithPermit(
        uint256 listingId,
        uint256 calls,
        address beneficiary,
        uint256 maxPricePerCall,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 cost);

    /// @notice Sends accrued treasury and validator fees on (anyone may call). Emits {FeesSwept}.
    function sweepFees() external;

    // ------------------------------------------------------------------ roles

    /// @notice Records a verified quality score at the end of a round; only the validation role. Emits
    /// {ListingQualityUpdated}.
    function setQuality(uint256 listingId, uint16 qualityBps) external;

    /// @notice Holds (`underReview`) or lifts the curators' exits of `listingId` in the CurationPool, if one is bound
    /// (see {ICurationPool-setUnderReview}); only the validation role, at a round's draw and finalisation. Through the
    /// registry, which knows both the role and the pool, no contract keeps a copy of either (issue 15: ~1,100 gas less
    /// a call than the pool asking the registry for the role).
    /// @return held Whether the pool holds the listing's exits now ({ICurationPool-setUnderReview}); false with no pool.
    function setUnderReview(uint256 listingId, bool underReview) external returns (bool held);

    /// @notice Marks the listing Challenged by dispute `disputeId`; only the challenge role (ListingChallenges). The
    /// challenge counts against the model's {requiredBond} until {onChallengeResolved}. Emits {ListingChallenged}.
    function onChallengeOpened(uint256 listingId, uint256 disputeId) external;

    /// @notice Resolves the listing's dispute; only the challenge role (ListingChallenges). When `delist`, the listing
    /// is Delisted, its bond and escrowed earnings go to the caller for distribution and its curators are slashed
    /// for the treasury; otherwise it goes back to Pending or Active. Either way the curators' exit freeze of the
    /// dispute is lifted, in the same call into the CurationPool ({ICurationPool-resolveDispute}). Emits
    /// {ListingChallengeResolved} (and {EarningsEscrowSlashed} when escrow was taken).
    /// @return bondSlashed The bond and escrow sent to the caller (zero when not delisted).
    /// @return curatorSlash What the curators lost, held by the CurationPool for the treasury (zero when not delisted).
    function onChallengeResolved(
        uint256 listingId,
        uint256 disputeId,
        bool delist
    ) external returns (uint256 bondSlashed, uint256 curatorSlash);

    /// @notice Pauses or resumes new listings and purchases. The timelock may do either at any time (its pause is
    /// the DAO's); the pause guardian may pause until its term ends and lift only its own pause, never the DAO's.
    /// @dev Emits {MarketPausedSet}. Exits, withdrawals and claims never pause.
    function setMarketPaused(bool paused) external;

    /// @notice Names the pause guardian (zero for none) for a term of {PAUSE_GUARDIAN_TERM} from now (naming it again
    /// renews it); only the timelock. A pause the former guardian made stays until lifted by the new one or the
    /// timelock. Emits {PauseGuardianSet} and {PauseGuardianTermSet}.
    function setPauseGuardian(address newGuardian) external;

    // ------------------------------------------------------------------ views

    /// @notice The listing as stored.
    function getListing(uint256 listingId) external view returns (Listing memory);

    /// @notice The effective status: a Pending listing past its application period is Active.
    function statusOf(uint256 listingId) external view returns (ListingStatus);

    /// @notice The verified quality, or the governed default when no validator has scored the listing yet.
    function qualityOf(uint256 listingId) external view returns (uint16);

    /// @notice The listing's status and its price of one call, in CUR wei (what a validation round fixes when it opens).
    function statusAndPriceOf(uint256 listingId) external view returns (ListingStatus status, uint256 pricePerCall);

    /// @notice Inference calls `account` has been credited on `listingId`, all purchases together.
    function callsPurchased(uint256 listingId, address account) external view returns (uint256);

    /// @notice The listing's serving key now (zero for an unknown listing).
    function servingKeyOf(uint256 listingId) external view returns (address);

    /// @notice When `key` was the listing's serving key (zeros: never).
    function servingKeyPeriod(uint256 listingId, address key) external view returns (ServingKeyPeriod memory);

    /// @notice The listing's escrowed earnings: `locked` (not due yet), `releasable` now, and when the next locked
    /// part becomes releasable (0: nothing locked).
    function escrowOf(
        uint256 listingId
    ) external view returns (uint256 locked, uint256 releasable, uint48 nextReleaseAt);

    /// @notice Earnings a provider can withdraw (released from escrow).
    function earningsOf(address provider) external view returns (uint256);

    /// @notice The bond a new listing of `modelHash` needs: minBond × 2^min(slashes, 8), where slashes counts its
    /// listings delisted by a lost challenge ({ModelSlashed}), plus one while any challenge of its listings is pending
    /// (a provider cannot relist the model at the lower bond while its challenge runs; a challenge the provider wins
    /// stops counting; however many are pending, they add one doubling, so that self-challenges cannot price
    /// newcomers out).
    function requiredBond(bytes32 modelHash) external view returns (uint256);

    /// @notice The governed figures.
    function parameters() external view returns (MarketParameters memory);

    /// @notice Number of listings ever created (ids run from 1 to this).
    function listingCount() external view returns (uint256);

    /// @notice The provider of `listingId` (reverts with {ListingNotFound}): cheaper than {getListing} for a contract.
    function providerOf(uint256 listingId) external view returns (address);

    /// @notice The CUR token of bonds, purchases and fees.
    function token() external view returns (address);

    /// @notice The CurationPool the registry is bound to now: the one its challenge freezes, validation holds and
    /// curators' fees reach, and the one a delisting slashes.
    function curationPool() external view returns (address);

    /// @notice The account that records qualities and funds automatic challenges from the validators' reward pool
    /// (the ValidationManager).
    function validationRole() external view returns (address);

    /// @notice The token, the CurationPool, the role holders, and the market's pause: its state, the pause guardian
    /// and the end of its term (one view for all, to keep the registry's bytes for state changes).
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
        );

    /// @notice Tokens the registry owes: bonds held, providers' earnings (escrowed and released), treasury and validator fees not yet swept.
    /// Always equal to its CUR balance (the property tests check it).
    function totalOwed()
        external
        view
        returns (uint256 bonds, uint256 earnings, uint256 treasuryFees, uint256 validatorFees);
}
