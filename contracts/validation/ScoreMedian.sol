// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title ScoreMedian
/// @notice The aggregation of a validation round: the median of a committee's revealed scores (a committee has at
/// most 21 members, so an insertion sort in memory is the cheapest exact method).
library ScoreMedian {
    /// @notice The median of `scores`, which it sorts in place. For an even count, the mean of the two middle scores
    /// rounded down. `scores` must not be empty.
    function median(uint256[] memory scores) internal pure returns (uint256) {
        uint256 n = scores.length;
        for (uint256 i = 1; i < n; ++i) {
            uint256 key = scores[i];
            uint256 j = i;
            while (j > 0 && scores[j - 1] > key) {
                scores[j] = scores[j - 1];
                --j;
            }
            scores[j] = key;
        }
        uint256 mid = n / 2;
        return n % 2 == 1 ? scores[mid] : (scores[mid - 1] + scores[mid]) / 2;
    }

    /// @notice |a - b|.
    function distance(uint256 a, uint256 b) internal pure returns (uint256) {
        return a > b ? a - b : b - a;
    }
}
