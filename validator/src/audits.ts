// Audits of real traffic: consumers' clients forward a share of their calls (receipt, input, output) to validators,
// who score a listing in its round from the answers its paying consumers actually got, not only from their own probes
// (which a provider may recognise). The server checks each audit (the receipt's signer was a serving key of the
// listing when it served the answer, the published bytes hash to the receipt's inputHash / outputHash, the shapes are
// those of the listing's task: the task its metadata names, through the task plugins, so a VAD clip or an OCR line is
// audited like an MNIST image) and stores it durably under the state dir, with the bytes inline (a data: URI, in
// palette form when that is what fits a fraud proof: toEvidenceURI), so an audit survives its publisher.
//
//   POST /audits   {"receipt": SignedReceiptWire, "inputURI": string, "outputURI": string}
//                  → 201 {"stored": true, "receiptDigest"} | 200 {"stored": false, "duplicate": true}
//                  errors: {"error": {"code", "message"}}: 400 malformed, 404 unknown listing, 413 body too large,
//                  422 receipt or publication refused, 429 the listing's queue is full, 503 chain unreadable.
//   GET  /health   → {"status": "ok", "pending": {listingId: count}}
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { ZeroAddress } from "ethers";
import {
  receiptDigest,
  receiptFromWire,
  toEvidenceURI,
  type InferenceDomain,
  type SignedReceiptWire,
} from "@curia/protocol";
import { readPublication } from "./fraud.js";
import type { Logger } from "./log.js";
import {
  checkReceiptSigner,
  f32FromBytes,
  ReceiptRejectedError,
  type ListingKeys,
  type PublicationOptions,
} from "./receipts.js";
import { fsyncDir, writeDurably } from "./state.js";
import { mnistTask } from "./tasks/index.js";
import type { TaskPlugin } from "./tasks/types.js";
import { ListingMetadataUnavailableError, ListingUnverifiableError } from "./fetch-model.js";

/** An accepted audit as stored: the receipt and the hash-checked bytes, inline. */
export interface AuditRecord {
  receiptDigest: string;
  listingId: string;
  receipt: SignedReceiptWire;
  /** data: URIs of the exact bytes the receipt hashes. */
  inputURI: string;
  outputURI: string;
  /** Unix seconds: the receipt's servedAt, and when this validator received the audit. */
  servedAt: number;
  receivedAt: number;
  /** Set when a round scored the listing from this audit (the file then lives under scored/). */
  scoredInRound?: string;
}

export type AddOutcome = "stored" | "duplicate" | "full";

/** Audits on disk: <stateDir>/<validator>/audits/<listingId>/<digest>.json, moved to …/scored/ once used in a round. */
export class AuditStore {
  readonly dir: string;
  private readonly listeners: ((record: AuditRecord) => void)[] = [];

  constructor(
    validatorStateDir: string,
    /** Audits waiting per listing, at most (new ones are refused, never an old one dropped). */
    readonly capPerListing: number,
  ) {
    this.dir = join(validatorStateDir, "audits");
    mkdirSync(this.dir, { recursive: true });
  }

  private listingDir(listingId: bigint | string): string {
    return join(this.dir, listingId.toString());
  }

  add(record: AuditRecord): AddOutcome {
    const dir = this.listingDir(record.listingId);
    mkdirSync(join(dir, "scored"), { recursive: true });
    const name = `${record.receiptDigest}.json`;
    if (existsSync(join(dir, name)) || existsSync(join(dir, "scored", name))) return "duplicate";
    if (this.pendingCount(record.listingId) >= this.capPerListing) return "full";
    writeDurably(join(dir, name), JSON.stringify(record) + "\n");
    for (const listener of this.listeners) listener(record);
    return "stored";
  }

  /** Calls `listener` with every audit stored from now on (once it is on disk). */
  onStored(listener: (record: AuditRecord) => void): void {
    this.listeners.push(listener);
  }

