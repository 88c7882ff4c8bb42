// Judging a published answer against its receipt: a fraud proof (ListingChallenges.FraudProofFiled) or an audit a
// consumer forwarded. The input and output are read from their URIs, checked against the receipt's hashes, the input
// is re-executed on the listing's declared model and every published answer is compared with the reference within
// ANSWER_TOLERANCE (score.ts). One answer outside the band is fraud.
import type { InferenceReceipt } from "@curia/protocol";
import { CLASSES, INPUT_SIZE } from "./model/dataset.js";
import {
  PublicationUnavailableError,
  f32FromBytes,
  fetchPublication,
  matchesHash,
  type PublicationOptions,
} from "./receipts.js";
import { ANSWER_TOLERANCE, compareAnswers } from "./score.js";
import { mnistTask } from "./tasks/mnist.js";
import type { TaskPlugin } from "./tasks/types.js";
import type { Verifier } from "./verify.js";

/**
 * - fraud: the published output is the receipt's, and outside the tolerance band of the declared model (or not a
 *   probability vector): the provider signed a wrong answer.
 * - honest: every published answer is within the band.
 * - publication-mismatch: the published bytes do not hash to the receipt's inputHash / outputHash: the filer did not
 *   publish what the provider signed, so the receipt proves nothing.
 * - publication-unavailable: the input or output cannot be read (scheme, size, network).
 * - input-malformed: the input is not whole 28×28 images; nothing to re-execute.
 */
export type VerdictOutcome =
  "fraud" | "honest" | "publication-mismatch" | "publication-unavailable" | "input-malformed";

export interface AnswerVerdict {
  fraud: boolean;
  outcome: VerdictOutcome;
  reason: string;
  /** Largest |p − p_ref| over the well-formed answers; null when nothing was compared. */
  maxDeviation: number | null;
  /** Inputs re-executed (0 when nothing was compared). */
  inputs: number;
  /** Answers within the band, and those that were not probability vectors. */
  withinTolerance: number;
  malformed: number;
  tolerance: number;
}

export interface PublishedAnswer {
  receipt: InferenceReceipt;
  inputURI: string;
  outputURI: string;
}

export interface ListingModel {
  listingId: bigint;
  modelHash: string;
  metadataURI: string;
}

const verdict = (
  outcome: VerdictOutcome,
  reason: string,
  compared?: { inputs: number; maxDeviation: number; withinTolerance: number; malformed: number },
): AnswerVerdict => ({
  fraud: outcome === "fraud",
  outcome,
  reason,
  maxDeviation: compared?.maxDeviation ?? null,
  inputs: compared?.inputs ?? 0,
  withinTolerance: compared?.withinTolerance ?? 0,
  malformed: compared?.malformed ?? 0,
  tolerance: ANSWER_TOLERANCE,
});

/** Reads the input and output of `published` and checks them against the receipt's hashes. */
export async function readPublication(
  published: PublishedAnswer,
  options: PublicationOptions,
): Promise<{ input: Uint8Array; output: Uint8Array } | AnswerVerdict> {
  let input: Uint8Array;
  let output: Uint8Array;
  try {
    [input, output] = await Promise.all([
      fetchPublication(published.inputURI, options),
      fetchPublication(published.outputURI, options),
    ]);
  } catch (error) {
    if (error instanceof PublicationUnavailableError)
      return verdict("publication-unavailable", `the publication cannot be read: ${error.message}`);
    throw error;
  }
  if (!matchesHash(input, published.receipt.inputHash))
    return verdict("publication-mismatch", "publication does not match the receipt: the input's hash is not inputHash");
  if (!matchesHash(output, published.receipt.outputHash)) {
    return verdict(
      "publication-mismatch",
      "publication does not match the receipt: the output's hash is not outputHash",
    );
  }
  return { input, output };
}

/**
 * Re-executes a published (hash-checked) input on the listing's model and compares the published output. `task` is
 * the listing's task plugin (its metadata's task; default MNIST, whose rules below are unchanged): another task's
 * inputs and outputs are whole rows of its wire shape, and each answer is judged by the plugin's single-answer rule.
 */
export async function judgeAnswer(
  published: PublishedAnswer,
  listing: ListingModel,
  verifier: Pick<Verifier, "referenceOutputs">,
  options: PublicationOptions,
  task: TaskPlugin = mnistTask,
): Promise<AnswerVerdict> {
  if (published.receipt.modelHash.toLowerCase() !== listing.modelHash.toLowerCase()) {
    // The contract refuses such a receipt (ReceiptWrongModel); an audit could still carry one.
    return verdict("publication-mismatch", `the receipt names model ${published.receipt.modelHash}, not the listing's`);
  }
  const read = await readPublication(published, options);
  if (!("input" in read)) return read;
  if (task.spec.id !== "mnist") return judgeTaskAnswer(read, listing, verifier, task);
  const images = f32FromBytes(read.input);
  if (images === undefined || images.length === 0 || images.length % INPUT_SIZE !== 0) {
    return verdict("input-malformed", `the input is ${read.input.length} bytes, not whole ${INPUT_SIZE}-float images`);
  }
  const count = images.length / INPUT_SIZE;
  const answers = f32FromBytes(read.output);
  if (answers === undefined || answers.length !== count * CLASSES) {
    // The provider signed an output that is not an answer to this input.
    return verdict(
      "fraud",
      `the signed output holds ${read.output.length} bytes, not ${count} × ${CLASSES} probabilities`,
      { inputs: count, maxDeviation: Number.POSITIVE_INFINITY, withinTolerance: 0, malformed: count },
    );
  }
  const { outputs } = await verifier.referenceOutputs(listing, images, count);
  const compared = compareAnswers(answers, outputs, count);
  const result = {
    inputs: count,
    maxDeviation: compared.malformed > 0 ? Number.POSITIVE_INFINITY : compared.maxDeviation,
    withinTolerance: compared.withinTolerance,
    malformed: compared.malformed,
  };
  if (compared.withinTolerance < count) {
    return verdict(
      "fraud",
      `${count - compared.withinTolerance} of ${count} signed answers are outside the tolerance band ` +
        `(max |p − p_ref| ${compared.maxDeviation.toExponential(2)} > ${ANSWER_TOLERANCE}` +
        `${compared.malformed > 0 ? `; ${compared.malformed} not probability vectors` : ""})`,
      result,
    );
  }
  return verdict(
    "honest",
    `all ${count} signed answers are within the tolerance band (max |p − p_ref| ${compared.maxDeviation.toExponential(2)})`,
    result,
  );
}

