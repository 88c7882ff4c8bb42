// Checkpoints the store's write-ahead log from a worker thread. SQLite's automatic checkpoint runs inside the COMMIT
// that takes the log past 1,000 pages: while catching up, nearly every commit did one (copying pages into the database
// file and syncing it), two thirds of all commit time and ~8 % of indexing time. Here the writer only appends to the
// log, and another connection, on another thread, copies it into the database file every `intervalMs`. A PASSIVE
// checkpoint never blocks the writer or readers; once it has copied the whole log, the writer starts the log afresh.
import { Worker } from "node:worker_threads";

/** The worker: plain JavaScript, run with `eval` (no module file to find next to a bundle). */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
// node:sqlite still prints an experimental warning on Node 22 (in every thread that loads it); expected, not actionable.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning, ...rest) =>
  String(warning).includes("SQLite is an experimental feature") ? undefined : emitWarning(warning, ...rest);
const { DatabaseSync } = require("node:sqlite");
const db = new DatabaseSync(workerData.path);
db.exec("PRAGMA busy_timeout = 5000");
const checkpoint = () => {
  try {
    db.exec("PRAGMA wal_checkpoint(PASSIVE)");
  } catch (error) {
    parentPort.postMessage({ error: error.message });
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on("message", (message) => {
  if (message !== "close") return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

export interface WalCheckpointerOptions {
  /** Milliseconds between checkpoints (default 500). */
  intervalMs?: number;
  /** Where a failed checkpoint is reported (it is tried again at the next interval). */
  log?: (message: string) => void;
}

export class WalCheckpointer {
  private readonly worker: Worker;
  private closed: Promise<void> | undefined;

  /** Call after the database is in WAL mode, with its automatic checkpoints turned off on the writing connection. */
  constructor(databasePath: string, options: WalCheckpointerOptions = {}) {
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { path: databasePath, intervalMs: options.intervalMs ?? 500 },
    });
    this.worker.on("message", (message: { error?: string }) => {
      if (message.error !== undefined) options.log?.(`WAL checkpoint failed (will retry): ${message.error}`);
    });
    this.worker.on("error", (error) => options.log?.(`WAL checkpointer stopped: ${error.message}`));
    // The thread alone never keeps the process alive.
    this.worker.unref();
  }

  /** Runs a last checkpoint and ends the thread. */
  close(): Promise<void> {
    this.closed ??= new Promise<void>((resolve) => {
      this.worker.once("exit", () => resolve());
      this.worker.postMessage("close");
    });
    return this.closed;
  }
}
