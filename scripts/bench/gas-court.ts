// Court gas: what each dispute step and juror operation costs, and the scale check the project requires: "draw gas
// with 10,000 jurors staked is at most 1.3 × the draw gas with 10 jurors". Run by `npx hardhat run
// scripts/bench/gas.ts` (runCourtBench); it rewrites benchmarks/gas-court.{md,json}.
//
// Each state is built on its own fresh in-process chain with real transactions: the whole system deployed by
// deployCuria (LOCAL_CONFIG), N jurors staked by BatchStaker (fresh addresses that become ordinary leaves of the
// jurors' pool's sortition tree, as in test/court/draw.test.ts), and the court's randomness source replaced, through the
// impersonated timelock, by FixedRandomness with a fixed seed, so every run draws the same jurors and reports the
// same numbers. Then the same scenario runs on both chains, in the same order:
//   1. the scale check: DRAW_DISPUTES listings challenged one after the other, each first round (3 seats) drawn in
//      one transaction and measured;
//   2. dispute A, one round: challenge (through ListingChallenges), draw, commit, reveal, every juror for the
//      challenger, executeRuling (delists the listing: bond taken, its curator slashed);
//   3. dispute B, appealed: first round for the defendant, the challenger appeals, the 7-seat round is drawn and rules
//      for the challenger with one incoherent juror, executeRuling over both rounds, then a coherent and the
//      incoherent juror settle;
//   4. a new juror (a named account) stakes in the jurors' pool, adds to its stake, requests to unstake all of it,
//      and withdraws (while no draw is pending: the tree is not frozen);
//   5. a fraud proof: a buyer files the signed receipt of a wrong answer (opens a dispute).
// Drawn jurors are the batch-staked addresses: the node accepts their transactions unsigned
// (hardhat_impersonateAccount); the EVM executes them exactly like signed ones. Setting storage directly is never used.
import hre from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { dataHash, inferenceDomain, Ruling, toDataURI, voteCommitment, type Hex } from "@curia/protocol";
import { signReceipt } from "@curia/protocol/ethers";
import {
  type ContractTransactionReceipt,
  type ContractTransactionResponse,
  id,
  keccak256,
  MaxUint256,
  parseEther,
  toUtf8Bytes,
} from "ethers";
import { LOCAL_CONFIG } from "../../deploy/config.js";
import { deployCuria } from "../../deploy/system.js";
import type {
  Court,
  CurationPool,
  CuriaToken,
  ListingChallenges,
  ListingRegistry,
  StakePool,
} from "../../types/ethers-contracts/index.js";
import {
  calldataGas,
  check,
  COMMAND,
  deltaPercent,
  describeEnvironment,
  type Environment,
  environmentLines,
  formatDelta,
  formatGas,
  markdownTable,
  measure,
  type Measurement,
  seconds,
  writeReport,
} from "./common.js";

const OUTPUT_BASENAME = "benchmarks/gas-court";
const CONFIG = LOCAL_CONFIG;
const COURT = CONFIG.court.params;
const JUROR_POOL = CONFIG.court.jurorPool;
const CHALLENGES = CONFIG.court.challenges;
const MARKET = CONFIG.marketplace.market;
const CURATION = CONFIG.marketplace.curation;

/** Jurors in the small and the large state. CURIA_BENCH_JURORS overrides the large size (quick runs while editing
 * the benchmark; the committed report always uses 10,000). */
const SMALL = 10;
const LARGE = Number(process.env.CURIA_BENCH_JURORS ?? 10_000);
/** The scale requirement: draw gas at LARGE jurors at most this multiple of the gas at SMALL jurors. */
const DRAW_LIMIT = 1.3;
/** First rounds drawn for the scale check, on as many listings. */
const DRAW_DISPUTES = 8;
/** FixedRandomness seed: the draw of request `r` is seeded by keccak256(abi.encode(SEED, r)). */
const SEED = 1n;

const CHALLENGER = Ruling.Challenger;
const DEFENDANT = Ruling.Defendant;

/** Every juror's stake: 10 seats' worth (a seat locks `seatStake`), so no draw is skipped in these scenarios. */
const JUROR_STAKE = parseEther("1000");
/** Batch-staked juror addresses: JUROR_BASE, JUROR_BASE + 1, … (as in test/court/draw.test.ts). */
const JUROR_BASE = 0x1000000n;
/** Jurors staked per BatchStaker transaction, and its gas limit (explicit: no estimation run). */
const STAKE_BATCH = 120;
const STAKE_BATCH_GAS = 16_000_000n;
/** Attempts per draw transaction: enough to fill a round in one transaction (the loop stops once it is full). */
const DRAW_ITERATIONS = 64;
const NAMED_FUNDS = parseEther("1000000");

