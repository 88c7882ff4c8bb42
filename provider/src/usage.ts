// What the provider remembers between requests: calls served per (listing, caller), and the nonces of unexpired
// requests (replay protection). Optionally kept in a JSON file so that a restart neither forgets served calls (which
// would hand out free calls) nor used nonces (which would allow replays until they expire).
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

interface Stored {
  served: Record<string, string>;
  nonces: Record<string, number>;
}

export class UsageStore {
  private readonly served = new Map<string, bigint>();
  /** `${listingId}:${caller}:${nonce}` → expiry. */
  private readonly nonces = new Map<string, number>();

  constructor(private readonly file?: string) {
    if (file !== undefined && existsSync(file)) {
      let stored: Stored;
      try {
        stored = JSON.parse(readFileSync(file, "utf8")) as Stored;
      } catch (error) {
        throw new Error(`provider state ${file} is not valid JSON (${(error as Error).message}); move it away`);
      }
      for (const [key, value] of Object.entries(stored.served ?? {})) this.served.set(key, BigInt(value));
      for (const [key, value] of Object.entries(stored.nonces ?? {})) this.nonces.set(key, value);
    }
  }

  private static key(listingId: bigint, caller: string): string {
    return `${listingId}:${caller.toLowerCase()}`;
  }

  servedCalls(listingId: bigint, caller: string): bigint {
    return this.served.get(UsageStore.key(listingId, caller)) ?? 0n;
  }

  /** Marks the nonce used; false when it already was (a replay). Forgets nonces that expired before `now`. */
  useNonce(listingId: bigint, caller: string, nonce: bigint, expiry: number, now: number): boolean {
    for (const [key, until] of this.nonces) if (until < now) this.nonces.delete(key);
    const key = `${UsageStore.key(listingId, caller)}:${nonce}`;
    if (this.nonces.has(key)) return false;
    this.nonces.set(key, expiry);
    return true;
  }

  /** Takes `calls` from the caller's paid calls when enough are left; returns what is left after, or undefined. */
  consume(listingId: bigint, caller: string, calls: bigint, purchased: bigint): bigint | undefined {
    const key = UsageStore.key(listingId, caller);
    const served = this.served.get(key) ?? 0n;
    if (served + calls > purchased) return undefined;
    this.served.set(key, served + calls);
    return purchased - served - calls;
  }

  /** Writes the state atomically (temp file + rename). */
  save(): void {
    if (this.file === undefined) return;
    const stored: Stored = {
      served: Object.fromEntries([...this.served].map(([k, v]) => [k, v.toString()])),
      nonces: Object.fromEntries(this.nonces),
    };
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(stored));
    renameSync(tmp, this.file);
  }
}
