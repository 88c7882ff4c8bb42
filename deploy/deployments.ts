import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { DeploymentRecord } from "@curia/protocol";
// The networks module itself, not the package index: it needs no build (the index re-exports generated ABIs).
import { isLocalChain } from "../protocol/src/networks.js";

// The record's types are protocol facts (every program reads the record): they live in @curia/protocol.
export type { ContractName, DeployedContract, DeploymentRecord, WiringStep } from "@curia/protocol";

export const DEPLOYMENTS_DIR =
  process.env.CURIA_DEPLOYMENTS_DIR ?? join(dirname(fileURLToPath(import.meta.url)), "..", "deployments");

/**
 * Which record a deployment on `network` (the Hardhat network's name) at chain `chainId` reads and writes: a public
 * chain's record is keyed by its chain id (deployments/11155111.json), so two Hardhat networks, or a network renamed,
 * never overwrite each other's record and everyone finds it by the chain; a development chain's keeps the network's
 * name (deployments/localhost.json for `npm start`, hardhat.json for the in-process chain), git-ignored.
 */
export function deploymentKey(network: string, chainId: number | bigint): string {
  return isLocalChain(chainId) ? network : String(chainId);
}

/** The record file of `key` (see deploymentKey). */
export function deploymentPath(key: string, dir = DEPLOYMENTS_DIR): string {
  return join(dir, `${key}.json`);
}

/** The record of `key` (see deploymentKey), or undefined when there is none yet. */
export function readDeployment(key: string, dir = DEPLOYMENTS_DIR): DeploymentRecord | undefined {
  let text: string;
  try {
    text = readFileSync(deploymentPath(key, dir), "utf8");
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as DeploymentRecord;
  } catch (error) {
    throw new Error(
      `${deploymentPath(key, dir)} is not valid JSON (${(error as Error).message}); move it away to redeploy`,
    );
  }
}

/** Writes atomically (temp file + rename) so a crash never leaves a half-written record. */
export function writeDeployment(record: DeploymentRecord, dir = DEPLOYMENTS_DIR): string {
  const path = deploymentPath(deploymentKey(record.network, record.chainId), dir);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ ...record, updatedAt: new Date().toISOString() }, null, 2) + "\n");
  renameSync(tmp, path);
  return path;
}
