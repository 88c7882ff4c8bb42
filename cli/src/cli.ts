// `curia`: consumer, provider, juror and validator actions on the deployed contracts; other `curia validator …` commands
// run curia-validator.
// USAGE is in help.ts. Amounts are read and printed in CUR; a failed call prints the contract's custom error by name
// with its arguments (format.ts) and exits 1; a bad command line prints usage and exits 2.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import {
  HDNodeWallet,
  Wallet,
  getAddress,
  isAddress,
  isHexString,
  type ContractTransactionResponse,
  type JsonRpcProvider,
} from "ethers";
import {
  CuriaToken__factory,
  IListingRegistry__factory,
  IStakePool__factory,
  IValidationManager__factory,
  ChainClock,
  CuriaClient,
  FileReceiptStore,
  connectRpc,
  deployedContract,
  loadDeployment,
  type CuriaToken,
  type IListingRegistry,
  type IStakePool,
  type IValidationManager,
} from "@curia/protocol/ethers";
import type { DeploymentRecord } from "@curia/protocol";
import { TASK_IDS, parseListingMetadata, taskSpec } from "@curia/protocol";
import { UsageError, errorLine, formatCur, parseCount, parseCur } from "./format.js";
import { DEFAULT_VALIDATOR_KEYSTORE, loadWallet, type KeyOptions } from "./keys.js";
import { USAGE } from "./help.js";
import { keyCommand } from "./key-commands.js";
import {
  DEFAULT_RECEIPTS_DIR,
  formatOutputs,
  readInputFile,
  verifyReceiptDocument,
  writeReceiptFile,
} from "./inference.js";

const OPTIONS = {
  "rpc-url": { type: "string" },
  rpc: { type: "string" },
  deployment: { type: "string" },
  key: { type: "string" },
  "key-file": { type: "string" },
  "dev-account": { type: "string" },
  account: { type: "string" },
  json: { type: "boolean" },
  "max-price": { type: "string" },
  listing: { type: "string" },
  "model-hash": { type: "string" },
  metadata: { type: "string" },
  task: { type: "string" },
  "task-version": { type: "string" },
  name: { type: "string" },
  description: { type: "string" },
  "model-uri": { type: "string" },
  endpoint: { type: "string" },
  price: { type: "string" },
  bond: { type: "string" },
  to: { type: "string" },
  complete: { type: "boolean" },
  keystore: { type: "string" },
  "password-file": { type: "string" },
  "from-keystore": { type: "string" },
  input: { type: "string" },
  "receipts-dir": { type: "string" },
  "receipt-out": { type: "string" },
} as const;

type Options = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]["type"] extends "boolean" ? boolean : string };

interface Session {
  provider: JsonRpcProvider;
  wallet: Wallet | HDNodeWallet;
  chainId: bigint;
  token: CuriaToken;
  registry: IListingRegistry;
  registryAddress: string;
  jurorPool: IStakePool | undefined;
  jurorPoolAddress: string | undefined;
  record: DeploymentRecord;
  deploymentPath: string;
}

