// An indexer on a test chain's deployment, synced to the latest block (the setup of every mapping and query test).
import { openIndexer, type IndexerApp } from "../../src/app.js";

export async function syncedIndexer(rpcUrl: string, deploymentPath: string, databasePath: string): Promise<IndexerApp> {
  const app = openIndexer({ rpcUrl, deploymentPath, databasePath });
  await app.indexer.syncToLatest();
  return app;
}
