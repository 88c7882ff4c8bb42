// The long-running validator: follows the ValidationManager's rounds, verifies the listings of the rounds it sits on,
// commits and reveals its score, and (as a keeper) calls the permissionless steps that move rounds along. It also
// judges the fraud proofs filed on ListingChallenges (re-executing the published input, fraud.ts) and submits its
// verdict as evidence, and scores a listing from its consumers' audited receipts when it has enough of them
// (audits.ts). Otherwise it scores the listing from its own probes of the period (probes/): fresh private inputs, sent
// at random times by fresh buyers funded by a separate account, for listings whose audited traffic is thin; a round
// whose period holds too few of them is topped up by an immediate probe, the weaker path (docs/probes.md). With
// `fileFraudProofs` it also files, with its own bond, the receipts of the audited or probed answers it finds outside
// the task's tolerance (filer.ts).
//
// A round's score is 0 when the listing cannot be verified (its model does not match its hash), refuses paid calls,
// answers without a valid receipt, does not answer at all after retries ("unreachable"), or raised its price after the
// round opened: validators buy their samples at the price of the block before the round opened, never more. A probe's
// calls that went unanswered count as samples worth 0.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { ZeroHash, hexlify, randomBytes, type HDNodeWallet, type JsonRpcProvider, type Wallet } from "ethers";
import {
  ListingStatus,
  RoundPhase,
  RoundPhaseNames,
  affordableCalls,
  enumName,
  inferenceDomain,
  receiptDigest,
  receiptFromWire,
  reimbursementPerSeat,
  scoreCommitment,
  toEvidenceURI,
  type InferenceDomain,
} from "@curia/protocol";
import {
  ChainClock,
  IListingChallenges__factory,
  IListingRegistry__factory,
  IRandomnessSource__factory,
  IValidationManager__factory,
} from "@curia/protocol/ethers";
import type { AuditRecord, AuditStore } from "./audits.js";
import { connectContracts, type CuriaAddresses, type CuriaContracts } from "./chain.js";
import {
  InferenceClient,
  ProviderRefusedError,
  ProviderUnreachableError,
  type ClientOptions,
  type ReceivedAnswer,
} from "./client.js";
import { BuyerLedger, type ProbeFunder } from "./probes/buyers.js";
import { PriceRaisedError, Prober } from "./probes/prober.js";
import { periodOf, planPeriod, type ProbeSchedule } from "./probes/schedule.js";
import { tallyProbes } from "./probes/score.js";
import { loadOrCreateProbeSecret } from "./probes/secret.js";
import { ProbeStore } from "./probes/store.js";
import { ListingUnverifiableError } from "./fetch-model.js";
import {
  filedFraudProofOf,
  judgeAnswer,
  verdictEvidenceURI,
  type AnswerVerdict,
  type FiledFraudProof,
} from "./fraud.js";
import { FraudProofFiler } from "./filer.js";
import type { Logger } from "./log.js";
import type { ValidatorMetrics } from "./metrics.js";
import { listingKeysOf, type PublicationOptions } from "./receipts.js";
import { isTransientRpcError, withRetry } from "./retry.js";
import { ANSWER_TOLERANCE, DEFAULT_SCORE_PARAMS } from "./score.js";
import { writeDurably, type RoundRecord, type StateStore } from "./state.js";
import type { Verifier } from "./verify.js";

export { PriceRaisedError };

/** How this validator probes listings whose audited traffic is thin (docs/probes.md). */
export interface ProbeOptions {
  /** Funds each probe's fresh buyer and takes its leftovers back; never the validator's key. */
  funder: ProbeFunder;
  schedule: ProbeSchedule;
  /** Listings the schedule probes; undefined: every Active listing. */
  listings?: bigint[];
  /** Gas units each buyer is funded for (its approve, purchase and sweep), at the fee cap when it is funded. */
  gasPerBuyer: bigint;
}

export interface ServiceOptions {
  wallet: Wallet | HDNodeWallet;
  /** How logs name the key (keystore path, or the dev account). */
  keyLabel: string;
  addresses: CuriaAddresses;
  provider: JsonRpcProvider;
  verifier: Verifier;
  state: StateStore;
  metrics: ValidatorMetrics;
  log: Logger;
  /** Call drawCommittee / finalizeRound when due, and open the free rounds of `listings`. */
  keeper: boolean;
  listings: bigint[];
  pollMs: number;
  /** On the development chain, mine a block when a draw waits for its randomness block (nothing else mines there). */
  devChain: boolean;
  /**
   * Probing (fresh inputs, random times, unlinkable buyers). Undefined: this validator never probes, and a round whose
   * listing has too few audits is not scored (logged).
   */
  probes?: ProbeOptions;
  client?: ClientOptions;
  /** Consumers' audited receipts (the audit server stores them); a round with at least `minAudits` of the listing's
   * audits received since the previous round period is scored from them instead of probes. */
  audits?: { store: AuditStore; minAudits: number };
  /** Judge the fraud proofs filed on ListingChallenges and submit the verdict as evidence (default true). */
  judgeFraudProofs?: boolean;
  /**
   * File fraud proofs: every audited or probed answer outside the task's tolerance is filed on-chain with `bond` (CUR
   * wei; undefined: the governed minimum) by this validator (filer.ts). Off when absent.
   */
  fileFraudProofs?: { bond?: bigint; retryBaseMs?: number };
  /** How published inputs and outputs are read (gateway, size cap). */
  publication?: PublicationOptions;
  /** Test hook: "exit-after-prepare" kills the process right after the salt is on disk, before the commit is sent. */
  fault?: string;
}

/** What the probes in `records` cost (CUR wei): calls bought at the price each paid. */
function probeSpend(records: { calls: number; pricePerCall: string }[]): bigint {
  return records.reduce((sum, r) => sum + BigInt(r.calls) * BigInt(r.pricePerCall), 0n);
}

