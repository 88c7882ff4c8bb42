import { render, screen } from "@testing-library/svelte";
import {
  ContractFunctionExecutionError,
  ContractFunctionRevertedError,
  encodeErrorResult,
  type PublicClient,
} from "viem";
import { describe, expect, it, vi } from "vitest";
import { courtAbi } from "@curia/protocol";
import { TEST_CONFIG, testContext } from "../../test/context";
import Dispute from "./dispute.svelte";

describe("dispute page", () => {
  it("says a dispute the Court does not know is not found, by the custom error's name, not with viem's dump", async () => {
    const data = encodeErrorResult({ abi: courtAbi, errorName: "CourtDisputeNotFound", args: [42n] });
    const reverted = (functionName: string, args: unknown[]) =>
      new ContractFunctionExecutionError(new ContractFunctionRevertedError({ abi: courtAbi, data, functionName }), {
        abi: courtAbi,
        functionName,
        args,
        contractAddress: TEST_CONFIG.contracts.Court,
      });
    const client = {
      readContract: vi.fn(async ({ functionName, args }: { functionName: string; args?: unknown[] }) => {
        throw reverted(functionName, args ?? []);
      }),
      getBlock: vi.fn(async () => ({ number: 5n, timestamp: 1_800_000_000n })),
    } as unknown as Partial<PublicClient>;
    const gql = { url: "http://test/graphql", request: vi.fn(async () => ({ dispute: null })) } as never;
    const { context } = testContext({ client, gql });
    render(Dispute, { props: { params: { id: "42" }, query: new URLSearchParams() }, context });
    expect(await screen.findByRole("heading", { name: "Dispute not found" })).toBeInTheDocument();
    expect(screen.getByTestId("dispute-missing")).toHaveTextContent(
      "The Court has no dispute #42 (CourtDisputeNotFound(42))",
    );
    expect(document.body.textContent).not.toMatch(/Contract Call|Raw Call Arguments|viem@/);
  });
});
