// Test doubles for the app's contexts: a config, a fake public client, a fake EIP-1193 wallet, a fake GraphQL client.
// `render(Component, { props, context: testContext(...).context })` renders a component as <App> would host it.
import { hexToString, type Hex, type PublicClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { vi } from "vitest";
import { CHAIN_CONTEXT_KEY } from "../lib/chain";
import { ChainClock, CLOCK_CONTEXT_KEY } from "../lib/chain/clock.svelte";
import { frozenClock, type WallClockSource } from "../lib/chain/wall-clock.svelte";
import type { ChainContext } from "../lib/chain/context";
import { Wallet, WALLET_CONTEXT_KEY, type Eip1193Provider } from "../lib/chain/wallet.svelte";
import { DEV_CONFIG, type AppConfig } from "../lib/config";
import { GRAPHQL_CONTEXT_KEY, type GraphQLClient } from "../lib/graphql";

export const ACCOUNT = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
/** ACCOUNT's key: Hardhat's public test account #1 (the fake wallet signs messages with it, as a real wallet would). */
const ACCOUNT_KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

export const TEST_CONFIG: AppConfig = {
  ...DEV_CONFIG,
  contracts: {
    CuriaToken: "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9",
    CuriaGovernor: "0x5FC8d32690cc91D4c39d9d3abcBD16989F875707",
    CuriaTimelock: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
    ListingRegistry: "0xa513E6E4b8f2a923D98304ec87F64353C4D5C853",
    CurationPool: "0x2279B7A0a67DB372996a5FaB50D91eAA73d2eBe6",
    ListingChallenges: "0x0DCd1Bf9A1b36cE34237eEaFef220932846BCD82",
    Court: "0x8A791620dd6260079BF849Dc5567aDC3F2FdC318",
    JurorPool: "0x9A676e781A523b5d0C0e43731313A708CB607508",
    ValidationManager: "0x610178dA211FEF7D417bC0e6FeD39F05609AD788",
    ValidatorPool: "0x0B306BF915C4d645ff596e518fAf3F9669b97016",
    CuriaLens: "0x959922bE3CAee4b8Cd9a407cc3ac1C251C2007B1",
    CanaryAudits: "0x0000000000000000000000000000000000001234",
  },
};

/** A wallet on the right chain with ACCOUNT connected; records what it was asked. */
export class FakeProvider implements Eip1193Provider {
  calls: { method: string; params?: unknown }[] = [];
  chainId = TEST_CONFIG.chainId;
  accounts: string[] = [ACCOUNT];
  sendResult: () => Promise<string> = async () => `0x${"ab".repeat(32)}`;
  /** personal_sign answers as a user who rejects the prompt. */
  signRefused = false;

  async request({ method, params }: { method: string; params?: unknown }): Promise<unknown> {
    this.calls.push({ method, params });
    switch (method) {
      case "eth_accounts":
      case "eth_requestAccounts":
        return this.accounts;
      case "eth_chainId":
        return `0x${this.chainId.toString(16)}`;
      case "wallet_switchEthereumChain":
        this.chainId = Number((params as [{ chainId: string }])[0].chainId);
        return null;
      case "eth_sendTransaction":
        return this.sendResult();
      case "personal_sign": {
        // Deterministic (RFC 6979), like every wallet's personal_sign.
        const [data] = params as [Hex, string];
        if (this.signRefused) throw Object.assign(new Error("User rejected the request."), { code: 4001 });
        return privateKeyToAccount(ACCOUNT_KEY).signMessage({ message: hexToString(data) });
      }
      default:
        throw new Error(`FakeProvider: unexpected ${method}`);
    }
  }
}

export interface TestContext {
  context: Map<unknown, unknown>;
  chain: ChainContext;
  wallet: Wallet;
  provider: FakeProvider;
  clock: ChainClock;
}

export function testContext(options: {
  client?: Partial<PublicClient>;
  gql?: GraphQLClient;
  provider?: FakeProvider;
  now?: bigint;
  /** The wall clock behind the chain clock's estimate: frozen unless a test brings a ticking one. */
  wall?: WallClockSource;
}): TestContext {
  const chain: ChainContext = { config: TEST_CONFIG, client: (options.client ?? {}) as PublicClient };
  const provider = options.provider ?? new FakeProvider();
  const wallet = new Wallet(TEST_CONFIG, provider);
  const clock = new ChainClock(chain, options.wall ?? frozenClock(1_800_000_000_000));
  clock.now = options.now ?? 1_800_000_000n;
  const gql: GraphQLClient = options.gql ?? {
    url: "http://test/graphql",
    request: () => Promise.reject(new Error("no GraphQL in this test")),
  };
  const context = new Map<unknown, unknown>([
    [CHAIN_CONTEXT_KEY, chain],
    [WALLET_CONTEXT_KEY, wallet],
    [CLOCK_CONTEXT_KEY, clock],
    [GRAPHQL_CONTEXT_KEY, gql],
  ]);
  return { context, chain, wallet, provider, clock };
}

/**
 * A public client whose `readContract` answers from `reads` by `Contract.function` (the contract named by its address
 * in TEST_CONFIG: `"Court.parameters"`), else by function name (a CUR holder with no votes and no delegate unless
 * `reads` says otherwise); an answer that is a function is called with the arguments. Its simulations succeed and its
 * transactions are mined in block 3.
 */
export function fakeReadClient(reads: Record<string, unknown>): Partial<PublicClient> {
  const answers: Record<string, unknown> = {
    getVotes: 0n,
    delegates: "0x0000000000000000000000000000000000000000",
    ...reads,
  };
  const names = new Map(Object.entries(TEST_CONFIG.contracts).map(([name, address]) => [address.toLowerCase(), name]));
  return {
    readContract: vi.fn(
      async ({ address, functionName, args }: { address: string; functionName: string; args?: unknown[] }) => {
        const qualified = `${names.get(address.toLowerCase()) ?? address}.${functionName}`;
        const key = qualified in answers ? qualified : functionName;
        if (!(key in answers)) throw new Error(`unexpected read ${qualified}`);
        const answer = answers[key];
        return typeof answer === "function" ? (answer as (...a: unknown[]) => unknown)(...(args ?? [])) : answer;
      },
    ),
    call: vi.fn(async () => ({ data: "0x" as const })),
    waitForTransactionReceipt: vi.fn(async () => ({ status: "success", blockNumber: 3n })),
  } as unknown as Partial<PublicClient>;
}
