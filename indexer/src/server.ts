// HTTP front of the query API at /subgraphs/name/<name>, as graph-node serves it: POST (or GET) JSON GraphQL
// requests, a self-contained query page for browsers (no CDN: works offline), the API schema, and CORS for web apps.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { printSchema } from "graphql";
import type { QueryExecutor } from "./graphql/executor.js";
import { QUERY_PAGE } from "./query-page.js";

export interface ServerOptions {
  executor: QueryExecutor;
  subgraphName?: string;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes?: number;
}

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8" };

function send(response: ServerResponse, status: number, body: string, headers: Record<string, string>): void {
  response.writeHead(status, {
    ...headers,
    "access-control-allow-origin": "*",
    "access-control-allow-headers": "content-type",
    "access-control-allow-methods": "GET, POST, OPTIONS",
  });
  response.end(body);
}

function readBody(request: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error(`request body over ${limit} bytes`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

export function createQueryServer(options: ServerOptions): Server {
  const name = options.subgraphName ?? "curia";
  const path = `/subgraphs/name/${name}`;
  const limit = options.maxBodyBytes ?? 1024 * 1024;
  const schemaText = printSchema(options.executor.schema);
  const page = QUERY_PAGE.replace(/__ENDPOINT__/g, path).replace(/__NAME__/g, name);

  const answer = (response: ServerResponse, body: unknown) => {
    const request = body as { query?: unknown; variables?: unknown; operationName?: unknown } | null;
    if (request === null || typeof request !== "object" || typeof request.query !== "string") {
      send(
        response,
        400,
        JSON.stringify({ errors: [{ message: "The request must be JSON with a `query` string" }] }),
        JSON_HEADERS,
      );
      return;
    }
    const variables =
      request.variables === undefined || request.variables === null
        ? null
        : (request.variables as Record<string, unknown>);
    if (variables !== null && (typeof variables !== "object" || Array.isArray(variables))) {
      send(response, 400, JSON.stringify({ errors: [{ message: "`variables` must be an object" }] }), JSON_HEADERS);
      return;
    }
    const json = options.executor.runJson({
      query: request.query,
      variables,
      operationName: typeof request.operationName === "string" ? request.operationName : null,
    });
    send(response, 200, json, JSON_HEADERS);
  };

  return createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    void (async () => {
      try {
        if (request.method === "OPTIONS") return send(response, 204, "", {});
        if (url.pathname === "/" || url.pathname === "/health") {
          return send(response, 200, JSON.stringify({ status: "ok", graphql: path }), JSON_HEADERS);
        }
        if (url.pathname === `${path}/schema.graphql`) {
          return send(response, 200, schemaText, { "content-type": "text/plain; charset=utf-8" });
        }
        if (url.pathname !== path && url.pathname !== `${path}/graphql`) {
          return send(
            response,
            404,
            JSON.stringify({ errors: [{ message: `No subgraph at ${url.pathname}; try ${path}` }] }),
            JSON_HEADERS,
          );
        }
        if (request.method === "GET") {
          const query = url.searchParams.get("query");
          if (query === null) return send(response, 200, page, { "content-type": "text/html; charset=utf-8" });
          const variables = url.searchParams.get("variables");
          return answer(response, {
            query,
            variables: variables === null ? null : JSON.parse(variables),
            operationName: url.searchParams.get("operationName"),
          });
        }
        if (request.method !== "POST") {
          return send(response, 405, JSON.stringify({ errors: [{ message: "Use GET or POST" }] }), JSON_HEADERS);
        }
        const text = await readBody(request, limit);
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          return send(
            response,
            400,
            JSON.stringify({ errors: [{ message: "The request body is not valid JSON" }] }),
            JSON_HEADERS,
          );
        }
        answer(response, body);
      } catch (error) {
        // The server stays up whatever a request does.
        if (!response.headersSent) {
          send(response, 500, JSON.stringify({ errors: [{ message: (error as Error).message }] }), JSON_HEADERS);
        } else response.end();
      }
    })();
  });
}
