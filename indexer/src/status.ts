// Operations endpoints: the indexing status in the shape of graph-node's index-node GraphQL API (a compatible subset
// of `indexingStatuses`, `indexingStatusForCurrentVersion` and `indexingStatusesForSubgraphName`), and Prometheus
// metrics in the text exposition format. Both are served on the query server's port by default, or on ports of their
// own (graph-node's are 8030 and 8040).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { buildSchema, execute, GraphQLError, parse, validate, type GraphQLSchema } from "graphql";
import type { QueryExecutor } from "./graphql/executor.js";
import type { Indexer } from "./indexer.js";
import { tableName, type EntityStore } from "./store.js";

export const DEFAULT_STATUS_PATH = "/index-node/graphql";
export const DEFAULT_METRICS_PATH = "/metrics";

/** Upper bounds (seconds) of the query latency histogram's buckets. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** Counts and latencies of GraphQL requests, as the query server observes them. */
export class QueryMetrics {
  count = 0;
  sumSeconds = 0;
  /** Requests per bucket of LATENCY_BUCKETS (not cumulative; the last slot is above every bound). */
  readonly buckets = new Array<number>(LATENCY_BUCKETS.length + 1).fill(0);

  observe(seconds: number): void {
    this.count += 1;
    this.sumSeconds += seconds;
    let i = 0;
    while (i < LATENCY_BUCKETS.length && seconds > LATENCY_BUCKETS[i]!) i++;
    this.buckets[i]! += 1;
  }
}

/** A request handler for one path. */
export type Route = (request: IncomingMessage, response: ServerResponse) => void;

export interface StatusSource {
  store: EntityStore;
  indexer: Indexer;
  /** The name the subgraph is served under (`/subgraphs/name/<name>`). */
  subgraphName: string;
  network: string;
  /** The deployment id reported as `subgraph` (as `_meta.deployment`). */
  deployment: string;
  executor?: QueryExecutor;
  queries?: QueryMetrics;
}

const STATUS_SDL = `
"A number as decimal text, as graph-node's index-node serves it."
scalar BigInt
"Hex text."
scalar Bytes
enum Health { healthy unhealthy failed }
type Query {
  indexingStatuses(subgraphs: [String!]): [SubgraphIndexingStatus!]!
  indexingStatusForCurrentVersion(subgraphName: String!): SubgraphIndexingStatus
  indexingStatusesForSubgraphName(subgraphName: String!): [SubgraphIndexingStatus!]!
}
type SubgraphIndexingStatus {
  subgraph: String!
  synced: Boolean!
  health: Health!
  fatalError: SubgraphError
  nonFatalErrors: [SubgraphError!]!
  chains: [ChainIndexingStatus!]!
  entityCount: BigInt!
  node: String
  paused: Boolean
}
type SubgraphError {
  message: String!
  block: EthereumBlock
  handler: String
  deterministic: Boolean!
}
interface ChainIndexingStatus {
  network: String!
  chainHeadBlock: Block
  earliestBlock: EarliestBlock
  latestBlock: Block
  lastHealthyBlock: Block
}
type EthereumIndexingStatus implements ChainIndexingStatus {
  network: String!
  chainHeadBlock: Block
  earliestBlock: EarliestBlock
  latestBlock: Block
  lastHealthyBlock: Block
}
"graph-node's hash is non-null; here the chain head's is null (only its number is polled)."
interface Block { hash: Bytes number: BigInt! }
type EthereumBlock implements Block { hash: Bytes number: BigInt! }
type EarliestBlock { hash: Bytes number: BigInt! }
`;

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "access-control-allow-origin": "*",
  });
  response.end(text);
}

