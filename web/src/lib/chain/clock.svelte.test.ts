import { flushSync } from "svelte";
import type { PublicClient } from "viem";
import { afterEach, describe, expect, it, vi } from "vitest";
import { TEST_CONFIG } from "../../test/context";
import { latestBlockKey, prefetch, takePrefetched } from "../boot";
import { formatRelative } from "../format";
import { ChainClock, estimateChainTime } from "./clock.svelte";
import { WallClock, type WallClockSource } from "./wall-clock.svelte";

/** A chain whose latest block is whatever the test says (an idle chain keeps answering the same block). */
function chainWith(block: { number: bigint; timestamp: bigint }) {
  const client = { getBlock: vi.fn(async () => ({ ...block })) } as unknown as PublicClient;
  return { chain: { config: TEST_CONFIG, client }, block };
}

/** A wall clock the test moves by hand. */
function handClock(start: number): WallClockSource & { ms: number } {
  const wall = {
    ms: start,
    read: () => wall.ms,
    get nowMs() {
      return wall.ms;
    },
  };
  return wall;
}

afterEach(() => {
  vi.useRealTimers();
});

describe("chain time", () => {
  it("adds the whole seconds of wall time since the block was seen", () => {
    expect(estimateChainTime(1_000n, 50_000, 50_999)).toBe(1_000n);
    expect(estimateChainTime(1_000n, 50_000, 51_000)).toBe(1_001n);
    expect(estimateChainTime(1_000n, 50_000, 40_000)).toBe(1_000n); // a wall clock set back never moves it back
    expect(estimateChainTime(0n, 50_000, 90_000)).toBe(0n); // not read yet
  });

  it("moves on while an idle chain keeps the same latest block, and restarts from a new block", async () => {
    const { chain, block } = chainWith({ number: 7n, timestamp: 1_000_000n });
    const wall = handClock(5_000_000);
    const clock = new ChainClock(chain, wall);
    await clock.refresh();
    const voteStart = 999_998n;
    expect(formatRelative(voteStart, clock.now)).toBe("2 s ago");
    // Six minutes later the chain has mined nothing: the same block answers every poll.
    wall.ms += 6 * 60_000;
    await clock.refresh();
    await clock.refresh();
    expect(clock.blockTime).toBe(1_000_000n);
    expect(clock.now).toBe(1_000_360n);
    expect(formatRelative(voteStart, clock.now)).toBe("6 min ago");
    // A new block (here moved a day ahead, as evm_increaseTime does) is the new reference.
    block.number = 8n;
    block.timestamp = 1_086_400n;
    wall.ms += 2_000;
    await clock.refresh();
    expect(clock.now).toBe(1_086_400n);
    wall.ms += 3_000;
    expect(clock.now).toBe(1_086_403n);
  });

  it("ticks reactively with the shared wall clock, without any chain activity", async () => {
    vi.useFakeTimers({ now: 5_000_000 });
    const { chain } = chainWith({ number: 1n, timestamp: 2_000_000n });
    const clock = new ChainClock(chain, new WallClock(1000));
    await clock.refresh();
    const seen: string[] = [];
    const stop = $effect.root(() => {
      $effect(() => {
        seen.push(formatRelative(2_000_010n, clock.now));
      });
    });
    flushSync();
    for (let second = 0; second < 5; second++) {
      vi.advanceTimersByTime(1000);
      flushSync();
    }
    stop();
    expect(seen).toEqual(["in 10 s", "in 9 s", "in 8 s", "in 7 s", "in 6 s", "in 5 s"]);
    // Nobody reads it any more: the timer is gone (Svelte stops it a microtask after the last reader leaves).
    await Promise.resolve();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("lets a page waiting for chain time share the first read on its way; a refresh always reads anew", async () => {
    const { chain } = chainWith({ number: 3n, timestamp: 1_000n });
    const clock = new ChainClock(chain, handClock(0));
    const [a, b] = await Promise.all([clock.refresh(), clock.ready()]);
    expect([a, b]).toEqual([1_000n, 1_000n]);
    expect(chain.client.getBlock).toHaveBeenCalledTimes(1);
    // After a transaction a refresh must see its block: it never joins a read that may predate it.
    await Promise.all([clock.refresh(), clock.refresh()]);
    expect(chain.client.getBlock).toHaveBeenCalledTimes(3);
  });

  it("starts from the block read at start-up, once, and reads the chain itself when that read failed", async () => {
    const { chain } = chainWith({ number: 9n, timestamp: 2_000n });
    prefetch(latestBlockKey(chain.config.rpcUrl), async () => ({ number: 8n, timestamp: 1_990n }));
    const clock = new ChainClock(chain, handClock(0));
    expect(await clock.ready()).toBe(1_990n);
    expect(clock.blockNumber).toBe(8n);
    expect(chain.client.getBlock).not.toHaveBeenCalled();
    expect(await clock.refresh()).toBe(2_000n); // the next poll asks the chain
    expect(chain.client.getBlock).toHaveBeenCalledTimes(1);

    const other = chainWith({ number: 4n, timestamp: 500n });
    prefetch(latestBlockKey(other.chain.config.rpcUrl), () => Promise.reject(new Error("node down at start")));
    const second = new ChainClock(other.chain, handClock(0));
    expect(await second.ready()).toBe(500n);
    expect(second.error).toBeUndefined();
    expect(takePrefetched(latestBlockKey(other.chain.config.rpcUrl))).toBeUndefined();
  });
});
