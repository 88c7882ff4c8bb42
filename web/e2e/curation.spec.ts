// A curator stakes on a listing, waits out the warm-up and activates the stake, requests the unstake, waits out the
// thawing period and withdraws; forms check input.
import { curationPoolAbi, curiaTokenAbi } from "@curia/protocol";
import { expect, test } from "./fixtures";

const THAWING_PERIOD = 3_600;
/** LOCAL_MARKETPLACE.curation.warmupPeriod: a new stake earns nothing until then. */
const WARMUP_PERIOD = 300;
const CUR = 10n ** 18n;

test("stake on a listing, request the unstake, withdraw after thawing", async ({ page, wallet, chain, stackInfo }) => {
  const pool = stackInfo.contracts.CurationPool!;
  const token = stackInfo.contracts.CuriaToken!;
  // #4 holds CUR and curates nothing yet; listing 1 is the demo's honest model.
  await wallet.use(4);
  const balanceBefore = await chain.client.readContract({
    address: token,
    abi: curiaTokenAbi,
    functionName: "balanceOf",
    args: [wallet.account],
  });

  // Every listing the indexer knows (the demo's three, and any another spec listed).
  const { listings } = (
    (await (
      await fetch(stackInfo.graphqlUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ listings(first: 1000) { id } }" }),
      })
    ).json()) as { data: { listings: { id: string }[] } }
  ).data;
  expect(listings.length).toBeGreaterThanOrEqual(3);
  await page.goto("/#/marketplace");
  await expect(page.getByTestId("listing-count")).toHaveText(`${listings.length} listings`);
  await page.getByLabel("Search").fill("mlp-honest");
  await expect(page.getByTestId("listing-count")).toHaveText("1 listing");
  await page.getByRole("link", { name: "mnist-mlp-honest" }).click();
  await expect(page.getByRole("heading", { name: "mnist-mlp-honest" })).toBeVisible();
  await expect(page.getByRole("img", { name: /quality/i })).toBeVisible();
  await page.getByRole("button", { name: "Connect wallet" }).first().click();
  await expect(page.getByTestId("my-stake")).toHaveText("0 CUR");

  // The form refuses what the pool would refuse, before sending anything.
  const amount = page.getByLabel("Amount to stake (CUR)");
  await amount.fill("50");
  await expect(page.getByText(/A position needs at least 100 CUR staked/)).toBeVisible();
  await expect(page.getByRole("button", { name: "Stake", exact: true })).toBeDisabled();
  await amount.fill("2000000");
  await expect(page.getByText(/You hold only/)).toBeVisible();
  await amount.fill("1500");
  // Approve, then stake: two transactions, one button.
  await page.getByRole("button", { name: "Stake", exact: true }).click();
  // A new stake warms up first: it earns nothing, and can be activated once the warm-up is over.
  await expect(page.getByTestId("my-warming")).toHaveText("1,500 CUR", { timeout: 30_000 });
  await expect(page.getByTestId("my-stake")).toHaveText("0 CUR");
  await expect(page.getByRole("button", { name: "Activate" })).toBeDisabled();
  await chain.increaseTime(WARMUP_PERIOD + 1);
  await page.reload();
  await expect(page.getByTestId("warm-status")).toContainText("has warmed up");
  await page.getByRole("button", { name: "Activate" }).click();
  await expect(page.getByTestId("my-stake")).toHaveText("1,500 CUR", { timeout: 30_000 });
  await expect(page.getByTestId("my-warming")).toHaveText("0 CUR");
  await expect(page.getByTestId("curators")).toContainText("0x15d3…6a65");
  const [active] = await chain.client.readContract({
    address: pool,
    abi: curationPoolAbi,
    functionName: "stakeOf",
    args: [1n, wallet.account],
  });
  expect(active).toBe(1500n * CUR);
  await page.screenshot({ path: test.info().outputPath("staked.png"), fullPage: true });

  // Unstake: leaving 100 < what stays ≥ minimum is refused by the form; all of it is fine.
  const unstake = page.getByLabel("Amount to unstake (CUR)");
  await unstake.fill("1450");
  await expect(page.getByText(/What stays staked must be zero or at least 100 CUR/)).toBeVisible();
  await page.getByRole("button", { name: "Unstake all" }).click();
  await page.getByRole("button", { name: "Request unstake" }).click();
  await expect(page.getByTestId("my-thawing")).toHaveText("1,500 CUR", { timeout: 30_000 });
  await expect(page.getByTestId("my-stake")).toHaveText("0 CUR");
  await expect(page.getByTestId("thaw-status")).toContainText("thaws in 1 h");
  await expect(page.getByRole("button", { name: "Withdraw" })).toBeDisabled();

  // After the thawing period the stake comes back.
  await chain.increaseTime(THAWING_PERIOD + 1);
  await page.reload();
  await expect(page.getByTestId("thaw-status")).toContainText("has thawed");
  await page.getByRole("button", { name: "Withdraw" }).click();
  await expect(page.getByTestId("my-thawing")).toHaveText("0 CUR", { timeout: 30_000 });
  const balanceAfter = await chain.client.readContract({
    address: token,
    abi: curiaTokenAbi,
    functionName: "balanceOf",
    args: [wallet.account],
  });
  expect(balanceAfter).toBe(balanceBefore);
  await page.screenshot({ path: test.info().outputPath("withdrawn.png"), fullPage: true });
});
