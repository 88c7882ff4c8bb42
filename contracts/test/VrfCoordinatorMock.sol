// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

// Test-only: a local stand-in for a Chainlink VRF v2.5 coordinator; never deployed by deploy/ outside tests.

import {IVrfCoordinatorV2Plus, VrfV2PlusRequest, VrfRandomness} from "../randomness/VrfRandomness.sol";

/// @dev Records requests in the coordinator's format and lets the test deliver any word, as the oracle would.
contract VrfCoordinatorMock is IVrfCoordinatorV2Plus {
    uint256 public requestCount;
    mapping(uint256 requestId => address) public consumerOf;
    mapping(uint256 requestId => bytes32) public keyHashOf;
    mapping(uint256 requestId => uint256) public subIdOf;
    mapping(uint256 requestId => bytes) public extraArgsOf;

    event RandomWordsRequested(uint256 indexed requestId, address indexed consumer, uint32 numWords);

    function requestRandomWords(VrfV2PlusRequest.RandomWordsRequest calldata req) external returns (uint256 requestId) {
        requestId = ++requestCount;
        consumerOf[requestId] = msg.sender;
        keyHashOf[requestId] = req.keyHash;
        subIdOf[requestId] = req.subId;
        extraArgsOf[requestId] = req.extraArgs;
        emit RandomWordsRequested(requestId, msg.sender, req.numWords);
    }

    /// @dev Delivers `word` for `requestId` to the consumer that asked, as the coordinator's fulfillment does.
    function fulfill(uint256 requestId, uint256 word) external {
        uint256[] memory words = new uint256[](1);
        words[0] = word;
        VrfRandomness(consumerOf[requestId]).rawFulfillRandomWords(requestId, words);
    }
}
