// `curia-indexer`: indexes the Curia subgraph from a JSON-RPC endpoint into a local SQLite database and serves The
// Graph's query API. Every flag has an environment variable, so `npm start` and CI can configure it either way.
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_BUILD_DIR, openIndexer } from "./app.js";
import { QueryExecutor } from "./graphql/executor.js";
import { createQueryServer } from "./server.js";

const USAGE = `Usage: curia-indexer [options]

  --rpc-url <url>          JSON-RPC endpoint            (CURIA_RPC_URL, default http://127.0.0.1:8545)
  --deployment <file>      deployments/<network>.json   (CURIA_DEPLOYMENT, default deployments/localhost.json)
  --database <file>        SQLite database              (CURIA_INDEXER_DB, default .curia/indexer.sqlite)
  --port <n>               GraphQL port, 0 for any free (CURIA_INDEXER_PORT, default 8000)
  --host <address>         interface to listen on       (CURIA_INDEXER_HOST, default 127.0.0.1)
  --subgraph <dir>         built subgraph (graph build)  (CURIA_SUBGRAPH_BUILD, default subgraph/build)
  --name <name>            served at /subgraphs/name/<name> (default curia)
  --block-range <n>        blocks per eth_getLogs       (CURIA_INDEXER_BLOCK_RANGE, default 2000)
  --poll-interval-ms <n>   new-block polling interval   (CURIA_INDEXER_POLL_MS, default 100)
  --batch-delay-ms <n>     pause between catch-up batches (CURIA_INDEXER_BATCH_DELAY_MS, default 0)
  --help
`;

async function main(): Promise<void> {
  const env = process.env;
  const { values } = parseArgs({
    options: {
      "rpc-url": { type: "string", default: env.CURIA_RPC_URL ?? "http://127.0.0.1:8545" },
      deployment: { type: "string", default: env.CURIA_DEPLOYMENT ?? "deployments/localhost.json" },
      database: { type: "string", default: env.CURIA_INDEXER_DB ?? ".curia/indexer.sqlite" },
      port: { type: "string", default: env.CURIA_INDEXER_PORT ?? "8000" },
      host: { type: "string", default: env.CURIA_INDEXER_HOST ?? "127.0.0.1" },
      subgraph: { type: "string", default: env.CURIA_SUBGRAPH_BUILD ?? DEFAULT_BUILD_DIR },
      name: { type: "string", default: "curia" },
      "block-range": { type: "string", default: env.CURIA_INDEXER_BLOCK_RANGE ?? "2000" },
      "poll-interval-ms": { type: "string", default: env.CURIA_INDEXER_POLL_MS ?? "100" },
      "batch-delay-ms": { type: "string", default: env.CURIA_INDEXER_BATCH_DELAY_MS ?? "0" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const log = (message: string) => console.log(`[indexer] ${message}`);
  const databasePath = resolve(values.database);
  mkdirSync(dirname(databasePath), { recursive: true });
  const app = openIndexer({
    rpcUrl: values["rpc-url"],
    deploymentPath: resolve(values.deployment),
    databasePath,
    buildDir: resolve(values.subgraph),
    blockRange: Number(values["block-range"]),
    pollIntervalMs: Number(values["poll-interval-ms"]),
    batchDelayMs: Number(values["batch-delay-ms"]),
    log,
  });
  const server = createQueryServer({ executor: new QueryExecutor(app.store), subgraphName: values.name });
  await new Promise<void>((resolveListen) => server.listen(Number(values.port), values.host, resolveListen));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : values.port;
  const head = app.store.head();
  log(`database ${databasePath}${head === undefined ? " (new)" : `, resuming after block ${head.number}`}`);
  log(`data sources: ${app.subgraph.dataSources.map((ds) => `${ds.name}@${ds.address}`).join(", ") || "none"}`);
  // The line tools wait for: the query endpoint is up.
  log(`GraphQL: http://${values.host}:${port}/subgraphs/name/${values.name}`);
  const shutdown = () => {
    app.indexer.stop();
    server.close();
    server.closeAllConnections();
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
  await app.indexer.run();
  await app.close();
}

main().catch((error: unknown) => {
  console.error(`curia-indexer: ${(error as Error).message}`);
  process.exit(1);
});