/** A failure that says the listing cannot be verified (its fault), as opposed to a transient one (retried later). */
function isListingFault(error: unknown): boolean {
  return (
    error instanceof ListingUnverifiableError ||
    error instanceof ProviderUnreachableError ||
    error instanceof PriceRaisedError ||
    (error instanceof ProviderRefusedError && error.status !== 402)
  );
}

/** What a round's score 0 is for, in the log and the round record's report. */
function faultKind(error: unknown): "unreachable" | "unverifiable" {
  return error instanceof ProviderUnreachableError || error instanceof PriceRaisedError
    ? "unreachable"
    : "unverifiable";
}

/** A fraud-proof verdict on disk (fraud-<disputeId>.json): written before its evidence is sent. */
interface FraudRecord {
  disputeId: string;
  listingId: string;
  receiptDigest: string;
  verdict: AnswerVerdict;
  evidenceURI: string;
  evidenceTx?: string;
  /** Why the evidence was not sent (the dispute was resolved first). */
  notSent?: string;
}

/** A pool's dispute this validator follows until settleCommittee frees its round's held stakes (committee-<id>.json). */
interface CommitteeRecord {
  disputeId: string;
  roundId: string;
  listingId: string;
  /** The settleCommittee transaction, or why none was needed; absent while the ruling is awaited. */
  settled?: string;
}

export class ValidatorService {
  readonly address: string;
  private readonly contracts: CuriaContracts;
  /** Undefined when no probe-funding account is configured. */
  readonly prober: Prober | undefined;
  /** Active listings for the probe schedule, re-read at most once a minute. */
  private probedListings: { readAt: number; ids: bigint[] } | undefined;
  private readonly active = new Set<bigint>();
  private readonly finished = new Set<bigint>();
  /** The pool's disputes whose committee is not settled yet (dispute id → round id), see followPoolDisputes. */
  private readonly heldDisputes = new Map<bigint, bigint>();
  private scannedTo: number;
  private fraudScannedTo: number;
  /** Fraud proofs seen and not yet judged (a failed judgement is retried on the next tick). */
  private readonly fraudQueue = new Map<bigint, FiledFraudProof>();
  /** Each round's price per call fixed at its opening (Round.pricePerCall). */
  private readonly openingPrice = new Map<bigint, bigint>();
  private readonly domain: InferenceDomain;
  /** The chain's clock, receipts are checked against it (set by start()). */
  private clock: ChainClock | undefined;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly log: Logger;
  /** Transient verification failures per round: when the next attempt may start, and how many failed. */
  private readonly retryAt = new Map<bigint, { at: number; failures: number }>();
  /** Files the wrong answers this validator holds as fraud proofs (when `fileFraudProofs` is set). */
  readonly filer: FraudProofFiler | undefined;

  constructor(private readonly options: ServiceOptions) {
    this.address = options.wallet.address;
    this.contracts = connectContracts(options.addresses, options.wallet);
    this.domain = inferenceDomain(options.addresses.chainId, options.addresses.registry);
    const chainNow = () => this.clock?.now() ?? Math.floor(Date.now() / 1000);
    const probes = options.probes;
    if (probes !== undefined) {
      probes.funder.assertNotValidator([this.address]);
      const keys = listingKeysOf(this.contracts.registry);
      this.prober = new Prober({
        secret: loadOrCreateProbeSecret(options.state.dir).secret,
        funder: probes.funder,
        provider: options.provider,
        addresses: options.addresses,
        domain: this.domain,
        store: new ProbeStore(options.state.dir),
        ledger: new BuyerLedger(options.state.dir),
        // Each buyer signs its own requests; every answer is also kept with the others (keepAnswer).
        clientFor: (signer, onAnswer) =>
          new InferenceClient(signer, this.domain, keys, {
            ...options.client,
            log: options.log,
            chainNow,
            onAnswer: (answer) => {
              this.keepAnswer(answer);
              onAnswer(answer);
            },
          }),
        gasPerBuyer: probes.gasPerBuyer,
        schedule: probes.schedule,
        now: chainNow,
        log: options.log,
      });
    }
    this.scannedTo = options.addresses.validationStartBlock - 1;
    this.fraudScannedTo = options.addresses.challengesStartBlock - 1;
    this.log = options.log;
    if (options.fileFraudProofs !== undefined) {
      this.filer = new FraudProofFiler({
        wallet: options.wallet,
        addresses: options.addresses,
        contracts: this.contracts,
        stateDir: options.state.dir,
        verifier: options.verifier,
        publication: this.publication(),
        log: options.log.child({ component: "fraud-proofs" }),
        metrics: options.metrics,
        provider: options.provider,
        chainNow,
        ...options.fileFraudProofs,
      });
      // Each audit is judged as it arrives: one wrong answer is enough, whether or not a round scores the listing.
      options.audits?.store.onStored((audit) => this.filer!.queueAudit(audit));
    }
  }

  /** Stakes `stake` (CUR wei) in the validators' pool unless it already holds drawable stake: a validator is an
   * account with drawable stake there. */
  async ensureRegistered(stake: bigint | undefined): Promise<void> {
    const { validatorPool, token } = this.contracts;
    const info = await validatorPool.memberOf(this.address);
    if (info.staked > 0n) {
      this.log.info("registered", { validator: this.address, staked: info.staked });
      return;
    }
    if (stake === undefined) {
      this.log.warn(
        `${this.address} is not a registered validator: it will not be drawn (run \`curia-validator register\`)`,
      );
      return;
    }
    await this.approve(token, this.options.addresses.validatorPool, stake);
    await this.send("register", () => validatorPool.stake(stake));
    this.log.info("registered", { validator: this.address, staked: stake });
  }

  private async approve(token: CuriaContracts["token"], spender: string, amount: bigint): Promise<void> {
    const balance = await token.balanceOf(this.address);
    if (balance < amount) {
      throw new Error(`${this.address} holds ${balance} CUR wei and needs ${amount}: fund it with CUR first`);
    }
    // Exactly what this action spends, never an unlimited allowance: a compromised or buggy spender can take no more.
    if ((await token.allowance(this.address, spender)) < amount) {
      await this.send("approve", () => token.approve(spender, amount));
    }
  }

