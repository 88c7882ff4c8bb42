// The browser's clock as a shared ticking store: reading `nowMs` inside an effect or a template re-runs it every
// second, and nothing ticks while nobody reads it (Svelte's createSubscriber starts the timer on the first reader and
// stops it after the last). Relative times ("in 3 min") read it, so they move on even when the chain is idle.
import { createSubscriber } from "svelte/reactivity";

export interface WallClockSource {
  /** Milliseconds since the epoch, without subscribing (for one-off reads in event handlers and refreshes). */
  read(): number;
  /** Milliseconds since the epoch; a reactive read that ticks every `intervalMs`. */
  readonly nowMs: number;
}

export class WallClock implements WallClockSource {
  readonly #subscribe: () => void;

  constructor(
    intervalMs = 1000,
    private readonly source: () => number = () => Date.now(),
  ) {
    this.#subscribe = createSubscriber((update) => {
      const timer = setInterval(update, intervalMs);
      return () => clearInterval(timer);
    });
  }

  read(): number {
    return this.source();
  }

  get nowMs(): number {
    this.#subscribe();
    return this.source();
  }
}

/** A clock that stands still at `ms` (tests, and anything that must not move). */
export function frozenClock(ms: number): WallClockSource {
  return { read: () => ms, nowMs: ms };
}

/** The app's one wall clock. */
export const wallClock = new WallClock();