const OPERATIONS = [
  { key: "challenge", label: "challenge (ListingChallenges: bond and fee in, dispute, 3-seat round)" },
  {
    key: "fileFraudProof",
    label: "fileFraudProof (receipt checked, one MNIST input and its output published inline, 3-seat round)",
  },
  { key: "drawFirst", label: "draw (first round, 3 seats, one transaction)" },
  { key: "commit", label: "commit (first juror of the round)" },
  { key: "reveal", label: "reveal (first juror of the round)" },
  { key: "executeOneRound", label: "executeRuling (one round; delists, slashes bond and curator)" },
  { key: "fundAppeal", label: "fundAppeal (ListingChallenges: first contribution to a side, not yet funded)" },
  { key: "appeal", label: "appeal (challenger; opens the 7-seat round)" },
  { key: "drawAppeal", label: "draw (appeal round, 7 seats, one transaction)" },
  { key: "executeAppealed", label: "executeRuling (after an appeal: two rounds; delists)" },
  { key: "withdrawAppealFunds", label: "withdrawAppealFunds (no crowdfunded appeal raised: contribution back)" },
  { key: "settleCoherent", label: "settle (coherent juror: reward)" },
  { key: "settleIncoherent", label: "settle (incoherent juror: penalty, stake lowered)" },
  { key: "stakeNew", label: "stake (new juror)" },
  { key: "stakeMore", label: "stake (existing juror adds to its stake)" },
  { key: "requestUnstake", label: "requestUnstake (all of it; leaves the tree)" },
  { key: "withdraw", label: "withdraw (after thawing)" },
] as const;

type OperationKey = (typeof OPERATIONS)[number]["key"];
type Measurements = Record<OperationKey, Measurement>;

interface Named {
  deployer: HardhatEthersSigner;
  provider: HardhatEthersSigner;
  challenger: HardhatEthersSigner;
  curator: HardhatEthersSigner;
  newJuror: HardhatEthersSigner;
}

interface System {
  connection: NetworkConnection;
  token: CuriaToken;
  registry: ListingRegistry;
  curationPool: CurationPool;
  court: Court;
  jurorPool: StakePool;
  challenges: ListingChallenges;
  named: Named;
  /** DRAW_DISPUTES listings for the scale check, then the listings of disputes A and B. */
  listings: bigint[];
}

interface DrawResult {
  gas: number;
  /** Attempts that picked a juror without free stake for another seat (none expected). */
  skipped: number;
  /** Seats that went to a juror already seated in the same round. */
  repeatSeats: number;
  /** Seats that went to a juror holding no lock yet (the costliest storage writes). */
  freshSeats: number;
}

interface StateResult {
  size: number;
  measurements: Measurements;
  draws: DrawResult[];
  setup: { stakeTransactions: number; stakeMs: number; totalMs: number };
  juries: { firstRound: number; appealRound: number };
}

/** A JSON-RPC quantity: hex without leading zeros. */
function quantity(value: bigint | number): string {
  return `0x${value.toString(16)}`;
}

