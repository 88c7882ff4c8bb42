// Probe buyers: every probe buys its calls from a fresh address, never from the validator's registered one. Buyer #i's
// key is derived from the private probe secret and i (HMAC-SHA256), so every key can be re-derived from the secret: a
// crash between funding a buyer and sweeping it back loses nothing (the ledger below names the buyers not yet swept,
// and the service sweeps them on start). The buyers are funded by a separate probe-funding account, which must not be
// the validator's key: otherwise every probe would hang off the validator's address again.
import { createHmac } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Wallet, getAddress, type Provider, type Signer, type TransactionResponse } from "ethers";
import { CuriaToken__factory, type CuriaToken } from "@curia/protocol/ethers";
import type { Logger } from "../log.js";
import { writeDurably } from "../state.js";

/** secp256k1's group order: a private key must be in [1, n). */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** Buyer #index's wallet, derived from the probe secret (the same secret and index give the same key, always). */
export function probeBuyerWallet(secret: Uint8Array, index: number, provider: Provider | null = null): Wallet {
  if (!Number.isInteger(index) || index < 0) throw new RangeError(`a buyer index is a natural number, got ${index}`);
  for (let attempt = 0; ; attempt++) {
    const key = createHmac("sha256", secret).update(`curia-probe-buyer:${index}:${attempt}`).digest("hex");
    const scalar = BigInt(`0x${key}`);
    if (scalar > 0n && scalar < SECP256K1_N) return new Wallet(`0x${key}`, provider);
  }
}

export type BuyerStatus = "reserved" | "funded" | "swept";

/** One buyer as the ledger keeps it: written before any funds move, updated after each step. */
export interface BuyerRecord {
  index: number;
  address: string;
  listingId: string;
  status: BuyerStatus;
  reservedAt: string;
  /** What the funding account sent it (wei of the native coin, CUR wei). */
  fundedWei?: string;
  fundedCur?: string;
  /** What came back (the native coin's gas dust stays: see docs/probes.md). */
  sweptWei?: string;
  sweptCur?: string;
}

/** <state>/probes/buyers/<index>.json, one file per buyer ever used. */
export class BuyerLedger {
  readonly dir: string;

  constructor(validatorStateDir: string) {
    this.dir = join(validatorStateDir, "probes", "buyers");
    mkdirSync(this.dir, { recursive: true });
  }

  private path(index: number): string {
    return join(this.dir, `${index}.json`);
  }

  all(): BuyerRecord[] {
    return readdirSync(this.dir)
      .filter((f) => /^\d+\.json$/.test(f))
      .map((f) => JSON.parse(readFileSync(join(this.dir, f), "utf8")) as BuyerRecord)
      .sort((a, b) => a.index - b.index);
  }

  /** The next unused index, recorded durably before it is funded: a crash never reuses a buyer. */
  reserve(address: (index: number) => string, listingId: bigint): BuyerRecord {
    const used = readdirSync(this.dir)
      .filter((f) => /^\d+\.json$/.test(f))
      .map((f) => Number(f.slice(0, -5)));
    let index = used.length === 0 ? 0 : Math.max(...used) + 1;
    while (existsSync(this.path(index))) index++;
    const record: BuyerRecord = {
      index,
      address: address(index),
      listingId: listingId.toString(),
      status: "reserved",
      reservedAt: new Date().toISOString(),
    };
    writeDurably(this.path(index), JSON.stringify(record, null, 2) + "\n");
    return record;
  }

  update(index: number, change: Partial<BuyerRecord>): BuyerRecord {
    const record = { ...(JSON.parse(readFileSync(this.path(index), "utf8")) as BuyerRecord), ...change };
    writeDurably(this.path(index), JSON.stringify(record, null, 2) + "\n");
    return record;
  }

  /** Buyers that may still hold funds. */
  unswept(): BuyerRecord[] {
    return this.all().filter((r) => r.status !== "swept");
  }
}

/** The probe-funding account cannot pay for a probe. */
export class ProbeFundingError extends Error {}

