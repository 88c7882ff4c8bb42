// Manifest features the local indexer does not implement are refused when the subgraph loads, each named with where it
// is (data source or template, handler), instead of being skipped: a subgraph with a block handler, a template or a
// `receipt: true` handler would otherwise index to different entities than graph-node without a word. Each case edits
// a copy of the real build (subgraph/build) and must be refused; the real build must still load.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { DEFAULT_BUILD_DIR } from "../src/app.js";
import { loadSubgraph, type DeploymentFile } from "../src/subgraph.js";
import { REPO_ROOT, temporaryDirectory } from "./helpers/chain.js";

type Manifest = Record<string, unknown> & { dataSources: Record<string, unknown>[] };
type DataSourceYaml = {
  name: string;
  kind: string;
  network: string;
  source: Record<string, unknown>;
  mapping: Record<string, unknown> & { eventHandlers: Record<string, unknown>[] };
};

const GOVERNOR_ADDRESS = "0x00000000000000000000000000000000000000aa";
const DEPLOYMENT: DeploymentFile = {
  network: "localhost",
  chainId: 31337,
  contracts: { CuriaGovernor: { proxy: GOVERNOR_ADDRESS, startBlock: 1 } },
};

/**
 * A WASM module with one function import per name, from graph-ts's `index` module (as `graph build` writes them),
 * exporting nothing: enough for the host's import check.
 */
function moduleImporting(names: string[]): Buffer {
  const bytes: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const section = (id: number, body: number[]) => bytes.push(id, ...leb(body.length), ...body);
  const leb = (n: number): number[] => (n < 0x80 ? [n] : [(n & 0x7f) | 0x80, ...leb(n >> 7)]);
  const text = (s: string) => [...leb(Buffer.byteLength(s)), ...Buffer.from(s)];
  section(1, [0x01, 0x60, 0x00, 0x00]); // one type: () -> ()
  section(2, [...leb(names.length), ...names.flatMap((n) => [...text("index"), ...text(n), 0x00, 0x00])]);
  return Buffer.from(bytes);
}

