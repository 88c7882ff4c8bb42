// The proposal guardian cancels a proposal from its page; an account without the right sees no cancel action.
import { encodeFunctionData, keccak256, toHex, type Address } from "viem";
import { curiaGovernorAbi, listingRegistryAbi } from "@curia/protocol";
import { ACCOUNTS, expect, test } from "./fixtures";

test("the guardian cancels a pending proposal; others are not offered to", async ({
  page,
  wallet,
  chain,
  stackInfo,
}) => {
  test.setTimeout(90_000);
  const governor = stackInfo.contracts.CuriaGovernor! as Address;
  const registry = stackInfo.contracts.ListingRegistry! as Address;
  // #2 (8,000,000 CUR delegated to itself by the demo) proposes straight on chain.
  const targets = [registry];
  const values = [0n];
  const calldatas = [encodeFunctionData({ abi: listingRegistryAbi, functionName: "setProtocolFee", args: [250] })];
  const description = `# Fee to 2.5% (to be canceled)\n\ne2e run ${Date.now()}`;
  await chain.request("eth_sendTransaction", [
    {
      from: ACCOUNTS[2],
      to: governor,
      data: encodeFunctionData({
        abi: curiaGovernorAbi,
        functionName: "propose",
        args: [targets, values, calldatas, description],
      }),
    },
  ]);
  const descriptionHash = keccak256(toHex(description));
  const proposalId = await chain.client.readContract({
    address: governor,
    abi: curiaGovernorAbi,
    functionName: "hashProposal",
    args: [targets, values, calldatas, descriptionHash],
  });

  // #1 is neither the guardian nor the proposer.
  await wallet.use(1);
  const title = page.getByRole("heading", { name: "Fee to 2.5% (to be canceled)" });
  await expect(async () => {
    await page.goto(`/#/governance/proposals/${proposalId}`);
    await expect(title).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await page.getByRole("button", { name: "Connect wallet" }).first().click();
  await expect(page.getByTestId("account")).toBeVisible();
  await expect(page.getByTestId("proposal-state")).toHaveText("Pending");
  await expect(page.getByRole("button", { name: "Cancel proposal" })).toHaveCount(0);

  // #0 deployed the DAO and is its proposal guardian for 180 days.
  await wallet.use(0);
  await page.reload();
  await expect(page.getByTestId("cancel")).toContainText("As the proposal guardian you may cancel this proposal");
  await page.getByRole("button", { name: "Cancel proposal" }).click();
  await expect(page.getByTestId("proposal-state")).toHaveText("Canceled", { timeout: 30_000 });
  await expect(page.getByRole("button", { name: "Cancel proposal" })).toHaveCount(0);
  // Canceled before voting opened: the timeline no longer announces the voting window.
  await expect(page.getByText("Canceled", { exact: true }).last()).toBeVisible();
  await expect(page.getByText("Voting starts (snapshot)")).toHaveCount(0);
  const state = await chain.client.readContract({
    address: governor,
    abi: curiaGovernorAbi,
    functionName: "state",
    args: [proposalId],
  });
  expect(state).toBe(2); // Canceled
});
