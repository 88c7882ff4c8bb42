// Configuration of `curia-validator`: flags, then environment, then a JSON file (--config or CURIA_VALIDATOR_CONFIG),
// then defaults. Every value is checked here, so a bad one stops the CLI with a message naming where it came from.
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { parseEther } from "ethers";
import { TASK_IDS, type TaskId } from "@curia/protocol";
import { DEFAULT_IPFS_GATEWAY, DEFAULT_PROBE_FUNDING_DEV_ACCOUNT } from "./defaults.js";
import { DEFAULT_SCHEDULE, scheduleProblem, type ProbeSchedule } from "./probes/schedule.js";
import { DEFAULT_MAX_PUBLICATION_BYTES } from "./receipts.js";
import { DEFAULT_SCORE_PARAMS, type ScoreParams } from "./score.js";

export interface ValidatorConfig {
  rpcUrl: string;
  deployment: string;
  keystore?: string;
  password?: string;
  devAccounts: number[];
  stateDir: string;
  logFormat: "text" | "json";
  logLevel: "debug" | "info" | "warn" | "error";
  ipfsGateway: string;
  modelURIs: Record<string, string>;
  executionProvider: "auto" | "cuda" | "cpu";
  samples: number;
  /** Per task (TASK_IDS): probe calls a round's score needs on its listings, in place of `samples`. */
  taskSamples: Partial<Record<TaskId, number>>;
  batchSize: number;
  metricsHost: string;
  metricsPort: number;
  /** The audit server (POST /audits): on unless --no-audits. */
  audits: boolean;
  auditHost: string;
  /** Undefined: the default port (DEFAULT_AUDIT_PORT when free, else any free port); 0: any free port. */
  auditPort: number | undefined;
  /** Audited receipts a round needs to be scored from them instead of probes. */
  minAudits: number;
  /** Audits waiting per listing, at most (more are refused with 429). */
  auditCap: number;
  /** Largest published input or output read (fraud proofs, audits), bytes. */
  maxPublicationBytes: number;
  listings: bigint[];
  /** The probe-funding account: a keystore (password in probeFundingPassword), or a dev account index. */
  probeFundingKeystore?: string;
  probeFundingPassword?: string;
  probeFundingDevAccount?: number;
  probeSchedule: ProbeSchedule;
  /** Gas units each probe buyer is funded for. */
  probeGas: number;
  /** Listings the probe schedule covers (empty: every Active listing). */
  probeListings: bigint[];
  pollMs: number;
  keeper: boolean;
  buyCalls: boolean;
  /** CUR wei to register with (`register`, and `run --stake` when not registered). */
  stake?: bigint;
  /** File fraud proofs for the audited and probed answers outside the task's tolerance (off unless asked). */
  fileFraudProofs: boolean;
  /** Bond per fraud proof, CUR wei (undefined: ListingChallenges' minChallengeBond when filing). */
  fraudProofBond?: bigint;
  json: boolean;
  round: bigint;
  score: ScoreParams;
}

export class ConfigError extends Error {}

/** The audit server's port unless one is configured (when it is taken, any free port: the ready line names it). */
export const DEFAULT_AUDIT_PORT = 9465;