describe("manifest features the indexer does not implement", function () {
  this.timeout(60_000);
  let dir: ReturnType<typeof temporaryDirectory>;
  let copies = 0;

  before(() => {
    dir = temporaryDirectory("curia-manifest-");
  });
  after(() => dir?.remove());

  /** A copy of the real build with `edit` applied to its manifest (and `files` written into it). */
  function buildWith(edit: (manifest: Manifest) => void, files: Record<string, string | Buffer> = {}): string {
    copies += 1;
    const target = join(dir.path, `build-${copies}`);
    cpSync(DEFAULT_BUILD_DIR, target, { recursive: true });
    const manifest = parseYaml(readFileSync(join(target, "subgraph.yaml"), "utf8")) as Manifest;
    edit(manifest);
    writeFileSync(join(target, "subgraph.yaml"), stringifyYaml(manifest));
    for (const [path, content] of Object.entries(files)) writeFileSync(join(target, path), content);
    return target;
  }

  const source = (manifest: Manifest, name: string): DataSourceYaml => {
    const found = manifest.dataSources.find((ds) => ds.name === name);
    if (found === undefined) throw new Error(`no data source ${name} in the build`);
    return found as unknown as DataSourceYaml;
  };

  /** The error loading a build edited by `edit` raises, or "accepted" when it loads. */
  function refusal(edit: (manifest: Manifest) => void, files?: Record<string, string | Buffer>): string {
    try {
      loadSubgraph(buildWith(edit, files), DEPLOYMENT);
      return "accepted";
    } catch (error) {
      return (error as Error).message;
    }
  }

  it("loads the real subgraph build", () => {
    const loaded = loadSubgraph(DEFAULT_BUILD_DIR, DEPLOYMENT);
    expect(loaded.dataSources.map((ds) => ds.name)).to.deep.equal(["CuriaGovernor"]);
    expect(loaded.dataSources[0]!.handlers.size).to.be.greaterThan(5);
  });

  it("refuses block handlers, naming the data source and each handler", () => {
    const message = refusal((m) => {
      source(m, "CuriaGovernor").mapping.blockHandlers = [
        { handler: "handleEveryBlock" },
        { handler: "handleCallBlock", filter: { kind: "call" } },
      ];
    });
    expect(message).to.include("CuriaGovernor").and.include("blockHandlers");
    expect(message).to.include("handleEveryBlock").and.include("handleCallBlock");
  });

  it("refuses call handlers", () => {
    const message = refusal((m) => {
      source(m, "CuriaToken").mapping.callHandlers = [{ function: "delegate(address)", handler: "handleDelegateCall" }];
    });
    expect(message).to.include("CuriaToken").and.include("callHandlers");
    expect(message).to.include("handleDelegateCall").and.include("delegate(address)");
  });

  it("refuses templates (dynamic data sources), naming each", () => {
    const message = refusal((m) => {
      const governor = source(m, "CuriaGovernor");
      m.templates = [
        {
          kind: "ethereum/contract",
          name: "ModelListing",
          network: "localhost",
          source: { abi: "CuriaGovernor" },
          mapping: { ...governor.mapping },
        },
      ];
    });
    expect(message).to.include("templates").and.include("ModelListing");
  });

  it("refuses event handlers with `receipt: true`, naming the handler and its event", () => {
    const message = refusal((m) => {
      const handler = source(m, "CuriaGovernor").mapping.eventHandlers[0]!;
      handler.receipt = true;
    });
    expect(message).to.include("CuriaGovernor").and.include("receipt").and.include("handleProposalCreated");
  });

  it("refuses topic filters and declared calls on event handlers", () => {
    const message = refusal((m) => {
      const [first, second] = source(m, "CuriaGovernor").mapping.eventHandlers;
      first!.topic1 = ["0x0000000000000000000000000000000000000000000000000000000000000001"];
      second!.calls = { "Governor.state": "Governor[event.address].state(event.params.proposalId)" };
    });
    expect(message).to.include("topic1").and.include("handleProposalCreated");
    expect(message).to.include("calls").and.include("handleProposalQueued");
  });

  it("refuses file data sources and non-ethereum kinds, naming each data source and kind", () => {
    const message = refusal((m) => {
      const governor = source(m, "CuriaGovernor");
      m.dataSources.push(
        { kind: "file/ipfs", name: "ModelCard", mapping: { ...governor.mapping } },
        { kind: "near", name: "NearMirror", network: "near-mainnet", source: {}, mapping: { ...governor.mapping } },
      );
    });
    expect(message).to.include("ModelCard").and.include("file/ipfs");
    expect(message).to.include("NearMirror").and.include("near");
  });

  it("refuses an unsupported apiVersion, specVersion or mapping language", () => {
    const message = refusal((m) => {
      m.specVersion = "9.0.0";
      source(m, "CuriaGovernor").mapping.apiVersion = "0.0.3";
      source(m, "CuriaToken").mapping.language = "wasm/rust";
    });
    expect(message).to.include("specVersion").and.include("9.0.0");
    expect(message).to.include("CuriaGovernor").and.include("apiVersion").and.include("0.0.3");
    expect(message).to.include("CuriaToken").and.include("wasm/rust");
  });

  it("refuses features, grafting, end blocks, data source contexts and data sources of another network", () => {
    const message = refusal((m) => {
      m.features = ["nonFatalErrors", "fullTextSearch"];
      m.graft = { base: "QmBase", block: 10 };
      source(m, "CuriaGovernor").source.endBlock = 100;
      (source(m, "CuriaToken") as Record<string, unknown>).context = { flavour: { type: "String", data: "x" } };
      source(m, "Court").network = "sepolia";
    });
    expect(message).to.include("nonFatalErrors").and.include("fullTextSearch").and.include("graft");
    expect(message).to.include("endBlock").and.include("CuriaGovernor");
    expect(message).to.include("context").and.include("CuriaToken");
    expect(message).to.include("Court").and.include("sepolia");
  });

  it("refuses two handlers for one event (the indexer would run only the last)", () => {
    const message = refusal((m) => {
      const handlers = source(m, "CuriaGovernor").mapping.eventHandlers;
      handlers.push({ event: handlers[0]!.event, handler: "handleProposalCreatedAgain" });
    });
    expect(message).to.include("handleProposalCreated").and.include("handleProposalCreatedAgain");
  });

  it("refuses a data source without an address that the deployment does not name (every contract's events)", () => {
    const message = refusal((m) => {
      delete source(m, "CuriaToken").source.address;
    });
    expect(message).to.include("CuriaToken").and.include("address");
  });

  it("refuses mappings that import host functions it does not run (ethereum.call, ipfs.cat, dataSource.create)", () => {
    const message = refusal(
      (m) => {
        source(m, "CuriaGovernor").mapping.file = "calls.wasm";
      },
      { "calls.wasm": moduleImporting(["ethereum.call", "ipfs.cat", "dataSource.create", "store.set"]) },
    );
    expect(message).to.include("CuriaGovernor").and.include("ethereum.call").and.include("ipfs.cat");
    expect(message).to.include("dataSource.create").and.not.include("store.set");
  });

  it("refuses schema features it does not serve (timeseries, aggregations, fulltext search)", () => {
    const schema = readFileSync(join(DEFAULT_BUILD_DIR, "schema.graphql"), "utf8");
    const message = refusal(() => {}, {
      "schema.graphql": `${schema}
type Tick @entity(timeseries: true) { id: Int8! timestamp: Timestamp! amount: BigInt! }
type TickStats @aggregation(intervals: ["hour"], source: "Tick") {
  id: Int8!
  timestamp: Timestamp!
  total: BigInt! @aggregate(fn: "sum", arg: "amount")
}
type _Schema_ @fulltext(name: "search", language: en, algorithm: rank, include: [{ entity: "Proposal", fields: [{ name: "description" }] }])
`,
    });
    expect(message).to.include("Tick").and.include("timeseries");
    expect(message).to.include("TickStats").and.include("aggregation");
    expect(message).to.include("fulltext").and.include("search");
  });

  it("makes the CLI exit non-zero with the refusal, before contacting the chain", () => {
    const build = buildWith((m) => {
      source(m, "CuriaGovernor").mapping.blockHandlers = [{ handler: "handleEveryBlock" }];
      m.templates = [{ kind: "ethereum/contract", name: "ModelListing", mapping: {} }];
    });
    const deploymentPath = join(dir.path, "deployment.json");
    writeFileSync(deploymentPath, JSON.stringify(DEPLOYMENT));
    const result = spawnSync(
      process.execPath,
      [
        join(REPO_ROOT, "indexer", "bin", "curia-indexer.mjs"),
        "--subgraph",
        build,
        "--deployment",
        deploymentPath,
        "--database",
        join(dir.path, "cli.sqlite"),
        // Nothing listens here: the refusal must come first.
        "--rpc-url",
        "http://127.0.0.1:9",
        "--port",
        "0",
      ],
      { encoding: "utf8", timeout: 30_000 },
    );
    expect(result.status, result.stdout + result.stderr).to.equal(1);
    expect(result.stderr).to.include("handleEveryBlock").and.include("ModelListing");
  });
});
