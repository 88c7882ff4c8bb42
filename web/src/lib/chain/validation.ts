// ValidationManager: the validator registry and quality rounds (reads for the Validators screens).
import { validationManagerAbi } from "./abis.generated";
import { addressOf, type ChainContext } from "./context";

export async function readValidationParameters(ctx: ChainContext) {
  const p = await ctx.client.readContract({
    address: addressOf(ctx, "ValidationManager"),
    abi: validationManagerAbi,
    functionName: "parameters",
  });
  return { ...p };
}
