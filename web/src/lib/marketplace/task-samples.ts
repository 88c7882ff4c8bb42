// A listing's task as its metadata names it (shown with the task's metric), and the task samples `npm start`
// publishes (task-samples.json, @curia/protocol's TaskSampleFile): one VAD clip and one OCR line answered by the
// demo's honest and cheating listing of the task.
import { parseTaskSamples, taskSpec, type TaskSample, type TaskSampleFile, type TaskSpec } from "@curia/protocol";

/** Metadata written before tasks existed named the MNIST task in words (protocol's parseListingMetadata reads it so). */
const LEGACY_TASKS: Record<string, string> = { "mnist digit classification": "mnist" };

export type ListingTask = { spec: TaskSpec; error?: undefined } | { spec?: undefined; error: string };

/**
 * The task a listing's metadata names, with its spec (id, version, metric); undefined when the metadata names none.
 * A task or version this app does not know is an error to show, not a guess.
 */
export function listingTask(meta: { task?: string; taskVersion?: number }): ListingTask | undefined {
  if (meta.task === undefined) return undefined;
  const legacy = LEGACY_TASKS[meta.task];
  try {
    return { spec: taskSpec(legacy ?? meta.task, legacy === undefined ? meta.taskVersion : undefined) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

const cache = new Map<string, Promise<TaskSampleFile>>();

/** Fetches and checks the samples file once per URL (a failed load is retried next time). */
export function loadTaskSamples(url: string, fetchFn: typeof fetch = fetch): Promise<TaskSampleFile> {
  let loading = cache.get(url);
  if (loading === undefined) {
    loading = (async () => {
      const response = await fetchFn(url, { cache: "no-store" });
      if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
      let json: unknown;
      try {
        json = await response.json();
      } catch {
        throw new Error(`${url} is not JSON`);
      }
      return parseTaskSamples(json);
    })();
    loading.catch(() => cache.delete(url));
    cache.set(url, loading);
  }
  return loading;
}

/** The sample whose answers include `listingId`'s (undefined: no sample covers it). */
export function sampleFor(file: TaskSampleFile, listingId: string): TaskSample | undefined {
  return file.samples.find((s) => s.answers.some((a) => a.listingId === listingId));
}

/** Frames (of a VAD answer or truth) at or above the speech threshold. */
export function speechFrames(frames: readonly number[]): number {
  return frames.filter((p) => p >= 0.5).length;
}
