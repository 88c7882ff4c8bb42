// `npm run bench:indexer`: indexing throughput, query latency under 50 concurrent clients, block-to-query lag and
// peak memory of the `curia-indexer` process, on a local Hardhat chain with ≥ 10,000 events and ≥ 10,000 entities.
// Figures go to stdout, benchmarks/indexer.md and benchmarks/indexer.json (with the machine's load around the run).
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { Interface, parseEther, Wallet } from "ethers";
import {
  deploySystem,
  freePort,
  REPO_ROOT,
  startHardhatNode,
  temporaryDirectory,
} from "../../scripts/drivers/local-chain.js";

const TRANSFERS = Number(process.env.BENCH_TRANSFERS ?? 5200);
const CLIENTS = 50;
const QUERIES = Number(process.env.BENCH_QUERIES ?? 10_000);
const WARMUP_QUERIES = 2_000;
const LAG_SAMPLES = 20;

async function rpc<T>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

async function rpcBatch(url: string, calls: { method: string; params: unknown[] }[]): Promise<void> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(calls.map((c, i) => ({ jsonrpc: "2.0", id: i, ...c }))),
  });
  const replies = (await response.json()) as { error?: { message: string } }[];
  const failed = replies.find((r) => r.error);
  if (failed) throw new Error(failed.error!.message);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

interface LoadRun {
  latencies: number[];
  seconds: number;
}

type LoadClient = "raw" | "node:http";

/**
 * Sends `count` queries from `clients` concurrent connections (see load-worker.mjs, in a worker thread so that it
 * shares this process's idle main thread, not the indexer's).
 */
