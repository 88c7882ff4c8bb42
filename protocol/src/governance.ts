// What the DAO governs: each contract's setters (functions only the timelock may call) and the unit of every number
// they take, so that a proposal's action reads "250,000 CUR" or "7 days" rather than raw wei or seconds. Written once
// here: the web app decodes proposals and builds templates with it; the CLIs can print actions the same way.
// test/governance.test.ts checks every entry against the generated ABIs and that no numeric argument lacks a unit.

/**
 * The unit of one governed number:
 * - `cur`: CUR wei (18 decimals), shown as CUR with thousands separators;
 * - `bps`: basis points (10,000 = 100 %);
 * - `percent`: whole percent (the Governor's quorum numerator, over its default denominator of 100);
 * - `seconds`: a duration (every clock is a timestamp clock: the Governor and the CUR token use `mode=timestamp`);
 * - `timestamp`: a point in time, Unix seconds;
 * - `count`: a plain number (seats, rounds, calls).
 */
export type ParameterUnit = "cur" | "bps" | "percent" | "seconds" | "timestamp" | "count";

/** The contracts the DAO governs, by their names in the deployment record (both stake pools are StakePools). */
export const GOVERNED_CONTRACTS = [
  "CuriaToken",
  "CuriaGovernor",
  "CuriaTimelock",
  "ListingRegistry",
  "CurationPool",
  "ListingChallenges",
  "Court",
  "JurorPool",
  "ValidationManager",
  "ValidatorPool",
  "CanaryAudits",
] as const;
export type GovernedContract = (typeof GOVERNED_CONTRACTS)[number];

/** The settings each contract lets the DAO change (functions only the timelock, or governance, may call). */
export const GOVERNED_SETTERS: Record<GovernedContract, readonly string[]> = {
  CuriaGovernor: [
    "setVotingDelay",
    "setVotingPeriod",
    "setProposalThreshold",
    "updateQuorumNumerator",
    "setLateQuorumVoteExtension",
    "setProposalGuardian",
    "setProposalGuardianTerm",
  ],
  CuriaTimelock: ["updateDelay", "grantRole", "revokeRole"],
  CuriaToken: ["mint"],
  ListingRegistry: [
    "setProtocolFee",
    "setFeeShares",
    "setMinBond",
    "setApplicationPeriod",
    "setWithdrawalDelay",
    "setDefaultQuality",
    "setValidationRole",
    "setChallengeRole",
    "setValidatorRewardPool",
    "setPauseGuardian",
    "setMarketPaused",
  ],
  CurationPool: ["setMinStake", "setThawingPeriod", "setSlashBps", "setWarmupPeriod", "setSlasher"],
  ListingChallenges: ["setParameters", "setListingMetaEvidence", "setEvidenceBaseURI"],
  Court: ["setParameters", "setArbitrable", "setRandomnessSource"],
  JurorPool: ["setParameters", "setManager", "setAuditor"],
  ValidationManager: ["setParameters", "setRandomnessSource", "setChallenges"],
  ValidatorPool: ["setParameters", "setManager", "setAuditor"],
  CanaryAudits: ["setOperator", "setParameters", "withdrawBounties", "setBountyBudget"],
};

/**
 * The unit of each numeric argument, by the contract's ABI name (`StakePool` for both pools) → function → argument
 * path (a struct's fields as `newParameters.minStake`). Calls the treasury makes often (`transfer`, `approve`) are
 * here too, so a payment reads in CUR.
 */
