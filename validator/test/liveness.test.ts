// Liveness and price, played as the provider would (issue 16): a provider that answers validators' paid, signed
// requests with HTTP 503 must not block its round, and one that raises its price after the round opened must not make
// validators pay the new price. Both are committed as score 0 ("unreachable") by the real validator service on the real
// contracts. Validators approve exactly what they spend, never an unlimited allowance; so do their probe buyers.
import { expect } from "chai";
import { parseEther, type JsonRpcProvider } from "ethers";
import { connectRpc } from "@curia/protocol/ethers";
import { readAddresses } from "../src/chain.js";
import { devAccount } from "../src/keys.js";
import { createLogger } from "../src/log.js";
import { BuyerLedger, probeBuyerWallet, type ProbeFunder } from "../src/probes/buyers.js";
import { ValidatorService } from "../src/service.js";
import { StateStore, type RoundRecord } from "../src/state.js";
import { Verifier } from "../src/verify.js";
import { ACCOUNTS, deploySystem, fundedProbeFunder, temporaryDirectory, type System } from "./helpers/chain.js";
import { immediateProbes, onDevChain } from "./helpers/service.js";
import { listReferenceModel, setEndpoint, startProvider, type RunningProvider } from "./helpers/providers.js";
import { waitFor } from "./helpers/wait.js";

/** An account the shared deployment neither funds nor approves for anything: its allowances are the service's own. */
const FRESH_VALIDATOR = 19;

