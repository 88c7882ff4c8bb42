// Delegate → propose → vote → queue → execute, all through the UI: the marketplace fee changes on chain and in the app.
import { courtAbi, formatParameter, listingChallengesAbi, listingRegistryAbi, stakePoolAbi } from "@curia/protocol";
import { ACCOUNTS, expect, test } from "./fixtures";

const VOTING_DELAY = 60;
const VOTING_PERIOD = 3_600;
const TIMELOCK_DELAY = 120;

test("a holder delegates, proposes a lower marketplace fee, the DAO votes, queues and executes it", async ({
  page,
  wallet,
  chain,
  stackInfo,
}) => {
  test.setTimeout(120_000);
  const registry = stackInfo.contracts.ListingRegistry!;
  const feeBefore = (
    await chain.client.readContract({ address: registry, abi: listingRegistryAbi, functionName: "parameters" })
  ).protocolFeeBps;
  expect(feeBefore).not.toBe(300);

  // #4 holds 1,000,000 CUR and has never delegated: no votes yet.
  await wallet.use(4);
  await page.goto("/#/governance/delegates");
  await page.getByRole("button", { name: "Connect wallet to delegate to myself" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Confirmed in block" }).first()).toBeVisible();
  await expect(page.getByTestId("voting-power")).toHaveText("1,000,000 CUR");
  await expect(page.getByTestId("delegate")).toHaveText("yourself");

  // Propose from the fee template: decoded and simulated as the timelock before submitting.
  await page.goto("/#/governance/new");
  await page.getByLabel("New protocol fee (%)").fill("3");
  await page.getByRole("button", { name: "Add action" }).click();
  await expect(page.getByText(".setProtocolFee")).toBeVisible();
  await expect(page.getByTestId("simulation-ok")).toBeVisible();
  await page.getByLabel("Title").fill("Lower the marketplace fee to 3%");
  await page
    .getByLabel("Description")
    .fill(`Cheaper calls bring more buyers; curators still earn 60% of the fee. (e2e run ${Date.now()})`);
  await page.screenshot({ path: test.info().outputPath("new-proposal.png"), fullPage: true });
  await page.getByRole("button", { name: "Submit proposal" }).click();
  await expect(page).toHaveURL(/#\/governance\/proposals\/\d+$/, { timeout: 30_000 });
  await expect(page.getByRole("heading", { name: "Lower the marketplace fee to 3%" })).toBeVisible();
  await expect(page.getByTestId("proposal-state")).toHaveText("Pending");
  await expect(page.getByText("newFeeBps")).toBeVisible();

  // Voting opens after the voting delay: #4 and #1 vote for, with reasons.
  await chain.increaseTime(VOTING_DELAY + 1);
  await page.reload();
  await expect(page.getByTestId("proposal-state")).toHaveText("Active");
  await page.getByRole("radio", { name: "For" }).check();
  await page.getByLabel(/Reason/).fill("My own proposal: fees are too high for small buyers.");
  await page.getByRole("button", { name: "Cast vote" }).click();
  await expect(page.getByText("You have voted on this proposal.")).toBeVisible({ timeout: 30_000 });

  // The wallet stays connected across reloads, as a real one does once authorised.
  await wallet.use(1);
  await page.reload();
  await expect(page.getByTestId("account")).toHaveText(`${ACCOUNTS[1]!.slice(0, 6)}…${ACCOUNTS[1]!.slice(-4)}`);
  await page.getByRole("radio", { name: "For" }).check();
  await page.getByLabel(/Reason/).fill("Agreed: volume matters more than margin.");
  await page.getByRole("button", { name: "Cast vote" }).click();
  await expect(page.getByText("You have voted on this proposal.")).toBeVisible({ timeout: 30_000 });
  // #2 abstains: Abstain counts towards the quorum (4% of the supply) but not for or against.
  await wallet.use(2);
  await page.reload();
  await page.getByRole("radio", { name: "Abstain" }).check();
  await page.getByRole("button", { name: "Cast vote" }).click();
  await expect(page.getByText("You have voted on this proposal.")).toBeVisible({ timeout: 30_000 });
  const votes = page.getByTestId("votes");
  await expect(votes).toContainText("Agreed: volume matters more than margin.");
  await expect(votes).toContainText("My own proposal: fees are too high for small buyers.");
  await expect(page.getByRole("img", { name: /quorum 20,000,000 reached/ })).toBeVisible();

  // After the voting period: queue; after the timelock delay: execute (anyone may).
  await chain.increaseTime(VOTING_PERIOD + 1);
  await page.reload();
  await expect(page.getByTestId("proposal-state")).toHaveText("Succeeded");
  await page.getByRole("button", { name: /^(Connect wallet to queue|Queue)$/ }).click();
  await expect(page.getByTestId("proposal-state")).toHaveText("Queued", { timeout: 30_000 });

  await chain.increaseTime(TIMELOCK_DELAY + 1);
  await page.reload();
  await page.getByRole("button", { name: /^(Connect wallet to execute|Execute)$/ }).click();
  await expect(page.getByTestId("proposal-state")).toHaveText("Executed", { timeout: 30_000 });
  await page.screenshot({ path: test.info().outputPath("executed.png"), fullPage: true });

  // On chain, and in the app.
  const feeAfter = (
    await chain.client.readContract({ address: registry, abi: listingRegistryAbi, functionName: "parameters" })
  ).protocolFeeBps;
  expect(feeAfter).toBe(300);
  await page.goto("/#/marketplace");
  await expect(page.getByTestId("protocol-fee")).toHaveText("3%");
});

test("the governed-setting template offers the v2 setters, prefilled from the chain, decoded and simulated as the timelock", async ({
  page,
  chain,
  stackInfo,
}) => {
  const { JurorPool, Court, ListingChallenges } = stackInfo.contracts;
  const pool = await chain.client.readContract({ address: JurorPool!, abi: stakePoolAbi, functionName: "parameters" });
  const court = await chain.client.readContract({ address: Court!, abi: courtAbi, functionName: "parameters" });
  const challenge = await chain.client.readContract({
    address: ListingChallenges!,
    abi: listingChallengesAbi,
    functionName: "parameters",
  });

  await page.goto("/#/governance/new");
  await page.getByLabel("Governed setting").check();
  const contract = page.getByLabel("Contract", { exact: true });
  const setting = page.getByLabel("Setting", { exact: true });

  // The Court's v2 figures and the challenge figures, each read from its own contract.
  await contract.selectOption("Court");
  await expect(setting).toHaveValue("setParameters");
  await expect(page.getByLabel("newParameters.seatStake (uint128)")).toHaveValue(court.seatStake.toString());
  await expect(page.getByLabel("newParameters.commitPeriod (uint32)")).toHaveValue(String(court.commitPeriod));
  await expect(setting.locator("option")).toContainText(["setParameters", "setArbitrable", "setRandomnessSource"]);
  await contract.selectOption("ListingChallenges");
  await expect(page.getByLabel("newParameters.minChallengeBond (uint128)")).toHaveValue(
    challenge.minChallengeBond.toString(),
  );

  // The jurors' pool: a bad value is named; a good one is decoded under the pool's name and succeeds as the timelock.
  await contract.selectOption("JurorPool");
  await expect(page.getByLabel("newParameters.minStake (uint128)")).toHaveValue(pool.minStake.toString());
  const thawing = page.getByLabel("newParameters.thawingPeriod (uint32)");
  await expect(thawing).toHaveValue(String(pool.thawingPeriod));
  await thawing.fill("two days");
  await page.getByRole("button", { name: "Add action" }).click();
  await expect(page.getByText("Enter a whole number.")).toBeVisible();
  await thawing.fill(String(pool.thawingPeriod * 2));
  await page.getByRole("button", { name: "Add action" }).click();
  const action = page.locator("ol.calls > li").first();
  await expect(action).toContainText("JurorPool");
  await expect(action).toContainText(".setParameters");
  // In the setting's unit (a duration), the exact value on hover.
  const thawingShown = action
    .locator("dd code")
    .filter({ hasText: formatParameter("seconds", BigInt(pool.thawingPeriod * 2)) });
  await expect(thawingShown).toHaveAttribute("title", `exact value: ${pool.thawingPeriod * 2}`);
  await expect(action).toContainText("newParameters.thawingPeriod");
  await expect(action.getByTestId("simulation-ok")).toBeVisible();

  // The registry's challenge role (setCourtRole in v1) goes to ListingChallenges.
  await contract.selectOption("ListingRegistry");
  await setting.selectOption("setChallengeRole");
  await page.getByLabel("newChallenges (address)").fill(ListingChallenges!);
  await page.getByRole("button", { name: "Add action" }).click();
  const role = page.locator("ol.calls > li").nth(1);
  await expect(role).toContainText("ListingRegistry");
  await expect(role).toContainText(".setChallengeRole");
  await expect(role.getByTestId("simulation-ok")).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("v2-setters.png"), fullPage: true });
});
