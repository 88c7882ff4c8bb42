// The simulation's input: who plays which strategy, the off-chain economics the chain cannot see (true model
// quality, serving and verification costs, what a call is worth to a buyer), and every governed parameter.
// Governed parameters default to deploy/'s local defaults (LOCAL_CONFIG: the figures the test chain runs) and are
// overridden per scenario or per DAO proposal with the same field names as deploy/*-config.ts; amounts in the JSON
// are whole CUR (numbers or decimal strings), periods in seconds, shares in bps.
import { readFileSync } from "node:fs";
import { parseEther } from "ethers";
import { LOCAL_MARKETPLACE, MAINNET_MARKETPLACE, type MarketplaceConfig } from "../../deploy/config.js";
import {
  type ChallengeParametersConfig,
  type CourtParametersConfig,
  LOCAL_COURT,
  MAINNET_COURT,
  type PoolParametersConfig,
} from "../../deploy/court-config.js";
import {
  LOCAL_VALIDATION,
  MAINNET_VALIDATION,
  type ValidationParametersConfig,
} from "../../deploy/validation-config.js";

export type ProviderStrategy =
  | "honest"
  | "degraded"
  | "random"
  | "validator-aware"
  | "honest-during-rounds"
  | "stonewall"
  | "price-hike"
  // Issue 17's attackers (README, "Attacks on draws, exits and money flows"):
  | "capture-partner"
  | "p-epsilon"
  | "griefer"
  | "self-delisting"
  // Issue 18's provider attackers (README, "Honest economics"):
  | "late-cheater"
  | "relister"
  | "fresh-hash-relister";
export type ValidatorStrategy =
  | "honest"
  | "lazy-copy"
  | "lazy-fixed"
  | "colluding"
  | "absent"
  | "conditional-cartel"
  | "sybil"
  // Issue 18: reveals the score an honest member would measure if the provider serves the listed model, without
  // buying or re-running anything.
  | "predict-honest";
export type CuratorStrategy = "follow-quality" | "follow-stake" | "random" | "escape" | "just-in-time";
export type JurorStrategy = "honest" | "random" | "bribed" | "p-epsilon";

/** The validator strategies that play as one coalition with a cheating listing of their own (its "capture partner"):
 * every validator of the group is one of the coalition's addresses, and the coalition is reported as one agent. */
export const CAPTURE_COALITIONS: readonly ValidatorStrategy[] = ["conditional-cartel", "sybil"];

/**
 * Rules of earlier contract versions that a what-if scenario plays instead of the deployed (v2) ones. The contracts
 * always run v2; each old rule is played either by letting agents do what it allowed (on chain) or by booking, in the
 * agents' ledger, the money it would have moved instead (from the same on-chain events, by the old formula):
 *   - seed-known-before-draw (v1 draws): the seed was public while stakes could still move. Played on chain: an
 *     attacker reads the next seed of the (reproducible) randomness source and stakes before the round opens.
 *   - exits-not-frozen (v1 curation): thawed stake could leave a listing under dispute. Ledger: a curator that asked
 *     its stake back gets back the slash its thawed stake took, when its thaw ended before the ruling.
 *   - no-warm-up (v1 curation): new stake earned at once. Ledger: warming stake gets its pro-rata share of every
 *     curator fee paid while it warmed, taken from the active curators.
 *   - winner-takes-curators-slash (v1 money flows): the challenger's winner share included the curators' slash.
 *     Ledger: the winning challenger gets winnerShareBps of the slash.
 *   - pool-bond-to-winner (v1 money flows): a challenge the validators' pool lost paid the listing's provider the
 *     winner's share of the pool's bond. Ledger: the provider gets winnerShareBps of it (the pool, no agent, loses it).
 *   - dao-review-never-ends (v1 deadlines): DAO review had no deadline. Played on chain: nobody executes a dispute
 *     in DAO review that the DAO has not ruled (the listing stays challenged, frozen).
 *   - pool-cannot-appeal (before ValidationManager.appealDispute): the validators' pool never appeals its disputes.
 */
export const OLD_RULES = [
  "seed-known-before-draw",
  "exits-not-frozen",
  "no-warm-up",
  "winner-takes-curators-slash",
  "pool-bond-to-winner",
  "dao-review-never-ends",
  "pool-cannot-appeal",
] as const;
export type OldRule = (typeof OLD_RULES)[number];

