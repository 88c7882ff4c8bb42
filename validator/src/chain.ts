// The chain as the validator and the provider see it: addresses from deployments/<network>.json, typed bindings from
// the artifacts (types/ethers-contracts, written by `hardhat build`).
import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { JsonRpcProvider, getAddress, type ContractRunner } from "ethers";
import type { DeploymentRecord } from "../../deploy/deployments.js";
import { IListingRegistry__factory } from "../../types/ethers-contracts/factories/contracts/interfaces/IListingRegistry__factory.js";
import { IValidationManager__factory } from "../../types/ethers-contracts/factories/contracts/interfaces/IValidationManager__factory.js";
import { CuriaToken__factory } from "../../types/ethers-contracts/factories/contracts/governance/CuriaToken__factory.js";
import type { CuriaToken, IListingRegistry, IValidationManager } from "../../types/ethers-contracts/index.js";
import { VALIDATOR_ROOT } from "./model/reference.js";

export interface CuriaAddresses {
  chainId: number;
  network: string;
  token: string;
  registry: string;
  validation: string;
  court: string | undefined;
  /** First block worth scanning for the ValidationManager's events. */
  validationStartBlock: number;
}

/**
 * Reads a deployment record. `ref` is a path to a JSON file, or a network name looked up as
 * deployments/<name>.json (CURIA_DEPLOYMENTS_DIR overrides the folder).
 */
export function readAddresses(ref: string): CuriaAddresses {
  const path =
    ref.endsWith(".json") || ref.includes("/")
      ? isAbsolute(ref)
        ? ref
        : resolve(ref)
      : join(process.env.CURIA_DEPLOYMENTS_DIR ?? join(VALIDATOR_ROOT, "..", "deployments"), `${ref}.json`);
  if (!existsSync(path)) throw new Error(`deployment file ${path} does not exist (deploy first, e.g. npm start)`);
  let record: DeploymentRecord;
  try {
    record = JSON.parse(readFileSync(path, "utf8")) as DeploymentRecord;
  } catch (error) {
    throw new Error(`deployment file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const need = (name: "CuriaToken" | "ListingRegistry" | "ValidationManager") => {
    const entry = record.contracts?.[name];
    if (entry === undefined) throw new Error(`deployment file ${path} has no ${name}`);
    return entry;
  };
  const validation = need("ValidationManager");
  return {
    chainId: record.chainId,
    network: record.network,
    token: getAddress(need("CuriaToken").proxy),
    registry: getAddress(need("ListingRegistry").proxy),
    validation: getAddress(validation.proxy),
    court: record.contracts.Court?.proxy,
    validationStartBlock: validation.startBlock,
  };
}

export interface CuriaContracts {
  registry: IListingRegistry;
  validation: IValidationManager;
  token: CuriaToken;
}

export function connectContracts(addresses: CuriaAddresses, runner: ContractRunner): CuriaContracts {
  return {
    registry: IListingRegistry__factory.connect(addresses.registry, runner),
    validation: IValidationManager__factory.connect(addresses.validation, runner),
    token: CuriaToken__factory.connect(addresses.token, runner),
  };
}

/** A JSON-RPC provider that polls every `pollingMs` and checks the chain id against the deployment's. */
export async function connectRpc(url: string, addresses: CuriaAddresses, pollingMs = 500): Promise<JsonRpcProvider> {
  const provider = new JsonRpcProvider(url, undefined, {
    staticNetwork: true,
    pollingInterval: pollingMs,
    cacheTimeout: -1,
  });
  let chainId: bigint;
  try {
    chainId = (await provider.getNetwork()).chainId;
  } catch (error) {
    provider.destroy();
    throw new Error(`cannot reach the JSON-RPC endpoint ${url}: ${(error as Error).message}`);
  }
  if (chainId !== BigInt(addresses.chainId)) {
    provider.destroy();
    throw new Error(
      `${url} is chain ${chainId}, but the deployment file is for chain ${addresses.chainId} (${addresses.network})`,
    );
  }
  return provider;
}
