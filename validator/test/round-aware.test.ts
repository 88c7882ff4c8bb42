// "Honest only during rounds" against the real services (issue 16). The attacker is a provider built on the provider
// middleware (ProviderCore + its node:http adapter, receipts signed by its serving key) that reads the chain before
// every answer: while a validation round of its listing is open (ValidationManager.phaseOf of the listing's last
// round: Drawing to Finalizable) it runs the listed model, otherwise the cheaper one. A paying consumer calls it through
// CuriaClient, which forwards every call to the validator's audit server.
//
// Against probe-only scoring (the validator service without audits) the attack works: the consumer's answers are
// outside the tolerance band, yet the validator's probes, sent inside the round, get the listed model and the round
// scores the listing high. With audits, the validator service scores the next round from what the consumer received:
// the listing falls below its minimum quality and the ValidationManager challenges it in the Court.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { parseEther, type JsonRpcProvider } from "ethers";
import { ListingStatus, RoundPhase, inferenceDomain, receiptFromWire } from "@curia/protocol";
import { ChainClock, CuriaClient, connectRpc, type Answer } from "@curia/protocol/ethers";
import { ProviderCore, curiaNodeHttp, loadServedListings, type InferFunction } from "@curia/provider";
import { AuditStore, type AuditServer } from "../src/audits.js";
import { readAddresses } from "../src/chain.js";
import { judgeAnswer } from "../src/fraud.js";
import { devAccount } from "../src/keys.js";
import { createLogger } from "../src/log.js";
import { INPUT_SIZE, evalPool } from "../src/model/dataset.js";
import { ensureModels } from "../src/model/reference.js";
import { probeBuyerWallet } from "../src/probes/buyers.js";
import { createSession, type ModelSession } from "../src/runtime.js";
import { ValidatorService, type ServiceOptions } from "../src/service.js";
import { StateStore, type RoundRecord } from "../src/state.js";
import { Verifier } from "../src/verify.js";
import { ACCOUNTS, deploySystem, fundedProbeFunder, temporaryDirectory, type System } from "./helpers/chain.js";
import { immediateProbes, localAuditServer, onDevChain } from "./helpers/service.js";
import { listReferenceModel, setEndpoint } from "./helpers/providers.js";
import { waitFor } from "./helpers/wait.js";

const VALIDATOR = 16;
const PER_CALL = 5;
const SAMPLES = 20;

