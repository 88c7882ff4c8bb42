// Operations endpoints: graph-node's index-node status subset and Prometheus metrics, fetched over HTTP while an
// indexer catches up with a real chain and then follows new blocks: heads, lag, events, queries and cache counters
// must move with what happened.
import { expect } from "chai";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { parseEther, Wallet } from "ethers";
import { openIndexer, type IndexerApp } from "../src/app.js";
import { QueryExecutor } from "../src/graphql/executor.js";
import { createQueryServer } from "../src/server.js";
import {
  createRoutesServer,
  DEFAULT_METRICS_PATH,
  DEFAULT_STATUS_PATH,
  metricsRoute,
  QueryMetrics,
  statusRoute,
  type StatusSource,
} from "../src/status.js";
import { sharedHardhatNode, temporaryDirectory, type LocalChain } from "./helpers/chain.js";
import { deploySystem, type DeployedSystem } from "./helpers/governance.js";

const STATUS_QUERY = `{ indexingStatuses { subgraph synced health fatalError { message } entityCount
  chains { network chainHeadBlock { number } earliestBlock { number } latestBlock { number hash } lastHealthyBlock { number } } } }`;

interface Status {
  subgraph: string;
  synced: boolean;
  health: string;
  fatalError: unknown;
  entityCount: string;
  chains: {
    network: string;
    chainHeadBlock: { number: string };
    earliestBlock: { number: string };
    latestBlock: { number: string; hash: string };
    lastHealthyBlock: unknown;
  }[];
}

/** `name{labels} value` lines of a Prometheus text exposition, by name (labels dropped; `le` kept for buckets). */
function parseMetrics(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const match = /^([a-z_]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (match === null) throw new Error(`not an exposition line: ${line}`);
    const le = /le="([^"]+)"/.exec(match[2] ?? "")?.[1];
    values.set(le === undefined ? match[1]! : `${match[1]}[${le}]`, Number(match[3]));
  }
  return values;
}

