// Weeks of demo history: the dashboard's charts are one point per day with activity (the indexer's DailyStat rows),
// so a demo seeded in one day draws single dots. Between the marketplace seed and the validators, this moves the local
// chain's clock a day at a time for HISTORY_DAYS days and leaves activity on each: purchases that grow day by day, a
// curator who adds stake every few days, a proposal every few days (passed and executed, or defeated), a validation
// round every other day on the batch and the turbo listing (scores that vary, and one low round whose median opens the
// validators' pool's dispute), and a challenge appealed once (scripts/demo/history-court.ts). Every dispute is ruled
// for the provider and executed the day it opened, so the listings stay Active. The live validation rounds and the
// disputes of the demo story follow "today" (scripts/start.ts).
//
// It buys and stakes from accounts of its own (HISTORY_BUYERS, HISTORY_CURATOR: derived from the public test
// mnemonic, beyond the node's 20 unlocked accounts), so the figures the other seeds and their tests expect of the
// demo consumer and curators stay exact.
import { id, parseEther, Wallet, type Provider, type Signer } from "ethers";
import { Ruling, VoteType } from "@curia/protocol";
import type { CuriaContracts } from "../drivers/contracts.js";
import { hardhatTestAccount, unlockedAccount } from "../lib/dev-accounts.js";
import { DEMO_FEE_BPS, DEMO_PROPOSER, DEMO_VOTER } from "./seed-proposals.js";
import { HistoryCourt, type DisputeOutcome, type RoundOutcome } from "./history-court.js";

const DAY = 86_400;
/** Days of history before "today": the dashboard's demo check wants at least 14 days of block timestamps. */
export const HISTORY_DAYS = 15;
/** Consumers of the history (account #20 is the validator's probe funding account). */
export const HISTORY_BUYERS = [21, 22] as const;
export const HISTORY_CURATOR = 23;
/** The listings bought from every day (DEMO_LISTINGS order: the honest, the cheap and the validator-aware one). */
export const HISTORY_LISTINGS = [1n, 2n, 4n] as const;
/** A proposal every this many days. */
const PROPOSAL_EVERY = 4;
/** The curator adds stake every this many days. */
const STAKE_EVERY = 3;
/**
 * The history's validation rounds, by day: the listing (the batch and the turbo one: not the listings the live demo's
 * validators score, whose last round the demo reads as today's), the score its validators give (each a little off it,
 * within the tolerance), and an outlying score one of them gives (penalized). Day 8's round is low: its median opens
 * the validators' pool's dispute.
 */
export const HISTORY_ROUNDS: readonly { day: number; listingId: bigint; scoreBps: number; outlierBps?: number }[] = [
  { day: 0, listingId: 3n, scoreBps: 9_300 },
  { day: 2, listingId: 4n, scoreBps: 9_500 },
  { day: 4, listingId: 3n, scoreBps: 9_100 },
  { day: 6, listingId: 4n, scoreBps: 9_400, outlierBps: 7_800 },
  { day: 8, listingId: 3n, scoreBps: 2_400 },
  { day: 10, listingId: 4n, scoreBps: 9_600 },
  { day: 12, listingId: 3n, scoreBps: 8_900 },
  { day: 14, listingId: 4n, scoreBps: 9_450 },
];
/** The day the low round's dispute is ruled (for the provider: the probes had hit an endpoint outage). */
export const HISTORY_POOL_DISPUTE_DAY = 8;
/** The disputes the history opens (and executes): the court's first ones, before the live demo's. */
export const HISTORY_DISPUTES = 2;
/** The day the history's challenger challenges the turbo listing, loses, appeals and loses again. */
export const HISTORY_CHALLENGE = { day: 11, listingId: 4n } as const;

export interface SeedHistoryOptions extends CuriaContracts {
  /** The node's unlocked accounts: #0 funds the history's accounts, DEMO_PROPOSER and DEMO_VOTER vote. */
  accounts: readonly Signer[];
  provider: Provider;
  increaseTime: (seconds: number) => Promise<void>;
  /** The chain's latest block timestamp. */
  now: () => Promise<bigint>;
  days?: number;
  log?: (message: string) => void;
}