/** Deploys the system and builds the state: `size` batch-staked jurors, the listings, the fixed randomness. */
async function buildState(size: number): Promise<{ system: System; setup: StateResult["setup"] }> {
  const started = performance.now();
  const connection = await hre.network.create({ network: "hardhat" });
  const { ethers, networkHelpers } = connection;
  const { token, registry, curationPool, court, jurorPool, challenges, timelock } = await deployCuria({
    hre,
    connection,
    config: CONFIG,
  });
  const [deployer, provider, challenger, curator, newJuror] = await ethers.getSigners();
  if (deployer === undefined || provider === undefined || challenger === undefined || curator === undefined) {
    throw new Error("the in-process chain needs 5 accounts");
  }
  if (newJuror === undefined) throw new Error("the in-process chain needs 5 accounts");
  const named: Named = { deployer, provider, challenger, curator, newJuror };
  const spenders = await Promise.all(
    [registry, curationPool, court, jurorPool, challenges].map((contract) => contract.getAddress()),
  );
  const listingCount = DRAW_DISPUTES + 2;
  for (const account of [provider, challenger, curator, newJuror]) {
    const amount = account === provider ? NAMED_FUNDS + MARKET.minBond * BigInt(listingCount) : NAMED_FUNDS;
    await (await token.connect(deployer).transfer(account.address, amount)).wait();
    for (const spender of spenders) await (await token.connect(account).approve(spender, MaxUint256)).wait();
  }

  // The jurors: stakeFor from a batch staker, STAKE_BATCH per transaction.
  const t0 = performance.now();
  const staker = await ethers.deployContract("BatchStaker");
  await (await token.connect(deployer).transfer(await staker.getAddress(), JUROR_STAKE * BigInt(size))).wait();
  let stakeTransactions = 0;
  for (let first = 0; first < size; first += STAKE_BATCH) {
    const count = Math.min(STAKE_BATCH, size - first);
    const tx = await staker.stakeMany(jurorPool, token, JUROR_BASE + BigInt(first), count, JUROR_STAKE, {
      gasLimit: STAKE_BATCH_GAS,
    });
    await tx.wait();
    stakeTransactions++;
  }
  const stakeMs = performance.now() - t0;
  const totalWeight = await jurorPool.totalWeight();
  check(totalWeight === (JUROR_STAKE / 10n ** 18n) * BigInt(size), `${size} jurors expected in the tree`);

  // Reproducible draws: the timelock (impersonated) installs a fixed-seed randomness source.
  const treasury = await timelock.getAddress();
  await networkHelpers.setBalance(treasury, parseEther("10"));
  const asTimelock = await ethers.getImpersonatedSigner(treasury);
  const fixed = await ethers.deployContract("FixedRandomness", [SEED]);
  await (await court.connect(asTimelock).setRandomnessSource(await fixed.getAddress())).wait();

  const listings: bigint[] = [];
  for (let i = 0; i < listingCount; i++) {
    const name = `bench-court-model-${i}`;
    await (
      await registry
        .connect(provider)
        .createListing(
          id(name),
          `ipfs://meta/${name}`,
          `https://${name}.example/infer`,
          parseEther("2"),
          MARKET.minBond,
        )
    ).wait();
    listings.push(await registry.listingCount());
  }
  // The disputed listings of the lifecycle have a curator, so a delisting slashes someone.
  for (const listingId of listings.slice(DRAW_DISPUTES)) {
    await (await curationPool.connect(curator).stake(listingId, CURATION.minStake)).wait();
  }
  console.log(
    `Court state with ${formatGas(size)} jurors: ${stakeTransactions} stake transactions (${seconds(stakeMs)})`,
  );
  return {
    system: { connection, token, registry, curationPool, court, jurorPool, challenges, named, listings },
    setup: { stakeTransactions, stakeMs, totalMs: performance.now() - started },
  };
}

/** A seated juror of one round: its address (impersonated, funded) and its seats. */
interface Seat {
  juror: HardhatEthersSigner;
  seats: number;
}

class Scenario {
  private readonly court: Court;

  constructor(private readonly system: System) {
    this.court = system.court;
  }

  private async receipt(tx: Promise<ContractTransactionResponse>): Promise<ContractTransactionReceipt> {
    const receipt = await (await tx).wait();
    if (receipt === null) throw new Error("no receipt");
    return receipt;
  }

  async challenge(listingId: bigint): Promise<{ disputeId: bigint; measurement: Measurement }> {
    const { challenger } = this.system.named;
    const tx = await this.system.challenges
      .connect(challenger)
      .challenge(listingId, CHALLENGES.minChallengeBond, `ipfs://evidence/${listingId}`);
    const receipt = await this.receipt(Promise.resolve(tx));
    const created = receipt.logs
      .map((l) => this.court.interface.parseLog(l))
      .find((parsed) => parsed?.name === "DisputeCreated");
    if (created === undefined || created === null) throw new Error("no DisputeCreated event");
    return {
      disputeId: created.args.disputeId as bigint,
      measurement: { gasUsed: receipt.gasUsed, calldataGas: calldataGas(tx.data) },
    };
  }

