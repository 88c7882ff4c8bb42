import { render, screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { TaskSampleFile } from "@curia/protocol";
import TaskSample from "./task-sample.svelte";

const PNG = "data:image/png;base64,iVBORw0KGgo=";
const WAV = "data:audio/wav;base64,UklGRg==";
const FILE: TaskSampleFile = {
  generatedAt: 1_800_000_000,
  samples: [
    {
      task: "vad",
      input: { kind: "audio", dataUrl: WAV },
      truth: [0, 1, 1, 0],
      answers: [
        { listingId: "5", role: "honest", answer: [0.01, 0.97, 0.9, 0.02], deviation: 0, within: true },
        { listingId: "6", role: "cheating", answer: [0.4, 0.6, 0.3, 0.55], deviation: 0.5, within: false },
      ],
    },
    {
      task: "ocr",
      input: { kind: "image", dataUrl: PNG },
      truth: "market value",
      answers: [
        { listingId: "7", role: "honest", answer: "market value", deviation: 0, within: true },
        { listingId: "8", role: "cheating", answer: "marke valu", deviation: 0.1667, within: true },
      ],
    },
  ],
};
const loaded = () => Promise.resolve(FILE);

describe("TaskSample", () => {
  it("shows the OCR line and both listings' answers, marking this listing", async () => {
    render(TaskSample, { props: { listingId: "8", task: "ocr", samplesUrl: "/task-samples.json", load: loaded } });
    const image = await screen.findByTestId("sample-image");
    expect(image.getAttribute("src")).toBe(PNG);
    expect(screen.getByTestId("sample-truth").textContent).toBe("market value");
    const honest = screen.getByTestId("sample-answer-honest");
    const cheating = screen.getByTestId("sample-answer-cheating");
    expect(within(honest).getByTestId("sample-answer-text").textContent).toBe("market value");
    expect(within(cheating).getByTestId("sample-answer-text").textContent).toBe("marke valu");
    expect(within(cheating).getByText("(this listing)")).toBeTruthy();
    expect(within(honest).queryByText("(this listing)")).toBeNull();
    expect(within(honest).getByRole("link").getAttribute("href")).toBe("#/marketplace/listings/7");
    expect(within(cheating).getByTestId("sample-verdict").textContent).toMatch(/Within .* \(deviation 0\.1667\)/);
  });

  it("plays the VAD clip and draws each answer's frames, with the cheater outside tolerance", async () => {
    render(TaskSample, { props: { listingId: "5", task: "vad", samplesUrl: "/s.json", load: loaded } });
    const audio = await screen.findByTestId("sample-audio");
    expect(audio.getAttribute("src")).toBe(WAV);
    expect(screen.getByText(/Speech mixed into 2 of 4 frames/)).toBeTruthy();
    const honest = screen.getByTestId("sample-answer-honest");
    const cheating = screen.getByTestId("sample-answer-cheating");
    expect(within(honest).getByText("Speech in 2 of 4 frames")).toBeTruthy();
    expect(within(cheating).getByText("Speech in 2 of 4 frames")).toBeTruthy();
    expect(within(honest).getByRole("img").getAttribute("aria-label")).toBe(
      "speech probability per frame: 1 %, 97 %, 90 %, 2 %",
    );
    expect(within(cheating).getByTestId("sample-verdict").textContent).toMatch(/Outside .*fraud proof/);
  });

  it("says so when the deployment publishes no samples", () => {
    render(TaskSample, { props: { listingId: "5", task: "vad", samplesUrl: undefined, load: loaded } });
    expect(screen.getByRole("status").textContent).toMatch(/No sample input is published for this deployment/);
  });

  it("shows why the samples cannot be loaded", async () => {
    const load = () => Promise.reject(new Error("/s.json answered HTTP 404"));
    render(TaskSample, { props: { listingId: "5", task: "vad", samplesUrl: "/s.json", load } });
    await waitFor(() => expect(screen.getByRole("alert").textContent).toMatch(/cannot be loaded: .*HTTP 404/));
  });

  it("says so when no sample covers the listing", async () => {
    render(TaskSample, { props: { listingId: "12", task: "ocr", samplesUrl: "/s.json", load: loaded } });
    await waitFor(() => expect(screen.getByRole("status").textContent).toMatch(/No sample covers this listing/));
  });
});