async function loadTest(
  url: string,
  client: LoadClient,
  count: number,
  queryText: (i: number) => string,
): Promise<LoadRun> {
  const target = new URL(url);
  const bodies = Array.from({ length: count }, (_, i) => {
    const body = JSON.stringify({ query: queryText(i) });
    if (client === "node:http") return body;
    const head = `POST ${target.pathname} HTTP/1.1\r\nHost: ${target.host}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
    return Buffer.from(head + body);
  });
  const worker = new Worker(new URL("./load-worker.mjs", import.meta.url), {
    workerData: { url, clients: CLIENTS, bodies, client },
  });
  const reply = await new Promise<{ latencies?: Float64Array; seconds?: number; error?: string }>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  await worker.terminate();
  if (reply.error !== undefined) throw new Error(`load client (${client}): ${reply.error}`);
  return { latencies: [...reply.latencies!].sort((a, b) => a - b), seconds: reply.seconds! };
}

/**
 * Each client's latency against a server that answers a fixed 4 KB JSON body at once: what the client and this
 * machine add to any server's figures.
 */
async function clientFloor(client: LoadClient): Promise<LoadRun> {
  const answer = JSON.stringify({ data: { text: "x".repeat(4000) } });
  const server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(answer) });
      response.end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = server.address() as AddressInfo;
    return await loadTest(`http://127.0.0.1:${port}/`, client, QUERIES, () => "{ x }");
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

function latencyFigures(run: LoadRun): string {
  const n = run.latencies.length;
  return `p50 ${percentile(run.latencies, 50).toFixed(1)} ms, p99 ${percentile(run.latencies, 99).toFixed(1)} ms (${n} queries, ${Math.round(n / run.seconds)} queries/s)`;
}

const loadBefore = loadavg()[0]!;
const chain = await startHardhatNode();
const dir = temporaryDirectory("curia-bench-");
try {
  const system = await deploySystem(chain.url, dir.path);
  const tokenAddress = await system.token.getAddress();
  const token = new Interface(["function transfer(address,uint256)"]);

  // ≥ 10,000 events: Alice (self-delegated) pays new addresses: Transfer + DelegateVotesChanged each, packed into
  // blocks of hundreds of transactions with automine off.
  console.log(`generating ${TRANSFERS} transfers…`);
  await rpc(chain.url, "evm_setAutomine", [false]);
  let nonce = Number(await rpc<string>(chain.url, "eth_getTransactionCount", [system.alice.address, "pending"]));
  for (let i = 0; i < TRANSFERS; i += 200) {
    const calls = [];
    for (let j = i; j < Math.min(TRANSFERS, i + 200); j++) {
      const data = token.encodeFunctionData("transfer", [Wallet.createRandom().address, parseEther("1") + BigInt(j)]);
      calls.push({
        method: "eth_sendTransaction",
        params: [
          { from: system.alice.address, to: tokenAddress, data, gas: "0x186a0", nonce: `0x${(nonce++).toString(16)}` },
        ],
      });
    }
    await rpcBatch(chain.url, calls);
    await rpc(chain.url, "evm_mine", []);
  }
  while (
    (await rpc<{ transactions: unknown[] }>(chain.url, "eth_getBlockByNumber", ["pending", false])).transactions
      .length > 0
  ) {
    await rpc(chain.url, "evm_mine", []);
  }
  await rpc(chain.url, "evm_setAutomine", [true]);
  const latest = Number(await rpc<string>(chain.url, "eth_blockNumber"));

  // Index from scratch in the real CLI process.
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/subgraphs/name/curia`;
  const child = spawn(
    process.execPath,
    [
      // e.g. BENCH_INDEXER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the indexer process.
      ...(process.env.BENCH_INDEXER_NODE_ARGS ?? "").split(" ").filter(Boolean),
      // BENCH_INDEXER_BIN: another build's curia-indexer.mjs, to compare two versions on the same machine.
      process.env.BENCH_INDEXER_BIN ?? join(REPO_ROOT, "indexer", "bin", "curia-indexer.mjs"),
      "--rpc-url",
      chain.url,
      "--deployment",
      system.deploymentPath,
      "--database",
      join(dir.path, "bench.sqlite"),
      "--port",
      String(port),
      // The default polling interval (100 ms), as `npm start` runs it: polling costs CPU that queries then lack.
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("GraphQL:")) resolve();
    });
    child.once("exit", () => reject(new Error("indexer exited")));
  });
  const query = async (text: string) => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: text }),
    });
    const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data!;
  };
  const indexingStarted = performance.now();
  for (;;) {
    const meta = (await query("{ _meta { block { number } } }"))._meta as { block: { number: number } };
    if (meta.block.number >= latest) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const indexingSeconds = (performance.now() - indexingStarted) / 1000;
  // BENCH_INDEXING_ONLY=1: print the indexing throughput and stop (~15 s, for comparing builds quickly).
  if (process.env.BENCH_INDEXING_ONLY) {
    console.log(`indexing throughput: ${Math.round((TRANSFERS * 2) / indexingSeconds)} events/s`);
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
    await chain.stop();
    dir.remove();
    process.exit(0);
  }
  // Entities written: one Account per new holder and one VotingPowerChange per transfer, besides the fixed ones.
  const holders = ((await query(`{ protocol(id: "curia") { holderCount } }`)).protocol as { holderCount: number })
    .holderCount;
  const events = TRANSFERS * 2;
  const entityCount = holders + TRANSFERS;

  // Query latency at 50 concurrent clients, a mix of list, filter, nested and by-id queries.
  const alice = system.alice.address.toLowerCase();
  const mix = [
    `{ accounts(first: 100, orderBy: balance, orderDirection: desc) { id balance delegate { id } } }`,
    `{ votingPowerChanges(first: 50, where: { delegate: "${alice}" }, orderBy: blockNumber, orderDirection: desc) { newVotes timestamp } }`,
    `{ accounts(first: 20, skip: 500, where: { balance_gt: "1000000000000000000", balance_lt: "2000000000000000000000" }) { id balance } }`,
    `{ delegate(id: "${alice}") { votingPower delegatorCount votingPowerChanges(first: 10, orderBy: timestamp, orderDirection: desc) { newVotes } } }`,
    `{ _meta { block { number hash } hasIndexingErrors } protocol(id: "curia") { totalSupply holderCount delegatedVotes } }`,
  ];
  await Promise.all(mix.map(query)); // warm the parse cache
  // Every query of this mix differs (pages, thresholds, ids), so none is answered from the result cache (which admits a
  // result on its query's second sighting, and the ids of the by-id queries come round twice at most).
  const ids = ((await query(`{ accounts(first: 1000, orderBy: id) { id } }`)).accounts as { id: string }[]).map(
    (a) => a.id,
  );
  const uncached = (i: number, firstPage = 0): string => {
    const k = firstPage + Math.floor(i / 5);
    switch (i % 5) {
      case 0:
        return `{ accounts(first: 100, skip: ${k}, orderBy: balance, orderDirection: desc) { id balance delegate { id } } }`;
      case 1:
        return `{ votingPowerChanges(first: 50, skip: ${k}, where: { delegate: "${alice}" }, orderBy: blockNumber, orderDirection: desc) { newVotes timestamp } }`;
      case 2:
        return `{ accounts(first: 20, skip: ${k % 500}, where: { balance_gt: "${1_000_000_000_000_000_000n + BigInt(k)}", balance_lt: "2000000000000000000000" }) { id balance } }`;
      case 3:
        return `{ delegate(id: "${alice}") { votingPower delegatorCount votingPowerChanges(first: 10, skip: ${k}, orderBy: timestamp, orderDirection: desc) { newVotes } } }`;
      default:
        return `{ account(id: "${ids[k % ids.length]}") { id balance delegate { id } } protocol(id: "curia") { holderCount } }`;
    }
  };
  // Warm-up (not measured): the first distinct queries of each shape run through cold, unoptimised code and validate
  // their shapes; 2,000 queries of the same mix on pages that the measured run does not use.
  await loadTest(url, "raw", WARMUP_QUERIES, (i) => uncached(i, QUERIES / 5));
  const cachedRun = await loadTest(url, "raw", QUERIES, (i) => mix[i % mix.length]!);
  const uncachedRun = await loadTest(url, "raw", QUERIES, uncached);
  // The same with node:http's client. The distinct queries come a second time, which runs them again (a result is
  // cached on its second sighting and answered from the cache from its third).
  const nodeCachedRun = await loadTest(url, "node:http", QUERIES, (i) => mix[i % mix.length]!);
  const nodeUncachedRun = await loadTest(url, "node:http", QUERIES, uncached);
  // Lag from a mined block to that block being queryable.
  const lags: number[] = [];
  for (let i = 0; i < LAG_SAMPLES; i++) {
    const receipt = await (await system.token.connect(system.bob).transfer(Wallet.createRandom().address, 1n)).wait();
    const mined = performance.now();
    for (;;) {
      const meta = (await query("{ _meta { block { number } } }"))._meta as { block: { number: number } };
      if (meta.block.number >= receipt!.blockNumber) break;
      await new Promise((r) => setTimeout(r, 2));
    }
    lags.push(performance.now() - mined);
  }
  lags.sort((a, b) => a - b);
  const peak = peakRssMb(child.pid!);
  child.kill("SIGTERM");
  await new Promise((resolve) => child.once("exit", resolve));
  const rawFloor = await clientFloor("raw");
  const nodeHttpFloor = await clientFloor("node:http");
  // BENCH_KEEP_DB=<file>: keep a copy of the indexed database (to study query plans on it).
  if (process.env.BENCH_KEEP_DB) copyFileSync(join(dir.path, "bench.sqlite"), process.env.BENCH_KEEP_DB);

  // The machine's load (1-minute average) around the run: figures taken on a busy shared machine read accordingly.
  const load = `load average ${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after`;
  const lines = [
    `# Local indexer benchmark`,
    ``,
    `Written by \`npm run bench:indexer\` (${new Date().toISOString().slice(0, 10)}; ${cpus()[0]?.model ?? "cpu"}, ${availableParallelism()} cores, ${load}; Node ${process.version}).`,
    `Chain: Hardhat node, ${latest} blocks, ${events} indexed events (${TRANSFERS} CUR transfers to new holders, each Transfer + DelegateVotesChanged), ${entityCount}+ entities.`,
    `Latencies are measured by a load client on raw keep-alive sockets (indexer/bench/load-worker.mjs), in a worker thread after a warm-up of ${WARMUP_QUERIES} distinct queries; node:http's client, which earlier versions of this bench used, adds its own queueing on this 2-core machine (see its floor).`,
    ``,
    `| figure | value | target |`,
    `| --- | --- | --- |`,
    `| indexing throughput | ${Math.round(events / indexingSeconds)} events/s (${events} events in ${indexingSeconds.toFixed(2)} s) | ≥ 3,500 events/s |`,
    `| GraphQL latency, ${CLIENTS} concurrent clients, 5 repeated queries (result cache hits) | ${latencyFigures(cachedRun)} | p99 < 50 ms |`,
    `| GraphQL latency, ${CLIENTS} concurrent clients, every query distinct (cache misses) | ${latencyFigures(uncachedRun)} | p99 < 50 ms |`,
    `| the same two through node:http's client: repeated / distinct | ${latencyFigures(nodeCachedRun)} / ${latencyFigures(nodeUncachedRun)} | |`,
    `| the load clients' own floor (a server answering 4 KB at once): raw / node:http | ${latencyFigures(rawFloor)} / ${latencyFigures(nodeHttpFloor)} | |`,
    `| block mined → queryable | p50 ${percentile(lags, 50).toFixed(0)} ms, max ${lags[lags.length - 1]!.toFixed(0)} ms (${LAG_SAMPLES} blocks) | < 1 s |`,
    `| peak memory (RSS of the indexer process) | ${peak.toFixed(0)} MB | < 500 MB |`,
    ``,
  ];
  const report = lines.join("\n");
  console.log(`\n${report}`);
  writeFileSync(join(REPO_ROOT, "benchmarks", "indexer.md"), report);
  const latency = (run: LoadRun) => ({
    p50Ms: Number(percentile(run.latencies, 50).toFixed(1)),
    p99Ms: Number(percentile(run.latencies, 99).toFixed(1)),
    queries: run.latencies.length,
    queriesPerSecond: Math.round(run.latencies.length / run.seconds),
  });
  const figures = {
    date: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model ?? "cpu", cores: availableParallelism(), loadBefore, loadAfter: loadavg()[0]! },
    node: process.version,
    chain: { blocks: latest, events, transfers: TRANSFERS, entities: entityCount },
    indexing: { eventsPerSecond: Math.round(events / indexingSeconds), seconds: Number(indexingSeconds.toFixed(2)) },
    queries: {
      clients: CLIENTS,
      client: "raw sockets",
      repeated: latency(cachedRun),
      distinct: latency(uncachedRun),
      nodeHttpClient: { repeated: latency(nodeCachedRun), distinct: latency(nodeUncachedRun) },
      clientFloor: { raw: latency(rawFloor), nodeHttp: latency(nodeHttpFloor) },
    },
    blockToQueryMs: { p50: Math.round(percentile(lags, 50)), max: Math.round(lags[lags.length - 1]!) },
    peakRssMb: Math.round(peak),
  };
  writeFileSync(join(REPO_ROOT, "benchmarks", "indexer.json"), `${JSON.stringify(figures, null, 2)}\n`);
} finally {
  await chain.stop();
  dir.remove();
}
process.exit(0);
