// HTTP front of the query API at /subgraphs/name/<name>, as graph-node serves it: POST (or GET) JSON GraphQL
// requests, a self-contained query page for browsers (no CDN: works offline), the API schema, and CORS for web apps.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { printSchema } from "graphql";
import type { QueryExecutor } from "./graphql/executor.js";
import { QUERY_PAGE } from "./query-page.js";
import type { QueryMetrics, Route } from "./status.js";

export interface ServerOptions {
  executor: QueryExecutor;
  subgraphName?: string;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes?: number;
  /** Counts and times the GraphQL requests answered. */
  metrics?: QueryMetrics;
  /** Other paths served on the same port (the status and metrics endpoints). */
  routes?: ReadonlyMap<string, Route>;
}

// Response headers as flat [name, value, …] lists, built once: every response sends one of them.
const CORS = [
  "access-control-allow-origin",
  "*",
  "access-control-allow-headers",
  "content-type",
  "access-control-allow-methods",
  "GET, POST, OPTIONS",
];
const JSON_HEADERS = ["content-type", "application/json; charset=utf-8", ...CORS];
const TEXT_HEADERS = ["content-type", "text/plain; charset=utf-8", ...CORS];
const HTML_HEADERS = ["content-type", "text/html; charset=utf-8", ...CORS];

function send(response: ServerResponse, status: number, body: string, headers: string[]): void {
  // With its length given, a body goes out as it is: headers written before `end` otherwise make Node frame it in
  // chunks. (A 204 has neither body nor length.)
  response.writeHead(
    status,
    status === 204 ? headers : [...headers, "content-length", String(Buffer.byteLength(body))],
  );
  response.end(body);
}

function sendError(response: ServerResponse, status: number, message: string): void {
  send(response, status, JSON.stringify({ errors: [{ message }] }), JSON_HEADERS);
}

/** Collects a request body (up to `limit` bytes) and hands it over as text, or answers 413 past the limit. */
function readBody(
  request: IncomingMessage,
  response: ServerResponse,
  limit: number,
  then: (text: string) => void,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  request.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) {
      if (!response.headersSent) sendError(response, 413, `request body over ${limit} bytes`);
      request.destroy();
      return;
    }
    chunks.push(chunk);
  });
  request.on("end", () => {
    if (size > limit) return;
    then((chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString("utf8"));
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
      sendError(response, 400, "The request must be JSON with a `query` string");
      return;
    }
    const variables =
      request.variables === undefined || request.variables === null
        ? null
        : (request.variables as Record<string, unknown>);
    if (variables !== null && (typeof variables !== "object" || Array.isArray(variables))) {
      sendError(response, 400, "`variables` must be an object");
      return;
    }
    const started = performance.now();
    const json = options.executor.runJson({
      query: request.query,
      variables,
      operationName: typeof request.operationName === "string" ? request.operationName : null,
    });
    options.metrics?.observe((performance.now() - started) / 1000);
    send(response, 200, json, JSON_HEADERS);
  };

  // A request's failure is answered and ends there: the server stays up whatever a request does.
  const guarded = (response: ServerResponse, handle: () => void) => {
    try {
      handle();
    } catch (error) {
      if (!response.headersSent) sendError(response, 500, (error as Error).message);
      else response.end();
    }
  };

  return createServer((request, response) => {
    guarded(response, () => {
      // The path without `new URL` (a measurable share of a small query's time); the query string only for GET.
      const target = request.url ?? "/";
      const queryStart = target.indexOf("?");
      const pathname = queryStart < 0 ? target : target.slice(0, queryStart);
      if (request.method === "OPTIONS") return send(response, 204, "", CORS);
      if (pathname === "/" || pathname === "/health") {
        return send(response, 200, JSON.stringify({ status: "ok", graphql: path }), JSON_HEADERS);
      }
      if (pathname === `${path}/schema.graphql`) return send(response, 200, schemaText, TEXT_HEADERS);
      const route = options.routes?.get(pathname);
      if (route !== undefined) return route(request, response);
      if (pathname !== path && pathname !== `${path}/graphql`) {
        return sendError(response, 404, `No subgraph at ${pathname}; try ${path}`);
      }
      if (request.method === "GET") {
        const params = new URLSearchParams(queryStart < 0 ? "" : target.slice(queryStart + 1));
        const query = params.get("query");
        if (query === null) return send(response, 200, page, HTML_HEADERS);
        const variablesText = params.get("variables");
        let variables: unknown = null;
        if (variablesText !== null) {
          try {
            variables = JSON.parse(variablesText);
          } catch {
            return sendError(response, 400, "`variables` is not valid JSON");
          }
        }
        return answer(response, { query, variables, operationName: params.get("operationName") });
      }
      if (request.method !== "POST") return sendError(response, 405, "Use GET or POST");
      readBody(request, response, limit, (text) =>
        guarded(response, () => {
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            return sendError(response, 400, "The request body is not valid JSON");
          }
          answer(response, body);
        }),
      );
    });
  });
}
