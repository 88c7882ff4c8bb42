// Storage layouts of released implementations, committed under deploy/storage-layouts/<release>.json, and the check
// that a later implementation only appends to them. The layouts come from the OpenZeppelin upgrades plugin's
// validations (cache/validations.json, written by `hardhat build`), found by each artifact's bytecode, so they are
// exactly what `upgrades.upgradeProxy` would compare; the check is the plugin's own (getStorageUpgradeReport).
//
// Release v2 is the first with a public deployment in view: from it on, storage is append-only. Snapshot a release
// with `npm run layouts:snapshot -- <release>`; `npm test` checks the current contracts against every release
// (test/deploy/storage-layouts.test.ts).
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  getStorageLayout,
  getStorageUpgradeReport,
  getVersion,
  type StorageLayout,
  type ValidationData,
  withValidationDefaults,
} from "@openzeppelin/upgrades-core";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const LAYOUTS_DIR = join(ROOT, "deploy", "storage-layouts");

/** Every contract deployed behind a UUPS proxy, by its source (contracts/…). */
export const UPGRADEABLE_CONTRACTS = {
  CuriaToken: "governance/CuriaToken.sol",
  CuriaGovernor: "governance/CuriaGovernor.sol",
  CuriaTimelock: "governance/CuriaTimelock.sol",
  ListingRegistry: "marketplace/ListingRegistry.sol",
  ListingChallenges: "marketplace/ListingChallenges.sol",
  CurationPool: "curation/CurationPool.sol",
  StakePool: "staking/StakePool.sol",
  Court: "court/Court.sol",
  ValidationManager: "validation/ValidationManager.sol",
  CanaryAudits: "validation/CanaryAudits.sol",
} as const;
export type UpgradeableContract = keyof typeof UPGRADEABLE_CONTRACTS;

export interface ReleaseLayouts {
  release: string;
  /** When the snapshot was taken, and of which commit (informational). */
  takenAt: string;
  contracts: Record<string, StorageLayout>;
}

function readValidationData(root: string): ValidationData {
  const path = join(root, "cache", "validations.json");
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`npx hardhat build\` first`);
  return JSON.parse(readFileSync(path, "utf8")) as ValidationData;
}

/** The storage layout of `name` as the current build compiles it. */
export function currentLayout(name: UpgradeableContract, root = ROOT, data = readValidationData(root)): StorageLayout {
  const artifactPath = join(root, "artifacts", "contracts", UPGRADEABLE_CONTRACTS[name], `${name}.json`);
  const artifact = JSON.parse(readFileSync(artifactPath, "utf8")) as { bytecode: string; deployedBytecode: string };
  return getStorageLayout(data, getVersion(artifact.bytecode, artifact.deployedBytecode));
}

/** The storage layout of any built contract (a next implementation), by its artifact's bytecode. */
export function layoutOfArtifact(
  artifact: { bytecode: string; deployedBytecode: string },
  root = ROOT,
  data = readValidationData(root),
): StorageLayout {
  return getStorageLayout(data, getVersion(artifact.bytecode, artifact.deployedBytecode));
}

export function currentLayouts(root = ROOT): Record<UpgradeableContract, StorageLayout> {
  const data = readValidationData(root);
  const out = {} as Record<UpgradeableContract, StorageLayout>;
  for (const name of Object.keys(UPGRADEABLE_CONTRACTS) as UpgradeableContract[]) {
    out[name] = currentLayout(name, root, data);
  }
  return out;
}

/** The releases with committed layouts, oldest first. */
export function releases(dir = LAYOUTS_DIR): ReleaseLayouts[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as ReleaseLayouts);
}

/** Whether `updated` keeps every variable of `original` where it was (appending is fine); the plugin's explanation. */
export function compareLayouts(original: StorageLayout, updated: StorageLayout): { ok: boolean; explanation: string } {
  const report = getStorageUpgradeReport(original, updated, withValidationDefaults({}));
  return { ok: report.ok, explanation: report.ok ? "" : report.explain(false) };
}

/** Writes the current layouts as release `release`; refuses to overwrite a committed release. */
export function snapshotRelease(release: string, dir = LAYOUTS_DIR): string {
  const path = join(dir, `${release}.json`);
  if (existsSync(path)) throw new Error(`${path} exists: a released layout is never rewritten`);
  const record: ReleaseLayouts = { release, takenAt: new Date().toISOString(), contracts: currentLayouts() };
  mkdirSync(dir, { recursive: true });
  writeFileSync(path, JSON.stringify(record, null, 2) + "\n");
  return path;
}
