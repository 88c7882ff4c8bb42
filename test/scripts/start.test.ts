// `npm start` end to end: the real scripts/start.ts in a child process, on a free port, against a throw-away
// deployments folder; checked through plain JSON-RPC like any other client would.
import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { JsonRpcProvider, ZeroAddress, ZeroHash } from "ethers";
import { CONTRACT_NAMES, parseTaskSamples, type DeploymentRecord } from "@curia/protocol";
import { DEMO_HOLDERS, describeHolding, governanceAccountState } from "../../scripts/demo/seed-governance.js";
import { hardhatTestAccount } from "../../scripts/lib/dev-accounts.js";
import { DEMO_CHALLENGED_LISTING } from "../../scripts/demo/seed-court.js";
import { HISTORY_DISPUTES } from "../../scripts/demo/seed-history.js";
import { findFreePort, isPortFree } from "../../scripts/lib/net.js";
import {
  Court__factory,
  CurationPool__factory,
  CuriaToken__factory,
  ListingRegistry__factory,
} from "../../types/ethers-contracts/index.js";
import { DEMO_LISTINGS, DEMO_VALIDATOR_AWARE_LISTING, demoTaskPair } from "../../scripts/demo/seed-marketplace.js";

const HOST = "127.0.0.1";
// Chain, deployment, seeding, demo validation round, subgraph build, indexer and web app: ~90–120 s on a quiet 2-core
// machine, two or three times that on a busy shared one.
const READY_TIMEOUT_MS = 300_000;

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One `npx tsx scripts/start.ts` run, its output kept for assertions and failure messages, never echoed. */
class StartRun {
  readonly dir = mkdtempSync(join(tmpdir(), "curia-start-"));
  readonly child: ChildProcess;
  readonly exited: Promise<Exit>;
  output = "";

