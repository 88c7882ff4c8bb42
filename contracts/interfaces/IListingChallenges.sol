// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IArbitrable} from "./IArbitrable.sol";
import {ICourt} from "./ICourt.sol";
import {IStrayTokens} from "./IStrayTokens.sol";

/// @title IListingChallenges
/// @notice The marketplace's side of a listing dispute: anyone (a consumer, a curator, the ValidationManager after a
/// low score) challenges a Pending or Active listing with a bond and evidence; the Court decides; this contract applies
/// the ruling to the ListingRegistry and the CurationPool.
///
/// The loser's stake is the loser's own bond, never anyone else's money. When the challenger wins, the listing is
/// delisted: its provider's bond (the loser's stake) is split between the challenger (who also gets its bond back), the
/// coherent jurors of the last juror round and the treasury, and a governed share of the listing's curators' stake is
/// slashed to the treasury (not to the challenger: a provider with a sybil challenger would otherwise profit from its
/// own delisting). When the provider wins, the challenger's bond is the loser's stake, split the same way with the
/// provider as winner, except for a challenge the validators' pool paid (opened by the registry's validation role):
/// then only the jurors' share is taken and the rest goes back to the pool, so that nobody can farm the pool by having
/// it challenge a good listing.
///
/// A fraud proof is a challenge whose evidence is one answer of the listing: the {InferenceReceipt} its serving key
/// signed, and the input and output behind the receipt's hashes, published by the filer. Validators re-execute the
/// input on the listing's declared model; an output outside the task's tolerance is fraud (the challenger wins, and
/// the provider loses its bond and the earnings still in escrow), one inside costs the filer its bond. It goes through
/// the same Court and settlement as any challenge. Evidence follows ERC-1497: {MetaEvidence} states the policy jurors apply, {Dispute}
/// links a dispute to it, {Evidence} carries each submission.
interface IListingChallenges is IArbitrable, IStrayTokens {
    // ------------------------------------------------------------------ types

    /// @notice Governed figures (amounts in CUR wei, shares in bps).
    /// @param minChallengeBond Smallest bond of a challenge.
    /// @param winnerShareBps Share of the loser's stake for the winning party.
    /// @param jurorShareBps Share for the coherent jurors of the last juror round.
    /// @param treasuryShareBps Share for the treasury (the timelock); the three shares sum to 10,000.
    struct ChallengeParameters {
        uint128 minChallengeBond;
        uint16 winnerShareBps;
        uint16 jurorShareBps;
        uint16 treasuryShareBps;
    }

    /// @notice A challenge, by its dispute id in the Court (which records the challenger and the provider). One slot:
    /// listing ids are sequential and stay far below 2^64.
    /// @param pooled Whether the validators' pool paid the bond (the registry's validation role challenged, through
    /// {challengeFromRound}: a {challenge} or fraud proof is an ordinary challenger's, whoever files it).
    /// @param appealFunded Whether anyone funded an appeal of it through {fundAppeal}.
    /// @param resolvedRuling The ruling applied (the court's, or the funded side's by default); 0 while open.
    /// @param challengerFundedRound 1 + the last juror round whose appeal the challenger's side fully raised through
    /// {fundAppeal}; 0: none. Kept in the challenge's slot, which the ruling reads anyway, so that a ruling the other
    /// side never funded against asks the court nothing to apply the default rule (issue 15).
    /// @param providerFundedRound The same for the provider's side.
    struct Challenge {
        uint64 listingId;
        uint128 bond;
        bool pooled;
        bool appealFunded;
        uint8 resolvedRuling;
        uint16 challengerFundedRound;
        uint16 providerFundedRound;
    }

    /// @notice Crowdfunded appeals, as in Kleros: anyone may fund either side of an appeal. Each side must raise the
    /// appeal's cost plus a stake of that cost × its multiplier: `winnerMultiplierBps` for the side the round ruled
    /// for, `loserMultiplierBps` for the other. The appeal is raised when both sides are funded; the side that wins
    /// the dispute takes the other side's money (less the appeal cost), pro rata to what each of its funders paid.
    struct AppealFundingParameters {
        uint16 winnerMultiplierBps;
        uint16 loserMultiplierBps;
    }

