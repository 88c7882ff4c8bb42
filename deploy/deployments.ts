import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { DeploymentRecord } from "@curia/protocol";

// The record's types are protocol facts (every program reads the record): they live in @curia/protocol.
export type { ContractName, DeployedContract, DeploymentRecord, WiringStep } from "@curia/protocol";

export const DEPLOYMENTS_DIR =
  process.env.CURIA_DEPLOYMENTS_DIR ?? join(dirname(fileURLToPath(import.meta.url)), "..", "deployments");

export function deploymentPath(network: string, dir = DEPLOYMENTS_DIR): string {
  return join(dir, `${network}.json`);
}

export function readDeployment(network: string, dir = DEPLOYMENTS_DIR): DeploymentRecord | undefined {
  let text: string;
  try {
    text = readFileSync(deploymentPath(network, dir), "utf8");
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as DeploymentRecord;
  } catch (error) {
    throw new Error(
      `${deploymentPath(network, dir)} is not valid JSON (${(error as Error).message}); move it away to redeploy`,
    );
  }
}

/** Writes atomically (temp file + rename) so a crash never leaves a half-written record. */
export function writeDeployment(record: DeploymentRecord, dir = DEPLOYMENTS_DIR): string {
  const path = deploymentPath(record.network, dir);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ ...record, updatedAt: new Date().toISOString() }, null, 2) + "\n");
  renameSync(tmp, path);
  return path;
}
