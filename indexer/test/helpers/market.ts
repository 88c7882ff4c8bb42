// The whole system (governance, marketplace, court, validation) deployed on the shared local chain with the project's
// deploy code, and a story that drives every new contract: a listing is created, activated, bought and updated;
// curators stake, claim, unstake and withdraw; a validation round scores it; a second listing is challenged in the
// Court, drawn, voted on (commit, reveal) and delisted, and the votes are settled.
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { hexlify, id, MaxUint256, parseEther, randomBytes } from "ethers";
import { Period, Ruling, scoreCommitment, voteCommitment, type DeploymentRecord } from "@curia/protocol";
import { connectLocalChain } from "./governance.js";

export const PRICE = parseEther("2");
export const NEW_PRICE = parseEther("3");
export const STAKE_A = parseEther("500");
export const STAKE_B = parseEther("300");
export const UNSTAKE_B = parseEther("100");
export const STAKE_ON_CHALLENGED = parseEther("400");
export const JUROR_STAKE = parseEther("1000");
export const VALIDATOR_STAKE = parseEther("1000");
/** Scores of the committee members in committee order: the last is an outlier and loses stake. */
export const SCORES = [8_000, 8_200, 7_900, 8_100, 3_000];
export const MEDIAN = 8_000;
/** The ruling for the listing's provider (the defendant). */
export const DEFENDANT_WINS = Ruling.Defendant;

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
  const { token, registry, curationPool, court, validation } = deployment;
  const spenders = await Promise.all([registry, curationPool, court, validation].map((c) => c.getAddress()));
  for (const account of [provider, consumer, curatorA, curatorB, challenger, ...jurors, ...validators]) {
    await (await token.connect(deployer).transfer(account.address, parseEther("100000"))).wait();
    for (const spender of spenders) await (await token.connect(account).approve(spender, MaxUint256)).wait();
  }
  if (record === undefined) throw new Error("deployment wrote no record");
  return {
    ...deployment,
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
  roundId: bigint;
  /** Jurors seated in the dispute's first round. */
  jury: HardhatEthersSigner[];
  /** Validators in committee order. */
  committee: HardhatEthersSigner[];
  claimed: bigint;
}

export async function runMarketStory(system: MarketSystem): Promise<MarketStory> {
  const { registry, curationPool, court, validation, provider, consumer, curatorA, curatorB, challenger } = system;
  const helpers = system.connection.networkHelpers;
  const increaseTo = async (timestamp: bigint) => {
    if (timestamp > BigInt(await helpers.time.latest())) await helpers.time.increaseTo(timestamp);
  };
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
  await increaseTo((await registry.getListing(listingId)).activatesAt);
  await (await registry.activate(listingId)).wait();
  await (await registry.connect(consumer).purchase(listingId, 100n, consumer.address)).wait();
  await (await registry.connect(provider).updatePrice(listingId, NEW_PRICE)).wait();
  await (await registry.connect(provider).updateMetadata(listingId, "ipfs://meta/mnist-mlp-v2")).wait();
  await (await registry.connect(provider).updateEndpoint(listingId, "https://v2.example/infer")).wait();
  await (await registry.connect(provider).setListingPaused(listingId, true)).wait();
  await (await registry.connect(provider).setListingPaused(listingId, false)).wait();
  await (await registry.connect(consumer).purchase(listingId, 50n, curatorB.address)).wait();
  const claimed = await curationPool.claimable(listingId, curatorA.address);
  await (await curationPool.connect(curatorA).claim(listingId, curatorA.address)).wait();
  await (await curationPool.connect(curatorB).requestUnstake(listingId, UNSTAKE_B)).wait();
  await increaseTo((await curationPool.positionOf(listingId, curatorB.address)).thawEnd);
  await (await curationPool.connect(curatorB).withdraw(listingId)).wait();
  await (await registry.sweepFees()).wait(); // the validators' fees fund the round's rewards

  // A validation round: every validator sits (no more of them than a committee).
  for (const v of system.validators) await (await validation.connect(v).register(VALIDATOR_STAKE)).wait();
  const roundId = await validation.connect(consumer).openRound.staticCall(listingId);
  await (await validation.connect(consumer).openRound(listingId)).wait();
  const committee = await scoreRound(system, roundId, SCORES);
  await (await validation.finalizeRound(roundId)).wait();

  // A dispute: the challenger wins and the listing is delisted.
  for (const juror of system.jurors) await (await court.connect(juror).stake(JUROR_STAKE)).wait();
  const challengedId = await list("spam-model");
  await (await curationPool.connect(curatorA).stake(challengedId, STAKE_ON_CHALLENGED)).wait();
  const challengeBond = (await court.parameters()).minChallengeBond;
  const disputeId = await court
    .connect(challenger)
    .challengeListing.staticCall(challengedId, challengeBond, "ipfs://e/1");
  await (await court.connect(challenger).challengeListing(challengedId, challengeBond, "ipfs://e/1")).wait();
  await (await court.connect(provider).submitEvidence(disputeId, "ipfs://e/defence")).wait();
  const jury = await juryVotes(system, disputeId, Ruling.Challenger);
  await increaseTo((await court.getRound(disputeId, 0n)).appealEnd);
  await (await court.executeRuling(disputeId)).wait();
  for (const juror of jury) await (await court.settle(disputeId, 0n, juror.address)).wait();
  await (await court.connect(jury[0]!).requestUnstake(parseEther("100"))).wait();
  return { listingId, challengedId, disputeId, roundId, jury, committee, claimed };
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
  const { validation } = system;
  await system.connection.networkHelpers.mine(2); // past the block whose hash seeds the draw
  await (await validation.drawCommittee(roundId)).wait();
  const committee = (await validation.committeeOf(roundId)).map((address) =>
    system.validators.find((s) => s.address === address)!,
  );
  const salts = committee.map(() => hexlify(randomBytes(32)));
  for (const [i, member] of committee.entries()) {
    const hash = scoreCommitment(scores[i]!, salts[i]!, member.address, roundId);
    await (await validation.connect(member).commitScore(roundId, hash)).wait();
  }
  await increaseTimeTo(system, (await validation.getRound(roundId)).commitEnd);
  for (const [i, member] of committee.entries()) {
    await (await validation.connect(member).revealScore(roundId, scores[i]!, salts[i]!)).wait();
  }
  await increaseTimeTo(system, (await validation.getRound(roundId)).revealEnd);
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
  const { court } = system;
  const round = BigInt((await court.getDispute(disputeId)).rounds) - 1n;
  await system.connection.networkHelpers.mine(2); // past the block whose hash seeds the draw
  while (Number(await court.periodOf(disputeId)) === Period.Drawing) await (await court.draw(disputeId, 64)).wait();
  const jury: HardhatEthersSigner[] = [];
  for (const juror of system.jurors)
    if ((await court.voteOf(disputeId, round, juror.address)).seats > 0n) jury.push(juror);
  const salts = jury.map(() => hexlify(randomBytes(32)));
  for (const [i, juror] of jury.entries()) {
    const hash = voteCommitment(choice, salts[i]!, juror.address, disputeId, round);
    await (await court.connect(juror).commit(disputeId, hash)).wait();
  }
  await increaseTimeTo(system, (await court.getRound(disputeId, round)).commitEnd);
  for (const [i, juror] of jury.entries()) {
    await (await court.connect(juror).reveal(disputeId, choice, salts[i]!)).wait();
  }
  await increaseTimeTo(system, (await court.getRound(disputeId, round)).revealEnd);
  return jury;
}
