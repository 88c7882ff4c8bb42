// The provider middleware for node:http: a request listener (or a piece of one) that serves signed, paid inference
// requests with receipts (core.ts does the work).
//
//   createServer(curiaNodeHttp(core, infer)).listen(8600)
import type { IncomingMessage, ServerResponse } from "node:http";
import { HttpError, MAX_BODY_BYTES, type CoreResponse, type InferFunction, type ProviderCore } from "./core.js";

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, "body_too_large", `request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch (error) {
    throw new HttpError(400, "bad_json", `the body is not JSON: ${(error as Error).message}`);
  }
}

function send(response: ServerResponse, { status, body }: CoreResponse): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

/**
 * A node:http request listener: `GET /health` (and `/`) answers the health check, `POST` (any path) an inference
 * request; anything else 405.
 */
export function curiaNodeHttp(
  core: ProviderCore,
  infer: InferFunction,
): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  return async (request, response) => {
    if (request.method === "GET" && (request.url === "/health" || request.url === "/")) {
      return send(response, core.health());
    }
    if (request.method !== "POST") {
      return send(response, core.errorResponse(new HttpError(405, "method_not_allowed", "POST an inference request")));
    }
    let body: unknown;
    try {
      body = await readJson(request);
    } catch (error) {
      return send(response, core.errorResponse(error));
    }
    send(response, await core.serve(body, infer));
  };
}
