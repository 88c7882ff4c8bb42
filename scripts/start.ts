// `npm start`: the whole local system on one machine. Starts a Hardhat node, deploys the contracts to it
// (deployments/localhost.json), seeds demo holders and a demo marketplace, prints what a user needs to connect, and
// keeps running
// until Ctrl-C (SIGINT) or SIGTERM, then stops everything it started and exits 0.
//
//   npx tsx scripts/start.ts
//
// Environment: CURIA_CHAIN_HOST (127.0.0.1), CURIA_CHAIN_PORT (8545; a free port is used when it is taken),
// CURIA_LOG_DIR (.curia/logs), CURIA_DEPLOYMENTS_DIR and CURIA_DEPLOY_CONFIG (see deploy/), CURIA_INDEXER_PORT (8000),
// CURIA_WEB_PORT (5173; the web app, built into web/dist when stale, its config.json written next to the logs folder).
//
// Later components (indexer, validator, web app) are further `manager.start(...)` calls after the deployment:
// they learn addresses from the deployments file and the chain from CURIA_RPC_URL.
import { existsSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import {
  DEMO_HOLDERS,
  describeHolding,
  formatCur,
  governanceAccountState,
  seedGovernance,
} from "./demo/seed-governance.js";
import {
  DEMO_CONSUMER,
  DEMO_CURATORS,
  DEMO_LISTINGS,
  DEMO_PROVIDERS,
  demoTaskPair,
  seedMarketplace,
  type DemoListing,
} from "./demo/seed-marketplace.js";
import type { ContractName } from "@curia/protocol";
import { hardhatTestAccount } from "./lib/dev-accounts.js";
import { findFreePort, httpUrl, isPortFree, waitForJsonRpc } from "./lib/net.js";
import { ProcessManager, describeExit, type ServiceSpec } from "./lib/process-manager.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * The demo seeds that use @curia/protocol at run time: its ABIs and enums are generated from the contracts' build, so
 * these load once the build and the generation are done (in main).
 */
async function loadProtocolSeeds() {
  const [court, proposals, validation, fraudProof] = await Promise.all([
    import("./demo/seed-court.js"),
    import("./demo/seed-proposals.js"),
    import("./demo/seed-validation.js"),
    import("./demo/seed-fraud-proof.js"),
  ]);
  return { ...court, ...proposals, ...validation, ...fraudProof };
}
type ProtocolSeeds = Awaited<ReturnType<typeof loadProtocolSeeds>>;

/** Hardhat's well-known test accounts shown in the summary (the deployer, the demo holders and marketplace users), with
 * their roles. */
function demoCast(seeds: ProtocolSeeds): { shown: number[]; roles: Map<number, string> } {
  const { DEMO_CHALLENGER, DEMO_GRANTEE, DEMO_JURORS, DEMO_VALIDATORS } = seeds;
  return {
    shown: [
      0,
      1,
      2,
      3,
      4,
      ...DEMO_PROVIDERS,
      DEMO_CONSUMER,
      ...DEMO_CURATORS,
      ...DEMO_JURORS,
      DEMO_CHALLENGER,
      DEMO_GRANTEE,
      ...DEMO_VALIDATORS,
    ],
    roles: new Map<number, string>([
      [0, "deployer, proposal guardian"],
      ...DEMO_PROVIDERS.map((i): [number, string] => [i, "provider"]),
      [DEMO_CONSUMER, "consumer"],
      ...DEMO_CURATORS.map((i): [number, string] => [i, "curator"]),
      ...DEMO_JURORS.map((i): [number, string] => [i, "juror"]),
      [DEMO_CHALLENGER, "challenger"],
      [DEMO_GRANTEE, "grantee of the queued treasury proposal"],
      ...DEMO_VALIDATORS.map((i): [number, string] => [i, "validator (run by the validator service)"]),
    ]),
  };
}
/** The demo listings (DEMO_LISTINGS order) and which sample provider serves each: one honest and one cheating listing
 * per task (MNIST, VAD, OCR; the cheating one a cheaper model for everyone: a degraded MLP, fp16 Silero, OCR at half
 * the width), and #4 the validator-aware one (the listed model for validators, the cheaper one for customers). */
const listingsServed = (serving: DemoListing["serving"]): bigint[] =>
  DEMO_LISTINGS.flatMap((l, i) => (l.serving === serving ? [BigInt(i + 1)] : []));
const HONEST_LISTINGS = listingsServed("honest");
const CHEATING_LISTINGS = listingsServed("cheating");
const VALIDATOR_AWARE_LISTINGS = listingsServed("validator-aware");
/**
 * Listings the demo validator service keeps rounds going on: MNIST's honest and cheating listing. Rounds on the VAD and
 * OCR pairs work (validator/test/tasks-quality-scale.test.ts, tasks-service-round.test.ts), but in the demo their
 * probes (speech synthesis, line rendering, two model runs a call) share the two cores with MNIST's, and a clean-clone
 * CI run saw the honest MNIST listing's median fall to 8,390 bps under that load: the demo keeps MNIST's rounds only.
 */
const VALIDATED_LISTINGS = [1n, 2n];
/** Probe calls a VAD or OCR round's score takes when the demo's validators score one (MNIST keeps --samples' 100). */
const DEMO_TASK_SAMPLES = 8;

const log = (message: string): void => console.log(`[curia] ${message}`);

const manager = new ProcessManager({
  logDir: resolve(ROOT, process.env.CURIA_LOG_DIR ?? join(".curia", "logs")),
  log,
  onUnexpectedExit: (service, exit) => {
    console.error(
      `[curia] ${service.name} exited unexpectedly (${describeExit(exit)}). Last log lines:\n${service.logTail()}`,
    );
    void shutdown(1);
  },
});

let stopping: Promise<void> | undefined;
/** Stops every service, then exits with `code`; later calls (a second Ctrl-C, an error while stopping) join the first. */
function shutdown(code: number): Promise<void> {
  stopping ??= (async () => {
    log(code === 0 ? "stopping…" : "stopping after an error…");
    await manager.stopAll();
    process.exit(code);
  })();
  return stopping;
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  // tsx relays Ctrl-C too, so a second signal is normal; stopping is bounded by the services' timeouts anyway.
  process.on(signal, () => void shutdown(0));
}
process.on("uncaughtException", (error) => {
  console.error(`[curia] ${error.stack ?? error.message}`);
  void shutdown(1);
});
process.on("unhandledRejection", (reason) => {
  console.error(
    `[curia] unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`,
  );
  void shutdown(1);
});
// However this process ends from here on, no service outlives it (watchdog.ts covers SIGKILL).
process.on("exit", () => manager.killAllNow());

function parsePort(text: string, name: string): number {
  const port = Number(text);
  // 0 asks the operating system for any free port.
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`${name}=${text} is not a TCP port`);
  return port;
}

