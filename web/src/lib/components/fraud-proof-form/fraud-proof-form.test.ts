import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import {
  decodeFunctionData,
  encodeAbiParameters,
  encodeEventTopics,
  getAbiItem,
  type Hex,
  type PublicClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, it, vi } from "vitest";
import {
  RECEIPT_PRIMARY_TYPE,
  RECEIPT_TYPES,
  curiaTokenAbi,
  dataHash,
  fromDataURI,
  inferenceDomain,
  listingChallengesAbi,
  receiptDigest,
  receiptToWire,
  canonicalInputs,
  float32ToBytes,
  isPaletteURI,
  MAX_DATA_URI_LENGTH,
  TASKS,
  toDataURI,
  toEvidenceURI,
  type InferenceReceipt,
} from "@curia/protocol";
import { ACCOUNT, fakeReadClient, TEST_CONFIG, testContext } from "../../../test/context";
import FraudProofForm from "./fraud-proof-form.svelte";

const CUR = 10n ** 18n;
const NOW = 1_800_000_000n;
const ESCROW_PERIOD = 7 * 86_400;
const ARBITRATION_COST = 300n * CUR;
const MODEL_HASH = `0x${"6d".repeat(32)}` as Hex;
// The local chain's well-known test accounts #3 and #4 (Hardhat's mnemonic), named as such: the serving key, and a key
// that never served this listing.
const SERVING_KEY = privateKeyToAccount("0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6");
const OTHER_KEY = privateKeyToAccount("0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a");

const input = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
const output = new Uint8Array([9, 9, 9, 9]);
const base64 = (bytes: Uint8Array): string => toDataURI(bytes).split(",")[1]!;

async function signedReceipt(
  overrides: Partial<InferenceReceipt> = {},
  signer = SERVING_KEY,
): Promise<{ receipt: InferenceReceipt; signature: Hex; wire: string }> {
  const receipt: InferenceReceipt = {
    listingId: 2n,
    modelHash: MODEL_HASH,
    caller: ACCOUNT,
    nonce: 17n,
    inputHash: dataHash(input),
    outputHash: dataHash(output),
    servedAt: NOW - 3600n,
    ...overrides,
  };
  const signature = await signer.signTypedData({
    domain: inferenceDomain(TEST_CONFIG.chainId, TEST_CONFIG.contracts.ListingRegistry),
    types: RECEIPT_TYPES,
    primaryType: RECEIPT_PRIMARY_TYPE,
    message: receipt,
  });
  return { receipt, signature, wire: JSON.stringify(receiptToWire(receipt, signature)) };
}

const DOMAIN = inferenceDomain(TEST_CONFIG.chainId, TEST_CONFIG.contracts.ListingRegistry);
/** receiptFirstFiledAt on the fake chain, by digest: set when a test records or files a receipt. */
let firstFiled = new Map<string, bigint>();

/** The FraudProofFiled log of dispute `disputeId` in a mined fileFraudProof (what the form reads the dispute from). */
function fraudProofLog(disputeId: bigint, receipt: InferenceReceipt) {
  const event = getAbiItem({ abi: listingChallengesAbi, name: "FraudProofFiled" });
  return {
    address: TEST_CONFIG.contracts.ListingChallenges,
    topics: encodeEventTopics({
      abi: listingChallengesAbi,
      eventName: "FraudProofFiled",
      args: { disputeId, listingId: receipt.listingId, filer: ACCOUNT },
    }),
    data: encodeAbiParameters(
      event.inputs.filter((i) => !i.indexed),
      [receiptDigest(DOMAIN, receipt), SERVING_KEY.address, receipt, toDataURI(input), toDataURI(output)],
    ),
  };
}

