// Deploys (or completes the deployment of) Curia's contracts on the network chosen with --network, and writes
// deployments/<network>.json. Usage: npx hardhat run deploy/deploy.ts --network localhost
import hre from "hardhat";
import { curiaConfigFor } from "./config.js";
import { readDeployment, writeDeployment } from "./deployments.js";
import { deployCuria } from "./system.js";

const connection = await hre.network.create();
const network = connection.networkName;
const { record } = await deployCuria({
  hre,
  connection,
  config: curiaConfigFor(network),
  previous: readDeployment(network),
  persist: (r) => writeDeployment(r, undefined),
  log: (m) => console.log(`[deploy] ${m}`),
});
console.log(`[deploy] wrote ${writeDeployment(record)}`);
await connection.close();
