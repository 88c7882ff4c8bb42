// The agent-based simulation: deploys the real system (deploy/system.ts) on Hardhat's in-process chain and lets
// providers, validators, curators, jurors and consumers play their strategies epoch after epoch through the real
// contracts. Only what the chain cannot see is modelled: which model answers which request (serving.ts) and its
// quality (validators measure it with noise), serving and verification costs, what a call is worth to its buyer, and
// bribes. Every CUR that moves on chain is counted from balances and positions read back from the contracts.
import type { NetworkConnection } from "hardhat/types/network";
import {
  dataHash,
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
import type {
  Court,
  CurationPool,
  CuriaGovernor,
  CuriaToken,
  ListingChallenges,
  ListingRegistry,
  StakePool,
  ValidationManager,
} from "../../types/ethers-contracts/index.js";
import {
  STRATEGY_CLASS,
  type CuratorStrategy,
  type JurorStrategy,
  type ProviderStrategy,
  type SimConfig,
  type ValidatorStrategy,
} from "./config.js";
import { Rng } from "./rng.js";
import { consumerService, hikesPriceBeforeSampling, probeService, type Served } from "./serving.js";

export type Role = "provider" | "validator" | "curator" | "juror" | "consumer";

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
}

interface ProviderState {
  agent: Agent;
  strategy: ProviderStrategy;
  /** What its consumers receive (and what audits of their calls see), averaged over the epoch. */
  consumer: Served;
  /** What a validator's probes receive. */
  probe: Served;
  listing?: bigint;
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
  stage: "jurors" | "dao" | "executable";
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
    validation: { ...LOCAL_CONFIG.validation, params: { ...p.validation }, validatorPool: { ...p.validatorPool } },
  };
}

export class Simulation {
  private readonly rng: Rng;
  private readonly agents: Agent[] = [];
  private readonly providers: ProviderState[] = [];
  private readonly validators: ValidatorState[] = [];
  private readonly curators: CuratorState[] = [];
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
  private token!: CuriaToken;
  private registry!: ListingRegistry;
  private pool!: CurationPool;
  private court!: Court;
  private jurorPool!: StakePool;
  private challenges!: ListingChallenges;
  private validation!: ValidationManager;
  private validatorPool!: StakePool;
  private governor!: CuriaGovernor;
  private proposalCount = 0;

