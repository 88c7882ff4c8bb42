import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { decodeFunctionData, hexToString, type PublicClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, it, vi } from "vitest";
import { courtAbi } from "@curia/protocol";
import { jurorSaltMessage, voteCommitment } from "@curia/protocol";
import { memoryStorage } from "../../court/memory-storage";
import { deriveSalt, loadVoteSecret, type VoteSecret } from "../../court/salts";
import type { VoteSecretKey } from "../../court/salts";
import { ACCOUNT, FakeProvider, TEST_CONFIG, testContext } from "../../../test/context";
import CommitVote from "./commit-vote.svelte";

const KEY: VoteSecretKey = {
  chainId: TEST_CONFIG.chainId,
  court: TEST_CONFIG.contracts.Court,
  disputeId: 7n,
  round: 1n,
  juror: ACCOUNT,
};

/** ACCOUNT's own signature (Hardhat's public test account #1): what any wallet holding its key signs. */
const ctxSign = (message: string) =>
  privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d").signMessage({ message });

async function setup(provider?: FakeProvider) {
  const events: string[] = [];
  const client = {
    call: vi.fn(async () => {
      events.push("simulate");
      return { data: "0x" as const };
    }),
    waitForTransactionReceipt: vi.fn(async () => ({ status: "success", blockNumber: 9n })),
  };
  const ctx = testContext({ client: client as unknown as Partial<PublicClient>, ...(provider ? { provider } : {}) });
  ctx.provider.sendResult = async () => {
    events.push("send");
    return `0x${"cd".repeat(32)}`;
  };
  await ctx.wallet.restore();
  const storage = memoryStorage();
  const download = vi.fn((fileName: string, content: string) => {
    events.push(`download ${fileName}`);
    void content;
    return "blob:vote-secret";
  });
  const oncommitted = vi.fn();
  render(CommitVote, { props: { disputeId: 7n, round: 1n, storage, download, oncommitted }, context: ctx.context });
  return { ...ctx, client, events, storage, download, oncommitted };
}

