// The chain's clock, read synchronously: receipts are dated with it and checked against it (ListingChallenges
// compares a receipt's servedAt with block.timestamp and with its serving key's period). A live chain follows the wall
// clock within seconds; a development chain whose time was moved ahead (evm_increaseTime) does not, so providers and
// clients there date and check receipts on this clock, while signed requests' expiries stay on the wall clock.
import type { Provider } from "ethers";

export class ChainClock {
  private offset = 0;
  private timer: NodeJS.Timeout | undefined;

  private constructor(private readonly provider: Provider) {}

  /** A clock that re-reads the latest block's timestamp every `refreshMs` (0: only on {@link refresh}). */
  static async start(provider: Provider, refreshMs = 5_000): Promise<ChainClock> {
    const clock = new ChainClock(provider);
    await clock.refresh();
    if (refreshMs > 0) {
      clock.timer = setInterval(() => void clock.refresh().catch(() => {}), refreshMs);
      clock.timer.unref();
    }
    return clock;
  }

  /** Aligns with the latest block's timestamp (never moves the clock back). */
  async refresh(): Promise<void> {
    const block = await this.provider.getBlock("latest");
    if (block === null) throw new Error("the chain has no latest block");
    const offset = block.timestamp - Date.now() / 1000;
    if (offset > this.offset || this.offset === 0) this.offset = offset;
  }

  /** Unix seconds on the chain's clock. */
  now(): number {
    return Math.floor(Date.now() / 1000 + this.offset);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
  }
}