  /** Draws the current round in one transaction; returns its gas and the jury in order of first seat. */
  async draw(disputeId: bigint): Promise<{ measurement: Measurement; result: DrawResult; jury: Seat[] }> {
    const tx = await this.court.draw(disputeId, DRAW_ITERATIONS);
    const receipt = await this.receipt(Promise.resolve(tx));
    const seats = new Map<string, number>();
    let skipped = 0;
    let repeatSeats = 0;
    let freshSeats = 0;
    const pool = this.system.jurorPool;
    for (const log of receipt.logs) {
      const parsed = this.court.interface.parseLog(log);
      if (parsed?.name === "DrawSkipped") skipped++;
      if (parsed?.name === "JurorDrawn") {
        const juror = parsed.args.juror as string;
        if (seats.has(juror)) repeatSeats++;
        seats.set(juror, (seats.get(juror) ?? 0) + 1);
      }
      // The pool reports each seat's lock; a juror's first lock is the costliest write.
      const locked = pool.interface.parseLog(log);
      if (locked?.name === "StakeLocked" && (locked.args.locked as bigint) === COURT.seatStake) freshSeats++;
    }
    const round = (await this.court.getDispute(disputeId)).rounds - 1n;
    const r = await this.court.getRound(disputeId, round);
    check(r.drawn === r.seats, `dispute ${disputeId}: the round was not filled in one draw transaction`);
    const { ethers, networkHelpers } = this.system.connection;
    const jury: Seat[] = [];
    for (const [address, count] of seats) {
      await networkHelpers.setBalance(address, parseEther("1"));
      jury.push({ juror: await ethers.getImpersonatedSigner(address), seats: count });
    }
    const gas = Number(receipt.gasUsed);
    return {
      measurement: { gasUsed: receipt.gasUsed, calldataGas: calldataGas(tx.data) },
      result: { gas, skipped, repeatSeats, freshSeats },
      jury,
    };
  }

  private salt(disputeId: bigint, round: bigint, juror: string): string {
    return keccak256(toUtf8Bytes(`curia-bench-salt/${disputeId}/${round}/${juror}`));
  }

  private async currentRound(disputeId: bigint): Promise<bigint> {
    return (await this.court.getDispute(disputeId)).rounds - 1n;
  }

  commit(disputeId: bigint, round: bigint, juror: HardhatEthersSigner, choice: number) {
    const salt = this.salt(disputeId, round, juror.address);
    const commitment = voteCommitment(choice, salt, juror.address, disputeId, round);
    return this.court.connect(juror).commit(disputeId, commitment);
  }

  reveal(disputeId: bigint, round: bigint, juror: HardhatEthersSigner, choice: number) {
    return this.court.connect(juror).reveal(disputeId, choice, this.salt(disputeId, round, juror.address));
  }

  private async increaseTo(timestamp: bigint): Promise<void> {
    const { time } = this.system.connection.networkHelpers;
    if (timestamp > BigInt(await time.latest())) await time.increaseTo(timestamp);
  }

  /** Commits and reveals `choices` (in jury order) for the current round, measuring the first commit and reveal;
   * ends at the start of the appeal period. */
  async vote(
    disputeId: bigint,
    jury: Seat[],
    choices: number[],
  ): Promise<{ commit: Measurement; reveal: Measurement }> {
    const round = await this.currentRound(disputeId);
    const measured: Partial<{ commit: Measurement; reveal: Measurement }> = {};
    for (const [i, { juror }] of jury.entries()) {
      const m = await measure(this.commit(disputeId, round, juror, choices[i]!));
      measured.commit ??= m;
    }
    await this.increaseTo((await this.court.getRound(disputeId, round)).commitEnd);
    for (const [i, { juror }] of jury.entries()) {
      const m = await measure(this.reveal(disputeId, round, juror, choices[i]!));
      measured.reveal ??= m;
    }
    await this.increaseTo((await this.court.getRound(disputeId, round)).revealEnd);
    if (measured.commit === undefined || measured.reveal === undefined) throw new Error("an empty jury");
    return { commit: measured.commit, reveal: measured.reveal };
  }

  async waitForExecution(disputeId: bigint): Promise<void> {
    const round = await this.currentRound(disputeId);
    await this.increaseTo((await this.court.getRound(disputeId, round)).appealEnd);
  }

