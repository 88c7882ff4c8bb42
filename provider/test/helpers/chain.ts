// A real local chain for the provider's tests: one `hardhat node` on a free port (the spawned curia-provider reaches
// it over JSON-RPC), the whole system deployed on it by the project's deploy code, a funded provider and consumer,
// and a helper that lists a model and activates the listing.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { MaxUint256, parseEther } from "ethers";
import type { DeploymentRecord } from "@curia/protocol";
import { startHardhatNode as startNode, type LocalChain } from "../../../scripts/drivers/local-chain.js";

export { REPO_ROOT, temporaryDirectory } from "../../../scripts/drivers/local-chain.js";

/** Account indices on the node (Hardhat's test mnemonic). */
export const ACCOUNTS = { provider: 5, consumer: 7, stranger: 8 } as const;

/** A node of the test file's own (each deploySystem starts one), killed when the process exits. */
async function startHardhatNode(): Promise<LocalChain> {
  const chain = await startNode({ startTimeoutMs: 90_000 });
  process.once("exit", () => chain.process.kill("SIGKILL"));
  return chain;
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
      const { applicationPeriod } = await registry.parameters();
      // The model's bond, not the minimum: an earlier test's challenge of the same model may still be pending.
      const bond = await registry.requiredBond(modelHash);
      await (
        await registry.connect(provider).createListing(modelHash, metadataURI, endpoint, parseEther("0.5"), bond)
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
