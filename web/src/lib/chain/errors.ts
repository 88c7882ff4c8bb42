// Any failure of a read, simulation or transaction in words, with the protocol's shared describeError: the contracts'
// custom errors decoded with viem over every Curia error ("CourtDisputeNotFound(7)", and "Court dispute not found
// (disputeId 7)." for people), require strings, panics, wallet rejections.
import { decodeErrorResult, type Hex } from "viem";
import {
  curiaErrorsAbi,
  describeError,
  describeRevertData,
  findRevertData,
  type DescribedError,
  type RevertDecoder,
} from "@curia/protocol";

export type DecodedError = DescribedError;
export { findRevertData };

/** viem's decodeErrorResult over curiaErrorsAbi (it knows Error(string) and Panic(uint256) too). */
export const decodeCuriaRevert: RevertDecoder = (data) => {
  const decoded = decodeErrorResult({ abi: curiaErrorsAbi, data });
  return {
    name: decoded.errorName,
    args: (decoded.args ?? []) as readonly unknown[],
    inputs: decoded.abiItem.type === "error" ? decoded.abiItem.inputs : [],
  };
};

/** Decodes revert data with every Curia contract's errors (and Error(string) / Panic(uint256)). */
export function decodeRevertData(data: Hex): DecodedError {
  return describeRevertData(data, decodeCuriaRevert);
}

/** Anything thrown while reading, simulating or sending → a DecodedError. */
export function decodeError(error: unknown): DecodedError {
  return describeError(error, decodeCuriaRevert);
}

/** One sentence for a page's error message: a custom error by name with its arguments, never a raw dump. */
export function errorMessage(error: unknown): string {
  return decodeError(error).message;
}