function fakeClient(balance = 5000n * CUR, minedLogs: unknown[] = [], pendingTime?: bigint) {
  const client = fakeReadClient({
    "ListingChallenges.parameters": {
      minChallengeBond: 1000n * CUR,
      winnerShareBps: 5000,
      jurorShareBps: 4000,
      treasuryShareBps: 1000,
    },
    "ListingChallenges.challengeCost": (bond: bigint) => bond + ARBITRATION_COST,
    "ListingChallenges.MAX_DATA_URI_LENGTH": 65_536n,
    "Court.arbitrationCost": ARBITRATION_COST,
    "ListingRegistry.parameters": {
      minBond: 1000n * CUR,
      applicationPeriod: 3600,
      withdrawalDelay: 3600,
      protocolFeeBps: 500,
      treasuryShareBps: 3000,
      curatorShareBps: 5000,
      validatorShareBps: 2000,
      defaultQualityBps: 5000,
      earningsEscrowPeriod: ESCROW_PERIOD,
      maxEscrowPerBondBps: 100_000,
    },
    "ListingRegistry.servingKeyOf": SERVING_KEY.address,
    // The serving key signs for listing 2 since long before the receipt; no other key ever did.
    "ListingRegistry.servingKeyPeriod": (listingId: bigint, key: string) =>
      listingId === 2n && key.toLowerCase() === SERVING_KEY.address.toLowerCase()
        ? { validFrom: 1_700_000_000, validUntil: 0 }
        : { validFrom: 0, validUntil: 0 },
    "ListingChallenges.receiptFirstFiledAt": (digest: string) => firstFiled.get(digest) ?? 0n,
    balanceOf: balance,
    allowance: 0n,
  });
  return {
    ...client,
    waitForTransactionReceipt: vi.fn(async () => ({ status: "success", blockNumber: 3n, logs: minedLogs })),
    // The next block's time, when the test gives one (a node without a pending block otherwise).
    ...(pendingTime !== undefined
      ? {
          getBlock: vi.fn(async ({ blockTag }: { blockTag?: string } = {}) =>
            blockTag === "pending" ? { timestamp: pendingTime, number: null } : { timestamp: NOW, number: 3n },
          ),
        }
      : {}),
  } as unknown as Partial<PublicClient>;
}

async function renderForm(
  options: {
    balance?: bigint;
    status?: "Active" | "Challenged";
    minedLogs?: unknown[];
    prefill?: { text: string };
    pendingTime?: bigint;
  } = {},
) {
  firstFiled = new Map();
  const { context, wallet, provider } = testContext({
    client: fakeClient(options.balance, options.minedLogs, options.pendingTime),
    now: NOW,
  });
  await wallet.restore();
  const onfiled = vi.fn();
  const status = options.status ?? "Active";
  render(FraudProofForm, {
    props: {
      listingId: 2n,
      modelHash: MODEL_HASH,
      status,
      endpoint: "http://provider.test/listings/2/infer",
      ...(status === "Challenged" ? { activeDispute: "5" } : {}),
      ...(options.prefill ? { prefill: options.prefill } : {}),
      onfiled,
    },
    context,
  });
  if (status === "Challenged") {
    return { provider, onfiled, button: screen.getByRole("button", { name: "Record receipt" }) };
  }
  await screen.findByDisplayValue("1000");
  return { provider, onfiled, button: screen.getByRole("button", { name: "File fraud proof" }) };
}

/** The button is shown disabled (a press only reveals the form's errors). */
const blocked = (button: HTMLElement) => expect(button).toHaveAttribute("aria-disabled", "true");
const unblocked = (button: HTMLElement) => expect(button).not.toHaveAttribute("aria-disabled");

async function paste(receipt: string, inputText: string, outputText: string): Promise<void> {
  await fireEvent.input(screen.getByLabelText("Receipt (JSON)"), { target: { value: receipt } });
  await fireEvent.input(screen.getByLabelText("Input sent (base64)"), { target: { value: inputText } });
  await fireEvent.input(screen.getByLabelText("Output received (base64)"), { target: { value: outputText } });
}

const sentTransactions = (provider: { calls: { method: string; params?: unknown }[] }) =>
  provider.calls
    .filter((c) => c.method === "eth_sendTransaction")
    .map((c) => (c.params as [{ to: string; data: Hex }])[0]);

