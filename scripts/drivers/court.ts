// CourtHelper drives a listing dispute like a script: challenge → waitForRandomness → drawJury → commitVotes →
// waitForReveal → revealVotes → waitForAppeal → appeal | waitForExecution → execute → settleAll. A driver, not a test:
// the contract tests, the simulation, the gas bench and the demo seeds all use it against a Hardhat chain.
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";
import { enumBigInts, Period as ProtocolPeriod, Ruling, voteCommitment, type InferenceReceipt } from "@curia/protocol";
import { hexlify, randomBytes, type ContractTransactionResponse, type Signer } from "ethers";
import type { Court, ListingChallenges } from "../../types/ethers-contracts/index.js";

/** The rulings a juror chooses between, from the protocol package. */
export const Choice = Ruling;
export type ChoiceValue = (typeof Choice)[keyof typeof Choice];
/** Court.Period as ethers returns it (bigint). */
export const Period = enumBigInts(ProtocolPeriod);

export class CourtHelper {
  /** Salts of committed votes, by `${disputeId}/${round}/${juror}`. */
  private readonly salts = new Map<string, { choice: number; salt: string }>();

  constructor(
    readonly court: Court,
    readonly challenges: ListingChallenges,
    /** Every account that may sit on a jury. */
    readonly pool: HardhatEthersSigner[],
    readonly helpers: NetworkHelpers,
  ) {}

  /** Challenges `listingId` through ListingChallenges with `bond` (the minimum by default); returns the dispute id. */
  async challenge(challenger: Signer, listingId: bigint, evidence = "ipfs://evidence/1", bond?: bigint) {
    const amount = bond ?? (await this.challenges.parameters()).minChallengeBond;
    return this.disputeIdOf(await this.challenges.connect(challenger).challenge(listingId, amount, evidence));
  }

  /** Files a signed receipt as a fraud proof with `bond` (the minimum by default); returns the dispute id. */
  async fileFraudProof(
    filer: Signer,
    receipt: InferenceReceipt,
    signature: string,
    inputURI: string,
    outputURI: string,
    bond?: bigint,
  ) {
    const amount = bond ?? (await this.challenges.parameters()).minChallengeBond;
    return this.disputeIdOf(
      await this.challenges.connect(filer).fileFraudProof(receipt, signature, amount, inputURI, outputURI),
    );
  }

  /** The id of the dispute the transaction opened (its court's DisputeCreated). */
  private async disputeIdOf(tx: ContractTransactionResponse): Promise<bigint> {
    const receipt = await tx.wait();
    const log = receipt?.logs
      .map((l) => {
        try {
          return this.court.interface.parseLog(l);
        } catch {
          return null;
        }
      })
      .find((parsed) => parsed?.name === "DisputeCreated");
    if (log === undefined || log === null) throw new Error("no DisputeCreated event");
    return log.args.disputeId as bigint;
  }

  async round(disputeId: bigint): Promise<bigint> {
    return BigInt((await this.court.getDispute(disputeId)).rounds) - 1n;
  }

  /** Mines past the block whose hash seeds the draw. */
  async waitForRandomness(): Promise<void> {
    await this.helpers.mine(2);
  }

  /** Draws until every seat of the current round is filled; returns the jurors of the round and their seats. */
  async drawJury(disputeId: bigint): Promise<{ juror: HardhatEthersSigner; seats: bigint }[]> {
    await this.waitForRandomness();
    // Every seat is drawn from the one seed: a draw that fills nothing would fill nothing again until the deadline.
    for (let calls = 0; (await this.court.periodOf(disputeId)) === Period.Drawing; calls++) {
      if (calls === 8) throw new Error(`dispute ${disputeId}: no juror can take the remaining seats`);
      await this.court.draw(disputeId, 64);
    }
    return this.jury(disputeId);
  }

  async jury(disputeId: bigint, round?: bigint): Promise<{ juror: HardhatEthersSigner; seats: bigint }[]> {
    const r = round ?? (await this.round(disputeId));
    const jury = [];
    for (const juror of this.pool) {
      const vote = await this.court.voteOf(disputeId, r, juror.address);
      if (vote.seats > 0n) jury.push({ juror, seats: vote.seats });
    }
    return jury;
  }

  async commit(juror: HardhatEthersSigner, disputeId: bigint, choice: number) {
    const round = await this.round(disputeId);
    const salt = hexlify(randomBytes(32));
    const tx = await this.court
      .connect(juror)
      .commit(disputeId, voteCommitment(choice, salt, juror.address, disputeId, round));
    // Kept only once the commit went through: a rejected commit must not replace the salt of an accepted one.
    this.salts.set(`${disputeId}/${round}/${juror.address}`, { choice, salt });
    return tx;
  }

