// The indexing loop: takes the next range of blocks past the indexed head (range-fetcher.ts), runs its events through
// the subgraph's handlers block by block (mapping-runner.ts), and writes each block's changes in SQLite transactions
// that end with the new head, so that queries never see a half-written block and a killed indexer resumes where it
// stopped. It also notices when the indexed head has left the chain and rolls back the reorganised blocks, and stops
// at a block whose handler fails (as a failed subgraph in graph-node).
import { EventEmitter } from "node:events";
import { BlockStore } from "./block-store.js";
import { hexToNumber, JsonRpcClient, toHex, type RpcBlock } from "./chain.js";
import { MappingRunner } from "./mapping-runner.js";
import {
  blockMatchesLogs,
  LogsRequestError,
  RangeFetcher,
  type FetchedRange,
  type PendingEvent,
} from "./range-fetcher.js";
import type { BlockPointer, EntityStore } from "./store.js";
import type { LoadedSubgraph } from "./subgraph.js";
import { MappingError, type HostLogger } from "./wasm/host.js";

// Exported from here before the decoding had its own module: importers of it need not change.
export { toChainBlock } from "./event-decoding.js";

export interface IndexerOptions {
  store: EntityStore;
  subgraph: LoadedSubgraph;
  rpc: JsonRpcClient;
  /** Blocks per eth_getLogs request. */
  blockRange?: number;
  /** How often to look for a new block when caught up, in ms. */
  pollIntervalMs?: number;
  /** Pause after each batch while catching up, in ms (to be gentle with rate-limited public endpoints). */
  batchDelayMs?: number;
  /** How many indexed blocks to compare when looking for a reorg's common ancestor. */
  reorgWindow?: number;
  /**
   * Pause after a failed sync, in ms: `retryMinMs` after the first failure, doubling with each failure in a row up to
   * `retryMaxMs`, each with up to half of it taken off at random (so that indexers refused together do not come back
   * together). An eth_getLogs range refused for its size is retried at half the size after `retryMinMs`.
   */
  retryMinMs?: number;
  retryMaxMs?: number;
  log?: (message: string) => void;
  mappingLog?: HostLogger;
}

/**
 * While a range is processed, what is done is committed and the event loop let go after this much CPU time (ms):
 * queries are answered, and the requests for the ranges ahead (and their replies) move on while this one is
 * processed, instead of waiting behind it. Each commit is a consistent state: every block up to the head it records.
 * CPU time, not wall time: on a busy machine the wall clock runs on while the process waits for a core, and slices
 * of wall time then held ever less work, each paying a whole commit (at a load of 20 on 2 cores, three times as many
 * commits for the same blocks).
 */
const COMMIT_INTERVAL_MS = 50;

/** CPU time this process has used, in ms (user and system, all its threads). */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** What the store keeps of a block: number, hash, and (for `_meta.block`) timestamp and parent hash. */
function blockPointer(block: RpcBlock): BlockPointer {
  return {
    number: hexToNumber(block.number),
    hash: block.hash,
    timestamp: hexToNumber(block.timestamp),
    parentHash: block.parentHash,
  };
}

export class Indexer extends EventEmitter {
  private readonly store: EntityStore;
  private readonly subgraph: LoadedSubgraph;
  private readonly rpc: JsonRpcClient;
  private readonly fetcher: RangeFetcher;
  private readonly pollIntervalMs: number;
  private readonly reorgWindow: number;
  private readonly batchDelayMs: number;
  private readonly log: (message: string) => void;
  private readonly mappingLog: HostLogger;
  private running = false;
  /** Set by stop(): a range being processed ends at its next commit. */
  private stopping = false;
  private wake: (() => void) | undefined;
  /** Events handled and committed since this process started. */
  eventsProcessed = 0;
  /** Syncs that failed (RPC errors, refused requests) since this process started. */
  syncErrors = 0;
  /** Failed syncs in a row (the backoff's exponent); 0 after a sync that went through. */
  private failuresInRow = 0;
  private readonly retryMinMs: number;
  private readonly retryMaxMs: number;
  /**
   * The mapping instances, kept from range to range: a fresh instance's memory is paid in page faults, and ranges are
   * small where events are dense (see range-fetcher.ts). Instances keep nothing of the store between events (every
   * read goes through the block's view), so a reorganisation or a restart of the loop needs no fresh ones.
   */
  private mappings: MappingRunner | undefined;
  /** Events committed before and since the last ANALYZE. */
  private eventsAtAnalyze = 0;
  private eventsSinceAnalyze = 0;

