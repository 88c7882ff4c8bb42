// Fetching the chain for the indexer, range by range over JSON-RPC: a range's logs in one eth_getLogs request, then its
// blocks (with their transactions) in requests of about EVENTS_PER_BLOCK_REQUEST events each, so that its first blocks
// are processed while the node still serves the others. Ranges are sized for about TARGET_EVENTS_PER_RANGE events (as
// graph-node sizes its block ranges), and while one range is processed the next PREFETCH_DEPTH are already on their
// way. Nothing here trusts the node to stay on one chain meanwhile: a range fetched ahead is used only if it continues
// the indexed head, and a block only if it is the one its logs name.
import {
  hexToNumber,
  isRangeTooLarge,
  isRateLimited,
  JsonRpcClient,
  toHex,
  type RpcBlock,
  type RpcLog,
} from "./chain.js";
import type { BlockPointer } from "./store.js";
import type { DataSource, EventHandlerBinding } from "./subgraph.js";

/** A log that a handler of the subgraph takes, with the data source and the handler it goes to. */
export interface PendingEvent {
  dataSource: DataSource;
  binding: EventHandlerBinding;
  log: RpcLog;
}

/** A block of a range, loading or loaded (`value`: null when the node did not have it). */
export interface PendingBlock {
  promise: Promise<RpcBlock | null>;
  loaded: boolean;
  value?: RpcBlock | null;
}

/** A range of blocks: its events, and its blocks arriving in chunks (processing starts with the first chunk). */
export interface FetchedRange {
  from: number;
  to: number;
  events: PendingEvent[];
  blocks: Map<number, PendingBlock>;
  fromBlock: RpcBlock;
}

/**
 * Events whose blocks one request fetches: a dense range's blocks (full transactions) come in several replies, so
 * that its first blocks are processed while the node still serves the others.
 */
const EVENTS_PER_BLOCK_REQUEST = 250;
/** Blocks per request at most (JSON-RPC batch size). */
const BLOCKS_PER_REQUEST = 100;

/** Events a block range should hold, to size the next range (graph-node's target triggers per range is 100). */
const TARGET_EVENTS_PER_RANGE = 1000;
/** Blocks in the first range, before anything is known of how dense events are. */
const INITIAL_RANGE_SIZE = 10;

/** Ranges requested ahead of the one being processed, while catching up. */
const PREFETCH_DEPTH = 2;
/**
 * While the next range's size is a guess (its growth was capped: the events seen so far were sparse), it is fetched
 * as this many smaller ranges (where it spans at least two blocks per piece). Density can jump from one range to the
 * next (a deployment, then traffic): the first dense range then arrived in one reply after the node had read all its
 * logs (~0.45 s for 6,400 events on Hardhat) while the indexer waited with nothing to do; in pieces, its first part is
 * processed while the node reads the rest.
 */
const GUESS_PIECES = 4;

/** Successful eth_getLogs requests in a row after which a limit lowered by a refusal doubles again. */
const SUCCESSES_TO_GROW = 4;

/**
 * An eth_getLogs request the endpoint refused for its size or for the request rate; the block limit was halved
 * (`shrunk`: the next request will be smaller; false once it is down to one block).
 */
export class LogsRequestError extends Error {
  constructor(
    readonly reason: Error,
    readonly from: number,
    readonly to: number,
    readonly rateLimited: boolean,
    readonly shrunk: boolean,
  ) {
    super(`eth_getLogs of blocks ${from}-${to}: ${reason.message}`);
    this.name = "LogsRequestError";
  }
}

/** The ranges of blocks the indexer processes: the one it asks for, and those fetched ahead of it. */
export class RangeFetcher {
  private readonly addresses: string[];
  private readonly topics: string[];
  private readonly byAddress: Map<string, DataSource>;
  /** The chain's latest block as the indexer last saw it: no range goes past it. */
  latest = -1;
  /** Blocks asked for the next range: `blockRange` at most, adapted to how dense events are. */
  private rangeSize: number;
  /**
   * Blocks per eth_getLogs request at most: `blockRange`, halved by each refused request (too many results, rate
   * limits) down to one block, doubled back after SUCCESSES_TO_GROW successful requests in a row.
   */
  private limit: number;
  private successes = 0;
  /** eth_getLogs requests refused for their size or rate since the start. */
  refusedLogRequests = 0;
  /** Whether `rangeSize` is a guess: capped by its growth limit, not sized by the density of events seen. */
  private guessing = true;
  /** The next ranges, in order, fetched while the current one is processed. */
  private prefetched: { from: number; to: number; range: Promise<FetchedRange | undefined> }[] = [];