/** judgeAnswer for a task other than MNIST: the plugin's row shapes and single-answer rule. */
async function judgeTaskAnswer(
  read: { input: Uint8Array; output: Uint8Array },
  listing: ListingModel,
  verifier: Pick<Verifier, "referenceOutputs">,
  task: TaskPlugin,
): Promise<AnswerVerdict> {
  const { id, inputSize, outputSize } = task.spec;
  const tolerance = task.answerTolerance;
  const inputs = f32FromBytes(read.input);
  if (inputs === undefined || inputs.length === 0 || inputs.length % inputSize !== 0) {
    return {
      ...verdict(
        "input-malformed",
        `the input is ${read.input.length} bytes, not whole ${inputSize}-float ${id} inputs`,
      ),
      tolerance,
    };
  }
  const count = inputs.length / inputSize;
  const answers = f32FromBytes(read.output);
  if (answers === undefined || answers.length !== count * outputSize) {
    return {
      ...verdict(
        "fraud",
        `the signed output holds ${read.output.length} bytes, not ${count} × ${outputSize} ${id} values`,
        {
          inputs: count,
          maxDeviation: Number.POSITIVE_INFINITY,
          withinTolerance: 0,
          malformed: count,
        },
      ),
      tolerance,
    };
  }
  const { outputs } = await verifier.referenceOutputs(listing, inputs, count);
  let within = 0;
  let malformed = 0;
  let maxDeviation = 0;
  for (let i = 0; i < count; i++) {
    const one = task.judgeAnswer(
      answers.subarray(i * outputSize, (i + 1) * outputSize),
      outputs.subarray(i * outputSize, (i + 1) * outputSize),
    );
    if (one.within) within++;
    if (one.malformed) malformed++;
    maxDeviation = Math.max(maxDeviation, one.deviation);
  }
  const result = { inputs: count, maxDeviation, withinTolerance: within, malformed };
  const outcome = within < count ? "fraud" : "honest";
  const reason =
    outcome === "fraud"
      ? `${count - within} of ${count} signed ${id} answers are outside the task's single-answer band ` +
        `(largest deviation ${maxDeviation.toFixed(3)} > ${tolerance}${malformed > 0 ? `; ${malformed} malformed` : ""})`
      : `all ${count} signed ${id} answers are within the task's single-answer band (largest deviation ${maxDeviation.toFixed(3)})`;
  return { ...verdict(outcome, reason, result), tolerance };
}

/** The evidence a validator submits for a fraud proof: a data:application/json URI of its verdict. */
export function verdictEvidenceURI(
  v: AnswerVerdict,
  context: { disputeId: bigint; listingId: bigint; validator: string; receiptDigest: string },
): string {
  const json = JSON.stringify({
    fraud: v.fraud,
    outcome: v.outcome,
    reason: v.reason,
    // JSON has no Infinity: a malformed answer's deviation is written as the string "Infinity".
    maxDeviation: v.maxDeviation === null || Number.isFinite(v.maxDeviation) ? v.maxDeviation : "Infinity",
    tolerance: v.tolerance,
    inputs: v.inputs,
    withinTolerance: v.withinTolerance,
    validator: context.validator,
    disputeId: context.disputeId.toString(),
    listingId: context.listingId.toString(),
    receiptDigest: context.receiptDigest,
  });
  return `data:application/json,${encodeURIComponent(json)}`;
}

/** A FraudProofFiled event's arguments, as the service and the CLI read them. */
export interface FiledFraudProof {
  disputeId: bigint;
  listingId: bigint;
  filer: string;
  receiptDigest: string;
  signer: string;
  receipt: InferenceReceipt;
  inputURI: string;
  outputURI: string;
}

/** Converts ethers' decoded FraudProofFiled arguments (the receipt is a struct Result). */
export function filedFraudProofOf(args: {
  disputeId: bigint;
  listingId: bigint;
  filer: string;
  receiptDigest: string;
  signer: string;
  receipt: {
    listingId: bigint;
    modelHash: string;
    caller: string;
    nonce: bigint;
    inputHash: string;
    outputHash: string;
    servedAt: bigint;
  };
  inputURI: string;
  outputURI: string;
}): FiledFraudProof {
  const r = args.receipt;
  return {
    disputeId: args.disputeId,
    listingId: args.listingId,
    filer: args.filer,
    receiptDigest: args.receiptDigest,
    signer: args.signer,
    receipt: {
      listingId: r.listingId,
      modelHash: r.modelHash as `0x${string}`,
      caller: r.caller as `0x${string}`,
      nonce: r.nonce,
      inputHash: r.inputHash as `0x${string}`,
      outputHash: r.outputHash as `0x${string}`,
      servedAt: r.servedAt,
    },
    inputURI: args.inputURI,
    outputURI: args.outputURI,
  };
}
