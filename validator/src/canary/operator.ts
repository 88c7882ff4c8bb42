// The canary operator (issue 18, planted errors): lists each canary listing from its own provider key, serving a model
// whose true score it measured (the sample provider's degraded mode), commits one root over every listing's leaf before
// rounds open (canaries' truths among random decoys: ICanaryAudits), watches for finalized rounds on its canaries and
// audits them with that canary's provider signature. Each canary's provider key is derived from the canary master key
// and an index ({@link canaryProviderKey}): one shared key would let a validator read every other canary off the first
// audited one's provider (test/redteam/canary-epochs-redteam.test.ts). Everything it needs to audit later (salts, leaves, epochs, the
// rounds done) is written to its state file before the transaction that depends on it, so a restart loses nothing.
// A canary listed with the hash of the model it really serves gets salts that commit to that hash
// ({@link canaryServedSalt}): after the audit the operator discloses the hash and the nonce, so anyone can check that
// the truth it revealed was committed for that model, and re-run the model once the DAO has its weights.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import {
  AbiCoder,
  formatEther,
  getBytes,
  isHexString,
  keccak256,
  hexlify,
  parseEther,
  randomBytes,
  solidityPackedKeccak256,
  Wallet,
  type Provider,
  type Signer,
} from "ethers";
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

/** ETH a canary provider address needs for its own transactions (bond approval, listing, endpoint, serving key). */
export const CANARY_PROVIDER_GAS = parseEther("0.01");

/** The secp256k1 group order: a derived private key must be below it (and non-zero). */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/**
 * The private key of canary provider number `index`: keccak256(masterKey, "curia-canary-provider", index), rehashed in
 * the (about 2^-128) case it is not a valid key. Only the master key and the indexes are needed to recover every
 * canary's key, so no derived key is ever written to disk.
 */
export function canaryProviderKey(masterKey: string, index: number): string {
  if (!Number.isSafeInteger(index) || index < 0)
    throw new CanaryStateError(`canary provider index ${index} is invalid`);
  let key = solidityPackedKeccak256(["bytes32", "string", "uint256"], [masterKey, "curia-canary-provider", index]);
  while (BigInt(key) === 0n || BigInt(key) >= SECP256K1_N) key = solidityPackedKeccak256(["bytes32"], [key]);
  return key;
}

interface StoredRoot {
  /** The root's index on chain; undefined while its commit is in flight (adopted on restart if it landed). */
  epoch?: string;
  root: string;
  /** Every leaf under the root, by listing id (canaries' and decoys'). */
  leaves: Record<string, string>;
  /** The canaries' truths under this root: what an audit reveals (with the served model's hash and the nonce its
   * salt was made from, for a canary listed with one). */
  canaries: Record<string, { trueScoreBps: number; salt: string; servedModelHash?: string; nonce?: string }>;
}

interface OperatorState {
  /** Canary listings, their measured true scores and the index of their derived provider key. */
  canaries: Record<string, { trueScoreBps: number; providerIndex: number; servedModelHash?: string }>;
  /** The next unused provider index (advanced before a listing is sent, so a crash never reuses a key). */
  nextProviderIndex?: number;
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
  /**
   * The canary master key (0x… 32 bytes): each canary's provider key is derived from it ({@link canaryProviderKey}),
   * lists that canary and signs its audits' claims. The master key itself only sends funds with `fundFromMaster`.
   */
  canaryMasterKey: string;
  /** The chain the derived provider keys (and the master, when it funds) send their transactions to. */
  chain: Provider;
  addresses: { canaryAudits: string; registry: string; validation: string; token: string };
  statePath: string;
  chainId: bigint;
  log?: (line: string) => void;
}

export interface AuditOutcome {
  roundId: bigint;
  listingId: bigint;
  txHash: string;
  /** For a canary listed with the model it serves: the hash and nonce its audited salt commits to (published). */
  disclosure?: { servedModelHash: string; nonce: string };
}

