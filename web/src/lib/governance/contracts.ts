// Which contract an address is, its ABI, and the settings the DAO governs on it: for decoding proposal actions and
// building proposals from templates.
import {
  canaryAuditsAbi,
  courtAbi,
  curationPoolAbi,
  curiaGovernorAbi,
  curiaLensAbi,
  curiaTimelockAbi,
  curiaTokenAbi,
  listingChallengesAbi,
  listingRegistryAbi,
  stakePoolAbi,
  validationManagerAbi,
} from "@curia/protocol";
import type { GovernedContract } from "@curia/protocol";
import type { AppConfig, ContractName } from "../config";
import type { Abi, AbiFunction, Address } from "viem";

/** Each contract's ABI, by its name in the config: both stake pools are StakePool contracts. */
export const ABIS: Record<ContractName, Abi> = {
  CuriaToken: curiaTokenAbi,
  CuriaGovernor: curiaGovernorAbi,
  CuriaTimelock: curiaTimelockAbi,
  ListingRegistry: listingRegistryAbi,
  CurationPool: curationPoolAbi,
  ListingChallenges: listingChallengesAbi,
  Court: courtAbi,
  JurorPool: stakePoolAbi,
  ValidationManager: validationManagerAbi,
  ValidatorPool: stakePoolAbi,
  CuriaLens: curiaLensAbi,
  CanaryAudits: canaryAuditsAbi,
};

/** The contracts the DAO governs and upgrades, and each one's setters: protocol facts (@curia/protocol). */
export { GOVERNED_CONTRACTS, GOVERNED_SETTERS, type GovernedContract } from "@curia/protocol";

/** The current value of a setting, read by a view function: setter → getter (for the "current" hint). */
export const SETTER_GETTERS: Partial<Record<GovernedContract, Record<string, string>>> = {
  CuriaGovernor: {
    setVotingDelay: "votingDelay",
    setVotingPeriod: "votingPeriod",
    setProposalThreshold: "proposalThreshold",
    updateQuorumNumerator: "quorumNumerator",
    setLateQuorumVoteExtension: "lateQuorumVoteExtension",
    setProposalGuardian: "proposalGuardian",
    setProposalGuardianTerm: "proposalGuardianTermEnd",
  },
  CuriaTimelock: { updateDelay: "getMinDelay" },
  ListingChallenges: { setParameters: "parameters" },
  Court: { setParameters: "parameters" },
  JurorPool: { setParameters: "parameters", setManager: "manager" },
  ValidationManager: { setParameters: "parameters", setChallenges: "challenges" },
  ValidatorPool: { setParameters: "parameters", setManager: "manager" },
  CurationPool: {
    setMinStake: "parameters",
    setThawingPeriod: "parameters",
    setSlashBps: "parameters",
    setWarmupPeriod: "parameters",
  },
  ListingRegistry: {
    setProtocolFee: "parameters",
    setFeeShares: "parameters",
    setMinBond: "parameters",
    setApplicationPeriod: "parameters",
    setWithdrawalDelay: "parameters",
    setDefaultQuality: "parameters",
  },
};

export function setterFunction(name: ContractName, functionName: string): AbiFunction | undefined {
  return ABIS[name].find((item): item is AbiFunction => item.type === "function" && item.name === functionName);
}

/** The contract deployed at `address` according to the config, if it is one of Curia's. */
export function contractAt(config: AppConfig, address: string): ContractName | undefined {
  const lower = address.toLowerCase();
  for (const [name, value] of Object.entries(config.contracts) as [ContractName, Address][]) {
    if (value.toLowerCase() === lower) return name;
  }
  return undefined;
}
