#!/usr/bin/env node
// Entry point of `curia-indexer`: needs Node 22.5+ (node:sqlite). The TypeScript sources run as one bundle that
// esbuild builds at start (~30 ms) rather than module by module through tsx, whose transform wraps every function in a
// name-keeping helper: a closure made per row or per value then cost ~10 % of query throughput.
import { randomUUID } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 5)) {
  console.error(
    `curia-indexer needs Node.js 22.5 or later (node:sqlite); this is ${process.version}. Run it through npm (npm run indexer), which uses the project's Node 22.`,
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
