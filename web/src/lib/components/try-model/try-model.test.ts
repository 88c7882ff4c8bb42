import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { recoverTypedDataAddress, type Hex, type PublicClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  INFERENCE_PRIMARY_TYPE,
  INFERENCE_TYPES,
  RECEIPT_PRIMARY_TYPE,
  RECEIPT_TYPES,
  MAX_DATA_URI_LENGTH,
  MU_LAW_LEVELS,
  TASKS,
  bytesToFloat32,
  canonicalInputs,
  dataHash,
  float32ToBytes,
  fromDataURI,
  inferenceDomain,
  isPaletteURI,
  receiptDigest,
  receiptFromWire,
  receiptToWire,
  type InferenceAuth,
  type InferenceReceipt,
} from "@curia/protocol";
import { ACCOUNT, FakeProvider, fakeReadClient, TEST_CONFIG, testContext } from "../../../test/context";
import TryModel from "./try-model.svelte";

const NOW = 1_800_000_000n;
const MODEL_HASH = `0x${"6d".repeat(32)}` as Hex;
const ENDPOINT = "http://provider.test/listings/2/infer";
const DOMAIN = inferenceDomain(TEST_CONFIG.chainId, TEST_CONFIG.contracts.ListingRegistry);
// Hardhat's public test accounts: #1 is the consumer (ACCOUNT), #3 the listing's serving key, #4 a key that never was.
const CONSUMER = privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
const SERVING_KEY = privateKeyToAccount("0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6");
const OTHER_KEY = privateKeyToAccount("0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a");

/** A wallet that signs typed data as the consumer, as a real one would after the user confirms. */
class SigningWallet extends FakeProvider {
  override async request({ method, params }: { method: string; params?: unknown }): Promise<unknown> {
    if (method !== "eth_signTypedData_v4") return super.request({ method, params });
    this.calls.push({ method, params });
    const [address, json] = params as [string, string];
    if (address.toLowerCase() !== CONSUMER.address.toLowerCase()) throw new Error(`not ${address}'s wallet`);
    const data = JSON.parse(json) as { domain: Record<string, unknown>; message: Record<string, unknown> };
    return CONSUMER.signTypedData({
      domain: { ...data.domain, chainId: BigInt(data.domain.chainId as string) },
      types: INFERENCE_TYPES,
      primaryType: INFERENCE_PRIMARY_TYPE,
      message: {
        caller: data.message.caller as Hex,
        listingId: BigInt(data.message.listingId as string),
        nonce: BigInt(data.message.nonce as string),
        expiry: BigInt(data.message.expiry as string),
      },
    });
  }
}

/** How the fake provider bends its answer (an honest one when empty). */
interface Misbehaviour {
  signer?: typeof SERVING_KEY;
  noReceipt?: boolean;
  /** Signs the receipt for these outputs but sends others. */
  swapOutputs?: boolean;
  status?: { code: number; error: string; message: string };
}

/**
 * A provider double at ENDPOINT: checks the request's EIP-712 signature like the middleware, "classifies" each
 * 2-value input into 3 scores, and signs the receipt of the exact bytes with the serving key. Records what it got.
 */
