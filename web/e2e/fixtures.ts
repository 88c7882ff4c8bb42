// Playwright fixtures: the app's base URL from the running stack, an injected EIP-1193 wallet backed by the
// Hardhat node's unlocked test accounts, and chain helpers (time travel, reads) for the specs.
import { test as base, expect, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { createPublicClient, http, type Address, type PublicClient } from "viem";

/** Hardhat's well-known test accounts (public keys of a public mnemonic; never use them on a real network). */
export const ACCOUNTS: readonly Address[] = [
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

export interface Stack {
  rpcUrl: string;
  graphqlUrl: string;
  webUrl: string;
  contracts: Record<string, Address>;
}

export function stack(): Stack {
  const env = (name: string): string => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set: run through playwright.config.ts (global setup starts the stack)`);
    return value;
  };
  const record = JSON.parse(readFileSync(env("CURIA_E2E_DEPLOYMENT"), "utf8")) as {
    contracts: Record<string, { proxy: Address }>;
  };
  return {
    rpcUrl: env("CURIA_E2E_RPC_URL"),
    graphqlUrl: env("CURIA_E2E_GRAPHQL_URL"),
    webUrl: env("CURIA_E2E_WEB_URL"),
    contracts: Object.fromEntries(Object.entries(record.contracts).map(([k, v]) => [k, v.proxy])),
  };
}

async function rpc<T>(url: string, method: string, params: unknown[] = []): Promise<{ result?: T; error?: unknown }> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  return (await response.json()) as { result?: T; error?: unknown };
}

/** Talks to the node directly (time travel, checks). */
export class ChainHelper {
  readonly client: PublicClient;
  constructor(readonly url: string) {
    this.client = createPublicClient({ transport: http(url) }) as PublicClient;
  }
  async request<T>(method: string, params: unknown[] = []): Promise<T> {
    const { result, error } = await rpc<T>(this.url, method, params);
    if (error !== undefined) throw new Error(`${method}: ${JSON.stringify(error)}`);
    return result as T;
  }
  /** Moves the chain's clock forward and mines a block. */
  async increaseTime(seconds: number): Promise<void> {
    await this.request("evm_increaseTime", [seconds]);
    await this.request("evm_mine");
  }
  async now(): Promise<bigint> {
    return (await this.client.getBlock()).timestamp;
  }
}

/** The injected wallet: `window.ethereum` in the page, every request forwarded to the node as account `index`. */
export class TestWallet {
  account: Address;
  connected = false;
  constructor(
    private readonly page: Page,
    private readonly rpcUrl: string,
    index: number,
  ) {
    this.account = ACCOUNTS[index]!;
  }

  async install(): Promise<void> {
    await this.page.exposeFunction("__curiaWalletRequest", async (method: string, params: unknown[]) => {
      // Like a real wallet: no account until the page asks to connect.
      if (method === "eth_requestAccounts") this.connected = true;
      if (method === "eth_requestAccounts" || method === "eth_accounts") {
        return { result: this.connected ? [this.account] : [] };
      }
      if (method === "wallet_switchEthereumChain") return { result: null };
      if (method === "eth_sendTransaction") {
        const [tx] = params as [Record<string, string>];
        params = [{ ...tx, from: this.account }];
      }
      return rpc(this.rpcUrl, method, params);
    });
    await this.page.addInitScript(() => {
      const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
      const w = window as unknown as {
        ethereum: unknown;
        __curiaWalletRequest: (m: string, p: unknown[]) => Promise<{ result?: unknown; error?: unknown }>;
        __curiaWalletEmit: (event: string, value: unknown) => void;
      };
      w.__curiaWalletEmit = (event, value) => listeners.get(event)?.forEach((l) => l(value));
      w.ethereum = {
        isCuriaTestWallet: true,
        async request({ method, params }: { method: string; params?: unknown[] }) {
          const { result, error } = await w.__curiaWalletRequest(method, params ?? []);
          if (error !== undefined) {
            const e = error as { code?: number; message?: string; data?: unknown };
            throw Object.assign(new Error(e.message ?? "wallet error"), { code: e.code, data: e.data });
          }
          return result;
        },
        on(event: string, listener: (...args: unknown[]) => void) {
          if (!listeners.has(event)) listeners.set(event, new Set());
          listeners.get(event)!.add(listener);
        },
        removeListener(event: string, listener: (...args: unknown[]) => void) {
          listeners.get(event)?.delete(listener);
        },
      };
    });
  }

  /** Switches the wallet to Hardhat account `index` (the page hears `accountsChanged`). */
  async use(index: number): Promise<void> {
    this.account = ACCOUNTS[index]!;
    await this.page.evaluate((account) => {
      (window as unknown as { __curiaWalletEmit?: (e: string, v: unknown) => void }).__curiaWalletEmit?.(
        "accountsChanged",
        [account],
      );
    }, this.account);
  }
}

export const test = base.extend<{ wallet: TestWallet; chain: ChainHelper; stackInfo: Stack }>({
  stackInfo: async ({}, use) => {
    await use(stack());
  },
  baseURL: async ({}, use) => {
    await use(stack().webUrl);
  },
  chain: async ({}, use) => {
    await use(new ChainHelper(stack().rpcUrl));
  },
  wallet: async ({ page }, use) => {
    const wallet = new TestWallet(page, stack().rpcUrl, 0);
    await wallet.install();
    await use(wallet);
  },
});

export { expect };
