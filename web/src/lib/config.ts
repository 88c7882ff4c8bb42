// Runtime configuration, loaded once at start-up from `config.json` next to index.html, so that one build serves every
// deployment (scripts/start.ts writes it for the local stack). Missing fields fall back to the local dev defaults.
import { getAddress, isAddress, type Address } from "viem";
import { GOVERNED_CONTRACTS, type ContractName as DeployedContractName } from "@curia/protocol";
import { DEV_GRAPHQL_URL, DEV_RPC_URL, fetchConfigJson } from "./boot";

/**
 * The contracts the app talks to, by their names in the deployment record (which holds more). The two stake pools are
 * one contract (StakePool) deployed twice: the jurors' (managed by the Court) and the validators' (managed by the
 * ValidationManager). CuriaLens is a read-only view contract (not upgradeable, not governed).
 */
export const CONTRACT_NAMES = [...GOVERNED_CONTRACTS, "CuriaLens"] as const satisfies readonly DeployedContractName[];
export type ContractName = (typeof CONTRACT_NAMES)[number];

export interface AppConfig {
  /** The Graph query endpoint of the Curia subgraph (local indexer or graph-node). */
  graphqlUrl: string;
  /** JSON-RPC endpoint for reads and receipts (writes go through the wallet). */
  rpcUrl: string;
  chainId: number;
  chainName: string;
  /** Block explorer base URL (optional): links to `${explorerUrl}/tx/<hash>`. */
  explorerUrl?: string;
  contracts: Record<ContractName, Address>;
  /**
   * Roles of the local chain's test accounts in the demo (`npm start` writes them), shown by the dev wallet: account
   * index → "juror". Optional; ignored unless the chain is a local development chain.
   */
  devAccountRoles?: Record<number, string>;
  /**
   * Where the listing page finds task samples (@curia/protocol's TaskSampleFile: a VAD clip and an OCR line with the
   * honest and the cheating listing's answers); `npm start` publishes /task-samples.json. Optional.
   */
  taskSamplesUrl?: string;
}

const ZERO = "0x0000000000000000000000000000000000000000";

/** Local defaults: `npm start` on its default ports. */
export const DEV_CONFIG: AppConfig = {
  graphqlUrl: DEV_GRAPHQL_URL,
  rpcUrl: DEV_RPC_URL,
  chainId: 31337,
  chainName: "Curia local (Hardhat)",
  contracts: Object.fromEntries(CONTRACT_NAMES.map((name) => [name, ZERO])) as unknown as Record<ContractName, Address>,
};

/** Checks and normalises a parsed config.json; throws with a message naming the bad field. */
export function parseConfig(raw: unknown, defaults: AppConfig = DEV_CONFIG): AppConfig {
  if (typeof raw !== "object" || raw === null) throw new Error("config.json is not a JSON object");
  const r = raw as Record<string, unknown>;
  const str = (key: string, fallback: string): string => {
    const value = r[key];
    if (value === undefined) return fallback;
    if (typeof value !== "string" || value === "") throw new Error(`config.json: ${key} must be a non-empty string`);
    return value;
  };
  const chainId = r.chainId === undefined ? defaults.chainId : Number(r.chainId);
  if (!Number.isSafeInteger(chainId) || chainId <= 0)
    throw new Error("config.json: chainId must be a positive integer");
  const contracts = { ...defaults.contracts };
  const given = (r.contracts ?? {}) as Record<string, unknown>;
  for (const name of CONTRACT_NAMES) {
    const value = given[name];
    if (value === undefined) continue;
    if (typeof value !== "string" || !isAddress(value, { strict: false })) {
      throw new Error(`config.json: contracts.${name} is not an address`);
    }
    contracts[name] = getAddress(value);
  }
  let devAccountRoles: Record<number, string> | undefined;
  if (r.devAccountRoles !== undefined) {
    if (typeof r.devAccountRoles !== "object" || r.devAccountRoles === null) {
      throw new Error("config.json: devAccountRoles must be an object (account index → role)");
    }
    devAccountRoles = {};
    for (const [index, role] of Object.entries(r.devAccountRoles as Record<string, unknown>)) {
      if (!/^\d+$/.test(index) || typeof role !== "string") {
        throw new Error("config.json: devAccountRoles maps an account index to a role (text)");
      }
      devAccountRoles[Number(index)] = role;
    }
  }
  const explorerUrl = r.explorerUrl === undefined ? defaults.explorerUrl : str("explorerUrl", "");
  const taskSamplesUrl = r.taskSamplesUrl === undefined ? defaults.taskSamplesUrl : str("taskSamplesUrl", "");
  return {
    graphqlUrl: str("graphqlUrl", defaults.graphqlUrl),
    rpcUrl: str("rpcUrl", defaults.rpcUrl),
    chainId,
    chainName: str("chainName", defaults.chainName),
    ...(explorerUrl === undefined ? {} : { explorerUrl }),
    contracts,
    ...(devAccountRoles === undefined ? {} : { devAccountRoles }),
    ...(taskSamplesUrl === undefined ? {} : { taskSamplesUrl }),
  };
}

/** The app's configuration from config.json's parsed JSON (`undefined`: no config.json, the dev defaults apply). */
export function configFrom(raw: unknown): AppConfig {
  return raw === undefined ? DEV_CONFIG : parseConfig(raw);
}

/** Fetches `config.json` next to the app; without one (a bare `vite` dev server) the dev defaults apply. */
export async function loadConfig(url = "config.json"): Promise<AppConfig> {
  return configFrom(await fetchConfigJson(url));
}
