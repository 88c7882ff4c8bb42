// describeError for Node programs on ethers: Curia's custom errors decoded with ethers' Interface over curiaErrorsAbi.
import { Interface } from "ethers";
import { curiaErrorsAbi } from "../generated/abis.js";
import { describeError, describeRevertData, type DescribedError, type RevertDecoder } from "../errors.js";

let errorsInterface: Interface | undefined;

/** Decodes revert data with every Curia contract's custom errors (and Error(string) / Panic(uint256)). */
export const decodeCuriaRevert: RevertDecoder = (data) => {
  errorsInterface ??= new Interface(curiaErrorsAbi as unknown as string[]);
  const parsed = errorsInterface.parseError(data);
  if (parsed === null) return undefined;
  return { name: parsed.name, args: [...parsed.args], inputs: parsed.fragment.inputs };
};

/** Anything an ethers call, estimate or transaction threw → words (`CourtDisputeNotFound: disputeId 7`). */
export function describeEthersError(error: unknown): DescribedError {
  return describeError(error, decodeCuriaRevert);
}

export function describeEthersRevertData(data: `0x${string}`): DescribedError {
  return describeRevertData(data, decodeCuriaRevert);
}
