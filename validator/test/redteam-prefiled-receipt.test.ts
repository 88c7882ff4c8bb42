// Red team of the validator's automatic fraud-proof filer (filer.ts), played as a rational cheater. It sees every
// request it serves, so it knows which of its signed answers are wrong, and it holds their receipts and signatures (it
// signed them). ListingChallenges takes a fraud proof's publication as given (it does not hash the input and output),
// so the cheater's sybil files its own wrong receipt first, publishing an output that is not the signed one: the
// validators judge that "publication-mismatch", the jurors rule for the listing, and the sybil's lost bond comes back to
// the cheater in part (60 % goes to the winner). The first filer took any FraudProofFiled of the digest for its own
// proof ("filed by another") and never filed the real one: the cheat escaped for ~40 % of a bond. Now a filing counts
// as this validator's only when it is its own or published the same bytes; a botched one only pins the receipt's age,
// and the validator files the real proof once the listing is free (here: it waits on the sybil's dispute).
import { join } from "node:path";
import { expect } from "chai";
import { parseEther, type JsonRpcProvider } from "ethers";
import { ListingStatus, receiptFromWire, toDataURI } from "@curia/protocol";
import { ChainClock, CuriaClient, connectRpc } from "@curia/protocol/ethers";
import { AuditStore, type AuditServer } from "../src/audits.js";
import { readAddresses } from "../src/chain.js";
import { devAccount } from "../src/keys.js";
import { createLogger } from "../src/log.js";
import { INPUT_SIZE, evalPool } from "../src/model/dataset.js";
import { ValidatorService } from "../src/service.js";
import { StateStore } from "../src/state.js";
import { Verifier } from "../src/verify.js";
import { ACCOUNTS, deploySystem, temporaryDirectory, type System } from "./helpers/chain.js";
import { localAuditServer, onDevChain } from "./helpers/service.js";
import { listReferenceModel, setEndpoint, startProvider, type RunningProvider } from "./helpers/providers.js";
import { waitFor } from "./helpers/wait.js";

const VALIDATOR = 15;
const PER_CALL = 4;

describe("red team: a cheater's sybil pre-files its own wrong receipt with a botched publication", function () {
  const dir = temporaryDirectory("curia-redteam-prefiled-");
  let system: System;
  let rpc: JsonRpcProvider;
  let provider: RunningProvider;
  let clock: ChainClock;
  let server: AuditServer;
  let service: ValidatorService;
  let verifier: Verifier;
  let auditUrl: string;
  let listingId: bigint;

  before(async function () {
    system = await deploySystem(dir.path);
    for (const juror of ACCOUNTS.jurors)
      await (await system.jurorPool.connect(system.signer(juror)).stake(parseEther("5000"))).wait();
    listingId = await listReferenceModel(system, ACCOUNTS.cheater, "prefiled");
    provider = await startProvider(system, "degraded", [listingId]);
    await setEndpoint(system, ACCOUNTS.cheater, listingId, provider.url);
    const addresses = readAddresses(system.deploymentPath);
    rpc = await connectRpc(system.chain.url, addresses, 200);
    const { wallet, label } = devAccount(VALIDATOR, rpc);
    const state = new StateStore(join(dir.path, "state"), wallet.address);
    const store = new AuditStore(state.dir, 100);
    const log = createLogger("validator", { level: "error" });
    server = await localAuditServer(system, store, log);
    auditUrl = `${await server.listen(0)}/audits`;
    verifier = new Verifier({ fetch: { ipfsGateway: "http://127.0.0.1:1" }, log });
    service = new ValidatorService({
      ...onDevChain(),
      wallet,
      keyLabel: label,
      addresses,
      provider: rpc,
      verifier,
      state,
      log,
      audits: { store, minAudits: 1000 },
      fileFraudProofs: { retryBaseMs: 200 },
    });
    await service.start();
    clock = await ChainClock.start(system.connection.ethers.provider, 0);
    await provider.clock.refresh();
  });

  after(async function () {
    await service?.stop();
    clock?.stop();
    await server?.close();
    await verifier?.close();
    await provider?.close();
    rpc?.destroy();
    dir.remove();
  });

  it("does not take the sybil's botched filing for its own proof: it waits to file the real one", async function () {
    // A consumer's call that the cheater answered wrongly (it serves a degraded model for the reference one).
    const consumer = CuriaClient.fromDeployment(system.record, system.signer(ACCOUNTS.consumer), {
      audit: { urls: [], share: 0 },
      chainNow: () => clock.now(),
    });
    await consumer.buyCalls(listingId, 4n, parseEther("1"));
    await clock.refresh();
    const answer = await consumer.infer(listingId, evalPool().images.slice(0, PER_CALL * INPUT_SIZE));

    // The cheater knows this answer is wrong, and holds its receipt and signature: its sybil files it first, with an
    // output that is not the signed one (the contract takes any publication).
    const { receipt, signature } = receiptFromWire(answer.stored.receipt);
    const { minChallengeBond } = await system.challenges.parameters();
    const sybil = system.signer(ACCOUNTS.stranger);
    const cost = await system.challenges.challengeCost(minChallengeBond);
    await (await system.token.connect(system.signer(ACCOUNTS.cheater)).transfer(sybil.address, cost)).wait();
    await (await system.token.connect(sybil).approve(await system.challenges.getAddress(), cost)).wait();
    const botched = toDataURI(new Uint8Array(new Float32Array(PER_CALL * 10).fill(0.1).buffer));
    await (
      await system.challenges
        .connect(sybil)
        .fileFraudProof(receipt, signature, minChallengeBond, answer.stored.inputURI, botched)
    ).wait();
    const [sybilFiling] = await system.challenges.queryFilter(
      system.challenges.filters.FraudProofFiled(undefined, listingId),
    );
    expect(sybilFiling!.args.filer).to.equal(sybil.address);
    expect(sybilFiling!.args.receiptDigest).to.equal(answer.stored.digest);

    // Then the consumer's audit reaches the validator: judged fraud, and not marked "filed by another".
    const posted = await fetch(auditUrl, {
      method: "POST",
      body: JSON.stringify({
        receipt: answer.stored.receipt,
        inputURI: answer.stored.inputURI,
        outputURI: answer.stored.outputURI,
      }),
    });
    expect(posted.status).to.equal(201);
    const record = await waitFor("the validator's record", () => {
      const r = service.filer!.get(answer.stored.digest);
      return r?.waiting?.includes("under challenge") === true || r?.status === "filed" ? r : undefined;
    });
    expect(record.status, "the sybil's botched filing passed for the validator's proof").to.equal("pending");
    expect(record.filer).to.equal(undefined);
    expect(record.waiting).to.match(new RegExp(`under challenge \\(dispute ${sybilFiling!.args.disputeId}\\)`));
    expect(await system.registry.statusOf(listingId)).to.equal(BigInt(ListingStatus.Challenged));
  });
});
