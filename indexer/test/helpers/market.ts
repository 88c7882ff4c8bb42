// The whole system (governance, marketplace, stake pools, court, listing challenges, validation) deployed on the shared
// local chain with the project's deploy code, and a story that drives every contract: a listing is created, activated,
// bought and updated; curators stake, activate their warm stake, claim, unstake and withdraw; validators stake in their pool and a validation
// round scores it; the outlier validator leaves the pool; jurors stake in theirs, a second listing is challenged
// through ListingChallenges, the Court's jury is drawn, votes (commit, reveal) and the listing is delisted, and the
// votes are settled. The court and validation drivers of scripts/drivers run the rounds.
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { id, MaxUint256, parseEther } from "ethers";
import type { DeploymentRecord } from "../../../deploy/deployments.js";
import { Choice, CourtHelper } from "../../../scripts/drivers/court.js";
import { useConstantSeed, ValidationHelper } from "../../../scripts/drivers/validation.js";
import { connectLocalChain } from "./governance.js";

export const PRICE = parseEther("2");
export const NEW_PRICE = parseEther("3");
export const STAKE_A = parseEther("500");
export const STAKE_B = parseEther("300");
export const UNSTAKE_B = parseEther("100");
export const STAKE_ON_CHALLENGED = parseEther("400");
export const JUROR_STAKE = parseEther("1000");
export const VALIDATOR_STAKE = parseEther("1000");
/** What the first juror of the jury asks back from the jurors' pool at the end of the story. */
export const JUROR_UNSTAKE = parseEther("100");
/** Scores of the committee members in committee order: the last is an outlier and loses stake. */
export const SCORES = [8_000, 8_200, 7_900, 8_100, 3_000];
export const MEDIAN = 8_000;
/** What the provider puts towards an appeal of the ruling against it, before giving up. */
export const APPEAL_CONTRIBUTION = 5n * 10n ** 18n;
/** The ruling for the challenger. */
export const CHALLENGER_WINS = Choice.Challenger;
/** The ruling for the listing's provider (the defendant). */
export const DEFENDANT_WINS = Choice.Defendant;

export async function deployMarketSystem(url: string, deploymentsDir: string) {
  const { hre, connection } = await connectLocalChain(url);
  const { LOCAL_CONFIG } = await import("../../../deploy/config.js");
  const { deployCuria } = await import("../../../deploy/system.js");
  const { writeDeployment } = await import("../../../deploy/deployments.js");
  const signers = await connection.ethers.getSigners();
  if (signers.length < 16) throw new Error("the local chain needs at least 16 accounts");
  const [deployer, provider, consumer, curatorA, curatorB, challenger] = signers as [
    HardhatEthersSigner,
    HardhatEthersSigner,
    HardhatEthersSigner,
    HardhatEthersSigner,
    HardhatEthersSigner,
    HardhatEthersSigner,
  ];
  const jurors = signers.slice(6, 11);
  const validators = signers.slice(11, 16);
  let record: DeploymentRecord | undefined;
  const deployment = await deployCuria({
    hre,
    connection,
    config: LOCAL_CONFIG,
    persist: (r) => {
      record = r;
      writeDeployment(r, deploymentsDir);
    },
  });
  const { token, registry, curationPool, court, challenges, jurorPool, validation, validatorPool } = deployment;
  // Stakes go to the pools, challenges (bond + arbitration fee) to ListingChallenges, appeals to the Court.
  const spenders = await Promise.all(
    [registry, curationPool, court, challenges, jurorPool, validation, validatorPool].map((c) => c.getAddress()),
  );
  for (const account of [provider, consumer, curatorA, curatorB, challenger, ...jurors, ...validators]) {
    await (await token.connect(deployer).transfer(account.address, parseEther("100000"))).wait();
    for (const spender of spenders) await (await token.connect(account).approve(spender, MaxUint256)).wait();
  }
  if (record === undefined) throw new Error("deployment wrote no record");
  const helpers = connection.networkHelpers;
  // Committees are drawn with replacement: on a blockhash seed the five validators might hold the five seats in any
  // mix. The validation drivers' fixed seed gives seat s to validator s (five equal stakes, in staking order), so the
  // story's committee is every validator once, in order; the DAO (the timelock) sets it, as it would on a live chain.
  await useConstantSeed(connection, validation, await deployment.timelock.getAddress());
  return {
    ...deployment,
    courtHelper: new CourtHelper(court, challenges, jurors, helpers),
    validationHelper: new ValidationHelper(validation, registry, validators, helpers),
    connection,
    deployer,
    provider,
    consumer,
    curatorA,
    curatorB,
    challenger,
    jurors,
    validators,
    record: record as DeploymentRecord,
    deploymentPath: `${deploymentsDir}/${record.network}.json`,
  };
}