    /// @notice What was raised to appeal one round of a dispute, by side (index 1: the challenger, 2: the provider;
    /// index 0 is unused). `funded[side]`: the side raised all it needed. `appealed`: both sides did, and `cost` went to
    /// the court.
    struct AppealFunding {
        uint128[3] paid;
        bool[3] funded;
        bool appealed;
        uint128 cost;
    }

    /// @notice What a listing's serving key signs with every answer: EIP-712 type `InferenceReceipt` in the domain of
    /// inference requests (name "Curia Inference", version "1", the chain id, verifyingContract = the
    /// ListingRegistry).
    /// @param listingId The listing that answered.
    /// @param modelHash The model the provider says it ran (the listing's declared model hash).
    /// @param caller The account whose signed request was served.
    /// @param nonce The nonce of that request.
    /// @param inputHash keccak256 of the request's input bytes (the task's wire format).
    /// @param outputHash keccak256 of the answer's output bytes.
    /// @param servedAt When the provider answered (unix seconds).
    struct InferenceReceipt {
        uint256 listingId;
        bytes32 modelHash;
        address caller;
        uint256 nonce;
        bytes32 inputHash;
        bytes32 outputHash;
        uint256 servedAt;
    }

    // ------------------------------------------------------------------ events: ERC-1497 evidence standard

    /// @notice The policy jurors apply to a kind of dispute (ERC-1497).
    event MetaEvidence(uint256 indexed metaEvidenceId, string evidence);
    /// @notice Evidence about dispute `evidenceGroupId` (= the dispute id) submitted by `party` (ERC-1497).
    event Evidence(address indexed arbitrator, uint256 indexed evidenceGroupId, address indexed party, string evidence);
    /// @notice ERC-1497 link between a dispute, its meta-evidence and its evidence group.
    event Dispute(
        address indexed arbitrator,
        uint256 indexed disputeId,
        uint256 metaEvidenceId,
        uint256 evidenceGroupId
    );

    // ------------------------------------------------------------------ events: challenges

    /// @notice `challenger` challenged `listingId` with `bond`: dispute `disputeId` in the court, whose
    /// {ICourt-DisputeCreated} names the provider and the fee paid.
    event ChallengeOpened(
        uint256 indexed disputeId,
        uint256 indexed listingId,
        address indexed challenger,
        uint256 bond
    );
    /// @notice `filer` filed a receipt of `listingId` as a fraud proof: challenge `disputeId` (also announced by
    /// {ChallengeOpened}). `inputURI` and `outputURI` publish the bytes whose keccak256 are `inputHash` and
    /// `outputHash` (a data: URI, or IPFS / HTTP: whoever reads them checks the hash).
    event FraudProofFiled(
        uint256 indexed disputeId,
        uint256 indexed listingId,
        address indexed filer,
        bytes32 receiptDigest,
        address signer,
        InferenceReceipt receipt,
        string inputURI,
        string outputURI
    );
    /// @notice A valid receipt of `listingId` was recorded (its age now counts from `firstFiledAt`) without a dispute.
    event ReceiptRecorded(bytes32 indexed receiptDigest, uint256 indexed listingId, address by, uint256 firstFiledAt);
    /// @notice The court ruled `ruling` on `disputeId`. `loserStake` (the loser's own bond: the challenger's, or the
    /// provider's on a delisting) went `toWinner` to `winner` (with its bond back when it is the challenger), `toJurors`
    /// to the court, `toTreasury` to the court for the treasury (set aside until {ICourt-sweepTreasury}); a lost
    /// challenge of the validators' pool pays no winner (see {PooledBondReturned}). On a delisting the curators'
    /// `curatorSlash` went to the treasury (held by the CurationPool until its sweepTreasuryFees), not to the winner.
    event ChallengeResolved(
        uint256 indexed disputeId,
        uint256 indexed listingId,
        uint8 ruling,
        address winner,
        uint256 loserStake,
        uint256 curatorSlash,
        uint256 toWinner,
        uint256 toJurors,
        uint256 toTreasury
    );
    /// @notice The validators' pool (`pool`, the registry's validation role) lost its challenge `disputeId`: of its
    /// bond, the jurors' share went to the court and `amount` came back to the pool.
    event PooledBondReturned(uint256 indexed disputeId, address indexed pool, uint256 amount);