describe("status and metrics endpoints", function () {
  this.timeout(180_000);
  let chain: LocalChain;
  let dir: ReturnType<typeof temporaryDirectory>;
  let system: DeployedSystem;
  let app: IndexerApp;
  let server: Server;
  let metricsServer: Server;
  let base: string;
  let ownMetricsUrl: string;

  before(async () => {
    chain = await sharedHardhatNode();
    dir = temporaryDirectory("curia-status-");
    system = await deploySystem(chain.url, dir.path);
    // Ranges of 2 blocks: the first sync leaves the index behind the chain.
    app = openIndexer({
      rpcUrl: chain.url,
      deploymentPath: system.deploymentPath,
      databasePath: join(dir.path, "status.sqlite"),
      blockRange: 2,
    });
    const executor = new QueryExecutor(app.store);
    const queries = new QueryMetrics();
    const source: StatusSource = {
      store: app.store,
      indexer: app.indexer,
      subgraphName: "curia",
      network: app.subgraph.network,
      deployment: app.store.getMeta("identity")!,
      executor,
      queries,
    };
    const routes = new Map([
      [DEFAULT_STATUS_PATH, statusRoute(source)],
      [DEFAULT_METRICS_PATH, metricsRoute(source)],
    ]);
    server = createQueryServer({ executor, metrics: queries, routes });
    metricsServer = createRoutesServer(new Map([["/custom-metrics", metricsRoute(source)]]));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    await new Promise<void>((resolve) => metricsServer.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    ownMetricsUrl = `http://127.0.0.1:${(metricsServer.address() as AddressInfo).port}/custom-metrics`;
  });

  after(async () => {
    server?.close();
    metricsServer?.close();
    await app?.close();
    dir?.remove();
  });

  async function status(query = STATUS_QUERY): Promise<Record<string, unknown>> {
    const response = await fetch(`${base}${DEFAULT_STATUS_PATH}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query }),
    });
    expect(response.status).to.equal(200);
    const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown };
    expect(body.errors, JSON.stringify(body.errors)).to.equal(undefined);
    return body.data!;
  }

  async function metrics(url = `${base}${DEFAULT_METRICS_PATH}`): Promise<Map<string, number>> {
    const response = await fetch(url);
    expect(response.status).to.equal(200);
    expect(response.headers.get("content-type")).to.match(/^text\/plain; version=0\.0\.4/);
    return parseMetrics(await response.text());
  }

  const subgraphQuery = (query: string) =>
    fetch(`${base}/subgraphs/name/curia`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query }),
    }).then((r) => r.json());

  it("reports the lag while catching up, then synced and healthy, and moves with new blocks", async () => {
    const provider = system.connection.ethers.provider;
    const latest = await provider.getBlockNumber();

    // One range of 2 blocks: behind the chain.
    await app.indexer.syncOnce();
    const behind = ((await status()).indexingStatuses as Status[])[0]!;
    const head = app.store.head()!;
    expect(behind.synced).to.equal(false);
    expect(behind.health).to.equal("healthy");
    expect(behind.fatalError).to.equal(null);
    expect(behind.chains).to.have.length(1);
    expect(behind.chains[0]!.network).to.equal("localhost");
    expect(behind.chains[0]!.chainHeadBlock.number).to.equal(String(latest));
    expect(behind.chains[0]!.latestBlock).to.deep.equal({ number: String(head.number), hash: head.hash });
    expect(behind.chains[0]!.earliestBlock.number).to.equal(String(app.indexer.startBlock));
    const early = await metrics();
    expect(early.get("curia_indexer_chain_head_block")).to.equal(latest);
    expect(early.get("curia_indexer_indexed_head_block")).to.equal(head.number);
    expect(early.get("curia_indexer_lag_blocks"))
      .to.equal(latest - head.number)
      .and.be.greaterThan(0);
    expect(early.get("curia_indexer_synced")).to.equal(0);

    await app.indexer.syncToLatest();
    const synced = ((await status()).indexingStatuses as Status[])[0]!;
    expect(synced.synced).to.equal(true);
    expect(synced.chains[0]!.latestBlock.number).to.equal(String(latest));
    expect(Number(synced.entityCount)).to.be.greaterThan(0);
    const caughtUp = await metrics();
    expect(caughtUp.get("curia_indexer_indexed_head_block")).to.equal(latest);
    expect(caughtUp.get("curia_indexer_lag_blocks")).to.equal(0);
    expect(caughtUp.get("curia_indexer_synced")).to.equal(1);
    expect(caughtUp.get("curia_indexer_events_processed_total")).to.equal(app.indexer.eventsProcessed);
    expect(caughtUp.get("curia_indexer_events_processed_total")).to.be.greaterThan(
      early.get("curia_indexer_events_processed_total")!,
    );
    expect(caughtUp.get("curia_indexer_queries_total")).to.equal(0);

    // Three sightings of one query: computed twice (cached from the second), then served from the cache.
    for (let i = 0; i < 3; i++) await subgraphQuery(`{ accounts(first: 5) { id balance } }`);
    await subgraphQuery(`{ _meta { block { number } } }`);
    const queried = await metrics();
    expect(queried.get("curia_indexer_queries_total")).to.equal(4);
    expect(queried.get("curia_indexer_query_duration_seconds_count")).to.equal(4);
    expect(queried.get("curia_indexer_query_duration_seconds_bucket[+Inf]")).to.equal(4);
    expect(queried.get("curia_indexer_query_duration_seconds_sum")).to.be.greaterThan(0);
    expect(queried.get("curia_indexer_query_cache_hits_total")).to.equal(1);
    expect(queried.get("curia_indexer_query_cache_misses_total")).to.equal(3);

    // New blocks with events.
    for (let i = 0; i < 3; i++) {
      await (await system.token.connect(system.alice).transfer(Wallet.createRandom().address, parseEther("1"))).wait();
    }
    await app.indexer.syncToLatest();
    const later = await metrics(ownMetricsUrl);
    expect(later.get("curia_indexer_chain_head_block")).to.equal(latest + 3);
    expect(later.get("curia_indexer_indexed_head_block")).to.equal(latest + 3);
    expect(later.get("curia_indexer_lag_blocks")).to.equal(0);
    expect(later.get("curia_indexer_events_processed_total")).to.be.at.least(
      caughtUp.get("curia_indexer_events_processed_total")! + 3,
    );
    const moved = ((await status()).indexingStatuses as Status[])[0]!;
    expect(moved.chains[0]!.latestBlock.number).to.equal(String(latest + 3));
    expect(moved.chains[0]!.chainHeadBlock.number).to.equal(String(latest + 3));
  });

  it("answers graph-node's other status queries for this subgraph only", async () => {
    const deployment = app.store.getMeta("identity")!;
    const data = await status(`{
      byName: indexingStatusForCurrentVersion(subgraphName: "curia") { subgraph health }
      other: indexingStatusForCurrentVersion(subgraphName: "other") { subgraph }
      listed: indexingStatusesForSubgraphName(subgraphName: "curia") { subgraph }
      byId: indexingStatuses(subgraphs: ["${deployment}"]) { subgraph }
      none: indexingStatuses(subgraphs: ["QmOther"]) { subgraph }
      typed: indexingStatuses { chains { ... on EthereumIndexingStatus { network } } }
    }`);
    expect(data).to.deep.equal({
      byName: { subgraph: deployment, health: "healthy" },
      other: null,
      listed: [{ subgraph: deployment }],
      byId: [{ subgraph: deployment }],
      none: [],
      typed: [{ chains: [{ network: "localhost" }] }],
    });
    const bad = await fetch(`${base}${DEFAULT_STATUS_PATH}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ indexingStatuses { nope } }" }),
    });
    expect(((await bad.json()) as { errors: { message: string }[] }).errors[0]!.message).to.include("nope");
  });
});
