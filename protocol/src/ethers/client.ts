// CuriaClient: a consumer's side of the marketplace on ethers v6. It buys calls with a price cap (approving exactly
// the cost, never an unlimited allowance), signs requests, calls the listing's endpoint, refuses any answer without a
// valid receipt from the listing's serving key, keeps every receipt with the input and output bytes behind it,
// forwards a random share of its calls to the validators' audit endpoints, and files a fraud proof with a receipt
// whose answer was wrong.
//
// Wire (provider/src/middleware/core.ts): it POSTs {"auth", "inputsF32"} and expects {"outputsF32", "receipt"}. A
// receipt's inputHash / outputHash are keccak256 of the float32 little-endian bytes sent and received.
import { randomInt } from "node:crypto";
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import type { Signer, TypedDataDomain } from "ethers";
import type { DeploymentRecord } from "../deployment.js";
import type { Hex } from "../hashing.js";
import { inferenceDomain, type InferenceDomain } from "../inference.js";
import { toEvidenceURI } from "../evidence.js";
import {
  dataHash,
  fromDataURI,
  receiptDigest,
  receiptFromWire,
  receiptMismatch,
  receiptToWire,
  type InferenceReceipt,
  type SignedReceiptWire,
  type StoredReceipt,
} from "../receipts.js";
import {
  CuriaToken__factory,
  IListingChallenges__factory,
  IListingRegistry__factory,
  ListingChallenges__factory,
  type CuriaToken,
  type IListingChallenges,
  type IListingRegistry,
} from "./contracts.js";
import type { ChainClock } from "./clock.js";
import { deployedContract } from "./deployment.js";
import { signInferenceRequest } from "./inference.js";
import { recoverReceiptSigner } from "./receipts.js";
import { base64ToF32, f32ToBase64, f32ToBytes } from "./wire.js";

// ------------------------------------------------------------------ errors

/** The provider answered with an error (4xx / 5xx) or not at all. */
export class ProviderAnswerError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ProviderAnswerError";
  }
}

/** Why an answer was refused: no receipt, a malformed one, one not signed by the serving key, or one that does not match the call. */
export type ReceiptRefusal = "missing" | "malformed" | "wrong_signer" | "mismatch";

/** The client refused an answer because of its receipt: its outputs are not returned (they would prove nothing). */
export class ReceiptRefusedError extends Error {
  constructor(
    readonly reason: ReceiptRefusal,
    message: string,
  ) {
    super(message);
    this.name = "ReceiptRefusedError";
  }
}

/** The listing's price is above the caller's cap: nothing was approved or bought. */
export class PriceAboveCapError extends Error {
  constructor(
    readonly listingId: bigint,
    readonly pricePerCall: bigint,
    readonly maxPricePerCall: bigint,
  ) {
    super(`listing ${listingId} costs ${pricePerCall} per call, above the cap of ${maxPricePerCall}: nothing bought`);
    this.name = "PriceAboveCapError";
  }
}

/** A fraud proof that would fail on-chain or lose its bond for a reason the client can see first. */
export class FraudProofError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FraudProofError";
  }
}

// ------------------------------------------------------------------ receipts kept

// StoredReceipt (one answer's receipt with the bytes behind its hashes) is in ../receipts.ts: the web app writes the
// same file.

/** Where the client keeps its receipts. Nothing is lost: `put` must have stored the receipt when it resolves. */
export interface ReceiptStore {
  put(entry: StoredReceipt): void | Promise<void>;
  all(): StoredReceipt[] | Promise<StoredReceipt[]>;
}

export class MemoryReceiptStore implements ReceiptStore {
  private readonly entries = new Map<string, StoredReceipt>();
  put(entry: StoredReceipt): void {
    this.entries.set(entry.digest, entry);
  }
  all(): StoredReceipt[] {
    return [...this.entries.values()];
  }
}

