// ValidationManager: the validator registry and quality rounds (reads for the Validators screens), and the appeal of
// the automatic disputes its pool raised.
import { encodeFunctionData } from "viem";
import { validationManagerAbi } from "@curia/protocol";
import { addressOf, type ChainContext, type TxRequest } from "./context";

export async function readValidationParameters(ctx: ChainContext) {
  const p = await ctx.client.readContract({
    address: addressOf(ctx, "ValidationManager"),
    abi: validationManagerAbi,
    functionName: "parameters",
  });
  return { ...p };
}

/**
 * Asks the validators' pool to appeal `disputeId`, an automatic dispute it raised and lost the last round of (anyone
 * may ask; the pool pays the appeal fee, as it paid the bond).
 */
export function populateAppealDisputeTx(ctx: ChainContext, disputeId: bigint): TxRequest {
  return {
    to: addressOf(ctx, "ValidationManager"),
    data: encodeFunctionData({ abi: validationManagerAbi, functionName: "appealDispute", args: [disputeId] }),
    description: `Ask the validators' pool to appeal dispute #${disputeId}`,
  };
}
