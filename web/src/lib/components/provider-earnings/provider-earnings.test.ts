import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { decodeFunctionData, type Hex } from "viem";
import { describe, expect, it, vi } from "vitest";
import { listingRegistryAbi } from "@curia/protocol";
import { ACCOUNT, fakeReadClient, TEST_CONFIG, testContext } from "../../../test/context";
import ProviderEarnings from "./provider-earnings.svelte";

const CUR = 10n ** 18n;

async function renderFor(provider: string, escrow: [bigint, bigint, number], earnings: bigint) {
  const {
    context,
    wallet,
    provider: eth,
  } = testContext({
    client: fakeReadClient({ "ListingRegistry.escrowOf": escrow, "ListingRegistry.earningsOf": earnings }),
  });
  await wallet.restore();
  const onchange = vi.fn();
  render(ProviderEarnings, { props: { listingId: 2n, provider, onchange }, context });
  return { eth, onchange };
}

describe("<ProviderEarnings>", () => {
  it("lets the provider release what is due and withdraw what was released", async () => {
    const { eth, onchange } = await renderFor(ACCOUNT.toLowerCase(), [40n * CUR, 25n * CUR, 1_800_003_600], 10n * CUR);
    expect(
      await screen.findByText(
        /In escrow: 40 CUR locked \(the next part is due in 1 h\), 25 CUR releasable now\. Withdrawable: 10 CUR\./,
      ),
    ).toBeInTheDocument();
    await fireEvent.click(screen.getByRole("button", { name: "Release earnings" }));
    await waitFor(() => expect(onchange).toHaveBeenCalledTimes(1));
    await fireEvent.click(screen.getByRole("button", { name: "Withdraw earnings" }));
    await waitFor(() => expect(onchange).toHaveBeenCalledTimes(2));
    const sent = eth.calls
      .filter((c) => c.method === "eth_sendTransaction")
      .map((c) => (c.params as [{ to: string; data: Hex }])[0]);
    expect(sent.map((t) => t.to)).toEqual([
      TEST_CONFIG.contracts.ListingRegistry,
      TEST_CONFIG.contracts.ListingRegistry,
    ]);
    expect(decodeFunctionData({ abi: listingRegistryAbi, data: sent[0]!.data })).toEqual({
      functionName: "releaseEarnings",
      args: [2n],
    });
    expect(decodeFunctionData({ abi: listingRegistryAbi, data: sent[1]!.data })).toEqual({
      functionName: "withdrawEarnings",
      args: [ACCOUNT],
    });
  });

  it("shows no button when nothing is releasable or withdrawable", async () => {
    await renderFor(ACCOUNT, [40n * CUR, 0n, 1_800_003_600], 0n);
    expect(await screen.findByText(/0 CUR releasable now/)).toBeInTheDocument();
    expect(screen.queryByRole("button")).toBeNull();
  });

  it("shows nothing to another account", async () => {
    await renderFor("0x90f79bf6eb2c4f870365e785982e1f101e93b906", [40n * CUR, 25n * CUR, 0], 10n * CUR);
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByTestId("provider-earnings")).toBeNull();
  });
});
