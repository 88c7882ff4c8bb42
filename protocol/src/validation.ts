// The ValidationManager's round phases as a pure function of the stored round (getRound, or the subgraph's record)
// and the chain's time, matching ValidationManager.phaseOf to the second (test/validation.test.ts).
import { enumName, RoundStatusNames, type RoundPhaseName, type RoundStatusName } from "./enums.js";
import type { Uint } from "./court.js";

/** What the phase depends on in IValidationManager.Round. */
export interface ValidationRoundProgress {
  /** The stored status: a RoundStatus value (viem, ethers) or its name (the subgraph's). */
  status: RoundStatusName | number | bigint;
  /** Seats drawn (a validator may hold several); `committed` and `revealed` count seats too. */
  seated: Uint;
  committed: Uint;
  revealed: Uint;
  commitEnd: Uint;
  revealEnd: Uint;
}

/**
 * ValidationManager.phaseOf at chain time `now`. A drawn round (status Voting) is in Commit until `commitEnd`, but
 * moves to Reveal as soon as every seat's holder committed; it is in Reveal until `revealEnd`, but becomes Finalizable as
 * soon as every commitment is revealed: nobody can add information after that.
 */
export function roundPhase(round: ValidationRoundProgress, now: Uint): RoundPhaseName {
  const status = typeof round.status === "string" ? round.status : enumName(RoundStatusNames, round.status);
  if (status !== "Voting") return status;
  const t = BigInt(now);
  const committed = BigInt(round.committed);
  if (t < BigInt(round.commitEnd) && committed < BigInt(round.seated)) return "Commit";
  if (t < BigInt(round.revealEnd) && BigInt(round.revealed) < committed) return "Reveal";
  return "Finalizable";
}
