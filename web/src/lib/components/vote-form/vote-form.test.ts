import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { decodeFunctionData, type PublicClient } from "viem";
import { describe, expect, it, vi } from "vitest";
import { curiaGovernorAbi } from "@curia/protocol";
import { testContext } from "../../../test/context";
import VoteForm from "./vote-form.svelte";

describe("<VoteForm>", () => {
  it("needs a choice before sending, refuses an over-long reason, and votes with the reason", async () => {
    const client = {
      call: vi.fn(async () => ({ data: "0x" as const })),
      waitForTransactionReceipt: vi.fn(async () => ({ status: "success", blockNumber: 9n })),
    };
    const { context, wallet, provider } = testContext({ client: client as unknown as Partial<PublicClient> });
    await wallet.restore();
    const onvoted = vi.fn();
    render(VoteForm, { props: { proposalId: 42n, votingPower: 5n * 10n ** 18n, onvoted }, context });

    const button = screen.getByRole("button", { name: "Cast vote" });
    expect(button).toBeDisabled();
    expect(screen.getByText(/Your voting power at the snapshot/)).toHaveTextContent("5 CUR");

    await fireEvent.click(screen.getByRole("radio", { name: "Against" }));
    expect(button).toBeEnabled();
    const reason = screen.getByLabelText(/Reason/);
    await fireEvent.input(reason, { target: { value: "x".repeat(2001) } });
    expect(reason).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByText(/Keep the reason under 2000 characters/)).toBeInTheDocument();
    expect(button).toBeDisabled();

    await fireEvent.input(reason, { target: { value: "Too risky for the treasury." } });
    await fireEvent.click(button);
    await waitFor(() => expect(onvoted).toHaveBeenCalledOnce());
    const sent = provider.calls.find((c) => c.method === "eth_sendTransaction")!.params as [{ data: `0x${string}` }];
    expect(decodeFunctionData({ abi: curiaGovernorAbi, data: sent[0].data })).toEqual({
      functionName: "castVoteWithReason",
      args: [42n, 0, "Too risky for the treasury."],
    });
  });

  it("tells a voter without voting power how to get some, and one who voted that it is done", () => {
    const { context } = testContext({});
    render(VoteForm, { props: { proposalId: 1n, votingPower: 0n, hasVoted: true }, context });
    expect(screen.getByText(/delegate your tokens/)).toBeInTheDocument();
    expect(screen.getByText("You have voted on this proposal.")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Cast vote" })).toBeNull();
  });
});
