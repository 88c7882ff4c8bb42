// A real local chain for the provider's tests: one `hardhat node` on a free port (the spawned curia-provider reaches
// it over JSON-RPC), the whole system deployed on it by the project's deploy code, a funded provider and consumer,
// and a helper that lists a model and activates the listing.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { MaxUint256, parseEther } from "ethers";
import type { DeploymentRecord } from "@curia/protocol";
import { findFreePort, waitForJsonRpc } from "../../../scripts/lib/net.js";

export const REPO_ROOT = resolve(fileURLToPath(import.meta.url), "..", "..", "..", "..");

/** Account indices on the node (Hardhat's test mnemonic). */
export const ACCOUNTS = { provider: 5, consumer: 7, stranger: 8 } as const;

export function temporaryDirectory(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

async function startHardhatNode(): Promise<{ url: string; process: ChildProcess }> {
  const port = await findFreePort("127.0.0.1");
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
    { cwd: REPO_ROOT, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, FORCE_COLOR: "0" } },
  );
  let errors = "";
  child.stderr?.on("data", (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-4000)));
  process.once("exit", () => child.kill("SIGKILL"));
  const deadline = Date.now() + 90_000;
  try {
    await waitForJsonRpc(url, () => child.exitCode === null && Date.now() < deadline);
  } catch (error) {
    child.kill("SIGKILL");
    throw new Error(`hardhat node did not start on ${url}: ${(error as Error).message}\n${errors}`);
  }
  return { url, process: child };
}

/** Deploys the system on a fresh node and writes its record into `dir`. */
export async function deploySystem(dir: string) {
  const chain = await startHardhatNode();
  // hardhat.config.ts reads it when Hardhat is first imported, below; a later test file of the same mocha process gets
  // the already imported config, so the URL of its own node is passed on connecting too.
  process.env.CURIA_RPC_URL = chain.url;
  const { default: hre } = await import("hardhat");
  const connection = await hre.network.connect({ network: "localhost", override: { url: chain.url } });
  const { LOCAL_CONFIG } = await import("../../../deploy/config.js");
  const { deployCuria } = await import("../../../deploy/system.js");
  const signers = await connection.ethers.getSigners();
  const signer = (i: number): HardhatEthersSigner => {
    const s = signers[i];
    if (s === undefined) throw new Error(`the node has no account #${i}`);
    return s;
  };
  let record: DeploymentRecord | undefined;
  const { token, registry } = await deployCuria({
    hre,
    connection,
    config: LOCAL_CONFIG,
    persist: (r) => {
      record = structuredClone(r);
    },
    log: () => {},
  });
  if (record === undefined) throw new Error("deployment wrote no record");
  const deploymentPath = join(dir, `${record.network}.json`);
  writeFileSync(deploymentPath, `${JSON.stringify(record, null, 2)}\n`);
  for (const i of [ACCOUNTS.provider, ACCOUNTS.consumer]) {
    await (await token.connect(signer(0)).transfer(signer(i).address, parseEther("200000"))).wait();
    await (await token.connect(signer(i)).approve(await registry.getAddress(), MaxUint256)).wait();
  }
  return {
    chain,
    connection,
    signer,
    registry,
    record: record as DeploymentRecord,
    deploymentPath,
    /** Lists a model and lets its application period pass; returns the listing id. */
    async createActiveListing(provider: HardhatEthersSigner, modelHash: string, metadataURI: string, endpoint: string) {
      const { minBond, applicationPeriod } = await registry.parameters();
      await (
        await registry.connect(provider).createListing(modelHash, metadataURI, endpoint, parseEther("0.5"), minBond)
      ).wait();
      const listingId = await registry.listingCount();
      await connection.networkHelpers.time.increase(Number(applicationPeriod) + 1);
      await (await registry.activate(listingId)).wait();
      return listingId;
    },
    async stop() {
      chain.process.kill("SIGTERM");
    },
  };
}

export type System = Awaited<ReturnType<typeof deploySystem>>;

/** Listing metadata naming the model file. */
export function metadataFor(name: string, modelPath: string): string {
  const json = JSON.stringify({ name, task: "mnist digit classification", modelURI: `file://${modelPath}` });
  return `data:application/json,${encodeURIComponent(json)}`;
}
