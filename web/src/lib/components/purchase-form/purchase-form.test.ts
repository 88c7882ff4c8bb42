import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { decodeFunctionData } from "viem";
import { describe, expect, it, vi } from "vitest";
import { curiaTokenAbi, listingRegistryAbi } from "@curia/protocol";
import { checkPurchase } from "../../marketplace/curation-forms";
import { fakeReadClient, TEST_CONFIG, testContext } from "../../../test/context";
import PurchaseForm from "./purchase-form.svelte";

const CUR = 10n ** 18n;
const PRICE = 2n * CUR;

const fakeClient = (balance: bigint, allowance: bigint, paidCalls: bigint) =>
  fakeReadClient({ balanceOf: balance, allowance, callsPurchased: paidCalls });

const props = (over: { paused?: boolean } = {}) => ({
  listingId: 1n,
  pricePerCall: PRICE,
  status: "Active" as const,
  paused: false,
  withdrawing: false,
  ...over,
});

describe("<PurchaseForm>", () => {
  it("prices the calls, refuses more than the balance pays for, then approves the cost and buys for the buyer", async () => {
    const client = fakeClient(500n * CUR, 0n, 40n);
    const { context, wallet, provider } = testContext({ client });
    await wallet.restore();
    const onpurchased = vi.fn();
    render(PurchaseForm, { props: { ...props(), onpurchased }, context });

    expect(await screen.findByTestId("paid-calls")).toHaveTextContent("Calls you have bought on this listing: 40");
    expect(screen.getByText(/2 CUR per call: 200 CUR in all/)).toBeInTheDocument();
    const input = screen.getByLabelText("Calls");
    const button = screen.getByRole("button", { name: "Buy calls" });

    await fireEvent.input(input, { target: { value: "300" } });
    expect(screen.getByText("300 calls cost 600 CUR; you hold 500 CUR.")).toBeInTheDocument();
    expect(input).toHaveAttribute("aria-invalid", "true");
    expect(button).toBeDisabled();
    await fireEvent.input(input, { target: { value: "1.5" } });
    expect(screen.getByText("Enter a whole number of calls, like 100.")).toBeInTheDocument();
    await fireEvent.input(input, { target: { value: "250" } });
    expect(button).toBeEnabled();

    await fireEvent.click(button);
    await waitFor(() => expect(onpurchased).toHaveBeenCalledOnce());
    const sent = provider.calls
      .filter((c) => c.method === "eth_sendTransaction")
      .map((c) => (c.params as [{ from: string; to: string; data: `0x${string}` }])[0]);
    expect(sent).toHaveLength(2);
    expect(sent[0]!.to).toBe(TEST_CONFIG.contracts.CuriaToken);
    expect(decodeFunctionData({ abi: curiaTokenAbi, data: sent[0]!.data }).args).toEqual([
      TEST_CONFIG.contracts.ListingRegistry,
      500n * CUR,
    ]);
    expect(sent[1]!.to).toBe(TEST_CONFIG.contracts.ListingRegistry);
    const purchase = decodeFunctionData({ abi: listingRegistryAbi, data: sent[1]!.data });
    expect(purchase.functionName).toBe("purchase");
    expect(purchase.args![0]).toBe(1n);
    expect(purchase.args![1]).toBe(250n);
    expect(String(purchase.args![2]).toLowerCase()).toBe(sent[1]!.from.toLowerCase());
  });

  it("skips the approval when the allowance covers the cost", async () => {
    const { context, wallet, provider } = testContext({
      client: fakeClient(500n * CUR, 10_000n * CUR, 0n),
    });
    await wallet.restore();
    const onpurchased = vi.fn();
    render(PurchaseForm, { props: { ...props(), onpurchased }, context });
    const button = await screen.findByRole("button", { name: "Buy calls" });
    await waitFor(() => expect(button).toBeEnabled()); // once the balance is read
    await fireEvent.click(button);
    await waitFor(() => expect(onpurchased).toHaveBeenCalledOnce());
    const sent = provider.calls.filter((c) => c.method === "eth_sendTransaction");
    expect(sent).toHaveLength(1);
  });

  it("without a wallet, offers to connect it (nothing to check the balance against yet) instead of a mute disabled button", async () => {
    const { context } = testContext({ client: fakeClient(500n * CUR, 0n, 0n) });
    render(PurchaseForm, { props: props(), context });
    expect(screen.getByRole("button", { name: "Connect wallet to buy calls" })).toBeEnabled();
    expect(screen.queryByTestId("disabled-reason")).toBeNull();
  });

  it("says next to the disabled button why it is disabled, before any field is touched", async () => {
    const { context, wallet } = testContext({ client: fakeClient(150n * CUR, 0n, 0n) });
    await wallet.restore();
    render(PurchaseForm, { props: props(), context });
    const reason = await screen.findByTestId("disabled-reason");
    expect(reason).toHaveTextContent("100 calls cost 200 CUR; you hold 150 CUR.");
    const button = screen.getByRole("button", { name: "Buy calls" });
    expect(button).toBeDisabled();
    expect(button).toHaveAccessibleDescription("100 calls cost 200 CUR; you hold 150 CUR.");
    // Once the field shows the error, the button does not repeat it.
    await fireEvent.input(screen.getByLabelText("Calls"), { target: { value: "80" } });
    expect(button).toBeDisabled();
    expect(screen.getByText("80 calls cost 160 CUR; you hold 150 CUR.")).toHaveClass("field-error");
    expect(screen.queryByTestId("disabled-reason")).toBeNull();
  });

  it("says why a listing sells no calls", async () => {
    const { context, wallet } = testContext({
      client: fakeClient(500n * CUR, 0n, 0n),
    });
    await wallet.restore();
    render(PurchaseForm, { props: props({ paused: true }), context });
    expect(await screen.findByText("The provider paused this listing: it sells no calls now.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Buy calls" })).toBeDisabled();
  });
});

describe("checkPurchase", () => {
  const ctx = {
    balance: 100n * CUR,
    pricePerCall: PRICE,
    status: "Active" as const,
    paused: false,
    withdrawing: false,
  };
  it("accepts whole calls within the balance and gives the cost", () => {
    expect(checkPurchase(" 50 ", ctx)).toEqual({ ok: true, calls: 50n, cost: 100n * CUR });
    expect(checkPurchase("1_0", ctx)).toEqual({ ok: true, calls: 10n, cost: 20n * CUR });
  });
  it("refuses zero, too many, non-numbers and listings that do not sell", () => {
    expect(checkPurchase("0", ctx)).toEqual({ ok: false, error: "Buy at least one call." });
    expect(checkPurchase("1000000000001", { ...ctx, balance: 10n ** 40n })).toEqual({
      ok: false,
      error: "At most 1,000,000,000,000 calls per purchase.",
    });
    expect(checkPurchase("-3", ctx).ok).toBe(false);
    expect(checkPurchase("10", { ...ctx, status: "Challenged" })).toEqual({
      ok: false,
      error: "This listing is challenged: it sells no calls now.",
    });
    expect(checkPurchase("10", { ...ctx, withdrawing: true }).ok).toBe(false);
    // No wallet yet: no balance to refuse against; the wallet connects first and the balance is checked then.
    expect(checkPurchase("1000", { ...ctx, balance: undefined })).toEqual({
      ok: true,
      calls: 1000n,
      cost: 2000n * CUR,
    });
  });
});
