// Which packages each workspace imports without declaring them. npm hoists every package to the root node_modules,
// so an undeclared import works in this repository and breaks wherever the workspace is installed on its own (a
// container, a published package, `npm install -w validator`). test/build/dependencies.test.ts runs this over the
// repository and fails on any finding.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";

/** One import of a package that the importing workspace's package.json does not declare where it should. */
export interface UndeclaredImport {
  /** The workspace's folder ("validator"), or "." for the root. */
  workspace: string;
  /** The file, relative to the repository root, with forward slashes. */
  file: string;
  /** The package name ("ethers", "@noble/hashes"), without any subpath. */
  pkg: string;
  /** What the import needs: "dependencies" (runtime code) or "dependencies or devDependencies" (tests, tools, types;
   * for a workspace, the root's devDependencies count too). */
  needs: "dependencies" | "dependencies or devDependencies";
}

interface PackageJson {
  name?: string;
  workspaces?: string[];
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const SOURCE_EXTENSIONS = [".ts", ".mts", ".cts", ".js", ".mjs", ".cjs", ".svelte"];
/** Build outputs and generated code: not the workspace's own sources. */
const SKIPPED_DIRS = new Set([
  "node_modules",
  "generated",
  "build",
  "dist",
  ".bundle",
  "scratch",
  ".cache",
  "test-results",
  "playwright-report",
  "artifacts",
  "cache",
  "types",
  "coverage",
  ".curia",
  ".stage",
]);
/**
 * Folders whose code runs when the workspace's program or library runs (a bin, a server, what another package
 * imports): what they import must be in `dependencies`. Anything else (tests, benchmarks, examples, build scripts) may
 * lean on devDependencies. The web app is bundled at build time: for it every import is a build-time one.
 */
const RUNTIME_DIRS = ["src", "bin"];
const BUNDLED_WORKSPACES = new Set(["web"]);
/** The root's own code (scripts, tests, deploy): its folders, so that a workspace's files are not counted twice. */
const ROOT_DIRS = ["scripts", "test", "deploy"];
const ROOT_FILES = ["hardhat.config.ts"];

/** The package an import specifier names, or undefined for a relative path, a Node built-in or a URL. */
export function packageOf(specifier: string): string | undefined {
  const bare = specifier.split("?")[0]!;
  if (bare === "" || bare.startsWith(".") || bare.startsWith("/") || /^[a-z]+:/.test(bare)) return undefined;
  const parts = bare.split("/");
  const name = bare.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
  if (builtinModules.includes(name)) return undefined;
  return name;
}

/**
 * Every module specifier in a source file, with whether it is type-only (erased at build: `import type`, `export
 * type`). Static imports and re-exports, side-effect imports, dynamic `import("…")` and `require("…")`.
 */
export function importsOf(source: string): { specifier: string; typeOnly: boolean }[] {
  // Comments out first: a commented-out import is no import (string contents keep their slashes: URLs survive).
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
  const found: { specifier: string; typeOnly: boolean }[] = [];
  const patterns: [RegExp, (m: RegExpExecArray) => boolean][] = [
    // import x from "y"; import { a, type b } from "y"; import type { a } from "y"; export { a } from "y"; export * from "y"
    [/\b(import|export)\s+(type\s+)?[\w*{}\s,$]*?\bfrom\s*["']([^"'\s]+)["']/g, (m) => m[2] !== undefined],
    // import "y" (side effects)
    [/\bimport\s*["']([^"'\s]+)["']/g, () => false],
    // import("y"), require("y")
    [/\b(?:import|require)\s*\(\s*["']([^"'\s]+)["']\s*\)/g, () => false],
  ];
  for (const [re, typeOnly] of patterns) {
    for (const m of code.matchAll(re)) {
      const specifier = m[m.length - 1]!;
      found.push({ specifier, typeOnly: typeOnly(m as RegExpExecArray) });
    }
  }
  return found;
}

function sourceFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const entry of entries) {
    if (SKIPPED_DIRS.has(entry)) continue;
    const path = join(dir, entry);
    const stat = statSync(path);
    // A folder with its own package.json is a package of its own (e.g. the Ponder app of the indexer's bench, installed
    // apart): {@link nestedPackages} audits it against its own manifest.
    if (stat.isDirectory() && existsSync(join(path, "package.json"))) continue;
    if (stat.isDirectory()) files.push(...sourceFiles(path));
    else if (SOURCE_EXTENSIONS.some((ext) => entry.endsWith(ext)) && !entry.endsWith(".d.ts")) files.push(path);
  }
  return files;
}

function readPackage(dir: string): PackageJson {
  return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as PackageJson;
}

/** The workspace folders listed in the root package.json. */
export function workspaceDirs(root: string): string[] {
  return readPackage(root).workspaces ?? [];
}

/** The folders below `dir` (not `dir` itself) that hold a package.json of their own: packages apart from it. */
function nestedPackages(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const entry of entries) {
    if (SKIPPED_DIRS.has(entry)) continue;
    const path = join(dir, entry);
    if (!statSync(path).isDirectory()) continue;
    if (existsSync(join(path, "package.json"))) found.push(path);
    found.push(...nestedPackages(path));
  }
  return found;
}

