import type { CurationPool, ListingRegistry } from "../types/ethers-contracts/index.js";
import type { MarketplaceConfig } from "./config.js";
import type { DeployContext } from "./context.js";
import type { GovernanceDeployment } from "./governance.js";

export interface MarketplaceDeployment {
  registry: ListingRegistry;
  curationPool: CurationPool;
}

/**
 * Deploys the ListingRegistry and the CurationPool behind UUPS proxies and binds them. Until the validation and
 * court contracts exist, the validators' share of fees goes to the treasury and nobody holds the court or
 * validation roles; governance sets them later.
 */
export async function deployMarketplaceWith(
  ctx: DeployContext,
  config: MarketplaceConfig,
  governance: GovernanceDeployment,
  pauseGuardian: string,
): Promise<MarketplaceDeployment> {
  const { ethers, record, log, deployer } = ctx;
  const [tokenAddress, timelockAddress] = await Promise.all([
    governance.token.getAddress(),
    governance.timelock.getAddress(),
  ]);

  let registryEntry = record.contracts.ListingRegistry;
  if (registryEntry !== undefined) {
    const existing = await ethers.getContractAt("ListingRegistry", registryEntry.proxy);
    const token = await existing.token();
    if (token !== tokenAddress || (await existing.timelock()) !== timelockAddress) {
      log(`ListingRegistry at ${registryEntry.proxy} belongs to another system: redeploying`);
      ctx.forgetFrom("ListingRegistry");
      registryEntry = undefined;
    }
  }
  if (registryEntry === undefined) {
    registryEntry = await ctx.deployProxy("ListingRegistry", [
      tokenAddress,
      timelockAddress,
      timelockAddress,
      pauseGuardian,
      config.market,
    ]);
  } else log(`ListingRegistry reused at ${registryEntry.proxy}`);
  const registry = await ethers.getContractAt("ListingRegistry", registryEntry.proxy);

  let poolEntry = record.contracts.CurationPool;
  if (poolEntry !== undefined) {
    const [, poolRegistry] = await (await ethers.getContractAt("CurationPool", poolEntry.proxy)).addresses();
    if (poolRegistry !== registryEntry.proxy) {
      log(`CurationPool at ${poolEntry.proxy} serves another registry: redeploying`);
      ctx.forgetFrom("CurationPool");
      poolEntry = undefined;
    }
  }
  if (poolEntry === undefined) {
    poolEntry = await ctx.deployProxy("CurationPool", [
      tokenAddress,
      timelockAddress,
      registryEntry.proxy,
      ethers.ZeroAddress,
      config.curation,
    ]);
  } else log(`CurationPool reused at ${poolEntry.proxy}`);
  const curationPool = await ethers.getContractAt("CurationPool", poolEntry.proxy);

  const [boundPool] = await registry.addresses();
  if (boundPool === ethers.ZeroAddress) {
    await (await registry.connect(deployer).setCurationPool(poolEntry.proxy)).wait();
  } else if (boundPool !== poolEntry.proxy) {
    throw new Error(
      `ListingRegistry ${registryEntry.proxy} is bound to CurationPool ${boundPool}, not ${poolEntry.proxy}: ` +
        "only a governance proposal can rebind it",
    );
  }
  record.wired.curationPoolBound = true;
  ctx.persist();
  log("CurationPool bound to the ListingRegistry");
  return { registry, curationPool };
}
