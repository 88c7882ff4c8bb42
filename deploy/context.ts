import { upgrades, type HardhatUpgrades } from "@openzeppelin/hardhat-upgrades";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { NetworkConnection } from "hardhat/types/network";
import type { ContractName, DeployedContract, DeploymentRecord } from "./deployments.js";

/** A call the timelock still has to make (through a passed proposal on a public chain). */
export interface TimelockAction {
  target: string;
  data: string;
}

const DEV_CHAIN_ID = 31_337n;

/** Contracts in deployment order: each one may depend on those before it. */
export const DEPLOY_ORDER: ContractName[] = [
  "CuriaTimelock",
  "CuriaToken",
  "CuriaGovernor",
  "ListingRegistry",
  "CurationPool",
  "CourtRandomness",
  "JurorPool",
  "Court",
  "ListingChallenges",
  "ValidatorPool",
  "ValidationManager",
  "CuriaLens",
  "CanaryAudits",
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

  /** Deploys `contract` behind a UUPS proxy, initialised with `args`, and records it as `name`. */
  async deployProxy(name: ContractName, args: unknown[], contract: string = name): Promise<DeployedContract> {
    const { ethers } = this.connection;
    const factory = await ethers.getContractFactory(contract, this.deployer);
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

  /** Deploys `contract` without a proxy (a stateless contract: the randomness source, the lens) and records it. */
  async deployPlain(name: ContractName, contract: string, args: unknown[]): Promise<DeployedContract> {
    const { ethers } = this.connection;
    const factory = await ethers.getContractFactory(contract, this.deployer);
    const deployed = await factory.deploy(...args);
    await deployed.waitForDeployment();
    const receipt = await deployed.deploymentTransaction()?.wait();
    const address = await deployed.getAddress();
    const entry: DeployedContract = {
      proxy: address,
      implementation: address,
      startBlock: receipt?.blockNumber ?? (await ethers.provider.getBlockNumber()),
    };
    this.record.contracts[name] = entry;
    this.persist();
    this.log(`${contract} deployed at ${address} as ${name} (block ${entry.startBlock})`);
    return entry;
  }

  /** Runs `actions` as the timelock on a development chain (as a passed proposal would) and empties the list;
   * elsewhere leaves them for a governance proposal. Returns whether nothing remains to do. */
  async actAsTimelockOnDevChain(timelock: string, actions: TimelockAction[]): Promise<boolean> {
    const { ethers } = this.connection;
    if (actions.length > 0 && (await ethers.provider.getNetwork()).chainId === DEV_CHAIN_ID) {
      const asTimelock = await ethers.getImpersonatedSigner(timelock);
      await ethers.provider.send("hardhat_setBalance", [timelock, "0xde0b6b3a7640000"]);
      for (const action of actions) {
        await (await asTimelock.sendTransaction({ to: action.target, data: action.data })).wait();
      }
      await ethers.provider.send("hardhat_stopImpersonatingAccount", [timelock]);
      actions.length = 0;
    }
    return actions.length === 0;
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
