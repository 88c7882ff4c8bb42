// Demo of issue 16's promise on a local chain: the validator-aware provider (listing 4 serves the listed model to
// registered validators and a cheaper one to everyone else) is caught by a paying consumer's receipt. The consumer
// (#7) calls it through the client library, which refuses any answer without a valid receipt; it checks the answers
// against the listed model run locally (the validator's public model API), files the first wrong one's receipt as a
// fraud proof, and the demo jurors rule on it: the listing is delisted, its provider loses its bond and escrowed
// earnings, and the consumer gets its bond back plus the winner's share.
import { readFileSync } from "node:fs";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";
import { formatEther, type Provider } from "ethers";
import {
  ChainClock,
  CuriaClient,
  CuriaToken__factory,
  f32ToBytes,
  type DeploymentRecord,
} from "@curia/protocol/ethers";
import { createSession, ensureModels, imageOf, INPUT_SIZE, CLASSES, loadMnist } from "@curia/validator";
import { Choice, CourtHelper } from "../drivers/court.js";
import type { Court, ListingChallenges, ListingRegistry } from "../../types/ethers-contracts/index.js";
import { DEMO_JURORS } from "./seed-court.js";
import { DEMO_CONSUMER, DEMO_VALIDATOR_AWARE_LISTING } from "./seed-marketplace.js";

/** The consumer who files the demo's fraud proof. */
export const DEMO_CONSUMER_INDEX = DEMO_CONSUMER;
/** Inputs per call: small batches keep a fraud proof's data: URIs within what ListingChallenges takes. */
const BATCH = 8;

export interface SeedFraudProofOptions {
  record: DeploymentRecord;
  provider: Provider;
  registry: ListingRegistry;
  challenges: ListingChallenges;
  court: Court;
  accounts: readonly HardhatEthersSigner[];
  helpers: NetworkHelpers;
  /** Where the validator-aware provider answers. */
  endpoint: string;
  log?: (message: string) => void;
}

export interface FraudProofStory {
  disputeId: bigint;
  filer: string;
  /** The provider's bond and escrowed earnings the delisting took. */
  slashed: bigint;
  /** What the filer received when the ruling was executed (its bond back plus the winner's share). */
  filerReceived: bigint;
}

function argmax(values: Float32Array, row: number): number {
  let best = 0;
  for (let c = 1; c < CLASSES; c++) if (values[row * CLASSES + c]! > values[row * CLASSES + best]!) best = c;
  return best;
}

export async function seedFraudProof(options: SeedFraudProofOptions): Promise<FraudProofStory> {
  const { record, registry, challenges, court, accounts, helpers } = options;
  const log = options.log ?? (() => {});
  const consumer = accounts[DEMO_CONSUMER]!;
  const listingId = DEMO_VALIDATOR_AWARE_LISTING;
  // The demo moves the chain's clock ahead of the wall clock: receipts are dated on the chain's.
  const clock = await ChainClock.start(options.provider, 0);
  const client = CuriaClient.fromDeployment(record, consumer, {
    audit: { share: 0, urls: [] },
    chainNow: () => clock.now(),
  });
  const reference = await createSession(readFileSync(ensureModels().reference.path), { executionProvider: "cpu" });
  const evalSet = loadMnist().eval;
  try {
    for (let call = 0; call < 20; call++) {
      const inputs = new Float32Array(BATCH * INPUT_SIZE);
      for (let i = 0; i < BATCH; i++) inputs.set(imageOf(evalSet, 40 + call * BATCH + i), i * INPUT_SIZE);
      await clock.refresh();
      const answer = await client.infer(listingId, inputs, { endpoint: options.endpoint });
      const listed = await reference.run(inputs, BATCH);
      const wrong = Array.from({ length: BATCH }, (_, row) => row).filter(
        (row) => argmax(answer.outputs, row) !== argmax(listed, row),
      );
      if (wrong.length === 0) continue;
      log(
        `#${DEMO_CONSUMER}'s call ${call + 1} on listing ${listingId}: ${wrong.length} of ${BATCH} digits differ from ` +
          "the listed model; filing its signed receipt as a fraud proof",
      );
      const { minChallengeBond } = await challenges.parameters();
      const { disputeId } = await client.fileFraudProof(
        answer.receipt,
        answer.signature,
        f32ToBytes(inputs),
        f32ToBytes(answer.outputs),
        minChallengeBond,
      );
      return await rule(disputeId);
    }
    throw new Error(`listing ${listingId} answered 20 calls like the listed model: the demo's cheater is not cheating`);
  } finally {
    await reference.release();
    clock.stop();
  }

  async function rule(disputeId: bigint): Promise<FraudProofStory> {
    // The demo jurors re-run the input on the listed model as the validators do, and rule for the consumer.
    const jurors = DEMO_JURORS.map((index) => accounts[index]!);
    const helper = new CourtHelper(court, challenges, jurors, helpers);
    const { bond } = await registry.getListing(listingId);
    const token = CuriaToken__factory.connect(await registry.token(), options.provider);
    const before = await token.balanceOf(consumer.address);
    await helper.runRound(disputeId, () => Choice.Challenger);
    await (await helper.execute(disputeId)).wait();
    await helper.settleAll(disputeId);
    const filerReceived = (await token.balanceOf(consumer.address)) - before;
    const resolved = (await registry.queryFilter(registry.filters.ListingChallengeResolved(listingId, disputeId)))[0];
    const slashed = resolved?.args.bondSlashed ?? bond;
    log(
      `dispute ${disputeId}: the jury ruled for #${DEMO_CONSUMER}; listing ${listingId} delisted, its provider lost ` +
        `${formatEther(slashed)} CUR (bond and escrowed earnings), #${DEMO_CONSUMER} received ${formatEther(filerReceived)} CUR`,
    );
    return { disputeId, filer: consumer.address, slashed, filerReceived };
  }
}
