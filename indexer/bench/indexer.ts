// `npm run bench:indexer`: indexing throughput, query latency under 50 concurrent clients, block-to-query lag and
// peak memory of the `curia-indexer` process, on a local Hardhat chain with ≥ 10,000 events and ≥ 10,000 entities.
// Figures go to stdout and benchmarks/indexer.md.
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";
import { join } from "node:path";
import { Interface, parseEther, Wallet } from "ethers";
import { freePort, REPO_ROOT, startHardhatNode, temporaryDirectory } from "../test/helpers/chain.js";
import { deploySystem } from "../test/helpers/governance.js";

const TRANSFERS = Number(process.env.BENCH_TRANSFERS ?? 5200);
const CLIENTS = 50;
const QUERIES = Number(process.env.BENCH_QUERIES ?? 10_000);
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
      join(REPO_ROOT, "indexer", "bin", "curia-indexer.mjs"),
      "--rpc-url",
      chain.url,
      "--deployment",
      system.deploymentPath,
      "--database",
      join(dir.path, "bench.sqlite"),
      "--port",
      String(port),
      "--poll-interval-ms",
      "20",
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
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < QUERIES) {
        const text = mix[next++ % mix.length]!;
        const t = performance.now();
        await query(text);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const queryWall = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);

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

  const lines = [
    `# Local indexer benchmark`,
    ``,
    `Written by \`npm run bench:indexer\` (${new Date().toISOString().slice(0, 10)}; ${cpus()[0]?.model ?? "cpu"}, ${availableParallelism()} cores; Node ${process.version}).`,
    `Chain: Hardhat node, ${latest} blocks, ${events} indexed events (${TRANSFERS} CUR transfers to new holders, each Transfer + DelegateVotesChanged), ${entityCount}+ entities.`,
    ``,
    `| figure | value | target |`,
    `| --- | --- | --- |`,
    `| indexing throughput | ${Math.round(events / indexingSeconds)} events/s (${events} events in ${indexingSeconds.toFixed(2)} s) | ≥ 3,500 events/s |`,
    `| GraphQL latency, ${CLIENTS} concurrent clients | p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms (${QUERIES} queries, ${Math.round(QUERIES / queryWall)} queries/s) | p99 < 50 ms |`,
    `| block mined → queryable | p50 ${percentile(lags, 50).toFixed(0)} ms, max ${lags[lags.length - 1]!.toFixed(0)} ms (${LAG_SAMPLES} blocks) | < 1 s |`,
    `| peak memory (RSS of the indexer process) | ${peak.toFixed(0)} MB | < 500 MB |`,
    ``,
  ];
  const report = lines.join("\n");
  console.log(`\n${report}`);
  writeFileSync(join(REPO_ROOT, "benchmarks", "indexer.md"), report);
} finally {
  await chain.stop();
  dir.remove();
}
process.exit(0);
