// Probes a provider cannot tell from paying consumers (issue 16), played as the attacker first. The provider runs a
// probe detector (helpers/probe-detector.ts) with the four signals the old probes raised — the caller is a registered
// validator, the inputs are public dataset digits, a round of the listing is open, the batch has exactly 100 inputs —
// and serves the listed model to flagged requests, a cheaper one to everyone else.
//   - The old probes (the validator's own address, the public window of the round, inside the commit window, batches
//     of 100) raise all four signals: the cheat passes with an honest score.
//   - The new probes (fresh private inputs, random sizes, at random times of the period, bought by fresh addresses
//     funded by a separate account) raise none: the real verifier and reference model score the cheat below the
//     listing's minimum, from the probes kept on disk, without one request inside the round.
//   - The immediate probe a round falls back to when the period holds too few probes still arrives inside the round:
//     the round-window signal catches it (why docs/probes.md calls it the weaker path).
// Buyers are swept back to the funding account, a crash leaves nothing behind, and the funding account may not be the
// validator's key.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { expect } from "chai";
import { parseEther, type JsonRpcProvider } from "ethers";
import { inferenceDomain } from "@curia/protocol";
import { ChainClock, connectRpc } from "@curia/protocol/ethers";
import { readAddresses, type CuriaAddresses } from "../src/chain.js";
import { InferenceClient } from "../src/client.js";
import { devAccount } from "../src/keys.js";
import { createLogger } from "../src/log.js";
import { BuyerLedger, ProbeFunder, probeBuyerWallet } from "../src/probes/buyers.js";
import { periodOf, planPeriod, type ProbeSchedule } from "../src/probes/schedule.js";
import type { ProbeRecord } from "../src/probes/store.js";
import { listingKeysOf } from "../src/receipts.js";
import { ValidatorService, type ServiceOptions } from "../src/service.js";
import { StateStore, type RoundRecord } from "../src/state.js";
import { Verifier } from "../src/verify.js";
import {
  ACCOUNTS,
  REPO_ROOT,
  deploySystem,
  fundedProbeFunder,
  temporaryDirectory,
  type System,
} from "./helpers/chain.js";
import { onDevChain } from "./helpers/service.js";
import { PROBE_SIGNALS, startDetectingProvider, type DetectingProvider } from "./helpers/probe-detector.js";
import { listReferenceModel, setEndpoint } from "./helpers/providers.js";
import { waitFor } from "./helpers/wait.js";

const VALIDATOR = 13;
/** Probe calls a round's score needs (the service's --samples). */
const SAMPLES = 60;
/** A probe funds, buys and sends in several transactions: waits here allow three minutes. */
const SLOW = 180_000;
/** Six probes of 12-16 calls: at least 72 calls a period, enough for a round without an immediate probe. */
const SCHEDULE: ProbeSchedule = { probesPerPeriod: 6, minSize: 12, maxSize: 16, latenessSeconds: 3_600 };
const GAS_PER_BUYER = 400_000n;