describe("<CommitVote>", () => {
  it("saves the salt and offers the download before the commit goes to the transaction component", async () => {
    const { events, storage, download, provider, oncommitted } = await setup();
    const commit = screen.getByRole("button", { name: "Commit vote" });
    expect(commit).toBeDisabled();
    expect(screen.getByRole("button", { name: "Save vote secret" })).toBeDisabled();

    await fireEvent.click(screen.getByLabelText(/The defendant wins/));
    await fireEvent.click(screen.getByRole("button", { name: "Save vote secret" }));
    await waitFor(() => expect(download).toHaveBeenCalledOnce());

    // The salt is the hash of the wallet's signature over the protocol's message for this vote…
    const signed = provider.calls.filter((c) => c.method === "personal_sign");
    expect(signed).toHaveLength(1);
    const [data, signer] = signed[0]!.params as [`0x${string}`, string];
    expect(hexToString(data)).toBe(jurorSaltMessage(KEY));
    expect(signer).toBe(ACCOUNT);
    // …saved in storage under the (chain, court, dispute, round, juror) key…
    const saved = loadVoteSecret(storage, KEY) as VoteSecret;
    expect(saved.choice).toBe(2);
    expect(saved.salt).toBe(await deriveSalt((m) => ctxSign(m), KEY));
    expect(saved.commitment).toBe(voteCommitment(2, saved.salt, ACCOUNT, 7n, 1n));
    // …and offered as a file holding choice, salt, dispute, round and juror.
    expect(download).toHaveBeenCalledOnce();
    const [fileName, content] = download.mock.calls[0]!;
    expect(fileName).toBe("curia-vote-dispute-7-round-1-0x709979.json");
    expect(JSON.parse(content)).toMatchObject({
      choice: 2,
      salt: saved.salt,
      dispute: "7",
      round: "1",
      juror: ACCOUNT,
    });
    expect(screen.getByTestId("vote-secret-download")).toHaveAttribute("download", fileName);
    expect(provider.calls.some((c) => c.method === "eth_sendTransaction")).toBe(false);

    await waitFor(() => expect(screen.getByRole("button", { name: "Commit vote" })).toBeEnabled());
    await fireEvent.click(screen.getByRole("button", { name: "Commit vote" }));
    await waitFor(() => expect(oncommitted).toHaveBeenCalledOnce());

    expect(events).toEqual([`download ${fileName}`, "simulate", "send"]);
    const sent = provider.calls.find((c) => c.method === "eth_sendTransaction")!.params as [{ data: `0x${string}` }];
    const call = decodeFunctionData({ abi: courtAbi, data: sent[0].data });
    expect(call.functionName).toBe("commit");
    expect(call.args).toEqual([7n, saved.commitment]);
  });

  it("asks for a new secret when the choice changes after saving", async () => {
    const { storage } = await setup();
    await fireEvent.click(screen.getByLabelText(/The challenger wins/));
    await fireEvent.click(screen.getByRole("button", { name: "Save vote secret" }));
    await waitFor(() => expect(loadVoteSecret(storage, KEY)?.choice).toBe(1));
    await fireEvent.click(screen.getByLabelText(/The defendant wins/));
    expect(screen.getByRole("button", { name: "Commit vote" })).toBeDisabled();
    expect(screen.getByText("You changed your choice: save a new secret for it.")).toBeInTheDocument();
  });

  it("falls back to a random salt when the wallet refuses to sign, saves and downloads it, and says it cannot be re-derived", async () => {
    const provider = new FakeProvider();
    provider.signRefused = true;
    const { storage, download, oncommitted } = await setup(provider);
    await fireEvent.click(screen.getByLabelText(/The challenger wins/));
    await fireEvent.click(screen.getByRole("button", { name: "Save vote secret" }));
    await waitFor(() => expect(download).toHaveBeenCalledOnce());

    // The wallet was asked, refused, and the salt is not the signature-derived one: a random one, kept in storage…
    expect(provider.calls.filter((c) => c.method === "personal_sign")).toHaveLength(1);
    const saved = loadVoteSecret(storage, KEY) as VoteSecret;
    expect(saved.saltSource).toBe("random");
    expect(saved.salt).toMatch(/^0x[0-9a-f]{64}$/);
    expect(saved.salt).not.toBe(await deriveSalt((m) => ctxSign(m), KEY));
    expect(saved.commitment).toBe(voteCommitment(1, saved.salt, ACCOUNT, 7n, 1n));
    // …and in the downloaded file, which is now the only copy outside this browser.
    const [, content] = download.mock.calls[0]!;
    expect(JSON.parse(content)).toMatchObject({ salt: saved.salt, choice: 1, saltSource: "random" });
    // The juror is told, visibly, why and what it means.
    const warning = screen.getByTestId("random-salt-warning");
    expect(warning).toHaveTextContent("Your wallet did not sign the vote-secret message");
    expect(warning).toHaveTextContent("You rejected the request in your wallet.");
    expect(warning).toHaveTextContent("cannot be re-derived on another device");

    await waitFor(() => expect(screen.getByRole("button", { name: "Commit vote" })).toBeEnabled());
    await fireEvent.click(screen.getByRole("button", { name: "Commit vote" }));
    await waitFor(() => expect(oncommitted).toHaveBeenCalledOnce());
    const sent = provider.calls.find((c) => c.method === "eth_sendTransaction")!.params as [{ data: `0x${string}` }];
    expect(decodeFunctionData({ abi: courtAbi, data: sent[0].data }).args).toEqual([7n, saved.commitment]);
  });

  it("keeps warning about a random salt after a reload (the saved secret remembers its source)", async () => {
    const storage = memoryStorage();
    const { createVoteSecret, saveVoteSecret } = await import("../../court/salts");
    saveVoteSecret(storage, KEY, createVoteSecret(KEY, 2, `0x${"33".repeat(32)}`, "random"));
    const ctx = testContext({ client: {} });
    await ctx.wallet.restore();
    render(CommitVote, {
      props: { disputeId: 7n, round: 1n, storage, download: vi.fn(() => "blob:x") },
      context: ctx.context,
    });
    await waitFor(() => expect(screen.getByRole("button", { name: "Commit vote" })).toBeEnabled());
    expect(screen.getByTestId("random-salt-warning")).toHaveTextContent("cannot be re-derived on another device");
  });

  it("shows no random-salt warning when the wallet signs (the salt can be re-derived)", async () => {
    const { storage } = await setup();
    await fireEvent.click(screen.getByLabelText(/The challenger wins/));
    await fireEvent.click(screen.getByRole("button", { name: "Save vote secret" }));
    await waitFor(() => expect(loadVoteSecret(storage, KEY)?.saltSource).toBe("signature"));
    expect(screen.queryByTestId("random-salt-warning")).toBeNull();
  });

  it("reuses a secret already saved for this round instead of making a second salt", async () => {
    const storage = memoryStorage();
    const { createVoteSecret, saveVoteSecret } = await import("../../court/salts");
    const earlier = createVoteSecret(KEY, 1, `0x${"22".repeat(32)}`);
    saveVoteSecret(storage, KEY, earlier);
    const ctx = testContext({ client: {} });
    await ctx.wallet.restore();
    const download = vi.fn(() => "blob:x");
    render(CommitVote, { props: { disputeId: 7n, round: 1n, storage, download }, context: ctx.context });
    await waitFor(() => expect(screen.getByRole("button", { name: "Commit vote" })).toBeEnabled());
    expect(screen.getByLabelText(/The challenger wins/)).toBeChecked();
    expect(download).not.toHaveBeenCalled();
    expect(loadVoteSecret(storage, KEY)).toEqual(earlier);
  });
});
