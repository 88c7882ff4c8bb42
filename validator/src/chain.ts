// The chain as the validator sees it: addresses from deployments/<network>.json, typed bindings from the protocol
// package.
import { getAddress, type ContractRunner } from "ethers";
import {
  CuriaToken__factory,
  IListingChallenges__factory,
  IListingRegistry__factory,
  IStakePool__factory,
  IValidationManager__factory,
  deployedContract,
  loadDeployment,
  type CuriaToken,
  type IListingChallenges,
  type IListingRegistry,
  type IStakePool,
  type IValidationManager,
} from "@curia/protocol/ethers";

export interface CuriaAddresses {
  chainId: number;
  network: string;
  token: string;
  registry: string;
  validation: string;
  /** The validators' StakePool: stakes, draws and stake at risk. */
  validatorPool: string;
  court: string | undefined;
  /** ListingChallenges: challenges and fraud proofs (FraudProofFiled), evidence. */
  challenges: string;
  /** First block worth scanning for the ValidationManager's events. */
  validationStartBlock: number;
  /** First block worth scanning for ListingChallenges' events. */
  challengesStartBlock: number;
}

/**
 * Reads a deployment record. `ref` is a path to a JSON file, or a network name looked up as
 * deployments/<name>.json (CURIA_DEPLOYMENTS_DIR overrides the folder).
 */
export function readAddresses(ref: string): CuriaAddresses {
  const { path, record } = loadDeployment(ref);
  const validation = deployedContract(record, "ValidationManager", `file ${path}`);
  const challenges = deployedContract(record, "ListingChallenges", `file ${path}`);
  return {
    chainId: record.chainId,
    network: record.network,
    token: getAddress(deployedContract(record, "CuriaToken", `file ${path}`).proxy),
    registry: getAddress(deployedContract(record, "ListingRegistry", `file ${path}`).proxy),
    validation: getAddress(validation.proxy),
    validatorPool: getAddress(deployedContract(record, "ValidatorPool", `file ${path}`).proxy),
    court: record.contracts.Court?.proxy,
    challenges: getAddress(challenges.proxy),
    validationStartBlock: validation.startBlock,
    challengesStartBlock: challenges.startBlock,
  };
}

export interface CuriaContracts {
  registry: IListingRegistry;
  validation: IValidationManager;
  validatorPool: IStakePool;
  token: CuriaToken;
  challenges: IListingChallenges;
}

export function connectContracts(addresses: CuriaAddresses, runner: ContractRunner): CuriaContracts {
  return {
    registry: IListingRegistry__factory.connect(addresses.registry, runner),
    validation: IValidationManager__factory.connect(addresses.validation, runner),
    validatorPool: IStakePool__factory.connect(addresses.validatorPool, runner),
    token: CuriaToken__factory.connect(addresses.token, runner),
    challenges: IListingChallenges__factory.connect(addresses.challenges, runner),
  };
}
