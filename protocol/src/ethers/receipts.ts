// Signing and recovering inference receipts with ethers (the types, digest and checks: ../receipts.ts).
import { verifyTypedData, type Signer, type TypedDataDomain } from "ethers";
import { RECEIPT_TYPES, type InferenceReceipt } from "../receipts.js";

/** RECEIPT_TYPES as ethers' mutable TypedDataField lists. */
const TYPES = { InferenceReceipt: [...RECEIPT_TYPES.InferenceReceipt] };

/** The serving key's signature of `receipt`. */
export async function signReceipt(signer: Signer, domain: TypedDataDomain, receipt: InferenceReceipt): Promise<string> {
  return signer.signTypedData(domain, TYPES, receipt);
}

/** The address that signed `receipt` (throws on a malformed signature). */
export function recoverReceiptSigner(domain: TypedDataDomain, receipt: InferenceReceipt, signature: string): string {
  return verifyTypedData(domain, TYPES, receipt, signature);
}