  /** Sends a transaction (retrying transient RPC failures) and waits for its receipt. */
  private async send(what: string, action: () => Promise<{ hash: string; wait(): Promise<unknown> }>): Promise<string> {
    return withRetry(
      async () => {
        const tx = await action();
        await tx.wait();
        this.log.debug("tx mined", { what, tx: tx.hash });
        return tx.hash;
      },
      {
        attempts: 5,
        retryable: isTransientRpcError,
        onRetry: (error, attempt, delayMs) =>
          this.log.warn("rpc failed, retrying", { what, attempt, delayMs, reason: (error as Error).message }),
      },
    );
  }

  /** Rounds this validator has unfinished business in (from the state dir), then the event scan. */
  async start(): Promise<void> {
    this.clock = await ChainClock.start(this.options.provider);
    for (const roundId of this.options.state.pending()) this.active.add(roundId);
    if (this.active.size > 0) this.log.info("resuming rounds from the state dir", { rounds: [...this.active] });
    // Probe buyers a crash left holding funds go back to the funding account first.
    await this.prober?.sweepAll();
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.tick();
      } catch (error) {
        this.options.metrics.errors.inc({ stage: "tick" });
        this.log.warn("tick failed", { reason: (error as Error).message });
      }
      if (this.stopped) break;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, this.options.pollMs);
      });
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    this.clock?.stop();
  }

  /** One pass: discover new rounds from events, open due rounds, move every followed round along. */
  async tick(): Promise<void> {
    const { validation } = this.contracts;
    const latest = await withRetry(() => this.options.provider.getBlockNumber(), { retryable: isTransientRpcError });
    if (latest > this.scannedTo) {
      const events = await withRetry(
        () => validation.queryFilter(validation.filters.RoundOpened(), this.scannedTo + 1, latest),
        {
          retryable: isTransientRpcError,
        },
      );
      for (const event of events) {
        const roundId = event.args.roundId;
        if (!this.finished.has(roundId) && !this.active.has(roundId)) {
          this.active.add(roundId);
          this.options.metrics.roundsSeen.inc({ validator: this.address });
          this.log.info("round opened", { round: roundId, listing: event.args.listingId });
        }
      }
      await this.followPoolDisputes(this.scannedTo + 1, latest);
      this.scannedTo = latest;
    }
    if (this.options.judgeFraudProofs !== false) await this.judgeFraudProofs(latest);
    if (this.options.keeper) for (const listingId of this.options.listings) await this.openIfDue(listingId);
    for (const roundId of [...this.active].sort((a, b) => (a < b ? -1 : 1))) {
      if (this.stopped) return;
      try {
        await this.step(roundId);
      } catch (error) {
        this.options.metrics.errors.inc({ stage: "round" });
        this.log.warn("round step failed", { round: roundId, reason: (error as Error).message });
      }
    }
    if (this.stopped) return;
    await this.settleHeldCommittees();
    // After the rounds' steps: a filing never delays a commit or a reveal.
    if (this.filer !== undefined && !this.stopped) {
      try {
        await this.filer.tick();
      } catch (error) {
        this.options.metrics.errors.inc({ stage: "file-fraud-proof" });
        this.log.warn("fraud-proof pass failed", { reason: (error as Error).message });
      }
    }
    if (this.stopped) return;
    try {
      await this.probeWhenDue();
    } catch (error) {
      this.options.metrics.errors.inc({ stage: "probe" });
      this.log.warn("scheduled probe failed, will retry", { reason: (error as Error).message });
    }
  }

  /** Listings the probe schedule covers: the configured ones, else every Active listing (re-read once a minute). */
  private async scheduledListings(): Promise<bigint[]> {
    const fixed = this.options.probes?.listings;
    if (fixed !== undefined) return fixed;
    if (this.probedListings !== undefined && Date.now() - this.probedListings.readAt < 60_000)
      return this.probedListings.ids;
    const { registry } = this.contracts;
    const ids: bigint[] = [];
    for (let id = 1n; id <= (await registry.listingCount()); id++)
      if (Number(await registry.statusOf(id)) === ListingStatus.Active) ids.push(id);
    this.probedListings = { readAt: Date.now(), ids };
    return ids;
  }

  /**
   * Sends the first due probe of the schedule (one per tick: a round step never waits behind several). A planned probe
   * is skipped when the listing's audited traffic of the last round period already suffices, and dropped when it is
   * more than the allowed lateness overdue (no catch-up bursts).
   */
  private async probeWhenDue(): Promise<void> {
    const { prober, clock } = this;
    const probes = this.options.probes;
    if (prober === undefined || probes === undefined || clock === undefined) return;
    if (probes.schedule.probesPerPeriod === 0) return;
    await clock.refresh(); // an idle development chain's clock may have been moved ahead
    const now = clock.now();
    const periodSeconds = Number((await this.contracts.validation.parameters()).roundPeriod);
    const current = periodOf(now, periodSeconds);
    for (const listingId of await this.scheduledListings()) {
      for (const period of [current - 1, current]) {
        const settled = prober.store.slots(listingId, period);
        for (const planned of planPeriod(prober.options.secret, listingId, period, periodSeconds, probes.schedule)) {
          if (planned.at > now) break;
          if (settled[planned.slot] !== undefined) continue;
          if (now - planned.at > probes.schedule.latenessSeconds) {
            prober.store.settleSlot(listingId, period, planned.slot, "missed");
            continue;
          }
          const audits = this.periodAudits(listingId, now - periodSeconds);
          if (this.options.audits !== undefined && audits.length >= this.options.audits.minAudits) {
            prober.store.settleSlot(listingId, period, planned.slot, "audited");
            continue;
          }
          const listing = await this.contracts.registry.getListing(listingId);
          if (Number(await this.contracts.registry.statusOf(listingId)) !== ListingStatus.Active) {
            prober.store.settleSlot(listingId, period, planned.slot, "inactive");
            continue;
          }
          // Within what the listing's rounds pay back for the period: a price above it buys no probe.
          const spent = probeSpend(prober.store.pending(listingId).filter((r) => r.probedAt >= now - periodSeconds));
          const budget = await this.periodProbeBudget(listing.pricePerCall);
          if (affordableCalls(budget, spent, listing.pricePerCall) < planned.size) {
            prober.store.settleSlot(listingId, period, planned.slot, "over-budget");
            continue;
          }
          try {
            const task = await this.options.verifier.taskOf({ listingId, metadataURI: listing.metadataURI });
            await prober.probe({ listingId, endpoint: listing.endpointURI, task }, planned.size, listing.pricePerCall, {
              reason: "scheduled",
              slot: { period, slot: planned.slot },
            });
            prober.store.settleSlot(listingId, period, planned.slot, "probed");
          } catch (error) {
            if (!(error instanceof PriceRaisedError)) throw error; // transient: the slot stays due
            prober.store.settleSlot(listingId, period, planned.slot, "price-raised");
          }
          return;
        }
      }
    }
  }

  /**
   * Follows the pool's disputes raised by the rounds finalised in blocks `from`..`to` (DisputeRequested): as a keeper
   * every one, otherwise those of the rounds this validator sat in. Until the ruling is final the stakes at risk of part
   * of the committee stay locked in the validators' pool, and only settleCommittee frees them (IValidationManager).
   * Each followed dispute gets a record in the state dir; one already settled there is not followed again. A restart
   * scans the events from the start block again, so a dispute seen before a crash is found again.
   */
  private async followPoolDisputes(from: number, to: number): Promise<void> {
    const { validation } = this.contracts;
    const events = await withRetry(() => validation.queryFilter(validation.filters.DisputeRequested(), from, to), {
      retryable: isTransientRpcError,
    });
    for (const event of events) {
      const { roundId, listingId, disputeId } = event.args;
      if (this.heldDisputes.has(disputeId)) continue;
      const name = `committee-${disputeId}.json`;
      const record = this.options.state.readJson<CommitteeRecord>(name);
      if (record?.settled !== undefined) continue;
      if (!this.options.keeper && (await validation.memberOf(roundId, this.address)).seats === 0n) continue;
      if (record === undefined)
        this.options.state.writeJson(name, {
          disputeId: disputeId.toString(),
          roundId: roundId.toString(),
          listingId: listingId.toString(),
        } satisfies CommitteeRecord);
      this.heldDisputes.set(disputeId, roundId);
      this.log.info("following the pool's dispute until its committee is settled", {
        dispute: disputeId,
        round: roundId,
      });
    }
  }

  /** Calls settleCommittee for each followed dispute whose ruling is final; stops following it once settled. */
  private async settleHeldCommittees(): Promise<void> {
    const { validation } = this.contracts;
    for (const [disputeId, roundId] of this.heldDisputes) {
      if (this.stopped) return;
      const name = `committee-${disputeId}.json`;
      const record = this.options.state.readJson<CommitteeRecord>(name) ?? {
        disputeId: disputeId.toString(),
        roundId: roundId.toString(),
        listingId: "unknown",
      };
      try {
        try {
          await validation.settleCommittee.staticCall(disputeId);
        } catch (error) {
          const reason = revertName(error);
          if (reason === "ValidationDisputeNotResolved") continue; // the court has not ruled for good yet
          if (reason !== "ValidationNothingHeld") throw error;
          // Settled by another account, or by this one just before a crash: nothing left to free.
          this.options.state.writeJson(name, { ...record, settled: "already settled" } satisfies CommitteeRecord);
          this.heldDisputes.delete(disputeId);
          this.log.info("the pool's dispute's committee was already settled", { dispute: disputeId, round: roundId });
          continue;
        }
        const tx = await this.send("settleCommittee", () => validation.settleCommittee(disputeId));
        this.options.metrics.keeperActions.inc({ action: "settleCommittee" });
        this.options.state.writeJson(name, { ...record, settled: tx } satisfies CommitteeRecord);
        this.heldDisputes.delete(disputeId);
        this.log.info("settled the committee of the pool's dispute", { dispute: disputeId, round: roundId, tx });
      } catch (error) {
        this.options.metrics.errors.inc({ stage: "settle-committee" });
        this.log.warn("settling a committee failed, will retry", {
          dispute: disputeId,
          reason: (error as Error).message,
        });
      }
    }
  }

  private async openIfDue(listingId: bigint): Promise<void> {
    const { registry, validation } = this.contracts;
    if (Number(await registry.statusOf(listingId)) !== ListingStatus.Active) return;
    const [lastRoundId, nextFreeRoundAt] = await validation.listingRounds(listingId);
    if (lastRoundId !== 0n) {
      const phase = Number(await validation.phaseOf(lastRoundId));
      if (phase >= RoundPhase.Drawing && phase <= RoundPhase.Finalizable) return;
      const block = await this.options.provider.getBlock("latest");
      if (phase !== RoundPhase.Cancelled && BigInt(block?.timestamp ?? 0) < nextFreeRoundAt) return;
    }
    await this.send("openRound", () => validation.openRound(listingId));
    this.options.metrics.keeperActions.inc({ action: "openRound" });
    this.log.info("opened a round", { listing: listingId });
  }

  private async step(roundId: bigint): Promise<void> {
    const { validation } = this.contracts;
    const phase = Number(await validation.phaseOf(roundId));
    switch (phase) {
      case RoundPhase.Drawing:
        if (this.options.keeper) await this.draw(roundId);
        return;
      case RoundPhase.Commit:
        return this.commit(roundId);
      case RoundPhase.Reveal:
        return this.reveal(roundId);
      case RoundPhase.Finalizable:
        if (this.options.keeper) {
          await this.send("finalizeRound", () => validation.finalizeRound(roundId));
          this.options.metrics.keeperActions.inc({ action: "finalizeRound" });
          const round = await validation.getRound(roundId);
          this.log.info("finalized round", {
            round: roundId,
            medianBps: round.medianBps,
            quorumReached: round.quorumReached,
          });
          this.close(roundId, RoundPhase.Finalized);
        }
        return;
      case RoundPhase.Finalized:
      case RoundPhase.Cancelled:
        this.close(roundId, phase);
        return;
      default:
        this.active.delete(roundId);
    }
  }

  private close(roundId: bigint, phase: number): void {
    this.active.delete(roundId);
    this.finished.add(roundId);
    const record = this.options.state.get(roundId);
    if (record !== undefined && record.done !== true) {
      this.options.state.update(roundId, { done: true });
      this.log.info("round closed", { round: roundId, phase: enumName(RoundPhaseNames, phase) });
    }
  }

  private async draw(roundId: bigint): Promise<void> {
    const { validation } = this.contracts;
    try {
      await validation.drawCommittee.staticCall(roundId);
    } catch (error) {
      const data = (error as { data?: string }).data;
      const parsed = data !== undefined ? IRandomnessSource__factory.createInterface().parseError(data) : null;
      if (parsed?.name === "RandomnessNotReady") {
        if (this.options.devChain) {
          // Nothing mines on an idle development chain; the draw needs one block past its request.
          await this.options.provider.send("hardhat_mine", ["0x2"]);
          this.log.debug("dev chain: mined 2 blocks for the draw's randomness", { round: roundId });
        }
        return;
      }
      throw new Error(`drawCommittee(${roundId}) would fail: ${parsed?.name ?? (error as Error).message}`);
    }
    await this.send("drawCommittee", () => validation.drawCommittee(roundId));
    this.options.metrics.keeperActions.inc({ action: "drawCommittee" });
    const committee = await validation.committeeOf(roundId);
    this.log.info("drew the committee", { round: roundId, committee: committee.length });
  }

  private async commit(roundId: bigint): Promise<void> {
    const { validation, registry } = this.contracts;
    const member = await validation.memberOf(roundId, this.address);
    if (member.seats === 0n) {
      if (!this.options.keeper) this.active.delete(roundId);
      return;
    }
    let record = this.options.state.get(roundId);
    if (record !== undefined) {
      const round = await validation.getRound(roundId);
      if (record.listingId !== round.listingId.toString() || record.openedAt !== Number(round.openedAt)) {
        // Same round number, another round: the state dir outlived a local chain or a redeployment.
        const moved = this.options.state.archive(roundId);
        this.log.warn("set aside a record of another chain's round with the same id", {
          round: roundId,
          movedTo: moved,
        });
        record = undefined;
      }
    }
    if (member.commitment !== ZeroHash) {
      if (record !== undefined && record.commitment !== member.commitment) {
        this.log.error("the on-chain commitment is not the one on disk", { round: roundId });
      }
      return; // committed: wait for the reveal phase
    }
    if (record === undefined) {
      const retry = this.retryAt.get(roundId);
      if (retry !== undefined && Date.now() < retry.at) return;
      const round = await validation.getRound(roundId);
      const listing = await registry.getListing(round.listingId);
      const score = await this.verifyForRound(roundId, round.listingId, listing, Number(round.openedAt));
      if (score === undefined) {
        // Transient failure: try again later, backing off (2 s, 4 s, … 60 s) within the commit window.
        const failures = (retry?.failures ?? 0) + 1;
        this.retryAt.set(roundId, { at: Date.now() + Math.min(60_000, 1000 * 2 ** failures), failures });
        return;
      }
      this.retryAt.delete(roundId);
      const salt = hexlify(randomBytes(32));
      record = {
        roundId: roundId.toString(),
        listingId: round.listingId.toString(),
        openedAt: Number(round.openedAt),
        validator: this.address,
        scoreBps: score.scoreBps,
        salt,
        commitment: scoreCommitment(score.scoreBps, salt, this.address, roundId),
        preparedAt: new Date().toISOString(),
        report: score.report,
      };
      // On disk (fsynced) before the commitment leaves this process: a crash after this point reveals it later.
      this.options.state.put(record);
      if (score.auditDigests !== undefined)
        this.options.audits?.store.markScored(round.listingId, score.auditDigests, roundId);
      if (score.probeIds !== undefined) this.prober?.store.markScored(round.listingId, score.probeIds, roundId);
      if (this.options.fault === "exit-after-prepare") process.kill(process.pid, "SIGKILL");
    } else {
      this.log.info("re-sending the commitment prepared before a restart", {
        round: roundId,
        scoreBps: record.scoreBps,
      });
    }
    const prepared: RoundRecord = record;
    try {
      const hash = await this.send("commitScore", () => validation.commitScore(roundId, prepared.commitment));
      this.options.state.update(roundId, { commitTx: hash });
      this.options.metrics.commits.inc({ validator: this.address });
      this.log.info("committed", {
        round: roundId,
        listing: prepared.listingId,
        scoreBps: prepared.scoreBps,
        tx: hash,
      });
    } catch (error) {
      // A commit sent before a crash may have landed meanwhile: the chain decides.
      const now = await validation.memberOf(roundId, this.address);
      if (now.commitment === prepared.commitment) return;
      throw error;
    }
  }

  private async verifyForRound(
    roundId: bigint,
    listingId: bigint,
    listing: { endpointURI: string; modelHash: string; metadataURI: string; pricePerCall: bigint },
    openedAt: number,
  ): Promise<{ scoreBps: number; report: unknown; auditDigests?: string[]; probeIds?: number[] } | undefined> {
    const { metrics } = this.options;
    const stopTimer = metrics.verificationSeconds.startTimer();
    try {
      const { roundPeriod } = await this.contracts.validation.parameters();
      const since = openedAt - Number(roundPeriod);
      const audits = this.periodAudits(listingId, since);
      if (this.options.audits !== undefined && audits.length >= this.options.audits.minAudits)
        return await this.scoreFromAudits(roundId, listingId, listing, audits);
      return await this.scoreFromProbes(roundId, listingId, listing, since, audits);
    } catch (error) {
      if (isListingFault(error)) {
        // The listing cannot be verified: its model does not match its hash, or it raised its price after the round
        // opened (a probe's unanswered calls are scored, not thrown). Either way it scores 0: committing nothing would
        // let it block the round.
        const kind = faultKind(error);
        metrics.verifications.inc({ validator: this.address, outcome: kind });
        metrics.lastScore.set({ validator: this.address, listing: listingId.toString() }, 0);
        this.log.error(`listing ${kind}, scoring 0`, {
          round: roundId,
          listing: listingId,
          reason: (error as Error).message,
        });
        return { scoreBps: 0, report: { [kind]: (error as Error).message } };
      }
      metrics.verifications.inc({ validator: this.address, outcome: "failed" });
      metrics.errors.inc({ stage: "verify" });
      // Unreadable metadata (ListingMetadataUnavailableError) lands here too: the listing's task is unknown, so the
      // round is not scored (nor scored as MNIST) until its metadata reads, within the commit window.
      this.log.warn("verification failed, will retry", {
        round: roundId,
        listing: listingId,
        reason: (error as Error).message,
      });
      return undefined;
    } finally {
      stopTimer();
    }
  }

  /**
   * The round's score from this validator's probes of the period (and the few audits there are), the share of points
   * over every sample: an audited answer within ANSWER_TOLERANCE is worth 1, a probe answer w · agree + (1 − w) ·
   * correct (as a verification scores), a probe call not answered 0. When the period's probes hold fewer than
   * `samples` calls, an immediate probe buys the rest now, at the price of the round's opening: the weaker path, since
   * a fresh buyer that appears inside the commit window is a hint to the provider.
   */
  private async scoreFromProbes(
    roundId: bigint,
    listingId: bigint,
    listing: { endpointURI: string; modelHash: string; metadataURI: string },
    since: number,
    audits: AuditRecord[],
  ): Promise<{ scoreBps: number; report: unknown; auditDigests?: string[]; probeIds: number[] }> {
    const { prober } = this;
    const { verifier, metrics } = this.options;
    if (prober === undefined) {
      throw new Error(
        `listing ${listingId} has ${audits.length} audited receipts of the period (fewer than --min-audits) and this ` +
          `validator has no probe-funding account: it cannot score the round`,
      );
    }
    const records = prober.store.pending(listingId).filter((r) => r.probedAt >= since);
    const have = records.reduce((n, r) => n + r.calls, 0);
    const task = await verifier.taskOf({ listingId, metadataURI: listing.metadataURI });
    const need = verifier.samplesFor(task) - have;
    this.log.info("too few audited receipts, scoring from probes", {
      round: roundId,
      listing: listingId,
      audits: audits.length,
      minAudits: this.options.audits?.minAudits,
      probes: records.length,
      probeCalls: have,
    });
    // Never spend more than the round pays back: a provider that prices its calls above what a round reimburses
    // (a requested round pays at most its fee) would otherwise be paid the committee's samples for the request fee.
    const price = await this.priceAtOpening(roundId);
    const budget = need > 0 ? await this.roundProbeBudget(roundId) : 0n;
    const calls = need > 0 ? Math.min(need, affordableCalls(budget, probeSpend(records), price)) : 0;
    if (calls < need) {
      this.log.warn("the immediate probe is capped by what the round reimburses", {
        round: roundId,
        listing: listingId,
        wanted: need,
        calls,
        budgetWei: budget.toString(),
        pricePerCall: price.toString(),
      });
    }
    if (calls > 0) {
      this.log.info("too few probes of the period: probing now (the weaker path)", {
        round: roundId,
        listing: listingId,
        calls,
      });
      records.push(
        await prober.probe(
          {
            listingId,
            endpoint: listing.endpointURI,
            task,
          },
          calls,
          price,
          { reason: "immediate" },
        ),
      );
    }
    if (records.length === 0 && audits.length === 0) return this.abstain(roundId, listingId, budget, price);
    const target = { listingId, modelHash: listing.modelHash, metadataURI: listing.metadataURI };
    const params = verifier.options.score ?? DEFAULT_SCORE_PARAMS;
    const tally = await tallyProbes(records, target, verifier, params);
    const judged = await this.judgeAudits(listingId, listing, audits);
    const samples = tally.answered + tally.unanswered + judged.answers;
    const scoreBps = samples === 0 ? 0 : Math.round((10_000 * (tally.points + judged.within)) / samples);
    const fault = tally.faults.at(-1);
    const report = {
      source: "probes",
      probes: tally.probes,
      // The buyers' indices (their keys derive from the probe secret): their addresses stay out of the logs.
      probeIds: records.map((r) => r.buyerIndex),
      immediateProbe: need > 0,
      probeAnswers: tally.answered,
      unanswered: tally.unanswered,
      agreeing: tally.agreeing,
      correct: tally.correct,
      referenceCorrect: tally.referenceCorrect,
      malformed: tally.malformed,
      maxAbsDiff: Number.isFinite(tally.maxAbsDiff) ? tally.maxAbsDiff : "Infinity",
      audits: audits.length,
      auditAnswers: judged.answers,
      auditWithinTolerance: judged.within,
      scoreBps,
      ...(fault !== undefined ? { [fault.kind]: fault.reason } : {}),
    };
    if (fault !== undefined) {
      this.log.error(`listing ${fault.kind} on a probe: its unanswered calls score 0`, {
        round: roundId,
        listing: listingId,
        unanswered: tally.unanswered,
        reason: fault.reason,
      });
    }
    this.log.info("scored from probes", { round: roundId, listing: listingId, ...report });
    metrics.verifications.inc({ validator: this.address, outcome: fault?.kind ?? "scored" });
    metrics.inferences.inc({ validator: this.address }, tally.answered);
    metrics.lastScore.set({ validator: this.address, listing: listingId.toString() }, scoreBps);
    if (tally.executionProvider !== undefined) metrics.executionProvider.set({ provider: tally.executionProvider }, 1);
    return {
      scoreBps,
      report,
      ...(audits.length > 0 ? { auditDigests: audits.map((a) => a.receiptDigest) } : {}),
      probeIds: records.map((r) => r.buyerIndex),
    };
  }

  /**
   * What this validator may spend probing for round `roundId`: what the round reimburses its seats, every drawn seat
   * counted honest (the least each one gets), with the pool as it is now.
   */
  private async roundProbeBudget(roundId: bigint): Promise<bigint> {
    const { validation } = this.contracts;
    const [round, params, [, rewardPool], member, [opened]] = await Promise.all([
      validation.getRound(roundId),
      validation.parameters(),
      validation.totalOwed(),
      validation.memberOf(roundId, this.address),
      validation.queryFilter(validation.filters.RoundOpened(roundId), this.options.addresses.validationStartBlock),
    ]);
    const perSeat = reimbursementPerSeat({
      pricePerCall: round.pricePerCall,
      reimbursedCalls: params.reimbursedCalls,
      rewardPool,
      rewardShareBps: params.rewardShareBps,
      feePaid: opened?.args.feePaid ?? 0n,
      honestSeats: round.seated,
    });
    return perSeat * member.seats;
  }

  /**
   * What this validator may spend on the scheduled probes of a listing in one round period: what the listing's due
   * round reimburses a seat (a full committee honest, the pool as it is now), times the seats this validator's stake
   * holds on average.
   */
  private async periodProbeBudget(pricePerCall: bigint): Promise<bigint> {
    const { validation, validatorPool } = this.contracts;
    const [params, [, rewardPool], [weight, totalWeight]] = await Promise.all([
      validation.parameters(),
      validation.totalOwed(),
      validatorPool.drawWeight(this.address),
    ]);
    if (totalWeight === 0n) return 0n;
    const perSeat = reimbursementPerSeat({
      pricePerCall,
      reimbursedCalls: params.reimbursedCalls,
      rewardPool,
      rewardShareBps: params.rewardShareBps,
      feePaid: 0n,
      honestSeats: params.committeeSize,
    });
    return (perSeat * params.committeeSize * weight) / totalWeight;
  }

  /**
   * The round's score when there is nothing to score from and the round does not pay for a probe: the listing's
   * current quality, so the median moves nothing on this member's account (no reveal would be penalised, and 0 would
   * let anyone who requests a cheap round on an expensive honest listing have it disputed).
   */
  private async abstain(
    roundId: bigint,
    listingId: bigint,
    budget: bigint,
    pricePerCall: bigint,
  ): Promise<{ scoreBps: number; report: unknown; probeIds: number[] }> {
    const scoreBps = Number(await this.contracts.registry.qualityOf(listingId));
    const report = {
      source: "unaffordable",
      reason: `no audits and no probes of the period, and the round reimburses ${budget} wei: not one call at ${pricePerCall}`,
      scoreBps,
    };
    this.log.warn("nothing to score from and no probe the round pays for: committing the listing's current quality", {
      round: roundId,
      listing: listingId,
      ...report,
    });
    this.options.metrics.verifications.inc({ validator: this.address, outcome: "unaffordable" });
    return { scoreBps, report, probeIds: [] };
  }

  /** The listing's price per call fixed when round `roundId` opened (the ValidationManager records it on-chain). */
  private async priceAtOpening(roundId: bigint): Promise<bigint> {
    const known = this.openingPrice.get(roundId);
    if (known !== undefined) return known;
    const { pricePerCall } = await this.contracts.validation.getRound(roundId);
    this.openingPrice.set(roundId, pricePerCall);
    return pricePerCall;
  }

  /** The listing's audited receipts waiting in the store that were served since `since` (unix seconds). */
  private periodAudits(listingId: bigint, since: number): AuditRecord[] {
    return this.options.audits?.store.pending(listingId).filter((a) => a.servedAt >= since) ?? [];
  }

  /** Re-executes each audited input on the declared model: how many answers, and how many within ANSWER_TOLERANCE. */
  private async judgeAudits(
    listingId: bigint,
    listing: { modelHash: string; metadataURI: string },
    audits: AuditRecord[],
  ): Promise<{ answers: number; within: number; frauds: number; maxDeviation: number }> {
    let answers = 0;
    let within = 0;
    let maxDeviation = 0;
    let frauds = 0;
    for (const audit of audits) {
      const verdict = await judgeAnswer(
        { receipt: receiptFromWire(audit.receipt).receipt, inputURI: audit.inputURI, outputURI: audit.outputURI },
        { listingId, modelHash: listing.modelHash, metadataURI: listing.metadataURI },
        this.options.verifier,
        this.publication(),
        await this.options.verifier.taskOf({ listingId, metadataURI: listing.metadataURI }),
      );
      answers += verdict.inputs;
      within += verdict.withinTolerance;
      if (verdict.fraud) {
        frauds++;
        this.filer?.consider(audit, verdict, "audit");
      }
      maxDeviation = Math.max(maxDeviation, verdict.maxDeviation ?? 0);
    }
    return { answers, within, frauds, maxDeviation };
  }

  /**
   * The round's score from the listing's audited receipts (at least `minAudits` of them served since one round period
   * before the round opened): the share (bps) of the audited answers within ANSWER_TOLERANCE of the declared model
   * (each audited input re-executed).
   */
  private async scoreFromAudits(
    roundId: bigint,
    listingId: bigint,
    listing: { modelHash: string; metadataURI: string },
    usable: AuditRecord[],
  ): Promise<{ scoreBps: number; report: unknown; auditDigests: string[] }> {
    const { answers, within, frauds, maxDeviation } = await this.judgeAudits(listingId, listing, usable);
    const scoreBps = answers === 0 ? 0 : Math.round((10_000 * within) / answers);
    const report = {
      source: "audits",
      audits: usable.length,
      answers,
      withinTolerance: within,
      fraudulentReceipts: frauds,
      maxDeviation: Number.isFinite(maxDeviation) ? maxDeviation : "Infinity",
      tolerance: ANSWER_TOLERANCE,
      scoreBps,
    };
    this.log.info("scored from audited receipts", { round: roundId, listing: listingId, ...report });
    this.options.metrics.verifications.inc({ validator: this.address, outcome: "audited" });
    this.options.metrics.lastScore.set({ validator: this.address, listing: listingId.toString() }, scoreBps);
    return { scoreBps, report, auditDigests: usable.map((a) => a.receiptDigest) };
  }

  private publication(): PublicationOptions {
    return this.options.publication ?? { ipfsGateway: this.options.verifier.options.fetch.ipfsGateway };
  }

  /** Keeps every probe's answer with its receipt and bytes on disk: a wrong one can be filed as a fraud proof. */
  private keepAnswer(answer: ReceivedAnswer): void {
    const digest = receiptDigest(this.domain, answer.receipt);
    const dir = join(this.options.state.dir, "answers", answer.listingId.toString());
    mkdirSync(dir, { recursive: true });
    writeDurably(
      join(dir, `${digest}.json`),
      JSON.stringify({
        receiptDigest: digest,
        endpoint: answer.endpoint,
        receipt: answer.receiptWire,
        inputURI: toEvidenceURI(answer.input),
        outputURI: toEvidenceURI(answer.output),
      }) + "\n",
    );
    this.filer?.queueProbe(answer); // judged for a fraud proof once on disk
  }

  /** Queues the fraud proofs filed since the last scan, then judges each (a failed judgement is retried later). */
  private async judgeFraudProofs(latest: number): Promise<void> {
    const { challenges } = this.contracts;
    if (latest > this.fraudScannedTo) {
      const events = await withRetry(
        () => challenges.queryFilter(challenges.filters.FraudProofFiled(), this.fraudScannedTo + 1, latest),
        { retryable: isTransientRpcError },
      );
      for (const event of events) {
        const proof = filedFraudProofOf(event.args);
        const record = this.options.state.readJson<FraudRecord>(`fraud-${proof.disputeId}.json`);
        if (record?.evidenceTx === undefined && record?.notSent === undefined)
          this.fraudQueue.set(proof.disputeId, proof);
      }
      this.fraudScannedTo = latest;
    }
    for (const proof of this.fraudQueue.values()) {
      if (this.stopped) return;
      try {
        await this.judgeFraudProof(proof);
        this.fraudQueue.delete(proof.disputeId);
      } catch (error) {
        this.options.metrics.errors.inc({ stage: "fraud-proof" });
        this.log.warn("judging a fraud proof failed, will retry", {
          dispute: proof.disputeId,
          reason: (error as Error).message,
        });
      }
    }
  }

  private async judgeFraudProof(proof: FiledFraudProof): Promise<void> {
    const name = `fraud-${proof.disputeId}.json`;
    let record = this.options.state.readJson<FraudRecord>(name);
    if (record === undefined) {
      const listing = await this.contracts.registry.getListing(proof.listingId);
      const verdict = await judgeAnswer(
        proof,
        { listingId: proof.listingId, modelHash: listing.modelHash, metadataURI: listing.metadataURI },
        this.options.verifier,
        this.publication(),
        // The listing's task's single-answer rule (its metadata's task): a VAD answer is not judged as MNIST.
        await this.options.verifier.taskOf({ listingId: proof.listingId, metadataURI: listing.metadataURI }),
      );
      record = {
        disputeId: proof.disputeId.toString(),
        listingId: proof.listingId.toString(),
        receiptDigest: proof.receiptDigest,
        verdict,
        evidenceURI: verdictEvidenceURI(verdict, { ...proof, validator: this.address }),
      };
      this.options.state.writeJson(name, record); // the verdict is on disk before its evidence leaves
      this.log.info("judged a fraud proof", {
        dispute: proof.disputeId,
        listing: proof.listingId,
        fraud: verdict.fraud,
        outcome: verdict.outcome,
        maxDeviation: verdict.maxDeviation,
      });
    }
    const evidenceURI = record.evidenceURI;
    try {
      const tx = await this.send("submitEvidence", () =>
        this.contracts.challenges.submitEvidence(proof.disputeId, evidenceURI),
      );
      this.options.state.writeJson(name, { ...record, evidenceTx: tx });
    } catch (error) {
      if (revertName(error) !== "ChallengeAlreadyResolved") throw error;
      this.options.state.writeJson(name, { ...record, notSent: "the dispute was resolved before the evidence" });
    }
  }

  private async reveal(roundId: bigint): Promise<void> {
    const { validation } = this.contracts;
    const member = await validation.memberOf(roundId, this.address);
    if (member.seats === 0n) {
      if (!this.options.keeper) this.active.delete(roundId);
      return;
    }
    if (member.commitment === ZeroHash || member.revealed) return;
    const record = this.options.state.get(roundId);
    if (record === undefined || record.commitment !== member.commitment) {
      this.log.error("committed in this round but the salt is not in the state dir: cannot reveal", {
        round: roundId,
        stateDir: this.options.state.dir,
      });
      return;
    }
    const hash = await this.send("revealScore", () => validation.revealScore(roundId, record.scoreBps, record.salt));
    this.options.state.update(roundId, { revealTx: hash });
    this.options.metrics.reveals.inc({ validator: this.address });
    this.log.info("revealed", { round: roundId, scoreBps: record.scoreBps, tx: hash });
  }
}

const REVERT_INTERFACES = [
  IListingRegistry__factory.createInterface(),
  IListingChallenges__factory.createInterface(),
  IValidationManager__factory.createInterface(),
];

/** The custom error a failed transaction or call reverted with (undefined when none can be read). */
function revertName(error: unknown): string | undefined {
  const e = error as { revert?: { name?: string }; data?: string; info?: { error?: { data?: string } } };
  if (e.revert?.name !== undefined) return e.revert.name;
  const data = e.data ?? e.info?.error?.data;
  if (typeof data !== "string") return undefined;
  for (const iface of REVERT_INTERFACES) {
    const parsed = iface.parseError(data);
    if (parsed !== null) return parsed.name;
  }
  return undefined;
}
