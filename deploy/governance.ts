import { upgrades } from "@openzeppelin/hardhat-upgrades";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { NetworkConnection } from "hardhat/types/network";
import type { CuriaGovernor, CuriaTimelock, CuriaToken } from "../types/ethers-contracts/index.js";
import type { AllocationTarget, GovernanceConfig } from "./config.js";
import type { ContractName, DeployedContract, DeploymentRecord } from "./deployments.js";

export interface GovernanceDeployment {
  record: DeploymentRecord;
  timelock: CuriaTimelock;
  token: CuriaToken;
  governor: CuriaGovernor;
}

export interface DeployGovernanceOptions {
  hre: HardhatRuntimeEnvironment;
  connection: NetworkConnection;
  config: GovernanceConfig;
  /** A previous record for this network: contracts still live on this chain are reused, not redeployed. */
  previous?: DeploymentRecord;
  /** Called after every step with the record so far, so a crash mid-way loses nothing. */
  persist?: (record: DeploymentRecord) => void;
  log?: (message: string) => void;
}

/**
 * Deploys CuriaTimelock, CuriaToken and CuriaGovernor behind UUPS proxies, in that order, wires the timelock's roles
 * to the Governor and renounces the deployer's admin role. Re-running against the same chain reuses what exists
 * and only performs the missing steps.
 */
export async function deployGovernance(options: DeployGovernanceOptions): Promise<GovernanceDeployment> {
  const { hre, connection, config } = options;
  const log = options.log ?? (() => {});
  const persist = options.persist ?? (() => {});
  const { ethers } = connection;
  const upgradesApi = await upgrades(hre, connection);
  const [deployer] = await ethers.getSigners();
  if (deployer === undefined) throw new Error(`network ${connection.networkName} has no deployer account configured`);
  const chainId = Number((await ethers.provider.getNetwork()).chainId);

  const record = await reusableRecord(connection, options.previous, chainId);
  record.network = connection.networkName;
  record.deployer = deployer.address;

  async function deploy(name: ContractName, args: unknown[]): Promise<DeployedContract> {
    const factory = await ethers.getContractFactory(name, deployer);
    const proxy = await upgradesApi.deployProxy(factory, args, { kind: "uups" });
    await proxy.waitForDeployment();
    const receipt = await proxy.deploymentTransaction()?.wait();
    const proxyAddress = await proxy.getAddress();
    const entry: DeployedContract = {
      proxy: proxyAddress,
      implementation: await upgradesApi.erc1967.getImplementationAddress(proxyAddress),
      startBlock: receipt?.blockNumber ?? (await ethers.provider.getBlockNumber()),
    };
    record.contracts[name] = entry;
    persist(record);
    log(`${name} deployed at ${entry.proxy} (implementation ${entry.implementation}, block ${entry.startBlock})`);
    return entry;
  }

  // 1. Timelock, with the deployer as temporary admin so it can wire the Governor it does not know yet.
  let timelockEntry = record.contracts.CuriaTimelock;
  if (timelockEntry === undefined) {
    timelockEntry = await deploy("CuriaTimelock", [
      config.timelock.minDelay,
      [],
      [ethers.ZeroAddress],
      deployer.address,
    ]);
  } else log(`CuriaTimelock reused at ${timelockEntry.proxy}`);
  const timelock = await ethers.getContractAt("CuriaTimelock", timelockEntry.proxy);

  // 2. Token, owned by the timelock.
  let tokenEntry = record.contracts.CuriaToken;
  if (tokenEntry !== undefined && (await ownerOf(connection, tokenEntry.proxy)) !== timelockEntry.proxy.toLowerCase()) {
    log(`CuriaToken at ${tokenEntry.proxy} is not owned by this timelock: redeploying`);
    tokenEntry = undefined;
  }
  if (tokenEntry === undefined) {
    const allocations = config.allocations.map(({ to, amount }) => ({
      to: resolveTarget(to, timelockEntry.proxy, deployer.address),
      amount,
    }));
    tokenEntry = await deploy("CuriaToken", [
      config.token.name,
      config.token.symbol,
      config.token.cap,
      timelockEntry.proxy,
      allocations,
    ]);
  } else log(`CuriaToken reused at ${tokenEntry.proxy}`);
  const token = await ethers.getContractAt("CuriaToken", tokenEntry.proxy);

  // 3. Governor on that token and timelock.
  let governorEntry = record.contracts.CuriaGovernor;
  if (governorEntry !== undefined) {
    const existing = await ethers.getContractAt("CuriaGovernor", governorEntry.proxy);
    const [t, tl] = await Promise.all([existing.token(), existing.timelock()]);
    if (t !== tokenEntry.proxy || tl !== timelockEntry.proxy) {
      log(`CuriaGovernor at ${governorEntry.proxy} points at another token or timelock: redeploying`);
      governorEntry = undefined;
      record.wired = { governorRoles: false, deployerRenounced: false };
    }
  }
  if (governorEntry === undefined) {
    const latest = await ethers.provider.getBlock("latest");
    const now = latest?.timestamp ?? Math.floor(Date.now() / 1000);
    const g = config.governor;
    const guardian =
      g.guardian === "none" ? ethers.ZeroAddress : g.guardian === "deployer" ? deployer.address : g.guardian;
    governorEntry = await deploy("CuriaGovernor", [
      tokenEntry.proxy,
      timelockEntry.proxy,
      {
        name: g.name,
        votingDelay: g.votingDelay,
        votingPeriod: g.votingPeriod,
        proposalThreshold: g.proposalThreshold,
        quorumNumerator: g.quorumPercent,
        lateQuorumVoteExtension: g.lateQuorumVoteExtension,
        proposalGuardian: guardian,
        guardianTermEnd: guardian === ethers.ZeroAddress ? 0 : now + g.guardianTermSeconds,
      },
    ]);
  } else log(`CuriaGovernor reused at ${governorEntry.proxy}`);
  const governor = await ethers.getContractAt("CuriaGovernor", governorEntry.proxy);

  // 4. The Governor becomes the timelock's only proposer and canceller.
  const [proposerRole, cancellerRole, adminRole] = await Promise.all([
    timelock.PROPOSER_ROLE(),
    timelock.CANCELLER_ROLE(),
    timelock.DEFAULT_ADMIN_ROLE(),
  ]);
  for (const role of [proposerRole, cancellerRole]) {
    if (!(await timelock.hasRole(role, governorEntry.proxy))) {
      if (!(await timelock.hasRole(adminRole, deployer.address))) {
        throw new Error(
          `cannot grant the Governor its timelock role: the deployer ${deployer.address} is no longer the timelock's admin; ` +
            `move deployments/${connection.networkName}.json away to deploy a fresh system`,
        );
      }
      await (await timelock.connect(deployer).grantRole(role, governorEntry.proxy)).wait();
    }
  }
  record.wired.governorRoles = true;
  persist(record);
  log("Timelock roles granted to the Governor (proposer, canceller); anyone may execute");

  // 5. No other admin remains: only the timelock administers itself.
  if (await timelock.hasRole(adminRole, deployer.address)) {
    await (await timelock.connect(deployer).renounceRole(adminRole, deployer.address)).wait();
  }
  record.wired.deployerRenounced = true;
  persist(record);
  log("Deployer renounced the timelock admin role");

  return { record, timelock, token, governor };
}