describe("liveness and price: unreachable listings score 0", function () {
  const dir = temporaryDirectory("curia-liveness-test-");
  let system: System;
  let rpc: JsonRpcProvider;
  const providers: RunningProvider[] = [];
  let service: ValidatorService;
  let funder: ProbeFunder;
  let state: StateStore;
  let verifier: Verifier;
  let stonewalling: bigint;
  let hiking: bigint;
  let honest: bigint;

  before(async function () {
    system = await deploySystem(dir.path);
    stonewalling = await listReferenceModel(system, ACCOUNTS.cheater, "stonewalling");
    hiking = await listReferenceModel(system, ACCOUNTS.cheater, "price hike");
    honest = await listReferenceModel(system, ACCOUNTS.provider, "honest");
    for (const [listingId, owner, fault] of [
      [stonewalling, ACCOUNTS.cheater, "always-503"],
      [hiking, ACCOUNTS.cheater, "none"],
      [honest, ACCOUNTS.provider, "none"],
    ] as const) {
      const provider = await startProvider(system, "honest", [listingId], fault);
      providers.push(provider);
      await setEndpoint(system, owner, listingId, provider.url);
    }
    for (const p of providers) await p.clock.refresh(); // later listings moved the chain's time
    const addresses = readAddresses(system.deploymentPath);
    rpc = await connectRpc(system.chain.url, addresses, 200);
    const { wallet, label } = devAccount(FRESH_VALIDATOR, rpc);
    await (await system.token.connect(system.deployer).transfer(wallet.address, parseEther("5000"))).wait();
    const log = createLogger("validator", { level: "error" });
    verifier = new Verifier({ fetch: { ipfsGateway: "http://127.0.0.1:1" }, samples: 50, log });
    state = new StateStore(dir.path + "/state", wallet.address);
    funder = await fundedProbeFunder(system, rpc, addresses.token);
    service = new ValidatorService({
      ...onDevChain(),
      wallet,
      keyLabel: label,
      addresses,
      provider: rpc,
      verifier,
      state,
      log,
      keeper: true, // draws the committees; opens nothing (no listings): the test opens the rounds
      probes: immediateProbes(funder),
      client: { attempts: 3, baseDelayMs: 20, timeoutMs: 5_000 },
    });
    await service.ensureRegistered(parseEther("1000"));
  });

  after(async function () {
    await service?.stop();
    await verifier?.close();
    for (const p of providers) await p.close();
    rpc?.destroy();
    dir.remove();
  });

  async function openRound(listingId: bigint): Promise<bigint> {
    const consumer = system.signer(ACCOUNTS.consumer);
    await (await system.validation.connect(consumer).openRound(listingId)).wait();
    const [roundId] = await system.validation.listingRounds(listingId);
    return roundId;
  }

  /** The probe buyers a round's score used (their keys derive from the validator's probe secret). */
  const buyersOf = (record: RoundRecord) =>
    (record.report as { probeIds: number[] }).probeIds.map(
      (id) => probeBuyerWallet(service.prober!.options.secret, id).address,
    );

  const committed = (roundId: bigint) => async () => {
    const member = await system.validation.memberOf(roundId, service.address);
    if (member.commitment === "0x" + "0".repeat(64)) return undefined;
    return state.get(roundId);
  };

  it("registers with an exact approval: no allowance left to the validators' pool", async function () {
    const pool = await system.validatorPool.getAddress();
    expect((await system.validatorPool.memberOf(service.address)).staked).to.equal(parseEther("1000"));
    expect(await system.token.allowance(service.address, pool)).to.equal(0n);
  });

  it("commits 0 (unreachable) for a listing that answers its paid, signed requests with 503", async function () {
    await service.start();
    const roundId = await openRound(stonewalling);
    const record: RoundRecord = await waitFor("the stonewalling round's commitment", committed(roundId));
    expect(record.scoreBps).to.equal(0);
    expect((record.report as { unreachable?: string }).unreachable).to.match(/answered 503.*after every retry/);
    // A fresh buyer paid for the samples like any consumer, and the validator committed rather than staying silent.
    const [buyer] = buyersOf(record);
    expect(await system.registry.callsPurchased(stonewalling, buyer!)).to.equal(50n);
    expect(await system.registry.callsPurchased(stonewalling, service.address)).to.equal(0n);
    expect((record.report as { unanswered: number }).unanswered).to.equal(50);
    const commits = await system.validation.queryFilter(system.validation.filters.ScoreCommitted(roundId));
    expect(commits.map((e) => e.args.validator)).to.deep.equal([service.address]);
  });

  it("buys at the price of the round's opening: a hike after it is refused and scores 0", async function () {
    const before = await system.token.balanceOf(funder.address);
    const buyers = new BuyerLedger(state.dir).all().length;
    const price = (await system.registry.getListing(hiking)).pricePerCall;
    const roundId = await openRound(hiking);
    // The provider raises its price right after the round opened, before the validator buys its samples.
    await (await system.registry.connect(system.signer(ACCOUNTS.cheater)).updatePrice(hiking, price * 100n)).wait();
    const record: RoundRecord = await waitFor("the price-hike round's commitment", committed(roundId));
    expect(record.scoreBps).to.equal(0);
    expect((record.report as { unreachable?: string }).unreachable).to.match(/raised its price/);
    // Nothing bought, nothing spent: not even a buyer funded.
    expect(await system.registry.callsPurchased(hiking, service.address)).to.equal(0n);
    expect(await system.token.balanceOf(funder.address)).to.equal(before);
    expect(new BuyerLedger(state.dir).all()).to.have.length(buyers);
  });

  it("scores an honest listing from receipted answers and approves exactly the samples' cost", async function () {
    const roundId = await openRound(honest);
    const record: RoundRecord = await waitFor("the honest round's commitment", committed(roundId));
    expect(record.scoreBps).to.be.above(9_000);
    const [buyer] = buyersOf(record);
    expect(await system.registry.callsPurchased(honest, buyer!)).to.equal(50n);
    expect(await system.token.allowance(buyer!, await system.registry.getAddress())).to.equal(0n);
    // The answers came with receipts signed by the listing's serving key (one per request of a random size), kept on
    // disk with their bytes.
    const requests = providers[2]!.shim.signed;
    expect(requests).to.be.within(Math.ceil(50 / 16), Math.ceil(50 / 4));
  });
});
