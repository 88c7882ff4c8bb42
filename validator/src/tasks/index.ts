// The task plugins, by id (@curia/protocol's TASK_IDS). A listing's metadata names its task and version
// (parseListingMetadata); taskFor resolves them to the plugin that runs and scores it.
import { taskSpec, type TaskId } from "@curia/protocol";
import { mnistTask } from "./mnist.js";
import { ocrTask } from "./ocr.js";
import type { TaskPlugin } from "./types.js";
import { vadTask } from "./vad.js";

const PLUGINS: Partial<Record<TaskId, TaskPlugin>> = { mnist: mnistTask, vad: vadTask, ocr: ocrTask };

/** The plugin of task `id` at `version` (default: the current one), or a clear error. */
export function taskFor(id: string, version?: number): TaskPlugin {
  const spec = taskSpec(id, version);
  const plugin = PLUGINS[spec.id];
  if (plugin === undefined) throw new Error(`task ${spec.id} has no plugin in this build`);
  return plugin;
}

export { mnistTask, ocrTask, vadTask };
export { ocrModelPath, ocrText, openOcr } from "./ocr.js";
export { evaluate, judgeReceipt, type Answerer, type Evaluation } from "./evaluate.js";
export { sileroModel, sileroModelPath } from "./vad.js";
export type { AnswerVerdict, EvalInputs, RunnerOptions, TaskPlugin, TaskRunner, TaskScore } from "./types.js";
