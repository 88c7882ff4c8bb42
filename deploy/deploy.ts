// Deploys (or completes the deployment of) Curia's contracts on the network chosen with --network, and writes its
// record: deployments/<chain id>.json on a public chain, deployments/<network>.json on a development chain (see
// deploymentKey). Usage: npx hardhat run deploy/deploy.ts --network sepolia
import hre from "hardhat";
import { curiaConfigFor } from "./config.js";
import { deploymentKey, readDeployment, writeDeployment } from "./deployments.js";
import { deployCuria } from "./system.js";

const connection = await hre.network.create();
const network = connection.networkName;
const chainId = (await connection.ethers.provider.getNetwork()).chainId;
const { record } = await deployCuria({
  hre,
  connection,
  config: curiaConfigFor(network),
  previous: readDeployment(deploymentKey(network, chainId)),
  persist: (r) => writeDeployment(r, undefined),
  log: (m) => console.log(`[deploy] ${m}`),
});
console.log(`[deploy] wrote ${writeDeployment(record)}`);
await connection.close();