/** The status of the one subgraph this indexer runs, as graph-node's SubgraphIndexingStatus. */
function indexingStatus(source: StatusSource): Record<string, unknown> {
  const { store, indexer } = source;
  const head = store.head();
  const error = store.getMeta("indexing_error");
  const errorBlock = store.getMeta("indexing_error_block");
  const block = (pointer: { number: number; hash?: string | null } | undefined) =>
    pointer === undefined
      ? null
      : { __typename: "EthereumBlock", number: String(pointer.number), hash: pointer.hash ?? null };
  const chainHead = indexer.chainHead;
  return {
    subgraph: source.deployment,
    synced: indexer.synced,
    health: error === undefined ? "healthy" : "failed",
    fatalError:
      error === undefined
        ? null
        : {
            message: error,
            block: errorBlock === undefined ? null : block(JSON.parse(errorBlock) as { number: number; hash: string }),
            handler: null,
            // Mapping failures are deterministic (the same block fails again); RPC failures are retried, not fatal.
            deterministic: true,
          },
    nonFatalErrors: [],
    chains: [
      {
        __typename: "EthereumIndexingStatus",
        network: source.network,
        chainHeadBlock: chainHead < 0 ? null : block({ number: chainHead }),
        earliestBlock: { number: String(indexer.startBlock), hash: null },
        latestBlock: block(head),
        lastHealthyBlock: error === undefined ? null : block(head),
      },
    ],
    // Counted only when asked for (a scan of each table's current versions).
    entityCount: () => String(countEntities(store)),
    node: null,
    paused: false,
  };
}

function countEntities(store: EntityStore): number {
  let total = 0;
  for (const entity of store.schema.entities.values()) {
    const row = store
      .statement(`SELECT count(*) AS n FROM ${tableName(entity.name)} WHERE _block_to IS NULL`)
      .get() as {
      n: number;
    };
    total += row.n;
  }
  return total;
}

/** The index-node status API: POST (or GET with `?query=`) GraphQL over the subset above. */
export function statusRoute(source: StatusSource): Route {
  const schema: GraphQLSchema = buildSchema(STATUS_SDL);
  const matches = (subgraphName: string) => subgraphName === source.subgraphName;
  const rootValue = {
    indexingStatuses: ({ subgraphs }: { subgraphs?: string[] | null }) =>
      subgraphs === undefined || subgraphs === null || subgraphs.includes(source.deployment)
        ? [indexingStatus(source)]
        : [],
    indexingStatusForCurrentVersion: ({ subgraphName }: { subgraphName: string }) =>
      matches(subgraphName) ? indexingStatus(source) : null,
    indexingStatusesForSubgraphName: ({ subgraphName }: { subgraphName: string }) =>
      matches(subgraphName) ? [indexingStatus(source)] : [],
  };
  const run = (query: string, variables: Record<string, unknown> | undefined) => {
    let document;
    try {
      document = parse(query);
    } catch (error) {
      return { errors: [error as GraphQLError] };
    }
    const errors = validate(schema, document);
    if (errors.length > 0) return { errors };
    return execute({ schema, document, rootValue, variableValues: variables });
  };
  return (request, response) => {
    if (request.method === "GET") {
      const query = new URL(request.url ?? "/", "http://localhost").searchParams.get("query");
      if (query === null) return sendJson(response, 400, { errors: [{ message: "Send a GraphQL `query`" }] });
      return sendJson(response, 200, run(query, undefined));
    }
    if (request.method !== "POST") return sendJson(response, 405, { errors: [{ message: "Use GET or POST" }] });
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > 64 * 1024) request.destroy();
      else chunks.push(chunk);
    });
    request.on("end", () => {
      let body: { query?: unknown; variables?: unknown };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as typeof body;
      } catch {
        return sendJson(response, 400, { errors: [{ message: "The request body is not valid JSON" }] });
      }
      if (typeof body?.query !== "string") {
        return sendJson(response, 400, { errors: [{ message: "The request must be JSON with a `query` string" }] });
      }
      sendJson(response, 200, run(body.query, (body.variables ?? undefined) as Record<string, unknown> | undefined));
    });
  };
}

