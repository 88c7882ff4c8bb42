// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";
import {StrayTokenSweeper} from "../governance/StrayTokenSweeper.sol";
import {IArbitrable} from "../interfaces/IArbitrable.sol";
import {ICourt} from "../interfaces/ICourt.sol";
import {IListingChallenges} from "../interfaces/IListingChallenges.sol";
import {IListingRegistry} from "../interfaces/IListingRegistry.sol";

/// @title ListingChallenges
/// @notice See {IListingChallenges}. The adapter between the marketplace and the generic Court: it holds challengers'
/// bonds while their disputes run, holds the registry's challenge role (the registry has its CurationPool slash a
/// delisted listing's curators), and is the Court's arbitrable for listing disputes.
/// @dev Money flows: the loser's stake is the loser's own bond and nothing else. The curators' slash of a delisted
/// listing is the treasury's (the pool holds it with the treasury's fees): were it part of the winner's share, a
/// provider with a sybil challenger would profit from its own delisting. The treasury's share of the loser's stake
/// goes to the court with the jurors' share, in the one transfer the court pulls, and waits there for
/// {ICourt-sweepTreasury}. A challenge the validators' pool funded (the registry's
/// validation role challenged) and lost pays the winner nothing: only the jurors' share leaves the pool, the rest of its
/// bond goes back to it, so that a validator majority and a provider cannot farm the pool.
/// Rounding: the winner's and the jurors' shares round down; the treasury (or, for the pool's bond, the pool) takes
/// the remainder, so the loser's stake is always paid out exactly.
contract ListingChallenges is IListingChallenges, StrayTokenSweeper, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    // ---------------------------------------------------------------- types and storage

    /// @custom:storage-location erc7201:curia.storage.ListingChallenges
    /// @dev The totals share slots with addresses read next to them (96 bits hold 79 billion CUR, far above the cap):
    /// a challenge and a ruling read the token and write the bonds held in one slot, and neither total is ever
    /// written from zero (a fresh slot costs 22,100 gas; issue 15).
    struct ListingChallengesStorage {
        IERC20 token;
        /// @dev What the adapter owes of the bonds of open challenges (see {_owedIn}).
        uint96 bondsHeld;
        IListingRegistry registry;
        /// @dev Appeal funds raised and not yet paid to the court or back to funders (with their rounding dust, which
        /// nobody can withdraw).
        uint96 appealFundsHeld;
        ICourt court;
        /// @dev Packed with the court: a challenge reads both from one slot.
        uint48 listingMetaEvidenceId;
        uint48 metaEvidenceCount;
        ChallengeParameters params;
        mapping(uint256 disputeId => Challenge) challenges;
        mapping(bytes32 receiptDigest => uint48) receiptFirstFiledAt;
        AppealFundingParameters appealParams;
        mapping(uint256 disputeId => mapping(uint256 round => AppealFunding)) appealFunding;
        /// @dev What each contributor paid per side (index 1: challenger, 2: provider) and has not withdrawn.
        mapping(uint256 disputeId => mapping(uint256 round => mapping(address contributor => uint128[3]))) contributions;
        /// @dev Prefix of the evidence URI of a validation round's challenge: the round id follows it.
        string evidenceBaseURI;
    }

    // keccak256(abi.encode(uint256(keccak256("curia.storage.ListingChallenges")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant LISTING_CHALLENGES_STORAGE =
        0xdaf55a46518ab4fc3f47bc0bad3c173dee366436de6b0eee4edc8d729bcc4700;

    uint8 public constant CHALLENGER = 1;
    uint8 public constant PROVIDER = 2;
    uint256 private constant BPS = 10_000;
    uint256 public constant MAX_URI_LENGTH = 2_048;
    uint256 public constant MAX_BASE_URI_LENGTH = 256;
    /// @dev 3× the appeal cost at most on top of it: Kleros's defaults are 1× (winner) and 2× (loser).
    uint256 private constant MAX_APPEAL_MULTIPLIER_BPS = 30_000;
    /// @dev A data: URI of one MNIST input (3,136 bytes of float32) in base64 is ~4.2 KB; published data may be inline.
    uint256 public constant MAX_DATA_URI_LENGTH = 65_536;
    bytes32 private constant DOMAIN_TYPEHASH = keccak256(
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    );
    bytes32 private constant DOMAIN_NAME_HASH = keccak256("Curia Inference");
    bytes32 private constant DOMAIN_VERSION_HASH = keccak256("1");
    /// @dev How far from a client's clock a receipt's date may be (MAX_RECEIPT_CLOCK_SKEW_SECONDS in @curia/protocol).
    uint256 public constant RECEIPT_CLOCK_SKEW = 300;
    bytes32 public constant RECEIPT_TYPEHASH = keccak256(
        "InferenceReceipt(uint256 listingId,bytes32 modelHash,address caller,uint256 nonce,bytes32 inputHash,"
        "bytes32 outputHash,uint256 servedAt)"
    );

    // ---------------------------------------------------------------- initializer

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Sets up the adapter. It still needs the registry's challenge role and the court's approval as an
    /// arbitrable (a delisting's curators are slashed by the registry's own call into its CurationPool).
    /// @param timelock_ The DAO timelock: parameters, upgrades, and the treasury.
    /// @param registry_ The ListingRegistry whose listings are challenged (its token is the adapter's).
    /// @param court_ The Court that decides every challenge.
    /// @param params_ Initial figures, checked against the same bounds as {setParameters}.
    /// @param appealParams_ The appeal multipliers, checked as {setAppealFundingParameters}.
    /// @param listingMetaEvidenceURI The policy jurors apply to listing challenges (ERC-1497 meta-evidence).
    /// @param evidenceBaseURI_ Prefix of the evidence URI of a validation round's challenge; the round id follows it.
    function initialize(
        address timelock_,
        IListingRegistry registry_,
        ICourt court_,
        ChallengeParameters calldata params_,
        AppealFundingParameters calldata appealParams_,
        string calldata listingMetaEvidenceURI,
        string calldata evidenceBaseURI_
    ) external initializer {
        if (address(registry_) == address(0)) revert GovernedZeroAddress("registry");
        if (address(court_) == address(0)) revert GovernedZeroAddress("court");
        __Governed_init(timelock_);
        ListingChallengesStorage storage $ = _s();
        address token_ = registry_.token();
        $.token = IERC20(token_);
        $.registry = registry_;
        $.court = court_;
        // The court pulls the arbitration fee when a challenge opens and the jurors' share when it rules; it never
        // pulls anything else (see Court), and approving once saves an approval per challenge.
        IERC20(token_).forceApprove(address(court_), type(uint256).max);
        _setParameters(params_);
        _setAppealFundingParameters(appealParams_);
        _setListingMetaEvidence(listingMetaEvidenceURI);
        _setEvidenceBaseURI(evidenceBaseURI_);
    }

    // ---------------------------------------------------------------- governance setters

    /// @notice Replaces every governed figure at once (bounds checked); shares apply to challenges resolved from now
    /// on. Emits {ChallengeParametersSet}.
    function setParameters(ChallengeParameters calldata newParameters) external onlyTimelock {
        _setParameters(newParameters);
    }

    /// @notice Replaces the appeal multipliers (each at most 30,000 bps); they apply to contributions made from now
    /// on. Emits {AppealFundingParametersSet}.
    function setAppealFundingParameters(AppealFundingParameters calldata newParameters) external onlyTimelock {
        _setAppealFundingParameters(newParameters);
    }

    /// @notice Announces a new policy for challenges opened from now on. Emits {MetaEvidence} and
    /// {ListingMetaEvidenceSet}.
    function setListingMetaEvidence(string calldata uri) external onlyTimelock {
        _setListingMetaEvidence(uri);
    }

    /// @notice Sets the evidence URI prefix of validation rounds' challenges. Emits {EvidenceBaseURISet}.
    function setEvidenceBaseURI(string calldata newBaseURI) external onlyTimelock {
        _setEvidenceBaseURI(newBaseURI);
    }

    // ---------------------------------------------------------------- actions

    /// @inheritdoc IListingChallenges
    function challenge(
        uint256 listingId,
        uint256 bond,
        string calldata evidenceURI
    ) external nonReentrant returns (uint256 disputeId) {
        _checkURI(evidenceURI, MAX_URI_LENGTH);
        disputeId = _open(listingId, bond);
        emit Evidence(address(_s().court), disputeId, msg.sender, evidenceURI);
    }

    /// @inheritdoc IListingChallenges
    function challengeFromRound(
        uint256 listingId,
        uint256 bond,
        uint256 roundId
    ) external nonReentrant returns (uint256 disputeId) {
        ListingChallengesStorage storage $ = _s();
        // Only here is the registry asked for its validation role: a challenge() or a fraud proof is never the pool's,
        // whoever files it (issue 15: the role's read and a call into the registry, ~2,900 gas, off every challenge).
        if (msg.sender != $.registry.validationRole()) revert ChallengeOnlyValidation(msg.sender);
        disputeId = _open(listingId, bond);
        $.challenges[disputeId].pooled = true;
        emit Evidence(address($.court), disputeId, msg.sender, string.concat($.evidenceBaseURI, _decimal(roundId)));
    }

    /// @inheritdoc IListingChallenges
    function fileFraudProof(
        InferenceReceipt calldata receipt,
        bytes calldata signature,
        uint256 bond,
        string calldata inputURI,
        string calldata outputURI
    ) external nonReentrant returns (uint256 disputeId) {
        _checkURI(inputURI, MAX_DATA_URI_LENGTH);
        _checkURI(outputURI, MAX_DATA_URI_LENGTH);
        (bytes32 digest, address signer) = _checkReceipt(receipt, signature);
        disputeId = _open(receipt.listingId, bond);
        _announceFraudProof(disputeId, digest, signer, receipt, inputURI, outputURI);
    }

    /// @inheritdoc IListingChallenges
    function recordReceipt(
        InferenceReceipt calldata receipt,
        bytes calldata signature
    ) external returns (bytes32 digest, uint256 firstFiledAt) {
        (digest, ) = _checkReceipt(receipt, signature);
        firstFiledAt = _s().receiptFirstFiledAt[digest];
        emit ReceiptRecorded(digest, receipt.listingId, msg.sender, firstFiledAt);
    }

    /// @inheritdoc IListingChallenges
    function submitEvidence(uint256 disputeId, string calldata evidenceURI) external {
        _challenge(disputeId);
        ICourt court_ = _s().court;
        if (court_.periodOf(disputeId) == ICourt.Period.Executed) revert ChallengeAlreadyResolved(disputeId);
        _checkURI(evidenceURI, MAX_URI_LENGTH);
        emit Evidence(address(court_), disputeId, msg.sender, evidenceURI);
    }

    /// @inheritdoc IArbitrable
    function rule(
        uint256 disputeId,
        uint256 ruling
    ) external nonReentrant returns (uint256 toJurors, uint256 toTreasury) {
        ListingChallengesStorage storage $ = _s();
        if (msg.sender != address($.court)) revert ChallengeOnlyCourt(msg.sender, address($.court));
        if (ruling != CHALLENGER && ruling != PROVIDER) revert ChallengeInvalidRuling(ruling);
        // The court rules once per dispute (it marks the dispute executed first), and the registry refuses a second
        // resolution of the listing: no flag of our own is needed.
        Challenge storage c = _challenge(disputeId);
        // Only a dispute someone crowdfunded can default; the ruling shares the challenge's slot (no new slot).
        if (c.appealFunded) ruling = _applyAppealDefault($, c, disputeId, ruling);
        c.resolvedRuling = uint8(ruling);
        // The challenger's bond leaves now: back to it, or split as the loser's stake.
        $.bondsHeld -= uint96(c.bond);
        (address winner, address challenger, uint256 loserStake, uint256 curatorSlash) = _takeLoserStake(
            $,
            c,
            disputeId,
            ruling
        );
        (toJurors, toTreasury) = _split($, c, disputeId, ruling, winner, challenger, loserStake, curatorSlash);
    }

    /// @inheritdoc IListingChallenges
    function fundAppeal(uint256 disputeId, uint8 side, uint256 amount) external nonReentrant returns (uint256 taken) {
        ListingChallengesStorage storage $ = _s();
        {
            // Marks the dispute as crowdfunded (undone if this call reverts): only then can its ruling default.
            Challenge storage c = _challenge(disputeId);
            if (!c.appealFunded) c.appealFunded = true;
        }
        if (amount == 0) revert ChallengeZeroAmount();
        ICourt court_ = $.court;
        (uint256 round, uint256 cost, uint256 required, uint256 deadline) = _appealTerms($, court_, disputeId, side);
        if (Time.timestamp() >= deadline) revert ChallengeAppealFundingClosed(disputeId, side, deadline);
        AppealFunding storage f = $.appealFunding[disputeId][round];
        if (f.funded[side]) revert ChallengeAppealSideFunded(disputeId, side);
        uint256 paid = f.paid[side];
        // The court's cost can fall while a side is funded (a parameter change): what it paid may already be enough.
        uint256 missing = required > paid ? required - paid : 0;
        taken = amount < missing ? amount : missing;
        if (taken > 0) {
            $.token.safeTransferFrom(msg.sender, address(this), taken);
            paid += taken;
            f.paid[side] = uint128(paid);
            $.appealFundsHeld += uint96(taken);
            $.contributions[disputeId][round][msg.sender][side] += uint128(taken);
        }
        emit AppealContribution(disputeId, round, msg.sender, side, taken, paid, required);
        if (paid < required) return taken;
        f.funded[side] = true;
        _recordFundedRound($.challenges[disputeId], side, round);
        emit AppealSideFunded(disputeId, round, side);
        if (!f.funded[3 - side]) return taken;
        // Both sides are funded: raise the appeal now, paid from what they raised (each side paid at least the cost).
        f.appealed = true;
        f.cost = uint128(cost);
        $.appealFundsHeld -= uint96(cost);
        court_.appeal(disputeId);
        emit AppealRaised(disputeId, round, cost);
    }

    /// @inheritdoc IListingChallenges
    function withdrawAppealFunds(
        uint256 disputeId,
        uint256 round,
        address contributor
    ) external nonReentrant returns (uint256 amount) {
        ListingChallengesStorage storage $ = _s();
        uint256 ruling = $.challenges[disputeId].resolvedRuling;
        if (ruling == 0) revert ChallengeNotResolved(disputeId);
        AppealFunding storage f = $.appealFunding[disputeId][round];
        uint128[3] storage paidBy = $.contributions[disputeId][round][contributor];
        if (!f.appealed) amount = uint256(paidBy[1]) + paidBy[2];
        else if (paidBy[ruling] > 0) {
            // The winning side's funders share everything raised for the round, less the cost the court took.
            uint256 pot = uint256(f.paid[1]) + f.paid[2] - f.cost;
            amount = (uint256(paidBy[ruling]) * pot) / f.paid[ruling];
        }
        if (amount == 0) revert ChallengeNothingToWithdraw(disputeId, round, contributor);
        delete $.contributions[disputeId][round][contributor];
        $.appealFundsHeld -= uint96(amount);
        $.token.safeTransfer(contributor, amount);
        emit AppealFundsWithdrawn(disputeId, round, contributor, amount);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IListingChallenges
    function appealFundingRequired(
        uint256 disputeId,
        uint8 side
    ) external view returns (uint256 required, uint256 deadline) {
        ListingChallengesStorage storage $ = _s();
        _challenge(disputeId);
        (, , required, deadline) = _appealTerms($, $.court, disputeId, side);
    }

    /// @inheritdoc IListingChallenges
    function appealFundingOf(uint256 disputeId, uint256 round) external view returns (AppealFunding memory) {
        return _s().appealFunding[disputeId][round];
    }

    /// @inheritdoc IListingChallenges
    function appealContributionOf(
        uint256 disputeId,
        uint256 round,
        address contributor
    ) external view returns (uint256 forChallenger, uint256 forProvider) {
        uint128[3] storage paidBy = _s().contributions[disputeId][round][contributor];
        return (paidBy[CHALLENGER], paidBy[PROVIDER]);
    }

    /// @inheritdoc IListingChallenges
    function resolvedRuling(uint256 disputeId) external view returns (uint8) {
        return _s().challenges[disputeId].resolvedRuling;
    }

    /// @inheritdoc IListingChallenges
    function totalHeld() external view returns (uint256 bonds, uint256 appealFunds) {
        ListingChallengesStorage storage $ = _s();
        return ($.bondsHeld, $.appealFundsHeld);
    }

    /// @inheritdoc IListingChallenges
    function appealFundingParameters() external view returns (AppealFundingParameters memory) {
        return _s().appealParams;
    }

    /// @inheritdoc IListingChallenges
    function challengeCost(uint256 bond) external view returns (uint256) {
        return bond + _s().court.arbitrationCost();
    }

    /// @inheritdoc IListingChallenges
    function getChallenge(uint256 disputeId) external view returns (Challenge memory) {
        return _challenge(disputeId);
    }

    /// @inheritdoc IListingChallenges
    function receiptDigest(InferenceReceipt calldata receipt) public view returns (bytes32) {
        bytes32 domainSeparator = keccak256(
            abi.encode(DOMAIN_TYPEHASH, DOMAIN_NAME_HASH, DOMAIN_VERSION_HASH, block.chainid, address(_s().registry))
        );
        return MessageHashUtils.toTypedDataHash(domainSeparator, keccak256(abi.encode(RECEIPT_TYPEHASH, receipt)));
    }

    /// @inheritdoc IListingChallenges
    function receiptFirstFiledAt(bytes32 digest) external view returns (uint256) {
        return _s().receiptFirstFiledAt[digest];
    }

    /// @inheritdoc IListingChallenges
    function parameters() external view returns (ChallengeParameters memory) {
        return _s().params;
    }

    /// @inheritdoc IListingChallenges
    function court() external view returns (ICourt) {
        return _s().court;
    }

    /// @notice The token, the registry, the curation pool (the registry's current one: the pool a delisting slashes),
    /// the listing meta-evidence id and the evidence URI prefix of validation rounds' challenges.
    function addresses()
        external
        view
        returns (
            address token,
            address registry,
            address curationPool,
            uint256 metaEvidenceId,
            string memory evidenceBaseURI
        )
    {
        ListingChallengesStorage storage $ = _s();
        return (
            address($.token),
            address($.registry),
            $.registry.curationPool(),
            $.listingMetaEvidenceId,
            $.evidenceBaseURI
        );
    }

    // ---------------------------------------------------------------- internal

    /// @dev Pulls the bond and the arbitration fee, opens the dispute and marks the listing Challenged.
    function _open(uint256 listingId, uint256 bond) private returns (uint256 disputeId) {
        ListingChallengesStorage storage $ = _s();
        uint256 minimum = $.params.minChallengeBond;
        // No bond can exceed the CUR supply; the bound keeps the 96-bit bond total exact whatever the token.
        if (bond < minimum || bond > type(uint96).max) revert ChallengeBondTooLow(bond, minimum);
        ICourt court_ = $.court;
        address provider = $.registry.providerOf(listingId);
        uint256 fee = court_.arbitrationCost();
        $.token.safeTransferFrom(msg.sender, address(this), bond + fee);
        disputeId = court_.createDispute(listingId, msg.sender, provider);
        $.registry.onChallengeOpened(listingId, disputeId);

        Challenge storage c = $.challenges[disputeId];
        c.listingId = SafeCast.toUint64(listingId);
        c.bond = uint128(bond);
        $.bondsHeld += uint96(bond);
        emit ChallengeOpened(disputeId, listingId, msg.sender, bond);
        emit Dispute(address(court_), disputeId, $.listingMetaEvidenceId, disputeId);
    }

    /// @dev The terms of funding `side` of an appeal of the dispute's current juror round: the round, the court's
    /// appeal cost, what the side must raise (cost + cost × its multiplier) and until when (the losing side the first
    /// half of the appeal period, so that the winning side always has time to answer).
    function _appealTerms(
        ListingChallengesStorage storage $,
        ICourt court_,
        uint256 disputeId,
        uint8 side
    ) private view returns (uint256 round, uint256 cost, uint256 required, uint256 deadline) {
        if (side != CHALLENGER && side != PROVIDER) revert ChallengeInvalidSide(side);
        if (court_.periodOf(disputeId) != ICourt.Period.Appeal) revert ChallengeAppealNotOpen(disputeId);
        uint256 rounds = court_.getDispute(disputeId).rounds;
        if (rounds >= court_.parameters().maxJurorRounds) revert ChallengeAppealGoesToDao(disputeId, rounds);
        round = rounds - 1;
        ICourt.Round memory r = court_.getRound(disputeId, round);
        cost = court_.appealCost(disputeId);
        // A free appeal has nothing to fund: a side would be "funded" by anyone's empty call and, alone, win by
        // default. A losing party appeals on its own then.
        if (cost == 0) revert ChallengeAppealNotOpen(disputeId);
        bool winning = court_.currentRuling(disputeId) == side;
        AppealFundingParameters storage p = $.appealParams;
        required = cost + (cost * (winning ? p.winnerMultiplierBps : p.loserMultiplierBps)) / BPS;
        deadline = winning ? r.appealEnd : r.appealEnd - (r.appealEnd - r.revealEnd) / 2;
    }

    /// @dev As in Kleros: when only one side funded the appeal of the last juror round, that side wins.
    /// (The caller records the ruling applied: withdrawals of appeal funds wait for it.)
    function _applyAppealDefault(
        ListingChallengesStorage storage $,
        Challenge storage c,
        uint256 disputeId,
        uint256 ruling
    ) private returns (uint256) {
        // A DAO ruling (or its lapsed review) is final: only juror rounds are crowdfunded. And a side wins by default
        // only if the other could still be funded until the end: were the next appeal the DAO's, or free, after a
        // parameter change, the other side's fundAppeal would have been refused, however willing its funders. Nor
        // does a ruling for the validators' pool fall by default: the pool funds no appeal (it has no say in what
        // it would stake), so a provider funding its side alone would win for free; the provider appeals at the
        // court as the losing party instead.
        // The challenge's own slot (read anyway) says first whether the other side ever raised an appeal: the court's
        // dispute, parameters and appeal cost (three calls, ~7,000 gas) are asked only when it did (issue 15).
        uint256 other = 3 - ruling;
        uint256 otherFundedRound = other == CHALLENGER ? c.challengerFundedRound : c.providerFundedRound;
        if (otherFundedRound == 0 || (c.pooled && ruling == CHALLENGER)) return ruling;
        ICourt court_ = $.court;
        ICourt.DisputeRecord memory d = court_.getDispute(disputeId);
        // Rounds only grow, so the other side raised the last round's appeal iff its last funded round is that one
        // (a round both sides raised was appealed: it is not the last).
        if (
            !d.toDao &&
            otherFundedRound == d.rounds &&
            d.rounds < court_.parameters().maxJurorRounds &&
            court_.appealCost(disputeId) > 0
        ) {
            emit AppealDefaulted(disputeId, d.rounds - 1, uint8(other), uint8(ruling));
            ruling = other;
        }
        return ruling;
    }

    /// @dev Records in the challenge's slot that `side` raised the appeal of juror round `round` (see
    /// {_applyAppealDefault}).
    function _recordFundedRound(Challenge storage c, uint8 side, uint256 round) private {
        uint16 fundedRound = SafeCast.toUint16(round + 1);
        if (side == CHALLENGER) c.challengerFundedRound = fundedRound;
        else c.providerFundedRound = fundedRound;
    }

    /// @dev Its own function: the event's fields do not fit in {fileFraudProof}'s stack.
    function _announceFraudProof(
        uint256 disputeId,
        bytes32 digest,
        address signer,
        InferenceReceipt calldata receipt,
        string calldata inputURI,
        string calldata outputURI
    ) private {
        emit FraudProofFiled(disputeId, receipt.listingId, msg.sender, digest, signer, receipt, inputURI, outputURI);
    }

    /// @dev A fraud proof's receipt: the listing's model, a serving key of the listing at `servedAt`, not from the
    /// future, and within the escrow period of its first filing (which this records).
    function _checkReceipt(
        InferenceReceipt calldata receipt,
        bytes calldata signature
    ) private returns (bytes32 digest, address signer) {
        ListingChallengesStorage storage $ = _s();
        uint256 listingId = receipt.listingId;
        IListingRegistry registry_ = $.registry;
        bytes32 listed = registry_.getListing(listingId).modelHash;
        if (receipt.modelHash != listed) revert ReceiptWrongModel(listingId, receipt.modelHash, listed);
        digest = receiptDigest(receipt);
        (signer, , ) = ECDSA.tryRecover(digest, signature);
        uint256 servedAt = receipt.servedAt;
        IListingRegistry.ServingKeyPeriod memory period = registry_.servingKeyPeriod(listingId, signer);
        // Clients accept receipts dated up to RECEIPT_CLOCK_SKEW from their clock: a key answers for that much around
        // its period, or a provider could date receipts across a rotation of its own and void them.
        bool inPeriod =
            period.validFrom != 0 &&
                servedAt + RECEIPT_CLOCK_SKEW >= period.validFrom &&
                (period.validUntil == 0 || servedAt < uint256(period.validUntil) + RECEIPT_CLOCK_SKEW);
        if (signer == address(0) || !inPeriod) revert ReceiptNotSigned(listingId, signer, servedAt);
        uint48 now_ = Time.timestamp();
        if (servedAt > now_) revert ReceiptFromFuture(servedAt, now_);
        uint48 firstFiledAt = $.receiptFirstFiledAt[digest];
        if (firstFiledAt == 0) {
            firstFiledAt = now_;
            $.receiptFirstFiledAt[digest] = now_;
        }
        uint256 window = registry_.parameters().earningsEscrowPeriod;
        if (servedAt + window < firstFiledAt) revert ReceiptTooOld(servedAt, firstFiledAt - window);
    }

    /// @dev Resolves the listing in the registry. On a delisting, the registry sends the provider's bond here (the
    /// loser's stake) and has its CurationPool slash the curators for the treasury, in the same call that lifts their
    /// exit freeze (issue 15: one call into the pool per ruling instead of two); otherwise the challenger's bond is the
    /// loser's stake.
    function _takeLoserStake(
        ListingChallengesStorage storage $,
        Challenge storage c,
        uint256 disputeId,
        uint256 ruling
    ) private returns (address winner, address challenger, uint256 loserStake, uint256 curatorSlash) {
        bool delist = ruling == CHALLENGER;
        uint256 bondSlashed;
        (bondSlashed, curatorSlash) = $.registry.onChallengeResolved(c.listingId, disputeId, delist);
        address provider;
        (challenger, provider) = $.court.partiesOf(disputeId);
        if (!delist) return (provider, challenger, c.bond, 0);
        return (challenger, challenger, bondSlashed, curatorSlash);
    }

    /// @dev Pays the winner its share and the challenger what it gets back (its bond when it won; the part of the pool's
    /// bond no one earned when the pool lost); returns the jurors' share and the treasury's, which the court pulls in one
    /// transfer (the treasury's set aside with the court's own until {ICourt-sweepTreasury}: a transfer to the
    /// treasury per ruling cost ~4,000-11,000 gas; issue 15).
    function _split(
        ListingChallengesStorage storage $,
        Challenge storage c,
        uint256 disputeId,
        uint256 ruling,
        address winner,
        address challenger,
        uint256 loserStake,
        uint256 curatorSlash
    ) private returns (uint256 toJurors, uint256 toTreasury) {
        ChallengeParameters storage p = $.params;
        toJurors = (loserStake * p.jurorShareBps) / BPS;
        uint256 toWinner;
        uint256 returned;
        if (ruling != CHALLENGER && c.pooled) {
            // The validators' pool lost: its bond pays the jurors and nobody else; the rest goes back to the pool.
            returned = loserStake - toJurors;
            if (returned > 0) $.token.safeTransfer(challenger, returned);
            emit PooledBondReturned(disputeId, challenger, returned);
        } else {
            toWinner = (loserStake * p.winnerShareBps) / BPS;
            toTreasury = loserStake - toWinner - toJurors;
            // A winning challenger (the winner) also gets its bond back.
            if (ruling == CHALLENGER) returned = c.bond;
            if (toWinner + returned > 0) $.token.safeTransfer(winner, toWinner + returned);
        }
        emit ChallengeResolved(
            disputeId,
            c.listingId,
            uint8(ruling),
            winner,
            loserStake,
            curatorSlash,
            toWinner,
            toJurors,
            toTreasury
        );
    }

    function _challenge(uint256 disputeId) private view returns (Challenge storage c) {
        c = _s().challenges[disputeId];
        // Every challenge holds a bond of at least the minimum, which is at least 1 CUR.
        if (c.bond == 0) revert ChallengeNotFound(disputeId);
    }

    function _checkURI(string calldata uri, uint256 maxLength) private pure {
        uint256 length = bytes(uri).length;
        if (length == 0 || length > maxLength) revert ChallengeInvalidURI(length, maxLength);
    }

    function _checkBounds(bytes32 parameter, uint256 value, uint256 min, uint256 max) private pure {
        if (value < min || value > max) revert ChallengeParameterOutOfBounds(parameter, value, min, max);
    }

    function _setParameters(ChallengeParameters calldata n) private {
        _checkBounds("minChallengeBond", n.minChallengeBond, 1 ether, 10_000_000 ether);
        uint256 shares = uint256(n.winnerShareBps) + n.jurorShareBps + n.treasuryShareBps;
        _checkBounds("shareSum", shares, BPS, BPS);
        ListingChallengesStorage storage $ = _s();
        emit ChallengeParametersSet($.params, n);
        $.params = n;
    }

    function _setAppealFundingParameters(AppealFundingParameters calldata n) private {
        _checkBounds("winnerMultiplierBps", n.winnerMultiplierBps, 0, MAX_APPEAL_MULTIPLIER_BPS);
        _checkBounds("loserMultiplierBps", n.loserMultiplierBps, 0, MAX_APPEAL_MULTIPLIER_BPS);
        ListingChallengesStorage storage $ = _s();
        emit AppealFundingParametersSet($.appealParams, n);
        $.appealParams = n;
    }

    function _setListingMetaEvidence(string calldata uri) private {
        _checkURI(uri, MAX_URI_LENGTH);
        ListingChallengesStorage storage $ = _s();
        uint48 id = ++$.metaEvidenceCount;
        emit MetaEvidence(id, uri);
        emit ListingMetaEvidenceSet($.listingMetaEvidenceId, id);
        $.listingMetaEvidenceId = id;
    }

    function _setEvidenceBaseURI(string calldata newBaseURI) private {
        _checkURI(newBaseURI, MAX_BASE_URI_LENGTH);
        ListingChallengesStorage storage $ = _s();
        emit EvidenceBaseURISet($.evidenceBaseURI, newBaseURI);
        $.evidenceBaseURI = newBaseURI;
    }

    /// @dev `value` in decimal, as Solady's LibString.toString writes it: OpenZeppelin's Strings.toString costs ~390
    /// bytes of bytecode, this ~60.
    function _decimal(uint256 value) private pure returns (string memory digits) {
        assembly ("memory-safe") {
            // 78 digits at most, written backwards from the end of a 0x80-byte scratch area; the length word goes
            // right before the first digit.
            digits := add(mload(0x40), 0x80)
            mstore(0x40, add(digits, 0x20))
            mstore(digits, 0)
            let end := digits
            for {} 1 {} {
                digits := sub(digits, 1)
                mstore8(digits, add(48, mod(value, 10)))
                value := div(value, 10)
                if iszero(value) {
                    break
                }
            }
            let length := sub(end, digits)
            digits := sub(digits, 0x20)
            mstore(digits, length)
        }
    }

    /// @dev Only CUR is owed: the open bonds and the appeal funds not paid out.
    function _owedIn(address token_) internal view override returns (uint256) {
        ListingChallengesStorage storage $ = _s();
        return token_ == address($.token) ? uint256($.bondsHeld) + $.appealFundsHeld : 0;
    }

    function _s() private pure returns (ListingChallengesStorage storage $) {
        assembly {
            $.slot := LISTING_CHALLENGES_STORAGE
        }
    }
}
