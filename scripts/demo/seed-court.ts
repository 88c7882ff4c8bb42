// Demo court for a local chain: jurors staked in the jurors' pool and one listing challenge (through
// ListingChallenges) whose first-round vote is under way (jury drawn, some jurors committed), so that the court
// screens show a live dispute at once.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { hexlify, parseEther, randomBytes, type Signer } from "ethers";
import { Period, Ruling, voteCommitment } from "@curia/protocol";
import type { Court, CuriaToken, ListingChallenges, StakePool } from "../../types/ethers-contracts/index.js";
import { unlockedAccount } from "../lib/dev-accounts.js";

export const DEMO_JURORS = [10, 11, 12, 13, 14] as const;
export const DEMO_CHALLENGER = 15;
/** The listing the demo challenges: the cheap, degraded one of the demo marketplace. */
export const DEMO_CHALLENGED_LISTING = 2n;

export interface SeedCourtOptions {
  token: CuriaToken;
  court: Court;
  jurorPool: StakePool;
  challenges: ListingChallenges;
  accounts: readonly Signer[];
  /** Mines blocks on the local node, to get past the block whose hash seeds the draw. */
  mine: (blocks: number) => Promise<void>;
  /** Where the demo jurors' salts are written before they commit, so their votes can still be revealed. */
  saltFile: string;
  /**
   * A dispute already open on DEMO_CHALLENGED_LISTING (the one the validators' pool raised when the listing's quality
   * fell below the minimum): its jury is drawn instead of a challenge by DEMO_CHALLENGER.
   */
  disputeId?: bigint;
  log?: (message: string) => void;
}

/** Funds the demo jurors and the challenger and stakes the jurors; jurors already staked are left as they are. */
export async function stakeDemoJurors(
  options: Pick<SeedCourtOptions, "token" | "jurorPool" | "challenges" | "accounts" | "log">,
) {
  const { token, jurorPool, challenges, accounts } = options;
  const log = options.log ?? (() => {});
  const account = (index: number): Signer => unlockedAccount(accounts, index);
  const funder = account(0);
  const poolAddress = await jurorPool.getAddress();
  const challengesAddress = await challenges.getAddress();
  const unstaked: number[] = [];
  for (const index of DEMO_JURORS) {
    if ((await jurorPool.memberOf(await account(index).getAddress())).staked === 0n) unstaked.push(index);
  }
  if (unstaked.length === 0) return;
  for (const index of [...unstaked, DEMO_CHALLENGER]) {
    const signer = account(index);
    await (await token.connect(funder).transfer(await signer.getAddress(), parseEther("50000"))).wait();
    // Jurors stake in the jurors' pool; the challenger pays its bond and fee to ListingChallenges.
    const spender = index === DEMO_CHALLENGER ? challengesAddress : poolAddress;
    await (await token.connect(signer).approve(spender, 2n ** 256n - 1n)).wait();
  }
  for (const index of unstaked) {
    await (await jurorPool.connect(account(index)).stake(parseEther("5000"))).wait();
  }
  log(`jurors #${unstaked.join(", #")} staked 5,000 CUR each`);
}

/**
 * Stakes the demo jurors (unless done), challenges the demo listing (or takes `disputeId`), draws the jury and commits
 * all but one juror's vote.
 */
export async function seedCourt(options: SeedCourtOptions): Promise<bigint | undefined> {
  const { court, challenges, accounts } = options;
  const log = options.log ?? (() => {});
  // Seeded already when the given dispute is past its draw, or (without one) when the demo listing was challenged.
  const seeded =
    options.disputeId === undefined
      ? (await challenges.queryFilter(challenges.filters.ChallengeOpened(undefined, DEMO_CHALLENGED_LISTING))).length >
        0
      : Number(await court.periodOf(options.disputeId)) !== Period.Drawing;
  if (seeded) {
    log("court already seeded");
    return undefined;
  }
  const account = (index: number): Signer => unlockedAccount(accounts, index);
  const bond = (await challenges.parameters()).minChallengeBond;
  await stakeDemoJurors(options);

  let disputeId = options.disputeId;
  if (disputeId === undefined) {
    await (
      await challenges
        .connect(account(DEMO_CHALLENGER))
        .challenge(
          DEMO_CHALLENGED_LISTING,
          bond,
          "data:text/plain,Sampled answers disagree with the reference model on 31% of digits",
        )
    ).wait();
    disputeId = await court.disputeCount();
    log(`#${DEMO_CHALLENGER} challenged listing ${DEMO_CHALLENGED_LISTING} (dispute ${disputeId})`);
  } else {
    // The challenger adds its own evidence to the validators' dispute, so the evidence list shows both.
    await (
      await challenges
        .connect(account(DEMO_CHALLENGER))
        .submitEvidence(disputeId, "data:text/plain,I bought 100 calls: 41 answers differed from the reference model")
    ).wait();
    log(`#${DEMO_CHALLENGER} added evidence to dispute ${disputeId}`);
  }

  await options.mine(3);
  // Draw until the round's seats are filled.
  for (let attempt = 0; attempt < 16 && Number(await court.periodOf(disputeId)) === Period.Drawing; attempt++) {
    await (await court.draw(disputeId, 64)).wait();
  }
  const round = BigInt((await court.getDispute(disputeId)).rounds) - 1n;
  const jury: Signer[] = [];
  for (const index of DEMO_JURORS) {
    const signer = account(index);
    if ((await court.voteOf(disputeId, round, await signer.getAddress())).seats > 0n) jury.push(signer);
  }
  log(`jury drawn: ${jury.length} juror(s)`);

  // All but one juror commit, so the vote is visibly under way; the salts reach disk before any commit is sent.
  const voters = jury.slice(0, Math.max(1, jury.length - 1));
  const salts: Record<string, { disputeId: string; round: string; choice: number; salt: string }> = {};
  for (const juror of voters)
    salts[await juror.getAddress()] = {
      disputeId: disputeId.toString(),
      round: round.toString(),
      // The challenger says the listing is bad: the demo jurors agree.
      choice: Ruling.Challenger,
      salt: hexlify(randomBytes(32)),
    };
  mkdirSync(dirname(options.saltFile), { recursive: true });
  writeFileSync(options.saltFile, JSON.stringify(salts, null, 2) + "\n");
  for (const juror of voters) {
    const address = await juror.getAddress();
    const { salt, choice } = salts[address]!;
    await (
      await court.connect(juror).commit(disputeId, voteCommitment(choice, salt, address, disputeId, round))
    ).wait();
  }
  log(`${voters.length} juror(s) committed; salts in ${options.saltFile}`);
  return disputeId;
}
