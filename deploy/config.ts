import { readFileSync } from "node:fs";
import { parseEther } from "ethers";
import { courtConfigFor, LOCAL_COURT, type CourtConfig } from "./court-config.js";
import { LOCAL_VALIDATION, validationConfigFor, type ValidationConfig } from "./validation-config.js";

/** Where part of the initial supply goes: the DAO treasury (the timelock), the deployer, or a fixed address. */
export type AllocationTarget = "treasury" | "deployer" | `0x${string}`;

/** Everything the governance deployment needs; amounts in CUR wei, times in seconds. */
export interface GovernanceConfig {
  token: { name: string; symbol: string; cap: bigint };
  allocations: { to: AllocationTarget; amount: bigint }[];
  governor: {
    name: string;
    votingDelay: number;
    votingPeriod: number;
    proposalThreshold: bigint;
    quorumPercent: number;
    lateQuorumVoteExtension: number;
    /** Proposal guardian: the deployer, a fixed address, or "none". */
    guardian: "deployer" | "none" | `0x${string}`;
    /** How long the guardian may cancel proposals, counted from deployment. */
    guardianTermSeconds: number;
  };
  timelock: { minDelay: number };
}

/** Marketplace and curation figures (see IListingRegistry.MarketParameters, ICurationPool.CurationParameters). */
export interface MarketplaceConfig {
  market: {
    minBond: bigint;
    applicationPeriod: number;
    withdrawalDelay: number;
    protocolFeeBps: number;
    treasuryShareBps: number;
    curatorShareBps: number;
    validatorShareBps: number;
    defaultQualityBps: number;
    /** Seconds earnings stay slashable in the listing's escrow, and the age limit of a fraud proof's receipt: at
     * least one validation round period (1 hour to 90 days). */
    earningsEscrowPeriod: number;
    /** Most a listing's escrow may hold, per unit of its bond, in bps (1,000 to 1,000,000): sales are capped by the
     * bond, so a cheater caught late loses more than the period it was not caught in earned it. */
    maxEscrowPerBondBps: number;
  };
  /** warmupPeriod: seconds a new curator stake waits before it earns (CurationPool bounds: 5 minutes to 30 days). */
  curation: { minStake: bigint; thawingPeriod: number; slashBps: number; warmupPeriod: number };
}

export interface CuriaConfig {
  governance: GovernanceConfig;
  marketplace: MarketplaceConfig;
  court: CourtConfig;
  validation: ValidationConfig;
}

const DAY = 86_400;

/** Production-like defaults for a public chain. */
export const MAINNET_DEFAULTS: GovernanceConfig = {
  token: { name: "Curia", symbol: "CUR", cap: parseEther("1000000000") },
  allocations: [
    { to: "treasury", amount: parseEther("400000000") },
    { to: "deployer", amount: parseEther("100000000") },
  ],
  governor: {
    name: "Curia Governor",
    votingDelay: 1 * DAY,
    votingPeriod: 5 * DAY,
    proposalThreshold: parseEther("100000"),
    quorumPercent: 4,
    lateQuorumVoteExtension: 2 * DAY,
    guardian: "deployer",
    guardianTermSeconds: 180 * DAY,
  },
  timelock: { minDelay: 2 * DAY },
};

/** Short periods for the local chain and tests: a whole proposal fits in a few minutes of (fast-forwarded) time. */
export const LOCAL_DEFAULTS: GovernanceConfig = {
  ...MAINNET_DEFAULTS,
  governor: {
    ...MAINNET_DEFAULTS.governor,
    votingDelay: 60,
    votingPeriod: 3_600,
    proposalThreshold: parseEther("1000"),
    lateQuorumVoteExtension: 600,
  },
  timelock: { minDelay: 120 },
};

export const MAINNET_MARKETPLACE: MarketplaceConfig = {
  market: {
    minBond: parseEther("10000"),
    applicationPeriod: 3 * DAY,
    withdrawalDelay: 7 * DAY,
    protocolFeeBps: 500,
    treasuryShareBps: 2_000,
    curatorShareBps: 6_000,
    validatorShareBps: 2_000,
    defaultQualityBps: 5_000,
    // One validation round period (30 days): a cheater's earnings of the last period are at stake in every round.
    earningsEscrowPeriod: 30 * DAY,
    // The escrow at risk may reach the bond, no more: a cheater caught one escrow release late has taken out at most
    // 95% of its bond (the fee is the rest) and loses all of it. An honest provider sells about half its bond a
    // period (a credit stays locked one to two periods) and raises its bond (increaseBond) to sell more.
    maxEscrowPerBondBps: 10_000,
  },
  // A stake placed when a listing is created starts earning when the listing activates.
  curation: { minStake: parseEther("100"), thawingPeriod: 7 * DAY, slashBps: 2_000, warmupPeriod: 3 * DAY },
};

