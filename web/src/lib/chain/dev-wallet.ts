// The built-in dev wallet: signs with the local chain's well-known test accounts, so that a newcomer can try every
// write of the demo (vote, delegate, stake, buy, juror commit…) with nothing installed. The accounts are Hardhat's
// (Anvil's too) public test accounts, derived from the public mnemonic "test test … junk": the local node holds them
// unlocked, so this wallet forwards each request to the node with the chosen account as `from`, and no key exists
// in the app at all.
//
// It is refused everywhere but on a local development chain: the configured chain id must be one of
// LOCAL_DEV_CHAIN_IDS, and the node itself must answer that chain id before anything is signed or sent (a config
// that names 31337 but points at a real network's RPC gets nothing signed).
import { getAddress, type Address } from "viem";
import type { AppConfig } from "../config";
import type { Eip1193Provider } from "./wallet.svelte";

/** Chain ids of local development chains (Hardhat and Anvil use 31337). The dev wallet exists on these only. */
export const LOCAL_DEV_CHAIN_IDS: readonly number[] = [31337];

/**
 * Hardhat's well-known test accounts #0–#19 (addresses of the public mnemonic "test test test test test test test test
 * test test test junk"; their keys are public: anything sent to them on a real network is taken at once).
 */
export const HARDHAT_TEST_ACCOUNTS: readonly Address[] = [
  "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
  "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
  "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
  "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65",
  "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
  "0x976EA74026E726554dB657fA54763abd0C3a0aa9",
  "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955",
  "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f",
  "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720",
  "0xBcd4042DE499D14e55001CcbB24a551F3b954096",
  "0x71bE63f3384f5fb98995898A86B02Fb2426c5788",
  "0xFABB0ac9d68B0B445fB7357272Ff202C5651694a",
  "0x1CBd3b2770909D4e10f157cABC84C7264073C9Ec",
  "0xdF3e18d64BC6A983f673Ab319CCaE4f1a57C7097",
  "0xcd3B766CCDd6AE721141F452C550Ca635964ce71",
  "0x2546BcD3c84621e976D8185a91A922aE77ECEc30",
  "0xbDA5747bFD65F08deb54cb465eB87D40e51B197E",
  "0xdD2FD4581271e230360230F9337D5c0430Bf44C0",
  "0x8626f6940E2eb28930eFb4CeF49B2d1F2C9C1199",
];

/** Where the app remembers the dev wallet's chosen test account (localStorage). */
export const DEV_ACCOUNT_KEY = "curia:dev-account";

/** One test account as the dev wallet offers it: its index, address and (from config.json) its role in the demo. */
export interface DevAccount {
  index: number;
  address: Address;
  role?: string;
}

/** `Test account #3` or `Test account #3 · juror`. */
export function devAccountLabel(account: DevAccount): string {
  return `Test account #${account.index}${account.role ? ` · ${account.role}` : ""}`;
}

/** The dev wallet is refused: not a local chain. */
export class DevWalletRefusedError extends Error {
  readonly code = 4100; // EIP-1193 "Unauthorized"
}

export function devWalletAllowed(chainId: number): boolean {
  return LOCAL_DEV_CHAIN_IDS.includes(chainId);
}

/** Sends one JSON-RPC request to the node (fetch by default; tests pass their own). */
export type RpcRequest = (method: string, params: unknown[]) => Promise<unknown>;

export function httpRpc(url: string): RpcRequest {
  let id = 0;
  return async (method, params) => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params }),
    });
    const body = (await response.json()) as {
      result?: unknown;
      error?: { code?: number; message?: string; data?: unknown };
    };
    if (body.error) {
      throw Object.assign(new Error(body.error.message ?? `${method} failed`), {
        code: body.error.code,
        data: body.error.data,
      });
    }
    return body.result;
  };
}

/** Methods that act for an account: the node's chain id is checked before each. */
const SIGNING_METHODS = new Set([
  "eth_sendTransaction",
  "eth_signTypedData_v4",
  "eth_signTypedData",
  "personal_sign",
  "eth_sign",
]);

/** An EIP-1193 provider over the local node's unlocked test accounts. */
export class DevWalletProvider implements Eip1193Provider {
  readonly isCuriaDevWallet = true;
  private selected: Address;
  private readonly rpc: RpcRequest;
  private readonly listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  readonly accounts: readonly DevAccount[];

