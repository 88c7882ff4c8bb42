// The read side of the chain: a viem public client over the configured RPC URL, plus the configuration.
// Per-contract modules (token.ts, governor.ts, …) take a ChainContext; components never build clients or contracts.
import { createPublicClient, defineChain, http, type Address, type Hex, type PublicClient } from "viem";
import type { AppConfig, ContractName } from "../config";

export interface ChainContext {
  readonly config: AppConfig;
  readonly client: PublicClient;
}

export function createChainContext(config: AppConfig): ChainContext {
  const chain = defineChain({
    id: config.chainId,
    name: config.chainName,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [config.rpcUrl] } },
  });
  const client = createPublicClient({ chain, transport: http(config.rpcUrl, { batch: true }), pollingInterval: 250 });
  return { config, client: client as PublicClient };
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