/** The old rules that act only on challenges the validators' pool paid (its bond, its appeals). */
export const POOL_RULES: readonly OldRule[] = ["pool-bond-to-winner", "pool-cannot-appeal"];

/** The provider strategies that treat validators differently from consumers (issue 16): each must be caught. */
export const PROVIDER_ATTACKS: readonly ProviderStrategy[] = [
  "validator-aware",
  "honest-during-rounds",
  "stonewall",
  "price-hike",
];

/** Issue 17's attacks, each played under the deployed rules and under the old rule it exploited (README). */
export const DISPUTE_ATTACKS: readonly string[] = [
  "validator/conditional-cartel",
  "validator/sybil",
  "provider/p-epsilon",
  "curator/escape",
  "curator/just-in-time",
  "provider/griefer",
  "provider/self-delisting",
];

/** Whether a strategy plays by the rules; the acceptance check wants honest > 0 > dishonest. */
export const STRATEGY_CLASS: Record<string, "honest" | "dishonest" | "naive"> = {
  "provider/honest": "honest",
  "provider/degraded": "dishonest",
  "provider/random": "dishonest",
  "provider/validator-aware": "dishonest",
  "provider/honest-during-rounds": "dishonest",
  "provider/stonewall": "dishonest",
  "provider/price-hike": "dishonest",
  "validator/honest": "honest",
  "validator/lazy-copy": "dishonest",
  "validator/lazy-fixed": "dishonest",
  "validator/colluding": "dishonest",
  "validator/absent": "dishonest",
  "curator/follow-quality": "honest",
  // Uninformed curators are not cheating: they are reported, and expected to earn less than informed ones.
  "curator/follow-stake": "naive",
  "curator/random": "naive",
  "juror/honest": "honest",
  "juror/random": "dishonest",
  "juror/bribed": "dishonest",
  // Issue 17's attackers: each must lose under the defaults (the coalitions include their cheating listing's money).
  "validator/conditional-cartel": "dishonest",
  "validator/sybil": "dishonest",
  "provider/capture-partner": "dishonest",
  "provider/p-epsilon": "dishonest",
  "provider/griefer": "dishonest",
  "provider/self-delisting": "dishonest",
  "curator/escape": "dishonest",
  "curator/just-in-time": "dishonest",
  // Issue 18's attackers.
  "validator/predict-honest": "dishonest",
  "provider/late-cheater": "dishonest",
  "provider/relister": "dishonest",
  "provider/fresh-hash-relister": "dishonest",
  // Modelled off chain (corruption.ts, daoCapture): borrows and buys votes across the snapshot to take what the DAO
  // secures.
  "dao/vote-borrower": "dishonest",
  // Paid per transaction by the treasury: honest work that must pay its gas.
  keeper: "honest",
  // The DAO's own account: reported, not judged (it pays the grant, keepers and canary bounties).
  treasury: "naive",
  // Jurors who take a p+ε offer: the briber makes them whole by construction (their result is the briber's loss).
  "juror/p-epsilon": "naive",
  consumer: "naive",
  // A consumer that checks answers and files fraud proofs: honest work that must pay when there is fraud to find.
  "consumer/fisherman": "honest",
};

export interface Group<S extends string> {
  strategy: S;
  count: number;
}

