// The provider's checks at their edges, without a chain: a request is refused at its expiry second and served the second
// before; an expiry exactly `maxTtlSeconds` ahead is accepted and one second more refused; the last paid call is served
// and the next refused. The clock and the on-chain credit are the middleware core's injected `now` and `callsPurchased`.
import { expect } from "chai";
import { Wallet } from "ethers";
import { inferenceDomain } from "@curia/protocol";
import { signInferenceRequest } from "@curia/protocol/ethers";
import { createLogger } from "@curia/validator";
import { HttpError, ProviderCore } from "../src/middleware/core.js";
import { UsageStore } from "../src/usage.js";

const NOW = 1_800_000_000;
const LISTING = 7n;
const domain = inferenceDomain(31_337, "0x" + "11".repeat(20));

const listings = [{ listingId: LISTING, modelHash: "0x" + "ab".repeat(32) }];

function server(purchased: bigint, maxTtlSeconds = 600) {
  return new ProviderCore({
    domain,
    listings,
    servingKey: Wallet.createRandom(),
    inputSize: 784,
    callsPurchased: async () => purchased,
    log: createLogger("provider", { level: "error" }),
    now: () => NOW,
    maxTtlSeconds,
  });
}

async function refusal(promise: Promise<unknown>): Promise<{ status: number; code: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HttpError) return { status: error.status, code: error.code };
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("provider checks at their edges", function () {
  const caller = Wallet.createRandom();

  it("serves a request expiring the second after now and refuses one expiring now", async function () {
    const s = server(10n);
    const fresh = await signInferenceRequest(caller, domain, LISTING, { expiry: NOW + 1 });
    expect((await s.authorize(fresh, 1)).remaining).to.equal(9n);
    const expired = await signInferenceRequest(caller, domain, LISTING, { expiry: NOW });
    expect(await refusal(s.authorize(expired, 1))).to.deep.equal({ status: 401, code: "signature_expired" });
  });

  it("accepts an expiry exactly maxTtlSeconds ahead and refuses one second more", async function () {
    const s = server(10n, 600);
    const edge = await signInferenceRequest(caller, domain, LISTING, { expiry: NOW + 600 });
    expect((await s.authorize(edge, 1)).remaining).to.equal(9n);
    const beyond = await signInferenceRequest(caller, domain, LISTING, { expiry: NOW + 601 });
    expect(await refusal(s.authorize(beyond, 1))).to.deep.equal({ status: 401, code: "expiry_too_far" });
  });

  it("serves the last paid call, refuses the next, and spends nothing on a refusal", async function () {
    const usage = new UsageStore();
    const s = new ProviderCore({
      domain,
      listings,
      servingKey: Wallet.createRandom(),
      inputSize: 784,
      callsPurchased: async () => 3n,
      usage,
      log: createLogger("provider", { level: "error" }),
      now: () => NOW,
    });
    const sign = () => signInferenceRequest(caller, domain, LISTING, { expiry: NOW + 60 });
    expect((await s.authorize(await sign(), 2)).remaining).to.equal(1n);
    expect(await refusal(s.authorize(await sign(), 2))).to.deep.equal({ status: 402, code: "payment_required" });
    expect(usage.servedCalls(LISTING, caller.address)).to.equal(2n);
    expect((await s.authorize(await sign(), 1)).remaining).to.equal(0n);
    expect(await refusal(s.authorize(await sign(), 1))).to.deep.equal({ status: 402, code: "payment_required" });
    expect(usage.servedCalls(LISTING, caller.address)).to.equal(3n);
  });

  it("refuses a replayed nonce until it expires, and remembers it exactly until then", function () {
    const usage = new UsageStore();
    expect(usage.useNonce(LISTING, caller.address, 1n, NOW + 10, NOW)).to.equal(true);
    expect(usage.useNonce(LISTING, caller.address, 1n, NOW + 10, NOW + 10)).to.equal(false, "kept at its expiry");
    expect(usage.useNonce(LISTING, caller.address, 1n, NOW + 20, NOW + 11)).to.equal(true, "forgotten after it");
    expect(usage.useNonce(LISTING, caller.address.toLowerCase(), 1n, NOW + 20, NOW + 12)).to.equal(false);
  });
});
