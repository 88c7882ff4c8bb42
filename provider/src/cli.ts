// `curia-provider`: the sample provider server (see server.ts for the HTTP API).
//
//   curia-provider --mode honest|degraded|random --listing <id>[,id…] [--port 8600] [--host 127.0.0.1]
//                  [--rpc-url …] [--deployment localhost] [--model <file.onnx>] [--state <file.json>]
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { inferenceDomain } from "@curia/protocol";
import { IListingRegistry__factory, connectRpc, deployedContract, loadDeployment } from "@curia/protocol/ethers";
import {
  createLogger,
  createSession,
  ensureModels,
  isTransientRpcError,
  withRetry,
  type ModelSession,
} from "@curia/validator";
import { PROVIDER_MODES, ProviderServer, type ProviderMode } from "./server.js";
import { UsageStore } from "./usage.js";

const USAGE = `curia-provider — a sample inference provider for Curia listings

  --mode honest|degraded|random   honest: the reference model; degraded: a cheaper model; random: random answers
  --listing <id>[,id…]            listings served (required)
  --port <port>                   [8600; 0: any free port]      --host <host> [127.0.0.1]
  --rpc-url <url>                 [CURIA_RPC_URL, http://127.0.0.1:8545]
  --deployment <name|file>        [CURIA_DEPLOYMENT, localhost]
  --model <file.onnx>             the model served (default: the cached reference or degraded model of --mode)
  --state <file.json>             remember served calls and used nonces across restarts
  --execution-provider auto|cuda|cpu  [auto]
  --log-format text|json          [text]
`;

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
        state: { type: "string" },
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
  const log = createLogger("provider", { format });

  const { path, record } = loadDeployment(values.deployment ?? process.env.CURIA_DEPLOYMENT ?? "localhost");
  const registryAddress = deployedContract(record, "ListingRegistry", `file ${path}`).proxy;
  const rpcUrl = values["rpc-url"] ?? process.env.CURIA_RPC_URL ?? "http://127.0.0.1:8545";
  const provider = await connectRpc(rpcUrl, record);
  const registry = IListingRegistry__factory.connect(registryAddress, provider);

  let session: ModelSession | undefined;
  if (mode !== "random") {
    const path = values.model ?? (mode === "honest" ? ensureModels().reference.path : ensureModels().degraded.path);
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path);
    } catch (error) {
      throw new UsageError(`cannot read model ${path}: ${(error as NodeJS.ErrnoException).code}`);
    }
    session = await createSession(bytes, { executionProvider: ep });
    log.info(`serving ${path}`, { mode, executionProvider: session.executionProvider });
  }
  const server = new ProviderServer({
    mode,
    session,
    domain: inferenceDomain(record.chainId, registryAddress),
    listings,
    callsPurchased: (listingId, caller) =>
      withRetry(() => registry.callsPurchased(listingId, caller), { attempts: 3, retryable: isTransientRpcError }),
    usage: new UsageStore(values.state),
    log,
  });
  const url = await server.listen(port, values.host ?? "127.0.0.1");
  console.log(`[provider] listening on ${url} mode ${mode} listings ${listings.join(",")}`);
  const stop = async () => {
    await server.close();
    await session?.release();
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
