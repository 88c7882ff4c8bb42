// Deploys the governance system on a running local chain with the project's deploy code and drives it.
// hardhat.config.ts reads CURIA_RPC_URL when imported, so `connectLocalChain` sets it before importing Hardhat.
import { parseEther } from "ethers";
import type { DeploymentRecord } from "@curia/protocol";

export const HOLDINGS = {
  alice: parseEther("17000000"),
  bob: parseEther("6000000"),
  carol: parseEther("4000000"),
} as const;

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
  const { LOCAL_DEFAULTS } = await import("../../../deploy/config.js");
  const { deployGovernance } = await import("../../../deploy/governance.js");
  const { writeDeployment } = await import("../../../deploy/deployments.js");
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
