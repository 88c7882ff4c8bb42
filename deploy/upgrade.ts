// Preparing an upgrade of one of Curia's UUPS proxies: deploy and validate the next implementation, then hand the DAO
// the one call its proposal makes (target = the proxy, `upgradeToAndCall(newImplementation, data)`). Nothing here
// upgrades: only a passed proposal, executed by the timelock, can (the proxies authorise their timelock alone).
// Two checks guard the storage: every committed release layout (deploy/storage-layouts/, what a release promised)
// and the upgrades plugin's own validation against the implementation live on the chain (its manifest in
// .openzeppelin/, committed for public chains).
import { upgrades } from "@openzeppelin/hardhat-upgrades";
import { Interface, isHexString } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { NetworkConnection } from "hardhat/types/network";
import type { ContractName, DeploymentRecord } from "./deployments.js";
import {
  compareLayouts,
  LAYOUTS_DIR,
  layoutOfArtifact,
  releases,
  type UpgradeableContract,
} from "./storage-layouts.js";

/** The Solidity contract behind each proxy of a deployment record (both stake pools are one StakePool). */
export const PROXIED: Partial<Record<ContractName, UpgradeableContract>> = {
  CuriaTimelock: "CuriaTimelock",
  CuriaToken: "CuriaToken",
  CuriaGovernor: "CuriaGovernor",
  ListingRegistry: "ListingRegistry",
  ListingChallenges: "ListingChallenges",
  CurationPool: "CurationPool",
  Court: "Court",
  JurorPool: "StakePool",
  ValidatorPool: "StakePool",
  ValidationManager: "ValidationManager",
};

const UPGRADE_ABI = new Interface(["function upgradeToAndCall(address newImplementation, bytes data) payable"]);

export interface PrepareUpgradeOptions {
  hre: HardhatRuntimeEnvironment;
  connection: NetworkConnection;
  record: DeploymentRecord;
  /** The proxy to upgrade, by its name in the record. */
  contract: ContractName;
  /** The next implementation's Solidity contract name (default: the proxy's current contract, rebuilt). */
  implementation?: string;
  /** Calldata the proxy runs on the new implementation right after the upgrade (a reinitializer), "0x" for none. */
  call?: string;
  /** Where the released storage layouts are (deploy/storage-layouts). */
  layoutsDir?: string;
  log?: (message: string) => void;
}

export interface PreparedUpgrade {
  contract: ContractName;
  implementationContract: string;
  proxy: string;
  currentImplementation: string;
  newImplementation: string;
  call: string;
  /** The governance proposal's one action. */
  action: { target: string; value: string; calldata: string };
  /** The releases whose storage layout the new implementation was checked against. */
  checkedReleases: string[];
}

/** Deploys (or finds, when the same bytecode is already deployed) and validates `implementation` for `contract`. */
export async function prepareUpgrade(options: PrepareUpgradeOptions): Promise<PreparedUpgrade> {
  const { hre, connection, record, contract } = options;
  const log = options.log ?? (() => {});
  const source = PROXIED[contract];
  if (source === undefined) throw new Error(`${contract} is not upgradeable: it is deployed without a proxy`);
  const entry = record.contracts[contract];
  if (entry === undefined) throw new Error(`the deployment record of ${record.network} has no ${contract}`);
  const implementation = options.implementation ?? source;
  const call = options.call ?? "0x";
  if (!isHexString(call) || call.length % 2 !== 0) throw new Error(`--call ${call} is not hex calldata (0x…)`);

  // 1. The storage every release promised: refused here before anything is sent.
  const artifact = await hre.artifacts.readArtifact(implementation).catch((error: Error) => {
    throw new Error(`no built contract ${implementation} (${error.message}); run \`npx hardhat build\``);
  });
  const layout = layoutOfArtifact(artifact);
  const checkedReleases: string[] = [];
  for (const release of releases(options.layoutsDir ?? LAYOUTS_DIR)) {
    const released = release.contracts[source];
    if (released === undefined) continue;
    const { ok, explanation } = compareLayouts(released, layout);
    if (!ok) {
      throw new Error(
        `${implementation} cannot replace ${contract}: its storage layout breaks release ${release.release} ` +
          `(deploy/storage-layouts/${release.release}.json keeps ${source}'s variables where they are):\n${explanation}`,
      );
    }
    checkedReleases.push(release.release);
  }
  log(`storage layout of ${implementation} keeps ${source}'s of release(s) ${checkedReleases.join(", ") || "none"}`);

  // 2. The upgrades plugin: UUPS safety of the new code and its layout against the implementation on the chain.
  const [deployer] = await connection.ethers.getSigners();
  if (deployer === undefined) throw new Error(`network ${connection.networkName} has no deployer account configured`);
  const factory = await connection.ethers.getContractFactory(implementation, deployer);
  const upgradesApi = await upgrades(hre, connection);
  let prepared: unknown;
  try {
    prepared = await upgradesApi.prepareUpgrade(entry.proxy, factory, { kind: "uups" });
  } catch (error) {
    const message = (error as Error).message;
    const hint = /is not registered/.test(message)
      ? `\nThe upgrades plugin's manifest (.openzeppelin/) does not know this proxy: commit the manifest the ` +
        `deployment wrote, or register the proxy with upgrades.forceImport.`
      : "";
    throw new Error(
      `the upgrades plugin refused ${implementation} for ${contract} at ${entry.proxy}:\n${message}${hint}`,
    );
  }
  if (typeof prepared !== "string") throw new Error("the upgrades plugin returned a transaction, not an address");
  const newImplementation = connection.ethers.getAddress(prepared);
  const currentImplementation = await upgradesApi.erc1967.getImplementationAddress(entry.proxy);
  if (newImplementation === connection.ethers.getAddress(currentImplementation)) {
    throw new Error(`${contract} at ${entry.proxy} already runs this code (${newImplementation}): nothing to upgrade`);
  }
  log(`${implementation} implementation at ${newImplementation}`);
  return {
    contract,
    implementationContract: implementation,
    proxy: entry.proxy,
    currentImplementation,
    newImplementation,
    call,
    action: {
      target: entry.proxy,
      value: "0",
      calldata: UPGRADE_ABI.encodeFunctionData("upgradeToAndCall", [newImplementation, call]),
    },
    checkedReleases,
  };
}