/** Off-chain figures, in CUR unless said otherwise. */
export interface Economics {
  /** Quality (bps) of the model each provider strategy serves when it does not serve the listed one: honest providers
   * always serve the listed model (the `honest` figure, which the four attacking strategies list too); degraded and
   * random providers always serve theirs; the four attackers switch to theirs whenever they think it safe
   * (scripts/sim/serving.ts). What consumers receive and what a validator's sample sees follow from it. */
  providerQualityBps: Record<ProviderStrategy, number>;
  /** What serving one call costs the provider (GPU time) with the same model: a cheaper model is cheaper to run. */
  providerCostPerCall: Record<ProviderStrategy, number>;
  pricePerCall: number;
  /** What one call is worth to a consumer at quality 10,000 bps (worth scales with quality). */
  valuePerCall: number;
  callsPerConsumerPerEpoch: number;
  /** Off-chain cost of one honest verification (re-running the audited and sampled inferences on a GPU). */
  verificationCost: number;
  /** Spread (bps) of one round's measured quality around the true one: each round draws a fresh sample set. */
  samplingNoiseBps: number;
  /** Spread (bps) between honest validators measuring the same round (numerics, tolerance bands). */
  validatorNoiseBps: number;
  /** The score lazy-fixed validators always reveal, and the score colluding validators agree on. */
  lazyFixedScoreBps: number;
  collusionScoreBps: number;
  /** Quality (bps) under which quality-following curators leave a listing, and consumers avoid it. */
  curatorMinQualityBps: number;
  stakes: { validator: number; juror: number; curator: number };
  /** Whether a delisted provider lists again (a fresh bond) next epoch: cheaters keep trying. */
  providersRelist: boolean;
  /** Share (bps) of their calls that consumers forward to the validators (input, output, receipt): the audited
   * traffic a round scores, served exactly as consumers were served. 0 turns audits off. */
  auditShareBps: number;
  /** Audited calls a listing needs in a round; with fewer, every honest member also probes it. */
  minAuditedCalls: number;
  /** Calls an honest validator buys and sends when it probes a listing (the validator service's --samples), paid
   * at the listing's price through ListingRegistry.purchase. */
  samplesPerRound: number;
  /** Whether a provider can tell probes from consumers' calls: bought and signed by the validator's registered
   * address, on a public dataset, inside the commit window (the service before issue 16). When false, probes come
   * from buyers not linkable to a validator, with fresh private inputs, at random times: served as consumers are. */
  probesRecognizable: boolean;
  /** Whether a validator whose paid probes go unanswered (refused, or its purchase reverted) commits 0
   * ("unreachable"); when false it retries and never commits, as the service did before issue 16. */
  unreachableScoresZero: boolean;
  /** Whether validators buy with a maximum price per call, fixed when the round opens (`purchase`'s
   * maxPricePerCall); when false they pay whatever the listing asks when their purchase lands. */
  validatorsCapPrice: boolean;
  /** How many times its price a price-hike provider asks while validators buy their samples. */
  priceHikeFactor: number;
  /** What a fisherman spends to check one answer against the listed model. */
  fishermanCheckCost: number;
  /** Whether the DAO rules the disputes sent to it (one proposal an epoch). When false it lets its review lapse: the
   * review's deadline then ends the dispute with the last juror ruling (or, under dao-review-never-ends, nothing does). */
  daoRulesAppeals: boolean;
  /** Epochs a self-delisting provider serves its listed model (attracting curators) before it switches to its own
   * model and has its sybil challenge the listing. */
  selfDelistAfterEpochs: number;
  /** What a self-delisting provider stakes on its own listing from a sybil curator, so that the crowd follows. */
  selfDelistSeedStake: number;
  /** The stake a sybil validator spreads evenly over its addresses (count of the group). */
  sybilStake: number;
  /** The most a capture coalition adds to one address to steer a draw when it knows the seed in advance. */
  steeringCapital: number;

  // ---- Issue 18: costs the chain does not show, and the defences being built next to this simulation.
  /** Gas price (gwei) and the CUR price of one ETH: every transaction an agent sends costs it its receipt's gasUsed at
   * that price, in CUR. The receipts are the same calls benchmarks/gas-*.json measures. */
  gasPriceGwei: number;
  curPerEth: number;
  /** What the treasury pays a keeper per transaction it sends (open, draw, finalize, execute): keepers are paid. */
  keeperFeePerTx: number;
  /** Annual rate (bps) an agent could earn elsewhere on the CUR it keeps locked (stakes, bonds, escrow): charged per
   * epoch on its positions. */
  stakeOpportunityRateBps: number;
  /** Canary audits: the share of rounds that are on a canary, a known-degraded model listed by the DAO's canary
   * operator indistinguishably from other listings. */
  canaryRate: number;
  /** The true quality (bps) of a canary model. */
  canaryQualityBps: number;
  /** A member that scores a canary above truth + tolerance (or does not reveal) loses this share (bps) of its stake at
   * risk (stake × the validation penaltyBps), paid to the members within tolerance. */
  canarySlashBps: number;
  /** What a seat that scored a canary within tolerance is paid at least: its share of the slashes first, the rest
   * from the treasury's bounty reserve (CanaryAudits' bountyPerSeat). */
  canaryBountyPerSeat: number;
  /** The most the bounty reserve pays per epoch (CanaryAudits' daily budget; 0: the reserve pays nothing): an
   * operator that also runs validators knows its canaries and could otherwise collect every bounty. */
  canaryBountyBudget: number;
  /** A listing's escrowed earnings at risk are capped at bond × this (bps): sales beyond it wait for a release. */
  maxEscrowPerBondBps: number;
  /** Relisting a model hash that has been slashed needs bond × 2^slashes. */
  relistBondDoubling: boolean;
  /** Epochs a late-cheater serves its listed model on each new listing before it switches to its own. */
  lateCheatAfterEpochs: number;
  /** When the validators' reward pool cannot pay an automatic challenge's bond, a member of the committee that found
   * the listing below the minimum challenges it itself (a human challenge it expects to win). */
  validatorsChallengeWhenPoolShort: boolean;
  /** A committee member that challenged with its own bond appeals a round it lost, as a fisherman does, while the fee
   * is below what winning returns (its bond and the winner's share of the provider's bond). false: it never appeals
   * (the simulation before issue 18's no-grant fix: bribed first rounds stood). */
  membersAppeal: boolean;
}

