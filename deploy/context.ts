import { upgrades, type HardhatUpgrades } from "@openzeppelin/hardhat-upgrades";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { NetworkConnection } from "hardhat/types/network";
import type { ContractName, DeployedContract, DeploymentRecord } from "./deployments.js";

/** Contracts in deployment order: each one may depend on those before it. */
export const DEPLOY_ORDER: ContractName[] = [
  "CuriaTimelock",
  "CuriaToken",
  "CuriaGovernor",
  "ListingRegistry",
  "CurationPool",
  "CourtRandomness",
  "Court",
  "ValidationManager",
];

export interface DeployOptions {
  hre: HardhatRuntimeEnvironment;
  connection: NetworkConnection;
  /** A previous record for this network: contracts still live on this chain are reused, not redeployed. */
  previous?: DeploymentRecord;
  /** Called after every step with the record so far, so a crash mid-way loses nothing. */
  persist?: (record: DeploymentRecord) => void;
  log?: (message: string) => void;
}

/** What every deployment step shares: the chain, the deployer, the upgrades plugin and the record being written. */
export class DeployContext {
  private constructor(
    readonly connection: NetworkConnection,
    readonly upgradesApi: HardhatUpgrades,
    readonly deployer: HardhatEthersSigner,
    readonly record: DeploymentRecord,
    readonly log: (message: string) => void,
    private readonly persistRecord: (record: DeploymentRecord) => void,
  ) {}

  static async create(options: DeployOptions): Promise<DeployContext> {
    const { connection } = options;
    const { ethers } = connection;
    const [deployer] = await ethers.getSigners();
    if (deployer === undefined) throw new Error(`network ${connection.networkName} has no deployer account configured`);
    const chainId = Number((await ethers.provider.getNetwork()).chainId);
    const record = await reusableRecord(connection, options.previous, chainId);
    record.network = connection.networkName;
    record.deployer = deployer.address;
    return new DeployContext(
      connection,
      await upgrades(options.hre, connection),
      deployer,
      record,
      options.log ?? (() => {}),
      options.persist ?? (() => {}),
    );
  }

  get ethers() {
    return this.connection.ethers;
  }

  persist(): void {
    this.persistRecord(this.record);
  }

  /** Deploys `name` behind a UUPS proxy, initialised with `args`, and records it. */
  async deployProxy(name: ContractName, args: unknown[]): Promise<DeployedContract> {
    const { ethers } = this.connection;
    const factory = await ethers.getContractFactory(name, this.deployer);
    const proxy = await this.upgradesApi.deployProxy(factory, args, { kind: "uups" });
    await proxy.waitForDeployment();
    const receipt = await proxy.deploymentTransaction()?.wait();
    const proxyAddress = await proxy.getAddress();
    const entry: DeployedContract = {
      proxy: proxyAddress,
      implementation: await this.upgradesApi.erc1967.getImplementationAddress(proxyAddress),
      startBlock: receipt?.blockNumber ?? (await ethers.provider.getBlockNumber()),
    };
    this.record.contracts[name] = entry;
    this.persist();
    this.log(`${name} deployed at ${entry.proxy} (implementation ${entry.implementation}, block ${entry.startBlock})`);
    return entry;
  }

  /** Forgets `name` and everything deployed after it, which depended on it. */
  forgetFrom(name: ContractName): void {
    for (const later of DEPLOY_ORDER.slice(DEPLOY_ORDER.indexOf(name))) delete this.record.contracts[later];
    this.record.wired = {};
  }
}

async function hasCode(connection: NetworkConnection, address: string): Promise<boolean> {
  return (await connection.ethers.provider.getCode(address)) !== "0x";
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
    wired: {},
  };
  if (previous === undefined || previous.chainId !== chainId) return fresh;
  let complete = true;
  for (const name of DEPLOY_ORDER) {
    const entry = previous.contracts[name];
    // A missing link breaks the ones after it (token → timelock, governor → both, …): stop at the first gap.
    if (entry === undefined || !(await hasCode(connection, entry.proxy))) {
      complete = false;
      break;
    }
    fresh.contracts[name] = entry;
  }
  // Wiring flags are kept only where every contract they concern was kept; deploy steps re-check on-chain anyway.
  fresh.wired = complete ? { ...previous.wired } : {};
  return fresh;
}
