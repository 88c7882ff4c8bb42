// The attacker of issue 16, provider side: a probe detector that flags a request on each of the four ways validators'
// probes could be told apart from paying consumers' calls, and a provider that answers flagged requests with the listed
// (reference) model and every other one with a cheaper model. It sees everything a real provider sees: the signed
// caller, the inputs, the time, the batch size, and all public chain state (the validators' pool, the rounds).
//   registered-validator  the caller holds stake in the validators' pool;
//   public-input          an input is, or nearly is (also with its faint pixels zeroed as noise), a digit of the
//                         shipped dataset (the public evaluation window is part of it);
//   round-window          a round of the listing is open (drawing, commit or reveal) when the request arrives;
//   probe-batch-size      the request has exactly the old probes' batch size, 100 inputs.
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { RoundPhase, inferenceDomain } from "@curia/protocol";
import { ChainClock } from "@curia/protocol/ethers";
import { ProviderCore, curiaNodeHttp, loadServedListings, type ServedRequest } from "@curia/provider";
import { createLogger } from "../../src/log.js";
import { INPUT_SIZE } from "../../src/model/dataset.js";
import { ensureModels } from "../../src/model/reference.js";
import { shippedDigits } from "../../src/probes/inputs.js";
import { createSession } from "../../src/runtime.js";
import type { System } from "./chain.js";

export type ProbeSignal = "registered-validator" | "public-input" | "round-window" | "probe-batch-size";
export const PROBE_SIGNALS: readonly ProbeSignal[] = [
  "registered-validator",
  "public-input",
  "round-window",
  "probe-batch-size",
];

/** The old probes' batch size (the verifier's default `batchSize`). */
const OLD_PROBE_BATCH = 100;
/** Euclidean distance under which an input counts as a copy of a dataset digit (pixels in [0, 1]). */
const NEAR_IDENTICAL = 1.5;
const DENOISE_BELOW = 0.35;

export interface SeenRequest {
  listingId: bigint;
  caller: string;
  count: number;
  signals: ProbeSignal[];
}

export class ProbeDetector {
  readonly seen: SeenRequest[] = [];
  private readonly digests = new Set<string>();
  private readonly digits = shippedDigits();

  constructor(private readonly system: System) {
    for (let j = 0; j < this.digits.count; j++) this.digests.add(this.digest(this.imageAt(j)));
  }

  private imageAt(j: number): Float32Array {
    return this.digits.images.subarray(j * INPUT_SIZE, (j + 1) * INPUT_SIZE);
  }

  private digest(image: Float32Array): string {
    return createHash("sha256")
      .update(Buffer.from(image.buffer, image.byteOffset, image.byteLength))
      .digest("hex");
  }

  /** Whether `image` is within NEAR_IDENTICAL of any shipped digit (each comparison stops once it is farther). */
  private nearDigit(image: Float32Array): boolean {
    const limit = NEAR_IDENTICAL * NEAR_IDENTICAL;
    for (let j = 0; j < this.digits.count; j++) {
      const offset = j * INPUT_SIZE;
      let d = 0;
      for (let i = 0; i < INPUT_SIZE && d <= limit; i++) {
        const t = image[i]! - this.digits.images[offset + i]!;
        d += t * t;
      }
      if (d <= limit) return true;
    }
    return false;
  }

  private publicInput(inputs: Float32Array, count: number): boolean {
    for (let r = 0; r < count; r++) {
      const image = inputs.subarray(r * INPUT_SIZE, (r + 1) * INPUT_SIZE);
      if (this.digests.has(this.digest(image))) return true;
      if (this.nearDigit(image)) return true;
      if (this.nearDigit(image.map((v) => (v < DENOISE_BELOW ? 0 : v)))) return true;
    }
    return false;
  }

  private async roundOpen(listingId: bigint): Promise<boolean> {
    const [roundId] = await this.system.validation.listingRounds(listingId);
    if (roundId === 0n) return false;
    const phase = Number(await this.system.validation.phaseOf(roundId));
    return phase === RoundPhase.Drawing || phase === RoundPhase.Commit || phase === RoundPhase.Reveal;
  }

  /** The signals `request` raises (recorded in {@link seen}). */
  async signals(request: ServedRequest): Promise<ProbeSignal[]> {
    const member = await this.system.validatorPool.memberOf(request.caller);
    const raised: ProbeSignal[] = [];
    if (member.staked + member.locked > 0n) raised.push("registered-validator");
    if (this.publicInput(request.inputs, request.count)) raised.push("public-input");
    if (await this.roundOpen(request.listingId)) raised.push("round-window");
    if (request.count === OLD_PROBE_BATCH) raised.push("probe-batch-size");
    this.seen.push({ listingId: request.listingId, caller: request.caller, count: request.count, signals: raised });
    return raised;
  }
}

export interface DetectingProvider {
  url: string;
  detector: ProbeDetector;
  clock: ChainClock;
  close(): Promise<void>;
}

/**
 * A provider for `listings` (their provider's account signs the receipts) that serves the reference model to any
 * request the detector flags on at least one signal, and the degraded model to every other one.
 */
export async function startDetectingProvider(system: System, listings: bigint[]): Promise<DetectingProvider> {
  const models = ensureModels();
  const listed = await createSession(readFileSync(models.reference.path), { executionProvider: "cpu" });
  const cheap = await createSession(readFileSync(models.degraded.path), { executionProvider: "cpu" });
  const servingKey = await system.connection.ethers.getSigner(await system.registry.servingKeyOf(listings[0]!));
  const clock = await ChainClock.start(system.connection.ethers.provider, 500);
  const detector = new ProbeDetector(system);
  const core = new ProviderCore({
    domain: inferenceDomain(system.record.chainId, await system.registry.getAddress()),
    listings: await loadServedListings(system.registry, listings, servingKey.address),
    servingKey,
    callsPurchased: (id, caller) => system.registry.callsPurchased(id, caller),
    inputSize: INPUT_SIZE,
    chainNow: () => clock.now(),
    log: createLogger("provider", { level: "error" }),
  });
  const handler = curiaNodeHttp(core, async (request) => {
    const flagged = (await detector.signals(request)).length > 0;
    return (flagged ? listed : cheap).run(request.inputs, request.count);
  });
  const server: Server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/detecting`;
  return {
    url,
    detector,
    clock,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      clock.stop();
      await listed.release();
      await cheap.release();
    },
  };
}
