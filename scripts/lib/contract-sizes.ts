// Deployed bytecode sizes of Curia's production contracts, read from Hardhat's artifacts (run `npx hardhat build`
// first). Production means every deployable contract under contracts/ except contracts/test/: interfaces, libraries
// inlined at compile time and abstract contracts have no runtime code and are left out. One place for the rule, used by
// the size gate (test/build/sizes.test.ts) and the size bench (npm run bench:sizes).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";

/** EIP-170: the largest runtime bytecode a chain accepts. */
export const EIP170_LIMIT = 24_576;
/** EIP-3860: the largest init code. */
export const EIP3860_LIMIT = 49_152;
/** The gate `npm test` enforces: every production contract keeps at least this much of EIP-170 free. */
export const GATE_HEADROOM = 2_048;
/** What issue 15 asks of the v2 contracts: at least 3 KiB free. */
export const TARGET_HEADROOM = 3_072;

export interface ContractSize {
  name: string;
  /** Its source, relative to the repository root. */
  source: string;
  /** Deployed (runtime) bytecode, in bytes. */
  runtime: number;
  /** Creation bytecode, in bytes. */
  init: number;
  /** EIP170_LIMIT − runtime. */
  headroom: number;
}

function artifactFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) files.push(...artifactFiles(path));
    else if (entry.endsWith(".json") && !entry.endsWith(".dbg.json") && entry !== "artifacts.json") files.push(path);
  }
  return files;
}

const bytes = (hex: string | undefined) => (hex === undefined || hex === "0x" ? 0 : (hex.length - 2) / 2);

export function productionContractSizes(root: string): ContractSize[] {
  const dir = join(root, "artifacts", "contracts");
  const sizes: ContractSize[] = [];
  for (const file of artifactFiles(dir)) {
    const rel = relative(dir, file);
    if (rel.split(sep)[0] === "test") continue;
    const artifact = JSON.parse(readFileSync(file, "utf8")) as {
      contractName?: string;
      sourceName?: string;
      abi?: { type: string }[];
      bytecode?: string;
      deployedBytecode?: string;
    };
    if (artifact.contractName === undefined || artifact.sourceName === undefined) continue;
    const runtime = bytes(artifact.deployedBytecode);
    // A library of internal functions compiles to a stub with no function in its ABI: it is inlined, never deployed.
    if (runtime === 0 || !(artifact.abi ?? []).some((item) => item.type === "function")) continue;
    sizes.push({
      name: artifact.contractName,
      source: artifact.sourceName,
      runtime,
      init: bytes(artifact.bytecode),
      headroom: EIP170_LIMIT - runtime,
    });
  }
  if (sizes.length === 0) throw new Error(`no contract artifacts under ${dir}: run \`npx hardhat build\` first`);
  return sizes.sort((a, b) => b.runtime - a.runtime);
}

/** The contracts within `GATE_HEADROOM` of the limit: what the gate refuses. */
export function overTheGate(sizes: readonly ContractSize[]): ContractSize[] {
  return sizes.filter((s) => s.runtime > EIP170_LIMIT - GATE_HEADROOM);
}
