// A drawn juror commits and reveals through the UI: the salt is saved in the browser and downloaded before the commit,
// the reveal reads it back after the commit period (time travel), and a juror who lost its browser data reveals from
// a file. Works on the seeded dispute when one of its drawn jurors has not committed yet, else on a fresh dispute.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { encodeFunctionData, type Address, type Hex } from "viem";
import {
  Period,
  appealCost,
  appealSeats,
  courtAbi,
  curiaTokenAbi,
  listingChallengesAbi,
  listingRegistryAbi,
  stakePoolAbi,
  voteCommitment,
} from "@curia/protocol";
import { formatCur } from "../src/lib/format";
import { ACCOUNTS, expect, test, type ChainHelper } from "./fixtures";

const JURORS = [10, 11, 12, 13, 14];
const CHALLENGER = 15;
const ZERO = `0x${"0".repeat(64)}`;

interface Jury {
  disputeId: bigint;
  round: bigint;
  /** Drawn juror (account index) that has not committed: it votes through the UI. */
  voter: number;
  /** Another drawn juror with a committed vote and its secret as a file's JSON (the demo's salt file or ours). */
  other?: { index: number; file: string };
}

async function send(chain: ChainHelper, from: number, to: Address, data: Hex): Promise<void> {
  const hash = await chain.request<Hex>("eth_sendTransaction", [{ from: ACCOUNTS[from], to, data }]);
  const receipt = await chain.client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`transaction from #${from} reverted`);
}

/** The seeded dispute if a drawn juror can still commit in it; otherwise a new challenge, drawn here. */
async function findJury(
  chain: ChainHelper,
  contracts: { court: Address; registry: Address; challenges: Address; token: Address },
  saltFile: string,
): Promise<Jury> {
  const { court, registry, challenges, token } = contracts;
  const read = <T>(functionName: string, args: unknown[]): Promise<T> =>
    chain.client.readContract({ address: court, abi: courtAbi, functionName, args } as never) as Promise<T>;

  async function juryOf(disputeId: bigint): Promise<Jury | undefined> {
    if ((await read<number>("periodOf", [disputeId])) !== Period.Commit) return undefined;
    const round = BigInt((await read<{ rounds: number }>("getDispute", [disputeId])).rounds - 1);
    const votes = await Promise.all(
      JURORS.map(async (index) => ({
        index,
        vote: await read<{ seats: number; commitment: Hex }>("voteOf", [disputeId, round, ACCOUNTS[index]]),
      })),
    );
    const voter = votes.find((v) => v.vote.seats > 0 && v.vote.commitment === ZERO);
    if (!voter) return undefined;
    const salts = existsSync(saltFile)
      ? (JSON.parse(readFileSync(saltFile, "utf8")) as Record<string, { disputeId: string }>)
      : {};
    const other = votes.find(
      (v) =>
        v.index !== voter.index &&
        v.vote.commitment !== ZERO &&
        salts[ACCOUNTS[v.index]!]?.disputeId === disputeId.toString(),
    );
    return {
      disputeId,
      round,
      voter: voter.index,
      other: other && { index: other.index, file: readFileSync(saltFile, "utf8") },
    };
  }

  const count = await read<bigint>("disputeCount", []);
  for (let id = count; id >= 1n; id--) {
    const jury = await juryOf(id);
    if (jury) return jury;
  }

  // Nothing to vote on any more (the commit period passed, or the seed committed every drawn juror): challenge a
  // listing that is still open to challenge, draw the jury, and commit one juror's vote with a salt of our own.
  const listings = await chain.client.readContract({
    address: registry,
    abi: listingRegistryAbi,
    functionName: "listingCount",
  });
  // Newest first: the other specs curate the demo's first listing (mnist-mlp-honest), which must stay open to stake.
  let listing = 0n;
  for (let id = listings; id >= 1n && listing === 0n; id--) {
    const status = await chain.client.readContract({
      address: registry,
      abi: listingRegistryAbi,
      functionName: "statusOf",
      args: [id],
    });
    // Not one of the challenger's own listings (the Court refuses a dispute with itself).
    const provider = await chain.client.readContract({
      address: registry,
      abi: listingRegistryAbi,
      functionName: "providerOf",
      args: [id],
    });
    if ((status === 1 || status === 2) && provider !== ACCOUNTS[CHALLENGER]) listing = id;
  }
  if (listing === 0n) throw new Error("no listing left to challenge");
  // A v2 challenge goes through ListingChallenges, approved for the bond plus the Court's arbitration cost.
  const { minChallengeBond } = await chain.client.readContract({
    address: challenges,
    abi: listingChallengesAbi,
    functionName: "parameters",
  });
  const cost = await chain.client.readContract({
    address: challenges,
    abi: listingChallengesAbi,
    functionName: "challengeCost",
    args: [minChallengeBond],
  });
  await send(
    chain,
    CHALLENGER,
    token,
    encodeFunctionData({ abi: curiaTokenAbi, functionName: "approve", args: [challenges, cost] }),
  );
  await send(
    chain,
    CHALLENGER,
    challenges,
    encodeFunctionData({
      abi: listingChallengesAbi,
      functionName: "challenge",
      args: [listing, minChallengeBond, "data:text/plain,e2e: wrong answers"],
    }),
  );
  const data = (functionName: string, args: unknown[]): Hex =>
    encodeFunctionData({ abi: courtAbi, functionName, args } as never);
  const disputeId = await read<bigint>("disputeCount", []);
  await chain.request("hardhat_mine", ["0x3"]);
  for (let i = 0; i < 16 && (await read<number>("periodOf", [disputeId])) === Period.Drawing; i++) {
    await send(chain, 0, court, data("draw", [disputeId, 64n]));
  }
  const jury = await juryOf(disputeId);
  if (!jury) throw new Error(`dispute ${disputeId}: no drawn demo juror can commit`);
  const drawn = await Promise.all(
    JURORS.filter((i) => i !== jury.voter).map(async (index) => ({
      index,
      seats: (await read<{ seats: number }>("voteOf", [disputeId, jury.round, ACCOUNTS[index]])).seats,
    })),
  );
  const second = drawn.find((d) => d.seats > 0);
  if (!second) return jury;
  const salt = `0x${"5a".repeat(32)}` as Hex;
  const juror = ACCOUNTS[second.index]!;
  await send(
    chain,
    second.index,
    court,
    data("commit", [disputeId, voteCommitment(2, salt, juror, disputeId, jury.round)]),
  );
  const file = JSON.stringify({
    [juror]: { disputeId: disputeId.toString(), round: jury.round.toString(), choice: 2, salt },
  });
  return { ...jury, other: { index: second.index, file } };
}

