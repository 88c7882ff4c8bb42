// The agent-based simulation: deploys the real system (deploy/system.ts) on Hardhat's in-process chain and lets
// providers, validators, curators, jurors and consumers play their strategies epoch after epoch through the real
// contracts. Only what the chain cannot see is modelled: which model answers which request (serving.ts) and its
// quality (validators measure it with noise), serving and verification costs, what a call is worth to its buyer, and
// bribes. Every CUR that moves on chain is counted from balances and positions read back from the contracts.
import type { NetworkConnection } from "hardhat/types/network";
import {
  dataHash,
  drawLandsOn,
  drawValue,
  enumBigInts,
  inferenceDomain,
  ListingStatus,
  Period,
  Ruling,
  scoreCommitment,
  toDataURI,
  voteCommitment,
} from "@curia/protocol";
import { signReceipt } from "@curia/protocol/ethers";
import {
  formatEther,
  getAddress,
  id,
  keccak256,
  MaxUint256,
  parseEther,
  toUtf8Bytes,
  Wallet,
  type Signer,
} from "ethers";
import { LOCAL_CONFIG, type CuriaConfig } from "../../deploy/config.js";
import { deployCuria } from "../../deploy/system.js";
import { GovernanceHelper, VoteType } from "../drivers/governance.js";
import type { CuriaContracts } from "../drivers/contracts.js";
import type { FixedRandomness, StakePool } from "../../types/ethers-contracts/index.js";
import {
  CAPTURE_COALITIONS,
  STRATEGY_CLASS,
  type CuratorStrategy,
  type JurorStrategy,
  type OldRule,
  type ProviderStrategy,
  type SimConfig,
  type ValidatorStrategy,
} from "./config.js";
import { Rng } from "./rng.js";
import { consumerService, hikesPriceBeforeSampling, probeService, type Served } from "./serving.js";

export type Role = "provider" | "validator" | "curator" | "juror" | "consumer" | "keeper" | "treasury";

export interface Agent {
  name: string;
  role: Role;
  strategy: string;
  address: string;
  signer: Signer;
  /** CUR handed to the agent at the start. */
  funded: bigint;
  /** Off-chain money in CUR: serving and verification costs (negative), a buyer's value of calls, bribes paid out
   * of band are on chain and need no entry here. */
  offchain: number;
  /** PnL in CUR after each epoch. */
  pnl: number[];
  /** Accounts whose money is this agent's (a coalition's validators, a provider's sybils): not reported apart. */
  members: Agent[];
  /** What an old rule (config.oldRules) would have moved to or from this agent instead of what v2 moved, in CUR. */
  ledger: number;
  /** Issue 18's off-chain costs, in CUR (already in `offchain`; kept apart for the report): gas of the transactions
   * it sent, the opportunity cost of what it keeps locked, and what canary audits moved (negative: slashed). */
  gas: number;
  opportunity: number;
  canary: number;
}

interface ProviderState {
  agent: Agent;
  strategy: ProviderStrategy;
  /** What its consumers receive (and what audits of their calls see), averaged over the epoch. */
  consumer: Served;
  /** What a validator's probes receive. */
  probe: Served;
  listing?: bigint;
  /** A self-delisting provider's sybils: the challenger that delists its listing, the curator that seeds it. */
  sybils?: { challenger: Agent; curator: CuratorState };
  /** The epoch its live listing was listed (a self-delisting provider switches after economics.selfDelistAfterEpochs). */
  listedEpoch?: number;
}

/** Validators that play as one with a cheating listing of theirs (CAPTURE_COALITIONS), reported as one agent. */
interface Coalition {
  agent: Agent;
  strategy: ValidatorStrategy;
  partner: ProviderState;
  members: ValidatorState[];
  /** Stake added to steer a draw (seed-known-before-draw), asked back once the round is over. */
  topUps: { member: ValidatorState; amount: bigint }[];
  /** Rounds on the partner's listing, those in which the coalition held the median, and those it steered. */
  rounds: number;
  held: number;
  steered: number;
}

interface ListingInfo {
  id: bigint;
  provider: ProviderState;
  /** Consumers receive less than the minimum quality: what a juror who looked at the evidence would find. */
  cheating: boolean;
  createdEpoch: number;
  delistedEpoch?: number;
  delistedAtDispute?: bigint;
  /** Consumer calls forwarded to the validators since the listing's last round. */
  auditedCalls: number;
  /** Validation rounds finalized on the listing. */
  rounds: number;
  /** Disputes opened on the listing (by its validation rounds or by fraud proofs). */
  disputes: number;
  /** The key that signs the listing's receipts, when fishermen need receipts (the provider's own address otherwise,
   * which an impersonated account cannot sign with). */
  servingKey?: Wallet;
}

interface ValidatorState {
  agent: Agent;
  strategy: ValidatorStrategy;
  /** The buyer of its probes when probes are not recognizable: an account nobody can link to the validator (how the
   * link is broken off chain is docs/' business; here it is simply another account whose money is the validator's). */
  probeBuyer: { address: string; signer: Signer };
  coalition?: Coalition;
}

interface RoundState {
  roundId: bigint;
  info: ListingInfo;
  /** The listing's price when the round opened: the most its committee pays for a sampled call. */
  priceAtOpen: bigint;
  /** The quality the round's evidence shows (audited calls and probes), before each member's own noise. */
  measured: number;
  /** Honest members whose probes went unanswered or whose probe purchase was refused. */
  unreachable: Set<string>;
  salts: Map<string, [number, string]>;
  /** The coalition that holds this round's median on its own listing and reveals its agreed score. */
  deviating?: Coalition;
}

interface JurorState {
  agent: Agent;
  strategy: JurorStrategy;
}

/** A dispute under way: its juror rounds, then the DAO or execution. */
interface DisputeCase {
  disputeId: bigint;
  /** Raised by a validation round (the validators' pool is the challenger), not by a fraud proof. */
  automatic: boolean;
  info: ListingInfo;
  truth: number;
  bribed: boolean;
  bribedSeats: { juror: Agent; seats: number; round: number }[];
  /** The listing's provider made p-epsilon jurors a p+ε offer: paid only if its side loses in the end. */
  pEpsilon: boolean;
  stage: "jurors" | "dao" | "executable" | "open";
  /** The current juror round's votes. */
  votes: { juror: JurorState; seats: number; choice: number; salt: string; round: number }[];
}

interface CuratorState {
  agent: Agent;
  strategy: CuratorStrategy;
  position?: bigint;
  touched: Set<bigint>;
}

export interface DisputeLog {
  id: bigint;
  listing: bigint;
  cheating: boolean;
  automatic: boolean;
  rounds: number;
  byDao: boolean;
  ruling: number;
  correct: boolean;
  bribed: boolean;
  epoch: number;
}

export interface RoundRewardObservation {
  round: number;
  coherentSeats: number;
  seats: number;
  rewardPerCoherentSeat: number;
}

export interface SimResult {
  config: SimConfig;
  agents: Agent[];
  listings: ListingInfo[];
  disputes: DisputeLog[];
  validatorStats: Record<string, { seats: number; rewarded: number; penalized: number; truthful: number }>;
  jurorStats: Record<string, { seats: number; coherent: number; correct: number }>;
  roundRewards: RoundRewardObservation[];
  /** A listing's sales net of the protocol fee and serving cost, per epoch it sold, by provider strategy. */
  marginPerEpoch: Record<string, number>;
  validationRounds: number;
  /** Rounds whose audited traffic was too thin, so that honest members bought and sent probes. */
  probedRounds: number;
  /** Scores of 0 committed because paid probes went unanswered or their purchase was refused. */
  unreachableScores: number;
  /** Fraud proofs filed by fishermen. */
  fraudProofs: number;
  autoDisputesSkipped: number;
  /** The governor's quorum (votes) at the end of the run. */
  daoQuorum: bigint;
  /** Whether the validators' pool can appeal its automatic disputes (ValidationManager.appealDispute). */
  poolCanAppeal: boolean;
  /** Per capture coalition: rounds on its own listing, those whose median it held, those it steered. */
  captures: Record<string, { rounds: number; held: number; steered: number }>;
  /** Disputes still open at the end (dao-review-never-ends), and the listings they keep frozen. */
  openDisputes: number;
  /** Canary rounds (modelled off chain) and, per validator strategy, its seats on them and the seats slashed. */
  canaryRounds: number;
  canaryStats: Record<string, { seats: number; slashed: number }>;
  /** Challenges filed by a committee member because the validators' pool could not pay an automatic one's bond. */
  memberChallenges: number;
  /** What the DAO secures at the end, CUR by holder (the contracts' balances), and the governance timeline. */
  secured: Record<string, number>;
  /** Per holder: seconds its money needs to leave (thaw, withdrawal, escrow); 0 for what can never leave. */
  exitSeconds: Record<string, number>;
  /** Votable supply (every token outside the treasury) and the seconds from a proposal to its execution. */
  votableSupply: number;
  proposalToExecution: number;
  seconds: number;
  transactions: number;
}

/** What each validator's probe buyer starts with (counted in the validator's money). */
const PROBE_BUYER_FUNDING = parseEther("20000");
const CHALLENGER = Ruling.Challenger;
const DEFENDANT = Ruling.Defendant;
/** ListingRegistry.ListingStatus and Court.Period as ethers returns them (bigint). */
const STATUS = enumBigInts(ListingStatus);
const PERIOD = enumBigInts(Period);

function cur(wei: bigint): number {
  return Number(formatEther(wei));
}

function wei(curAmount: number): bigint {
  return parseEther(curAmount.toFixed(6));
}

/** A purchase refused because the price went above what the buyer accepts (the registry's cap, or the exact
 * allowance a capped buyer gave). */
function isPriceRefusal(error: unknown): boolean {
  return /ListingPriceAboveMax|ERC20InsufficientAllowance/.test(String((error as Error)?.message ?? error));
}

/** `hash` with its last byte replaced by `n` (mod 256): the same model, renamed by one byte. */
function oneByteOff(hash: string, n: number): string {
  return hash.slice(0, -2) + (n % 256).toString(16).padStart(2, "0");
}

function clampBps(x: number): number {
  return Math.max(0, Math.min(10_000, Math.round(x)));
}

/** The CuriaConfig the simulation deploys: deploy/'s local config with the scenario's governed parameters. */
export function curiaConfigOf(config: SimConfig): CuriaConfig {
  const p = config.parameters;
  return {
    governance: LOCAL_CONFIG.governance,
    marketplace: { market: { ...p.market }, curation: { ...p.curation } },
    court: {
      ...LOCAL_CONFIG.court,
      params: { ...p.court },
      jurorPool: { ...p.jurorPool },
      challenges: { ...p.challenges },
    },
    validation: {
      ...LOCAL_CONFIG.validation,
      params: { ...p.validation },
      validatorPool: { ...p.validatorPool },
      // The canary audit window must outlast the longest round and fit in the pool's thaw (deployCuria checks both):
      // the pool's thaw, the longest window allowed, fits any period the simulation sets.
      canary: {
        ...LOCAL_CONFIG.validation.canary,
        params: { ...LOCAL_CONFIG.validation.canary.params, auditWindow: p.validatorPool.thawingPeriod },
      },
    },
  };
}

