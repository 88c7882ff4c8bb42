// Proposal state names and id formatting: no contract ABI here, so the proposal list stays light.
import { ProposalStateNames, type ProposalStateName } from "@curia/protocol";

/** The Governor's ProposalState enum, in order (generated from the build). */
export const PROPOSAL_STATES = ProposalStateNames;
export type ProposalState = ProposalStateName;

/** `123456…7890` for the long uint256 proposal ids. */
export function shortId(id: bigint | string): string {
  const text = id.toString();
  return text.length > 12 ? `${text.slice(0, 6)}…${text.slice(-4)}` : text;
}
