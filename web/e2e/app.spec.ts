// The app loads against the running stack, reads the indexer, and navigates (also on a phone-sized screen).
import { expect, test } from "./fixtures";

test("overview and proposal list show the seeded DAO from the indexer", async ({ page, wallet }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Curia", level: 1 })).toBeVisible();
  await expect(page.getByText("Proposals", { exact: true }).first()).toBeVisible();
  await page.getByRole("link", { name: "Governance" }).click();
  await expect(page.getByRole("heading", { name: "Proposals" })).toBeVisible();
  // The demo seeds an executed, a queued, a defeated and an open proposal.
  for (const state of ["Executed", "Queued", "Defeated", "Active"]) {
    await expect(page.locator(`.badge.${state}`).first()).toBeVisible();
  }
  await page.getByRole("button", { name: /^Executed/ }).click();
  await expect(page.locator(".badge.Active")).toHaveCount(0);
  await expect(page.locator(".badge.Executed").first()).toBeVisible();
  await page.getByRole("button", { name: "Connect wallet" }).click();
  await expect(page.getByTestId("account")).toHaveText(`${wallet.account.slice(0, 6)}…${wallet.account.slice(-4)}`);
  await page.screenshot({ path: test.info().outputPath("proposals.png"), fullPage: true });
});

test("works on a phone-sized screen: menu, and no page wider than the screen", async ({ page, wallet }) => {
  void wallet;
  await page.setViewportSize({ width: 375, height: 740 });
  await page.goto("/");
  await page.getByRole("button", { name: "Menu" }).click();
  await page.getByRole("link", { name: "Marketplace" }).click();
  await expect(page).toHaveURL(/#\/marketplace$/);
  await expect(page.getByTestId("listing-count")).toBeVisible();
  const pages = [
    ["#/marketplace", "listings"],
    ["#/marketplace/listings/1", "listing"],
    ["#/governance", "proposals"],
    ["#/governance/new", "new-proposal"],
    ["#/governance/delegates", "delegates"],
  ] as const;
  for (const [path, name] of pages) {
    await page.goto(`/${path}`);
    await expect(page.locator("main h1").first()).toBeVisible();
    await expect(page.locator(".loading")).toHaveCount(0);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${path} is wider than the screen`).toBeLessThanOrEqual(0);
    await page.screenshot({ path: test.info().outputPath(`phone-${name}.png`), fullPage: true });
  }
  // The first proposal's page, reached by keyboard from the list.
  await page.goto("/#/governance");
  const first = page.locator("ol.list a").first();
  await first.focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#\/governance\/proposals\/\d+$/);
  await expect(page.getByTestId("proposal-state")).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, "the proposal page is wider than the screen").toBeLessThanOrEqual(0);
  await page.screenshot({ path: test.info().outputPath("phone-proposal.png"), fullPage: true });
});
