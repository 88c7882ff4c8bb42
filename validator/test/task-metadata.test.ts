// Verifier.taskOf: a listing's task comes from its metadata, and metadata the validator cannot read is not guessed.
// Before, an unreachable or unreadable metadata URI read as MNIST: during a gateway outage a VAD or OCR listing was
// scored and audited as a 784 → 10 classifier (its answers refused as the wrong shape, its round scored 0, its audits
// answered 422 bad_shape). Now an unreachable URI is ListingMetadataUnavailableError (retryable: a round waits and
// retries within its commit window, an audit answers 503) and unreadable content is ListingUnverifiableError; both name
// the listing and the URI. Only a JSON object naming no task is MNIST (listings made before tasks existed).
import { expect } from "chai";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ListingMetadataUnavailableError, ListingUnverifiableError } from "../src/fetch-model.js";
import { createLogger } from "../src/log.js";
import { mnistTask } from "../src/tasks/mnist.js";
import { vadTask } from "../src/tasks/vad.js";
import { Verifier } from "../src/verify.js";
import { freePort, temporaryDirectory } from "./helpers/chain.js";

const json = (value: unknown) => `data:application/json,${encodeURIComponent(JSON.stringify(value))}`;

describe("Verifier.taskOf: a listing's task from its metadata, never guessed", function () {
  const dir = temporaryDirectory("curia-task-metadata-");
  const verifier = new Verifier({
    fetch: { ipfsGateway: "http://127.0.0.1:1", attempts: 1, timeoutMs: 2_000 },
    log: createLogger("validator", { level: "error" }),
  });
  after(async function () {
    await verifier.close();
    dir.remove();
  });

  it("an unreachable metadata URI is an error naming the listing and the URI, not MNIST", async function () {
    const uri = `http://127.0.0.1:${await freePort()}/listing-7.json`;
    const error = await verifier.taskOf({ listingId: 7n, metadataURI: uri }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(ListingMetadataUnavailableError);
    expect(error).not.to.be.instanceOf(ListingUnverifiableError); // not the listing's fault: not scored 0
    expect((error as Error).message)
      .to.include("listing 7")
      .and.include(uri)
      .and.include("task is unknown");
  });

  it("a missing file reads again once it is there (an outage is not remembered)", async function () {
    const path = join(dir.path, "metadata.json");
    const uri = `file://${path}`;
    const before = await verifier.taskOf({ listingId: 3n, metadataURI: uri }).catch((e: unknown) => e);
    expect(before).to.be.instanceOf(ListingMetadataUnavailableError);
    expect((before as Error).message)
      .to.include("listing 3")
      .and.include(uri);
    writeFileSync(path, JSON.stringify({ name: "vad", task: "vad", taskVersion: 1 }));
    expect(await verifier.taskOf({ listingId: 3n, metadataURI: uri })).to.equal(vadTask);
    rmSync(path);
  });

  it("content that is not a JSON object makes the listing unverifiable, naming listing and URI", async function () {
    for (const [uri, why] of [
      ["data:,not json", "is not JSON"],
      ["data:,", "is not JSON"],
      [json([1, 2]), "is not a JSON object"],
      [json("vad"), "is not a JSON object"],
      [json({ name: "x", task: "speech" }), 'unknown task "speech"'],
    ] as const) {
      const error = await verifier.taskOf({ listingId: 9n, metadataURI: uri }).catch((e: unknown) => e);
      expect(error, uri).to.be.instanceOf(ListingUnverifiableError);
      expect((error as Error).message, uri)
        .to.include("listing 9")
        .and.include(uri)
        .and.include(why);
    }
  });

  it("a JSON object naming no task is MNIST (listings made before tasks existed); a named task is its plugin", async function () {
    expect(await verifier.taskOf({ listingId: 1n, metadataURI: json({ name: "old" }) })).to.equal(mnistTask);
    expect(await verifier.taskOf({ listingId: 1n, metadataURI: "data:,{}" })).to.equal(mnistTask);
    expect(await verifier.taskOf({ listingId: 2n, metadataURI: json({ name: "v", task: "vad" }) })).to.equal(vadTask);
  });
});