describe("probes a validator-aware provider cannot recognise", function () {
  const dir = temporaryDirectory("curia-probes-test-");
  let system: System;
  let rpc: JsonRpcProvider;
  let addresses: CuriaAddresses;
  let provider: DetectingProvider;
  let funder: ProbeFunder;
  let verifier: Verifier;
  let state: StateStore;
  let options: ServiceOptions;
  let service: ValidatorService;
  let oldListing: bigint;
  let newListing: bigint;
  let price: bigint;

  before(async function () {
    system = await deploySystem(dir.path);
    oldListing = await listReferenceModel(system, ACCOUNTS.cheater, "recognises probes (old)");
    newListing = await listReferenceModel(system, ACCOUNTS.cheater, "recognises probes (new)");
    provider = await startDetectingProvider(system, [oldListing, newListing]);
    for (const id of [oldListing, newListing]) await setEndpoint(system, ACCOUNTS.cheater, id, provider.url);
    price = (await system.registry.getListing(newListing)).pricePerCall;
    addresses = readAddresses(system.deploymentPath);
    rpc = await connectRpc(system.chain.url, addresses, 200);
    funder = await fundedProbeFunder(system, rpc, addresses.token);
    const log = createLogger("validator", { level: "error" });
    verifier = new Verifier({ fetch: { ipfsGateway: "http://127.0.0.1:1" }, samples: SAMPLES, log });
    const { wallet, label } = devAccount(VALIDATOR, rpc);
    state = new StateStore(join(dir.path, "state"), wallet.address);
    options = {
      ...onDevChain(),
      wallet,
      keyLabel: label,
      addresses,
      provider: rpc,
      verifier,
      state,
      log,
      keeper: true, // draws and finalizes; the test opens the rounds
      probes: { funder, schedule: SCHEDULE, listings: [newListing], gasPerBuyer: GAS_PER_BUYER },
    };
    service = new ValidatorService(options);
    await service.ensureRegistered(parseEther("1000"));
  });

  after(async function () {
    await service?.stop();
    await verifier?.close();
    await provider?.close();
    rpc?.destroy();
    dir.remove();
  });

  const committed = (roundId: bigint) =>
    waitFor(
      `round ${roundId}'s commitment`,
      async () => {
        const member = await system.validation.memberOf(roundId, service.address);
        return member.commitment === "0x" + "0".repeat(64) ? undefined : state.get(roundId);
      },
      SLOW,
    );

  async function openRound(listingId: bigint): Promise<bigint> {
    await (await system.validation.connect(system.signer(ACCOUNTS.consumer)).openRound(listingId)).wait();
    return (await system.validation.listingRounds(listingId))[0];
  }

  it("attack: the old probes raise all four signals, and the cheat passes them with an honest score", async function () {
    const roundId = await openRound(oldListing);
    await system.helpers.mine(2); // the draw's randomness block
    await (await system.validation.drawCommittee(roundId)).wait();
    expect((await system.validation.memberOf(roundId, service.address)).seats).to.be.above(0n);
    // What the service did before: buy the samples from the registered address, send the round's window of the
    // public evaluation set in batches of 100, inside the commit window.
    const validator = system.signer(VALIDATOR);
    await (await system.registry.connect(validator).purchase(oldListing, 200n, validator.address, price)).wait();
    const clock = await ChainClock.start(rpc, 0);
    const listing = await system.registry.getListing(oldListing);
    const oldVerifier = new Verifier({ fetch: { ipfsGateway: "http://127.0.0.1:1" }, samples: 200, log: options.log });
    try {
      const report = await oldVerifier.verifyListing(
        {
          listingId: oldListing,
          endpoint: listing.endpointURI,
          modelHash: listing.modelHash,
          metadataURI: listing.metadataURI,
          roundId,
        },
        new InferenceClient(
          validator,
          inferenceDomain(addresses.chainId, addresses.registry),
          listingKeysOf(system.registry),
          { chainNow: () => clock.now() },
        ),
      );
      expect(report.scoreBps).to.be.above(9_500);
    } finally {
      clock.stop();
      await oldVerifier.close();
    }
    const seen = provider.detector.seen.filter((r) => r.listingId === oldListing);
    expect(seen).to.have.length(2);
    for (const request of seen) expect(request.signals).to.have.members([...PROBE_SIGNALS]);
    // Let the round run out (nobody commits): its windows are over before the service starts.
    const params = await system.validation.parameters();
    await system.helpers.time.increase(Number(params.commitPeriod + params.revealPeriod) + 1);
  });

  it("the new probes raise none: spread over the period by fresh buyers, they score the cheat below the minimum", async function () {
    const fundsBefore = await system.token.balanceOf(funder.address);
    await service.start();
    const prober = service.prober!;
    const roundPeriod = Number((await system.validation.parameters()).roundPeriod);
    const latest = (await system.connection.ethers.provider.getBlock("latest"))!.timestamp;
    // The next period's plan, drawn from this validator's private secret; the chain's clock is moved to each probe.
    const period = periodOf(latest, roundPeriod) + 1;
    const plan = planPeriod(prober.options.secret, newListing, period, roundPeriod, SCHEDULE);
    for (const planned of plan) {
      const now = (await system.connection.ethers.provider.getBlock("latest"))!.timestamp;
      if (planned.at > now) {
        await system.helpers.time.increaseTo(planned.at);
        // The provider dates its receipts by its own view of the chain's clock: moved with it, before the probe's
        // funding and purchase transactions give the validator its first request (else a receipt dated an hour back).
        await provider.clock.refresh();
      }
      await waitFor(
        `planned probe ${planned.slot}`,
        async () => (prober.store.slots(newListing, period)[planned.slot] === "probed" ? true : undefined),
        SLOW,
      );
    }
    // (A probe of the period before may have been due when the service started: it counts too.)
    const probes: ProbeRecord[] = prober.store.pending(newListing);
    const ofPeriod = probes.filter((p) => p.slot?.period === period);
    expect(ofPeriod.map((p) => p.slot!.slot).sort((a, b) => a - b)).to.deep.equal(plan.map((p) => p.slot));
    expect(ofPeriod.reduce((n, p) => n + p.calls, 0)).to.be.at.least(SAMPLES);
    const calls = probes.reduce((n, p) => n + p.calls, 0);

    // Nothing the detector looks at gave one of them away.
    const seen = provider.detector.seen.filter((r) => r.listingId === newListing);
    expect(seen.length).to.be.at.least(probes.length);
    for (const request of seen) expect(request.signals).to.deep.equal([]);
    expect(new Set(seen.map((r) => r.count)).size).to.be.above(1);

    // Each probe bought exactly its calls from its own fresh address, and gave the rest back.
    const buyers = new Set(probes.map((p) => p.buyer));
    expect(buyers.size).to.equal(probes.length);
    expect(buyers.has(service.address)).to.equal(false);
    expect(buyers.has(funder.address)).to.equal(false);
    const ledger = new BuyerLedger(state.dir).all();
    for (const probe of probes) {
      expect(probe.buyer).to.equal(probeBuyerWallet(prober.options.secret, probe.buyerIndex).address);
      expect(await system.registry.callsPurchased(newListing, probe.buyer)).to.equal(BigInt(probe.calls));
      expect(await system.token.balanceOf(probe.buyer)).to.equal(0n);
      // The gas it was given came back too, less what it spent and the fee market's dust (under 5 % of it).
      const funded = BigInt(ledger.find((b) => b.index === probe.buyerIndex)!.fundedWei!);
      expect((await rpc.getBalance(probe.buyer)) * 10n).to.be.below(funded);
    }
    expect(fundsBefore - (await system.token.balanceOf(funder.address))).to.equal(BigInt(calls) * price);
    expect(new BuyerLedger(state.dir).unswept()).to.deep.equal([]);

    // The round: scored from the probes kept on disk, no request inside it, nothing bought by the validator.
    const requestsBefore = provider.detector.seen.length;
    const roundId = await openRound(newListing);
    const record: RoundRecord = await committed(roundId);
    const report = record.report as { source: string; immediateProbe: boolean; probeAnswers: number };
    expect(report.source).to.equal("probes");
    expect(report.immediateProbe).to.equal(false);
    // The round takes the probes of the round period before it opened: this period's, and any earlier one still in it.
    const { openedAt } = await system.validation.getRound(roundId);
    const used = probes.filter((p) => p.probedAt >= Number(openedAt) - roundPeriod);
    expect(used).to.include.members(ofPeriod);
    expect(report.probeAnswers).to.equal(used.reduce((n, p) => n + p.calls, 0));
    expect(record.scoreBps).to.be.below(Number((await system.validation.parameters()).minQualityBps));
    expect(provider.detector.seen.length).to.equal(requestsBefore);
    expect(await system.registry.callsPurchased(newListing, service.address)).to.equal(0n);
    expect(prober.store.pending(newListing)).to.deep.equal(probes.filter((p) => !used.includes(p))); // used: scored/
  });

  it("the immediate probe of a round without probes arrives inside it: the round-window signal still catches it", async function () {
    const roundId = await openRound(oldListing);
    const record: RoundRecord = await committed(roundId);
    const report = record.report as { source: string; immediateProbe: boolean; probeAnswers: number };
    expect(report.immediateProbe).to.equal(true);
    // The whole sample when the round pays it back; a round requested within the listing's period pays at most its
    // fee, and the probe then buys only what that reimburses (probe-budget.test.ts).
    const { feePaid } = (await system.validation.queryFilter(system.validation.filters.RoundOpened(roundId)))[0]!.args;
    const affordable = feePaid === 0n ? SAMPLES : Math.min(SAMPLES, Number(feePaid / price));
    expect(report.probeAnswers).to.be.within(1, affordable);
    const seen = provider.detector.seen.filter((r) => r.listingId === oldListing).slice(2);
    expect(seen.length).to.be.above(1);
    for (const request of seen) expect(request.signals).to.deep.equal(["round-window"]);
    // Served the listed model on timing alone: why the schedule, not this path, is what scores thin listings.
    expect(record.scoreBps).to.be.above(9_000);
    expect(await system.registry.callsPurchased(oldListing, service.address)).to.equal(200n); // the old probe's only
  });

  it("refuses a probe-funding account that is the validator's key", function () {
    const own = new ProbeFunder(options.wallet, "the validator's own key", addresses.token);
    expect(() => new ValidatorService({ ...options, probes: { ...options.probes!, funder: own } })).to.throw(
      /probe-funding account .* is the validator key .*linked to it on-chain/,
    );
  });

  it("`curia-validator run` refuses a probe-funding account that is one of its validator keys (exit 2)", async function () {
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
        "15,16",
        "--probe-funding-dev-account",
        "16",
        "--state-dir",
        join(dir.path, "cli-state"),
      ],
      { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code, stderr).to.equal(2);
    expect(stderr).to.match(
      /probe-funding account 0x[0-9a-fA-F]{40} .*Hardhat test account #16.* is the validator key/,
    );
  });

  it("sweeps a buyer a crash left funded back to the funding account when the service starts", async function () {
    await service.stop();
    const ledger = new BuyerLedger(state.dir);
    const secret = service.prober!.options.secret;
    const reserved = ledger.reserve((i) => probeBuyerWallet(secret, i).address, newListing);
    await funder.fund(reserved.address, parseEther("0.01"), parseEther("3"));
    ledger.update(reserved.index, { status: "funded", fundedCur: parseEther("3").toString() });
    const fundsBefore = await system.token.balanceOf(funder.address);
    service = new ValidatorService({
      ...options,
      probes: { ...options.probes!, schedule: { ...SCHEDULE, probesPerPeriod: 0 } },
    });
    await service.start();
    expect(await system.token.balanceOf(reserved.address)).to.equal(0n);
    expect((await system.token.balanceOf(funder.address)) - fundsBefore).to.equal(parseEther("3"));
    expect(ledger.unswept()).to.deep.equal([]);
  });
});
