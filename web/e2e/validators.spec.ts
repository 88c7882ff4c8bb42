// Validators stake in the validators' pool from the app: staking at least the pool's minimum registers an account, a
// registered validator adds stake, asks to unstake and claims its rewards; the pool's records follow.
import { curiaTokenAbi, stakePoolAbi, validationManagerAbi } from "@curia/protocol";
import { ACCOUNTS, expect, test } from "./fixtures";

const CUR = 10n ** 18n;
/** A demo validator (scripts/demo/seed-validation.ts), and an account that never staked in the validators' pool. */
const VALIDATOR = 17;
const OUTSIDER = 16;

test("an account registers by staking the validators' pool's minimum; a validator stakes, unstakes and claims", async ({
  page,
  wallet,
  chain,
  stackInfo,
}) => {
  const pool = stackInfo.contracts.ValidatorPool!;
  const memberOf = (index: number) =>
    chain.client.readContract({ address: pool, abi: stakePoolAbi, functionName: "memberOf", args: [ACCOUNTS[index]!] });
  const { minStake } = await chain.client.readContract({
    address: pool,
    abi: stakePoolAbi,
    functionName: "parameters",
  });
  const cur = (wei: bigint) => `${(wei / CUR).toLocaleString("en-US")} CUR`;

  // Someone with no stake in the pool is told what registering takes; less than the minimum is refused.
  expect((await memberOf(OUTSIDER)).staked).toBe(0n);
  await wallet.use(OUTSIDER);
  await page.goto("/#/validators");
  await page.getByRole("link", { name: "Validator staking" }).click();
  await expect(page.getByRole("heading", { name: "Validator staking", level: 1 })).toBeVisible();
  await page.getByRole("button", { name: "Connect wallet" }).first().click();
  await expect(page.getByTestId("validator-registration")).toHaveText(
    `You are not a validator: stake at least ${cur(minStake)} to register.`,
  );
  await page.getByLabel("Stake (CUR)", { exact: true }).fill(((minStake - CUR) / CUR).toString());
  await expect(page.getByText(`A validator stakes at least ${cur(minStake)} in all.`)).toBeVisible();
  await expect(page.getByRole("button", { name: "Stake", exact: true })).toBeDisabled();

  // A registered validator stakes 300 CUR more in the pool, then asks for them back.
  const before = await memberOf(VALIDATOR);
  expect(before.staked).toBeGreaterThanOrEqual(minStake);
  await wallet.use(VALIDATOR);
  await page.reload();
  await expect(page.getByTestId("validator-registration")).toContainText("You are a registered validator.");
  await expect(page.getByTestId("validator-staked")).toHaveText(cur(before.staked));
  await page.getByLabel("Stake (CUR)", { exact: true }).fill("300");
  await page.getByRole("button", { name: "Stake", exact: true }).click();
  await expect(page.getByTestId("validator-staked")).toHaveText(cur(before.staked + 300n * CUR), { timeout: 30_000 });
  expect((await memberOf(VALIDATOR)).staked).toBe(before.staked + 300n * CUR);

  await page.getByLabel("Unstake (CUR)").fill("300");
  await page.getByRole("button", { name: "Request unstake" }).click();
  await expect(
    page
      .getByRole("status")
      .filter({ hasText: "Start thawing 300 CUR of validator stake" })
      .filter({ hasText: "Confirmed in block" }),
  ).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("validator-thawing")).toContainText(
    `${cur(before.thawing + 300n * CUR)} thawing, withdrawable in`,
  );
  const after = await memberOf(VALIDATOR);
  expect(after.staked).toBe(before.staked);
  expect(after.thawing).toBe(before.thawing + 300n * CUR);
  await page.screenshot({ path: test.info().outputPath("validator-stake.png"), fullPage: true });

  // Its rewards for honest scores (credited by the ValidationManager, not the pool) are paid on claim.
  const validation = stackInfo.contracts.ValidationManager!;
  const validator = ACCOUNTS[VALIDATOR]!;
  const rewards = await chain.client.readContract({
    address: validation,
    abi: validationManagerAbi,
    functionName: "rewardsOf",
    args: [validator],
  });
  const balance = () =>
    chain.client.readContract({
      address: stackInfo.contracts.CuriaToken!,
      abi: curiaTokenAbi,
      functionName: "balanceOf",
      args: [validator],
    });
  // The demo's seeded rounds credit every honest validator (the validator service never claims).
  expect(rewards).toBeGreaterThan(0n);
  const balanceBefore = await balance();
  await page.getByRole("button", { name: "Claim rewards" }).click();
  await expect(page.getByTestId("validator-rewards")).toHaveText("0 CUR", { timeout: 30_000 });
  // Rounds keep finishing meanwhile: the claim pays at least what was credited before it.
  expect((await balance()) - balanceBefore).toBeGreaterThanOrEqual(rewards);
});
