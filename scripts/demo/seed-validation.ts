// Demo validation for a local chain: three validators (run by one `curia-validator run` process) score the honest
// and the cheating listing. The validator service does the real work (its fresh probe buyers buy calls and sample the
// providers with signed requests; it re-executes on the reference model, commits, reveals, finalizes); this module
// only funds the demo accounts and fast-forwards the local chain through the commit and reveal windows once every member has acted,
// so the story completes in a minute instead of twenty.
import { formatEther, parseEther, type Signer } from "ethers";
import { RoundPhase, RoundPhaseNames, enumName, type RoundPhaseName } from "@curia/protocol";
import { DEFAULT_PROBE_FUNDING_DEV_ACCOUNT } from "@curia/validator";
import { hardhatTestAccount, unlockedAccount } from "../lib/dev-accounts.js";
import { finalisedRound } from "./rounds.js";
import type { CuriaToken, ValidationManager } from "../../types/ethers-contracts/index.js";

/** Hardhat test accounts the demo validator service runs as. */
export const DEMO_VALIDATORS = [17, 18, 19] as const;
/** What each of them stakes (`curia-validator run --stake`). */
export const DEMO_VALIDATOR_STAKE = parseEther("2000");
const DEMO_VALIDATOR_FUNDS = parseEther("10000");
/**
 * The validator service funds its probe buyers from a separate account, never a validator's key (docs/probes.md): on
 * the local chain Hardhat's public test account #20, past the twenty the node funds, so the demo gives it gas and CUR.
 */
export const DEMO_PROBE_FUNDING_ACCOUNT = DEFAULT_PROBE_FUNDING_DEV_ACCOUNT;
const DEMO_PROBE_FUNDING_GAS = parseEther("10");
const DEMO_PROBE_FUNDING_CUR = parseEther("10000");
/**
 * The validators' pool pays round rewards and, when a median falls below the minimum, the dispute's bond and fee.
 * On a public chain the DAO funds it (a treasury transfer proposal); the demo's deployer does it here.
 */
export const DEMO_VALIDATION_POOL = parseEther("20000");

export interface FundValidatorsOptions {
  token: CuriaToken;
  validation: ValidationManager;
  accounts: readonly Signer[];
  log?: (message: string) => void;
}

/** Gives the demo validators CUR to stake with, the probe-funding account gas and CUR, and funds the validators' pool. */
export async function fundDemoValidators(options: FundValidatorsOptions): Promise<void> {
  const { token, validation, accounts } = options;
  const log = options.log ?? (() => {});
  const funder = unlockedAccount(accounts, 0, "to fund the validators");
  for (const index of DEMO_VALIDATORS) {
    const account = unlockedAccount(accounts, index, "for a demo validator");
    await (await token.connect(funder).transfer(await account.getAddress(), DEMO_VALIDATOR_FUNDS)).wait();
  }
  await (await token.connect(funder).transfer(await validation.getAddress(), DEMO_VALIDATION_POOL)).wait();
  const probeFunding = hardhatTestAccount(DEMO_PROBE_FUNDING_ACCOUNT).address;
  await (await funder.sendTransaction({ to: probeFunding, value: DEMO_PROBE_FUNDING_GAS })).wait();
  await (await token.connect(funder).transfer(probeFunding, DEMO_PROBE_FUNDING_CUR)).wait();
  log(
    `validators #${DEMO_VALIDATORS.join(", #")} received ${formatEther(DEMO_VALIDATOR_FUNDS)} CUR each; ` +
      `their probe-funding account #${DEMO_PROBE_FUNDING_ACCOUNT} ${formatEther(DEMO_PROBE_FUNDING_CUR)} CUR and ` +
      `${formatEther(DEMO_PROBE_FUNDING_GAS)} ETH; the validators' pool ${formatEther(DEMO_VALIDATION_POOL)} CUR`,
  );
}

export interface DriveRoundsOptions {
  validation: ValidationManager;
  listings: readonly bigint[];
  /** Moves the chain's clock (evm_increaseTime + evm_mine). */
  increaseTime: (seconds: number) => Promise<void>;
  /** The chain's latest block timestamp. */
  now: () => Promise<bigint>;
  /** Gives up (with the rounds' phases in the error) after this long. */
  timeoutMs?: number;
  /** Says why the rounds cannot progress (e.g. the validator service exited), or undefined while all is well. */
  healthy?: () => string | undefined;
  log?: (message: string) => void;
}

