// A consumer catches a validator-aware provider with its own receipt, from the listing's page: it calls the model
// ("Try this model": the wallet signs the request, the real provider answers with a receipt the page checks), sees an
// answer that is not the listed model's, hands the receipt to "Report a bad answer" and files it (approve + file). The
// listing is then under challenge: a second bad answer's receipt cannot open a second dispute, so the form records it
// (ListingChallenges.recordReceipt). The listing page and the dashboard show the fraud proof and the recorded receipt.
//
// The demo's validator-aware listing (#4) is delisted by the demo's own fraud proof before any spec runs, and a
// delisted listing takes no fraud proof: this spec lists the same model from the same provider account (#6) and runs
// the same `curia-provider --mode validator-aware` for it (the listed model to validators, the cheaper one to everyone
// else), so no other spec's listing or provider is touched.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { encodeFunctionData, type Address, type Hex } from "viem";
import { listingChallengesAbi, listingRegistryAbi } from "@curia/protocol";
import { CLASSES, INPUT_SIZE, createSession, ensureModels, imageOf, loadMnist } from "@curia/validator";
import { ACCOUNTS, expect, test, type ChainHelper } from "./fixtures";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The demo's provider of the validator-aware listing, and its consumer (it holds CUR and approved the registry). */
const PROVIDER = 6;
const CONSUMER = 7;
/** Inputs per call: small enough for a fraud proof to publish them inline. */
const BATCH = 8;
const PRICE = 2n * 10n ** 17n;

async function send(chain: ChainHelper, from: number, to: Address, data: Hex): Promise<void> {
  const hash = await chain.request<Hex>("eth_sendTransaction", [{ from: ACCOUNTS[from], to, data }]);
  const receipt = await chain.client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`transaction from #${from} reverted`);
}

