// Durability: an indexer killed with SIGKILL mid-sync resumes to exactly the entity versions of an uninterrupted run,
// and a chain reorganisation leaves exactly the entities of a fresh index of the new chain.
import { expect } from "chai";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { parseEther, Wallet } from "ethers";
import { openIndexer } from "../src/app.js";
import { REPO_ROOT, sharedHardhatNode, temporaryDirectory, type LocalChain } from "./helpers/chain.js";
import { deploySystem, type DeployedSystem } from "./helpers/governance.js";
import { runGovernanceScenario } from "./helpers/scenario.js";

function indexFresh(chainUrl: string, deploymentPath: string, databasePath: string) {
  const app = openIndexer({ rpcUrl: chainUrl, deploymentPath, databasePath });
  return app.indexer.syncToLatest().then(async () => {
    const dump = app.store.dumpAll(true);
    await app.close();
    return dump;
  });
}

function headOf(databasePath: string): number {
  try {
    const db = new DatabaseSync(databasePath, { readOnly: true });
    try {
      const row = db.prepare("SELECT value FROM _meta WHERE key = 'head_number'").get() as
        { value: string } | undefined;
      return row === undefined ? -1 : Number(row.value);
    } finally {
      db.close();
    }
  } catch {
    return -1;
  }
}

describe("indexer durability", function () {
  this.timeout(180_000);
  let chain: LocalChain;
  let dir: ReturnType<typeof temporaryDirectory>;
  let system: DeployedSystem;

  before(async () => {
    chain = await sharedHardhatNode();
    dir = temporaryDirectory("curia-durability-");
    system = await deploySystem(chain.url, dir.path);
    await runGovernanceScenario(system);
  });

  after(async () => {
    dir?.remove();
  });

  it("resumes after SIGKILL with exactly the same entity versions as an uninterrupted run", async () => {
    const latest = await system.connection.ethers.provider.getBlockNumber();
    const reference = await indexFresh(chain.url, system.deploymentPath, join(dir.path, "reference.sqlite"));
    const killedDb = join(dir.path, "killed.sqlite");
    const child = spawn(
      process.execPath,
      [
        join(REPO_ROOT, "indexer", "bin", "curia-indexer.mjs"),
        "--rpc-url",
        chain.url,
        "--deployment",
        system.deploymentPath,
        "--database",
        killedDb,
        "--port",
        "0",
        "--block-range",
        "2",
        "--batch-delay-ms",
        "40",
      ],
      { stdio: "ignore" },
    );
    const exited = new Promise((resolve) => child.once("exit", resolve));
    // Kill it half-way through the chain, whatever it is doing at that moment.
    const deadline = Date.now() + 60_000;
    while (headOf(killedDb) < latest / 2) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error("the indexer made no progress");
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill("SIGKILL");
    await exited;
    const headAtKill = headOf(killedDb);
    expect(headAtKill).to.be.greaterThan(0).and.lessThan(latest);

    const resumed = await indexFresh(chain.url, system.deploymentPath, killedDb);
    expect(resumed).to.deep.equal(reference);
  });

  it("rolls back reorganised blocks to exactly the data of a fresh index of the new chain", async () => {
    const provider = system.connection.ethers.provider;
    const databasePath = join(dir.path, "reorg.sqlite");
    const app = openIndexer({ rpcUrl: chain.url, deploymentPath: system.deploymentPath, databasePath });
    const snapshot = await provider.send("evm_snapshot", []);
    // Branch A: transfers and a re-delegation, indexed.
    for (let i = 0; i < 4; i++) {
      await (
        await system.token.connect(system.alice).transfer(Wallet.createRandom().address, parseEther(String(i + 1)))
      ).wait();
    }
    await (await system.token.connect(system.bob).delegate(system.alice.address)).wait();
    await app.indexer.syncToLatest();
    const branchA = app.store.dumpAll(false);
    expect(branchA.DelegationChange!.length).to.be.greaterThan(0);

    // Branch B replaces A from the snapshot: other transfers, no re-delegation, fewer blocks.
    expect(await provider.send("evm_revert", [snapshot])).to.equal(true);
    await (await system.token.connect(system.carol).transfer(Wallet.createRandom().address, parseEther("42"))).wait();
    const reorged: unknown[] = [];
    app.indexer.on("reorg", (ancestor) => reorged.push(ancestor));
    await app.indexer.syncToLatest();
    expect(reorged).to.have.length(1);
    const afterReorg = app.store.dumpAll(true);
    const currentAfterReorg = app.store.dumpAll(false);
    const head = app.store.head();
    await app.close();

    const fresh = await indexFresh(chain.url, system.deploymentPath, join(dir.path, "fresh.sqlite"));
    expect(afterReorg).to.deep.equal(fresh);
    const latest = await provider.getBlock("latest");
    expect(head).to.deep.equal({ number: latest!.number, hash: latest!.hash });
    expect(currentAfterReorg).to.not.deep.equal(branchA);
    expect(currentAfterReorg.DelegationChange!.length).to.be.lessThan(branchA.DelegationChange!.length);
  });
});
