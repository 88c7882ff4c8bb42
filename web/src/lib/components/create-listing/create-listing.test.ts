import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { decodeFunctionData } from "viem";
import { describe, expect, it, vi } from "vitest";
import { curiaTokenAbi, listingRegistryAbi } from "@curia/protocol";
import { fakeReadClient, TEST_CONFIG, testContext } from "../../../test/context";
import CreateListing from "./create-listing.svelte";

const CUR = 10n ** 18n;
const HASH = `0x${"ab".repeat(32)}`;

function sentTxs(calls: { method: string; params?: unknown }[]) {
  return calls
    .filter((c) => c.method === "eth_sendTransaction")
    .map((c) => (c.params as [{ to: string; data: `0x${string}` }])[0]);
}

describe("<CreateListing>", () => {
  it("says what is wrong with every field when submitted empty, and sends nothing", async () => {
    const { context, wallet, provider } = testContext({ client: fakeReadClient({ allowance: 0n }) });
    await wallet.restore();
    render(CreateListing, {
      props: { minBond: 1000n * CUR, applicationPeriod: 86_400, balance: 5000n * CUR },
      context,
    });
    await fireEvent.input(screen.getByLabelText("Bond (CUR)"), { target: { value: "999" } });
    await fireEvent.click(screen.getByRole("button", { name: "Create listing" }));
    expect(screen.getByText("Enter the model's hash, or pick the model file to compute it.")).toBeInTheDocument();
    expect(screen.getByText("Link the model's metadata (a JSON document's URI).")).toBeInTheDocument();
    expect(screen.getByText("Enter the endpoint where you serve inference.")).toBeInTheDocument();
    expect(screen.getByText("Enter the price of one call in CUR, like 0.5.")).toBeInTheDocument();
    expect(screen.getByText("The bond must be at least 1,000 CUR.")).toBeInTheDocument();
    expect(screen.getByLabelText("Model hash")).toHaveAttribute("aria-invalid", "true");

    await fireEvent.input(screen.getByLabelText("Model hash"), { target: { value: "0x1234" } });
    expect(screen.getByText("The model hash is 32 bytes in hex: 0x and 64 hex digits.")).toBeInTheDocument();
    await fireEvent.input(screen.getByLabelText("Endpoint"), { target: { value: "ftp://x" } });
    expect(screen.getByText("Use an http:// or https:// URL.")).toBeInTheDocument();
    await fireEvent.input(screen.getByLabelText("Bond (CUR)"), { target: { value: "6000" } });
    expect(screen.getByText("You hold only 5,000 CUR.")).toBeInTheDocument();
    expect(sentTxs(provider.calls)).toEqual([]);
  });

  it("approves the bond, then creates the listing with the typed values in wei", async () => {
    const { context, wallet, provider } = testContext({ client: fakeReadClient({ allowance: 0n }) });
    await wallet.restore();
    const oncreated = vi.fn();
    render(CreateListing, {
      props: { minBond: 1000n * CUR, applicationPeriod: 86_400, balance: 5000n * CUR, oncreated },
      context,
    });
    // The bond starts at the minimum.
    expect(screen.getByLabelText("Bond (CUR)")).toHaveValue("1000");
    await fireEvent.input(screen.getByLabelText("Model hash"), { target: { value: HASH } });
    await fireEvent.input(screen.getByLabelText("Metadata URI"), { target: { value: "ipfs://meta" } });
    await fireEvent.input(screen.getByLabelText("Endpoint"), { target: { value: "http://127.0.0.1:8545/v1" } });
    await fireEvent.input(screen.getByLabelText("Price per call (CUR)"), { target: { value: "0.25" } });
    await fireEvent.input(screen.getByLabelText("Bond (CUR)"), { target: { value: "1,500" } });
    await fireEvent.click(screen.getByRole("button", { name: "Create listing" }));
    await waitFor(() => expect(oncreated).toHaveBeenCalledOnce());

    const [approve, create] = sentTxs(provider.calls);
    expect(approve!.to).toBe(TEST_CONFIG.contracts.CuriaToken);
    expect(decodeFunctionData({ abi: curiaTokenAbi, data: approve!.data }).args).toEqual([
      TEST_CONFIG.contracts.ListingRegistry,
      1500n * CUR,
    ]);
    expect(create!.to).toBe(TEST_CONFIG.contracts.ListingRegistry);
    const call = decodeFunctionData({ abi: listingRegistryAbi, data: create!.data });
    expect(call.functionName).toBe("createListing");
    expect(call.args).toEqual([HASH, "ipfs://meta", "http://127.0.0.1:8545/v1", CUR / 4n, 1500n * CUR]);
  });

  it("computes the model hash from a picked file (sha-256)", async () => {
    const { context, wallet } = testContext({ client: fakeReadClient({ allowance: 0n }) });
    await wallet.restore();
    render(CreateListing, { props: { minBond: CUR, applicationPeriod: 60, balance: 10n * CUR }, context });
    const file = new File([new TextEncoder().encode("abc")], "model.onnx");
    // jsdom's File has no arrayBuffer(): hand it one.
    Object.defineProperty(file, "arrayBuffer", { value: async () => new TextEncoder().encode("abc").buffer });
    await fireEvent.change(screen.getByLabelText("Model file"), { target: { files: [file] } });
    // sha-256("abc"), the FIPS 180-2 test vector.
    await waitFor(() =>
      expect(screen.getByLabelText("Model hash")).toHaveValue(
        "0xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
      ),
    );
  });
});
