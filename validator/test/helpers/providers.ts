// In-process sample providers (honest, degraded, random) on free ports, serving listings of a test system. Each one is
// behind the test proxy (receipt-shim.ts): untouched answers by default, a `fault` to misbehave.
import { readFileSync } from "node:fs";
import { inferenceDomain } from "@curia/protocol";
import { ChainClock } from "@curia/protocol/ethers";
import { ProviderServer, loadServedListings, type ProviderMode } from "@curia/provider";
import { createLogger } from "../../src/log.js";
import { ensureModels } from "../../src/model/reference.js";
import { createSession, type ModelSession } from "../../src/runtime.js";
import type { System } from "./chain.js";
import { startReceiptShim, type ReceiptShim, type ShimFault } from "./receipt-shim.js";

export interface RunningProvider {
  server: ProviderServer;
  shim: ReceiptShim;
  /** The clock its receipts are dated on: refresh it after moving the chain's time (it re-reads every 500 ms). */
  clock: ChainClock;
  url: string;
  close(): Promise<void>;
}

/** Starts a provider in `mode` for `listings`; its endpoint is `url` (set it as the listings' endpointURI). */
export async function startProvider(
  system: System,
  mode: ProviderMode,
  listings: bigint[],
  fault: ShimFault = "none",
): Promise<RunningProvider> {
  const models = ensureModels();
  let session: ModelSession | undefined;
  if (mode !== "random") {
    const path = mode === "honest" ? models.reference.path : models.degraded.path;
    session = await createSession(readFileSync(path), { executionProvider: "cpu" });
  }
  // Receipts are signed by the listings' serving key (their provider's account unless rotated), checked on-chain.
  const servingKey = await system.connection.ethers.getSigner(await system.registry.servingKeyOf(listings[0]!));
  // Receipts are dated on the chain's clock, as curia-provider does on the local chain (the tests move time ahead).
  const clock = await ChainClock.start(system.connection.ethers.provider, 500);
  const server = new ProviderServer({
    chainNow: () => clock.now(),
    mode,
    session,
    domain: inferenceDomain(system.record.chainId, await system.registry.getAddress()),
    listings: await loadServedListings(system.registry, listings, servingKey.address),
    servingKey,
    callsPurchased: (id, caller) => system.registry.callsPurchased(id, caller),
    log: createLogger("provider", { level: "error" }),
  });
  const upstream = await server.listen(0);
  const signers = await system.connection.ethers.getSigners();
  const shim = await startReceiptShim({
    upstream,
    domain: inferenceDomain(system.record.chainId, await system.registry.getAddress()),
    servingKey: async (listingId) => {
      const key = await system.registry.servingKeyOf(listingId);
      const signer = signers.find((s) => s.address === key);
      if (signer === undefined) throw new Error(`no test account holds listing ${listingId}'s serving key ${key}`);
      return signer;
    },
    modelHash: async (listingId) => (await system.registry.getListing(listingId)).modelHash,
    fault,
  });
  const url = `${shim.url}/${mode}`;
  return {
    server,
    shim,
    clock,
    url,
    close: async () => {
      await shim.close();
      await server.close();
      clock.stop();
      await session?.release();
    },
  };
}

/** Lists the reference model (its hash, its file in the metadata) with the endpoint `url` set afterwards. */
export async function listReferenceModel(system: System, providerIndex: number, name: string): Promise<bigint> {
  const { reference } = ensureModels();
  const { metadataFor } = await import("./chain.js");
  return system.createActiveListing(
    system.signer(providerIndex),
    reference.modelHash,
    metadataFor(name, reference.path),
    "http://127.0.0.1:1/unset",
  );
}

export async function setEndpoint(
  system: System,
  providerIndex: number,
  listingId: bigint,
  url: string,
): Promise<void> {
  await (await system.registry.connect(system.signer(providerIndex)).updateEndpoint(listingId, url)).wait();
}
