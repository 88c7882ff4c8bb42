// Backoff: an endpoint that refuses eth_getLogs ranges as too large ("query returned more than 10000 results") and
// answers HTTP 429 to every few requests, put in front of the test chain. The indexer must halve its ranges down to
// one block, grow them back once they are served, back off on 429s, and still index every event exactly once: the
// same entity versions, and the same count of events, as an index of the chain straight from the node.
import { expect } from "chai";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { openIndexer } from "../src/app.js";
import { isRangeTooLarge, isRateLimited, RpcError } from "../src/chain.js";
import { sharedHardhatNode, temporaryDirectory, type LocalChain } from "./helpers/chain.js";
import { deploySystem, type DeployedSystem } from "./helpers/governance.js";
import { runGovernanceScenario } from "./helpers/scenario.js";

interface LogsRequest {
  from: number;
  to: number;
  outcome: "served" | "too many results" | "429";
}

/**
 * A JSON-RPC endpoint forwarding to `upstream`, except that the requests `rateLimit` picks (by their number, from 1)
 * get HTTP 429 and an eth_getLogs over more than `logsLimit()` blocks gets geth's "query returned more than 10000
 * results".
 */
async function refusingEndpoint(upstream: string, rateLimit: (request: number) => boolean, logsLimit: () => number) {
  const logs: LogsRequest[] = [];
  let requests = 0;
  let rateLimited = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const body = JSON.parse(text) as { id: number; method: string; params: { fromBlock: string; toBlock: string }[] };
      requests += 1;
      const getLogs = !Array.isArray(body) && body.method === "eth_getLogs";
      const from = getLogs ? Number(body.params[0]!.fromBlock) : 0;
      const to = getLogs ? Number(body.params[0]!.toBlock) : 0;
      if (rateLimit(requests)) {
        rateLimited += 1;
        if (getLogs) logs.push({ from, to, outcome: "429" });
        response.writeHead(429, { "content-type": "text/plain" }).end("Too Many Requests");
        return;
      }
      if (getLogs && to - from + 1 > logsLimit()) {
        logs.push({ from, to, outcome: "too many results" });
        response.writeHead(200, { "content-type": "application/json" }).end(
          JSON.stringify({
            jsonrpc: "2.0",
            id: body.id,
            error: { code: -32005, message: "query returned more than 10000 results" },
          }),
        );
        return;
      }
      if (getLogs) logs.push({ from, to, outcome: "served" });
      void fetch(upstream, { method: "POST", headers: { "content-type": "application/json" }, body: text })
        .then(async (reply) => {
          response.writeHead(reply.status, { "content-type": "application/json" }).end(await reply.text());
        })
        .catch((error: Error) => response.writeHead(502).end(error.message));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    logs,
    rateLimited: () => rateLimited,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("indexer backoff on refused requests", function () {
  this.timeout(180_000);
  let chain: LocalChain;
  let dir: ReturnType<typeof temporaryDirectory>;
  let system: DeployedSystem;

  before(async () => {
    chain = await sharedHardhatNode();
    dir = temporaryDirectory("curia-backoff-");
    system = await deploySystem(chain.url, dir.path);
    await runGovernanceScenario(system);
  });

  after(() => dir?.remove());

  it("recognises providers' rate-limit and range errors", () => {
    expect(isRateLimited(new RpcError("x answered HTTP 429", undefined, 429))).to.equal(true);
    expect(isRateLimited(new RpcError("Your app has exceeded its compute units per second capacity", 429))).to.equal(
      true,
    );
    expect(isRateLimited(new RpcError("execution reverted", 3))).to.equal(false);
    expect(isRangeTooLarge(new RpcError("query returned more than 10000 results", -32005))).to.equal(true);
    expect(isRangeTooLarge(new RpcError("Log response size exceeded.", -32602))).to.equal(true);
    expect(isRangeTooLarge(new RpcError("block range is too wide", -32600))).to.equal(true);
    expect(isRangeTooLarge(new RpcError("eth_getLogs is limited to a 10,000 range", -32614))).to.equal(true);
    expect(isRangeTooLarge(new RpcError("header not found", -32000))).to.equal(false);
  });

  it("halves ranges down to one block, grows them back, backs off on 429s and indexes every event exactly once", async () => {
    const direct = openIndexer({
      rpcUrl: chain.url,
      deploymentPath: system.deploymentPath,
      databasePath: join(dir.path, "direct.sqlite"),
    });
    await direct.indexer.syncToLatest();
    const reference = direct.store.dumpAll(true);
    const referenceEvents = direct.indexer.eventsProcessed;
    const latest = direct.store.head()!.number;
    await direct.close();
    expect(referenceEvents).to.be.greaterThan(50);

    // Ranges over one block are refused for the first 12 eth_getLogs requests, over 4 blocks after that; every 7th
    // request is rate-limited, and a burst of 6 in a row.
    let logsRequests = 0;
    const endpoint = await refusingEndpoint(
      chain.url,
      (n) => n % 7 === 0 || (n > 40 && n <= 46),
      () => (++logsRequests <= 12 ? 1 : 4),
    );
    const app = openIndexer({
      rpcUrl: endpoint.url,
      deploymentPath: system.deploymentPath,
      databasePath: join(dir.path, "refused.sqlite"),
      pollIntervalMs: 5,
      retryMinMs: 1,
      retryMaxMs: 10,
    });
    const delays: number[] = [];
    app.indexer.on("retry", (_error: unknown, delay: number) => delays.push(delay));
    const running = app.indexer.run();
    try {
      const deadline = Date.now() + 150_000;
      while ((app.store.head()?.number ?? -1) < latest) {
        if (Date.now() > deadline) throw new Error(`stuck at ${app.store.head()?.number} of ${latest}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      app.indexer.stop();
      await running;
    }
    const dump = app.store.dumpAll(true);
    const events = app.indexer.eventsProcessed;
    await app.close();
    await endpoint.close();

    expect(dump).to.deep.equal(reference);
    expect(events).to.equal(referenceEvents);

    const size = (r: LogsRequest) => r.to - r.from + 1;
    const refused = endpoint.logs.filter((r) => r.outcome !== "served");
    const served = endpoint.logs.filter((r) => r.outcome === "served");
    expect(refused.filter((r) => r.outcome === "too many results").length).to.be.greaterThan(1);
    expect(endpoint.rateLimited()).to.be.greaterThan(0);
    // Each refused range's first block is asked for again, with at most half the range's blocks unless enough
    // requests were served in between to grow the limit back (4 in a row, SUCCESSES_TO_GROW). The retry need not
    // start at the same block: a range fetched ahead that is refused is dropped, and the ranges are planned again
    // from the indexed head.
    let halvedRetries = 0;
    for (const [i, r] of endpoint.logs.entries()) {
      if (r.outcome === "served" || size(r) === 1) continue;
      const later = endpoint.logs.slice(i + 1);
      const at = later.findIndex((next) => next.from <= r.from && r.from <= next.to);
      expect(at, `retry of ${r.from}-${r.to}`).to.not.equal(-1);
      if (later.slice(0, at).filter((between) => between.outcome === "served").length >= 4) continue;
      expect(size(later[at]!), `retry of ${r.from}-${r.to}`).to.be.at.most(Math.floor(size(r) / 2));
      halvedRetries += 1;
    }
    expect(halvedRetries).to.be.at.least(3);
    // Every refused block is served in the end.
    for (const r of refused) {
      for (let block = r.from; block <= r.to; block++) {
        expect(
          served.some((s) => s.from <= block && block <= s.to),
          `block ${block} served`,
        ).to.equal(true);
      }
    }
    // Down to one block while only one block is served, then back up to the new limit.
    expect(served.some((r) => size(r) === 1)).to.equal(true);
    expect(Math.max(...served.map(size))).to.be.within(2, 4);
    // 429s in a row back off exponentially (from 1 ms, doubling, jittered down by up to half, capped at 10 ms).
    expect(Math.max(...delays)).to.be.within(5, 10);
  });
});
