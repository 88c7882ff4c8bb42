// Every command a workspace installs (package.json "bin") answers --help before anything is built: a fresh clone has no
// artifacts, no typed bindings and no generated protocol files, and `--help` is the first thing one types.
//
// How a missing build is simulated: each workspace's bin/, src/ and package.json are copied into a temporary folder
// whose node_modules links every package of the repository's except this repository's own workspaces (@curia/*), so
// the protocol package, whose generated ABIs are the build, cannot load at all. A control run of a real command in the
// same copy shows the build is indeed out of reach there.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { workspaceDirs } from "../../scripts/lib/dependency-audit.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

interface Bin {
  workspace: string;
  name: string;
  path: string;
}

function bins(): Bin[] {
  return workspaceDirs(ROOT).flatMap((workspace) => {
    const pkg = JSON.parse(readFileSync(join(ROOT, workspace, "package.json"), "utf8")) as {
      bin?: Record<string, string>;
    };
    return Object.entries(pkg.bin ?? {}).map(([name, path]) => ({ workspace, name, path }));
  });
}

/** A copy of the workspace with no build to reach: see the top of this file. */
function unbuiltCopy(scratch: string, workspace: string): string {
  const modules = join(scratch, "node_modules");
  if (!existsSync(modules)) {
    mkdirSync(modules);
    for (const entry of readdirSync(join(ROOT, "node_modules"))) {
      if (entry === "@curia" || entry === ".bin") continue;
      symlinkSync(join(ROOT, "node_modules", entry), join(modules, entry));
    }
  }
  const dir = join(scratch, workspace);
  for (const part of ["bin", "src", "package.json"]) {
    if (!existsSync(join(ROOT, workspace, part))) continue;
    cpSync(join(ROOT, workspace, part), join(dir, part), {
      recursive: true,
      // Generated code is build output: the copy has none.
      filter: (source) => !/[\\/](generated|\.bundle|\.cache)([\\/]|$)/.test(source),
    });
  }
  return dir;
}

function runBin(dir: string, bin: Bin, args: string[]) {
  return spawnSync(process.execPath, [join(dir, bin.path), ...args], {
    cwd: dir,
    encoding: "utf8",
    timeout: 120_000,
    env: { ...process.env, NO_COLOR: "1" },
  });
}

describe("Every bin answers --help before a build", function () {
  let scratch: string;
  before(function () {
    scratch = mkdtempSync(join(tmpdir(), "curia-help-"));
  });
  after(function () {
    rmSync(scratch, { recursive: true, force: true });
  });

  it("finds the bins of the validator, the provider, the indexer and the curia command", function () {
    expect(bins().map((b) => b.name)).to.include.members([
      "curia-validator",
      "curia-provider",
      "curia-indexer",
      "curia",
    ]);
  });

  for (const bin of bins()) {
    it(`${bin.name} --help prints its usage and exits 0 with no build and no @curia/* package`, function () {
      const result = runBin(unbuiltCopy(scratch, bin.workspace), bin, ["--help"]);
      expect(result.status, `${bin.name} --help: ${result.stderr}`).to.equal(0);
      expect(result.stdout).to.match(new RegExp(`Usage: ${bin.name}\\b`));
      expect(result.stdout).to.include("--rpc-url");
    });
  }

  it("control: in such a copy the validator's, the provider's and curia's real commands cannot load (the build is missing)", function () {
    for (const [name, args] of [
      ["curia-validator", ["status"]],
      ["curia-provider", ["--listing", "1"]],
      ["curia", ["consumer", "balance"]],
    ] as const) {
      const bin = bins().find((b) => b.name === name)!;
      const result = runBin(unbuiltCopy(scratch, bin.workspace), bin, [...args]);
      expect(result.status, name).to.not.equal(0);
      expect(result.stderr, name).to.match(/Cannot find (package|module) '@curia\//);
    }
  });
});