/** Starts `curia-provider` (validator-aware) for `listingId` on a free port; resolves with it and its URL. */
async function startProvider(
  listingId: bigint,
  rpcUrl: string,
  deployment: string,
  stateDir: string,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      join(ROOT, "provider", "bin", "curia-provider.mjs"),
      "--mode",
      "validator-aware",
      "--listing",
      listingId.toString(),
      "--port",
      "0",
      "--rpc-url",
      rpcUrl,
      "--deployment",
      deployment,
      "--dev-account",
      String(PROVIDER),
      "--state",
      join(stateDir, "provider.json"),
    ],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 90_000;
  for (;;) {
    const url = /\[provider\] listening on (\S+)/.exec(output)?.[1];
    if (url) return { child, url };
    if (child.exitCode !== null) throw new Error(`curia-provider exited (${child.exitCode}):\n${output}`);
    if (Date.now() > deadline) {
      child.kill("SIGTERM");
      throw new Error(`curia-provider not ready after 90 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

function argmaxes(scores: Float32Array, count: number): number[] {
  return Array.from({ length: count }, (_, row) => {
    let best = 0;
    for (let c = 1; c < CLASSES; c++) if (scores[row * CLASSES + c]! > scores[row * CLASSES + best]!) best = c;
    return best;
  });
}

/**
 * Batches of held-out digits on which the cheaper model (what the provider serves customers) and the listed model
 * disagree, with both models' answers: the consumer can only know its answer is wrong by running the listed model
 * itself, as the demo's consumer does.
 */
async function badBatches(wanted: number): Promise<{ inputs: Float32Array; listed: number[]; cheaper: number[] }[]> {
  const models = ensureModels();
  const [listed, cheaper] = await Promise.all([
    createSession(readFileSync(models.reference.path), { executionProvider: "cpu" }),
    createSession(readFileSync(models.degraded.path), { executionProvider: "cpu" }),
  ]);
  const evalSet = loadMnist().eval;
  const found: { inputs: Float32Array; listed: number[]; cheaper: number[] }[] = [];
  try {
    // Far from the digits the demo's consumer used (offsets 40…200).
    for (let batch = 0; batch < 100 && found.length < wanted; batch++) {
      const inputs = new Float32Array(BATCH * INPUT_SIZE);
      for (let i = 0; i < BATCH; i++) inputs.set(imageOf(evalSet, 1_000 + batch * BATCH + i), i * INPUT_SIZE);
      const a = argmaxes(await listed.run(inputs, BATCH), BATCH);
      const b = argmaxes(await cheaper.run(inputs, BATCH), BATCH);
      if (a.some((v, i) => v !== b[i])) found.push({ inputs, listed: a, cheaper: b });
    }
  } finally {
    await listed.release();
    await cheaper.release();
  }
  if (found.length < wanted) throw new Error("the cheaper model agrees with the listed one on 800 digits");
  return found;
}

/** The batch as the user pastes it: one JSON array of 784 numbers per digit (float32 values, exactly). */
function asJson(inputs: Float32Array): string {
  const rows = Array.from({ length: inputs.length / INPUT_SIZE }, (_, r) =>
    Array.from(inputs.subarray(r * INPUT_SIZE, (r + 1) * INPUT_SIZE)),
  );
  return JSON.stringify(rows);
}

test("a consumer's receipt catches a validator-aware provider; under challenge, the next receipt is recorded", async ({
  page,
  wallet,
  chain,
  stackInfo,
}) => {
  test.setTimeout(300_000);
  const registry = stackInfo.contracts.ListingRegistry!;
  const challenges = stackInfo.contracts.ListingChallenges!;
  const consumer = ACCOUNTS[CONSUMER]!;
  // Subgraph addresses are lowercase; the app shortens them as they come.
  const short = (address: string): string => `${address.slice(0, 6)}…${address.slice(-4)}`.toLowerCase();

  // The listing: the model the demo's listings claim, listed by the validator-aware provider's account.
  const { modelHash } = await chain.client.readContract({
    address: registry,
    abi: listingRegistryAbi,
    functionName: "getListing",
    args: [4n],
  });
  const { applicationPeriod } = await chain.client.readContract({
    address: registry,
    abi: listingRegistryAbi,
    functionName: "parameters",
  });
  // The demo's cheater listed this model hash and lost it to a challenge: listing it again takes the raised bond.
  const bond = await chain.client.readContract({
    address: registry,
    abi: listingRegistryAbi,
    functionName: "requiredBond",
    args: [modelHash],
  });
  const name = `e2e-turbo-${Date.now()}`;
  const metadata = `data:application/json,${encodeURIComponent(
    JSON.stringify({ name, description: "validator-aware (e2e)", task: "mnist digit classification" }),
  )}`;
  await send(
    chain,
    PROVIDER,
    registry,
    encodeFunctionData({
      abi: listingRegistryAbi,
      functionName: "createListing",
      args: [modelHash, metadata, "http://127.0.0.1:9/not-yet", PRICE, bond],
    }),
  );
  const listingId = await chain.client.readContract({
    address: registry,
    abi: listingRegistryAbi,
    functionName: "listingCount",
  });

  // Past the application period the listing sells. Before the provider starts: it dates its receipts on the chain's
  // clock, which it re-reads every few seconds, and a receipt dated minutes behind the page's clock is refused.
  await chain.increaseTime(Number(applicationPeriod) + 1);

  const stateDir = mkdtempSync(join(tmpdir(), "curia-e2e-provider-"));
  const batches = badBatches(2);
  batches.catch(() => undefined); // awaited below; a failure there fails the test, not the process
  const { child, url } = await startProvider(listingId, stackInfo.rpcUrl, process.env.CURIA_E2E_DEPLOYMENT!, stateDir);
  try {
    await send(
      chain,
      PROVIDER,
      registry,
      encodeFunctionData({
        abi: listingRegistryAbi,
        functionName: "updateEndpoint",
        args: [listingId, `${url}/listings/${listingId}/infer`],
      }),
    );
    // The consumer buys calls (the purchase form has its own spec).
    await send(
      chain,
      CONSUMER,
      registry,
      encodeFunctionData({
        abi: listingRegistryAbi,
        functionName: "purchase",
        args: [listingId, 4n * BigInt(BATCH), consumer, PRICE],
      }),
    );
    const [first, second] = await batches;

    await wallet.use(CONSUMER);
    await page.goto(`/#/marketplace/listings/${listingId}`);
    await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId("listing-status")).toHaveText("Active");
    await page.getByRole("button", { name: "Connect wallet" }).first().click();

    // Try this model: the wallet signs, the provider answers with a receipt, the page checks it against the chain.
    const tryForm = page.getByRole("form", { name: "Try this model" });
    const fraudForm = page.getByRole("form", { name: "Report a bad answer" });
    // Nothing typed yet: no error anywhere in the fraud-proof form (its bond is pre-filled).
    await expect(fraudForm.getByLabel("Fraud proof bond (CUR)")).not.toHaveValue("");
    await expect(fraudForm.locator(".field-error")).toHaveCount(0);

    await tryForm.getByLabel("Inputs", { exact: true }).fill(asJson(first!.inputs));
    await tryForm.getByRole("button", { name: "Call the model" }).click();
    const answer = tryForm.getByTestId("model-answer");
    await expect(answer).toBeVisible({ timeout: 30_000 });
    // The cheaper model's answer, not the listed model's: a bad answer, signed.
    expect(first!.cheaper).not.toEqual(first!.listed);
    await expect(answer.getByTestId("answer-top")).toHaveText(first!.cheaper.map(String));
    await expect(answer).toContainText("paid call(s) left");
    await page.screenshot({ path: test.info().outputPath("1-bad-answer.png"), fullPage: true });

    // Report it: the receipt file fills the form; approve bond + fee and file.
    await answer.getByRole("button", { name: "Report this answer" }).click();
    await expect(fraudForm.getByText(/Signed by the serving key/)).toBeVisible();
    await expect(fraudForm.getByRole("alert")).toHaveCount(0);
    await fraudForm.getByRole("button", { name: "File fraud proof" }).click();
    const filed = fraudForm.getByTestId("fraud-proof-filed");
    await expect(filed).toBeVisible({ timeout: 60_000 });
    const disputeId = BigInt(/dispute #(\d+)/.exec((await filed.textContent()) ?? "")![1]!);
    const challenge = await chain.client.readContract({
      address: challenges,
      abi: listingChallengesAbi,
      functionName: "getChallenge",
      args: [disputeId],
    });
    expect(challenge.listingId).toBe(listingId);
    await expect(page.getByTestId("listing-status")).toHaveText("Challenged", { timeout: 30_000 });
    const proofs = page.getByRole("heading", { name: "Fraud proofs (1)" });
    await expect(proofs).toBeVisible({ timeout: 30_000 });
    const proofRow = page.getByTestId("fraud-proof-row");
    await expect(proofRow).toContainText(`#${disputeId}`);
    await expect(proofRow).toContainText(short(consumer));
    await page.screenshot({ path: test.info().outputPath("2-filed.png"), fullPage: true });

    // Under challenge: a second bad answer's receipt is recorded, not filed.
    await tryForm.getByLabel("Inputs", { exact: true }).fill(asJson(second!.inputs));
    await tryForm.getByRole("button", { name: "Call the model" }).click();
    await expect(answer.getByTestId("answer-top")).toHaveText(second!.cheaper.map(String), { timeout: 30_000 });
    const file = JSON.parse(
      decodeURIComponent(
        (await answer.getByRole("link", { name: "Download receipt file" }).getAttribute("href"))!.replace(
          /^data:application\/json;charset=utf-8,/,
          "",
        ),
      ),
    ) as { digest: Hex };
    await answer.getByRole("button", { name: "Report this answer" }).click();
    await expect(fraudForm.getByTestId("record-instead")).toContainText(`dispute #${disputeId}`);
    await expect(fraudForm.getByLabel("Fraud proof bond (CUR)")).toHaveCount(0);
    await expect(fraudForm.getByText(/Signed by the serving key/)).toBeVisible();
    await fraudForm.getByRole("button", { name: "Record receipt" }).click();
    const recorded = fraudForm.getByTestId("receipt-recorded");
    await expect(recorded).toBeVisible({ timeout: 60_000 });
    await expect(recorded).toContainText(`file it on this page once dispute #${disputeId} ends`);
    const firstFiledAt = await chain.client.readContract({
      address: challenges,
      abi: listingChallengesAbi,
      functionName: "receiptFirstFiledAt",
      args: [file.digest],
    });
    expect(firstFiledAt).toBeGreaterThan(0n);
    // No second dispute: still the one fraud proof.
    await expect(page.getByRole("heading", { name: "Recorded receipts (1)" })).toBeVisible({ timeout: 30_000 });
    const recordRow = page.getByTestId("receipt-record-row");
    await expect(recordRow).toContainText(short(file.digest));
    await expect(recordRow).toContainText(short(consumer));
    await expect(page.getByRole("heading", { name: "Fraud proofs (1)" })).toBeVisible();
    await page.screenshot({ path: test.info().outputPath("3-recorded.png"), fullPage: true });

    // The consumer's own page: its fraud proofs and recorded receipts.
    await page.goto("/#/dashboard");
    await expect(page.getByRole("heading", { name: "Your fraud proofs" })).toBeVisible();
    const myProof = page.getByTestId("fraud-proof-row").filter({ hasText: `#${disputeId}` });
    await expect(myProof).toContainText(name);
    await expect(page.getByRole("heading", { name: "Your recorded receipts" })).toBeVisible();
    await expect(page.getByTestId("receipt-record-row").filter({ hasText: name })).toHaveCount(1);
    await page.screenshot({ path: test.info().outputPath("4-dashboard.png"), fullPage: true });
  } finally {
    child.kill("SIGTERM");
    rmSync(stateDir, { recursive: true, force: true });
  }
});