/** One JSON file per receipt in `dir` (`<digest>.json`, written to a temporary file and renamed: never half a file). */
export class FileReceiptStore implements ReceiptStore {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }
  put(entry: StoredReceipt): void {
    const file = join(this.dir, `${entry.digest}.json`);
    const tmp = `${file}.${process.pid}.tmp`;
    const fd = openSync(tmp, "w");
    try {
      writeFileSync(fd, `${JSON.stringify(entry)}\n`);
      fsyncSync(fd); // on disk before it takes the receipt's name: a crash leaves the old state or the whole receipt
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  }
  all(): StoredReceipt[] {
    return readdirSync(this.dir)
      .filter((name) => /^0x[0-9a-f]{64}\.json$/.test(name))
      .map((name) => JSON.parse(readFileSync(join(this.dir, name), "utf8")) as StoredReceipt);
  }
}

// ------------------------------------------------------------------ the client

export interface AuditOptions {
  /** Validator audit endpoints: each audited call is POSTed to every one as JSON {receipt, inputURI, outputURI}. */
  urls: readonly string[];
  /** Share of calls forwarded, 0-1 (default {@link DEFAULT_AUDIT_SHARE}; 0 disables). */
  share?: number;
  /** A uniform number in [0, 1) (default: crypto randomness; tests inject their own). */
  random?: () => number;
  timeoutMs?: number;
}

/** Share of calls a client forwards to the validators by default: 5 %. */
export const DEFAULT_AUDIT_SHARE = 0.05;

export interface CuriaClientOptions {
  /** The consumer's account: it pays, and signs each request. */
  signer: Signer;
  chainId: bigint | number;
  /** The ListingRegistry (the inference domain's verifying contract). */
  registry: string;
  /** ListingChallenges (fraud proofs). */
  challenges: string;
  /** Where receipts are kept (default: in memory; a FileReceiptStore keeps them across restarts). */
  store?: ReceiptStore;
  audit?: AuditOptions;
  /** The wall clock, unix seconds: signed requests expire on it. */
  now?: () => number;
  /**
   * The chain's clock, unix seconds: receipts dated more than 300 s away from it are refused. Default: `now`; a
   * development chain moved ahead needs a {@link ChainClock}.
   */
  chainNow?: () => number;
  /** Lifetime of a signed request (default 120 s). */
  ttlSeconds?: number;
  /** Per HTTP request (default 30 s). */
  timeoutMs?: number;
}

/** An answer the client accepted. */
export interface Answer {
  outputs: Float32Array;
  receipt: InferenceReceipt;
  signature: Hex;
  stored: StoredReceipt;
  /** Whether this call was forwarded to the audit endpoints (see {@link CuriaClient.flushAudits}). */
  audited: boolean;
}

/** What each audit endpoint answered. */
export interface AuditResult {
  url: string;
  digest: Hex;
  ok: boolean;
  status?: number;
  error?: string;
}

export class CuriaClient {
  readonly domain: InferenceDomain;
  readonly store: ReceiptStore;
  private readonly registry: IListingRegistry;
  private readonly challenges: IListingChallenges;
  private readonly modelHashes = new Map<string, string>();
  private readonly pending = new Set<Promise<AuditResult[]>>();
  private readonly finished: AuditResult[] = [];
  private token: CuriaToken | undefined;

  constructor(private readonly options: CuriaClientOptions) {
    const share = options.audit?.share ?? DEFAULT_AUDIT_SHARE;
    if (!(share >= 0 && share <= 1)) throw new RangeError(`the audit share must be within 0-1, got ${share}`);
    this.domain = inferenceDomain(options.chainId, options.registry);
    this.store = options.store ?? new MemoryReceiptStore();
    this.registry = IListingRegistry__factory.connect(options.registry, options.signer);
    this.challenges = IListingChallenges__factory.connect(options.challenges, options.signer);
  }

  /** A client for the deployment `record` describes. */
  static fromDeployment(
    record: DeploymentRecord,
    signer: Signer,
    options: Omit<CuriaClientOptions, "signer" | "chainId" | "registry" | "challenges"> = {},
  ): CuriaClient {
    return new CuriaClient({
      ...options,
      signer,
      chainId: record.chainId,
      registry: deployedContract(record, "ListingRegistry").proxy,
      challenges: deployedContract(record, "ListingChallenges").proxy,
    });
  }

