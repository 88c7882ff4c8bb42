// A consumer buys inference calls on a listing: the form prices them, approves the cost and buys in one click; the
// paid calls and the listing's purchases follow.
import { listingRegistryAbi } from "@curia/protocol";
import { expect, test } from "./fixtures";

test("buy calls on a listing: the paid calls and the purchase list update", async ({
  page,
  wallet,
  chain,
  stackInfo,
}) => {
  const registry = stackInfo.contracts.ListingRegistry!;
  // #7 is the demo's consumer: it holds CUR and has bought calls on listing 1 before.
  await wallet.use(7);
  const paidBefore = await chain.client.readContract({
    address: registry,
    abi: listingRegistryAbi,
    functionName: "callsPurchased",
    args: [1n, wallet.account],
  });

  await page.goto("/#/marketplace/listings/1");
  await expect(page.getByRole("heading", { name: "mnist-mlp-honest" })).toBeVisible();
  const purchasesHeading = page.getByRole("heading", { name: /Recent purchases \(\d+\)/ });
  const countBefore = Number(/\((\d+)\)/.exec((await purchasesHeading.textContent()) ?? "")![1]);
  await page.getByRole("button", { name: "Connect wallet" }).first().click();
  await expect(page.getByTestId("paid-calls")).toContainText(paidBefore.toLocaleString("en-US"));

  const calls = page.getByLabel("Calls");
  await calls.fill("0");
  await expect(page.getByText("Buy at least one call.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Buy calls" })).toBeDisabled();
  await calls.fill("25");
  await page.getByRole("button", { name: "Buy calls" }).click();
  await expect(page.getByTestId("paid-calls")).toContainText((paidBefore + 25n).toLocaleString("en-US"), {
    timeout: 30_000,
  });
  await expect(page.getByRole("heading", { name: `Recent purchases (${countBefore + 1})` })).toBeVisible({
    timeout: 30_000,
  });
  const paidAfter = await chain.client.readContract({
    address: registry,
    abi: listingRegistryAbi,
    functionName: "callsPurchased",
    args: [1n, wallet.account],
  });
  expect(paidAfter).toBe(paidBefore + 25n);
  await page.screenshot({ path: test.info().outputPath("bought.png"), fullPage: true });
});
