// A misbehaving proxy in front of the sample provider, for the tests: with no fault it passes the provider's answers
// (and their receipts, signed by the provider itself) through untouched; a fault makes it misbehave the ways a client
// must refuse: strip the receipt, re-sign it (with the right serving key) over another output, or answer 503. A
// re-signed receipt follows the shared wire convention (inputHash = keccak256 of the request's float32 LE input bytes,
// outputHash = of the answer's, nonce and caller = the signed request's, modelHash = the listing's).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Signer, TypedDataDomain } from "ethers";
import { dataHash, receiptToWire, type InferenceReceipt } from "@curia/protocol";
import { signReceipt } from "@curia/protocol/ethers";

export type ShimFault = "none" | "no-receipt" | "wrong-output-hash" | "always-503";

export interface ReceiptShim {
  url: string;
  /** Answers forwarded with a receipt (the provider's, or one re-signed by a fault). */
  signed: number;
  fault: ShimFault;
  close(): Promise<void>;
}

export async function startReceiptShim(options: {
  upstream: string;
  domain: TypedDataDomain;
  /** The serving key of the listing being answered (by listing id). */
  servingKey: (listingId: bigint) => Promise<Signer>;
  modelHash: (listingId: bigint) => Promise<string>;
  fault?: ShimFault;
}): Promise<ReceiptShim> {
  const shim: ReceiptShim = { url: "", signed: 0, fault: options.fault ?? "none", close: async () => {} };
  const server: Server = createServer((request, response) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
      const reply = (status: number, body: string) => {
        response.writeHead(status, { "content-type": "application/json" });
        response.end(body);
      };
      if (shim.fault === "always-503")
        return reply(503, JSON.stringify({ error: { code: "overloaded", message: "try later" } }));
      const requestText = Buffer.concat(chunks).toString("utf8");
      const upstream = await fetch(`${options.upstream}${request.url ?? ""}`, {
        method: request.method ?? "POST",
        headers: { "content-type": "application/json" },
        ...(request.method === "POST" ? { body: requestText } : {}),
      });
      const text = await upstream.text();
      if (!upstream.ok || request.method !== "POST") return reply(upstream.status, text);
      const body = JSON.parse(text) as Record<string, unknown>;
      if (shim.fault === "no-receipt") {
        delete body.receipt;
        return reply(200, JSON.stringify(body));
      }
      if (shim.fault === "none") {
        if (body.receipt !== undefined) shim.signed++;
        return reply(200, text);
      }
      const { auth, inputsF32 } = JSON.parse(requestText) as {
        auth: { caller: string; listingId: string; nonce: string };
        inputsF32: string;
      };
      const listingId = BigInt(auth.listingId);
      const output = Buffer.from(body.outputsF32 as string, "base64");
      const receipt: InferenceReceipt = {
        listingId,
        modelHash: (await options.modelHash(listingId)) as `0x${string}`,
        caller: auth.caller as `0x${string}`,
        nonce: BigInt(auth.nonce),
        inputHash: dataHash(Buffer.from(inputsF32, "base64")),
        outputHash: dataHash(Buffer.concat([output, Buffer.from("something else")])),
        servedAt: BigInt(Math.floor(Date.now() / 1000)),
      };
      const signature = await signReceipt(await options.servingKey(listingId), options.domain, receipt);
      body.receipt = receiptToWire(receipt, signature);
      shim.signed++;
      return reply(200, JSON.stringify(body));
    })().catch((error: unknown) => {
      response.writeHead(500, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: { code: "shim", message: (error as Error).message } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  shim.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  shim.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return shim;
}
