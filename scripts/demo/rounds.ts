// What the demo's seeds report of a validation round once it is finalised (the history's rounds, the live demo's).
import type { ValidationManager } from "../../types/ethers-contracts/index.js";

export interface FinalisedRound {
  round: Awaited<ReturnType<ValidationManager["getRound"]>>;
  /** The validators' pool's dispute (DisputeRequested), when the median fell below the minimum; empty otherwise. */
  dispute: { disputeId?: bigint };
}

/** The round as the manager stores it, and the dispute its finalisation requested, if any. */
export async function finalisedRound(validation: ValidationManager, roundId: bigint): Promise<FinalisedRound> {
  const round = await validation.getRound(roundId);
  const requested = await validation.queryFilter(validation.filters.DisputeRequested(roundId));
  const disputeId = requested[0]?.args.disputeId;
  return { round, dispute: disputeId === undefined ? {} : { disputeId } };
}