/**
 * The salt of a canary's leaf that commits to the model it really serves: keccak256(abi.encode(bytes32
 * servedModelHash, bytes32 nonce)). The leaf (ICanaryAudits) is keccak256(abi.encode(listingId, trueScoreBps, salt)),
 * and an audit reveals the salt on chain, so once the operator discloses (servedModelHash, nonce) anyone can check
 * that the truth was committed for that model before the round, and re-run it given its weights.
 */
export function canaryServedSalt(servedModelHash: string, nonce: string): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(["bytes32", "bytes32"], [servedModelHash, nonce]));
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
    this.registry = IListingRegistry__factory.connect(options.addresses.registry, options.chain);
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

  /** Canary provider number `index`'s key, connected to the chain. */
  providerWallet(index: number): Wallet {
    return new Wallet(canaryProviderKey(this.options.canaryMasterKey, index), this.options.chain);
  }

  /** The index the next listed canary's provider key gets. */
  get nextProviderIndex(): number {
    return this.store.state.nextProviderIndex ?? 0;
  }

  /** Provider addresses `from`, `from + 1`, … (`count` of them), with what each holds: what the DAO funds. */
  async providerAddresses(
    from = this.nextProviderIndex,
    count = 1,
  ): Promise<{ index: number; address: string; eth: bigint; cur: bigint }[]> {
    const token = CuriaToken__factory.connect(this.options.addresses.token, this.options.chain);
    const out = [];
    for (let index = from; index < from + count; index++) {
      const address = this.providerWallet(index).address;
      out.push({
        index,
        address,
        eth: await this.options.chain.getBalance(address),
        cur: await token.balanceOf(address),
      });
    }
    return out;
  }

  /**
   * Lists a canary from the next derived provider key (bond approved here) and records its true score and key index.
   * The key must already hold {@link CANARY_PROVIDER_GAS} ETH and the bond in CUR, sent from sources not linked to
   * the DAO or to other canaries; `fundFromMaster` sends them from the master key instead, which links every canary to
   * the master on-chain (local demos and tests only).
   */
  async listCanary(args: {
    modelHash: string;
    metadataURI: string;
    endpoint: string;
    price: bigint;
    trueScoreBps: number;
    bond?: bigint;
    fundFromMaster?: boolean;
    /** The hash of the model it really serves (the degraded one): its leaves' salts commit to it. */
    servedModelHash?: string;
  }): Promise<bigint> {
    if (!Number.isInteger(args.trueScoreBps) || args.trueScoreBps < 0 || args.trueScoreBps > 10_000) {
      throw new CanaryStateError(`true score ${args.trueScoreBps} is not an integer from 0 to 10,000 bps`);
    }
    if (args.servedModelHash !== undefined && !isHexString(args.servedModelHash, 32)) {
      throw new CanaryStateError(`served model hash ${args.servedModelHash} is not 32 bytes of hex (0x + 64 digits)`);
    }
    const index = this.nextProviderIndex;
    const wallet = this.providerWallet(index);
    const registry = this.registry.connect(wallet);
    const bond = args.bond ?? (await registry.requiredBond(args.modelHash));
    const token = CuriaToken__factory.connect(this.options.addresses.token, wallet);
    let eth = await this.options.chain.getBalance(wallet.address);
    let cur = await token.balanceOf(wallet.address);
    if (args.fundFromMaster === true && (eth < CANARY_PROVIDER_GAS || cur < bond)) {
      const master = new Wallet(this.options.canaryMasterKey, this.options.chain);
      if (eth < CANARY_PROVIDER_GAS) {
        await (await master.sendTransaction({ to: wallet.address, value: CANARY_PROVIDER_GAS - eth })).wait();
      }
      if (cur < bond) {
        const fromMaster = CuriaToken__factory.connect(this.options.addresses.token, master);
        await (await fromMaster.transfer(wallet.address, bond - cur)).wait();
      }
      this.log(`funded canary provider ${index} (${wallet.address}) from the master key: linked on-chain`);
      eth = await this.options.chain.getBalance(wallet.address);
      cur = await token.balanceOf(wallet.address);
    }
    if (eth < CANARY_PROVIDER_GAS || cur < bond) {
      throw new CanaryStateError(
        `canary provider ${index} (${wallet.address}) is not funded: it needs ${formatEther(CANARY_PROVIDER_GAS)} ETH ` +
          `for gas (holds ${formatEther(eth)}) and ${formatEther(bond)} CUR for the bond (holds ${formatEther(cur)}); ` +
          `fund it from sources not linked to the DAO or other canaries (curia-canary addresses lists them)`,
      );
    }
    // The index is spent before the listing is sent: a crash after it lands never lists a second canary from it.
    this.store.state.nextProviderIndex = index + 1;
    this.store.save();
    await (await token.approve(this.options.addresses.registry, bond)).wait();
    const tx = await registry.createListing(args.modelHash, args.metadataURI, args.endpoint, args.price, bond);
    await tx.wait();
    const listingId = await registry.listingCount();
    this.store.state.canaries[listingId.toString()] = {
      trueScoreBps: args.trueScoreBps,
      providerIndex: index,
      ...(args.servedModelHash === undefined ? {} : { servedModelHash: args.servedModelHash.toLowerCase() }),
    };
    this.store.save();
    this.log(
      `listed canary ${listingId} from provider ${index} (${wallet.address}, true score ${args.trueScoreBps} bps)`,
    );
    return listingId;
  }

  /** Records a canary listed elsewhere from derived provider key `providerIndex`. */
  adoptCanary(listingId: bigint, trueScoreBps: number, providerIndex: number): void {
    this.store.state.canaries[listingId.toString()] = { trueScoreBps, providerIndex };
    if (providerIndex >= this.nextProviderIndex) this.store.state.nextProviderIndex = providerIndex + 1;
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
    for (const [id, { trueScoreBps, servedModelHash }] of Object.entries(this.store.state.canaries)) {
      if (servedModelHash === undefined) {
        const salt = hexlify(randomBytes(32));
        canaries[id] = { trueScoreBps, salt };
        leaves[id] = canaryCommitment(BigInt(id), trueScoreBps, salt);
        continue;
      }
      const nonce = hexlify(randomBytes(32));
      const salt = canaryServedSalt(servedModelHash, nonce);
      canaries[id] = { trueScoreBps, salt, servedModelHash, nonce };
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
    const providerIndex = this.store.state.canaries[listingId.toString()]!.providerIndex;
    if (!Number.isSafeInteger(providerIndex)) {
      throw new CanaryStateError(`canary ${listingId} has no provider index in the state file`);
    }
    const signature = await this.providerWallet(providerIndex).signMessage(getBytes(digest));
    const claim = {
      listingId,
      trueScoreBps: truth.trueScoreBps,
      salt: truth.salt,
      epoch: inForce.epoch,
      proof: tree.proof(listingId),
    };
    const receipt = await (await this.canary.audit(claim, roundId, signature)).wait();
    this.log(`audited round ${roundId} of canary ${listingId} against ${truth.trueScoreBps} bps (tx ${receipt?.hash})`);
    if (truth.servedModelHash === undefined || truth.nonce === undefined) {
      return { roundId, listingId, txHash: receipt!.hash };
    }
    // Published with the audit: the salt it revealed is keccak256(abi.encode(servedModelHash, nonce)).
    this.log(
      `canary ${listingId} served model ${truth.servedModelHash}: salt ${truth.salt} = ` +
        `keccak256(abi.encode(servedModelHash, nonce ${truth.nonce}))`,
    );
    return {
      roundId,
      listingId,
      txHash: receipt!.hash,
      disclosure: { servedModelHash: truth.servedModelHash, nonce: truth.nonce },
    };
  }
}
