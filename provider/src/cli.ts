// `curia-provider`: the sample provider server (see server.ts for the HTTP API).
//
//   curia-provider --mode honest|degraded|random|validator-aware --listing <id>[,id…] [--port 8600] [--host 127.0.0.1]
//                  [--rpc-url …] [--deployment localhost] [--model <file.onnx>] [--state <file.json>]
//                  [--serving-key-file <file> | CURIA_SERVING_KEY | --dev-account <i>] [--allow-origin *|none|<origin>]
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { OCR_WIDTH, inferenceDomain, parseListingMetadata } from "@curia/protocol";
import {
  ChainClock,
  IListingRegistry__factory,
  IStakePool__factory,
  connectRpc,
  deployedContract,
  loadDeployment,
} from "@curia/protocol/ethers";
import {
  DEFAULT_IPFS_GATEWAY,
  createLogger,
  createSession,
  ensureModels,
  fetchBytes,
  isTransientRpcError,
  mnistTask,
  ocrModelPath,
  openOcr,
  sileroModel,
  taskFor,
  vadTask,
  withRetry,
  type ModelSession,
  type TaskPlugin,
  type TaskRunner,
} from "@curia/validator";
import { DEV_CHAIN_ID, loadServingKey } from "./keys.js";
import { loadServedListings } from "./middleware/chain.js";
import { PROVIDER_MODES, ProviderServer, type ProviderMode, type ServedTask } from "./server.js";
import { USAGE } from "./help.js";
import { UsageStore } from "./usage.js";

class UsageError extends Error {}

/**
 * A listing's task from its metadata, by the validator's rule (Verifier.taskOf): metadata that names no task is an
 * MNIST listing, as before tasks existed; metadata that cannot be read or is not a JSON object, and an unknown task or
 * version, are errors naming the listing (serving a VAD listing as MNIST would refuse every call).
 */
