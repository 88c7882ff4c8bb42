// The validation rounds and disputes of the demo's history (scripts/demo/seed-history.ts), played by accounts of the
// history's own through the real contracts: validators committed and revealed with the protocol package's
// scoreCommitment, jurors with its voteCommitment, the clock moved only past the deadlines that need it. Every round
// and dispute ends the day it starts, so the listings are Active again by the end of the day and the history leaves no
// lock behind: the history's validators and jurors settle, claim, unstake and withdraw at its end ("today"), so that the
// live demo draws only its own validators and jurors.
import { hexlify, parseEther, randomBytes, type Provider, type Signer, type Wallet } from "ethers";
import { Period, RoundPhase, scoreCommitment, voteCommitment } from "@curia/protocol";
import { StakePool__factory, type StakePool } from "../../types/ethers-contracts/index.js";
import type { CuriaContracts } from "../drivers/contracts.js";
import { finalisedRound } from "./rounds.js";

/** Derived test accounts (beyond the node's unlocked 20) the history's validators, jurors and challenger use. */
export const HISTORY_VALIDATORS = [24, 25, 26, 27, 28] as const;
export const HISTORY_JURORS = [29, 30, 31, 32, 33] as const;
export const HISTORY_CHALLENGER = 34;
const VALIDATOR_STAKE = parseEther("1000");
const JUROR_STAKE = parseEther("2000");
/** How far each member's score is from the round's (well within the local 500 bps tolerance), in seat order. */
const SCORE_JITTER = [0, -40, 60, -90, 110] as const;
/** What the history's rounds pay their validators from, and what the low round's dispute is raised with. */
export const HISTORY_VALIDATION_POOL = parseEther("5000");

export interface RoundOutcome {
  roundId: bigint;
  listingId: bigint;
  medianBps: number;
  /** Distinct validators seated. */
  members: number;
  /** Whether a member scored the round's outlier (and was penalized for it). */
  outlier: boolean;
  /** The validators' pool's dispute, when the median fell below the minimum. */
  disputeId?: bigint;
}

export interface DisputeOutcome {
  disputeId: bigint;
  listingId: bigint;
  /** Juror rounds the dispute took (2 when appealed). */
  rounds: number;
  ruling: number;
}

export interface HistoryCourtOptions extends Pick<
  CuriaContracts,
  "token" | "validation" | "court" | "jurorPool" | "challenges"
> {
  provider: Provider;
  funder: Signer;
  wallet: (index: number) => Wallet;
  increaseTime: (seconds: number) => Promise<void>;
  now: () => Promise<bigint>;
}

/** The history's validators and jurors, and what they do on a day with a round or a dispute. */
export class HistoryCourt {
  readonly validators: Wallet[];
  readonly jurors: Wallet[];
  readonly challenger: Wallet;
  private validatorPool?: StakePool;

  constructor(private readonly o: HistoryCourtOptions) {
    this.validators = HISTORY_VALIDATORS.map(o.wallet);
    this.jurors = HISTORY_JURORS.map(o.wallet);
    this.challenger = o.wallet(HISTORY_CHALLENGER);
  }

  /** Funds and stakes the validators and jurors, funds the challenger, and tops up the validators' reward pool. */
  async join(): Promise<void> {
    const { token, validation, court, jurorPool, challenges, funder } = this.o;
    const pool = await this.pool();
    const [poolAddress, jurorPoolAddress, challengesAddress, courtAddress] = await Promise.all([
      pool.getAddress(),
      jurorPool.getAddress(),
      challenges.getAddress(),
      court.getAddress(),
    ]);
    const fund = async (account: Wallet, amount: bigint, spenders: string[]) => {
      await (await funder.sendTransaction({ to: account.address, value: parseEther("10") })).wait();
      await (await token.connect(funder).transfer(account.address, amount)).wait();
      for (const spender of spenders) await (await token.connect(account).approve(spender, 2n ** 256n - 1n)).wait();
    };
    for (const v of this.validators) {
      await fund(v, VALIDATOR_STAKE, [poolAddress]);
      await (await pool.connect(v).stake(VALIDATOR_STAKE)).wait();
    }
    for (const j of this.jurors) {
      await fund(j, JUROR_STAKE, [jurorPoolAddress]);
      await (await jurorPool.connect(j).stake(JUROR_STAKE)).wait();
    }
    // The challenger pays a challenge's bond and fee to ListingChallenges and an appeal's fee to the court.
    await fund(this.challenger, parseEther("10000"), [challengesAddress, courtAddress]);
    await (await token.connect(funder).transfer(await validation.getAddress(), HISTORY_VALIDATION_POOL)).wait();
  }

