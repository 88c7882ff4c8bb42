// CuriaTimelock: the DAO's executor and treasury. Simulates proposal calls as the timelock before they are proposed.
import type { Hex } from "viem";
import { curiaTimelockAbi } from "@curia/protocol";
import { addressOf, type ChainContext } from "./context";
import type { ProposalCall } from "./governor";
import { decodeError, type DecodedError } from "./errors";

export function readMinDelay(ctx: ChainContext): Promise<bigint> {
  return ctx.client.readContract({
    address: addressOf(ctx, "CuriaTimelock"),
    abi: curiaTimelockAbi,
    functionName: "getMinDelay",
  });
}

export interface SimulationResult {
  call: ProposalCall;
  ok: boolean;
  /** Return data when it succeeded. */
  returnData?: Hex;
  error?: DecodedError;
}

/**
 * Runs each call with `eth_call` from the timelock's address, as the timelock will when the proposal executes.
 * Each call runs against the current state on its own (the chain has no multi-call simulation everywhere), so a call
 * that depends on an earlier one of the same proposal may be reported as failing: the preview says so.
 */
export async function simulateAsTimelock(
  ctx: ChainContext,
  calls: readonly ProposalCall[],
): Promise<SimulationResult[]> {
  const from = addressOf(ctx, "CuriaTimelock");
  return Promise.all(
    calls.map(async (call): Promise<SimulationResult> => {
      try {
        const { data } = await ctx.client.call({
          account: from,
          to: call.target,
          data: call.calldata,
          value: call.value,
          blockTag: "pending",
        });
        return { call, ok: true, returnData: data ?? "0x" };
      } catch (error) {
        return { call, ok: false, error: decodeError(error) };
      }
    }),
  );
}