describe("<FraudProofForm>", () => {
  it("files a good receipt: approves exactly bond + fee, then fileFraudProof with the receipt, signature and data: URIs", async () => {
    const { receipt, signature, wire } = await signedReceipt();
    const { provider, onfiled, button } = await renderForm({ minedLogs: [fraudProofLog(9n, receipt)] });
    await paste(wire, base64(input), base64(output));
    expect(await screen.findByText(/Signed by the serving key/)).toBeInTheDocument();
    expect(screen.queryByRole("alert")).toBeNull();
    await fireEvent.input(screen.getByLabelText("Fraud proof bond (CUR)"), { target: { value: "1200" } });
    await waitFor(() => unblocked(button));

    await fireEvent.click(button);
    await waitFor(() => expect(onfiled).toHaveBeenCalledOnce());
    const sent = sentTransactions(provider);
    expect(sent).toHaveLength(2);
    expect(sent[0]!.to).toBe(TEST_CONFIG.contracts.CuriaToken);
    expect(decodeFunctionData({ abi: curiaTokenAbi, data: sent[0]!.data }).args).toEqual([
      TEST_CONFIG.contracts.ListingChallenges,
      1500n * CUR,
    ]);
    expect(sent[1]!.to).toBe(TEST_CONFIG.contracts.ListingChallenges);
    expect(decodeFunctionData({ abi: listingChallengesAbi, data: sent[1]!.data })).toEqual({
      functionName: "fileFraudProof",
      args: [receipt, signature, 1200n * CUR, toDataURI(input), toDataURI(output)],
    });
    // The dispute it opened, read from the mined FraudProofFiled event; the form is cleared.
    const filed = await screen.findByTestId("fraud-proof-filed");
    expect(filed).toHaveTextContent("Fraud proof filed: dispute #9.");
    expect(within(filed).getByRole("link", { name: "dispute #9" })).toHaveAttribute("href", "#/court/disputes/9");
    expect(screen.getByLabelText("Receipt (JSON)")).toHaveValue("");
  });

  it("takes one JSON document with the receipt and base64 input and output, or the client library's stored receipt", async () => {
    const { button } = await renderForm();
    const { wire } = await signedReceipt();
    const receipt = JSON.parse(wire) as unknown;
    await paste(JSON.stringify({ receipt, input: base64(input), output: base64(output) }), "", "");
    expect(await screen.findByText(/Signed by the serving key/)).toBeInTheDocument();
    await waitFor(() => unblocked(button));

    await paste(
      JSON.stringify({
        receipt,
        digest: "0x",
        inputURI: toDataURI(input),
        outputURI: toDataURI(output),
        endpoint: "x",
      }),
      "",
      "",
    );
    expect(await screen.findByText(/Signed by the serving key/)).toBeInTheDocument();
    await waitFor(() => unblocked(button));
  });

  it("refuses an input or output whose hash is not the receipt's, and sends nothing", async () => {
    const { provider, button } = await renderForm();
    const { wire } = await signedReceipt();
    await paste(wire, base64(new Uint8Array([1, 2, 3])), base64(output));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      /The input given hashes to 0x[0-9a-f]{64}, not the receipt's inputHash/,
    );
    blocked(button);

    await paste(wire, base64(input), base64(new Uint8Array([9, 9, 9, 8])));
    expect(await screen.findByRole("alert")).toHaveTextContent(/not the receipt's outputHash/);
    expect(screen.getByRole("alert")).not.toHaveTextContent(/inputHash/);
    blocked(button);
    await fireEvent.click(button);
    expect(sentTransactions(provider)).toHaveLength(0);
  });

  it("refuses a receipt signed by a key that was never the listing's serving key", async () => {
    const { button } = await renderForm();
    const { wire } = await signedReceipt({}, OTHER_KEY);
    await paste(wire, base64(input), base64(output));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      `The receipt is signed by ${OTHER_KEY.address}, which was not this listing's serving key when it was served (its serving key is ${SERVING_KEY.address})`,
    );
    blocked(button);
  });

  it("refuses a receipt altered after signing (its signature recovers to another key)", async () => {
    const { button } = await renderForm();
    const { wire } = await signedReceipt();
    const altered = { ...(JSON.parse(wire) as Record<string, string>), nonce: "18" };
    await paste(JSON.stringify(altered), base64(input), base64(output));
    expect(await screen.findByRole("alert")).toHaveTextContent(/which was not this listing's serving key/);
    blocked(button);
  });

  it("refuses a receipt of another listing, of another model, and one older than the escrow period", async () => {
    const { button } = await renderForm();
    const other = await signedReceipt({ listingId: 3n });
    await paste(other.wire, base64(input), base64(output));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "This receipt is for listing #3, not this listing (#2): file it on that listing's page.",
    );
    blocked(button);

    const model = await signedReceipt({ modelHash: `0x${"00".repeat(32)}` });
    await paste(model.wire, base64(input), base64(output));
    expect(await screen.findByRole("alert")).toHaveTextContent(/names model 0x0{64}, not the listing's declared/);

    const old = await signedReceipt({ servedAt: NOW - BigInt(ESCROW_PERIOD) - 1n });
    await paste(old.wire, base64(input), base64(output));
    expect(await screen.findByRole("alert")).toHaveTextContent(/more than the 7 d earnings escrow period ago/);
    blocked(button);
  });

  it("says what is wrong with a malformed receipt, input or bond", async () => {
    const { button } = await renderForm({ balance: 1100n * CUR });
    await paste("{not json", "", "");
    expect(await screen.findByText(/^The receipt is not JSON:/)).toBeInTheDocument();
    const { wire } = await signedReceipt();
    await paste(JSON.stringify({ ...(JSON.parse(wire) as object), caller: "0x12" }), "%%%", base64(output));
    expect(screen.getByText("The receipt cannot be read: receipt.caller is malformed.")).toBeInTheDocument();
    expect(screen.getByText(/^The input is not base64/)).toBeInTheDocument();

    await paste(wire, base64(input), base64(output));
    expect(await screen.findByText(/Signed by the serving key/)).toBeInTheDocument();
    // The pre-filled bond (the minimum) is more than the account holds with the fee: said once the bond is touched.
    expect(screen.queryByText(/exceeds your/)).toBeNull();
    await fireEvent.blur(screen.getByLabelText("Fraud proof bond (CUR)"));
    expect(screen.getByText("Bond plus the 300 CUR arbitration fee exceeds your 1,100 CUR.")).toBeInTheDocument();
    await fireEvent.input(screen.getByLabelText("Fraud proof bond (CUR)"), { target: { value: "999" } });
    expect(screen.getByText("The bond must be at least 1,000 CUR.")).toBeInTheDocument();
    blocked(button);
  });

  it("shows no error before the user has typed anything, and every error once the form is submitted", async () => {
    // An account short of the bond plus the fee: the pre-filled bond would be an error, but nobody typed it.
    const { provider, button } = await renderForm({ balance: 100n * CUR });
    await waitFor(() => expect(screen.getByText(/At least 1,000 CUR, plus the Court's 300 CUR/)).toBeInTheDocument());
    expect(screen.queryByText(/exceeds your/)).toBeNull();
    expect(document.querySelector(".field-error")).toBeNull();
    expect(screen.getByLabelText("Fraud proof bond (CUR)")).not.toHaveAttribute("aria-invalid");

    // A receipt pasted alone: the input and output it lacks are not errors until those fields are touched.
    const { wire } = await signedReceipt();
    await fireEvent.input(screen.getByLabelText("Receipt (JSON)"), { target: { value: wire } });
    expect(screen.queryByText(/Paste the input/)).toBeNull();
    blocked(button);

    // Pressing the blocked button says everything that is wrong, and sends nothing.
    await fireEvent.click(button);
    expect(await screen.findByText("Paste the input (base64, or a base64 data: URI).")).toBeInTheDocument();
    expect(screen.getByText("Paste the output (base64, or a base64 data: URI).")).toBeInTheDocument();
    expect(screen.getByText("Bond plus the 300 CUR arbitration fee exceeds your 100 CUR.")).toBeInTheDocument();
    expect(sentTransactions(provider)).toHaveLength(0);
  });

  it("files a receipt older than the escrow period when it was recorded within it (its age counts until then)", async () => {
    const { button } = await renderForm();
    const old = await signedReceipt({ servedAt: NOW - BigInt(ESCROW_PERIOD) - 600n });
    firstFiled.set(receiptDigest(DOMAIN, old.receipt), NOW - BigInt(ESCROW_PERIOD) + 3600n);
    await paste(old.wire, base64(input), base64(output));
    expect(await screen.findByTestId("first-filed")).toHaveTextContent(/Recorded on-chain since/);
    await waitFor(() => unblocked(button));
    expect(screen.queryByRole("alert")).toBeNull();

    // Recorded too late (after its escrow period had passed) it stays too old.
    const late = await signedReceipt({ servedAt: NOW - 2n * BigInt(ESCROW_PERIOD), nonce: 18n });
    firstFiled.set(receiptDigest(DOMAIN, late.receipt), NOW - BigInt(ESCROW_PERIOD) + 3600n);
    await paste(late.wire, base64(input), base64(output));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      /first filed .*, more than the 7 d earnings escrow period later: too old to file/,
    );
    blocked(button);
  });

  it("on a listing already under challenge: records the receipt (no bond, no approval) and says it can be filed after the dispute", async () => {
    const { provider, onfiled, button } = await renderForm({ status: "Challenged" });
    expect(screen.getByTestId("record-instead")).toHaveTextContent(
      /already under challenge \(dispute #5\): it takes no second dispute until that one ends\. Record your receipt instead/,
    );
    expect(screen.queryByLabelText("Fraud proof bond (CUR)")).toBeNull();
    expect(screen.queryByRole("button", { name: "File fraud proof" })).toBeNull();

    const { receipt, signature, wire } = await signedReceipt();
    await paste(wire, base64(input), base64(output));
    expect(await screen.findByText(/Signed by the serving key/)).toBeInTheDocument();
    await waitFor(() => unblocked(button));
    await fireEvent.click(button);
    await waitFor(() => expect(onfiled).toHaveBeenCalledOnce());

    const sent = sentTransactions(provider);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.to).toBe(TEST_CONFIG.contracts.ListingChallenges);
    expect(decodeFunctionData({ abi: listingChallengesAbi, data: sent[0]!.data })).toEqual({
      functionName: "recordReceipt",
      args: [receipt, signature],
    });
    const done = screen.getByTestId("receipt-recorded");
    expect(done).toHaveTextContent(
      /Receipt recorded on-chain\. Its age counts from .* file it on this page once dispute #5 ends/,
    );
    // The receipt file to keep: the receipt with the input and output behind its hashes.
    const link = within(done).getByRole("link", { name: "Download receipt file" });
    const file = JSON.parse(decodeURIComponent(link.getAttribute("href")!.split(",").slice(1).join(","))) as {
      receipt: unknown;
      digest: string;
      inputURI: string;
      outputURI: string;
      endpoint: string;
    };
    expect(file.receipt).toEqual(receiptToWire(receipt, signature));
    expect(file.digest).toBe(receiptDigest(DOMAIN, receipt));
    expect(fromDataURI(file.inputURI)).toEqual(input);
    expect(fromDataURI(file.outputURI)).toEqual(output);
    expect(file.endpoint).toBe("http://provider.test/listings/2/infer");
  });

  it("does not record a receipt twice, and refuses one the contract would refuse", async () => {
    const { provider, button } = await renderForm({ status: "Challenged" });
    const { receipt, wire } = await signedReceipt();
    firstFiled.set(receiptDigest(DOMAIN, receipt), NOW - 60n);
    await paste(wire, base64(input), base64(output));
    expect(
      await screen.findByText("This receipt is recorded already: recording it again changes nothing."),
    ).toBeInTheDocument();
    blocked(button);

    const forged = await signedReceipt({ nonce: 99n }, OTHER_KEY);
    await paste(forged.wire, base64(input), base64(output));
    expect(await screen.findByRole("alert")).toHaveTextContent(/which was not this listing's serving key/);
    blocked(button);
    await fireEvent.click(button);
    expect(sentTransactions(provider)).toHaveLength(0);
  });

  it('fills in a receipt file handed over from "Try this model"', async () => {
    const { receipt, signature } = await signedReceipt();
    const file = JSON.stringify({
      receipt: receiptToWire(receipt, signature),
      digest: receiptDigest(DOMAIN, receipt),
      inputURI: toDataURI(input),
      outputURI: toDataURI(output),
      endpoint: "x",
    });
    const { button } = await renderForm({ prefill: { text: file } });
    expect(screen.getByLabelText("Receipt (JSON)")).toHaveValue(file);
    expect(await screen.findByText(/Signed by the serving key/)).toBeInTheDocument();
    await waitFor(() => unblocked(button));
  });

  it("dates a receipt against the next block, not an idle chain's last one", async () => {
    // The last block is at NOW; the next one will be 10 minutes later (nobody sent a transaction meanwhile).
    const { button } = await renderForm({ pendingTime: NOW + 600n });
    const served = await signedReceipt({ servedAt: NOW + 300n });
    await paste(served.wire, base64(input), base64(output));
    expect(await screen.findByText(/Signed by the serving key/)).toBeInTheDocument();
    await waitFor(() => unblocked(button));
    expect(screen.queryByRole("alert")).toBeNull();

    const ahead = await signedReceipt({ servedAt: NOW + 900n, nonce: 18n });
    await paste(ahead.wire, base64(input), base64(output));
    expect(await screen.findByRole("alert")).toHaveTextContent(/after the chain's time: it cannot be filed yet/);
    blocked(button);
  });

  it("files a VAD-sized receipt (one clip on the mu-law grid) in palette form, within the contract's limit", async () => {
    // One Silero VAD clip: 24,576 float32, a 131,109-character raw data: URI, over the contract's 65,536. Sent on the
    // task's canonical grid (what a client's canonicalInputs does), it publishes losslessly in palette form.
    const clip = canonicalInputs(
      "vad",
      Float32Array.from({ length: TASKS.vad.inputSize }, (_, i) => 0.6 * Math.sin(i / 7)),
    );
    const clipBytes = float32ToBytes(clip);
    const frames = float32ToBytes(Float32Array.from({ length: TASKS.vad.outputSize }, (_, i) => (i % 3) / 3));
    const { receipt, signature } = await signedReceipt({
      inputHash: dataHash(clipBytes),
      outputHash: dataHash(frames),
    });
    const stored = (bytes: Uint8Array) =>
      JSON.stringify({
        receipt: receiptToWire(receipt, signature),
        digest: receiptDigest(DOMAIN, receipt),
        inputURI: toDataURI(bytes), // the raw form, as an older client kept it: the form re-encodes
        outputURI: toDataURI(frames),
        endpoint: "x",
      });
    const { provider, onfiled, button } = await renderForm();
    await paste(stored(clipBytes), "", "");
    expect(await screen.findByText(/Signed by the serving key/)).toBeInTheDocument();
    await waitFor(() => unblocked(button));
    expect(screen.queryByRole("alert")).toBeNull();
    await fireEvent.click(button);
    await waitFor(() => expect(onfiled).toHaveBeenCalledOnce());
    const sent = sentTransactions(provider);
    const args = decodeFunctionData({ abi: listingChallengesAbi, data: sent[1]!.data }).args as readonly unknown[];
    const [inputURI, outputURI] = args.slice(3) as [string, string];
    expect(toDataURI(clipBytes).length).toBeGreaterThan(MAX_DATA_URI_LENGTH);
    expect(isPaletteURI(inputURI)).toBe(true);
    expect(inputURI).toBe(toEvidenceURI(clipBytes));
    expect(inputURI.length).toBeLessThanOrEqual(MAX_DATA_URI_LENGTH);
    expect(dataHash(fromDataURI(inputURI)!)).toBe(receipt.inputHash); // the very bytes the receipt signs
    expect(outputURI).toBe(toDataURI(frames));
  });

  it("says why an off-grid VAD clip cannot be filed (too large, with the contract's limit) and sends nothing", async () => {
    // The clip a hair off the grid (as a client that skipped canonicalInputs sent it): no compact form exists.
    const offGrid = float32ToBytes(
      Float32Array.from({ length: TASKS.vad.inputSize }, (_, i) => 0.6 * Math.sin(i / 7) + (i % 5) * 1e-6),
    );
    const frames = float32ToBytes(new Float32Array(TASKS.vad.outputSize));
    const off = await signedReceipt({ inputHash: dataHash(offGrid), outputHash: dataHash(frames) });
    const { provider, button } = await renderForm();
    const document = JSON.stringify({
      receipt: receiptToWire(off.receipt, off.signature),
      inputURI: toDataURI(offGrid),
      outputURI: toDataURI(frames),
    });
    await paste(document, "", "");
    expect(await screen.findByText(/Signed by the serving key/)).toBeInTheDocument();
    const alert = await screen.findByText(/The input is too large to publish as a fraud proof/);
    expect(alert).toHaveTextContent(
      `its data: URI is ${toDataURI(offGrid).length} characters and the contract takes at most 65536. It has more than 256 distinct values, so it is off its task's canonical 8-bit grid`,
    );
    blocked(button);
    await fireEvent.click(button);
    expect(sentTransactions(provider)).toHaveLength(0);
  });
});
