// The canary operator service (issue 18) on a real local chain: it lists each canary from its own provider key derived
// from the master key (the sample provider serving the degraded model, whose true score the operator measured), refuses
// an unfunded one, commits a root before the round opens, is restarted from its state file, and audits the finalized
// round with that canary's key: the member that scored the degraded model as good is slashed, the honest ones are paid.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { Wallet, hexlify, parseEther, randomBytes } from "ethers";
import { canaryCommitment, scoreCommitment } from "@curia/protocol";
import { CANARY_PROVIDER_GAS, CanaryOperator, CanaryStateError, canaryServedSalt } from "../src/canary/operator.js";
import { ensureModels } from "../src/model/reference.js";
import { deploySystem, metadataFor, seatEveryValidator, temporaryDirectory, type System } from "./helpers/chain.js";
import { startProvider, type RunningProvider } from "./helpers/providers.js";

const HONEST = [11, 12];
const LIAR = 13;
const OPERATOR = 14;
/** Holds the canary's serving key (receipts are signed by a test account the shim knows). */
const CANARY_SERVER = 15;
const MASTER_KEY = hexlify(randomBytes(32));
/** What an honest committee measures for the degraded MNIST model (validator/README.md). */
const TRUE_SCORE = 2_115;

describe("canary operator service", function () {
  const dir = temporaryDirectory("curia-canary-");
  let system: System;
  let provider: RunningProvider | undefined;

  before(async function () {
    system = await deploySystem(dir.path);
    for (const index of [...HONEST, LIAR]) {
      await (await system.validatorPool.connect(system.signer(index)).stake(parseEther("1000"))).wait();
    }
    await seatEveryValidator(system);
    const timelock = await system.timelock.getAddress();
    await system.helpers.setBalance(timelock, parseEther("10"));
    const dao = await system.connection.ethers.getImpersonatedSigner(timelock);
    await (await system.canary.connect(dao).setOperator(system.signer(OPERATOR).address)).wait();
  });

  after(async function () {
    await provider?.close();
    dir.remove();
  });

  function operator(): CanaryOperator {
    return new CanaryOperator({
      operator: system.signer(OPERATOR),
      canaryMasterKey: MASTER_KEY,
      chain: system.connection.ethers.provider,
      addresses: {
        canaryAudits: system.record.contracts.CanaryAudits!.proxy,
        registry: system.record.contracts.ListingRegistry!.proxy,
        validation: system.record.contracts.ValidationManager!.proxy,
        token: system.record.contracts.CuriaToken!.proxy,
      },
      statePath: join(dir.path, "canary-state.json"),
      chainId: 31_337n,
    });
  }

  it("refuses to list from an unfunded provider key, naming its address and what it needs", async function () {
    const op = operator();
    const { reference } = ensureModels();
    const [next] = await op.providerAddresses();
    expect(next!.index).to.equal(0);
    let error: unknown;
    try {
      await op.listCanary({
        modelHash: reference.modelHash,
        metadataURI: metadataFor("canary", reference.path),
        endpoint: "http://127.0.0.1:1/unset",
        price: parseEther("0.5"),
        trueScoreBps: TRUE_SCORE,
      });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(CanaryStateError);
    expect((error as Error).message).to.include(`canary provider 0 (${next!.address}) is not funded`);
    expect((error as Error).message).to.include("0.01 ETH for gas");
    expect((error as Error).message).to.match(/CUR for the bond/);
    // A served model's hash must be 32 bytes (its leaves' salts commit to it), checked before anything is sent.
    const bad = await op
      .listCanary({
        modelHash: reference.modelHash,
        metadataURI: metadataFor("canary", reference.path),
        endpoint: "http://127.0.0.1:1/unset",
        price: parseEther("0.5"),
        trueScoreBps: TRUE_SCORE,
        servedModelHash: "0x1234",
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(bad).to.be.instanceOf(CanaryStateError);
    expect((bad as Error).message).to.include("served model hash 0x1234 is not 32 bytes");
    // Nothing was listed and the index was not spent.
    expect(op.nextProviderIndex).to.equal(0);
  });

  it("lists each canary from its own key, commits before the round, survives a restart, and audits: the liar is slashed, the honest paid", async function () {
    const first = operator();
    await first.checkOperator();
    const { reference, degraded } = ensureModels();
    const list = (name: string, fundFromMaster: boolean, servedModelHash?: string) =>
      first.listCanary({
        modelHash: reference.modelHash,
        metadataURI: metadataFor(name, reference.path),
        endpoint: "http://127.0.0.1:1/unset",
        price: parseEther("0.5"),
        trueScoreBps: TRUE_SCORE,
        fundFromMaster,
        servedModelHash,
      });
    // The DAO funds the first derived address from elsewhere (here: the deployer), the second from the master key.
    const [toFund] = await first.providerAddresses();
    const bond = await system.registry.requiredBond(reference.modelHash);
    await system.helpers.setBalance(toFund!.address, CANARY_PROVIDER_GAS);
    await (await system.token.connect(system.deployer).transfer(toFund!.address, bond)).wait();
    const master = new Wallet(MASTER_KEY);
    await system.helpers.setBalance(master.address, parseEther("10"));
    await (await system.token.connect(system.deployer).transfer(master.address, parseEther("10000"))).wait();
    // The first canary's salts commit to the model it really serves (the degraded one).
    const listingId = await list("canary", false, degraded.modelHash);
    const other = await list("canary-2", true);
    const providerOf = async (l: bigint) => (await system.registry.getListing(l)).provider;
    expect(await providerOf(listingId)).to.equal(toFund!.address);
    expect(await providerOf(other)).not.to.equal(await providerOf(listingId));
    expect([await providerOf(listingId), await providerOf(other)]).not.to.include(master.address);
    // The state file holds the key indexes, never a private key.
    const raw = readFileSync(join(dir.path, "canary-state.json"), "utf8");
    expect(JSON.parse(raw).canaries[listingId.toString()].providerIndex).to.equal(0);
    expect(JSON.parse(raw).canaries[other.toString()].providerIndex).to.equal(1);
    for (const i of [0, 1]) expect(raw).not.to.include(first.providerWallet(i).privateKey.slice(2));
    expect(raw).not.to.include(MASTER_KEY.slice(2));
    // It serves the degraded model under the reference model's hash, like a cheater; its receipts are signed by a
    // serving key the test's receipt shim holds.
    const canaryKey = first.providerWallet(0);
    const registry = system.registry.connect(canaryKey);
    await (await registry.setServingKey(listingId, system.signer(CANARY_SERVER).address)).wait();
    provider = await startProvider(system, "degraded", [listingId]);
    await (await registry.updateEndpoint(listingId, provider.url)).wait();
    const { applicationPeriod } = await system.registry.parameters();
    await system.helpers.time.increase(Number(applicationPeriod) + 1);
    await (await system.registry.activate(listingId)).wait();
    const epoch = await first.commitRoot();
    // The salts are on disk before anything else happens.
    const saved = JSON.parse(readFileSync(join(dir.path, "canary-state.json"), "utf8")) as {
      roots: { epoch: string; canaries: Record<string, { salt: string }> }[];
    };
    expect(saved.roots[0]!.epoch).to.equal(epoch.toString());
    expect(saved.roots[0]!.canaries[listingId.toString()]!.salt).to.match(/^0x[0-9a-f]{64}$/);
    expect(saved.roots[0]!.canaries[other.toString()]!.salt).to.match(/^0x[0-9a-f]{64}$/);

    const consumer = system.signer(7);
    const roundId = await system.validation.connect(consumer).openRound.staticCall(listingId);
    await (await system.validation.connect(consumer).openRound(listingId)).wait();
    await system.helpers.mine(2);
    await (await system.validation.drawCommittee(roundId)).wait();
    const committee = await system.validation.committeeOf(roundId);
    const scoreOf = (a: string) => (a === system.signer(LIAR).address ? 9_600 : TRUE_SCORE + 10);
    const salts = new Map<string, string>();
    for (const a of committee) {
      const salt = hexlify(randomBytes(32));
      salts.set(a, salt);
      const signer = await system.connection.ethers.getSigner(a);
      await (
        await system.validation.connect(signer).commitScore(roundId, scoreCommitment(scoreOf(a), salt, a, roundId))
      ).wait();
    }
    const round = await system.validation.getRound(roundId);
    await system.helpers.time.increaseTo(round.commitEnd + 1n);
    for (const a of committee) {
      const signer = await system.connection.ethers.getSigner(a);
      await (await system.validation.connect(signer).revealScore(roundId, scoreOf(a), salts.get(a)!)).wait();
    }
    await system.helpers.time.increaseTo((await system.validation.getRound(roundId)).revealEnd + 1n);
    await (await system.validation.finalizeRound(roundId)).wait();
    // Nothing to audit before finalization would have been done; now a fresh process reads the state file.
    const liarBefore = (await system.validatorPool.memberOf(system.signer(LIAR).address)).staked;
    const honestBefore = await Promise.all(HONEST.map((i) => system.token.balanceOf(system.signer(i).address)));

    const restarted = operator();
    const outcomes = await restarted.auditFinalized();
    expect(outcomes.map((o) => o.roundId)).to.deep.equal([roundId]);
    expect((await system.validatorPool.memberOf(system.signer(LIAR).address)).staked).to.be.lessThan(liarBefore);
    for (const [k, i] of HONEST.entries()) {
      if (!committee.includes(system.signer(i).address)) continue;
      expect(await system.token.balanceOf(system.signer(i).address)).to.be.greaterThan(honestBefore[k]!);
    }
    // The audit discloses the served model's hash and the nonce: anyone recomputes the revealed leaf from them.
    const disclosure = outcomes[0]!.disclosure!;
    expect(disclosure.servedModelHash).to.equal(degraded.modelHash.toLowerCase());
    const receipt = await system.connection.ethers.provider.getTransactionReceipt(outcomes[0]!.txHash);
    const audited = receipt!.logs
      .map((l) => system.canary.interface.parseLog(l))
      .find((e) => e?.name === "CanaryAudited")!;
    expect(audited.args.commitment).to.equal(
      canaryCommitment(listingId, TRUE_SCORE, canaryServedSalt(disclosure.servedModelHash, disclosure.nonce)),
    );
    // Done rounds are not retried.
    expect(await restarted.auditFinalized()).to.deep.equal([]);
  });
});

describe("curia-canary CLI", function () {
  const bin = fileURLToPath(new URL("../bin/curia-canary.mjs", import.meta.url));
  const run = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [bin, ...args], {
      encoding: "utf8",
      env: { ...process.env, CURIA_CANARY_OPERATOR_KEY: "", CURIA_CANARY_MASTER_KEY: "", ...env },
    });

  it("prints its usage with every variable, and refuses bad input with a message and a non-zero exit", function () {
    const help = run(["--help"]);
    expect(help.status).to.equal(0);
    for (const v of ["CURIA_CANARY_OPERATOR_KEY", "CURIA_CANARY_MASTER_KEY", "CURIA_CANARY_STATE", "CURIA_RPC_URL"]) {
      expect(help.stdout).to.include(v);
    }
    expect(run([]).status).to.equal(2);
    const unknown = run(["fly"]);
    expect(unknown.status).to.equal(2);
    expect(unknown.stderr).to.include("unknown command fly");
    const noMaster = run(["commit"]);
    expect(noMaster.status).to.equal(2);
    expect(noMaster.stderr).to.include("missing --master-key (CURIA_CANARY_MASTER_KEY)");
    const k = "0x" + "11".repeat(32);
    const noKey = run(["commit", "--master-key", k]);
    expect(noKey.status).to.equal(2);
    expect(noKey.stderr).to.include("missing --operator-key (CURIA_CANARY_OPERATOR_KEY)");
    const badKey = run(["commit", "--master-key", k, "--operator-key", "0x1234"]);
    expect(badKey.stderr).to.include("is not a 32-byte 0x-prefixed hex private key");
    // provider-key derives offline (no chain): index 0 of this master, and a bad index is refused.
    const derived = run(["provider-key", "--master-key", k, "--index", "0"]);
    expect(derived.status).to.equal(0);
    expect(derived.stdout.trim()).to.match(/^0x[0-9a-f]{64}$/);
    expect(new Wallet(derived.stdout.trim()).address).not.to.equal(new Wallet(k).address);
    expect(run(["provider-key", "--master-key", k, "--index", "x"]).stderr).to.include("is not a non-negative integer");
    const noDeployment = run(["audit", "--operator-key", k, "--master-key", k, "--deployment", "/nonexistent/x.json"]);
    expect(noDeployment.status).to.equal(1);
    expect(noDeployment.stderr).to.match(/deployment file .* does not exist/);
  });
});