test("a drawn juror commits (salt saved and downloaded first) and reveals after the commit period", async ({
  page,
  wallet,
  chain,
  stackInfo,
}) => {
  test.setTimeout(150_000);
  const court = stackInfo.contracts.Court!;
  const contracts = {
    court,
    registry: stackInfo.contracts.ListingRegistry!,
    challenges: stackInfo.contracts.ListingChallenges!,
    token: stackInfo.contracts.CuriaToken!,
  };
  const saltFile = join(dirname(process.env.CURIA_E2E_DEPLOYMENT!), "demo-court-salts.json");
  const jury = await findJury(chain, contracts, saltFile);
  const { disputeId, round } = jury;
  const juror = ACCOUNTS[jury.voter]!;
  const readVote = () =>
    chain.client.readContract({
      address: court,
      abi: courtAbi,
      functionName: "voteOf",
      args: [disputeId, round, juror],
    });

  // The disputes list shows the dispute in its commit period.
  await wallet.use(jury.voter);
  await page.goto("/#/court");
  // What the Court set aside for the treasury, as its totalOwed() says.
  const [, , , treasuryOwed] = await chain.client.readContract({
    address: court,
    abi: courtAbi,
    functionName: "totalOwed",
  });
  await expect(page.getByTestId("court-treasury-owed")).toHaveText(formatCur(treasuryOwed));
  await page.getByRole("button", { name: /^Commit \d+/ }).click();
  await page.getByRole("link", { name: new RegExp(`^Dispute #${disputeId}:`) }).click();
  await expect(page.getByTestId("dispute-period")).toHaveText("Commit");
  await expect(page.getByText("Evidence", { exact: true })).toBeVisible();

  await page.getByRole("button", { name: "Connect wallet" }).first().click();
  await expect(page.getByText(/You hold \d+ seats? in round/)).toBeVisible();
  await expect(page.getByRole("button", { name: "Commit vote" })).toBeDisabled();
  await page.getByLabel(/The challenger wins/).check();

  // Step 1: the secret is saved in the browser and downloaded before anything is sent.
  const downloaded = page.waitForEvent("download");
  await page.getByRole("button", { name: "Save vote secret" }).click();
  const download = await downloaded;
  const file = test.info().outputPath(download.suggestedFilename());
  await download.saveAs(file);
  const secret = JSON.parse(readFileSync(file, "utf8")) as {
    choice: number;
    salt: Hex;
    dispute: string;
    round: string;
    juror: string;
  };
  expect(secret).toMatchObject({ choice: 1, dispute: disputeId.toString(), round: round.toString(), juror });
  expect(secret.salt).toMatch(/^0x[0-9a-f]{64}$/);
  const stored = await page.evaluate(
    (key) => localStorage.getItem(key),
    `curia:vote-secret:31337:${court.toLowerCase()}:${disputeId}:${round}:${juror.toLowerCase()}`,
  );
  expect(JSON.parse(stored!)).toMatchObject({ salt: secret.salt, choice: 1 });
  expect((await readVote()).commitment).toBe(ZERO);
  await page.screenshot({ path: test.info().outputPath("1-secret-saved.png"), fullPage: true });

  // Step 2: commit. The chain holds the hash of (choice, salt, juror, dispute, round).
  await page.getByRole("button", { name: "Commit vote" }).click();
  await expect(page.getByText(/You committed your vote/)).toBeVisible({ timeout: 30_000 });
  expect((await readVote()).commitment).toBe(voteCommitment(1, secret.salt, juror, disputeId, round));
  await page.screenshot({ path: test.info().outputPath("2-committed.png"), fullPage: true });

  // Past the commit period: the reveal reads the salt saved in this browser.
  const { commitEnd } = await chain.client.readContract({
    address: court,
    abi: courtAbi,
    functionName: "getRound",
    args: [disputeId, round],
  });
  await chain.increaseTime(Math.max(1, Number(BigInt(commitEnd) - (await chain.now())) + 1));
  await page.reload();
  await expect(page.getByTestId("dispute-period")).toHaveText("Reveal");
  await expect(page.getByText("Vote secret found in this browser: you voted the challenger wins")).toBeVisible();
  await page.getByRole("button", { name: "Reveal vote" }).click();
  await expect(page.getByText("You revealed: the challenger wins.")).toBeVisible({ timeout: 30_000 });
  const revealed = await readVote();
  expect(revealed.revealed).toBe(true);
  expect(revealed.choice).toBe(1);
  await expect(page.getByTestId("juror-row").filter({ hasText: "(you)" })).toContainText("Challenger wins");
  await page.screenshot({ path: test.info().outputPath("3-revealed.png"), fullPage: true });

  // Another juror, whose browser holds no secret, is told so and reveals from its file.
  if (jury.other) {
    const other = jury.other;
    await wallet.use(other.index);
    await page.reload();
    await expect(page.getByTestId("missing-secret")).toContainText("No vote secret for dispute");
    await expect(page.getByRole("button", { name: "Reveal vote" })).toBeDisabled();
    await page.getByLabel("Vote secret file (JSON)").setInputFiles({
      name: "demo-court-salts.json",
      mimeType: "application/json",
      buffer: Buffer.from(other.file),
    });
    await expect(page.getByText(/Vote secret read from your file/)).toBeVisible();
    await page.screenshot({ path: test.info().outputPath("4-file-loaded.png"), fullPage: true });
    await page.getByRole("button", { name: "Reveal vote" }).click();
    await expect(page.getByText(/You revealed: the (challenger|defendant) wins\./)).toBeVisible({ timeout: 30_000 });
    const vote = await chain.client.readContract({
      address: court,
      abi: courtAbi,
      functionName: "voteOf",
      args: [disputeId, round, ACCOUNTS[other.index]!],
    });
    expect(vote.revealed).toBe(true);
  }

  // After the reveal period the losing side sees the appeal fee: the Court's appealCost, 2n + 1 seats at the appeal
  // fee per seat.
  const { revealEnd, seats } = await chain.client.readContract({
    address: court,
    abi: courtAbi,
    functionName: "getRound",
    args: [disputeId, round],
  });
  await chain.increaseTime(Math.max(1, Number(BigInt(revealEnd) - (await chain.now())) + 1));
  await page.reload();
  await expect(page.getByTestId("dispute-period")).toHaveText("Appeal");
  const params = await chain.client.readContract({ address: court, abi: courtAbi, functionName: "parameters" });
  const appealFee = await chain.client.readContract({
    address: court,
    abi: courtAbi,
    functionName: "appealCost",
    args: [disputeId],
  });
  expect(appealFee).toBe(appealCost(params, seats));
  const fee = appealFee / 10n ** 18n;
  await expect(page.getByTestId("appeal-fee")).toContainText(`Appeal fee: ${fee.toLocaleString("en-US")} CUR`);

  // The losing party appeals (approving the Court for the fee first): a round of 2n + 1 seats opens.
  const d = await chain.client.readContract({
    address: court,
    abi: courtAbi,
    functionName: "getDispute",
    args: [disputeId],
  });
  const ruling = await chain.client.readContract({
    address: court,
    abi: courtAbi,
    functionName: "currentRuling",
    args: [disputeId],
  });
  const loser = ruling === 1 ? d.defendant : d.challenger;
  const loserIndex = ACCOUNTS.findIndex((a) => a.toLowerCase() === loser.toLowerCase());
  expect(loserIndex).toBeGreaterThan(0);
  await wallet.use(loserIndex);
  await page.reload();
  await page.screenshot({ path: test.info().outputPath("5-appeal.png"), fullPage: true });
  const loserBalance = () =>
    chain.client.readContract({
      address: contracts.token,
      abi: curiaTokenAbi,
      functionName: "balanceOf",
      args: [loser],
    });
  const balanceBefore = await loserBalance();
  await page.getByRole("button", { name: "Appeal" }).click();
  await expect(page.getByTestId("dispute-period")).toHaveText("Drawing", { timeout: 30_000 });
  expect(await loserBalance()).toBe(balanceBefore - appealFee);
  await expect(page.getByRole("heading", { name: "Round 2" })).toBeVisible();
  const after = await chain.client.readContract({
    address: court,
    abi: courtAbi,
    functionName: "getRound",
    args: [disputeId, round + 1n],
  });
  expect(after.seats).toBe(appealSeats(seats));
  await page.screenshot({ path: test.info().outputPath("6-appealed.png"), fullPage: true });
});

