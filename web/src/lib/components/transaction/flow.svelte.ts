// The transaction flow behind <Transaction>: for each step, simulate (eth_call from the account), send through the
// wallet, wait for the receipt; a revert at any point is decoded with the contracts' ABIs.
import type { Hex, TransactionReceipt } from "viem";
import type { ChainContext, TxRequest } from "../../chain/context";
import { decodeError, type DecodedError } from "../../chain/errors";
import type { Wallet } from "../../chain/wallet.svelte";

export type TxPhase = "idle" | "preparing" | "simulating" | "signing" | "pending" | "confirmed" | "failed";

export class TransactionFlow {
  phase = $state<TxPhase>("idle");
  /** Index of the step in progress (0-based) and how many there are. */
  step = $state(0);
  steps = $state<TxRequest[]>([]);
  hash = $state<Hex | undefined>(undefined);
  receipt = $state<TransactionReceipt | undefined>(undefined);
  error = $state<DecodedError | undefined>(undefined);

  readonly busy = $derived(
    this.phase === "preparing" || this.phase === "simulating" || this.phase === "signing" || this.phase === "pending",
  );
  readonly current = $derived(this.steps[this.step]);

  constructor(
    private readonly chain: ChainContext,
    private readonly wallet: Wallet,
  ) {}

  reset(): void {
    this.phase = "idle";
    this.step = 0;
    this.steps = [];
    this.hash = undefined;
    this.receipt = undefined;
    this.error = undefined;
  }

  /** Runs every step in order; resolves with the last receipt, or undefined when a step failed. */
  async run(
    prepare: () => Promise<TxRequest | TxRequest[]> | TxRequest | TxRequest[],
  ): Promise<TransactionReceipt | undefined> {
    this.reset();
    this.phase = "preparing";
    try {
      const prepared = await prepare();
      this.steps = Array.isArray(prepared) ? prepared : [prepared];
      const account = this.wallet.account;
      if (!account) throw new Error("Connect a wallet first.");
      for (let i = 0; i < this.steps.length; i++) {
        const tx = this.steps[i]!;
        this.step = i;
        this.hash = undefined;
        this.phase = "simulating";
        // A dry run first, in the pending block (the one the transaction will land in: a checkpoint taken in the
        // latest block already counts there): a revert is shown with its decoded error before anything is signed.
        await this.chain.client.call({ account, to: tx.to, data: tx.data, value: tx.value, blockTag: "pending" });
        this.phase = "signing";
        this.hash = await this.wallet.send(tx);
        this.phase = "pending";
        const receipt = await this.chain.client.waitForTransactionReceipt({ hash: this.hash, pollingInterval: 250 });
        this.receipt = receipt;
        if (receipt.status === "reverted") {
          // Replay it on the state it ran against: the call throws with the revert data, decoded below.
          await this.chain.client.call({
            account,
            to: tx.to,
            data: tx.data,
            value: tx.value,
            blockNumber: receipt.blockNumber - 1n,
          });
          throw new Error(`The transaction reverted in block ${receipt.blockNumber}.`);
        }
      }
      this.phase = "confirmed";
      return this.receipt;
    } catch (error) {
      this.error = decodeError(error);
      this.phase = "failed";
      return undefined;
    }
  }
}
