import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

/** Whether `port` can be bound on `host` right now. Another error than "in use" (a bad host) is thrown. */
export function isPortFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE" || error.code === "EACCES") resolve(false);
      else reject(new Error(`cannot bind ${host}:${port}: ${error.message}`));
    });
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port the OS says is free on `host`. Someone may take it before we bind it again; callers cope with that. */
export function findFreePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error("the OS gave no port"))));
    });
  });
}

/** The URL a client uses to reach a server bound to `host` (a wildcard address is reached through loopback). */
export function httpUrl(host: string, port: number): string {
  const clientHost = host === "0.0.0.0" ? "127.0.0.1" : host === "::" ? "::1" : host;
  return `http://${clientHost.includes(":") ? `[${clientHost}]` : clientHost}:${port}`;
}

/** Sends one JSON-RPC request; throws on a transport error or a JSON-RPC error. */
export async function jsonRpc<T>(url: string, method: string, params: unknown[] = [], timeoutMs = 2_000): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await response.json()) as { result?: T; error?: { message: string } };
  if (body.error !== undefined) throw new Error(`${method}: ${body.error.message}`);
  if (body.result === undefined) throw new Error(`${method}: no result (HTTP ${response.status})`);
  return body.result;
}

/** Polls eth_chainId until the node answers and returns the chain id; gives up once `keepTrying` says so. */
export async function waitForJsonRpc(
  url: string,
  keepTrying: () => boolean = () => true,
  intervalMs = 200,
): Promise<number> {
  let lastError: unknown;
  while (keepTrying()) {
    try {
      return Number(await jsonRpc<string>(url, "eth_chainId"));
    } catch (error) {
      lastError = error;
      await sleep(intervalMs);
    }
  }
  throw new Error(`no JSON-RPC answer at ${url}: ${(lastError as Error | undefined)?.message ?? "gave up"}`);
}
