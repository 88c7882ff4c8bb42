// The injected wallet (EIP-1193: MetaMask and the like) as shared reactive state, exposed through context.
// Knows the account and the chain, prompts for the configured network, and sends the transaction component's calls.
import { getContext, setContext } from "svelte";
import { getAddress, numberToHex, stringToHex, type Address, type Hex } from "viem";
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

/** A wallet the user can pick: announced through EIP-6963, the legacy window.ethereum, or the built-in dev wallet. */
export interface WalletOption {
  /** `eip6963:<uuid>`, `injected` or `dev`: what the app remembers between visits. */
  id: string;
  kind: "eip6963" | "injected" | "dev";
  name: string;
  /** A data: URI (EIP-6963 wallets announce one). */
  icon?: string;
  provider: Eip1193Provider;
}

/** Where the app remembers the chosen wallet (localStorage when there is one). */
export interface WalletMemory {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const CHOICE_KEY = "curia:wallet";

function browserMemory(): WalletMemory | undefined {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    return undefined; // storage disabled
  }
}

export class Wallet {
  account = $state<Address | undefined>(undefined);
  chainId = $state<number | undefined>(undefined);
  connecting = $state(false);
  error = $state<string | undefined>(undefined);
  /** Every wallet found so far, in the order offered (EIP-6963 wallets, the legacy injected one, the dev wallet). */
  options = $state<WalletOption[]>([]);
  /** The wallet in use (or about to be): its calls go to `provider`. */
  current = $state<WalletOption | undefined>(undefined);

  /** The current wallet's provider. */
  get provider(): Eip1193Provider | undefined {
    return this.current?.provider;
  }

  /** Some wallet can be used (injected, announced, or the dev wallet on a local chain). */
  get available(): boolean {
    return this.options.length > 0;
  }

  get connected(): boolean {
    return this.account !== undefined;
  }

  /** Connected through the built-in dev wallet (the local chain's public test accounts). */
  get isDev(): boolean {
    return this.current?.kind === "dev" && this.account !== undefined;
  }

  /** Connected, but to another chain than the app's. */
  get wrongNetwork(): boolean {
    return this.account !== undefined && this.chainId !== this.config.chainId;
  }

  private readonly memory: WalletMemory | undefined;
  private unbind: (() => void) | undefined;

  /**
   * `injected` is window.ethereum (or a test double); `dev` the built-in dev wallet, which the app creates on a local
   * chain only. More wallets arrive through `addOption` (EIP-6963 announcements).
   */
  constructor(
    readonly config: AppConfig,
    injected: Eip1193Provider | undefined,
    options: { dev?: Eip1193Provider; memory?: WalletMemory } = {},
  ) {
    this.memory = options.memory ?? browserMemory();
    if (injected) this.addOption({ id: "injected", kind: "injected", name: "Browser wallet", provider: injected });
    if (options.dev) {
      this.addOption({ id: "dev", kind: "dev", name: "Dev wallet (local test accounts)", provider: options.dev });
    }
  }

  /** Adds a wallet; an EIP-6963 wallet that is also window.ethereum replaces the unnamed "Browser wallet". */
  addOption(option: WalletOption): void {
    if (this.options.some((o) => o.id === option.id)) return;
    const duplicate = this.options.find((o) => o.kind === "injected" && o.provider === option.provider);
    const rest = this.options.filter((o) => o !== duplicate);
    // Announced wallets first, then the legacy one, the dev wallet last.
    const rank = (o: WalletOption): number => ({ eip6963: 0, injected: 1, dev: 2 })[o.kind];
    this.options = [...rest, option].sort((a, b) => rank(a) - rank(b));
    if (duplicate && this.current === duplicate) this.use(option);
  }

  /** The wallet "Connect wallet" uses: the one chosen last time, else the first injected one, else the dev wallet. */
  get defaultOption(): WalletOption | undefined {
    const remembered = this.memory?.getItem(CHOICE_KEY);
    return this.options.find((o) => o.id === remembered) ?? this.options[0];
  }