export class Simulation {
  private readonly rng: Rng;
  /** Canary rounds draw from their own stream, so that modelling them leaves every other seeded choice of a run (draws
   * of measurement noise, jurors' coin flips, curators' moves) as it was without them. */
  private readonly canaryRng: Rng;
  private readonly agents: Agent[] = [];
  private readonly providers: ProviderState[] = [];
  private readonly validators: ValidatorState[] = [];
  private readonly curators: CuratorState[] = [];
  /** Every curator position holder: the strategies' curators and the providers' sybil curators. */
  private readonly curatorStates = new Map<Agent, CuratorState>();
  private readonly coalitions: Coalition[] = [];
  /** Challenges whose bond is still held (disputes not executed), by dispute: who posted the bond and how much. */
  private readonly openChallenges = new Map<bigint, { challenger: string; bond: bigint }>();
  private openDisputes = 0;
  private readonly jurors: JurorState[] = [];
  private readonly consumers: Agent[] = [];
  private readonly listings = new Map<bigint, ListingInfo>();
  private readonly disputes: DisputeLog[] = [];
  private readonly validatorStats: SimResult["validatorStats"] = {};
  private readonly jurorStats: SimResult["jurorStats"] = {};
  private readonly roundRewards: RoundRewardObservation[] = [];
  private readonly sales = new Map<string, { margin: number; epochs: number }>();
  private validationRounds = 0;
  private probedRounds = 0;
  private unreachableScores = 0;
  private fraudProofs = 0;
  private autoDisputesSkipped = 0;
  private transactions = 0;
  private epoch = 0;
  private keeper!: Agent;
  private dao!: Signer;
  private token!: CuriaContracts["token"];
  private registry!: CuriaContracts["registry"];
  private pool!: CuriaContracts["curationPool"];
  private court!: CuriaContracts["court"];
  private jurorPool!: CuriaContracts["jurorPool"];
  private challenges!: CuriaContracts["challenges"];
  private validation!: CuriaContracts["validation"];
  private validatorPool!: StakePool;
  private governor!: CuriaContracts["governor"];
  private randomness!: FixedRandomness;
  private proposalCount = 0;
  /** Whose money each address's gas is (an agent, its members, a validator's probe buyer, the DAO's deployer). */
  private readonly owners = new Map<string, Agent>();
  /** Gas is charged once the system is deployed and the agents funded: setup is nobody's running cost. */
  private charging = false;
  private treasury!: Agent;
  private treasuryStart = 0n;
  private canaryRounds = 0;
  private readonly canaryStats: SimResult["canaryStats"] = {};
  private memberChallenges = 0;

  constructor(
    private readonly connection: NetworkConnection,
    private readonly hre: Parameters<typeof deployCuria>[0]["hre"],
    readonly config: SimConfig,
    private readonly log: (line: string) => void = () => {},
  ) {
    this.rng = new Rng(config.seed);
    this.canaryRng = new Rng((config.seed ^ 0x5eed_ca9a) >>> 0);
  }

  private rule(rule: OldRule): boolean {
    return this.config.oldRules.includes(rule);
  }

  private get ethers() {
    return this.connection.ethers;
  }

  private get time() {
    return this.connection.networkHelpers.time;
  }

  /** One epoch: a round period and an hour, so that every listing is due for a free round each epoch. */
  private get epochLength(): number {
    return Number(this.config.parameters.validation.roundPeriod) + 3_600;
  }

  /** Share of an epoch during which a round on a given listing is open (its commit and reveal windows): the share of
   * calls, sent at random times, that an honest-during-rounds provider answers with the listed model. */
  private get roundShare(): number {
    const v = this.config.parameters.validation;
    return Math.min(1, (Number(v.commitPeriod) + Number(v.revealPeriod)) / this.epochLength);
  }

  /** Sends a transaction and waits for it; counts it. */
  private async send(tx: Promise<{ wait: () => Promise<unknown> }>): Promise<void> {
    const receipt = (await (await tx).wait()) as { from?: string; gasUsed?: bigint } | null;
    this.transactions++;
    if (this.charging && receipt?.from !== undefined && receipt.gasUsed !== undefined) {
      this.chargeGas(receipt.from, receipt.gasUsed);
    }
  }

  /** The sender's owner pays the transaction's gas at economics.gasPriceGwei and curPerEth; a keeper is paid
   * economics.keeperFeePerTx by the treasury for each of its transactions. */
  private chargeGas(from: string, gasUsed: bigint): void {
    const e = this.config.economics;
    const owner = this.owners.get(from.toLowerCase());
    if (owner === undefined) return;
    const cost = Number(gasUsed) * e.gasPriceGwei * 1e-9 * e.curPerEth;
    owner.offchain -= cost;
    owner.gas -= cost;
    if (owner === this.keeper) {
      owner.offchain += e.keeperFeePerTx;
      this.treasury.offchain -= e.keeperFeePerTx;
    }
  }

  private async now(): Promise<number> {
    return this.time.latest();
  }

  private async increaseTo(timestamp: bigint | number): Promise<void> {
    if (BigInt(timestamp) > BigInt(await this.now())) await this.time.increaseTo(timestamp);
  }

  // ---------------------------------------------------------------------------------------------------- setup

  async setup(): Promise<void> {
    const { ethers } = this;
    const system = await deployCuria({
      hre: this.hre,
      connection: this.connection,
      config: curiaConfigOf(this.config),
    });
    this.token = system.token;
    this.registry = system.registry;
    this.pool = system.curationPool;
    this.court = system.court;
    this.jurorPool = system.jurorPool;
    this.challenges = system.challenges;
    this.validation = system.validation;
    this.validatorPool = system.validatorPool;
    this.governor = system.governor;
    const [deployer] = await ethers.getSigners();
    if (deployer === undefined) throw new Error("no deployer account");
    this.dao = deployer;

    // Seeded randomness for the draws (a fair beacon, reproducible): the same seed, the same juries and committees.
    const timelock = await system.timelock.getAddress();
    await this.connection.networkHelpers.setBalance(timelock, parseEther("10"));
    const asTimelock = await ethers.getImpersonatedSigner(timelock);
    const source = await (await ethers.getContractFactory("FixedRandomness")).deploy(BigInt(this.config.seed));
    await source.waitForDeployment();
    this.randomness = source as unknown as FixedRandomness;
    await this.send(this.court.connect(asTimelock).setRandomnessSource(await source.getAddress()));
    await this.send(this.validation.connect(asTimelock).setRandomnessSource(await source.getAddress()));
    // The DAO bootstraps the validators' reward pool, which pays automatic disputes' bonds (a treasury grant).
    const grant = wei(this.config.treasury.validationPoolGrant);
    // The treasury as an agent: its balance from before the grant (the grant is its cost), keeper fees and canary
    // bounties (off chain). The DAO's own transactions (rulings) are its gas.
    this.treasury = {
      name: "treasury",
      role: "treasury",
      strategy: "treasury",
      address: timelock,
      signer: asTimelock,
      funded: 0n,
      offchain: 0,
      pnl: [],
      members: [],
      ledger: 0,
      gas: 0,
      opportunity: 0,
      canary: 0,
    };
    this.treasuryStart = await this.token.balanceOf(timelock);
    this.agents.push(this.treasury);
    this.owners.set(deployer.address.toLowerCase(), this.treasury);
    if (grant > 0n) await this.send(this.token.connect(asTimelock).transfer(await this.validation.getAddress(), grant));
    // The token holders: the deployer's allocation stands for the honest DAO majority that rules last-resort appeals.
    await this.send(this.token.connect(deployer).delegate(deployer.address));

    const a = this.config.agents;
    const e = this.config.economics;
    const funding = parseEther("50000");
    this.keeper = await this.agent("keeper", "keeper", "keeper", funding);
    let n = 0;
    for (const g of a.providers) {
      for (let i = 0; i < g.count; i++) {
        const name = `provider-${g.strategy}-${n++}`;
        const agent = await this.agent(name, "provider", g.strategy, funding);
        const p: ProviderState = {
          agent,
          strategy: g.strategy,
          consumer: consumerService(e, g.strategy, this.roundShare),
          probe: probeService(e, g.strategy, this.roundShare),
        };
        if (g.strategy === "self-delisting") {
          // Its challenger and its seeding curator are its own accounts: their money is the provider's.
          const challenger = await this.agent(`${name}-sybil-challenger`, "consumer", "sybil", funding, false);
          const curator = await this.agent(`${name}-sybil-curator`, "curator", "sybil", funding, false);
          agent.members.push(challenger, curator);
          p.sybils = { challenger, curator: { agent: curator, strategy: "follow-stake", touched: new Set() } };
          this.curatorStates.set(curator, p.sybils.curator);
        }
        this.providers.push(p);
      }
    }
    for (const g of a.validators) {
      if (CAPTURE_COALITIONS.includes(g.strategy)) {
        if (g.count > 0) await this.coalition(g.strategy, g.count, `validator-${g.strategy}-${n++}`, funding);
        continue;
      }
      for (let i = 0; i < g.count; i++) {
        const name = `validator-${g.strategy}-${n++}`;
        const agent = await this.agent(name, "validator", g.strategy, funding);
        await this.send(this.validatorPool.connect(agent.signer).stake(wei(e.stakes.validator)));
        const probeBuyer = await this.wallet(`${name}-probes`, PROBE_BUYER_FUNDING);
        agent.funded += PROBE_BUYER_FUNDING;
        this.owners.set(probeBuyer.address.toLowerCase(), agent);
        this.validators.push({ agent, strategy: g.strategy, probeBuyer });
      }
    }
    for (const g of a.curators) {
      for (let i = 0; i < g.count; i++) {
        const agent = await this.agent(`curator-${g.strategy}-${n++}`, "curator", g.strategy, funding);
        const c: CuratorState = { agent, strategy: g.strategy, touched: new Set() };
        this.curators.push(c);
        this.curatorStates.set(agent, c);
      }
    }
    for (const g of a.jurors) {
      for (let i = 0; i < g.count; i++) {
        const agent = await this.agent(`juror-${g.strategy}-${n++}`, "juror", g.strategy, funding);
        await this.send(this.jurorPool.connect(agent.signer).stake(wei(e.stakes.juror)));
        this.jurors.push({ agent, strategy: g.strategy });
      }
    }
    for (let i = 0; i < a.consumers; i++) {
      const strategy = i < a.fishermen ? "fisherman" : "consumer";
      this.consumers.push(await this.agent(`consumer-${i}`, "consumer", strategy, funding));
    }
  }

  /**
   * A capture coalition (CAPTURE_COALITIONS): one reported agent that lists a cheating model of its own (its partner
   * listing) and stakes as `count` validators. A conditional cartel stakes the usual validator stake at each address;
   * a sybil spreads economics.sybilStake over its addresses (draws are stake-weighted with replacement, so how the
   * stake is split should not matter).
   */
  private async coalition(strategy: ValidatorStrategy, count: number, name: string, funding: bigint): Promise<void> {
    const e = this.config.economics;
    const agent = await this.agent(name, "validator", strategy, funding);
    const partner: ProviderState = {
      agent,
      strategy: "capture-partner",
      consumer: consumerService(e, "capture-partner", this.roundShare),
      probe: probeService(e, "capture-partner", this.roundShare),
    };
    this.providers.push(partner);
    const coalition: Coalition = { agent, strategy, partner, members: [], topUps: [], rounds: 0, held: 0, steered: 0 };
    const stake = strategy === "sybil" ? wei(e.sybilStake / count) : wei(e.stakes.validator);
    for (let i = 0; i < count; i++) {
      const member = await this.agent(`${name}-${i}`, "validator", strategy, funding, false);
      await this.send(this.validatorPool.connect(member.signer).stake(stake));
      const probeBuyer = await this.wallet(`${name}-${i}-probes`, PROBE_BUYER_FUNDING);
      member.funded += PROBE_BUYER_FUNDING;
      this.owners.set(probeBuyer.address.toLowerCase(), member);
      agent.members.push(member);
      const v: ValidatorState = { agent: member, strategy, probeBuyer, coalition };
      coalition.members.push(v);
      this.validators.push(v);
    }
    this.coalitions.push(coalition);
  }

