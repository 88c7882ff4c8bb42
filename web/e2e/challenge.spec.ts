// A challenger challenges a listing from its page: the form checks bond and evidence, approves ListingChallenges for
// the bond plus the Court's arbitration fee, and challenges through it; the dispute page then takes more evidence,
// which goes to ListingChallenges too. The spec lists a fresh model first, so no other spec's listing is touched.
import { encodeFunctionData, type Address, type Hex } from "viem";
import { curiaTokenAbi, listingChallengesAbi, listingRegistryAbi } from "@curia/protocol";
import { ACCOUNTS, expect, test, type ChainHelper } from "./fixtures";

const PROVIDER = 6;
const CHALLENGER = 16;
const CUR = 10n ** 18n;

async function send(chain: ChainHelper, from: number, to: Address, data: Hex): Promise<void> {
  const hash = await chain.request<Hex>("eth_sendTransaction", [{ from: ACCOUNTS[from], to, data }]);
  const receipt = await chain.client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`transaction from #${from} reverted`);
}

test("a challenger challenges a listing through ListingChallenges and adds evidence to the dispute", async ({
  page,
  wallet,
  chain,
  stackInfo,
}) => {
  test.setTimeout(120_000);
  const registry = stackInfo.contracts.ListingRegistry!;
  const challenges = stackInfo.contracts.ListingChallenges!;
  const token = stackInfo.contracts.CuriaToken!;
  const challenger = ACCOUNTS[CHALLENGER]!;
  const graphql = async <T>(query: string): Promise<T> => {
    const response = await fetch(stackInfo.graphqlUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query }),
    });
    return ((await response.json()) as { data: T }).data;
  };

  // The demo's second provider lists a model (it approved the registry when the demo was seeded); the challenger gets
  // CUR but has never approved ListingChallenges.
  // The model's bond, not the minimum: another spec's challenge of this model may be pending.
  const model: Hex = `0x${"e2".repeat(32)}`;
  const listingBond = await chain.client.readContract({
    address: registry,
    abi: listingRegistryAbi,
    functionName: "requiredBond",
    args: [model],
  });
  const name = `e2e-challenged-${Date.now()}`;
  const metadata = `data:application/json,${encodeURIComponent(JSON.stringify({ name, task: "mnist digit classification" }))}`;
  await send(
    chain,
    PROVIDER,
    registry,
    encodeFunctionData({
      abi: listingRegistryAbi,
      functionName: "createListing",
      args: [model, metadata, "http://127.0.0.1:9/e2e", 10n ** 15n, listingBond],
    }),
  );
  const listingId = await chain.client.readContract({
    address: registry,
    abi: listingRegistryAbi,
    functionName: "listingCount",
  });
  await send(
    chain,
    PROVIDER,
    token,
    encodeFunctionData({ abi: curiaTokenAbi, functionName: "transfer", args: [challenger, 20_000n * CUR] }),
  );
  const balanceOf = () =>
    chain.client.readContract({ address: token, abi: curiaTokenAbi, functionName: "balanceOf", args: [challenger] });
  const balanceBefore = await balanceOf();
  expect(
    await chain.client.readContract({
      address: token,
      abi: curiaTokenAbi,
      functionName: "allowance",
      args: [challenger, challenges],
    }),
  ).toBe(0n);
  const { minChallengeBond } = await chain.client.readContract({
    address: challenges,
    abi: listingChallengesAbi,
    functionName: "parameters",
  });
  const bond = minChallengeBond + 500n * CUR;
  const cost = await chain.client.readContract({
    address: challenges,
    abi: listingChallengesAbi,
    functionName: "challengeCost",
    args: [bond],
  });
  await expect
    .poll(
      async () => (await graphql<{ listing: { id: string } | null }>(`{ listing(id: "${listingId}") { id } }`)).listing,
    )
    .not.toBeNull();

  await wallet.use(CHALLENGER);
  await page.goto(`/#/marketplace/listings/${listingId}`);
  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
  await page.getByRole("button", { name: "Connect wallet" }).first().click();
  // The challenge form (the page also has the "Report a bad answer" form, with a bond of its own).
  const challengeForm = page.locator("form.challenge");
  const bondField = challengeForm.getByLabel("Bond (CUR)", { exact: true });
  await expect(bondField).toHaveValue((minChallengeBond / CUR).toString());
  const fee = (cost - bond) / CUR;
  await expect(
    challengeForm.getByText(new RegExp(`arbitration fee of ${fee.toLocaleString("en-US")} CUR`)),
  ).toBeVisible();

  // The form refuses what ListingChallenges would refuse, before anything is sent.
  await bondField.fill(((minChallengeBond - CUR) / CUR).toString());
  await challengeForm.getByLabel("Evidence URI").fill("trust me");
  await expect(challengeForm.getByText(/The bond must be at least/)).toBeVisible();
  await expect(challengeForm.getByText("Use an https://, ipfs://, ar:// or data: URI.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Challenge listing" })).toBeDisabled();
  await bondField.fill((bond / CUR).toString());
  await challengeForm
    .getByLabel("Evidence URI")
    .fill(`data:text/plain,${encodeURIComponent("e2e: it answers 7 to every digit")}`);
  await page.screenshot({ path: test.info().outputPath("1-challenge-form.png"), fullPage: true });

  // Approve ListingChallenges for bond + fee, then challenge: two transactions, one button.
  await page.getByRole("button", { name: "Challenge listing" }).click();
  const disputeLink = page.getByRole("link", { name: /^dispute #\d+$/ });
  await expect(disputeLink).toBeVisible({ timeout: 30_000 });
  const disputeId = BigInt(/\d+/.exec((await disputeLink.textContent()) ?? "")![0]);
  expect(
    await chain.client.readContract({
      address: challenges,
      abi: listingChallengesAbi,
      functionName: "getChallenge",
      args: [disputeId],
    }),
  ).toEqual({
    listingId,
    bond,
    pooled: false,
    appealFunded: false,
    resolvedRuling: 0,
    challengerFundedRound: 0,
    providerFundedRound: 0,
  }); // a challenger's own bond, open, no appeal funded
  expect(await balanceOf()).toBe(balanceBefore - cost);
  await expect(page.getByTestId("listing-status")).toHaveText("Challenged");
  await page.screenshot({ path: test.info().outputPath("2-challenged.png"), fullPage: true });

  // The dispute page: the challenge's evidence, then more of it through ListingChallenges.
  await disputeLink.click();
  await expect(page.getByRole("heading", { name: `Dispute #${disputeId}: listing #${listingId}` })).toBeVisible();
  await expect(page.locator("ol.evidence > li")).toHaveCount(1);
  await expect(page.locator("ol.evidence")).toContainText("e2e: it answers 7 to every digit");
  await page.getByLabel("Evidence URI").fill(`data:text/plain,${encodeURIComponent("e2e: and 3 to every letter")}`);
  await page.getByRole("button", { name: "Submit evidence" }).click();
  await expect(page.locator("ol.evidence > li")).toHaveCount(2, { timeout: 30_000 });
  await expect(page.locator("ol.evidence > li").nth(1)).toContainText("Challenger");
  await expect(page.locator("ol.evidence > li").nth(1)).toContainText("e2e: and 3 to every letter");
  await page.screenshot({ path: test.info().outputPath("3-evidence.png"), fullPage: true });
});
