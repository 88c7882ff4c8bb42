import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { decodeFunctionData, type PublicClient } from "viem";
import { describe, expect, it, vi } from "vitest";
import { curiaTokenAbi, stakePoolAbi } from "@curia/protocol";
import { TEST_CONFIG, testContext } from "../../../test/context";
import type { PoolName } from "../../chain/stake-pool";
import PoolStake from "./pool-stake.svelte";

const CUR = 10n ** 18n;
const PARAMS = { minStake: 100n * CUR, thawingPeriod: 3600 };

async function setup(
  position: {
    staked: bigint;
    thawing: bigint;
    locked: bigint;
    thawEnd: number;
    weight?: bigint;
    totalWeight?: bigint;
  } = {
    staked: 500n * CUR,
    thawing: 0n,
    locked: 100n * CUR,
    thawEnd: 0,
  },
  allowance = 0n,
  pool: PoolName = "JurorPool",
) {
  const client = {
    readContract: vi.fn(async () => allowance),
    call: vi.fn(async () => ({ data: "0x" as const })),
    waitForTransactionReceipt: vi.fn(async () => ({ status: "success", blockNumber: 3n })),
  };
  const ctx = testContext({ client: client as unknown as Partial<PublicClient>, now: 10_000n });
  await ctx.wallet.restore();
  const onchanged = vi.fn();
  render(PoolStake, {
    props: { pool, params: PARAMS, position, balance: 1000n * CUR, onchanged },
    context: ctx.context,
  });
  return { ...ctx, onchanged };
}

function sentTransactions(provider: { calls: { method: string; params?: unknown }[] }) {
  return provider.calls
    .filter((c) => c.method === "eth_sendTransaction")
    .map((c) => (c.params as [{ to: string; data: `0x${string}` }])[0]);
}

describe("<PoolStake>", () => {
  it("checks the amounts before anything can be sent", async () => {
    await setup();
    const stake = screen.getByLabelText("Stake (CUR)");
    await fireEvent.input(stake, { target: { value: "12abc" } });
    expect(screen.getByText("Enter an amount of CUR, e.g. 500 or 1,250.5.")).toBeInTheDocument();
    expect(stake).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByRole("button", { name: "Stake" })).toBeDisabled();
    await fireEvent.input(stake, { target: { value: "2,000" } });
    expect(screen.getByText("You hold 1,000 CUR.")).toBeInTheDocument();

    const unstake = screen.getByLabelText("Unstake (CUR)");
    await fireEvent.input(unstake, { target: { value: "450" } });
    expect(screen.getByText("Keep at least 100 CUR staked, or unstake all of it.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Request unstake" })).toBeDisabled();
    await fireEvent.input(unstake, { target: { value: "500" } });
    expect(screen.getByRole("button", { name: "Request unstake" })).toBeEnabled();
    expect(screen.getByRole("button", { name: "Withdraw" })).toBeDisabled();
  });

  it("approves the jurors' pool (not the court) first when the allowance falls short, then stakes in it", async () => {
    const { provider, onchanged } = await setup();
    await fireEvent.input(screen.getByLabelText("Stake (CUR)"), { target: { value: "250" } });
    await fireEvent.click(screen.getByRole("button", { name: "Stake" }));
    await waitFor(() => expect(onchanged).toHaveBeenCalledOnce());
    const sent = sentTransactions(provider);
    expect(sent).toHaveLength(2);
    expect(sent[0]!.to).toBe(TEST_CONFIG.contracts.CuriaToken);
    expect(decodeFunctionData({ abi: curiaTokenAbi, data: sent[0]!.data })).toEqual({
      functionName: "approve",
      args: [TEST_CONFIG.contracts.JurorPool, 250n * CUR],
    });
    expect(sent[1]!.to).toBe(TEST_CONFIG.contracts.JurorPool);
    expect(decodeFunctionData({ abi: stakePoolAbi, data: sent[1]!.data })).toEqual({
      functionName: "stake",
      args: [250n * CUR],
    });
  });

  it("offers the withdrawal once the thawing period is over", async () => {
    await setup({ staked: 0n, thawing: 300n * CUR, locked: 0n, thawEnd: 9_000 });
    expect(screen.getByTestId("juror-thawing")).toHaveTextContent("300 CUR thawing, withdrawable now");
    expect(screen.getByRole("button", { name: "Withdraw" })).toBeEnabled();
  });

  it("registers a validator by staking at least the validators' pool's minimum in that pool", async () => {
    const none = { staked: 0n, thawing: 0n, locked: 0n, thawEnd: 0, weight: 0n, totalWeight: 4000n };
    const { provider, onchanged } = await setup(none, 10_000n * CUR, "ValidatorPool");
    const stake = screen.getByLabelText("Stake (CUR)");
    await fireEvent.input(stake, { target: { value: "99" } });
    expect(screen.getByText("A validator stakes at least 100 CUR in all.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Stake" })).toBeDisabled();
    await fireEvent.input(stake, { target: { value: "100" } });
    await fireEvent.click(screen.getByRole("button", { name: "Stake" }));
    await waitFor(() => expect(onchanged).toHaveBeenCalledOnce());
    // The allowance covers it: no approval, one stake in the validators' pool.
    const sent = sentTransactions(provider);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.to).toBe(TEST_CONFIG.contracts.ValidatorPool);
    expect(decodeFunctionData({ abi: stakePoolAbi, data: sent[0]!.data })).toEqual({
      functionName: "stake",
      args: [100n * CUR],
    });
    expect(screen.getByTestId("validator-weight")).toHaveTextContent("0%");
  });
});
