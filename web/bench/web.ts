// `npm run bench -w web`: the initial JavaScript bundle (gzip) and the time to first render of the proposal list with
// 1,000 proposals in Chromium. Builds the app, serves it with a GraphQL endpoint that answers 1,000 proposals and a
// minimal JSON-RPC endpoint for the chain clock, and times five fresh page loads. Writes benchmarks/web.md.
import { chromium } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, extname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { cpus, loadavg } from "node:os";

const WEB = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const DIST = join(WEB, "dist-bench");
const OUT = resolve(WEB, "..", "benchmarks", "web.md");
const PROPOSALS = 1000;
const RUNS = 5;
const NOW = 1_800_000_000;

function build(): void {
  const vite = join(dirname(fileURLToPath(import.meta.resolve("vite/package.json"))), "bin", "vite.js");
  execFileSync(process.execPath, [vite, "build", "--logLevel", "error", "--outDir", DIST, "--emptyOutDir"], {
    cwd: WEB,
    stdio: "inherit",
  });
}

/** The scripts the browser loads before the first page: the entry and its modulepreloads. */
function initialScripts(html: string): string[] {
  const srcs = [...html.matchAll(/<script type="module"[^>]*src="([^"]+)"/g)].map((m) => m[1]!);
  const preloads = [...html.matchAll(/<link rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => m[1]!);
  return [...new Set([...srcs, ...preloads])].map((p) => p.replace(/^\.\//, ""));
}

const gz = (file: string): number => gzipSync(readFileSync(join(DIST, file)), { level: 9 }).length;
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

function proposals(): unknown[] {
  const states = ["Pending", "Queued", "Executed", "Canceled"] as const;
  return Array.from({ length: PROPOSALS }, (_, i) => ({
    id: String(10n ** 70n + BigInt(i)),
    proposalId: String(10n ** 70n + BigInt(i)),
    proposer: { id: `0x${(i + 1).toString(16).padStart(40, "0")}` },
    description: `# Proposal ${i + 1}: set the protocol fee to ${(i % 10) + 1}%\n\nWhy it matters, in a few lines of text.`,
    status: states[i % 4],
    voteStart: String(NOW - 10_000 + i * 20),
    voteEnd: String(NOW - 5_000 + i * 20),
    quorum: "20000000000000000000000000",
    forVotes: String(BigInt(i) * 10n ** 22n),
    againstVotes: String(BigInt(i % 7) * 10n ** 22n),
    abstainVotes: "0",
    voteCount: i % 13,
    actionCount: 1,
    eta: i % 4 === 1 ? String(NOW + 3600) : null,
    createdAt: String(NOW - 20_000 + i),
  }));
}

async function body(request: IncomingMessage): Promise<string> {
  let text = "";
  for await (const chunk of request) text += chunk;
  return text;
}

async function serve(): Promise<{ url: string; close: () => void }> {
  const data = proposals();
  const types: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css" };
  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? "/", "http://x");
      if (url.pathname === "/graphql") {
        const { variables } = JSON.parse(await body(request)) as { variables: { after: string; first: number } };
        const page = data
          .filter((p) => (p as { id: string }).id > (variables.after ?? ""))
          .slice(0, variables.first ?? 1000);
        response
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ data: { proposals: page } }));
        return;
      }
      if (url.pathname === "/rpc") {
        const requests = JSON.parse(await body(request)) as
          { id: number; method: string }[] | { id: number; method: string };
        const answer = (r: { id: number; method: string }) => ({
          jsonrpc: "2.0",
          id: r.id,
          result:
            r.method === "eth_chainId"
              ? "0x7a69"
              : r.method === "eth_blockNumber"
                ? "0x64"
                : {
                    number: "0x64",
                    hash: `0x${"11".repeat(32)}`,
                    parentHash: `0x${"22".repeat(32)}`,
                    timestamp: `0x${NOW.toString(16)}`,
                    transactions: [],
                    gasLimit: "0x1c9c380",
                    gasUsed: "0x0",
                    baseFeePerGas: "0x1",
                    difficulty: "0x0",
                    logsBloom: `0x${"0".repeat(512)}`,
                  },
        });
        const result = Array.isArray(requests) ? requests.map(answer) : answer(requests);
        response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(result));
        return;
      }
      if (url.pathname === "/config.json") {
        const origin = `http://${request.headers.host}`;
        response
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ graphqlUrl: `${origin}/graphql`, rpcUrl: `${origin}/rpc`, chainId: 31337 }));
        return;
      }
      let file = join(DIST, url.pathname === "/" ? "index.html" : url.pathname);
      try {
        if (!statSync(file).isFile()) file = join(DIST, "index.html");
      } catch {
        file = join(DIST, "index.html");
      }
      response.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
      response.end(readFileSync(file));
    })();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() };
}

