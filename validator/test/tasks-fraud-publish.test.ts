// A fraud proof on one VAD or OCR call, published inline and judged end to end (issue 19). The attack: a provider
// lists Silero VAD fp32 (or PP-OCRv4 rec) and answers a consumer's paid call with the cheaper model (fp16 VAD, OCR at
// half width), counting on the proof being unpublishable: one clip is 24,576 float32 (a 131,109-character data: URI)
// and one line 15,360 (81,957), over ListingChallenges.MAX_DATA_URI_LENGTH (65,536), so the consumer's client refuses
// to file it and the contract reverts it. Now the consumer sends its input on the task's 8-bit grid (canonicalInputs),
// the receipt still hashes the float32 bytes the model ran on, and the proof publishes them losslessly in palette form
// (toEvidenceURI): the consumer files, the jurors re-run exactly the published input on the listed model (judgeAnswer
// with the task's plugin, after checking the bytes against the receipt's hashes), rule for the consumer, and the
// provider's bond is slashed. The same canonical input answered honestly is judged honest.
import { expect } from "chai";
import { parseEther } from "ethers";
import {
  canonicalInputs,
  dataHash,
  decodePalette,
  encodePalette,
  float32ToBytes,
  fromDataURI,
  isPaletteURI,
  ListingStatus,
  MAX_DATA_URI_LENGTH,
  MU_LAW_LEVELS,
  receiptFromWire,
  Ruling,
  TASKS,
  toDataURI,
  toEvidenceURI,
} from "@curia/protocol";
import { ChainClock, CuriaClient, FraudProofError } from "@curia/protocol/ethers";
import type { ProviderServer } from "@curia/provider";
import { CourtHelper } from "../../scripts/drivers/court.js";
import { judgeAnswer } from "../src/fraud.js";
import { modelHashOf } from "../src/model/hash.js";
import { ocrTask } from "../src/tasks/ocr.js";
import { vadTask } from "../src/tasks/vad.js";
import { ACCOUNTS, deploySystem, temporaryDirectory, type System } from "./helpers/chain.js";
import { TASK_CASES, outOfBandInput, serveTaskListing, taskMetadataURI, type TaskRunners } from "./helpers/tasks.js";

const publication = { ipfsGateway: "http://127.0.0.1:1" };
const secret = new Uint8Array(32).fill(0x7c);

describe("palette publication of float32 tensors", function () {
  it("round-trips any ≤ 256-value tensor bit for bit, -0 included, and refuses a malformed one", function () {
    const values = Float32Array.from([0.5, -0, 0, 0.5, 1 / 3, Number.NaN, -1]);
    const bytes = float32ToBytes(values);
    expect(decodePalette(encodePalette(bytes)!)).to.deep.equal(bytes);
    const wide = float32ToBytes(Float32Array.from({ length: 257 }, (_, i) => i));
    expect(encodePalette(wide)).to.equal(undefined);
    expect(encodePalette(new Uint8Array(3))).to.equal(undefined);
    const packed = encodePalette(bytes)!;
    packed[packed.length - 1] = 200; // an index past the 6-entry table
    expect(decodePalette(packed)).to.equal(undefined);
  });

  it("keeps every tensor that fitted raw as it was (MNIST proofs unchanged)", function () {
    const mnist = float32ToBytes(Float32Array.from({ length: 4 * 784 }, (_, i) => (i % 256) / 255));
    expect(toEvidenceURI(mnist)).to.equal(toDataURI(mnist));
  });

  for (const task of [vadTask, ocrTask]) {
    it(`publishes one ${task.spec.id} input on its grid within the limit, and an off-grid one not`, async function () {
      const { inputs } = await task.generate(secret, "sizes", 1);
      const bytes = float32ToBytes(inputs);
      const raw = toDataURI(bytes);
      const uri = toEvidenceURI(bytes);
      // Measured figures for the report (characters of the data: URI).
      console.log(
        `      ${task.spec.id}: raw ${raw.length} chars, palette ${uri.length} (limit ${MAX_DATA_URI_LENGTH})`,
      );
      expect(raw.length).to.be.above(MAX_DATA_URI_LENGTH);
      expect(isPaletteURI(uri)).to.equal(true);
      expect(uri.length).to.be.at.most(MAX_DATA_URI_LENGTH);
      expect(dataHash(fromDataURI(uri)!)).to.equal(dataHash(bytes));
      // Already canonical: a second pass changes no bit.
      expect(float32ToBytes(canonicalInputs(task.spec.id, inputs))).to.deep.equal(bytes);
      const jittered = inputs.map((v, i) => v + (i % 7) * 1e-5);
      expect(toEvidenceURI(float32ToBytes(jittered)).length).to.be.above(MAX_DATA_URI_LENGTH);
    });
  }

  it("puts audio on mu-law's 256 levels", function () {
    const grid = canonicalInputs(
      "vad",
      Float32Array.from({ length: TASKS.vad.inputSize }, (_, i) => Math.sin(i)),
    );
    const levels = new Set(Array.from(MU_LAW_LEVELS, (v) => v));
    expect(grid.every((v) => levels.has(v))).to.equal(true);
    expect(Math.abs(grid[1]! - Math.sin(1))).to.be.below(0.03);
  });
});

