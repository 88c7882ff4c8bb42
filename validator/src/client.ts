// The validator's side of an inference call: the same signed request a paying consumer sends (@curia/protocol's
// inference request). Every answer must carry a receipt signed by the listing's serving key for this very call
// (receipts.ts): an answer without one is refused like a malformed answer, and the receipt is kept with its data.
import type { Signer, TypedDataDomain } from "ethers";
import type { InferenceReceipt, SignedReceiptWire } from "@curia/protocol";
import { base64ToF32, f32ToBase64, signInferenceRequest } from "@curia/protocol/ethers";
import type { Logger } from "./log.js";
import { CLASSES, INPUT_SIZE } from "./model/dataset.js";
import { ReceiptRejectedError, checkAnswerReceipt, type ListingKeys } from "./receipts.js";
import { withRetry } from "./retry.js";

/** The provider refused the request (4xx): retrying the same thing will not help. */
export class ProviderRefusedError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The provider did not answer (network errors, timeouts, 5xx) after every retry: the listing is unreachable. */
export class ProviderUnreachableError extends Error {}

/** One failed attempt on the provider's side (retried; {@link ProviderUnreachableError} once retries run out). */
class ProviderCallError extends Error {}

/** One answer with its checked receipt and the exact bytes the receipt hashes (a fraud proof needs all three). */
export interface ReceivedAnswer {
  listingId: bigint;
  endpoint: string;
  receipt: InferenceReceipt;
  receiptWire: SignedReceiptWire;
  signer: string;
  /** float32 little-endian bytes of the inputs sent (keccak256 = receipt.inputHash). */
  input: Uint8Array;
  /** float32 little-endian bytes of the outputs received (keccak256 = receipt.outputHash). */
  output: Uint8Array;
}

export interface ClientOptions {
  log?: Logger;
  attempts?: number;
  baseDelayMs?: number;
  timeoutMs?: number;
  ttlSeconds?: number;
  /**
   * The chain's clock, unix seconds (protocol's ChainClock): receipts dated more than 300 s from it are refused. A
   * development chain moved ahead of the wall clock dates receipts on its own clock. Default: the wall clock.
   */
  chainNow?: () => number;
  /** Called with every accepted answer and its receipt (the service keeps them on disk). */
  onAnswer?: (answer: ReceivedAnswer) => void;
}

export class InferenceClient {
  constructor(
    private readonly signer: Signer,
    private readonly domain: TypedDataDomain,
    /** Where the receipt's signer (the serving key) and model hash are checked: the registry on-chain. */
    private readonly keys: ListingKeys,
    private readonly options: ClientOptions = {},
  ) {}

  /**
   * Sends `count` input rows as one batch (`count` paid calls) and returns the provider's `count` output rows. `shape`
   * is the listing's task's wire shape (@curia/protocol's TASKS); default MNIST's 784 → 10.
   */
  async infer(
    endpoint: string,
    listingId: bigint,
    images: Float32Array,
    count: number,
    shape: { inputSize: number; outputSize: number } = { inputSize: INPUT_SIZE, outputSize: CLASSES },
  ): Promise<Float32Array> {
    const { inputSize, outputSize } = shape;
    if (images.length !== count * inputSize)
      throw new Error(`expected ${count} × ${inputSize} floats, got ${images.length}`);
    const inputsF32 = f32ToBase64(images);
    const input = new Uint8Array(Buffer.from(inputsF32, "base64"));
    return withRetry(
      async () => {
        // A fresh signature (and nonce) per attempt: the provider spends a nonce as soon as it sees it.
        const auth = await signInferenceRequest(this.signer, this.domain, listingId, {
          ttlSeconds: this.options.ttlSeconds ?? 120,
        });
        let response: Response;
        try {
          response = await fetch(endpoint, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ auth, inputsF32 }),
            signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
          });
        } catch (error) {
          throw new ProviderCallError(`provider ${endpoint} unreachable: ${(error as Error).message}`);
        }
        let text: string;
        try {
          text = await response.text();
        } catch (error) {
          throw new ProviderCallError(`provider ${endpoint} broke off its answer: ${(error as Error).message}`);
        }
        let body: { outputsF32?: string; receipt?: unknown; error?: { code?: string; message?: string } };
        try {
          body = JSON.parse(text) as typeof body;
        } catch {
          throw new ProviderCallError(
            `provider ${endpoint} answered ${response.status} with non-JSON: ${text.slice(0, 200)}`,
          );
        }
        if (!response.ok) {
          const message = `provider ${endpoint} answered ${response.status} ${body.error?.code ?? ""}: ${body.error?.message ?? text.slice(0, 200)}`;
          if (response.status >= 400 && response.status < 500) {
            throw new ProviderRefusedError(response.status, body.error?.code ?? "unknown", message);
          }
          throw new ProviderCallError(message);
        }
        if (typeof body.outputsF32 !== "string")
          throw new ProviderRefusedError(200, "bad_response", `provider ${endpoint} sent no outputsF32`);
        const out = base64ToF32(body.outputsF32);
        if (out === undefined || out.length !== count * outputSize) {
          throw new ProviderRefusedError(
            200,
            "bad_response",
            `provider ${endpoint} sent ${out?.length ?? "a broken list of"} values for ${count} inputs`,
          );
        }
        const output = new Uint8Array(Buffer.from(body.outputsF32, "base64"));
        let checked;
        try {
          checked = await checkAnswerReceipt(body.receipt, this.domain, this.keys, {
            listingId,
            caller: auth.caller,
            nonce: BigInt(auth.nonce),
            input,
            output,
            ...(this.options.chainNow !== undefined ? { now: this.options.chainNow() } : {}),
          });
        } catch (error) {
          if (!(error instanceof ReceiptRejectedError)) throw error; // the chain could not be read: transient
          throw new ProviderRefusedError(200, "bad_receipt", `provider ${endpoint}: answer refused, ${error.message}`);
        }
        this.options.onAnswer?.({
          listingId,
          endpoint,
          receipt: checked.receipt,
          receiptWire: body.receipt as SignedReceiptWire,
          signer: checked.signer,
          input,
          output,
        });
        return out;
      },
      {
        attempts: this.options.attempts ?? 4,
        baseDelayMs: this.options.baseDelayMs ?? 250,
        retryable: (error) => !(error instanceof ProviderRefusedError),
        onRetry: (error, attempt, delayMs) =>
          this.options.log?.warn("provider call failed, retrying", {
            endpoint,
            attempt,
            delayMs,
            reason: (error as Error).message,
          }),
      },
    ).catch((error: unknown) => {
      if (error instanceof ProviderRefusedError || !(error instanceof Error)) throw error;
      if (error instanceof ProviderCallError)
        throw new ProviderUnreachableError(`${error.message} (after every retry)`);
      throw error;
    });
  }
}
