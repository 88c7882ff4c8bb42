import { afterEach, describe, expect, it, vi } from "vitest";
import {
  DEV_GRAPHQL_URL,
  DEV_RPC_URL,
  endpointsOf,
  fetchConfigJson,
  latestBlockKey,
  prefetch,
  prefetchLatestBlock,
  takePrefetched,
  type Fetch,
} from "./boot";

const answer = (status: number, body: string): Fetch => vi.fn(async () => new Response(body, { status }));

afterEach(() => {
  takePrefetched("k");
  takePrefetched(latestBlockKey("http://node"));
});

describe("boot", () => {
  it("reads config.json, or nothing when there is none", async () => {
    expect(await fetchConfigJson("config.json", answer(200, '{"chainId": 5}'))).toEqual({ chainId: 5 });
    expect(await fetchConfigJson("config.json", answer(404, "missing"))).toBeUndefined();
    // Vite's dev server answers unknown paths with index.html.
    expect(await fetchConfigJson("config.json", answer(200, "<!doctype html>"))).toBeUndefined();
    const offline: Fetch = () => Promise.reject(new TypeError("Failed to fetch"));
    expect(await fetchConfigJson("config.json", offline)).toBeUndefined();
    await expect(fetchConfigJson("config.json", answer(500, "oops"))).rejects.toThrow("config.json: HTTP 500");
    await expect(fetchConfigJson("config.json", answer(200, "{bad"))).rejects.toThrow(SyntaxError);
  });

  it("takes the endpoints from the unchecked config, with the dev defaults for missing or bad ones", () => {
    expect(endpointsOf(undefined)).toEqual({ graphqlUrl: DEV_GRAPHQL_URL, rpcUrl: DEV_RPC_URL });
    expect(endpointsOf({ graphqlUrl: "http://g", rpcUrl: "http://r" })).toEqual({
      graphqlUrl: "http://g",
      rpcUrl: "http://r",
    });
    expect(endpointsOf({ graphqlUrl: 7, rpcUrl: "" })).toEqual({ graphqlUrl: DEV_GRAPHQL_URL, rpcUrl: DEV_RPC_URL });
  });

  it("gives a prefetched answer once, failures included, and never reports a failure as unhandled", async () => {
    const request = vi.fn(async () => "list");
    prefetch("k", request);
    expect(request).toHaveBeenCalledTimes(1);
    expect(await takePrefetched("k")).toBe("list");
    expect(takePrefetched("k")).toBeUndefined();

    const unhandled = vi.fn();
    process.on("unhandledRejection", unhandled);
    try {
      prefetch("k", () => Promise.reject(new Error("indexer down")));
      prefetch("other", () => {
        throw new Error("thrown at once");
      });
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(unhandled).not.toHaveBeenCalled();
      await expect(takePrefetched("k")).rejects.toThrow("indexer down");
      await expect(takePrefetched("other")).rejects.toThrow("thrown at once");
    } finally {
      process.off("unhandledRejection", unhandled);
    }
  });

  it("reads the latest block with one JSON-RPC call", async () => {
    const node = vi.fn<Fetch>(async () =>
      Response.json({ jsonrpc: "2.0", id: 1, result: { number: "0x64", timestamp: "0x6b49d200" } }),
    );
    prefetchLatestBlock("http://node", node);
    expect(await takePrefetched(latestBlockKey("http://node"))).toEqual({ number: 100n, timestamp: 1_800_000_000n });
    const [url, init] = node.mock.calls[0]!;
    expect(url).toBe("http://node");
    expect(JSON.parse(String(init?.body))).toMatchObject({ method: "eth_getBlockByNumber", params: ["latest", false] });

    prefetchLatestBlock("http://node", async () => Response.json({ jsonrpc: "2.0", id: 1, error: { message: "no" } }));
    await expect(takePrefetched(latestBlockKey("http://node"))).rejects.toThrow("no latest block");
  });
});