  pendingCount(listingId: bigint | string): number {
    const dir = this.listingDir(listingId);
    if (!existsSync(dir)) return 0;
    return readdirSync(dir).filter((f) => /^0x[0-9a-f]{64}\.json$/.test(f)).length;
  }

  /** Audits of `listingId` not yet used in a round, oldest served first. */
  pending(listingId: bigint | string): AuditRecord[] {
    const dir = this.listingDir(listingId);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((f) => /^0x[0-9a-f]{64}\.json$/.test(f))
      .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as AuditRecord)
      .sort((a, b) => a.servedAt - b.servedAt);
  }

  /** Marks audits as scored in `roundId` (moved under scored/, kept). */
  markScored(listingId: bigint | string, digests: string[], roundId: bigint): void {
    const dir = this.listingDir(listingId);
    for (const digest of digests) {
      const from = join(dir, `${digest}.json`);
      if (!existsSync(from)) continue;
      const record = JSON.parse(readFileSync(from, "utf8")) as AuditRecord;
      writeDurably(from, JSON.stringify({ ...record, scoredInRound: roundId.toString() }) + "\n");
      renameSync(from, join(dir, "scored", `${digest}.json`));
    }
    fsyncDir(dir);
  }

  listings(): string[] {
    return readdirSync(this.dir).filter((f) => /^\d+$/.test(f));
  }
}

export class AuditError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface AuditServerOptions {
  store: AuditStore;
  domain: InferenceDomain;
  keys: ListingKeys;
  publication: PublicationOptions;
  log: Logger;
  now?: () => number;
  /**
   * The task of a listing (its metadata's task, as `Verifier.taskOf` reads it): it decides the input and output sizes
   * an audit must have, as the provider's core does per listing. Default: every listing is MNIST (784 → 10).
   */
  taskOf?: (listingId: bigint) => Promise<TaskPlugin>;
}