export const PARAMETER_UNITS: Record<string, Record<string, Record<string, ParameterUnit>>> = {
  CuriaToken: {
    mint: { amount: "cur" },
    transfer: { value: "cur" },
    approve: { value: "cur" },
  },
  CuriaGovernor: {
    setVotingDelay: { newVotingDelay: "seconds" },
    setVotingPeriod: { newVotingPeriod: "seconds" },
    setProposalThreshold: { newProposalThreshold: "cur" },
    updateQuorumNumerator: { newQuorumNumerator: "percent" },
    setLateQuorumVoteExtension: { newVoteExtension: "seconds" },
    setProposalGuardianTerm: { newTermEnd: "timestamp" },
  },
  CuriaTimelock: {
    updateDelay: { newDelay: "seconds" },
  },
  ListingRegistry: {
    setProtocolFee: { newFeeBps: "bps" },
    setFeeShares: { treasuryBps: "bps", curatorBps: "bps", validatorBps: "bps" },
    setMinBond: { newMinBond: "cur" },
    setApplicationPeriod: { newPeriod: "seconds" },
    setWithdrawalDelay: { newDelay: "seconds" },
    setDefaultQuality: { newQualityBps: "bps" },
  },
  CurationPool: {
    setMinStake: { newMinStake: "cur" },
    setThawingPeriod: { newThawingPeriod: "seconds" },
    setSlashBps: { newSlashBps: "bps" },
    setWarmupPeriod: { newWarmupPeriod: "seconds" },
  },
  ListingChallenges: {
    setParameters: {
      "newParameters.minChallengeBond": "cur",
      "newParameters.winnerShareBps": "bps",
      "newParameters.jurorShareBps": "bps",
      "newParameters.treasuryShareBps": "bps",
    },
  },
  StakePool: {
    setParameters: { "newParameters.minStake": "cur", "newParameters.thawingPeriod": "seconds" },
  },
  CanaryAudits: {
    setParameters: {
      "newParameters.canarySlashBps": "bps",
      "newParameters.catcherShareBps": "bps",
      "newParameters.auditWindow": "seconds",
      "newParameters.bountyPerSeat": "cur",
    },
    withdrawBounties: { amount: "cur" },
    setBountyBudget: { newBudget: "cur" },
  },
  Court: {
    setParameters: {
      "newParameters.seatStake": "cur",
      "newParameters.arbitrationFeePerSeat": "cur",
      "newParameters.appealFeePerSeat": "cur",
      "newParameters.commitPeriod": "seconds",
      "newParameters.revealPeriod": "seconds",
      "newParameters.appealPeriod": "seconds",
      "newParameters.firstRoundSeats": "count",
      "newParameters.maxJurorRounds": "count",
      "newParameters.penaltyBps": "bps",
      "newParameters.drawPeriod": "seconds",
      "newParameters.drawRewardBps": "bps",
      "newParameters.daoReviewPeriod": "seconds",
    },
  },
  ValidationManager: {
    setParameters: {
      "newParameters.requestFee": "cur",
      "newParameters.roundReward": "cur",
      "newParameters.roundPeriod": "seconds",
      "newParameters.commitPeriod": "seconds",
      "newParameters.revealPeriod": "seconds",
      "newParameters.committeeSize": "count",
      "newParameters.quorum": "count",
      "newParameters.toleranceBps": "bps",
      "newParameters.penaltyBps": "bps",
      "newParameters.rewardShareBps": "bps",
      "newParameters.minQualityBps": "bps",
      "newParameters.drawPeriod": "seconds",
      "newParameters.reimbursedCalls": "count",
    },
  },
};

/** The ABI a deployed contract is an instance of: both stake pools are StakePool contracts. */
export function abiNameOf(contract: string): string {
  return contract === "JurorPool" || contract === "ValidatorPool" ? "StakePool" : contract;
}

/** The unit of argument `path` of `contract.functionName` (the deployment name or the ABI name), if it is governed. */
export function parameterUnit(contract: string, functionName: string, path: string): ParameterUnit | undefined {
  return PARAMETER_UNITS[abiNameOf(contract)]?.[functionName]?.[path];
}

const CUR_DECIMALS = 18n;

/** `1,234,567.5`: thousands separators, at most `digits` decimals (trailing zeros cut), exact for any bigint. */
export function formatCurAmount(wei: bigint, digits = 18): string {
  const negative = wei < 0n;
  const abs = negative ? -wei : wei;
  const unit = 10n ** CUR_DECIMALS;
  const whole = (abs / unit).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const fraction = (abs % unit).toString().padStart(Number(CUR_DECIMALS), "0").slice(0, digits).replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

/** `7 days`, `1 day 2 hours 30 minutes`, `45 seconds`: every non-zero part, so the value stays exact. */
export function formatDurationExact(seconds: bigint): string {
  if (seconds === 0n) return "0 seconds";
  const parts: string[] = [];
  let rest = seconds < 0n ? -seconds : seconds;
  for (const [size, name] of [
    [86_400n, "day"],
    [3_600n, "hour"],
    [60n, "minute"],
    [1n, "second"],
  ] as const) {
    const n = rest / size;
    rest -= n * size;
    if (n > 0n) parts.push(`${n.toLocaleString("en-US")} ${name}${n === 1n ? "" : "s"}`);
  }
  return `${seconds < 0n ? "-" : ""}${parts.join(" ")}`;
}

/** A governed number in its unit: `250,000 CUR`, `2.5%`, `7 days`, `2026-12-03 02:05:00 UTC`, `12`. */
export function formatParameter(unit: ParameterUnit, value: bigint): string {
  switch (unit) {
    case "cur":
      return `${formatCurAmount(value)} CUR`;
    case "bps": {
      const abs = value < 0n ? -value : value;
      const cents = abs % 100n;
      const fraction = cents === 0n ? "" : `.${cents.toString().padStart(2, "0").replace(/0$/, "")}`;
      return `${value < 0n ? "-" : ""}${(abs / 100n).toLocaleString("en-US")}${fraction}%`;
    }
    case "percent":
      return `${value.toLocaleString("en-US")}%`;
    case "seconds":
      return formatDurationExact(value);
    case "timestamp": {
      const ms = Number(value) * 1000;
      if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return `${value} (Unix seconds)`;
      return `${new Date(ms).toISOString().slice(0, 19).replace("T", " ")} UTC`;
    }
    case "count":
      return value.toLocaleString("en-US");
  }
}
