// `curia provider create-listing --task mnist|vad|ocr`: the CLI writes the task metadata that validators and providers
// read with @curia/protocol's parseListingMetadata (so they run the listing through its task plugin), and refuses bad
// task arguments with a clear message and exit 2 before reaching the chain.
import { expect } from "chai";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { TASKS, parseListingMetadata } from "@curia/protocol";
import { REPO_ROOT, deploySystem, temporaryDirectory, type System } from "../../provider/test/helpers/chain.js";

const BIN = join(REPO_ROOT, "cli", "bin", "curia.mjs");
/** The provider helpers' funded provider, with the registry approved. */
const PROVIDER = 5;
const MODEL_HASH = `0x${"AB".repeat(32)}`;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe("curia provider create-listing --task", function () {
  const dir = temporaryDirectory("curia-cli-task-test-");
  let system: System;
  const run = (args: string[]): Promise<Run> =>
    new Promise((resolve) => {
      execFile(
        process.execPath,
        [BIN, "--rpc-url", system.chain.url, "--deployment", system.deploymentPath, ...args],
        { cwd: dir.path, env: { ...process.env, CURIA_KEY: "", NO_COLOR: "1" }, timeout: 120_000 },
        (error, stdout, stderr) => {
          const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
          resolve({ code, stdout, stderr });
        },
      );
    });
  const list = (extra: string[]) =>
    run([
      "--dev-account",
      String(PROVIDER),
      "provider",
      "create-listing",
      "--model-hash",
      MODEL_HASH,
      "--endpoint",
      "http://127.0.0.1:9/",
      "--price",
      "0.5",
      ...extra,
    ]);

  before(async function () {
    system = await deploySystem(dir.path);
  });
  after(async function () {
    await system?.stop();
    dir.remove();
  });

  for (const task of ["vad", "ocr"] as const) {
    it(`--task ${task}: the listing's metadata names the task, its version and the model hash`, async function () {
      const result = await list([
        "--task",
        task,
        "--name",
        `my-${task}`,
        "--description",
        "a model & more",
        "--model-uri",
        "ipfs://bafy/model.onnx",
        "--json",
      ]);
      expect(result.code, result.stderr).to.equal(0);
      const { listingId } = JSON.parse(result.stdout) as { listingId: string };
      const { metadataURI, modelHash } = await system.registry.getListing(BigInt(listingId));
      expect(metadataURI.startsWith("data:application/json,"), metadataURI).to.equal(true);
      const json: unknown = JSON.parse(decodeURIComponent(metadataURI.slice("data:application/json,".length)));
      expect(parseListingMetadata(json)).to.deep.equal({
        name: `my-${task}`,
        description: "a model & more",
        task,
        taskVersion: TASKS[task].version,
        modelHash: modelHash.toLowerCase(),
        modelURI: "ipfs://bafy/model.onnx",
      });
    });
  }

  it("--task mnist with an explicit --task-version", async function () {
    const result = await list(["--task", "mnist", "--task-version", "1", "--name", "digits", "--json"]);
    expect(result.code, result.stderr).to.equal(0);
    const { metadataURI } = await system.registry.getListing(BigInt(JSON.parse(result.stdout).listingId as string));
    const metadata = parseListingMetadata(JSON.parse(decodeURIComponent(metadataURI.split(",")[1]!)));
    expect(metadata).to.include({ task: "mnist", taskVersion: 1, name: "digits" });
  });

  it("refuses bad task arguments with the reason, exit 2, and creates nothing", async function () {
    const before = await system.registry.listingCount();
    const cases: [string[], RegExp][] = [
      [["--task", "asr", "--name", "x"], /--task must be one of mnist, vad, ocr, got "asr"/],
      [["--task", "vad"], /--task needs --name <name>/],
      [["--task", "vad", "--name", "x", "--task-version", "two"], /--task-version must be a positive integer/],
      [["--task", "vad", "--name", "x", "--task-version", "9"], /task vad version 9 is not supported/],
      [["--task", "ocr", "--name", "x", "--metadata", "data:application/json,{}"], /either --metadata .* not both/],
      [["--name", "x", "--metadata", "data:application/json,{}"], /--name goes with --task/],
      [[], /--metadata <uri> or --task mnist\|vad\|ocr --name <name> is required/],
    ];
    for (const [extra, message] of cases) {
      const result = await list(extra);
      expect(result.code, extra.join(" ")).to.equal(2);
      expect(result.stderr, extra.join(" ")).to.match(message);
    }
    expect(await system.registry.listingCount()).to.equal(before);
  });
});
