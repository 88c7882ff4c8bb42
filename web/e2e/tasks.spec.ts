// One model per task in the demo (MNIST, VAD, OCR), each listed by an honest and a cheating provider: a listing page
// shows its task and metric, and for VAD and OCR the sample input (an audio clip, a text-line image) that `npm start`
// sent to both listings of the task, with both answers.
import { expect, test } from "./fixtures";

// The demo's listings (scripts/demo/seed-marketplace.ts, DEMO_LISTINGS order).
const MNIST_HONEST = 1;
const VAD = { honest: 5, cheating: 6 };
const OCR = { honest: 7, cheating: 8 };

test("the MNIST listing shows its task and metric, and no sample", async ({ page }) => {
  await page.goto(`/#/marketplace/listings/${MNIST_HONEST}`);
  await expect(page.getByTestId("listing-task")).toContainText("MNIST");
  await expect(page.getByTestId("task-metric")).toContainText("agreement with the reference probabilities");
  await expect(page.getByTestId("task-sample")).toHaveCount(0);
  await expect(page.getByTestId("task-quality-scale")).toHaveCount(0); // MNIST's score is the chain's scale
});

test("the VAD listings show the clip and both providers' frame answers", async ({ page }) => {
  for (const id of [VAD.honest, VAD.cheating]) {
    await page.goto(`/#/marketplace/listings/${id}`);
    await expect(page.getByTestId("listing-task")).toContainText("VAD");
    await expect(page.getByTestId("task-metric")).toContainText("frame agreement");
    // The task's quality scale: its pass mark on the chain's minimum (@curia/protocol's TASKS.vad.qualityScale).
    await expect(page.getByTestId("task-quality-scale")).toContainText("97 %");
    await expect(page.getByTestId("task-quality-scale")).toContainText("3,000 bps");
    const audio = page.getByTestId("sample-audio");
    await expect(audio).toHaveAttribute("src", /^data:audio\/wav;base64,/);
    const honest = page.getByTestId("sample-answer-honest");
    const cheating = page.getByTestId("sample-answer-cheating");
    await expect(honest.getByRole("link")).toHaveText(`Listing #${VAD.honest}`);
    await expect(cheating.getByRole("link")).toHaveText(`Listing #${VAD.cheating}`);
    await expect(honest.getByText(/Speech in \d+ of 48 frames/)).toBeVisible();
    await expect(cheating.getByText(/Speech in \d+ of 48 frames/)).toBeVisible();
    await expect(page.getByText("(this listing)")).toHaveCount(1);
    await expect((id === VAD.honest ? honest : cheating).getByText("(this listing)")).toBeVisible();
  }
});

test("the OCR listings show the text line and both providers' readings", async ({ page }) => {
  await page.goto(`/#/marketplace/listings/${OCR.cheating}`);
  await expect(page.getByTestId("listing-task")).toContainText("OCR");
  await expect(page.getByTestId("task-metric")).toContainText("character error rate");
  const image = page.getByTestId("sample-image");
  await expect(image).toHaveAttribute("src", /^data:image\/png;base64,/);
  // The image decoded: a 320 × 48 text line.
  expect(await image.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight])).toEqual([320, 48]);
  const truth = (await page.getByTestId("sample-truth").textContent()) ?? "";
  expect(truth.length).toBeGreaterThan(0);
  // Both readings of the same line, side by side (the honest one is the reference the cheater is judged against).
  await expect(page.getByTestId("sample-answer-honest").getByTestId("sample-answer-text")).not.toBeEmpty();
  await expect(page.getByTestId("sample-answer-honest").getByTestId("sample-verdict")).toHaveText(/reference answer/);
  await expect(page.getByTestId("sample-answer-cheating").getByTestId("sample-answer-text")).toBeVisible();
  await expect(page.getByTestId("sample-answer-cheating").getByText("(this listing)")).toBeVisible();
});
