// A proposal's tallies as OpenZeppelin's GovernorCountingSimple counts them: the quorum is reached by For + Abstain
// (Against never counts towards it); the outcome is For against Against (Abstain takes no side).
import { percent } from "../format";

export interface Tallies {
  forVotes: bigint;
  againstVotes: bigint;
  abstainVotes: bigint;
  quorum: bigint;
}

export interface QuorumProgress {
  /** For + Abstain: the votes that count towards the quorum. */
  counted: bigint;
  reached: boolean;
  /** The quorum track's scale: the larger of the counted votes and the quorum, so the quorum mark always fits. */
  scale: bigint;
  /** Widths on the quorum track, in percent of `scale`. */
  forWidth: number;
  abstainWidth: number;
  /** Where the quorum mark sits on the quorum track, in percent of `scale`. */
  quorumAt: number;
  /** For + Abstain as a percentage of the quorum (capped at 100 once reached). */
  ofQuorum: number;
}

export function quorumProgress(t: Tallies): QuorumProgress {
  const counted = t.forVotes + t.abstainVotes;
  const scale = counted > t.quorum ? counted : t.quorum;
  const reached = counted >= t.quorum;
  return {
    counted,
    reached,
    scale,
    forWidth: percent(t.forVotes, scale),
    abstainWidth: percent(t.abstainVotes, scale),
    quorumAt: percent(t.quorum, scale),
    ofQuorum: reached ? 100 : percent(counted, t.quorum),
  };
}

/** For and Against as shares of the votes that take a side (percent); both 0 before anyone has. */
export function supportShares(t: Pick<Tallies, "forVotes" | "againstVotes">): {
  forShare: number;
  againstShare: number;
} {
  const sides = t.forVotes + t.againstVotes;
  return { forShare: percent(t.forVotes, sides), againstShare: percent(t.againstVotes, sides) };
}

/**
 * The quorum in words: while voting may still change it, "Quorum reached" or "Not reached yet"; once the vote is
 * closed, "Quorum met" or "Quorum not met".
 */
export function quorumStatus(reached: boolean, closed: boolean): string {
  if (closed) return reached ? "Quorum met" : "Quorum not met";
  return reached ? "Quorum reached" : "Not reached yet";
}