  async run(): Promise<{ measurements: Measurements; draws: DrawResult[]; juries: StateResult["juries"] }> {
    const { registry, named, listings } = this.system;
    const m: Partial<Measurements> = {};

    // 1. The scale check: each first round drawn from the same state (no juror holds a lock from an earlier draw, in
    // either court), so the figures compare the tree walk and not leftovers of earlier draws. Earlier listings are
    // challenged first, undrawn, only to move the randomness request id (the seed is fixed).
    const draws: DrawResult[] = [];
    const start = await this.system.connection.networkHelpers.takeSnapshot();
    for (const [i, listingId] of listings.slice(0, DRAW_DISPUTES).entries()) {
      for (const earlier of listings.slice(0, i)) await this.challenge(earlier);
      const { disputeId } = await this.challenge(listingId);
      draws.push((await this.draw(disputeId)).result);
      await start.restore();
    }

    // 2. Dispute A: one round, unanimous for the challenger, executed: the listing is delisted.
    const listingA = listings[DRAW_DISPUTES]!;
    const a = await this.challenge(listingA);
    m.challenge = a.measurement;
    const drawA = await this.draw(a.disputeId);
    m.drawFirst = drawA.measurement;
    const votesA = await this.vote(
      a.disputeId,
      drawA.jury,
      drawA.jury.map(() => CHALLENGER),
    );
    m.commit = votesA.commit;
    m.reveal = votesA.reveal;
    await this.waitForExecution(a.disputeId);
    m.executeOneRound = await measure(this.court.executeRuling(a.disputeId));
    check((await this.court.currentRuling(a.disputeId)) === BigInt(CHALLENGER), "dispute A: challenger expected");
    check((await registry.statusOf(listingA)) === 4n, "dispute A: the listing was not delisted");

    // 3. Dispute B: the first round rules for the defendant, the challenger appeals, the 7-seat round rules for the
    // challenger; its juror with the fewest seats (at most 3 of 7) votes for the defendant, so it is incoherent.
    const listingB = listings[DRAW_DISPUTES + 1]!;
    const b = await this.challenge(listingB);
    const drawB0 = await this.draw(b.disputeId);
    await this.vote(
      b.disputeId,
      drawB0.jury,
      drawB0.jury.map(() => DEFENDANT),
    );
    // The provider starts to crowdfund its side (the winning side) and the challenger appeals on its own: the
    // provider's contribution comes back after the ruling.
    const funds = this.system.challenges.connect(named.provider);
    m.fundAppeal = await measure(funds.fundAppeal(b.disputeId, DEFENDANT, 10n ** 18n));
    m.appeal = await measure(this.court.connect(named.challenger).appeal(b.disputeId));
    const drawB1 = await this.draw(b.disputeId);
    m.drawAppeal = drawB1.measurement;
    const jury = drawB1.jury;
    check(jury.length >= 2, "dispute B: the appeal round needs two jurors or more");
    const fewest = jury.reduce((min, s) => (s.seats < min.seats ? s : min), jury[0]!);
    await this.vote(
      b.disputeId,
      jury,
      jury.map((s) => (s === fewest ? DEFENDANT : CHALLENGER)),
    );
    await this.waitForExecution(b.disputeId);
    m.executeAppealed = await measure(this.court.executeRuling(b.disputeId));
    check((await this.court.currentRuling(b.disputeId)) === BigInt(CHALLENGER), "dispute B: challenger expected");
    check((await registry.statusOf(listingB)) === 4n, "dispute B: the listing was not delisted");
    // The first coherent juror to settle (a pro-rata share; the last one would take the remainder).
    const coherent = jury.find((s) => s !== fewest)!;
    m.withdrawAppealFunds = await measure(funds.withdrawAppealFunds(b.disputeId, 0n, named.provider.address));
    m.settleCoherent = await measure(this.court.settle(b.disputeId, 1n, coherent.juror.address));
    m.settleIncoherent = await measure(this.court.settle(b.disputeId, 1n, fewest.juror.address));
    check((await this.court.voteOf(b.disputeId, 1n, fewest.juror.address)).settled, "incoherent juror unsettled");

    // 4. A new juror: stake, stake more, request to unstake everything, withdraw after thawing. Measured while no draw
    // is pending: a pending draw freezes the tree, and a stake then skips the tree's update (synced later), which
    // would understate what a stake costs.
    check((await this.system.jurorPool.pendingDraws()) === 0n, "a draw is pending: the jurors' tree is frozen");
    const juror = this.system.jurorPool.connect(named.newJuror);
    m.stakeNew = await measure(juror.stake(JUROR_STAKE));
    m.stakeMore = await measure(juror.stake(JUROR_STAKE));
    m.requestUnstake = await measure(juror.requestUnstake(JUROR_STAKE * 2n));
    await this.increaseTo((await this.system.jurorPool.memberOf(named.newJuror.address)).thawEnd);
    m.withdraw = await measure(juror.withdraw());
    const position = await this.system.jurorPool.memberOf(named.newJuror.address);
    check(position.staked === 0n && position.thawing === 0n, "the new juror's position is not empty");

    // 5. A fraud proof: a new listing sells calls, and the buyer files the receipt of one answer (one MNIST input and
    // its ten probabilities, published inline as data: URIs, as the client library does).
    await (
      await registry
        .connect(named.provider)
        .createListing(
          id("bench-fraud"),
          "ipfs://meta/bench-fraud",
          "https://fraud.example/infer",
          1n,
          (await registry.parameters()).minBond,
        )
    ).wait();
    const listingC = await registry.listingCount();
    await this.increaseTo((await registry.getListing(listingC)).activatesAt);
    await (await registry.connect(named.challenger).purchase(listingC, 100n, named.challenger.address, 1n)).wait();
    const input = new Uint8Array(new Float32Array(784).fill(0.5).buffer);
    const output = new Uint8Array(new Float32Array(10).fill(0.1).buffer);
    const { chainId } = await this.system.connection.ethers.provider.getNetwork();
    const domain = inferenceDomain(chainId, await registry.getAddress());
    const receiptC = {
      listingId: listingC,
      modelHash: id("bench-fraud") as Hex,
      caller: named.challenger.address as Hex,
      nonce: 1n,
      inputHash: dataHash(input),
      outputHash: dataHash(output),
      servedAt: BigInt(await this.system.connection.networkHelpers.time.latest()),
    };
    const signature = await signReceipt(named.provider, domain, receiptC);
    m.fileFraudProof = await measure(
      this.system.challenges
        .connect(named.challenger)
        .fileFraudProof(receiptC, signature, CHALLENGES.minChallengeBond, toDataURI(input), toDataURI(output)),
    );
    check((await registry.statusOf(listingC)) === 3n, "fraud proof: the listing is not Challenged");

    for (const { key } of OPERATIONS) check(m[key] !== undefined, `${key} was not measured`);
    return {
      measurements: m as Measurements,
      draws,
      juries: { firstRound: drawA.jury.length, appealRound: jury.length },
    };
  }
}