/** Prometheus text exposition of the indexer's and the query server's figures. */
export function metricsText(source: StatusSource): string {
  const { store, indexer, executor, queries } = source;
  const labels = `{network="${source.network}",subgraph="${source.subgraphName}"}`;
  const lines: string[] = [];
  const metric = (name: string, type: "gauge" | "counter", help: string, value: number) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name}${labels} ${value}`);
  };
  const head = store.head()?.number ?? indexer.startBlock - 1;
  const chainHead = indexer.chainHead;
  if (chainHead >= 0) {
    metric("curia_indexer_chain_head_block", "gauge", "Latest block of the chain, as last polled.", chainHead);
  }
  metric("curia_indexer_indexed_head_block", "gauge", "Last block fully indexed (-1 before the first).", head);
  if (chainHead >= 0) {
    metric(
      "curia_indexer_lag_blocks",
      "gauge",
      "Blocks between the chain head and the indexed head.",
      Math.max(0, chainHead - head),
    );
  }
  metric(
    "curia_indexer_events_processed_total",
    "counter",
    "Events handled and committed since start.",
    indexer.eventsProcessed,
  );
  metric(
    "curia_indexer_failed",
    "gauge",
    "1 when a mapping failed and indexing stopped.",
    indexer.indexingError ? 1 : 0,
  );
  metric(
    "curia_indexer_synced",
    "gauge",
    "1 once the indexed head has reached the chain head.",
    indexer.synced ? 1 : 0,
  );
  metric(
    "curia_indexer_sync_errors_total",
    "counter",
    "Failed syncs (RPC errors, refusals), retried.",
    indexer.syncErrors,
  );
  metric(
    "curia_indexer_refused_log_requests_total",
    "counter",
    "eth_getLogs requests refused as too large or rate-limited.",
    indexer.refusedLogRequests,
  );
  metric(
    "curia_indexer_log_block_range",
    "gauge",
    "Blocks the next eth_getLogs request spans at most.",
    indexer.blockLimit,
  );
  if (queries !== undefined) {
    metric("curia_indexer_queries_total", "counter", "GraphQL requests answered.", queries.count);
    const name = "curia_indexer_query_duration_seconds";
    lines.push(`# HELP ${name} Time to answer a GraphQL request (execution, from its parsed body).`);
    lines.push(`# TYPE ${name} histogram`);
    let cumulative = 0;
    const base = labels.slice(1, -1);
    LATENCY_BUCKETS.forEach((bound, i) => {
      cumulative += queries.buckets[i]!;
      lines.push(`${name}_bucket{${base},le="${bound}"} ${cumulative}`);
    });
    lines.push(`${name}_bucket{${base},le="+Inf"} ${queries.count}`);
    lines.push(`${name}_sum${labels} ${queries.sumSeconds}`);
    lines.push(`${name}_count${labels} ${queries.count}`);
  }
  if (executor !== undefined) {
    metric(
      "curia_indexer_query_cache_hits_total",
      "counter",
      "Responses served from the result cache.",
      executor.cacheHits,
    );
    metric(
      "curia_indexer_query_cache_misses_total",
      "counter",
      "Responses computed (not in the result cache).",
      executor.cacheMisses,
    );
  }
  return `${lines.join("\n")}\n`;
}

export function metricsRoute(source: StatusSource): Route {
  return (request, response) => {
    if (request.method !== "GET") return sendJson(response, 405, { errors: [{ message: "Use GET" }] });
    const text = metricsText(source);
    response.writeHead(200, {
      "content-type": "text/plain; version=0.0.4; charset=utf-8",
      "content-length": Buffer.byteLength(text),
    });
    response.end(text);
  };
}

/** A server of `routes` only (for the status or metrics endpoint on a port of its own). */
export function createRoutesServer(routes: ReadonlyMap<string, Route>): Server {
  return createServer((request, response) => {
    const target = request.url ?? "/";
    const queryStart = target.indexOf("?");
    const route = routes.get(queryStart < 0 ? target : target.slice(0, queryStart));
    if (route === undefined) {
      return sendJson(response, 404, {
        errors: [{ message: `Nothing at ${target}; try ${[...routes.keys()].join(", ")}` }],
      });
    }
    try {
      route(request, response);
    } catch (error) {
      if (!response.headersSent) sendJson(response, 500, { errors: [{ message: (error as Error).message }] });
      else response.end();
    }
  });
}
