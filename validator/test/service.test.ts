// The validator service end to end on a local chain: three validators (one of them the keeper) follow the rounds of an
// honest and a cheating listing; the honest one's quality comes out high, the cheating one's median falls below the
// minimum quality and the ValidationManager challenges it in the Court. Each validator probes with its own private
// inputs from its own fresh buyers (one probe-funding account pays for all three): the members' scores differ, within
// the round's tolerance of the median. Then the court delists the cheat, and the keeper, restarted from its state dir,
// settles the dispute's committee: the members who scored it bad get their held stakes at risk back.
import { expect } from "chai";
import { hexlify, parseEther, randomBytes, type JsonRpcProvider } from "ethers";
import { Period, RoundPhase, Ruling, voteCommitment } from "@curia/protocol";
import { connectRpc } from "@curia/protocol/ethers";
import { readAddresses } from "../src/chain.js";
import { devAccount } from "../src/keys.js";
import { createLogger } from "../src/log.js";
import { ValidatorMetrics } from "../src/metrics.js";
import { probeBuyerWallet } from "../src/probes/buyers.js";
import { ValidatorService } from "../src/service.js";
import { StateStore } from "../src/state.js";
import { Verifier } from "../src/verify.js";
import {
  ACCOUNTS,
  deploySystem,
  fundedProbeFunder,
  seatEveryValidator,
  temporaryDirectory,
  type System,
} from "./helpers/chain.js";
import { immediateProbes, onDevChain } from "./helpers/service.js";
import { listReferenceModel, setEndpoint, startProvider, type RunningProvider } from "./helpers/providers.js";
import { waitFor } from "./helpers/wait.js";

const VALIDATORS = [11, 12, 13];
const LISTING_CHALLENGED = 3n;

