// A transaction the contracts refuse shows its custom error decoded with the ABIs, and nothing is sent.
import { expect, test } from "./fixtures";

test("proposing without enough votes shows GovernorInsufficientProposerVotes with its values", async ({
  page,
  wallet,
  chain,
}) => {
  // #5 is a provider: it holds CUR but has never delegated, so it has no votes.
  await wallet.use(5);
  const nonceBefore = await chain.client.getTransactionCount({ address: wallet.account });
  await page.goto("/#/governance/new");
  await page.getByRole("button", { name: "Connect wallet" }).first().click();
  await page.getByLabel("Treasury transfer").check();
  await page.getByLabel("Recipient").fill(wallet.account);
  await page.getByLabel("Amount (CUR)").fill("abc");
  await page.getByRole("button", { name: "Add action" }).click();
  await expect(page.getByText("Enter an amount of CUR greater than zero.")).toBeVisible();
  await page.getByLabel("Amount (CUR)").fill("5000");
  await page.getByRole("button", { name: "Add action" }).click();
  await expect(page.getByTestId("simulation-ok")).toBeVisible();
  await page.getByLabel("Title").fill("Fund the provider's audit");
  await expect(page.getByText(/Your voting power 0 CUR; proposing needs 1,000 CUR/)).toBeVisible();
  await page.getByRole("button", { name: "Submit proposal" }).click();

  const alert = page.getByRole("alert").filter({ hasText: "Transaction failed" });
  await expect(alert).toContainText(`GovernorInsufficientProposerVotes(${wallet.account}, 0, 1000000000000000000000)`);
  await expect(alert).toContainText("threshold");
  await page.screenshot({ path: test.info().outputPath("decoded-error.png"), fullPage: true });
  // The simulation caught it: nothing was signed or mined.
  expect(await chain.client.getTransactionCount({ address: wallet.account })).toBe(nonceBefore);
});