async function runState(size: number): Promise<{ result: StateResult; env: Environment }> {
  const { system, setup } = await buildState(size);
  const { measurements, draws, juries } = await new Scenario(system).run();
  const env = describeEnvironment(system.connection);
  await system.connection.close();
  return { result: { size, measurements, draws, setup, juries }, env };
}

// ---------------------------------------------------------------------------------------------------------------
// Reporting

interface Row {
  key: OperationKey;
  label: string;
  small: number;
  large: number;
  deltaPercent: number;
  calldataGas: { small: number; large: number };
}

function buildRows(small: Measurements, large: Measurements): Row[] {
  return OPERATIONS.map(({ key, label }) => ({
    key,
    label,
    small: Number(small[key].gasUsed),
    large: Number(large[key].gasUsed),
    deltaPercent: deltaPercent(large[key].gasUsed, small[key].gasUsed),
    calldataGas: { small: small[key].calldataGas, large: large[key].calldataGas },
  }));
}

interface DrawStats {
  gas: number[];
  mean: number;
  max: number;
  repeatSeats: number;
  freshSeats: number;
  skipped: number;
}

function drawStats(draws: DrawResult[]): DrawStats {
  const gas = draws.map((d) => d.gas);
  return {
    gas,
    mean: Math.round(gas.reduce((s, g) => s + g, 0) / gas.length),
    max: Math.max(...gas),
    repeatSeats: draws.reduce((s, d) => s + d.repeatSeats, 0),
    freshSeats: draws.reduce((s, d) => s + d.freshSeats, 0),
    skipped: draws.reduce((s, d) => s + d.skipped, 0),
  };
}

interface DrawScale {
  small: DrawStats;
  large: DrawStats;
  meanRatio: number;
  maxRatio: number;
  met: boolean;
}

function drawScale(small: StateResult, large: StateResult): DrawScale {
  const s = drawStats(small.draws);
  const l = drawStats(large.draws);
  const meanRatio = Math.round((l.mean / s.mean) * 1000) / 1000;
  const maxRatio = Math.round((l.max / s.max) * 1000) / 1000;
  return { small: s, large: l, meanRatio, maxRatio, met: l.mean <= DRAW_LIMIT * s.mean && l.max <= DRAW_LIMIT * s.max };
}

const jurorsColumn = (size: number) => `${formatGas(size)} jurors`;