  /** `blockRange`: blocks per eth_getLogs request at most. */
  constructor(
    private readonly rpc: JsonRpcClient,
    dataSources: readonly DataSource[],
    private readonly blockRange: number,
  ) {
    this.rangeSize = Math.min(this.blockRange, INITIAL_RANGE_SIZE);
    this.limit = this.blockRange;
    this.byAddress = new Map(dataSources.map((ds) => [ds.address, ds]));
    this.addresses = [...this.byAddress.keys()];
    this.topics = [...new Set(dataSources.flatMap((ds) => [...ds.handlers.keys()]))];
  }

  /**
   * The range from `from` if it was fetched ahead and continues `head` (the indexed head); otherwise undefined, and
   * every range fetched ahead is dropped: they were planned from a state that did not hold.
   */
  async takePrefetched(from: number, head: BlockPointer | undefined): Promise<FetchedRange | undefined> {
    let range: FetchedRange | undefined;
    const prefetched = this.prefetched.shift();
    if (prefetched !== undefined && prefetched.from === from) {
      range = await prefetched.range.catch(() => undefined);
      if (range !== undefined && head !== undefined && range.fromBlock.parentHash !== head.hash) range = undefined;
    }
    if (range === undefined) this.prefetched = [];
    return range;
  }

  /** Drops the ranges fetched ahead (after a reorganisation: they may be of the abandoned chain). */
  dropPrefetched(): void {
    this.prefetched = [];
  }

  /** Fetches the range from `from`: the next range's size at most, up to `latest`. */
  fetchFrom(from: number): Promise<FetchedRange | undefined> {
    return this.fetchRange(from, Math.min(this.latest, from + this.rangeSize - 1));
  }

  /** Called with each range as its processing starts: sizes the next ranges after it and requests them. */
  fetchAhead(range: FetchedRange): void {
    this.adaptRangeSize(range);
    this.prefetchAfter(range.to);
  }

  /** Requests the ranges after `to`, up to PREFETCH_DEPTH ahead and the latest block seen. */
  private prefetchAfter(to: number): void {
    let last = this.prefetched.at(-1)?.to ?? to;
    const pieces = this.guessing && this.rangeSize >= 2 * GUESS_PIECES ? GUESS_PIECES : 1;
    const size = Math.max(1, Math.ceil(this.rangeSize / pieces));
    while (this.prefetched.length < PREFETCH_DEPTH * pieces && last < this.latest) {
      const from = last + 1;
      const end = Math.min(this.latest, from + size - 1);
      // Each range's logs are asked for once the one before has its first block: a node that serves requests in turn
      // (Hardhat) then sends the ranges in the order they are processed, each range's first blocks before the next's
      // logs, instead of every range's logs before the first blocks.
      const before = this.prefetched.at(-1)?.range;
      const range =
        before === undefined
          ? this.fetchRange(from, end)
          : before.then(
              () => this.fetchRange(from, end),
              () => this.fetchRange(from, end),
            );
      range.catch(() => {}); // an error surfaces when the range is used (or the range is fetched again)
      this.prefetched.push({ from, to: end, range });
      last = end;
    }
  }

  /**
   * Sizes the next range for about TARGET_EVENTS_PER_RANGE events, as graph-node does (its target triggers per block
   * range): small ranges where events are dense keep fetching and processing overlapped and memory bounded, large
   * ones where they are sparse save requests.
   */
  private adaptRangeSize(range: FetchedRange): void {
    const blocks = range.to - range.from + 1;
    const perBlock = range.events.length / blocks;
    const wanted = perBlock === 0 ? blocks * 2 : Math.floor(TARGET_EVENTS_PER_RANGE / perBlock);
    // At most twice the last range: events grow denser without warning (a deployment, then traffic).
    this.rangeSize = Math.max(1, Math.min(this.limit, wanted, blocks * 2));
    this.guessing = wanted > blocks * 2 && this.rangeSize > 1;
  }

  /** Blocks the next range will span at most (for metrics and logs). */
  get blockLimit(): number {
    return Math.min(this.limit, this.rangeSize);
  }

