// No table overflows its card, on a laptop (1,280 px) and a phone (390 px), on every main page: at 1,280 px each table
// fits its card outright (nothing hidden behind a scroll, like the Delegates table's Pick button was); at 390 px a
// table may scroll, but only inside its card. Screenshots of every page at both widths are kept as test artefacts.
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { settle, tableProblems } from "./layout-checks";

/** The main pages, with one detail page of each kind (its id read from the list page). */
async function mainPages(page: Page): Promise<[string, string][]> {
  const first = async (list: string, prefix: string): Promise<string> => {
    await page.goto(`/${list}`);
    const link = page.locator(`main a[href^="${prefix}"]`).first();
    await expect(link, `a link to ${prefix}… on ${list}`).toBeVisible();
    return (await link.getAttribute("href"))!;
  };
  const pages: [string, string][] = [
    ["#/governance", "proposals"],
    ["#/governance/delegates", "delegates"],
    ["#/marketplace", "listings"],
    ["#/marketplace/listings/1", "listing"],
    ["#/marketplace/mine", "my-listings"],
    ["#/court", "disputes"],
    ["#/court/juror", "juror"],
    ["#/validators", "validators"],
    ["#/validators/rounds", "rounds"],
    ["#/validators/stake", "validator-stake"],
    ["#/dashboard", "dashboard"],
  ];
  const proposal = await first("#/governance", "#/governance/proposals/");
  const dispute = await first("#/court", "#/court/disputes/");
  const validator = await first("#/validators", "#/validators/0x");
  pages.push([proposal, "proposal"], [dispute, "dispute"], [validator, "validator"]);
  return pages;
}

for (const [width, height, mustFit] of [
  [1280, 900, true],
  [390, 844, false],
] as const) {
  test(`no table overflows its card at ${width} px`, async ({ page, wallet }) => {
    // A connected juror (#10) shows the pages' personal tables too (stake history, seats).
    await wallet.use(10);
    await page.goto("/");
    await page.locator("header").getByRole("button", { name: "Connect wallet" }).click();
    await expect(page.getByTestId("account")).toBeVisible();
    await page.setViewportSize({ width, height });
    const pages = await mainPages(page);
    for (const [path, name] of pages) {
      await page.goto(`/${path}`);
      await settle(page);
      await page.screenshot({ path: test.info().outputPath(`${width}-${name}.png`), fullPage: true });
      expect.soft(await tableProblems(page, mustFit), `${path} at ${width} px`).toEqual([]);
    }
  });
}

test("the Delegates table shows every Pick button inside its card, at 1,280 px and 390 px", async ({ page }) => {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto("/#/governance/delegates");
    await settle(page);
    const card = page.locator(".table-wrap.card").first();
    const cardBox = (await card.boundingBox())!;
    const picks = card.getByRole("button", { name: /as delegate$/ });
    expect(await picks.count()).toBeGreaterThan(0);
    for (const pick of await picks.all()) {
      const box = (await pick.boundingBox())!;
      expect(box.x + box.width, `Pick at ${width} px`).toBeLessThanOrEqual(cardBox.x + cardBox.width);
    }
    // Picking fills in the delegate's address.
    await picks.first().click();
    await expect(page.getByLabel("Delegate's address")).toHaveValue(/^0x[0-9a-fA-F]{40}$/);
    await page.screenshot({ path: test.info().outputPath(`delegates-${width}.png`), fullPage: true });
  }
});
