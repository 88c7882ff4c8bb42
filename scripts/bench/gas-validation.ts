// Gas of the validation operations, written to benchmarks/gas-validation.{md,json} by scripts/bench/gas.ts (or alone:
// `npx hardhat run scripts/bench/gas-validation.ts`). The system is the one the validation tests run on
// (deployValidationSystem: deployCuria with LOCAL_CONFIG, a fixed-seed randomness source, five validators staked in
// the validators' pool, one Active listing), so every run draws the same committees and reports the same gas.
import hre from "hardhat";
import { hexlify, MaxUint256, parseEther, randomBytes } from "ethers";
import { scoreCommitment } from "@curia/protocol";
import { deployValidationSystem } from "../drivers/validation.js";
import {
  check,
  COMMAND,
  describeEnvironment,
  environmentLines,
  formatGas,
  markdownTable,
  measure,
  type Measurement,
  writeReport,
} from "./common.js";

const OUTPUT_BASENAME = "benchmarks/gas-validation";

interface Row {
  key: string;
  label: string;
  measurement: Measurement;
}

const validationConnection = await hre.network.create({ network: "hardhat" });
const vHelpers = validationConnection.networkHelpers;

export async function runValidationBench(): Promise<Row[]> {
  const f = await deployValidationSystem(hre, validationConnection);
  const { validation, validatorPool, helper, spares, listingId } = f;
  const rows: Row[] = [];
  const record = async (key: string, label: string, tx: ReturnType<typeof measure>) =>
    rows.push({ key, label, measurement: await tx });

  // The market has sold calls and swept their fees, as a live market has: the validators' share is the reward pool
  // (this contract's CUR). A market's very first round, with no sale ever swept, writes that balance from zero when
  // the outlier's penalty comes in (17,100 gas more at finalisation).
  await (await f.registry.connect(f.requester).purchase(listingId, 10n, f.requester.address, MaxUint256)).wait();
  await (await f.registry.sweepFees()).wait();
  check((await f.token.balanceOf(await validation.getAddress())) > 0n, "no validator fees in the reward pool");

  // Round 1: the honest case. Four members agree, one reveals an outlier; all reveal.
  const roundId = await validation.connect(f.requester).openRound.staticCall(listingId);
  await record(
    "openRound",
    "openRound (free round of an Active listing)",
    measure(validation.connect(f.requester).openRound(listingId)),
  );
  await vHelpers.mine(2);
  await record("drawCommittee", "drawCommittee (5 seats)", measure(validation.drawCommittee(roundId)));
  const committee = await helper.committee(roundId);
  check(committee.length === 5, `a committee of ${committee.length}`);
  const scores = [9_500, 9_400, 9_600, 9_450, 4_000];
  const salts = committee.map(() => hexlify(randomBytes(32)));
  for (const [i, member] of committee.entries()) {
    const tx = measure(
      validation.connect(member).commitScore(roundId, scoreCommitment(scores[i]!, salts[i]!, member.address, roundId)),
    );
    if (i === 0) await record("commitScore", "commitScore (first member)", tx);
    else if (i === committee.length - 1) await record("commitScoreLast", "commitScore (last member)", tx);
    else await tx;
  }
  await helper.waitForReveal(roundId);
  for (const [i, member] of committee.entries()) {
    const tx = measure(validation.connect(member).revealScore(roundId, scores[i]!, salts[i]!));
    if (i === 0) await record("revealScore", "revealScore (first member)", tx);
    else if (i === committee.length - 1) await record("revealScoreLast", "revealScore (last member)", tx);
    else await tx;
  }
  await helper.waitForFinalize(roundId);
  await record(
    "finalizeRound",
    "finalizeRound (5 reveals, 1 outlier penalised, quality written)",
    measure(validation.finalizeRound(roundId)),
  );
  check((await validation.getRound(roundId)).medianBps === 9_450n, "the median of round 1");
  await record(
    "claimRewards",
    "claimRewards (an honest member)",
    measure(validation.connect(committee[0]!).claimRewards()),
  );

  // Round 2: a median below the minimum quality opens a dispute in the Court, paid from the validators' pool.
  await f.token.connect(f.deployer).transfer(await validation.getAddress(), parseEther("5000"));
  const params = await validation.parameters();
  await vHelpers.time.increase(Number(params.roundPeriod) + 1);
  const low = await helper.runRound(f.requester, listingId, [1_000, 1_200, 900, 1_100, 1_000]);
  await record(
    "finalizeRoundDispute",
    "finalizeRound (median below the minimum: opens a Court dispute)",
    measure(validation.finalizeRound(low.roundId)),
  );
  check((await validation.queryFilter(validation.filters.DisputeRequested(low.roundId))).length === 1, "no dispute");

  // A newcomer joins after the rounds: its weight would move the fixed seed's seats (committees are drawn with
  // replacement), and the rounds above measure a committee of five distinct members.
  const newcomer = spares[0]!;
  await record(
    "stakeNew",
    "stake (new validator, 1,000 CUR, validators' pool)",
    measure(validatorPool.connect(newcomer).stake(parseEther("1000"))),
  );
  await record(
    "stakeMore",
    "stake (500 CUR more, validators' pool)",
    measure(validatorPool.connect(newcomer).stake(parseEther("500"))),
  );
  const { staked } = await validatorPool.memberOf(newcomer.address);
  await record(
    "requestUnstake",
    "requestUnstake (all of a free stake, validators' pool)",
    measure(validatorPool.connect(newcomer).requestUnstake(staked)),
  );
  await vHelpers.time.increase(Number((await validatorPool.parameters()).thawingPeriod) + 1);
  await record(
    "withdraw",
    "withdraw (after thawing, validators' pool)",
    measure(validatorPool.connect(newcomer).withdraw()),
  );
  return rows;
}

export async function writeValidationReport(rows: Row[]): Promise<void> {
  const env = describeEnvironment(validationConnection);
  const markdown = `# Validation gas

Produced by \`${COMMAND}\`, which rewrites this file and \`gas-validation.json\` (the raw numbers) on every run.

${environmentLines(env)}
- The validation tests' system: the whole system deployed by \`deployCuria\` with LOCAL_CONFIG (ValidationManager,
  the validators' StakePool, ListingChallenges, ListingRegistry, Court and CUR behind UUPS proxies), a fixed-seed
  randomness source, five validators staked with 1,000 CUR each, one Active listing; committee 5, quorum 3. Numbers are receipt \`gasUsed\` (21,000 intrinsic and
  calldata included).
- Round 1: four members score 9,400–9,600 bps and one 4,000 (outside the tolerance: penalised); round 2 scores about
  1,000 bps, below the minimum quality, so finalizing it challenges the listing in the Court from the pool.

${markdownTable(
  ["operation", "gas"],
  rows.map((r) => [r.label, formatGas(r.measurement.gasUsed)]),
)}
`;
  writeReport(
    OUTPUT_BASENAME,
    markdown,
    Object.fromEntries(rows.map((r) => [r.key, { label: r.label, gasUsed: r.measurement.gasUsed }])),
  );
  console.log(markdown);
}

if (process.argv.some((a) => a.endsWith("gas-validation.ts"))) {
  await writeValidationReport(await runValidationBench());
}
