import { render, screen } from "@testing-library/svelte";
import { encodeErrorResult } from "viem";
import { describe, expect, it } from "vitest";
import { TEST_CONFIG } from "../../../test/context";
import { curiaErrorsAbi } from "@curia/protocol";
import { decodeRevertData } from "../../chain/errors";
import { decodeCall } from "../../governance/actions";
import { protocolFeeTemplate } from "../../governance/templates";
import DecodedCalls from "./decoded-calls.svelte";

describe("<DecodedCalls>", () => {
  it("names the contract, the function and its arguments in their units, marks raw calldata, shows each simulation", () => {
    const fee = protocolFeeTemplate(TEST_CONFIG, "3");
    if (!fee.ok) throw new Error("template");
    const call = decodeCall(TEST_CONFIG, fee.call.target, 0n, fee.call.calldata);
    const unknown = decodeCall(TEST_CONFIG, "0x0000000000000000000000000000000000000001", 0n, "0x12345678");
    const error = decodeRevertData(
      encodeErrorResult({
        abi: curiaErrorsAbi,
        errorName: "ListingParameterOutOfBounds",
        args: ["0x70726f746f636f6c466565427073000000000000000000000000000000000000", 3000n, 0n, 1000n],
      }),
    );
    render(DecodedCalls, {
      props: {
        calls: [call, unknown],
        simulation: [
          { call: fee.call, ok: true, returnData: "0x" },
          { call: { target: unknown.target, value: 0n, calldata: unknown.calldata }, ok: false, error },
        ],
      },
    });
    expect(screen.getByText("ListingRegistry")).toBeInTheDocument();
    expect(screen.getByText(".setProtocolFee")).toBeInTheDocument();
    expect(screen.getByText("newFeeBps")).toBeInTheDocument();
    expect(screen.getByText("3%")).toHaveAttribute("title", "exact value: 300");
    expect(screen.getByTestId("simulation-ok")).toHaveTextContent("simulated: succeeds");
    expect(screen.getByTestId("undecoded")).toHaveTextContent("not a Curia contract: not decoded");
    expect(screen.getByTestId("raw-calldata")).toHaveTextContent("0x12345678");
    expect(screen.getByTestId("simulation-failed")).toBeInTheDocument();
    expect(screen.getByRole("alert")).toHaveTextContent(/^ListingParameterOutOfBounds\(0x70726f74.*, 3000, 0, 1000\)$/);
  });
});
