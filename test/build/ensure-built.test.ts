// Every benchmark builds what it needs first (scripts/lib/ensure-built.ts), and that helper rebuilds exactly when an
// output is missing or an input changed: on a fresh clone `npm run bench:indexer` used to stop at "Artifact for
// contract CuriaTimelock not found".
import { expect } from "chai";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { workspaceDirs } from "../../scripts/lib/dependency-audit.js";
import { SPECS, staleBecause, writeStamp } from "../../scripts/lib/ensure-built.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const scriptsOf = (dir: string) =>
  (JSON.parse(readFileSync(join(ROOT, dir, "package.json"), "utf8")) as { scripts?: Record<string, string> }).scripts ??
  {};

describe("Benchmarks build what they need", function () {
  it("every bench script of the root and of each workspace starts by ensuring the build", function () {
    const benches = [
      ...Object.entries(scriptsOf(".")).map(([name, command]) => ({ where: ".", name, command })),
      ...workspaceDirs(ROOT).flatMap((dir) =>
        Object.entries(scriptsOf(dir)).map(([name, command]) => ({ where: dir, name, command })),
      ),
    ].filter((s) => /^bench(:|$)/.test(s.name));
    expect(benches.map((b) => b.name)).to.include.members(["bench:indexer", "bench:validator", "bench:sim", "bench"]);
    for (const { where, name, command } of benches) {
      const helper = where === "." ? "scripts/lib/ensure-built.ts" : "../scripts/lib/ensure-built.ts";
      expect(command, `${where} ${name}`).to.match(new RegExp(`^tsx ${helper.replace(/\./g, "\\.")}( [a-z ]+)? && `));
    }
    // The indexer runs the built subgraph (subgraph/build), which is built after the contracts.
    expect(scriptsOf(".")["bench:indexer"]).to.match(/^tsx scripts\/lib\/ensure-built\.ts subgraph && /);
  });

  describe("ensure-built's judgement (on a scratch tree)", function () {
    let root: string;
    const write = (path: string, text = "x") => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    beforeEach(function () {
      root = mkdtempSync(join(tmpdir(), "curia-ensure-built-"));
      write("contracts/A.sol", "contract A {}");
      write("hardhat.config.ts");
      write("package-lock.json");
      write("protocol/scripts/generate.mjs");
      write("subgraph/src/mapping.ts");
      write("subgraph/schema.graphql");
    });
    afterEach(function () {
      rmSync(root, { recursive: true, force: true });
    });
    const buildOutputs = (target: "contracts" | "subgraph") => {
      for (const output of SPECS[target].outputs) write(output);
    };

    it("builds when an output is missing (a fresh clone), and not once built and stamped", function () {
      expect(staleBecause(root, "contracts")).to.equal("artifacts/build-info is missing");
      buildOutputs("contracts");
      expect(staleBecause(root, "contracts")).to.equal("no build of it is stamped");
      writeStamp(root, "contracts");
      expect(staleBecause(root, "contracts")).to.equal(undefined);
    });

    it("builds again when a source changes or appears, and when an output is deleted", function () {
      buildOutputs("contracts");
      writeStamp(root, "contracts");
      write("contracts/A.sol", "contract A { uint x; }");
      expect(staleBecause(root, "contracts")).to.equal("its sources changed since the last build");
      writeStamp(root, "contracts");
      write("contracts/sub/B.sol", "contract B {}");
      expect(staleBecause(root, "contracts")).to.equal("its sources changed since the last build");
      writeStamp(root, "contracts");
      rmSync(join(root, "protocol/src/generated/abis.ts"));
      expect(staleBecause(root, "contracts")).to.equal("protocol/src/generated/abis.ts is missing");
    });

    it("the subgraph is stale when the contracts change, though its own sources did not", function () {
      buildOutputs("contracts");
      buildOutputs("subgraph");
      writeStamp(root, "contracts");
      writeStamp(root, "subgraph");
      expect(staleBecause(root, "subgraph")).to.equal(undefined);
      write("contracts/A.sol", "contract A { event E(); }");
      expect(staleBecause(root, "subgraph")).to.equal("its sources changed since the last build");
      write("contracts/A.sol", "contract A {}");
      expect(staleBecause(root, "subgraph")).to.equal(undefined);
    });
  });
});