export interface FinishedRound {
  listingId: bigint;
  roundId: bigint;
  medianBps: number;
  quorumReached: boolean;
  revealed: number;
  /** The Court dispute the round opened (median below the minimum), if any. */
  disputeId?: bigint;
}

/**
 * Waits for the validator service to open, draw, commit and reveal a round on each listing, moving the clock past a
 * window as soon as every seated member has acted in it, and returns each round's outcome once finalized.
 */
export async function driveDemoRounds(options: DriveRoundsOptions): Promise<FinishedRound[]> {
  const { validation, listings, increaseTime, now } = options;
  const log = options.log ?? (() => {});
  const deadline = Date.now() + (options.timeoutMs ?? 240_000);
  const finished = new Map<bigint, FinishedRound>();
  const phases = new Map<bigint, RoundPhaseName>();
  while (finished.size < listings.length) {
    const problem = options.healthy?.();
    if (problem !== undefined) throw new Error(problem);
    if (Date.now() > deadline) {
      const state = listings.map((id) => `listing ${id}: phase ${phases.get(id) ?? "no round"}`).join(", ");
      throw new Error(`the demo validation rounds did not finish in time (${state})`);
    }
    // The rounds share one clock: it moves only when every open round is ready for it (all its seats committed, or
    // all revealed), and only to the nearest of their ends, so a round whose members are still scoring (a VAD or OCR
    // round takes longer than MNIST's) never has its commit or reveal window closed by another round's jump.
    const jumps: { to: bigint; note: string }[] = [];
    let allReady = true;
    for (const listingId of listings) {
      if (finished.has(listingId)) continue;
      const [roundId] = await validation.listingRounds(listingId);
      if (roundId === 0n) {
        allReady = false;
        continue;
      }
      const phase = Number(await validation.phaseOf(roundId));
      phases.set(listingId, enumName(RoundPhaseNames, phase));
      const round = await validation.getRound(roundId);
      if (phase === RoundPhase.Commit && round.seated > 0n && round.committed === round.seated) {
        jumps.push({
          to: round.commitEnd,
          note: `round ${roundId} (listing ${listingId}): all ${round.seated} seats committed; clock moved to reveals`,
        });
      } else if (phase === RoundPhase.Reveal && round.revealed === round.committed) {
        jumps.push({
          to: round.revealEnd,
          note: `round ${roundId} (listing ${listingId}): all ${round.revealed} seats revealed; clock moved past reveals`,
        });
      } else if (phase === RoundPhase.Finalizable) {
        // The validator service's keeper finalizes too; whoever is first wins, the other's call is not needed (it
        // reverts with ValidationWrongPhase when sent, or fails when mined: both are caught).
        await validation
          .finalizeRound(roundId)
          .then((tx) => tx.wait())
          .catch(() => undefined);
      } else if (phase === RoundPhase.Finalized || phase === RoundPhase.Cancelled) {
        finished.set(listingId, await outcomeOf(validation, listingId, roundId));
        const outcome = finished.get(listingId)!;
        log(
          phase === RoundPhase.Cancelled
            ? `round ${roundId} (listing ${listingId}) was cancelled`
            : `round ${roundId} (listing ${listingId}): median ${outcome.medianBps} bps from ${outcome.revealed} reveals` +
                (outcome.disputeId === undefined ? "" : `; below the minimum: dispute ${outcome.disputeId} opened`),
        );
      } else {
        allReady = false; // drawing, or members still committing or revealing
      }
    }
    if (allReady && jumps.length > 0) {
      const nearest = jumps.reduce((a, b) => (b.to < a.to ? b : a));
      const seconds = Number(nearest.to - (await now())) + 1;
      if (seconds > 0) await increaseTime(seconds);
      for (const jump of jumps.filter((j) => j.to === nearest.to)) log(jump.note);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return listings.map((id) => finished.get(id)!);
}

async function outcomeOf(validation: ValidationManager, listingId: bigint, roundId: bigint): Promise<FinishedRound> {
  const { round, dispute } = await finalisedRound(validation, roundId);
  const { medianBps, quorumReached, revealed } = round;
  return { listingId, roundId, medianBps: Number(medianBps), quorumReached, revealed: Number(revealed), ...dispute };
}
