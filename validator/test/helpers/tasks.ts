// Shared setup of the VAD and OCR tests (issue 19): each task's honest and cheap runner (fp32 / fp16 Silero, PP-OCRv4
// at full / half width), a task listing's metadata URI, the first generated input the cheap model answers outside the
// task's single-answer band, and a sample provider serving a listing with a given runner.
import { readFileSync } from "node:fs";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { inferenceDomain } from "@curia/protocol";
import { ChainClock } from "@curia/protocol/ethers";
import { ProviderServer, loadServedListings } from "@curia/provider";
import { createLogger } from "../../src/log.js";
import { ocrModelPath, ocrTask, openOcr } from "../../src/tasks/ocr.js";
import type { TaskPlugin, TaskRunner } from "../../src/tasks/types.js";
import { sileroModel, sileroModelPath, vadTask } from "../../src/tasks/vad.js";
import type { System } from "./chain.js";

export interface TaskRunners {
  /** The listed model, as the honest provider and the validators' reference run it. */
  honest: TaskRunner;
  /** The cheaper model a cheat serves under the same claim. */
  cheap: TaskRunner;
  /** The listed model's bytes and file (its hash is the listing's modelHash). */
  model: Uint8Array;
  modelPath: string;
}

export interface TaskCase {
  task: TaskPlugin;
  modelPath: string;
  /** Loads both runners on CPU (the tests' execution provider: CI has no GPU). */
  open(): Promise<TaskRunners>;
}

/** VAD (Silero fp32 / fp16) and OCR (PP-OCRv4 at full / half width): each task's honest and cheap model. */
export const TASK_CASES: readonly TaskCase[] = [
  {
    task: vadTask,
    modelPath: sileroModelPath("fp32"),
    open: async () => ({
      honest: await vadTask.open(sileroModel("fp32"), { executionProvider: "cpu" }),
      cheap: await vadTask.open(sileroModel("fp16"), { executionProvider: "cpu" }),
      model: sileroModel("fp32"),
      modelPath: sileroModelPath("fp32"),
    }),
  },
  {
    task: ocrTask,
    modelPath: ocrModelPath(),
    open: async () => {
      const model = readFileSync(ocrModelPath());
      return {
        honest: await ocrTask.open(model, { executionProvider: "cpu" }),
        cheap: await openOcr(model, { reducedWidth: 160, executionProvider: "cpu" }),
        model,
        modelPath: ocrModelPath(),
      };
    },
  },
];

/**
 * A task listing's metadata as a data: URI (no gateway needed): its task at the current version, the model's hash and,
 * when `modelPath` is given, the file validators fetch it from.
 */
export function taskMetadataURI(task: TaskPlugin, modelHash: string, modelPath?: string): string {
  const metadata = {
    name: task.spec.id,
    task: task.spec.id,
    taskVersion: task.spec.version,
    modelHash,
    ...(modelPath === undefined ? {} : { modelURI: `file://${modelPath}` }),
  };
  return `data:application/json,${encodeURIComponent(JSON.stringify(metadata))}`;
}

/**
 * The first of `count` inputs (rows of `inputs`) whose cheap answer the task's single-answer rule rejects against the
 * honest one: what a fraud proof on one call publishes. Throws when the cheap model answered every one within band.
 */
export async function outOfBandInput(
  task: TaskPlugin,
  runners: Pick<TaskRunners, "honest" | "cheap">,
  inputs: Float32Array,
  count: number,
): Promise<Float32Array> {
  const { inputSize, outputSize } = task.spec;
  const [ref, bad] = [await runners.honest.run(inputs, count), await runners.cheap.run(inputs, count)];
  for (let i = 0; i < count; i++) {
    const at = (out: Float32Array) => out.slice(i * outputSize, (i + 1) * outputSize);
    if (!task.judgeAnswer(at(bad), at(ref)).within) return inputs.slice(i * inputSize, (i + 1) * inputSize);
  }
  throw new Error(`${task.spec.id}: the cheap model answered every input within band`);
}

/**
 * Serves listing `listingId` of `owner` with `runner` through a sample ProviderServer (mode "honest": it answers with
 * whatever runner it is given, so a cheap runner makes a cheat), signed by the listing's serving key, and points the
 * listing's endpoint at it. The server's chain clock goes into `clocks` (the caller stops it and refreshes it after
 * moving time).
 */
export async function serveTaskListing(
  system: System,
  owner: HardhatEthersSigner,
  listingId: bigint,
  task: TaskPlugin,
  runner: TaskRunner,
  clocks: ChainClock[],
): Promise<ProviderServer> {
  const domain = inferenceDomain(system.record.chainId, await system.registry.getAddress());
  const servingKey = await system.connection.ethers.getSigner(await system.registry.servingKeyOf(listingId));
  const clock = await ChainClock.start(system.connection.ethers.provider, 500);
  clocks.push(clock);
  const server = new ProviderServer({
    chainNow: () => clock.now(),
    mode: "honest",
    session: runner,
    task,
    domain,
    listings: await loadServedListings(system.registry, [listingId], servingKey.address),
    servingKey,
    callsPurchased: (id, caller) => system.registry.callsPurchased(id, caller),
    log: createLogger("provider", { level: "error" }),
  });
  const url = await server.listen(0);
  await (await system.registry.connect(owner).updateEndpoint(listingId, url)).wait();
  return server;
}