  constructor(options: IndexerOptions) {
    super();
    this.store = options.store;
    this.subgraph = options.subgraph;
    this.rpc = options.rpc;
    this.fetcher = new RangeFetcher(this.rpc, this.subgraph.dataSources, options.blockRange ?? 2000);
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    this.reorgWindow = options.reorgWindow ?? 1000;
    this.batchDelayMs = options.batchDelayMs ?? 0;
    this.retryMinMs = options.retryMinMs ?? 250;
    this.retryMaxMs = Math.max(this.retryMinMs, options.retryMaxMs ?? 30_000);
    this.log = options.log ?? (() => {});
    this.mappingLog = options.mappingLog ?? ((level, message) => this.log(`mapping ${level}: ${message}`));
  }

  get indexingError(): string | undefined {
    return this.store.getMeta("indexing_error");
  }

  /** The chain's latest block as last seen (-1 before the first look). */
  get chainHead(): number {
    return this.fetcher.latest;
  }

  /** Blocks the next eth_getLogs request spans at most (lowered while the endpoint refuses large ranges). */
  get blockLimit(): number {
    return this.fetcher.blockLimit;
  }

  /** eth_getLogs requests refused for their size or rate since the start. */
  get refusedLogRequests(): number {
    return this.fetcher.refusedLogRequests;
  }

  /** The first block of any data source (the index starts there). */
  get startBlock(): number {
    return this.subgraph.dataSources.length === 0
      ? 0
      : Math.min(...this.subgraph.dataSources.map((ds) => ds.startBlock));
  }

  /** Whether the indexed head has reached the chain head since start (graph-node's `synced`; it stays true). */
  synced = false;

  /**
   * Indexes what the chain has beyond the head, up to `blockRange` blocks. Returns false when there was nothing to
   * do (caught up, failed, or no data source). While catching up, the next range is fetched while this one is
   * processed.
   */
  async syncOnce(): Promise<boolean> {
    if (this.subgraph.dataSources.length === 0 || this.indexingError !== undefined) return false;
    const head = this.store.head();
    const from = head === undefined ? this.startBlock : head.number + 1;
    // Only a range fetched ahead that continues the head is used; anything else goes through the checks below.
    let range = await this.fetcher.takePrefetched(from, head);
    if (range === undefined) {
      // One request for both (a poll runs every few ms while idle; each request costs both ends some CPU).
      const [latestHex, headBlock] = (await this.rpc.batch<unknown>([
        { method: "eth_blockNumber", params: [] },
        ...(head === undefined ? [] : [{ method: "eth_getBlockByNumber", params: [toHex(head.number), false] }]),
      ])) as [string, (RpcBlock | null)?];
      if (head !== undefined && headBlock?.hash !== head.hash) {
        await this.rollBackReorg();
        return true;
      }
      this.fetcher.latest = hexToNumber(latestHex);
      if (from > this.fetcher.latest) {
        this.synced = true;
        return false;
      }
      range = await this.fetcher.fetchFrom(from);
      // A log from a block that is no longer canonical: a reorg is under way, try again.
      if (range === undefined) return true;
    }
    this.fetcher.fetchAhead(range);
    await this.processAndCommit(range);
    return true;
  }