const MAX_BODY_BYTES = 24 * 1024 * 1024;

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new AuditError(413, "too_large", `the body is over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export class AuditServer {
  private server: Server | undefined;

  constructor(private readonly options: AuditServerOptions) {}

  /** Checks and stores one audit (what POST /audits does). */
  async accept(body: unknown): Promise<{ outcome: AddOutcome; receiptDigest: string }> {
    if (typeof body !== "object" || body === null)
      throw new AuditError(400, "bad_request", "the body must be an object");
    const { receipt: wire, inputURI, outputURI } = body as Record<string, unknown>;
    if (typeof inputURI !== "string" || typeof outputURI !== "string")
      throw new AuditError(400, "bad_request", "inputURI and outputURI must be strings");
    let parsed;
    try {
      parsed = receiptFromWire(wire);
    } catch (error) {
      throw new AuditError(400, "bad_receipt", (error as Error).message);
    }
    const { receipt, signature } = parsed;
    let servingKey: string;
    let modelHash: string;
    try {
      // The current key only says whether the listing exists; the receipt's signer is checked against its period.
      [servingKey, modelHash] = await Promise.all([
        this.options.keys.servingKeyOf(receipt.listingId),
        this.options.keys.modelHashOf(receipt.listingId),
      ]);
    } catch (error) {
      throw new AuditError(503, "chain_unavailable", `cannot read the listing on-chain: ${(error as Error).message}`);
    }
    if (servingKey === ZeroAddress) throw new AuditError(404, "unknown_listing", `no listing ${receipt.listingId}`);
    if (receipt.modelHash.toLowerCase() !== modelHash.toLowerCase())
      throw new AuditError(422, "wrong_model", `the receipt names model ${receipt.modelHash}, not the listing's`);
    try {
      // A serving key answers for what it signed in its period (ListingChallenges' rule): a provider that rotates its
      // key after cheating does not void the audits of its answers.
      await checkReceiptSigner(this.options.domain, this.options.keys, receipt, signature);
    } catch (error) {
      if (error instanceof ReceiptRejectedError) throw new AuditError(422, "bad_signature", error.message);
      throw new AuditError(503, "chain_unavailable", `cannot read the listing on-chain: ${(error as Error).message}`);
    }
    const read = await readPublication({ receipt, inputURI, outputURI }, this.options.publication);
    if (!("input" in read)) throw new AuditError(422, read.outcome, read.reason);
    let task: TaskPlugin;
    try {
      task = (await this.options.taskOf?.(receipt.listingId)) ?? mnistTask;
    } catch (error) {
      if (error instanceof ListingUnverifiableError) throw new AuditError(422, "unknown_task", error.message);
      // Its metadata unreadable for now: the audit is refused as retryable, not judged as some other task's.
      if (error instanceof ListingMetadataUnavailableError) {
        throw new AuditError(503, "metadata_unavailable", error.message);
      }
      throw new AuditError(503, "chain_unavailable", `cannot read the listing's task: ${(error as Error).message}`);
    }
    // Shapes from the listing's task: a VAD clip or an OCR line is audited like an MNIST image (a cheat on one call
    // of any task is judged and filed by the same path), and an audit whose bytes are not the task's is refused here.
    const { id, inputSize, outputSize } = task.spec;
    const inputs = f32FromBytes(read.input);
    const answers = f32FromBytes(read.output);
    const count = inputs === undefined ? 0 : inputs.length / inputSize;
    if (count === 0 || !Number.isInteger(count) || answers?.length !== count * outputSize) {
      throw new AuditError(
        422,
        "bad_shape",
        `listing ${receipt.listingId} (task ${id}): the input must be whole ${inputSize}-float rows and the ` +
          `output ${outputSize} floats per row (got ${read.input.length} and ${read.output.length} bytes)`,
      );
    }
    const digest = receiptDigest(this.options.domain, receipt);
    const outcome = this.options.store.add({
      receiptDigest: digest,
      listingId: receipt.listingId.toString(),
      receipt: wire as SignedReceiptWire,
      inputURI: toEvidenceURI(read.input),
      outputURI: toEvidenceURI(read.output),
      servedAt: Number(receipt.servedAt),
      receivedAt: this.options.now?.() ?? Math.floor(Date.now() / 1000),
    });
    if (outcome === "full") {
      throw new AuditError(
        429,
        "queue_full",
        `listing ${receipt.listingId} already has ${this.options.store.capPerListing} audits waiting for a round`,
      );
    }
    this.options.log.info("audit received", {
      listing: receipt.listingId,
      task: id,
      receipt: digest,
      inputs: count,
      outcome,
    });
    return { outcome, receiptDigest: digest };
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    };
    try {
      if (request.method === "GET" && request.url === "/health") {
        const pending = Object.fromEntries(
          this.options.store.listings().map((id) => [id, this.options.store.pendingCount(id)]),
        );
        return reply(200, { status: "ok", pending });
      }
      if (request.method !== "POST" || request.url !== "/audits")
        throw new AuditError(404, "not_found", "POST /audits {receipt, inputURI, outputURI}");
      let body: unknown;
      try {
        body = JSON.parse(await readBody(request));
      } catch (error) {
        if (error instanceof AuditError) throw error;
        throw new AuditError(400, "bad_json", `the body is not JSON: ${(error as Error).message}`);
      }
      const { outcome, receiptDigest: digest } = await this.accept(body);
      return outcome === "stored"
        ? reply(201, { stored: true, receiptDigest: digest })
        : reply(200, { stored: false, duplicate: true, receiptDigest: digest });
    } catch (error) {
      if (error instanceof AuditError)
        return reply(error.status, { error: { code: error.code, message: error.message } });
      this.options.log.error("audit failed", { reason: (error as Error).message });
      return reply(500, { error: { code: "internal", message: (error as Error).message } });
    }
  }

  async listen(port: number, host = "127.0.0.1"): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolveListen, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => resolveListen());
    });
    const address = server.address() as AddressInfo;
    return `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
  }
}