export const LOCAL_MARKETPLACE: MarketplaceConfig = {
  market: {
    ...MAINNET_MARKETPLACE.market,
    minBond: parseEther("1000"),
    applicationPeriod: 300,
    withdrawalDelay: 3_600,
    earningsEscrowPeriod: DAY,
    // The local chain's tests, demo and simulation buy up to ~7 bonds' worth of calls from one listing in a day;
    // the attack tests set the mainnet figure themselves.
    maxEscrowPerBondBps: 100_000,
  },
  curation: { ...MAINNET_MARKETPLACE.curation, thawingPeriod: 3_600, warmupPeriod: 300 },
};

export const LOCAL_CONFIG: CuriaConfig = {
  governance: LOCAL_DEFAULTS,
  marketplace: LOCAL_MARKETPLACE,
  court: LOCAL_COURT,
  validation: LOCAL_VALIDATION,
};

function isLocal(networkName: string): boolean {
  return networkName === "hardhat" || networkName === "localhost" || networkName === "default";
}

/** The whole system's config for a network, with the optional JSON override of CURIA_DEPLOY_CONFIG. */
export function curiaConfigFor(networkName: string, overridePath = process.env.CURIA_DEPLOY_CONFIG): CuriaConfig {
  const overrides = readOverrides(overridePath) as Partial<GovernanceConfig> & {
    marketplace?: Partial<MarketplaceConfig>;
    court?: Partial<CourtConfig>;
    validation?: Partial<ValidationConfig>;
  };
  const court = courtConfigFor(networkName);
  const validation = validationConfigFor(networkName);
  const base = isLocal(networkName) ? LOCAL_MARKETPLACE : MAINNET_MARKETPLACE;
  return {
    governance: governanceConfigFor(networkName, overridePath),
    marketplace: {
      market: { ...base.market, ...overrides.marketplace?.market },
      curation: { ...base.curation, ...overrides.marketplace?.curation },
    },
    court: {
      ...court,
      ...overrides.court,
      jurorPool: { ...court.jurorPool, ...overrides.court?.jurorPool },
      params: { ...court.params, ...overrides.court?.params },
      challenges: { ...court.challenges, ...overrides.court?.challenges },
    },
    validation: {
      ...validation,
      ...overrides.validation,
      validatorPool: { ...validation.validatorPool, ...overrides.validation?.validatorPool },
      params: { ...validation.params, ...overrides.validation?.params },
    },
  };
}

function readOverrides(overridePath: string | undefined): Record<string, unknown> {
  if (overridePath === undefined || overridePath === "") return {};
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(overridePath, "utf8"), (_key, value: unknown) =>
      typeof value === "string" && /^\d+n$/.test(value) ? BigInt(value.slice(0, -1)) : value,
    );
  } catch (error) {
    throw new Error(`CURIA_DEPLOY_CONFIG: cannot read ${overridePath}: ${(error as Error).message}`);
  }
  if (typeof raw !== "object" || raw === null)
    throw new Error(`CURIA_DEPLOY_CONFIG: ${overridePath} is not a JSON object`);
  return raw as Record<string, unknown>;
}

/** The config for a network: local defaults for dev chains, otherwise mainnet defaults, with an optional JSON override. */
export function governanceConfigFor(
  networkName: string,
  overridePath = process.env.CURIA_DEPLOY_CONFIG,
): GovernanceConfig {
  const base = networkName === "hardhat" || networkName === "localhost" ? LOCAL_DEFAULTS : MAINNET_DEFAULTS;
  if (overridePath === undefined || overridePath === "") return base;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(overridePath, "utf8"), (_key, value: unknown) =>
      typeof value === "string" && /^\d+n$/.test(value) ? BigInt(value.slice(0, -1)) : value,
    );
  } catch (error) {
    throw new Error(`CURIA_DEPLOY_CONFIG: cannot read ${overridePath}: ${(error as Error).message}`);
  }
  if (typeof raw !== "object" || raw === null)
    throw new Error(`CURIA_DEPLOY_CONFIG: ${overridePath} is not a JSON object`);
  const o = raw as Partial<GovernanceConfig>;
  return {
    token: { ...base.token, ...o.token },
    allocations: o.allocations ?? base.allocations,
    governor: { ...base.governor, ...o.governor },
    timelock: { ...base.timelock, ...o.timelock },
  };
}
