// What the app does before its own code has loaded, so that the first page's data is on its way at once: the raw
// config.json, and the data the opened page needs first (a route's `prefetch`), requested by the small entry script
// (main.ts) while the app's code (Svelte, viem, the shell) downloads and evaluates. This module must stay small and
// free of viem and Svelte: everything it imports is in the entry chunk that runs first.
//
// The page then takes its prefetched data once (`takePrefetched`); any later visit fetches afresh.

/** The local defaults of the endpoints (`npm start` on its default ports); config.ts builds DEV_CONFIG on them. */
export const DEV_GRAPHQL_URL = "http://127.0.0.1:8000/subgraphs/name/curia";
export const DEV_RPC_URL = "http://127.0.0.1:8545";

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/**
 * Fetches `config.json` next to the app and parses its JSON (not yet checked: config.ts's parseConfig does that).
 * Without one (a bare `vite` dev server, or no file) it gives `undefined`: the dev defaults apply.
 */
export async function fetchConfigJson(
  url = "config.json",
  fetchImpl: Fetch = (input, init) => fetch(input, init),
): Promise<unknown> {
  let response: Response;
  try {
    response = await fetchImpl(url, { cache: "no-store" });
  } catch {
    return undefined;
  }
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
  const text = await response.text();
  // Vite's dev server answers unknown paths with index.html.
  if (text.trimStart().startsWith("<")) return undefined;
  return JSON.parse(text) as unknown;
}

/** The endpoints a prefetch may use, read from the unchecked config the way parseConfig reads them. */
export interface Endpoints {
  graphqlUrl: string;
  rpcUrl: string;
}

export function endpointsOf(raw: unknown): Endpoints {
  const r = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : {};
  // A bad value makes parseConfig refuse the config and the app show why; the prefetch then goes nowhere harmful.
  const url = (value: unknown, fallback: string): string => (typeof value === "string" && value ? value : fallback);
  return { graphqlUrl: url(r.graphqlUrl, DEV_GRAPHQL_URL), rpcUrl: url(r.rpcUrl, DEV_RPC_URL) };
}

const prefetched = new Map<string, Promise<unknown>>();

/**
 * Starts `request` now and keeps its promise under `key` for the page that needs it. A failure is kept too (the page
 * shows it as if it had asked itself), and is not reported as unhandled meanwhile.
 */
export function prefetch<T>(key: string, request: () => Promise<T>): Promise<T> {
  let promise: Promise<T>;
  try {
    promise = request();
  } catch (error) {
    promise = Promise.reject(error);
  }
  promise.catch(() => {});
  prefetched.set(key, promise);
  return promise;
}

/** The prefetched promise under `key`, once: a second call (a later visit of the page) gets `undefined`. */
export function takePrefetched<T>(key: string): Promise<T> | undefined {
  const promise = prefetched.get(key) as Promise<T> | undefined;
  prefetched.delete(key);
  return promise;
}

/** The latest block's number and timestamp: what the chain clock starts from. */
export interface BlockHead {
  number: bigint;
  timestamp: bigint;
}

export const latestBlockKey = (rpcUrl: string): string => `latest block ${rpcUrl}`;

/**
 * Reads the latest block with one plain JSON-RPC call (viem is not loaded yet), for the chain clock to start from:
 * every page shows chain time, and the proposal list needs it before it can say which proposals are active.
 */
export function prefetchLatestBlock(rpcUrl: string, fetchImpl: Fetch = (input, init) => fetch(input, init)): void {
  prefetch(latestBlockKey(rpcUrl), async (): Promise<BlockHead> => {
    const response = await fetchImpl(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_getBlockByNumber", params: ["latest", false] }),
    });
    const body = (await response.json()) as { result?: { number?: unknown; timestamp?: unknown } | null };
    const { number, timestamp } = body.result ?? {};
    if (typeof number !== "string" || typeof timestamp !== "string") throw new Error("no latest block");
    return { number: BigInt(number), timestamp: BigInt(timestamp) };
  });
}
