// The manifest and graph-cli's networks.json for a public chain, from fixture deployment records: The Graph's network
// name (not the Hardhat network's), the record keyed by chain id, and graph-cli's own build accepting both.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import {
  INDEXED_CONTRACTS,
  networksFile,
  recordPathFor,
  SUBGRAPH_DIR,
  type DeploymentFile,
} from "../scripts/manifest.js";

const MANIFEST_SCRIPT = join(SUBGRAPH_DIR, "scripts", "manifest.ts");
// Hoisted to the root by npm workspaces.
const GRAPH = join(SUBGRAPH_DIR, "..", "node_modules", ".bin", "graph");

/** A record whose every indexed contract has its own address and start block, so a mix-up shows. */
function record(network: string, chainId: number, seed: number): DeploymentFile {
  const contracts: DeploymentFile["contracts"] = {};
  INDEXED_CONTRACTS.forEach((name, i) => {
    contracts[name] = {
      proxy: `0x${(seed * 100 + i + 1).toString(16).padStart(40, "0")}`,
      startBlock: seed * 1000 + i,
    };
  });
  return { network, chainId, contracts };
}

function run(command: string, args: string[], cwd = SUBGRAPH_DIR) {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

interface ManifestDataSource {
  name: string;
  network: string;
  source: { address: string; startBlock: number };
}

describe("subgraph manifest for a public chain", function () {
  const dir = mkdtempSync(join(tmpdir(), "curia-manifest-"));
  const deployments = join(dir, "deployments");
  // Written inside subgraph/ (its paths are relative to it), under a name no one else uses; removed afterwards.
  const manifest = join(SUBGRAPH_DIR, `subgraph.test-${process.pid}.yaml`);
  const networksPath = join(dir, "networks.json");
  const sepolia = record("sepolia", 11155111, 1);
  const baseSepolia = record("base-sepolia", 84532, 2);
  // An older record of the same chain under the generic network's name: the chain-id record must win.
  const stale = record("remote", 11155111, 3);
  const local = record("localhost", 31337, 4);

  before(function () {
    run("mkdir", ["-p", deployments], dir);
    for (const [file, content] of [
      ["11155111.json", sepolia],
      ["84532.json", baseSepolia],
      ["remote.json", stale],
      ["localhost.json", local],
    ] as const) {
      writeFileSync(join(deployments, file), JSON.stringify(content, null, 2));
    }
    // Not a record: skipped by networks.json, not fatal to the manifest.
    writeFileSync(join(deployments, "notes.json"), "{ not json");
  });
  after(function () {
    rmSync(manifest, { force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  it("names The Graph's network of the record's chain, with its addresses and start blocks", function () {
    const { code, output } = run("npx", [
      "tsx",
      MANIFEST_SCRIPT,
      "--network",
      "sepolia",
      "--deployments",
      deployments,
      "--out",
      manifest,
      "--networks-file",
      networksPath,
    ]);
    expect(code, output).to.equal(0);
    const parsed = parseYaml(readFileSync(manifest, "utf8")) as { dataSources: ManifestDataSource[] };
    expect(parsed.dataSources.map((d) => d.name)).to.have.members([...INDEXED_CONTRACTS]);
    for (const source of parsed.dataSources) {
      const expected = sepolia.contracts[source.name]!;
      expect(source.network, source.name).to.equal("sepolia");
      expect(source.source.address, source.name).to.equal(expected.proxy);
      expect(source.source.startBlock, source.name).to.equal(expected.startBlock);
    }
  });

  it("writes networks.json for every public record, keyed by The Graph's names, without the local chain", function () {
    const networks = JSON.parse(readFileSync(networksPath, "utf8")) as Record<string, Record<string, unknown>>;
    expect(Object.keys(networks)).to.deep.equal(["base-sepolia", "sepolia"]);
    for (const [name, rec] of [
      ["sepolia", sepolia],
      ["base-sepolia", baseSepolia],
    ] as const) {
      expect(networks[name]).to.deep.equal(
        Object.fromEntries(
          INDEXED_CONTRACTS.map((c) => [
            c,
            { address: rec.contracts[c]!.proxy, startBlock: rec.contracts[c]!.startBlock },
          ]),
        ),
      );
    }
  });

  it("is accepted by graph-cli: graph build --network sepolia with that networks.json", function () {
    this.timeout(300_000);
    const codegen = run(GRAPH, ["codegen", manifest, "--output-dir", "generated"]);
    expect(codegen.code, codegen.output).to.equal(0);
    const build = run(GRAPH, [
      "build",
      manifest,
      "--network",
      "sepolia",
      "--network-file",
      networksPath,
      "--output-dir",
      join(dir, "build"),
    ]);
    expect(build.code, build.output).to.equal(0);
    const built = parseYaml(readFileSync(join(dir, "build", "subgraph.yaml"), "utf8")) as {
      dataSources: ManifestDataSource[];
    };
    for (const source of built.dataSources) {
      expect(source.network).to.equal("sepolia");
      expect(source.source.address).to.equal(sepolia.contracts[source.name]!.proxy);
    }
  });

  it("finds a record by chain id, and refuses a network it cannot name", function () {
    expect(recordPathFor(deployments, { network: "sepolia" })).to.equal(join(deployments, "11155111.json"));
    expect(recordPathFor(deployments, { chainId: 84532 })).to.equal(join(deployments, "84532.json"));
    expect(recordPathFor(deployments, { network: "localhost" })).to.equal(join(deployments, "localhost.json"));
    expect(() => recordPathFor(deployments, { network: "arbitrum-one" })).to.throw(/42161\.json is missing/);
    expect(() => recordPathFor(deployments, { network: "nowhere" })).to.throw(
      /not a chain in protocol\/src\/networks\.ts/,
    );
    const unknown = run("npx", [
      "tsx",
      MANIFEST_SCRIPT,
      "--chain-id",
      "999999",
      "--deployments",
      deployments,
      "--out",
      manifest,
    ]);
    expect(unknown.code).to.not.equal(0);
    expect(unknown.output).to.match(/999999\.json/);
    // A record of a chain without a Graph name stays out of networks.json, it does not take another's place.
    expect(networksFile([record("x", 999999, 5), sepolia])).to.have.keys(["sepolia"]);
  });
});
