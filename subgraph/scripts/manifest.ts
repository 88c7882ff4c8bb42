// Generates subgraph.yaml for one deployment from subgraph.template.yaml and its record in deployments/, graph-cli's
// networks.json from every record there, and copies the contracts' ABIs from Hardhat's artifacts into abis/. Usage:
//   tsx scripts/manifest.ts [--network <name>] [--chain-id <id>] [--deployments <dir>] [--out <file>]
//                           [--networks-file <file>] [--graph-network <name>]
// --network is a development network (localhost, hardhat: deployments/<network>.json) or a public chain by The Graph's
// name (sepolia, arbitrum-one: deployments/<chain id>.json, see deploy/deployments.ts); --chain-id names a public
// chain by its id. The manifest's `network:` is The Graph's name of the record's chain (protocol/src/networks.ts),
// `localhost` for a development chain; --graph-network overrides it for a chain Curia does not list.
// Without a deployment record for a local network (a fresh clone before `npm start`), it fills zero addresses and
// start block 0, and so it does for a contract a record lacks (a network deployed before the marketplace): the built
// WASM does not depend on addresses (the local indexer reads them from the deployment file at run time), so
// `graph codegen && graph build` still checks everything.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { chainOfGraphNetwork, graphNetworkOf, isLocalChain, publicChain } from "../../protocol/src/networks.js";

export const SUBGRAPH_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const REPO_ROOT = resolve(SUBGRAPH_DIR, "..");
/**
 * The contracts the subgraph indexes, each one data source named as in deployments/<network>.json; later contracts
 * are added here and in the template.
 */
export const INDEXED_CONTRACTS = [
  "CuriaGovernor",
  "CuriaToken",
  "CuriaTimelock",
  "ListingRegistry",
  "ListingChallenges",
  "CurationPool",
  "Court",
  "JurorPool",
  "ValidationManager",
  "ValidatorPool",
  "CanaryAudits",
] as const;
export type IndexedContract = (typeof INDEXED_CONTRACTS)[number];
/**
 * The Solidity contract behind each data source and the folder of its source under contracts/ (and
 * artifacts/contracts/); its ABI is copied to abis/<contract>.json. One contract may back several data sources: the
 * two stake pools are both StakePool.
 */
const SOURCES: Record<IndexedContract, { contract: string; folder: string }> = {
  CuriaGovernor: { contract: "CuriaGovernor", folder: "governance" },
  CuriaToken: { contract: "CuriaToken", folder: "governance" },
  CuriaTimelock: { contract: "CuriaTimelock", folder: "governance" },
  ListingRegistry: { contract: "ListingRegistry", folder: "marketplace" },
  ListingChallenges: { contract: "ListingChallenges", folder: "marketplace" },
  CurationPool: { contract: "CurationPool", folder: "curation" },
  Court: { contract: "Court", folder: "court" },
  JurorPool: { contract: "StakePool", folder: "staking" },
  ValidationManager: { contract: "ValidationManager", folder: "validation" },
  ValidatorPool: { contract: "StakePool", folder: "staking" },
  CanaryAudits: { contract: "CanaryAudits", folder: "validation" },
};
/** The Solidity contract behind a data source and its folder under contracts/. */
export function sourceOf(name: IndexedContract): { contract: string; folder: string } {
  return SOURCES[name];
}
const LOCAL_NETWORKS = new Set(["localhost", "hardhat", "default"]);
const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

export interface DeploymentFile {
  network: string;
  chainId: number;
  contracts: Partial<Record<string, { proxy: string; startBlock: number }>>;
}

/** graph-cli's networks.json: graph network → data source → where it lives (`graph build --network <name>`). */
export type NetworksFile = Record<string, Partial<Record<IndexedContract, { address: string; startBlock: number }>>>;

/**
 * Fills `{{name}}` and `{{Contract.field}}` placeholders; an unknown placeholder is an error, never left in place.
 * Placeholders are quoted in the template (so it stays valid, prettier-stable YAML); a start block loses its quotes.
 */
export function renderManifest(template: string, deployment: DeploymentFile, network: string): string {
  return template.replace(/("?)\{\{([A-Za-z.]+)\}\}\1/g, (_match, quote: string, key: string) => {
    if (key === "network") return `${quote}${network}${quote}`;
    const [contract, field] = key.split(".");
    const entry = contract === undefined ? undefined : deployment.contracts[contract];
    if (field === "address") return `${quote}${entry?.proxy ?? ZERO_ADDRESS}${quote}`;
    if (field === "startBlock") return String(entry?.startBlock ?? 0);
    throw new Error(`unknown placeholder {{${key}}} in subgraph.template.yaml`);
  });
}

function readDeploymentFile(path: string, network: string): DeploymentFile {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as DeploymentFile;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" && LOCAL_NETWORKS.has(network)) {
      console.warn(`manifest: ${path} not found; using zero addresses (fine for a build, not for a deployment)`);
      return { network, chainId: 31337, contracts: {} };
    }
    throw new Error(`manifest: cannot read ${path}: ${(error as Error).message}`);
  }
}

/**
 * The record file a manifest for `network` (or chain `chainId`) is built from: deployments/<network>.json for a
 * development network or a record named so (an older layout), else deployments/<chain id>.json of the public chain
 * The Graph calls `network`. Throws, listing what it looked for, when there is none.
 */
