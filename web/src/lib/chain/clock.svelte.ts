// The chain's clock. The contracts compare their periods with block.timestamp, which local chains move with
// evm_increaseTime, so the browser's clock is not it; but an idle chain mines no blocks, and its latest block's
// timestamp stands still while real time goes on. So chain time is estimated: the latest block's timestamp plus the
// wall-clock time since that block was first seen (what the next block would say, within one poll), ticking every
// second with the shared wall clock. The latest block is polled on a timer and after transactions.
import { getContext, setContext } from "svelte";
import { latestBlockKey, takePrefetched, type BlockHead } from "../boot";
import { readChainTime, type ChainContext } from "./context";
import { wallClock, type WallClockSource } from "./wall-clock.svelte";

/** Estimated chain time (Unix seconds): `blockTime` plus the whole seconds of wall time since it was seen. */
export function estimateChainTime(blockTime: bigint, seenAtMs: number, wallNowMs: number): bigint {
  if (blockTime === 0n) return 0n;
  return blockTime + BigInt(Math.max(0, Math.floor((wallNowMs - seenAtMs) / 1000)));
}

export class ChainClock {
  /** The latest block's timestamp (seconds); 0 until the first read. Changes only when the chain moves. */
  blockTime = $state(0n);
  blockNumber = $state(0n);
  /** Wall time (ms) when the latest block was first seen. */
  seenAtMs = $state(0);
  error = $state<string | undefined>(undefined);
  private timer: ReturnType<typeof setInterval> | undefined;
  private reading: Promise<bigint> | undefined;

  constructor(
    private readonly chain: ChainContext,
    private readonly wall: WallClockSource = wallClock,
  ) {}

  /**
   * Chain time now (seconds), estimated from the latest block and the wall clock: ticks every second where it is read
   * reactively. Use `blockTime` in effects that should re-run only when the chain moves (re-reading the chain).
   */
  get now(): bigint {
    return estimateChainTime(this.blockTime, this.seenAtMs, this.wall.nowMs);
  }

  /** Sets chain time as if a block dated `seconds` was seen just now (tests; the fallback below). */
  set now(seconds: bigint) {
    this.blockTime = seconds;
    this.seenAtMs = this.wall.read();
  }

  /** Reads the latest block now (after a transaction, a read already on its way may predate its block). */
  refresh(): Promise<bigint> {
    const reading = this.read().finally(() => {
      if (this.reading === reading) this.reading = undefined;
    });
    this.reading = reading;
    return reading;
  }

  private async read(): Promise<bigint> {
    try {
      // The first read may have been made at start-up, before viem was loaded (boot.ts); if it failed, ask again here.
      const prefetched = takePrefetched<BlockHead>(latestBlockKey(this.chain.config.rpcUrl));
      const block =
        (prefetched && (await prefetched.catch(() => undefined))) ??
        (await this.chain.client.getBlock({ blockTag: "latest" }));
      // The same block seen again keeps its first sighting: the estimate goes on from there.
      if (block.number !== this.blockNumber || block.timestamp !== this.blockTime) {
        this.blockTime = block.timestamp;
        this.blockNumber = block.number;
        this.seenAtMs = this.wall.read();
      }
      this.error = undefined;
    } catch (error) {
      this.error = `The chain at ${this.chain.config.rpcUrl} cannot be reached (${(error as Error).message}).`;
      // Fall back on the browser's clock so time-driven states still render.
      if (this.blockTime === 0n) this.now = BigInt(Math.floor(this.wall.read() / 1000));
    }
    return estimateChainTime(this.blockTime, this.seenAtMs, this.wall.read());
  }

  /**
   * Resolves once chain time is known (reading the latest block the first time). It depends on `blockTime` only, so an
   * effect that awaits it re-runs when the chain moves, never on the wall clock's tick.
   */
  ready(): Promise<bigint> {
    // At start the app's first read is on its way when the page asks: the page waits for it rather than read again.
    return this.blockTime > 0n ? Promise.resolve(this.blockTime) : (this.reading ?? this.refresh());
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