  /** Makes `option` the current wallet and listens to it (accounts and chain changes). */
  private use(option: WalletOption): void {
    if (this.current === option) return;
    this.unbind?.();
    this.unbind = undefined;
    this.current = option;
    const provider = option.provider;
    if (provider.on) {
      const onAccounts = (accounts: unknown): void => this.setAccounts(accounts);
      const onChain = (chainId: unknown): void => {
        this.chainId = Number(chainId);
      };
      provider.on("accountsChanged", onAccounts);
      provider.on("chainChanged", onChain);
      this.unbind = () => {
        provider.removeListener?.("accountsChanged", onAccounts);
        provider.removeListener?.("chainChanged", onChain);
      };
    }
  }

  private setAccounts(accounts: unknown): void {
    const first = Array.isArray(accounts) ? accounts[0] : undefined;
    this.account = typeof first === "string" ? getAddress(first) : undefined;
  }

  /** Picks up an already authorised account without a prompt (eth_accounts) from the remembered or default wallet. */
  async restore(): Promise<void> {
    const option = this.defaultOption;
    if (!option) return;
    // The dev wallet connects without a prompt, so it is restored only when it was the user's choice.
    if (option.kind === "dev" && this.memory?.getItem(CHOICE_KEY) !== "dev") return;
    this.use(option);
    try {
      this.setAccounts(await option.provider.request({ method: "eth_accounts" }));
      if (this.account) this.chainId = Number(await option.provider.request({ method: "eth_chainId" }));
    } catch {
      // A wallet that refuses eth_accounts before connecting: the user connects by hand.
    }
  }

  /** Connects `option` (by default the remembered or first wallet) and remembers the choice. */
  async connect(option: WalletOption | undefined = this.defaultOption): Promise<void> {
    if (!option) {
      this.error = "No wallet found. Install a browser wallet (MetaMask or similar) to sign transactions.";
      return;
    }
    this.use(option);
    this.connecting = true;
    this.error = undefined;
    try {
      this.setAccounts(await option.provider.request({ method: "eth_requestAccounts" }));
      this.chainId = Number(await option.provider.request({ method: "eth_chainId" }));
      this.memory?.setItem(CHOICE_KEY, option.id);
    } catch (error) {
      this.account = undefined;
      this.error = (error as { message?: string }).message ?? String(error);
    } finally {
      this.connecting = false;
    }
  }

  disconnect(): void {
    this.account = undefined;
    this.memory?.removeItem(CHOICE_KEY);
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

  /** Signs EIP-712 typed data with the connected account (eth_signTypedData_v4). */
  async signTypedData(data: TypedDataPayload): Promise<Hex> {
    if (!this.provider || !this.account) throw new Error("Connect a wallet first.");
    const types = { EIP712Domain: eip712DomainType(data.domain), ...data.types };
    const json = JSON.stringify({ ...data, types }, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
    return (await this.provider.request({ method: "eth_signTypedData_v4", params: [this.account, json] })) as Hex;
  }

  /** Signs a text message with the connected account (personal_sign, EIP-191). */
  async signMessage(message: string): Promise<Hex> {
    if (!this.provider || !this.account) throw new Error("Connect a wallet first.");
    return (await this.provider.request({
      method: "personal_sign",
      params: [stringToHex(message), this.account],
    })) as Hex;
  }
}

/** `eth_signTypedData_v4` payload (viem's typed data, numbers as bigints allowed). */
export interface TypedDataPayload {
  domain: Record<string, unknown>;
  types: Record<string, readonly { name: string; type: string }[]>;
  primaryType: string;
  message: Record<string, unknown>;
}

/** The EIP712Domain fields present in `domain`, in the standard's order (wallets hash what the type lists). */
function eip712DomainType(domain: Record<string, unknown>): { name: string; type: string }[] {
  const fields = [
    { name: "name", type: "string" },
    { name: "version", type: "string" },
    { name: "chainId", type: "uint256" },
    { name: "verifyingContract", type: "address" },
    { name: "salt", type: "bytes32" },
  ];
  return fields.filter((f) => domain[f.name] !== undefined);
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
