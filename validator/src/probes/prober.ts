// One probe: a fresh buyer (probe secret + the next index) is funded by the probe-funding account with exactly the
// calls' cost at the price cap and its gas, buys exactly those calls with `maxPricePerCall` through the protocol's
// CuriaClient, sends fresh private inputs in requests of random sizes, and is swept back to the funding account. The
// answers, their receipts and the bytes behind them are kept (store.ts) for the round that scores the listing.
import type { Provider, Signer } from "ethers";
import { receiptDigest, toEvidenceURI, type InferenceDomain } from "@curia/protocol";
import { CuriaClient, IListingRegistry__factory, PriceAboveCapError } from "@curia/protocol/ethers";
import type { CuriaAddresses } from "../chain.js";
import {
  ProviderRefusedError,
  ProviderUnreachableError,
  type InferenceClient,
  type ReceivedAnswer,
} from "../client.js";
import type { Logger } from "../log.js";
import { INPUT_SIZE } from "../model/dataset.js";
import type { TaskPlugin } from "../tasks/types.js";
import { BuyerLedger, probeBuyerWallet, sweepBuyer, type ProbeFunder } from "./buyers.js";
import { probeInputs } from "./inputs.js";
import { requestSizes, type ProbeSchedule } from "./schedule.js";
import type { ProbeAnswer, ProbeFault, ProbeRecord, ProbeStore } from "./store.js";

/** The listing's price is above the cap (at a round's opening, or when the probe was due): nothing was bought. */
export class PriceRaisedError extends Error {}

export interface ProberOptions {
  secret: Uint8Array;
  funder: ProbeFunder;
  provider: Provider;
  addresses: CuriaAddresses;
  domain: InferenceDomain;
  store: ProbeStore;
  ledger: BuyerLedger;
  /** A client that signs requests as `signer` and hands every accepted answer to `onAnswer`. */
  clientFor(signer: Signer, onAnswer: (answer: ReceivedAnswer) => void): InferenceClient;
  /** Gas units a buyer is funded for at the current fee cap: its approve and purchase, and its sweep. */
  gasPerBuyer: bigint;
  schedule: ProbeSchedule;
  /** The chain's clock, unix seconds. */
  now(): number;
  log: Logger;
  /** A provider whose chain view lags may refuse a just-bought call with 402: retried this often, this far apart. */
  paymentRetries?: { attempts: number; delayMs: number };
}

export interface ProbeTarget {
  listingId: bigint;
  endpoint: string;
  /** The listing's task (its metadata's): a non-MNIST task's probe inputs come from its plugin's generator. */
  task?: TaskPlugin;
}

/** The custom error a failed transaction reverted with, when ethers decoded one. */
function revertName(error: unknown): string | undefined {
  return (error as { revert?: { name?: string } }).revert?.name;
}

export class Prober {
  constructor(readonly options: ProberOptions) {}

  get store(): ProbeStore {
    return this.options.store;
  }

  /**
   * Probes `target` with `calls` fresh inputs bought at no more than `maxPricePerCall` each. Returns the stored record.
   * Throws {@link PriceRaisedError} (nothing bought; funds swept back) or a transient error (funding, RPC: nothing
   * stored, try again).
   */
  async probe(
    target: ProbeTarget,
    calls: number,
    maxPricePerCall: bigint,
    meta: Pick<ProbeRecord, "reason" | "slot">,
  ): Promise<ProbeRecord> {
    const { options } = this;
    const { addresses, provider, ledger, funder, secret, log } = options;
    // A price already above the cap: nothing to fund or buy.
    const { pricePerCall } = await IListingRegistry__factory.connect(addresses.registry, provider).getListing(
      target.listingId,
    );
    if (pricePerCall > maxPricePerCall) {
      throw new PriceRaisedError(
        `listing ${target.listingId} raised its price to ${pricePerCall} wei per call, above the cap of ` +
          `${maxPricePerCall} (its price when the round opened, or when the probe was due): nothing bought`,
      );
    }
    const reserved = ledger.reserve((i) => probeBuyerWallet(secret, i).address, target.listingId);
    const buyer = probeBuyerWallet(secret, reserved.index, provider);
    const fees = await provider.getFeeData();
    const gasWei = options.gasPerBuyer * (fees.maxFeePerGas ?? fees.gasPrice ?? 0n);
    const cost = maxPricePerCall * BigInt(calls);
    await funder.fund(buyer.address, gasWei, cost, log);
    ledger.update(reserved.index, { status: "funded", fundedWei: gasWei.toString(), fundedCur: cost.toString() });
    try {
      return await this.buyAndSend(target, calls, maxPricePerCall, buyer, reserved.index, meta);
    } finally {
      await this.sweep(reserved.index);
    }
  }

