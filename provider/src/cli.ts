// `curia-provider`: the sample provider server (see server.ts for the HTTP API).
//
//   curia-provider --mode honest|degraded|random|validator-aware --listing <id>[,id…] [--port 8600] [--host 127.0.0.1]
//                  [--rpc-url …] [--deployment localhost] [--model <file.onnx>] [--state <file.json>]
//                  [--serving-key-file <file> | CURIA_SERVING_KEY | --dev-account <i>] [--allow-origin *|none|<origin>]
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { inferenceDomain } from "@curia/protocol";
import {
  ChainClock,
  IListingRegistry__factory,
  IStakePool__factory,
  connectRpc,
  deployedContract,
  loadDeployment,
} from "@curia/protocol/ethers";
import {
  createLogger,
  createSession,
  ensureModels,
  isTransientRpcError,
  withRetry,
  type ModelSession,
} from "@curia/validator";
import { DEV_CHAIN_ID, loadServingKey } from "./keys.js";
import { loadServedListings } from "./middleware/chain.js";
import { PROVIDER_MODES, ProviderServer, type ProviderMode } from "./server.js";
import { USAGE } from "./help.js";
import { UsageStore } from "./usage.js";

class UsageError extends Error {}

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
  let session: ModelSession | undefined;
  let validatorSession: ModelSession | undefined;
  let isValidator: ((caller: string) => Promise<boolean>) | undefined;
  if (mode !== "random") {
    session = await loadModel(
      values.model ?? (mode === "honest" ? ensureModels().reference.path : ensureModels().degraded.path),
    );
  }
  if (mode === "validator-aware") {
    validatorSession = await loadModel(ensureModels().reference.path);
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
