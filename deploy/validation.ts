import type { CuriaLens, StakePool, ValidationManager } from "../types/ethers-contracts/index.js";
import type { DeployContext, TimelockAction } from "./context.js";
import { allowVrfRequester, handVrfToTimelock, type CourtDeployment } from "./court.js";
import type { ContractName, WiringStep } from "./deployments.js";
import type { GovernanceDeployment } from "./governance.js";
import type { MarketplaceDeployment } from "./marketplace.js";
import type { ValidationConfig } from "./validation-config.js";

export interface ValidationDeployment {
  validation: ValidationManager;
  validatorPool: StakePool;
  lens: CuriaLens;
  /**
   * The governance actions still needed to wire the manager into the marketplace (the registry's validation role,
   * the registry's validator reward pool); empty once wired. On development chains (chain id 31337) they are
   * performed at deploy time by impersonating the timelock; elsewhere they must pass as a proposal.
   */
  validationPendingActions: TimelockAction[];
}

const VALIDATOR_POOL: ContractName = "ValidatorPool";
const VALIDATION: ContractName = "ValidationManager";
const LENS: ContractName = "CuriaLens";
const VALIDATION_ROLES: WiringStep = "validationRoles";

/**
 * Deploys the validators' StakePool and the ValidationManager (UUPS proxies) with the court's randomness source and
 * the marketplace's ListingChallenges, binds the pool to the manager (deployer, once), wires the manager into the
 * marketplace (the registry's validation role and validator reward pool: timelock setters, see
 * {@link ValidationDeployment.validationPendingActions}), and deploys the read-only CuriaLens. Re-running reuses what
 * exists and still serves this marketplace and court.
 */
export async function deployValidationWith(
  ctx: DeployContext,
  config: ValidationConfig,
  governance: GovernanceDeployment,
  marketplace: MarketplaceDeployment,
  court: CourtDeployment,
): Promise<ValidationDeployment> {
  const { ethers, record, log, deployer } = ctx;
  const [tokenAddress, timelockAddress, registryAddress, challengesAddress, randomnessAddress, courtAddress] =
    await Promise.all([
      governance.token.getAddress(),
      governance.timelock.getAddress(),
      marketplace.registry.getAddress(),
      court.challenges.getAddress(),
      court.randomness.getAddress(),
      court.court.getAddress(),
    ]);

  let poolEntry = record.contracts[VALIDATOR_POOL];
  if (poolEntry !== undefined && (await ethers.provider.getCode(poolEntry.proxy)) === "0x") poolEntry = undefined;
  if (poolEntry !== undefined) {
    if ((await (await ethers.getContractAt("StakePool", poolEntry.proxy)).token()) !== tokenAddress) {
      log(`ValidatorPool at ${poolEntry.proxy} holds another token: redeploying`);
      ctx.forgetFrom(VALIDATOR_POOL);
      poolEntry = undefined;
    }
  }
  if (poolEntry === undefined) {
    poolEntry = await ctx.deployProxy(
      VALIDATOR_POOL,
      [tokenAddress, timelockAddress, config.validatorPool],
      "StakePool",
    );
  } else log(`ValidatorPool reused at ${poolEntry.proxy}`);
  const validatorPool = await ethers.getContractAt("StakePool", poolEntry.proxy);

  let entry = record.contracts[VALIDATION];
  if (entry !== undefined && (await ethers.provider.getCode(entry.proxy)) === "0x") entry = undefined;
  if (entry !== undefined) {
    const existing = await ethers.getContractAt("ValidationManager", entry.proxy);
    const [, registry] = await existing.addresses();
    if (
      registry !== registryAddress ||
      (await existing.validatorPool()) !== poolEntry.proxy ||
      (await existing.challenges()) !== challengesAddress
    ) {
      log(`ValidationManager at ${entry.proxy} serves another marketplace or pool: redeploying`);
      ctx.forgetFrom(VALIDATION);
      entry = undefined;
    }
  }
  if (entry === undefined) {
    entry = await ctx.deployProxy(VALIDATION, [
      timelockAddress,
      registryAddress,
      poolEntry.proxy,
      challengesAddress,
      randomnessAddress,
      config.params,
    ]);
  } else log(`ValidationManager reused at ${entry.proxy}`);
  const validation = await ethers.getContractAt("ValidationManager", entry.proxy);
  await allowVrfRequester(ctx, randomnessAddress, entry.proxy);
  await handVrfToTimelock(ctx, randomnessAddress, timelockAddress);

  const manager = await validatorPool.manager();
  if (manager === ethers.ZeroAddress) {
    await (await validatorPool.connect(deployer).setManager(entry.proxy)).wait();
    log("ValidatorPool managed by the ValidationManager");
  } else if (manager !== entry.proxy) {
    throw new Error(
      `ValidatorPool ${poolEntry.proxy} is managed by ${manager}, not the ValidationManager ${entry.proxy}: ` +
        "only a governance proposal can change it",
    );
  }

  const pendingActions = await validationWiringActions(marketplace, entry.proxy);
  if (await ctx.actAsTimelockOnDevChain(timelockAddress, pendingActions)) {
    record.wired[VALIDATION_ROLES] = true;
    ctx.persist();
    log("ValidationManager holds the registry's validation role and is its validator reward pool");
  } else {
    log(
      "ValidationManager roles need a governance proposal with these actions:\n" +
        pendingActions.map((a) => `  ${a.target} ${a.data}`).join("\n"),
    );
  }

  let lensEntry = record.contracts[LENS];
  if (lensEntry !== undefined && (await ethers.provider.getCode(lensEntry.proxy)) === "0x") lensEntry = undefined;
  if (lensEntry !== undefined) {
    const existing = await ethers.getContractAt("CuriaLens", lensEntry.proxy);
    if ((await existing.court()) !== courtAddress || (await existing.validation()) !== entry.proxy) {
      lensEntry = undefined;
    }
  }
  if (lensEntry === undefined) {
    lensEntry = await ctx.deployPlain(LENS, "CuriaLens", [courtAddress, entry.proxy, registryAddress]);
  } else log(`CuriaLens reused at ${lensEntry.proxy}`);
  const lens = await ethers.getContractAt("CuriaLens", lensEntry.proxy);
  return { validation, validatorPool, lens, validationPendingActions: pendingActions };
}

/** The timelock calls that remain to make `validation` the registry's validation role and validator reward pool. */
export async function validationWiringActions(
  marketplace: MarketplaceDeployment,
  validation: string,
): Promise<TimelockAction[]> {
  const { registry } = marketplace;
  const target = await registry.getAddress();
  const actions: TimelockAction[] = [];
  const role = await registry.validationRole();
  const [, , rewardPool] = await registry.addresses();
  if (role !== validation) {
    actions.push({ target, data: registry.interface.encodeFunctionData("setValidationRole", [validation]) });
  }
  if (rewardPool !== validation) {
    actions.push({ target, data: registry.interface.encodeFunctionData("setValidatorRewardPool", [validation]) });
  }
  return actions;
}
