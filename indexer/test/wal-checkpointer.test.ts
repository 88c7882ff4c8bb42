// The write-ahead log is copied into the database file by the checkpointer's thread, not by the writer's commits.
import { expect } from "chai";
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { WalCheckpointer } from "../src/wal-checkpointer.js";
import { temporaryDirectory } from "./helpers/chain.js";

/** Rows of `t` in a copy of the database file alone (without its log): what a checkpoint has copied there. */
function rowsInDatabaseFile(path: string, copy: string): number {
  copyFileSync(path, copy);
  const db = new DatabaseSync(copy);
  try {
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 't'").get();
    return table === undefined ? 0 : Number((db.prepare("SELECT count(*) AS n FROM t").get() as { n: number }).n);
  } finally {
    db.close();
  }
}

describe("WAL checkpointer", () => {
  it("copies committed pages into the database file from its thread while the writer goes on", async () => {
    const dir = temporaryDirectory("curia-wal-");
    const path = join(dir.path, "index.sqlite");
    const copy = join(dir.path, "copy.sqlite");
    const db = new DatabaseSync(path);
    try {
      db.exec("PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; CREATE TABLE t (x TEXT)");
      const insert = db.prepare("INSERT INTO t (x) VALUES (?)");
      db.exec("BEGIN");
      for (let i = 0; i < 2000; i++) insert.run(`row ${i} `.padEnd(100, "."));
      db.exec("COMMIT");
      // Committed, but only in the log: the writer does not checkpoint.
      expect(rowsInDatabaseFile(path, copy)).to.equal(0);

      const checkpointer = new WalCheckpointer(path, { intervalMs: 20 });
      let copied = 0;
      for (const deadline = Date.now() + 10_000; copied < 2000 && Date.now() < deadline;) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        try {
          copied = rowsInDatabaseFile(path, copy);
        } catch (error) {
          // A copy taken while the thread was writing pages can be torn: that says nothing yet, look again.
          if (!/malformed|not a database/i.test((error as Error).message)) throw error;
        }
      }
      expect(copied).to.equal(2000);
      // The writer is never blocked: it commits while the thread runs, and the last checkpoint on close takes it.
      db.exec("BEGIN");
      for (let i = 0; i < 500; i++) insert.run(`more ${i}`);
      db.exec("COMMIT");
      await checkpointer.close();
      expect(rowsInDatabaseFile(path, copy)).to.equal(2500);
    } finally {
      db.close();
      dir.remove();
    }
  });
});
