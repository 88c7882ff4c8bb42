// Exact quorum without a contract call. The Governor's quorum is quorumNumerator(snapshot) × totalSupply(snapshot)
// / 100, both looked up in checkpoints at the proposal's snapshot (`voteStart`), a time that is still in the future
// when the proposal is created. So a proposal stays "pending" until its snapshot passes, and every supply or quorum
// change at a time ≤ its snapshot (OpenZeppelin's checkpoint lookup includes the snapshot itself) updates it.
import { BigInt } from "@graphprotocol/graph-ts";
import { Proposal } from "../generated/schema";
import { loadOrCreateProtocol } from "./helpers";

const HUNDRED = BigInt.fromI32(100);

/** Applies the Protocol's current supply and quorum numerator, changed at `timestamp`, to proposals not yet snapshotted. */
export function refreshPendingQuorums(timestamp: BigInt): void {
  const protocol = loadOrCreateProtocol();
  const pending = protocol.pendingSnapshotProposals;
  const stillPending = new Array<string>(0);
  for (let i = 0; i < pending.length; i++) {
    const proposal = Proposal.load(pending[i]);
    if (proposal == null) continue;
    // A change after the snapshot no longer affects this proposal, nor will any later change.
    if (proposal.voteStart.lt(timestamp)) continue;
    proposal.quorumNumerator = protocol.quorumNumerator;
    proposal.totalSupplyAtSnapshot = protocol.totalSupply;
    proposal.quorum = protocol.totalSupply.times(protocol.quorumNumerator).div(HUNDRED);
    proposal.save();
    stillPending.push(proposal.id);
  }
  protocol.pendingSnapshotProposals = stillPending;
  protocol.save();
}
