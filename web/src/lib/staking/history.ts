// A member's stake records in one of the two stake pools (the subgraph's StakeEvent): stakes, unstake requests,
// withdrawals, and the locks and releases its manager (the Court, the ValidationManager) made.
import { formatCur, formatTime } from "../format";

export type StakeEventKind = "Staked" | "UnstakeRequested" | "Withdrawn" | "Locked" | "Released";

export interface StakeEventRow {
  id: string;
  kind: StakeEventKind;
  account: string;
  amount: string;
  slashed: string;
  paid: string;
  payer: string | null;
  thawEnd: string | null;
  /** The member's balances after the event. */
  staked: string;
  thawing: string;
  locked: string;
  timestamp: string;
  transaction: string;
}

/** The fields of a `stakeEvents` selection, newest first (`Juror.stakeEvents`, `Validator.stakeEvents`). */
export const STAKE_EVENTS_SELECTION = `stakeEvents(first: 100, orderBy: timestamp, orderDirection: desc) {
  id kind account amount slashed paid payer thawEnd staked thawing locked timestamp transaction
}`;

/** One record in words: "Staked 250 CUR", "Released 100 CUR, 10 CUR slashed, paid 5 CUR". */
export function describeStakeEvent(e: StakeEventRow): string {
  const amount = formatCur(BigInt(e.amount));
  switch (e.kind) {
    case "Staked":
      return e.payer !== null && e.payer.toLowerCase() !== e.account.toLowerCase()
        ? `Staked ${amount} (paid by ${e.payer})`
        : `Staked ${amount}`;
    case "UnstakeRequested":
      return `Asked to unstake ${amount}${e.thawEnd !== null ? `, thawing until ${formatTime(BigInt(e.thawEnd))}` : ""}`;
    case "Withdrawn":
      return `Withdrew ${amount}`;
    case "Locked":
      return `${amount} locked at risk`;
    case "Released": {
      const parts = [`${amount} unlocked`];
      if (BigInt(e.slashed) > 0n) parts.push(`${formatCur(BigInt(e.slashed))} slashed`);
      if (BigInt(e.paid) > 0n) parts.push(`paid ${formatCur(BigInt(e.paid))}`);
      return parts.join(", ");
    }
  }
}
