// The canary operator (issue 18, planted errors): lists canary listings from a canary provider key, serving a model
// whose true score it measured (the sample provider's degraded mode), commits one root over every listing's leaf before
// rounds open (canaries' truths among random decoys: ICanaryAudits), watches for finalized rounds on its canaries and
// audits them with the canary provider's signature. Everything it needs to audit later (salts, leaves, epochs, the
// rounds done) is written to its state file before the transaction that depends on it, so a restart loses nothing.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { getBytes, hexlify, randomBytes, type Signer } from "ethers";
import { canaryClaimDigest, canaryCommitment, canaryTree, RoundPhase } from "@curia/protocol";
import {
  CuriaToken__factory,
  ICanaryAudits__factory,
  IListingRegistry__factory,
  IValidationManager__factory,
  type ICanaryAudits,
  type IListingRegistry,
  type IValidationManager,
} from "@curia/protocol/ethers";

/** Decoy positions committed past the newest listing, so a canary listed just after a root is not the root's edge. */
export const DECOYS_AHEAD = 16n;

interface StoredRoot {
  /** The root's index on chain; undefined while its commit is in flight (adopted on restart if it landed). */
  epoch?: string;
  root: string;
  /** Every leaf under the root, by listing id (canaries' and decoys'). */
  leaves: Record<string, string>;
  /** The canaries' truths under this root: what an audit reveals. */
  canaries: Record<string, { trueScoreBps: number; salt: string }>;
}

interface OperatorState {
  /** Canary listings and their measured true scores. */
  canaries: Record<string, { trueScoreBps: number }>;
  roots: StoredRoot[];
  /** Rounds already audited (or found unauditable), so they are not retried. */
  done: string[];
  /** The last round id whose listing was read. */
  scannedRounds: string;
}

export class CanaryStateError extends Error {}

/** The operator's state file: JSON, written atomically (temp file + rename). */
export class CanaryStateStore {
  state: OperatorState;
  constructor(readonly path: string) {
    if (existsSync(path)) {
      try {
        this.state = JSON.parse(readFileSync(path, "utf8")) as OperatorState;
      } catch (e) {
        throw new CanaryStateError(`canary state file ${path} is not valid JSON: ${(e as Error).message}`);
      }
    } else this.state = { canaries: {}, roots: [], done: [], scannedRounds: "0" };
  }
  save(): void {
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.state, null, 2));
    renameSync(tmp, this.path);
  }
}

export interface CanaryOperatorOptions {
  /** The operator key (CanaryAudits' operator): commits roots and audits. */
  operator: Signer;
  /** The canary provider key: lists the canaries and signs each audit's claim. */
  canaryProvider: Signer;
  addresses: { canaryAudits: string; registry: string; validation: string; token: string };
  statePath: string;
  chainId: bigint;
  log?: (line: string) => void;
}

export interface AuditOutcome {
  roundId: bigint;
  listingId: bigint;
  txHash: string;
}

export class CanaryOperator {
  readonly store: CanaryStateStore;
  private readonly canary: ICanaryAudits;
  private readonly registry: IListingRegistry;
  private readonly validation: IValidationManager;
  private readonly log: (line: string) => void;

  constructor(private readonly options: CanaryOperatorOptions) {
    this.store = new CanaryStateStore(options.statePath);
    this.canary = ICanaryAudits__factory.connect(options.addresses.canaryAudits, options.operator);
    this.registry = IListingRegistry__factory.connect(options.addresses.registry, options.canaryProvider);
    this.validation = IValidationManager__factory.connect(options.addresses.validation, options.operator);
    this.log = options.log ?? (() => {});
  }

  /** Checks that the operator key is CanaryAudits' operator (a clear error instead of reverted commits later). */
  async checkOperator(): Promise<void> {
    const expected = await this.canary.operator();
    const mine = await this.options.operator.getAddress();
    if (expected.toLowerCase() !== mine.toLowerCase()) {
      throw new CanaryStateError(`the operator key ${mine} is not CanaryAudits' operator (${expected})`);
    }
  }

