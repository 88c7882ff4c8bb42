// CurationPool: curators stake on listings, request unstake, withdraw after thawing, claim rewards.
import { encodeFunctionData, type Address } from "viem";
import { curationPoolAbi } from "@curia/protocol";
import { addressOf, type ChainContext, type TxRequest } from "./context";
import { approvalSteps } from "./token";
import { formatCur } from "../format";

export interface CurationParameters {
  minStake: bigint;
  thawingPeriod: number;
  slashBps: number;
  /** Seconds a new stake warms up (earning nothing) before it can be activated. */
  warmupPeriod: number;
}

export interface CuratorPosition {
  /** Active stake at the current share price. */
  active: bigint;
  /** Stake thawing (withdrawable once `thawEnd` has passed and no dispute freezes the listing's exits). */
  thawing: bigint;
  thawEnd: number;
  /** New stake warming up: it earns nothing until activated, from `warmEnd` on. */
  warming: bigint;
  warmEnd: number;
  claimable: bigint;
}

export async function readCurationParameters(ctx: ChainContext): Promise<CurationParameters> {
  const p = await ctx.client.readContract({
    address: addressOf(ctx, "CurationPool"),
    abi: curationPoolAbi,
    functionName: "parameters",
  });
  return { minStake: p.minStake, thawingPeriod: p.thawingPeriod, slashBps: p.slashBps, warmupPeriod: p.warmupPeriod };
}

export async function readCuratorPosition(
  ctx: ChainContext,
  listingId: bigint,
  curator: Address,
): Promise<CuratorPosition> {
  const address = addressOf(ctx, "CurationPool");
  const [[active, thawing, warming], position, claimable] = await Promise.all([
    ctx.client.readContract({ address, abi: curationPoolAbi, functionName: "stakeOf", args: [listingId, curator] }),
    ctx.client.readContract({ address, abi: curationPoolAbi, functionName: "positionOf", args: [listingId, curator] }),
    ctx.client.readContract({ address, abi: curationPoolAbi, functionName: "claimable", args: [listingId, curator] }),
  ]);
  return { active, thawing, thawEnd: position.thawEnd, warming, warmEnd: position.warmEnd, claimable };
}

/** Approve (when needed), then stake `amount` on `listingId`. */
export async function populateStakeSteps(
  ctx: ChainContext,
  account: Address,
  listingId: bigint,
  amount: bigint,
): Promise<TxRequest[]> {
  const pool = addressOf(ctx, "CurationPool");
  return [
    ...(await approvalSteps(ctx, account, pool, amount, "curation pool")),
    {
      to: pool,
      data: encodeFunctionData({ abi: curationPoolAbi, functionName: "stake", args: [listingId, amount] }),
      description: `Stake ${formatCur(amount)} on listing #${listingId}`,
    },
  ];
}

export function populateRequestUnstakeTx(ctx: ChainContext, listingId: bigint, amount: bigint): TxRequest {
  return {
    to: addressOf(ctx, "CurationPool"),
    data: encodeFunctionData({ abi: curationPoolAbi, functionName: "requestUnstake", args: [listingId, amount] }),
    description: `Request to unstake ${formatCur(amount)} from listing #${listingId}`,
  };
}

/** Turns the curator's warm stake into active stake once its warm-up is over (anyone may send it). */
export function populateActivateTx(ctx: ChainContext, listingId: bigint, curator: Address): TxRequest {
  return {
    to: addressOf(ctx, "CurationPool"),
    data: encodeFunctionData({ abi: curationPoolAbi, functionName: "activate", args: [listingId, curator] }),
    description: `Activate the warm stake on listing #${listingId}`,
  };
}

export function populateWithdrawTx(ctx: ChainContext, listingId: bigint): TxRequest {
  return {
    to: addressOf(ctx, "CurationPool"),
    data: encodeFunctionData({ abi: curationPoolAbi, functionName: "withdraw", args: [listingId] }),
    description: `Withdraw thawed stake from listing #${listingId}`,
  };
}

export function populateClaimTx(ctx: ChainContext, listingId: bigint, to: Address): TxRequest {
  return {
    to: addressOf(ctx, "CurationPool"),
    data: encodeFunctionData({ abi: curationPoolAbi, functionName: "claim", args: [listingId, to] }),
    description: `Claim curation rewards from listing #${listingId}`,
  };
}
