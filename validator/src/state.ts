// Crash-safe commit-reveal records. The salt and score of a round are written (and fsynced, file and folder) before
// the commit transaction is sent; after a restart the service finds them, reveals what it committed, and re-sends the
// same commitment if the first one never reached the chain: one score per round, never two.
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  writeSync,
} from "node:fs";
import { dirname, join } from "node:path";

export interface RoundRecord {
  roundId: string;
  listingId: string;
  /** The round's `openedAt`: tells this chain's round from a same-numbered one of an earlier chain or deployment. */
  openedAt: number;
  validator: string;
  scoreBps: number;
  salt: string;
  commitment: string;
  /** When the record was written, before the commit was sent. */
  preparedAt: string;
  commitTx?: string;
  revealTx?: string;
  /** The round closed (finalised or cancelled): nothing left to do. */
  done?: boolean;
  report?: unknown;
}

export function fsyncDir(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes `text` to `path` durably: temp file, fsync, rename, fsync of the folder (it survives a power cut). */
export function writeDurably(path: string, text: string): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, "w");
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  fsyncDir(dirname(path));
}

export class StateStore {
  readonly dir: string;

  constructor(root: string, validator: string) {
    this.dir = join(root, validator.toLowerCase());
    mkdirSync(this.dir, { recursive: true });
  }

  private path(roundId: bigint | string): string {
    return join(this.dir, `round-${roundId}.json`);
  }

  get(roundId: bigint | string): RoundRecord | undefined {
    const path = this.path(roundId);
    if (!existsSync(path)) return undefined;
    try {
      return JSON.parse(readFileSync(path, "utf8")) as RoundRecord;
    } catch (error) {
      throw new Error(`state file ${path} is unreadable (${(error as Error).message}): restore it or move it away`);
    }
  }

  /** Writes durably: temp file, fsync, rename, fsync of the folder. Returns once the record survives a power cut. */
  put(record: RoundRecord): void {
    writeDurably(this.path(record.roundId), JSON.stringify(record, null, 2) + "\n");
  }

  update(roundId: bigint | string, change: Partial<RoundRecord>): RoundRecord {
    const record = this.get(roundId);
    if (record === undefined) throw new Error(`no state for round ${roundId}`);
    const next = { ...record, ...change };
    this.put(next);
    return next;
  }

  /** Another record of this validator by file name (fraud-proof verdicts: fraud-<disputeId>.json). */
  readJson<T>(name: string): T | undefined {
    const path = join(this.dir, name);
    if (!existsSync(path)) return undefined;
    return JSON.parse(readFileSync(path, "utf8")) as T;
  }

  writeJson(name: string, value: unknown): void {
    writeDurably(join(this.dir, name), JSON.stringify(value, null, 2) + "\n");
  }

  /** Moves a record that belongs to another chain or deployment out of the way (kept as round-<id>.<time>.stale). */
  archive(roundId: bigint | string): string {
    const target = join(this.dir, `round-${roundId}.${Date.now()}.stale`);
    renameSync(this.path(roundId), target);
    fsyncDir(this.dir);
    return target;
  }

  /** Round ids with a record that is not done (rounds to follow after a restart). */
  pending(): bigint[] {
    return readdirSync(this.dir)
      .filter((f) => /^round-\d+\.json$/.test(f))
      .map((f) => this.get(f.slice(6, -5)))
      .filter((r): r is RoundRecord => r !== undefined && r.done !== true)
      .map((r) => BigInt(r.roundId));
  }
}
