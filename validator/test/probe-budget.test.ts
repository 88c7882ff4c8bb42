// Red team of issue 16's reimbursed calls (test/redteam/validation-price.test.ts): a provider prices its calls above
// what a round pays back, then has a round opened on its listing. A validator that bought its sample at the round's
// price whatever the round reimbursed paid the provider the committee's samples (200 calls × the price, per seat) for
// a round that pays back at most its cap. The validator now never spends more probing for a round than the round
// reimburses its seats (protocol's reimbursementPerSeat), and with nothing to score from and no call it can afford it
// commits the listing's current quality: it loses nothing, and the median moves nothing on its account.
import { join } from "node:path";
import { expect } from "chai";
import { parseEther, type JsonRpcProvider } from "ethers";
import { RoundPhase, reimbursementPerSeat } from "@curia/protocol";
import { connectRpc } from "@curia/protocol/ethers";
import { readAddresses } from "../src/chain.js";
import { devAccount } from "../src/keys.js";
import { createLogger } from "../src/log.js";
import { probeBuyerWallet } from "../src/probes/buyers.js";
import { ValidatorService } from "../src/service.js";
import { StateStore, type RoundRecord } from "../src/state.js";
import { Verifier } from "../src/verify.js";
import { ACCOUNTS, deploySystem, fundedProbeFunder, temporaryDirectory, type System } from "./helpers/chain.js";
import { immediateProbes, onDevChain } from "./helpers/service.js";
import { listReferenceModel, setEndpoint, startProvider, type RunningProvider } from "./helpers/providers.js";
import { waitFor } from "./helpers/wait.js";

const VALIDATOR = 14;
const SAMPLES = 100;

describe("probes cost a validator no more than its round reimburses", function () {
  const dir = temporaryDirectory("curia-probe-budget-test-");
  let system: System;
  let rpc: JsonRpcProvider;
  let provider: RunningProvider;
  let state: StateStore;
  let service: ValidatorService;
  let verifier: Verifier;
  const listings: bigint[] = [];

  before(async function () {
    system = await deploySystem(dir.path);
    for (const name of ["priced-above-a-round", "priced-out-of-reach"]) {
      const id = await listReferenceModel(system, ACCOUNTS.cheater, name);
      listings.push(id);
    }
    provider = await startProvider(system, "honest", listings);
    for (const id of listings) await setEndpoint(system, ACCOUNTS.cheater, id, provider.url);
    const addresses = readAddresses(system.deploymentPath);
    rpc = await connectRpc(system.chain.url, addresses, 200);
    const { wallet, label } = devAccount(VALIDATOR, rpc);
    state = new StateStore(join(dir.path, "state"), wallet.address);
    const log = createLogger("validator", { level: "error" });
    verifier = new Verifier({ fetch: { ipfsGateway: "http://127.0.0.1:1" }, samples: SAMPLES, log });
    service = new ValidatorService({
      ...onDevChain(),
      wallet,
      keyLabel: label,
      addresses,
      provider: rpc,
      verifier,
      state,
      log,
      keeper: true,
      probes: immediateProbes(await fundedProbeFunder(system, rpc, addresses.token)),
    });
    await service.ensureRegistered(parseEther("1000"));
    await service.start();
  });

  after(async function () {
    await service?.stop();
    await verifier?.close();
    await provider?.close();
    rpc?.destroy();
    dir.remove();
  });

  /** Opens a round on `listingId` at `price` per call and waits for this validator's commitment. */
  async function roundAt(listingId: bigint, price: bigint): Promise<{ roundId: bigint; record: RoundRecord }> {
    const cheater = system.signer(ACCOUNTS.cheater);
    await (await system.registry.connect(cheater).updatePrice(listingId, price)).wait();
    await (await system.validation.connect(system.signer(ACCOUNTS.consumer)).openRound(listingId)).wait();
    const [roundId] = await system.validation.listingRounds(listingId);
    const record = await waitFor("the validator's commitment", async () => {
      const member = await system.validation.memberOf(roundId, service.address);
      return member.commitment === "0x" + "0".repeat(64) ? undefined : state.get(roundId);
    });
    return { roundId, record };
  }

  /** What this validator's probe buyers paid the listing in `record`'s round. */
  async function spentOn(listingId: bigint, record: RoundRecord, price: bigint): Promise<bigint> {
    const ids = (record.report as { probeIds?: number[] }).probeIds ?? [];
    let calls = 0n;
    for (const id of ids) {
      const buyer = probeBuyerWallet(service.prober!.options.secret, id).address;
      calls += await system.registry.callsPurchased(listingId, buyer);
    }
    return calls * price;
  }

  it("buys only the calls the round pays back, and is paid back at least what it spent", async function () {
    // The validators' pool holds 20,000 CUR: a round pays at most 10 % of it, 2,000 CUR, across its seats.
    const price = parseEther("200");
    const listingId = listings[0]!;
    const { roundId, record } = await roundAt(listingId, price);
    const round = await system.validation.getRound(roundId);
    const member = await system.validation.memberOf(roundId, service.address);
    // The attack as it was: a sample of 100 calls at 200 CUR, 20,000 CUR per member, for a round that pays at most
    // 2,000 CUR.
    expect(BigInt(SAMPLES) * price).to.equal(parseEther("20000"));
    const params = await system.validation.parameters();
    const [, pool] = await system.validation.totalOwed();
    const budget =
      reimbursementPerSeat({
        pricePerCall: round.pricePerCall,
        reimbursedCalls: params.reimbursedCalls,
        rewardPool: pool,
        rewardShareBps: params.rewardShareBps,
        feePaid: 0n,
        honestSeats: round.seated,
      }) * member.seats;
    const spent = await spentOn(listingId, record, price);
    expect(spent > 0n, "it probed what the round pays for").to.equal(true);
    expect(spent).to.be.at.most(budget);
    expect(spent).to.be.below(BigInt(SAMPLES) * price);

    // Once the round is over, what this validator was reimbursed covers what its buyers paid.
    await waitFor("the round to finalise", async () =>
      Number(await system.validation.phaseOf(roundId)) === RoundPhase.Finalized ? true : undefined,
    );
    const [rewarded] = await system.validation.queryFilter(
      system.validation.filters.ValidatorRewarded(roundId, service.address),
    );
    expect(rewarded, "the validator was honest and paid").to.not.equal(undefined);
    expect(rewarded!.args.reimbursed).to.be.at.least(spent);
  });

  it("with not one call affordable and nothing to score from, buys nothing and commits the listing's quality", async function () {
    const listingId = listings[1]!;
    const quality = await system.registry.qualityOf(listingId);
    const { record } = await roundAt(listingId, parseEther("1000000"));
    expect((record.report as { source?: string }).source).to.equal("unaffordable");
    expect(record.scoreBps).to.equal(Number(quality));
    expect(await spentOn(listingId, record, parseEther("1000000"))).to.equal(0n);
  });
});
