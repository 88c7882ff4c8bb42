import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { decodeFunctionData } from "viem";
import { describe, expect, it, vi } from "vitest";
import { listingRegistryAbi } from "@curia/protocol";
import type { OwnListing } from "../../chain/registry";
import { ACCOUNT, fakeReadClient, TEST_CONFIG, testContext } from "../../../test/context";
import ManageListing from "./manage-listing.svelte";

const CUR = 10n ** 18n;
const NOW = 1_800_000_000;

const listing = (over: Partial<OwnListing> = {}): OwnListing => ({
  listingId: 4n,
  provider: ACCOUNT,
  status: "Active",
  paused: false,
  pricePerCall: CUR / 2n,
  bond: 1000n * CUR,
  modelHash: `0x${"cd".repeat(32)}`,
  metadataURI: "ipfs://old",
  endpointURI: "http://old.example/v1",
  activatesAt: NOW - 100,
  withdrawableAt: 0,
  activeDisputeId: 0n,
  ...over,
});

const client = () => fakeReadClient({ escrowOf: [0n, 0n, 0], earningsOf: 0n });

function sent(calls: { method: string; params?: unknown }[]) {
  return calls
    .filter((c) => c.method === "eth_sendTransaction")
    .map((c) => {
      const tx = (c.params as [{ to: string; data: `0x${string}` }])[0];
      expect(tx.to).toBe(TEST_CONFIG.contracts.ListingRegistry);
      return decodeFunctionData({ abi: listingRegistryAbi, data: tx.data });
    });
}

describe("<ManageListing>", () => {
  it("refuses a bad price or endpoint with a message, then sends the new price in wei", async () => {
    const { context, wallet, provider } = testContext({ client: client(), now: BigInt(NOW) });
    await wallet.restore();
    const onchange = vi.fn();
    render(ManageListing, { props: { listing: listing(), onchange }, context });
    const price = screen.getByLabelText("Price per call (CUR)");
    const update = screen.getByRole("button", { name: "Update price" });
    expect(price).toHaveValue("0.5");
    expect(update).toBeDisabled(); // unchanged

    await fireEvent.input(price, { target: { value: "0" } });
    expect(screen.getByText("The price must be above zero.")).toBeInTheDocument();
    expect(update).toBeDisabled();
    await fireEvent.input(screen.getByLabelText("Endpoint"), { target: { value: "not a url" } });
    expect(screen.getByText("Use an http:// or https:// URL.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Update endpoint" })).toBeDisabled();

    await fireEvent.input(price, { target: { value: "1.75" } });
    await fireEvent.click(update);
    await waitFor(() => expect(onchange).toHaveBeenCalledOnce());
    const [call] = sent(provider.calls);
    expect(call!.functionName).toBe("updatePrice");
    expect(call!.args).toEqual([4n, (175n * CUR) / 100n]);
  });

  it("sends the new metadata, pauses sales and asks to leave", async () => {
    const { context, wallet, provider } = testContext({ client: client(), now: BigInt(NOW) });
    await wallet.restore();
    const onchange = vi.fn();
    render(ManageListing, { props: { listing: listing(), onchange }, context });
    await fireEvent.input(screen.getByLabelText("Metadata URI"), { target: { value: "ipfs://new" } });
    await fireEvent.click(screen.getByRole("button", { name: "Update metadata" }));
    await waitFor(() => expect(onchange).toHaveBeenCalledTimes(1));
    await fireEvent.click(screen.getByRole("button", { name: "Pause sales" }));
    await waitFor(() => expect(onchange).toHaveBeenCalledTimes(2));
    await fireEvent.click(screen.getByRole("button", { name: "Request withdrawal" }));
    await waitFor(() => expect(onchange).toHaveBeenCalledTimes(3));
    expect(sent(provider.calls).map((c) => [c.functionName, c.args])).toEqual([
      ["updateMetadata", [4n, "ipfs://new"]],
      ["setListingPaused", [4n, true]],
      ["requestWithdrawal", [4n]],
    ]);
  });

  it("an exiting listing: the bond's return waits for the delay, then Complete withdrawal sends it", async () => {
    const early = testContext({ client: client(), now: BigInt(NOW) });
    await early.wallet.restore();
    const { unmount } = render(ManageListing, {
      props: { listing: listing({ withdrawableAt: NOW + 3600 }) },
      context: early.context,
    });
    expect(screen.getByTestId("own-listing-exit")).toHaveTextContent(
      "Sales stopped. Your 1,000 CUR bond can be taken back in 1 h",
    );
    expect(screen.getByRole("button", { name: "Complete withdrawal" })).toBeDisabled();
    expect(screen.queryByRole("button", { name: "Request withdrawal" })).toBeNull();
    unmount();

    const late = testContext({ client: client(), now: BigInt(NOW + 3600) });
    await late.wallet.restore();
    const onchange = vi.fn();
    render(ManageListing, {
      props: { listing: listing({ withdrawableAt: NOW + 3600 }), onchange },
      context: late.context,
    });
    await fireEvent.click(screen.getByRole("button", { name: "Complete withdrawal" }));
    await waitFor(() => expect(onchange).toHaveBeenCalledOnce());
    expect(sent(late.provider.calls).map((c) => c.functionName)).toEqual(["completeWithdrawal"]);
  });

  it("a withdrawn listing offers nothing to change", async () => {
    const { context, wallet } = testContext({ client: client(), now: BigInt(NOW) });
    await wallet.restore();
    render(ManageListing, { props: { listing: listing({ status: "Withdrawn", bond: 0n }) }, context });
    expect(screen.getByText("This listing is withdrawn: nothing more to change.")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Update price" })).toBeNull();
  });
});