/** Every import of a package that its workspace does not declare where it should (see RUNTIME_DIRS). */
export function undeclaredImports(root: string): UndeclaredImport[] {
  const rootPackage = readPackage(root);
  const workspaces = workspaceDirs(root);
  const workspaceNames = new Set(workspaces.map((w) => readPackage(join(root, w)).name));
  const findings: UndeclaredImport[] = [];

  // A workspace's tests and benchmarks run from the root, against the contracts the root builds, with the root's test
  // toolchain (mocha, chai, Hardhat): the root's devDependencies count for them. Its runtime code counts on nothing
  // but its own dependencies.
  const rootDev = Object.keys(rootPackage.devDependencies ?? {});
  const audit = (workspace: string, pkgJson: PackageJson, files: string[], isRuntime: (file: string) => boolean) => {
    const runtime = new Set([
      ...Object.keys(pkgJson.dependencies ?? {}),
      ...Object.keys(pkgJson.peerDependencies ?? {}),
      ...Object.keys(pkgJson.optionalDependencies ?? {}),
    ]);
    const any = new Set([...runtime, ...Object.keys(pkgJson.devDependencies ?? {}), ...rootDev]);
    // A package may import itself by name.
    if (pkgJson.name !== undefined) runtime.add(pkgJson.name);
    if (pkgJson.name !== undefined) any.add(pkgJson.name);
    for (const file of files) {
      const rel = relative(root, file).split(sep).join("/");
      const runtimeFile = isRuntime(file);
      const seen = new Set<string>();
      for (const { specifier, typeOnly } of importsOf(readFileSync(file, "utf8"))) {
        const pkg = packageOf(specifier);
        if (pkg === undefined || seen.has(pkg)) continue;
        seen.add(pkg);
        const needsRuntime = runtimeFile && !typeOnly;
        if (needsRuntime ? runtime.has(pkg) : any.has(pkg)) continue;
        // The root's tools and tests may use the workspaces it links (npm links every workspace into node_modules).
        if (workspace === "." && workspaceNames.has(pkg)) continue;
        findings.push({
          workspace,
          file: rel,
          pkg,
          needs: needsRuntime ? "dependencies" : "dependencies or devDependencies",
        });
      }
    }
  };

  for (const workspace of workspaces) {
    const dir = join(root, workspace);
    const bundled = BUNDLED_WORKSPACES.has(workspace);
    audit(workspace, readPackage(dir), sourceFiles(dir), (file) => {
      if (bundled) return false;
      const top = relative(dir, file).split(sep)[0]!;
      return RUNTIME_DIRS.includes(top);
    });
  }
  // A package nested in a workspace (not a workspace itself) declares everything it imports, as its own install needs.
  for (const workspace of workspaces) {
    for (const nested of nestedPackages(join(root, workspace))) {
      audit(relative(root, nested).split(sep).join("/"), readPackage(nested), sourceFiles(nested), () => true);
    }
  }
  const rootFiles = [
    ...ROOT_DIRS.flatMap((d) => sourceFiles(join(root, d))),
    ...ROOT_FILES.map((f) => join(root, f)).filter((f) => existsSync(f)),
  ];
  // The root is no package anyone installs: its scripts, tests and deploy code are all development tools.
  audit(".", rootPackage, rootFiles, () => false);
  return findings;
}

/** The file a relative import names: TypeScript sources are imported as `.js`, a folder by its index. */
function resolveRelative(fromDir: string, specifier: string): string | undefined {
  const path = resolve(fromDir, specifier.split("?")[0]!);
  const candidates = [
    path,
    path.replace(/\.js$/, ".ts"),
    path.replace(/\.mjs$/, ".mts"),
    `${path}.ts`,
    join(path, "index.ts"),
  ];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

/**
 * Every source file of this repository that the entry files load, following relative imports and imports of the
 * workspaces by name (through their package.json `exports`), static or dynamic. What a program can run, no more: the
 * container test judges by it whether a program reads an environment variable.
 */
export function reachableFiles(root: string, entries: string[]): string[] {
  const exportsOf = new Map<string, { dir: string; exports: Record<string, string> }>();
  for (const workspace of workspaceDirs(root)) {
    const pkg = JSON.parse(readFileSync(join(root, workspace, "package.json"), "utf8")) as {
      name: string;
      exports?: Record<string, string> | string;
    };
    const exports = typeof pkg.exports === "string" ? { ".": pkg.exports } : (pkg.exports ?? {});
    exportsOf.set(pkg.name, { dir: join(root, workspace), exports });
  }
  const seen = new Set<string>();
  const queue = entries.filter((e) => existsSync(e));
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const { specifier } of importsOf(readFileSync(file, "utf8"))) {
      let target: string | undefined;
      if (specifier.startsWith(".")) target = resolveRelative(dirname(file), specifier);
      else {
        const pkg = packageOf(specifier);
        const workspace = pkg === undefined ? undefined : exportsOf.get(pkg);
        if (workspace !== undefined) {
          const subpath = `.${specifier.slice(pkg!.length)}`;
          const exported = workspace.exports[subpath === "." ? "." : subpath];
          if (exported !== undefined) target = resolveRelative(workspace.dir, exported);
        }
      }
      if (target !== undefined && !seen.has(target)) queue.push(target);
    }
  }
  return [...seen];
}
