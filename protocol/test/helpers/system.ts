// The live contracts the protocol package is checked against, and every call the checks make to them: the whole
// system deployed by the project's deploy code on Hardhat's in-process chain, and short verbs (challenge, draw,
// commit, reveal, appeal, open a round, …) over it. When the contracts change shape (a stake pool, a generic court),
// this file changes and the tests that use it stay as they are.
import hre from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { MaxUint256, id, parseEther, type ContractTransactionResponse } from "ethers";
import { LOCAL_CONFIG } from "../../../deploy/config.js";
import { deployCuria } from "../../../deploy/system.js";
import { useConstantSeed } from "../../../scripts/drivers/validation.js";
import type { CourtRoundProgress, DisputeProgress, ListingProgress, ValidationRoundProgress } from "../../src/index.js";

const connection = await hre.network.create();
const { ethers, networkHelpers } = connection;

export const JUROR_STAKE = parseEther("1000");
/** The validation drivers' stake (scripts/drivers/validation.ts): their fixed seed seats five such stakes in order. */
export const VALIDATOR_STAKE = parseEther("1000");

/** A deployed system with ten staked jurors, five registered validators (a full committee) and a funded provider. */
export async function deploySystem() {
  const signers = await ethers.getSigners();
  const [deployer, provider, challenger] = signers;
  const jurors = signers.slice(3, 13);
  const validators = signers.slice(13, 18);
  if (deployer === undefined || provider === undefined || challenger === undefined || validators.length < 5) {
    throw new Error("need 18 accounts");
  }
  const system = await deployCuria({ hre, connection, config: LOCAL_CONFIG, log: () => {} });
  const { token, registry, court, challenges, jurorPool, validation, validatorPool } = system;
  for (const account of [provider, challenger, ...jurors, ...validators]) {
    await (await token.connect(deployer).transfer(account.address, parseEther("100000"))).wait();
    for (const spender of [registry, court, challenges, jurorPool, validation, validatorPool]) {
      await (await token.connect(account).approve(await spender.getAddress(), MaxUint256)).wait();
    }
  }
  for (const juror of jurors) await (await jurorPool.connect(juror).stake(JUROR_STAKE)).wait();
  for (const v of validators) await (await validatorPool.connect(v).stake(VALIDATOR_STAKE)).wait();
  // Committees are drawn with replacement: on a blockhash seed five validators may fill five seats in any mix. The
  // validation drivers' fixed seed seats each of the five equal stakes once, in staking order, so every round's
  // committee is all five (the phase tests need absent, silent and active members). The DAO (the timelock) sets it.
  await useConstantSeed(connection, validation, await system.timelock.getAddress());
  await networkHelpers.mine();
  const seatsOf = async (disputeId: bigint, round: bigint) =>
    Promise.all(jurors.map(async (juror) => ({ juror, seats: (await court.voteOf(disputeId, round, juror)).seats })));

  const chain = {
    ...system,
    deployer,
    provider,
    challenger,
    jurors,
    validators,

    // ---------------------------------------------------------------- time
    /** The time a view call sees now (the token's ERC-6372 clock is block.timestamp). */
    now: (): Promise<bigint> => token.clock(),
    /** Mines a block at `timestamp` (later than the latest), so that view calls see exactly that second. */
    async mineAt(timestamp: bigint): Promise<void> {
      await networkHelpers.time.increaseTo(timestamp);
    },
    /** Mines past the block whose hash seeds a draw. */
    waitForRandomness: () => networkHelpers.mine(2),

    // ---------------------------------------------------------------- marketplace
    /** Lists a model (Pending for the application period); returns its id. */
    async createListing(name: string): Promise<bigint> {
      const { minBond } = await registry.parameters();
      await (
        await registry
          .connect(provider)
          .createListing(id(name), `ipfs://meta/${name}`, `https://${name}.example`, parseEther("1"), minBond)
      ).wait();
      return registry.listingCount();
    },
    /** Lists a model and activates the listing once its application period is over; returns its id. */
    async activeListing(name: string): Promise<bigint> {
      const listingId = await chain.createListing(name);
      await chain.mineAt(BigInt((await registry.getListing(listingId)).activatesAt));
      await (await registry.activate(listingId)).wait();
      return listingId;
    },
    /** The stored listing, as `listingStatus` takes it. */
    async listing(listingId: bigint): Promise<ListingProgress> {
      const l = await registry.getListing(listingId);
      return { status: l.status, activatesAt: l.activatesAt };
    },
    /** ListingRegistry.statusOf, as the enum's value. */
    statusOf: async (listingId: bigint): Promise<number> => Number(await registry.statusOf(listingId)),

    // ---------------------------------------------------------------- court
    /** Challenges `listingId` with the smallest bond; returns the dispute id. */
    async challenge(listingId: bigint): Promise<bigint> {
      const { minChallengeBond } = await challenges.parameters();
      await (await challenges.connect(challenger).challenge(listingId, minChallengeBond, "ipfs://evidence")).wait();
      return court.disputeCount();
    },
    /** The dispute's stored record, as `disputePeriod` takes it. */
    async dispute(disputeId: bigint): Promise<DisputeProgress> {
      const d = await court.getDispute(disputeId);
      return { rounds: d.rounds, toDao: d.toDao, executed: d.executed, daoDeadline: d.daoDeadline };
    },
    /** What Court.getDispute throws for `disputeId` (undefined when the dispute exists). */
    async getDisputeError(disputeId: bigint): Promise<unknown> {
      try {
        await court.getDispute(disputeId);
        return undefined;
      } catch (error) {
        return error;
      }
    },
    /** The dispute's latest round, as `disputePeriod` takes it. */
    async courtRound(disputeId: bigint): Promise<CourtRoundProgress & { index: bigint }> {
      const index = BigInt((await court.getDispute(disputeId)).rounds) - 1n;
      const r = await court.getRound(disputeId, index);
      return {
        index,
        seats: r.seats,
        drawn: r.drawn,
        commitEnd: r.commitEnd,
        revealEnd: r.revealEnd,
        appealEnd: r.appealEnd,
      };
    },
    /** Court.periodOf, as the enum's value. */
    periodOf: async (disputeId: bigint): Promise<number> => Number(await court.periodOf(disputeId)),
    /** One draw step of at most `iterations` draws. */
    draw: (disputeId: bigint, iterations: number) => court.draw(disputeId, iterations),
    /** The jurors seated in the dispute's latest round. */
    async jury(disputeId: bigint): Promise<HardhatEthersSigner[]> {
      const { index } = await chain.courtRound(disputeId);
      return (await seatsOf(disputeId, index)).filter((s) => s.seats > 0n).map((s) => s.juror);
    },
    commitVote: (juror: HardhatEthersSigner, disputeId: bigint, commitment: string) =>
      court.connect(juror).commit(disputeId, commitment),
    revealVote: (juror: HardhatEthersSigner, disputeId: bigint, choice: number, salt: string) =>
      court.connect(juror).reveal(disputeId, choice, salt),
    /** The commitment stored for `juror` in round `round`. */
    storedVote: async (disputeId: bigint, round: bigint, juror: HardhatEthersSigner) =>
      (await court.voteOf(disputeId, round, juror)).commitment,
    /** The loser of the latest round appeals it. */
    async appeal(disputeId: bigint): Promise<ContractTransactionResponse> {
      const d = await court.getDispute(disputeId);
      const ruling = await court.currentRuling(disputeId);
      const loser = ruling === 1n ? d.defendant : d.challenger;
      return court.connect(await ethers.getSigner(loser)).appeal(disputeId);
    },
    executeRuling: (disputeId: bigint) => court.executeRuling(disputeId),

    // ---------------------------------------------------------------- validation
    /** Opens a round on `listingId` (the provider pays any fee); returns its id. */
    async openRound(listingId: bigint): Promise<bigint> {
      await (await validation.connect(provider).openRound(listingId)).wait();
      return validation.roundCount();
    },
    drawCommittee: (roundId: bigint) => validation.drawCommittee(roundId),
    /** The round's members, as signers. */
    async committee(roundId: bigint): Promise<HardhatEthersSigner[]> {
      return Promise.all((await validation.committeeOf(roundId)).map((a) => ethers.getSigner(a)));
    },
    /** The stored round, as `roundPhase` takes it. */
    async validationRound(roundId: bigint): Promise<ValidationRoundProgress> {
      const r = await validation.getRound(roundId);
      return {
        status: r.status,
        seated: r.seated,
        committed: r.committed,
        revealed: r.revealed,
        commitEnd: r.commitEnd,
        revealEnd: r.revealEnd,
      };
    },
    /** ValidationManager.phaseOf, as the enum's value. */
    phaseOf: async (roundId: bigint): Promise<number> => Number(await validation.phaseOf(roundId)),
    commitScore: (member: HardhatEthersSigner, roundId: bigint, commitment: string) =>
      validation.connect(member).commitScore(roundId, commitment),
    revealScore: (member: HardhatEthersSigner, roundId: bigint, scoreBps: number, salt: string) =>
      validation.connect(member).revealScore(roundId, scoreBps, salt),
    storedScore: async (roundId: bigint, member: HardhatEthersSigner) =>
      (await validation.memberOf(roundId, member)).commitment,
    finalizeRound: (roundId: bigint) => validation.finalizeRound(roundId),
  };
  return chain;
}

export type System = Awaited<ReturnType<typeof deploySystem>>;

/** A fresh system per test file, restored to its deployed state for each test (a snapshot, not a redeployment). */
export function systemFixture(): () => Promise<System> {
  return () => networkHelpers.loadFixture(deploySystem);
}