for (const { task, open } of TASK_CASES) {
  describe(`a consumer proves a cheat on one ${task.spec.id} call, and the provider is slashed`, function () {
    const dir = temporaryDirectory(`curia-publish-${task.spec.id}-`);
    let system: System;
    let runners: TaskRunners;
    const servers: ProviderServer[] = [];
    const clocks: ChainClock[] = [];
    let clock: ChainClock;
    let consumer: CuriaClient;
    const listings = { honest: 0n, cheap: 0n };
    let modelHash: string;
    /** A generated input the cheap model answers outside the task's single-answer band. */
    let input: Float32Array;

    const verifier = {
      referenceOutputs: async (_t: unknown, inputs: Float32Array, count: number) => ({
        outputs: await runners.honest.run(inputs, count),
        executionProvider: runners.honest.executionProvider,
      }),
    };

    before(async function () {
      runners = await open();
      modelHash = modelHashOf(runners.model);
      const { inputs, count } = await task.generate(secret, "publish", 8);
      input = await outOfBandInput(task, runners, inputs, count);

      system = await deploySystem(dir.path);
      for (const juror of ACCOUNTS.jurors)
        await (await system.jurorPool.connect(system.signer(juror)).stake(parseEther("5000"))).wait();
      // No modelURI: the consumer's proof and the jurors' re-execution read the model from here, not the metadata.
      const metadataURI = taskMetadataURI(task, modelHash);
      for (const mode of ["honest", "cheap"] as const) {
        const owner = system.signer(mode === "honest" ? ACCOUNTS.provider : ACCOUNTS.cheater);
        const listingId = await system.createActiveListing(owner, modelHash, metadataURI, "http://x");
        servers.push(await serveTaskListing(system, owner, listingId, task, runners[mode], clocks));
        listings[mode] = listingId;
      }
      for (const c of clocks) await c.refresh();
      clock = await ChainClock.start(system.connection.ethers.provider, 0);
      consumer = CuriaClient.fromDeployment(system.record, system.signer(ACCOUNTS.consumer), {
        audit: { urls: [], share: 0 },
        chainNow: () => clock.now(),
      });
      for (const id of Object.values(listings)) await consumer.buyCalls(id, 10n, parseEther("1"));
    });

    after(async function () {
      clock?.stop();
      for (const c of clocks) c.stop();
      for (const s of servers) await s.close();
      await Promise.all([runners?.honest.release(), runners?.cheap.release()]);
      dir.remove();
    });

    it("before: an off-grid input's proof is too large to publish (client refuses, contract reverts)", async function () {
      for (const c of [clock, ...clocks]) await c.refresh(); // the court moved the chain's time
      // The same input a hair off the grid: raw float32 is the only publication, and it is too long.
      const offGrid = input.map((v, i) => v + (i % 5) * 1e-6);
      const answer = await consumer.infer(listings.cheap, offGrid);
      // The protocol's copy of the contract's bound.
      expect(await system.challenges.MAX_DATA_URI_LENGTH()).to.equal(BigInt(MAX_DATA_URI_LENGTH));
      expect(answer.stored.inputURI.length).to.be.above(MAX_DATA_URI_LENGTH);
      const { receipt, signature } = receiptFromWire(answer.stored.receipt);
      const { minChallengeBond } = await system.challenges.parameters();
      let refused: unknown;
      try {
        await consumer.fileFraudProof(
          receipt,
          signature,
          fromDataURI(answer.stored.inputURI)!,
          fromDataURI(answer.stored.outputURI)!,
          minChallengeBond,
        );
      } catch (error) {
        refused = error;
      }
      expect(refused).to.be.instanceOf(FraudProofError);
      expect((refused as Error).message).to.match(/over the 65536 ListingChallenges takes/);
      let reverted: unknown;
      try {
        await system.challenges
          .connect(system.signer(ACCOUNTS.consumer))
          .fileFraudProof.staticCall(
            receipt,
            signature,
            minChallengeBond,
            answer.stored.inputURI,
            answer.stored.outputURI,
          );
      } catch (error) {
        reverted = error;
      }
      const parsed = system.challenges.interface.parseError((reverted as { data: string }).data);
      expect(parsed?.name).to.equal("ChallengeInvalidURI");
      expect([...parsed!.args]).to.deep.equal([BigInt(answer.stored.inputURI.length), BigInt(MAX_DATA_URI_LENGTH)]);
    });

    it("now: the canonical input's proof publishes inline, the jury re-runs it and the cheat is slashed", async function () {
      for (const c of [clock, ...clocks]) await c.refresh(); // the court moved the chain's time
      const answer = await consumer.infer(listings.cheap, input);
      const { receipt, signature } = receiptFromWire(answer.stored.receipt);
      // The receipt hashes the float32 bytes the model ran on; the publication decodes to exactly those.
      expect(receipt.inputHash).to.equal(dataHash(float32ToBytes(input)));
      expect(isPaletteURI(answer.stored.inputURI)).to.equal(true);
      expect(answer.stored.inputURI.length).to.be.at.most(MAX_DATA_URI_LENGTH);
      const bondBefore = (await system.registry.getListing(listings.cheap)).bond;
      const { minChallengeBond } = await system.challenges.parameters();
      const { disputeId, txHash } = await consumer.fileFraudProof(
        receipt,
        signature,
        fromDataURI(answer.stored.inputURI)!,
        fromDataURI(answer.stored.outputURI)!,
        minChallengeBond,
      );
      expect(await system.registry.statusOf(listings.cheap)).to.equal(BigInt(ListingStatus.Challenged));
      const mined = await system.connection.ethers.provider.getTransactionReceipt(txHash);
      console.log(
        `      ${task.spec.id}: fileFraudProof with a ${answer.stored.inputURI.length}-char input: ${mined!.gasUsed} gas`,
      );

      // Each juror reads the proof from the chain and judges it with the listing's task plugin.
      const [filed] = await system.challenges.queryFilter(system.challenges.filters.FraudProofFiled(disputeId));
      const listing = await system.registry.getListing(listings.cheap);
      const verdict = await judgeAnswer(
        { receipt, inputURI: filed!.args.inputURI, outputURI: filed!.args.outputURI },
        { listingId: listings.cheap, modelHash: listing.modelHash, metadataURI: listing.metadataURI },
        verifier,
        publication,
        task,
      );
      expect(verdict.outcome).to.equal("fraud");
      const court = new CourtHelper(
        system.court,
        system.challenges,
        ACCOUNTS.jurors.map((j) => system.signer(j)),
        system.helpers,
      );
      await court.runRound(disputeId, () => (verdict.outcome === "fraud" ? Ruling.Challenger : Ruling.Defendant));
      await (await court.execute(disputeId)).wait();
      const [resolved] = await system.challenges.queryFilter(system.challenges.filters.ChallengeResolved(disputeId));
      expect(Number(resolved!.args.ruling)).to.equal(Ruling.Challenger);
      expect(resolved!.args.winner).to.equal(system.signer(ACCOUNTS.consumer).address);
      // The whole bond goes (with what else the listing held at stake).
      expect(resolved!.args.loserStake).to.be.at.least(bondBefore);
      expect((await system.registry.getListing(listings.cheap)).bond).to.equal(0n);
      expect(await system.registry.statusOf(listings.cheap)).to.not.equal(BigInt(ListingStatus.Active));
    });

    it("the honest provider's answer to the same canonical input is judged honest", async function () {
      for (const c of [clock, ...clocks]) await c.refresh(); // the court moved the chain's time
      const answer = await consumer.infer(listings.honest, input);
      const { receipt } = receiptFromWire(answer.stored.receipt);
      const listing = await system.registry.getListing(listings.honest);
      const verdict = await judgeAnswer(
        { receipt, inputURI: answer.stored.inputURI, outputURI: answer.stored.outputURI },
        { listingId: listings.honest, modelHash: listing.modelHash, metadataURI: listing.metadataURI },
        verifier,
        publication,
        task,
      );
      expect(verdict.outcome).to.equal("honest");
      expect(verdict.maxDeviation).to.equal(0);
    });
  });
}
