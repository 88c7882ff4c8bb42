// Receipts: the digest is EIP-712 as ethers and viem compute it (so a provider signing with either library makes
// receipts the contract accepts), and a client's checks refuse every way a provider could bend one.
import { expect } from "chai";
import { TypedDataEncoder, Wallet, hexlify, randomBytes } from "ethers";
import { hashTypedData, type Hex } from "viem";
import {
  MAX_RECEIPT_CLOCK_SKEW_SECONDS,
  bytesToFloat32,
  float32ToBytes,
  RECEIPT_PRIMARY_TYPE,
  RECEIPT_TYPES,
  dataHash,
  fromDataURI,
  inferenceDomain,
  receiptDigest,
  receiptFromWire,
  receiptMismatch,
  receiptToWire,
  signedInKeyPeriod,
  toDataURI,
  type InferenceReceipt,
} from "../src/index.js";
import { f32ToBytes, recoverReceiptSigner, signReceipt } from "../src/ethers/index.js";

const domain = inferenceDomain(31337n, Wallet.createRandom().address);
const input = randomBytes(3_136);
const output = randomBytes(40);
const now = 1_800_000_000;

function sample(): InferenceReceipt {
  return {
    listingId: 3n,
    modelHash: hexlify(randomBytes(32)) as Hex,
    caller: Wallet.createRandom().address as Hex,
    nonce: 2n ** 127n + 5n,
    inputHash: dataHash(input),
    outputHash: dataHash(output),
    servedAt: BigInt(now),
  };
}

describe("receipts", function () {
  it("digests a receipt exactly as ethers' and viem's EIP-712 encoders do", function () {
    for (let i = 0; i < 5; i++) {
      const receipt = sample();
      const ours = receiptDigest(domain, receipt);
      const types = { InferenceReceipt: [...RECEIPT_TYPES.InferenceReceipt] };
      expect(ours).to.equal(TypedDataEncoder.hash(domain, types, receipt));
      expect(ours).to.equal(
        hashTypedData({ domain, types: RECEIPT_TYPES, primaryType: RECEIPT_PRIMARY_TYPE, message: receipt }),
      );
    }
  });

  it("recovers the serving key that signed, and another key for an altered receipt", async function () {
    const key = Wallet.createRandom();
    const receipt = sample();
    const signature = await signReceipt(key, domain, receipt);
    expect(recoverReceiptSigner(domain, receipt, signature)).to.equal(key.address);
    expect(recoverReceiptSigner(domain, { ...receipt, outputHash: dataHash(input) }, signature)).to.not.equal(
      key.address,
    );
  });

  it("round-trips the wire form and names the first malformed field", async function () {
    const receipt = sample();
    const wire = receiptToWire(receipt, `0x${"11".repeat(65)}`);
    const back = receiptFromWire(JSON.parse(JSON.stringify(wire)));
    expect(back.receipt).to.deep.equal(receipt);
    expect(() => receiptFromWire({ ...wire, nonce: "-1" })).to.throw("receipt.nonce is malformed");
    expect(() => receiptFromWire({ ...wire, caller: "0x12" })).to.throw("receipt.caller is malformed");
    expect(() => receiptFromWire({ ...wire, signature: "0x00" })).to.throw("receipt.signature is malformed");
    expect(() => receiptFromWire(undefined)).to.throw("not an object");
  });

  it("refuses a receipt for another call, another model, other bytes, or a clock off by more than the skew", function () {
    const receipt = sample();
    const expected = { ...receipt, input, output, now };
    expect(receiptMismatch(receipt, expected)).to.equal(undefined);
    expect(receiptMismatch({ ...receipt, listingId: 4n }, expected)).to.match(/listing 4/);
    expect(receiptMismatch({ ...receipt, nonce: 1n }, expected)).to.match(/nonce/);
    expect(receiptMismatch({ ...receipt, caller: Wallet.createRandom().address as Hex }, expected)).to.match(/caller/);
    expect(receiptMismatch({ ...receipt, modelHash: dataHash(input) }, expected)).to.match(/model/);
    expect(receiptMismatch(receipt, { ...expected, input: output })).to.match(/inputHash/);
    expect(receiptMismatch(receipt, { ...expected, output: input })).to.match(/outputHash/);
    // A provider backdating its receipts would put them out of a fraud proof's reach.
    const skew = MAX_RECEIPT_CLOCK_SKEW_SECONDS;
    expect(receiptMismatch({ ...receipt, servedAt: BigInt(now - skew) }, expected)).to.equal(undefined);
    expect(receiptMismatch({ ...receipt, servedAt: BigInt(now - skew - 1) }, expected)).to.match(/dated/);
    expect(receiptMismatch({ ...receipt, servedAt: BigInt(now + skew + 1) }, expected)).to.match(/dated/);
  });

  it("says which key answers for a receipt's date: its period, widened by the clients' clock skew (ListingChallenges' rule)", function () {
    const skew = BigInt(MAX_RECEIPT_CLOCK_SKEW_SECONDS);
    const old = { validFrom: 1_000, validUntil: 5_000 };
    const current = { validFrom: 5_000, validUntil: 0 };
    expect(signedInKeyPeriod({ validFrom: 0, validUntil: 0 }, 2_000n)).to.equal(false, "never the key");
    expect(signedInKeyPeriod(old, 1_000n - skew)).to.equal(true);
    expect(signedInKeyPeriod(old, 1_000n - skew - 1n)).to.equal(false);
    expect(signedInKeyPeriod(old, 5_000n + skew - 1n)).to.equal(true, "a date a client accepted across the rotation");
    expect(signedInKeyPeriod(old, 5_000n + skew)).to.equal(false);
    expect(signedInKeyPeriod(current, 5_000n - skew)).to.equal(true);
    expect(signedInKeyPeriod(current, 10n ** 12n)).to.equal(true, "the current key has no end");
  });

  it("writes float32 values as the wire's little-endian bytes in a browser as with Node's Buffer, and reads them back", function () {
    const values = new Float32Array([0, -0, 1.5, -2.25e-8, 3.4e38, Number.NaN, 1 / 3, -7]);
    const bytes = float32ToBytes(values);
    expect(hexlify(bytes)).to.equal(hexlify(f32ToBytes(values)));
    // Little-endian: 1.5 is 0x3fc00000.
    expect(hexlify(bytes.subarray(8, 12))).to.equal("0x0000c03f");
    expect(dataHash(bytes)).to.equal(dataHash(f32ToBytes(values)));
    // A view into a larger buffer at an odd offset reads the same values.
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    const back = bytesToFloat32(shifted.subarray(1));
    expect(Object.is(back![1], -0)).to.equal(true);
    expect(hexlify(float32ToBytes(back!))).to.equal(hexlify(bytes));
    expect(bytesToFloat32(new Uint8Array(7))).to.equal(undefined);
  });

  it("publishes bytes as a data: URI and reads them back; other URIs are left to fetch and hash", function () {
    const bytes = randomBytes(100_000);
    const uri = toDataURI(bytes);
    expect(uri.startsWith("data:application/octet-stream;base64,")).to.equal(true);
    expect(dataHash(fromDataURI(uri)!)).to.equal(dataHash(bytes));
    expect(fromDataURI("ipfs://bafy")).to.equal(undefined);
    expect(fromDataURI("data:text/plain,hello")).to.equal(undefined);
    expect(fromDataURI("data:;base64,@@@")).to.equal(undefined);
  });
});
