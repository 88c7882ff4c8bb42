// Which contract an address is, its ABI, and the settings the DAO governs on it: for decoding proposal actions and
// building proposals from templates.
import {
  courtAbi,
  curationPoolAbi,
  curiaGovernorAbi,
  curiaTimelockAbi,
  curiaTokenAbi,
  listingRegistryAbi,
  validationManagerAbi,
} from "@curia/protocol";
import type { AppConfig, ContractName } from "../config";
import type { Abi, AbiFunction, Address } from "viem";

export const ABIS: Record<ContractName, Abi> = {
  CuriaToken: curiaTokenAbi,
  CuriaGovernor: curiaGovernorAbi,
  CuriaTimelock: curiaTimelockAbi,
  ListingRegistry: listingRegistryAbi,
  CurationPool: curationPoolAbi,
  Court: courtAbi,
  ValidationManager: validationManagerAbi,
};

/** The settings each contract lets the DAO change (functions only the timelock, or governance, may call). */
export const GOVERNED_SETTERS: Record<ContractName, readonly string[]> = {
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
    "setCourtRole",
    "setValidatorRewardPool",
    "setPauseGuardian",
    "setMarketPaused",
  ],
  CurationPool: ["setMinStake", "setThawingPeriod", "setSlashBps", "setSlasher"],
  Court: ["setParameters", "setRandomnessSource", "setListingMetaEvidence"],
  ValidationManager: ["setParameters", "setRandomnessSource", "setCourt", "setEvidenceBaseURI"],
};

/** The current value of a setting, read by a view function: setter → getter (for the "current" hint). */
export const SETTER_GETTERS: Partial<Record<ContractName, Record<string, string>>> = {
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
  Court: { setParameters: "parameters" },
  ValidationManager: { setParameters: "parameters" },
  CurationPool: { setMinStake: "parameters", setThawingPeriod: "parameters", setSlashBps: "parameters" },
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
