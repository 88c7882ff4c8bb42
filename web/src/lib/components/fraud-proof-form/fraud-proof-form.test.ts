import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { decodeFunctionData, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, it, vi } from "vitest";
import {
  RECEIPT_PRIMARY_TYPE,
  RECEIPT_TYPES,
  curiaTokenAbi,
  dataHash,
  inferenceDomain,
  listingChallengesAbi,
  receiptToWire,
  toDataURI,
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

function fakeClient(balance = 5000n * CUR) {
  return fakeReadClient({
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
    },
    "ListingRegistry.servingKeyOf": SERVING_KEY.address,
    // The serving key signs for listing 2 since long before the receipt; no other key ever did.
    "ListingRegistry.servingKeyPeriod": (listingId: bigint, key: string) =>
      listingId === 2n && key.toLowerCase() === SERVING_KEY.address.toLowerCase()
        ? { validFrom: 1_700_000_000, validUntil: 0 }
        : { validFrom: 0, validUntil: 0 },
    balanceOf: balance,
    allowance: 0n,
  });
}

async function renderForm(balance?: bigint) {
  const { context, wallet, provider } = testContext({ client: fakeClient(balance), now: NOW });
  await wallet.restore();
  const onfiled = vi.fn();
  render(FraudProofForm, { props: { listingId: 2n, modelHash: MODEL_HASH, status: "Active", onfiled }, context });
  await screen.findByDisplayValue("1000");
  return { provider, onfiled, button: screen.getByRole("button", { name: "File fraud proof" }) };
}

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
    const { provider, onfiled, button } = await renderForm();
    const { receipt, signature, wire } = await signedReceipt();
    await paste(wire, base64(input), base64(output));
    expect(await screen.findByText(/Signed by the serving key/)).toBeInTheDocument();
    expect(screen.queryByRole("alert")).toBeNull();
    await fireEvent.input(screen.getByLabelText("Fraud proof bond (CUR)"), { target: { value: "1200" } });
    await waitFor(() => expect(button).toBeEnabled());

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
  });

  it("takes one JSON document with the receipt and base64 input and output, or the client library's stored receipt", async () => {
    const { button } = await renderForm();
    const { wire } = await signedReceipt();
    const receipt = JSON.parse(wire) as unknown;
    await paste(JSON.stringify({ receipt, input: base64(input), output: base64(output) }), "", "");
    expect(await screen.findByText(/Signed by the serving key/)).toBeInTheDocument();
    await waitFor(() => expect(button).toBeEnabled());

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
    await waitFor(() => expect(button).toBeEnabled());
  });

  it("refuses an input or output whose hash is not the receipt's, and sends nothing", async () => {
    const { provider, button } = await renderForm();
    const { wire } = await signedReceipt();
    await paste(wire, base64(new Uint8Array([1, 2, 3])), base64(output));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      /The input given hashes to 0x[0-9a-f]{64}, not the receipt's inputHash/,
    );
    expect(button).toBeDisabled();

    await paste(wire, base64(input), base64(new Uint8Array([9, 9, 9, 8])));
    expect(await screen.findByRole("alert")).toHaveTextContent(/not the receipt's outputHash/);
    expect(screen.getByRole("alert")).not.toHaveTextContent(/inputHash/);
    expect(button).toBeDisabled();
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
    expect(button).toBeDisabled();
  });

  it("refuses a receipt altered after signing (its signature recovers to another key)", async () => {
    const { button } = await renderForm();
    const { wire } = await signedReceipt();
    const altered = { ...(JSON.parse(wire) as Record<string, string>), nonce: "18" };
    await paste(JSON.stringify(altered), base64(input), base64(output));
    expect(await screen.findByRole("alert")).toHaveTextContent(/which was not this listing's serving key/);
    expect(button).toBeDisabled();
  });

  it("refuses a receipt of another listing, of another model, and one older than the escrow period", async () => {
    const { button } = await renderForm();
    const other = await signedReceipt({ listingId: 3n });
    await paste(other.wire, base64(input), base64(output));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "This receipt is for listing #3, not this listing (#2): file it on that listing's page.",
    );
    expect(button).toBeDisabled();

    const model = await signedReceipt({ modelHash: `0x${"00".repeat(32)}` });
    await paste(model.wire, base64(input), base64(output));
    expect(await screen.findByRole("alert")).toHaveTextContent(/names model 0x0{64}, not the listing's declared/);

    const old = await signedReceipt({ servedAt: NOW - BigInt(ESCROW_PERIOD) - 1n });
    await paste(old.wire, base64(input), base64(output));
    expect(await screen.findByRole("alert")).toHaveTextContent(/more than the 7 d earnings escrow period ago/);
    expect(button).toBeDisabled();
  });

  it("says what is wrong with a malformed receipt, input or bond", async () => {
    const { button } = await renderForm(1100n * CUR);
    await paste("{not json", "", "");
    expect(await screen.findByText(/^The receipt is not JSON:/)).toBeInTheDocument();
    const { wire } = await signedReceipt();
    await paste(JSON.stringify({ ...(JSON.parse(wire) as object), caller: "0x12" }), "%%%", base64(output));
    expect(screen.getByText("The receipt cannot be read: receipt.caller is malformed.")).toBeInTheDocument();
    expect(screen.getByText(/^The input is not base64/)).toBeInTheDocument();

    await paste(wire, base64(input), base64(output));
    expect(await screen.findByText(/Signed by the serving key/)).toBeInTheDocument();
    expect(screen.getByText("Bond plus the 300 CUR arbitration fee exceeds your 1,100 CUR.")).toBeInTheDocument();
    await fireEvent.input(screen.getByLabelText("Fraud proof bond (CUR)"), { target: { value: "999" } });
    expect(screen.getByText("The bond must be at least 1,000 CUR.")).toBeInTheDocument();
    expect(button).toBeDisabled();
  });
});
