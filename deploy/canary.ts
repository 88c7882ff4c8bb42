import type { CanaryAudits } from "../types/ethers-contracts/index.js";
import type { DeployContext, TimelockAction } from "./context.js";
import type { ContractName } from "./deployments.js";
import type { GovernanceDeployment } from "./governance.js";
import type { CanaryConfig } from "./validation-config.js";
import type { ValidationDeployment } from "./validation.js";

export interface CanaryDeployment {
  canary: CanaryAudits;
  /**
   * The timelock call still needed to make CanaryAudits the validators' pool's auditor; empty once wired. Performed at
   * deploy time on development chains (impersonating the timelock), a proposal elsewhere.
   */
  canaryPendingActions: TimelockAction[];
}

const CANARY: ContractName = "CanaryAudits";

/**
 * Deploys CanaryAudits (UUPS proxy) over the ValidationManager and makes it the validators' pool's auditor (a
 * timelock setter: see {@link CanaryDeployment.canaryPendingActions}). Re-running reuses a live proxy that audits
 * this ValidationManager.
 */
export async function deployCanaryWith(
  ctx: DeployContext,
  config: CanaryConfig,
  governance: GovernanceDeployment,
  validation: ValidationDeployment,
): Promise<CanaryDeployment> {
  const { ethers, record, log } = ctx;
  const [timelockAddress, validationAddress] = await Promise.all([
    governance.timelock.getAddress(),
    validation.validation.getAddress(),
  ]);
  let entry = record.contracts[CANARY];
  if (entry !== undefined && (await ethers.provider.getCode(entry.proxy)) === "0x") entry = undefined;
  if (entry !== undefined) {
    const existing = await ethers.getContractAt("CanaryAudits", entry.proxy);
    if ((await existing.validation()) !== validationAddress) {
      log(`CanaryAudits at ${entry.proxy} audits another ValidationManager: redeploying`);
      entry = undefined;
    }
  }
  if (entry === undefined) {
    entry = await ctx.deployProxy(CANARY, [timelockAddress, validationAddress, config.operator, config.params]);
  } else log(`CanaryAudits reused at ${entry.proxy}`);
  const canary = await ethers.getContractAt("CanaryAudits", entry.proxy);

  const pool = validation.validatorPool;
  const actions: TimelockAction[] = [];
  if ((await pool.auditor()) !== entry.proxy) {
    actions.push({
      target: await pool.getAddress(),
      data: pool.interface.encodeFunctionData("setAuditor", [entry.proxy]),
    });
  }
  if (await ctx.actAsTimelockOnDevChain(timelockAddress, actions)) {
    log("CanaryAudits is the validators' pool's auditor");
  } else {
    log(
      "CanaryAudits needs a governance proposal to audit the validators' pool:\n" +
        actions.map((a) => `  ${a.target} ${a.data}`).join("\n"),
    );
  }
  return { canary, canaryPendingActions: actions };
}
