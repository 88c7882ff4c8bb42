// A real local chain for tests and benches: `hardhat node` on a free port, and the governance system deployed on it by
// the project's own deploy code with delegated holders. The indexer's tests and its bench use it.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseEther } from "ethers";
import type { DeploymentRecord } from "@curia/protocol";
import { findFreePort, jsonRpc } from "../lib/net.js";

export const REPO_ROOT = resolve(fileURLToPath(import.meta.url), "..", "..", "..");

/** A free port on loopback (the shared helper `npm start` uses). */
export const freePort = (): Promise<number> => findFreePort("127.0.0.1");

async function rpcReady(url: string): Promise<boolean> {
  return jsonRpc(url, "eth_chainId").then(
    () => true,
    () => false,
  );
}

export interface LocalChain {
  url: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface StartHardhatNodeOptions {
  /** How long the node may take to answer JSON-RPC before it is killed and the start fails (default 60 s). */
  startTimeoutMs?: number;
}

/** Starts `hardhat node` on a free port and waits until it answers JSON-RPC. */
export async function startHardhatNode(options: StartHardhatNodeOptions = {}): Promise<LocalChain> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    [
      // The node keeps idle connections open until the client closes them: see scripts/lib/keep-idle-connections.mjs.
      "--import",
      pathToFileURL(join(REPO_ROOT, "scripts", "lib", "keep-idle-connections.mjs")).href,
      join(REPO_ROOT, "node_modules", "hardhat", "dist", "src", "cli.js"),
      "node",
      "--port",
      String(port),
    ],
    { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, FORCE_COLOR: "0" } },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  child.stderr?.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  while (!(await rpcReady(url))) {
    if (child.exitCode !== null) throw new Error(`hardhat node exited: ${output}`);
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`hardhat node did not start on ${url}: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    port,
    process: child,
    stop: () =>
      new Promise<void>((resolveStop) => {
        if (child.exitCode !== null) return resolveStop();
        child.once("exit", () => resolveStop());
        child.kill("SIGTERM");
      }),
  };
}

let shared: Promise<LocalChain> | undefined;

/**
 * One `hardhat node` for a whole test run, killed when the process exits: hardhat.config.ts reads CURIA_RPC_URL once,
 * when Hardhat is first imported, so every test file of a mocha process must talk to the same node. The first call's
 * options start it.
 */
export function sharedHardhatNode(options: StartHardhatNodeOptions = {}): Promise<LocalChain> {
  if (shared === undefined) {
    shared = startHardhatNode(options);
    void shared.then((chain) => process.once("exit", () => chain.process.kill("SIGKILL")));
  }
  return shared;
}

export function temporaryDirectory(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export const HOLDINGS = {
  alice: parseEther("17000000"),
  bob: parseEther("6000000"),
  carol: parseEther("4000000"),
} as const;

/** Hardhat connected to the node at `url` (hardhat.config.ts reads CURIA_RPC_URL when imported: set it first). */
export async function connectLocalChain(url: string) {
  process.env.CURIA_RPC_URL = url;
  const { default: hre } = await import("hardhat");
  const connection = await hre.network.connect({ network: "localhost" });
  return { hre, connection };
}

export type Connection = Awaited<ReturnType<typeof connectLocalChain>>["connection"];

/** Deploys token, governor and timelock, hands out CUR and lets holders self-delegate (as the root test fixture). */
export async function deploySystem(url: string, deploymentsDir: string) {
  const { hre, connection } = await connectLocalChain(url);
  const { LOCAL_DEFAULTS } = await import("../../deploy/config.js");
  const { deployGovernance } = await import("../../deploy/governance.js");
  const { writeDeployment } = await import("../../deploy/deployments.js");
  const { ethers } = connection;
  const [deployer, alice, bob, carol, dave] = await ethers.getSigners();
  if (deployer === undefined || alice === undefined || bob === undefined || carol === undefined || dave === undefined) {
    throw new Error("the local chain needs at least 5 accounts");
  }
  let record: DeploymentRecord | undefined;
  const deployment = await deployGovernance({
    hre,
    connection,
    config: LOCAL_DEFAULTS,
    persist: (r) => {
      record = r;
      writeDeployment(r, deploymentsDir);
    },
  });
  for (const [holder, amount] of [
    [alice, HOLDINGS.alice],
    [bob, HOLDINGS.bob],
    [carol, HOLDINGS.carol],
  ] as const) {
    await (await deployment.token.connect(deployer).transfer(holder.address, amount)).wait();
    await (await deployment.token.connect(holder).delegate(holder.address)).wait();
  }
  if (record === undefined) throw new Error("deployment wrote no record");
  return {
    ...deployment,
    connection,
    deployer,
    alice,
    bob,
    carol,
    dave,
    deploymentPath: `${deploymentsDir}/${record.network}.json`,
  };
}

export type DeployedSystem = Awaited<ReturnType<typeof deploySystem>>;
