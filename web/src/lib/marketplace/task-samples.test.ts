import { describe, expect, it, vi } from "vitest";
import { TASKS } from "@curia/protocol";
import { parseConfig } from "../config";
import { listingTask, loadTaskSamples, sampleFor, speechFrames } from "./task-samples";

const SAMPLES = {
  generatedAt: 1,
  samples: [
    {
      task: "ocr",
      input: { kind: "image", dataUrl: "data:image/png;base64,AA==" },
      truth: "ab",
      answers: [
        { listingId: "7", role: "honest", answer: "ab", deviation: 0, within: true },
        { listingId: "8", role: "cheating", answer: "a", deviation: 0.5, within: false },
      ],
    },
  ],
};
const respond = (body: unknown, status = 200) =>
  vi.fn(async () => new Response(typeof body === "string" ? body : JSON.stringify(body), { status }));

describe("listing tasks and task samples", () => {
  it("reads the task and its metric from metadata, old MNIST wording included", () => {
    expect(listingTask({ task: "vad", taskVersion: 1 })?.spec).toEqual(TASKS.vad);
    expect(listingTask({ task: "ocr" })?.spec?.metric).toMatch(/character error rate/);
    expect(listingTask({ task: "mnist digit classification" })?.spec?.id).toBe("mnist");
    expect(listingTask({})).toBeUndefined();
  });

  it("names an unknown task or version instead of guessing", () => {
    expect(listingTask({ task: "asr" })?.error).toMatch(/unknown task "asr"/);
    expect(listingTask({ task: "vad", taskVersion: 7 })?.error).toMatch(/version 7 is not supported/);
  });

  it("loads, checks and caches the samples file; finds a listing's sample", async () => {
    const fetchFn = respond(SAMPLES);
    const file = await loadTaskSamples("/a.json", fetchFn);
    await loadTaskSamples("/a.json", fetchFn);
    expect(fetchFn).toHaveBeenCalledTimes(1);
    expect(sampleFor(file, "8")?.task).toBe("ocr");
    expect(sampleFor(file, "5")).toBeUndefined();
    expect(speechFrames([0.1, 0.5, 0.9, 0.49])).toBe(2);
  });

  it("refuses a file that is missing, not JSON, or not a samples file (and retries it next time)", async () => {
    await expect(loadTaskSamples("/b.json", respond("", 404))).rejects.toThrow(/\/b\.json answered HTTP 404/);
    await expect(loadTaskSamples("/b.json", respond("<html>"))).rejects.toThrow(/is not JSON/);
    const wrong = { ...SAMPLES, samples: [{ ...SAMPLES.samples[0], truth: [1, 0] }] };
    await expect(loadTaskSamples("/b.json", respond(wrong))).rejects.toThrow(/truth has the wrong type for ocr/);
    const bad = { ...SAMPLES, samples: [{ ...SAMPLES.samples[0], input: { kind: "image", dataUrl: "http://x" } }] };
    await expect(loadTaskSamples("/b.json", respond(bad))).rejects.toThrow(/must be a data: URL/);
    expect((await loadTaskSamples("/b.json", respond(SAMPLES))).samples).toHaveLength(1);
  });

  it("config.json may name where the samples are published", () => {
    expect(parseConfig({ taskSamplesUrl: "/task-samples.json" }).taskSamplesUrl).toBe("/task-samples.json");
    expect(parseConfig({}).taskSamplesUrl).toBeUndefined();
    expect(() => parseConfig({ taskSamplesUrl: 3 })).toThrow(/taskSamplesUrl must be a non-empty string/);
  });
});