  /**
   * Runs handlers block by block and commits, every COMMIT_INTERVAL_MS of CPU time, whenever a block is still on its way, and at
   * the end, each time with the head at the last block written, so that no query ever sees a half-written block. A
   * block that is not the one its logs name (a reorganisation under way) ends the range there; the next sync finds
   * the reorganisation.
   */
  private async processAndCommit(range: FetchedRange): Promise<void> {
    const { events, blocks } = range;
    const db = this.store.db;
    db.exec("BEGIN");
    let inTransaction = true;
    let sliceStarted = cpuMs();
    let committedHead = this.store.head();
    // Events of the blocks written since the last commit: counted once committed (a rolled-back block is redone).
    let uncommittedEvents = 0;
    const commit = () => {
      db.exec("COMMIT");
      inTransaction = false;
      this.eventsProcessed += uncommittedEvents;
      uncommittedEvents = 0;
    };
    // Commits what is done, lets the event loop run (queries, the ranges being fetched) until `until` settles, and
    // opens the next transaction; false when the indexer is stopping.
    const commitAndYield = async (until?: Promise<unknown>): Promise<boolean> => {
      if (committedHead !== undefined) this.store.setHead(committedHead);
      commit();
      if (committedHead !== undefined) this.emit("head", committedHead);
      await (until ?? new Promise<void>((resolve) => setImmediate(resolve)));
      if (this.stopping) return false;
      db.exec("BEGIN");
      inTransaction = true;
      sliceStarted = cpuMs();
      return true;
    };
    const blockAt = async (number: number): Promise<RpcBlock | null | undefined> => {
      const pending = blocks.get(number)!;
      if (!pending.loaded) {
        // A failed request rejects here: the range stops, what was committed stays.
        if (!(await commitAndYield(pending.promise.then(() => undefined)))) return undefined;
      }
      return pending.value ?? null;
    };
    const mappings = (this.mappings ??= new MappingRunner(this.store, this.subgraph.network, this.mappingLog));
    try {
      let index = 0;
      while (index < events.length) {
        const blockNumber = hexToNumber(events[index]!.log.blockNumber);
        const rpcBlock = await blockAt(blockNumber);
        if (rpcBlock === undefined) return; // stopping
        // Null: the node no longer has the block.
        if (rpcBlock === null || !blockMatchesLogs(rpcBlock, events, index)) {
          this.log(`block ${blockNumber} changed while its range was indexed: stopping the range at the block before`);
          if (committedHead !== undefined) this.store.setHead(committedHead);
          commit();
          return;
        }
        const blockEvents: PendingEvent[] = [];
        while (index < events.length && hexToNumber(events[index]!.log.blockNumber) === blockNumber) {
          blockEvents.push(events[index]!);
          index += 1;
        }
        let changes: BlockStore;
        try {
          changes = mappings.runBlock(rpcBlock, blockEvents);
        } catch (error) {
          // A handler stopped half-way: its instances start afresh if indexing goes on (after a reorganisation).
          this.mappings = undefined;
          if (!(error instanceof MappingError)) throw error;
          // Deterministic failure: keep what came before this block, record the error, stop (as graph-node does).
          const message = `${error.message} (block ${blockNumber} ${rpcBlock.hash})`;
          this.store.setMeta("indexing_error", message);
          this.store.setMeta("indexing_error_block", JSON.stringify({ number: blockNumber, hash: rpcBlock.hash }));
          if (committedHead !== undefined) this.store.setHead(committedHead);
          commit();
          this.log(`indexing failed: ${message}`);
          this.emit("failed", message);
          return;
        }
        const pointer = blockPointer(rpcBlock);
        this.store.writeBlock(pointer, changes.changes, changes.absent);
        uncommittedEvents += blockEvents.length;
        committedHead = pointer;
        if (index < events.length && cpuMs() - sliceStarted >= COMMIT_INTERVAL_MS) {
          if (!(await commitAndYield())) return;
        }
      }
      const toBlock = await blockAt(range.to);
      if (toBlock === undefined) return; // stopping
      if (toBlock === null) throw new Error(`the node no longer has block ${range.to}`);
      const newHead = blockPointer(toBlock);
      this.store.setHead(newHead);
      commit();
      if (newHead.number >= this.fetcher.latest) this.synced = true;
      // Fresh statistics as the data grows let SQLite pick the right index for filtered, ordered queries: each time
      // the events indexed since the last analysis reach those before it (a doubling schedule, so linear in all),
      // with a bounded sample per index.
      this.eventsSinceAnalyze += events.length;
      if (this.eventsSinceAnalyze >= Math.max(1000, this.eventsAtAnalyze)) {
        this.eventsAtAnalyze += this.eventsSinceAnalyze;
        this.eventsSinceAnalyze = 0;
        db.exec("PRAGMA analysis_limit = 1000; ANALYZE;");
      }
      this.emit("head", newHead);
    } catch (error) {
      if (inTransaction) db.exec("ROLLBACK");
      this.store.invalidateMetaCache();
      throw error;
    }
  }

