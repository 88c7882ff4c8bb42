// CuriaLens: read-only views that gather what one screen needs from several contracts in one call (a plain contract,
// recorded as "CuriaLens"; it holds no state).
import type { Address } from "viem";
import { curiaLensAbi } from "@curia/protocol";
import { addressOf, type ChainContext } from "./context";
import type { PoolMember } from "./stake-pool";

/** A member of a stake pool with its draw weight and, for a validator, its credited rewards. */
export interface StakeInfo extends PoolMember {
  /** Its drawable stake in whole CUR: its weight in draws. */
  weight: bigint;
  /** Every member's weight together. */
  totalWeight: bigint;
  /** Credited validator rewards it can claim (zero for jurors: theirs are paid when they settle). */
  rewards: bigint;
}

type LensStakeInfo = {
  stake: { staked: bigint; locked: bigint; thawing: bigint; thawEnd: number };
  weight: bigint;
  totalWeight: bigint;
  rewards: bigint;
};

function stakeInfo(info: LensStakeInfo): StakeInfo {
  const { staked, locked, thawing, thawEnd } = info.stake;
  return {
    staked,
    locked,
    thawing,
    thawEnd: Number(thawEnd),
    weight: info.weight,
    totalWeight: info.totalWeight,
    rewards: info.rewards,
  };
}

/** `account` in the jurors' pool, with its draw weight. */
export async function readJurorInfo(ctx: ChainContext, account: Address): Promise<StakeInfo> {
  return stakeInfo(
    await ctx.client.readContract({
      address: addressOf(ctx, "CuriaLens"),
      abi: curiaLensAbi,
      functionName: "jurorInfo",
      args: [account],
    }),
  );
}

/** `account` in the validators' pool, with its draw weight and credited rewards. */
export async function readValidatorInfo(ctx: ChainContext, account: Address): Promise<StakeInfo> {
  return stakeInfo(
    await ctx.client.readContract({
      address: addressOf(ctx, "CuriaLens"),
      abi: curiaLensAbi,
      functionName: "validatorInfo",
      args: [account],
    }),
  );
}
