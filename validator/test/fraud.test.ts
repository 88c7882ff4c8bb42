// Fraud proofs judged by the validator service (issue 16): a consumer files a receipt signed by the listing's serving
// key on ListingChallenges with the input and output it published; the service re-executes the input on the listing's
// declared model and submits its verdict as evidence. A degraded model's answer is fraud, the reference model's is not,
// and a publication whose bytes are not the receipt's is reported as such. `curia-validator check-receipt` prints the
// same verdict.
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { expect } from "chai";
import { hexlify, parseEther, randomBytes, type JsonRpcProvider } from "ethers";
import { dataHash, inferenceDomain, toDataURI, type InferenceReceipt } from "@curia/protocol";
import { connectRpc, signReceipt } from "@curia/protocol/ethers";
import { readAddresses } from "../src/chain.js";
import { devAccount } from "../src/keys.js";
import { createLogger } from "../src/log.js";
import { INPUT_SIZE, evalPool } from "../src/model/dataset.js";
import { ensureModels } from "../src/model/reference.js";
import { fetchPublication, f32ToBytes, PublicationUnavailableError } from "../src/receipts.js";
import { createSession } from "../src/runtime.js";
import { ValidatorService } from "../src/service.js";
import { StateStore } from "../src/state.js";
import { Verifier } from "../src/verify.js";
import { ACCOUNTS, REPO_ROOT, deploySystem, temporaryDirectory, type System } from "./helpers/chain.js";
import { onDevChain } from "./helpers/service.js";
import { listReferenceModel } from "./helpers/providers.js";

const VALIDATOR = 12;
const INPUTS = 8;

interface Verdict {
  fraud: boolean;
  outcome: string;
  maxDeviation: number | string | null;
  inputs: number;
  validator: string;
  disputeId: string;
}

function runCli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, "validator/bin/curia-validator.mjs"), ...args], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("exit", (status) => resolve({ status, stdout, stderr }));
  });
}

