// The publishable build of @curia/protocol: JavaScript and .d.ts in protocol/dist, for consumers outside this
// repository (plain Node, any bundler). Inside the repository nothing uses it: every program reads the TypeScript
// sources as they are (tsx, Vite, esbuild), through the `exports` of protocol/package.json.
//
//   tsx scripts/build.ts                 dist/ only (npm run build -w protocol)
//   tsx scripts/build.ts --pack          dist/, then the published manifest in place of package.json (npm's prepack)
//   tsx scripts/build.ts --restore       package.json back as committed (npm's postpack)
//
// Why a manifest swap: the published package must point `exports` at dist/*.js, the repository's at src/*.ts, and npm
// has no per-publication `exports`. `npm pack -w protocol` / `npm publish -w protocol` run prepack and postpack
// around the tarball, so the committed package.json is only replaced while npm packs (a copy waits in
// .package.repo.json; --restore, or the next --pack, puts it back if a pack was interrupted).
//
// The typed ethers bindings that `@curia/protocol/ethers` re-exports are written by `hardhat build` outside this
// package (types/ethers-contracts): the build copies them in as dist/ethers/typechain/. It needs `npm run build`
// first (the contracts and src/generated); it says so when they are missing.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const PROTOCOL = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const REPO = resolve(PROTOCOL, "..");
const BACKUP = join(PROTOCOL, ".package.repo.json");

interface Manifest {
  exports: Record<string, string | Record<string, string>>;
  [key: string]: unknown;
}

/** dist/<path>.js for a source export ("./src/ethers/index.ts" → "./dist/ethers/index.js"). */
export function distOf(sourcePath: string): { js: string; dts: string } {
  const base = sourcePath.replace(/^\.\/src\//, "./dist/").replace(/\.ts$/, "");
  return { js: `${base}.js`, dts: `${base}.d.ts` };
}

/** The manifest npm publishes: the committed one with `exports`, `main` and `types` on dist/. */
export function publishedManifest(committed: Manifest): Manifest {
  const exports: Record<string, Record<string, string>> = {};
  for (const [subpath, target] of Object.entries(committed.exports)) {
    if (typeof target !== "string") throw new Error(`protocol/package.json: exports["${subpath}"] must be a path`);
    const { js, dts } = distOf(target);
    exports[subpath] = { types: dts, default: js };
  }
  const root = exports["."];
  if (root === undefined) throw new Error('protocol/package.json: exports["."] is missing');
  const { devDependencies: _dev, ...rest } = committed;
  return { ...rest, main: root.default!, types: root.types!, exports };
}

/** Compiles src/ (with the generated files and the typed bindings) into outDir. */
export function buildDist(outDir = join(PROTOCOL, "dist")): void {
  const missing = [
    join(PROTOCOL, "src", "generated", "abis.ts"),
    join(REPO, "types", "ethers-contracts", "index.ts"),
  ].filter((f) => !existsSync(f));
  if (missing.length > 0) {
    throw new Error(`missing ${missing.join(", ")}: run \`npm run build\` at the repository root first`);
  }
  // A staged copy: the sources, with the bindings moved inside the package and contracts.ts pointed at them.
  const stage = join(PROTOCOL, ".stage");
  rmSync(stage, { recursive: true, force: true });
  cpSync(join(PROTOCOL, "src"), join(stage, "src"), { recursive: true });
  cpSync(join(REPO, "types", "ethers-contracts"), join(stage, "src", "ethers", "typechain"), {
    recursive: true,
    // Hardhat's type augmentation is for projects that run Hardhat, not for this package's consumers.
    filter: (source) => !source.endsWith("hardhat.d.ts"),
  });
  const contracts = join(stage, "src", "ethers", "contracts.ts");
  const text = readFileSync(contracts, "utf8");
  const pointed = text.replace(`"../../../types/ethers-contracts/index.js"`, `"./typechain/index.js"`);
  if (pointed === text) throw new Error(`${contracts}: the re-export of types/ethers-contracts was not found`);
  writeFileSync(contracts, pointed);
  writeFileSync(
    join(stage, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        lib: ["es2023", "dom"],
        module: "node20",
        target: "es2023",
        strict: true,
        skipLibCheck: true,
        resolveJsonModule: true,
        declaration: true,
        sourceMap: false,
        rootDir: "src",
        outDir: resolve(outDir),
        types: ["node"],
      },
      include: ["src"],
    }),
  );
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  rmSync(outDir, { recursive: true, force: true });
  const result = spawnSync(process.execPath, [tsc, "-p", stage], { stdio: "inherit" });
  rmSync(stage, { recursive: true, force: true });
  if (result.status !== 0) throw new Error(`tsc failed (exit ${result.status ?? result.signal})`);
}

function restore(): void {
  if (existsSync(BACKUP)) renameSync(BACKUP, join(PROTOCOL, "package.json"));
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const mode = process.argv[2];
  try {
    if (mode === "--restore") {
      restore();
    } else {
      // An interrupted pack left the published manifest in place: the committed one comes back first.
      restore();
      buildDist();
      if (mode === "--pack") {
        const path = join(PROTOCOL, "package.json");
        const committed = readFileSync(path, "utf8");
        writeFileSync(BACKUP, committed);
        writeFileSync(path, JSON.stringify(publishedManifest(JSON.parse(committed) as Manifest), null, 2) + "\n");
      } else if (mode !== undefined) {
        throw new Error(`unknown option ${mode} (--pack, --restore)`);
      }
    }
  } catch (error) {
    console.error(`[protocol build] ${(error as Error).message}`);
    process.exit(1);
  }
}
