import type { ValidationManager } from "../types/ethers-contracts/index.js";
import type { DeployContext } from "./context.js";
import type { CourtDeployment } from "./court.js";
import type { ContractName, WiringStep } from "./deployments.js";
import type { GovernanceDeployment } from "./governance.js";
import type { MarketplaceDeployment } from "./marketplace.js";
import type { ValidationConfig } from "./validation-config.js";

export interface ValidationDeployment {
  validation: ValidationManager;
  /**
   * The governance actions still needed to wire the manager into the marketplace (the registry's validation role,
   * the registry's validator reward pool); empty once wired. On development chains (chain id 31337) they are
   * performed at deploy time by impersonating the timelock; elsewhere they must pass as a proposal.
   */
  validationPendingActions: { target: string; data: string }[];
}

const VALIDATION: ContractName = "ValidationManager";
const VALIDATION_ROLES: WiringStep = "validationRoles";
const DEV_CHAIN_ID = 31_337n;

/**
 * Deploys the ValidationManager (UUPS proxy) with the court's randomness source, then wires it into the marketplace:
 * the ListingRegistry's validation role (it writes qualities) and its validator reward pool (it receives the
 * validators' fee share). Both setters belong to the timelock; see {@link ValidationDeployment.validationPendingActions}.
 * Re-running reuses what exists and still serves this marketplace and court.
 */
export async function deployValidationWith(
  ctx: DeployContext,
  config: ValidationConfig,
  governance: GovernanceDeployment,
  marketplace: MarketplaceDeployment,
  court: CourtDeployment,
): Promise<ValidationDeployment> {
  const { ethers, record, log } = ctx;
  const [tokenAddress, timelockAddress, registryAddress, courtAddress, randomnessAddress] = await Promise.all([
    governance.token.getAddress(),
    governance.timelock.getAddress(),
    marketplace.registry.getAddress(),
    court.court.getAddress(),
    court.randomness.getAddress(),
  ]);

  let entry = record.contracts[VALIDATION];
  if (entry !== undefined && (await ethers.provider.getCode(entry.proxy)) === "0x") entry = undefined;
  if (entry !== undefined) {
    const existing = await ethers.getContractAt("ValidationManager", entry.proxy);
    const [token, registry] = await existing.addresses();
    if (token !== tokenAddress || registry !== registryAddress) {
      log(`ValidationManager at ${entry.proxy} serves another marketplace: redeploying`);
      delete record.contracts[VALIDATION];
      entry = undefined;
    }
  }
  if (entry === undefined) {
    entry = await ctx.deployProxy(VALIDATION, [
      tokenAddress,
      timelockAddress,
      registryAddress,
      courtAddress,
      randomnessAddress,
      config.params,
      config.evidenceBaseURI,
    ]);
  } else log(`ValidationManager reused at ${entry.proxy}`);
  const validation = await ethers.getContractAt("ValidationManager", entry.proxy);

  const pendingActions = await validationWiringActions(marketplace, entry.proxy);
  if (pendingActions.length > 0 && (await ethers.provider.getNetwork()).chainId === DEV_CHAIN_ID) {
    // Development chain only: act as the timelock, as a passed proposal would.
    const asTimelock = await ethers.getImpersonatedSigner(timelockAddress);
    await ethers.provider.send("hardhat_setBalance", [timelockAddress, "0xde0b6b3a7640000"]);
    for (const action of pendingActions) {
      await (await asTimelock.sendTransaction({ to: action.target, data: action.data })).wait();
    }
    await ethers.provider.send("hardhat_stopImpersonatingAccount", [timelockAddress]);
    pendingActions.length = 0;
  }
  if (pendingActions.length === 0) {
    record.wired[VALIDATION_ROLES] = true;
    ctx.persist();
    log("ValidationManager holds the registry's validation role and is its validator reward pool");
  } else {
    log(
      "ValidationManager roles need a governance proposal with these actions:\n" +
        pendingActions.map((a) => `  ${a.target} ${a.data}`).join("\n"),
    );
  }
  return { validation, validationPendingActions: pendingActions };
}

/** The timelock calls that remain to make `validation` the registry's validation role and validator reward pool. */
export async function validationWiringActions(
  marketplace: MarketplaceDeployment,
  validation: string,
): Promise<{ target: string; data: string }[]> {
  const { registry } = marketplace;
  const target = await registry.getAddress();
  const actions: { target: string; data: string }[] = [];
  const [, , role, , rewardPool] = await registry.addresses();
  if (role !== validation) {
    actions.push({ target, data: registry.interface.encodeFunctionData("setValidationRole", [validation]) });
  }
  if (rewardPool !== validation) {
    actions.push({ target, data: registry.interface.encodeFunctionData("setValidatorRewardPool", [validation]) });
  }
  return actions;
}
