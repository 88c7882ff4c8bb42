import type { Court, IRandomnessSource, ListingChallenges, StakePool } from "../types/ethers-contracts/index.js";
import { LOCAL_CHAIN_IDS } from "@curia/protocol";
import { ZeroAddress } from "ethers";
import type { CourtConfig } from "./court-config.js";
import type { DeployContext, TimelockAction } from "./context.js";
import type { ContractName, DeployedContract, WiringStep } from "./deployments.js";
import type { GovernanceDeployment } from "./governance.js";
import type { MarketplaceDeployment } from "./marketplace.js";

export interface CourtDeployment {
  court: Court;
  jurorPool: StakePool;
  challenges: ListingChallenges;
  /** BlockhashRandomness on a local chain, VrfRandomness (owned by the timelock once wired) on any other. */
  randomness: IRandomnessSource;
  /**
   * The governance actions still needed to wire the court in (see {@link courtWiringActions}). Empty once wired. On
   * development chains (chain id 31337) they are performed at deploy time by impersonating the timelock; elsewhere
   * they must pass as a proposal.
   */
  pendingActions: TimelockAction[];
}

const RANDOMNESS: ContractName = "CourtRandomness";
const JUROR_POOL: ContractName = "JurorPool";
const COURT: ContractName = "Court";
const CHALLENGES: ContractName = "ListingChallenges";
const COURT_ROLES: WiringStep = "courtRoles";

/**
 * Deploys the default randomness source, the jurors' StakePool, the Court and the marketplace's ListingChallenges
 * adapter (UUPS proxies), then wires them: the pool's manager is the Court (bound by the deployer once), the Court
 * accepts disputes from ListingChallenges, which holds the registry's challenge role and no role in the CurationPool
 * (timelock setters; see {@link CourtDeployment.pendingActions}). Re-running reuses what exists and still serves this
 * marketplace.
 */
export async function deployCourtWith(
  ctx: DeployContext,
  config: CourtConfig,
  governance: GovernanceDeployment,
  marketplace: MarketplaceDeployment,
): Promise<CourtDeployment> {
  const { ethers, record, log, deployer } = ctx;
  const [tokenAddress, timelockAddress, registryAddress] = await Promise.all([
    governance.token.getAddress(),
    governance.timelock.getAddress(),
    marketplace.registry.getAddress(),
  ]);

  let randomnessEntry = await liveEntry(ctx, RANDOMNESS);
  if (randomnessEntry === undefined) {
    const chainId = (await ethers.provider.getNetwork()).chainId;
    if (LOCAL_CHAIN_IDS.includes(Number(chainId))) {
      randomnessEntry = await ctx.deployPlain(RANDOMNESS, "BlockhashRandomness", [config.randomnessLookahead]);
    } else {
      // A block's proposer can grind a blockhash: any chain but a local one draws from a Chainlink VRF. The deployer
      // owns the adapter until the Court and the ValidationManager are its requesters, then hands it to the timelock
      // (deploy/validation.ts).
      const vrf = config.vrf;
      if (vrf === undefined) {
        throw new Error(
          `chain ${chainId} is not a local chain, so the court draws from a Chainlink VRF: set court.vrf ` +
            "{coordinator, keyHash, subscriptionId, requestConfirmations, callbackGasLimit, nativePayment} in the " +
            "CURIA_DEPLOY_CONFIG file (README, 'Beyond one machine')",
        );
      }
      randomnessEntry = await ctx.deployPlain(RANDOMNESS, "VrfRandomness", [
        deployer.address,
        vrf.coordinator,
        vrf.keyHash,
        vrf.subscriptionId,
        vrf.requestConfirmations,
        vrf.callbackGasLimit,
        vrf.nativePayment,
      ]);
    }
  } else log(`${RANDOMNESS} reused at ${randomnessEntry.proxy}`);
  const randomness = await ethers.getContractAt("IRandomnessSource", randomnessEntry.proxy);

  let poolEntry = await liveEntry(ctx, JUROR_POOL);
  if (poolEntry !== undefined) {
    const existing = await ethers.getContractAt("StakePool", poolEntry.proxy);
    if ((await existing.token()) !== tokenAddress) {
      log(`JurorPool at ${poolEntry.proxy} holds another token: redeploying`);
      ctx.forgetFrom(JUROR_POOL);
      poolEntry = undefined;
    }
  }
  if (poolEntry === undefined) {
    poolEntry = await ctx.deployProxy(JUROR_POOL, [tokenAddress, timelockAddress, config.jurorPool], "StakePool");
  } else log(`JurorPool reused at ${poolEntry.proxy}`);
  const jurorPool = await ethers.getContractAt("StakePool", poolEntry.proxy);

  let courtEntry = await liveEntry(ctx, COURT);
  if (courtEntry !== undefined) {
    const [, pool] = await (await ethers.getContractAt("Court", courtEntry.proxy)).addresses();
    if (pool !== poolEntry.proxy) {
      log(`Court at ${courtEntry.proxy} uses another jurors' pool: redeploying`);
      ctx.forgetFrom(COURT);
      courtEntry = undefined;
    }
  }
  if (courtEntry === undefined) {
    courtEntry = await ctx.deployProxy(COURT, [timelockAddress, poolEntry.proxy, randomnessEntry.proxy, config.params]);
  } else log(`Court reused at ${courtEntry.proxy}`);
  const court = await ethers.getContractAt("Court", courtEntry.proxy);
  await allowVrfRequester(ctx, randomnessEntry.proxy, courtEntry.proxy);

  let challengesEntry = await liveEntry(ctx, CHALLENGES);
  if (challengesEntry !== undefined) {
    const existing = await ethers.getContractAt("ListingChallenges", challengesEntry.proxy);
    // The pool it slashes is the registry's (it keeps no copy): the registry and the court are what to check.
    const [, registry] = await existing.addresses();
    if (registry !== registryAddress || (await existing.court()) !== courtEntry.proxy) {
      log(`ListingChallenges at ${challengesEntry.proxy} serves another marketplace or court: redeploying`);
      ctx.forgetFrom(CHALLENGES);
      challengesEntry = undefined;
    }
  }
  if (challengesEntry === undefined) {
    challengesEntry = await ctx.deployProxy(CHALLENGES, [
      timelockAddress,
      registryAddress,
      courtEntry.proxy,
      config.challenges,
      config.appealFunding,
      config.listingMetaEvidenceURI,
      config.roundEvidenceBaseURI,
    ]);
  } else log(`ListingChallenges reused at ${challengesEntry.proxy}`);
  const challenges = await ethers.getContractAt("ListingChallenges", challengesEntry.proxy);

  const manager = await jurorPool.manager();
  if (manager === ethers.ZeroAddress) {
    await (await jurorPool.connect(deployer).setManager(courtEntry.proxy)).wait();
    log("JurorPool managed by the Court");
  } else if (manager !== courtEntry.proxy) {
    throw new Error(
      `JurorPool ${poolEntry.proxy} is managed by ${manager}, not the Court ${courtEntry.proxy}: ` +
        "only a governance proposal can change it",
    );
  }

  const pendingActions = await courtWiringActions(marketplace, court, challengesEntry.proxy);
  if (await ctx.actAsTimelockOnDevChain(timelockAddress, pendingActions)) {
    record.wired[COURT_ROLES] = true;
    ctx.persist();
    log("ListingChallenges is the court's arbitrable and the registry's challenge role");
  } else {
    log(
      "Court wiring needs a governance proposal with these actions:\n" +
        pendingActions.map((a) => `  ${a.target} ${a.data}`).join("\n"),
    );
  }
  return { court, jurorPool, challenges, randomness, pendingActions };
}