  async reveal(juror: HardhatEthersSigner, disputeId: bigint) {
    const round = await this.round(disputeId);
    const vote = this.salts.get(`${disputeId}/${round}/${juror.address}`);
    if (vote === undefined) throw new Error(`${juror.address} has not committed through the helper`);
    return this.court.connect(juror).reveal(disputeId, vote.choice, vote.salt);
  }

  /** Commits `choose(juror)` for every juror of the round (undefined: the juror stays away). */
  async commitVotes(
    disputeId: bigint,
    jury: { juror: HardhatEthersSigner }[],
    choose: (juror: HardhatEthersSigner, index: number) => number | undefined,
  ): Promise<void> {
    for (const [index, { juror }] of jury.entries()) {
      const choice = choose(juror, index);
      if (choice !== undefined) await this.commit(juror, disputeId, choice);
    }
  }

  /** Reveals every vote the helper committed in the round, except those of `absent`. */
  async revealVotes(disputeId: bigint, jury: { juror: HardhatEthersSigner }[], absent: string[] = []) {
    const round = await this.round(disputeId);
    for (const { juror } of jury) {
      if (absent.includes(juror.address)) continue;
      if (this.salts.has(`${disputeId}/${round}/${juror.address}`)) await this.reveal(juror, disputeId);
    }
  }

  async waitForReveal(disputeId: bigint): Promise<void> {
    const round = await this.court.getRound(disputeId, await this.round(disputeId));
    await this.increaseTo(round.commitEnd);
  }

  async waitForAppeal(disputeId: bigint): Promise<void> {
    const round = await this.court.getRound(disputeId, await this.round(disputeId));
    await this.increaseTo(round.revealEnd);
  }

  async waitForExecution(disputeId: bigint): Promise<void> {
    const round = await this.court.getRound(disputeId, await this.round(disputeId));
    await this.increaseTo(round.appealEnd);
  }

  /** A whole round: draw, everyone commits `choose(juror)`, everyone reveals, then the appeal period opens. */
  async runRound(disputeId: bigint, choose: (juror: HardhatEthersSigner, index: number) => number | undefined) {
    const jury = await this.drawJury(disputeId);
    await this.commitVotes(disputeId, jury, choose);
    await this.waitForReveal(disputeId);
    await this.revealVotes(disputeId, jury);
    await this.waitForAppeal(disputeId);
    return jury;
  }

  async appeal(party: Signer, disputeId: bigint) {
    return this.court.connect(party).appeal(disputeId);
  }

  async execute(disputeId: bigint) {
    await this.waitForExecution(disputeId);
    return this.court.executeRuling(disputeId);
  }

  /** Settles every vote of every round (anyone may); returns each juror's reward and penalty summed over rounds. */
  /** Pays the keeper that drew the juries (this driver's court runner) the draw rewards credited to it. */
  async claimDrawRewards(): Promise<bigint> {
    const keeper = await (this.court.runner as Signer).getAddress();
    const owed = await this.court.drawRewardsOf(keeper);
    await (await this.court.claimDrawRewards(keeper)).wait();
    return owed;
  }

  async settleAll(disputeId: bigint): Promise<Map<string, { reward: bigint; penalty: bigint }>> {
    const rounds = BigInt((await this.court.getDispute(disputeId)).rounds);
    const totals = new Map<string, { reward: bigint; penalty: bigint }>();
    for (let round = 0n; round < rounds; round++) {
      for (const { juror } of await this.jury(disputeId, round)) {
        const [reward, penalty] = await this.court.settle.staticCall(disputeId, round, juror.address);
        await this.court.settle(disputeId, round, juror.address);
        const t = totals.get(juror.address) ?? { reward: 0n, penalty: 0n };
        totals.set(juror.address, { reward: t.reward + reward, penalty: t.penalty + penalty });
      }
    }
    return totals;
  }

  /** Moves time to `timestamp` unless it has already passed. */
  private async increaseTo(timestamp: bigint): Promise<void> {
    if (timestamp > BigInt(await this.helpers.time.latest())) await this.helpers.time.increaseTo(timestamp);
  }
}

/** The deadlines of a dispute's current round (a round's periods start when its jury is complete). */
export async function roundDeadlines(
  court: Court,
  disputeId: bigint,
): Promise<{ round: bigint; commitEnd: bigint; revealEnd: bigint; appealEnd: bigint }> {
  const round = BigInt((await court.getDispute(disputeId)).rounds) - 1n;
  const r = await court.getRound(disputeId, round);
  return { round, commitEnd: r.commitEnd, revealEnd: r.revealEnd, appealEnd: r.appealEnd };
}
