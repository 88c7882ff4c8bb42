// `curia-canary`: the canary operator's command line (usage in help.ts).
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { JsonRpcProvider, NonceManager, Wallet, formatEther, isHexString, parseEther } from "ethers";
import { deployedContract, loadDeployment } from "@curia/protocol/ethers";
import { CanaryOperator, canaryProviderKey } from "./operator.js";
import { CANARY_USAGE } from "./help.js";

class UsageError extends Error {}

function required(value: string | undefined, what: string): string {
  if (value === undefined || value === "") throw new UsageError(`missing ${what}`);
  return value;
}

function key(value: string | undefined, what: string): string {
  const k = required(value, what);
  if (!isHexString(k, 32)) throw new UsageError(`${what} is not a 32-byte 0x-prefixed hex private key`);
  return k;
}

function index(value: string | undefined, what: string): number {
  const n = Number(required(value, what));
  if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`${what} ${value} is not a non-negative integer`);
  return n;
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      "rpc-url": { type: "string" },
      deployment: { type: "string" },
      "operator-key": { type: "string" },
      "master-key": { type: "string" },
      "fund-from-master": { type: "boolean" },
      from: { type: "string" },
      count: { type: "string" },
      index: { type: "string" },
      state: { type: "string" },
      "model-hash": { type: "string" },
      metadata: { type: "string" },
      endpoint: { type: "string" },
      price: { type: "string" },
      bond: { type: "string" },
      "true-score": { type: "string" },
      "served-model-hash": { type: "string" },
      "interval-ms": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const command = positionals[0];
  if (values.help === true) {
    console.log(CANARY_USAGE);
    return;
  }
  if (command === undefined || !["list", "commit", "run", "audit", "addresses", "provider-key"].includes(command)) {
    throw new UsageError(command === undefined ? "missing command" : `unknown command ${command}`);
  }
  const env = process.env;
  const rpcUrl = values["rpc-url"] ?? env.CURIA_RPC_URL ?? "http://127.0.0.1:8545";
  const masterKey = key(values["master-key"] ?? env.CURIA_CANARY_MASTER_KEY, "--master-key (CURIA_CANARY_MASTER_KEY)");
  if (command === "provider-key") {
    // For the canary's curia-provider (its serving key), derived offline: no chain, no state file needed.
    console.log(canaryProviderKey(masterKey, index(values.index, "--index")));
    return;
  }
  const operatorKey = key(
    values["operator-key"] ?? env.CURIA_CANARY_OPERATOR_KEY,
    "--operator-key (CURIA_CANARY_OPERATOR_KEY)",
  );
  const statePath = values.state ?? env.CURIA_CANARY_STATE ?? ".curia/canary-state.json";
  const { record } = loadDeployment(values.deployment ?? env.CURIA_DEPLOYMENT ?? "localhost");
  const rpc = new JsonRpcProvider(rpcUrl);
  const chainId = (
    await rpc.getNetwork().catch((e: Error) => {
      throw new UsageError(`cannot reach the chain at ${rpcUrl}: ${e.message}`);
    })
  ).chainId;
  if (chainId !== BigInt(record.chainId)) {
    throw new UsageError(`the chain at ${rpcUrl} is ${chainId}, the deployment's is ${record.chainId}`);
  }
  mkdirSync(dirname(statePath), { recursive: true });
  const op = new CanaryOperator({
    operator: new NonceManager(new Wallet(operatorKey, rpc)),
    canaryMasterKey: masterKey,
    chain: rpc,
    addresses: {
      canaryAudits: deployedContract(record, "CanaryAudits").proxy,
      registry: deployedContract(record, "ListingRegistry").proxy,
      validation: deployedContract(record, "ValidationManager").proxy,
      token: deployedContract(record, "CuriaToken").proxy,
    },
    statePath,
    chainId,
    log: (line) => console.log(`${new Date().toISOString()} ${line}`),
  });
  if (command === "list") {
    const score = Number(required(values["true-score"], "--true-score"));
    const id = await op.listCanary({
      modelHash: required(values["model-hash"], "--model-hash"),
      metadataURI: required(values.metadata, "--metadata"),
      endpoint: required(values.endpoint, "--endpoint"),
      price: parseEther(required(values.price, "--price")),
      trueScoreBps: score,
      bond: values.bond === undefined ? undefined : parseEther(values.bond),
      fundFromMaster: values["fund-from-master"] === true,
      servedModelHash: values["served-model-hash"],
    });
    console.log(`canary listing ${id}`);
    return;
  }
  if (command === "addresses") {
    const from = values.from === undefined ? op.nextProviderIndex : index(values.from, "--from");
    const count = values.count === undefined ? 1 : index(values.count, "--count");
    for (const a of await op.providerAddresses(from, count)) {
      console.log(`${a.index} ${a.address} ${formatEther(a.eth)} ETH ${formatEther(a.cur)} CUR`);
    }
    return;
  }
  await op.checkOperator();
  if (command === "commit") {
    console.log(`root ${await op.commitRoot()}`);
    return;
  }
  if (command === "audit") {
    for (const o of await op.auditFinalized()) console.log(`audited round ${o.roundId} (listing ${o.listingId})`);
    return;
  }
  const interval = Number(values["interval-ms"] ?? "15000");
  if (!Number.isInteger(interval) || interval < 100)
    throw new UsageError(`--interval-ms ${values["interval-ms"]} is not an integer >= 100`);
  for (;;) {
    if (op.needsRoot()) await op.commitRoot();
    await op.auditFinalized();
    await new Promise((r) => setTimeout(r, interval));
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  const message = e instanceof Error ? e.message : String(e);
  console.error(`curia-canary: ${message}`);
  if (e instanceof UsageError) console.error("run curia-canary --help for usage");
  process.exitCode = e instanceof UsageError ? 2 : 1;
});
