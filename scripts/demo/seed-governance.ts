// Demo holders for a local chain, so that delegation and voting can be tried at once in the web app or a wallet.
import { formatEther, parseEther, ZeroAddress, type Signer } from "ethers";
import type { CuriaToken } from "../../types/ethers-contracts/index.js";
import { unlockedAccount } from "../lib/dev-accounts.js";

export interface DemoHolder {
  /** Index among the chain's accounts (Hardhat's well-known test accounts on a local node). */
  account: number;
  amount: bigint;
  /** Account index to delegate to (itself for self-delegation), or null to keep the tokens undelegated. */
  delegateTo: number | null;
}

/**
 * With the local defaults (500M CUR minted, quorum 4% = 20M): #1 votes with 15M (its own 10M and #3's 5M) and
 * cannot reach quorum alone, #1 and #2 together (23M) can; #4 holds tokens that do not vote until delegated.
 */
export const DEMO_HOLDERS: readonly DemoHolder[] = [
  { account: 1, amount: parseEther("10000000"), delegateTo: 1 },
  { account: 2, amount: parseEther("8000000"), delegateTo: 2 },
  { account: 3, amount: parseEther("5000000"), delegateTo: 1 },
  { account: 4, amount: parseEther("1000000"), delegateTo: null },
];

export interface SeedGovernanceOptions {
  token: CuriaToken;
  /** The chain's accounts in order; #0 is the deployer, which holds the deployer allocation. */
  accounts: readonly Signer[];
  holders?: readonly DemoHolder[];
  log?: (message: string) => void;
}

/** Tops every holder up to its amount and sets its delegate. Re-running on a seeded chain sends nothing. */
export async function seedGovernance(options: SeedGovernanceOptions): Promise<void> {
  const { token, accounts } = options;
  const holders = options.holders ?? DEMO_HOLDERS;
  const log = options.log ?? (() => {});
  const account = (index: number): Signer => unlockedAccount(accounts, index);
  const funder = account(0);
  const funderAddress = await funder.getAddress();

  for (const holder of holders) {
    const signer = account(holder.account);
    const address = await signer.getAddress();
    const balance = await token.balanceOf(address);
    if (balance < holder.amount) {
      const missing = holder.amount - balance;
      const available = await token.balanceOf(funderAddress);
      if (available < missing) {
        throw new Error(
          `account #0 holds ${formatCur(available)}, not the ${formatCur(missing)} account #${holder.account} needs`,
        );
      }
      await (await token.connect(funder).transfer(address, missing)).wait();
      log(`#${holder.account} received ${formatCur(missing)}`);
    }
    const wanted = holder.delegateTo === null ? ZeroAddress : await account(holder.delegateTo).getAddress();
    if ((await token.delegates(address)) !== wanted) {
      await (await token.connect(signer).delegate(wanted)).wait();
      log(
        holder.delegateTo === null
          ? `#${holder.account} undelegated`
          : `#${holder.account} delegated to #${holder.delegateTo}`,
      );
    }
  }
}

export interface GovernanceAccountState {
  address: string;
  balance: bigint;
  votes: bigint;
  /** The zero address when the account has not delegated. */
  delegate: string;
}

/** What the token says about an account right now. */
export async function governanceAccountState(token: CuriaToken, address: string): Promise<GovernanceAccountState> {
  const [balance, votes, delegate] = await Promise.all([
    token.balanceOf(address),
    token.getVotes(address),
    token.delegates(address),
  ]);
  return { address, balance, votes, delegate };
}

/** "10,000,000 CUR, voting power 15,000,000 CUR, delegates to itself"; `indexOf` names known accounts by index. */
export function describeHolding(state: GovernanceAccountState, indexOf: ReadonlyMap<string, number>): string {
  const delegation =
    state.delegate === ZeroAddress
      ? "not delegated"
      : state.delegate === state.address
        ? "delegates to itself"
        : `delegates to ${indexOf.has(state.delegate) ? `#${indexOf.get(state.delegate)}` : state.delegate}`;
  return `${formatCur(state.balance)}, voting power ${formatCur(state.votes)}, ${delegation}`;
}

/** 12345678.5 CUR → "12,345,678.5 CUR". */
export function formatCur(amount: bigint): string {
  const [whole = "0", fraction = "0"] = formatEther(amount).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${grouped}${fraction === "0" ? "" : `.${fraction}`} CUR`;
}
