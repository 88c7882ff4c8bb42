import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { decodeFunctionData } from "viem";
import { describe, expect, it, vi } from "vitest";
import { curiaTokenAbi, listingChallengesAbi } from "@curia/protocol";
import { fakeReadClient, TEST_CONFIG, testContext } from "../../../test/context";
import ChallengeForm from "./challenge-form.svelte";

const CUR = 10n ** 18n;
const COURT_PARAMS = {
  seatStake: 1000n * CUR,
  arbitrationFeePerSeat: 100n * CUR,
  appealFeePerSeat: 100n * CUR,
  commitPeriod: 600,
  revealPeriod: 600,
  appealPeriod: 600,
  firstRoundSeats: 3,
  maxJurorRounds: 2,
  penaltyBps: 1000,
  drawPeriod: 3600,
  drawRewardBps: 500,
};
const CHALLENGE_PARAMS = {
  minChallengeBond: 1000n * CUR,
  winnerShareBps: 5000,
  jurorShareBps: 4000,
  treasuryShareBps: 1000,
};
const ARBITRATION_COST = 300n * CUR;

const fakeClient = (balance: bigint, allowance: bigint) =>
  fakeReadClient({
    "Court.parameters": COURT_PARAMS,
    "Court.arbitrationCost": ARBITRATION_COST,
    "ListingChallenges.parameters": CHALLENGE_PARAMS,
    "ListingChallenges.challengeCost": (bond: bigint) => bond + ARBITRATION_COST,
    balanceOf: balance,
    allowance,
  });

describe("<ChallengeForm>", () => {
  it("checks bond and evidence, then approves ListingChallenges for bond + fee and challenges through it", async () => {
    const client = fakeClient(5000n * CUR, 0n);
    const { context, wallet, provider } = testContext({ client });
    await wallet.restore();
    const onchallenged = vi.fn();
    render(ChallengeForm, { props: { listingId: 2n, status: "Active", onchallenged }, context });

    const bond = await screen.findByDisplayValue("1000");
    expect(screen.getByText(/arbitration fee of 300 CUR for\s+3 juror seat/)).toBeInTheDocument();
    const button = screen.getByRole("button", { name: "Challenge listing" });
    expect(button).toBeDisabled();

    await fireEvent.input(bond, { target: { value: "999" } });
    expect(await screen.findByText("The bond must be at least 1,000 CUR.")).toBeInTheDocument();
    await fireEvent.input(bond, { target: { value: "1500" } });
    const evidence = screen.getByLabelText("Evidence URI");
    await fireEvent.input(evidence, { target: { value: "see my blog" } });
    expect(screen.getByText("Use an https://, ipfs://, ar:// or data: URI.")).toBeInTheDocument();
    expect(evidence).toHaveAttribute("aria-invalid", "true");
    await fireEvent.input(evidence, { target: { value: "ipfs://bafy/degraded-model-report.json" } });
    expect(button).toBeEnabled();

    await fireEvent.click(button);
    await waitFor(() => expect(onchallenged).toHaveBeenCalledOnce());
    const sent = provider.calls
      .filter((c) => c.method === "eth_sendTransaction")
      .map((c) => (c.params as [{ to: string; data: `0x${string}` }])[0]);
    expect(sent).toHaveLength(2);
    expect(sent[0]!.to).toBe(TEST_CONFIG.contracts.CuriaToken);
    expect(decodeFunctionData({ abi: curiaTokenAbi, data: sent[0]!.data }).args).toEqual([
      TEST_CONFIG.contracts.ListingChallenges,
      1800n * CUR,
    ]);
    expect(sent[1]!.to).toBe(TEST_CONFIG.contracts.ListingChallenges);
    expect(decodeFunctionData({ abi: listingChallengesAbi, data: sent[1]!.data })).toEqual({
      functionName: "challenge",
      args: [2n, 1500n * CUR, "ipfs://bafy/degraded-model-report.json"],
    });
  });

  it("says so when the challenge terms cannot be read, and sends nothing", async () => {
    const { context, wallet } = testContext({
      client: fakeReadClient({
        "Court.parameters": COURT_PARAMS,
        "Court.arbitrationCost": ARBITRATION_COST,
        balanceOf: 5000n * CUR,
      }),
    });
    await wallet.restore();
    render(ChallengeForm, { props: { listingId: 2n, status: "Active" }, context });
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "The challenge terms cannot be read: unexpected read ListingChallenges.parameters",
    );
    expect(screen.getByRole("button", { name: "Challenge listing" })).toBeDisabled();
  });

  it("refuses a listing that is not open to challenges", async () => {
    const { context, wallet } = testContext({
      client: fakeClient(5000n * CUR, 0n),
    });
    await wallet.restore();
    render(ChallengeForm, { props: { listingId: 2n, status: "Delisted" }, context });
    expect(await screen.findByText(/Only a pending or active listing can be challenged/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Challenge listing" })).toBeDisabled();
  });
});