const OPTIONS = {
  config: { type: "string" },
  "rpc-url": { type: "string" },
  deployment: { type: "string" },
  keystore: { type: "string" },
  "password-file": { type: "string" },
  "dev-account": { type: "string", multiple: true },
  "state-dir": { type: "string" },
  "log-format": { type: "string" },
  "log-level": { type: "string" },
  "ipfs-gateway": { type: "string" },
  "model-uri": { type: "string", multiple: true },
  "execution-provider": { type: "string" },
  samples: { type: "string" },
  "task-samples": { type: "string", multiple: true },
  "batch-size": { type: "string" },
  "metrics-host": { type: "string" },
  "metrics-port": { type: "string" },
  "no-audits": { type: "boolean" },
  "audit-host": { type: "string" },
  "audit-port": { type: "string" },
  "min-audits": { type: "string" },
  "audit-cap": { type: "string" },
  "max-publication-bytes": { type: "string" },
  listing: { type: "string", multiple: true },
  "probe-funding-keystore": { type: "string" },
  "probe-funding-password-file": { type: "string" },
  "probe-funding-dev-account": { type: "string" },
  "probes-per-period": { type: "string" },
  "probe-size": { type: "string" },
  "probe-lateness": { type: "string" },
  "probe-gas": { type: "string" },
  "probe-listing": { type: "string", multiple: true },
  "poll-ms": { type: "string" },
  "no-keeper": { type: "boolean" },
  "no-buy": { type: "boolean" },
  stake: { type: "string" },
  "file-fraud-proofs": { type: "boolean" },
  "fraud-proof-bond": { type: "string" },
  round: { type: "string" },
  atol: { type: "string" },
  rtol: { type: "string" },
  "agreement-weight-bps": { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** Keys a config file may hold (camelCase of the flags). */
const FILE_KEYS = new Set([
  "rpcUrl",
  "deployment",
  "keystore",
  "passwordFile",
  "devAccount",
  "stateDir",
  "logFormat",
  "logLevel",
  "ipfsGateway",
  "modelUri",
  "executionProvider",
  "samples",
  "taskSamples",
  "batchSize",
  "metricsHost",
  "metricsPort",
  "audits",
  "auditHost",
  "auditPort",
  "minAudits",
  "auditCap",
  "maxPublicationBytes",
  "listing",
  "probeFundingKeystore",
  "probeFundingPasswordFile",
  "probeFundingDevAccount",
  "probesPerPeriod",
  "probeSize",
  "probeLateness",
  "probeGas",
  "probeListing",
  "pollMs",
  "keeper",
  "buyCalls",
  "stake",
  "fileFraudProofs",
  "fraudProofBond",
  "atol",
  "rtol",
  "agreementWeightBps",
]);

export interface ParsedArgs {
  command: string | undefined;
  positionals: string[];
  config: ValidatorConfig;
  help: boolean;
}

function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

function list(value: unknown): string[] {
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return items
    .flatMap((v) => String(v).split(","))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

export function parseConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new ConfigError(`${(error as Error).message} (see --help)`);
  }
  const flags = parsed.values as Record<string, unknown>;
  const [command, ...positionals] = parsed.positionals;

  const configPath = (flags.config as string | undefined) ?? env.CURIA_VALIDATOR_CONFIG;
  let file: Record<string, unknown> = {};
  if (configPath !== undefined) {
    const path = resolve(configPath);
    if (!existsSync(path)) throw new ConfigError(`config file ${path} does not exist`);
    try {
      file = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
    } catch (error) {
      throw new ConfigError(`config file ${path} is not valid JSON: ${(error as Error).message}`);
    }
    if (file === null || typeof file !== "object" || Array.isArray(file))
      throw new ConfigError(`config file ${path} must hold a JSON object`);
    const unknown = Object.keys(file).filter((k) => !FILE_KEYS.has(k));
    if (unknown.length > 0) {
      throw new ConfigError(
        `config file ${path}: unknown key(s) ${unknown.join(", ")}; allowed: ${[...FILE_KEYS].join(", ")}`,
      );
    }
  }
  const ENV: Record<string, string> = {
    "rpc-url": "CURIA_RPC_URL",
    deployment: "CURIA_DEPLOYMENT",
    keystore: "CURIA_KEYSTORE",
    "password-file": "CURIA_KEYSTORE_PASSWORD_FILE",
    "state-dir": "CURIA_VALIDATOR_STATE_DIR",
    "log-format": "CURIA_LOG_FORMAT",
    "ipfs-gateway": "CURIA_IPFS_GATEWAY",
    "execution-provider": "CURIA_EXECUTION_PROVIDER",
    "metrics-port": "CURIA_METRICS_PORT",
    "audit-port": "CURIA_AUDIT_PORT",
    "dev-account": "CURIA_DEV_ACCOUNT",
    "probe-funding-keystore": "CURIA_PROBE_FUNDING_KEYSTORE",
    "probe-funding-password-file": "CURIA_PROBE_FUNDING_PASSWORD_FILE",
    "probe-funding-dev-account": "CURIA_PROBE_FUNDING_DEV_ACCOUNT",
  };
  /** The value of a setting and where it came from (for error messages). */
  const get = (flag: string): { value: unknown; source: string } | undefined => {
    if (flags[flag] !== undefined) return { value: flags[flag], source: `--${flag}` };
    const envName = ENV[flag];
    if (envName !== undefined && env[envName] !== undefined && env[envName] !== "")
      return { value: env[envName], source: envName };
    const key = camel(flag);
    if (file[key] !== undefined) return { value: file[key], source: `${configPath}: ${key}` };
    return undefined;
  };
  const str = (flag: string, fallback: string): string => {
    const v = get(flag);
    if (v === undefined) return fallback;
    if (typeof v.value !== "string" || v.value.length === 0)
      throw new ConfigError(`${v.source} must be a non-empty string`);
    return v.value;
  };
  const int = (flag: string, fallback: number, min: number, max: number): number => {
    const v = get(flag);
    if (v === undefined) return fallback;
    const n = typeof v.value === "number" ? v.value : Number(String(v.value));
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new ConfigError(`${v.source} must be an integer from ${min} to ${max}, got ${JSON.stringify(v.value)}`);
    }
    return n;
  };
  const num = (flag: string, fallback: number, min: number, max: number): number => {
    const v = get(flag);
    if (v === undefined) return fallback;
    const n = typeof v.value === "number" ? v.value : Number(String(v.value));
    if (!Number.isFinite(n) || n < min || n > max)
      throw new ConfigError(`${v.source} must be a number from ${min} to ${max}, got ${JSON.stringify(v.value)}`);
    return n;
  };
  const oneOf = <T extends string>(flag: string, fallback: T, allowed: readonly T[]): T => {
    const v = str(flag, fallback);
    if (!(allowed as readonly string[]).includes(v))
      throw new ConfigError(`--${flag} must be one of ${allowed.join(", ")}, got "${v}"`);
    return v as T;
  };
  const bool = (key: string, negFlag: string, fallback: boolean): boolean => {
    if (flags[negFlag] === true) return false;
    const v = file[key];
    if (v === undefined) return fallback;
    if (typeof v !== "boolean") throw new ConfigError(`${configPath}: ${key} must be true or false`);
    return v;
  };

  const rpcUrl = str("rpc-url", "http://127.0.0.1:8545");
  if (!/^(https?|wss?):\/\//.test(rpcUrl))
    throw new ConfigError(`the RPC URL must be http(s):// or ws(s)://, got "${rpcUrl}"`);

  const devAccounts = list(get("dev-account")?.value).map((v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0 || n > 999)
      throw new ConfigError(`--dev-account takes account indices 0-999, got "${v}"`);
    return n;
  });
  const keystore = get("keystore")?.value as string | undefined;
  if (keystore !== undefined && devAccounts.length > 0)
    throw new ConfigError("pass either --keystore or --dev-account, not both");
  let password = env.CURIA_KEYSTORE_PASSWORD;
  const passwordFile = get("password-file");
  if (passwordFile !== undefined) {
    try {
      password = readFileSync(String(passwordFile.value), "utf8").replace(/\r?\n$/, "");
    } catch (error) {
      throw new ConfigError(
        `${passwordFile.source}: cannot read ${String(passwordFile.value)} (${(error as NodeJS.ErrnoException).code})`,
      );
    }
  }

  const modelURIs: Record<string, string> = {};
  for (const entry of list(get("model-uri")?.value)) {
    const match = /^(\d+)=(.+)$/.exec(entry);
    if (match !== null) modelURIs[match[1]!] = match[2]!;
    else if (/^[a-z][a-z0-9+.-]*:/i.test(entry) || entry.startsWith("/") || entry.startsWith("."))
      modelURIs["*"] = entry;
    else throw new ConfigError(`--model-uri takes <listingId>=<uri> or <uri>, got "${entry}"`);
  }
  const taskSamples: Partial<Record<TaskId, number>> = {};
  for (const entry of list(get("task-samples")?.value)) {
    const match = /^([a-z]+)=(\d+)$/.exec(entry);
    const n = match === null ? NaN : Number(match[2]);
    if (match === null || !(TASK_IDS as readonly string[]).includes(match[1]!) || !(n >= 1 && n <= 2000)) {
      throw new ConfigError(
        `--task-samples takes <task>=<n> with a task of ${TASK_IDS.join(", ")} and n from 1 to 2000, got "${entry}"`,
      );
    }
    taskSamples[match[1] as TaskId] = n;
  }
  const listings = list(get("listing")?.value).map((v) => {
    if (!/^\d+$/.test(v) || BigInt(v) === 0n)
      throw new ConfigError(`--listing takes listing ids (1, 2, …), got "${v}"`);
    return BigInt(v);
  });
  /** An amount of CUR (wei), positive; undefined when not set. */
  const cur = (flag: string): bigint | undefined => {
    const v = get(flag);
    if (v === undefined) return undefined;
    let amount: bigint;
    try {
      amount = parseEther(String(v.value));
    } catch {
      throw new ConfigError(`${v.source} must be an amount of CUR like 1000 or 250.5, got ${JSON.stringify(v.value)}`);
    }
    if (amount <= 0n) throw new ConfigError(`${v.source} must be positive`);
    return amount;
  };
  const stake = cur("stake");
  const fraudProofBond = cur("fraud-proof-bond");
  let fileFraudProofs = false;
  if (flags["file-fraud-proofs"] === true) fileFraudProofs = true;
  else if (file.fileFraudProofs !== undefined) {
    if (typeof file.fileFraudProofs !== "boolean")
      throw new ConfigError(`${configPath}: fileFraudProofs must be true or false`);
    fileFraudProofs = file.fileFraudProofs;
  }
  if (fraudProofBond !== undefined && !fileFraudProofs)
    throw new ConfigError("--fraud-proof-bond is the bond of the fraud proofs --file-fraud-proofs files: pass both");
  const idList = (flag: string): bigint[] =>
    list(get(flag)?.value).map((v) => {
      if (!/^\d+$/.test(v) || BigInt(v) === 0n)
        throw new ConfigError(`--${flag} takes listing ids (1, 2, …), got "${v}"`);
      return BigInt(v);
    });

  // The probe-funding account: a keystore (its password from a file or the environment, never a flag), or on the local
  // chain a Hardhat test account. CURIA_PROBE_FUNDING_KEY (a 0x-hex key in the environment) is read by the CLI.
  const fundingKeystore = get("probe-funding-keystore")?.value as string | undefined;
  let fundingPassword = env.CURIA_PROBE_FUNDING_PASSWORD;
  const fundingPasswordFile = get("probe-funding-password-file");
  if (fundingPasswordFile !== undefined) {
    try {
      fundingPassword = readFileSync(String(fundingPasswordFile.value), "utf8").replace(/\r?\n$/, "");
    } catch (error) {
      throw new ConfigError(
        `${fundingPasswordFile.source}: cannot read ${String(fundingPasswordFile.value)} (${(error as NodeJS.ErrnoException).code})`,
      );
    }
  }
  const fundingDev = get("probe-funding-dev-account");
  const fundingDevAccount =
    fundingDev === undefined ? undefined : int("probe-funding-dev-account", DEFAULT_PROBE_FUNDING_DEV_ACCOUNT, 0, 999);
  if (fundingKeystore !== undefined && fundingDevAccount !== undefined)
    throw new ConfigError("pass either --probe-funding-keystore or --probe-funding-dev-account, not both");
  const sizeValue = get("probe-size");
  let probeSize = { min: DEFAULT_SCHEDULE.minSize, max: DEFAULT_SCHEDULE.maxSize };
  if (sizeValue !== undefined) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(String(sizeValue.value).trim());
    const min = Number(match?.[1]);
    const max = Number(match?.[2] ?? match?.[1]);
    if (match === null || min < 1 || max < min || max > 512)
      throw new ConfigError(`${sizeValue.source} takes <min>-<max> calls per request within 1-512, like 4-16`);
    probeSize = { min, max };
  }
  const probeSchedule: ProbeSchedule = {
    probesPerPeriod: int("probes-per-period", DEFAULT_SCHEDULE.probesPerPeriod, 0, 10_000),
    minSize: probeSize.min,
    maxSize: probeSize.max,
    latenessSeconds: int("probe-lateness", DEFAULT_SCHEDULE.latenessSeconds, 1, 30 * 86_400),
  };
  const scheduleError = scheduleProblem(probeSchedule);
  if (scheduleError !== undefined) throw new ConfigError(`probe schedule: ${scheduleError}`);

  const roundValue = flags.round as string | undefined;
  if (roundValue !== undefined && !/^\d+$/.test(roundValue))
    throw new ConfigError(`--round takes a round id, got "${roundValue}"`);

  const config: ValidatorConfig = {
    rpcUrl,
    deployment: str("deployment", "localhost"),
    ...(keystore !== undefined ? { keystore: String(keystore) } : {}),
    ...(password !== undefined ? { password } : {}),
    devAccounts,
    stateDir: resolve(str("state-dir", resolve(".curia", "validator"))),
    logFormat: oneOf("log-format", "text", ["text", "json"] as const),
    logLevel: oneOf("log-level", "info", ["debug", "info", "warn", "error"] as const),
    ipfsGateway: str("ipfs-gateway", DEFAULT_IPFS_GATEWAY),
    modelURIs,
    executionProvider: oneOf("execution-provider", "auto", ["auto", "cuda", "cpu"] as const),
    samples: int("samples", 100, 1, 2000),
    taskSamples,
    batchSize: int("batch-size", 100, 1, 512),
    metricsHost: str("metrics-host", "127.0.0.1"),
    metricsPort: int("metrics-port", 9464, 0, 65535),
    audits: bool("audits", "no-audits", true),
    auditHost: str("audit-host", "127.0.0.1"),
    auditPort: get("audit-port") === undefined ? undefined : int("audit-port", DEFAULT_AUDIT_PORT, 0, 65535),
    minAudits: int("min-audits", 20, 1, 1_000_000),
    auditCap: int("audit-cap", 1000, 1, 1_000_000),
    maxPublicationBytes: int("max-publication-bytes", DEFAULT_MAX_PUBLICATION_BYTES, 1024, 1024 * 1024 * 1024),
    listings,
    ...(fundingKeystore !== undefined ? { probeFundingKeystore: String(fundingKeystore) } : {}),
    ...(fundingPassword !== undefined ? { probeFundingPassword: fundingPassword } : {}),
    ...(fundingDevAccount !== undefined ? { probeFundingDevAccount: fundingDevAccount } : {}),
    probeSchedule,
    probeGas: int("probe-gas", 400_000, 50_000, 30_000_000),
    probeListings: idList("probe-listing"),
    pollMs: int("poll-ms", 1000, 50, 600_000),
    keeper: bool("keeper", "no-keeper", true),
    buyCalls: bool("buyCalls", "no-buy", true),
    ...(stake !== undefined ? { stake } : {}),
    fileFraudProofs,
    ...(fraudProofBond !== undefined ? { fraudProofBond } : {}),
    json: flags.json === true,
    round: BigInt(roundValue ?? "0"),
    score: {
      atol: num("atol", DEFAULT_SCORE_PARAMS.atol, 0, 1),
      rtol: num("rtol", DEFAULT_SCORE_PARAMS.rtol, 0, 1),
      agreementWeightBps: int("agreement-weight-bps", DEFAULT_SCORE_PARAMS.agreementWeightBps, 0, 10_000),
    },
  };
  return { command, positionals, config, help: flags.help === true };
}

// The usage text lives in help.ts, which needs no build: the bin prints it before loading anything else.
export { USAGE } from "./help.js";