export function recordPathFor(dir: string, target: { network?: string; chainId?: number }): string {
  if (target.chainId !== undefined) {
    if (isLocalChain(target.chainId)) {
      throw new Error(
        `manifest: chain ${target.chainId} is a development chain; name its network (--network localhost)`,
      );
    }
    return join(dir, `${target.chainId}.json`);
  }
  const network = target.network ?? "localhost";
  const named = join(dir, `${network}.json`);
  if (LOCAL_NETWORKS.has(network) || existsSync(named)) return named;
  const chain = chainOfGraphNetwork(network);
  if (chain === undefined) {
    throw new Error(
      `manifest: no deployment record ${named}, and ${network} is not a chain in protocol/src/networks.ts ` +
        `(use The Graph's name, e.g. sepolia, or --chain-id <id>)`,
    );
  }
  const byChain = join(dir, `${chain.chainId}.json`);
  if (!existsSync(byChain)) {
    throw new Error(`manifest: no deployment record for ${network} (chain ${chain.chainId}): ${byChain} is missing`);
  }
  return byChain;
}

/**
 * graph-cli's networks.json from deployment records: one entry per public chain (The Graph's name), plus `primary`
 * (the record the manifest is built from, whatever its chain; it wins over another record of the same chain). A
 * development chain's record enters only as `primary`: several would all be `localhost`. A record of a chain Curia
 * does not list is left out with a warning (its name is unknown).
 */
export function networksFile(records: DeploymentFile[], primary?: { record: DeploymentFile; graphNetwork: string }) {
  const out: NetworksFile = {};
  const entries = (record: DeploymentFile) => {
    const sources: NetworksFile[string] = {};
    for (const name of INDEXED_CONTRACTS) {
      const entry = record.contracts[name];
      if (entry !== undefined) sources[name] = { address: entry.proxy, startBlock: entry.startBlock };
    }
    return sources;
  };
  for (const record of records) {
    if (isLocalChain(record.chainId)) continue;
    const chain = publicChain(record.chainId);
    if (chain === undefined) {
      console.warn(`manifest: chain ${record.chainId} (${record.network}) has no The Graph name; not in networks.json`);
      continue;
    }
    out[chain.graphNetwork] = entries(record);
  }
  // A record with none of the indexed contracts (a fresh local chain) would give graph-cli an empty network.
  if (primary !== undefined && Object.keys(entries(primary.record)).length > 0) {
    out[primary.graphNetwork] = entries(primary.record);
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b))) as NetworksFile;
}

/** Every deployment record in `dir` (files named <chain id>.json last, so they win over another name's of the same chain). */
export function readRecords(dir: string): DeploymentFile[] {
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort((a, b) => Number(/^\d+\.json$/.test(a)) - Number(/^\d+\.json$/.test(b)) || a.localeCompare(b));
  // networks.json is a by-product: a file that is not a record (or not readable) is skipped, never fatal to the build.
  const records: DeploymentFile[] = [];
  for (const file of files) {
    try {
      const record = JSON.parse(readFileSync(join(dir, file), "utf8")) as Partial<DeploymentFile>;
      if (typeof record.chainId === "number" && typeof record.contracts === "object" && record.contracts !== null) {
        records.push(record as DeploymentFile);
      } else console.warn(`manifest: ${file} in ${dir} is not a deployment record; not in networks.json`);
    } catch (error) {
      console.warn(`manifest: cannot read ${join(dir, file)} (${(error as Error).message}); not in networks.json`);
    }
  }
  return records;
}

function copyAbis(): void {
  mkdirSync(join(SUBGRAPH_DIR, "abis"), { recursive: true });
  const sources = new Map(INDEXED_CONTRACTS.map((name) => [SOURCES[name].contract, SOURCES[name].folder]));
  for (const [name, folder] of sources) {
    const artifactPath = join(REPO_ROOT, "artifacts", "contracts", folder, `${name}.sol`, `${name}.json`);
    let artifact: { abi: unknown };
    try {
      artifact = JSON.parse(readFileSync(artifactPath, "utf8")) as { abi: unknown };
    } catch {
      throw new Error(`manifest: ${artifactPath} is missing; run \`npm run build\` at the repository root first`);
    }
    writeFileSync(join(SUBGRAPH_DIR, "abis", `${name}.json`), JSON.stringify(artifact.abi, null, 2) + "\n");
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      network: { type: "string", default: process.env.CURIA_NETWORK ?? "localhost" },
      "chain-id": { type: "string" },
      "graph-network": { type: "string" },
      deployments: { type: "string", default: process.env.CURIA_DEPLOYMENTS_DIR ?? join(REPO_ROOT, "deployments") },
      out: { type: "string", default: join(SUBGRAPH_DIR, "subgraph.yaml") },
      "networks-file": { type: "string" },
    },
  });
  const chainIdArg = values["chain-id"];
  const chainId = chainIdArg === undefined ? undefined : Number(chainIdArg);
  if (chainId !== undefined && (!Number.isSafeInteger(chainId) || chainId <= 0)) {
    throw new Error(`manifest: --chain-id ${chainIdArg} is not a chain id`);
  }
  const path = recordPathFor(values.deployments, { network: values.network, chainId });
  // Zero addresses stand in only for a development network's missing record, never for a chain named by id.
  const deployment = readDeploymentFile(path, chainId === undefined ? values.network : String(chainId));
  const graphNetwork = values["graph-network"] ?? graphNetworkOf(deployment.chainId);
  const template = readFileSync(join(SUBGRAPH_DIR, "subgraph.template.yaml"), "utf8");
  copyAbis();
  writeFileSync(values.out, renderManifest(template, deployment, graphNetwork));
  const networksPath = values["networks-file"] ?? join(dirname(values.out), "networks.json");
  const networks = networksFile(readRecords(values.deployments), { record: deployment, graphNetwork });
  writeFileSync(networksPath, JSON.stringify(networks, null, 2) + "\n");
  console.log(`manifest: wrote ${values.out} for ${graphNetwork} (chain ${deployment.chainId}, from ${path})`);
  console.log(`manifest: wrote ${networksPath} (${Object.keys(networks).join(", ") || "no public network"})`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    await main();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
