// The validator's own path for a non-MNIST listing (issue 19), not only the plugin: a VAD listing on a local chain,
// its metadata naming task "vad", served by two sample ProviderServers over signed, receipted HTTP. The honest one
// runs the listed Silero VAD fp32 model, the cheap one its fp16 conversion. The Verifier reads the task from the
// listing's metadata, generates the round's clips from its private seed, pays the providers through InferenceClient,
// re-executes the reference through the plugin and scores with the plugin's metric; the service's probe tally and
// its fraud-proof judgement (judgeAnswer with the plugin the Verifier resolved) run on the same signed answers.
// Before this wiring the Verifier ran every listing as MNIST: a VAD listing's model was opened as the 784 → 10 MLP
// and its answers were refused as having the wrong shape, so a cheap VAD provider could never be scored below the
// pass mark.
import { expect } from "chai";
import { MaxUint256 } from "ethers";
import { inferenceDomain, receiptDigest, toDataURI, TASKS } from "@curia/protocol";
import { ChainClock } from "@curia/protocol/ethers";
import type { ProviderServer } from "@curia/provider";
import { InferenceClient, type ReceivedAnswer } from "../src/client.js";
import { judgeAnswer } from "../src/fraud.js";
import { createLogger } from "../src/log.js";
import { modelHashOf } from "../src/model/hash.js";
import { tallyProbes } from "../src/probes/score.js";
import type { ProbeRecord } from "../src/probes/store.js";
import { listingKeysOf } from "../src/receipts.js";
import { sileroModel, sileroModelPath, vadTask } from "../src/tasks/vad.js";
import type { TaskRunner } from "../src/tasks/types.js";
import { Verifier, type ListingTarget } from "../src/verify.js";
import { ACCOUNTS, deploySystem, temporaryDirectory, type System } from "./helpers/chain.js";
import { serveTaskListing, taskMetadataURI } from "./helpers/tasks.js";

const CLIPS = 8;