describe("fraud proofs judged by the validator service", function () {
  const dir = temporaryDirectory("curia-fraud-test-");
  let system: System;
  let rpc: JsonRpcProvider;
  let service: ValidatorService;
  let verifier: Verifier;
  let publisher: Server;
  let publisherUrl: string;
  const published = new Map<string, Uint8Array>();
  let input: Uint8Array;
  let referenceOut: Uint8Array;
  let degradedOut: Uint8Array;
  const disputes: Record<"degraded" | "reference" | "mismatch", bigint> = { degraded: 0n, reference: 0n, mismatch: 0n };

  /** A receipt of listing `listingId` for `output`, signed by its serving key (the provider's address). */
  async function signedReceipt(
    listingId: bigint,
    output: Uint8Array,
  ): Promise<{ receipt: InferenceReceipt; sig: string }> {
    const latest = await system.connection.ethers.provider.getBlock("latest");
    const receipt: InferenceReceipt = {
      listingId,
      modelHash: (await system.registry.getListing(listingId)).modelHash as `0x${string}`,
      caller: system.signer(ACCOUNTS.consumer).address as `0x${string}`,
      nonce: BigInt(hexlify(randomBytes(16))),
      inputHash: dataHash(input),
      outputHash: dataHash(output),
      servedAt: BigInt(latest!.timestamp),
    };
    const domain = inferenceDomain(system.record.chainId, await system.registry.getAddress());
    return { receipt, sig: await signReceipt(system.signer(ACCOUNTS.provider), domain, receipt) };
  }

  async function file(receipt: InferenceReceipt, sig: string, inputURI: string, outputURI: string): Promise<bigint> {
    const { minChallengeBond } = await system.challenges.parameters();
    const tx = await system.challenges
      .connect(system.signer(ACCOUNTS.consumer))
      .fileFraudProof(receipt, sig, minChallengeBond, inputURI, outputURI);
    const mined = await tx.wait();
    for (const log of mined!.logs) {
      const parsed = system.challenges.interface.parseLog(log);
      if (parsed?.name === "FraudProofFiled") return parsed.args.disputeId as bigint;
    }
    throw new Error("no FraudProofFiled");
  }

  before(async function () {
    system = await deploySystem(dir.path);
    // A fraud proof opens a Court dispute: the Court needs jurors.
    for (const juror of ACCOUNTS.jurors)
      await (await system.jurorPool.connect(system.signer(juror)).stake(parseEther("5000"))).wait();
    const models = ensureModels();
    const pool = evalPool();
    const images = pool.images.slice(0, INPUTS * INPUT_SIZE);
    input = f32ToBytes(images);
    const reference = await createSession(readFileSync(models.reference.path), { executionProvider: "cpu" });
    const degraded = await createSession(readFileSync(models.degraded.path), { executionProvider: "cpu" });
    referenceOut = f32ToBytes(await reference.run(images, INPUTS));
    degradedOut = f32ToBytes(await degraded.run(images, INPUTS));
    await reference.release();
    await degraded.release();

    // Publications over HTTP too: the service fetches them and checks their hash.
    publisher = createServer((req, res) => {
      const bytes = published.get(req.url ?? "");
      if (bytes === undefined) return res.writeHead(404).end();
      res.writeHead(200, { "content-type": "application/octet-stream" }).end(Buffer.from(bytes));
    });
    await new Promise<void>((r) => publisher.listen(0, "127.0.0.1", () => r()));
    publisherUrl = `http://127.0.0.1:${(publisher.address() as AddressInfo).port}`;
    published.set("/input", input);

    // One listing per proof: a filed proof puts its listing under challenge.
    const listings = [];
    for (const name of ["degraded", "reference", "mismatch"]) {
      listings.push(await listReferenceModel(system, ACCOUNTS.provider, name));
    }
    const degradedProof = await signedReceipt(listings[0]!, degradedOut);
    disputes.degraded = await file(degradedProof.receipt, degradedProof.sig, toDataURI(input), toDataURI(degradedOut));
    const referenceProof = await signedReceipt(listings[1]!, referenceOut);
    disputes.reference = await file(
      referenceProof.receipt,
      referenceProof.sig,
      `${publisherUrl}/input`,
      toDataURI(referenceOut),
    );
    // The receipt signs the reference answer; the filer publishes the degraded one in its place.
    const mismatchProof = await signedReceipt(listings[2]!, referenceOut);
    disputes.mismatch = await file(mismatchProof.receipt, mismatchProof.sig, toDataURI(input), toDataURI(degradedOut));

    const addresses = readAddresses(system.deploymentPath);
    rpc = await connectRpc(system.chain.url, addresses, 200);
    const { wallet, label } = devAccount(VALIDATOR, rpc);
    const log = createLogger("validator", { level: "error" });
    verifier = new Verifier({ fetch: { ipfsGateway: "http://127.0.0.1:1" }, log });
    service = new ValidatorService({
      ...onDevChain(),
      wallet,
      keyLabel: label,
      addresses,
      provider: rpc,
      verifier,
      state: new StateStore(join(dir.path, "state"), wallet.address),
      log,
    });
    await service.start();
  });

  after(async function () {
    await service?.stop();
    await verifier?.close();
    publisher?.closeAllConnections();
    await new Promise<void>((r) => (publisher ? publisher.close(() => r()) : r()));
    rpc?.destroy();
    dir.remove();
  });

  /** The verdict the service submitted as evidence on `disputeId` (decoded from its data: URI). */
  async function evidenceOn(disputeId: bigint): Promise<Verdict> {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const events = await system.challenges.queryFilter(
        system.challenges.filters.Evidence(undefined, disputeId, service.address),
      );
      const uri = events[0]?.args.evidence;
      if (uri !== undefined) {
        expect(uri.startsWith("data:application/json,")).to.equal(true);
        return JSON.parse(decodeURIComponent(uri.slice("data:application/json,".length))) as Verdict;
      }
      if (Date.now() > deadline) throw new Error(`no evidence from the validator on dispute ${disputeId}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  it("judges a degraded model's signed answer as fraud", async function () {
    const verdict = await evidenceOn(disputes.degraded);
    expect(verdict.fraud).to.equal(true);
    expect(verdict.outcome).to.equal("fraud");
    expect(verdict.inputs).to.equal(INPUTS);
    expect(Number(verdict.maxDeviation)).to.be.above(0.02);
    expect(verdict.validator).to.equal(service.address);
    expect(verdict.disputeId).to.equal(disputes.degraded.toString());
  });

  it("judges the reference model's signed answer (input fetched over HTTP) as honest", async function () {
    const verdict = await evidenceOn(disputes.reference);
    expect(verdict.fraud).to.equal(false);
    expect(verdict.outcome).to.equal("honest");
    expect(verdict.inputs).to.equal(INPUTS);
    expect(Number(verdict.maxDeviation)).to.be.below(1e-5);
  });

  it("reports a publication whose bytes do not match the receipt", async function () {
    const verdict = await evidenceOn(disputes.mismatch);
    expect(verdict.fraud).to.equal(false);
    expect(verdict.outcome).to.equal("publication-mismatch");
    expect(verdict.inputs).to.equal(0);
  });

  it("submits each verdict once, recorded in the state dir before it was sent", async function () {
    const events = await system.challenges.queryFilter(
      system.challenges.filters.Evidence(undefined, undefined, service.address),
    );
    expect(events).to.have.length(3);
    const record = JSON.parse(
      readFileSync(join(dir.path, "state", service.address.toLowerCase(), `fraud-${disputes.degraded}.json`), "utf8"),
    ) as { verdict: { fraud: boolean }; evidenceTx?: string };
    expect(record.verdict.fraud).to.equal(true);
    expect(record.evidenceTx).to.match(/^0x[0-9a-f]{64}$/);
  });

  it("refuses a publication over the size cap and reads no local file", async function () {
    published.set("/big", new Uint8Array(4096));
    try {
      await fetchPublication(`${publisherUrl}/big`, { ipfsGateway: "http://127.0.0.1:1", maxBytes: 1024 });
      expect.fail("read past the cap");
    } catch (error) {
      expect(error).to.be.instanceOf(PublicationUnavailableError);
      expect((error as Error).message).to.match(/more than 1024 bytes/);
    }
    try {
      await fetchPublication("file:///etc/hostname", { ipfsGateway: "http://127.0.0.1:1" });
      expect.fail("read a local file");
    } catch (error) {
      expect((error as Error).message).to.match(/unsupported publication URI/);
    }
  });

  it("prints the verdict with `curia-validator check-receipt`, and exits non-zero on a bad dispute id", async function () {
    const common = ["--rpc-url", system.chain.url, "--deployment", system.deploymentPath];
    const ok = await runCli(["check-receipt", disputes.degraded.toString(), "--json", ...common]);
    expect(ok.status, ok.stderr).to.equal(0);
    const verdict = JSON.parse(ok.stdout) as Verdict;
    expect(verdict.fraud).to.equal(true);
    expect(verdict.outcome).to.equal("fraud");
    const honest = await runCli(["check-receipt", disputes.reference.toString(), ...common]);
    expect(honest.status, honest.stderr).to.equal(0);
    expect(honest.stdout).to.match(/verdict\s+no fraud \(honest\)/);
    const missing = await runCli(["check-receipt", "999", ...common]);
    expect(missing.status).to.equal(1);
    expect(missing.stderr).to.match(/dispute 999 is not a fraud proof/);
    const malformed = await runCli(["check-receipt", "abc", ...common]);
    expect(malformed.status).to.equal(2);
    expect(malformed.stderr).to.match(/check-receipt needs a dispute id/);
  });
});
