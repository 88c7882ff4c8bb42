// The long-running validator: follows the ValidationManager's rounds, verifies the listings of the rounds it sits on,
// commits and reveals its score, and (as a keeper) calls the permissionless steps that move rounds along.
import {
  MaxUint256,
  ZeroHash,
  hexlify,
  randomBytes,
  type HDNodeWallet,
  type JsonRpcProvider,
  type Wallet,
} from "ethers";
import {
  ListingStatus,
  RoundPhase,
  RoundPhaseNames,
  enumName,
  inferenceDomain,
  scoreCommitment,
} from "@curia/protocol";
import { IRandomnessSource__factory } from "@curia/protocol/ethers";
import { connectContracts, type CuriaAddresses, type CuriaContracts } from "./chain.js";
import { InferenceClient, ProviderRefusedError, type ClientOptions } from "./client.js";
import { ListingUnverifiableError } from "./fetch-model.js";
import type { Logger } from "./log.js";
import type { ValidatorMetrics } from "./metrics.js";
import { isTransientRpcError, withRetry } from "./retry.js";
import type { RoundRecord, StateStore } from "./state.js";
import type { VerificationReport, Verifier } from "./verify.js";

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
  /** Buy the sampled calls before verifying (like any consumer); off: use calls bought beforehand. */
  buyCalls: boolean;
  client?: ClientOptions;
  /** Test hook: "exit-after-prepare" kills the process right after the salt is on disk, before the commit is sent. */
  fault?: string;
}

/** A failure that says the listing cannot be verified (its fault), as opposed to a transient one (retried later). */
function isListingFault(error: unknown): boolean {
  return error instanceof ListingUnverifiableError || (error instanceof ProviderRefusedError && error.status !== 402);
}

export class ValidatorService {
  readonly address: string;
  private readonly contracts: CuriaContracts;
  private readonly client: InferenceClient;
  private readonly active = new Set<bigint>();
  private readonly finished = new Set<bigint>();
  private scannedTo: number;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly log: Logger;
  /** Transient verification failures per round: when the next attempt may start, and how many failed. */
  private readonly retryAt = new Map<bigint, { at: number; failures: number }>();
  /** Reports of this process's verifications, by round (for tests and the status line). */
  readonly reports = new Map<bigint, VerificationReport>();

  constructor(private readonly options: ServiceOptions) {
    this.address = options.wallet.address;
    this.contracts = connectContracts(options.addresses, options.wallet);
    this.client = new InferenceClient(
      options.wallet,
      inferenceDomain(options.addresses.chainId, options.addresses.registry),
      { ...options.client, log: options.log },
    );
    this.scannedTo = options.addresses.validationStartBlock - 1;
    this.log = options.log;
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
    if ((await token.allowance(this.address, spender)) < amount) {
      await this.send("approve", () => token.approve(spender, MaxUint256));
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
    for (const roundId of this.options.state.pending()) this.active.add(roundId);
    if (this.active.size > 0) this.log.info("resuming rounds from the state dir", { rounds: [...this.active] });
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
      this.scannedTo = latest;
    }
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
      const score = await this.verifyForRound(roundId, round.listingId, listing);
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
  ): Promise<{ scoreBps: number; report: unknown } | undefined> {
    const { verifier, metrics } = this.options;
    const stopTimer = metrics.verificationSeconds.startTimer();
    try {
      if (this.options.buyCalls) await this.buyCalls(listingId, BigInt(verifier.samples), listing.pricePerCall);
      const report = await verifier.verifyListing(
        {
          listingId,
          endpoint: listing.endpointURI,
          modelHash: listing.modelHash,
          metadataURI: listing.metadataURI,
          roundId,
        },
        this.client,
      );
      this.reports.set(roundId, report);
      metrics.verifications.inc({ validator: this.address, outcome: "scored" });
      metrics.inferences.inc({ validator: this.address }, report.samples);
      metrics.lastScore.set({ validator: this.address, listing: listingId.toString() }, report.scoreBps);
      metrics.executionProvider.set({ provider: report.executionProvider }, 1);
      return { scoreBps: report.scoreBps, report };
    } catch (error) {
      if (isListingFault(error)) {
        // The listing cannot be verified: its model does not match its hash, or its endpoint refuses paid calls.
        metrics.verifications.inc({ validator: this.address, outcome: "unverifiable" });
        metrics.lastScore.set({ validator: this.address, listing: listingId.toString() }, 0);
        this.log.error("listing unverifiable, scoring 0", {
          round: roundId,
          listing: listingId,
          reason: (error as Error).message,
        });
        return { scoreBps: 0, report: { unverifiable: (error as Error).message } };
      }
      metrics.verifications.inc({ validator: this.address, outcome: "failed" });
      metrics.errors.inc({ stage: "verify" });
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

  private async buyCalls(listingId: bigint, calls: bigint, price: bigint): Promise<void> {
    const { registry, token } = this.contracts;
    await this.approve(token, this.options.addresses.registry, price * calls);
    await this.send("purchase", () => registry.purchase(listingId, calls, this.address, price));
    this.log.debug("bought calls", { listing: listingId, calls });
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
