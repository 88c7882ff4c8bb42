// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IArbitrable
/// @notice A contract whose disputes the Court decides (after Kleros' IArbitrableV2). It opens a dispute with
/// {ICourt-createDispute}, paying {ICourt-arbitrationCost}, and receives the final ruling through {rule}.
interface IArbitrable {
    /// @notice Applies the final ruling of `disputeId` (1: the challenger wins, 2: the defendant wins). Only the court
    /// calls it, once per dispute. The arbitrable may reward the coherent jurors and pay the treasury a share: it
    /// returns both amounts and must let the court pull their sum (transferFrom) before returning. The court sets the
    /// treasury's share aside with its own, for {ICourt-sweepTreasury}: one transfer instead of two (issue 15).
    /// Limits: the court forwards `rule` at most 1,000,000 gas and reads only the first two words of its answer (the
    /// two amounts, ABI-encoded as above). A `rule` that reverts, runs out of that gas, answers fewer than two words
    /// or whose amounts the court cannot pull is a refusal: while the court approves the arbitrable, the execution
    /// reverts (fix it, then execute again); once the DAO revoked it, the dispute closes without the ruling
    /// ({ICourt-RulingNotApplied}), so that no arbitrable can keep the jurors' stake locked for ever.
    /// @return jurorReward CUR the court pulls from the arbitrable for the coherent jurors of the last juror round.
    /// @return treasuryShare CUR the court pulls from the arbitrable for the treasury.
    function rule(uint256 disputeId, uint256 ruling) external returns (uint256 jurorReward, uint256 treasuryShare);
}
