// Deadlines to the second. Hardhat mines every transaction in a block of its own, and `setNextBlockTimestamp` fixes
// the timestamp of the next block — and of the gas estimate ethers runs before sending, so a refused call mines
// nothing and leaves the timestamp set for the next try. A window open while `now < end` is tested at `end - 1` (still
// open) and at `end` (closed); one that opens at `start` at `start - 1` (not yet) and at `start`.
// A driver, not a test: the contract tests use it with the Court, Market, Validation and Governance helpers.
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";

export class Clock {
  constructor(readonly helpers: NetworkHelpers) {}

  /** The latest block's timestamp. */
  async now(): Promise<bigint> {
    return BigInt(await this.helpers.time.latest());
  }

  /** The next transaction runs at exactly `timestamp` (which must be later than the latest block). */
  async at(timestamp: bigint | number): Promise<bigint> {
    const t = BigInt(timestamp);
    await this.helpers.time.setNextBlockTimestamp(t);
    return t;
  }

  /** The next transaction runs one second before `timestamp`. */
  async justBefore(timestamp: bigint | number): Promise<bigint> {
    return this.at(BigInt(timestamp) - 1n);
  }

  /** The next transaction runs one second after the latest block; returns that timestamp (to compute deadlines). */
  async next(): Promise<bigint> {
    return this.at((await this.now()) + 1n);
  }

  /** Mines an empty block at exactly `timestamp`, so that views read the state as of that second. */
  async mineAt(timestamp: bigint | number): Promise<void> {
    await this.helpers.time.increaseTo(BigInt(timestamp));
  }
}
