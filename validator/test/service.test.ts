// The validator service end to end on a local chain: three validators (one of them the keeper) follow the rounds of an
// honest and a cheating listing; the honest one's quality comes out high, the cheating one's median falls below the
// minimum quality and the ValidationManager challenges it in the Court.
import { expect } from "chai";
import { parseEther, type JsonRpcProvider } from "ethers";
import { RoundPhase } from "@curia/protocol";
import { connectRpc } from "@curia/protocol/ethers";
import { readAddresses } from "../src/chain.js";
import { devAccount } from "../src/keys.js";
import { createLogger } from "../src/log.js";
import { ValidatorMetrics } from "../src/metrics.js";
import { ValidatorService } from "../src/service.js";
import { StateStore } from "../src/state.js";
import { Verifier } from "../src/verify.js";
import { ACCOUNTS, deploySystem, seatEveryValidator, temporaryDirectory, type System } from "./helpers/chain.js";
import { listReferenceModel, setEndpoint, startProvider, type RunningProvider } from "./helpers/providers.js";

const VALIDATORS = [11, 12, 13];
const LISTING_CHALLENGED = 3n;

async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe("validator service on a local chain", function () {
  const dir = temporaryDirectory("curia-service-test-");
  let system: System;
  let rpc: JsonRpcProvider;
  const providers: RunningProvider[] = [];
  const services: ValidatorService[] = [];
  const metrics = new ValidatorMetrics();
  let verifier: Verifier;
  let honest: bigint;
  let cheating: bigint;

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
    for (const [i, index] of VALIDATORS.entries()) {
      const { wallet, label } = devAccount(index, rpc);
      const service = new ValidatorService({
        wallet,
        keyLabel: label,
        addresses,
        provider: rpc,
        verifier,
        state: new StateStore(dir.path + "/state", wallet.address),
        metrics,
        log: log.child({ validator: wallet.address }),
        keeper: i === 0,
        listings: [honest, cheating],
        pollMs: 200,
        devChain: true,
        buyCalls: true,
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
    const cheatRound = await waitFor("the cheating listing's round to finalise", () => finalized(cheating));

    // Three validators hold the committee's seats (drawn with replacement: some hold several); every seat revealed.
    const committeeSize = (await system.validation.parameters()).committeeSize;
    const good = await system.validation.getRound(honestRound);
    expect(good.seated).to.equal(committeeSize);
    expect(good.revealed).to.equal(good.seated);
    expect(good.quorumReached).to.equal(true);
    expect(good.medianBps).to.be.above(9_500n);
    expect(await system.registry.qualityOf(honest)).to.equal(good.medianBps);
    // Every member saw the same samples and the same outputs: the same score.
    for (const s of services) expect(s.reports.get(honestRound)?.scoreBps).to.equal(Number(good.medianBps));

    const bad = await system.validation.getRound(cheatRound);
    expect(bad.revealed).to.equal(committeeSize);
    expect(bad.medianBps).to.be.below((await system.validation.parameters()).minQualityBps);
    const disputes = await system.validation.queryFilter(system.validation.filters.DisputeRequested(cheatRound));
    expect(disputes).to.have.length(1);
    expect(disputes[0]!.args.listingId).to.equal(cheating);
    expect(await system.registry.statusOf(cheating)).to.equal(LISTING_CHALLENGED);
    expect((await system.registry.getListing(cheating)).activeDisputeId).to.equal(disputes[0]!.args.disputeId);

    // Each validator committed and revealed once per round, and bought its samples like any consumer.
    for (const roundId of [honestRound, cheatRound]) {
      const commits = await system.validation.queryFilter(system.validation.filters.ScoreCommitted(roundId));
      expect(commits.map((e) => e.args.validator).sort()).to.deep.equal(services.map((s) => s.address).sort());
    }
    for (const s of services) expect(await system.registry.callsPurchased(honest, s.address)).to.equal(100n);

    const text = await metrics.registry.metrics();
    expect(text).to.match(/curia_validator_reveals_total\{validator="0x[0-9a-fA-F]{40}"\} 2/);
    expect(text).to.contain('curia_validator_keeper_actions_total{action="finalizeRound"} 2');
  });
});