function gasTable(rows: Row[], small: StateResult, large: StateResult): string {
  return markdownTable(
    ["operation", jurorsColumn(small.size), jurorsColumn(large.size), "delta %"],
    rows.map((r) => [r.label, formatGas(r.small), formatGas(r.large), formatDelta(r.deltaPercent)]),
  );
}

function scaleTable(scale: DrawScale, small: StateResult, large: StateResult): string {
  const ratio = (x: number) => `${x.toFixed(3)} ×`;
  const ok = (x: number) => (x <= DRAW_LIMIT ? "✓" : "✗");
  return markdownTable(
    ["draw (first round, 3 seats)", jurorsColumn(small.size), jurorsColumn(large.size), "ratio", `≤ ${DRAW_LIMIT} ×`],
    [
      ...scale.small.gas.map((g, i) => [
        `dispute ${i + 1}`,
        formatGas(g),
        formatGas(scale.large.gas[i] ?? 0),
        ratio((scale.large.gas[i] ?? 0) / g),
        "",
      ]),
      [
        "**mean**",
        formatGas(scale.small.mean),
        formatGas(scale.large.mean),
        ratio(scale.meanRatio),
        ok(scale.meanRatio),
      ],
      ["**max**", formatGas(scale.small.max), formatGas(scale.large.max), ratio(scale.maxRatio), ok(scale.maxRatio)],
    ],
  );
}

function renderMarkdown(rows: Row[], scale: DrawScale, small: StateResult, large: StateResult, env: Environment) {
  const cur = (x: bigint) => formatGas(Number(x / 10n ** 18n));
  const setupLine = (s: StateResult) =>
    `${formatGas(s.size)} jurors: ${s.setup.stakeTransactions} batch-stake transactions in ${seconds(s.setup.stakeMs)} ` +
    `(${seconds(s.setup.totalMs)} with deployment and listings)`;
  return `# Court gas

Produced by \`${COMMAND}\`, which rewrites this file and \`gas-court.json\` (the raw numbers) on every run.

${environmentLines(env)}
- The whole system deployed by \`deployCuria\` with LOCAL_CONFIG (Court, its jurors' StakePool, ListingChallenges, ListingRegistry, CurationPool and CUR behind
  UUPS proxies): first round ${COURT.firstRoundSeats} seats, appeal round 2 × seats + 1 = 7, ${COURT.maxJurorRounds} juror rounds before the DAO; seat stake
  ${cur(COURT.seatStake)} CUR, penalty ${COURT.penaltyBps / 100}% of it; challenge bond ${cur(CHALLENGES.minChallengeBond)} CUR, fee ${cur(COURT.arbitrationFeePerSeat)} CUR per seat, appeal fee ${cur(COURT.appealFeePerSeat)} CUR per seat.
- Jurors are staked in the jurors' pool by \`BatchStaker\` (${STAKE_BATCH} per transaction, ${cur(JUROR_STAKE)} CUR each: ten seats' worth) at fresh addresses
  that become ordinary leaves of the sortition tree. The randomness source is \`FixedRandomness\` (seed ${SEED}),
  installed by the impersonated timelock, so every run draws the same jurors and reports the same gas. Drawn jurors send
  their commits and reveals as impersonated accounts; the named accounts (challenger, provider, the new juror) are
  ordinary ones.
- Numbers are receipt \`gasUsed\` (21,000 intrinsic and calldata included). Each draw fills its whole round in one
  \`draw(disputeId, ${DRAW_ITERATIONS})\` transaction (the loop stops once the round is full).

## Gas per operation

Dispute A: challenged, its 3-seat round drawn, every juror commits and reveals for the challenger, executed after the
appeal period (the listing is delisted: the provider's bond is taken and its one curator slashed). Dispute B: its first
round rules for the defendant, the challenger appeals, the 7-seat round is drawn and rules for the challenger, with the
juror holding the fewest seats voting for the defendant; executed over both rounds, then a coherent juror of the appeal
round settles (the first to, so a pro-rata reward) and the incoherent one (penalty out of its stake, tree updated). Then,
with no draw pending (the tree not frozen), a named account stakes ${cur(JUROR_STAKE)} CUR as a new juror, stakes as much again,
requests to unstake all of it and withdraws after the ${JUROR_POOL.thawingPeriod} s thawing period. Last, a buyer files a fraud proof.
Same scenario, same order on both chains; "delta %" is (large − small) / small.

${gasTable(rows, small, large)}

Juries: the measured first round seated ${small.juries.firstRound} distinct jurors at ${formatGas(small.size)} and ${large.juries.firstRound} at ${formatGas(large.size)}; the appeal
round ${small.juries.appealRound} and ${large.juries.appealRound}. A juror drawn again for the same round only adds a seat, which writes less.

## Scale check

Requirement: **draw gas with ${formatGas(large.size)} jurors staked is at most ${DRAW_LIMIT} × the draw gas with ${formatGas(small.size)}**. ${scale.met ? "Met" : "NOT met"}
on both the mean and the max over ${DRAW_DISPUTES} disputes (mean ${scale.meanRatio.toFixed(3)} ×, max ${scale.maxRatio.toFixed(3)} ×).

Each state is built on a fresh chain; then each of ${DRAW_DISPUTES} first rounds is drawn from that same state (a snapshot restored
before each), with the same randomness requests (hence seeds) on both chains, as in test/court/draw.test.ts. The
sortition tree (8 children per node, one slot per level) is read once per level for every seat: ceil(log8 n) cold
reads, 2 among ${formatGas(small.size)} jurors against 5 among ${formatGas(large.size)}; that is the O(log n) part. Among ${formatGas(small.size)} jurors a seat also
often goes to a juror already seated in the round, which only adds a seat and writes less: of the ${DRAW_DISPUTES * COURT.firstRoundSeats} seats drawn, ${scale.small.freshSeats} went to a juror holding no lock yet at ${formatGas(small.size)} jurors against ${scale.large.freshSeats} at ${formatGas(large.size)}
(repeated seats within a round: ${scale.small.repeatSeats} and ${scale.large.repeatSeats}; draw attempts skipped for lack of free stake: ${scale.small.skipped} and
${scale.large.skipped}).

${scaleTable(scale, small, large)}

Setup: ${setupLine(small)}; ${setupLine(large)}.
`;
}

