// The validator's side of an inference call: the same signed request a paying consumer sends (@curia/protocol's
// inference request).
import type { Signer, TypedDataDomain } from "ethers";
import { base64ToF32, f32ToBase64, signInferenceRequest } from "@curia/protocol/ethers";
import type { Logger } from "./log.js";
import { CLASSES, INPUT_SIZE } from "./model/dataset.js";
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

export interface ClientOptions {
  log?: Logger;
  attempts?: number;
  baseDelayMs?: number;
  timeoutMs?: number;
  ttlSeconds?: number;
}

export class InferenceClient {
  constructor(
    private readonly signer: Signer,
    private readonly domain: TypedDataDomain,
    private readonly options: ClientOptions = {},
  ) {}

  /** Sends `count` images as one batch (`count` paid calls) and returns the provider's `count` × 10 outputs. */
  async infer(endpoint: string, listingId: bigint, images: Float32Array, count: number): Promise<Float32Array> {
    if (images.length !== count * INPUT_SIZE)
      throw new Error(`expected ${count} × ${INPUT_SIZE} floats, got ${images.length}`);
    const inputsF32 = f32ToBase64(images);
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
          throw new Error(`provider ${endpoint} unreachable: ${(error as Error).message}`);
        }
        const text = await response.text();
        let body: { outputsF32?: string; error?: { code?: string; message?: string } };
        try {
          body = JSON.parse(text) as typeof body;
        } catch {
          throw new Error(`provider ${endpoint} answered ${response.status} with non-JSON: ${text.slice(0, 200)}`);
        }
        if (!response.ok) {
          const message = `provider ${endpoint} answered ${response.status} ${body.error?.code ?? ""}: ${body.error?.message ?? text.slice(0, 200)}`;
          if (response.status >= 400 && response.status < 500) {
            throw new ProviderRefusedError(response.status, body.error?.code ?? "unknown", message);
          }
          throw new Error(message);
        }
        if (typeof body.outputsF32 !== "string")
          throw new ProviderRefusedError(200, "bad_response", `provider ${endpoint} sent no outputsF32`);
        const out = base64ToF32(body.outputsF32);
        if (out === undefined || out.length !== count * CLASSES) {
          throw new ProviderRefusedError(
            200,
            "bad_response",
            `provider ${endpoint} sent ${out?.length ?? "a broken list of"} values for ${count} inputs`,
          );
        }
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
    );
  }
}