  private now(): number {
    return this.options.now?.() ?? Math.floor(Date.now() / 1000);
  }

  private async tokenContract(): Promise<CuriaToken> {
    this.token ??= CuriaToken__factory.connect(await this.registry.token(), this.options.signer);
    return this.token;
  }

  /** Sets the allowance of `spender` to exactly `amount` (what the next call pulls), never more. */
  private async approveExactly(spender: string, amount: bigint): Promise<void> {
    const token = await this.tokenContract();
    const owner = await this.options.signer.getAddress();
    if ((await token.allowance(owner, spender)) === amount) return;
    await (await token.approve(spender, amount)).wait();
  }

  /**
   * Buys `calls` calls on `listingId` for `beneficiary` (default: the signer) at no more than `maxPricePerCall` each:
   * approves exactly the cost at the current price, then `purchase(…, maxPricePerCall)`, which reverts on-chain
   * (ListingPriceAboveMax) if the provider raised the price above the cap in between.
   */
  async buyCalls(
    listingId: bigint,
    calls: bigint,
    maxPricePerCall: bigint,
    beneficiary?: string,
  ): Promise<{ cost: bigint; txHash: string }> {
    const { pricePerCall } = await this.registry.getListing(listingId);
    if (pricePerCall > maxPricePerCall) throw new PriceAboveCapError(listingId, pricePerCall, maxPricePerCall);
    const cost = pricePerCall * calls;
    await this.approveExactly(await this.registry.getAddress(), cost);
    const to = beneficiary ?? (await this.options.signer.getAddress());
    const receipt = await (await this.registry.purchase(listingId, calls, to, maxPricePerCall)).wait();
    return { cost, txHash: receipt!.hash };
  }

  private async modelHashOf(listingId: bigint): Promise<string> {
    const key = listingId.toString();
    let hash = this.modelHashes.get(key);
    if (hash === undefined) {
      hash = (await this.registry.getListing(listingId)).modelHash;
      this.modelHashes.set(key, hash); // a listing's model hash never changes
    }
    return hash;
  }

  /**
   * Checks `wire`, the receipt of the call of `caller` with `nonce` that sent `input` and got `output`: it must be
   * well-formed, signed by the listing's current serving key on-chain, and match the call field by field (its date
   * within 300 s of this clock). Returns the receipt; throws {@link ReceiptRefusedError} otherwise.
   */
  async verifyReceipt(
    listingId: bigint,
    wire: unknown,
    call: { caller: string; nonce: bigint; input: Uint8Array; output: Uint8Array },
  ): Promise<{ receipt: InferenceReceipt; signature: Hex }> {
    if (wire === undefined || wire === null) {
      throw new ReceiptRefusedError(
        "missing",
        `listing ${listingId} answered without a receipt: the answer is refused`,
      );
    }
    let parsed: { receipt: InferenceReceipt; signature: Hex };
    try {
      parsed = receiptFromWire(wire);
    } catch (error) {
      throw new ReceiptRefusedError(
        "malformed",
        `listing ${listingId}'s receipt is malformed: ${(error as Error).message}`,
      );
    }
    const [servingKey, modelHash] = await Promise.all([
      this.registry.servingKeyOf(listingId),
      this.modelHashOf(listingId),
    ]);
    let signer: string;
    try {
      signer = recoverReceiptSigner(this.domain as TypedDataDomain, parsed.receipt, parsed.signature);
    } catch (error) {
      throw new ReceiptRefusedError(
        "malformed",
        `listing ${listingId}'s receipt signature does not parse: ${(error as Error).message}`,
      );
    }
    if (signer.toLowerCase() !== servingKey.toLowerCase()) {
      throw new ReceiptRefusedError(
        "wrong_signer",
        `listing ${listingId}'s receipt is signed by ${signer}, not by its serving key ${servingKey}`,
      );
    }
    const why = receiptMismatch(parsed.receipt, {
      listingId,
      modelHash,
      caller: call.caller,
      nonce: call.nonce,
      input: call.input,
      output: call.output,
      now: this.options.chainNow?.() ?? this.now(),
    });
    if (why !== undefined) throw new ReceiptRefusedError("mismatch", `listing ${listingId}: ${why}`);
    return parsed;
  }