test("a juror stakes and requests an unstake in the jurors' pool; validators and the dashboard charts work on a phone", async ({
  page,
  wallet,
  chain,
  stackInfo,
}) => {
  const jurorPool = stackInfo.contracts.JurorPool!;
  const jurorIndex = 10;
  const juror = ACCOUNTS[jurorIndex]!;
  const readMember = () =>
    chain.client.readContract({ address: jurorPool, abi: stakePoolAbi, functionName: "memberOf", args: [juror] });
  const before = await readMember();

  await page.setViewportSize({ width: 375, height: 800 });
  await wallet.use(jurorIndex);
  await page.goto("/#/court/juror");
  await page.getByRole("button", { name: "Connect wallet" }).first().click();
  await expect(page.getByTestId("juror-staked")).toHaveText(
    `${(before.staked / 10n ** 18n).toLocaleString("en-US")} CUR`,
  );

  // The form checks its input before anything is sent.
  await page.getByLabel("Stake (CUR)", { exact: true }).fill("abc");
  await expect(page.getByText("Enter an amount of CUR, e.g. 500 or 1,250.5.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Stake", exact: true })).toBeDisabled();
  await page.getByLabel("Stake (CUR)", { exact: true }).fill("250");
  await page.getByRole("button", { name: "Stake", exact: true }).click();
  await expect(page.getByTestId("juror-staked")).toHaveText(
    `${(before.staked / 10n ** 18n + 250n).toLocaleString("en-US")} CUR`,
    { timeout: 30_000 },
  );
  await page.getByLabel("Unstake (CUR)").fill("250");
  await page.getByRole("button", { name: "Request unstake" }).click();
  await expect(
    page
      .getByRole("status")
      .filter({ hasText: "Start thawing 250 CUR of juror stake" })
      .filter({ hasText: "Confirmed in block" }),
  ).toBeVisible({ timeout: 30_000 });
  const thawing = (before.thawing / 10n ** 18n + 250n).toLocaleString("en-US");
  await expect(page.getByTestId("juror-thawing")).toContainText(`${thawing} CUR thawing, withdrawable in`);
  const after = await readMember();
  expect(after.staked).toBe(before.staked);
  expect(after.thawing).toBe(before.thawing + 250n * 10n ** 18n);
  // The juror's records in the jurors' pool, from the indexer once it has the block, newest first.
  await expect(page.getByTestId("stake-history").locator("tbody tr").first()).toContainText("Asked to unstake 250 CUR");
  await page.screenshot({ path: test.info().outputPath("juror-phone.png"), fullPage: true });

  const graphql = async <T>(query: string): Promise<T> => {
    const response = await fetch(stackInfo.graphqlUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query }),
    });
    return ((await response.json()) as { data: T }).data;
  };
  // The dispute page on a phone: the rounds, every piece of evidence, and the actions.
  const evidence = await graphql<{ evidences: { id: string }[] }>(`
    {
      evidences(first: 1000, where: { dispute: "1" }) {
        id
      }
    }
  `);
  await page.goto("/#/court/disputes/1");
  await expect(page.getByRole("heading", { name: /^Dispute #1: listing #\d+$/ })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Round 1" })).toBeVisible();
  await expect(page.locator("ol.evidence > li")).toHaveCount(evidence.evidences.length);
  await expect(page.getByRole("heading", { name: "What you can do" })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("dispute-phone.png"), fullPage: true });

  // Validators: one row per registered validator the indexer knows.
  const data = await graphql<{ validators: { id: string }[] }>(
    "{ validators(first: 1000, where: { registered: true }) { id } }",
  );
  await page.getByRole("button", { name: "Menu" }).click();
  await page.getByRole("link", { name: "Validators" }).click();
  await expect(page.getByRole("heading", { name: "Validators", level: 1 })).toBeVisible();
  if (data.validators.length === 0) await expect(page.getByText("No validator has registered yet.")).toBeVisible();
  else await expect(page.getByTestId("validator-table").locator("tbody tr")).toHaveCount(data.validators.length);
  await page.screenshot({ path: test.info().outputPath("validators-phone.png"), fullPage: true });
  if (data.validators.length > 0) {
    // A validator's page lists its committee seats; the rounds page lists a listing's rounds with their members.
    const id = data.validators[0]!.id;
    const seats = (await graphql<{ validator: { memberships: { id: string }[] } }>(
      `{ validator(id: "${id}") { memberships(first: 1000) { id } } }`,
    ))!.validator.memberships.length;
    await page.goto(`/#/validators/${id}`);
    await expect(page.getByRole("heading", { name: id, level: 1 })).toBeVisible();
    if (seats === 0) await expect(page.getByText("Not drawn into a committee yet.")).toBeVisible();
    else await expect(page.getByRole("table").first().locator("tbody tr")).toHaveCount(seats);
    // Its records in the validators' pool: at least the stake that registered it.
    await expect(page.getByTestId("stake-history")).toContainText("Staked");
    const rounds = (await graphql<{ validationRounds: { id: string }[] }>(`
      {
        validationRounds(first: 1000, where: { listing: "1" }) {
          id
        }
      }
    `))!.validationRounds.length;
    await page.goto("/#/validators/rounds?listing=1");
    await expect(page.getByRole("heading", { name: "Validation rounds of listing #1" })).toBeVisible();
    await expect(page.locator("ol.rounds > li")).toHaveCount(rounds);
    await page.screenshot({ path: test.info().outputPath("rounds-phone.png"), fullPage: true });
  }

  // Dashboard: four accessible charts drawn from the indexer's daily stats, with their data tables.
  await page.getByRole("button", { name: "Menu" }).click();
  await page.getByRole("link", { name: "Dashboard" }).click();
  await expect(page.getByTestId("chart")).toHaveCount(4);
  const fees = page.getByRole("img", { name: /Protocol fees per day/ });
  await expect(fees).toBeVisible();
  await expect(fees.locator("polyline")).toHaveAttribute("points", /^[\d.]+,[\d.]+/);
  await expect(page.getByRole("img", { name: /Stake at the end of each day/ }).locator("polyline")).toHaveCount(3);
  await page.getByText("Data table").first().click();
  await expect(page.getByRole("table").first().locator("tbody tr").first()).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("dashboard-phone.png"), fullPage: true });
});
