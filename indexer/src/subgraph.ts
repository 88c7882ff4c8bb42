// Loads a built subgraph (graph build's output: subgraph.yaml, schema.graphql, one WASM module and ABI per data
// source) and binds each data source to its address from deployments/<network>.json.
import { compileMapping } from "./wasm/memory-import.js";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { EventFragment, Interface, id as keccakText } from "ethers";
import { parse as parseYaml } from "yaml";
import { manifestProblems, schemaProblems, UnsupportedManifestError, type RawManifest } from "./manifest-check.js";
import { parseSubgraphSchema, type SubgraphSchema } from "./schema.js";
import { unsupportedImports } from "./wasm/host.js";

export interface EventHandlerBinding {
  /** Manifest signature, e.g. `Transfer(indexed address,indexed address,uint256)`. */
  signature: string;
  handler: string;
  fragment: EventFragment;
}

export interface DataSource {
  name: string;
  /** Lower-case address the data source listens to. */
  address: string;
  startBlock: number;
  module: WebAssembly.Module;
  abi: Interface;
  /** topic0 → handler. */
  handlers: Map<string, EventHandlerBinding>;
}

export interface LoadedSubgraph {
  schema: SubgraphSchema;
  schemaSource: string;
  network: string;
  dataSources: DataSource[];
}

export interface DeploymentFile {
  network: string;
  chainId: number;
  contracts: Record<string, { proxy: string; startBlock: number } | undefined>;
}

interface ManifestDataSource {
  kind: string;
  name: string;
  network: string;
  source: { address?: string; abi: string; startBlock?: number };
  mapping: {
    file: string;
    abis: { name: string; file: string }[];
    eventHandlers?: { event: string; handler: string }[];
  };
}

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

/** `Transfer(indexed address,indexed address,uint256)` → `Transfer(address,address,uint256)`. */
export function canonicalSignature(manifestSignature: string): string {
  return manifestSignature.replace(/indexed /g, "").replace(/\s+/g, "");
}

export function readDeploymentFile(path: string): DeploymentFile {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as DeploymentFile;
  } catch (error) {
    throw new Error(`cannot read the deployment file ${path}: ${(error as Error).message}`);
  }
}

/**
 * Loads the build for `deployment`, after checking that the manifest, the schema and the mappings' imports use only
 * what the indexer runs (UnsupportedManifestError otherwise, listing every problem).
 */
export function loadSubgraph(buildDir: string, deployment: DeploymentFile): LoadedSubgraph {
  const manifestPath = join(buildDir, "subgraph.yaml");
  let manifest: RawManifest & { schema: { file: string }; dataSources: ManifestDataSource[] };
  try {
    manifest = parseYaml(readFileSync(manifestPath, "utf8")) as typeof manifest;
  } catch (error) {
    throw new Error(
      `cannot read ${manifestPath} (${(error as Error).message}); build the subgraph first: npm run build:subgraph`,
    );
  }
  const base = dirname(manifestPath);
  const deployedNames = new Set(Object.keys(deployment.contracts).filter((n) => deployment.contracts[n] !== undefined));
  const problems = manifestProblems(manifest, deployedNames);
  const schemaSource = readFileSync(join(base, manifest.schema.file), "utf8");
  problems.push(...schemaProblems(schemaSource));
  // Every contract data source's module (deployed here or not: the manifest is what is refused), compiled once.
  const modules = new Map<string, WebAssembly.Module>();
  for (const source of manifest.dataSources) {
    if (source.kind !== "ethereum/contract" && source.kind !== "ethereum") continue;
    let module = modules.get(source.mapping.file);
    if (module === undefined) {
      module = compileMapping(readFileSync(join(base, source.mapping.file)));
      modules.set(source.mapping.file, module);
      for (const problem of unsupportedImports(module)) {
        problems.push(`dataSources[${source.name}] mapping ${source.mapping.file} imports ${problem}`);
      }
    }
  }
  if (problems.length > 0) throw new UnsupportedManifestError(manifestPath, problems);
  const dataSources: DataSource[] = [];
  for (const source of manifest.dataSources) {
    const deployed = deployment.contracts[source.name];
    const address = (deployed?.proxy ?? source.source.address ?? ZERO_ADDRESS).toLowerCase();
    if (address === ZERO_ADDRESS) continue; // not deployed on this network (yet)
    const abiFile = source.mapping.abis.find((a) => a.name === source.source.abi)?.file;
    if (abiFile === undefined) throw new Error(`${source.name}: ABI ${source.source.abi} is not listed`);
    const abi = new Interface(JSON.parse(readFileSync(join(base, abiFile), "utf8")) as string[]);
    const handlers = new Map<string, EventHandlerBinding>();
    for (const { event, handler } of source.mapping.eventHandlers ?? []) {
      const canonical = canonicalSignature(event);
      const fragment = abi.getEvent(canonical);
      if (fragment === null) throw new Error(`${source.name}: event ${event} is not in its ABI`);
      handlers.set(keccakText(canonical), { signature: event, handler, fragment });
    }
    dataSources.push({
      name: source.name,
      address,
      startBlock: deployed?.startBlock ?? source.source.startBlock ?? 0,
      module: modules.get(source.mapping.file)!,
      abi,
      handlers,
    });
  }
  return {
    schema: parseSubgraphSchema(schemaSource),
    schemaSource,
    network: deployment.network,
    dataSources,
  };
}