describe("validator path for a VAD listing: task from metadata, private clips, plugin metric, plugin fraud rule", function () {
  const dir = temporaryDirectory("curia-tasks-service-");
  let system: System;
  let verifier: Verifier;
  let client: InferenceClient;
  let clock: ChainClock;
  let domain: ReturnType<typeof inferenceDomain>;
  const runners: TaskRunner[] = [];
  const servers: ProviderServer[] = [];
  const clocks: ChainClock[] = [];
  const received: ReceivedAnswer[] = [];
  const listings = { honest: 0n, cheap: 0n };
  const modelHash = modelHashOf(sileroModel("fp32"));
  const metadataURI = taskMetadataURI(vadTask, modelHash, sileroModelPath("fp32"));

  const target = async (listingId: bigint): Promise<ListingTarget> => {
    const listing = await system.registry.getListing(listingId);
    return {
      listingId,
      endpoint: listing.endpointURI,
      modelHash: listing.modelHash,
      metadataURI: listing.metadataURI,
      roundId: 3n,
    };
  };

  before(async function () {
    system = await deploySystem(dir.path);
    const consumer = system.signer(ACCOUNTS.consumer);
    domain = inferenceDomain(system.record.chainId, await system.registry.getAddress());
    for (const mode of ["honest", "cheap"] as const) {
      const account = mode === "honest" ? ACCOUNTS.provider : ACCOUNTS.cheater;
      // Both list the fp32 model (its hash, its metadata); only the honest one serves it.
      const listingId = await system.createActiveListing(
        system.signer(account),
        modelHash,
        metadataURI,
        "http://127.0.0.1:1/unset",
      );
      const runner = await vadTask.open(sileroModel(mode === "honest" ? "fp32" : "fp16"), {
        executionProvider: "cpu",
      });
      runners.push(runner);
      servers.push(await serveTaskListing(system, system.signer(account), listingId, vadTask, runner, clocks));
      await (await system.registry.connect(consumer).purchase(listingId, 1000n, consumer.address, MaxUint256)).wait();
      listings[mode] = listingId;
    }
    for (const c of clocks) await c.refresh(); // the listings moved the chain's time
    verifier = new Verifier({
      fetch: { ipfsGateway: "http://127.0.0.1:1" },
      samples: CLIPS,
      batchSize: CLIPS / 2,
      executionProvider: "cpu",
      // A fixed private seed keeps the test deterministic; a running validator draws its own.
      evalSecret: new Uint8Array(32).fill(0x5e),
      log: createLogger("validator", { level: "error" }),
    });
    clock = await ChainClock.start(system.connection.ethers.provider, 500);
    client = new InferenceClient(consumer, domain, listingKeysOf(system.registry), {
      chainNow: () => clock.now(),
      onAnswer: (answer) => received.push(answer),
    });
  });

  after(async function () {
    clock?.stop();
    for (const c of clocks) c.stop();
    for (const s of servers) await s.close();
    await verifier?.close();
    for (const r of runners) await r.release();
    dir.remove();
  });

  it("reads task vad from the listing's metadata", async function () {
    expect(await verifier.taskOf(await target(listings.honest))).to.equal(vadTask);
  });

  it("scores the honest provider above the pass mark and the fp16 one below it, with the VAD metric", async function () {
    const honest = await verifier.verifyListing(await target(listings.honest), client);
    const cheap = await verifier.verifyListing(await target(listings.cheap), client);
    expect(honest.task).to.equal("vad");
    expect(honest.samples).to.equal(CLIPS);
    expect(honest.taskScore?.metricName).to.equal(
      vadTask.score(new Float32Array(48), new Float32Array(48), {
        inputs: new Float32Array(TASKS.vad.inputSize),
        count: 1,
      }).metricName,
    );
    expect(honest.scoreBps).to.be.at.least(vadTask.passBps);
    expect(honest.taskScore?.passed).to.equal(true);
    expect(cheap.scoreBps).to.be.below(vadTask.passBps);
    expect(cheap.taskScore?.passed).to.equal(false);
    // Every clip went over paid, receipted calls: two requests of CLIPS / 2 per listing.
    expect(received.filter((a) => a.listingId === listings.cheap)).to.have.length(2);
  });

  it("tallies the same signed answers as the service's probe score, and judges single receipts by the VAD rule", async function () {
    const publication = { ipfsGateway: "http://127.0.0.1:1" };
    for (const [mode, listingId] of Object.entries(listings)) {
      const answers = received.filter((a) => a.listingId === listingId);
      const record: ProbeRecord = {
        buyerIndex: 0,
        buyer: answers[0]!.receipt.caller,
        listingId: listingId.toString(),
        reason: "immediate",
        probedAt: 0,
        calls: CLIPS,
        pricePerCall: "0",
        labels: [],
        answers: answers.map((a) => ({
          receiptDigest: receiptDigest(domain, a.receipt),
          receipt: a.receiptWire,
          inputURI: toDataURI(a.input),
          outputURI: toDataURI(a.output),
          count: a.input.length / 4 / TASKS.vad.inputSize,
        })),
        unanswered: 0,
      };
      const t = await target(listingId);
      const tally = await tallyProbes([record], t, verifier);
      const scoreBps = Math.round((10_000 * tally.points) / tally.answered);
      const verdict = await judgeAnswer(
        {
          receipt: answers[0]!.receipt,
          inputURI: toDataURI(answers[0]!.input),
          outputURI: toDataURI(answers[0]!.output),
        },
        t,
        verifier,
        publication,
        await verifier.taskOf(t),
      );
      expect(tally.answered).to.equal(CLIPS);
      expect(verdict.tolerance).to.equal(vadTask.answerTolerance);
      if (mode === "honest") {
        expect(scoreBps).to.be.at.least(vadTask.passBps);
        expect(verdict.outcome).to.equal("honest");
      } else {
        expect(scoreBps).to.be.below(vadTask.passBps);
        expect(verdict.outcome).to.equal("fraud");
      }
    }
  });

  it("two committee members draw different private clips and still score within the round's tolerance", async function () {
    // The verify path's design (docs/probes.md, "Independent inputs per member"): each Verifier draws its own random
    // evalSecret, so members of one round evaluate different clips (nothing one member or the provider could
    // predict, and no clip sent by several buyers at once); their scores estimate the same agreement rate and must
    // agree within the round's toleranceBps, or an honest member would be penalised for sampling noise.
    const other = new Verifier({
      fetch: { ipfsGateway: "http://127.0.0.1:1" },
      samples: CLIPS,
      batchSize: CLIPS / 2,
      executionProvider: "cpu",
      evalSecret: new Uint8Array(32).fill(0xa7),
      log: createLogger("validator", { level: "error" }),
    });
    try {
      const { toleranceBps } = await system.validation.parameters();
      const tag = `round:3:listing:${listings.cheap}`;
      const mine = await vadTask.generate(new Uint8Array(32).fill(0x5e), tag, 1);
      const theirs = await vadTask.generate(new Uint8Array(32).fill(0xa7), tag, 1);
      expect(Buffer.from(mine.inputs.buffer).equals(Buffer.from(theirs.inputs.buffer))).to.equal(false);
      const scores: Record<string, number[]> = { honest: [], cheap: [] };
      for (const member of [verifier, other]) {
        for (const [mode, listingId] of Object.entries(listings)) {
          scores[mode]!.push((await member.verifyListing(await target(listingId), client)).scoreBps);
        }
      }
      console.log(`      members' scores: honest ${scores.honest!.join(", ")}; fp16 ${scores.cheap!.join(", ")}`);
      for (const s of scores.honest!) expect(s).to.be.at.least(vadTask.passBps);
      for (const s of scores.cheap!) expect(s).to.be.below(vadTask.passBps);
      for (const pair of Object.values(scores))
        expect(Math.abs(pair[0]! - pair[1]!)).to.be.at.most(Number(toleranceBps));
    } finally {
      await other.close();
    }
  });
});