  /** A funded account that has approved the registry (a validator's unlinkable probe buyer). */
  private async wallet(name: string, funded: bigint): Promise<{ address: string; signer: Signer }> {
    const address = getAddress("0x" + keccak256(toUtf8Bytes(`curia-sim:${this.config.seed}:${name}`)).slice(-40));
    await this.connection.networkHelpers.setBalance(address, parseEther("1000"));
    const signer = await this.ethers.getImpersonatedSigner(address);
    await this.send(this.token.connect(this.dao).transfer(address, funded));
    return { address, signer };
  }

  private async agent(name: string, role: Role, strategy: string, funded: bigint, report = true): Promise<Agent> {
    const { address, signer } = await this.wallet(name, funded);
    for (const spender of [
      this.registry,
      this.pool,
      this.court,
      this.challenges,
      this.jurorPool,
      this.validation,
      this.validatorPool,
    ]) {
      await this.send(this.token.connect(signer).approve(await spender.getAddress(), MaxUint256));
    }
    const agent: Agent = {
      name,
      role,
      strategy,
      address,
      signer,
      funded,
      offchain: 0,
      pnl: [],
      members: [],
      ledger: 0,
      gas: 0,
      opportunity: 0,
      canary: 0,
    };
    this.owners.set(address.toLowerCase(), agent);
    if (report) this.agents.push(agent);
    return agent;
  }

  // ---------------------------------------------------------------------------------------------------- epochs

  async run(): Promise<SimResult> {
    const started = performance.now();
    await this.setup();
    this.charging = true;
    const t0 = (await this.now()) + 60;
    for (this.epoch = 0; this.epoch < this.config.epochs; this.epoch++) {
      await this.increaseTo(t0 + this.epoch * this.epochLength);
      await this.listModels();
      await this.curate();
      // Challenges that land before the epoch's sales: a self-delisting provider's sybil, a griefer.
      const challenges = [...(await this.selfDelist()), ...(await this.grief())];
      await this.flee();
      await this.lateCheat();
      const fraudProofs = await this.buyCalls();
      await this.flee();
      const { automatic: disputes, byMembers } = await this.validate();
      await this.flee();
      await this.arbitrate([
        ...challenges.map((id) => ({ id, automatic: false })),
        ...fraudProofs.map((id) => ({ id, automatic: false })),
        ...byMembers.map((id) => ({ id, automatic: false })),
        ...disputes.map((id) => ({ id, automatic: true })),
      ]);
      await this.collect();
      await this.snapshot();
      this.log(`epoch ${this.epoch + 1}/${this.config.epochs}: ${this.transactions} transactions`);
    }
    return {
      config: this.config,
      agents: this.agents,
      listings: [...this.listings.values()],
      disputes: this.disputes,
      validatorStats: this.validatorStats,
      jurorStats: this.jurorStats,
      roundRewards: this.roundRewards,
      marginPerEpoch: Object.fromEntries(
        [...this.sales.entries()].map(([k, v]) => [k, v.epochs === 0 ? 0 : v.margin / v.epochs]),
      ),
      validationRounds: this.validationRounds,
      probedRounds: this.probedRounds,
      unreachableScores: this.unreachableScores,
      fraudProofs: this.fraudProofs,
      autoDisputesSkipped: this.autoDisputesSkipped,
      daoQuorum: await this.governor.quorum((await this.now()) - 1),
      poolCanAppeal:
        this.validation.interface.getFunction("appealDispute") !== null && !this.rule("pool-cannot-appeal"),
      captures: Object.fromEntries(
        this.coalitions.map((c) => [`validator/${c.strategy}`, { rounds: c.rounds, held: c.held, steered: c.steered }]),
      ),
      openDisputes: this.openDisputes,
      canaryRounds: this.canaryRounds,
      canaryStats: this.canaryStats,
      memberChallenges: this.memberChallenges,
      ...(await this.securedByDao()),
      seconds: (performance.now() - started) / 1000,
      transactions: this.transactions,
    };
  }

  /** Providers without a live listing list their model (again, after a delisting, when providers relist). */
  private async listModels(): Promise<void> {
    const bond = (await this.registry.parameters()).minBond;
    let listed = false;
    // In a seeded random order: listing ids must not tell honest providers from cheaters.
    for (const p of this.rng.shuffle(this.providers)) {
      if (p.listing !== undefined) {
        const status = await this.registry.statusOf(p.listing);
        if (status !== STATUS.Delisted && status !== STATUS.Withdrawn) continue;
        if (!this.config.economics.providersRelist) continue;
      }
      // A provider that cannot post another bond is out of the game.
      if ((await this.token.balanceOf(p.agent.address)) < bond) continue;
      const name = `${p.agent.name}-${this.epoch}`;
      const price = wei(this.config.economics.pricePerCall);
      // A relister lists the same model hash every time: after k slashes of that hash it needs bond × 2^k
      // (economics.relistBondDoubling). A fresh-hash relister lists the same model with its hash's last byte changed
      // on each listing (the registry cannot tell it from a new model), so it posts the base bond every time. Every
      // other provider lists a fresh hash (its model, renamed).
      const modelHash =
        p.strategy === "relister"
          ? id(p.agent.name)
          : p.strategy === "fresh-hash-relister"
            ? oneByteOff(id(p.agent.name), [...this.listings.values()].filter((l) => l.provider === p).length)
            : id(name);
      let listingBond = bond;
      if (p.strategy === "relister" && this.config.economics.relistBondDoubling) {
        const slashes = [...this.listings.values()].filter(
          (l) => l.provider === p && l.delistedEpoch !== undefined,
        ).length;
        listingBond = bond * 2n ** BigInt(slashes);
        if ((await this.token.balanceOf(p.agent.address)) < listingBond) continue;
      }
      if (p.strategy === "self-delisting" || p.strategy === "late-cheater") {
        // Each new listing starts as an honest one: the listed model, for everyone, until it switches.
        p.consumer = consumerService(this.config.economics, "honest", this.roundShare);
        p.probe = probeService(this.config.economics, "honest", this.roundShare);
      }
      p.listedEpoch = this.epoch;
      const listingId = await this.registry
        .connect(p.agent.signer)
        .createListing.staticCall(modelHash, `ipfs://sim/${name}`, `https://${name}.sim/infer`, price, listingBond);
      await this.send(
        this.registry
          .connect(p.agent.signer)
          .createListing(modelHash, `ipfs://sim/${name}`, `https://${name}.sim/infer`, price, listingBond),
      );
      p.listing = listingId;
      this.listings.set(listingId, {
        id: listingId,
        provider: p,
        cheating: p.consumer.qualityBps < this.config.parameters.validation.minQualityBps,
        createdEpoch: this.epoch,
        auditedCalls: 0,
        rounds: 0,
        disputes: 0,
      });
      if (this.config.agents.fishermen > 0) {
        const key = new Wallet(keccak256(toUtf8Bytes(`curia-sim:${this.config.seed}:${name}:serving-key`)));
        await this.send(this.registry.connect(p.agent.signer).setServingKey(listingId, key.address));
        this.listings.get(listingId)!.servingKey = key;
      }
      const seed = wei(this.config.economics.selfDelistSeedStake);
      if (p.sybils !== undefined && seed > 0n) {
        // A first stake of its own on the new listing, so that curators who follow stake follow it there.
        await this.send(this.pool.connect(p.sybils.curator.agent.signer).stake(listingId, seed));
        p.sybils.curator.touched.add(listingId);
      }
      listed = true;
    }
    if (listed) {
      await this.increaseTo((await this.now()) + Number(this.config.parameters.market.applicationPeriod) + 1);
    }
  }

  private async liveListings(statuses: bigint[]): Promise<ListingInfo[]> {
    const out: ListingInfo[] = [];
    for (const info of this.listings.values()) {
      if (statuses.includes(await this.registry.statusOf(info.id))) out.push(info);
    }
    return out;
  }

  /** Activate stake that has warmed up, withdraw what has thawed (not while the listing is under dispute: its exits
   * are frozen until the ruling) and claim rewards everywhere the curator has been. */
  private async tend(c: CuratorState): Promise<void> {
    for (const listingId of c.touched) {
      const position = await this.pool.positionOf(listingId, c.agent.address);
      const now = BigInt(await this.now());
      if (position.warmEnd > 0n && now >= position.warmEnd) {
        await this.send(this.pool.connect(c.agent.signer).activate(listingId, c.agent.address));
      }
      const frozen = (await this.pool.listingPool(listingId)).frozenBy > 0n;
      if (position.thawingShares > 0n && now >= position.thawEnd && !frozen) {
        await this.send(this.pool.connect(c.agent.signer).withdraw(listingId));
      }
      if ((await this.pool.claimable(listingId, c.agent.address)) > 0n) {
        await this.send(this.pool.connect(c.agent.signer).claim(listingId, c.agent.address));
      }
    }
  }

  /** Asks back the curator's active stake on every listing it has been on, or only on those `where` accepts. */
  private async leave(c: CuratorState, where: (listingId: bigint) => Promise<boolean> = async () => true) {
    for (const listingId of c.touched) {
      if (!(await where(listingId))) continue;
      const [active] = await this.pool.stakeOf(listingId, c.agent.address);
      if (active > 0n) await this.send(this.pool.connect(c.agent.signer).requestUnstake(listingId, active));
    }
  }

  /** Curators move their stake by their strategy; one position each, moved at most once an epoch (the escape and
   * just-in-time curators hold one position per listing they are on). */
  private async curate(): Promise<void> {
    const e = this.config.economics;
    const open = await this.liveListings([STATUS.Pending, STATUS.Active]);
    const isOpen = async (listingId: bigint) => open.some((l) => l.id === listingId);
    // A self-delisting provider's seeding stake: active before anyone else moves (anyone may activate warm stake), and
    // asked back from a listing that is no longer open.
    for (const p of this.providers) {
      if (p.sybils === undefined) continue;
      await this.tend(p.sybils.curator);
      await this.leave(p.sybils.curator, async (id) => !(await isOpen(id)));
    }
    for (const c of this.curators) {
      await this.tend(c);
      if (c.strategy === "just-in-time") {
        // It never stays: whatever has become active is asked back at once.
        await this.leave(c);
        continue;
      }
      if (c.strategy === "escape") {
        // It takes a position on every new listing (first in, the largest share of its fees), counting on leaving in
        // time whenever one is challenged; stake left on a listing that is no longer open is asked back.
        await this.leave(c, async (id) => !(await isOpen(id)));
        for (const l of open) {
          if (c.touched.has(l.id) || (await this.token.balanceOf(c.agent.address)) < wei(e.stakes.curator)) continue;
          await this.send(this.pool.connect(c.agent.signer).stake(l.id, wei(e.stakes.curator)));
          c.touched.add(l.id);
        }
        continue;
      }
      let target: bigint | undefined = c.position;
      const quality = async (l: ListingInfo) => {
        const listing = await this.registry.getListing(l.id);
        return listing.hasQuality ? Number(listing.qualityBps) : -1;
      };
      if (c.strategy === "follow-quality") {
        let best: { id: bigint; q: number } | undefined;
        for (const l of open) {
          const q = await quality(l);
          if (q >= e.curatorMinQualityBps && (best === undefined || q > best.q)) best = { id: l.id, q };
        }
        const current = open.find((l) => l.id === c.position);
        const keep = current !== undefined && (await quality(current)) >= e.curatorMinQualityBps;
        target = keep ? c.position : best?.id;
      } else if (c.strategy === "follow-stake") {
        let best: { id: bigint; s: bigint } | undefined;
        // Ties (no stake anywhere yet) broken at random: the crowd has no information either.
        for (const l of this.rng.shuffle(open)) {
          if (l.id === c.position) continue;
          const s = (await this.pool.listingPool(l.id)).activeStake;
          if (best === undefined || s > best.s) best = { id: l.id, s };
        }
        const stillOpen = open.some((l) => l.id === c.position);
        target = stillOpen ? c.position : best?.id;
      } else {
        const stillOpen = open.some((l) => l.id === c.position);
        if ((!stillOpen || this.rng.next() < 0.3) && open.length > 0) target = this.rng.pick(open).id;
      }
      if (target === c.position) continue;
      if (c.position !== undefined) {
        const [active, , warming] = await this.pool.stakeOf(c.position, c.agent.address);
        const status = await this.registry.statusOf(c.position);
        if (warming > 0n) continue; // stake still warming up cannot be asked back: it moves once active
        if (active > 0n && status !== STATUS.Challenged) {
          await this.send(this.pool.connect(c.agent.signer).requestUnstake(c.position, active));
        } else if (active > 0n) continue; // stake on a challenged listing stays until the ruling
      }
      c.position = undefined;
      if (target !== undefined) {
        await this.send(this.pool.connect(c.agent.signer).stake(target, wei(e.stakes.curator)));
        c.position = target;
        c.touched.add(target);
      }
    }
  }

