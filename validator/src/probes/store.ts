// Probe results on disk, kept like audits: <state>/probes/results/<listingId>/<buyerIndex>.json with the receipts and
// the exact bytes behind them (data: URIs) and the inputs' labels, moved to …/scored/ once a round used them (kept).
// The schedule's progress lives beside them (<state>/probes/schedule/<listingId>-<period>.json): which planned probes
// of a period were sent, skipped or missed, so a restart neither repeats nor bursts them.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync } from "node:fs";
import { join } from "node:path";
import type { SignedReceiptWire } from "@curia/protocol";
import { fsyncDir, writeDurably } from "../state.js";

/** One request of a probe and its receipted answer. */
export interface ProbeAnswer {
  receiptDigest: string;
  receipt: SignedReceiptWire;
  /** data: URIs of the float32 LE inputs sent and outputs received (what the receipt hashes). */
  inputURI: string;
  outputURI: string;
  count: number;
}

/** Why a probe's remaining calls went unanswered (they score 0: a paid, signed call not answered). */
export interface ProbeFault {
  kind: "unreachable" | "unverifiable";
  reason: string;
}

export interface ProbeRecord {
  /** The buyer's index (the probe's id). */
  buyerIndex: number;
  buyer: string;
  listingId: string;
  reason: "scheduled" | "immediate";
  /** Scheduled probes: the plan's period and slot. */
  slot?: { period: number; slot: number };
  /** Chain time (unix seconds) the first request was sent. */
  probedAt: number;
  calls: number;
  pricePerCall: string;
  /** The label of each input, in order (the answered ones are a prefix). */
  labels: number[];
  answers: ProbeAnswer[];
  /** Calls bought but not answered. */
  unanswered: number;
  fault?: ProbeFault;
  scoredInRound?: string;
}

export type SlotOutcome = "probed" | "audited" | "missed" | "price-raised" | "inactive" | "over-budget";

export class ProbeStore {
  readonly dir: string;
  private readonly scheduleDir: string;

  constructor(validatorStateDir: string) {
    this.dir = join(validatorStateDir, "probes", "results");
    this.scheduleDir = join(validatorStateDir, "probes", "schedule");
    mkdirSync(this.dir, { recursive: true });
    mkdirSync(this.scheduleDir, { recursive: true });
  }

  private listingDir(listingId: bigint | string): string {
    return join(this.dir, listingId.toString());
  }

  add(record: ProbeRecord): void {
    const dir = this.listingDir(record.listingId);
    mkdirSync(join(dir, "scored"), { recursive: true });
    writeDurably(join(dir, `${record.buyerIndex}.json`), JSON.stringify(record) + "\n");
  }

  /** Probes of `listingId` not yet used in a round, oldest first. */
  pending(listingId: bigint | string): ProbeRecord[] {
    const dir = this.listingDir(listingId);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((f) => /^\d+\.json$/.test(f))
      .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as ProbeRecord)
      .sort((a, b) => a.probedAt - b.probedAt);
  }

  /** Marks probes as scored in `roundId` (moved under scored/, kept). */
  markScored(listingId: bigint | string, buyerIndices: number[], roundId: bigint): void {
    const dir = this.listingDir(listingId);
    for (const index of buyerIndices) {
      const from = join(dir, `${index}.json`);
      if (!existsSync(from)) continue;
      const record = JSON.parse(readFileSync(from, "utf8")) as ProbeRecord;
      writeDurably(from, JSON.stringify({ ...record, scoredInRound: roundId.toString() }) + "\n");
      renameSync(from, join(dir, "scored", `${index}.json`));
    }
    if (existsSync(dir)) fsyncDir(dir);
  }

  private slotsPath(listingId: bigint, period: number): string {
    return join(this.scheduleDir, `${listingId}-${period}.json`);
  }

  /** The outcome of each planned slot of a period settled so far. */
  slots(listingId: bigint, period: number): Record<string, SlotOutcome> {
    const path = this.slotsPath(listingId, period);
    return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as Record<string, SlotOutcome>) : {};
  }

  settleSlot(listingId: bigint, period: number, slot: number, outcome: SlotOutcome): void {
    const slots = this.slots(listingId, period);
    slots[slot] = outcome;
    writeDurably(this.slotsPath(listingId, period), JSON.stringify(slots) + "\n");
  }
}