  constructor(readonly port: number) {
    this.child = spawn("npx", ["tsx", "scripts/start.ts"], {
      env: {
        ...process.env,
        CURIA_CHAIN_HOST: HOST,
        CURIA_CHAIN_PORT: String(port),
        CURIA_DEPLOYMENTS_DIR: this.dir,
        CURIA_LOG_DIR: join(this.dir, "logs"),
        CURIA_INDEXER_DB: join(this.dir, "indexer.sqlite"),
        CURIA_INDEXER_PORT: "0",
        CURIA_WEB_PORT: "0",
        // Free ports for the demo providers and the validator's metrics too: other stacks may run on this machine.
        CURIA_PROVIDER_PORT: "0",
        CURIA_CHEATING_PROVIDER_PORT: "0",
        CURIA_METRICS_PORT: "0",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child.stdout?.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.stderr?.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.once("exit", (code, signal) => resolve({ code, signal })));
  }

  get rpcUrl(): string {
    return `http://${HOST}:${this.port}`;
  }

  tail(lines = 30): string {
    return this.output.trimEnd().split("\n").slice(-lines).join("\n");
  }

  async waitFor(text: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.output.includes(text)) {
      const exit = await Promise.race([this.exited, sleep(100).then(() => undefined)]);
      if (exit !== undefined && !this.output.includes(text)) {
        throw new Error(`start.ts exited (${JSON.stringify(exit)}) before printing "${text}":\n${this.tail()}`);
      }
      if (Date.now() > deadline) throw new Error(`no "${text}" after ${timeoutMs / 1000} s:\n${this.tail()}`);
    }
  }

  /** The pid of the process running start.ts itself (npx and tsx sit in between), from its summary. */
  supervisorPid(): number {
    const match = /kill -INT (\d+)/.exec(this.output);
    if (match?.[1] === undefined) throw new Error(`the summary names no pid:\n${this.tail()}`);
    return Number(match[1]);
  }

  async waitForExit(timeoutMs: number): Promise<Exit> {
    const exit = await Promise.race([this.exited, sleep(timeoutMs).then(() => undefined)]);
    if (exit === undefined)
      throw new Error(`start.ts still running ${timeoutMs / 1000} s after the signal:\n${this.tail()}`);
    return exit;
  }

  /** Leaves nothing behind, whatever state a failed test left the run in. */
  async cleanUp(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      try {
        process.kill(this.supervisorPid(), "SIGINT");
      } catch {
        this.child.kill("SIGINT");
      }
      await Promise.race([this.exited, sleep(15_000)]);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function waitUntilPortFree(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await isPortFree(HOST, port)) return true;
    await sleep(200);
  }
  return isPortFree(HOST, port);
}

describe("scripts/start.ts", function () {
  this.timeout(READY_TIMEOUT_MS + 60_000);
  let run: StartRun | undefined;

  afterEach(async function () {
    await run?.cleanUp();
    run = undefined;
  });

  it("starts a chain, deploys and seeds governance and the marketplace, prints a true summary, and stops cleanly on SIGINT", async function () {
    run = new StartRun(await findFreePort(HOST));
    const startedAt = Date.now();
    await run.waitFor("Curia is running", READY_TIMEOUT_MS);
    const startupSeconds = (Date.now() - startedAt) / 1000;

    const record = JSON.parse(readFileSync(join(run.dir, "localhost.json"), "utf8")) as DeploymentRecord;
    expect(record.chainId).to.equal(31337);
    // Every contract npm start deploys, in the deploy order (the protocol package's list of names).
    expect(Object.keys(record.contracts)).to.have.members([...CONTRACT_NAMES]);
    expect(run.output).to.include(run.rpcUrl).and.to.include(join(run.dir, "localhost.json"));

    const provider = new JsonRpcProvider(run.rpcUrl, undefined, { staticNetwork: true });
    try {
      expect(Number((await provider.getNetwork()).chainId)).to.equal(31337);
      for (const entry of Object.values(record.contracts)) {
        expect(run.output).to.include(entry.proxy);
        expect(await provider.getCode(entry.proxy)).to.not.equal("0x");
      }
      const tokenAddress = record.contracts.CuriaToken?.proxy;
      if (tokenAddress === undefined) throw new Error("no CuriaToken in the record");
      const token = CuriaToken__factory.connect(tokenAddress, provider);

      const accounts = [0, 1, 2, 3, 4].map(hardhatTestAccount);
      const indexOf = new Map(accounts.map((a) => [a.address, a.index]));
      const lines = run.output.split("\n").map((line) => line.trim());
      for (const account of accounts) {
        const state = await governanceAccountState(token, account.address);
        // What the summary says about the account is what the chain says.
        const at = lines.findIndex((line) => line.startsWith(`#${account.index} ${account.address}`));
        expect(at, `summary line for account #${account.index}`).to.be.greaterThan(-1);
        expect(lines[at + 1]).to.equal(`private key ${account.privateKey}`);
        expect(lines[at + 2]).to.equal(describeHolding(state, indexOf));

        // And the chain holds what the seeding plan says.
        const holder = DEMO_HOLDERS.find((h) => h.account === account.index);
        if (holder === undefined) continue;
        const delegatedHere = DEMO_HOLDERS.filter((h) => h.delegateTo === account.index).reduce(
          (sum, h) => sum + h.amount,
          0n,
        );
        expect(state.balance).to.equal(holder.amount);
        expect(state.delegate).to.equal(
          holder.delegateTo === null ? ZeroAddress : hardhatTestAccount(holder.delegateTo).address,
        );
        expect(state.votes).to.equal(delegatedHere);
      }

      // The demo marketplace: every listing created, staked on and bought from as the seeding plan says.
      const registry = ListingRegistry__factory.connect(record.contracts.ListingRegistry!.proxy, provider);
      const pool = CurationPool__factory.connect(record.contracts.CurationPool!.proxy, provider);
      expect(await registry.listingCount()).to.equal(BigInt(DEMO_LISTINGS.length));
      for (const [i, listing] of DEMO_LISTINGS.entries()) {
        const id = BigInt(i + 1);
        expect((await registry.getListing(id)).provider).to.equal(hardhatTestAccount(listing.provider).address);
        for (const { account, calls } of listing.purchases) {
          expect(await registry.callsPurchased(id, hardhatTestAccount(account).address)).to.equal(calls);
        }
        for (const { account, amount } of listing.curators) {
          const [active] = await pool.stakeOf(id, hardhatTestAccount(account).address);
          expect(active).to.equal(amount);
        }
      }

      // The demo court: the history's disputes come first, both executed; then consumer #7's fraud proof against the
      // validator-aware listing, ruled and executed (the listing delisted); then the validators' automatic dispute of
      // the cheating MNIST listing, its jury drawn and voting, the salts kept on disk.
      const court = Court__factory.connect(record.contracts.Court!.proxy, provider);
      const fraudProofDispute = BigInt(HISTORY_DISPUTES) + 1n;
      const automaticDisputes = 1n;
      expect(await court.disputeCount()).to.equal(fraudProofDispute + automaticDisputes);
      for (let id = 1n; id <= BigInt(HISTORY_DISPUTES); id++) {
        expect(await court.periodOf(id)).to.equal(7n, `the history's dispute ${id} is executed`);
      }
      expect(await court.periodOf(fraudProofDispute)).to.equal(7n, "the fraud proof's dispute is executed");
      expect(await registry.statusOf(DEMO_VALIDATOR_AWARE_LISTING)).to.equal(
        4n,
        "the validator-aware listing delisted",
      );
      const automaticDispute = (await registry.getListing(DEMO_CHALLENGED_LISTING)).activeDisputeId;
      expect(
        automaticDispute > fraudProofDispute,
        "the MNIST listing's automatic dispute follows the fraud proof",
      ).to.equal(true);
      expect(await court.periodOf(automaticDispute)).to.equal(2n, "commit period");
      const salts = JSON.parse(readFileSync(join(run.dir, "demo-court-salts.json"), "utf8")) as Record<string, unknown>;
      expect(Object.keys(salts).length).to.be.greaterThan(0);
      for (const juror of Object.keys(salts)) {
        expect((await court.voteOf(automaticDispute, 0n, juror)).commitment).to.not.equal(ZeroHash);
      }

      // The indexer serves the same story over GraphQL: #1 votes with its own and #3's tokens.
      const graphqlUrl = /GraphQL\s+(\S+)/.exec(run.output)?.[1];
      expect(graphqlUrl, "GraphQL URL in the summary").to.be.a("string");
      const delegateId = hardhatTestAccount(1).address.toLowerCase();
      const response = await fetch(graphqlUrl!, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          query: `{ delegate(id: "${delegateId}") { votingPower delegatorCount } _meta { hasIndexingErrors } }`,
        }),
      });
      const body = (await response.json()) as {
        data?: {
          delegate: { votingPower: string; delegatorCount: number } | null;
          _meta: { hasIndexingErrors: boolean };
        };
      };
      expect(body.data?._meta.hasIndexingErrors).to.equal(false);
      expect(body.data?.delegate?.votingPower).to.equal(
        (await token.getVotes(hardhatTestAccount(1).address)).toString(),
      );
      expect(body.data?.delegate?.delegatorCount).to.equal(2);

      // The web app answers, with a runtime config pointing at this chain, this indexer and this deployment.
      const webUrl = /Web app\s+(\S+)/.exec(run.output)?.[1];
      expect(webUrl, "web app URL in the summary").to.be.a("string");
      const page = await fetch(webUrl!);
      expect(page.status).to.equal(200);
      expect(page.headers.get("content-type")).to.match(/^text\/html/);
      const html = await page.text();
      expect(html).to.include('<div id="app"></div>');
      const script = /<script type="module"[^>]*src="([^"]+)"/.exec(html)?.[1];
      expect(script, "the app's entry script").to.be.a("string");
      const entry = await fetch(new URL(script!, webUrl));
      expect(entry.status).to.equal(200);
      expect(entry.headers.get("content-type")).to.match(/^text\/javascript/);
      const webConfig = (await (await fetch(new URL("config.json", webUrl))).json()) as {
        graphqlUrl: string;
        rpcUrl: string;
        chainId: number;
        contracts: Record<string, string>;
        taskSamplesUrl?: string;
      };
      expect(webConfig.graphqlUrl).to.equal(graphqlUrl);
      expect(webConfig.rpcUrl).to.equal(run.rpcUrl);
      expect(webConfig.chainId).to.equal(31337);
      for (const [name, entry] of Object.entries(record.contracts)) {
        expect(webConfig.contracts[name], name).to.equal(entry.proxy);
      }
      // The listing page's task samples: a VAD clip and an OCR line, each sent to the task's honest and cheating
      // listing through their providers (the VAD and OCR plugins' models), with both answers.
      expect(webConfig.taskSamplesUrl).to.equal("/task-samples.json");
      const samples = parseTaskSamples(await (await fetch(new URL("task-samples.json", webUrl))).json());
      for (const task of ["vad", "ocr"] as const) {
        const sample = samples.samples.find((s) => s.task === task);
        const pair = demoTaskPair(task);
        expect(
          sample?.answers.map((a) => [a.listingId, a.role]),
          task,
        ).to.deep.equal([
          [String(pair.honest), "honest"],
          [String(pair.cheating), "cheating"],
        ]);
        expect(sample!.answers[0]!.within, `${task}: the honest answer is the reference`).to.equal(true);
      }
      // A deep link falls back to the app's index.html (the router is client-side).
      expect(await (await fetch(new URL("governance/anything", webUrl))).text()).to.include('<div id="app"></div>');
    } finally {
      provider.destroy();
    }

    process.kill(run.supervisorPid(), "SIGINT");
    const exit = await run.waitForExit(30_000);
    expect(exit, run.tail()).to.deep.equal({ code: 0, signal: null });
    expect(run.output).to.include("chain: stopped");
    expect(await isPortFree(HOST, run.port), "chain port free after exit").to.equal(true);
    console.log(`      (up in ${startupSeconds.toFixed(1)} s)`);
  });

  it("takes the chain down with it when killed outright (SIGKILL)", async function () {
    run = new StartRun(await findFreePort(HOST));
    await run.waitFor("Curia is running", READY_TIMEOUT_MS);
    process.kill(run.supervisorPid(), "SIGKILL");
    expect(await waitUntilPortFree(run.port, 15_000), "chain port free after SIGKILL").to.equal(true);
    await run.waitForExit(15_000);
  });
});