    // ------------------------------------------------------------------ events: crowdfunded appeals

    /// @notice `contributor` paid `amount` towards `side`'s funding of an appeal of round `round`; the side has now
    /// `paid` of the `required`.
    event AppealContribution(
        uint256 indexed disputeId,
        uint256 indexed round,
        address indexed contributor,
        uint8 side,
        uint256 amount,
        uint256 paid,
        uint256 required
    );
    /// @notice `side` raised all it needed to appeal round `round`.
    event AppealSideFunded(uint256 indexed disputeId, uint256 indexed round, uint8 side);
    /// @notice Both sides were funded: the appeal of round `round` was raised, paying `cost` to the court.
    event AppealRaised(uint256 indexed disputeId, uint256 indexed round, uint256 cost);
    /// @notice Only `ruling`'s side funded the appeal of the last round, which had ruled `courtRuling`: as in Kleros,
    /// the side that would not defend its ruling loses it, and `ruling` is applied.
    event AppealDefaulted(uint256 indexed disputeId, uint256 round, uint8 ruling, uint8 courtRuling);
    /// @notice `contributor` got `amount` back from its funding of round `round`'s appeal: its contributions when no
    /// appeal was raised, else its share of the money raised for the dispute's losing side.
    event AppealFundsWithdrawn(
        uint256 indexed disputeId,
        uint256 indexed round,
        address indexed contributor,
        uint256 amount
    );

    // ------------------------------------------------------------------ events: governance

    /// @notice The governed figures changed.
    event ChallengeParametersSet(ChallengeParameters oldParameters, ChallengeParameters newParameters);
    /// @notice The appeal multipliers changed (they apply to contributions made from now on).
    event AppealFundingParametersSet(AppealFundingParameters oldParameters, AppealFundingParameters newParameters);
    /// @notice New challenges refer to meta-evidence `newMetaEvidenceId` (announced by {MetaEvidence}).
    event ListingMetaEvidenceSet(uint256 oldMetaEvidenceId, uint256 newMetaEvidenceId);
    /// @notice The prefix of the evidence URI of a challenge a validation round raised (the round id follows it)
    /// changed.
    event EvidenceBaseURISet(string oldBaseURI, string newBaseURI);

    // ------------------------------------------------------------------ errors

