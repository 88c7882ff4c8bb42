import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { decodeFunctionData } from "viem";
import { describe, expect, it } from "vitest";
import { courtAbi } from "@curia/protocol";
import { fakeReadClient, TEST_CONFIG, testContext } from "../../../test/context";
import CourtTreasury from "./court-treasury.svelte";

const CUR = 10n ** 18n;

describe("<CourtTreasury>", () => {
  it("shows what the Court set aside and sends it to the treasury with sweepTreasury", async () => {
    let owed = 42n * CUR;
    const client = fakeReadClient({ "Court.totalOwed": () => [0n, 0n, 0n, owed] });
    const { context, wallet, provider } = testContext({ client });
    await wallet.restore();
    render(CourtTreasury, { context });
    expect(await screen.findByTestId("court-treasury-owed")).toHaveTextContent("42 CUR");
    owed = 0n;
    await fireEvent.click(screen.getByRole("button", { name: "Send to the treasury" }));
    await waitFor(() => expect(screen.getByTestId("court-treasury-owed")).toHaveTextContent("0 CUR"));
    const sent = provider.calls
      .filter((c) => c.method === "eth_sendTransaction")
      .map((c) => (c.params as [{ to: string; data: `0x${string}` }])[0]);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.to).toBe(TEST_CONFIG.contracts.Court);
    expect(decodeFunctionData({ abi: courtAbi, data: sent[0]!.data })).toEqual({ functionName: "sweepTreasury" });
    expect(screen.getByRole("button", { name: "Send to the treasury" })).toBeDisabled();
  });

  it("offers nothing to send when nothing is set aside", async () => {
    const { context, wallet } = testContext({ client: fakeReadClient({ "Court.totalOwed": [0n, 0n, 0n, 0n] }) });
    await wallet.restore();
    render(CourtTreasury, { context });
    expect(await screen.findByTestId("court-treasury-owed")).toHaveTextContent("0 CUR");
    expect(screen.getByRole("button", { name: "Send to the treasury" })).toBeDisabled();
  });
});
