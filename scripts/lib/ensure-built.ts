// Builds what a benchmark needs, and only when it is missing or out of date, so that every `npm run bench:*` works on
// a fresh clone (it used to stop at "Artifact for contract CuriaTimelock not found") and costs nothing when the build
// is current.
//
//   tsx scripts/lib/ensure-built.ts [contracts] [subgraph]      (no target: contracts)
//
// contracts: `hardhat build` (artifacts/, the typed bindings in types/ethers-contracts) and the protocol package's
//            generated ABIs and enums (node protocol/scripts/generate.mjs).
// subgraph:  the above, then `npm run build -w subgraph` (subgraph/build, which the indexer runs).
//
// "Out of date" is judged by content, not by time: a hash of each target's inputs is stamped in
// cache/curia-ensure-built.json (cache/ is Hardhat's: `hardhat clean` forgets the stamp with the artifacts) after a
// build that succeeded. A missing output, a changed input or a missing stamp builds again.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

export type Target = "contracts" | "subgraph";
export const TARGETS: readonly Target[] = ["contracts", "subgraph"];

interface TargetSpec {
  /** Files and folders (walked) whose content the build depends on, relative to the repository root. */
  inputs: string[];
  /** Files the build writes: any of them missing means it has to run. */
  outputs: string[];
  /** Targets built first. */
  after: Target[];
}

export const SPECS: Record<Target, TargetSpec> = {
  contracts: {
    inputs: ["contracts", "hardhat.config.ts", "package-lock.json", "protocol/scripts/generate.mjs"],
    outputs: ["artifacts/build-info", "types/ethers-contracts/index.ts", "protocol/src/generated/abis.ts"],
    after: [],
  },
  subgraph: {
    inputs: [
      "subgraph/src",
      "subgraph/schema.graphql",
      "subgraph/subgraph.template.yaml",
      "subgraph/scripts",
      "subgraph/package.json",
    ],
    outputs: ["subgraph/build/subgraph.yaml"],
    after: ["contracts"],
  },
};

export const STAMP = join("cache", "curia-ensure-built.json");

function filesUnder(root: string, path: string): string[] {
  const full = join(root, path);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full)
    .sort()
    .flatMap((entry) => filesUnder(root, join(path, entry)));
}

/** A hash of the target's inputs (paths and contents) and of the targets it is built after. */
export function inputsHash(root: string, target: Target): string {
  const hash = createHash("sha256");
  for (const before of SPECS[target].after) hash.update(`after ${before} ${inputsHash(root, before)}\n`);
  for (const input of SPECS[target].inputs) {
    for (const file of filesUnder(root, input)) {
      hash.update(`${file.split(sep).join("/")}\n`);
      hash.update(readFileSync(join(root, file)));
    }
  }
  return hash.digest("hex");
}

function readStamp(root: string): Partial<Record<Target, string>> {
  try {
    return JSON.parse(readFileSync(join(root, STAMP), "utf8")) as Partial<Record<Target, string>>;
  } catch {
    return {};
  }
}

/** Records that the target was just built from its current inputs. */
export function writeStamp(root: string, target: Target): void {
  const stamp = { ...readStamp(root), [target]: inputsHash(root, target) };
  mkdirSync(dirname(join(root, STAMP)), { recursive: true });
  writeFileSync(join(root, STAMP), JSON.stringify(stamp, null, 2) + "\n");
}

/** Why the target has to be built, or undefined when its outputs exist and its inputs match the stamp. */
export function staleBecause(root: string, target: Target): string | undefined {
  const missing = SPECS[target].outputs.find((output) => !existsSync(join(root, output)));
  if (missing !== undefined) return `${missing} is missing`;
  const stamped = readStamp(root)[target];
  if (stamped === undefined) return "no build of it is stamped";
  if (stamped !== inputsHash(root, target)) return "its sources changed since the last build";
  return undefined;
}

function run(root: string, command: string, args: string[]): void {
  const shown = [command, ...args].map((a) => (a.startsWith(root) ? relative(root, a) : a));
  console.log(`[ensure-built] ${shown.join(" ")}`);
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`[ensure-built] failed (exit ${result.status ?? result.signal}): ${[command, ...args].join(" ")}`);
    process.exit(result.status ?? 1);
  }
}

function build(root: string, target: Target): void {
  // process.execPath: the Node running this script (npm's scripts run the project's Node 22 from node_modules/.bin).
  if (target === "contracts") {
    const hardhat = JSON.parse(readFileSync(join(root, "node_modules", "hardhat", "package.json"), "utf8")) as {
      bin: Record<string, string>;
    };
    run(root, process.execPath, [join(root, "node_modules", "hardhat", hardhat.bin.hardhat!), "build", "--quiet"]);
    run(root, process.execPath, [join(root, "protocol", "scripts", "generate.mjs")]);
  } else {
    // npm sets npm_execpath to its CLI when it runs a script; by hand, the npm on PATH.
    const npm = process.env.npm_execpath;
    if (npm !== undefined && existsSync(npm)) run(root, process.execPath, [npm, "run", "build", "-w", "subgraph"]);
    else run(root, "npm", ["run", "build", "-w", "subgraph"]);
  }
}

/** Builds each target (and what it is built after) that is missing or stale; returns the targets it built. */
export function ensureBuilt(root: string, targets: readonly Target[]): Target[] {
  const built: Target[] = [];
  const visit = (target: Target) => {
    for (const before of SPECS[target].after) visit(before);
    if (built.includes(target)) return;
    const reason = staleBecause(root, target);
    if (reason === undefined) return;
    console.log(`[ensure-built] building ${target}: ${reason}`);
    build(root, target);
    writeStamp(root, target);
    built.push(target);
  };
  for (const target of targets) visit(target);
  return built;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => !(TARGETS as readonly string[]).includes(a));
  if (unknown.length > 0) {
    console.error(`[ensure-built] unknown target ${unknown.join(", ")}: the targets are ${TARGETS.join(", ")}`);
    process.exit(2);
  }
  const built = ensureBuilt(root, args.length === 0 ? ["contracts"] : (args as Target[]));
  if (built.length === 0)
    console.log(`[ensure-built] up to date: ${args.length === 0 ? "contracts" : args.join(", ")}`);
}