  /**
   * Curators who leave when a challenge lands (escape, just-in-time) ask back their active stake on every challenged
   * listing at once. v2 lets them ask, but exits stay frozen from the challenge to the ruling: whatever had not left
   * before the challenge is slashed with the listing (thawing and warming stake included).
   */
  private async flee(): Promise<void> {
    for (const c of this.curators) {
      if (c.strategy !== "escape" && c.strategy !== "just-in-time") continue;
      for (const listingId of c.touched) {
        if ((await this.registry.statusOf(listingId)) !== STATUS.Challenged) continue;
        const position = await this.pool.positionOf(listingId, c.agent.address);
        if (position.warmEnd > 0n && BigInt(await this.now()) >= position.warmEnd) {
          await this.send(this.pool.connect(c.agent.signer).activate(listingId, c.agent.address));
        }
        const [active] = await this.pool.stakeOf(listingId, c.agent.address);
        if (active > 0n) await this.send(this.pool.connect(c.agent.signer).requestUnstake(listingId, active));
      }
    }
  }

  /** Opens a challenge of `listingId` by `challenger` with the minimum bond; returns the dispute. */
  private async challenge(challenger: Agent, listingId: bigint, evidence: string): Promise<bigint> {
    const bond = (await this.challenges.parameters()).minChallengeBond;
    await this.send(this.challenges.connect(challenger.signer).challenge(listingId, bond, evidence));
    const disputeId = (await this.registry.getListing(listingId)).activeDisputeId;
    this.openChallenges.set(disputeId, { challenger: challenger.address, bond });
    const info = this.listings.get(listingId);
    if (info !== undefined) info.disputes++;
    return disputeId;
  }

  /**
   * A late-cheater whose listing has served the listed model for economics.lateCheatAfterEpochs epochs (its verified
   * quality and its sales are those of an honest listing) switches to its own model for the sales that follow. Its
   * earnings since then wait in escrow, capped per unit of bond, and are slashed with the bond when it is caught.
   */
  private async lateCheat(): Promise<void> {
    const e = this.config.economics;
    for (const p of this.providers) {
      if (p.strategy !== "late-cheater" || p.listing === undefined || p.listedEpoch === undefined) continue;
      if (this.epoch - p.listedEpoch < e.lateCheatAfterEpochs) continue;
      if ((await this.registry.statusOf(p.listing)) !== STATUS.Active) continue;
      p.consumer = consumerService(e, "late-cheater", this.roundShare);
      p.probe = probeService(e, "late-cheater", this.roundShare);
      this.listings.get(p.listing)!.cheating = true;
    }
  }

  /**
   * A self-delisting provider whose listing has served the listed model for economics.selfDelistAfterEpochs epochs
   * (curators came) switches to its own model and has its sybil challenge the listing before the epoch's sales; it
   * concedes, and honest jurors delist it. Its sybil, the winner, gets winnerShareBps of the loser's stake: its own bond
   * and escrow (v2), plus the curators' slash under winner-takes-curators-slash (v1).
   */
  private async selfDelist(): Promise<bigint[]> {
    const e = this.config.economics;
    const disputes: bigint[] = [];
    for (const p of this.providers) {
      if (p.sybils === undefined || p.listing === undefined || p.listedEpoch === undefined) continue;
      if (this.epoch - p.listedEpoch < e.selfDelistAfterEpochs) continue;
      if ((await this.registry.statusOf(p.listing)) !== STATUS.Active) continue;
      const info = this.listings.get(p.listing)!;
      p.consumer = consumerService(e, "self-delisting", this.roundShare);
      p.probe = probeService(e, "self-delisting", this.roundShare);
      info.cheating = true;
      const cost = await this.challenges.challengeCost((await this.challenges.parameters()).minChallengeBond);
      if ((await this.token.balanceOf(p.sybils.challenger.address)) < cost) continue;
      disputes.push(await this.challenge(p.sybils.challenger, p.listing, `ipfs://sim/${p.agent.name}/my-own-model`));
    }
    return disputes;
  }

  /**
   * A griefer challenges the best-selling competitor (the highest verified quality among the other Active listings)
   * before the epoch's sales, so that its buyers come to the griefer's listing while it is frozen, and appeals every
   * round it loses. One dispute at a time: a listing it keeps frozen needs no second challenge.
   */
  private async grief(): Promise<bigint[]> {
    const disputes: bigint[] = [];
    for (const p of this.providers) {
      if (p.strategy !== "griefer") continue;
      if ([...this.openChallenges.values()].some((c) => c.challenger === p.agent.address)) continue;
      let target: { id: bigint; q: number } | undefined;
      for (const info of await this.liveListings([STATUS.Active])) {
        if (info.provider === p) continue;
        const listing = await this.registry.getListing(info.id);
        if (!listing.hasQuality) continue;
        const q = Number(listing.qualityBps);
        if (target === undefined || q > target.q) target = { id: info.id, q };
      }
      if (target === undefined) continue;
      const cost = await this.challenges.challengeCost((await this.challenges.parameters()).minChallengeBond);
      if ((await this.token.balanceOf(p.agent.address)) < cost) continue;
      disputes.push(await this.challenge(p.agent, target.id, `ipfs://sim/${p.agent.name}/grief`));
    }
    return disputes;
  }

  /** Consumers buy calls on the listings whose verified quality they trust, in proportion to that quality; they
   * receive what the provider serves consumers, and forward `auditShareBps` of their calls to the validators. */
  private async buyCalls(): Promise<bigint[]> {
    const e = this.config.economics;
    const fraudProofs: bigint[] = [];
    const active = await this.liveListings([STATUS.Active]);
    const candidates: { info: ListingInfo; q: number }[] = [];
    for (const info of active) {
      const q = Number(await this.registry.qualityOf(info.id));
      if (q >= e.curatorMinQualityBps) candidates.push({ info, q });
    }
    const total = candidates.reduce((s, c) => s + c.q, 0);
    if (total === 0) return fraudProofs;
    // Just-in-time curators see the purchases coming and stake on each listing right before them.
    for (const c of this.curators) {
      if (c.strategy !== "just-in-time") continue;
      for (const { info } of candidates) {
        const [active, , warming] = await this.pool.stakeOf(info.id, c.agent.address);
        if (active + warming > 0n || (await this.token.balanceOf(c.agent.address)) < wei(e.stakes.curator)) continue;
        await this.send(this.pool.connect(c.agent.signer).stake(info.id, wei(e.stakes.curator)));
        c.touched.add(info.id);
      }
    }
    const soldTo = new Set<ListingInfo>();
    const challenged = new Set<bigint>();
    // A listing's escrowed earnings at risk are capped at bond × maxEscrowPerBondBps: the calls that would take its
    // escrow past the cap are not sold (the provider would have to post more bond to sell them).
    const fee = Number(this.config.parameters.market.protocolFeeBps) / 10_000;
    const escrowRoom = new Map<ListingInfo, number>();
    for (const { info } of candidates) {
      const [locked, releasable] = await this.registry.escrowOf(info.id);
      const cap = (cur((await this.registry.getListing(info.id)).bond) * e.maxEscrowPerBondBps) / 10_000;
      escrowRoom.set(info, cap - cur(locked + releasable));
    }
    for (const consumer of this.consumers) {
      for (const { info, q } of candidates) {
        const room = escrowRoom.get(info) ?? 0;
        const perCall = e.pricePerCall * (1 - fee);
        const calls = Math.max(
          0,
          Math.min(Math.round((e.callsPerConsumerPerEpoch * q) / total), Math.floor(room / perCall)),
        );
        escrowRoom.set(info, room - calls * perCall);
        // A fisherman's fraud proof earlier in the epoch froze the listing: nobody can buy from it until the ruling.
        if (calls === 0 || challenged.has(info.id)) continue;
        // Consumers accept the listed price and no more: a price raised under them makes their purchase revert.
        await this.purchase(consumer.signer, info.id, calls, wei(e.pricePerCall));
        const served = info.provider.consumer;
        consumer.offchain += (calls * served.answeredShare * e.valuePerCall * served.qualityBps) / 10_000;
        const cost = calls * served.answeredShare * served.costPerCall;
        info.provider.agent.offchain -= cost;
        info.auditedCalls += (calls * e.auditShareBps) / 10_000;
        if (consumer.strategy === "fisherman") {
          const disputeId = await this.fish(consumer, info);
          if (disputeId !== undefined) {
            fraudProofs.push(disputeId);
            challenged.add(info.id);
          }
        }
        const key = info.provider.strategy;
        const s = this.sales.get(key) ?? { margin: 0, epochs: 0 };
        s.margin += calls * e.pricePerCall * (1 - fee) - cost;
        this.sales.set(key, s);
        soldTo.add(info);
      }
    }
    // Margins are per listing and epoch of sales: one more epoch for each listing that sold in this one.
    for (const info of soldTo) {
      const s = this.sales.get(info.provider.strategy);
      if (s !== undefined) s.epochs += 1;
    }
    return fraudProofs;
  }

  /**
   * A fisherman checks one of its answers from `info` against the listed model; when it is bad (the provider served
   * its own model) it files the answer's receipt, signed by the listing's serving key, as a fraud proof with the
   * minimum bond, publishing the input and output as data: URIs. Returns the dispute, if it filed one.
   */
  private async fish(consumer: Agent, info: ListingInfo): Promise<bigint | undefined> {
    const e = this.config.economics;
    consumer.offchain -= e.fishermanCheckCost;
    const bad = this.rng.next() >= info.provider.consumer.listedShare;
    if (!bad || info.servingKey === undefined) return undefined;
    // Another fisherman may have caught it first this epoch.
    if ((await this.registry.statusOf(info.id)) !== STATUS.Active) return undefined;
    const input = toUtf8Bytes(`input ${this.rng.bytes32()}`);
    const output = toUtf8Bytes(`output of ${info.provider.strategy}'s own model ${this.rng.bytes32()}`);
    const receipt = {
      listingId: info.id,
      modelHash: (await this.registry.getListing(info.id)).modelHash as `0x${string}`,
      caller: consumer.address as `0x${string}`,
      nonce: BigInt(this.rng.bytes32()),
      inputHash: dataHash(input),
      outputHash: dataHash(output),
      servedAt: BigInt(await this.now()),
    };
    const { chainId } = await this.ethers.provider.getNetwork();
    const signature = await signReceipt(
      info.servingKey,
      inferenceDomain(chainId, await this.registry.getAddress()),
      receipt,
    );
    const bond = (await this.challenges.parameters()).minChallengeBond;
    await this.send(
      this.challenges
        .connect(consumer.signer)
        .fileFraudProof(receipt, signature, bond, toDataURI(input), toDataURI(output)),
    );
    const disputeId = (await this.registry.getListing(info.id)).activeDisputeId;
    this.openChallenges.set(disputeId, { challenger: consumer.address, bond });
    info.disputes++;
    this.fraudProofs++;
    return disputeId;
  }