  /**
   * A whole round on `listingId`: opened, drawn, each seated validator commits `scoreBps` give or take a little (within
   * the tolerance), or `outlierBps` for the member with the fewest seats when the others outvote it; all reveal, and
   * the round is finalized. Commits and reveals end their phases early once everyone acted: no clock move is needed.
   */
  async round(listingId: bigint, scoreBps: number, outlierBps?: number): Promise<RoundOutcome> {
    const { validation } = this.o;
    const keeper = this.challenger;
    const roundId = (await validation.roundCount()) + 1n;
    await (await validation.connect(keeper).openRound(listingId)).wait();
    // The draw's seed is the hash of a block after the request.
    await this.o.increaseTime(1);
    await this.o.increaseTime(1);
    await (await validation.connect(keeper).drawCommittee(roundId)).wait();
    if (Number(await validation.phaseOf(roundId)) !== RoundPhase.Commit) {
      throw new Error(
        `history round ${roundId} on listing ${listingId} was not drawn (phase ${await validation.phaseOf(roundId)})`,
      );
    }
    const committee: { v: Wallet; seats: bigint }[] = [];
    for (const address of new Set(await validation.committeeOf(roundId))) {
      const v = this.validators.find((w) => w.address === address);
      if (v === undefined) throw new Error(`history round ${roundId} seated ${address}, not a history validator`);
      committee.push({ v, seats: (await validation.memberOf(roundId, address)).seats });
    }
    committee.sort((a, b) => Number(a.seats - b.seats));
    const seated = committee.reduce((sum, m) => sum + m.seats, 0n);
    const outlier = outlierBps !== undefined && committee.length > 1 && 2n * committee[0]!.seats < seated;
    const votes = committee.map(({ v }, i) => ({
      v,
      score: outlier && i === 0 ? outlierBps! : scoreBps + SCORE_JITTER[i % SCORE_JITTER.length]!,
      salt: hexlify(randomBytes(32)),
    }));
    for (const { v, score, salt } of votes) {
      await (await validation.connect(v).commitScore(roundId, scoreCommitment(score, salt, v.address, roundId))).wait();
    }
    for (const { v, score, salt } of votes) {
      await (await validation.connect(v).revealScore(roundId, score, salt)).wait();
    }
    await (await validation.connect(keeper).finalizeRound(roundId)).wait();
    const { round, dispute } = await finalisedRound(validation, roundId);
    return { roundId, listingId, medianBps: Number(round.medianBps), members: committee.length, outlier, ...dispute };
  }

  /** The history challenger challenges `listingId`; returns the dispute. */
  async challenge(listingId: bigint, evidence: string): Promise<bigint> {
    const { challenges, court } = this.o;
    const bond = (await challenges.parameters()).minChallengeBond;
    await (await challenges.connect(this.challenger).challenge(listingId, bond, evidence)).wait();
    return court.disputeCount();
  }

