// The validator as a fisherman: it files on-chain, with its own bond, the receipts of wrong answers it holds. A
// consumer's audited answer (audits.ts) or one of its own probes (client.ts) whose re-execution on the listing's
// declared model is outside the task's tolerance (fraud.ts) is a fraud proof anyone may file
// (ListingChallenges.fileFraudProof); the consumer who forwarded it need not do anything.
//
// A filer stakes a bond on its verdict (an answer within tolerance costs it), so it files only what the validators'
// own rule calls fraud, and only a receipt the contract takes: signed by a serving key of the listing when it was
// served (signedInKeyPeriod), of the listing's model, not from the future, within the escrow period. It files a receipt
// once: not when it was already filed with the same publication (by anyone), or by itself (FraudProofFiled),
// and at most one dispute per listing at a time. While the listing is under someone else's challenge, it records the
// receipt on-chain (its age stops counting) and files once that dispute is over.
//
// Every candidate is written to <state dir>/filings/<receiptDigest>.json, with the receipt and the published input and
// output as data: URIs, before any transaction; a failed attempt stays there and is retried with backoff.
import { existsSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { Provider, Signer } from "ethers";
import {
  ListingStatus,
  ListingStatusNames,
  enumName,
  fromDataURI,
  inferenceDomain,
  receiptDigest,
  receiptFromWire,
  toEvidenceURI,
  type InferenceDomain,
  type SignedReceiptWire,
} from "@curia/protocol";
import { CuriaClient, FraudProofError, ListingChallenges__factory } from "@curia/protocol/ethers";
import type { AuditRecord } from "./audits.js";
import type { CuriaAddresses, CuriaContracts } from "./chain.js";
import type { ReceivedAnswer } from "./client.js";
import { judgeAnswer, type AnswerVerdict } from "./fraud.js";
import type { Logger } from "./log.js";
import type { ValidatorMetrics } from "./metrics.js";
import { ReceiptRejectedError, checkReceiptSigner, listingKeysOf, type PublicationOptions } from "./receipts.js";
import { writeDurably } from "./state.js";
import type { Verifier } from "./verify.js";

/** Where a candidate came from: a consumer's audited call, or one of this validator's probes. */
export type FilingSource = "audit" | "probe";

/**
 * One receipt this validator judged fraudulent, on disk.
 * - pending: to file (or waiting: `waiting` says for what); retried from `retryAt`.
 * - filed: a FraudProofFiled event carries it (`disputeId`, by `filer`: this validator, or someone first).
 * - closed: never to be filed (`reason`: the contract would refuse it, or the listing is gone).
 */
export interface FilingRecord {
  receiptDigest: string;
  listingId: string;
  source: FilingSource;
  receipt: SignedReceiptWire;
  /** data: URIs of the exact bytes the receipt hashes: what the fraud proof publishes. */
  inputURI: string;
  outputURI: string;
  verdict: { outcome: string; reason: string; maxDeviation: number | string | null; inputs: number };
  /** Unix ms. */
  queuedAt: number;
  status: "pending" | "filed" | "closed";
  /** Transactions sent to file it (a crash after sending is found by the event on the next attempt). */
  attempts: number;
  /** Failed or deferred attempts in a row (the retry backoff). */
  failures?: number;
  retryAt?: number;
  lastError?: string;
  waiting?: string;
  /** The recordReceipt transaction sent while another challenge held the listing. */
  recordTx?: string;
  disputeId?: string;
  filer?: string;
  txHash?: string;
  bond?: string;
  cost?: string;
  reason?: string;
}

export interface FilerOptions {
  wallet: Signer;
  addresses: CuriaAddresses;
  /** Connected with `wallet`. */
  contracts: CuriaContracts;
  /** The validator's state dir: records go to `filings/` in it. */
  stateDir: string;
  verifier: Verifier;
  publication: PublicationOptions;
  log: Logger;
  metrics?: ValidatorMetrics;
  /** Bond per fraud proof, CUR wei (undefined: the governed minimum, ListingChallenges' minChallengeBond). */
  bond?: bigint;
  /** Where the latest block's timestamp is read. */
  provider: Provider;
  /** The chain's clock, unix seconds (a ChainClock: the next block's date on a chain that mines only on demand). */
  chainNow?: () => number;
  /** First retry delay after a failed or deferred attempt (doubling, at most 5 minutes). Default 1 s. */
  retryBaseMs?: number;
}

/** An attempt that must wait (the listing is under a challenge, the receipt is dated ahead of the chain). */
class FilingDeferred extends Error {}

/** An attempt that will never succeed: the record is closed with this reason. */
class FilingRefused extends Error {}

const MAX_RETRY_MS = 5 * 60_000;
const MAX_JUDGE_TRIES = 5;

/** An answer waiting to be judged. */
interface QueuedAnswer {
  source: FilingSource;
  receipt: SignedReceiptWire;
  inputURI: string;
  outputURI: string;
  tries?: number;
}

/** Whether two publication URIs carry the same bytes (data: URIs compared by content, any other by text). */
function samePublication(a: string, b: string): boolean {
  if (a === b) return true;
  const [x, y] = [fromDataURI(a), fromDataURI(b)];
  return x !== undefined && y !== undefined && x.length === y.length && x.every((byte, i) => byte === y[i]);
}

/** A verdict as JSON (no Infinity in JSON). */
function verdictJson(v: AnswerVerdict): FilingRecord["verdict"] {
  return {
    outcome: v.outcome,
    reason: v.reason,
    maxDeviation: v.maxDeviation === null || Number.isFinite(v.maxDeviation) ? v.maxDeviation : "Infinity",
    inputs: v.inputs,
  };
}

export class FraudProofFiler {
  readonly dir: string;
  private readonly domain: InferenceDomain;
  private readonly client: CuriaClient;
  private readonly address: Promise<string>;
  /** Answers to judge before the next filing pass (audits as they arrive, this validator's probe answers). */
  private readonly toJudge: QueuedAnswer[] = [];
  /** Digests judged by this process (a receipt is judged once). */
  private readonly judged = new Set<string>();
  private maxDataURILength: bigint | undefined;
  private readonly tooLargeLogged = new Set<string>();

  constructor(private readonly options: FilerOptions) {
    this.dir = join(options.stateDir, "filings");
    mkdirSync(this.dir, { recursive: true });
    this.domain = inferenceDomain(options.addresses.chainId, options.addresses.registry);
    this.client = new CuriaClient({
      signer: options.wallet,
      chainId: options.addresses.chainId,
      registry: options.addresses.registry,
      challenges: options.addresses.challenges,
    });
    this.address = options.wallet.getAddress();
  }

  private path(digest: string): string {
    return join(this.dir, `${digest.toLowerCase()}.json`);
  }

  /** Whether this process judged the receipt `digest` (fraudulent or not). */
  isJudged(digest: string): boolean {
    return this.judged.has(digest.toLowerCase());
  }

  get(digest: string): FilingRecord | undefined {
    const path = this.path(digest);
    return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as FilingRecord) : undefined;
  }

  all(): FilingRecord[] {
    return readdirSync(this.dir)
      .filter((f) => /^0x[0-9a-f]{64}\.json$/.test(f))
      .map((f) => JSON.parse(readFileSync(join(this.dir, f), "utf8")) as FilingRecord);
  }

  private put(record: FilingRecord): void {
    writeDurably(this.path(record.receiptDigest), JSON.stringify(record, null, 2) + "\n");
  }

  /** An audit the audit server just stored: judged on the next pass, without waiting for a round. */
  queueAudit(audit: AuditRecord): void {
    this.toJudge.push({
      source: "audit",
      receipt: audit.receipt,
      inputURI: audit.inputURI,
      outputURI: audit.outputURI,
    });
  }

  /** One of this validator's probe answers (its receipt checked by the client): judged on the next pass. */
  queueProbe(answer: ReceivedAnswer): void {
    this.toJudge.push({
      source: "probe",
      receipt: answer.receiptWire,
      inputURI: toEvidenceURI(answer.input),
      outputURI: toEvidenceURI(answer.output),
    });
  }

  /**
   * Takes a judged answer: a fraudulent one becomes a pending record on disk (unless one exists for its receipt);
   * anything else is never filed. Returns the record, or undefined when there is nothing to file.
   */
  consider(
    answer: { receipt: SignedReceiptWire; inputURI: string; outputURI: string },
    verdict: AnswerVerdict,
    source: FilingSource,
  ): FilingRecord | undefined {
    const { receipt } = receiptFromWire(answer.receipt);
    const digest = receiptDigest(this.domain, receipt);
    this.judged.add(digest);
    // The filer's bond is lost on an answer within tolerance: only the validators' own "fraud" is filed.
    if (verdict.outcome !== "fraud") return undefined;
    const existing = this.get(digest);
    if (existing !== undefined) return existing;
    const record: FilingRecord = {
      receiptDigest: digest,
      listingId: receipt.listingId.toString(),
      source,
      receipt: answer.receipt,
      inputURI: answer.inputURI,
      outputURI: answer.outputURI,
      verdict: verdictJson(verdict),
      queuedAt: Date.now(),
      status: "pending",
      attempts: 0,
    };
    this.put(record); // the evidence is on disk before any transaction
    this.options.log.info("fraud proof queued", {
      listing: receipt.listingId,
      receipt: digest,
      source,
      reason: verdict.reason,
    });
    return record;
  }

  /** One pass: judge what arrived, then try every pending record that is due (one per listing). */
  async tick(): Promise<void> {
    await this.judgeQueued();
    const now = Date.now();
    const pending = this.all()
      .filter((r) => r.status === "pending" && (r.retryAt ?? 0) <= now)
      .sort((a, b) => a.queuedAt - b.queuedAt);
    const tried = new Set<string>();
    for (const record of pending) {
      if (tried.has(record.listingId)) continue; // one dispute per listing at a time
      tried.add(record.listingId);
      await this.attempt(record);
    }
  }

  private async dataURILimit(): Promise<bigint> {
    this.maxDataURILength ??= await ListingChallenges__factory.connect(
      this.options.addresses.challenges,
      this.options.wallet,
    ).MAX_DATA_URI_LENGTH();
    return this.maxDataURILength;
  }

  private async judgeQueued(): Promise<void> {
    const queue = this.toJudge.splice(0);
    for (const [at, answer] of queue.entries()) {
      try {
        await this.judgeOne(answer);
      } catch (error) {
        // The chain or the model could not be read: judged again on a later pass, given up after a few (an audit
        // stays on disk and is judged again if a round scores it).
        answer.tries = (answer.tries ?? 0) + 1;
        this.options.metrics?.errors.inc({ stage: "judge-for-fraud-proof" });
        this.options.log.warn("judging an answer for a fraud proof failed", {
          source: answer.source,
          listing: answer.receipt.listingId,
          tries: answer.tries,
          reason: (error as Error).message,
        });
        const rest = queue.slice(at + 1);
        this.toJudge.unshift(...(answer.tries < MAX_JUDGE_TRIES ? [answer] : []), ...rest);
        return;
      }
    }
  }

  private async judgeOne(answer: QueuedAnswer): Promise<void> {
    const { receipt } = receiptFromWire(answer.receipt);
    const digest = receiptDigest(this.domain, receipt);
    if (this.judged.has(digest) || this.get(digest) !== undefined) return;
    const limit = await this.dataURILimit();
    const longest = Math.max(answer.inputURI.length, answer.outputURI.length);
    if (BigInt(longest) > limit) {
      // ListingChallenges takes inline publications up to this size; the round's score still counts the answer.
      if (!this.tooLargeLogged.has(receipt.listingId.toString())) {
        this.tooLargeLogged.add(receipt.listingId.toString());
        this.options.log.info("answers too large to file inline as a fraud proof: not judged for filing", {
          listing: receipt.listingId,
          source: answer.source,
          dataURIChars: longest,
          max: limit,
        });
      }
      this.judged.add(digest);
      return;
    }
    const listing = await this.options.contracts.registry.getListing(receipt.listingId);
    const verdict = await judgeAnswer(
      { receipt, inputURI: answer.inputURI, outputURI: answer.outputURI },
      { listingId: receipt.listingId, modelHash: listing.modelHash, metadataURI: listing.metadataURI },
      this.options.verifier,
      this.options.publication,
      await this.options.verifier.taskOf({ listingId: receipt.listingId, metadataURI: listing.metadataURI }),
    );
    this.consider(answer, verdict, answer.source);
  }

  private update(record: FilingRecord, change: Partial<FilingRecord>): FilingRecord {
    const next = { ...record, ...change };
    this.put(next);
    return next;
  }

  private backoff(failures: number): number {
    return Date.now() + Math.min(MAX_RETRY_MS, (this.options.retryBaseMs ?? 1000) * 2 ** Math.max(0, failures - 1));
  }

  private async attempt(record: FilingRecord): Promise<void> {
    const fields = { listing: record.listingId, receipt: record.receiptDigest };
    try {
      const filed = await this.file(record);
      if (filed.byUs) {
        this.options.metrics?.fraudProofs.inc({ outcome: "filed" });
        this.options.log.info("filed a fraud proof", {
          ...fields,
          dispute: filed.dispute,
          bond: filed.bond,
          tx: filed.tx,
        });
      } else {
        this.options.metrics?.fraudProofs.inc({ outcome: "filed-by-another" });
        this.options.log.info("fraud proof already filed by another", {
          ...fields,
          dispute: filed.dispute,
          filer: filed.filer,
        });
      }
    } catch (error) {
      const latest = this.get(record.receiptDigest) ?? record;
      const failures = (latest.failures ?? 0) + 1;
      if (error instanceof FilingRefused) {
        this.update(latest, { status: "closed", reason: error.message, retryAt: undefined, waiting: undefined });
        this.options.metrics?.fraudProofs.inc({ outcome: "refused" });
        this.options.log.info("fraud proof not filed", { ...fields, reason: error.message });
      } else if (error instanceof FilingDeferred) {
        this.update(latest, { waiting: error.message, failures, retryAt: this.backoff(failures) });
        if (latest.waiting !== error.message)
          this.options.log.info("fraud proof waiting", { ...fields, reason: error.message });
      } else {
        this.update(latest, { lastError: (error as Error).message, failures, retryAt: this.backoff(failures) });
        this.options.metrics?.errors.inc({ stage: "file-fraud-proof" });
        this.options.log.warn("filing a fraud proof failed, will retry", {
          ...fields,
          failures,
          reason: (error as Error).message,
        });
      }
    }
  }

  /**
   * The FraudProofFiled event carrying `record`'s receipt that stands for this validator's proof: its own, or one that
   * published the same input and output. ListingChallenges does not check a publication against the receipt, so a
   * cheater's sybil can file its own wrong receipt with bytes that hash to nothing, lose on purpose (60 % of its bond
   * comes back to the cheater as the winner) and, were any filing of the digest taken for ours, keep the validator
   * from ever filing the real proof. Such a filing only pins the receipt's age; ours is filed once the listing is free.
   */
  private async filedEvent(listingId: bigint, record: FilingRecord, me: string) {
    const { challenges } = this.options.contracts;
    const events = await challenges.queryFilter(
      challenges.filters.FraudProofFiled(undefined, listingId),
      this.options.addresses.challengesStartBlock,
    );
    return events.find(
      (e) =>
        e.args.receiptDigest.toLowerCase() === record.receiptDigest.toLowerCase() &&
        (e.args.filer.toLowerCase() === me.toLowerCase() ||
          (samePublication(e.args.inputURI, record.inputURI) && samePublication(e.args.outputURI, record.outputURI))),
    );
  }

  /** Checks `record` as ListingChallenges would, then files it. Throws FilingRefused / FilingDeferred / an error. */
  private async file(
    record: FilingRecord,
  ): Promise<{ byUs: boolean; dispute: bigint; filer: string; bond?: bigint; tx: string }> {
    const { registry, challenges, token } = this.options.contracts;
    const { receipt, signature } = receiptFromWire(record.receipt);
    const digest = receiptDigest(this.domain, receipt);
    const me = await this.address;

    // Filed already (by anyone, or by this validator before a crash): never twice.
    const firstFiledAt = await challenges.receiptFirstFiledAt(digest);
    if (firstFiledAt !== 0n) {
      const event = await this.filedEvent(receipt.listingId, record, me);
      if (event !== undefined) {
        const { disputeId, filer } = event.args;
        this.update(record, {
          status: "filed",
          disputeId: disputeId.toString(),
          filer,
          txHash: event.transactionHash,
          retryAt: undefined,
          waiting: undefined,
        });
        const byUs = filer.toLowerCase() === me.toLowerCase();
        return { byUs, dispute: disputeId, filer, tx: event.transactionHash };
      }
    }

    // What ListingChallenges checks, off-chain first: a refused receipt would only cost gas, a wrong one the bond.
    const listing = await registry.getListing(receipt.listingId);
    if (receipt.modelHash.toLowerCase() !== listing.modelHash.toLowerCase())
      throw new FilingRefused(`the receipt names model ${receipt.modelHash}, not the listing's ${listing.modelHash}`);
    try {
      await checkReceiptSigner(this.domain, listingKeysOf(registry), receipt, signature);
    } catch (error) {
      if (error instanceof ReceiptRejectedError) throw new FilingRefused(`invalid receipt: ${error.message}`);
      throw error;
    }
    // ListingChallenges refuses a receipt dated after the block that files it: the next block is dated after the
    // latest, and near the chain's clock.
    const latest = await this.options.provider.getBlock("latest");
    if (latest === null) throw new Error("the chain has no latest block");
    const now = BigInt(Math.max(latest.timestamp, this.options.chainNow?.() ?? 0));
    if (receipt.servedAt > now)
      throw new FilingDeferred(`the receipt is dated ${receipt.servedAt - now} s ahead of the chain`);
    const { earningsEscrowPeriod } = await registry.parameters();
    const ageFrom = firstFiledAt !== 0n ? firstFiledAt : now;
    if (receipt.servedAt + earningsEscrowPeriod < ageFrom) {
      throw new FilingRefused(
        `the receipt is older than the escrow period (${earningsEscrowPeriod} s) ListingChallenges takes`,
      );
    }

    const status = Number(await registry.statusOf(receipt.listingId));
    if (status === ListingStatus.Challenged) {
      const dispute = listing.activeDisputeId;
      const ours = this.all().some(
        (r) => r.disputeId === dispute.toString() && r.filer?.toLowerCase() === me.toLowerCase(),
      );
      if (!ours && firstFiledAt === 0n) {
        // Someone else's challenge (perhaps the provider's own sybil, to run out the receipt's time): the receipt's
        // age stops counting now, and it is filed once that dispute is over.
        const tx = await challenges.recordReceipt(receipt, signature);
        await tx.wait();
        this.update(record, { recordTx: tx.hash });
        this.options.log.info("recorded a receipt on-chain while the listing is under challenge", {
          listing: receipt.listingId,
          receipt: digest,
          dispute,
          tx: tx.hash,
        });
      }
      throw new FilingDeferred(`listing ${receipt.listingId} is under challenge (dispute ${dispute})`);
    }
    if (status !== ListingStatus.Pending && status !== ListingStatus.Active) {
      throw new FilingRefused(
        `listing ${receipt.listingId} is ${enumName(ListingStatusNames, status)}: it can no longer be challenged`,
      );
    }

    const { minChallengeBond } = await challenges.parameters();
    const bond = this.options.bond ?? minChallengeBond;
    if (bond < minChallengeBond)
      throw new Error(
        `the configured fraud-proof bond ${bond} is below ListingChallenges' minimum ${minChallengeBond}`,
      );
    const cost = await challenges.challengeCost(bond);
    const balance = await token.balanceOf(me);
    if (balance < cost) throw new Error(`${me} holds ${balance} CUR wei; a fraud proof costs ${cost} (bond and fee)`);

    const input = fromDataURI(record.inputURI);
    const output = fromDataURI(record.outputURI);
    if (input === undefined || output === undefined) throw new FilingRefused("the record's data: URIs are unreadable");
    this.update(record, { attempts: record.attempts + 1, lastError: undefined, waiting: undefined });
    let result;
    try {
      // Approves exactly bond + fee, then files; the FraudProofFiled event names the dispute.
      result = await this.client.fileFraudProof(receipt, signature, input, output, bond);
    } catch (error) {
      if (error instanceof FraudProofError) throw new FilingRefused(error.message);
      throw error;
    }
    this.update(this.get(digest) ?? record, {
      status: "filed",
      disputeId: result.disputeId.toString(),
      filer: me,
      txHash: result.txHash,
      bond: bond.toString(),
      cost: result.cost.toString(),
      retryAt: undefined,
    });
    return { byUs: true, dispute: result.disputeId, filer: me, bond, tx: result.txHash };
  }
}