/**
 * The probe-funding account: sends each fresh buyer exactly what its probe costs (the calls at the price cap, and gas)
 * and receives the leftovers back. One per process: its transactions are sent one at a time (several validator keys in
 * one process share it, and concurrent sends from one account would race for nonces).
 */
export class ProbeFunder {
  readonly address: string;
  private readonly token: CuriaToken;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly wallet: Signer & { address: string },
    /** How logs name the key ("keystore <path>", "Hardhat test account #20 …"). */
    readonly label: string,
    tokenAddress: string,
  ) {
    this.address = getAddress(wallet.address);
    this.token = CuriaToken__factory.connect(tokenAddress, wallet);
  }

  /** Refuses a funding account that is one of the validator keys it would fund probes for. */
  assertNotValidator(validators: readonly string[]): void {
    const clash = validators.find((v) => getAddress(v) === this.address);
    if (clash !== undefined) {
      throw new ProbeFundingError(
        `the probe-funding account ${this.address} (${this.label}) is the validator key ${clash}: probes funded by ` +
          `the registered address are linked to it on-chain; use a separate account (--probe-funding-keystore)`,
      );
    }
  }

  private serial<T>(action: () => Promise<T>): Promise<T> {
    const next = this.queue.then(action, action);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Sends `to` `wei` of the native coin (its gas) and `cur` CUR wei (its calls), after checking both balances. */
  fund(to: string, wei: bigint, cur: bigint, log?: Logger): Promise<void> {
    return this.serial(async () => {
      const provider = this.wallet.provider;
      if (provider === null) throw new Error("the probe-funding account has no provider");
      const [coin, tokens] = await Promise.all([provider.getBalance(this.address), this.token.balanceOf(this.address)]);
      if (coin < wei || tokens < cur) {
        throw new ProbeFundingError(
          `the probe-funding account ${this.address} (${this.label}) holds ${coin} wei and ${tokens} CUR wei; a probe ` +
            `needs ${wei} wei of gas and ${cur} CUR wei: fund it`,
        );
      }
      if (wei > 0n) await waitMined(await this.wallet.sendTransaction({ to, value: wei }));
      if (cur > 0n) await waitMined(await this.token.transfer(to, cur));
      log?.debug("funded a probe buyer", { buyer: to, wei, cur });
    });
  }
}

async function waitMined(tx: TransactionResponse | { wait(): Promise<unknown> }): Promise<void> {
  await tx.wait();
}

/**
 * Sends everything `buyer` holds back to `to`: its CUR, then its native coin less the transfer's own gas at the fee
 * cap (what the fee market refunds below that cap stays behind as dust).
 */
export async function sweepBuyer(
  buyer: Wallet,
  to: string,
  tokenAddress: string,
): Promise<{ wei: bigint; cur: bigint }> {
  const provider = buyer.provider;
  if (provider === null) throw new Error("a probe buyer needs a provider to sweep");
  const token = CuriaToken__factory.connect(tokenAddress, buyer);
  const cur = await token.balanceOf(buyer.address);
  if (cur > 0n) await waitMined(await token.transfer(to, cur));
  const balance = await provider.getBalance(buyer.address);
  const fees = await provider.getFeeData();
  const maxFeePerGas = fees.maxFeePerGas ?? fees.gasPrice ?? 0n;
  const maxPriorityFeePerGas = fees.maxPriorityFeePerGas ?? maxFeePerGas;
  const gasLimit = 21_000n;
  const wei = balance - gasLimit * maxFeePerGas;
  if (wei <= 0n) return { wei: 0n, cur };
  await waitMined(
    await buyer.sendTransaction({
      to,
      value: wei,
      gasLimit,
      ...(fees.maxFeePerGas !== null
        ? {
            maxFeePerGas,
            maxPriorityFeePerGas: maxPriorityFeePerGas > maxFeePerGas ? maxFeePerGas : maxPriorityFeePerGas,
          }
        : { gasPrice: maxFeePerGas }),
    }),
  );
  return { wei, cur };
}
