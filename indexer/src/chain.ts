// JSON-RPC access to any Ethereum endpoint: single calls and batches over HTTP (fetch with keep-alive).

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
    readonly code?: number,
  ) {
    super(message);
    this.name = "RpcError";
  }
}

interface RpcResponse {
  id: number;
  result?: unknown;
  error?: { code: number; message: string };
}

export class JsonRpcClient {
  private nextId = 1;

  constructor(readonly url: string) {}

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
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body.length === 1 ? body[0] : body),
      });
    } catch (error) {
      throw new RpcError(`cannot reach ${this.url}: ${(error as Error).message}`);
    }
    if (!response.ok) throw new RpcError(`${this.url} answered HTTP ${response.status}`);
    const parsed = (await response.json()) as RpcResponse | RpcResponse[];
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
