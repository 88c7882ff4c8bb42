import { parseEther } from "ethers";
import type { PoolParametersConfig } from "./court-config.js";

/** The ValidationManager's governed figures (see IValidationManager.ValidationParameters). */
export interface ValidationParametersConfig {
  requestFee: bigint;
  roundReward: bigint;
  roundPeriod: number;
  commitPeriod: number;
  revealPeriod: number;
  committeeSize: number;
  quorum: number;
  toleranceBps: number;
  penaltyBps: number;
  rewardShareBps: number;
  minQualityBps: number;
  /** Seconds after a round opens within which its committee must be drawn (the validators' pool is frozen meanwhile). */
  drawPeriod: number;
  /**
   * Calls reimbursed per honest seat at the price fixed when the round opened: what a validator's probe of a listing
   * with too little audited traffic costs (the validator service's default sample), paid within the round's cap.
   */
  reimbursedCalls: number;
}

/** CanaryAudits' governed figures (see ICanaryAudits.AuditParameters) and its first operator. */
export interface CanaryConfig {
  /** The canary operator (an off-chain service the DAO appoints); zero: none until the DAO appoints one. */
  operator: string;
  params: {
    /**
     * A caught member's slash in bps of its stake at risk in the round. A lazy validator saves the sampled calls (c)
     * every round and keeps the round's reward and reimbursement (r) it did not work for; at a canary rate p it loses
     * money when p × (penalty + slash) > (1 − p) × (r + c) (docs/contracts.md, CanaryAudits).
     */
    canarySlashBps: number;
    /** Share of the slashes paid to the members within tolerance of the truth, per seat. */
    catcherShareBps: number;
    /**
     * Seconds after a round opens within which it may be audited: at least the longest round ({@link longestRound})
     * so the last round to finalize can still be audited, at most the validators' pool's thawing period
     * ({@link checkAuditWindow}).
     */
    auditWindow: number;
    /** CUR per catching seat from CanaryAudits' own balance (a treasury grant); 0: none. */
    bountyPerSeat: bigint;
  };
}

export interface ValidationConfig {
  /** Planted-error audits of the validators (CanaryAudits). */
  canary: CanaryConfig;
  /** The validators' StakePool: a validator's minimum stake and thawing period. */
  validatorPool: PoolParametersConfig;
  params: ValidationParametersConfig;
}

const DAY = 86_400;

export const MAINNET_VALIDATION: ValidationConfig = {
  validatorPool: { minStake: parseEther("5000"), thawingPeriod: 14 * DAY },
  params: {
    requestFee: parseEther("200"),
    roundReward: parseEther("500"),
    roundPeriod: 30 * DAY,
    commitPeriod: 1 * DAY,
    revealPeriod: 1 * DAY,
    committeeSize: 7,
    quorum: 4,
    toleranceBps: 1_000,
    penaltyBps: 500,
    rewardShareBps: 500,
    minQualityBps: 3_000,
    drawPeriod: DAY,
    reimbursedCalls: 200,
  },
  canary: {
    operator: "0x0000000000000000000000000000000000000000",
    // 10 days of the pool's 14-day thaw: a round is drawn within a day and votes for two (3 days: longestRound), so the
    // operator has a week.
    params: { canarySlashBps: 30_000, catcherShareBps: 5_000, auditWindow: 10 * DAY, bountyPerSeat: 0n },
  },
};

/**
 * The longest a round runs from its opening to the end of its reveals (when it can be finalized, then audited): a
 * draw at the last moment of the draw period, then the commit and reveal periods (ValidationManager.draw).
 */
export function longestRound(params: ValidationParametersConfig): number {
  return params.drawPeriod + params.commitPeriod + params.revealPeriod;
}

/**
 * What is wrong with a config's audit window, if anything: shorter than the longest round, a canary round that
 * finalizes late could never be audited (a lazy validator would learn to be lazy on slowly drawn rounds); longer than
 * the validators' pool's thaw, CanaryAudits refuses it.
 */
export function auditWindowProblem(config: ValidationConfig): string | undefined {
  const window = config.canary.params.auditWindow;
  const longest = longestRound(config.params);
  const thaw = config.validatorPool.thawingPeriod;
  if (window <= longest) {
    return `canary auditWindow ${window} s does not outlast the longest round (${longest} s = draw ${config.params.drawPeriod} + commit ${config.params.commitPeriod} + reveal ${config.params.revealPeriod})`;
  }
  if (window > thaw) return `canary auditWindow ${window} s exceeds the validators' pool's thawing period ${thaw} s`;
  return undefined;
}

/** Throws {@link auditWindowProblem}'s message for a config whose audit window is wrong (checked before deploying). */
export function checkAuditWindow(config: ValidationConfig): void {
  const problem = auditWindowProblem(config);
  if (problem !== undefined) throw new Error(problem);
}

const LOCAL_PARAMS: ValidationParametersConfig = {
  ...MAINNET_VALIDATION.params,
  requestFee: parseEther("10"),
  // An honest member risks 100 CUR (10% of a 1,000 CUR stake) each time lazy or colluding members hold a median
  // against it: at 50 CUR a round (~16 each) honest validators were still in the red after five epochs of the
  // baseline simulation and gained only ~14 CUR in ten when almost half the validators shirked (scripts/sim/README.md).
  roundReward: parseEther("100"),
  roundPeriod: DAY,
  commitPeriod: 600,
  revealPeriod: 600,
  committeeSize: 5,
  quorum: 3,
  toleranceBps: 500,
  penaltyBps: 1_000,
  rewardShareBps: 1_000,
  drawPeriod: 3_600,
};

/** The local audit window: the longest local round (4,800 s) and 40 minutes for the operator to audit it. */
const LOCAL_AUDIT_WINDOW = longestRound(LOCAL_PARAMS) + 2_400;

/** Short periods for the local chain and tests: a round votes in twenty (fast-forwarded) minutes. */
export const LOCAL_VALIDATION: ValidationConfig = {
  ...MAINNET_VALIDATION,
  // The thaw is the audit window (two hours): a seated member's stake cannot leave before its round's audit deadline.
  validatorPool: { minStake: parseEther("100"), thawingPeriod: LOCAL_AUDIT_WINDOW },
  params: LOCAL_PARAMS,
  canary: {
    ...MAINNET_VALIDATION.canary,
    params: { ...MAINNET_VALIDATION.canary.params, auditWindow: LOCAL_AUDIT_WINDOW },
  },
};

/** The validation config for a network: local figures on development chains, mainnet figures elsewhere. */
export function validationConfigFor(networkName: string): ValidationConfig {
  return networkName === "hardhat" || networkName === "localhost" || networkName === "default"
    ? LOCAL_VALIDATION
    : MAINNET_VALIDATION;
}
