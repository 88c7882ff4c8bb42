// Mapping of the validators' pool, managed by the ValidationManager: a StakePool whose members are Validator
// entities. The logic is stake-pool.ts's, shared with the other pool; this file binds it to this data source's
// generated events.
import {
  ManagerSet,
  PoolParametersSet,
  SeatsLocked,
  StakeAuditSlashed,
  Staked,
  StakeLocked,
  StakeReleased,
  StakesReleased,
  StakeWithdrawn,
  UnstakeRequested,
  Upgraded,
  AuditorSet,
  StrayTokensSwept,
} from "../generated/ValidatorPool/StakePool";
import { StakeKind } from "./helpers";
import {
  applyStakeAuditSlashed,
  applyStaked,
  applyStakeLocked,
  applyStakeReleased,
  applySeatsLocked,
  applyStakesReleased,
  applyStakeWithdrawn,
  applyUnstakeRequested,
  recordManager,
  recordPoolParameters,
  recordPoolUpgrade,
  recordAuditor,
  recordPoolStrayTokensSwept,
} from "./stake-pool";

const POOL = StakeKind.Validator;

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

export function handleSeatsLocked(event: SeatsLocked): void {
  applySeatsLocked(event, POOL, event.params.seats);
}

export function handleStakesReleased(event: StakesReleased): void {
  const p = event.params;
  applyStakesReleased(event, POOL, p.accounts, p.unlocked, p.slashed);
}

export function handleStakeAuditSlashed(event: StakeAuditSlashed): void {
  const p = event.params;
  applyStakeAuditSlashed(event, POOL, p.account, p.requested, p.slashed, p.staked, p.thawing);
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