/** The token holders as a population (issue 18): what a DAO capture would have to buy or borrow. */
export interface DaoPopulation {
  /** Holders the votable supply is spread over (equal holdings: the count only matters for reporting). */
  holders: number;
  /** Share (bps) of the votable supply that votes on a contested proposal. */
  turnoutBps: number;
  /** Share (bps) of the voting holders who sell their vote. */
  bribableBps: number;
  /** What a bribable holder asks per vote, in CUR. */
  bribePerVote: number;
  /** Share (bps) of the votable supply that can be borrowed (lending markets' depth). */
  borrowableBps: number;
  /** Annual rate (bps) for borrowing CUR, and for how long votes must be borrowed to be held at the snapshot. */
  borrowRateBps: number;
  borrowSeconds: number;
}

/** A what-if scenario with some defences turned off: the strategies named here are expected to come out the other way
 * (a dishonest one to gain: the attack works; an honest one to lose), and the checks say so. */
export interface Counterfactual {
  gains: string[];
  loses: string[];
}

/** A cheating provider bribing the jurors of its disputes (see scripts/sim/README.md, "Bribery"). */
export interface Bribery {
  enabled: boolean;
  /** Paid per seat to a bribed juror who revealed the briber's choice, whatever the outcome. */
  upfrontPerSeat: number;
  /** Paid per seat when the final ruling goes the briber's way. */
  successPerSeat: number;
  /** The ε of a p-epsilon provider's offer: a juror who votes its way is paid, per seat, what it lost by it (the
   * penalty and a coherent seat's reward) plus this, only when its side loses in the end. */
  epsilonPerSeat: number;
}

export interface SimParameters {
  market: MarketplaceConfig["market"];
  curation: MarketplaceConfig["curation"];
  court: CourtParametersConfig;
  /** The jurors' StakePool: a juror's minimum stake and thawing period. */
  jurorPool: PoolParametersConfig;
  /** ListingChallenges: the challenge bond and the split of the loser's stake. */
  challenges: ChallengeParametersConfig;
  validation: ValidationParametersConfig;
  /** The validators' StakePool: a validator's minimum stake and thawing period. */
  validatorPool: PoolParametersConfig;
}

export interface SimConfig {
  name: string;
  /** Which defaults of deploy/ the governed parameters start from: the local chain's or a public chain's. */
  base: "local" | "mainnet";
  description: string;
  seed: number;
  /** One epoch is one validation round period: every listing is due for a free round once per epoch. */
  epochs: number;
  agents: {
    providers: Group<ProviderStrategy>[];
    validators: Group<ValidatorStrategy>[];
    curators: Group<CuratorStrategy>[];
    jurors: Group<JurorStrategy>[];
    consumers: number;
    /** Consumers who also check one of their answers per listing and epoch against the listed model, and file the
     * provider-signed receipt of a bad one as a fraud proof (ListingChallenges.fileFraudProof). */
    fishermen: number;
  };
  economics: Economics;
  bribery: Bribery;
  counterfactual: Counterfactual;
  /** Old rules this what-if plays instead of the deployed ones (see OLD_RULES). */
  oldRules: OldRule[];
  /** DAO decisions outside the governed parameters: a treasury grant that bootstraps the validators' reward pool,
   * which pays the bond of automatic disputes. */
  treasury: { validationPoolGrant: number };
  /** The token holders (issue 18). */
  dao: DaoPopulation;
  parameters: SimParameters;
}