export type MarketSystem = Awaited<ReturnType<typeof deployMarketSystem>>;

export interface MarketStory {
  /** Created, activated, bought twice, updated, curated, scored. */
  listingId: bigint;
  /** Challenged and delisted. */
  challengedId: bigint;
  disputeId: bigint;
  /** The transaction that executed the ruling (the Court's RulingExecuted, ListingChallenges' split). */
  executeTransaction: string;
  roundId: bigint;
  /** Jurors seated in the dispute's first round. */
  jury: HardhatEthersSigner[];
  /** Validators in committee order. */
  committee: HardhatEthersSigner[];
  /** The committee's outlier (the last member): penalised, then it left the validators' pool. */
  exited: HardhatEthersSigner;
  claimed: bigint;
}

export async function runMarketStory(system: MarketSystem): Promise<MarketStory> {
  const { registry, curationPool, court, challenges, jurorPool, validation, validatorPool } = system;
  const { provider, consumer, curatorA, curatorB, challenger } = system;
  const bond = (await registry.parameters()).minBond;
  const list = async (name: string) => {
    await (
      await registry
        .connect(provider)
        .createListing(id(name), `ipfs://meta/${name}`, `https://${name}.example/infer`, PRICE, bond)
    ).wait();
    return registry.listingCount();
  };

  // The marketplace and its curators.
  const listingId = await list("mnist-mlp");
  await (await curationPool.connect(curatorA).stake(listingId, STAKE_A)).wait();
  await (await curationPool.connect(curatorB).stake(listingId, STAKE_B)).wait();
  await increaseTimeTo(system, (await registry.getListing(listingId)).activatesAt);
  await (await registry.activate(listingId)).wait();
  // New stake earns only once warmed up and activated (the local warm-up is no longer than the application period).
  await increaseTimeTo(system, (await curationPool.positionOf(listingId, curatorB.address)).warmEnd);
  await (await curationPool.activate(listingId, curatorA.address)).wait();
  await (await curationPool.activate(listingId, curatorB.address)).wait();
  await (await registry.connect(consumer).purchase(listingId, 100n, consumer.address, MaxUint256)).wait();
  await (await registry.connect(provider).updatePrice(listingId, NEW_PRICE)).wait();
  await (await registry.connect(provider).updateMetadata(listingId, "ipfs://meta/mnist-mlp-v2")).wait();
  await (await registry.connect(provider).updateEndpoint(listingId, "https://v2.example/infer")).wait();
  await (await registry.connect(provider).setListingPaused(listingId, true)).wait();
  await (await registry.connect(provider).setListingPaused(listingId, false)).wait();
  await (await registry.connect(consumer).purchase(listingId, 50n, curatorB.address, MaxUint256)).wait();
  const claimed = await curationPool.claimable(listingId, curatorA.address);
  await (await curationPool.connect(curatorA).claim(listingId, curatorA.address)).wait();
  await (await curationPool.connect(curatorB).requestUnstake(listingId, UNSTAKE_B)).wait();
  await increaseTimeTo(system, (await curationPool.positionOf(listingId, curatorB.address)).thawEnd);
  await (await curationPool.connect(curatorB).withdraw(listingId)).wait();
  await (await registry.sweepFees()).wait(); // the validators' fees fund the round's rewards

  // A validation round: every validator stakes in the validators' pool and sits (no more of them than a committee).
  for (const v of system.validators) await (await validatorPool.connect(v).stake(VALIDATOR_STAKE)).wait();
  const roundId = await system.validationHelper.open(consumer, listingId);
  const committee = await scoreRound(system, roundId, SCORES);
  // The outlier leaves before the round closes: it asks for all its stake back while its stake at risk is locked, so
  // its penalty comes out of thawing stake (the pool's batch release reports only what it unlocked and slashed, and
  // the subgraph derives where the slash came from), then withdraws what is left once thawed.
  const exited = committee[committee.length - 1]!;
  await (
    await validatorPool.connect(exited).requestUnstake((await validatorPool.memberOf(exited.address)).staked)
  ).wait();
  await (await validation.finalizeRound(roundId)).wait();
  await increaseTimeTo(system, (await validatorPool.memberOf(exited.address)).thawEnd);
  await (await validatorPool.connect(exited).withdraw()).wait();

  // A dispute: jurors stake in the jurors' pool; the challenger wins and the listing is delisted.
  for (const juror of system.jurors) await (await jurorPool.connect(juror).stake(JUROR_STAKE)).wait();
  const challengedId = await list("spam-model");
  await (await curationPool.connect(curatorA).stake(challengedId, STAKE_ON_CHALLENGED)).wait();
  const disputeId = await system.courtHelper.challenge(challenger, challengedId, "ipfs://e/1");
  await (await challenges.connect(provider).submitEvidence(disputeId, "ipfs://e/defence")).wait();
  const jury = await juryVotes(system, disputeId, CHALLENGER_WINS);
  // The provider starts to crowdfund an appeal and gives up: no appeal, so it takes its contribution back.
  await (await challenges.connect(provider).fundAppeal(disputeId, 2, APPEAL_CONTRIBUTION)).wait();
  await increaseTimeTo(system, (await court.getRound(disputeId, 0n)).appealEnd);
  const executed = await (await court.executeRuling(disputeId)).wait();
  await (await challenges.withdrawAppealFunds(disputeId, 0n, provider.address)).wait();
  for (const juror of jury) await (await court.settle(disputeId, 0n, juror.address)).wait();
  await (await jurorPool.connect(jury[0]!).requestUnstake(JUROR_UNSTAKE)).wait();
  return {
    listingId,
    challengedId,
    disputeId,
    executeTransaction: executed!.hash,
    roundId,
    jury,
    committee,
    exited,
    claimed,
  };
}

