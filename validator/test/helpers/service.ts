// The ValidatorService options and the audit endpoint the service tests share, so that each test states only what it is
// about.
import { inferenceDomain } from "@curia/protocol";
import { AuditServer, type AuditStore } from "../../src/audits.js";
import type { Logger } from "../../src/log.js";
import { ValidatorMetrics } from "../../src/metrics.js";
import type { ProbeFunder } from "../../src/probes/buyers.js";
import { listingKeysOf } from "../../src/receipts.js";
import type { ProbeOptions, ServiceOptions } from "../../src/service.js";
import type { System } from "./chain.js";

/**
 * A service on the local dev chain polling every 200 ms, with fresh metrics, no listings of its own (the test opens the
 * rounds) and not the keeper: spread first, then the test's own options.
 */
export function onDevChain(): Pick<ServiceOptions, "metrics" | "keeper" | "listings" | "pollMs" | "devChain"> {
  return { metrics: new ValidatorMetrics(), keeper: false, listings: [], pollMs: 200, devChain: true };
}

/** Probes without a schedule (each round is probed at once, as the rounds open before any period has passed). */
export function immediateProbes(funder: ProbeFunder): ProbeOptions {
  return {
    funder,
    schedule: { probesPerPeriod: 0, minSize: 4, maxSize: 16, latenessSeconds: 900 },
    gasPerBuyer: 400_000n,
  };
}

/** The validator's audit endpoint for the local deployment's listings (publications fetched from no gateway). */
export async function localAuditServer(system: System, store: AuditStore, log: Logger): Promise<AuditServer> {
  return new AuditServer({
    store,
    domain: inferenceDomain(system.record.chainId, await system.registry.getAddress()),
    keys: listingKeysOf(system.registry),
    publication: { ipfsGateway: "http://127.0.0.1:1" },
    log,
  });
}