// Prices and costs are per call, and a listing sells thousands of calls an epoch: a validator's 200 sampled calls then
// cost it 8 CUR. (The earlier figures, 2 CUR a call and 60 calls a consumer an epoch, priced those samples at 400 CUR,
// four times what a whole round pays its committee; the money consumers, providers and the protocol exchange per
// epoch is the same as with them: 50× the calls at 1/50 of the price and cost.)
export const DEFAULT_ECONOMICS: Economics = {
  providerQualityBps: {
    honest: 8_500,
    degraded: 2_000,
    random: 1_000,
    "validator-aware": 2_000,
    "honest-during-rounds": 2_000,
    stonewall: 2_000,
    "price-hike": 2_000,
    "capture-partner": 2_000,
    "p-epsilon": 2_000,
    griefer: 2_000,
    "self-delisting": 2_000,
    "late-cheater": 2_000,
    relister: 2_000,
    "fresh-hash-relister": 2_000,
  },
  providerCostPerCall: {
    honest: 0.02,
    degraded: 0.006,
    random: 0.001,
    "validator-aware": 0.006,
    "honest-during-rounds": 0.006,
    stonewall: 0.006,
    "price-hike": 0.006,
    "capture-partner": 0.006,
    "p-epsilon": 0.006,
    griefer: 0.006,
    "self-delisting": 0.006,
    "late-cheater": 0.006,
    relister: 0.006,
    "fresh-hash-relister": 0.006,
  },
  pricePerCall: 0.04,
  valuePerCall: 0.08,
  callsPerConsumerPerEpoch: 3_000,
  verificationCost: 2,
  // The real scorer's honest result varies by about 40 bps (standard deviation) across 400 rounds (issue 18), and two
  // validators scoring the same calls with the same model agree to the numerics.
  samplingNoiseBps: 40,
  validatorNoiseBps: 10,
  lazyFixedScoreBps: 7_000,
  collusionScoreBps: 6_000,
  curatorMinQualityBps: 5_000,
  stakes: { validator: 1_000, juror: 1_000, curator: 500 },
  providersRelist: true,
  auditShareBps: 500,
  minAuditedCalls: 40,
  samplesPerRound: 200,
  probesRecognizable: false,
  unreachableScoresZero: true,
  validatorsCapPrice: true,
  priceHikeFactor: 25,
  fishermanCheckCost: 0.5,
  daoRulesAppeals: true,
  selfDelistAfterEpochs: 2,
  selfDelistSeedStake: 100,
  sybilStake: 3_000,
  steeringCapital: 20_000,
  gasPriceGwei: 1,
  curPerEth: 1_000,
  keeperFeePerTx: 0.5,
  // 2% a year: what idle CUR could earn at low risk. At 5% the follow-quality curator of curator-escape (mainnet figures,
  // 2,000 CUR staked on three honest listings selling 9,000 calls an epoch) ended at −5.7 CUR: curation yields ~2.6% a
  // year at that demand (README, "Honest economics").
  stakeOpportunityRateBps: 200,
  // A predict-honest member earns a seat's pay P (reward share + reimbursed calls, ~41 CUR locally) on every ordinary
  // round and loses its stake at risk R (100) plus canarySlashBps of it on a canary: it loses once canaryRate >
  // P / (P + 1.5 R) ≈ 21% (mainnet ≈ 16%). 25% of rounds on canaries (README, "Honest economics").
  canaryRate: 0.25,
  canaryQualityBps: 2_000,
  canarySlashBps: 5_000,
  canaryBountyPerSeat: 0,
  canaryBountyBudget: 0,
  maxEscrowPerBondBps: 20_000,
  relistBondDoubling: true,
  lateCheatAfterEpochs: 1,
  validatorsChallengeWhenPoolShort: true,
  membersAppeal: true,
};

export const DEFAULT_DAO: DaoPopulation = {
  holders: 1_000,
  turnoutBps: 1_500,
  bribableBps: 2_000,
  bribePerVote: 0.05,
  borrowableBps: 500,
  borrowRateBps: 1_000,
  borrowSeconds: 86_400,
};

