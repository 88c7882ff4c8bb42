// Layout checks shared by the specs: no table overflows its card, nothing is wider than the window, and a page has
// settled (heading shown, network idle, nothing loading) before it is measured or photographed.
import type { Page } from "@playwright/test";
import { expect } from "./fixtures";

export interface TableProblem {
  table: string;
  problem: string;
}

/** Every visible table in the page checked against its card (the closest `.card`, else its parent). */
export async function tableProblems(page: Page, mustFit: boolean): Promise<TableProblem[]> {
  return page.evaluate((mustFit) => {
    const problems: { table: string; problem: string }[] = [];
    const clips = (el: Element): boolean => /auto|scroll|hidden|clip/.test(getComputedStyle(el).overflowX);
    document.querySelectorAll("main table").forEach((table, i) => {
      const box = table.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || table.closest(".sr-only")) return;
      const name = `table #${i + 1} (${table.querySelector("th")?.textContent?.trim() ?? "no header"}…)`;
      const card = table.closest(".card") ?? table.parentElement!;
      const cardBox = card.getBoundingClientRect();
      const cardStyle = getComputedStyle(card);
      const inner = {
        left: cardBox.left + parseFloat(cardStyle.borderLeftWidth),
        right: cardBox.right - parseFloat(cardStyle.borderRightWidth),
      };
      // What clips the table: the table itself (display: block + overflow) or an ancestor up to the card.
      let scroller: Element | undefined;
      for (let el: Element | null = table; el; el = el.parentElement) {
        if (clips(el)) {
          scroller = el;
          break;
        }
        if (el === card) break;
      }
      const shown = (scroller ?? table).getBoundingClientRect();
      if (shown.left < inner.left - 1 || shown.right > inner.right + 1) {
        problems.push({
          table: name,
          problem: `spans ${Math.round(shown.left)}–${Math.round(shown.right)} px, its card ${Math.round(inner.left)}–${Math.round(inner.right)} px`,
        });
      }
      if (mustFit && scroller && scroller.scrollWidth > scroller.clientWidth + 1) {
        problems.push({
          table: name,
          problem: `needs a horizontal scroll: ${scroller.scrollWidth} px of content in ${scroller.clientWidth} px`,
        });
      }
    });
    const page = document.documentElement.scrollWidth - window.innerWidth;
    if (page > 0) problems.push({ table: "the page", problem: `is ${page} px wider than the window` });
    return problems;
  }, mustFit);
}

export async function settle(page: Page): Promise<void> {
  await expect(page.locator("main h1").first()).toBeVisible();
  await page.waitForLoadState("networkidle");
  await expect(page.locator("main .loading, main [aria-busy='true']")).toHaveCount(0);
}