function resolveTarget(to: AllocationTarget, treasury: string, deployer: string): string {
  if (to === "treasury") return treasury;
  if (to === "deployer") return deployer;
  return to;
}

async function hasCode(connection: NetworkConnection, address: string): Promise<boolean> {
  return (await connection.ethers.provider.getCode(address)) !== "0x";
}

async function ownerOf(connection: NetworkConnection, tokenAddress: string): Promise<string> {
  const token = await connection.ethers.getContractAt("CuriaToken", tokenAddress);
  return (await token.owner()).toLowerCase();
}

/** Keeps the entries of a previous record that still have code on this chain; anything else starts afresh. */
async function reusableRecord(
  connection: NetworkConnection,
  previous: DeploymentRecord | undefined,
  chainId: number,
): Promise<DeploymentRecord> {
  const fresh: DeploymentRecord = {
    network: connection.networkName,
    chainId,
    deployer: "",
    updatedAt: "",
    contracts: {},
    wired: { governorRoles: false, deployerRenounced: false },
  };
  if (previous === undefined || previous.chainId !== chainId) return fresh;
  const order: ContractName[] = ["CuriaTimelock", "CuriaToken", "CuriaGovernor"];
  for (const name of order) {
    const entry = previous.contracts[name];
    // A missing link breaks the ones after it (token → timelock, governor → both): stop at the first gap.
    if (entry === undefined || !(await hasCode(connection, entry.proxy))) break;
    fresh.contracts[name] = entry;
  }
  if (fresh.contracts.CuriaGovernor !== undefined) fresh.wired = { ...previous.wired };
  return fresh;
}
