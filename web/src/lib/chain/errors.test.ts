import {
  BaseError,
  ContractFunctionExecutionError,
  ContractFunctionRevertedError,
  HttpRequestError,
  encodeErrorResult,
  type Hex,
} from "viem";
import { describe, expect, it } from "vitest";
import { courtAbi, curiaErrorsAbi } from "@curia/protocol";
import { decodeError, decodeRevertData, errorMessage, findRevertData } from "./errors";
import { TEST_CONFIG } from "../../test/context";

const PROPOSER = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc";

describe("decodeRevertData", () => {
  it("names a Curia custom error with its values and argument names", () => {
    const data = encodeErrorResult({
      abi: curiaErrorsAbi,
      errorName: "GovernorInsufficientProposerVotes",
      args: [PROPOSER, 0n, 10n ** 21n],
    });
    const decoded = decodeRevertData(data);
    expect(decoded.summary).toBe(`GovernorInsufficientProposerVotes(${PROPOSER}, 0, 1000000000000000000000)`);
    expect(decoded.args).toEqual([
      { name: "proposer", value: PROPOSER },
      { name: "votes", value: "0" },
      { name: "threshold", value: "1000000000000000000000" },
    ]);
  });

  it("reads require strings and panics, and admits unknown data", () => {
    // Error(string) "nope"
    const errorString = ("0x08c379a0" +
      "0000000000000000000000000000000000000000000000000000000000000020" +
      "0000000000000000000000000000000000000000000000000000000000000004" +
      "6e6f706500000000000000000000000000000000000000000000000000000000") as Hex;
    expect(decodeRevertData(errorString).summary).toBe("nope");
    const panic = ("0x4e487b71" + "0000000000000000000000000000000000000000000000000000000000000011") as Hex;
    expect(decodeRevertData(panic).summary).toBe("Panic: arithmetic overflow or underflow");
    expect(decodeRevertData("0xdeadbeef").name).toBe("UnknownError");
  });
});

describe("decodeError", () => {
  it("finds revert data deep in a viem error's cause chain", () => {
    const data = encodeErrorResult({ abi: curiaErrorsAbi, errorName: "CurationZeroAmount" });
    const inner = Object.assign(new Error("execution reverted"), { data });
    const outer = new BaseError("call failed", { cause: inner });
    expect(findRevertData(outer)).toBe(data);
    expect(decodeError(outer).summary).toBe("CurationZeroAmount()");
  });

  it("recognises a rejected wallet request", () => {
    expect(decodeError({ code: 4001, message: "User rejected" }).name).toBe("UserRejected");
    expect(decodeError(new Error("boom")).summary).toBe("boom");
  });

  it("turns viem's dump of a reverted read into the custom error by name with its argument", () => {
    const data = encodeErrorResult({ abi: courtAbi, errorName: "CourtDisputeNotFound", args: [7n] });
    const error = new ContractFunctionExecutionError(
      new ContractFunctionRevertedError({ abi: courtAbi, data, functionName: "getDispute" }),
      { abi: courtAbi, functionName: "getDispute", args: [7n], contractAddress: TEST_CONFIG.contracts.Court },
    );
    // What the page used to print: viem's multi-line message with the contract call's details.
    expect(error.message).toMatch(/Contract Call:/);
    const decoded = decodeError(error);
    expect(decoded).toMatchObject({ name: "CourtDisputeNotFound", summary: "CourtDisputeNotFound(7)" });
    expect(decoded.args).toEqual([{ name: "disputeId", value: "7" }]);
    expect(errorMessage(error)).toBe("Court dispute not found (disputeId 7).");
  });

  it("keeps a failed request to one line, without the request body", () => {
    const error = new HttpRequestError({ url: "http://127.0.0.1:8545", body: { method: "eth_call" }, status: 502 });
    expect(error.message).toMatch(/Request body/);
    expect(errorMessage(error)).toBe("HTTP request failed.");
  });
});
