// The MNIST digit classifier (the original sample task) as a plugin. It wraps the code the validator already runs, so
// nothing changes for MNIST: the session (runtime.ts: one "input" [N, 784] → "probabilities" [N, 10] model),
// perturbed digits from the private probe secret (probes/inputs.ts), the round's score (score.ts: agreement within
// atol 1e-3 + rtol 1e-2 and accuracy on the labels) and the single-answer band of fraud proofs (max |p − r| ≤ 0.02).
import { TASKS } from "@curia/protocol";
import { probeInputs } from "../probes/inputs.js";
import { createSession } from "../runtime.js";
import { ANSWER_TOLERANCE, compareAnswers, DEFAULT_SCORE_PARAMS, scoreSamples } from "../score.js";
import { checkRows, type TaskPlugin } from "./types.js";

const spec = TASKS.mnist;

export const mnistTask: TaskPlugin = {
  spec,
  // The honest model scores ~9,400-9,800 on perturbed digits, the degraded one far less (validator/test/score.test.ts).
  passBps: 9_000,
  answerTolerance: ANSWER_TOLERANCE,
  open: (model, options) => createSession(model, options),
  async generate(secret, tag, count) {
    const { images, labels } = probeInputs(secret, tag, count);
    return { inputs: images, count, labels };
  },
  score(provider, reference, evalInputs) {
    checkRows(spec, provider, reference, evalInputs.count);
    if (evalInputs.labels === undefined) throw new Error("mnist: scoring needs the inputs' labels");
    const result = scoreSamples(provider, reference, evalInputs.labels, DEFAULT_SCORE_PARAMS);
    return {
      samples: result.samples,
      scoreBps: result.scoreBps,
      metric: result.agreement,
      metricName: "agreement",
      passed: result.scoreBps >= this.passBps,
      malformed: result.malformed,
      detail: {
        accuracy: result.accuracy,
        referenceAccuracy: result.referenceAccuracy,
        maxAbsDiff: result.maxAbsDiff,
      },
    };
  },
  judgeAnswer(provider, reference) {
    checkRows(spec, provider, reference, 1);
    const compared = compareAnswers(provider, reference, 1, ANSWER_TOLERANCE);
    return {
      within: compared.withinTolerance === 1,
      malformed: compared.malformed === 1,
      deviation: compared.malformed === 1 ? Infinity : compared.maxDeviation,
    };
  },
};