/** The governed defaults the test chain deploys with: deploy/config.ts, court-config.ts, validation-config.ts. */
export function defaultParameters(base: "local" | "mainnet" = "local"): SimParameters {
  const marketplace = base === "local" ? LOCAL_MARKETPLACE : MAINNET_MARKETPLACE;
  return {
    market: { ...marketplace.market },
    curation: { ...marketplace.curation },
    court: { ...(base === "local" ? LOCAL_COURT : MAINNET_COURT).params },
    jurorPool: { ...(base === "local" ? LOCAL_COURT : MAINNET_COURT).jurorPool },
    challenges: { ...(base === "local" ? LOCAL_COURT : MAINNET_COURT).challenges },
    validation: { ...(base === "local" ? LOCAL_VALIDATION : MAINNET_VALIDATION).params },
    validatorPool: { ...(base === "local" ? LOCAL_VALIDATION : MAINNET_VALIDATION).validatorPool },
  };
}

export function defaultConfig(base: "local" | "mainnet" = "local"): SimConfig {
  return {
    name: "default",
    base,
    description: "Every strategy side by side with deploy/'s default parameters.",
    seed: 1,
    epochs: 10,
    agents: {
      providers: [
        { strategy: "honest", count: 3 },
        { strategy: "degraded", count: 1 },
        { strategy: "random", count: 1 },
      ],
      validators: [
        { strategy: "honest", count: 6 },
        { strategy: "lazy-copy", count: 1 },
        { strategy: "lazy-fixed", count: 1 },
        { strategy: "colluding", count: 2 },
        { strategy: "absent", count: 1 },
      ],
      curators: [
        { strategy: "follow-quality", count: 2 },
        { strategy: "follow-stake", count: 1 },
        { strategy: "random", count: 1 },
      ],
      jurors: [
        { strategy: "honest", count: 6 },
        { strategy: "random", count: 2 },
      ],
      consumers: 3,
      fishermen: 0,
    },
    economics: structuredClone(DEFAULT_ECONOMICS),
    bribery: { enabled: false, upfrontPerSeat: 0, successPerSeat: 0, epsilonPerSeat: 1 },
    counterfactual: { gains: [], loses: [] },
    oldRules: [],
    treasury: { validationPoolGrant: 5_000 },
    dao: { ...DEFAULT_DAO },
    parameters: defaultParameters(base),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Loading: a scenario or proposal file is a partial SimConfig; objects merge into the defaults, arrays replace.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function merge(base: unknown, override: unknown, path: string): unknown {
  if (override === undefined) return base;
  if (isObject(base)) {
    if (!isObject(override)) throw new Error(`sim config: ${path} must be an object`);
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(override)) {
      if (!(key in base)) throw new Error(`sim config: unknown field ${path}.${key}`);
      out[key] = merge(base[key], value, `${path}.${key}`);
    }
    return out;
  }
  if (typeof base === "bigint") {
    if (typeof override !== "number" && typeof override !== "string") {
      throw new Error(`sim config: ${path} must be an amount of CUR (number or decimal string)`);
    }
    return parseEther(String(override));
  }
  if (base !== null && typeof override !== typeof base && !Array.isArray(base)) {
    throw new Error(`sim config: ${path} must be a ${typeof base}`);
  }
  return override;
}

/** The defaults with `override` applied; throws on unknown fields or wrong types (a typo must not pass silently). */
export function resolveConfig(override: Json | Record<string, unknown> = {}): SimConfig {
  const base = (override as Record<string, unknown>).base ?? "local";
  if (base !== "local" && base !== "mainnet") throw new Error(`sim config: base must be "local" or "mainnet"`);
  const config = merge(defaultConfig(base), override, "config") as SimConfig;
  validate(config);
  return config;
}

/** Plain JSON objects merged key by key, later ones winning; arrays and values replace. */
export function overlay(...objects: Record<string, unknown>[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const object of objects) {
    for (const [key, value] of Object.entries(object)) {
      const prev = out[key];
      out[key] = isObject(value) && isObject(prev) ? overlay(prev, value) : value;
    }
  }
  return out;
}

export function readJsonObject(path: string): Record<string, unknown> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`sim config: cannot read ${path}: ${(error as Error).message}`);
  }
  if (!isObject(raw)) throw new Error(`sim config: ${path} is not a JSON object`);
  return raw;
}

/** A scenario file with overlays (a DAO proposal, a seed) applied on top, in order, over the defaults. */
export function loadConfig(path: string, ...overlays: Record<string, unknown>[]): SimConfig {
  return resolveConfig(overlay(readJsonObject(path), ...overlays));
}