  /** Lists a canary from the canary provider key (bond approved here) and records its true score. */
  async listCanary(args: {
    modelHash: string;
    metadataURI: string;
    endpoint: string;
    price: bigint;
    trueScoreBps: number;
    bond?: bigint;
  }): Promise<bigint> {
    if (!Number.isInteger(args.trueScoreBps) || args.trueScoreBps < 0 || args.trueScoreBps > 10_000) {
      throw new CanaryStateError(`true score ${args.trueScoreBps} is not an integer from 0 to 10,000 bps`);
    }
    const bond = args.bond ?? (await this.registry.requiredBond(args.modelHash));
    const token = CuriaToken__factory.connect(this.options.addresses.token, this.options.canaryProvider);
    await (await token.approve(this.options.addresses.registry, bond)).wait();
    const tx = await this.registry.createListing(args.modelHash, args.metadataURI, args.endpoint, args.price, bond);
    await tx.wait();
    const listingId = await this.registry.listingCount();
    this.store.state.canaries[listingId.toString()] = { trueScoreBps: args.trueScoreBps };
    this.store.save();
    this.log(`listed canary ${listingId} (true score ${args.trueScoreBps} bps)`);
    return listingId;
  }

  /** Records a canary listed elsewhere (its provider key must be this canary provider's). */
  adoptCanary(listingId: bigint, trueScoreBps: number): void {
    this.store.state.canaries[listingId.toString()] = { trueScoreBps };
    this.store.save();
  }

  /**
   * Commits a new root: every listing id from 1 to the newest + {@link DECOYS_AHEAD} gets a leaf (the canaries' truth
   * with a fresh salt, random bytes for the rest). The root is saved before it is sent; a root in flight at a crash is
   * adopted on restart if it landed ({@link resume}).
   */
  async commitRoot(): Promise<bigint> {
    await this.resume();
    const last = (await this.registry.listingCount()) + DECOYS_AHEAD;
    const leaves: Record<string, string> = {};
    const canaries: StoredRoot["canaries"] = {};
    for (let id = 1n; id <= last; id++) leaves[id.toString()] = hexlify(randomBytes(32));
    for (const [id, { trueScoreBps }] of Object.entries(this.store.state.canaries)) {
      const salt = hexlify(randomBytes(32));
      canaries[id] = { trueScoreBps, salt };
      leaves[id] = canaryCommitment(BigInt(id), trueScoreBps, salt);
    }
    const tree = canaryTree(new Map(Object.entries(leaves).map(([id, leaf]) => [BigInt(id), leaf])));
    this.store.state.roots.push({ root: tree.root, leaves, canaries });
    this.store.save();
    const receipt = await (await this.canary.commitRoot(tree.root)).wait();
    const epoch = (await this.canary.rootCount()) - 1n;
    this.store.state.roots[this.store.state.roots.length - 1]!.epoch = epoch.toString();
    this.store.save();
    this.log(`committed root ${epoch} over ${last} listings (tx ${receipt?.hash})`);
    return epoch;
  }

  /** Whether a canary has no leaf in the newest root (listed since): commit one before its rounds open. */
  needsRoot(): boolean {
    const newest = this.store.state.roots.at(-1);
    return Object.keys(this.store.state.canaries).some((id) => newest?.canaries[id] === undefined);
  }

  /** Gives a root that was in flight at a crash its epoch if it landed on chain, drops it otherwise. */
  async resume(): Promise<void> {
    const roots = this.store.state.roots;
    const pending = roots.filter((r) => r.epoch === undefined);
    if (pending.length === 0) return;
    const count = await this.canary.rootCount();
    const known = new Set(roots.filter((r) => r.epoch !== undefined).map((r) => r.epoch));
    for (let e = 0n; e < count; e++) {
      if (known.has(e.toString())) continue;
      const [root] = await this.canary.rootAt(e);
      const match = pending.find((r) => r.root === root && r.epoch === undefined);
      if (match !== undefined) match.epoch = e.toString();
    }
    this.store.state.roots = roots.filter((r) => r.epoch !== undefined);
    this.store.save();
  }

