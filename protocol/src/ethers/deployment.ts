// Reading deployments/<network>.json, and a JSON-RPC provider that checks it talks to the deployment's chain.
import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { JsonRpcProvider } from "ethers";
import type { ContractName, DeployedContract, DeploymentRecord } from "../deployment.js";
import { chainOfGraphNetwork } from "../networks.js";

/** The repository's deployments/ folder; CURIA_DEPLOYMENTS_DIR moves it. */
export function deploymentsDir(): string {
  return (
    process.env.CURIA_DEPLOYMENTS_DIR ?? join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "deployments")
  );
}

/**
 * `ref` as a file: a path to a JSON file as given, or a name looked up as <deploymentsDir()>/<name>.json, where a
 * public chain's record is named by its chain id: `11155111` and The Graph's name `sepolia` both find 11155111.json.
 */
export function deploymentFile(ref: string): string {
  if (ref.endsWith(".json") || ref.includes("/")) return isAbsolute(ref) ? ref : resolve(ref);
  const named = join(deploymentsDir(), `${ref}.json`);
  const chain = chainOfGraphNetwork(ref);
  if (existsSync(named) || chain === undefined) return named;
  return join(deploymentsDir(), `${chain.chainId}.json`);
}

/** The deployment record `ref` names (see deploymentFile); throws a message naming the file when it cannot. */
export function loadDeployment(ref: string): { path: string; record: DeploymentRecord } {
  const path = deploymentFile(ref);
  if (!existsSync(path)) throw new Error(`deployment file ${path} does not exist (deploy first, e.g. npm start)`);
  try {
    return { path, record: JSON.parse(readFileSync(path, "utf8")) as DeploymentRecord };
  } catch (error) {
    throw new Error(`deployment file ${path} is not valid JSON: ${(error as Error).message}`);
  }
}

/** `record`'s entry for `name`; throws a message naming the contract when the record has none. */
export function deployedContract(
  record: DeploymentRecord,
  name: ContractName,
  path = record.network,
): DeployedContract {
  const entry = record.contracts?.[name];
  if (entry === undefined) throw new Error(`deployment ${path} has no ${name}`);
  return entry;
}

/**
 * A JSON-RPC provider on `url` that polls every `pollingMs`, once its chain id is checked against `record`'s (a
 * validator must never sign for the wrong chain).
 */
export async function connectRpc(
  url: string,
  record: Pick<DeploymentRecord, "chainId" | "network">,
  pollingMs = 500,
): Promise<JsonRpcProvider> {
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
  if (chainId !== BigInt(record.chainId)) {
    provider.destroy();
    throw new Error(
      `${url} is chain ${chainId}, but the deployment file is for chain ${record.chainId} (${record.network})`,
    );
  }
  return provider;
}
