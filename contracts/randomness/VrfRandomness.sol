// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IRandomnessSource} from "../interfaces/IRandomnessSource.sol";

/// @dev The request format of a Chainlink VRF v2.5 coordinator (VRFV2PlusClient), restated so that no Chainlink
/// package is needed to build: field order and the extra-args tag are the coordinator's ABI.
library VrfV2PlusRequest {
    /// @dev bytes4(keccak256("VRF ExtraArgsV1")).
    bytes4 internal constant EXTRA_ARGS_V1_TAG = bytes4(keccak256("VRF ExtraArgsV1"));

    struct ExtraArgsV1 {
        bool nativePayment;
    }

    struct RandomWordsRequest {
        bytes32 keyHash;
        uint256 subId;
        uint16 requestConfirmations;
        uint32 callbackGasLimit;
        uint32 numWords;
        bytes extraArgs;
    }

    function extraArgs(bool nativePayment) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(EXTRA_ARGS_V1_TAG, ExtraArgsV1(nativePayment));
    }
}

/// @dev The part of a VRF v2.5 coordinator that a consumer calls.
interface IVrfCoordinatorV2Plus {
    function requestRandomWords(VrfV2PlusRequest.RandomWordsRequest calldata req) external returns (uint256 requestId);
}

/// @title VrfRandomness
/// @notice The randomness source of public chains: an adapter from {IRandomnessSource} to a Chainlink VRF v2.5
/// coordinator. A request asks the coordinator for one random word; the coordinator's callback stores it with its
/// proof already verified on-chain, and {randomness} returns it from then on, for ever (no expiry, no renewal, so no
/// re-roll). Nobody, the oracle included, can choose the value: the VRF proof binds it to the request.
/// @dev Requests are paid by the DAO's VRF subscription (this adapter is its consumer), so only the requesters the
/// owner (the DAO's timelock) approves, the Court and the ValidationManager, may request. Configuration is
/// immutable: another key hash or subscription is another adapter, set through the contracts' setRandomnessSource.
contract VrfRandomness is IRandomnessSource, Ownable {
    IVrfCoordinatorV2Plus public immutable coordinator;
    bytes32 public immutable keyHash;
    uint256 public immutable subscriptionId;
    uint16 public immutable requestConfirmations;
    uint32 public immutable callbackGasLimit;
    bool public immutable nativePayment;

    /// @dev Any uint256 is a valid value, zero included: whether a request exists and is served is kept apart.
    mapping(uint256 requestId => bool) public requested;
    mapping(uint256 requestId => bool) public fulfilled;
    mapping(uint256 requestId => uint256) private _values;
    mapping(address requester => bool) public isRequester;

    /// @notice The coordinator delivered `requestId`'s value.
    event RandomnessFulfilled(uint256 indexed requestId);
    /// @notice The owner allowed or stopped `requester`.
    event RequesterSet(address indexed requester, bool oldAllowed, bool newAllowed);

    /// @notice Only approved requesters spend the subscription.
    error RandomnessRequesterNotAllowed(address caller);
    /// @notice Only the coordinator delivers values.
    error RandomnessOnlyCoordinator(address caller, address coordinator);
    /// @notice A delivery for a request this adapter did not make, or a second delivery.
    error RandomnessUnexpectedFulfillment(uint256 requestId);
    /// @notice A delivery without a word.
    error RandomnessNoWords(uint256 requestId);
    error RandomnessZeroAddress();

    constructor(
        address owner_,
        IVrfCoordinatorV2Plus coordinator_,
        bytes32 keyHash_,
        uint256 subscriptionId_,
        uint16 requestConfirmations_,
        uint32 callbackGasLimit_,
        bool nativePayment_
    ) Ownable(owner_) {
        if (address(coordinator_) == address(0)) revert RandomnessZeroAddress();
        coordinator = coordinator_;
        keyHash = keyHash_;
        subscriptionId = subscriptionId_;
        requestConfirmations = requestConfirmations_;
        callbackGasLimit = callbackGasLimit_;
        nativePayment = nativePayment_;
    }

    /// @notice Allows or stops `requester` (the Court, the ValidationManager). Emits {RequesterSet}.
    function setRequester(address requester, bool allowed) external onlyOwner {
        if (requester == address(0)) revert RandomnessZeroAddress();
        emit RequesterSet(requester, isRequester[requester], allowed);
        isRequester[requester] = allowed;
    }

    /// @inheritdoc IRandomnessSource
    function requestRandomness() external returns (uint256 requestId) {
        if (!isRequester[msg.sender]) revert RandomnessRequesterNotAllowed(msg.sender);
        requestId = coordinator.requestRandomWords(
            VrfV2PlusRequest.RandomWordsRequest({
                keyHash: keyHash,
                subId: subscriptionId,
                requestConfirmations: requestConfirmations,
                callbackGasLimit: callbackGasLimit,
                numWords: 1,
                extraArgs: VrfV2PlusRequest.extraArgs(nativePayment)
            })
        );
        requested[requestId] = true;
        emit RandomnessRequested(requestId, msg.sender, block.number + requestConfirmations);
    }

    /// @notice The coordinator's callback (VRFConsumerBaseV2Plus' entry point). Emits {RandomnessFulfilled}.
    function rawFulfillRandomWords(uint256 requestId, uint256[] calldata randomWords) external {
        if (msg.sender != address(coordinator)) revert RandomnessOnlyCoordinator(msg.sender, address(coordinator));
        if (!requested[requestId] || fulfilled[requestId]) revert RandomnessUnexpectedFulfillment(requestId);
        if (randomWords.length == 0) revert RandomnessNoWords(requestId);
        fulfilled[requestId] = true;
        _values[requestId] = randomWords[0];
        emit RandomnessFulfilled(requestId);
    }

    /// @inheritdoc IRandomnessSource
    function randomness(uint256 requestId) external view returns (uint256) {
        if (!requested[requestId]) revert RandomnessUnknown(requestId);
        if (!fulfilled[requestId]) revert RandomnessNotReady(requestId, 0);
        return _values[requestId];
    }
}
