// The injected wallet (EIP-1193: MetaMask and the like) as shared reactive state, exposed through context.
// Knows the account and the chain, prompts for the configured network, and sends the transaction component's calls.
import { getContext, setContext } from "svelte";
import { getAddress, numberToHex, type Address, type Hex } from "viem";
import type { AppConfig } from "../config";
import type { TxRequest } from "./context";

export interface Eip1193Provider {
  request(args: { method: string; params?: unknown[] | Record<string, unknown> }): Promise<unknown>;
  on?(event: string, listener: (...args: unknown[]) => void): void;
  removeListener?(event: string, listener: (...args: unknown[]) => void): void;
}

declare global {
  interface Window {
    ethereum?: Eip1193Provider;
  }
}

export class Wallet {
  account = $state<Address | undefined>(undefined);
  chainId = $state<number | undefined>(undefined);
  connecting = $state(false);
  error = $state<string | undefined>(undefined);
  /** A wallet is injected (window.ethereum). */
  get available(): boolean {
    return this.provider !== undefined;
  }

  get connected(): boolean {
    return this.account !== undefined;
  }

  /** Connected, but to another chain than the app's. */
  get wrongNetwork(): boolean {
    return this.account !== undefined && this.chainId !== this.config.chainId;
  }

  constructor(
    readonly config: AppConfig,
    readonly provider: Eip1193Provider | undefined,
  ) {
    if (provider?.on) {
      provider.on("accountsChanged", (accounts) => this.setAccounts(accounts));
      provider.on("chainChanged", (chainId) => (this.chainId = Number(chainId)));
    }
  }

  private setAccounts(accounts: unknown): void {
    const first = Array.isArray(accounts) ? accounts[0] : undefined;
    this.account = typeof first === "string" ? getAddress(first) : undefined;
  }

  /** Picks up an already authorised account without a prompt (eth_accounts). */
  async restore(): Promise<void> {
    if (!this.provider) return;
    try {
      this.setAccounts(await this.provider.request({ method: "eth_accounts" }));
      if (this.account) this.chainId = Number(await this.provider.request({ method: "eth_chainId" }));
    } catch {
      // A wallet that refuses eth_accounts before connecting: the user connects by hand.
    }
  }

  async connect(): Promise<void> {
    if (!this.provider) {
      this.error = "No wallet found. Install a browser wallet (MetaMask or similar) to sign transactions.";
      return;
    }
    this.connecting = true;
    this.error = undefined;
    try {
      this.setAccounts(await this.provider.request({ method: "eth_requestAccounts" }));
      this.chainId = Number(await this.provider.request({ method: "eth_chainId" }));
    } catch (error) {
      this.error = (error as { message?: string }).message ?? String(error);
    } finally {
      this.connecting = false;
    }
  }

  disconnect(): void {
    this.account = undefined;
  }

  /** Asks the wallet to switch to the app's chain, adding it first when the wallet does not know it (4902). */
  async switchChain(): Promise<void> {
    if (!this.provider) return;
    const chainId = numberToHex(this.config.chainId);
    this.error = undefined;
    try {
      await this.provider.request({ method: "wallet_switchEthereumChain", params: [{ chainId }] });
    } catch (error) {
      if ((error as { code?: number }).code !== 4902) {
        this.error = (error as { message?: string }).message ?? String(error);
        return;
      }
      await this.provider.request({
        method: "wallet_addEthereumChain",
        params: [
          {
            chainId,
            chainName: this.config.chainName,
            rpcUrls: [this.config.rpcUrl],
            nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
          },
        ],
      });
    }
    this.chainId = Number(await this.provider.request({ method: "eth_chainId" }));
  }

  /** Sends one call through the wallet; resolves with the transaction hash once the wallet has submitted it. */
  async send(tx: TxRequest): Promise<Hex> {
    if (!this.provider || !this.account) throw new Error("Connect a wallet first.");
    if (this.wrongNetwork) throw new Error(`Switch your wallet to ${this.config.chainName} first.`);
    const params: Record<string, string> = { from: this.account, to: tx.to, data: tx.data };
    if (tx.value !== undefined && tx.value > 0n) params.value = numberToHex(tx.value);
    return (await this.provider.request({ method: "eth_sendTransaction", params: [params] })) as Hex;
  }
}

const KEY = Symbol("wallet");
export const WALLET_CONTEXT_KEY = KEY;

export function setWallet(wallet: Wallet): Wallet {
  return setContext(KEY, wallet);
}

export function getWallet(): Wallet {
  const wallet = getContext<Wallet | undefined>(KEY);
  if (!wallet) throw new Error("no Wallet in context: render inside <App> or pass one in the test's context");
  return wallet;
}
