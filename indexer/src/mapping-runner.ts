// Running a range's events through the subgraph's handlers, block by block. One WASM instance per data source serves
// all the blocks of all the ranges (not one per block), each block with its own BlockStore view, whose changes the
// indexer then writes; a fresh instance replaces one whose memory has grown past MAX_INSTANCE_MEMORY, as the stub
// runtime that graph-cli builds with never frees. Each event reaches its handler as graph-ts's `ethereum.Event`, with
// its block, transaction and decoded params (event-decoding.ts).
import { BlockStore } from "./block-store.js";
import type { RpcBlock, RpcTransaction } from "./chain.js";
import { decodeParams, toChainBlock, toChainTransaction } from "./event-decoding.js";
import type { PendingEvent } from "./range-fetcher.js";
import type { EntityStore } from "./store.js";
import { MappingInstance, type ChainEvent, type HostLogger, type MappingContext } from "./wasm/host.js";

/** A fresh instance once memory passes this size: the stub runtime never frees. */
const MAX_INSTANCE_MEMORY = 16 * 1024 * 1024;

/** A mapping instance and the context its host functions read (the store is switched block by block). */
interface InstanceSlot {
  instance: MappingInstance;
  context: MappingContext;
}

/**
 * The mappings of the ranges the indexer processes: kept from range to range, made afresh after a failed handler or a
 * reorganisation.
 */
export class MappingRunner {
  /** By data source name. */
  private readonly instances = new Map<string, InstanceSlot>();

  constructor(
    private readonly store: EntityStore,
    private readonly network: string,
    private readonly log: HostLogger,
  ) {}

  /**
   * Runs the handlers of one block's events, in order, and returns the block's store view with its changes; throws
   * MappingError when a handler fails.
   */
  runBlock(rpcBlock: RpcBlock, events: readonly PendingEvent[]): BlockStore {
    const block = toChainBlock(rpcBlock);
    const transactions = new Map<string, RpcTransaction>();
    for (const tx of rpcBlock.transactions) if (typeof tx !== "string") transactions.set(tx.hash, tx);
    const blockStore = new BlockStore(this.store);
    for (const { dataSource, binding, log } of events) {
      let slot = this.instances.get(dataSource.name);
      if (slot === undefined || slot.instance.memoryBytes > MAX_INSTANCE_MEMORY) {
        const context: MappingContext = {
          store: blockStore,
          dataSourceAddress: dataSource.address,
          network: this.network,
          log: this.log,
        };
        // The replaced instance's memory, cleared, serves the new one (see wasm/memory-import.ts).
        slot = { instance: new MappingInstance(dataSource.module, context, slot?.instance.release()), context };
        this.instances.set(dataSource.name, slot);
      }
      slot.context.store = blockStore;
      const instance = slot.instance;
      const tx = transactions.get(log.transactionHash);
      const event: ChainEvent = {
        address: log.address,
        logIndex: BigInt(log.logIndex),
        transactionLogIndex: BigInt(log.transactionLogIndex ?? log.logIndex),
        block,
        transaction: toChainTransaction(tx, log),
        params: decodeParams(dataSource, binding, log),
      };
      instance.handle(binding.handler, event);
    }
    return blockStore;
  }
}
