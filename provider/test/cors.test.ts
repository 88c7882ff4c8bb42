// A consumer's browser calls the provider from its own web app (another origin): the browser sends a CORS preflight
// for the JSON POST and reads the answer only when the provider allows its origin. Without a chain: the on-chain
// credit is the core's injected `callsPurchased`.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import { Wallet } from "ethers";
import { inferenceDomain } from "@curia/protocol";
import { f32ToBase64, signInferenceRequest } from "@curia/protocol/ethers";
import { createLogger } from "@curia/validator";
import { ProviderCore, curiaNodeHttp, type InferFunction, type NodeHttpOptions } from "../src/middleware/index.js";

const LISTING = 3n;
const APP_ORIGIN = "http://127.0.0.1:5173";
const domain = inferenceDomain(31_337, "0x" + "22".repeat(20));
const infer: InferFunction = ({ inputs }) => inputs.map((v) => v * 2);

describe("provider over node:http: calls from a browser page (CORS)", function () {
  const servers: Server[] = [];

  async function serve(options?: NodeHttpOptions): Promise<string> {
    const core = new ProviderCore({
      domain,
      listings: [{ listingId: LISTING, modelHash: "0x" + "cd".repeat(32) }],
      servingKey: Wallet.createRandom(),
      inputSize: 2,
      callsPurchased: async () => 5n,
      log: createLogger("provider", { level: "error" }),
    });
    const handler = curiaNodeHttp(core, infer, options);
    const server = createServer((req, res) => void handler(req, res));
    servers.push(server);
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", () => done()));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/listings/${LISTING}/infer`;
  }

  after(async function () {
    await Promise.all(servers.map((s) => new Promise<void>((done) => s.close(() => done()))));
  });

  /** What a browser sends before a cross-origin JSON POST. */
  const preflight = (url: string) =>
    fetch(url, {
      method: "OPTIONS",
      headers: {
        origin: APP_ORIGIN,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
      },
    });

  async function signedPost(url: string) {
    const auth = await signInferenceRequest(Wallet.createRandom(), domain, LISTING);
    return fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", origin: APP_ORIGIN },
      body: JSON.stringify({ auth, inputsF32: f32ToBase64(new Float32Array([1, 2])) }),
    });
  }

  it("answers the preflight and every answer with Access-Control-Allow-Origin: * by default", async function () {
    const url = await serve();
    const pre = await preflight(url);
    expect(pre.status).to.equal(204);
    expect(pre.headers.get("access-control-allow-origin")).to.equal("*");
    expect(pre.headers.get("access-control-allow-methods")).to.contain("POST");
    expect(pre.headers.get("access-control-allow-headers")).to.contain("content-type");

    const answer = await signedPost(url);
    expect(answer.status).to.equal(200);
    expect(answer.headers.get("access-control-allow-origin")).to.equal("*");
    expect(((await answer.json()) as { receipt?: unknown }).receipt).to.be.an("object");
    // Refusals too: the page must be able to read why (here: no signature).
    const refused = await fetch(url, {
      method: "POST",
      headers: { origin: APP_ORIGIN },
      body: JSON.stringify({ inputsF32: f32ToBase64(new Float32Array([1, 2])) }),
    });
    expect(refused.status).to.equal(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).to.equal("missing_signature");
    expect(refused.headers.get("access-control-allow-origin")).to.equal("*");
  });

  it("names one origin when told to, and sends no CORS headers when CORS is off", async function () {
    const one = await serve({ allowOrigin: APP_ORIGIN });
    const pre = await preflight(one);
    expect(pre.headers.get("access-control-allow-origin")).to.equal(APP_ORIGIN);
    expect(pre.headers.get("vary")).to.equal("origin");

    const off = await serve({ allowOrigin: false });
    const refusedPreflight = await preflight(off);
    // A browser reads no Access-Control-Allow-Origin and never sends the POST.
    expect(refusedPreflight.status).to.equal(405);
    expect(refusedPreflight.headers.get("access-control-allow-origin")).to.equal(null);
    const answer = await signedPost(off);
    expect(answer.status).to.equal(200);
    expect(answer.headers.get("access-control-allow-origin")).to.equal(null);
  });
});