function validate(config: SimConfig): void {
  if (!Number.isInteger(config.epochs) || config.epochs < 1) throw new Error("sim config: epochs must be ≥ 1");
  if (!Number.isInteger(config.seed)) throw new Error("sim config: seed must be an integer");
  for (const [role, groups] of Object.entries(config.agents)) {
    if (typeof groups === "number") continue;
    for (const g of groups as Group<string>[]) {
      if (!(`${role.slice(0, -1)}/${g.strategy}` in STRATEGY_CLASS)) {
        throw new Error(`sim config: unknown ${role.slice(0, -1)} strategy "${g.strategy}"`);
      }
      if (!Number.isInteger(g.count) || g.count < 0) throw new Error(`sim config: bad count for ${g.strategy}`);
    }
  }
  for (const key of [...config.counterfactual.gains, ...config.counterfactual.loses]) {
    if (!(key in STRATEGY_CLASS)) throw new Error(`sim config: counterfactual names an unknown strategy "${key}"`);
  }
  if (!Number.isInteger(config.agents.fishermen) || config.agents.fishermen < 0) {
    throw new Error("sim config: fishermen must be a whole number ≥ 0");
  }
  const e = config.economics;
  if (e.auditShareBps < 0 || e.auditShareBps > 10_000) throw new Error("sim config: auditShareBps must be 0–10,000");
  if (!Number.isInteger(e.samplesPerRound) || e.samplesPerRound < 1) {
    throw new Error("sim config: samplesPerRound must be a whole number ≥ 1");
  }
  if (!(e.priceHikeFactor >= 1)) throw new Error("sim config: priceHikeFactor must be ≥ 1");
  if (!Number.isInteger(e.selfDelistAfterEpochs) || e.selfDelistAfterEpochs < 0) {
    throw new Error("sim config: selfDelistAfterEpochs must be a whole number ≥ 0");
  }
  if (!(e.sybilStake > 0) || !(e.steeringCapital >= 0) || !(e.selfDelistSeedStake >= 0)) {
    throw new Error("sim config: sybilStake must be > 0, steeringCapital and selfDelistSeedStake ≥ 0");
  }
  if (!(e.canaryRate >= 0 && e.canaryRate < 1)) throw new Error("sim config: canaryRate must be in [0, 1)");
  if (!(e.canaryBountyBudget >= 0)) throw new Error("sim config: canaryBountyBudget must be ≥ 0");
  if (!(e.canarySlashBps >= 0 && e.canarySlashBps <= 10_000))
    throw new Error("sim config: canarySlashBps must be 0–10,000");
  if (!(e.maxEscrowPerBondBps > 0)) throw new Error("sim config: maxEscrowPerBondBps must be > 0");
  if (!(e.gasPriceGwei >= 0) || !(e.curPerEth >= 0) || !(e.keeperFeePerTx >= 0) || !(e.stakeOpportunityRateBps >= 0)) {
    throw new Error("sim config: gasPriceGwei, curPerEth, keeperFeePerTx and stakeOpportunityRateBps must be ≥ 0");
  }
  for (const k of ["turnoutBps", "bribableBps", "borrowableBps"] as const) {
    if (!(config.dao[k] >= 0 && config.dao[k] <= 10_000)) throw new Error(`sim config: dao.${k} must be 0–10,000`);
  }
  for (const rule of config.oldRules) {
    if (!(OLD_RULES as readonly string[]).includes(rule)) {
      throw new Error(`sim config: unknown old rule "${rule}" (one of ${OLD_RULES.join(", ")})`);
    }
  }
  const validators = config.agents.validators.reduce((n, g) => n + g.count, 0);
  if (validators < config.parameters.validation.quorum) {
    throw new Error(`sim config: ${validators} validators cannot reach the quorum`);
  }
}

/** The parameters as a JSON-friendly object (amounts in whole CUR), for reports. */
export function parametersForReport(p: SimParameters): Record<string, Record<string, number | string>> {
  const out: Record<string, Record<string, number | string>> = {};
  for (const [group, values] of Object.entries(p)) {
    const entries: Record<string, number | string> = {};
    for (const [key, value] of Object.entries(values as Record<string, unknown>)) {
      // Every bigint among the governed figures is an amount of CUR wei.
      entries[key] = typeof value === "bigint" ? Number(value / 10n ** 15n) / 1000 : (value as number);
    }
    out[group] = entries;
  }
  return out;
}
