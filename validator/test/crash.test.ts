// Crash safety of commit-reveal: a validator process killed (SIGKILL) between its commit and its reveal reveals after a
// restart and never commits twice; one killed after writing its salt but before sending the commit sends that same
// commitment after the restart.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { ZeroHash, hexlify, parseEther, randomBytes } from "ethers";
import { scoreCommitment } from "@curia/protocol";
import { devAccount } from "../src/keys.js";
import type { RoundRecord } from "../src/state.js";
import {
  ACCOUNTS,
  REPO_ROOT,
  deploySystem,
  fundProbeFundingAccount,
  seatEveryValidator,
  temporaryDirectory,
  type System,
} from "./helpers/chain.js";
import { listReferenceModel, setEndpoint, startProvider, type RunningProvider } from "./helpers/providers.js";

const PROCESS_VALIDATOR = 14;
const OTHERS = [15, 16];

interface ValidatorProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function waitFor<T>(what: string, check: () => Promise<T | undefined>, proc?: ValidatorProcess): Promise<T> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; validator output:\n${proc?.output() ?? ""}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("commit-reveal crash safety", function () {
  const dir = temporaryDirectory("curia-crash-test-");
  const stateDir = join(dir.path, "state");
  let system: System;
  let provider: RunningProvider;
  let listingId: bigint;
  const address = devAccount(PROCESS_VALIDATOR, null).wallet.address;
  const running: ValidatorProcess[] = [];

  function startValidator(env: Record<string, string> = {}): ValidatorProcess {
    const child = spawn(
      process.execPath,
      [
        join(REPO_ROOT, "validator/bin/curia-validator.mjs"),
        "run",
        "--rpc-url",
        system.chain.url,
        "--deployment",
        system.deploymentPath,
        "--dev-account",
        String(PROCESS_VALIDATOR),
        "--state-dir",
        stateDir,
        "--metrics-port",
        "0",
        "--audit-port",
        "0",
        "--poll-ms",
        "200",
        "--samples",
        "50",
        "--no-keeper",
      ],
      { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } },
    );
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once("exit", (code, signal) => resolve({ code, signal })),
    );
    const proc = { child, output: () => output, exited };
    running.push(proc);
    return proc;
  }

  const record = (roundId: bigint): RoundRecord =>
    JSON.parse(readFileSync(join(stateDir, address.toLowerCase(), `round-${roundId}.json`), "utf8")) as RoundRecord;

  async function openDrawnRound(): Promise<bigint> {
    const consumer = system.signer(ACCOUNTS.consumer);
    const roundId = await system.validation.connect(consumer).openRound.staticCall(listingId);
    await (await system.validation.connect(consumer).openRound(listingId)).wait();
    await system.helpers.mine(2); // past the block whose hash seeds the draw
    await (await system.validation.drawCommittee(roundId)).wait();
    expect(await system.validation.committeeOf(roundId)).to.have.length(3);
    return roundId;
  }

  /** The two other members, driven by the test, commit (and later reveal) 9,000 bps. */
  async function othersCommit(roundId: bigint): Promise<string[]> {
    const salts: string[] = [];
    for (const index of OTHERS) {
      const member = system.signer(index);
      const salt = hexlify(randomBytes(32));
      const hash = scoreCommitment(9_000, salt, member.address, roundId);
      await (await system.validation.connect(member).commitScore(roundId, hash)).wait();
      salts.push(salt);
    }
    return salts;
  }

  async function othersRevealAndFinalize(roundId: bigint, salts: string[]): Promise<void> {
    for (const [i, index] of OTHERS.entries()) {
      await (await system.validation.connect(system.signer(index)).revealScore(roundId, 9_000, salts[i]!)).wait();
    }
    await (await system.validation.finalizeRound(roundId)).wait();
  }

  const member = (roundId: bigint) => system.validation.memberOf(roundId, address);
  const commitsBy = async (roundId: bigint) =>
    (await system.validation.queryFilter(system.validation.filters.ScoreCommitted(roundId, address))).length;

  before(async function () {
    system = await deploySystem(dir.path);
    await fundProbeFundingAccount(system); // the CLI's default on the local chain pays for the probe buyers
    listingId = await listReferenceModel(system, ACCOUNTS.provider, "honest");
    provider = await startProvider(system, "honest", [listingId]);
    await setEndpoint(system, ACCOUNTS.provider, listingId, provider.url);
    for (const index of [PROCESS_VALIDATOR, ...OTHERS]) {
      await (await system.validatorPool.connect(system.signer(index)).stake(parseEther("1000"))).wait();
    }
    await seatEveryValidator(system);
  });

  after(async function () {
    for (const p of running) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
    await provider?.close();
    dir.remove();
  });

  it("reveals after a SIGKILL between commit and reveal, without committing again", async function () {
    const roundId = await openDrawnRound();
    const first = startValidator();
    const committed = await waitFor(
      "the validator's commit",
      async () => {
        const m = await member(roundId);
        return m.commitment !== ZeroHash ? m.commitment : undefined;
      },
      first,
    );
    first.child.kill("SIGKILL");
    expect((await first.exited).signal).to.equal("SIGKILL");
    const onDisk = record(roundId);
    expect(onDisk.commitment).to.equal(committed);
    expect(onDisk.scoreBps).to.be.above(9_000);
    expect((await member(roundId)).revealed).to.equal(false);

    const salts = await othersCommit(roundId); // every member committed: the reveal phase starts
    const second = startValidator();
    await waitFor(
      "the reveal after the restart",
      async () => ((await member(roundId)).revealed ? true : undefined),
      second,
    );
    const reveals = await system.validation.queryFilter(system.validation.filters.ScoreRevealed(roundId, address));
    expect(reveals).to.have.length(1);
    expect(Number(reveals[0]!.args.scoreBps)).to.equal(onDisk.scoreBps);
    expect(await commitsBy(roundId)).to.equal(1);
    expect(second.output()).to.match(/resuming rounds from the state dir/);
    expect(second.output()).to.not.match(/\] committed/);
    // The process records the reveal once its receipt is in (a moment after the chain shows it).
    const revealTx = await waitFor("the reveal in the state dir", async () => record(roundId).revealTx, second);
    expect(revealTx).to.match(/^0x[0-9a-f]{64}$/);

    second.child.kill("SIGTERM");
    expect((await second.exited).code).to.equal(0);
    await othersRevealAndFinalize(roundId, salts);
    // Every seat revealed: the three validators hold the committee's seats, some of them several (drawn with
    // replacement), and a member's reveal counts for each seat it holds.
    const round = await system.validation.getRound(roundId);
    expect(round.revealed).to.equal(round.seated);
    expect(round.seated).to.equal((await system.validation.parameters()).committeeSize);
  });

  it("sends the commitment already on disk when it was killed before sending it", async function () {
    await system.helpers.time.increase(Number((await system.validation.parameters()).roundPeriod) + 1); // a free round
    const roundId = await openDrawnRound();
    const crashing = startValidator({ CURIA_VALIDATOR_FAULT: "exit-after-prepare" });
    expect((await crashing.exited).signal, crashing.output()).to.equal("SIGKILL");
    const onDisk = record(roundId);
    expect((await member(roundId)).commitment).to.equal(ZeroHash); // the commit never left the process

    const restarted = startValidator();
    await waitFor("the commit after the restart", async () =>
      (await member(roundId)).commitment !== ZeroHash ? true : undefined,
    );
    expect((await member(roundId)).commitment).to.equal(onDisk.commitment);
    await waitFor("the re-send in the log", async () =>
      restarted.output().includes("re-sending the commitment prepared before a restart") ? true : undefined,
    );
    const salts = await othersCommit(roundId);
    await waitFor("the reveal", async () => ((await member(roundId)).revealed ? true : undefined), restarted);
    expect((await member(roundId)).scoreBps).to.equal(BigInt(onDisk.scoreBps));
    expect(await commitsBy(roundId)).to.equal(1);
    restarted.child.kill("SIGTERM");
    await restarted.exited;
    await othersRevealAndFinalize(roundId, salts);
  });

  it("sets aside a record left by another chain's round of the same id instead of committing it", async function () {
    await system.helpers.time.increase(Number((await system.validation.parameters()).roundPeriod) + 1);
    const roundId = (await system.validation.roundCount()) + 1n;
    const staleSalt = hexlify(randomBytes(32));
    const stale: RoundRecord = {
      roundId: roundId.toString(),
      listingId: listingId.toString(),
      openedAt: 1_000, // not this chain's round
      validator: address,
      scoreBps: 1_234,
      salt: staleSalt,
      commitment: scoreCommitment(1_234, staleSalt, address, roundId),
      preparedAt: new Date(0).toISOString(),
    };
    writeFileSync(join(stateDir, address.toLowerCase(), `round-${roundId}.json`), JSON.stringify(stale));
    expect(await openDrawnRound()).to.equal(roundId);
    const validator = startValidator();
    await waitFor(
      "the commit",
      async () => ((await member(roundId)).commitment !== ZeroHash ? true : undefined),
      validator,
    );
    expect((await member(roundId)).commitment).to.not.equal(stale.commitment);
    const fresh = record(roundId);
    expect(fresh.scoreBps).to.be.above(9_000);
    expect((await member(roundId)).commitment).to.equal(fresh.commitment);
    expect(
      readdirSync(join(stateDir, address.toLowerCase())).some(
        (f) => f.startsWith(`round-${roundId}.`) && f.endsWith(".stale"),
      ),
    ).to.equal(true);
    expect(validator.output()).to.contain("set aside a record of another chain's round");
    validator.child.kill("SIGTERM");
    await validator.exited;
  });
});
