// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title SortitionSumTree
/// @notice A sum tree over accounts' weights, for drawing an account with probability weight / total in O(log n).
/// @dev After Kleros' SortitionSumTreeFactory (a K-ary tree of sums), laid out for cheap reads:
/// - K = 8 and every internal node stores the sums of its eight children packed in ONE slot (8 × uint32), so a draw
///   reads one slot per level: ceil(log8 n) cold reads (5 for 10,000 accounts, 2 for 10).
/// - Nodes are addressed by (height above the leaves, index), so leaves never move: when the tree is full, a new
///   root is put on top whose first child is the old root, and nothing else is rewritten (Kleros moves leaves).
/// - A leaf freed by a zero weight goes on a stack and is reused by the next new account (as in Kleros).
/// - The total is not stored: it is the sum of the root's eight lanes, read anyway on every update and draw. A stored
///   total cost every stake, unstake and slash one more write (2,900 gas: issue 15).
/// Weights and sums must fit in 32 bits; the caller scales its amounts (the Court counts whole CUR: the cap of 1e9 CUR
/// fits in 4.29e9). Every node's sum is bounded by the total, which is checked to fit before any lane is written.
library SortitionSumTree {
    /// @notice A weight update would take the total above what a 32-bit node lane can hold.
    error SortitionTreeOverflow(uint256 total);
    /// @notice A draw at or above the total weight (or in an empty tree).
    error SortitionTreeDrawOutOfRange(uint256 value, uint256 total);

    uint256 internal constant K = 8;
    /// @dev log2(K): bits of a leaf index consumed per level.
    uint256 private constant LOG_K = 3;
    /// @dev Bits per child sum in a packed node.
    uint256 private constant LANE = 32;
    uint256 private constant MASK = type(uint32).max;

    /// @dev The tree's height (levels of internal nodes: room for K ** height leaves) and each account's leaf are the
    /// caller's to keep, beside what it reads anyway, and to pass in: kept here they cost every update two more cold
    /// reads (4,200 gas: issue 15).
    struct Tree {
        /// @dev Leaves ever allocated (the next fresh leaf index).
        uint64 leafCount;
        /// @dev Freed leaves, reused first.
        uint256[] vacant;
        mapping(uint256 leaf => address) accountAt;
        /// @dev (height << 128 | index) → the eight children's sums of that internal node, child c at bits 32c.
        mapping(uint256 key => uint256) nodes;
    }

    /// @notice Sets the weight of `account`, whose leaf is `leafPlusOne` (leaf index + 1; 0: not in the tree), to
    /// `weight` (zero removes it), in a tree of height `height`; returns the account's leaf + 1 after (0 once removed)
    /// and the height after (a new leaf may add a level), for the caller to keep. O(log n).
    function set(
        Tree storage self,
        uint256 height,
        uint256 leafPlusOne,
        address account,
        uint64 weight
    ) internal returns (uint256, uint256) {
        uint256 leaf;
        uint256 old;
        if (leafPlusOne == 0) {
            if (weight == 0) return (0, height);
            (leaf, height) = _allocate(self, height);
            self.accountAt[leaf] = account;
            leafPlusOne = leaf + 1;
        } else {
            leaf = leafPlusOne - 1;
            old = _leafWeight(self, leaf);
            if (weight == 0) {
                delete self.accountAt[leaf];
                self.vacant.push(leaf);
                leafPlusOne = 0;
            }
        }
        if (old == weight) return (leafPlusOne, height);
        // Only a raise can overflow. The root read here is the one the loop's last level reads (then warm).
        if (weight > old) {
            uint256 total = totalWeight(self, height) + (weight - old);
            if (total > MASK) revert SortitionTreeOverflow(total);
        }
        for (uint256 h = 1; h <= height; ++h) {
            uint256 key = _key(h, leaf >> (LOG_K * h));
            uint256 shift = ((leaf >> (LOG_K * (h - 1))) & (K - 1)) * LANE;
            uint256 packed = self.nodes[key];
            uint256 child = ((packed >> shift) & MASK) + weight - old;
            self.nodes[key] = (packed & ~(MASK << shift)) | (child << shift);
        }
        return (leafPlusOne, height);
    }

    /// @notice The account whose cumulative weight range holds `value` (which must be below the total), and its
    /// weight, read on the way down at no extra cost. O(log n).
    function draw(
        Tree storage self,
        uint256 height,
        uint256 value
    ) internal view returns (address account, uint256 weight) {
        uint256 total = totalWeight(self, height);
        if (value >= total) revert SortitionTreeDrawOutOfRange(value, total);
        return drawBelow(self, height, value, total);
    }

    /// @notice {draw} for a caller that already read the total with {totalWeight} (and reduced `value` below it):
    /// the lanes are not summed twice.
    function drawBelow(
        Tree storage self,
        uint256 height,
        uint256 value,
        uint256 total
    ) internal view returns (address account, uint256 weight) {
        uint256 index;
        weight = total;
        for (uint256 h = height; h > 0; --h) {
            uint256 packed = self.nodes[_key(h, index)];
            uint256 c;
            // The children's sums add up to this node's sum, which exceeds `value`: one of the first seven or the last.
            for (; c < K - 1; ++c) {
                uint256 w = (packed >> (c * LANE)) & MASK;
                if (value < w) break;
                value -= w;
            }
            weight = (packed >> (c * LANE)) & MASK;
            index = index * K + c;
        }
        account = self.accountAt[index];
    }

    /// @notice The weight at leaf `leafPlusOne` - 1 (zero for 0: an account not in the tree).
    function weightAt(Tree storage self, uint256 leafPlusOne) internal view returns (uint256) {
        return leafPlusOne == 0 ? 0 : _leafWeight(self, leafPlusOne - 1);
    }

    /// @notice Sum of all weights: the sum of the root's lanes (zero for an empty tree).
    function totalWeight(Tree storage self, uint256 height) internal view returns (uint256) {
        return height == 0 ? 0 : _laneSum(self.nodes[_key(height, 0)]);
    }

    function _allocate(Tree storage self, uint256 height) private returns (uint256 leaf, uint256 heightAfter) {
        uint256 vacantCount = self.vacant.length;
        if (vacantCount > 0) {
            leaf = self.vacant[vacantCount - 1];
            self.vacant.pop();
            return (leaf, height);
        }
        leaf = self.leafCount;
        self.leafCount = uint64(leaf + 1);
        heightAfter = height;
        if (height == 0) {
            heightAfter = 1;
        } else if (leaf == K ** height) {
            // Full: a new root whose first child is the old root (whose sum is the total).
            heightAfter = height + 1;
            self.nodes[_key(heightAfter, 0)] = _laneSum(self.nodes[_key(height, 0)]);
        }
    }

    function _leafWeight(Tree storage self, uint256 leaf) private view returns (uint256) {
        return (self.nodes[_key(1, leaf >> LOG_K)] >> ((leaf & (K - 1)) * LANE)) & MASK;
    }

    /// @dev The sum of a node's eight 32-bit lanes, added pairwise (lanes of 64, then 128 bits: no lane can carry).
    function _laneSum(uint256 packed) private pure returns (uint256) {
        uint256 pairs = 0x00000000ffffffff00000000ffffffff00000000ffffffff00000000ffffffff;
        uint256 quads = 0x0000000000000000ffffffffffffffff0000000000000000ffffffffffffffff;
        uint256 x = (packed & pairs) + ((packed >> LANE) & pairs);
        x = (x & quads) + ((x >> 64) & quads);
        return (x & type(uint128).max) + (x >> 128);
    }

    function _key(uint256 height, uint256 index) private pure returns (uint256) {
        return (height << 128) | index;
    }
}
