// The provider middleware in Express and Fastify: a paid, signed request is served with a receipt the consumer's
// CuriaClient accepts (signed by the listing's serving key on-chain, matching the call), an unpaid one is refused with
// 402 and a forged one with 401, without spending anything. On the real contracts (a local hardhat node) with the
// middleware's on-chain checks (loadServedListings, callsPurchased), not mocks.
import { spawn } from "node:child_process";
import type { Server } from "node:http";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import express from "express";
import Fastify, { type FastifyInstance } from "fastify";
import { Wallet, parseEther, type Signer } from "ethers";
import { inferenceDomain, type InferenceAuth } from "@curia/protocol";
import { ChainClock, CuriaClient, f32ToBase64, signInferenceRequest } from "@curia/protocol/ethers";
import {
  MAX_BODY_BYTES,
  ProviderCore,
  ServingKeyMismatchError,
  curiaExpress,
  curiaFastify,
  loadServedListings,
  type InferFunction,
} from "../src/middleware/index.js";
import { ACCOUNTS, REPO_ROOT, deploySystem, temporaryDirectory, type System } from "./helpers/chain.js";

const INPUT_SIZE = 4;
const PRICE = parseEther("0.5");

/** The provider's own model, whatever it is: here each input's sum and maximum. */
const infer: InferFunction = ({ inputs, count }) => {
  const out = new Float32Array(count * 2);
  for (let r = 0; r < count; r++) {
    const row = inputs.subarray(r * INPUT_SIZE, (r + 1) * INPUT_SIZE);
    out[2 * r] = row.reduce((a, b) => a + b, 0);
    out[2 * r + 1] = Math.max(...row);
  }
  return out;
};

