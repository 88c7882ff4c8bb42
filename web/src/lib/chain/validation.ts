// ValidationManager: quality rounds (reads for the Validators screens), validators' rewards, and the appeal of the
// automatic disputes its pool raised. Validators' stakes live in the validators' pool (stake-pool.ts).
import { encodeFunctionData } from "viem";
import { validationManagerAbi } from "@curia/protocol";
import { addressOf, type ChainContext, type TxRequest } from "./context";

/** IValidationManager.ValidationParameters (a validator's minimum stake and thawing period are the pool's). */
export async function readValidationParameters(ctx: ChainContext) {
  const p = await ctx.client.readContract({
    address: addressOf(ctx, "ValidationManager"),
    abi: validationManagerAbi,
    functionName: "parameters",
  });
  return { ...p };
}

/**
 * Asks the validators' pool to appeal `disputeId`, an automatic dispute it raised and lost the last round of (only a
 * validator who revealed a score in the round that raised it may ask; the pool pays the appeal fee, as it paid the
 * bond).
 */
export function populateAppealDisputeTx(ctx: ChainContext, disputeId: bigint): TxRequest {
  return {
    to: addressOf(ctx, "ValidationManager"),
    data: encodeFunctionData({ abi: validationManagerAbi, functionName: "appealDispute", args: [disputeId] }),
    description: `Ask the validators' pool to appeal dispute #${disputeId}`,
  };
}

/** Pays the caller's credited validator rewards. */
export function populateClaimRewardsTx(ctx: ChainContext): TxRequest {
  return {
    to: addressOf(ctx, "ValidationManager"),
    data: encodeFunctionData({ abi: validationManagerAbi, functionName: "claimRewards" }),
    description: "Claim your validator rewards",
  };
}