export interface SeededHistory {
  days: number;
  purchases: number;
  proposals: number;
  /** The validation rounds, in order (the low one with its dispute). */
  rounds: RoundOutcome[];
  /** The disputes, in order: the pool's, then the appealed challenge. */
  disputes: DisputeOutcome[];
  /** Block timestamps of the first and last day of history. */
  from: bigint;
  to: bigint;
}

const unlocked = (accounts: readonly Signer[], index: number): Signer =>
  unlockedAccount(accounts, index, "for the demo history");

/** Calls bought on day `day` from the `listing`-th history listing: a trend that grows, with a weekly dip. */
export function historyCalls(day: number, listing: number, buyer: number): bigint {
  const weekend = day % 7 === 5 || day % 7 === 6;
  return BigInt((10 + 4 * day + 7 * listing + 3 * buyer) * (weekend ? 1 : 2));
}

/** Seeds HISTORY_DAYS days of activity. A chain that already went through it (a buyer holds calls) is left alone. */
export async function seedHistory(options: SeedHistoryOptions): Promise<SeededHistory | undefined> {
  const { token, registry, curationPool, governor, accounts, provider, increaseTime } = options;
  const days = options.days ?? HISTORY_DAYS;
  const log = options.log ?? (() => {});
  const funder = unlocked(accounts, 0);
  const wallet = (index: number) => new Wallet(hardhatTestAccount(index).privateKey, provider);
  const buyers = HISTORY_BUYERS.map(wallet);
  const curator = wallet(HISTORY_CURATOR);
  if ((await registry.callsPurchased(HISTORY_LISTINGS[0], buyers[0]!.address)) > 0n) {
    log("history already seeded");
    return undefined;
  }
  const [registryAddress, poolAddress, registryParameters] = await Promise.all([
    registry.getAddress(),
    curationPool.getAddress(),
    registry.parameters(),
  ]);
  for (const account of [...buyers, curator]) {
    await (await funder.sendTransaction({ to: account.address, value: parseEther("100") })).wait();
    await (await token.connect(funder).transfer(account.address, parseEther("200000"))).wait();
    await (await token.connect(account).approve(registryAddress, 2n ** 256n - 1n)).wait();
    await (await token.connect(account).approve(poolAddress, 2n ** 256n - 1n)).wait();
  }
  const { warmupPeriod } = await curationPool.parameters();
  const [votingDelay, votingPeriod] = await Promise.all([governor.votingDelay(), governor.votingPeriod()]);
  const proposer = unlocked(accounts, DEMO_PROPOSER);
  const voter = unlocked(accounts, DEMO_VOTER);
  const from = await options.now();
  const started = Date.now();
  let purchases = 0;
  let proposals = 0;
  const rounds: RoundOutcome[] = [];
  const disputes: DisputeOutcome[] = [];
  const history = new HistoryCourt({
    token,
    validation: options.validation,
    court: options.court,
    jurorPool: options.jurorPool,
    challenges: options.challenges,
    provider,
    funder,
    wallet,
    increaseTime,
    now: options.now,
  });
  await history.join();

  for (let day = 0; day < days; day++) {
    const dayStart = await options.now();
    for (const [b, buyer] of buyers.entries()) {
      for (const [l, listingId] of HISTORY_LISTINGS.entries()) {
        const { pricePerCall } = await registry.getListing(listingId);
        const calls = historyCalls(day, l, b);
        await (await registry.connect(buyer).purchase(listingId, calls, buyer.address, pricePerCall)).wait();
        purchases++;
      }
    }
    if (day % STAKE_EVERY === 0) {
      // Alternates between the honest and the batch listing; activated once warm, so the pool's active stake (what
      // the demo check compares with the index) includes it.
      const listingId = day % (2 * STAKE_EVERY) === 0 ? 1n : 3n;
      await (await curationPool.connect(curator).stake(listingId, parseEther(String(1000 + 250 * day)))).wait();
      await increaseTime(Number(warmupPeriod) + 1);
      await (await curationPool.activate(listingId, curator.address)).wait();
    }
    if (day % PROPOSAL_EVERY === 1) {
      // Passed and executed (both holders for), or defeated (the second holder against: For alone is under quorum).
      const passes = proposals % 2 === 0;
      const n = proposals + 1;
      const description = passes
        ? `# Keep the protocol fee at ${DEMO_FEE_BPS / 100}% (review ${n})\n\nThe periodic fee review: sales grew since the last one, so the fee stays.`
        : `# Halve the validator share (review ${n})\n\nMore of each fee to curators. Rejected: validators would stop covering their GPU costs.`;
      const calldata = passes
        ? registry.interface.encodeFunctionData("setProtocolFee", [DEMO_FEE_BPS])
        : registry.interface.encodeFunctionData("setProtocolFee", [DEMO_FEE_BPS + 100]);
      const targets = [registryAddress];
      const values = [0n];
      const calldatas = [calldata];
      const descriptionHash = id(description);
      await (await governor.connect(proposer).propose(targets, values, calldatas, description)).wait();
      const proposalId = await governor.hashProposal(targets, values, calldatas, descriptionHash);
      await increaseTime(Number(votingDelay) + 1);
      await (await governor.connect(proposer).castVote(proposalId, VoteType.For)).wait();
      await (await governor.connect(voter).castVote(proposalId, passes ? VoteType.For : VoteType.Against)).wait();
      await increaseTime(Number(votingPeriod) + 1);
      if (passes) {
        await (await governor.queue(targets, values, calldatas, descriptionHash)).wait();
        const delay = Number(await governor.proposalEta(proposalId)) - Number(await governor.clock());
        await increaseTime(Math.max(delay, 0) + 1);
        await (await governor.execute(targets, values, calldatas, descriptionHash)).wait();
      }
      proposals++;
    }
    for (const { listingId, scoreBps, outlierBps } of HISTORY_ROUNDS.filter((r) => r.day === day)) {
      const round = await history.round(listingId, scoreBps, outlierBps);
      rounds.push(round);
      if (day === HISTORY_POOL_DISPUTE_DAY) {
        if (round.disputeId === undefined)
          throw new Error(`the history's low round ${round.roundId} opened no dispute`);
        // Two jurors' seats for the provider outvote the third's for the pool.
        await history.jurorRound(round.disputeId, Ruling.Defendant, Ruling.Challenger);
        disputes.push(await history.execute(round.disputeId, listingId, true));
      }
    }
    if (day === HISTORY_CHALLENGE.day) {
      const { listingId } = HISTORY_CHALLENGE;
      const disputeId = await history.challenge(
        listingId,
        "data:text/plain,Answers on rotated digits differ from the reference model",
      );
      await history.jurorRound(disputeId, Ruling.Defendant);
      // The challenger appeals to a larger jury, which confirms the ruling with one dissent.
      await history.appeal(disputeId);
      await history.jurorRound(disputeId, Ruling.Defendant, Ruling.Challenger);
      disputes.push(await history.execute(disputeId, listingId));
    }
    // On to the same time of the next day.
    const spent = Number((await options.now()) - dayStart);
    await increaseTime(Math.max(DAY - spent, 1));
  }
  // The history's validators and jurors leave "today", not on its last day: the dashboard's stake chart then shows their
  // stake to the end of the history (an exit on the last day drew a drop to zero) and today the live demo's.
  await history.leave();
  // The fee never changed: history proposals only confirm it (the defeated ones would have raised it).
  if ((await registry.parameters()).protocolFeeBps !== registryParameters.protocolFeeBps) {
    throw new Error("the demo history changed the protocol fee");
  }
  const to = await options.now();
  log(
    `${days} days of history: ${purchases} purchases, ${proposals} proposals, ${rounds.length} validation rounds, ` +
      `${disputes.length} disputes, a curator adding stake (${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
  return { days, purchases, proposals, rounds, disputes, from, to };
}
