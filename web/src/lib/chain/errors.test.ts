import { BaseError, encodeErrorResult, type Hex } from "viem";
import { describe, expect, it } from "vitest";
import { curiaErrorsAbi } from "@curia/protocol";
import { decodeError, decodeRevertData, findRevertData } from "./errors";

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
});