  /** Finds the newest indexed block still on the chain and rolls back everything after it. */
  private async rollBackReorg(): Promise<void> {
    const recent = this.store.recentBlocks(this.reorgWindow);
    let ancestor: BlockPointer | undefined;
    for (let i = 0; i < recent.length && ancestor === undefined; i += 100) {
      const slice = recent.slice(i, i + 100);
      const onChain = await this.rpc.batch<RpcBlock | null>(
        slice.map((b) => ({ method: "eth_getBlockByNumber", params: [toHex(b.number), false] })),
      );
      ancestor = slice.find((b, j) => onChain[j]?.hash === b.hash);
    }
    const head = this.store.head();
    this.log(
      `reorg: block ${head?.number} ${head?.hash} is gone; rolling back to ${ancestor === undefined ? "the start" : `block ${ancestor.number}`}`,
    );
    this.fetcher.dropPrefetched();
    this.mappings = undefined;
    this.store.rollbackTo(ancestor);
    this.emit("reorg", ancestor);
  }

  /**
   * The pause before retrying a failed sync: a range refused for its size is retried at half the size after
   * `retryMinMs` (the request, not the rate, was the problem), anything else after an exponentially growing pause.
   */
  private retryDelay(error: unknown): number {
    this.syncErrors += 1;
    if (error instanceof LogsRequestError && error.shrunk && !error.rateLimited) return this.retryMinMs;
    this.failuresInRow += 1;
    const ceiling = Math.min(this.retryMaxMs, this.retryMinMs * 2 ** Math.min(30, this.failuresInRow - 1));
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  }

  /** Follows the chain until `stop()`; failures are logged and retried after a backoff (see `retryDelay`). */
  async run(): Promise<void> {
    this.running = true;
    this.stopping = false;
    while (this.running) {
      let progressed = false;
      let retryAfter: number | undefined;
      try {
        progressed = await this.syncOnce();
        this.failuresInRow = 0;
      } catch (error) {
        retryAfter = this.retryDelay(error);
        this.log(`sync error (retrying in ${retryAfter} ms): ${(error as Error).message}`);
        this.emit("retry", error, retryAfter);
      }
      const pause = retryAfter ?? (progressed ? this.batchDelayMs : this.pollIntervalMs);
      if (pause > 0 && this.running) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pause);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = undefined;
      }
    }
  }

  stop(): void {
    this.running = false;
    this.stopping = true;
    this.wake?.();
  }

  /** Indexes until the head reaches the chain's latest block (for tests and one-shot runs). */
  async syncToLatest(): Promise<void> {
    for (;;) {
      const latest = hexToNumber(await this.rpc.call<string>("eth_blockNumber"));
      const head = this.store.head();
      if (this.indexingError !== undefined) throw new Error(`indexing failed: ${this.indexingError}`);
      if (head !== undefined && head.number >= latest) {
        const block = await this.rpc.call<RpcBlock | null>("eth_getBlockByNumber", [toHex(head.number), false]);
        if (block?.hash === head.hash) return;
      }
      await this.syncOnce();
    }
  }
}
