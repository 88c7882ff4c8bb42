// Wiring of the local indexer: built subgraph + deployment file + database + RPC endpoint → indexer (+ server).
import { createHash } from "node:crypto";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { JsonRpcClient } from "./chain.js";
import { Indexer } from "./indexer.js";
import { EntityStore, STORE_FORMAT } from "./store.js";
import { WalCheckpointer } from "./wal-checkpointer.js";
import { loadSubgraph, readDeploymentFile, type LoadedSubgraph } from "./subgraph.js";

export const DEFAULT_BUILD_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "subgraph", "build");

export interface IndexerConfig {
  rpcUrl: string;
  deploymentPath: string;
  databasePath: string;
  buildDir?: string;
  blockRange?: number;
  pollIntervalMs?: number;
  batchDelayMs?: number;
  /** Backoff after failed syncs (see IndexerOptions). */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** Checkpoint the write-ahead log from a worker thread instead of inside commits (default true). */
  backgroundCheckpoints?: boolean;
  log?: (message: string) => void;
}

export interface IndexerApp {
  subgraph: LoadedSubgraph;
  store: EntityStore;
  indexer: Indexer;
  rpc: JsonRpcClient;
  /** Stops indexing and closes the database (the returned promise settles after the last checkpoint). */
  close(): Promise<void>;
}

/**
 * Opens (or creates) the database for this subgraph and deployment. A database written for another schema or another
 * deployment (a restarted local chain with new addresses) is emptied, so stale entities are never served.
 */
export function openIndexer(config: IndexerConfig): IndexerApp {
  const log = config.log ?? (() => {});
  const deployment = readDeploymentFile(config.deploymentPath);
  const subgraph = loadSubgraph(config.buildDir ?? DEFAULT_BUILD_DIR, deployment);
  const identity = createHash("sha256")
    .update(`store format ${STORE_FORMAT}\n`)
    .update(subgraph.schemaSource)
    .update(JSON.stringify(subgraph.dataSources.map((ds) => [ds.name, ds.address, ds.startBlock])))
    .digest("hex");
  // A database of another schema (whose tables may lack new columns) or deployment is emptied before use.
  const store = new EntityStore(config.databasePath, subgraph.schema, identity);
  if (store.wasReset) log("schema or deployment changed since this database was written: starting afresh");
  // A failed run is retried on restart (the mapping may have been fixed), as a redeployed subgraph would be.
  store.deleteMeta("indexing_error");
  store.deleteMeta("indexing_error_block");
  let checkpointer: WalCheckpointer | undefined;
  if (config.backgroundCheckpoints !== false && config.databasePath !== ":memory:") {
    store.db.exec("PRAGMA wal_autocheckpoint = 0;");
    checkpointer = new WalCheckpointer(config.databasePath, { log });
  }
  const rpc = new JsonRpcClient(config.rpcUrl);
  const indexer = new Indexer({
    store,
    subgraph,
    rpc,
    blockRange: config.blockRange,
    pollIntervalMs: config.pollIntervalMs,
    batchDelayMs: config.batchDelayMs,
    retryMinMs: config.retryMinMs,
    retryMaxMs: config.retryMaxMs,
    log,
  });
  return {
    subgraph,
    store,
    indexer,
    rpc,
    close: () => {
      indexer.stop();
      store.close();
      return checkpointer?.close() ?? Promise.resolve();
    },
  };
}
