// `npm run bench:indexer`: indexing throughput, query latency under 50 concurrent clients, block-to-query lag and
// peak memory of the `curia-indexer` process, on a local Hardhat chain with ≥ 10,000 events and ≥ 10,000 entities.
// Figures go to stdout, benchmarks/indexer.md and benchmarks/indexer.json (with the machine's load around the run).
//
// Then Ponder (indexer/bench/ponder: a Ponder app from the npm registry with the subgraph's token handlers, installed
// on the first run) indexes the same chain, and the report gives both backfill throughputs, their ratio and the
// latency of the same queries on both. BENCH_PONDER=0 leaves Ponder out.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
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
const WITH_PONDER = process.env.BENCH_PONDER !== "0";
const PONDER_DIR = join(REPO_ROOT, "indexer", "bench", "ponder");
/** Queries per shape in the comparison with Ponder (after a warm-up of a tenth as many). */
const COMPARE_QUERIES = Number(process.env.BENCH_COMPARE_QUERIES ?? 2_000);

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

/**
 * CPU seconds (user + system, all threads) that process `pid` and its descendants have used so far: the figure that
 * the machine's load does not skew, unlike wall time (on a shared machine a process's wall time depends on how many
 * others compete for the cores).
 */
function cpuSeconds(pid: number): number {
  const ticks = 100; // USER_HZ: /proc reports in these units on Linux (getconf CLK_TCK)
  let total = 0;
  const visit = (id: number) => {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${id}/stat`, "utf8");
    } catch {
      return; // exited meanwhile
    }
    // Fields after the command name (which may hold spaces) in parentheses: utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    total += (Number(fields[11]) + Number(fields[12])) / ticks;
    let children = "";
    try {
      for (const task of readdirSync(`/proc/${id}/task`)) {
        children += ` ${readFileSync(`/proc/${id}/task/${task}/children`, "utf8")}`;
      }
    } catch {
      // exited meanwhile
    }
    for (const child of children.split(" ").filter(Boolean)) visit(Number(child));
  };
  visit(pid);
  return total;
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
  clients = CLIENTS,
): Promise<LoadRun> {
  const target = new URL(url);
  const bodies = Array.from({ length: count }, (_, i) => {
    const body = JSON.stringify({ query: queryText(i) });
    if (client === "node:http") return body;
    const head = `POST ${target.pathname} HTTP/1.1\r\nHost: ${target.host}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
    return Buffer.from(head + body);
  });
  const worker = new Worker(new URL("./load-worker.mjs", import.meta.url), {
    workerData: { url, clients, bodies, client },
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

/**
 * Installs the Ponder app's pinned dependencies (indexer/bench/ponder/package-lock.json) from the npm registry when
 * they are missing or differ from the lockfile: it is not a workspace, so the repository's `npm ci` never pays for it.
 */
function ensurePonderInstalled(): void {
  const installed = join(PONDER_DIR, "node_modules", ".package-lock.json");
  const wanted = (file: string) =>
    (JSON.parse(readFileSync(file, "utf8")) as { packages: Record<string, { version?: string }> }).packages[
      "node_modules/ponder"
    ]?.version;
  if (existsSync(installed) && wanted(installed) === wanted(join(PONDER_DIR, "package-lock.json"))) return;
  console.log("installing Ponder for the comparison (npm ci in indexer/bench/ponder, first run only)…");
  const result = spawnSync("npm", ["ci", "--workspaces=false", "--no-audit", "--no-fund"], {
    cwd: PONDER_DIR,
    stdio: "inherit",
  });
  if (result.status !== 0) throw new Error(`npm ci in ${PONDER_DIR} failed (status ${result.status})`);
}

/** Query texts of the comparison: the same query on both indexers, in each one's GraphQL dialect. */
const COMPARED = {
  /** Top 100 holders above a threshold that differs per query (so no result cache answers it). */
  topHolders: {
    local: (threshold: bigint) =>
      `{ accounts(first: 100, where: { balance_gt: "${threshold}" }, orderBy: balance, orderDirection: desc) { id balance } }`,
    ponder: (threshold: bigint) =>
      `{ accounts(limit: 100, where: { balance_gt: "${threshold}" }, orderBy: "balance", orderDirection: "desc") { items { id balance } } }`,
  },
  /** One account by id, a different one per query. */
  byId: {
    local: (id: string) => `{ account(id: "${id}") { id balance } }`,
    ponder: (id: string) => `{ account(id: "${id}") { id balance } }`,
  },
};

interface ComparedLatency {
  topHolders: LoadRun;
  byId: LoadRun;
}

/** The comparison's two query shapes against one indexer, after a warm-up on other thresholds and ids. */
async function compareQueries(url: string, dialect: "local" | "ponder", ids: string[]): Promise<ComparedLatency> {
  const threshold = (i: number) => 1_000_000_000_000_000_000n + BigInt(i);
  const warmup = Math.ceil(COMPARE_QUERIES / 10);
  await loadTest(url, "raw", warmup, (i) => COMPARED.topHolders[dialect](threshold(COMPARE_QUERIES + i)));
  const topHolders = await loadTest(url, "raw", COMPARE_QUERIES, (i) => COMPARED.topHolders[dialect](threshold(i)));
  const byId = await loadTest(url, "raw", COMPARE_QUERIES, (i) => COMPARED.byId[dialect](ids[i % ids.length]!));
  return { topHolders, byId };
}

function ponderVersion(): string {
  const lock = JSON.parse(readFileSync(join(PONDER_DIR, "package-lock.json"), "utf8")) as {
    packages: Record<string, { version?: string }>;
  };
  return lock.packages["node_modules/ponder"]?.version ?? "?";
}

/** CPU seconds used during a backfill by the indexer's process and by the chain's node answering its requests. */
interface BackfillCpu {
  indexer: number;
  node: number;
}

interface PonderRun {
  /** From the process's start to its HTTP server answering /health. */
  startupSeconds: number;
  /** From /health answering to /ready: its backfill, which ends 30 blocks below the head (see the empty blocks). */
  indexingSeconds: number;
  /** CPU seconds over the backfill: Ponder's process, and the chain's node serving it. */
  cpu: BackfillCpu;
  totals: { holderCount: number; totalSupply: string; delegatedVotes: string };

  queries?: ComparedLatency;
  peakRssMb: number;
}

/** Runs Ponder over the chain from scratch (a fresh PGlite store), as `ponder start` would in production. */
async function runPonder(
  chainUrl: string,
  deploymentPath: string,
  workDir: string,
  head: number,
  ids: string[] | undefined,
  nodePid: number,
): Promise<PonderRun> {
  ensurePonderInstalled();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      join(PONDER_DIR, "node_modules", "ponder", "dist", "esm", "bin", "ponder.js"),
      "start",
      "--port",
      String(port),
      "--schema",
      "public",
    ],
    {
      cwd: PONDER_DIR,
      env: {
        ...process.env,
        // Nothing leaves this machine: Ponder otherwise reports telemetry over the internet.
        PONDER_TELEMETRY_DISABLED: "true",
        PONDER_BENCH_RPC_URL: chainUrl,
        PONDER_BENCH_DEPLOYMENT: deploymentPath,
        PONDER_BENCH_DATABASE: join(workDir, "ponder-pglite"),
        // The blocks the local indexer was timed on; the lag samples' blocks after them are not Ponder's to index.
        PONDER_BENCH_END_BLOCK: String(head),
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
    // BENCH_PONDER_LOG=1: Ponder's own log on stderr as it runs.
    if (process.env.BENCH_PONDER_LOG) process.stderr.write(chunk);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  const get = async (path: string): Promise<Response | undefined> => {
    if (exited) throw new Error(`ponder exited:\n${output}`);
    try {
      return await fetch(`${base}${path}`);
    } catch {
      return undefined; // not listening yet
    }
  };
  const query = async (text: string) => {
    const response = await fetch(`${base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: text }),
    });
    const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown };
    if (body.errors) throw new Error(`ponder: ${JSON.stringify(body.errors)}`);
    return body.data!;
  };
  try {
    const deadline = performance.now() + 600_000;
    const wait = () => {
      if (performance.now() > deadline) throw new Error(`ponder did not catch up in 10 minutes:\n${output}`);
      return new Promise((r) => setTimeout(r, 20));
    };
    while ((await get("/health"))?.status !== 200) await wait();
    const serving = performance.now();
    const cpuBefore = { indexer: cpuSeconds(child.pid!), node: cpuSeconds(nodePid) };
    while ((await get("/ready"))?.status !== 200) await wait();
    const caughtUp = performance.now();
    const cpu = {
      indexer: cpuSeconds(child.pid!) - cpuBefore.indexer,
      node: cpuSeconds(nodePid) - cpuBefore.node,
    };
    const protocol = ((await query(`{ protocol(id: "curia") { holderCount totalSupply delegatedVotes } }`)).protocol ??
      {}) as { holderCount: number; totalSupply: string; delegatedVotes: string };
    const queries = ids === undefined ? undefined : await compareQueries(`${base}/graphql`, "ponder", ids);
    return {
      startupSeconds: (serving - started) / 1000,
      indexingSeconds: (caughtUp - serving) / 1000,
      cpu,
      totals: {
        holderCount: protocol.holderCount,
        totalSupply: String(protocol.totalSupply),
        delegatedVotes: String(protocol.delegatedVotes),
      },
      queries,
      peakRssMb: peakRssMb(child.pid!),
    };
  } finally {
    if (!exited) {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    }
  }
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
  // 32 empty blocks on top: Ponder treats the last 30 blocks of a chain it does not know as unfinalized and indexes
  // them one block at a time after its backfill, so without them the generated events would miss its backfill.
  // (evm_mine one by one: hardhat_mine's reserved blocks made Ponder see an "unrecoverable reorg".)
  await rpcBatch(
    chain.url,
    Array.from({ length: 32 }, () => ({ method: "evm_mine", params: [] })),
  );
  const latest = Number(await rpc<string>(chain.url, "eth_blockNumber"));

  // Index from scratch in the real CLI process.
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/subgraphs/name/curia`;
  const spawned = performance.now();
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
  const startupSeconds = (indexingStarted - spawned) / 1000;
  const nodePid = chain.process.pid!;
  const cpuBefore = { indexer: cpuSeconds(child.pid!), node: cpuSeconds(nodePid) };
  for (;;) {
    const meta = (await query("{ _meta { block { number } } }"))._meta as { block: { number: number } };
    if (meta.block.number >= latest) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const indexingSeconds = (performance.now() - indexingStarted) / 1000;
  const localCpu: BackfillCpu = {
    indexer: cpuSeconds(child.pid!) - cpuBefore.indexer,
    node: cpuSeconds(nodePid) - cpuBefore.node,
  };
  // BENCH_INDEXING_ONLY=1: print the indexing throughput and stop (~15 s, for comparing builds quickly).
  if (process.env.BENCH_INDEXING_ONLY) {
    const local = Math.round((TRANSFERS * 2) / indexingSeconds);
    console.log(
      `indexing throughput: ${local} events/s; CPU ${localCpu.indexer.toFixed(2)} s (node ${localCpu.node.toFixed(2)} s); load ${loadavg()[0]!.toFixed(1)}`,
    );
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
    if (WITH_PONDER) {
      const ponder = await runPonder(chain.url, system.deploymentPath, dir.path, latest, undefined, nodePid);
      const ponderRate = Math.round((TRANSFERS * 2) / ponder.indexingSeconds);
      console.log(
        `Ponder: ${ponderRate} events/s; CPU ${ponder.cpu.indexer.toFixed(2)} s (node ${ponder.cpu.node.toFixed(2)} s); local / Ponder: ${(local / ponderRate).toFixed(2)}; load ${loadavg()[0]!.toFixed(1)}`,
      );
    }
    await chain.stop();
    dir.remove();
    process.exit(0);
  }
  // Entities written: one Account per new holder and one VotingPowerChange per transfer, besides the fixed ones.
  const holders = ((await query(`{ protocol(id: "curia") { holderCount } }`)).protocol as { holderCount: number })
    .holderCount;
  const events = TRANSFERS * 2;
  const entityCount = holders + TRANSFERS;
  const localProtocol = (await query(`{ protocol(id: "curia") { holderCount totalSupply delegatedVotes } }`))
    .protocol as { holderCount: number; totalSupply: string; delegatedVotes: string };
  const localTotals = {
    holderCount: localProtocol.holderCount,
    totalSupply: String(localProtocol.totalSupply),
    delegatedVotes: String(localProtocol.delegatedVotes),
  };

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
  // The queries compared with Ponder's, before the lag samples add blocks Ponder will not see.
  const localCompared = WITH_PONDER ? await compareQueries(url, "local", ids) : undefined;
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
  // Ponder over the same chain, alone on the machine like the local indexer was, up to block `latest` (the lag
  // samples' blocks came after).
  const ponder = WITH_PONDER
    ? await runPonder(chain.url, system.deploymentPath, dir.path, latest, ids, nodePid)
    : undefined;
  // Both must have computed the same state, or the comparison compares different work.
  if (ponder !== undefined && JSON.stringify(ponder.totals) !== JSON.stringify(localTotals)) {
    throw new Error(
      `Ponder's totals ${JSON.stringify(ponder.totals)} differ from the local indexer's ${JSON.stringify(localTotals)}`,
    );
  }
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
  const localRate = Math.round(events / indexingSeconds);
  const ponderRate = ponder === undefined ? undefined : Math.round(events / ponder.indexingSeconds);
  if (ponder !== undefined && ponderRate !== undefined && localCompared !== undefined && ponder.queries !== undefined) {
    const ponderQueries = ponder.queries;
    lines.push(
      `## Against Ponder`,
      ``,
      `Ponder ${ponderVersion()} (indexer/bench/ponder: the subgraph's token handlers for Transfer, DelegateChanged and DelegateVotesChanged; its default PGlite store; polling every 100 ms like the local indexer) indexed the same chain after the local indexer had stopped, from scratch. Backfill: from the process's HTTP server answering to every event indexed (\`_meta\` at the head for the local indexer; Ponder's \`/ready\`, the end of its backfill, which stops 30 blocks below the head: the chain ends with 32 empty blocks so that every event is in it). Both computed the same totals (holder count, supply). CPU seconds are read from /proc over the same interval: on a shared machine the wall-clock ratio moves with the load (each process gets the share of the cores that the others leave it), the CPU ratio much less. Queries: ${COMPARE_QUERIES} per shape from ${CLIENTS} concurrent clients on raw sockets after ${Math.ceil(COMPARE_QUERIES / 10)} warm-up queries, every query distinct (another threshold or id), so no result cache answers it.`,
      ``,
      `| figure | local indexer | Ponder | local / Ponder |`,
      `| --- | --- | --- | --- |`,
      `| backfill throughput | ${localRate} events/s (${indexingSeconds.toFixed(2)} s) | ${ponderRate} events/s (${ponder.indexingSeconds.toFixed(2)} s) | **${(localRate / ponderRate).toFixed(2)}×** (target ≥ 2×) |`,
      `| CPU seconds over the backfill: the indexer's process (all threads) / the chain's node serving it | ${localCpu.indexer.toFixed(2)} / ${localCpu.node.toFixed(2)} s | ${ponder.cpu.indexer.toFixed(2)} / ${ponder.cpu.node.toFixed(2)} s | ${(ponder.cpu.indexer / localCpu.indexer).toFixed(2)}× less CPU |`,
      `| start-up (process start → HTTP server answering) | ${startupSeconds.toFixed(2)} s | ${ponder.startupSeconds.toFixed(2)} s | |`,
      `| top 100 holders above a threshold | ${latencyFigures(localCompared.topHolders)} | ${latencyFigures(ponderQueries.topHolders)} | p50 ${(percentile(ponderQueries.topHolders.latencies, 50) / percentile(localCompared.topHolders.latencies, 50)).toFixed(1)}× faster |`,
      `| one account by id | ${latencyFigures(localCompared.byId)} | ${latencyFigures(ponderQueries.byId)} | p50 ${(percentile(ponderQueries.byId.latencies, 50) / percentile(localCompared.byId.latencies, 50)).toFixed(1)}× faster |`,
      `| peak memory (RSS of the process) | ${peak.toFixed(0)} MB | ${ponder.peakRssMb.toFixed(0)} MB | |`,
      ``,
    );
  }
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
    ...(ponder === undefined || localCompared === undefined || ponder.queries === undefined
      ? {}
      : {
          ponder: {
            version: ponderVersion(),
            startupSeconds: Number(ponder.startupSeconds.toFixed(2)),
            indexing: { eventsPerSecond: ponderRate, seconds: Number(ponder.indexingSeconds.toFixed(2)) },
            cpuSeconds: { process: Number(ponder.cpu.indexer.toFixed(2)), node: Number(ponder.cpu.node.toFixed(2)) },
            localCpuSeconds: { process: Number(localCpu.indexer.toFixed(2)), node: Number(localCpu.node.toFixed(2)) },
            peakRssMb: Math.round(ponder.peakRssMb),
            queries: { topHolders: latency(ponder.queries.topHolders), byId: latency(ponder.queries.byId) },
            localQueries: { topHolders: latency(localCompared.topHolders), byId: latency(localCompared.byId) },
            localStartupSeconds: Number(startupSeconds.toFixed(2)),
            ratio: Number((localRate / ponderRate!).toFixed(2)),
          },
        }),
  };
  writeFileSync(join(REPO_ROOT, "benchmarks", "indexer.json"), `${JSON.stringify(figures, null, 2)}\n`);
} finally {
  await chain.stop();
  dir.remove();
}
process.exit(0);