export interface UpgradeArgs {
  network: string;
  contract: ContractName;
  implementation?: string;
  call?: string;
  deployment?: string;
  json: boolean;
}

/** The command line of `npm run prepare-upgrade`; throws a message naming the bad option. */
export function parseUpgradeArgs(
  values: Partial<Record<"network" | "contract" | "implementation" | "call" | "deployment", string>> & {
    json?: boolean;
  },
): UpgradeArgs {
  if (values.contract === undefined) {
    throw new Error(`--contract is required: one of ${Object.keys(PROXIED).join(", ")}`);
  }
  if (!(values.contract in PROXIED)) {
    throw new Error(
      `--contract ${values.contract} is not an upgradeable contract: one of ${Object.keys(PROXIED).join(", ")}`,
    );
  }
  if (values.call !== undefined && (!isHexString(values.call) || values.call.length % 2 !== 0)) {
    throw new Error(`--call ${values.call} is not hex calldata (0x…)`);
  }
  return {
    network: values.network ?? "localhost",
    contract: values.contract as ContractName,
    ...(values.implementation === undefined ? {} : { implementation: values.implementation }),
    ...(values.call === undefined ? {} : { call: values.call }),
    ...(values.deployment === undefined ? {} : { deployment: values.deployment }),
    json: values.json ?? false,
  };
}

/** What `npm run prepare-upgrade` prints: the proposal's action and how to propose it. */
export function describeUpgrade(prepared: PreparedUpgrade, network: string, chainId: number): string {
  const { action } = prepared;
  return [
    `Prepared an upgrade of ${prepared.contract} on ${network} (chain ${chainId})`,
    `  proxy                   ${prepared.proxy}`,
    `  current implementation  ${prepared.currentImplementation}`,
    `  new implementation      ${prepared.newImplementation} (${prepared.implementationContract})`,
    `  initialisation call     ${prepared.call}`,
    `  checked against         the upgrades plugin's manifest and released layouts ${prepared.checkedReleases.join(", ") || "(none)"}`,
    ``,
    `Governance proposal, one action:`,
    `  target    ${action.target}`,
    `  value     ${action.value}`,
    `  calldata  ${action.calldata}`,
    ``,
    `Propose it:`,
    `  - web app: Governance → New proposal → "Upgrade a contract": contract ${prepared.contract}, implementation`,
    `    ${prepared.newImplementation}, initialisation calldata ${prepared.call === "0x" ? "(leave empty)" : prepared.call}`,
    `  - or any Governor client: propose([${action.target}], [0], [${action.calldata}], "<description>")`,
    `Verify the new implementation first, so voters can read it:`,
    `  npx hardhat verify --network ${network} ${prepared.newImplementation}`,
  ].join("\n");
}
