// Input checks of the curation forms, run before anything is simulated or sent (pure: unit-tested).
import { formatCur, parseCur } from "../format";
import type { ListingStatus } from "./listings";

export type Checked = { ok: true; amount: bigint } | { ok: false; error: string };

export interface StakeContext {
  /** The account's CUR balance. */
  balance: bigint;
  /** Its active stake on the listing now. */
  active: bigint;
  minStake: bigint;
  status: ListingStatus;
}

export function checkStake(text: string, ctx: StakeContext): Checked {
  if (ctx.status !== "Pending" && ctx.status !== "Active") {
    return { ok: false, error: `This listing is ${ctx.status.toLowerCase()}: it takes no new stake.` };
  }
  const amount = parseCur(text);
  if (amount === undefined) return { ok: false, error: "Enter an amount of CUR, like 500 or 12.5." };
  if (amount === 0n) return { ok: false, error: "Enter an amount greater than zero." };
  if (amount > ctx.balance) return { ok: false, error: `You hold only ${formatCur(ctx.balance)}.` };
  if (ctx.active + amount < ctx.minStake) {
    return { ok: false, error: `A position needs at least ${formatCur(ctx.minStake)} staked.` };
  }
  return { ok: true, amount };
}

export interface UnstakeContext {
  active: bigint;
  minStake: bigint;
}

export function checkUnstake(text: string, ctx: UnstakeContext): Checked {
  if (ctx.active === 0n) return { ok: false, error: "You have no active stake on this listing." };
  const amount = parseCur(text);
  if (amount === undefined) return { ok: false, error: "Enter an amount of CUR, like 500 or 12.5." };
  if (amount === 0n) return { ok: false, error: "Enter an amount greater than zero." };
  if (amount > ctx.active) return { ok: false, error: `You have ${formatCur(ctx.active)} staked.` };
  const left = ctx.active - amount;
  if (left > 0n && left < ctx.minStake) {
    return {
      ok: false,
      error: `What stays staked must be zero or at least ${formatCur(ctx.minStake)}: unstake all or at most ${formatCur(ctx.active - ctx.minStake)}.`,
    };
  }
  return { ok: true, amount };
}

export interface ChallengeContext {
  balance: bigint;
  minBond: bigint;
  /** The first round's arbitration fee, paid on top of the bond. */
  fee: bigint;
  status: ListingStatus;
}

export type CheckedChallenge =
  | { ok: true; bond: bigint; evidence: string }
  | { ok: false; errors: { bond?: string; evidence?: string; status?: string } };

/** Evidence is a URI (https, ipfs, ar or a data: URI) of at most 2,048 characters. */
export function checkChallenge(bondText: string, evidenceText: string, ctx: ChallengeContext): CheckedChallenge {
  const errors: { bond?: string; evidence?: string; status?: string } = {};
  if (ctx.status !== "Pending" && ctx.status !== "Active") {
    errors.status = `Only a pending or active listing can be challenged; this one is ${ctx.status.toLowerCase()}.`;
  }
  const bond = parseCur(bondText);
  if (bond === undefined) errors.bond = "Enter the bond in CUR, like 1000.";
  else if (bond < ctx.minBond) errors.bond = `The bond must be at least ${formatCur(ctx.minBond)}.`;
  else if (bond + ctx.fee > ctx.balance) {
    errors.bond = `Bond plus the ${formatCur(ctx.fee)} arbitration fee exceeds your ${formatCur(ctx.balance)}.`;
  }
  const evidence = evidenceText.trim();
  if (evidence === "") errors.evidence = "Link the evidence (a document or report URI).";
  else if (evidence.length > 2048) errors.evidence = "Keep the evidence URI under 2,048 characters.";
  else if (!/^(https?:\/\/|ipfs:\/\/|ar:\/\/|data:)\S+$/.test(evidence)) {
    errors.evidence = "Use an https://, ipfs://, ar:// or data: URI.";
  }
  if (Object.keys(errors).length > 0 || bond === undefined) return { ok: false, errors };
  return { ok: true, bond, evidence };
}

/** The registry's MAX_CALLS_PER_PURCHASE. */
export const MAX_CALLS_PER_PURCHASE = 10n ** 12n;

export interface PurchaseContext {
  /** The buyer's CUR balance; undefined before a wallet is connected (nothing to check against yet). */
  balance: bigint | undefined;
  pricePerCall: bigint;
  /** The listing's status now (a pending listing past its application period is active). */
  status: ListingStatus;
  paused: boolean;
  /** A withdrawal was requested: the listing sells no more calls. */
  withdrawing: boolean;
}

export type CheckedPurchase = { ok: true; calls: bigint; cost: bigint } | { ok: false; error: string };

/** Whole calls, at most MAX_CALLS_PER_PURCHASE, on a listing that sells, within the buyer's balance. */
export function checkPurchase(text: string, ctx: PurchaseContext): CheckedPurchase {
  if (ctx.status !== "Active") {
    return { ok: false, error: `This listing is ${ctx.status.toLowerCase()}: it sells no calls now.` };
  }
  if (ctx.paused) return { ok: false, error: "The provider paused this listing: it sells no calls now." };
  if (ctx.withdrawing) return { ok: false, error: "The provider is withdrawing this listing: it sells no more calls." };
  const trimmed = text.trim().replace(/[,_\s]/g, "");
  if (!/^\d+$/.test(trimmed)) return { ok: false, error: "Enter a whole number of calls, like 100." };
  const calls = BigInt(trimmed);
  if (calls === 0n) return { ok: false, error: "Buy at least one call." };
  if (calls > MAX_CALLS_PER_PURCHASE) return { ok: false, error: "At most 1,000,000,000,000 calls per purchase." };
  const cost = calls * ctx.pricePerCall;
  if (ctx.balance !== undefined && cost > ctx.balance) {
    return { ok: false, error: `${calls} calls cost ${formatCur(cost)}; you hold ${formatCur(ctx.balance)}.` };
  }
  return { ok: true, calls, cost };
}
