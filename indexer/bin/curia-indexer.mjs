#!/usr/bin/env node
// Entry point of `curia-indexer`. The TypeScript sources run as one bundle that esbuild builds at start (~30 ms) rather
// than module by module through tsx, whose transform wraps every function in a name-keeping helper: a closure made per
// row or per value then cost ~10 % of query throughput. `--help` needs no build of the repository: the bundle is of
// indexer/src only, which reads the subgraph build and the deployment record when it runs, not when it loads.
import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

// The Node floor is this package's engines.node: 22.16, for node:sqlite without a flag (22.13; 22.5 had it only
// behind --experimental-sqlite) and StatementSync.setReturnArrays (22.16), which the store's reads use. See "Node
// version" in the root README. `npm run indexer` runs the project's own Node 22 from node_modules/.bin.
const floor = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).engines.node;
const need = floor.replace(/^>=/, "").split(".").map(Number);
const have = process.versions.node.split(".").map(Number);
const differs = need.findIndex((n, i) => have[i] !== n);
if (differs !== -1 && have[differs] < need[differs]) {
  console.error(
    `curia-indexer needs Node.js ${need.join(".")} or later (node:sqlite); this is ${process.version}. Run it through npm (npm run indexer), which uses the project's Node 22.`,
  );
  process.exit(1);
}
// node:sqlite still prints an experimental warning on Node 22; it is expected, not actionable.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning, ...rest) =>
  String(warning).includes("SQLite is an experimental feature") ? undefined : emitWarning(warning, ...rest);

// graphql-js checks every `instanceof` of its type predicates for a second copy of itself unless NODE_ENV is
// "production": a check that runs for each field of each row, ~30 % of a query's time. A server runs as production
// unless told otherwise.
process.env.NODE_ENV ??= "production";

const indexerDir = dirname(dirname(fileURLToPath(import.meta.url)));
// Next to src/ (the same depth, so that paths the sources derive from their own location hold), one file per process
// (several indexers may start at once), removed once loaded.
const bundleDir = join(indexerDir, ".bundle");
const outfile = join(bundleDir, `cli-${process.pid}-${randomUUID().slice(0, 8)}.mjs`);
const { build } = await import("esbuild");
mkdirSync(bundleDir, { recursive: true });
await build({
  entryPoints: [join(indexerDir, "src", "cli.ts")],
  outfile,
  bundle: true,
  platform: "node",
  format: "esm",
  target: `node${process.versions.node}`,
  // Packages stay external (Node loads them from node_modules), except this repository's own workspaces
  // (@curia/protocol …): they are TypeScript sources, bundled like src/.
  plugins: [
    {
      name: "external-packages-but-workspaces",
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) =>
          args.path.startsWith("@curia/") ? undefined : { path: args.path, external: true },
        );
      },
    },
  ],
  sourcemap: "inline",
  logLevel: "error",
});
// Errors point at the TypeScript sources.
process.setSourceMapsEnabled(true);
try {
  await import(pathToFileURL(outfile).href);
} finally {
  rmSync(outfile, { force: true });
}
