// A listing with sales in escrow and a consumer holding its answers' receipts, as the receipt tests (fraud proofs,
// serving keys, escrow, and their red team) all start from: the court fixture, one active listing bought from.
import { dataHash, inferenceDomain, type Hex, type InferenceReceipt } from "@curia/protocol";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { LOCAL_CONFIG } from "../../deploy/config.js";
import { cEthers, cHelpers, deployCourtFixture } from "./court.js";
import { MarketHelper } from "./marketplace.js";

export const ESCROW = BigInt(LOCAL_CONFIG.marketplace.market.earningsEscrowPeriod);

/** What a consumer sent (one MNIST image as float32 little-endian bytes) and what it got back. */
export const INPUT = new Uint8Array(new Float32Array(784).fill(0.5).buffer);
export const WRONG_OUTPUT = new Uint8Array(new Float32Array([0.9, 0.1, 0, 0, 0, 0, 0, 0, 0, 0]).buffer);

/** One active listing; the consumer (the court fixture's challenger) bought 500 calls, so its escrow holds sales. */
export async function listedFixture() {
  const f = await cHelpers.loadFixture(deployCourtFixture);
  const market = new MarketHelper(f.registry, f.curationPool, cHelpers);
  const listingId = await market.listActive(f.provider, "mnist-mlp");
  const { chainId } = await cEthers.provider.getNetwork();
  const domain = inferenceDomain(chainId, await f.registry.getAddress());
  const { modelHash } = await f.registry.getListing(listingId);
  await market.buy(f.challenger, listingId, 500n);
  return { ...f, consumer: f.challenger, market, listingId, domain, modelHash: modelHash as Hex };
}
export type ReceiptsFixture = Awaited<ReturnType<typeof listedFixture>>;

/** The receipt of one answer (INPUT → WRONG_OUTPUT) to `caller`, served now unless `overrides` says otherwise. */
export async function receiptOf(
  f: ReceiptsFixture,
  caller: HardhatEthersSigner,
  overrides: Partial<InferenceReceipt> = {},
): Promise<InferenceReceipt> {
  return {
    listingId: f.listingId,
    modelHash: f.modelHash,
    caller: caller.address as Hex,
    nonce: 7n,
    inputHash: dataHash(INPUT),
    outputHash: dataHash(WRONG_OUTPUT),
    servedAt: BigInt(await cHelpers.time.latest()),
    ...overrides,
  };
}
