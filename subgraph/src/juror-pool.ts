// Mapping of the jurors' pool, managed by the Court: a StakePool whose members are Juror entities. The logic is
// stake-pool.ts's, shared with the other pool; this file binds it to this data source's generated events.
import {
  ManagerSet,
  PoolParametersSet,
  Staked,
  StakeLocked,
  StakeReleased,
  StakeWithdrawn,
  UnstakeRequested,
  Upgraded,
  AuditorSet,
  StrayTokensSwept,
  StakeAuditSlashed,
} from "../generated/JurorPool/StakePool";
import { StakeKind } from "./helpers";
import {
  applyStaked,
  applyStakeLocked,
  applyStakeReleased,
  applyStakeWithdrawn,
  applyUnstakeRequested,
  recordManager,
  recordPoolParameters,
  recordPoolUpgrade,
  recordAuditor,
  recordPoolStrayTokensSwept,
  applyStakeAuditSlashed,
} from "./stake-pool";

const POOL = StakeKind.Juror;

export function handleStaked(event: Staked): void {
  const p = event.params;
  applyStaked(event, POOL, p.account, p.payer, p.amount, p.staked);
}

export function handleUnstakeRequested(event: UnstakeRequested): void {
  const p = event.params;
  applyUnstakeRequested(event, POOL, p.account, p.amount, p.staked, p.thawing, p.thawEnd);
}

export function handleStakeWithdrawn(event: StakeWithdrawn): void {
  applyStakeWithdrawn(event, POOL, event.params.account, event.params.amount, event.params.thawing);
}

export function handleStakeLocked(event: StakeLocked): void {
  applyStakeLocked(event, POOL, event.params.account, event.params.amount, event.params.locked);
}

export function handleStakeReleased(event: StakeReleased): void {
  const p = event.params;
  applyStakeReleased(event, POOL, p.account, p.unlocked, p.slashed, p.paid);
}

export function handlePoolParametersSet(event: PoolParametersSet): void {
  const p = event.params;
  recordPoolParameters(event, POOL, p.oldParameters, p.newParameters);
}

export function handleManagerSet(event: ManagerSet): void {
  recordManager(event, POOL, event.params.oldManager, event.params.newManager);
}

export function handleUpgraded(event: Upgraded): void {
  recordPoolUpgrade(event, POOL, event.params.implementation);
}

export function handleAuditorSet(event: AuditorSet): void {
  recordAuditor(event, POOL, event.params.oldAuditor, event.params.newAuditor);
}

export function handleStrayTokensSwept(event: StrayTokensSwept): void {
  const p = event.params;
  recordPoolStrayTokensSwept(event, POOL, p.token, p.treasury, p.amount);
}

/** Governance may name an auditor for this pool too: its slashes move the jurors' stake like the validators'. */
export function handleStakeAuditSlashed(event: StakeAuditSlashed): void {
  const p = event.params;
  applyStakeAuditSlashed(event, POOL, p.account, p.requested, p.slashed, p.staked, p.thawing);
}