/**
 * The VRF adapter at `source` while the deployer still owns it: undefined for BlockhashRandomness (no owner, no
 * requester list) and once the timelock owns the adapter (a proposal then calls setRequester).
 */
async function vrfOwnedByDeployer(ctx: DeployContext, source: string) {
  const vrf = (await ctx.ethers.getContractAt("VrfRandomness", source)).connect(ctx.deployer);
  try {
    return (await vrf.owner()) === ctx.deployer.address ? vrf : undefined;
  } catch {
    return undefined;
  }
}

/** Lets `requester` ask the VRF adapter at `source` for seeds, while the deployer still owns it. */
export async function allowVrfRequester(ctx: DeployContext, source: string, requester: string): Promise<void> {
  const vrf = await vrfOwnedByDeployer(ctx, source);
  if (vrf === undefined || (await vrf.isRequester(requester))) return;
  await (await vrf.setRequester(requester, true)).wait();
  ctx.log(`VrfRandomness serves ${requester}`);
}

/** Hands the VRF adapter at `source` to the timelock once its requesters are set (no-op for BlockhashRandomness). */
export async function handVrfToTimelock(ctx: DeployContext, source: string, timelock: string): Promise<void> {
  const vrf = await vrfOwnedByDeployer(ctx, source);
  if (vrf === undefined) return;
  await (await vrf.transferOwnership(timelock)).wait();
  ctx.log("VrfRandomness owned by the timelock");
}

/** The recorded entry of `name` if its code is still on this chain. */
async function liveEntry(ctx: DeployContext, name: ContractName): Promise<DeployedContract | undefined> {
  const entry = ctx.record.contracts[name];
  if (entry === undefined || (await ctx.ethers.provider.getCode(entry.proxy)) === "0x") return undefined;
  return entry;
}

/**
 * The timelock calls that remain to make `challenges` the court's arbitrable and the marketplace's challenger, and to
 * take back the CurationPool's slasher role where an earlier deployment gave it to `challenges`: ListingChallenges
 * never calls {slash} (a delisting's curator slash goes through the registry), so the role would only be a way for a
 * flaw in it to send curators' stake anywhere.
 */
export async function courtWiringActions(
  marketplace: MarketplaceDeployment,
  court: Court,
  challenges: string,
): Promise<TimelockAction[]> {
  const { registry, curationPool } = marketplace;
  const actions: TimelockAction[] = [];
  if (!(await court.isArbitrable(challenges))) {
    actions.push({
      target: await court.getAddress(),
      data: court.interface.encodeFunctionData("setArbitrable", [challenges, true]),
    });
  }
  const [, registryChallenges] = await registry.addresses();
  if (registryChallenges !== challenges) {
    actions.push({
      target: await registry.getAddress(),
      data: registry.interface.encodeFunctionData("setChallengeRole", [challenges]),
    });
  }
  const [, , slasher] = await curationPool.addresses();
  if (slasher === challenges) {
    actions.push({
      target: await curationPool.getAddress(),
      data: curationPool.interface.encodeFunctionData("setSlasher", [ZeroAddress]),
    });
  }
  return actions;
}