function parse(argv: string[]): { options: Options; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    return { options: values as Options, positionals };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function rpcUrl(options: Options): string {
  return options["rpc-url"] ?? options.rpc ?? process.env.CURIA_RPC_URL ?? "http://127.0.0.1:8545";
}

function deploymentRef(options: Options): string {
  return options.deployment ?? process.env.CURIA_DEPLOYMENT ?? "localhost";
}

function keyOptions(options: Options, role: string): KeyOptions {
  return {
    keyFile: options["key-file"],
    key: options.key,
    devAccount: options["dev-account"] ?? options.account,
    keystore: options.keystore,
    passwordFile: options["password-file"],
    // A validator's own commands find the keystore `curia validator key new` wrote by default.
    ...(role === "validator" ? { defaultKeystore: process.env.CURIA_KEYSTORE || DEFAULT_VALIDATOR_KEYSTORE } : {}),
  };
}

async function open(options: Options, role: string): Promise<Session> {
  const { path, record } = loadDeployment(deploymentRef(options));
  const provider = await connectRpc(rpcUrl(options), record);
  try {
    const chainId = BigInt(record.chainId);
    const wallet = await loadWallet(keyOptions(options, role), chainId, provider);
    const registryAddress = getAddress(deployedContract(record, "ListingRegistry", `file ${path}`).proxy);
    const pool = record.contracts.JurorPool?.proxy;
    return {
      provider,
      wallet,
      chainId,
      token: CuriaToken__factory.connect(
        getAddress(deployedContract(record, "CuriaToken", `file ${path}`).proxy),
        wallet,
      ),
      registry: IListingRegistry__factory.connect(registryAddress, wallet),
      registryAddress,
      jurorPool: pool === undefined ? undefined : IStakePool__factory.connect(getAddress(pool), wallet),
      jurorPoolAddress: pool === undefined ? undefined : getAddress(pool),
      record,
      deploymentPath: path,
    };
  } catch (error) {
    provider.destroy();
    throw error;
  }
}

async function send(tx: Promise<ContractTransactionResponse>): Promise<string> {
  const receipt = await (await tx).wait();
  if (receipt === null || receipt.status !== 1) throw new Error("the transaction failed");
  return receipt.hash;
}

/** Approves `spender` for `amount` when the allowance is short of it (exactly the amount: never an open allowance). */
async function ensureAllowance(s: Session, spender: string, amount: bigint): Promise<void> {
  if ((await s.token.allowance(s.wallet.address, spender)) >= amount) return;
  await send(s.token.approve(spender, amount));
}

/** What a command prints: lines for people, or the same facts as JSON with --json. */
type Result = { text: string[]; json: Record<string, string> };

/** A command whose arguments are checked: run against the chain once connected (bad arguments exit 2 before that). */
type Plan = (s: Session) => Promise<Result>;

function needArgs(positionals: string[], count: number, usage: string): void {
  if (positionals.length !== count) throw new UsageError(`usage: curia ${usage}`);
}

function consumer(command: string, args: string[], options: Options): Plan {
  if (command === "balance") {
    needArgs(args, 0, "consumer balance [--listing <id>]");
    const listingId = options.listing === undefined ? undefined : parseCount(options.listing, "--listing", 1n);
    return async (s) => {
      const me = s.wallet.address;
      const balance = await s.token.balanceOf(me);
      const result: Result = {
        text: [`${me}: ${formatCur(balance)}`],
        json: { account: me, balance: balance.toString() },
      };
      if (listingId !== undefined) {
        const calls = await s.registry.callsPurchased(listingId, me);
        result.text.push(`calls bought on listing ${listingId}: ${calls}`);
        result.json.calls = calls.toString();
      }
      return result;
    };
  }
  if (command === "buy") {
    needArgs(args, 2, "consumer buy <listingId> <calls> [--max-price <CUR>]");
    const listingId = parseCount(args[0], "listingId", 1n);
    const calls = parseCount(args[1], "calls", 1n);
    const maxPrice = options["max-price"] === undefined ? undefined : parseCur(options["max-price"], "--max-price");
    return async (s) => {
      const [, price] = await s.registry.statusAndPriceOf(listingId);
      // The cap protects the buyer from a price raised under its transaction; by default it is the price just read.
      const cap = maxPrice ?? price;
      await ensureAllowance(s, s.registryAddress, cap * calls);
      const tx = await send(s.registry.purchase(listingId, calls, s.wallet.address, cap));
      const cost = price * calls;
      return {
        text: [
          `bought ${calls} calls on listing ${listingId} for ${formatCur(cost)} (${formatCur(price)} per call); tx ${tx}`,
        ],
        json: {
          listingId: listingId.toString(),
          calls: calls.toString(),
          pricePerCall: price.toString(),
          cost: cost.toString(),
          tx,
        },
      };
    };
  }
  if (command === "call") {
    needArgs(args, 1, "consumer call <listingId> --input <file> [--receipts-dir <dir>] [--receipt-out <file>]");
    const listingId = parseCount(args[0], "listingId", 1n);
    if (options.input === undefined) throw new UsageError("consumer call needs --input <file>");
    const input = readInputFile(options.input);
    const receiptsDir =
      options["receipts-dir"] ?? (process.env.CURIA_RECEIPTS_DIR || undefined) ?? DEFAULT_RECEIPTS_DIR;
    return async (s) => {
      // Receipts are dated on the chain's clock (a development chain may run ahead of the wall clock).
      const clock = await ChainClock.start(s.provider, 0);
      const store = new FileReceiptStore(receiptsDir);
      const client = CuriaClient.fromDeployment(s.record, s.wallet, { store, chainNow: () => clock.now() });
      // The receipt is in its file before infer() returns: an answer is never shown without it kept.
      const answer = await client.infer(
        listingId,
        input.values,
        options.endpoint === undefined ? {} : { endpoint: options.endpoint },
      );
      const saved = join(resolve(receiptsDir), `${answer.stored.digest}.json`);
      const copy =
        options["receipt-out"] === undefined ? undefined : writeReceiptFile(options["receipt-out"], answer.stored);
      const r = answer.stored.receipt;
      return {
        text: [
          `listing ${listingId} answered ${answer.outputs.length} values:`,
          ...formatOutputs(answer.outputs, input.count),
          `receipt ${answer.stored.digest}, signed by the listing's serving key:`,
          `  model ${r.modelHash}; caller ${r.caller}; nonce ${r.nonce}`,
          `  inputHash ${r.inputHash}; outputHash ${r.outputHash}`,
          `  served at ${new Date(Number(r.servedAt) * 1000).toISOString()}; signature ${r.signature}`,
          `saved to ${saved}${copy === undefined ? "" : ` and ${copy}`} (curia consumer verify-receipt <file>)`,
        ],
        json: {
          listingId: listingId.toString(),
          outputs: JSON.stringify(Array.from(answer.outputs)),
          digest: answer.stored.digest,
          receipt: JSON.stringify(r),
          file: saved,
        },
      };
    };
  }
  throw new UsageError(`unknown consumer command "${command}": buy, balance, call, verify-receipt`);
}

/**
 * The listing's metadata URI: --metadata as given, or, with --task, task metadata written here as a data: URI (what
 * validators and providers read with @curia/protocol's parseListingMetadata to pick the task's plugin).
 */
function listingMetadataUri(options: Options, modelHash: string): string {
  const taskOptions = (["task-version", "name", "description", "model-uri"] as const).filter(
    (key) => options[key] !== undefined,
  );
  if (options.task === undefined) {
    if (taskOptions.length > 0) throw new UsageError(`--${taskOptions[0]} goes with --task mnist|vad|ocr`);
    if (options.metadata === undefined) {
      throw new UsageError(`--metadata <uri> or --task ${TASK_IDS.join("|")} --name <name> is required`);
    }
    return options.metadata;
  }
  if (options.metadata !== undefined) {
    throw new UsageError("give either --metadata <uri> or --task (which writes the metadata), not both");
  }
  if (!(TASK_IDS as readonly string[]).includes(options.task)) {
    throw new UsageError(`--task must be one of ${TASK_IDS.join(", ")}, got "${options.task}"`);
  }
  let taskVersion: number | undefined;
  if (options["task-version"] !== undefined) {
    if (!/^[1-9]\d*$/.test(options["task-version"])) {
      throw new UsageError(`--task-version must be a positive integer, got "${options["task-version"]}"`);
    }
    taskVersion = Number(options["task-version"]);
  }
  if (options.name === undefined || options.name.trim() === "") throw new UsageError("--task needs --name <name>");
  const json = {
    name: options.name,
    ...(options.description === undefined ? {} : { description: options.description }),
    task: options.task,
    taskVersion: taskVersion ?? taskSpec(options.task).version,
    modelHash: modelHash.toLowerCase(),
    ...(options["model-uri"] === undefined ? {} : { modelURI: options["model-uri"] }),
  };
  try {
    // The same parser validators and providers read it with: a version this build does not speak fails here.
    parseListingMetadata(json);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return `data:application/json,${encodeURIComponent(JSON.stringify(json))}`;
}

function providerCommand(command: string, args: string[], options: Options): Plan {
  switch (command) {
    case "create-listing":
    case "list": {
      needArgs(
        args,
        0,
        `provider ${command} --model-hash <0x…> (--metadata <uri> | --task mnist|vad|ocr --name <name>) --endpoint <url> --price <CUR> [--bond <CUR>]`,
      );
      const { endpoint } = options;
      const modelHash = options["model-hash"];
      if (modelHash === undefined || !isHexString(modelHash, 32))
        throw new UsageError("--model-hash must be the model file's 32-byte SHA-256 as 0x-hex");
      const metadata = listingMetadataUri(options, modelHash);
      if (endpoint === undefined) throw new UsageError("--endpoint <url> is required");
      if (options.price === undefined) throw new UsageError("--price <CUR> is required");
      const price = parseCur(options.price, "--price");
      const givenBond = options.bond === undefined ? undefined : parseCur(options.bond, "--bond");
      return async (s) => {
        const bond = givenBond ?? (await s.registry.parameters()).minBond;
        await ensureAllowance(s, s.registryAddress, bond);
        const response = await s.registry.createListing(modelHash, metadata, endpoint, price, bond);
        const receipt = await response.wait();
        const created = receipt?.logs
          .map((log) => s.registry.interface.parseLog(log))
          .find((event) => event?.name === "ListingCreated");
        if (created === undefined || created === null) throw new Error(`no ListingCreated event in ${response.hash}`);
        const listingId = String(created.args[0]);
        return {
          text: [
            `listed model ${modelHash} as listing ${listingId}: ${formatCur(price)} per call, bond ${formatCur(bond)}; tx ${response.hash}`,
          ],
          json: { listingId, price: price.toString(), bond: bond.toString(), tx: response.hash },
        };
      };
    }
    case "update-price": {
      needArgs(args, 2, "provider update-price <listingId> <CUR>");
      const listingId = parseCount(args[0], "listingId", 1n);
      const price = parseCur(args[1]!, "price");
      return async (s) => {
        const tx = await send(s.registry.updatePrice(listingId, price));
        return {
          text: [`listing ${listingId} now costs ${formatCur(price)} per call; tx ${tx}`],
          json: { listingId: listingId.toString(), price: price.toString(), tx },
        };
      };
    }
    case "update-endpoint":
    case "update-metadata": {
      const what = command === "update-endpoint" ? "url" : "uri";
      needArgs(args, 2, `provider ${command} <listingId> <${what}>`);
      const listingId = parseCount(args[0], "listingId", 1n);
      const value = args[1]!;
      if (value.trim() === "") throw new UsageError(`the ${what} must not be empty`);
      return async (s) => {
        const tx = await send(
          command === "update-endpoint"
            ? s.registry.updateEndpoint(listingId, value)
            : s.registry.updateMetadata(listingId, value),
        );
        const field = command === "update-endpoint" ? "endpoint" : "metadata";
        return {
          text: [`listing ${listingId}'s ${field} is now ${value}; tx ${tx}`],
          json: { listingId: listingId.toString(), [field]: value, tx },
        };
      };
    }
    case "earnings": {
      needArgs(args, 0, "provider earnings [--listing <id>]");
      const listingId = options.listing === undefined ? undefined : parseCount(options.listing, "--listing", 1n);
      return async (s) => {
        const text: string[] = [];
        if (listingId !== undefined) {
          await send(s.registry.releaseEarnings(listingId));
          text.push(`released listing ${listingId}'s escrowed earnings`);
        }
        const earnings = await s.registry.earningsOf(s.wallet.address);
        text.push(`withdrawable earnings of ${s.wallet.address}: ${formatCur(earnings)}`);
        return { text, json: { account: s.wallet.address, earnings: earnings.toString() } };
      };
    }
    case "withdraw-earnings": {
      needArgs(args, 0, "provider withdraw-earnings [--to <address>]");
      if (options.to !== undefined && !isAddress(options.to))
        throw new UsageError(`--to is not an address: ${options.to}`);
      const givenTo = options.to === undefined ? undefined : getAddress(options.to);
      return async (s) => {
        const to = givenTo ?? s.wallet.address;
        const amount = await s.registry.earningsOf(s.wallet.address);
        const tx = await send(s.registry.withdrawEarnings(to));
        return {
          text: [`withdrew ${formatCur(amount)} to ${to}; tx ${tx}`],
          json: { to, amount: amount.toString(), tx },
        };
      };
    }
    case "exit": {
      needArgs(args, 1, "provider exit <listingId> [--complete]");
      const listingId = parseCount(args[0], "listingId", 1n);
      if (options.complete === true) {
        return async (s) => {
          const { bond } = await s.registry.getListing(listingId);
          const tx = await send(s.registry.completeWithdrawal(listingId));
          return {
            text: [`listing ${listingId} withdrawn; bond of ${formatCur(bond)} returned; tx ${tx}`],
            json: { listingId: listingId.toString(), bond: bond.toString(), tx },
          };
        };
      }
      return async (s) => {
        const tx = await send(s.registry.requestWithdrawal(listingId));
        const { withdrawableAt } = await s.registry.getListing(listingId);
        const when = new Date(Number(withdrawableAt) * 1000).toISOString();
        return {
          text: [
            `listing ${listingId}: withdrawal requested; complete it from ${when} (curia provider exit ${listingId} --complete); tx ${tx}`,
          ],
          json: { listingId: listingId.toString(), withdrawableAt: withdrawableAt.toString(), tx },
        };
      };
    }
    default:
      throw new UsageError(
        `unknown provider command "${command}": create-listing (or list), update-price, update-endpoint, update-metadata, earnings, withdraw-earnings, exit`,
      );
  }
}

/**
 * stake, unstake and withdraw on a StakePool: validators and jurors each have one pool, with the same interface, so the
 * commands differ only in the role they name. undefined: not one of these commands.
 */
function poolCommand(
  command: string,
  args: string[],
  role: "validator" | "juror",
  poolOf: (s: Session) => { pool: IStakePool; address: string },
): Plan | undefined {
  // The validator's line has always named the role ("validator 0x… now stakes"); the juror's starts at the address.
  const who = (address: string): string => (role === "validator" ? `validator ${address}` : address);
  switch (command) {
    case "stake": {
      needArgs(args, 1, `${role} stake <CUR>`);
      const amount = parseCur(args[0]!, "amount");
      return async (s) => {
        const { pool, address } = poolOf(s);
        await ensureAllowance(s, address, amount);
        const tx = await send(pool.stake(amount));
        const { staked } = await pool.memberOf(s.wallet.address);
        return {
          text: [`staked ${formatCur(amount)}; ${who(s.wallet.address)} now stakes ${formatCur(staked)}; tx ${tx}`],
          json: { amount: amount.toString(), staked: staked.toString(), tx },
        };
      };
    }
    case "unstake": {
      needArgs(args, 1, `${role} unstake <CUR>`);
      const amount = parseCur(args[0]!, "amount");
      return async (s) => {
        const { pool } = poolOf(s);
        const tx = await send(pool.requestUnstake(amount));
        const { thawing, thawEnd } = await pool.memberOf(s.wallet.address);
        const when = new Date(Number(thawEnd) * 1000).toISOString();
        return {
          text: [
            `${formatCur(amount)} thawing (${formatCur(thawing)} in all) until ${when}; then: curia ${role} withdraw; tx ${tx}`,
          ],
          json: { amount: amount.toString(), thawing: thawing.toString(), thawEnd: thawEnd.toString(), tx },
        };
      };
    }
    case "withdraw": {
      needArgs(args, 0, `${role} withdraw`);
      return async (s) => {
        const { pool } = poolOf(s);
        const before = await s.token.balanceOf(s.wallet.address);
        const tx = await send(pool.withdraw());
        const amount = (await s.token.balanceOf(s.wallet.address)) - before;
        return { text: [`withdrew ${formatCur(amount)}; tx ${tx}`], json: { amount: amount.toString(), tx } };
      };
    }
    default:
      return undefined;
  }
}

/** The validators' stake pool and the ValidationManager that pays their rewards. */
function validatorContracts(s: Session): { pool: IStakePool; poolAddress: string; validation: IValidationManager } {
  const poolAddress = getAddress(deployedContract(s.record, "ValidatorPool", `file ${s.deploymentPath}`).proxy);
  const validation = getAddress(deployedContract(s.record, "ValidationManager", `file ${s.deploymentPath}`).proxy);
  return {
    pool: IStakePool__factory.connect(poolAddress, s.wallet),
    poolAddress,
    validation: IValidationManager__factory.connect(validation, s.wallet),
  };
}

/** Validator commands curia runs itself; the others (register, run, verify, …) are curia-validator's. */
const VALIDATOR_COMMANDS = ["key", "stake", "unstake", "withdraw", "claim", "status"];

function validatorCommand(command: string, args: string[]): Plan {
  const pooled = poolCommand(command, args, "validator", (s) => {
    const { pool, poolAddress } = validatorContracts(s);
    return { pool, address: poolAddress };
  });
  if (pooled !== undefined) return pooled;
  switch (command) {
    case "claim": {
      needArgs(args, 0, "validator claim");
      return async (s) => {
        const { validation } = validatorContracts(s);
        const amount = await validation.rewardsOf(s.wallet.address);
        const tx = await send(validation.claimRewards());
        return { text: [`claimed ${formatCur(amount)} of rewards; tx ${tx}`], json: { amount: amount.toString(), tx } };
      };
    }
    case "status": {
      needArgs(args, 0, "validator status");
      return async (s) => {
        const { pool, validation } = validatorContracts(s);
        const me = s.wallet.address;
        const [member, [weight, totalWeight], params, rewards, balance] = await Promise.all([
          pool.memberOf(me),
          pool.drawWeight(me),
          pool.parameters(),
          validation.rewardsOf(me),
          s.token.balanceOf(me),
        ]);
        const thawEnd = member.thawEnd === 0n ? "" : ` until ${new Date(Number(member.thawEnd) * 1000).toISOString()}`;
        const registered = member.staked >= params.minStake;
        return {
          text: [
            `validator ${me}${registered ? "" : " (not registered: stake at least the minimum)"}`,
            `  staked        ${formatCur(member.staked)}`,
            `  locked        ${formatCur(member.locked)}`,
            `  thawing       ${formatCur(member.thawing)}${thawEnd}`,
            `  rewards       ${formatCur(rewards)} (curia validator claim)`,
            `  draw weight   ${formatCur(weight)} of ${formatCur(totalWeight)}`,
            `  balance       ${formatCur(balance)}`,
            `  pool minimum  ${formatCur(params.minStake)}; thawing period ${params.thawingPeriod} s`,
          ],
          json: {
            account: me,
            registered: String(registered),
            staked: member.staked.toString(),
            locked: member.locked.toString(),
            thawing: member.thawing.toString(),
            thawEnd: member.thawEnd.toString(),
            rewards: rewards.toString(),
            weight: weight.toString(),
            totalWeight: totalWeight.toString(),
            balance: balance.toString(),
            minStake: params.minStake.toString(),
            thawingPeriod: params.thawingPeriod.toString(),
          },
        };
      };
    }
    default:
      throw new UsageError(`unknown validator command "${command}"`);
  }
}

function jurorPoolOf(s: Session): { pool: IStakePool; address: string } {
  if (s.jurorPool === undefined || s.jurorPoolAddress === undefined)
    throw new Error("this deployment has no JurorPool");
  return { pool: s.jurorPool, address: s.jurorPoolAddress };
}

function juror(command: string, args: string[]): Plan {
  const pooled = poolCommand(command, args, "juror", jurorPoolOf);
  if (pooled !== undefined) return pooled;
  switch (command) {
    case "status": {
      needArgs(args, 0, "juror status");
      return async (s) => {
        const { pool } = jurorPoolOf(s);
        const me = s.wallet.address;
        const [member, [weight, totalWeight], params, balance] = await Promise.all([
          pool.memberOf(me),
          pool.drawWeight(me),
          pool.parameters(),
          s.token.balanceOf(me),
        ]);
        const thawEnd = member.thawEnd === 0n ? "" : ` until ${new Date(Number(member.thawEnd) * 1000).toISOString()}`;
        return {
          text: [
            `juror ${me}`,
            `  staked        ${formatCur(member.staked)}`,
            `  locked        ${formatCur(member.locked)}`,
            `  thawing       ${formatCur(member.thawing)}${thawEnd}`,
            `  draw weight   ${formatCur(weight)} of ${formatCur(totalWeight)}`,
            `  balance       ${formatCur(balance)}`,
            `  pool minimum  ${formatCur(params.minStake)}; thawing period ${params.thawingPeriod} s`,
          ],
          json: {
            account: me,
            staked: member.staked.toString(),
            locked: member.locked.toString(),
            thawing: member.thawing.toString(),
            thawEnd: member.thawEnd.toString(),
            weight: weight.toString(),
            totalWeight: totalWeight.toString(),
            balance: balance.toString(),
            minStake: params.minStake.toString(),
            thawingPeriod: params.thawingPeriod.toString(),
          },
        };
      };
    }
    default:
      throw new UsageError(`unknown juror command "${command}": stake, unstake, withdraw, status`);
  }
}

/** `curia consumer verify-receipt <file>`: needs the chain, no key. Exit 0 valid, 1 invalid. */
async function verifyReceipt(args: string[], options: Options): Promise<number> {
  needArgs(args, 1, "consumer verify-receipt <file>");
  const file = args[0]!;
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new UsageError(
      `cannot read ${file} as JSON: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  const { path, record } = loadDeployment(deploymentRef(options));
  const provider = await connectRpc(rpcUrl(options), record);
  try {
    const registryAddress = getAddress(deployedContract(record, "ListingRegistry", `file ${path}`).proxy);
    const registry = IListingRegistry__factory.connect(registryAddress, provider);
    const verdict = await verifyReceiptDocument(doc, registry, BigInt(record.chainId), registryAddress);
    if (options.json === true) {
      console.log(
        JSON.stringify(
          verdict.valid
            ? { valid: true, digest: verdict.digest, signer: verdict.signer, notes: verdict.notes }
            : {
                valid: false,
                reason: verdict.reason,
                ...(verdict.digest === undefined ? {} : { digest: verdict.digest }),
              },
        ),
      );
    } else if (verdict.valid) {
      const served = new Date(Number(verdict.receipt.servedAt) * 1000).toISOString();
      console.log(
        [
          `valid: receipt ${verdict.digest} of listing ${verdict.receipt.listingId}, signed by its serving key ${verdict.signer} (served at ${served})`,
          ...verdict.notes.map((note) => `  note: ${note}`),
        ].join("\n"),
      );
    } else {
      console.log(`invalid: ${verdict.reason}`);
    }
    return verdict.valid ? 0 : 1;
  } finally {
    provider.destroy();
  }
}

/** `curia [globals] validator …`: curia-validator with the global chain options passed on; its exit code is ours. */
function validator(globals: Options, rest: string[]): number {
  const bin = fileURLToPath(new URL("../../validator/bin/curia-validator.mjs", import.meta.url));
  if (!existsSync(bin))
    throw new Error(`curia validator runs curia-validator, which is not installed next to curia (${bin})`);
  if (globals.key !== undefined || globals["key-file"] !== undefined)
    throw new UsageError(
      "curia-validator signs with --keystore <file> (see curia validator --help), not --key/--key-file",
    );
  const passed: string[] = [];
  const rpc = globals["rpc-url"] ?? globals.rpc;
  if (rpc !== undefined) passed.push("--rpc-url", rpc);
  if (globals.deployment !== undefined) passed.push("--deployment", globals.deployment);
  const dev = globals["dev-account"] ?? globals.account;
  if (dev !== undefined) passed.push("--dev-account", dev);
  if (globals.keystore !== undefined) passed.push("--keystore", globals.keystore);
  if (globals["password-file"] !== undefined) passed.push("--password-file", globals["password-file"]);
  if (globals.json === true) passed.push("--json");
  const run = spawnSync(process.execPath, [bin, ...rest, ...passed], { stdio: "inherit" });
  if (run.error !== undefined) throw run.error;
  return run.status ?? 1;
}

async function main(argv: string[]): Promise<number> {
  const at = argv.indexOf("validator");
  if (at !== -1 && !VALIDATOR_COMMANDS.includes(argv[at + 1] ?? "")) {
    const { options, positionals } = parse(argv.slice(0, at));
    if (positionals.length > 0) throw new UsageError(`unexpected ${positionals.join(" ")} before "validator"`);
    return validator(options, argv.slice(at + 1));
  }
  const { options, positionals } = parse(argv);
  const [role, command, ...args] = positionals;
  if (role === undefined || command === undefined) throw new UsageError("name a role and a command");
  if (!["consumer", "provider", "juror", "validator"].includes(role))
    throw new UsageError(`unknown role "${role}": consumer, provider, juror, validator`);
  if (role === "validator" && command === "key") {
    const [keyCmd, ...keyArgs] = args;
    const result = await keyCommand(keyCmd, keyArgs, {
      ...(options.keystore !== undefined ? { keystore: options.keystore } : {}),
      ...(options["password-file"] !== undefined ? { passwordFile: options["password-file"] } : {}),
      ...(options["from-keystore"] !== undefined ? { fromKeystore: options["from-keystore"] } : {}),
    });
    console.log(options.json === true ? JSON.stringify(result.json) : result.text.join("\n"));
    return 0;
  }
  if (role === "consumer" && command === "verify-receipt") return verifyReceipt(args, options);
  const plan =
    role === "consumer"
      ? consumer(command, args, options)
      : role === "provider"
        ? providerCommand(command, args, options)
        : role === "validator"
          ? validatorCommand(command, args)
          : juror(command, args);
  const session = await open(options, role);
  try {
    const result = await plan(session);
    console.log(options.json === true ? JSON.stringify(result.json) : result.text.join("\n"));
    return 0;
  } finally {
    session.provider.destroy();
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`curia: ${error.message}\n\n${USAGE}`);
    process.exitCode = 2;
  } else {
    console.error(`curia: ${errorLine(error)}`);
    process.exitCode = 1;
  }
}
