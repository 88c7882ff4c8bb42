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

test("works on a phone-sized screen with the menu", async ({ page, wallet }) => {
  void wallet;
  await page.setViewportSize({ width: 375, height: 740 });
  await page.goto("/");
  await page.getByRole("button", { name: "Menu" }).click();
  await page.getByRole("link", { name: "Marketplace" }).click();
  await expect(page).toHaveURL(/#\/marketplace$/);
  await page.screenshot({ path: test.info().outputPath("phone.png"), fullPage: true });
});