async function listingTask(listingId: bigint, metadataURI: string, ipfsGateway: string): Promise<TaskPlugin> {
  const where = `listing ${listingId} cannot be served: its metadata at ${
    metadataURI.length <= 120 ? metadataURI : `${metadataURI.slice(0, 117)}…`
  }`;
  let bytes: Uint8Array;
  try {
    bytes = await fetchBytes(metadataURI, { ipfsGateway });
  } catch (error) {
    throw new UsageError(`${where} cannot be read (${(error as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch (error) {
    throw new UsageError(`${where} is not JSON (${(error as Error).message})`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json))
    throw new UsageError(`${where} is not a JSON object`);
  if ((json as { task?: unknown }).task === undefined) return mnistTask;
  try {
    const metadata = parseListingMetadata(json);
    return taskFor(metadata.task, metadata.taskVersion);
  } catch (error) {
    throw new UsageError(`listing ${listingId} cannot be served: ${(error as Error).message}`);
  }
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        mode: { type: "string" },
        listing: { type: "string", multiple: true },
        port: { type: "string" },
        host: { type: "string" },
        "rpc-url": { type: "string" },
        deployment: { type: "string" },
        model: { type: "string" },
        "serving-key-file": { type: "string" },
        "dev-account": { type: "string" },
        state: { type: "string" },
        "allow-origin": { type: "string" },
        "execution-provider": { type: "string" },
        "log-format": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
  if (values.help === true) return void console.log(USAGE);
  const mode = (values.mode ?? "honest") as ProviderMode;
  if (!PROVIDER_MODES.includes(mode))
    throw new UsageError(`--mode must be one of ${PROVIDER_MODES.join(", ")}, got "${mode}"`);
  const listings = (values.listing ?? [])
    .flatMap((v) => v.split(","))
    .filter((v) => v.trim() !== "")
    .map((v) => {
      if (!/^\d+$/.test(v.trim())) throw new UsageError(`--listing takes listing ids, got "${v}"`);
      return BigInt(v.trim());
    });
  if (listings.length === 0) throw new UsageError(`--listing <id> is required\n${USAGE}`);
  const port = Number(values.port ?? "8600");
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be 0-65535, got "${values.port}"`);
  const format = values["log-format"] ?? "text";
  if (format !== "text" && format !== "json") throw new UsageError(`--log-format must be text or json`);
  const ep = values["execution-provider"] ?? "auto";
  if (ep !== "auto" && ep !== "cuda" && ep !== "cpu")
    throw new UsageError(`--execution-provider must be auto, cuda or cpu`);
  const allowOrigin = values["allow-origin"] ?? process.env.CURIA_PROVIDER_ALLOW_ORIGIN ?? "*";
  if (allowOrigin !== "*" && allowOrigin !== "none" && !/^https?:\/\/[^/\s]+$/.test(allowOrigin))
    throw new UsageError(`--allow-origin takes *, none or an origin like https://app.example, got "${allowOrigin}"`);
  const log = createLogger("provider", { format });

  const { path, record } = loadDeployment(values.deployment ?? process.env.CURIA_DEPLOYMENT ?? "localhost");
  const registryAddress = deployedContract(record, "ListingRegistry", `file ${path}`).proxy;
  const rpcUrl = values["rpc-url"] ?? process.env.CURIA_RPC_URL ?? "http://127.0.0.1:8545";
  const provider = await connectRpc(rpcUrl, record);
  const registry = IListingRegistry__factory.connect(registryAddress, provider);
  const retried = <T>(call: () => Promise<T>) => withRetry(call, { attempts: 3, retryable: isTransientRpcError });

  // The serving key, checked against each listing's on-chain serving key before anything is served: receipts signed
  // by another key are refused by every client.
  const devAccount = values["dev-account"];
  if (devAccount !== undefined && !/^\d+$/.test(devAccount))
    throw new UsageError(`--dev-account takes an account index, got "${devAccount}"`);
  const servingKey = await loadServingKey({
    file: values["serving-key-file"],
    env: process.env,
    devAccount: devAccount === undefined ? undefined : Number(devAccount),
    chainId: BigInt(record.chainId),
    onChainKeys: () => Promise.all(listings.map((id) => retried(() => registry.servingKeyOf(id)))),
  });
  const served = await loadServedListings(registry, listings, servingKey.wallet.address);
  log.info(`signing receipts with ${servingKey.label}`, { servingKey: servingKey.wallet.address });

  const loadModel = async (path: string): Promise<ModelSession> => {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path);
    } catch (error) {
      throw new UsageError(`cannot read model ${path}: ${(error as NodeJS.ErrnoException).code}`);
    }
    const loaded = await createSession(bytes, { executionProvider: ep });
    log.info(`serving ${path}`, { mode, executionProvider: loaded.executionProvider });
    return loaded;
  };
  // Each listing's task, from its metadata: MNIST listings share the session below; VAD and OCR listings get their
  // plugin's runner, loaded on the first request (so start-up stays quick) and kept for every later one.
  const ipfsGateway = process.env.CURIA_IPFS_GATEWAY ?? DEFAULT_IPFS_GATEWAY;
  const tasks = await Promise.all(
    listings.map(async (id) =>
      listingTask(id, (await retried(() => registry.getListing(id))).metadataURI, ipfsGateway),
    ),
  );
  const runners = new Map<string, Promise<TaskRunner>>();
  /** The task's reference model (the honest answer) or its cheaper variant (fp16 VAD, OCR at half the width). */
  const runnerOf = (task: TaskPlugin, cheaper: boolean) => (): Promise<TaskRunner> => {
    const key = `${task.spec.id}:${cheaper ? "cheaper" : "reference"}`;
    let runner = runners.get(key);
    if (runner === undefined) {
      const options = { executionProvider: ep } as const;
      runner = (
        task.spec.id === "vad"
          ? vadTask.open(sileroModel(cheaper ? "fp16" : "fp32"), options)
          : openOcr(readFileSync(ocrModelPath()), cheaper ? { ...options, reducedWidth: OCR_WIDTH / 2 } : options)
      ).then((loaded) => {
        log.info(`serving ${key}`, { mode, executionProvider: loaded.executionProvider });
        return loaded;
      });
      runner.catch(() => runners.delete(key));
      runners.set(key, runner);
    }
    return runner;
  };
  const listingTasks = new Map<string, ServedTask>();
  tasks.forEach((task, i) => {
    if (task.spec.id === "mnist") return;
    listingTasks.set(listings[i]!.toString(), {
      task,
      session: runnerOf(task, mode === "degraded" || mode === "validator-aware"),
      ...(mode === "validator-aware" ? { validatorSession: runnerOf(task, false) } : {}),
    });
  });
  const servesMnist = tasks.some((task) => task.spec.id === "mnist");
  log.info(`tasks: ${listings.map((id, i) => `listing ${id} ${tasks[i]!.spec.id}`).join(", ")}`);

  let session: ModelSession | undefined;
  let validatorSession: ModelSession | undefined;
  let isValidator: ((caller: string) => Promise<boolean>) | undefined;
  if (mode !== "random" && servesMnist) {
    session = await loadModel(
      values.model ?? (mode === "honest" ? ensureModels().reference.path : ensureModels().degraded.path),
    );
  }
  if (mode === "validator-aware") {
    if (servesMnist) validatorSession = await loadModel(ensureModels().reference.path);
    const pool = IStakePool__factory.connect(deployedContract(record, "ValidatorPool", `file ${path}`).proxy, provider);
    // A registered validator holds stake (drawable or locked in a round) in the validators' pool: all public.
    isValidator = async (caller) => {
      const member = await retried(() => pool.memberOf(caller));
      return member.staked + member.locked > 0n;
    };
  }
  // Receipts are dated on the chain's clock (what ListingChallenges checks them against). A live chain follows the
  // wall clock; the local development chain is moved ahead by the demo and the tests, so it is read from its blocks.
  const clock = BigInt(record.chainId) === DEV_CHAIN_ID ? await ChainClock.start(provider) : undefined;
  const server = new ProviderServer({
    mode,
    chainNow: clock === undefined ? undefined : () => clock.now(),
    session,
    validatorSession,
    listingTasks,
    isValidator,
    domain: inferenceDomain(record.chainId, registryAddress),
    listings: served,
    servingKey: servingKey.wallet,
    callsPurchased: (listingId, caller) => retried(() => registry.callsPurchased(listingId, caller)),
    usage: new UsageStore(values.state),
    log,
    allowOrigin: allowOrigin === "none" ? false : allowOrigin,
  });
  const url = await server.listen(port, values.host ?? "127.0.0.1");
  console.log(`[provider] listening on ${url} mode ${mode} listings ${listings.join(",")}`);
  const stop = async () => {
    await server.close();
    clock?.stop();
    await session?.release();
    await validatorSession?.release();
    await Promise.all([...runners.values()].map(async (runner) => (await runner).release().catch(() => undefined)));
    provider.destroy();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}

main().catch((error: unknown) => {
  console.error(`[provider] error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
