// JSON-RPC access to any Ethereum endpoint: single calls and batches over HTTP(S) with keep-alive connections.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type RequestOptions } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";

export interface RpcLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string;
  blockHash: string;
  transactionHash: string;
  transactionIndex: string;
  logIndex: string;
  transactionLogIndex?: string;
  removed?: boolean;
}

export interface RpcTransaction {
  hash: string;
  transactionIndex: string;
  from: string;
  to: string | null;
  value: string;
  gas: string;
  gasPrice?: string;
  input: string;
  nonce: string;
}

export interface RpcBlock {
  number: string;
  hash: string;
  parentHash: string;
  sha3Uncles: string;
  miner: string;
  stateRoot: string;
  transactionsRoot: string;
  receiptsRoot: string;
  gasUsed: string;
  gasLimit: string;
  timestamp: string;
  difficulty?: string;
  totalDifficulty?: string;
  size?: string;
  baseFeePerGas?: string;
  transactions: (RpcTransaction | string)[];
}

export class RpcError extends Error {
  constructor(
    message: string,
    /** The JSON-RPC error code, for an error reply. */
    readonly code?: number,
    /** The HTTP status, for a reply other than 2xx. */
    readonly status?: number,
  ) {
    super(message);
    this.name = "RpcError";
  }
}

/**
 * Whether the endpoint refused a request for its rate: HTTP 429, JSON-RPC code 429 (Alchemy) or the providers' words
 * for it. Such a request is retried later, after an exponentially growing pause.
 */
export function isRateLimited(error: unknown): boolean {
  if (!(error instanceof RpcError)) return false;
  if (error.status === 429 || error.code === 429) return true;
  return /rate.?limit|too many requests|exceeded .*(capacity|quota|credits)|compute units|throughput/i.test(
    error.message,
  );
}

/**
 * Whether an eth_getLogs reply says the block range held too much: geth's and Erigon's "query returned more than
 * 10000 results", Infura's -32005, Alchemy's "Log response size exceeded", QuickNode's and Ankr's block range limits.
 * Such a request is retried with half the blocks.
 */
export function isRangeTooLarge(error: unknown): boolean {
  if (!(error instanceof RpcError)) return false;
  return (
    error.code === -32005 ||
    /more than \d+ results|too many (results|logs)|response size|(block )?range (is )?too (large|wide|big)|block range|range limit|limited to .*range|exceeds? max(imum)? (results|block)|query timeout/i.test(
      error.message,
    )
  );
}

interface RpcResponse {
  id: number;
  result?: unknown;
  error?: { code: number; message: string };
}

export class JsonRpcClient {
  private nextId = 1;
  private readonly target: URL;
  private readonly send: typeof httpRequest;
  private readonly agent: HttpAgent;

  /**
   * Requests go through node:http(s) rather than fetch: an idle indexer polls every few hundred milliseconds (every
   * 20 in benchmarks), and fetch's streams cost ~3 times node:http's CPU per small request.
   */
  constructor(readonly url: string) {
    try {
      this.target = new URL(url);
    } catch {
      throw new RpcError(`not a URL: ${url}`);
    }
    if (this.target.protocol !== "http:" && this.target.protocol !== "https:") {
      throw new RpcError(`${url}: only http: and https: JSON-RPC endpoints are supported`);
    }
    const https = this.target.protocol === "https:";
    this.send = https ? httpsRequest : httpRequest;
    this.agent = https ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  }

  /** POSTs a JSON body; resolves with the status and the body text. */
  private post(body: string): Promise<{ status: number; text: string }> {
    const options: RequestOptions = {
      method: "POST",
      agent: this.agent,
      headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
    };
    return new Promise((resolve, reject) => {
      const request = this.send(this.target, options, (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }),
        );
        response.on("error", reject);
      });
      request.on("error", reject);
      request.end(body);
    });
  }

  async call<T>(method: string, params: unknown[] = []): Promise<T> {
    const [result] = await this.batch<T>([{ method, params }]);
    return result as T;
  }

  /** Sends calls as one JSON-RPC batch; results in the order of the calls. */
  async batch<T>(calls: { method: string; params: unknown[] }[]): Promise<T[]> {
    if (calls.length === 0) return [];
    const first = this.nextId;
    this.nextId += calls.length;
    const body = calls.map((c, i) => ({ jsonrpc: "2.0", id: first + i, method: c.method, params: c.params }));
    let response: { status: number; text: string };
    try {
      response = await this.post(JSON.stringify(body.length === 1 ? body[0] : body));
    } catch (error) {
      throw new RpcError(`cannot reach ${this.url}: ${(error as Error).message}`);
    }
    if (response.status < 200 || response.status > 299) {
      throw new RpcError(
        `${this.url} answered HTTP ${response.status}${response.text === "" ? "" : `: ${response.text.slice(0, 200)}`}`,
        undefined,
        response.status,
      );
    }
    let parsed: RpcResponse | RpcResponse[];
    try {
      parsed = JSON.parse(response.text) as RpcResponse | RpcResponse[];
    } catch {
      throw new RpcError(`${this.url} answered with something other than JSON: ${response.text.slice(0, 200)}`);
    }
    const replies = Array.isArray(parsed) ? parsed : [parsed];
    const byId = new Map(replies.map((r) => [r.id, r]));
    return calls.map((c, i) => {
      const reply = byId.get(first + i);
      if (reply === undefined) throw new RpcError(`${c.method}: no reply`);
      if (reply.error !== undefined) throw new RpcError(`${c.method}: ${reply.error.message}`, reply.error.code);
      return reply.result as T;
    });
  }
}

export const hexToNumber = (hex: string): number => Number.parseInt(hex, 16);
export const toHex = (n: number): string => `0x${n.toString(16)}`;
