// Mapping of CuriaTimelock events: operations (the batches proposals execute as), its delay, roles and upgrades.
import {
  CallExecuted,
  CallScheduled,
  Cancelled,
  MinDelayChange,
  RoleGranted,
  RoleRevoked,
  Upgraded,
} from "../generated/CuriaTimelock/CuriaTimelock";
import { TimelockOperation } from "../generated/schema";
import { loadOrCreateProtocol, recordParameterChange, recordUpgrade } from "./helpers";

const TIMELOCK = "CuriaTimelock";

export function handleCallScheduled(event: CallScheduled): void {
  const id = event.params.id.toHexString();
  let operation = TimelockOperation.load(id);
  // A batch emits one CallScheduled per call, all with the same id: the first creates, the others count.
  if (operation == null) {
    operation = new TimelockOperation(id);
    operation.status = "Scheduled";
    operation.callCount = 0;
    operation.delay = event.params.delay;
    operation.readyAt = event.block.timestamp.plus(event.params.delay);
    operation.scheduledAt = event.block.timestamp;
    operation.scheduledTransaction = event.transaction.hash;
    operation.executedAt = null;
    operation.cancelledAt = null;
    operation.proposal = null;
  }
  operation.callCount += 1;
  operation.save();
  const protocol = loadOrCreateProtocol();
  protocol.lastScheduledOperation = id;
  protocol.lastScheduledTransaction = event.transaction.hash;
  protocol.save();
}

export function handleCallExecuted(event: CallExecuted): void {
  const operation = TimelockOperation.load(event.params.id.toHexString());
  if (operation == null) return;
  operation.status = "Executed";
  operation.executedAt = event.block.timestamp;
  operation.save();
}

export function handleCancelled(event: Cancelled): void {
  const operation = TimelockOperation.load(event.params.id.toHexString());
  if (operation == null) return;
  operation.status = "Cancelled";
  operation.cancelledAt = event.block.timestamp;
  operation.save();
}

export function handleMinDelayChange(event: MinDelayChange): void {
  const protocol = loadOrCreateProtocol();
  protocol.timelockMinDelay = event.params.newDuration;
  protocol.save();
  const p = event.params;
  recordParameterChange(event, TIMELOCK, "MinDelay", null, p.oldDuration.toString(), p.newDuration.toString());
}

export function handleRoleGranted(event: RoleGranted): void {
  const p = event.params;
  recordParameterChange(event, TIMELOCK, "RoleGranted", p.role.toHexString(), "", p.account.toHexString());
}

export function handleRoleRevoked(event: RoleRevoked): void {
  const p = event.params;
  recordParameterChange(event, TIMELOCK, "RoleRevoked", p.role.toHexString(), p.account.toHexString(), "");
}

export function handleUpgraded(event: Upgraded): void {
  recordUpgrade(event, TIMELOCK, event.params.implementation);
}
