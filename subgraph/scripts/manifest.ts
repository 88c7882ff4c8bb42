// Generates subgraph.yaml for one network from subgraph.template.yaml and deployments/<network>.json, and copies the
// contracts' ABIs from Hardhat's artifacts into abis/. Usage:
//   tsx scripts/manifest.ts [--network <name>] [--deployments <dir>] [--out <file>]
// Without a deployment record for a local network (a fresh clone before `npm start`), it fills zero addresses and
// start block 0, and so it does for a contract a record lacks (a network deployed before the marketplace): the built
// WASM does not depend on addresses (the local indexer reads them from the deployment file at run time), so
// `graph codegen && graph build` still checks everything.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

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
};
const LOCAL_NETWORKS = new Set(["localhost", "hardhat", "default"]);
const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

interface DeploymentFile {
  network: string;
  chainId: number;
  contracts: Partial<Record<string, { proxy: string; startBlock: number }>>;
}

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
      deployments: { type: "string", default: process.env.CURIA_DEPLOYMENTS_DIR ?? join(REPO_ROOT, "deployments") },
      out: { type: "string", default: join(SUBGRAPH_DIR, "subgraph.yaml") },
    },
  });
  const network = values.network;
  const deployment = readDeploymentFile(join(values.deployments, `${network}.json`), network);
  const template = readFileSync(join(SUBGRAPH_DIR, "subgraph.template.yaml"), "utf8");
  copyAbis();
  writeFileSync(values.out, renderManifest(template, deployment, network));
  console.log(`manifest: wrote ${values.out} for network ${network}`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
