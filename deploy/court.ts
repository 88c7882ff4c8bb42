import type { BlockhashRandomness, Court } from "../types/ethers-contracts/index.js";
import type { CourtConfig } from "./court-config.js";
import type { DeployContext } from "./context.js";
import type { ContractName, DeployedContract, WiringStep } from "./deployments.js";
import type { GovernanceDeployment } from "./governance.js";
import type { MarketplaceDeployment } from "./marketplace.js";

export interface CourtDeployment {
  court: Court;
  randomness: BlockhashRandomness;
  /**
   * The governance actions still needed to give the court its roles (the registry's court role, the pool's slasher
   * role); empty once wired. On development chains (chain id 31337) they are performed at deploy time by
   * impersonating the timelock; elsewhere they must pass as a proposal.
   */
  pendingActions: { target: string; data: string }[];
}

const COURT: ContractName = "Court";
const RANDOMNESS: ContractName = "CourtRandomness";
const COURT_ROLES: WiringStep = "courtRoles";
const DEV_CHAIN_ID = 31_337n;

/**
 * Deploys the default randomness source and the Court (UUPS proxy), then wires the court into the marketplace:
 * the ListingRegistry's court role and the CurationPool's slasher role. Both setters belong to the timelock; see
 * {@link CourtDeployment.pendingActions}. Re-running reuses what exists and still serves this marketplace.
 */
export async function deployCourtWith(
  ctx: DeployContext,
  config: CourtConfig,
  governance: GovernanceDeployment,
  marketplace: MarketplaceDeployment,
): Promise<CourtDeployment> {
  const { ethers, record, log, deployer } = ctx;
  const [tokenAddress, timelockAddress, registryAddress, poolAddress] = await Promise.all([
    governance.token.getAddress(),
    governance.timelock.getAddress(),
    marketplace.registry.getAddress(),
    marketplace.curationPool.getAddress(),
  ]);

  let randomnessEntry = record.contracts[RANDOMNESS];
  if (randomnessEntry !== undefined && (await ethers.provider.getCode(randomnessEntry.proxy)) === "0x") {
    randomnessEntry = undefined;
  }
  if (randomnessEntry === undefined) {
    const factory = await ethers.getContractFactory("BlockhashRandomness", deployer);
    const source = await factory.deploy(config.randomnessLookahead);
    await source.waitForDeployment();
    const receipt = await source.deploymentTransaction()?.wait();
    const address = await source.getAddress();
    randomnessEntry = {
      proxy: address,
      implementation: address,
      startBlock: receipt?.blockNumber ?? (await ethers.provider.getBlockNumber()),
    } satisfies DeployedContract;
    record.contracts[RANDOMNESS] = randomnessEntry;
    ctx.persist();
    log(`BlockhashRandomness deployed at ${address}`);
  } else log(`BlockhashRandomness reused at ${randomnessEntry.proxy}`);
  const randomness = await ethers.getContractAt("BlockhashRandomness", randomnessEntry.proxy);

  let courtEntry = record.contracts[COURT];
  if (courtEntry !== undefined) {
    const existing = await ethers.getContractAt("Court", courtEntry.proxy);
    const [token, registry, pool] = await existing.addresses();
    if (token !== tokenAddress || registry !== registryAddress || pool !== poolAddress) {
      log(`Court at ${courtEntry.proxy} serves another marketplace: redeploying`);
      delete record.contracts[COURT];
      courtEntry = undefined;
    }
  }
  if (courtEntry === undefined) {
    courtEntry = await ctx.deployProxy(COURT, [
      tokenAddress,
      timelockAddress,
      registryAddress,
      poolAddress,
      randomnessEntry.proxy,
      config.params,
      config.listingMetaEvidenceURI,
    ]);
  } else log(`Court reused at ${courtEntry.proxy}`);
  const court = await ethers.getContractAt("Court", courtEntry.proxy);

  const pendingActions = await courtWiringActions(marketplace, courtEntry.proxy);
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
    record.wired[COURT_ROLES] = true;
    ctx.persist();
    log("Court holds the registry's court role and the pool's slasher role");
  } else {
    log(
      "Court roles need a governance proposal with these actions:\n" +
        pendingActions.map((a) => `  ${a.target} ${a.data}`).join("\n"),
    );
  }
  return { court, randomness, pendingActions };
}

/** The timelock calls that remain to give `court` its marketplace roles. */
export async function courtWiringActions(
  marketplace: MarketplaceDeployment,
  court: string,
): Promise<{ target: string; data: string }[]> {
  const { registry, curationPool } = marketplace;
  const actions: { target: string; data: string }[] = [];
  const [, , , registryCourt] = await registry.addresses();
  if (registryCourt !== court) {
    actions.push({
      target: await registry.getAddress(),
      data: registry.interface.encodeFunctionData("setCourtRole", [court]),
    });
  }
  const [, , slasher] = await curationPool.addresses();
  if (slasher !== court) {
    actions.push({
      target: await curationPool.getAddress(),
      data: curationPool.interface.encodeFunctionData("setSlasher", [court]),
    });
  }
  return actions;
}