describe("a provider honest only while a round of its listing is open, against the real services", function () {
  const dir = temporaryDirectory("curia-round-aware-test-");
  let system: System;
  let rpc: JsonRpcProvider;
  let listingId: bigint;
  let listed: ModelSession;
  let cheaper: ModelSession;
  let providerClock: ChainClock;
  let providerServer: Server;
  /** Requests the attacker answered with each model. */
  const served = { listed: 0, cheaper: 0 };
  let clock: ChainClock;
  let consumer: CuriaClient;
  let auditServer: AuditServer;
  let store: AuditStore;
  let state: StateStore;
  let verifier: Verifier;
  let serviceOptions: ServiceOptions;
  let service: ValidatorService | undefined;
  let call = 0;
  const consumerAnswers: Answer[] = [];

  /** One paid call of the consumer (forwarded to the audit server). */
  async function consumerCall(): Promise<Answer> {
    await clock.refresh();
    const inputs = evalPool().images.slice(call * PER_CALL * INPUT_SIZE, ++call * PER_CALL * INPUT_SIZE);
    const answer = await consumer.infer(listingId, inputs);
    const [audit] = await consumer.flushAudits();
    expect(audit?.status, audit?.error).to.equal(201);
    consumerAnswers.push(answer);
    return answer;
  }

  async function roundOf(): Promise<bigint> {
    await (await system.validation.connect(system.signer(ACCOUNTS.consumer)).openRound(listingId)).wait();
    const [roundId] = await system.validation.listingRounds(listingId);
    return roundId;
  }

  const committed = (roundId: bigint) =>
    waitFor(`round ${roundId}'s commitment`, async () => {
      const member = await system.validation.memberOf(roundId, serviceOptions.wallet.address);
      return member.commitment === "0x" + "0".repeat(64) ? undefined : state.get(roundId);
    });
  const finalized = (roundId: bigint) =>
    waitFor(`round ${roundId} to finalise`, async () =>
      Number(await system.validation.phaseOf(roundId)) === RoundPhase.Finalized
        ? system.validation.getRound(roundId)
        : undefined,
    );

  before(async function () {
    system = await deploySystem(dir.path);
    // The Court needs jurors, and the pool pays the bond and fee of automatic disputes (a donation funds it).
    for (const juror of ACCOUNTS.jurors)
      await (await system.jurorPool.connect(system.signer(juror)).stake(parseEther("5000"))).wait();
    await (
      await system.token.connect(system.deployer).transfer(await system.validation.getAddress(), parseEther("50000"))
    ).wait();
    listingId = await listReferenceModel(system, ACCOUNTS.cheater, "honest-only-during-rounds");

    // The attacker: the provider middleware with an inference function that reads the round's phase on-chain.
    const models = ensureModels();
    listed = await createSession(readFileSync(models.reference.path), { executionProvider: "cpu" });
    cheaper = await createSession(readFileSync(models.degraded.path), { executionProvider: "cpu" });
    const servingKey = system.signer(ACCOUNTS.cheater);
    providerClock = await ChainClock.start(system.connection.ethers.provider, 500);
    const core = new ProviderCore({
      domain: inferenceDomain(system.record.chainId, await system.registry.getAddress()),
      listings: await loadServedListings(system.registry, [listingId], servingKey.address),
      servingKey,
      callsPurchased: (id, caller) => system.registry.callsPurchased(id, caller),
      inputSize: INPUT_SIZE,
      chainNow: () => providerClock.now(),
    });
    const roundOpen = async (id: bigint): Promise<boolean> => {
      const [lastRoundId] = await system.validation.listingRounds(id);
      if (lastRoundId === 0n) return false;
      const phase = Number(await system.validation.phaseOf(lastRoundId));
      return phase >= RoundPhase.Drawing && phase <= RoundPhase.Finalizable;
    };
    const infer: InferFunction = async (request) => {
      if (await roundOpen(request.listingId)) {
        served.listed++;
        return listed.run(request.inputs, request.count);
      }
      served.cheaper++;
      return cheaper.run(request.inputs, request.count);
    };
    const handler = curiaNodeHttp(core, infer);
    providerServer = createServer((req, res) => void handler(req, res));
    await new Promise<void>((r) => providerServer.listen(0, "127.0.0.1", () => r()));
    const endpoint = `http://127.0.0.1:${(providerServer.address() as AddressInfo).port}/mnist`;
    await setEndpoint(system, ACCOUNTS.cheater, listingId, endpoint);

    // The validator: its audit server, and the service (started per phase).
    const addresses = readAddresses(system.deploymentPath);
    rpc = await connectRpc(system.chain.url, addresses, 200);
    const { wallet, label } = devAccount(VALIDATOR, rpc);
    state = new StateStore(join(dir.path, "state"), wallet.address);
    store = new AuditStore(state.dir, 100);
    const log = createLogger("validator", { level: "error" });
    auditServer = await localAuditServer(system, store, log);
    const auditUrl = `${await auditServer.listen(0)}/audits`;
    verifier = new Verifier({ fetch: { ipfsGateway: "http://127.0.0.1:1" }, samples: SAMPLES, log });
    serviceOptions = {
      ...onDevChain(),
      wallet,
      keyLabel: label,
      addresses,
      provider: rpc,
      verifier,
      state,
      log,
      keeper: true,
      // No scheduled probes: a round with too few audits falls back to the immediate probe inside the round, the path
      // a provider honest only during rounds passes.
      probes: immediateProbes(await fundedProbeFunder(system, rpc, addresses.token)),
    };
    await new ValidatorService(serviceOptions).ensureRegistered(parseEther("1000"));

    // The consumer: pays, calls, forwards every call to the validator.
    clock = await ChainClock.start(system.connection.ethers.provider, 0);
    await providerClock.refresh();
    consumer = CuriaClient.fromDeployment(system.record, system.signer(ACCOUNTS.consumer), {
      audit: { urls: [auditUrl], share: 1 },
      chainNow: () => clock.now(),
    });
    await consumer.buyCalls(listingId, 100n, parseEther("1"));
  });

  after(async function () {
    await service?.stop();
    clock?.stop();
    providerClock?.stop();
    await auditServer?.close();
    await verifier?.close();
    providerServer?.closeAllConnections();
    await new Promise<void>((r) => (providerServer ? providerServer.close(() => r()) : r()));
    await listed?.release();
    await cheaper?.release();
    rpc?.destroy();
    dir.remove();
  });

  it("passes probe-only scoring: the consumer gets the cheaper model, the round scores the listing high", async function () {
    // Between rounds: the consumer's answers are outside the tolerance band of the listed model.
    for (let i = 0; i < 2; i++) await consumerCall();
    expect(served).to.deep.equal({ listed: 0, cheaper: 2 });
    const listing = await system.registry.getListing(listingId);
    for (const answer of consumerAnswers) {
      const verdict = await judgeAnswer(
        {
          receipt: receiptFromWire(answer.stored.receipt).receipt,
          inputURI: answer.stored.inputURI,
          outputURI: answer.stored.outputURI,
        },
        { listingId, modelHash: listing.modelHash, metadataURI: listing.metadataURI },
        verifier,
        { ipfsGateway: "http://127.0.0.1:1" },
      );
      expect(verdict.outcome).to.equal("fraud");
    }

    // A validator that scores from its own probes only (no audits), inside the round.
    service = new ValidatorService(serviceOptions);
    await service.start();
    const roundId = await roundOf();
    const record: RoundRecord = await committed(roundId);
    expect((record.report as { source?: string }).source).to.equal("probes");
    expect(served.listed).to.be.at.least(1); // the probe, answered with the listed model
    const round = await finalized(roundId);
    const { minQualityBps } = await system.validation.parameters();
    // High enough to pass, which is the attack's point: the probes are fresh random inputs each run, so the listed
    // model's accuracy on them varies by a few points (a fixed 95% bar failed on a 92.5% draw).
    expect(round.medianBps).to.be.at.least(minQualityBps);
    expect(await system.registry.statusOf(listingId)).to.equal(BigInt(ListingStatus.Active));
    expect(await system.validation.queryFilter(system.validation.filters.DisputeRequested(roundId))).to.have.length(0);
    // The immediate probe was bought by a fresh buyer, not by the validator's registered address.
    expect(await system.registry.callsPurchased(listingId, service.address)).to.equal(0n);
    const [buyer] = (record.report as { probeIds: number[] }).probeIds;
    const buyerAddress = probeBuyerWallet(service.prober!.options.secret, buyer!).address;
    expect(await system.registry.callsPurchased(listingId, buyerAddress)).to.equal(BigInt(SAMPLES));
    await service.stop();
    service = undefined;
  });

  it("fails against audits: the next round scores what the consumer received, below the minimum, and disputes it", async function () {
    // Between rounds again: more cheap answers, every one forwarded to the validator's audit server.
    const before = served.cheaper;
    for (let i = 0; i < 2; i++) await consumerCall();
    expect(served.cheaper).to.equal(before + 2);
    expect(store.pendingCount(listingId)).to.equal(4);

    service = new ValidatorService({ ...serviceOptions, audits: { store, minAudits: 3 } });
    await service.start();
    const listedBefore = served.listed;
    const roundId = await roundOf();
    const record: RoundRecord = await committed(roundId);
    const report = record.report as { source?: string; audits: number; answers: number; fraudulentReceipts: number };
    expect(report.source).to.equal("audits");
    expect(report.audits).to.equal(4);
    expect(report.answers).to.equal(4 * PER_CALL);
    expect(report.fraudulentReceipts).to.equal(4);
    const { minQualityBps } = await system.validation.parameters();
    expect(record.scoreBps).to.be.below(Number(minQualityBps));
    // Scored from audits: no probe bought or sent in this round, nothing for the round detector to catch.
    expect(await system.registry.callsPurchased(listingId, service.address)).to.equal(0n);
    expect((record.report as { probeIds?: number[] }).probeIds ?? []).to.deep.equal([]);
    expect(served.listed).to.equal(listedBefore);

    const round = await finalized(roundId);
    expect(round.medianBps).to.be.below(minQualityBps);
    const [dispute] = await system.validation.queryFilter(system.validation.filters.DisputeRequested(roundId));
    expect(dispute?.args.listingId).to.equal(listingId);
    expect(await system.registry.statusOf(listingId)).to.equal(BigInt(ListingStatus.Challenged));
    expect((await system.registry.getListing(listingId)).activeDisputeId).to.equal(dispute!.args.disputeId);
  });
});
