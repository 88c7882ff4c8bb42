// Every workspace declares what it imports (npm hoists all packages to the root, so an undeclared one works here and
// breaks in a container or a published package), at the version the lockfile installs, and every package.json states
// the same Node floor. The audit is scripts/lib/dependency-audit.ts.
import { expect } from "chai";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { importsOf, packageOf, undeclaredImports, workspaceDirs } from "../../scripts/lib/dependency-audit.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

interface Manifest {
  name: string;
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}
const manifest = (dir: string) => JSON.parse(readFileSync(join(ROOT, dir, "package.json"), "utf8")) as Manifest;

describe("Dependencies", function () {
  it("reads every kind of import, and names the package behind a subpath", function () {
    const source = [
      `import { a, type B } from "ethers";`,
      `import type { C } from "@types-only/pkg";`,
      `export * from "@noble/hashes/sha3.js";`,
      `import "side-effect";`,
      `const e = await import("esbuild");`,
      `const s = require("node:sqlite");`,
      `// import { gone } from "commented-out";`,
      `import { local } from "./local.js";`,
    ].join("\n");
    expect(importsOf(source)).to.deep.include.members([
      { specifier: "ethers", typeOnly: false },
      { specifier: "@types-only/pkg", typeOnly: true },
      { specifier: "@noble/hashes/sha3.js", typeOnly: false },
      { specifier: "side-effect", typeOnly: false },
      { specifier: "esbuild", typeOnly: false },
      { specifier: "node:sqlite", typeOnly: false },
    ]);
    expect(importsOf(source).map((i) => i.specifier)).to.not.include("commented-out");
    expect(packageOf("@noble/hashes/sha3.js")).to.equal("@noble/hashes");
    expect(packageOf("tsx/esm/api")).to.equal("tsx");
    expect(packageOf("node:fs")).to.equal(undefined);
    expect(packageOf("fs")).to.equal(undefined);
    expect(packageOf("./x.js")).to.equal(undefined);
  });

  it("finds a workspace's runtime import that only the root declares, and lets its tests use the root's tools", function () {
    const fixture = mkdtempSync(join(tmpdir(), "curia-deps-"));
    try {
      const write = (path: string, text: string) => {
        mkdirSync(dirname(join(fixture, path)), { recursive: true });
        writeFileSync(join(fixture, path), text);
      };
      write("package.json", JSON.stringify({ workspaces: ["svc"], devDependencies: { chai: "5.3.3", tsx: "4" } }));
      write("svc/package.json", JSON.stringify({ name: "svc", dependencies: { graphql: "16" } }));
      write("svc/src/main.ts", `import { parse } from "graphql";\nimport { z } from "undeclared-lib";\n`);
      write("svc/bin/svc.mjs", `const { register } = await import("tsx/esm/api");\n`);
      write("svc/test/main.test.ts", `import { expect } from "chai";\nimport { parse } from "graphql";\n`);
      write("scripts/tool.ts", `import { expect } from "chai";\nimport { y } from "root-undeclared";\n`);
      expect(undeclaredImports(fixture)).to.deep.equal([
        { workspace: "svc", file: "svc/bin/svc.mjs", pkg: "tsx", needs: "dependencies" },
        { workspace: "svc", file: "svc/src/main.ts", pkg: "undeclared-lib", needs: "dependencies" },
        { workspace: ".", file: "scripts/tool.ts", pkg: "root-undeclared", needs: "dependencies or devDependencies" },
      ]);
    } finally {
      rmSync(fixture, { recursive: true, force: true });
    }
  });

  it("every workspace declares each package its code imports (runtime code: in dependencies)", function () {
    expect(
      undeclaredImports(ROOT).map((f) => `${f.file} imports ${f.pkg}: not in ${f.workspace}'s ${f.needs}`),
    ).to.deep.equal([]);
  });

  it("every declared version is the one package-lock.json installs", function () {
    const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as {
      packages: Record<string, { version?: string; link?: boolean; resolved?: string }>;
    };
    const wrong: string[] = [];
    for (const dir of [".", ...workspaceDirs(ROOT)]) {
      const m = manifest(dir);
      for (const [name, version] of Object.entries({
        ...m.dependencies,
        ...m.devDependencies,
        ...m.optionalDependencies,
      })) {
        let entry = lock.packages[`${dir}/node_modules/${name}`] ?? lock.packages[`node_modules/${name}`];
        // A workspace is linked: its version is the one in its own folder's package.json.
        if (entry?.link === true && entry.resolved !== undefined) entry = lock.packages[entry.resolved];
        if (entry?.version !== version) {
          wrong.push(`${dir}: ${name} declared ${version}, lockfile ${entry?.version ?? "none"}`);
        }
      }
    }
    expect(wrong).to.deep.equal([]);
  });

  it("every package.json states the root's Node floor", function () {
    const floor = manifest(".").engines?.node;
    expect(floor).to.match(/^>=\d+\.\d+\.\d+$/);
    for (const dir of workspaceDirs(ROOT)) expect(manifest(dir).engines?.node, dir).to.equal(floor);
  });
});
