/** Retries `action` with exponential backoff (base, 2×base, 4×base … capped at `maxDelayMs`) while `retryable` says so. */
export async function withRetry<T>(
  action: (attempt: number) => Promise<T>,
  options: {
    attempts?: number;
    baseDelayMs?: number;
    maxDelayMs?: number;
    retryable?: (error: unknown) => boolean;
    onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  } = {},
): Promise<T> {
  const attempts = options.attempts ?? 5;
  const base = options.baseDelayMs ?? 250;
  const max = options.maxDelayMs ?? 8_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await action(attempt);
    } catch (error) {
      if (attempt >= attempts || !(options.retryable?.(error) ?? true)) throw error;
      const delay = Math.min(max, base * 2 ** (attempt - 1));
      options.onRetry?.(error, attempt, delay);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** Transient JSON-RPC or network trouble, as opposed to a revert or a bad argument. */
export function isTransientRpcError(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | undefined;
  if (e?.code === "CALL_EXCEPTION" || e?.code === "INVALID_ARGUMENT" || e?.code === "INSUFFICIENT_FUNDS") return false;
  if (e?.code === "NETWORK_ERROR" || e?.code === "SERVER_ERROR" || e?.code === "TIMEOUT") return true;
  return /ECONNREFUSED|ECONNRESET|socket hang up|fetch failed|timeout|network/i.test(e?.message ?? "");
}
