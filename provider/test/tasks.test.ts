// One sample provider serving listings of several tasks (what `npm start` runs): each listing's requests are shaped
// and answered by its own task plugin (VAD through the Silero plugin's pre/post-processing and model, loaded on the
// first request and kept), next to an MNIST listing on the same server; a cheating server answers the same VAD input
// with the fp16 model, which the plugin's single-answer rule calls out of tolerance.
import { expect } from "chai";
import { Wallet } from "ethers";
import { TASKS, inferenceDomain } from "@curia/protocol";
import { base64ToF32, f32ToBase64, signInferenceRequest } from "@curia/protocol/ethers";
import { sileroModel, vadTask, type TaskRunner } from "@curia/validator";
import { ProviderServer, type ProviderMode } from "../src/server.js";

const MNIST_LISTING = 1n;
const VAD_LISTING = 5n;
const DOMAIN = inferenceDomain(31337, "0x0000000000000000000000000000000000000001");
const MODEL_HASH = `0x${"11".repeat(32)}`;

describe("sample provider: listings of several tasks on one server", function () {
  const servingKey = Wallet.createRandom();
  const consumer = Wallet.createRandom();
  const servers: ProviderServer[] = [];
  const loads: string[] = [];
  let clip: Float32Array;
  let reference: TaskRunner;

  /** A server in `mode` serving an MNIST listing (a stand-in model) and a VAD listing through the VAD plugin. */
  async function start(mode: ProviderMode): Promise<string> {
    let runner: Promise<TaskRunner> | undefined;
    const server = new ProviderServer({
      mode,
      domain: DOMAIN,
      listings: [
        { listingId: MNIST_LISTING, modelHash: MODEL_HASH },
        { listingId: VAD_LISTING, modelHash: MODEL_HASH },
      ],
      servingKey,
      callsPurchased: async () => 100n,
      session: {
        executionProvider: "cpu",
        run: async (_inputs: Float32Array, count: number) => new Float32Array(count * 10).fill(0.1),
        release: async () => {},
      },
      listingTasks: new Map([
        [
          VAD_LISTING.toString(),
          {
            task: vadTask,
            session: () =>
              (runner ??= (loads.push(mode), vadTask.open(sileroModel(mode === "honest" ? "fp32" : "fp16")))),
          },
        ],
      ]),
    });
    servers.push(server);
    return server.listen(0);
  }

  async function call(url: string, listingId: bigint, inputs: Float32Array) {
    const auth = await signInferenceRequest(consumer, DOMAIN, listingId);
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ auth, inputsF32: f32ToBase64(inputs) }),
    });
    const body = (await response.json()) as { outputsF32?: string; error?: { code: string; message: string } };
    return { status: response.status, body, outputs: body.outputsF32 ? base64ToF32(body.outputsF32) : undefined };
  }

  before(async function () {
    clip = (await vadTask.generate(new Uint8Array(32).fill(7), "provider-tasks", 1)).inputs;
    reference = await vadTask.open(sileroModel("fp32"));
  });
  after(async function () {
    await Promise.all(servers.map((s) => s.close()));
    await reference?.release();
  });

  it("shapes each request by its listing's task and answers VAD with the plugin's model, loaded once", async function () {
    const url = await start("honest");
    expect(loads).to.deep.equal([]);
    const mnist = await call(url, MNIST_LISTING, new Float32Array(TASKS.mnist.inputSize));
    expect(mnist.status, JSON.stringify(mnist.body)).to.equal(200);
    expect(mnist.outputs).to.have.length(10);
    expect(loads, "no VAD model before a VAD request").to.deep.equal([]);

    const first = await call(url, VAD_LISTING, clip);
    expect(first.status, JSON.stringify(first.body)).to.equal(200);
    expect(Array.from(first.outputs!)).to.deep.equal(Array.from(await reference.run(clip, 1)));
    const second = await call(url, VAD_LISTING, clip);
    expect(Array.from(second.outputs!)).to.deep.equal(Array.from(first.outputs!));
    expect(loads, "loaded on first use, then kept").to.deep.equal(["honest"]);

    // An MNIST-shaped input to the VAD listing (and the reverse) is refused with the listing's own shape.
    const wrong = await call(url, VAD_LISTING, new Float32Array(TASKS.mnist.inputSize));
    expect(wrong.status).to.equal(400);
    expect(wrong.body.error?.message).to.contain(`multiple of ${TASKS.vad.inputSize}`);
    const reverse = await call(url, MNIST_LISTING, clip);
    expect(reverse.status).to.equal(400);
    expect(reverse.body.error?.message).to.contain(`multiple of ${TASKS.mnist.inputSize}`);
  });

  it("a degraded server answers the VAD listing with fp16: out of the plugin's single-answer tolerance", async function () {
    const url = await start("degraded");
    const answer = await call(url, VAD_LISTING, clip);
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    const verdict = vadTask.judgeAnswer(answer.outputs!, await reference.run(clip, 1));
    expect(verdict.malformed).to.equal(false);
    expect(verdict.within, `deviation ${verdict.deviation}`).to.equal(false);
  });

  it("refuses to start validator-aware without each task listing's validators' model", function () {
    expect(
      () =>
        new ProviderServer({
          mode: "validator-aware",
          domain: DOMAIN,
          listings: [{ listingId: VAD_LISTING, modelHash: MODEL_HASH }],
          servingKey,
          callsPurchased: async () => 1n,
          session: undefined,
          isValidator: async () => false,
          listingTasks: new Map([[VAD_LISTING.toString(), { task: vadTask, session: () => reference.run as never }]]),
        }),
    ).to.throw(/needs listing 5's validators' model/);
  });
});