    /// @notice A governed figure outside its bounds.
    error ChallengeParameterOutOfBounds(bytes32 parameter, uint256 value, uint256 min, uint256 max);
    /// @notice A challenge bond below the minimum (or too large to store).
    error ChallengeBondTooLow(uint256 bond, uint256 minimum);
    /// @notice An empty or overlong evidence URI.
    error ChallengeInvalidURI(uint256 length, uint256 maxLength);
    /// @notice Only the registry's validation role challenges on a validation round's behalf.
    error ChallengeOnlyValidation(address caller);
    /// @notice No challenge has this dispute id.
    error ChallengeNotFound(uint256 disputeId);
    /// @notice The court already ruled on the challenge: it takes no more evidence.
    error ChallengeAlreadyResolved(uint256 disputeId);
    /// @notice Only the court that holds the dispute may rule on it.
    error ChallengeOnlyCourt(address caller, address court);
    /// @notice A ruling other than 1 (challenger) or 2 (provider).
    error ChallengeInvalidRuling(uint256 ruling);
    /// @notice The receipt names another model than the listing's declared one.
    error ReceiptWrongModel(uint256 listingId, bytes32 modelHash, bytes32 listedModelHash);
    /// @notice The signature does not recover to a key that was the listing's serving key at `servedAt` (forged,
    /// altered, or signed for another listing, chain or registry). `signer` is zero when the signature is malformed.
    error ReceiptNotSigned(uint256 listingId, address signer, uint256 servedAt);
    /// @notice A receipt dated after the current block.
    error ReceiptFromFuture(uint256 servedAt, uint256 nowTime);
    /// @notice A receipt older than the earnings escrow period when first filed: its earnings may be gone.
    error ReceiptTooOld(uint256 servedAt, uint256 oldestAccepted);
    /// @notice A side is 1 (the challenger) or 2 (the provider).
    error ChallengeInvalidSide(uint8 side);
    /// @notice The court is not taking appeals on this dispute now, or they cost nothing (a losing party appeals on its
    /// own: a side funded by an empty call would win by default).
    error ChallengeAppealNotOpen(uint256 disputeId);
    /// @notice The dispute's next appeal goes to the DAO, which only a losing party can ask for (see {ICourt-appeal}).
    error ChallengeAppealGoesToDao(uint256 disputeId, uint256 rounds);
    /// @notice `side` can no longer be funded: its time ended at `deadline` (the losing side has the first half of
    /// the appeal period, the winning side all of it).
    error ChallengeAppealFundingClosed(uint256 disputeId, uint8 side, uint256 deadline);
    /// @notice `side` already raised all it needs.
    error ChallengeAppealSideFunded(uint256 disputeId, uint8 side);
    error ChallengeZeroAmount();
    /// @notice Appeal funds are paid back once the dispute is resolved.
    error ChallengeNotResolved(uint256 disputeId);
    error ChallengeNothingToWithdraw(uint256 disputeId, uint256 round, address contributor);

    // ------------------------------------------------------------------ actions

    /// @notice Challenges a Pending or Active listing: pulls `bond` plus the court's {ICourt-arbitrationCost} from the
    /// caller, opens a dispute in the court and marks the listing Challenged. Emits {ChallengeOpened},
    /// {Dispute} and {Evidence}.
    /// @return disputeId The court's dispute id.
    function challenge(
        uint256 listingId,
        uint256 bond,
        string calldata evidenceURI
    ) external returns (uint256 disputeId);

    /// @notice {challenge} by the registry's validation role (the ValidationManager, from its reward pool) after
    /// round `roundId` scored the listing too low: the evidence URI is the round's, the evidence base URI followed by
    /// `roundId` in decimal. Emits what {challenge} emits.
    /// @return disputeId The court's dispute id.
    function challengeFromRound(uint256 listingId, uint256 bond, uint256 roundId) external returns (uint256 disputeId);

    /// @notice Files a fraud proof: a challenge of `receipt.listingId` (Pending or Active) whose evidence is the signed
    /// receipt and the published input and output. Pulls `bond` plus the court's arbitration cost, like
    /// {challenge}. The receipt must carry the listing's model hash, be signed by a key that was its serving key at
    /// `servedAt`, and be no older than the registry's earnings escrow period when first filed (a refiling after a
    /// lost dispute keeps the first filing's date: a provider's own filing of a receipt with garbage data cannot run
    /// out the consumer's time). Emits {ChallengeOpened}, {Dispute} and {FraudProofFiled}.
    /// @param signature The serving key's EIP-712 signature of `receipt` (65 bytes, or 64 in EIP-2098 form).
    /// @return disputeId The court's dispute id.
    function fileFraudProof(
        InferenceReceipt calldata receipt,
        bytes calldata signature,
        uint256 bond,
        string calldata inputURI,
        string calldata outputURI
    ) external returns (uint256 disputeId);