async function choosePort(host: string, wanted: number, what = "the chain"): Promise<number> {
  // Port 0: any free port, chosen here because the other services must know it before the chain starts.
  if (wanted === 0) return findFreePort(host);
  if (await isPortFree(host, wanted)) return wanted;
  const port = await findFreePort(host);
  console.warn(
    `[curia] WARNING: port ${wanted} on ${host} is already in use; ${what} listens on free port ${port} instead.`,
  );
  return port;
}

/** The local graph-node-compatible indexer over the built subgraph; ready once it prints its GraphQL URL. */
function indexerService(rpcUrl: string, deploymentsFile: string, database: string, port: number): ServiceSpec {
  return {
    name: "indexer",
    command: process.execPath,
    args: [
      join(ROOT, "indexer", "bin", "curia-indexer.mjs"),
      "--rpc-url",
      rpcUrl,
      "--deployment",
      deploymentsFile,
      "--database",
      database,
      "--port",
      String(port),
    ],
    cwd: ROOT,
    readyTimeoutMs: 120_000,
    ready: async (service) => {
      while (service.running) {
        if (graphqlUrlOf(service.logTail(200)) !== undefined) return;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      throw new Error("the indexer exited before serving GraphQL");
    },
  };
}

function graphqlUrlOf(log: string): string | undefined {
  return /\[indexer\] GraphQL: (\S+)/.exec(log)?.[1];
}

/** Builds the subgraph (manifest from the fresh deployment, graph codegen, graph build) for the indexer to run. */
async function buildSubgraph(): Promise<void> {
  const { spawn } = await import("node:child_process");
  await new Promise<void>((resolvePromise, reject) => {
    const child = spawn("npm", ["run", "--silent", "build:subgraph"], {
      cwd: ROOT,
      env: { ...process.env, CURIA_NETWORK: "localhost" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let errors = "";
    child.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolvePromise()
        : reject(new Error(`subgraph build failed (exit ${code}):\n${errors.slice(-2000)}`)),
    );
  });
}

// ---------------------------------------------------------------- web app (web/)

const WEB = join(ROOT, "web");

/** Newest modification time under `path` (a file or a folder), skipping node_modules. */
function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry !== "node_modules") newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

function runNode(args: string[], cwd: string, what: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    void import("node:child_process").then(({ spawn }) => {
      const child = spawn(process.execPath, args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
      let errors = "";
      child.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
      child.on("error", reject);
      child.on("close", (code) =>
        code === 0 ? resolvePromise() : reject(new Error(`${what} failed (exit ${code}):\n${errors.slice(-2000)}`)),
      );
    });
  });
}

/**
 * Builds web/dist when it is missing or older than its sources or the protocol package's (whose ABIs and enums main
 * regenerated from artifacts/ first). Builds into a temporary folder and swaps it in, so a running server never sees a
 * half-written dist.
 */
async function buildWebIfStale(): Promise<boolean> {
  const sources = [
    ...["src", "index.html", "package.json", "vite.config.ts", "svelte.config.js", "public"].map((s) => join(WEB, s)),
    join(ROOT, "protocol", "src"),
  ];
  const built = newestMtime(join(WEB, "dist", "index.html"));
  if (built > 0 && built >= Math.max(...sources.map((s) => newestMtime(s)))) return false;
  const require = createRequire(import.meta.url);
  const vite = join(dirname(require.resolve("vite/package.json")), "bin", "vite.js");
  const out = join(WEB, `dist.build-${process.pid}`);
  try {
    await runNode([vite, "build", "--logLevel", "error", "--outDir", out, "--emptyOutDir"], WEB, "web build");
    const old = join(WEB, `dist.old-${process.pid}`);
    if (existsSync(join(WEB, "dist"))) renameSync(join(WEB, "dist"), old);
    renameSync(out, join(WEB, "dist"));
    rmSync(old, { recursive: true, force: true });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  return true;
}

/** The app's runtime config (web/src/lib/config.ts), written per run and served as /config.json. */
function writeWebConfig(file: string, config: Record<string, unknown>): string {
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return file;
}

/** The built web app on a tiny static server (web/scripts/serve.mjs); ready once it prints its URL. */
function webService(port: number, configFile: string, samplesFile: string | undefined): ServiceSpec {
  return {
    name: "web",
    command: process.execPath,
    args: [
      join(WEB, "scripts", "serve.mjs"),
      "--dir",
      join(WEB, "dist"),
      "--config",
      configFile,
      ...(samplesFile === undefined ? [] : ["--samples", samplesFile]),
      "--port",
      String(port),
      "--host",
      "127.0.0.1",
    ],
    cwd: ROOT,
    readyTimeoutMs: 20_000,
    ready: async (service) => {
      while (service.running) {
        if (webUrlOf(service.logTail(50)) !== undefined) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error("the web server exited before serving");
    },
  };
}

function providerUrlOf(log: string): string {
  return /\[provider\] listening on (\S+)/.exec(log)?.[1] ?? "?";
}

function webUrlOf(log: string): string | undefined {
  return /\[web\] serving \S+ at (\S+)/.exec(log)?.[1];
}

/** Resolves once the service's log shows `pattern` (its "ready" line). */
function readyWhenLogged(pattern: RegExp, what: string): ServiceSpec["ready"] {
  return async (service) => {
    while (service.running) {
      if (pattern.test(service.logTail(100))) return;
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    throw new Error(`${what} exited before it was ready`);
  };
}

/** The VAD and OCR listings' claims: the reference models' files (from the npm packages) and their SHA-256. */
async function taskReferenceModels(): Promise<Record<"vad" | "ocr", { modelHash: string; modelURI: string }>> {
  const [{ ocrModelPath, sileroModelPath }, { createHash }, { readFile }] = await Promise.all([
    import("@curia/validator"),
    import("node:crypto"),
    import("node:fs/promises"),
  ]);
  const claim = async (path: string) => ({
    modelHash: `0x${createHash("sha256")
      .update(await readFile(path))
      .digest("hex")}`,
    modelURI: `file://${path}`,
  });
  return { vad: await claim(sileroModelPath("fp32")), ocr: await claim(ocrModelPath()) };
}

/**
 * The listing page's task samples: one VAD clip and one OCR line sent by the demo consumer to both listings of the
 * task (scripts/demo/task-samples.ts), written to `file`. A failure only warns: the page then says it has none.
 */
async function writeTaskSamples(
  file: string,
  rpcUrl: string,
  record: { chainId: number | bigint; contracts: Record<string, { proxy: string } | undefined> },
  endpointOf: (listingId: bigint) => string,
): Promise<string | undefined> {
  const [{ collectTaskSamples }, { JsonRpcProvider, Wallet }, { ChainClock, ListingRegistry__factory }, protocol] =
    await Promise.all([
      import("./demo/task-samples.js"),
      import("ethers"),
      import("@curia/protocol/ethers"),
      import("@curia/protocol"),
    ]);
  const { listingKeysOf } = await import("../validator/src/receipts.js");
  const provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true });
  const clock = await ChainClock.start(provider, 0);
  try {
    const registryAddress = record.contracts.ListingRegistry!.proxy;
    const samples = await collectTaskSamples({
      consumer: new Wallet(hardhatTestAccount(DEMO_CONSUMER).privateKey),
      domain: protocol.inferenceDomain(record.chainId, registryAddress),
      keys: listingKeysOf(ListingRegistry__factory.connect(registryAddress, provider)),
      chainNow: () => clock.now(),
      pairs: (["vad", "ocr"] as const).map((task) => {
        const { honest, cheating } = demoTaskPair(task);
        return {
          task,
          honest: { id: honest, endpoint: endpointOf(honest) },
          cheating: { id: cheating, endpoint: endpointOf(cheating) },
        };
      }),
    });
    writeFileSync(file, `${JSON.stringify(samples)}\n`);
    return file;
  } catch (error) {
    console.warn(`[curia] WARNING: no task samples for the listing page: ${(error as Error).message}`);
    return undefined;
  } finally {
    clock.stop();
    provider.destroy();
  }
}

interface ValidatorModel {
  path: string;
  modelHash: string;
}

/** The reference model (trained on first use, then cached in validator/.cache), through the validator's own CLI. */
async function referenceModel(): Promise<ValidatorModel> {
  const output = await runNodeCapture([join(ROOT, "validator", "bin", "curia-validator.mjs"), "model", "--json"]);
  const models = JSON.parse(output) as { reference?: ValidatorModel };
  if (models.reference === undefined) throw new Error("curia-validator model --json named no reference model");
  return models.reference;
}

function runNodeCapture(args: string[]): Promise<string> {
  return import("node:child_process").then(
    ({ spawn }) =>
      new Promise<string>((resolvePromise, reject) => {
        const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        let err = "";
        child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
        child.on("error", reject);
        child.on("close", (code) =>
          code === 0 ? resolvePromise(out) : reject(new Error(`${args.join(" ")} failed (exit ${code}):\n${err}`)),
        );
      }),
  );
}

/** A sample provider (provider/bin/curia-provider.mjs) serving `listings` in `mode`. */
function providerService(
  name: string,
  mode: "honest" | "degraded" | "random" | "validator-aware",
  listings: readonly bigint[],
  port: number,
  rpcUrl: string,
  deploymentsFile: string,
  stateFile: string,
): ServiceSpec {
  return {
    name,
    command: process.execPath,
    args: [
      join(ROOT, "provider", "bin", "curia-provider.mjs"),
      "--mode",
      mode,
      "--listing",
      listings.join(","),
      "--port",
      String(port),
      "--rpc-url",
      rpcUrl,
      "--deployment",
      deploymentsFile,
      "--state",
      stateFile,
    ],
    cwd: ROOT,
    readyTimeoutMs: 60_000,
    ready: readyWhenLogged(/\[provider\] listening on /, name),
  };
}

/** The validator service (`curia-validator run`) as the demo validators, keeping rounds going on `listings`. */
function validatorService(
  seeds: ProtocolSeeds,
  rpcUrl: string,
  deploymentsFile: string,
  stateDir: string,
  metricsPort: number,
  listings: readonly bigint[],
): ServiceSpec {
  return {
    name: "validator",
    command: process.execPath,
    args: [
      join(ROOT, "validator", "bin", "curia-validator.mjs"),
      "run",
      "--rpc-url",
      rpcUrl,
      "--deployment",
      deploymentsFile,
      ...seeds.DEMO_VALIDATORS.flatMap((index) => ["--dev-account", String(index)]),
      "--stake",
      (seeds.DEMO_VALIDATOR_STAKE / 10n ** 18n).toString(),
      ...listings.flatMap((id) => ["--listing", id.toString()]),
      // Probes on the validated listings only: by default the schedule covers every Active listing.
      ...listings.flatMap((id) => ["--probe-listing", id.toString()]),
      ...["vad", "ocr"].flatMap((task) => ["--task-samples", `${task}=${DEMO_TASK_SAMPLES}`]),
      "--state-dir",
      stateDir,
      "--metrics-port",
      String(metricsPort),
    ],
    cwd: ROOT,
    readyTimeoutMs: 120_000,
    ready: readyWhenLogged(/\[validator\] running as /, "the validator service"),
  };
}

/** Two distinct free-or-wanted ports (two `findFreePort` calls may return the same one). */
async function choosePorts(wanted: [number, number], what: [string, string]): Promise<[number, number]> {
  const first = await choosePort("127.0.0.1", wanted[0], what[0]);
  let second = await choosePort("127.0.0.1", wanted[1], what[1]);
  while (second === first) second = await findFreePort("127.0.0.1");
  return [first, second];
}

function chainService(host: string, port: number, rpcUrl: string): ServiceSpec {
  const require = createRequire(import.meta.url);
  const hardhatPackage = require.resolve("hardhat/package.json");
  const { bin } = require("hardhat/package.json") as { bin: { hardhat: string } };
  return {
    name: "chain",
    // Hardhat's CLI straight on this Node (22), not through npx: signals then reach the node itself.
    command: process.execPath,
    args: [join(dirname(hardhatPackage), bin.hardhat), "node", "--hostname", host, "--port", String(port)],
    cwd: ROOT,
    ready: async (service) => {
      await waitForJsonRpc(rpcUrl, () => service.running);
    },
    readyTimeoutMs: 60_000,
  };
}

async function main(): Promise<void> {
  process.chdir(ROOT);
  const host = process.env.CURIA_CHAIN_HOST ?? "127.0.0.1";
  const wantedPort = parsePort(process.env.CURIA_CHAIN_PORT ?? "8545", "CURIA_CHAIN_PORT");
  const port = await choosePort(host, wantedPort);
  const rpcUrl = httpUrl(host, port);
  // hardhat.config.ts reads it when Hardhat is imported, below.
  process.env.CURIA_RPC_URL = rpcUrl;

  const chain = manager.start(chainService(host, port, rpcUrl));
  const { default: hre } = await import("hardhat");
  // The contracts compile (a no-op when unchanged) while the node boots.
  await Promise.all([chain, hre.tasks.getTask("build").run({ quiet: true, noTests: true })]);
  // The protocol package's ABIs and enums, from that build: the seeds below, the providers, the validator and the web
  // app use them.
  await runNode([join(ROOT, "protocol", "scripts", "generate.mjs")], ROOT, "protocol package generation");
  const seeds = await loadProtocolSeeds();
  const { seedProposals, seedActiveProposal, stakeDemoJurors, seedCourt, fundDemoValidators, driveDemoRounds } = seeds;
  log(`chain answering at ${rpcUrl}, contracts built (${process.uptime().toFixed(1)} s)`);

  const { curiaConfigFor } = await import("../deploy/config.js");
  const { readDeployment, writeDeployment } = await import("../deploy/deployments.js");
  const { deployCuria } = await import("../deploy/system.js");
  const connection = await hre.network.create({ network: "localhost" });
  const network = connection.networkName;
  // A fresh node has none of the previous record's contracts: deployCuria sees that and deploys anew.
  const { record, token, governor, timelock, registry, curationPool, court, jurorPool, challenges, validation } =
    await deployCuria({
      hre,
      connection,
      config: curiaConfigFor(network),
      previous: readDeployment(network),
      persist: (r) => writeDeployment(r),
      log: (m) => console.log(`[deploy] ${m}`),
    });
  const deploymentsFile = writeDeployment(record);

  const accounts = await connection.ethers.getSigners();
  const increaseTime = async (seconds: number): Promise<void> => {
    await connection.provider.request({ method: "evm_increaseTime", params: [seconds] });
    await connection.provider.request({ method: "evm_mine", params: [] });
  };
  await seedGovernance({ token, accounts, log: (m) => console.log(`[seed] ${m}`) });
  // Settled proposals first: they fast-forward the clock through voting periods and the timelock delay.
  await seedProposals({ governor, token, registry, accounts, increaseTime, log: (m) => console.log(`[seed] ${m}`) });
  // Every demo listing claims the reference model; the cheating provider serves a cheaper one behind its endpoint.
  const model = await referenceModel();
  const [honestPort, cheatingPort] = await choosePorts(
    [
      parsePort(process.env.CURIA_PROVIDER_PORT ?? "8600", "CURIA_PROVIDER_PORT"),
      parsePort(process.env.CURIA_CHEATING_PROVIDER_PORT ?? "8601", "CURIA_CHEATING_PROVIDER_PORT"),
    ],
    ["the honest provider", "the cheating provider"],
  );
  let awarePort = await choosePort(
    "127.0.0.1",
    parsePort(process.env.CURIA_VALIDATOR_AWARE_PROVIDER_PORT ?? "8602", "CURIA_VALIDATOR_AWARE_PROVIDER_PORT"),
    "the validator-aware provider",
  );
  while (awarePort === honestPort || awarePort === cheatingPort) awarePort = await findFreePort("127.0.0.1");
  const endpoint = (port: number, listingId: bigint) => `http://127.0.0.1:${port}/listings/${listingId}/infer`;
  const portOf = (id: bigint) =>
    CHEATING_LISTINGS.includes(id) ? cheatingPort : VALIDATOR_AWARE_LISTINGS.includes(id) ? awarePort : honestPort;
  await seedMarketplace({
    token,
    registry,
    curationPool,
    accounts,
    increaseTime,
    endpoints: DEMO_LISTINGS.map((_, i) => endpoint(portOf(BigInt(i + 1)), BigInt(i + 1))),
    model: { modelHash: model.modelHash, modelURI: `file://${model.path}` },
    taskModels: await taskReferenceModels(),
    log: (m) => console.log(`[seed] ${m}`),
  });
  // Weeks of purchases, stakes, proposals, validation rounds and disputes, a day at a time, so the dashboard's charts
  // show trends; before the demo's validators and jurors, whose rounds and disputes then happen "today".
  const { seedHistory } = await import("./demo/seed-history.js");
  await seedHistory({
    token,
    registry,
    curationPool,
    governor,
    validation,
    court,
    jurorPool,
    challenges,
    accounts,
    provider: connection.ethers.provider,
    increaseTime,
    now: async () => BigInt((await connection.ethers.provider.getBlock("latest"))!.timestamp),
    log: (m) => console.log(`[seed] ${m}`),
  });
  const listings = await registry.listingCount();
  const logDir = resolve(ROOT, process.env.CURIA_LOG_DIR ?? join(".curia", "logs"));
  const stateDir = join(dirname(logDir), "state");
  // A fresh chain every start: the providers' used nonces and the validators' salts of the last run mean nothing now.
  rmSync(stateDir, { recursive: true, force: true });

  await fundDemoValidators({ token, validation, accounts, log: (m) => console.log(`[seed] ${m}`) });
  // Jurors first: the validators' automatic dispute needs a court with jurors to draw from.
  await stakeDemoJurors({ token, jurorPool, challenges, accounts, log: (m) => console.log(`[seed] ${m}`) });
  const metricsPort = await choosePort(
    "127.0.0.1",
    parsePort(process.env.CURIA_METRICS_PORT ?? "9464", "CURIA_METRICS_PORT"),
    "the validator's metrics",
  );
  const [honest, cheating, aware] = await Promise.all([
    manager.start(
      providerService(
        "provider-honest",
        "honest",
        HONEST_LISTINGS,
        honestPort,
        rpcUrl,
        deploymentsFile,
        join(stateDir, "provider-honest.json"),
      ),
    ),
    manager.start(
      providerService(
        "provider-cheating",
        "degraded",
        CHEATING_LISTINGS,
        cheatingPort,
        rpcUrl,
        deploymentsFile,
        join(stateDir, "provider-cheating.json"),
      ),
    ),
    manager.start(
      providerService(
        "provider-validator-aware",
        "validator-aware",
        VALIDATOR_AWARE_LISTINGS,
        awarePort,
        rpcUrl,
        deploymentsFile,
        join(stateDir, "provider-validator-aware.json"),
      ),
    ),
  ]);
  // The validator-aware provider passes every validator's probe; a paying consumer's receipt catches it (issue 16).
  // Before the validator service starts: the story moves the clock past a whole dispute, which would expire the
  // commit windows of the rounds the service opens. The validators' automatic dispute then follows it (after the
  // history's disputes: HISTORY_DISPUTES).
  const fraudProof = await seeds.seedFraudProof({
    record,
    provider: connection.ethers.provider,
    registry,
    challenges,
    court,
    accounts,
    helpers: connection.networkHelpers,
    endpoint: endpoint(awarePort, VALIDATOR_AWARE_LISTINGS[0]!),
    log: (m) => console.log(`[demo] ${m}`),
  });
  const validator = await manager.start(
    validatorService(seeds, rpcUrl, deploymentsFile, join(stateDir, "validator"), metricsPort, VALIDATED_LISTINGS),
  );
  log(`providers and validator service up (${process.uptime().toFixed(1)} s); validation rounds under way…`);
  const rounds = await driveDemoRounds({
    validation,
    listings: VALIDATED_LISTINGS,
    increaseTime,
    now: async () => BigInt((await connection.ethers.provider.getBlock("latest"))!.timestamp),
    log: (m) => console.log(`[demo] ${m}`),
  });
  const automaticDispute = rounds.find((r) => CHEATING_LISTINGS.includes(r.listingId))?.disputeId;
  if (automaticDispute === undefined) {
    console.warn("[curia] WARNING: the cheating listing's round opened no dispute; the demo challenges it by hand");
  }
  await seedCourt({
    token,
    court,
    jurorPool,
    challenges,
    accounts,
    mine: async (blocks) => {
      await connection.provider.request({ method: "hardhat_mine", params: [`0x${blocks.toString(16)}`] });
    },
    saltFile: join(dirname(logDir), "demo-court-salts.json"),
    ...(automaticDispute === undefined ? {} : { disputeId: automaticDispute }),
    log: (m) => console.log(`[seed] ${m}`),
  });
  // Last, so that its voting period starts now rather than before another seed moved the clock.
  await seedActiveProposal({ governor, registry, accounts, increaseTime, log: (m) => console.log(`[seed] ${m}`) });

  const cast = demoCast(seeds);
  const shown = await Promise.all(
    cast.shown.map(async (index) => {
      const account = hardhatTestAccount(index);
      const signer = accounts[index];
      // The node may run with other accounts (a custom config); then the derived keys would be wrong ones.
      if (signer === undefined || (await signer.getAddress()) !== account.address) {
        throw new Error(`the node's account #${index} is not Hardhat's well-known test account ${account.address}`);
      }
      return { ...account, state: await governanceAccountState(token, account.address) };
    }),
  );
  const [votingDelay, votingPeriod, quorum, threshold, minDelay, treasury] = await Promise.all([
    governor.votingDelay(),
    governor.votingPeriod(),
    governor["quorumNumerator()"](),
    governor.proposalThreshold(),
    timelock.getMinDelay(),
    token.balanceOf(await timelock.getAddress()),
  ]);
  const chainId = Number((await connection.ethers.provider.getNetwork()).chainId);
  await connection.close();

  // The chain's clock stands still from here on: the task samples' receipts are dated on it. They are collected while
  // the subgraph and the web app build.
  const taskSamples = writeTaskSamples(join(dirname(logDir), "task-samples.json"), rpcUrl, record, (id) =>
    endpoint(portOf(id), id),
  );

  // The web app builds (when stale) alongside the subgraph.
  const webBuild = buildWebIfStale();
  webBuild.catch(() => undefined);
  // The indexer: a fresh chain every start, so a fresh index too (the chain's blocks are not the old ones).
  await buildSubgraph();
  log(`subgraph built (${process.uptime().toFixed(1)} s)`);
  const indexerDb = resolve(ROOT, process.env.CURIA_INDEXER_DB ?? join(".curia", "indexer.sqlite"));
  for (const suffix of ["", "-wal", "-shm"]) rmSync(indexerDb + suffix, { force: true });
  const indexerPort = await choosePort(
    "127.0.0.1",
    parsePort(process.env.CURIA_INDEXER_PORT ?? "8000", "CURIA_INDEXER_PORT"),
    "indexer",
  );
  const indexer = await manager.start(indexerService(rpcUrl, deploymentsFile, indexerDb, indexerPort));
  const indexerUrl = graphqlUrlOf(indexer.logTail(200)) ?? "?";

  // The web app, after the indexer: its config points at this chain, this indexer and this deployment.
  if (await webBuild) log(`web app built (${process.uptime().toFixed(1)} s)`);
  const webPort = await choosePort(
    "127.0.0.1",
    parsePort(process.env.CURIA_WEB_PORT ?? "5173", "CURIA_WEB_PORT"),
    "the web app",
  );
  const samplesFile = await taskSamples;
  if (samplesFile !== undefined) log(`task samples written (${process.uptime().toFixed(1)} s)`);
  const webConfig = writeWebConfig(join(dirname(logDir), "web-config.json"), {
    graphqlUrl: indexerUrl,
    rpcUrl,
    chainId,
    chainName: "Curia local (Hardhat)",
    contracts: Object.fromEntries(Object.entries(record.contracts).map(([name, entry]) => [name, entry.proxy])),
    // The listing page's sample inputs with both providers' answers (served by web/scripts/serve.mjs).
    ...(samplesFile === undefined ? {} : { taskSamplesUrl: "/task-samples.json" }),
    // The web app's dev wallet names the test accounts by their part in the demo.
    devAccountRoles: Object.fromEntries([
      ...DEMO_HOLDERS.map((h): [number, string] => [
        h.account,
        h.delegateTo === null ? "holder, undelegated" : "holder",
      ]),
      ...cast.roles,
    ]),
  });
  const web = await manager.start(webService(webPort, webConfig, samplesFile));
  const webUrl = webUrlOf(web.logTail(50)) ?? "?";

  const contract = (name: ContractName): string => record.contracts[name]?.proxy ?? "?";
  const indexOf = new Map(shown.map((a) => [a.address, a.index]));
  const lines = [
    "",
    "Curia local system",
    `  RPC URL         ${rpcUrl}${port === wantedPort || wantedPort === 0 ? "" : `   (port ${wantedPort} was in use)`}`,
    `  Chain id        ${chainId}`,
    `  GraphQL         ${indexerUrl}   (query page: open it in a browser)`,
    `  Web app         ${webUrl}`,
    `  Deployments     ${deploymentsFile}`,
    `  CuriaToken      ${contract("CuriaToken")}`,
    `  CuriaGovernor   ${contract("CuriaGovernor")}`,
    `  CuriaTimelock   ${contract("CuriaTimelock")}   (treasury: ${formatCur(treasury)})`,
    `  ListingRegistry ${contract("ListingRegistry")}   (${listings} demo listings)`,
    `  Tasks           ` +
      (["mnist", "vad", "ocr"] as const)
        .map((task) => {
          const { honest: h, cheating: c } = demoTaskPair(task);
          return `${task}: listing ${h} honest, ${c} cheating`;
        })
        .join("; ") +
      (samplesFile === undefined
        ? ""
        : `   (samples ${samplesFile.startsWith(ROOT + sep) ? relative(ROOT, samplesFile) : samplesFile})`),
    `  CurationPool    ${contract("CurationPool")}`,
    `  Court           ${contract("Court")}   (randomness: ${contract("CourtRandomness")})`,
    `  Validation      ${contract("ValidationManager")}   (` +
      rounds
        .map(
          (r) =>
            `listing ${r.listingId}: quality ${r.medianBps} bps${r.disputeId === undefined ? "" : `, dispute ${r.disputeId}`}`,
        )
        .join("; ") +
      ")",
    `  Providers       honest ${providerUrlOf(honest.logTail(50))} (listings ${HONEST_LISTINGS.join(", ")}), ` +
      `cheating ${providerUrlOf(cheating.logTail(50))} (listings ${CHEATING_LISTINGS.join(", ")}: cheaper models), ` +
      `validator-aware ${providerUrlOf(aware.logTail(50))} (listing ${VALIDATOR_AWARE_LISTINGS.join(", ")})`,
    `  Fraud proof     #${seeds.DEMO_CONSUMER_INDEX}'s receipt caught listing ${VALIDATOR_AWARE_LISTINGS.join(", ")}: dispute ` +
      `${fraudProof.disputeId} ruled for the consumer, ${formatCur(fraudProof.slashed)} slashed (bond and escrow), ` +
      `${formatCur(fraudProof.filerReceived)} to the filer`,
    `  Validator       metrics ${/ metrics (\S+)/.exec(validator.logTail(50))?.[1] ?? "?"}   (accounts #${seeds.DEMO_VALIDATORS.join(", #")})`,
    `  Governance      voting delay ${votingDelay} s, voting period ${votingPeriod} s, quorum ${quorum}%, ` +
      `proposal threshold ${formatCur(threshold)}, timelock delay ${minDelay} s`,
    `  Logs            ${manager.running.map((s) => `${s.name}: ${s.logPath.startsWith(ROOT + sep) ? relative(ROOT, s.logPath) : s.logPath}`).join(", ")}`,
    `  Stop            Ctrl-C here, or kill -INT ${process.pid}`,
    "",
    "Hardhat's well-known test accounts. Their keys are public: import them into a wallet for this local chain only;",
    "anything sent to them on a real network is lost.",
    ...shown.flatMap((a) => [
      `  #${a.index} ${a.address}${cast.roles.has(a.index) ? `   (${cast.roles.get(a.index)})` : ""}`,
      `     private key ${a.privateKey}`,
      `     ${describeHolding(a.state, indexOf)}`,
    ]),
    "",
  ];
  console.log(lines.join("\n"));
  console.log("Curia is running");
  log(`up in ${process.uptime().toFixed(1)} s. Press Ctrl-C to stop.`);
}

main().catch((error: unknown) => {
  console.error(`[curia] start-up failed: ${error instanceof Error ? error.message : String(error)}`);
  void shutdown(1);
});
