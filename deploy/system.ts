import type { CuriaConfig } from "./config.js";
import { DeployContext, type DeployOptions } from "./context.js";
import { deployGovernanceWith, resolveGuardian, type GovernanceDeployment } from "./governance.js";
import { deployMarketplaceWith, type MarketplaceDeployment } from "./marketplace.js";
import { deployCourtWith, type CourtDeployment } from "./court.js";
import { deployValidationWith, type ValidationDeployment } from "./validation.js";
import { deployCanaryWith, type CanaryDeployment } from "./canary.js";
import { checkAuditWindow } from "./validation-config.js";

export type CuriaDeployment = GovernanceDeployment &
  MarketplaceDeployment &
  CourtDeployment &
  ValidationDeployment &
  CanaryDeployment;

/** Deploys (or completes the deployment of) the whole system, in dependency order. */
export async function deployCuria(options: DeployOptions & { config: CuriaConfig }): Promise<CuriaDeployment> {
  // Before anything is deployed: a window shorter than the longest round leaves late rounds unauditable.
  checkAuditWindow(options.config.validation);
  const ctx = await DeployContext.create(options);
  const governance = await deployGovernanceWith(ctx, options.config.governance);
  const guardian = resolveGuardian(
    options.config.governance.governor.guardian,
    ctx.deployer.address,
    ctx.ethers.ZeroAddress,
  );
  const marketplace = await deployMarketplaceWith(ctx, options.config.marketplace, governance, guardian);
  const court = await deployCourtWith(ctx, options.config.court, governance, marketplace);
  const validation = await deployValidationWith(ctx, options.config.validation, governance, marketplace, court);
  const canary = await deployCanaryWith(ctx, options.config.validation.canary, governance, validation);
  return { ...governance, ...marketplace, ...court, ...validation, ...canary };
}
