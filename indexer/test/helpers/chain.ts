// A real local chain for the indexer's tests: `hardhat node` on a free port, the governance system deployed on it by
// the project's own deploy code, and a GovernanceHelper-style driver for proposals.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { findFreePort, jsonRpc } from "../../../scripts/lib/net.js";

export const REPO_ROOT = resolve(fileURLToPath(import.meta.url), "..", "..", "..", "..");

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

/** Starts `hardhat node` on a free port and waits until it answers JSON-RPC. */
export async function startHardhatNode(): Promise<LocalChain> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    [join(REPO_ROOT, "node_modules", "hardhat", "dist", "src", "cli.js"), "node", "--port", String(port)],
    { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, FORCE_COLOR: "0" } },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  child.stderr?.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  const deadline = Date.now() + 60_000;
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

export function temporaryDirectory(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

let shared: Promise<LocalChain> | undefined;

/**
 * One `hardhat node` for the whole test run: hardhat.config.ts reads CURIA_RPC_URL once, when Hardhat is first
 * imported, so every test file must talk to the same node. Each file deploys its own system on it.
 */
export function sharedHardhatNode(): Promise<LocalChain> {
  if (shared === undefined) {
    shared = startHardhatNode();
    void shared.then((chain) => process.once("exit", () => chain.process.kill("SIGKILL")));
  }
  return shared;
}
