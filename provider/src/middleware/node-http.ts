// The provider middleware for node:http: a request listener (or a piece of one) that serves signed, paid inference
// requests with receipts (core.ts does the work).
//
//   createServer(curiaNodeHttp(core, infer)).listen(8600)
//
// Browsers may call it from any origin (CORS): a consumer's web app (the Curia app's "Try this model") sends the
// signed request from its own page. That opens nothing: a request is served only for the caller whose signature it
// carries and who paid on-chain; no cookie or other ambient credential is ever read.
import type { IncomingMessage, ServerResponse } from "node:http";
import { HttpError, MAX_BODY_BYTES, type CoreResponse, type InferFunction, type ProviderCore } from "./core.js";

export interface NodeHttpOptions {
  /**
   * The Access-Control-Allow-Origin of every answer: "*" (the default) lets any web page call the provider, an origin
   * ("https://app.example") only that one, false sends no CORS headers (browsers then refuse cross-origin calls).
   */
  allowOrigin?: string | false;
}

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

/** The CORS headers of every answer ({} when CORS is off). */
function corsHeaders(allowOrigin: string | false): Record<string, string> {
  if (allowOrigin === false) return {};
  return {
    "access-control-allow-origin": allowOrigin,
    // One origin named: caches must keep answers to other origins apart.
    ...(allowOrigin === "*" ? {} : { vary: "origin" }),
  };
}

/**
 * A node:http request listener: `GET /health` (and `/`) answers the health check, `POST` (any path) an inference
 * request, `OPTIONS` a browser's CORS preflight; anything else 405.
 */
export function curiaNodeHttp(
  core: ProviderCore,
  infer: InferFunction,
  options: NodeHttpOptions = {},
): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  const cors = corsHeaders(options.allowOrigin ?? "*");
  const send = (response: ServerResponse, { status, body }: CoreResponse): void => {
    response.writeHead(status, { "content-type": "application/json", ...cors });
    response.end(JSON.stringify(body));
  };
  return async (request, response) => {
    if (request.method === "OPTIONS" && options.allowOrigin !== false) {
      // The preflight of a JSON POST: what the page may send (JSON), for how long the answer holds (10 min).
      response.writeHead(204, {
        ...cors,
        "access-control-allow-methods": "GET, POST, OPTIONS",
        "access-control-allow-headers": "content-type",
        "access-control-max-age": "600",
      });
      response.end();
      return;
    }
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