function renderJson(rows: Row[], scale: DrawScale, small: StateResult, large: StateResult, env: Environment) {
  const state = (s: StateResult) => ({
    jurors: s.size,
    juries: s.juries,
    setup: { stakeTransactions: s.setup.stakeTransactions, seconds: Math.round(s.setup.totalMs) / 1000 },
  });
  return {
    command: COMMAND,
    environment: env,
    settings: {
      firstRoundSeats: COURT.firstRoundSeats,
      maxJurorRounds: COURT.maxJurorRounds,
      seatStake: COURT.seatStake,
      minJurorStake: JUROR_POOL.minStake,
      penaltyBps: COURT.penaltyBps,
      minChallengeBond: CHALLENGES.minChallengeBond,
      arbitrationFeePerSeat: COURT.arbitrationFeePerSeat,
      appealFeePerSeat: COURT.appealFeePerSeat,
      thawingPeriod: JUROR_POOL.thawingPeriod,
      jurorStake: JUROR_STAKE,
      randomness: { source: "FixedRandomness", seed: SEED },
      drawIterations: DRAW_ITERATIONS,
    },
    drawScaleRequirement: {
      description: `draw (first round, ${COURT.firstRoundSeats} seats) gas at ${large.size} jurors at most ${DRAW_LIMIT} × the gas at ${small.size} jurors, mean and max over ${DRAW_DISPUTES} disputes`,
      limit: DRAW_LIMIT,
      met: scale.met,
      meanRatio: scale.meanRatio,
      maxRatio: scale.maxRatio,
      small: scale.small,
      large: scale.large,
    },
    states: { small: state(small), large: state(large) },
    operations: rows,
  };
}

export async function runCourtBench(): Promise<void> {
  const started = performance.now();
  const { result: small, env } = await runState(SMALL);
  const { result: large } = await runState(LARGE);
  const rows = buildRows(small.measurements, large.measurements);
  const scale = drawScale(small, large);
  writeReport(
    OUTPUT_BASENAME,
    renderMarkdown(rows, scale, small, large, env),
    renderJson(rows, scale, small, large, env),
  );

  console.log("Court");
  console.log(gasTable(rows, small, large));
  console.log(
    `\nDraw scale check (≤ ${DRAW_LIMIT} × at ${formatGas(large.size)} jurors; ${scale.met ? "met" : "NOT met"}):`,
  );
  console.log(scaleTable(scale, small, large));
  console.log(`Written to ${OUTPUT_BASENAME}.md and ${OUTPUT_BASENAME}.json (${seconds(performance.now() - started)})`);
}
