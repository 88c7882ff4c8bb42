import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { encodeErrorResult, encodeFunctionData, type PublicClient } from "viem";
import { describe, expect, it, vi } from "vitest";
import { curationPoolAbi, curiaErrorsAbi } from "@curia/protocol";
import type { TxRequest } from "../../chain/context";
import { ACCOUNT, FakeProvider, TEST_CONFIG, testContext } from "../../../test/context";
import Transaction from "./transaction.svelte";

const STAKE: TxRequest = {
  to: TEST_CONFIG.contracts.CurationPool,
  data: encodeFunctionData({ abi: curationPoolAbi, functionName: "stake", args: [1n, 5n] }),
  description: "Stake 5 wei on listing #1",
};

/** A revert as a JSON-RPC node reports it: the error's `data` holds the ABI-encoded custom error. */
function revert(errorName: "CurationStakeTooLow", args: readonly [bigint, bigint]) {
  const data = encodeErrorResult({ abi: curiaErrorsAbi, errorName, args });
  return Object.assign(new Error("execution reverted"), { data });
}

describe("<Transaction>", () => {
  it("simulates, sends through the wallet, shows pending, then the confirmation", async () => {
    let confirm: (value: unknown) => void = () => {};
    const client = {
      call: vi.fn(async () => ({ data: "0x" as const })),
      waitForTransactionReceipt: vi.fn(() => new Promise((resolve) => (confirm = resolve))),
    };
    const { context, provider, wallet } = testContext({ client: client as unknown as Partial<PublicClient> });
    await wallet.restore();
    const onconfirmed = vi.fn();
    render(Transaction, { props: { label: "Stake", prepare: () => STAKE, onconfirmed }, context });

    await fireEvent.click(screen.getByRole("button", { name: "Stake" }));
    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent("Pending: Stake 5 wei on listing #1"));
    expect(screen.getByRole("button")).toBeDisabled();
    expect(client.call).toHaveBeenCalledWith({
      account: ACCOUNT,
      to: STAKE.to,
      data: STAKE.data,
      value: undefined,
      blockTag: "pending",
    });
    const sent = provider.calls.find((c) => c.method === "eth_sendTransaction");
    expect(sent?.params).toEqual([{ from: ACCOUNT, to: STAKE.to, data: STAKE.data }]);

    confirm({ status: "success", blockNumber: 42n });
    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent("Confirmed in block 42"));
    expect(onconfirmed).toHaveBeenCalledOnce();
    expect(screen.getByRole("button", { name: "Stake" })).toBeEnabled();
  });

  it("shows the decoded custom error of a failing simulation and sends nothing", async () => {
    const client = { call: vi.fn(async () => Promise.reject(revert("CurationStakeTooLow", [5n, 10n ** 19n]))) };
    const provider = new FakeProvider();
    const { context, wallet } = testContext({ client: client as unknown as Partial<PublicClient>, provider });
    await wallet.restore();
    render(Transaction, { props: { label: "Stake", prepare: () => STAKE }, context });

    await fireEvent.click(screen.getByRole("button", { name: "Stake" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("CurationStakeTooLow(5, 10000000000000000000)");
    expect(alert).toHaveTextContent("amount");
    expect(alert).toHaveTextContent("minimum");
    expect(provider.calls.some((c) => c.method === "eth_sendTransaction")).toBe(false);
  });

  it("decodes the revert of a transaction that was mined but failed", async () => {
    const client = {
      call: vi
        .fn()
        .mockResolvedValueOnce({ data: "0x" })
        .mockRejectedValueOnce(revert("CurationStakeTooLow", [1n, 2n])),
      waitForTransactionReceipt: vi.fn(async () => ({ status: "reverted", blockNumber: 7n })),
    };
    const { context, wallet } = testContext({ client: client as unknown as Partial<PublicClient> });
    await wallet.restore();
    render(Transaction, { props: { label: "Stake", prepare: () => STAKE }, context });

    await fireEvent.click(screen.getByRole("button", { name: "Stake" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("CurationStakeTooLow(1, 2)");
    expect(client.call).toHaveBeenLastCalledWith(expect.objectContaining({ blockNumber: 6n }));
  });

  it("runs several steps in order (approve, then stake) and names the step in progress", async () => {
    const approve: TxRequest = { ...STAKE, description: "Allow the curation pool to take 5 wei" };
    const receipts: ((value: unknown) => void)[] = [];
    const client = {
      call: vi.fn(async () => ({ data: "0x" as const })),
      waitForTransactionReceipt: vi.fn(() => new Promise((resolve) => receipts.push(resolve))),
    };
    const { context, wallet } = testContext({ client: client as unknown as Partial<PublicClient> });
    await wallet.restore();
    render(Transaction, { props: { label: "Stake", prepare: async () => [approve, STAKE] }, context });

    await fireEvent.click(screen.getByRole("button", { name: "Stake" }));
    await waitFor(() =>
      expect(screen.getByRole("status")).toHaveTextContent("Pending (step 1 of 2): Allow the curation pool"),
    );
    receipts[0]!({ status: "success", blockNumber: 1n });
    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent("Pending (step 2 of 2): Stake 5 wei"));
    receipts[1]!({ status: "success", blockNumber: 2n });
    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent("Confirmed in block 2"));
  });

  it("asks to connect a disconnected wallet, and to switch a wallet on the wrong chain", async () => {
    const provider = new FakeProvider();
    provider.chainId = 1;
    const { context, wallet } = testContext({ client: {}, provider });
    render(Transaction, { props: { label: "Stake", prepare: () => STAKE }, context });
    expect(screen.getByRole("button")).toHaveTextContent("Connect wallet to stake");
    await wallet.connect();
    await waitFor(() => expect(screen.getByRole("button")).toHaveTextContent(`Switch to ${TEST_CONFIG.chainName}`));
    await wallet.switchChain();
    expect(provider.calls.find((c) => c.method === "wallet_switchEthereumChain")?.params).toEqual([
      { chainId: "0x7a69" },
    ]);
    await waitFor(() => expect(screen.getByRole("button")).toHaveTextContent("Stake"));
  });

  it("while disabled with onblocked: pressable but marked aria-disabled, a press calls onblocked and sends nothing", async () => {
    const provider = new FakeProvider();
    provider.accounts = [];
    const { context, wallet } = testContext({ client: {}, provider });
    await wallet.restore();
    const prepare = vi.fn(() => STAKE);
    const onblocked = vi.fn();
    render(Transaction, { props: { label: "Stake", prepare, disabled: true, onblocked }, context });

    const button = screen.getByRole("button", { name: "Connect wallet to stake" });
    expect(button).toBeEnabled();
    expect(button).toHaveAttribute("aria-disabled", "true");
    await fireEvent.click(button);
    expect(onblocked).toHaveBeenCalledOnce();
    // Not even a wallet prompt: the form shows its errors first.
    expect(provider.calls.filter((c) => c.method !== "eth_accounts")).toEqual([]);
    expect(prepare).not.toHaveBeenCalled();
  });

  it("while disabled without onblocked: a disabled button", async () => {
    const { context, wallet } = testContext({ client: {} });
    await wallet.restore();
    render(Transaction, { props: { label: "Stake", prepare: () => STAKE, disabled: true }, context });
    expect(screen.getByRole("button", { name: "Stake" })).toBeDisabled();
    expect(screen.getByRole("button", { name: "Stake" })).not.toHaveAttribute("aria-disabled");
  });
});
