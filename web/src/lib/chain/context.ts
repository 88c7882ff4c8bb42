// The read side of the chain: a viem public client over the configured RPC URL, plus the configuration.
// Per-contract modules (token.ts, governor.ts, …) take a ChainContext; components never build clients or contracts.
import { createClient, defineChain, http, type Address, type Hex, type PublicClient } from "viem";
import { call, getBlock, readContract, waitForTransactionReceipt } from "viem/actions";
import type { AppConfig, ContractName } from "../config";

/**
 * The reads the app makes, as viem's public client makes them. Only these: viem's full public client (every action,
 * ENS, signature checks) is most of the app's start-up code, and the app loads it before its first page can render.
 */
export type ChainReader = Pick<PublicClient, "readContract" | "call" | "getBlock" | "waitForTransactionReceipt">;

export interface ChainContext {
  readonly config: AppConfig;
  readonly client: ChainReader;
}

export function createChainContext(config: AppConfig): ChainContext {
  const chain = defineChain({
    id: config.chainId,
    name: config.chainName,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [config.rpcUrl] } },
  });
  const base = createClient({ chain, transport: http(config.rpcUrl, { batch: true }), pollingInterval: 250 });
  const client: ChainReader = {
    readContract: ((args) => readContract(base, args)) as ChainReader["readContract"],
    call: (args) => call(base, args),
    getBlock: ((args) => getBlock(base, args)) as ChainReader["getBlock"],
    waitForTransactionReceipt: (args) => waitForTransactionReceipt(base, args),
  };
  return { config, client };
}

export function addressOf(ctx: ChainContext, name: ContractName): Address {
  return ctx.config.contracts[name];
}

/**
 * One call a user signs, produced by a `populate…Tx` function and handed to the transaction component.
 * `description` says in words what it does ("Stake 100 CUR on listing #3").
 */
export interface TxRequest {
  to: Address;
  data: Hex;
  value?: bigint;
  description: string;
}

/** The chain's current time (latest block timestamp): what the contracts compare periods with. */
export async function readChainTime(ctx: ChainContext): Promise<bigint> {
  const block = await ctx.client.getBlock({ blockTag: "latest" });
  return block.timestamp;
}

/**
 * The time a transaction sent now would be dated (block.timestamp of its block): the pending block's timestamp. An idle
 * development chain keeps an old latest block, minutes behind what its next block will say; a node that has no pending
 * block gives the latest block's time.
 */
export async function readNextBlockTime(ctx: ChainContext): Promise<bigint> {
  try {
    const pending = await ctx.client.getBlock({ blockTag: "pending" });
    if (pending.timestamp > 0n) return pending.timestamp;
  } catch {
    // no pending block on this node
  }
  return readChainTime(ctx);
}