  private async buyAndSend(
    target: ProbeTarget,
    calls: number,
    maxPricePerCall: bigint,
    buyer: ReturnType<typeof probeBuyerWallet>,
    index: number,
    meta: Pick<ProbeRecord, "reason" | "slot">,
  ): Promise<ProbeRecord> {
    const { options } = this;
    const client = new CuriaClient({
      signer: buyer,
      chainId: options.addresses.chainId,
      registry: options.addresses.registry,
      challenges: options.addresses.challenges,
    });
    let pricePerCall: bigint;
    try {
      // Exactly the calls needed, at no more than the cap: approves exactly the cost, and the contract refuses a
      // price raised under the pending purchase (ListingPriceAboveMax).
      const bought = await client.buyCalls(target.listingId, BigInt(calls), maxPricePerCall);
      pricePerCall = bought.cost / BigInt(calls);
    } catch (error) {
      if (error instanceof PriceAboveCapError || revertName(error) === "ListingPriceAboveMax") {
        throw new PriceRaisedError(
          `listing ${target.listingId} raised its price above ${maxPricePerCall} wei per call: ${(error as Error).message}`,
        );
      }
      throw error;
    }
    // Fresh private inputs from the probe secret: MNIST's perturbed digits, or the listing's task's own generator.
    const task = target.task !== undefined && target.task.spec.id !== "mnist" ? target.task : undefined;
    const inputs =
      task === undefined
        ? probeInputs(options.secret, `buyer:${index}`, calls)
        : { images: (await task.generate(options.secret, `buyer:${index}`, calls)).inputs, labels: new Uint8Array(0) };
    const inputSize = task?.spec.inputSize ?? INPUT_SIZE;
    const received: ReceivedAnswer[] = [];
    const inference = options.clientFor(buyer, (answer) => received.push(answer));
    const answers: ProbeAnswer[] = [];
    let answered = 0;
    let fault: ProbeFault | undefined;
    let interrupted: string | undefined;
    const probedAt = options.now();
    for (const size of requestSizes(options.secret, `buyer:${index}`, calls, options.schedule)) {
      const images = inputs.images.subarray(answered * inputSize, (answered + size) * inputSize);
      try {
        await this.send(inference, target, images, size, task?.spec);
      } catch (error) {
        if (error instanceof ProviderUnreachableError) fault = { kind: "unreachable", reason: error.message };
        else if (error instanceof ProviderRefusedError) fault = { kind: "unverifiable", reason: error.message };
        else interrupted = (error as Error).message; // ours (the chain could not be read): not the provider's fault
        break;
      }
      const answer = received.at(-1)!;
      answers.push({
        receiptDigest: receiptDigest(options.domain, answer.receipt),
        receipt: answer.receiptWire,
        inputURI: toEvidenceURI(answer.input),
        outputURI: toEvidenceURI(answer.output),
        count: size,
      });
      answered += size;
    }
    if (interrupted !== undefined && answered === 0) {
      throw new Error(`probe of listing ${target.listingId} interrupted before any answer: ${interrupted}`);
    }
    const record: ProbeRecord = {
      buyerIndex: index,
      buyer: buyer.address,
      listingId: target.listingId.toString(),
      ...meta,
      probedAt,
      calls: interrupted === undefined ? calls : answered,
      pricePerCall: pricePerCall.toString(),
      labels: Array.from(inputs.labels),
      answers,
      unanswered: fault === undefined ? 0 : calls - answered,
      ...(fault !== undefined ? { fault } : {}),
    };
    options.store.add(record);
    // The buyer's index, not its address: logs often leave the machine, and the address is what links it to us.
    options.log.info("probed", {
      listing: target.listingId,
      buyer: index,
      reason: meta.reason,
      calls,
      answered,
      ...(fault !== undefined ? { fault: fault.kind } : {}),
      ...(interrupted !== undefined ? { interrupted } : {}),
    });
    return record;
  }

  /** One request; a 402 right after the purchase is retried (the provider's view of the chain may lag behind it). */
  private async send(
    client: InferenceClient,
    target: ProbeTarget,
    images: Float32Array,
    count: number,
    shape?: { inputSize: number; outputSize: number },
  ): Promise<Float32Array> {
    const { attempts, delayMs } = this.options.paymentRetries ?? { attempts: 3, delayMs: 1000 };
    for (let attempt = 1; ; attempt++) {
      try {
        return await (shape === undefined
          ? client.infer(target.endpoint, target.listingId, images, count)
          : client.infer(target.endpoint, target.listingId, images, count, shape));
      } catch (error) {
        if (!(error instanceof ProviderRefusedError) || error.status !== 402 || attempt >= attempts) throw error;
        await new Promise((resolve) => setTimeout(resolve, delayMs * attempt));
      }
    }
  }

  /** Sends buyer `index`'s leftovers back to the funding account (a failure is logged; {@link sweepAll} retries). */
  private async sweep(index: number): Promise<void> {
    const { options } = this;
    const buyer = probeBuyerWallet(options.secret, index, options.provider);
    try {
      const { wei, cur } = await sweepBuyer(buyer, options.funder.address, options.addresses.token);
      options.ledger.update(index, { status: "swept", sweptWei: wei.toString(), sweptCur: cur.toString() });
    } catch (error) {
      options.log.warn("sweeping a probe buyer failed, will retry", {
        buyer: buyer.address,
        reason: (error as Error).message,
      });
    }
  }

  /** Sweeps every buyer the ledger says may still hold funds (after a crash or a failed sweep). */
  async sweepAll(): Promise<void> {
    for (const record of this.options.ledger.unswept()) await this.sweep(record.index);
  }
}
