// Every role with nothing installed: the built-in dev wallet (local chain only) signs for the demo's test accounts.
// A provider lists a model, edits it, sells calls and withdraws its earnings, pauses it and leaves with its bond; an account registers as a validator, stakes,
// unstakes, withdraws, and a validator claims; a juror who lost the browser's storage reveals with the salt its wallet
// signature re-derives. The new screens are photographed at 1,280 px and 390 px and checked for overflow.
// This file runs last (file order): its time travel (a day, for the provider's exit) comes after every other spec.
import type { Page } from "@playwright/test";
import { encodeFunctionData, parseEventLogs, type Address, type Hex } from "viem";
import {
  Period,
  courtAbi,
  curiaTokenAbi,
  jurorSaltFromSignature,
  jurorSaltMessage,
  listingChallengesAbi,
  listingRegistryAbi,
  stakePoolAbi,
  validationManagerAbi,
  voteCommitment,
} from "@curia/protocol";
import { ACCOUNTS, expect, test, type ChainHelper } from "./fixtures";
import { settle, tableProblems } from "./layout-checks";

const CUR = 10n ** 18n;
/** Demo accounts (scripts/start.ts): a holder who lists a model and a curator who becomes a validator. */
const PROVIDER = 3;
/** The demo consumer (scripts/demo/seed-marketplace.ts): holds CUR and has approved the registry. */
const CONSUMER = 7;
const NEW_VALIDATOR = 9;
/** A validator run by the validator service, with rewards credited by the demo's rounds. */
const SERVICE_VALIDATOR = 18;
const JURORS = [10, 11, 12, 13, 14];
const CHALLENGER = 15;
/** A demo holder whose listing the juror's dispute is about (a challenger cannot challenge its own). */
const LISTER = 2;
const ZERO = `0x${"0".repeat(64)}`;

/** Connects the dev wallet (the only wallet: no window.ethereum here) and picks test account `index`. */
async function connectDev(page: Page, index: number): Promise<void> {
  await page.goto("/");
  const header = page.locator("header");
  await header.getByRole("button", { name: "Connect wallet" }).click();
  await expect(header.getByText("Dev wallet", { exact: true })).toBeVisible();
  await header.getByLabel("Test account").selectOption(ACCOUNTS[index]!);
  await expect(page.getByTestId("account")).toHaveText(`${ACCOUNTS[index]!.slice(0, 6)}…${ACCOUNTS[index]!.slice(-4)}`);
}