  /** Throws DevWalletRefusedError unless `config.chainId` is a local development chain's. */
  constructor(
    private readonly config: Pick<AppConfig, "chainId" | "rpcUrl">,
    options: { roles?: ReadonlyMap<number, string>; account?: Address; rpc?: RpcRequest } = {},
  ) {
    if (!devWalletAllowed(config.chainId)) {
      throw new DevWalletRefusedError(
        `The dev wallet only runs on a local development chain (chain id ${LOCAL_DEV_CHAIN_IDS.join(" or ")}); ` +
          `this app is configured for chain ${config.chainId}.`,
      );
    }
    this.rpc = options.rpc ?? httpRpc(config.rpcUrl);
    this.accounts = HARDHAT_TEST_ACCOUNTS.map((address, index) => {
      const role = options.roles?.get(index);
      return role === undefined ? { index, address } : { index, address, role };
    });
    const wanted = options.account === undefined ? undefined : getAddress(options.account);
    this.selected = this.accounts.find((a) => a.address === wanted)?.address ?? HARDHAT_TEST_ACCOUNTS[0]!;
  }

  get account(): Address {
    return this.selected;
  }

  /** Switches to another test account; the app hears `accountsChanged` as from any wallet. */
  selectAccount(address: Address): void {
    const account = this.accounts.find((a) => a.address === getAddress(address));
    if (!account) throw new Error(`${address} is not one of the local chain's test accounts`);
    this.selected = account.address;
    this.emit("accountsChanged", [account.address]);
  }

  /** Refuses unless the node answers a local development chain id (the config alone is not trusted). */
  private async assertLocalNode(): Promise<void> {
    const chainId = Number(await this.rpc("eth_chainId", []));
    if (!devWalletAllowed(chainId)) {
      throw new DevWalletRefusedError(
        `The dev wallet refuses to sign: the node at ${this.config.rpcUrl} is chain ${chainId}, not a local ` +
          `development chain (${LOCAL_DEV_CHAIN_IDS.join(" or ")}).`,
      );
    }
  }

  async request({
    method,
    params,
  }: {
    method: string;
    params?: unknown[] | Record<string, unknown>;
  }): Promise<unknown> {
    const list = Array.isArray(params) ? params : params === undefined ? [] : [params];
    switch (method) {
      case "eth_accounts":
      case "eth_requestAccounts":
        if (method === "eth_requestAccounts") await this.assertLocalNode();
        return [this.selected];
      case "wallet_switchEthereumChain": {
        const wanted = Number((list[0] as { chainId?: string } | undefined)?.chainId);
        if (!devWalletAllowed(wanted)) {
          throw new DevWalletRefusedError(
            `The dev wallet only runs on a local development chain, not chain ${wanted}.`,
          );
        }
        return null;
      }
      case "wallet_addEthereumChain":
        throw new DevWalletRefusedError("The dev wallet cannot add chains: it runs on the local chain only.");
    }
    if (SIGNING_METHODS.has(method)) {
      await this.assertLocalNode();
      return this.rpc(method, this.asSelected(method, list));
    }
    return this.rpc(method, list);
  }

  /** The request's parameters with the selected account as the signer: nothing is signed for another account. */
  private asSelected(method: string, params: unknown[]): unknown[] {
    const account = this.selected;
    if (method === "eth_sendTransaction") {
      const tx = (params[0] ?? {}) as Record<string, unknown>;
      return [{ ...tx, from: account }];
    }
    if (method === "personal_sign") return [params[0], account];
    // eth_sign and eth_signTypedData(_v4): [address, payload].
    return [account, params[1]];
  }

  on(event: string, listener: (...args: unknown[]) => void): void {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event)!.add(listener);
  }

  removeListener(event: string, listener: (...args: unknown[]) => void): void {
    this.listeners.get(event)?.delete(listener);
  }

  private emit(event: string, value: unknown): void {
    this.listeners.get(event)?.forEach((listener) => listener(value));
  }
}

/** The dev wallet for this config, or undefined when the configured chain is not a local development chain. */
export function devWalletFor(
  config: Pick<AppConfig, "chainId" | "rpcUrl" | "devAccountRoles">,
  options: { account?: Address | undefined; rpc?: RpcRequest } = {},
): DevWalletProvider | undefined {
  if (!devWalletAllowed(config.chainId)) return undefined;
  const roles = new Map(Object.entries(config.devAccountRoles ?? {}).map(([i, r]) => [Number(i), r]));
  return new DevWalletProvider(config, {
    roles,
    ...(options.account === undefined ? {} : { account: options.account }),
    ...(options.rpc === undefined ? {} : { rpc: options.rpc }),
  });
}
