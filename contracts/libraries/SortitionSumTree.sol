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
/// Weights and sums must fit in 32 bits; the caller scales its amounts (the Court counts whole CUR: the cap of 1e9 CUR
/// fits in 4.29e9). Every node's sum is bounded by the total, which is checked to fit.
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

    struct Tree {
        /// @dev Sum of all weights.
        uint64 total;
        /// @dev Levels of internal nodes; the tree has room for K ** height leaves.
        uint8 height;
        /// @dev Leaves ever allocated (the next fresh leaf index).
        uint64 leafCount;
        /// @dev Freed leaves, reused first.
        uint256[] vacant;
        /// @dev Leaf index + 1 of each account (0: none).
        mapping(address account => uint256) leafOf;
        mapping(uint256 leaf => address) accountAt;
        /// @dev (height << 128 | index) → the eight children's sums of that internal node, child c at bits 32c.
        mapping(uint256 key => uint256) nodes;
    }

    /// @notice Sets `account`'s weight to `weight` (zero removes it). O(log n).
    function set(Tree storage self, address account, uint64 weight) internal {
        uint256 leafPlusOne = self.leafOf[account];
        uint256 leaf;
        uint256 old;
        if (leafPlusOne == 0) {
            if (weight == 0) return;
            leaf = _allocate(self);
            self.leafOf[account] = leaf + 1;
            self.accountAt[leaf] = account;
        } else {
            leaf = leafPlusOne - 1;
            old = _leafWeight(self, leaf);
            if (weight == 0) {
                delete self.leafOf[account];
                delete self.accountAt[leaf];
                self.vacant.push(leaf);
            }
        }
        if (old == weight) return;
        uint256 total = uint256(self.total) + weight - old;
        if (total > MASK) revert SortitionTreeOverflow(total);
        self.total = uint64(total);
        uint256 height = self.height;
        for (uint256 h = 1; h <= height; ++h) {
            uint256 key = _key(h, leaf >> (LOG_K * h));
            uint256 shift = ((leaf >> (LOG_K * (h - 1))) & (K - 1)) * LANE;
            uint256 packed = self.nodes[key];
            uint256 child = ((packed >> shift) & MASK) + weight - old;
            self.nodes[key] = (packed & ~(MASK << shift)) | (child << shift);
        }
    }

    /// @notice The account whose cumulative weight range holds `value` (which must be below the total), and its
    /// weight, read on the way down at no extra cost. O(log n).
    function draw(Tree storage self, uint256 value) internal view returns (address account, uint256 weight) {
        uint256 total = self.total;
        if (value >= total) revert SortitionTreeDrawOutOfRange(value, total);
        uint256 index;
        weight = total;
        for (uint256 h = self.height; h > 0; --h) {
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

    /// @notice The weight of `account` (zero when absent).
    function weightOf(Tree storage self, address account) internal view returns (uint256) {
        uint256 leafPlusOne = self.leafOf[account];
        return leafPlusOne == 0 ? 0 : _leafWeight(self, leafPlusOne - 1);
    }

    /// @notice Sum of all weights.
    function totalWeight(Tree storage self) internal view returns (uint256) {
        return self.total;
    }

    function _allocate(Tree storage self) private returns (uint256 leaf) {
        uint256 vacantCount = self.vacant.length;
        if (vacantCount > 0) {
            leaf = self.vacant[vacantCount - 1];
            self.vacant.pop();
            return leaf;
        }
        leaf = self.leafCount;
        self.leafCount = uint64(leaf + 1);
        uint256 height = self.height;
        if (height == 0) {
            self.height = 1;
        } else if (leaf == K ** height) {
            // Full: a new root whose first child is the old root (whose sum is the total).
            self.height = uint8(height + 1);
            self.nodes[_key(height + 1, 0)] = self.total;
        }
    }

    function _leafWeight(Tree storage self, uint256 leaf) private view returns (uint256) {
        return (self.nodes[_key(1, leaf >> LOG_K)] >> ((leaf & (K - 1)) * LANE)) & MASK;
    }

    function _key(uint256 height, uint256 index) private pure returns (uint256) {
        return (height << 128) | index;
    }
}
