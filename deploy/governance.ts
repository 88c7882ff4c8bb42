import type { CuriaGovernor, CuriaTimelock, CuriaToken } from "../types/ethers-contracts/index.js";
import type { AllocationTarget, GovernanceConfig } from "./config.js";
import { DeployContext, type DeployOptions } from "./context.js";
import { deploymentKey, deploymentPath, type DeploymentRecord } from "./deployments.js";

export interface GovernanceDeployment {
  record: DeploymentRecord;
  timelock: CuriaTimelock;
  token: CuriaToken;
  governor: CuriaGovernor;
}

export interface DeployGovernanceOptions extends DeployOptions {
  config: GovernanceConfig;
}

/**
 * CuriaGovernor's initializer settings from the deployment config: the one place the config's names map onto the
 * contract's (quorumPercent is the contract's quorumNumerator).
 */
export function governorInitSettings(
  g: GovernanceConfig["governor"],
  proposalGuardian: string,
  guardianTermEnd: number,
) {
  return {
    name: g.name,
    votingDelay: g.votingDelay,
    votingPeriod: g.votingPeriod,
    proposalThreshold: g.proposalThreshold,
    quorumNumerator: g.quorumPercent,
    lateQuorumVoteExtension: g.lateQuorumVoteExtension,
    proposalGuardian,
    guardianTermEnd,
  };
}

/** Deploys the governance core alone; see {@link deployGovernanceWith}. */
export async function deployGovernance(options: DeployGovernanceOptions): Promise<GovernanceDeployment> {
  return deployGovernanceWith(await DeployContext.create(options), options.config);
}

/**
 * Deploys CuriaTimelock, CuriaToken and CuriaGovernor behind UUPS proxies, in that order, wires the timelock's roles
 * to the Governor and renounces the deployer's admin role. Re-running against the same chain reuses what exists
 * and only performs the missing steps.
 */
export async function deployGovernanceWith(
  ctx: DeployContext,
  config: GovernanceConfig,
): Promise<GovernanceDeployment> {
  const { ethers, deployer, record, log } = ctx;

  // 1. Timelock, with the deployer as temporary admin so it can wire the Governor it does not know yet.
  let timelockEntry = record.contracts.CuriaTimelock;
  if (timelockEntry === undefined) {
    timelockEntry = await ctx.deployProxy("CuriaTimelock", [
      config.timelock.minDelay,
      [],
      [ethers.ZeroAddress],
      deployer.address,
    ]);
  } else log(`CuriaTimelock reused at ${timelockEntry.proxy}`);
  const timelock = await ethers.getContractAt("CuriaTimelock", timelockEntry.proxy);

  // 2. Token, owned by the timelock.
  let tokenEntry = record.contracts.CuriaToken;
  if (tokenEntry !== undefined) {
    const owner = await (await ethers.getContractAt("CuriaToken", tokenEntry.proxy)).owner();
    if (owner !== timelockEntry.proxy) {
      log(`CuriaToken at ${tokenEntry.proxy} is not owned by this timelock: redeploying`);
      ctx.forgetFrom("CuriaToken");
      tokenEntry = undefined;
    }
  }
  if (tokenEntry === undefined) {
    const treasury = timelockEntry.proxy;
    const allocations = config.allocations.map(({ to, amount }) => ({
      to: resolveTarget(to, treasury, deployer.address),
      amount,
    }));
    tokenEntry = await ctx.deployProxy("CuriaToken", [
      config.token.name,
      config.token.symbol,
      config.token.cap,
      treasury,
      allocations,
    ]);
  } else log(`CuriaToken reused at ${tokenEntry.proxy}`);
  const token = await ethers.getContractAt("CuriaToken", tokenEntry.proxy);

  // 3. Governor on that token and timelock.
  let governorEntry = record.contracts.CuriaGovernor;
  if (governorEntry !== undefined) {
    const existing = await ethers.getContractAt("CuriaGovernor", governorEntry.proxy);
    const [t, tl] = await Promise.all([existing.token(), existing.timelock()]);
    if (t !== tokenEntry.proxy || tl !== timelockEntry.proxy) {
      log(`CuriaGovernor at ${governorEntry.proxy} points at another token or timelock: redeploying`);
      ctx.forgetFrom("CuriaGovernor");
      governorEntry = undefined;
    }
  }
  if (governorEntry === undefined) {
    const latest = await ethers.provider.getBlock("latest");
    const now = latest?.timestamp ?? Math.floor(Date.now() / 1000);
    const g = config.governor;
    const guardian = resolveGuardian(g.guardian, deployer.address, ethers.ZeroAddress);
    governorEntry = await ctx.deployProxy("CuriaGovernor", [
      tokenEntry.proxy,
      timelockEntry.proxy,
      governorInitSettings(g, guardian, guardian === ethers.ZeroAddress ? 0 : now + g.guardianTermSeconds),
    ]);
  } else log(`CuriaGovernor reused at ${governorEntry.proxy}`);
  const governor = await ethers.getContractAt("CuriaGovernor", governorEntry.proxy);

  // 4. The Governor becomes the timelock's only proposer and canceller.
  const [proposerRole, cancellerRole, adminRole] = await Promise.all([
    timelock.PROPOSER_ROLE(),
    timelock.CANCELLER_ROLE(),
    timelock.DEFAULT_ADMIN_ROLE(),
  ]);
  for (const role of [proposerRole, cancellerRole]) {
    if (!(await timelock.hasRole(role, governorEntry.proxy))) {
      if (!(await timelock.hasRole(adminRole, deployer.address))) {
        throw new Error(
          `cannot grant the Governor its timelock role: the deployer ${deployer.address} is no longer the timelock's admin; ` +
            `move ${deploymentPath(deploymentKey(record.network, record.chainId))} away to deploy a fresh system`,
        );
      }
      await (await timelock.connect(deployer).grantRole(role, governorEntry.proxy)).wait();
    }
  }
  record.wired.governorRoles = true;
  ctx.persist();
  log("Timelock roles granted to the Governor (proposer, canceller); anyone may execute");

  // 5. No other admin remains: only the timelock administers itself.
  if (await timelock.hasRole(adminRole, deployer.address)) {
    await (await timelock.connect(deployer).renounceRole(adminRole, deployer.address)).wait();
  }
  record.wired.deployerRenounced = true;
  ctx.persist();
  log("Deployer renounced the timelock admin role");

  return { record, timelock, token, governor };
}

export function resolveGuardian(guardian: "deployer" | "none" | `0x${string}`, deployer: string, zero: string): string {
  if (guardian === "none") return zero;
  return guardian === "deployer" ? deployer : guardian;
}

function resolveTarget(to: AllocationTarget, treasury: string, deployer: string): string {
  if (to === "treasury") return treasury;
  if (to === "deployer") return deployer;
  return to;
}