  constructor(
    private readonly connection: NetworkConnection,
    private readonly hre: Parameters<typeof deployCuria>[0]["hre"],
    readonly config: SimConfig,
    private readonly log: (line: string) => void = () => {},
  ) {
    this.rng = new Rng(config.seed);
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
    await (await tx).wait();
    this.transactions++;
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
    await this.send(this.court.connect(asTimelock).setRandomnessSource(await source.getAddress()));
    await this.send(this.validation.connect(asTimelock).setRandomnessSource(await source.getAddress()));
    // The DAO bootstraps the validators' reward pool, which pays automatic disputes' bonds (a treasury grant).
    const grant = wei(this.config.treasury.validationPoolGrant);
    if (grant > 0n) await this.send(this.token.connect(asTimelock).transfer(await this.validation.getAddress(), grant));
    // The token holders: the deployer's allocation stands for the honest DAO majority that rules last-resort appeals.
    await this.send(this.token.connect(deployer).delegate(deployer.address));

    const a = this.config.agents;
    const e = this.config.economics;
    const funding = parseEther("50000");
    this.keeper = await this.agent("keeper", "consumer", "keeper", funding, false);
    let n = 0;
    for (const g of a.providers) {
      for (let i = 0; i < g.count; i++) {
        const agent = await this.agent(`provider-${g.strategy}-${n++}`, "provider", g.strategy, funding);
        this.providers.push({
          agent,
          strategy: g.strategy,
          consumer: consumerService(e, g.strategy, this.roundShare),
          probe: probeService(e, g.strategy, this.roundShare),
        });
      }
    }
    for (const g of a.validators) {
      for (let i = 0; i < g.count; i++) {
        const name = `validator-${g.strategy}-${n++}`;
        const agent = await this.agent(name, "validator", g.strategy, funding);
        await this.send(this.validatorPool.connect(agent.signer).stake(wei(e.stakes.validator)));
        const probeBuyer = await this.wallet(`${name}-probes`, PROBE_BUYER_FUNDING);
        agent.funded += PROBE_BUYER_FUNDING;
        this.validators.push({ agent, strategy: g.strategy, probeBuyer });
      }
    }
    for (const g of a.curators) {
      for (let i = 0; i < g.count; i++) {
        const agent = await this.agent(`curator-${g.strategy}-${n++}`, "curator", g.strategy, funding);
        this.curators.push({ agent, strategy: g.strategy, touched: new Set() });
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
    const agent: Agent = { name, role, strategy, address, signer, funded, offchain: 0, pnl: [] };
    if (report) this.agents.push(agent);
    return agent;
  }

  // ---------------------------------------------------------------------------------------------------- epochs

  async run(): Promise<SimResult> {
    const started = performance.now();
    await this.setup();
    const t0 = (await this.now()) + 60;
    for (this.epoch = 0; this.epoch < this.config.epochs; this.epoch++) {
      await this.increaseTo(t0 + this.epoch * this.epochLength);
      await this.listModels();
      await this.curate();
      const fraudProofs = await this.buyCalls();
      const disputes = await this.validate();
      await this.arbitrate([
        ...fraudProofs.map((id) => ({ id, automatic: false })),
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
      poolCanAppeal: this.validation.interface.getFunction("appealDispute") !== null,
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
      const listingId = await this.registry
        .connect(p.agent.signer)
        .createListing.staticCall(id(name), `ipfs://sim/${name}`, `https://${name}.sim/infer`, price, bond);
      await this.send(
        this.registry
          .connect(p.agent.signer)
          .createListing(id(name), `ipfs://sim/${name}`, `https://${name}.sim/infer`, price, bond),
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

  /** Curators move their stake by their strategy; one position each, moved at most once an epoch. */
  private async curate(): Promise<void> {
    const e = this.config.economics;
    const open = await this.liveListings([STATUS.Pending, STATUS.Active]);
    for (const c of this.curators) {
      // Activate stake that has warmed up, withdraw what has thawed (not while the listing is under dispute: its exits
      // are frozen until the ruling) and claim rewards everywhere it has been.
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
    const soldTo = new Set<ListingInfo>();
    const challenged = new Set<bigint>();
    for (const consumer of this.consumers) {
      for (const { info, q } of candidates) {
        const calls = Math.round((e.callsPerConsumerPerEpoch * q) / total);
        // A fisherman's fraud proof earlier in the epoch froze the listing: nobody can buy from it until the ruling.
        if (calls === 0 || challenged.has(info.id)) continue;
        // Consumers accept the listed price and no more: a price raised under them makes their purchase revert.
        await this.send(this.purchase(consumer.signer, info.id, calls, wei(e.pricePerCall)));
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
        const fee = Number(this.config.parameters.market.protocolFeeBps) / 10_000;
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
    info.disputes++;
    this.fraudProofs++;
    return disputeId;
  }

  /** `ListingRegistry.purchase` for `calls` calls credited to the buyer, refused above `maxPricePerCall`. */
  private purchase(buyer: Signer, listingId: bigint, calls: number, maxPricePerCall: bigint) {
    return this.registry.connect(buyer).purchase(listingId, calls, buyer, maxPricePerCall);
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
    }
  }

  /** One free round on every Active listing: open, draw, gather evidence, commit, reveal, finalize. Returns new
   * disputes. */
  private async validate(): Promise<bigint[]> {
    const e = this.config.economics;
    const rounds: RoundState[] = [];
    for (const info of await this.liveListings([STATUS.Active])) {
      const [, nextFree] = await this.validation.listingRounds(info.id);
      if (BigInt(await this.now()) < nextFree) continue;
      const roundId = await this.validation.connect(this.keeper.signer).openRound.staticCall(info.id);
      await this.send(this.validation.connect(this.keeper.signer).openRound(info.id));
      await this.send(this.validation.connect(this.keeper.signer).drawCommittee(roundId));
      if ((await this.validation.phaseOf(roundId)) !== 2n) continue; // cancelled: too few validators free
      // The price the committee's samples may cost is fixed now, when the round opens.
      const priceAtOpen = (await this.registry.getListing(info.id)).pricePerCall;
      rounds.push({ roundId, info, priceAtOpen, measured: 0, unreachable: new Set(), salts: new Map() });
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
        if (v.strategy !== "honest") score = this.scoreOf(v.strategy, r.measured, published);
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
    if (rounds.length === 0) return [];
    await this.increaseTo(commitEnd);
    for (const r of rounds) {
      for (const [address, [score, salt]] of r.salts) {
        const v = this.validatorAt(address);
        await this.send(this.validation.connect(v.agent.signer).revealScore(r.roundId, score, salt));
      }
    }
    await this.increaseTo(revealEnd);
    const disputes: bigint[] = [];
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
        } else this.autoDisputesSkipped++;
      }
    }
    return disputes;
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
    const honest = members.filter((v) => v.strategy === "honest");
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
      await this.send(this.purchase(buyer.signer, r.info.id, calls, cap));
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
   * one DAO proposal ruling all the disputes that reach the DAO.
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
        const appeals = loserIsChallenger
          ? await this.challengerAppeals(c, d.challenger)
          : c.info.provider.agent.address === d.defendant && (!c.info.cheating || c.bribed);
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
          // A fisherman whose fraud proof lost the round appeals with its own money.
          const fisherman = this.consumers.find((x) => x.address === d.challenger)!;
          await this.send(this.court.connect(fisherman.signer).appeal(c.disputeId));
        } else {
          await this.send(this.court.connect(c.info.provider.agent.signer).appeal(c.disputeId));
        }
        if (toDao) c.stage = "dao";
      }
    }
    const toDao = cases.filter((c) => c.stage === "dao");
    if (toDao.length > 0) await this.ruleAsDao(toDao.map((c) => [c.disputeId, c.truth]));
    for (const c of cases.filter((x) => x.stage === "executable")) {
      const d = await this.court.getDispute(c.disputeId);
      await this.increaseTo((await this.court.getRound(c.disputeId, Number(d.rounds) - 1)).appealEnd);
      await this.send(this.court.connect(this.keeper.signer).executeRuling(c.disputeId));
    }
    for (const c of cases) await this.settleDispute(c, briberChoice);
  }

  /** Settles every vote of every round of a decided dispute, records who was coherent, pays promised bribes. */
  private async settleDispute(c: DisputeCase, briberChoice: number): Promise<void> {
    const e = this.config;
    const { disputeId, automatic, info, truth, bribed } = c;
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
      byDao: d.toDao,
      ruling,
      correct: ruling === truth,
      bribed,
      epoch: this.epoch,
    });
  }

  /**
   * Whether the losing challenger appeals: the validators' pool does when it can pay the appeal fee; a fisherman
   * does when its receipt shows fraud (it knows it is right) and the fee is below what winning returns (its bond
   * back and the winner's share of the provider's bond).
   */
  private async challengerAppeals(c: DisputeCase, challenger: string): Promise<boolean> {
    const { disputeId } = c;
    const d = await this.court.getDispute(disputeId);
    const r = await this.court.getRound(disputeId, Number(d.rounds) - 1);
    const fee = (await this.court.parameters()).appealFeePerSeat * (2n * r.seats + 1n);
    const fisherman = this.consumers.find((x) => x.address === challenger);
    if (fisherman !== undefined) {
      const bond = (await this.challenges.getChallenge(disputeId)).bond;
      const stake = (await this.registry.getListing(c.info.id)).bond;
      const winnerShare = BigInt((await this.challenges.parameters()).winnerShareBps);
      const returns = bond + (stake * winnerShare) / 10_000n;
      return c.info.cheating && fee < returns && (await this.token.balanceOf(fisherman.address)) >= fee;
    }
    if (challenger !== (await this.validation.getAddress())) return false;
    if (this.validation.interface.getFunction("appealDispute") === null) return false;
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
  }

  /** What an agent holds now in CUR: wallet plus every position it can take back, plus its off-chain money. */
  private async worth(agent: Agent): Promise<number> {
    let total = await this.token.balanceOf(agent.address);
    if (agent.role === "provider") {
      total += await this.registry.earningsOf(agent.address);
      for (const info of this.listings.values()) {
        if (info.provider.agent !== agent) continue;
        const listing = await this.registry.getListing(info.id);
        const [locked, releasable] = await this.registry.escrowOf(info.id);
        total += listing.bond + locked + releasable;
      }
    } else if (agent.role === "validator") {
      const v = await this.validatorPool.memberOf(agent.address);
      total += v.staked + v.thawing + (await this.validation.rewardsOf(agent.address));
      const probeBuyer = this.validators.find((x) => x.agent === agent)?.probeBuyer;
      if (probeBuyer !== undefined) total += await this.token.balanceOf(probeBuyer.address);
    } else if (agent.role === "juror") {
      const j = await this.jurorPool.memberOf(agent.address);
      total += j.staked + j.thawing;
    } else if (agent.role === "curator") {
      const c = this.curators.find((x) => x.agent === agent)!;
      for (const listingId of c.touched) {
        const [active, thawing] = await this.pool.stakeOf(listingId, agent.address);
        total += active + thawing + (await this.pool.claimable(listingId, agent.address));
      }
    }
    return cur(total - agent.funded) + agent.offchain;
  }

  private async snapshot(): Promise<void> {
    for (const agent of this.agents) agent.pnl.push(await this.worth(agent));
  }
}

export function strategyKey(agent: Agent): string {
  if (agent.role === "consumer") return agent.strategy === "fisherman" ? "consumer/fisherman" : "consumer";
  return `${agent.role}/${agent.strategy}`;
}

export function classOf(key: string): "honest" | "dishonest" | "naive" {
  return STRATEGY_CLASS[key] ?? "naive";
}