function fakeProviderServer(misbehaviour: Misbehaviour = {}) {
  const received: { auth: InferenceAuth; inputs: Float32Array }[] = [];
  const fetchFn = vi.fn(async (url: string, init: RequestInit) => {
    if (url !== ENDPOINT) throw new TypeError("Failed to fetch");
    const body = JSON.parse(init.body as string) as { auth: InferenceAuth; inputsF32: string };
    const signer = await recoverTypedDataAddress({
      domain: DOMAIN,
      types: INFERENCE_TYPES,
      primaryType: INFERENCE_PRIMARY_TYPE,
      message: {
        caller: body.auth.caller as Hex,
        listingId: BigInt(body.auth.listingId),
        nonce: BigInt(body.auth.nonce),
        expiry: BigInt(body.auth.expiry),
      },
      signature: body.auth.signature as Hex,
    });
    if (signer !== body.auth.caller)
      return Response.json({ error: { code: "invalid_signature", message: "forged" } }, { status: 401 });
    if (misbehaviour.status) {
      return Response.json(
        { error: { code: misbehaviour.status.error, message: misbehaviour.status.message } },
        { status: misbehaviour.status.code },
      );
    }
    const inputs = bytesToFloat32(fromDataURI(`data:;base64,${body.inputsF32}`)!)!;
    received.push({ auth: body.auth, inputs });
    const rows = inputs.length / 2;
    const outputs = new Float32Array(rows * 3);
    for (let r = 0; r < rows; r++) outputs[r * 3 + (inputs[r * 2]! > inputs[r * 2 + 1]! ? 0 : 2)] = 0.75;
    const receipt: InferenceReceipt = {
      listingId: BigInt(body.auth.listingId),
      modelHash: MODEL_HASH,
      caller: body.auth.caller as Hex,
      nonce: BigInt(body.auth.nonce),
      inputHash: dataHash(float32ToBytes(inputs)),
      outputHash: dataHash(float32ToBytes(outputs)),
      servedAt: NOW,
    };
    const signature = await (misbehaviour.signer ?? SERVING_KEY).signTypedData({
      domain: DOMAIN,
      types: RECEIPT_TYPES,
      primaryType: RECEIPT_PRIMARY_TYPE,
      message: receipt,
    });
    const sent = misbehaviour.swapOutputs ? outputs.map((v) => (v === 0 ? 0.75 : 0)) : outputs;
    let binary = "";
    for (const b of float32ToBytes(sent)) binary += String.fromCharCode(b);
    return Response.json({
      outputsF32: btoa(binary),
      remainingCalls: "41",
      ...(misbehaviour.noReceipt ? {} : { receipt: receiptToWire(receipt, signature) }),
    });
  });
  return { fetchFn, received };
}

function client(maxDataURILength = 65_536n): Partial<PublicClient> {
  return {
    ...fakeReadClient({
      "ListingRegistry.servingKeyOf": SERVING_KEY.address,
      "ListingRegistry.servingKeyPeriod": (listingId: bigint, key: string) =>
        listingId === 2n && key.toLowerCase() === SERVING_KEY.address.toLowerCase()
          ? { validFrom: 1_700_000_000, validUntil: 0 }
          : { validFrom: 0, validUntil: 0 },
      "ListingChallenges.MAX_DATA_URI_LENGTH": maxDataURILength,
    }),
    // An idle development chain: its last block is 15 minutes old; its next block, the one a fraud proof would be in,
    // is dated now. The receipt (served now) must be checked against the latter.
    getBlock: vi.fn(async ({ blockTag }: { blockTag?: string } = {}) =>
      blockTag === "pending" ? { timestamp: NOW + 2n, number: null } : { timestamp: NOW - 900n, number: 9n },
    ),
  } as unknown as Partial<PublicClient>;
}

async function renderTry(
  server: ReturnType<typeof fakeProviderServer>,
  maxDataURILength?: bigint,
  task?: "mnist" | "vad" | "ocr",
) {
  vi.stubGlobal("fetch", server.fetchFn);
  const provider = new SigningWallet();
  const { context, wallet } = testContext({ client: client(maxDataURILength), provider, now: NOW });
  await wallet.restore();
  const onreport = vi.fn();
  render(TryModel, {
    props: {
      listingId: 2n,
      endpoint: ENDPOINT,
      modelHash: MODEL_HASH,
      status: "Active",
      onreport,
      ...(task !== undefined ? { task } : {}),
    },
    context,
  });
  return { provider, onreport, button: screen.getByRole("button", { name: "Call the model" }) };
}

async function call(inputs: string, button: HTMLElement): Promise<void> {
  await fireEvent.input(screen.getByLabelText("Inputs"), { target: { value: inputs } });
  await fireEvent.click(button);
}

