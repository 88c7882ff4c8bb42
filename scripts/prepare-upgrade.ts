// `npm run prepare-upgrade -- --network <name> --contract <Name> [--implementation <Contract>] [--call 0x…]
//  [--deployment <file>] [--json]`: builds, validates and deploys the next implementation of one of Curia's proxies
// (deploy/upgrade.ts) and prints the governance proposal that upgrades it. Sends one transaction (the implementation's
// deployment; none when that bytecode is already deployed) from CURIA_DEPLOYER_KEY; upgrades nothing itself.
import { parseArgs } from "node:util";
import { describeUpgrade, parseUpgradeArgs, prepareUpgrade } from "../deploy/upgrade.js";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      network: { type: "string" },
      contract: { type: "string" },
      implementation: { type: "string" },
      call: { type: "string" },
      deployment: { type: "string" },
      json: { type: "boolean" },
    },
  });
  const args = parseUpgradeArgs(values);
  const { default: hre } = await import("hardhat");
  const { deploymentKey, readDeployment } = await import("../deploy/deployments.js");
  const { loadDeployment } = await import("@curia/protocol/ethers");
  // The implementation is validated from this build's outputs (artifacts, cache/validations.json): make them current.
  await hre.tasks.getTask("build").run({ quiet: true, noTests: true });
  const connection = await hre.network.create({ network: args.network });
  try {
    const chainId = Number((await connection.ethers.provider.getNetwork()).chainId);
    const key = deploymentKey(args.network, chainId);
    const record = args.deployment === undefined ? readDeployment(key) : loadDeployment(args.deployment).record;
    if (record === undefined) throw new Error(`no deployment record deployments/${key}.json: deploy first`);
    if (record.chainId !== chainId) {
      throw new Error(`the deployment record is for chain ${record.chainId}, but ${args.network} is chain ${chainId}`);
    }
    const prepared = await prepareUpgrade({
      hre,
      connection,
      record,
      contract: args.contract,
      ...(args.implementation === undefined ? {} : { implementation: args.implementation }),
      ...(args.call === undefined ? {} : { call: args.call }),
      log: (m) => console.error(`[prepare-upgrade] ${m}`),
    });
    console.log(args.json ? JSON.stringify(prepared, null, 2) : describeUpgrade(prepared, args.network, chainId));
  } finally {
    await connection.close();
  }
}

try {
  await main();
} catch (error) {
  console.error(`prepare-upgrade: ${(error as Error).message}`);
  process.exit(1);
}
