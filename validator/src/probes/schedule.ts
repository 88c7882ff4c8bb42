// When probes go out and how big they are, drawn from the private probe secret: for each listing and each period of
// the round period's length (aligned to the chain's clock, not to any round), `probesPerPeriod` probes at uniformly
// random times within the period, each of a uniformly random size. Nothing about a round (its opening, its commit
// window) moves them, so a provider learns nothing from the time a request arrives; and the same secret gives the same
// plan after a restart.
import { KeyedStream } from "./inputs.js";

export interface ProbeSchedule {
  /** Scheduled probes per listing and period (0: none, only the immediate probe of a round that needs one). */
  probesPerPeriod: number;
  /** Calls per probe request, at least and at most (a probe's size, and the pieces an immediate probe is sent in). */
  minSize: number;
  maxSize: number;
  /**
   * A planned probe more than this many seconds late (the validator was down, or a development chain's clock jumped) is
   * dropped, not sent: catching up would send a burst, itself a recognisable pattern.
   */
  latenessSeconds: number;
}

export const DEFAULT_SCHEDULE: ProbeSchedule = { probesPerPeriod: 12, minSize: 4, maxSize: 16, latenessSeconds: 900 };

export interface PlannedProbe {
  listingId: bigint;
  period: number;
  /** Position in the period's plan, in time order. */
  slot: number;
  /** Unix seconds (chain time). */
  at: number;
  size: number;
}

/** The period (of `periodSeconds`) that unix time `now` falls in. */
export function periodOf(now: number, periodSeconds: number): number {
  return Math.floor(now / periodSeconds);
}

/** The plan of `listingId`'s probes in `period`, in time order. */
export function planPeriod(
  secret: Uint8Array,
  listingId: bigint,
  period: number,
  periodSeconds: number,
  schedule: ProbeSchedule,
): PlannedProbe[] {
  const stream = new KeyedStream(secret, `schedule:${listingId}:${period}`);
  const start = period * periodSeconds;
  const drawn = Array.from({ length: schedule.probesPerPeriod }, () => ({
    at: start + stream.int(periodSeconds),
    size: schedule.minSize + stream.int(schedule.maxSize - schedule.minSize + 1),
  }));
  return drawn.sort((a, b) => a.at - b.at).map((p, slot) => ({ listingId, period, slot, ...p }));
}

/** Splits `calls` into request sizes drawn in [minSize, maxSize] (the last one may be smaller). */
export function requestSizes(secret: Uint8Array, tag: string, calls: number, schedule: ProbeSchedule): number[] {
  const stream = new KeyedStream(secret, `sizes:${tag}`);
  const sizes: number[] = [];
  for (let left = calls; left > 0;) {
    const size = Math.min(left, schedule.minSize + stream.int(schedule.maxSize - schedule.minSize + 1));
    sizes.push(size);
    left -= size;
  }
  return sizes;
}

/** Checks a schedule's figures (a bad one is a configuration error, named by the caller). */
export function scheduleProblem(schedule: ProbeSchedule): string | undefined {
  const { probesPerPeriod, minSize, maxSize, latenessSeconds } = schedule;
  if (!Number.isInteger(probesPerPeriod) || probesPerPeriod < 0) return "probes per period must be 0 or more";
  if (!Number.isInteger(minSize) || minSize < 1) return "the smallest probe size must be at least 1";
  if (!Number.isInteger(maxSize) || maxSize < minSize) return "the largest probe size must be at least the smallest";
  if (!Number.isInteger(latenessSeconds) || latenessSeconds < 1) return "the lateness must be at least 1 second";
  return undefined;
}