  /**
   * Sends `inputs` (float32 values, the task's input size each) to `listingId` as one paid batch and returns the
   * outputs with their receipt, once the receipt is checked and kept. `endpoint` defaults to the listing's endpoint
   * on-chain.
   */
  async infer(listingId: bigint, inputs: Float32Array, options: { endpoint?: string } = {}): Promise<Answer> {
    const endpoint = options.endpoint ?? (await this.registry.getListing(listingId)).endpointURI;
    const auth = await signInferenceRequest(this.options.signer, this.domain as TypedDataDomain, listingId, {
      ttlSeconds: this.options.ttlSeconds ?? 120,
      now: this.now(),
    });
    let response: Response;
    try {
      response = await fetch(endpoint, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ auth, inputsF32: f32ToBase64(inputs) }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
    } catch (error) {
      throw new ProviderAnswerError(0, "unreachable", `provider ${endpoint} unreachable: ${(error as Error).message}`);
    }
    const text = await response.text();
    let body: { outputsF32?: unknown; receipt?: unknown; error?: { code?: string; message?: string } };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new ProviderAnswerError(
        response.status,
        "bad_answer",
        `provider ${endpoint} answered non-JSON: ${text.slice(0, 200)}`,
      );
    }
    if (!response.ok) {
      throw new ProviderAnswerError(
        response.status,
        body.error?.code ?? "error",
        `provider ${endpoint} refused (${response.status}): ${body.error?.message ?? text.slice(0, 200)}`,
      );
    }
    const outputs = typeof body.outputsF32 === "string" ? base64ToF32(body.outputsF32) : undefined;
    if (outputs === undefined)
      throw new ProviderAnswerError(response.status, "bad_answer", `provider ${endpoint} sent no outputsF32`);
    const input = f32ToBytes(inputs);
    const output = f32ToBytes(outputs);
    const { receipt, signature } = await this.verifyReceipt(listingId, body.receipt, {
      caller: auth.caller,
      nonce: BigInt(auth.nonce),
      input,
      output,
    });
    const stored: StoredReceipt = {
      receipt: receiptToWire(receipt, signature),
      digest: receiptDigest(this.domain, receipt),
      inputURI: toEvidenceURI(input),
      outputURI: toEvidenceURI(output),
      endpoint,
    };
    await this.store.put(stored);
    const audited = this.maybeAudit(stored);
    return { outputs, receipt, signature, stored, audited };
  }

  /** Forwards `stored` to the audit endpoints with probability `share`; true when it did. */
  private maybeAudit(stored: StoredReceipt): boolean {
    const audit = this.options.audit;
    const share = audit?.share ?? DEFAULT_AUDIT_SHARE;
    if (audit === undefined || audit.urls.length === 0 || share === 0) return false;
    // randomInt's range is at most 2^48 - 1 wide (a wider one throws): a uniform draw in [0, 1).
    const draw = audit.random?.() ?? randomInt(0, 2 ** 48 - 1) / 2 ** 48;
    if (draw >= share) return false;
    const body = JSON.stringify({ receipt: stored.receipt, inputURI: stored.inputURI, outputURI: stored.outputURI });
    const sent = Promise.all(
      audit.urls.map(async (url): Promise<AuditResult> => {
        try {
          const response = await fetch(url, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body,
            signal: AbortSignal.timeout(audit.timeoutMs ?? 10_000),
          });
          await response.arrayBuffer();
          return { url, digest: stored.digest, ok: response.ok, status: response.status };
        } catch (error) {
          return { url, digest: stored.digest, ok: false, error: (error as Error).message };
        }
      }),
    );
    this.pending.add(sent);
    void sent.then((results) => {
      this.pending.delete(sent);
      this.finished.push(...results);
    });
    return true;
  }

  /** Waits for the audits in flight; returns every audit result since the last flush. */
  async flushAudits(): Promise<AuditResult[]> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
    return this.finished.splice(0);
  }

  /**
   * Files `receipt` as a fraud proof: publishes `input` and `output` (the bytes behind its hashes) as data: URIs,
   * approves exactly `bond` plus the court's arbitration cost, and calls ListingChallenges.fileFraudProof. Returns the
   * dispute id. Throws {@link FraudProofError} before sending anything when the bytes are not the receipt's or too
   * large to publish inline (in raw or palette form: toEvidenceURI).
   */
  async fileFraudProof(
    receipt: InferenceReceipt,
    signature: string,
    input: Uint8Array,
    output: Uint8Array,
    bond: bigint,
  ): Promise<{ disputeId: bigint; cost: bigint; txHash: string }> {
    if (dataHash(input) !== receipt.inputHash.toLowerCase())
      throw new FraudProofError("the input is not the receipt's (inputHash differs)");
    if (dataHash(output) !== receipt.outputHash.toLowerCase())
      throw new FraudProofError("the output is not the receipt's (outputHash differs)");
    const inputURI = toEvidenceURI(input);
    const outputURI = toEvidenceURI(output);
    const address = await this.challenges.getAddress();
    const maxLength = await ListingChallenges__factory.connect(address, this.options.signer).MAX_DATA_URI_LENGTH();
    for (const [name, uri] of [
      ["input", inputURI],
      ["output", outputURI],
    ] as const) {
      if (BigInt(uri.length) > maxLength) {
        throw new FraudProofError(
          `the ${name} as a data: URI is ${uri.length} characters, over the ${maxLength} ListingChallenges takes: ` +
            "send smaller batches to calls you may want to prove, with inputs on the task's 8-bit grid " +
            "(canonicalInputs: then they publish in palette form)",
        );
      }
    }
    const cost = await this.challenges.challengeCost(bond);
    await this.approveExactly(address, cost);
    const tx = await this.challenges.fileFraudProof(receipt, signature, bond, inputURI, outputURI);
    const mined = await tx.wait();
    for (const log of mined!.logs) {
      try {
        const parsed = this.challenges.interface.parseLog(log);
        if (parsed?.name === "FraudProofFiled")
          return { disputeId: parsed.args.disputeId as bigint, cost, txHash: mined!.hash };
      } catch {
        // another contract's log
      }
    }
    throw new Error(`fileFraudProof mined in ${mined!.hash} without a FraudProofFiled event`);
  }

  /**
   * Records a receipt on-chain without a bond or a dispute (ListingChallenges.recordReceipt): its age stops counting
   * now. For when {@link fileFraudProof} cannot be filed because the listing is already under a challenge (the
   * provider's sybil may have opened one to run out the receipt's time): file it once that dispute ends.
   */
  async recordReceipt(receipt: InferenceReceipt, signature: string): Promise<{ firstFiledAt: bigint }> {
    await (await this.challenges.recordReceipt(receipt, signature)).wait();
    return { firstFiledAt: await this.challenges.receiptFirstFiledAt(receiptDigest(this.domain, receipt)) };
  }

  /** {@link fileFraudProof} for a receipt this client kept. */
  async fileStoredFraudProof(
    stored: StoredReceipt,
    bond: bigint,
  ): Promise<{ disputeId: bigint; cost: bigint; txHash: string }> {
    const { receipt, signature } = receiptFromWire(stored.receipt);
    const input = fromDataURI(stored.inputURI);
    const output = fromDataURI(stored.outputURI);
    if (input === undefined || output === undefined)
      throw new FraudProofError(`receipt ${stored.digest} has unreadable data: URIs`);
    return this.fileFraudProof(receipt, signature, input, output, bond);
  }
}