/** Photographs the page at 1,280 px and 390 px and checks that no table overflows its card. */
async function checkWidths(page: Page, name: string): Promise<void> {
  for (const [width, height, mustFit] of [
    [1280, 900, true],
    [390, 844, false],
  ] as const) {
    await page.setViewportSize({ width, height });
    await settle(page);
    await page.screenshot({ path: test.info().outputPath(`${name}-${width}.png`), fullPage: true });
    expect.soft(await tableProblems(page, mustFit), `${name} at ${width} px`).toEqual([]);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function send(chain: ChainHelper, from: number, to: Address, data: Hex): Promise<void> {
  const hash = await chain.request<Hex>("eth_sendTransaction", [{ from: ACCOUNTS[from], to, data }]);
  const receipt = await chain.client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`transaction from #${from} reverted`);
}

test("a juror who cleared the browser reveals with the salt its wallet signature re-derives", async ({
  page,
  chain,
  stackInfo,
}) => {
  test.setTimeout(180_000);
  const {
    Court: court,
    ListingRegistry: registry,
    ListingChallenges: challenges,
    CuriaToken: token,
  } = stackInfo.contracts as Record<string, Address>;
  const courtData = (functionName: string, args: unknown[]): Hex =>
    encodeFunctionData({ abi: courtAbi, functionName, args } as never);
  const read = <T>(functionName: string, args: unknown[]): Promise<T> =>
    chain.client.readContract({ address: court!, abi: courtAbi, functionName, args } as never) as Promise<T>;

  // A dispute of its own: a new listing (so no other spec's listing changes) challenged, its jury drawn from the demo's
  // jurors.
  // The model's bond, not the minimum: a challenge of this model by an earlier run may still be pending.
  const model: Hex = `0x${"e2".repeat(32)}`;
  const bond = await chain.client.readContract({
    address: registry!,
    abi: listingRegistryAbi,
    functionName: "requiredBond",
    args: [model],
  });
  const approve = (spender: Address, amount: bigint) =>
    encodeFunctionData({ abi: curiaTokenAbi, functionName: "approve", args: [spender, amount] });
  await send(chain, LISTER, token!, approve(registry!, bond));
  await send(
    chain,
    LISTER,
    registry!,
    encodeFunctionData({
      abi: listingRegistryAbi,
      functionName: "createListing",
      args: [model, "data:application/json,{}", "http://127.0.0.1:1/v1", CUR, bond],
    }),
  );
  const listing = await chain.client.readContract({
    address: registry!,
    abi: listingRegistryAbi,
    functionName: "listingCount",
  });
  const { minChallengeBond } = await chain.client.readContract({
    address: challenges!,
    abi: listingChallengesAbi,
    functionName: "parameters",
  });
  const cost = await chain.client.readContract({
    address: challenges!,
    abi: listingChallengesAbi,
    functionName: "challengeCost",
    args: [minChallengeBond],
  });
  await send(chain, CHALLENGER, token!, approve(challenges!, cost));
  await send(
    chain,
    CHALLENGER,
    challenges!,
    encodeFunctionData({
      abi: listingChallengesAbi,
      functionName: "challenge",
      args: [listing, minChallengeBond, "data:text/plain,e2e: salts from signatures"],
    }),
  );
  const disputeId = await read<bigint>("disputeCount", []);
  await chain.request("hardhat_mine", ["0x3"]);
  for (let i = 0; i < 16 && (await read<number>("periodOf", [disputeId])) === Period.Drawing; i++) {
    await send(chain, 0, court!, courtData("draw", [disputeId, 64n]));
  }
  expect(await read<number>("periodOf", [disputeId])).toBe(Period.Commit);
  const round = 0n;
  const seats = await Promise.all(
    JURORS.map(async (index) => ({
      index,
      vote: await read<{ seats: number; commitment: Hex }>("voteOf", [disputeId, round, ACCOUNTS[index]]),
    })),
  );
  const voter = seats.find((s) => s.vote.seats > 0 && s.vote.commitment === ZERO)!.index;
  const juror = ACCOUNTS[voter]!;

  // Commit through the app: the wallet signs the protocol's message, the salt is its hash.
  await connectDev(page, voter);
  await page.goto(`/#/court/disputes/${disputeId}`);
  await expect(page.getByTestId("dispute-period")).toHaveText("Commit");
  await page.getByLabel(/The challenger wins/).check();
  const downloaded = page.waitForEvent("download");
  await page.getByRole("button", { name: "Save vote secret" }).click();
  const download = await downloaded;
  const file = test.info().outputPath(download.suggestedFilename());
  await download.saveAs(file);
  const signature = await chain.request<Hex>("personal_sign", [
    `0x${Buffer.from(jurorSaltMessage({ chainId: 31337, court: court!, disputeId, round, juror })).toString("hex")}`,
    juror,
  ]);
  const salt = jurorSaltFromSignature(signature);
  await page.getByRole("button", { name: "Commit vote" }).click();
  await expect(page.getByText(/You committed your vote/)).toBeVisible({ timeout: 30_000 });
  const committed = await read<{ commitment: Hex }>("voteOf", [disputeId, round, juror]);
  expect(committed.commitment).toBe(voteCommitment(1, salt, juror, disputeId, round));

  // Another device: nothing in storage, no file. The reveal screen re-derives the salt from a new signature.
  await page.evaluate(() => localStorage.clear());
  const { commitEnd } = await read<{ commitEnd: bigint }>("getRound", [disputeId, round]);
  await chain.increaseTime(Math.max(1, Number(BigInt(commitEnd) - (await chain.now())) + 1));
  await connectDev(page, voter);
  await page.goto(`/#/court/disputes/${disputeId}`);
  await expect(page.getByTestId("dispute-period")).toHaveText("Reveal");
  await expect(page.getByTestId("missing-secret")).toContainText("No vote secret for dispute");
  await expect(page.getByRole("button", { name: "Reveal vote" })).toBeDisabled();
  await page.getByRole("button", { name: "Re-derive from your wallet signature" }).click();
  await expect(
    page.getByText("Vote secret re-derived from your wallet's signature: you voted the challenger wins"),
  ).toBeVisible();
  await checkWidths(page, "reveal-rederived");
  await page.getByRole("button", { name: "Reveal vote" }).click();
  await expect(page.getByText("You revealed: the challenger wins.")).toBeVisible({ timeout: 30_000 });
  const revealed = await read<{ revealed: boolean; choice: number }>("voteOf", [disputeId, round, juror]);
  expect(revealed.revealed).toBe(true);
  expect(revealed.choice).toBe(1);
});

test("an account registers as a validator, stakes, unstakes and withdraws; a validator claims, all with the dev wallet", async ({
  page,
  chain,
  stackInfo,
}) => {
  test.setTimeout(150_000);
  const pool = stackInfo.contracts.ValidatorPool!;
  const memberOf = (index: number) =>
    chain.client.readContract({ address: pool, abi: stakePoolAbi, functionName: "memberOf", args: [ACCOUNTS[index]!] });
  const { minStake, thawingPeriod } = await chain.client.readContract({
    address: pool,
    abi: stakePoolAbi,
    functionName: "parameters",
  });
  const cur = (wei: bigint) => `${(wei / CUR).toLocaleString("en-US")} CUR`;
  expect((await memberOf(NEW_VALIDATOR)).staked).toBe(0n);

  await connectDev(page, NEW_VALIDATOR);
  await page.goto("/#/validators/stake");
  await expect(page.getByTestId("validator-registration")).toHaveText(
    `You are not a validator: stake at least ${cur(minStake)} to register.`,
  );
  await expect(page.getByTestId("no-seats")).toBeVisible();
  await checkWidths(page, "validator-unregistered");

  // Registering is staking the pool's minimum (approve + stake).
  await page.getByLabel("Stake (CUR)", { exact: true }).fill((minStake / CUR).toString());
  await page.getByRole("button", { name: "Stake", exact: true }).click();
  await expect(page.getByTestId("validator-registration")).toContainText("You are a registered validator.", {
    timeout: 30_000,
  });
  expect((await memberOf(NEW_VALIDATOR)).staked).toBe(minStake);

  // More stake, then 50 CUR unstaked: they thaw, then come back.
  await page.getByLabel("Stake (CUR)", { exact: true }).fill("200");
  await page.getByRole("button", { name: "Stake", exact: true }).click();
  await expect(page.getByTestId("validator-staked")).toHaveText(cur(minStake + 200n * CUR), { timeout: 30_000 });
  await page.getByLabel("Unstake (CUR)").fill("50");
  await page.getByRole("button", { name: "Request unstake" }).click();
  await expect(page.getByTestId("validator-thawing")).toContainText(`${cur(50n * CUR)} thawing, withdrawable in`, {
    timeout: 30_000,
  });
  await chain.increaseTime(Number(thawingPeriod) + 1);
  await page.reload();
  const balance = () =>
    chain.client.readContract({
      address: stackInfo.contracts.CuriaToken!,
      abi: curiaTokenAbi,
      functionName: "balanceOf",
      args: [ACCOUNTS[NEW_VALIDATOR]!],
    });
  const before = await balance();
  await page.getByRole("button", { name: "Withdraw", exact: true }).click();
  await expect.poll(async () => (await balance()) - before, { timeout: 30_000 }).toBe(50n * CUR);
  expect(await memberOf(NEW_VALIDATOR)).toMatchObject({ staked: minStake + 150n * CUR, thawing: 0n });
  await checkWidths(page, "validator-registered");

  // A validator the demo's rounds credited sees its seats and scores, and claims.
  const validator = ACCOUNTS[SERVICE_VALIDATOR]!;
  const rewards = await chain.client.readContract({
    address: stackInfo.contracts.ValidationManager!,
    abi: validationManagerAbi,
    functionName: "rewardsOf",
    args: [validator],
  });
  expect(rewards).toBeGreaterThan(0n);
  await page.getByLabel("Test account").selectOption(validator);
  await page.reload();
  await expect(page.getByTestId("validator-registration")).toContainText("You are a registered validator.");
  await expect(page.getByTestId("committee-seats")).toBeVisible();
  await expect(page.getByTestId("validator-score")).toContainText(/\d+ seats?, \d+ revealed/);
  await checkWidths(page, "validator-seats");
  await page.getByRole("button", { name: "Claim rewards" }).click();
  await expect(page.getByTestId("validator-rewards")).toHaveText("0 CUR", { timeout: 30_000 });
});

test("a provider lists a model from the browser, edits and pauses it, and leaves with its bond", async ({
  page,
  chain,
  stackInfo,
}) => {
  test.setTimeout(150_000);
  const registry = stackInfo.contracts.ListingRegistry!;
  const listingOf = (id: bigint) =>
    chain.client.readContract({ address: registry, abi: listingRegistryAbi, functionName: "getListing", args: [id] });
  const params = await chain.client.readContract({
    address: registry,
    abi: listingRegistryAbi,
    functionName: "parameters",
  });

  await connectDev(page, PROVIDER);
  await page.goto("/#/marketplace");
  await page.getByRole("link", { name: "My listings" }).click();
  await expect(page.getByRole("heading", { name: "My listings", level: 1 })).toBeVisible();

  // Bad input is refused with a message per field, before anything is sent.
  const count = await chain.client.readContract({
    address: registry,
    abi: listingRegistryAbi,
    functionName: "listingCount",
  });
  await page.getByLabel("Bond (CUR)").fill("1");
  // The button stays pressable while the form is invalid (aria-disabled): pressing it shows every field's problem.
  await page.getByRole("button", { name: "Create listing" }).click({ force: true });
  await expect(page.getByText("Enter the model's hash, or pick the model file to compute it.")).toBeVisible();
  await expect(
    page.getByText(`The bond must be at least ${(params.minBond / CUR).toLocaleString("en-US")} CUR.`),
  ).toBeVisible();
  await checkWidths(page, "my-listings-errors");

  // The model hash from the file, computed in the browser.
  await page
    .getByLabel("Model file")
    .setInputFiles({ name: "model.onnx", mimeType: "application/octet-stream", buffer: Buffer.from("abc") });
  await expect(page.getByLabel("Model hash")).toHaveValue(
    "0xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
  await page.getByLabel("Metadata URI").fill('data:application/json,{"name":"e2e-model"}');
  await page.getByLabel("Endpoint").fill("http://127.0.0.1:9/v1");
  await page.getByLabel("Price per call (CUR)").fill("0.5");
  await page.getByLabel("Bond (CUR)").fill((params.minBond / CUR).toString());
  await page.getByRole("button", { name: "Create listing" }).click();
  const id = count + 1n;
  await expect(page.getByTestId("listing-created")).toContainText(`Listing #${id} created`, { timeout: 30_000 });
  const card = page.getByTestId(`own-listing-${id}`);
  await expect(card.getByTestId("own-listing-status")).toHaveText("Pending");
  expect(await listingOf(id)).toMatchObject({
    provider: ACCOUNTS[PROVIDER],
    modelHash: "0xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    pricePerCall: CUR / 2n,
    bond: params.minBond,
    endpointURI: "http://127.0.0.1:9/v1",
  });
  await checkWidths(page, "my-listings-created");

  // Edits: price, endpoint, metadata; a zero price is refused on the spot.
  await card.getByLabel("Price per call (CUR)").fill("0");
  await expect(card.getByText("The price must be above zero.")).toBeVisible();
  await card.getByLabel("Price per call (CUR)").fill("0.75");
  await card.getByRole("button", { name: "Update price" }).click();
  await expect.poll(async () => (await listingOf(id)).pricePerCall, { timeout: 30_000 }).toBe((3n * CUR) / 4n);
  await page.getByTestId(`own-listing-${id}`).getByLabel("Endpoint").fill("http://127.0.0.1:10/v1");
  await page.getByTestId(`own-listing-${id}`).getByRole("button", { name: "Update endpoint" }).click();
  await expect.poll(async () => (await listingOf(id)).endpointURI, { timeout: 30_000 }).toBe("http://127.0.0.1:10/v1");
  await page.getByTestId(`own-listing-${id}`).getByLabel("Metadata URI").fill("ipfs://e2e-metadata");
  await page.getByTestId(`own-listing-${id}`).getByRole("button", { name: "Update metadata" }).click();
  await expect.poll(async () => (await listingOf(id)).metadataURI, { timeout: 30_000 }).toBe("ipfs://e2e-metadata");

  // A sale, then the provider collects: the listing activates after its application period, the demo consumer buys
  // calls, the escrow matures (one to two escrow periods), and the provider releases and withdraws in the app.
  await chain.increaseTime(Number(params.applicationPeriod) + 1);
  await send(
    chain,
    CONSUMER,
    registry,
    encodeFunctionData({ abi: listingRegistryAbi, functionName: "activate", args: [id] }),
  );
  const calls = 40n;
  const purchaseHash = await chain.request<Hex>("eth_sendTransaction", [
    {
      from: ACCOUNTS[CONSUMER],
      to: registry,
      data: encodeFunctionData({
        abi: listingRegistryAbi,
        functionName: "purchase",
        args: [id, calls, ACCOUNTS[CONSUMER]!, (3n * CUR) / 4n],
      }),
    },
  ]);
  const purchase = await chain.client.waitForTransactionReceipt({ hash: purchaseHash });
  expect(purchase.status).toBe("success");
  const [sale] = parseEventLogs({ abi: listingRegistryAbi, eventName: "CallsPurchased", logs: purchase.logs });
  expect(sale?.args.cost).toBe(calls * ((3n * CUR) / 4n));
  const providerAmount = sale!.args.providerAmount;
  expect(providerAmount).toBeGreaterThan(0n);
  await chain.increaseTime(2 * Number(params.earningsEscrowPeriod) + 1);
  await page.reload();
  const earnings = page.getByTestId(`own-listing-${id}`).getByTestId("provider-earnings");
  await expect(earnings).toContainText("releasable now", { timeout: 30_000 });
  await earnings.getByRole("button", { name: "Release earnings" }).click();
  const earned = () =>
    chain.client.readContract({
      address: registry,
      abi: listingRegistryAbi,
      functionName: "earningsOf",
      args: [ACCOUNTS[PROVIDER]!],
    });
  await expect.poll(earned, { timeout: 30_000 }).toBeGreaterThanOrEqual(providerAmount);
  const withdrawable = await earned();
  const tokenBalance = () =>
    chain.client.readContract({
      address: stackInfo.contracts.CuriaToken!,
      abi: curiaTokenAbi,
      functionName: "balanceOf",
      args: [ACCOUNTS[PROVIDER]!],
    });
  const beforeWithdrawal = await tokenBalance();
  await earnings.getByRole("button", { name: "Withdraw earnings" }).click();
  await expect.poll(tokenBalance, { timeout: 30_000 }).toBe(beforeWithdrawal + withdrawable);
  await expect.poll(earned, { timeout: 30_000 }).toBe(0n);
  await checkWidths(page, "my-listings-earnings");

  // Pause, then leave: sales stop, the bond comes back after the delay.
  await page.getByTestId(`own-listing-${id}`).getByRole("button", { name: "Pause sales" }).click();
  await expect(page.getByTestId(`own-listing-${id}`).getByTestId("own-listing-status")).toContainText("paused", {
    timeout: 30_000,
  });
  await page.getByTestId(`own-listing-${id}`).getByRole("button", { name: "Request withdrawal" }).click();
  await expect(page.getByTestId(`own-listing-${id}`).getByTestId("own-listing-exit")).toContainText(
    "Sales stopped. Your",
    { timeout: 30_000 },
  );
  await expect(
    page.getByTestId(`own-listing-${id}`).getByRole("button", { name: "Complete withdrawal" }),
  ).toBeDisabled();
  const { withdrawableAt } = await listingOf(id);
  await chain.increaseTime(Math.max(1, Number(BigInt(withdrawableAt) - (await chain.now())) + 1));
  await page.reload();
  const token = stackInfo.contracts.CuriaToken!;
  const balance = () =>
    chain.client.readContract({
      address: token,
      abi: curiaTokenAbi,
      functionName: "balanceOf",
      args: [ACCOUNTS[PROVIDER]!],
    });
  const before = await balance();
  await page.getByTestId(`own-listing-${id}`).getByRole("button", { name: "Complete withdrawal" }).click();
  await expect(page.getByTestId(`own-listing-${id}`).getByTestId("own-listing-status")).toHaveText("Withdrawn", {
    timeout: 30_000,
  });
  expect((await balance()) - before).toBe(params.minBond);
  await checkWidths(page, "my-listings-withdrawn");
});

test("an EIP-6963 wallet is announced and offered next to the dev wallet, and connects", async ({ page }) => {
  // A wallet extension's announcement, as the standard has it (no window.ethereum).
  await page.addInitScript((account) => {
    // Like a real wallet: no account until the page asks to connect.
    let connected = false;
    const provider = {
      async request({ method }: { method: string }) {
        if (method === "eth_requestAccounts") connected = true;
        if (method === "eth_requestAccounts" || method === "eth_accounts") return connected ? [account] : [];
        if (method === "eth_chainId") return "0x7a69";
        throw Object.assign(new Error(`unsupported ${method}`), { code: 4200 });
      },
    };
    const announce = () =>
      window.dispatchEvent(
        new CustomEvent("eip6963:announceProvider", {
          detail: Object.freeze({
            info: {
              uuid: "6b0e1c1e-e2e0-4c3a-9f00-000000000001",
              name: "E2E Wallet",
              icon: "data:image/svg+xml,<svg/>",
              rdns: "org.curia.e2e",
            },
            provider,
          }),
        }),
      );
    window.addEventListener("eip6963:requestProvider", announce);
    announce();
  }, ACCOUNTS[1]!);
  await page.goto("/");
  const header = page.locator("header");
  await header.getByRole("button", { name: "Choose a wallet" }).click();
  const menu = header.locator("#wallet-menu");
  await expect(menu.getByRole("button")).toHaveText([/E2E Wallet/, /Dev wallet/]);
  await menu.getByRole("button", { name: /E2E Wallet/ }).click();
  await expect(page.getByTestId("account")).toHaveText(`${ACCOUNTS[1]!.slice(0, 6)}…${ACCOUNTS[1]!.slice(-4)}`);
  await expect(header.getByText("Dev wallet", { exact: true })).toHaveCount(0);
});
