// The chain's clock: the latest block's timestamp, which the contracts compare their periods with (local chains
// move it with evm_increaseTime, so the browser's clock is not it). Refreshed on a timer and after transactions.
import { getContext, setContext } from "svelte";
import { readChainTime, type ChainContext } from "./context";

export class ChainClock {
  /** Latest block timestamp (seconds); 0 until the first read. */
  now = $state(0n);
  blockNumber = $state(0n);
  error = $state<string | undefined>(undefined);
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly chain: ChainContext) {}

  async refresh(): Promise<bigint> {
    try {
      const block = await this.chain.client.getBlock({ blockTag: "latest" });
      this.now = block.timestamp;
      this.blockNumber = block.number;
      this.error = undefined;
    } catch (error) {
      this.error = `The chain at ${this.chain.config.rpcUrl} cannot be reached (${(error as Error).message}).`;
      // Fall back on the browser's clock so time-driven states still render.
      if (this.now === 0n) this.now = BigInt(Math.floor(Date.now() / 1000));
    }
    return this.now;
  }

  start(intervalMs = 5000): () => void {
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), intervalMs);
    return () => clearInterval(this.timer);
  }
}

export { readChainTime };

const KEY = Symbol("clock");
export const CLOCK_CONTEXT_KEY = KEY;

export function setClock(clock: ChainClock): ChainClock {
  return setContext(KEY, clock);
}

export function getClock(): ChainClock {
  const clock = getContext<ChainClock | undefined>(KEY);
  if (!clock) throw new Error("no ChainClock in context: render inside <App> or pass one in the test's context");
  return clock;
}