  /**
   * Draws the current juror round of `disputeId`, has its jurors vote (the juror with the fewest seats votes
   * `dissent` when the others outvote it; everyone else `majority`), reveals, and waits for the appeal period.
   */
  async jurorRound(disputeId: bigint, majority: number, dissent: number = majority): Promise<void> {
    const { court } = this.o;
    await this.o.increaseTime(1);
    await this.o.increaseTime(1);
    for (let attempt = 0; Number(await court.periodOf(disputeId)) === Period.Drawing; attempt++) {
      if (attempt === 16) throw new Error(`history dispute ${disputeId}: its jury could not be drawn`);
      await (await court.connect(this.challenger).draw(disputeId, 64)).wait();
    }
    const round = BigInt((await court.getDispute(disputeId)).rounds) - 1n;
    const jury: { juror: Wallet; seats: bigint }[] = [];
    for (const juror of this.jurors) {
      const { seats } = await court.voteOf(disputeId, round, juror.address);
      if (seats > 0n) jury.push({ juror, seats });
    }
    jury.sort((a, b) => Number(a.seats - b.seats));
    const total = jury.reduce((sum, j) => sum + j.seats, 0n);
    const votes = jury.map(({ juror, seats }, i) => ({
      juror,
      choice: i === 0 && jury.length > 1 && 2n * seats < total ? dissent : majority,
      salt: hexlify(randomBytes(32)),
    }));
    for (const { juror, choice, salt } of votes) {
      const commitment = voteCommitment(choice, salt, juror.address, disputeId, round);
      await (await court.connect(juror).commit(disputeId, commitment)).wait();
    }
    const deadlines = await court.getRound(disputeId, round);
    await this.o.increaseTime(Number(deadlines.commitEnd - (await this.o.now())) + 1);
    for (const { juror, choice, salt } of votes)
      await (await court.connect(juror).reveal(disputeId, choice, salt)).wait();
    await this.o.increaseTime(Number(deadlines.revealEnd - (await this.o.now())) + 1);
  }

  /** The losing challenger appeals the current round (a new round with 2n + 1 seats). */
  async appeal(disputeId: bigint): Promise<void> {
    await (await this.o.court.connect(this.challenger).appeal(disputeId)).wait();
  }

  /**
   * Waits out the appeal period, executes the ruling and settles every juror's vote (their seats' locks released); for
   * the validators' pool's dispute (`pooled`) also the committee whose stakes at risk waited for the ruling.
   */
  async execute(disputeId: bigint, listingId: bigint, pooled = false): Promise<DisputeOutcome> {
    const { court } = this.o;
    const dispute = await court.getDispute(disputeId);
    const last = await court.getRound(disputeId, BigInt(dispute.rounds) - 1n);
    await this.o.increaseTime(Math.max(Number(last.appealEnd - (await this.o.now())), 0) + 1);
    await (await court.connect(this.challenger).executeRuling(disputeId)).wait();
    for (let round = 0n; round < BigInt(dispute.rounds); round++) {
      for (const juror of this.jurors) {
        if ((await court.voteOf(disputeId, round, juror.address)).seats === 0n) continue;
        await (await court.connect(this.challenger).settle(disputeId, round, juror.address)).wait();
      }
    }
    if (pooled) await (await this.o.validation.connect(this.challenger).settleCommittee(disputeId)).wait();
    const executed = await court.getDispute(disputeId);
    return { disputeId, listingId, rounds: Number(executed.rounds), ruling: Number(executed.ruling) };
  }

  /**
   * The history's validators and jurors leave: rewards claimed, whole stakes unstaked (undrawable at once) and, after
   * the longer thaw, withdrawn. The live demo then draws only its own validators and jurors.
   */
  async leave(): Promise<void> {
    const { validation, jurorPool } = this.o;
    const pool = await this.pool();
    for (const v of this.validators) {
      if ((await validation.rewardsOf(v.address)) > 0n) await (await validation.connect(v).claimRewards()).wait();
    }
    const members: [StakePool, Wallet][] = [
      ...this.validators.map((v): [StakePool, Wallet] => [pool, v]),
      ...this.jurors.map((j): [StakePool, Wallet] => [jurorPool, j]),
    ];
    for (const [p, account] of members) {
      const { staked } = await p.memberOf(account.address);
      if (staked > 0n) await (await p.connect(account).requestUnstake(staked)).wait();
    }
    const thaws = await Promise.all(members.map(async ([p, a]) => (await p.memberOf(a.address)).thawEnd));
    const latest = thaws.reduce((a, b) => (a > b ? a : b), 0n);
    await this.o.increaseTime(Math.max(Number(latest - (await this.o.now())), 0) + 1);
    for (const [p, account] of members) {
      const m = await p.memberOf(account.address);
      if (m.locked > 0n) throw new Error(`history account ${account.address} still has ${m.locked} wei locked`);
      if (m.thawing > 0n) await (await p.connect(account).withdraw()).wait();
    }
  }

  private async pool(): Promise<StakePool> {
    this.validatorPool ??= StakePool__factory.connect(await this.o.validation.validatorPool(), this.o.provider);
    return this.validatorPool;
  }
}
