// StakePool: one contract deployed twice, the jurors' pool (JurorPool, managed by the Court) and the validators' pool
// (ValidatorPool, managed by the ValidationManager). Members stake (approving the POOL, not its manager), ask to
// unstake (the amount thaws for the pool's thawingPeriod) and withdraw what has thawed. A juror or a validator is
// simply a member with stake in its pool: "registering" as a validator is staking at least the pool's minStake, and a
// validator with no stake left has exited.
import { encodeFunctionData, type Address } from "viem";
import { stakePoolAbi } from "@curia/protocol";
import { addressOf, type ChainContext, type TxRequest } from "./context";
import { approvalSteps } from "./token";
import { formatCur } from "../format";

/** The two pools, by their names in the deployment record. */
export type PoolName = "JurorPool" | "ValidatorPool";

/** Who stakes in the pool: "juror" or "validator" (for the descriptions people sign). */
export const POOL_MEMBER: Record<PoolName, string> = { JurorPool: "juror", ValidatorPool: "validator" };
/** The pool in words: the spender an approval names. */
export const POOL_LABEL: Record<PoolName, string> = { JurorPool: "jurors' pool", ValidatorPool: "validators' pool" };

/** IStakePool.PoolParameters: the smallest drawable stake a member may hold (zero aside) and the thawing period. */
export interface PoolParameters {
  minStake: bigint;
  /** Seconds between an unstake request and the withdrawal. */
  thawingPeriod: number;
}

/** IStakePool.Member: `staked` is drawable (its weight in draws), `locked` is at risk, `thawing` waits for `thawEnd`. */
export interface PoolMember {
  staked: bigint;
  locked: bigint;
  thawing: bigint;
  thawEnd: number;
}

/** A member's chance in a draw: its weight (drawable stake in whole CUR) out of every member's. */
export interface DrawWeight {
  weight: bigint;
  totalWeight: bigint;
}

export async function readPoolParameters(ctx: ChainContext, pool: PoolName): Promise<PoolParameters> {
  const p = await ctx.client.readContract({
    address: addressOf(ctx, pool),
    abi: stakePoolAbi,
    functionName: "parameters",
  });
  return { minStake: p.minStake, thawingPeriod: p.thawingPeriod };
}

export async function readPoolMember(ctx: ChainContext, pool: PoolName, account: Address): Promise<PoolMember> {
  const m = await ctx.client.readContract({
    address: addressOf(ctx, pool),
    abi: stakePoolAbi,
    functionName: "memberOf",
    args: [account],
  });
  return { staked: m.staked, locked: m.locked, thawing: m.thawing, thawEnd: Number(m.thawEnd) };
}

export async function readDrawWeight(ctx: ChainContext, pool: PoolName, account: Address): Promise<DrawWeight> {
  const [weight, totalWeight] = await ctx.client.readContract({
    address: addressOf(ctx, pool),
    abi: stakePoolAbi,
    functionName: "drawWeight",
    args: [account],
  });
  return { weight, totalWeight };
}

/** Approve the pool (when needed), then stake `amount` in it. */
export async function populatePoolStakeSteps(
  ctx: ChainContext,
  pool: PoolName,
  account: Address,
  amount: bigint,
): Promise<TxRequest[]> {
  const address = addressOf(ctx, pool);
  return [
    ...(await approvalSteps(ctx, account, address, amount, POOL_LABEL[pool])),
    {
      to: address,
      data: encodeFunctionData({ abi: stakePoolAbi, functionName: "stake", args: [amount] }),
      description: `Stake ${formatCur(amount)} as a ${POOL_MEMBER[pool]}`,
    },
  ];
}

export function populatePoolRequestUnstakeTx(ctx: ChainContext, pool: PoolName, amount: bigint): TxRequest {
  return {
    to: addressOf(ctx, pool),
    data: encodeFunctionData({ abi: stakePoolAbi, functionName: "requestUnstake", args: [amount] }),
    description: `Start thawing ${formatCur(amount)} of ${POOL_MEMBER[pool]} stake`,
  };
}

export function populatePoolWithdrawTx(ctx: ChainContext, pool: PoolName): TxRequest {
  return {
    to: addressOf(ctx, pool),
    data: encodeFunctionData({ abi: stakePoolAbi, functionName: "withdraw" }),
    description: `Withdraw thawed ${POOL_MEMBER[pool]} stake`,
  };
}
