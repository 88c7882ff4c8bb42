// A tiny static server for the built app (web/dist): what `npm start` and the end-to-end tests run. Serves
// `/config.json` from the file given (so each running stack has its own without touching dist/), files with
// long-lived caching for hashed assets, and index.html for anything else.
//
//   node web/scripts/serve.mjs --dir web/dist --config /tmp/run/web-config.json --port 5173 [--host 127.0.0.1]
//                              [--samples /tmp/run/task-samples.json]   (served as /task-samples.json)
import { createReadStream, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    dir: { type: "string" },
    config: { type: "string" },
    samples: { type: "string" },
    port: { type: "string", default: "5173" },
    host: { type: "string", default: "127.0.0.1" },
  },
});
if (!values.dir) throw new Error("serve.mjs: --dir is required");
const root = resolve(values.dir);
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".woff2": "font/woff2",
};

function fileFor(pathname) {
  const path = normalize(join(root, decodeURIComponent(pathname)));
  if (path !== root && !path.startsWith(root + sep)) return undefined;
  try {
    return statSync(path).isFile() ? path : undefined;
  } catch {
    return undefined;
  }
}

const server = createServer((request, response) => {
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.writeHead(405, { allow: "GET, HEAD" }).end();
    return;
  }
  const { pathname } = new URL(request.url ?? "/", "http://localhost");
  if (pathname === "/config.json" && values.config) {
    const body = readFileSync(values.config);
    response.writeHead(200, { "content-type": TYPES[".json"], "cache-control": "no-store" }).end(body);
    return;
  }
  if (pathname === "/task-samples.json" && values.samples) {
    const body = readFileSync(values.samples);
    response.writeHead(200, { "content-type": TYPES[".json"], "cache-control": "no-store" }).end(body);
    return;
  }
  const file = fileFor(pathname) ?? join(root, "index.html");
  const hashed = pathname.startsWith("/assets/");
  response.writeHead(200, {
    "content-type": TYPES[extname(file)] ?? "application/octet-stream",
    "cache-control": hashed ? "public, max-age=31536000, immutable" : "no-cache",
    "x-content-type-options": "nosniff",
  });
  if (request.method === "HEAD") response.end();
  else createReadStream(file).pipe(response);
});

server.listen(Number(values.port), values.host, () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : values.port;
  console.log(`[web] serving ${root} at http://${values.host}:${port}/`);
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));