  /** `ListingRegistry.purchase` for `calls` calls credited to the buyer, refused above `maxPricePerCall`; under
   * no-warm-up, books what each curator of the listing would have earned of its fee with the old rule. */
  private async purchase(buyer: Signer, listingId: bigint, calls: number, maxPricePerCall: bigint): Promise<void> {
    const oldShares = this.rule("no-warm-up") ? await this.feeSharesWithoutWarmUp(listingId, calls) : undefined;
    await this.send(this.registry.connect(buyer).purchase(listingId, calls, buyer, maxPricePerCall));
    for (const [agent, delta] of oldShares ?? []) agent.ledger += delta;
  }

  /**
   * no-warm-up (v1): new stake earned from its first block. What each curator of `listingId` would have earned of a
   * purchase's curator fee had its warming stake earned with its active stake, against what v2 pays (active stake
   * only, and nothing to curators when none is active: the treasury takes it). Read before the purchase.
   */
  private async feeSharesWithoutWarmUp(listingId: bigint, calls: number): Promise<Map<Agent, number>> {
    const out = new Map<Agent, number>();
    const pool = await this.pool.listingPool(listingId);
    if (pool.warmingStake === 0n) return out;
    const m = await this.registry.parameters();
    const cost = (await this.registry.getListing(listingId)).pricePerCall * BigInt(calls);
    const curatorFee = (((cost * BigInt(m.protocolFeeBps)) / 10_000n) * BigInt(m.curatorShareBps)) / 10_000n;
    const toCurators = cur((curatorFee * BigInt(await this.registry.qualityOf(listingId))) / 10_000n);
    const active = cur(pool.activeStake);
    const all = active + cur(pool.warmingStake);
    for (const c of this.curatorStates.values()) {
      if (!c.touched.has(listingId)) continue;
      const [a, , w] = await this.pool.stakeOf(listingId, c.agent.address);
      if (a + w === 0n) continue;
      const v1 = (toCurators * cur(a + w)) / all;
      const v2 = active > 0 ? (toCurators * cur(a)) / active : 0;
      out.set(c.agent, v1 - v2);
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------------- validation

  private scoreOf(strategy: ValidatorStrategy, measured: number, published: number): number | undefined {
    const e = this.config.economics;
    switch (strategy) {
      case "honest":
        return clampBps(measured + this.rng.normal() * e.validatorNoiseBps);
      case "lazy-copy":
        return published;
      case "lazy-fixed":
        return e.lazyFixedScoreBps;
      case "colluding":
        return e.collusionScoreBps;
      case "absent":
        return undefined;
      // The score the listed (reference) model is known to get: right whenever the provider serves it, which is most
      // rounds; wrong on a cheater, and on every canary (a known-degraded model listed as if it were the reference).
      case "predict-honest":
        return e.providerQualityBps.honest;
      // A capture coalition scores like an honest member, except where it holds its own listing's median.
      case "conditional-cartel":
      case "sybil":
        return clampBps(measured + this.rng.normal() * e.validatorNoiseBps);
    }
  }

  /** Whether a member does the round's work (buys probes, re-runs the inferences) and scores what it measured. */
  private verifies(v: ValidatorState, r: RoundState): boolean {
    return v.strategy === "honest" || (v.coalition !== undefined && r.deviating !== v.coalition);
  }

  /**
   * A capture coalition reads the committee drawn on its own listing: it holds the median when its seats are a
   * majority of the seats (every member reveals). Then, and only then, it reveals its agreed score.
   */
  private async holdsMedian(c: Coalition, roundId: bigint): Promise<boolean> {
    let seats = 0n;
    for (const m of c.members) seats += (await this.validation.memberOf(roundId, m.agent.address)).seats;
    const seated = BigInt((await this.validation.getRound(roundId)).seated);
    c.rounds++;
    if (2n * seats <= seated) return false;
    c.held++;
    return true;
  }

  /**
   * seed-known-before-draw (v1): the coalition reads the seed that the round about to open on its listing will draw
   * with (the sim's randomness source is reproducible; v1's seed was public while stakes could still move) and adds to
   * one of its addresses the least whole-CUR stake, up to economics.steeringCapital, that gives it a majority of the
   * committee's seats, found off chain as the pool's tree would draw (drawValue, drawLandsOn, the pool's lock rule).
   * The stake goes in before the round opens, so the contract itself draws with it. It is asked back afterwards.
   */
  private async steer(c: Coalition): Promise<void> {
    const v = this.config.parameters.validation;
    const pool = this.validatorPool;
    const seed = await this.randomness.randomness((await this.randomness.requestCount()) + 1n);
    const minStake = (await pool.parameters()).minStake;
    const unit = 10n ** 18n;
    type Leaf = { account: string; weight: bigint; staked: bigint; locked: bigint };
    const leaves: Leaf[] = [];
    const slots = await pool.memberSlots();
    for (let slot = 0n; slot < slots; slot++) {
      const account = await pool.memberAt(slot);
      const member = await pool.memberOf(account);
      const [weight] = await pool.drawWeight(account);
      leaves.push({ account, weight, staked: member.staked, locked: member.locked });
    }
    const mine = new Set(c.members.map((m) => m.agent.address));
    const size = Number(v.committeeSize);
    const attempts = 4; // ValidationManager.DRAW_ATTEMPTS_PER_SEAT
    const values = Array.from({ length: size }, (_, seat) =>
      Array.from({ length: attempts }, (_, attempt) => drawValue(seed, BigInt(seat), BigInt(attempt))),
    );
    const seatsHeld = (topped: number, extra: bigint): number => {
      const state = leaves.map((l, i) =>
        i === topped ? { ...l, weight: l.weight + extra, staked: l.staked + extra * unit } : { ...l },
      );
      let held = 0;
      for (const seat of values) {
        for (const value of seat) {
          const leaf = drawLandsOn(state, value);
          if (leaf === undefined) return 0;
          const amount = (leaf.staked * BigInt(v.penaltyBps)) / 10_000n;
          const ok =
            leaf.staked > 0n &&
            leaf.staked >= minStake &&
            leaf.staked / unit >= leaf.weight &&
            leaf.locked + amount <= leaf.staked;
          if (!ok) continue;
          leaf.locked += amount;
          if (mine.has(leaf.account)) held++;
          break;
        }
      }
      return held;
    };
    const majority = Math.floor(size / 2) + 1;
    if (seatsHeld(-1, 0n) >= majority) return;
    const ours = leaves.map((l, i) => (mine.has(l.account) ? i : -1)).filter((i) => i >= 0);
    const cap = BigInt(Math.floor(this.config.economics.steeringCapital));
    for (let extra = 1n; extra <= cap; extra++) {
      for (const i of ours) {
        if (seatsHeld(i, extra) < majority) continue;
        const member = c.members.find((m) => m.agent.address === leaves[i]!.account)!;
        await this.send(pool.connect(member.agent.signer).stake(extra * unit));
        c.topUps.push({ member, amount: extra * unit });
        c.steered++;
        return;
      }
    }
  }

  /** A coalition asks back the stake it added to steer draws, and withdraws it once thawed. */
  private async releaseTopUps(): Promise<void> {
    for (const c of this.coalitions) {
      for (const t of c.topUps.splice(0)) {
        await this.send(this.validatorPool.connect(t.member.agent.signer).requestUnstake(t.amount));
      }
      for (const m of c.members) {
        const member = await this.validatorPool.memberOf(m.agent.address);
        const free = member.staked + member.thawing - member.locked;
        if (member.thawing > 0n && free > 0n && BigInt(await this.now()) >= member.thawEnd) {
          await this.send(this.validatorPool.connect(m.agent.signer).withdraw());
        }
      }
    }
  }

  /** One free round on every Active listing: open, draw, gather evidence, commit, reveal, finalize. Returns new
   * disputes. */
  private async validate(): Promise<{ automatic: bigint[]; byMembers: bigint[] }> {
    const e = this.config.economics;
    const rounds: RoundState[] = [];
    for (const info of await this.liveListings([STATUS.Active])) {
      const [, nextFree] = await this.validation.listingRounds(info.id);
      if (BigInt(await this.now()) < nextFree) continue;
      const coalition = this.coalitions.find((c) => c.partner.listing === info.id);
      if (coalition !== undefined && this.rule("seed-known-before-draw")) await this.steer(coalition);
      const roundId = await this.validation.connect(this.keeper.signer).openRound.staticCall(info.id);
      await this.send(this.validation.connect(this.keeper.signer).openRound(info.id));
      await this.send(this.validation.connect(this.keeper.signer).drawCommittee(roundId));
      if ((await this.validation.phaseOf(roundId)) !== 2n) continue; // cancelled: too few validators free
      // The price the committee's samples may cost is fixed now, when the round opens.
      const priceAtOpen = (await this.registry.getListing(info.id)).pricePerCall;
      const deviating = coalition !== undefined && (await this.holdsMedian(coalition, roundId)) ? coalition : undefined;
      rounds.push({ roundId, info, priceAtOpen, measured: 0, unreachable: new Set(), salts: new Map(), deviating });
      this.validationRounds++;
    }
    for (const r of rounds) await this.gatherEvidence(r);
    let commitEnd = 0n;
    let revealEnd = 0n;
    for (const r of rounds) {
      const published = Number(await this.registry.qualityOf(r.info.id));
      for (const address of await this.validation.committeeOf(r.roundId)) {
        const v = this.validatorAt(address);
        let score: number | undefined;
        if (v.coalition !== undefined && r.deviating === v.coalition) score = e.collusionScoreBps;
        else if (!this.verifies(v, r)) score = this.scoreOf(v.strategy, r.measured, published);
        else if (!r.unreachable.has(address)) score = this.scoreOf("honest", r.measured, published);
        else if (e.unreachableScoresZero) {
          // Paid calls went unanswered: the listing scores 0, "unreachable".
          score = 0;
          this.unreachableScores++;
        } // else: the validator retries until the commit window closes, and never commits
        if (score === undefined) continue;
        const salt = this.rng.bytes32();
        const commitment = scoreCommitment(score, salt, address, r.roundId);
        await this.send(this.validation.connect(v.agent.signer).commitScore(r.roundId, commitment));
        r.salts.set(address, [score, salt]);
      }
      const round = await this.validation.getRound(r.roundId);
      if (round.commitEnd > commitEnd) commitEnd = round.commitEnd;
      if (round.revealEnd > revealEnd) revealEnd = round.revealEnd;
    }
    if (rounds.length === 0) return { automatic: [], byMembers: [] };
    await this.increaseTo(commitEnd);
    for (const r of rounds) {
      for (const [address, [score, salt]] of r.salts) {
        const v = this.validatorAt(address);
        await this.send(this.validation.connect(v.agent.signer).revealScore(r.roundId, score, salt));
      }
    }
    await this.increaseTo(revealEnd);
    const disputes: bigint[] = [];
    const byMembers: bigint[] = [];
    const tolerance = Number(this.config.parameters.validation.toleranceBps);
    for (const r of rounds) {
      await this.send(this.validation.connect(this.keeper.signer).finalizeRound(r.roundId));
      r.info.rounds++;
      const round = await this.validation.getRound(r.roundId);
      for (const address of await this.validation.committeeOf(r.roundId)) {
        const v = this.validatorAt(address);
        const stats = (this.validatorStats[v.strategy] ??= { seats: 0, rewarded: 0, penalized: 0, truthful: 0 });
        // Committees are drawn with replacement: a member's score, reward and penalty count once per seat it holds.
        const m = await this.validation.memberOf(r.roundId, address);
        const seats = Number(m.seats);
        stats.seats += seats;
        const inTolerance =
          round.quorumReached && m.revealed && Math.abs(Number(m.scoreBps) - Number(round.medianBps)) <= tolerance;
        if (inTolerance) stats.rewarded += seats;
        else stats.penalized += seats;
        // The truth for a member whose paid calls went unanswered is "unreachable": 0.
        const truth = r.unreachable.has(address) ? 0 : r.measured;
        if (m.revealed && Math.abs(Number(m.scoreBps) - truth) <= tolerance) stats.truthful += seats;
      }
      const listing = await this.registry.getListing(r.info.id);
      if (round.quorumReached && Number(round.medianBps) < Number(this.config.parameters.validation.minQualityBps)) {
        if (listing.status === STATUS.Challenged) {
          disputes.push(listing.activeDisputeId);
          r.info.disputes++;
        } else {
          this.autoDisputesSkipped++;
          const id = await this.memberChallenge(r);
          if (id !== undefined) byMembers.push(id);
        }
      }
    }
    await this.canaries(rounds.length);
    return { automatic: disputes, byMembers };
  }

  /**
   * The validators' pool could not pay an automatic challenge's bond (no grant, few fees yet): an honest member of the
   * committee that measured the listing below the minimum challenges it with its own bond, a human challenge it expects
   * to win (its bond back and the winner's share of the provider's bond and escrow).
   */
  private async memberChallenge(r: RoundState): Promise<bigint | undefined> {
    if (!this.config.economics.validatorsChallengeWhenPoolShort) return undefined;
    if ((await this.registry.statusOf(r.info.id)) !== STATUS.Active) return undefined;
    const cost = await this.challenges.challengeCost((await this.challenges.parameters()).minChallengeBond);
    for (const address of await this.validation.committeeOf(r.roundId)) {
      const v = this.validatorAt(address);
      if (v.strategy !== "honest" || (await this.token.balanceOf(address)) < cost) continue;
      this.memberChallenges++;
      return this.challenge(v.agent, r.info.id, `ipfs://sim/round-${r.roundId}/below-minimum`);
    }
    return undefined;
  }

  /**
   * Canary audits (issue 18; the contract is built next to this simulation, so they are modelled here): the DAO's
   * canary operator lists known-degraded models (economics.canaryQualityBps) that validators cannot tell from other
   * listings, so that economics.canaryRate of all rounds are on a canary. Each canary round draws a committee as the
   * pool does (stake-weighted, with replacement); honest members measure the canary (and pay for it); the others score
   * as their strategy does. It pays and penalizes as any round (it must look like one), and on reveal every seat scored
   * above truth + tolerance, or not revealed, also loses canarySlashBps of its stake at risk (stake × penaltyBps),
   * shared among the seats within tolerance; a seat's share below canaryBountyPerSeat is topped up from the treasury,
   * at most canaryBountyBudget an epoch (CanaryAudits: slashes first, the reserve within a daily budget).
   */
  private async canaries(realRounds: number): Promise<void> {
    const e = this.config.economics;
    if (e.canaryRate <= 0 || realRounds === 0) return;
    const expected = (realRounds * e.canaryRate) / (1 - e.canaryRate);
    let n = Math.floor(expected);
    if (this.canaryRng.next() < expected - n) n++;
    const v = this.config.parameters.validation;
    const tolerance = Number(v.toleranceBps);
    const size = Number(v.committeeSize);
    const staked: number[] = [];
    for (const x of this.validators) staked.push(cur((await this.validatorPool.memberOf(x.agent.address)).staked));
    const total = staked.reduce((a, b) => a + b, 0);
    if (total === 0) return;
    // What a lazy copier sees on a canary: the quality of an unscored listing.
    const published = Number(this.config.parameters.market.defaultQualityBps);
    const truth = e.canaryQualityBps;
    let budget = e.canaryBountyBudget;
    for (let i = 0; i < n; i++) {
      this.canaryRounds++;
      const seats = new Map<ValidatorState, number>();
      for (let seat = 0; seat < size; seat++) {
        let x = this.canaryRng.next() * total;
        let k = 0;
        while (k < staked.length - 1 && x >= staked[k]!) x -= staked[k++]!;
        const member = this.validators[k]!;
        seats.set(member, (seats.get(member) ?? 0) + 1);
      }
      const measured = clampBps(truth + this.canaryRng.normal() * e.samplingNoiseBps);
      const scored: { m: ValidatorState; k: number; score: number | undefined; atRisk: number }[] = [];
      for (const [m, k] of seats) {
        const honestWork = m.strategy === "honest" || m.coalition !== undefined;
        if (honestWork) m.agent.offchain -= e.verificationCost;
        const score = honestWork
          ? clampBps(measured + this.canaryRng.normal() * e.validatorNoiseBps)
          : this.scoreOf(m.strategy, measured, published);
        const atRisk =
          (cur((await this.validatorPool.memberOf(m.agent.address)).staked) * Number(v.penaltyBps)) / 10_000;
        scored.push({ m, k, score, atRisk });
      }
      // A canary round is an ordinary round on an ordinary-looking listing: the seats within tolerance of the median
      // are reimbursed and share the round reward, the others lose their stake at risk (booked against the treasury,
      // which funds its canaries' rounds: the chain does not play them here).
      const revealed = scored.filter((x) => x.score !== undefined).flatMap((x) => Array<number>(x.k).fill(x.score!));
      revealed.sort((a, b) => a - b);
      const median = revealed.length === 0 ? undefined : revealed[Math.floor((revealed.length - 1) / 2)]!;
      const coherent = (x: (typeof scored)[number]) =>
        median !== undefined && x.score !== undefined && Math.abs(x.score - median) <= tolerance;
      const coherentSeats = scored.filter(coherent).reduce((a, x) => a + x.k, 0);
      const perSeat =
        coherentSeats === 0 ? 0 : cur(v.roundReward) / coherentSeats + Number(v.reimbursedCalls) * e.pricePerCall;
      // The canary's own rule: every seat above truth + tolerance (or not revealed) loses canarySlashBps of its stake
      // at risk, shared among the seats within tolerance of the truth, topped up to canaryBountyPerSeat a seat from the
      // treasury within its budget.
      let pot = 0;
      const good: [ValidatorState, number][] = [];
      for (const x of scored) {
        const stats = (this.canaryStats[x.m.strategy] ??= { seats: 0, slashed: 0 });
        stats.seats += x.k;
        const regular = coherent(x) ? x.k * perSeat : -x.k * x.atRisk;
        x.m.agent.offchain += regular;
        x.m.agent.canary += regular;
        this.treasury.offchain -= regular;
        if (x.score === undefined || x.score > truth + tolerance) {
          const slash = (x.k * x.atRisk * e.canarySlashBps) / 10_000;
          x.m.agent.offchain -= slash;
          x.m.agent.canary -= slash;
          pot += slash;
          stats.slashed += x.k;
        } else if (Math.abs(x.score - truth) <= tolerance) good.push([x.m, x.k]);
      }
      const goodSeats = good.reduce((a, [, k]) => a + k, 0);
      if (goodSeats === 0) {
        // Nobody caught it: the slashes go to the treasury.
        this.treasury.offchain += pot;
        continue;
      }
      const topUp = Math.min(Math.max(0, goodSeats * e.canaryBountyPerSeat - pot), budget);
      budget -= topUp;
      for (const [m, k] of good) {
        const paid = ((pot + topUp) * k) / goodSeats;
        m.agent.offchain += paid;
        m.agent.canary += paid;
      }
      this.treasury.offchain -= topUp;
    }
  }

  /**
   * What the round's honest members score: the calls consumers forwarded since the last round (served as consumers
   * were served) and, when those are fewer than `minAuditedCalls`, the probes each member buys and sends. Probes are
   * paid at most the price fixed when the round opened; a probe purchase that reverts, or probes left unanswered,
   * make the listing unreachable for that member. Honest members pay for their verification (and their probes).
   */
  private async gatherEvidence(r: RoundState): Promise<void> {
    const e = this.config.economics;
    const provider = r.info.provider;
    const audited = Math.floor(r.info.auditedCalls);
    r.info.auditedCalls = 0;
    const probing = audited < e.minAuditedCalls;
    const evaluated = probing
      ? (audited * provider.consumer.qualityBps + e.samplesPerRound * provider.probe.qualityBps) /
        (audited + e.samplesPerRound)
      : provider.consumer.qualityBps;
    // Each round evaluates a fresh sample of calls: the measured quality is the true one ± sampling noise.
    r.measured = clampBps(evaluated + this.rng.normal() * e.samplingNoiseBps);
    const members = (await this.validation.committeeOf(r.roundId)).map((a) => this.validatorAt(a));
    const honest = members.filter((v) => this.verifies(v, r));
    for (const v of honest) v.agent.offchain -= e.verificationCost;
    // A price-hike provider raises its price as soon as a round opens: it cannot know whether anyone will probe.
    const hike = hikesPriceBeforeSampling(provider.strategy);
    if (hike) {
      const hiked = (r.priceAtOpen * BigInt(Math.round(e.priceHikeFactor * 1_000))) / 1_000n;
      await this.send(this.registry.connect(provider.agent.signer).updatePrice(r.info.id, hiked));
    }
    if (probing) {
      this.probedRounds++;
      for (const v of honest) {
        if (!(await this.probe(v, r))) r.unreachable.add(v.agent.address);
      }
    }
    if (hike) await this.send(this.registry.connect(provider.agent.signer).updatePrice(r.info.id, r.priceAtOpen));
  }

  /** A member buys and sends its probes; whether the listing answered them. */
  private async probe(v: ValidatorState, r: RoundState): Promise<boolean> {
    const e = this.config.economics;
    const buyer = e.probesRecognizable ? v.agent : v.probeBuyer;
    const calls = e.samplesPerRound;
    // With a price cap, the member approves exactly the calls at the price fixed at the round's opening; without
    // one (the service before issue 16) it had approved the registry for good and paid whatever it was asked.
    const cap = e.validatorsCapPrice ? r.priceAtOpen : MaxUint256;
    const allowance = e.validatorsCapPrice ? r.priceAtOpen * BigInt(calls) : MaxUint256;
    await this.send(this.token.connect(buyer.signer).approve(await this.registry.getAddress(), allowance));
    try {
      await this.purchase(buyer.signer, r.info.id, calls, cap);
    } catch (error) {
      if (!isPriceRefusal(error)) throw error;
      return false;
    }
    const served = r.info.provider.probe;
    r.info.provider.agent.offchain -= calls * served.answeredShare * served.costPerCall;
    return served.answeredShare > 0;
  }

  private validatorAt(address: string): ValidatorState {
    const v = this.validators.find((x) => x.agent.address === address);
    if (v === undefined) throw new Error(`unknown validator ${address}`);
    return v;
  }

  // ---------------------------------------------------------------------------------------------------- court

  /** The ruling a juror who looked at the evidence would give: delist exactly the listings below the minimum. */
  private truth(info: ListingInfo): number {
    return info.cheating ? CHALLENGER : DEFENDANT;
  }

  /**
   * Runs disputes to their end, side by side as keepers and jurors would (one after the other, the later ones' draw
   * and voting windows would close while the first ran): every juror round, appeals by whoever has a reason to, and
   * one DAO proposal ruling all the disputes that reach the DAO. When the DAO lets its review lapse
   * (economics.daoRulesAppeals false), the review's deadline ends the dispute with the last juror ruling; under
   * dao-review-never-ends nothing does, and the dispute stays open (its listing frozen) for the rest of the run.
   */
  private async arbitrate(disputes: { id: bigint; automatic: boolean }[]): Promise<void> {
    const e = this.config;
    const cases: DisputeCase[] = [];
    for (const { id: disputeId, automatic } of disputes) {
      const info = this.listings.get((await this.challenges.getChallenge(disputeId)).listingId);
      if (info === undefined) throw new Error(`dispute ${disputeId} on an unknown listing`);
      // The cheating provider bribes the jurors of disputes that would delist it.
      const bribed = e.bribery.enabled && info.cheating;
      cases.push({
        disputeId,
        automatic,
        info,
        truth: this.truth(info),
        bribed,
        bribedSeats: [],
        pEpsilon: info.provider.strategy === "p-epsilon",
        stage: "jurors",
        votes: [],
      });
    }
    const briberChoice = DEFENDANT;
    for (;;) {
      const voting = cases.filter((c) => c.stage === "jurors");
      if (voting.length === 0) break;
      for (const c of voting) {
        while ((await this.court.periodOf(c.disputeId)) === PERIOD.Drawing) {
          await this.send(this.court.connect(this.keeper.signer).draw(c.disputeId, 64));
        }
        // A draw that expired with no seat sends the dispute to the DAO.
        if ((await this.court.periodOf(c.disputeId)) === PERIOD.DaoReview) c.stage = "dao";
      }
      const drawn = voting.filter((c) => c.stage === "jurors");
      let commitEnd = 0n;
      let revealEnd = 0n;
      for (const c of drawn) {
        const round = Number((await this.court.getDispute(c.disputeId)).rounds) - 1;
        c.votes = [];
        for (const j of this.jurors) {
          const vote = await this.court.voteOf(c.disputeId, round, j.agent.address);
          if (vote.seats === 0n) continue;
          let choice = c.truth;
          if (j.strategy === "random") choice = this.rng.next() < 0.5 ? CHALLENGER : DEFENDANT;
          if (j.strategy === "bribed" && c.bribed) choice = briberChoice;
          // A p+ε offer makes the briber's side a dominant vote for whoever trusts it: it pays if that side loses.
          if (j.strategy === "p-epsilon" && c.pEpsilon) choice = briberChoice;
          const salt = this.rng.bytes32();
          const commitment = voteCommitment(choice, salt, j.agent.address, c.disputeId, BigInt(round));
          await this.send(this.court.connect(j.agent.signer).commit(c.disputeId, commitment));
          c.votes.push({ juror: j, seats: Number(vote.seats), choice, salt, round });
        }
        const r = await this.court.getRound(c.disputeId, round);
        if (r.commitEnd > commitEnd) commitEnd = r.commitEnd;
        if (r.revealEnd > revealEnd) revealEnd = r.revealEnd;
      }
      await this.increaseTo(commitEnd);
      for (const c of drawn) {
        for (const v of c.votes) {
          await this.send(this.court.connect(v.juror.agent.signer).reveal(c.disputeId, v.choice, v.salt));
          if (c.bribed && v.juror.strategy === "bribed" && v.choice === briberChoice) {
            c.bribedSeats.push({ juror: v.juror.agent, seats: v.seats, round: v.round });
            const upfront = wei(e.bribery.upfrontPerSeat * v.seats);
            if (upfront > 0n) {
              await this.send(
                this.token.connect(c.info.provider.agent.signer).transfer(v.juror.agent.address, upfront),
              );
            }
          }
        }
      }
      await this.increaseTo(revealEnd);
      for (const c of drawn) {
        const d = await this.court.getDispute(c.disputeId);
        const ruling = Number(await this.court.currentRuling(c.disputeId));
        const loserIsChallenger = ruling === DEFENDANT;
        const fee = await this.court.appealCost(c.disputeId);
        const appeals = loserIsChallenger
          ? await this.challengerAppeals(c, d.challenger)
          : c.info.provider.agent.address === d.defendant &&
            (!c.info.cheating || c.bribed || c.pEpsilon) &&
            (await this.token.balanceOf(d.defendant)) >= fee;
        if (!appeals) {
          c.stage = "executable";
          continue;
        }
        const toDao = Number(d.rounds) >= Number((await this.court.parameters()).maxJurorRounds);
        if (loserIsChallenger && d.challenger === (await this.validation.getAddress())) {
          // A validator who revealed a score in the round that raised the dispute has the pool appeal.
          const appellant = (await this.poolAppellant(c.disputeId))!;
          await this.send(this.validation.connect(appellant.signer).appealDispute(c.disputeId));
        } else if (loserIsChallenger) {
          // A human challenger (a fisherman whose fraud proof lost the round, a griefer) appeals with its own money.
          await this.send(this.court.connect(this.agentAt(d.challenger)!.signer).appeal(c.disputeId));
        } else {
          await this.send(this.court.connect(c.info.provider.agent.signer).appeal(c.disputeId));
        }
        if (toDao) c.stage = "dao";
      }
    }
    const toDao = cases.filter((c) => c.stage === "dao");
    if (toDao.length > 0 && this.config.economics.daoRulesAppeals) {
      await this.executing(toDao, () => this.ruleAsDao(toDao.map((c) => [c.disputeId, c.truth])));
    } else if (toDao.length > 0 && this.rule("dao-review-never-ends")) {
      // v1: nothing ends a review the DAO does not rule: the dispute stays open and its listing frozen.
      for (const c of toDao) c.stage = "open";
      this.openDisputes += toDao.length;
    } else {
      // The review's deadline passes: the last juror ruling stands, and the DAO appeal's fee goes back.
      for (const c of toDao) c.stage = "executable";
    }
    for (const c of cases.filter((x) => x.stage === "executable")) {
      const d = await this.court.getDispute(c.disputeId);
      const end = d.toDao ? d.daoDeadline : (await this.court.getRound(c.disputeId, Number(d.rounds) - 1)).appealEnd;
      await this.increaseTo(end);
      await this.executing([c], async () => {
        await this.send(this.court.connect(this.keeper.signer).executeRuling(c.disputeId));
      });
    }
    for (const c of cases) if (c.stage !== "open") await this.settleDispute(c, briberChoice);
    // The ruling of a pool's dispute frees nothing by itself: the keeper settles the committee of the round that raised
    // it, or the held members' stakes at risk stay locked in the validators' pool (issue 17).
    for (const c of cases) if (c.automatic && c.stage !== "open") await this.settleCommittee(c.disputeId);
    // The court credits the keeper's draw rewards (issue 15: no payment per draw); it claims them once per batch.
    const keeper = this.keeper.address;
    if ((await this.court.drawRewardsOf(keeper)) > 0n) {
      await this.send(this.court.connect(this.keeper.signer).claimDrawRewards(keeper));
    }
  }

  /** The keeper's settleCommittee of the pool's dispute `disputeId`, once its ruling is final (a no-op before the
   * ValidationManager had it, when the ruling is not final yet, or when nothing is held). */
  private async settleCommittee(disputeId: bigint): Promise<void> {
    if (this.validation.interface.getFunction("settleCommittee") === null) return;
    const validation = this.validation.connect(this.keeper.signer);
    try {
      await validation.settleCommittee.staticCall(disputeId);
    } catch (error) {
      const data = (error as { data?: string }).data;
      const reason = (data !== undefined ? this.validation.interface.parseError(data)?.name : undefined) ?? "";
      const message = String((error as Error)?.message ?? error);
      if (/ValidationDisputeNotResolved|ValidationNothingHeld/.test(`${reason} ${message}`)) return;
      throw error;
    }
    await this.send(validation.settleCommittee(disputeId));
  }

  /** The agent (reported or a member of one) that sends from `address`. */
  private agentAt(address: string): Agent | undefined {
    const all = [...this.agents, ...this.agents.flatMap((a) => a.members)];
    return all.find((a) => a.address === address);
  }

  /**
   * Runs `execute` (a ruling being applied) and books what the old rules would have moved instead:
   *   - exits-not-frozen: a curator whose stake was thawing when the listing was delisted, and whose thaw ended before
   *     the ruling, would have left in time: the slash its thawing stake took comes back. Under no-warm-up too, a
   *     curator that leaves when a challenge lands (escape, just-in-time) would have asked back its warming stake (it
   *     would have been active) at the challenge, and gets back that slash when the challenge's thaw ended in time.
   *   - winner-takes-curators-slash: the winning challenger's share included the curators' slash.
   */
  private async executing(cases: DisputeCase[], execute: () => Promise<void>): Promise<void> {
    const exits = this.rule("exits-not-frozen");
    const slashToWinner = this.rule("winner-takes-curators-slash");
    const poolBondToWinner = this.rule("pool-bond-to-winner");
    if (!exits && !slashToWinner && !poolBondToWinner) return execute();
    type Exposure = { c: CuratorState; thawing: bigint; warming: bigint; thawEnd: bigint };
    const before = new Map<bigint, Exposure[]>();
    if (exits) {
      for (const c of cases) {
        const exposures: Exposure[] = [];
        for (const curator of this.curatorStates.values()) {
          if (!curator.touched.has(c.info.id)) continue;
          const [, thawing, warming] = await this.pool.stakeOf(c.info.id, curator.agent.address);
          const { thawEnd } = await this.pool.positionOf(c.info.id, curator.agent.address);
          exposures.push({ c: curator, thawing, warming, thawEnd });
        }
        before.set(c.disputeId, exposures);
      }
    }
    await execute();
    const executedAt = BigInt(await this.now());
    const thawingPeriod = BigInt((await this.pool.parameters()).thawingPeriod);
    const winnerShare = BigInt((await this.challenges.parameters()).winnerShareBps);
    for (const c of cases) {
      const challenge = await this.challenges.getChallenge(c.disputeId);
      if ((await this.court.getDispute(c.disputeId)).ruling === BigInt(DEFENDANT)) {
        // The pool lost its challenge: v1 paid the provider its winner's share of the pool's bond.
        if (poolBondToWinner && challenge.pooled)
          c.info.provider.agent.ledger += cur((challenge.bond * winnerShare) / 10_000n);
        continue;
      }
      if ((await this.registry.statusOf(c.info.id)) !== STATUS.Delisted) continue;
      for (const x of before.get(c.disputeId) ?? []) {
        const [, thawing, warming] = await this.pool.stakeOf(c.info.id, x.c.agent.address);
        if (x.thawing > 0n && x.thawEnd <= executedAt) x.c.agent.ledger += cur(x.thawing - thawing);
        const leaves = x.c.strategy === "escape" || x.c.strategy === "just-in-time";
        const challengedAt = BigInt((await this.court.getDispute(c.disputeId)).createdAt);
        if (this.rule("no-warm-up") && leaves && x.warming > 0n && challengedAt + thawingPeriod <= executedAt) {
          x.c.agent.ledger += cur(x.warming - warming);
        }
      }
      if (slashToWinner) {
        const [resolved] = await this.challenges.queryFilter(this.challenges.filters.ChallengeResolved(c.disputeId));
        const winner = resolved === undefined ? undefined : this.agentAt(resolved.args.winner);
        if (winner !== undefined) winner.ledger += cur((resolved!.args.curatorSlash * winnerShare) / 10_000n);
      }
    }
  }

  /** Settles every vote of every round of a decided dispute, records who was coherent, pays promised bribes. */
  private async settleDispute(c: DisputeCase, briberChoice: number): Promise<void> {
    const e = this.config;
    const { disputeId, automatic, info, truth, bribed } = c;
    this.openChallenges.delete(disputeId);
    const d = await this.court.getDispute(disputeId);
    const ruling = Number(d.ruling);
    for (let round = 0; round < Number(d.rounds); round++) {
      const r = await this.court.getRound(disputeId, round);
      for (const j of this.jurors) {
        const vote = await this.court.voteOf(disputeId, round, j.agent.address);
        if (vote.seats === 0n) continue;
        await this.send(this.court.connect(this.keeper.signer).settle(disputeId, round, j.agent.address));
        const stats = (this.jurorStats[j.strategy] ??= { seats: 0, coherent: 0, correct: 0 });
        stats.seats += Number(vote.seats);
        if (vote.revealed && Number(vote.choice) === ruling) stats.coherent += Number(vote.seats);
        if (vote.revealed && Number(vote.choice) === truth) stats.correct += Number(vote.seats);
        // The p+ε promise: the briber's side lost, so every seat that voted for it is paid what it lost by that vote
        // (its penalty, and what a coherent seat of the round earned) plus ε.
        if (c.pEpsilon && ruling !== briberChoice && vote.revealed && Number(vote.choice) === briberChoice) {
          const coherentPay = r.coherentSeats > 0n ? r.rewardPool / r.coherentSeats : r.fees / r.seats;
          const perSeat = r.penaltyPerSeat + coherentPay + wei(e.bribery.epsilonPerSeat);
          await this.send(
            this.token.connect(info.provider.agent.signer).transfer(j.agent.address, perSeat * vote.seats),
          );
        }
      }
      if (r.coherentSeats > 0n) {
        this.roundRewards.push({
          round,
          seats: Number(r.seats),
          coherentSeats: Number(r.coherentSeats),
          rewardPerCoherentSeat: cur(r.rewardPool) / Number(r.coherentSeats),
        });
      }
    }
    if (bribed && ruling === briberChoice && e.bribery.successPerSeat > 0) {
      for (const b of c.bribedSeats) {
        await this.send(
          this.token
            .connect(info.provider.agent.signer)
            .transfer(b.juror.address, wei(e.bribery.successPerSeat * b.seats)),
        );
      }
    }
    if (ruling === CHALLENGER) {
      info.delistedEpoch = this.epoch;
      info.delistedAtDispute = disputeId;
    }
    this.disputes.push({
      id: disputeId,
      listing: info.id,
      cheating: info.cheating,
      automatic,
      rounds: Number(d.rounds),
      byDao: d.toDao && d.ruling !== 0n && (await this.ruledByDao(disputeId)),
      ruling,
      correct: ruling === truth,
      bribed: bribed || c.pEpsilon,
      epoch: this.epoch,
    });
  }

  /** Whether the DAO ruled `disputeId` (RulingExecuted's byDao), rather than its review's deadline. */
  private async ruledByDao(disputeId: bigint): Promise<boolean> {
    const [executed] = await this.court.queryFilter(this.court.filters.RulingExecuted(disputeId));
    return executed?.args.byDao ?? false;
  }

  /**
   * Whether the losing challenger appeals: the validators' pool does when it can pay the appeal fee (not under
   * pool-cannot-appeal); a fisherman does when its receipt shows fraud (it knows it is right) and the fee is below what
   * winning returns (its bond back and the winner's share of the provider's bond); a griefer always does, while it can
   * pay: every round it adds keeps its competitor frozen longer.
   */
  private async challengerAppeals(c: DisputeCase, challenger: string): Promise<boolean> {
    const { disputeId } = c;
    const fee = await this.court.appealCost(disputeId);
    // A challenger that knows it is right: a fisherman (its receipt shows fraud), or an honest committee member that
    // challenged with its own bond because the pool was short (it measured the listing below the minimum). Not
    // appealing forfeits its bond for sure; appealing up to the DAO, which rules the truth, returns the bond and the
    // winner's share of the provider's bond: it appeals whenever the fee is below that.
    const fisherman = this.consumers.find((x) => x.address === challenger);
    const member = this.config.economics.membersAppeal
      ? this.validators.find((x) => x.agent.address === challenger && x.strategy === "honest")
      : undefined;
    if (fisherman !== undefined || member !== undefined) {
      const bond = (await this.challenges.getChallenge(disputeId)).bond;
      const stake = (await this.registry.getListing(c.info.id)).bond;
      const winnerShare = BigInt((await this.challenges.parameters()).winnerShareBps);
      const returns = bond + (stake * winnerShare) / 10_000n;
      return c.info.cheating && fee < returns && (await this.token.balanceOf(challenger)) >= fee;
    }
    const griefer = this.providers.find((p) => p.strategy === "griefer" && p.agent.address === challenger);
    if (griefer !== undefined) return (await this.token.balanceOf(challenger)) >= fee;
    if (challenger !== (await this.validation.getAddress())) return false;
    if (this.validation.interface.getFunction("appealDispute") === null) return false;
    if (this.rule("pool-cannot-appeal")) return false;
    if ((await this.poolAppellant(disputeId)) === undefined) return false;
    const [, rewardPool] = await this.validation.totalOwed();
    return rewardPool >= fee;
  }

  /** A validator who revealed a score in the round whose median raised the pool's dispute `disputeId`, if any. */
  private async poolAppellant(disputeId: bigint): Promise<Agent | undefined> {
    const [raised] = await this.validation.queryFilter(
      this.validation.filters.DisputeRequested(undefined, undefined, disputeId),
    );
    if (raised === undefined) return undefined;
    for (const { agent } of this.validators) {
      if ((await this.validation.memberOf(raised.args.roundId, agent.address)).revealed) return agent;
    }
    return undefined;
  }

  /** The DAO rules through one real proposal (one action a dispute): the token holders (the deployer's delegated
   * allocation) vote for the truth. */
  private async ruleAsDao(rulings: [bigint, number][]): Promise<void> {
    const court = await this.court.getAddress();
    const proposal = new GovernanceHelper(
      this.governor,
      this.connection.networkHelpers,
      rulings.map(([disputeId, ruling]) => ({
        target: court,
        data: this.court.interface.encodeFunctionData("ruleAsDao", [disputeId, ruling]),
      })),
      `Curia sim: rule dispute${rulings.length > 1 ? "s" : ""} ${rulings.map(([id]) => id).join(", ")} (${++this.proposalCount})`,
    );
    await this.send(proposal.propose(this.dao));
    await proposal.waitForSnapshot();
    await this.send(proposal.vote(this.dao, VoteType.For));
    await proposal.waitForDeadline();
    await this.send(proposal.queue(this.dao));
    await proposal.waitForEta();
    await this.send(proposal.execute(this.dao));
  }

  // ---------------------------------------------------------------------------------------------------- accounting

  private async collect(): Promise<void> {
    for (const p of this.providers) {
      // Earnings wait one escrow period in their listing's escrow (slashable with the bond) before they are released.
      for (const info of this.listings.values()) {
        if (info.provider !== p) continue;
        const [, releasable] = await this.registry.escrowOf(info.id);
        if (releasable > 0n && (await this.registry.getListing(info.id)).activeDisputeId === 0n) {
          await this.send(this.registry.connect(p.agent.signer).releaseEarnings(info.id));
        }
      }
      if ((await this.registry.earningsOf(p.agent.address)) > 0n) {
        await this.send(this.registry.connect(p.agent.signer).withdrawEarnings(p.agent.address));
      }
    }
    for (const v of this.validators) {
      if ((await this.validation.rewardsOf(v.agent.address)) > 0n) {
        await this.send(this.validation.connect(v.agent.signer).claimRewards());
      }
    }
    await this.releaseTopUps();
  }

  /**
   * What an agent holds now in CUR: wallet plus every position it can take back, plus its off-chain money and what
   * old rules would have moved (its ledger), and the same for the accounts that are its own (members).
   */
  private async worth(agent: Agent, charge = false): Promise<number> {
    if (agent.role === "treasury") {
      return cur((await this.token.balanceOf(agent.address)) - this.treasuryStart) + agent.offchain;
    }
    let total = await this.token.balanceOf(agent.address);
    let liquid = total;
    // Listings it provides (a provider, or a coalition's own listing): bonds, escrowed and released earnings.
    let provides = false;
    for (const info of this.listings.values()) {
      if (info.provider.agent !== agent) continue;
      provides = true;
      const listing = await this.registry.getListing(info.id);
      const [locked, releasable] = await this.registry.escrowOf(info.id);
      total += listing.bond + locked + releasable;
    }
    if (provides || agent.role === "provider") total += await this.registry.earningsOf(agent.address);
    if (agent.role === "validator") {
      const v = await this.validatorPool.memberOf(agent.address);
      total += v.staked + v.thawing + (await this.validation.rewardsOf(agent.address));
      const probeBuyer = this.validators.find((x) => x.agent === agent)?.probeBuyer;
      if (probeBuyer !== undefined) {
        const b = await this.token.balanceOf(probeBuyer.address);
        total += b;
        liquid += b;
      }
    } else if (agent.role === "juror") {
      const j = await this.jurorPool.memberOf(agent.address);
      total += j.staked + j.thawing;
    } else if (agent.role === "curator") {
      // Warming stake too: it is the curator's, and can be asked back once warm.
      for (const listingId of this.curatorStates.get(agent)?.touched ?? []) {
        const [active, thawing, warming] = await this.pool.stakeOf(listingId, agent.address);
        total += active + thawing + warming + (await this.pool.claimable(listingId, agent.address));
      }
    }
    // Bonds of its challenges whose disputes have not ended.
    for (const c of this.openChallenges.values()) if (c.challenger === agent.address) total += c.bond;
    if (charge) {
      // What it keeps locked for one epoch could have earned stakeOpportunityRateBps a year elsewhere.
      const rate = this.config.economics.stakeOpportunityRateBps / 10_000;
      const cost = (cur(total - liquid) * rate * this.epochLength) / (365 * 86_400);
      agent.offchain -= cost;
      agent.opportunity -= cost;
    }
    let value = cur(total - agent.funded) + agent.offchain + agent.ledger;
    for (const member of agent.members) value += await this.worth(member, charge);
    return value;
  }

  private async snapshot(): Promise<void> {
    for (const agent of this.agents) agent.pnl.push(await this.worth(agent, true));
  }

  /** What the DAO secures at the end of the run: every contract's CUR (an upgrade could take it all), the treasury,
   * and how long each holder's money needs to leave, against a proposal's time to execution. */
  private async securedByDao(): Promise<
    Pick<SimResult, "secured" | "exitSeconds" | "votableSupply" | "proposalToExecution">
  > {
    const market = await this.registry.parameters();
    const balance = async (c: { getAddress(): Promise<string> }) =>
      cur(await this.token.balanceOf(await c.getAddress()));
    const treasury = cur(await this.token.balanceOf(this.treasury.address));
    const secured = {
      "bonds and escrow (ListingRegistry)": await balance(this.registry),
      "curation stake (CurationPool)": await balance(this.pool),
      "validator stake (StakePool)": await balance(this.validatorPool),
      "juror stake (StakePool)": await balance(this.jurorPool),
      "reward pool and rewards (ValidationManager)": await balance(this.validation),
      "challenge bonds (ListingChallenges, Court)": (await balance(this.challenges)) + (await balance(this.court)),
      treasury,
    };
    const thaw = async (p: StakePool) => Number((await p.parameters()).thawingPeriod);
    const exitSeconds = {
      "bonds and escrow (ListingRegistry)": Math.max(
        Number(market.withdrawalDelay),
        Number(market.earningsEscrowPeriod),
      ),
      "curation stake (CurationPool)": Number(this.config.parameters.curation.thawingPeriod),
      "validator stake (StakePool)": await thaw(this.validatorPool),
      "juror stake (StakePool)": await thaw(this.jurorPool),
      "reward pool and rewards (ValidationManager)": 0,
      "challenge bonds (ListingChallenges, Court)": 0,
      treasury: 0,
    };
    const timelock = await this.governor.timelock();
    const minDelay = Number(await (await this.ethers.getContractAt("CuriaTimelock", timelock)).getMinDelay());
    const proposalToExecution =
      Number(await this.governor.votingDelay()) + Number(await this.governor.votingPeriod()) + minDelay;
    const supply = cur(await this.token.totalSupply());
    return { secured, exitSeconds, votableSupply: supply - treasury, proposalToExecution };
  }
}

export function strategyKey(agent: Agent): string {
  if (agent.role === "keeper" || agent.role === "treasury") return agent.role;
  if (agent.role === "consumer") return agent.strategy === "fisherman" ? "consumer/fisherman" : "consumer";
  return `${agent.role}/${agent.strategy}`;
}

export function classOf(key: string): "honest" | "dishonest" | "naive" {
  return STRATEGY_CLASS[key] ?? "naive";
}
