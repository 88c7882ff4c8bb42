// `curia-indexer`: indexes the Curia subgraph from a JSON-RPC endpoint into a local SQLite database and serves The
// Graph's query API. Every flag has an environment variable, so `npm start` and CI can configure it either way.
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_BUILD_DIR, openIndexer } from "./app.js";
import { QueryExecutor } from "./graphql/executor.js";
import { createQueryServer } from "./server.js";
import {
  createRoutesServer,
  DEFAULT_METRICS_PATH,
  DEFAULT_STATUS_PATH,
  metricsRoute,
  QueryMetrics,
  statusRoute,
  type Route,
} from "./status.js";

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
  --retry-min-ms <n>       first pause after a failed sync, doubling  (CURIA_INDEXER_RETRY_MIN_MS, default 250)
  --retry-max-ms <n>       longest pause after failed syncs          (CURIA_INDEXER_RETRY_MAX_MS, default 30000)
  --status-path <path>     index-node status GraphQL    (CURIA_INDEXER_STATUS_PATH, default ${DEFAULT_STATUS_PATH})
  --status-port <n>        its own port (graph-node: 8030; 0 for any free) instead of the GraphQL port
                           (CURIA_INDEXER_STATUS_PORT, default: the GraphQL port)
  --metrics-path <path>    Prometheus metrics           (CURIA_INDEXER_METRICS_PATH, default ${DEFAULT_METRICS_PATH})
  --metrics-port <n>       its own port (graph-node: 8040; 0 for any free) instead of the GraphQL port
                           (CURIA_INDEXER_METRICS_PORT, default: the GraphQL port)
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
      "retry-min-ms": { type: "string", default: env.CURIA_INDEXER_RETRY_MIN_MS ?? "250" },
      "retry-max-ms": { type: "string", default: env.CURIA_INDEXER_RETRY_MAX_MS ?? "30000" },
      "status-path": { type: "string", default: env.CURIA_INDEXER_STATUS_PATH ?? DEFAULT_STATUS_PATH },
      "status-port": { type: "string", default: env.CURIA_INDEXER_STATUS_PORT ?? "" },
      "metrics-path": { type: "string", default: env.CURIA_INDEXER_METRICS_PATH ?? DEFAULT_METRICS_PATH },
      "metrics-port": { type: "string", default: env.CURIA_INDEXER_METRICS_PORT ?? "" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const log = (message: string) => console.log(`[indexer] ${message}`);
  const number = (flag: keyof typeof values, min: number): number => {
    const text = String(values[flag]);
    const value = Number(text);
    if (text === "" || !Number.isInteger(value) || value < min) {
      throw new Error(`--${flag} must be an integer of at least ${min}, not '${text}'`);
    }
    return value;
  };
  const optionalPort = (flag: "status-port" | "metrics-port") =>
    values[flag] === "" ? undefined : Math.min(number(flag, 0), 65535);
  for (const flag of ["status-path", "metrics-path"] as const) {
    if (!values[flag].startsWith("/")) throw new Error(`--${flag} must start with '/', not '${values[flag]}'`);
  }
  if (values["status-path"] === values["metrics-path"]) throw new Error("--status-path and --metrics-path are equal");
  const statusPort = optionalPort("status-port");
  const metricsPort = optionalPort("metrics-port");
  const retryMinMs = number("retry-min-ms", 1);
  const retryMaxMs = number("retry-max-ms", retryMinMs);
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
    retryMinMs,
    retryMaxMs,
    log,
  });
  const executor = new QueryExecutor(app.store);
  const queries = new QueryMetrics();
  const source = {
    store: app.store,
    indexer: app.indexer,
    subgraphName: values.name,
    network: app.subgraph.network,
    deployment: app.store.getMeta("identity") ?? "",
    executor,
    queries,
  };
  // Each endpoint goes on its own port if given one, else on the GraphQL port; endpoints given one port share it.
  const byPort = new Map<number | undefined, Map<string, Route>>();
  const routesOn = (port: number | undefined) => {
    let routes = byPort.get(port);
    if (routes === undefined) byPort.set(port, (routes = new Map()));
    return routes;
  };
  routesOn(statusPort).set(values["status-path"], statusRoute(source));
  routesOn(metricsPort).set(values["metrics-path"], metricsRoute(source));
  const server = createQueryServer({
    executor,
    subgraphName: values.name,
    metrics: queries,
    routes: byPort.get(undefined),
  });
  const servers = [server];
  const listen = async (target: typeof server, port: number): Promise<number> => {
    await new Promise<void>((resolveListen, rejectListen) => {
      target.once("error", (error) =>
        rejectListen(new Error(`cannot listen on ${values.host}:${port}: ${error.message}`)),
      );
      target.listen(port, values.host, resolveListen);
    });
    const address = target.address();
    return typeof address === "object" && address !== null ? address.port : port;
  };
  const port = await listen(server, Number(values.port));
  const endpoints: string[] = [];
  for (const [ownPort, routes] of byPort) {
    let actual = port;
    if (ownPort !== undefined) {
      const own = createRoutesServer(routes);
      servers.push(own);
      actual = await listen(own, ownPort);
    }
    for (const path of routes.keys()) endpoints.push(`http://${values.host}:${actual}${path}`);
  }
  const head = app.store.head();
  log(`database ${databasePath}${head === undefined ? " (new)" : `, resuming after block ${head.number}`}`);
  log(`data sources: ${app.subgraph.dataSources.map((ds) => `${ds.name}@${ds.address}`).join(", ") || "none"}`);
  log(`status and metrics: ${endpoints.join(", ")}`);
  // The line tools wait for: the query endpoint is up.
  log(`GraphQL: http://${values.host}:${port}/subgraphs/name/${values.name}`);
  const shutdown = () => {
    app.indexer.stop();
    for (const each of servers) {
      each.close();
      each.closeAllConnections();
    }
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