  /**
   * After a refused eth_getLogs of [from, to]: halves the limit below that range's size (down to one block), so that
   * the range is asked for again in smaller pieces, and returns the error to throw; other errors are returned as
   * they are.
   */
  private logsRefused(error: unknown, from: number, to: number): unknown {
    const rateLimited = isRateLimited(error);
    if (!rateLimited && !isRangeTooLarge(error)) return error;
    this.refusedLogRequests += 1;
    this.successes = 0;
    const blocks = to - from + 1;
    this.limit = Math.max(1, Math.min(this.limit, Math.floor(blocks / 2)));
    this.rangeSize = Math.min(this.rangeSize, this.limit);
    return new LogsRequestError(error as Error, from, to, rateLimited, blocks > 1);
  }

  private logsServed(): void {
    this.successes += 1;
    if (this.successes >= SUCCESSES_TO_GROW && this.limit < this.blockRange) {
      this.limit = Math.min(this.blockRange, this.limit * 2);
      this.successes = 0;
    }
  }

  /**
   * Logs of [from, to] for the data sources, in order, with their blocks requested (in chunks of about
   * EVENTS_PER_BLOCK_REQUEST events); undefined when the first block is missing. That each block is the one its logs
   * name is checked as it is processed (blockMatchesLogs).
   */
  private async fetchRange(from: number, to: number): Promise<FetchedRange | undefined> {
    let logs: RpcLog[];
    try {
      logs = await this.rpc.call<RpcLog[]>("eth_getLogs", [
        { fromBlock: toHex(from), toBlock: toHex(to), address: this.addresses, topics: [this.topics] },
      ]);
    } catch (error) {
      throw this.logsRefused(error, from, to);
    }
    this.logsServed();
    const events: PendingEvent[] = [];
    for (const log of logs) {
      const dataSource = this.byAddress.get(log.address.toLowerCase());
      const binding = dataSource?.handlers.get(log.topics[0] ?? "");
      if (dataSource === undefined || binding === undefined) continue;
      if (hexToNumber(log.blockNumber) < dataSource.startBlock || log.removed === true) continue;
      events.push({ dataSource, binding, log });
    }
    events.sort(
      (a, b) =>
        hexToNumber(a.log.blockNumber) - hexToNumber(b.log.blockNumber) ||
        hexToNumber(a.log.logIndex) - hexToNumber(b.log.logIndex),
    );
    const eventsIn = new Map<number, number>();
    for (const event of events) {
      const number = hexToNumber(event.log.blockNumber);
      eventsIn.set(number, (eventsIn.get(number) ?? 0) + 1);
    }
    const numbers = [...new Set([from, ...eventsIn.keys(), to])].sort((a, b) => a - b);
    const blocks = new Map<number, PendingBlock>();
    let chunk: number[] = [];
    let chunkEvents = 0;
    const request = () => {
      const slice = chunk;
      const replies = this.rpc.batch<RpcBlock | null>(
        slice.map((n) => ({ method: "eth_getBlockByNumber", params: [toHex(n), true] })),
      );
      replies.catch(() => {}); // an error surfaces when a block of this chunk is awaited
      slice.forEach((number, j) => {
        const pending: PendingBlock = { promise: replies.then((r) => r[j] ?? null), loaded: false };
        pending.promise.then(
          (value) => {
            pending.loaded = true;
            pending.value = value;
          },
          () => {},
        );
        blocks.set(number, pending);
      });
      chunk = [];
      chunkEvents = 0;
    };
    for (const number of numbers) {
      chunk.push(number);
      chunkEvents += eventsIn.get(number) ?? 0;
      if (chunkEvents >= EVENTS_PER_BLOCK_REQUEST || chunk.length >= BLOCKS_PER_REQUEST) request();
    }
    if (chunk.length > 0) request();
    const fromBlock = await blocks.get(from)!.promise;
    if (fromBlock === null) return undefined;
    return { from, to, events, blocks, fromBlock };
  }
}

/**
 * Whether `block` is the block that the logs of `events[index]`'s block name: not, while a reorganisation is under
 * way (the logs came from one chain, the block from another).
 */
export function blockMatchesLogs(block: RpcBlock, events: readonly PendingEvent[], index: number): boolean {
  const blockNumber = events[index]!.log.blockNumber;
  for (let i = index; i < events.length && events[i]!.log.blockNumber === blockNumber; i++) {
    if (events[i]!.log.blockHash !== block.hash) return false;
  }
  return true;
}