describe("validator service on a local chain", function () {
  const dir = temporaryDirectory("curia-service-test-");
  let system: System;
  let rpc: JsonRpcProvider;
  const providers: RunningProvider[] = [];
  const services: ValidatorService[] = [];
  const states: StateStore[] = [];
  const metrics = new ValidatorMetrics();
  let verifier: Verifier;
  let honest: bigint;
  let cheating: bigint;
  let cheatRound: bigint | undefined;

  before(async function () {
    system = await deploySystem(dir.path);
    // The pool pays the bond and fee of automatic disputes: fund it (a donation). The Court needs jurors.
    for (const juror of ACCOUNTS.jurors)
      await (await system.jurorPool.connect(system.signer(juror)).stake(parseEther("5000"))).wait();
    await (
      await system.token.connect(system.deployer).transfer(await system.validation.getAddress(), parseEther("50000"))
    ).wait();
    honest = await listReferenceModel(system, ACCOUNTS.provider, "honest");
    cheating = await listReferenceModel(system, ACCOUNTS.cheater, "cheap");
    for (const [mode, listingId, owner] of [
      ["honest", honest, ACCOUNTS.provider],
      ["degraded", cheating, ACCOUNTS.cheater],
    ] as const) {
      const provider = await startProvider(system, mode, [listingId]);
      providers.push(provider);
      await setEndpoint(system, owner, listingId, provider.url);
    }
    const addresses = readAddresses(system.deploymentPath);
    rpc = await connectRpc(system.chain.url, addresses, 200);
    const log = createLogger("validator", { level: "warn" });
    verifier = new Verifier({ fetch: { ipfsGateway: "http://127.0.0.1:1" }, samples: 100, log });
    const funder = await fundedProbeFunder(system, rpc, addresses.token);
    for (const [i, index] of VALIDATORS.entries()) {
      const { wallet, label } = devAccount(index, rpc);
      const state = new StateStore(dir.path + "/state", wallet.address);
      states.push(state);
      const service = new ValidatorService({
        ...onDevChain(),
        wallet,
        keyLabel: label,
        addresses,
        provider: rpc,
        verifier,
        state,
        metrics,
        log: log.child({ validator: wallet.address }),
        keeper: i === 0,
        listings: [honest, cheating],
        // No schedule: each round is probed at once (the rounds open right away, before any period has passed).
        probes: immediateProbes(funder),
      });
      await service.ensureRegistered(parseEther("1000"));
      services.push(service);
    }
    await seatEveryValidator(system);
  });

  after(async function () {
    for (const s of services) await s.stop();
    await verifier?.close();
    for (const p of providers) await p.close();
    rpc?.destroy();
    dir.remove();
  });

  it("opens, draws, commits, reveals and finalises rounds: the honest listing scores high, the cheat is disputed", async function () {
    for (const s of services) await s.start();
    const finalized = async (listingId: bigint) => {
      const [roundId] = await system.validation.listingRounds(listingId);
      if (roundId === 0n) return undefined;
      return Number(await system.validation.phaseOf(roundId)) === RoundPhase.Finalized ? roundId : undefined;
    };
    const honestRound = await waitFor("the honest listing's round to finalise", () => finalized(honest));
    cheatRound = await waitFor("the cheating listing's round to finalise", () => finalized(cheating));

    // Three validators hold the committee's seats (drawn with replacement: some hold several); every seat revealed.
    const committeeSize = (await system.validation.parameters()).committeeSize;
    const good = await system.validation.getRound(honestRound);
    expect(good.seated).to.equal(committeeSize);
    expect(good.revealed).to.equal(good.seated);
    expect(good.quorumReached).to.equal(true);
    expect(good.medianBps).to.be.above(9_500n);
    expect(await system.registry.qualityOf(honest)).to.equal(good.medianBps);
    // Each member probed with its own private inputs: scores differ, each within the round's tolerance of the median.
    const { toleranceBps } = await system.validation.parameters();
    for (const state of states) {
      const score = state.get(honestRound)!.scoreBps;
      expect(Math.abs(score - Number(good.medianBps))).to.be.at.most(Number(toleranceBps));
    }
    const penalized = await system.validation.queryFilter(system.validation.filters.ValidatorPenalized(honestRound));
    expect(penalized).to.deep.equal([]);

    const bad = await system.validation.getRound(cheatRound);
    expect(bad.revealed).to.equal(committeeSize);
    expect(bad.medianBps).to.be.below((await system.validation.parameters()).minQualityBps);
    const disputes = await system.validation.queryFilter(system.validation.filters.DisputeRequested(cheatRound));
    expect(disputes).to.have.length(1);
    expect(disputes[0]!.args.listingId).to.equal(cheating);
    expect(await system.registry.statusOf(cheating)).to.equal(LISTING_CHALLENGED);
    expect((await system.registry.getListing(cheating)).activeDisputeId).to.equal(disputes[0]!.args.disputeId);

    // Each validator committed and revealed once per round, and its samples were bought by fresh buyers, never by its
    // registered address.
    for (const roundId of [honestRound, cheatRound]) {
      const commits = await system.validation.queryFilter(system.validation.filters.ScoreCommitted(roundId));
      expect(commits.map((e) => e.args.validator).sort()).to.deep.equal(services.map((s) => s.address).sort());
    }
    for (const [i, s] of services.entries()) {
      expect(await system.registry.callsPurchased(honest, s.address)).to.equal(0n);
      const { probeIds } = states[i]!.get(honestRound)!.report as { probeIds: number[] };
      let bought = 0n;
      for (const id of probeIds)
        bought += await system.registry.callsPurchased(honest, probeBuyerWallet(s.prober!.options.secret, id).address);
      expect(bought).to.equal(100n);
    }

    const text = await metrics.registry.metrics();
    expect(text).to.match(/curia_validator_reveals_total\{validator="0x[0-9a-fA-F]{40}"\} 2/);
    expect(text).to.contain('curia_validator_keeper_actions_total{action="finalizeRound"} 2');
  });

  it("settles the pool's dispute's committee once the court rules, after a restart, with nobody calling it by hand", async function () {
    if (cheatRound === undefined) throw new Error("the previous test did not finalise the cheating listing's round");
    const roundId = cheatRound;
    const { validation, validatorPool, court, challenges } = system;
    const [keeper] = services;
    const [requested] = await validation.queryFilter(validation.filters.DisputeRequested(roundId));
    const disputeId = requested!.args.disputeId;
    // The keeper follows the dispute on disk (from the next scan of the events after the finalisation)…
    const followed = await waitFor("the keeper to follow the dispute", async () =>
      states[0]!.readJson<{ disputeId: string; settled?: string }>(`committee-${disputeId}.json`),
    );
    expect(followed.settled).to.equal(undefined);
    // …then stops: nothing runs while the court rules, and the keeper comes back afterwards from its state dir.
    for (const s of services) await s.stop();

    // Every member scored the cheat below the minimum quality, within the tolerance: their stakes at risk are held.
    const atRisk = new Map<string, bigint>();
    for (const s of services) atRisk.set(s.address, (await validation.memberOf(roundId, s.address)).stakeAtRisk);
    const stakeBefore = new Map<string, bigint>();
    for (const s of services) {
      const member = await validatorPool.memberOf(s.address);
      expect(member.locked).to.equal(atRisk.get(s.address)).and.to.be.above(0n);
      stakeBefore.set(s.address, member.staked);
    }

    // The jurors agree with the validators: the listing goes.
    await system.helpers.mine(3);
    for (let i = 0; i < 16 && Number(await court.periodOf(disputeId)) === Period.Drawing; i++)
      await (await court.draw(disputeId, 64n)).wait();
    const round = BigInt((await court.getDispute(disputeId)).rounds) - 1n;
    const salts = new Map<number, string>();
    for (const index of ACCOUNTS.jurors) {
      const juror = system.signer(index);
      if ((await court.voteOf(disputeId, round, juror.address)).seats === 0n) continue;
      const salt = hexlify(randomBytes(32));
      salts.set(index, salt);
      await (
        await court
          .connect(juror)
          .commit(disputeId, voteCommitment(Ruling.Challenger, salt, juror.address, disputeId, round))
      ).wait();
    }
    const timing = await court.getRound(disputeId, round);
    await system.helpers.time.increaseTo(timing.commitEnd + 1n);
    for (const [index, salt] of salts)
      await (await court.connect(system.signer(index)).reveal(disputeId, Ruling.Challenger, salt)).wait();
    await system.helpers.time.increaseTo(timing.appealEnd + 1n);
    await (await court.executeRuling(disputeId)).wait();
    expect(await challenges.resolvedRuling(disputeId)).to.equal(BigInt(Ruling.Challenger));
    // The ruling alone frees nothing: without a settleCommittee the honest members' stakes stay locked.
    for (const s of services) expect((await validatorPool.memberOf(s.address)).locked).to.equal(atRisk.get(s.address));

    // The keeper restarts from its state dir (it opens no rounds: no listings) and settles the committee.
    const restarted = new ValidatorService({
      ...onDevChain(),
      wallet: devAccount(VALIDATORS[0]!, rpc).wallet,
      keyLabel: "restarted keeper",
      addresses: readAddresses(system.deploymentPath),
      provider: rpc,
      verifier,
      state: states[0]!,
      metrics,
      log: createLogger("validator", { level: "warn" }),
      keeper: true,
    });
    services.push(restarted);
    await restarted.start();
    const settled = await waitFor("the keeper to settle the committee", async () => {
      const events = await validation.queryFilter(validation.filters.CommitteeSettled(disputeId));
      return events.length > 0 ? events : undefined;
    });
    expect(settled).to.have.length(1);
    expect(settled[0]!.args.roundId).to.equal(roundId);
    expect(settled[0]!.args.slashed).to.equal(0n);
    expect((await settled[0]!.getTransaction()).from).to.equal(keeper!.address);
    for (const s of services.slice(0, VALIDATORS.length)) {
      const member = await validatorPool.memberOf(s.address);
      expect(member.locked).to.equal(0n);
      expect(member.staked).to.equal(stakeBefore.get(s.address));
    }
    // Settled once, recorded, and no longer followed.
    await waitFor("the settlement on disk", async () =>
      states[0]!.readJson<{ settled?: string }>(`committee-${disputeId}.json`)?.settled?.startsWith("0x")
        ? true
        : undefined,
    );
    expect(
      (await metrics.registry.metrics()).match(/keeper_actions_total\{action="settleCommittee"\} (\d+)/)?.[1],
    ).to.equal("1");
  });
});