async function increaseTimeTo(system: MarketSystem, timestamp: bigint): Promise<void> {
  const time = system.connection.networkHelpers.time;
  if (timestamp > BigInt(await time.latest())) await time.increaseTo(timestamp);
}

/**
 * Round `roundId` (opened) gets its committee, whose members commit and reveal `scores` in committee order; the reveal
 * window is then over. Returns the committee.
 */
export async function scoreRound(
  system: MarketSystem,
  roundId: bigint,
  scores: number[],
): Promise<HardhatEthersSigner[]> {
  const helper = system.validationHelper;
  await system.connection.networkHelpers.mine(2); // past the block whose hash seeds the draw
  const committee = await helper.draw(roundId);
  await helper.commitScores(roundId, committee, scores);
  await helper.waitForReveal(roundId);
  await helper.revealScores(roundId, committee);
  await helper.waitForFinalize(roundId);
  return committee;
}

/**
 * The jury of dispute `disputeId`'s current round is drawn and every seated juror votes `choice` (commit, reveal); the
 * reveal window is then over (the appeal period runs). Returns the jurors seated.
 */
export async function juryVotes(
  system: MarketSystem,
  disputeId: bigint,
  choice: number,
): Promise<HardhatEthersSigner[]> {
  const jury = await system.courtHelper.runRound(disputeId, () => choice);
  return jury.map(({ juror }) => juror);
}