/** The times of the first renders, and the scripts the browser had loaded by then (paths under the app). */
async function renderTimes(url: string): Promise<{ times: number[]; loadedScripts: string[] }> {
  const browser = await chromium.launch({
    executablePath: process.env.CURIA_CHROMIUM ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync"],
  });
  const times: number[] = [];
  let loadedScripts: string[] = [];
  try {
    for (let run = 0; run < RUNS + 1; run++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      // Records when the list first shows all 1,000 proposals, counted from the start of navigation.
      await page.addInitScript(
        (expected) => {
          const w = window as unknown as { __rendered?: number };
          new MutationObserver((_, observer) => {
            const count = document.querySelector("[data-testid=proposal-count]");
            if (count?.textContent?.includes(expected) && document.querySelector("ol.list > li")) {
              w.__rendered = performance.now();
              observer.disconnect();
            }
          }).observe(document, { childList: true, subtree: true, characterData: true });
        },
        `${PROPOSALS.toLocaleString("en-US")} proposals`,
      );
      await page.goto(`${url}/#/governance`);
      await page.waitForFunction(() => (window as unknown as { __rendered?: number }).__rendered !== undefined, null, {
        timeout: 30_000,
      });
      const ms = await page.evaluate(() => (window as unknown as { __rendered: number }).__rendered);
      // The entry loads the app and the page with dynamic imports: what counts is every script loaded before the render.
      loadedScripts = await page.evaluate(
        (rendered) =>
          (performance.getEntriesByType("resource") as PerformanceResourceTiming[])
            .filter((e) => e.name.endsWith(".js") && e.responseEnd <= rendered)
            .map((e) => new URL(e.name).pathname.replace(/^\//, "")),
        ms,
      );
      // CURIA_BENCH_TRACE=1 prints the last run's requests (start → end, ms): where the time goes.
      if (process.env.CURIA_BENCH_TRACE && run === RUNS) {
        const entries = await page.evaluate(() =>
          performance
            .getEntriesByType("resource")
            .map(
              (e) =>
                `${e.name.replace(location.origin, "")} ${e.startTime.toFixed(0)} → ${(e as PerformanceResourceTiming).responseEnd.toFixed(0)}`,
            ),
        );
        entries.push(`rendered ${ms.toFixed(0)}`);
        console.log(entries.join("\n"));
      }
      // The first load warms the disk cache and the JIT: not counted.
      if (run > 0) times.push(ms);
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return { times, loadedScripts };
}

build();
const html = readFileSync(join(DIST, "index.html"), "utf8");
const initial = initialScripts(html);
const initialGzip = initial.reduce((sum, f) => sum + gz(f), 0);
const chunks = readdirSync(join(DIST, "assets")).filter((f) => f.endsWith(".js"));
const proposalsChunk = chunks.find((f) => f.startsWith("proposals-"));
const routeGzip = proposalsChunk ? gz(join("assets", proposalsChunk)) : 0;
const allGzip = chunks.reduce((sum, f) => sum + gz(join("assets", f)), 0);
const server = await serve();
let times: number[];
let loadedScripts: string[];
try {
  ({ times, loadedScripts } = await renderTimes(server.url));
} finally {
  server.close();
}
const loadedGzip = loadedScripts.reduce((sum, f) => sum + gz(f), 0);
const sorted = [...times].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)]!;

const lines = [
  "# Web app",
  "",
  "Written by `npm run bench -w web` (web/bench/web.ts): a production build, served locally with a GraphQL endpoint",
  `that answers ${PROPOSALS.toLocaleString("en-US")} proposals; Debian Chromium, headless, fresh context per run.`,
  "",
  "| measure | value |",
  "| --- | --- |",
  `| initial JavaScript (entry + modulepreloads, gzip -9) | ${kb(initialGzip)} |`,
  `| JavaScript loaded before the list's first render (entry, app, page; gzip -9) | ${kb(loadedGzip)} (target ≤ 200 KB) |`,
  `| + proposal list page chunk (gzip) | ${kb(routeGzip)} |`,
  `| all JavaScript chunks, every page (gzip) | ${kb(allGzip)} |`,
  `| first render of the proposal list, ${PROPOSALS.toLocaleString("en-US")} proposals, from navigation start (median of ${RUNS}) | ${median.toFixed(0)} ms |`,
  `| runs (ms) | ${times.map((t) => t.toFixed(0)).join(", ")} |`,
  "",
  `Initial files: ${initial.join(", ")}. Loaded before the first render: ${loadedScripts.length} scripts. The list renders the first 50 rows; filters and search work on all ${PROPOSALS}.`,
  `Machine: ${process.platform} ${process.arch}, ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)} (a shared machine: other work skews the times), Node ${process.version}, measured ${new Date().toISOString().slice(0, 16)}Z.`,
  "",
];
writeFileSync(OUT, lines.join("\n"));
console.log(lines.join("\n"));
execFileSync("rm", ["-rf", DIST]);