describe("provider middleware: Express and Fastify adapters", function () {
  const dir = temporaryDirectory("curia-middleware-test-");
  let system: System;
  let listingId: bigint;
  let consumer: Signer;
  let stranger: Signer;
  let core: ProviderCore;
  let expressServer: Server;
  let fastify: FastifyInstance;
  const urls: Record<"express" | "fastify", string> = { express: "", fastify: "" };

  before(async function () {
    system = await deploySystem(dir.path);
    const provider = system.signer(ACCOUNTS.provider);
    consumer = system.signer(ACCOUNTS.consumer);
    stranger = system.signer(ACCOUNTS.stranger);
    listingId = await system.createActiveListing(provider, `0x${"42".repeat(32)}`, "data:,{}", "http://127.0.0.1/x");
    // The middleware checks its key against the listing's serving key on-chain before serving anything.
    const error = await loadServedListings(system.registry, [listingId], Wallet.createRandom().address).catch(
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(ServingKeyMismatchError);
    expect((error as Error).message).to.contain("setServingKey");
    core = new ProviderCore({
      domain: inferenceDomain(system.record.chainId, await system.registry.getAddress()),
      listings: await loadServedListings(system.registry, [listingId], await provider.getAddress()),
      servingKey: provider,
      callsPurchased: (id, caller) => system.registry.callsPurchased(id, caller),
      inputSize: INPUT_SIZE,
    });

    const app = express();
    app.post("/infer", express.json({ limit: MAX_BODY_BYTES }), curiaExpress(core, infer));
    expressServer = app.listen(0, "127.0.0.1");
    await new Promise<void>((done) => expressServer.once("listening", () => done()));
    urls.express = `http://127.0.0.1:${(expressServer.address() as AddressInfo).port}/infer`;

    fastify = Fastify();
    fastify.post("/infer", { bodyLimit: MAX_BODY_BYTES }, curiaFastify(core, infer));
    urls.fastify = `${await fastify.listen({ port: 0, host: "127.0.0.1" })}/infer`;
  });

  after(async function () {
    await new Promise<void>((done) => (expressServer ? expressServer.close(() => done()) : done()));
    await fastify?.close();
    await system?.stop();
    dir.remove();
  });

  async function post(url: string, auth: InferenceAuth | undefined, inputs: Float32Array) {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ auth, inputsF32: f32ToBase64(inputs) }),
    });
    return { status: response.status, body: (await response.json()) as { error?: { code: string } } };
  }

  for (const framework of ["express", "fastify"] as const) {
    describe(framework, function () {
      it("serves a paid, signed request with a receipt the client accepts", async function () {
        const client = CuriaClient.fromDeployment(system.record, consumer);
        await client.buyCalls(listingId, 2n, PRICE);
        const answer = await client.infer(listingId, new Float32Array([1, 2, 3, 4, 5, 6, 7, -8]), {
          endpoint: urls[framework],
        });
        expect([...answer.outputs]).to.deep.equal([10, 4, 10, 7]);
        expect(answer.receipt.listingId).to.equal(listingId);
        expect(answer.receipt.caller).to.equal(await consumer.getAddress());
        expect(answer.receipt.modelHash).to.equal(`0x${"42".repeat(32)}`);
        // Both calls were counted: a third is refused.
        const none = await post(
          urls[framework],
          await signInferenceRequest(consumer, client.domain, listingId),
          new Float32Array(INPUT_SIZE),
        );
        expect(none.status).to.equal(402);
      });

      it("refuses an unpaid request with 402 and a forged one with 401", async function () {
        const domain = inferenceDomain(system.record.chainId, await system.registry.getAddress());
        const unpaid = await post(
          urls[framework],
          await signInferenceRequest(stranger, domain, listingId),
          new Float32Array(INPUT_SIZE),
        );
        expect(unpaid.status).to.equal(402);
        expect(unpaid.body.error!.code).to.equal("payment_required");

        await CuriaClient.fromDeployment(system.record, consumer).buyCalls(listingId, 1n, PRICE);
        const forged = await signInferenceRequest(stranger, domain, listingId);
        forged.caller = await consumer.getAddress();
        const refused = await post(urls[framework], forged, new Float32Array(INPUT_SIZE));
        expect(refused.status).to.equal(401);
        expect(refused.body.error!.code).to.equal("invalid_signature");
        // The forgery spent nothing: the consumer's call is still there.
        const paid = await post(
          urls[framework],
          await signInferenceRequest(consumer, domain, listingId),
          new Float32Array(INPUT_SIZE),
        );
        expect(paid.status).to.equal(200);
        const missing = await post(urls[framework], undefined, new Float32Array(INPUT_SIZE));
        expect(missing.status).to.equal(401);
      });
    });
  }

  describe("the runnable examples (provider/examples/)", function () {
    for (const example of ["express", "fastify"] as const) {
      it(`${example}.ts starts on the deployment, checks its serving key and serves a paid request with a receipt`, async function () {
        const child = spawn(
          process.execPath,
          ["--import", "tsx", join(REPO_ROOT, "provider", "examples", `${example}.ts`)],
          {
            cwd: REPO_ROOT,
            stdio: ["ignore", "pipe", "pipe"],
            env: {
              ...process.env,
              CURIA_RPC_URL: system.chain.url,
              CURIA_DEPLOYMENT: system.deploymentPath,
              CURIA_LISTING: listingId.toString(),
              CURIA_SERVING_KEY: "",
              PORT: "0",
            },
          },
        );
        const clock = await ChainClock.start(system.connection.ethers.provider, 0);
        try {
          let output = "";
          const url = await new Promise<string>((ready, reject) => {
            const onData = (chunk: Buffer) => {
              output += chunk.toString();
              const match = /listening on (http:\/\/\S+)/.exec(output);
              if (match !== null) ready(match[1]!);
            };
            child.stdout!.on("data", onData);
            child.stderr!.on("data", onData);
            child.once("exit", (code) => reject(new Error(`${example}.ts exited ${code}: ${output}`)));
          });
          // The example dates its receipts on the chain's clock (the local chain runs ahead): so does this client.
          const client = CuriaClient.fromDeployment(system.record, consumer, { chainNow: () => clock.now() });
          await client.buyCalls(listingId, 1n, PRICE);
          const answer = await client.infer(listingId, new Float32Array(784).fill(0.5), { endpoint: url });
          expect(answer.outputs).to.have.length(10);
          expect(answer.receipt.listingId).to.equal(listingId);
        } finally {
          clock.stop();
          child.kill("SIGTERM");
        }
      });
    }
  });
});
