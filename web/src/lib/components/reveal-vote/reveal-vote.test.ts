import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { decodeFunctionData, type PublicClient } from "viem";
import { describe, expect, it, vi } from "vitest";
import { courtAbi } from "@curia/protocol";
import { voteCommitment } from "@curia/protocol";
import { memoryStorage } from "../../court/memory-storage";
import { createVoteSecret, deriveSalt, loadVoteSecret, saveVoteSecret, voteSecretFileContent } from "../../court/salts";
import { privateKeyToAccount } from "viem/accounts";
import type { VoteSecretKey } from "../../court/salts";
import { ACCOUNT, TEST_CONFIG, testContext } from "../../../test/context";
import RevealVote from "./reveal-vote.svelte";

const KEY: VoteSecretKey = {
  chainId: TEST_CONFIG.chainId,
  court: TEST_CONFIG.contracts.Court,
  disputeId: 3n,
  round: 0n,
  juror: ACCOUNT,
};
const SALT = `0x${"ab".repeat(32)}` as const;
const COMMITMENT = voteCommitment(1, SALT, ACCOUNT, 3n, 0n);

async function setup(storage = memoryStorage(), commitment: `0x${string}` | undefined = COMMITMENT) {
  const client = {
    call: vi.fn(async () => ({ data: "0x" as const })),
    waitForTransactionReceipt: vi.fn(async () => ({ status: "success", blockNumber: 5n })),
  };
  const ctx = testContext({ client: client as unknown as Partial<PublicClient> });
  await ctx.wallet.restore();
  const onrevealed = vi.fn();
  render(RevealVote, { props: { disputeId: 3n, round: 0n, commitment, storage, onrevealed }, context: ctx.context });
  return { ...ctx, storage, onrevealed };
}

function upload(content: string, name = "vote.json"): Promise<boolean> {
  const input = screen.getByLabelText("Vote secret file (JSON)") as HTMLInputElement;
  const file = new File([content], name, { type: "application/json" });
  Object.defineProperty(input, "files", { value: [file], configurable: true });
  return fireEvent.change(input);
}

/** ACCOUNT's own signature (Hardhat's public test account #1), as any wallet holding its key signs. */
const sign = (message: string) =>
  privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d").signMessage({ message });

describe("<RevealVote>", () => {
  it("with nothing in this browser, re-derives the salt from the wallet's signature and reveals the committed choice", async () => {
    const salt = await deriveSalt(sign, KEY);
    const { provider, storage, onrevealed } = await setup(memoryStorage(), voteCommitment(2, salt, ACCOUNT, 3n, 0n));
    await fireEvent.click(screen.getByRole("button", { name: "Re-derive from your wallet signature" }));
    expect(await screen.findByText(/re-derived from your wallet's signature/)).toHaveTextContent(
      "Vote secret re-derived from your wallet's signature: you voted the defendant wins",
    );
    // Kept in this browser for a retry.
    expect(loadVoteSecret(storage, KEY)?.salt).toBe(salt);
    await fireEvent.click(screen.getByRole("button", { name: "Reveal vote" }));
    await waitFor(() => expect(onrevealed).toHaveBeenCalledOnce());
    const sent = provider.calls.find((c) => c.method === "eth_sendTransaction")!.params as [{ data: `0x${string}` }];
    expect(decodeFunctionData({ abi: courtAbi, data: sent[0].data }).args).toEqual([3n, 2, salt]);
  });

  it("says so when the signature's salt is not the one committed (a random salt), and sends nothing", async () => {
    const { provider } = await setup();
    await fireEvent.click(screen.getByRole("button", { name: "Re-derive from your wallet signature" }));
    expect(await screen.findByTestId("derive-error")).toHaveTextContent(
      "Your signature's salt does not match your commitment: this vote was committed with another salt",
    );
    expect(screen.getByRole("button", { name: "Reveal vote" })).toBeDisabled();
    expect(provider.calls.some((c) => c.method === "eth_sendTransaction")).toBe(false);
  });

  it("says clearly that the salt is missing, and sends nothing", async () => {
    const { provider } = await setup();
    expect(screen.getByTestId("missing-secret")).toHaveTextContent(
      "No vote secret for dispute #3, round 1 and this account is saved in this browser. Re-derive it with your wallet's signature below, or upload the file you downloaded when you committed",
    );
    expect(screen.getByRole("button", { name: "Reveal vote" })).toBeDisabled();
    expect(provider.calls.some((c) => c.method === "eth_sendTransaction")).toBe(false);
  });

  it("reveals with the secret saved in this browser", async () => {
    const storage = memoryStorage();
    saveVoteSecret(storage, KEY, createVoteSecret(KEY, 1, SALT));
    const { provider, onrevealed } = await setup(storage);
    expect(screen.getByText(/Vote secret found in this browser/)).toHaveTextContent(
      "Vote secret found in this browser: you voted the challenger wins",
    );
    await fireEvent.click(screen.getByRole("button", { name: "Reveal vote" }));
    await waitFor(() => expect(onrevealed).toHaveBeenCalledOnce());
    const sent = provider.calls.find((c) => c.method === "eth_sendTransaction")!.params as [{ data: `0x${string}` }];
    const call = decodeFunctionData({ abi: courtAbi, data: sent[0].data });
    expect(call.functionName).toBe("reveal");
    expect(call.args).toEqual([3n, 1, SALT]);
  });

  it("reads an uploaded file, checks it against the commitment, and keeps it in the browser", async () => {
    const { storage } = await setup();
    await upload(voteSecretFileContent(createVoteSecret(KEY, 1, SALT)));
    await waitFor(() => expect(screen.getByRole("button", { name: "Reveal vote" })).toBeEnabled());
    expect(screen.getByText(/Vote secret read from your file/)).toBeInTheDocument();
    expect(loadVoteSecret(storage, KEY)?.salt).toBe(SALT);
  });

  it("rejects a file that does not match the commitment on chain or is for another dispute", async () => {
    await setup();
    await upload(voteSecretFileContent(createVoteSecret(KEY, 2, SALT)), "wrong.json");
    expect(await screen.findByText(/wrong.json does not match your commitment on chain/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Reveal vote" })).toBeDisabled();

    await upload(JSON.stringify({ ...createVoteSecret(KEY, 1, SALT), dispute: "4" }), "other.json");
    expect(await screen.findByText("The file is for dispute 4, not dispute 3.")).toBeInTheDocument();
    await upload("not json", "broken.json");
    expect(await screen.findByText("broken.json is not a JSON file.")).toBeInTheDocument();
  });
});