describe("<TryModel>", () => {
  beforeEach(() => {
    expect(ACCOUNT).toBe(CONSUMER.address);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("signs the request with the wallet, shows the answer with its checked receipt, and hands the receipt file over", async () => {
    const server = fakeProviderServer();
    const { provider, onreport, button } = await renderTry(server);
    await call("[[1, 0], [0, 1], [3, 2]]", button);
    const answer = await screen.findByTestId("model-answer");

    // The request: the consumer's signature over {caller, listing, nonce, expiry}, the inputs as float32.
    expect(provider.calls.filter((c) => c.method === "eth_signTypedData_v4")).toHaveLength(1);
    expect(server.received).toHaveLength(1);
    const { auth, inputs } = server.received[0]!;
    expect(auth.caller).toBe(ACCOUNT);
    expect(auth.listingId).toBe("2");
    expect(auth.expiry).toBeGreaterThan(Date.now() / 1000);
    expect([...inputs]).toEqual([1, 0, 0, 1, 3, 2]);

    // Each input's top output, and what the provider says is left.
    expect(
      within(answer)
        .getAllByTestId("answer-top")
        .map((c) => c.textContent),
    ).toEqual(["0", "2", "0"]);
    expect(answer).toHaveTextContent("41 paid call(s) left");
    expect(answer).toHaveTextContent(/Answered with a receipt signed by the serving key 0x90F7…b906/);

    // The receipt file: the receipt, its digest, and the exact bytes behind its hashes.
    const link = within(answer).getByRole("link", { name: "Download receipt file" });
    const text = decodeURIComponent(link.getAttribute("href")!.slice("data:application/json;charset=utf-8,".length));
    const file = JSON.parse(text) as {
      receipt: { nonce: string; outputHash: string };
      digest: string;
      inputURI: string;
      outputURI: string;
      endpoint: string;
    };
    expect(file.receipt.nonce).toBe(auth.nonce);
    expect(dataHash(fromDataURI(file.inputURI)!)).toBe(dataHash(float32ToBytes(inputs)));
    expect(dataHash(fromDataURI(file.outputURI)!)).toBe(file.receipt.outputHash);
    expect(file.endpoint).toBe(ENDPOINT);
    expect(link.getAttribute("download")).toMatch(/^curia-receipt-listing-2-[0-9a-f]+\.json$/);
    expect(file.digest).toBe(receiptDigest(DOMAIN, receiptFromWire(file.receipt).receipt));

    await fireEvent.click(within(answer).getByRole("button", { name: "Report this answer" }));
    expect(onreport).toHaveBeenCalledWith(text);
  });

  it("refuses an answer signed by a key that is not the listing's serving key", async () => {
    const { button } = await renderTry(fakeProviderServer({ signer: OTHER_KEY }));
    await call("[[1, 0]]", button);
    expect(await screen.findByRole("alert")).toHaveTextContent(
      `The receipt is signed by ${OTHER_KEY.address}, not by the listing's serving key ${SERVING_KEY.address}: the answer is refused.`,
    );
    expect(screen.queryByTestId("model-answer")).toBeNull();
  });

  it("refuses an answer whose outputs are not the ones the receipt signs, and one without a receipt", async () => {
    const { button } = await renderTry(fakeProviderServer({ swapOutputs: true }));
    await call("[[1, 0]]", button);
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "The provider's receipt is not this call's: the receipt's outputHash is not of the output received. The answer is refused.",
    );
    expect(screen.queryByTestId("model-answer")).toBeNull();

    vi.stubGlobal("fetch", fakeProviderServer({ noReceipt: true }).fetchFn);
    await fireEvent.click(button);
    await waitFor(() =>
      expect(screen.getByRole("alert")).toHaveTextContent(
        /The provider answered without a receipt: the answer is refused/,
      ),
    );
    expect(screen.queryByTestId("model-answer")).toBeNull();
  });

  it("says why the provider refused: no paid calls left, or unreachable", async () => {
    const { button } = await renderTry(
      fakeProviderServer({ status: { code: 402, error: "payment_required", message: "0 paid calls left" } }),
    );
    await call("[[1, 0]]", button);
    expect(await screen.findByRole("alert")).toHaveTextContent(
      `The provider at ${ENDPOINT} refused the call (402 payment_required): 0 paid calls left. Buy calls on this listing first`,
    );

    vi.stubGlobal(
      "fetch",
      vi.fn(async () => Promise.reject(new TypeError("Failed to fetch"))),
    );
    await fireEvent.click(button);
    await waitFor(() =>
      expect(screen.getByRole("alert")).toHaveTextContent(
        `The provider at ${ENDPOINT} cannot be reached (Failed to fetch): it may be down, or not allow calls from this page (CORS).`,
      ),
    );
  });

  it("says what is wrong with the inputs once given, sends nothing, and warns of a batch too large to prove", async () => {
    const server = fakeProviderServer();
    const { provider, button } = await renderTry(server, 60n);
    expect(document.querySelector(".field-error")).toBeNull();
    await call("[[1, 0], [1, 2, 3]]", button);
    expect(
      await screen.findByText("Input 2 has 3 values, input 1 has 2: all must be the same size."),
    ).toBeInTheDocument();
    await call("[[1, 0], [1, null]]", button);
    expect(await screen.findByText("Input 2, value 2 is not a finite number.")).toBeInTheDocument();
    expect(provider.calls.filter((c) => c.method === "eth_signTypedData_v4")).toHaveLength(0);
    expect(server.fetchFn).not.toHaveBeenCalled();

    // 12 values: 48 bytes, a data: URI of about 104 characters, over the 60 allowed here.
    await fireEvent.input(screen.getByLabelText("Inputs"), { target: { value: "[[1,2,3,4,5,6,7,8,9,10,11,12]]" } });
    expect(await screen.findByTestId("too-large-to-file")).toHaveTextContent(/too large to publish in a fraud proof/);
  });

  it("sends a VAD listing's clip on the mu-law grid, so that its receipt file publishes inline as a fraud proof", async () => {
    // Audio as a recorder gives it: 24,576 float32 off any 8-bit grid. Sent as is, the receipt would hash bytes whose
    // only publication is a 131,109-character data: URI, over ListingChallenges' 65,536: a wrong answer to it could
    // never be proved. The page sends it on the task's canonical grid instead.
    const clip = Float32Array.from({ length: TASKS.vad.inputSize }, (_, i) => 0.6 * Math.sin(i / 7) + (i % 5) * 1e-6);
    const server = fakeProviderServer();
    const { button } = await renderTry(server, undefined, "vad");
    expect(screen.getByTestId("canonical-grid")).toHaveTextContent(/mu-law levels/);
    await call(JSON.stringify([Array.from(clip)]), button);
    const answer = await screen.findByTestId("model-answer");
    const { inputs } = server.received[0]!;
    expect([...inputs]).toEqual([...canonicalInputs("vad", clip)]);
    const levels = new Set(MU_LAW_LEVELS);
    expect(inputs.every((v) => levels.has(v))).toBe(true);

    const link = within(answer).getByRole("link", { name: "Download receipt file" });
    const file = JSON.parse(
      decodeURIComponent(link.getAttribute("href")!.slice("data:application/json;charset=utf-8,".length)),
    ) as { receipt: { inputHash: string }; inputURI: string };
    expect(isPaletteURI(file.inputURI)).toBe(true);
    expect(file.inputURI.length).toBeLessThanOrEqual(MAX_DATA_URI_LENGTH);
    // The very bytes the provider ran on and signed.
    expect(dataHash(fromDataURI(file.inputURI)!)).toBe(file.receipt.inputHash);
    expect(file.receipt.inputHash).toBe(dataHash(float32ToBytes(inputs)));
    expect(screen.queryByTestId("too-large-to-file")).toBeNull();
  });

  it("refuses a VAD listing's inputs that are not whole clips, and sends nothing", async () => {
    const server = fakeProviderServer();
    const { button } = await renderTry(server, undefined, "vad");
    await call("[[1, 0], [0, 1]]", button);
    expect(await screen.findByText("A VAD input is 24,576 values; these are 4, not whole inputs.")).toBeInTheDocument();
    expect(server.fetchFn).not.toHaveBeenCalled();
  });
});