  /** Audits every finalized, unaudited round of a canary still within its deadline. */
  async auditFinalized(): Promise<AuditOutcome[]> {
    await this.resume();
    const state = this.store.state;
    const count = await this.validation.roundCount();
    const outcomes: AuditOutcome[] = [];
    const candidates: bigint[] = [];
    // Rounds of canaries seen before and not done yet, then the rounds opened since the last scan.
    for (let r = 1n; r <= BigInt(state.scannedRounds); r++) {
      if (!state.done.includes(r.toString()) && (await this.isCanaryRound(r))) candidates.push(r);
    }
    for (let r = BigInt(state.scannedRounds) + 1n; r <= count; r++) {
      if (await this.isCanaryRound(r)) candidates.push(r);
    }
    state.scannedRounds = count.toString();
    this.store.save();
    const now = BigInt((await this.options.operator.provider!.getBlock("latest"))!.timestamp);
    for (const roundId of candidates) {
      const phase = await this.validation.phaseOf(roundId);
      if (phase === BigInt(RoundPhase.Cancelled)) {
        this.markDone(roundId);
        continue;
      }
      if (phase !== BigInt(RoundPhase.Finalized)) continue;
      if (
        (await this.canary.auditedBy(roundId)) !== "0x" + "00".repeat(32) ||
        now > (await this.canary.auditDeadline(roundId))
      ) {
        this.markDone(roundId);
        continue;
      }
      const outcome = await this.audit(roundId);
      if (outcome !== undefined) outcomes.push(outcome);
      this.markDone(roundId);
    }
    return outcomes;
  }

  private async isCanaryRound(roundId: bigint): Promise<boolean> {
    const { listingId } = await this.validation.getRound(roundId);
    return this.store.state.canaries[listingId.toString()] !== undefined;
  }

  private markDone(roundId: bigint): void {
    if (!this.store.state.done.includes(roundId.toString())) this.store.state.done.push(roundId.toString());
    this.store.save();
  }

  /** The root in force when the round opened (the last committed at or before), with its epoch. */
  private async rootInForce(openedAt: bigint): Promise<{ epoch: bigint; stored: StoredRoot } | undefined> {
    for (let i = this.store.state.roots.length - 1; i >= 0; i--) {
      const stored = this.store.state.roots[i]!;
      const epoch = BigInt(stored.epoch!);
      const [, committedAt] = await this.canary.rootAt(epoch);
      if (committedAt <= openedAt) return { epoch, stored };
    }
    return undefined;
  }

  private async audit(roundId: bigint): Promise<AuditOutcome | undefined> {
    const round = await this.validation.getRound(roundId);
    const listingId = round.listingId;
    const inForce = await this.rootInForce(round.openedAt);
    const truth = inForce?.stored.canaries[listingId.toString()];
    if (inForce === undefined || truth === undefined) {
      this.log(`round ${roundId} of canary ${listingId} opened before a root held its truth: not auditable`);
      return undefined;
    }
    const tree = canaryTree(new Map(Object.entries(inForce.stored.leaves).map(([id, leaf]) => [BigInt(id), leaf])));
    const leaf = canaryCommitment(listingId, truth.trueScoreBps, truth.salt);
    const digest = canaryClaimDigest(this.options.addresses.canaryAudits, this.options.chainId, leaf);
    const signature = await this.options.canaryProvider.signMessage(getBytes(digest));
    const claim = {
      listingId,
      trueScoreBps: truth.trueScoreBps,
      salt: truth.salt,
      epoch: inForce.epoch,
      proof: tree.proof(listingId),
    };
    const receipt = await (await this.canary.audit(claim, roundId, signature)).wait();
    this.log(`audited round ${roundId} of canary ${listingId} against ${truth.trueScoreBps} bps (tx ${receipt?.hash})`);
    return { roundId, listingId, txHash: receipt!.hash };
  }
}
