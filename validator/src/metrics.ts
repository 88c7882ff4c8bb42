// Prometheus metrics (prom-client) served at /metrics.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export class ValidatorMetrics {
  readonly registry = new Registry();
  readonly roundsSeen = new Counter({
    name: "curia_validator_rounds_seen_total",
    help: "Rounds the service followed",
    labelNames: ["validator"],
    registers: [this.registry],
  });
  readonly verifications = new Counter({
    name: "curia_validator_verifications_total",
    help: "Verifications by outcome",
    labelNames: ["validator", "outcome"],
    registers: [this.registry],
  });
  readonly inferences = new Counter({
    name: "curia_validator_inferences_verified_total",
    help: "Provider outputs re-executed and scored",
    labelNames: ["validator"],
    registers: [this.registry],
  });
  readonly commits = new Counter({
    name: "curia_validator_commits_total",
    help: "Score commitments sent",
    labelNames: ["validator"],
    registers: [this.registry],
  });
  readonly reveals = new Counter({
    name: "curia_validator_reveals_total",
    help: "Scores revealed",
    labelNames: ["validator"],
    registers: [this.registry],
  });
  readonly keeperActions = new Counter({
    name: "curia_validator_keeper_actions_total",
    help: "Permissionless steps sent (openRound, drawCommittee, finalizeRound, settleCommittee)",
    labelNames: ["action"],
    registers: [this.registry],
  });
  readonly fraudProofs = new Counter({
    name: "curia_validator_fraud_proofs_total",
    help: "Fraud proofs this validator filed, found filed by another, or refused to file (the contract would refuse them)",
    labelNames: ["outcome"],
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: "curia_validator_errors_total",
    help: "Failures by stage",
    labelNames: ["stage"],
    registers: [this.registry],
  });
  readonly lastScore = new Gauge({
    name: "curia_validator_last_score_bps",
    help: "Last score computed per listing",
    labelNames: ["validator", "listing"],
    registers: [this.registry],
  });
  readonly executionProvider = new Gauge({
    name: "curia_validator_execution_provider",
    help: "1 for the onnxruntime execution provider in use",
    labelNames: ["provider"],
    registers: [this.registry],
  });
  readonly verificationSeconds = new Histogram({
    name: "curia_validator_verification_seconds",
    help: "Wall time of one verification",
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  private server: Server | undefined;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: "curia_validator_" });
  }

  async listen(port: number, host = "127.0.0.1"): Promise<string> {
    const server = createServer((request, response) => {
      if (request.url !== "/metrics") {
        response.writeHead(404, { "content-type": "text/plain" }).end("metrics are at /metrics\n");
        return;
      }
      void this.registry.metrics().then(
        (text) => response.writeHead(200, { "content-type": this.registry.contentType }).end(text),
        (error: Error) => response.writeHead(500).end(error.message),
      );
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", (error: NodeJS.ErrnoException) =>
        reject(new Error(`cannot serve metrics on ${host}:${port}: ${error.code ?? error.message}`)),
      );
      server.listen(port, host, () => resolve());
    });
    return `http://${host}:${(server.address() as AddressInfo).port}/metrics`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