    /// @notice Checks a receipt as {fileFraudProof} does and records its first filing date, without a bond or a dispute,
    /// whatever the listing's status: when a fraud proof cannot be filed because the listing is already under a
    /// (possibly sybil) challenge, the receipt's age stops counting now and it can be filed once that dispute ends.
    /// Emits {ReceiptRecorded}.
    function recordReceipt(
        InferenceReceipt calldata receipt,
        bytes calldata signature
    ) external returns (bytes32 digest, uint256 firstFiledAt);

    /// @notice Adds evidence to a challenge not yet resolved (anyone). Emits {Evidence}.
    function submitEvidence(uint256 disputeId, string calldata evidenceURI) external;

    /// @notice Funds `side` of an appeal of the dispute's current round, during the court's appeal period: pulls
    /// `amount`, or what the side still needs when that is less. The losing side (the one the round did not rule for)
    /// can be funded in the first half of the appeal period, the winning side until its end. When both sides are
    /// funded the appeal is raised at once (the court's next round, paid from what was raised). When only one side
    /// is funded, that side wins by default ({AppealDefaulted}), unless the other side could no longer be funded when
    /// the ruling executes (the court's parameters made the next appeal the DAO's, or free). Not for an appeal to the
    /// DAO, nor for a free one. Emits
    /// {AppealContribution}, and {AppealSideFunded} / {AppealRaised} when they happen.
    /// @param side 1: the challenger's side, 2: the provider's.
    /// @return taken What was pulled.
    function fundAppeal(uint256 disputeId, uint8 side, uint256 amount) external returns (uint256 taken);

    /// @notice Pays `contributor` (anyone may call) what its funding of round `round`'s appeal earned, once the dispute
    /// is resolved: its contributions back when no appeal was raised from that round; when one was, its share, pro
    /// rata, of everything both sides raised less the appeal cost, if it funded the side that won the dispute.
    /// Emits {AppealFundsWithdrawn}.
    function withdrawAppealFunds(
        uint256 disputeId,
        uint256 round,
        address contributor
    ) external returns (uint256 amount);

    // ------------------------------------------------------------------ views

    /// @notice What a challenge with `bond` costs the challenger: the bond plus the court's arbitration cost.
    function challengeCost(uint256 bond) external view returns (uint256);

    function getChallenge(uint256 disputeId) external view returns (Challenge memory);

    /// @notice The EIP-712 digest the serving key signs for `receipt`.
    function receiptDigest(InferenceReceipt calldata receipt) external view returns (bytes32);

    /// @notice When a receipt (by digest) was first filed as a fraud proof (0: never).
    function receiptFirstFiledAt(bytes32 digest) external view returns (uint256);

    function parameters() external view returns (ChallengeParameters memory);

    /// @notice What `side` must raise to appeal the current round, and until when; the court's appeal cost may change
    /// with its parameters, so this is the figure now.
    function appealFundingRequired(
        uint256 disputeId,
        uint8 side
    ) external view returns (uint256 required, uint256 deadline);

    function appealFundingOf(uint256 disputeId, uint256 round) external view returns (AppealFunding memory);

    /// @notice What `contributor` paid towards each side of round `round`'s appeal and has not withdrawn.
    function appealContributionOf(
        uint256 disputeId,
        uint256 round,
        address contributor
    ) external view returns (uint256 forChallenger, uint256 forProvider);

    /// @notice The ruling applied to the listing (the court's, or the funded side's by default); 0 while open.
    function resolvedRuling(uint256 disputeId) external view returns (uint8);

    function appealFundingParameters() external view returns (AppealFundingParameters memory);

    /// @notice What the adapter owes in CUR: the bonds of open challenges, and the appeal funds raised and not yet paid
    /// to the court or back to their funders. Any other CUR it holds is stray ({IStrayTokens-sweepStrayTokens}).
    function totalHeld() external view returns (uint256 bonds, uint256 appealFunds);

    /// @notice The court of every challenge, fixed at initialization: moving to another court means a new adapter
    /// (the registry's challenge role moves to it), so dispute ids never mix between courts.
    function court() external view returns (ICourt);
}
