// The key curia signs with: an encrypted JSON keystore, a key file, a flag, CURIA_KEY, or on the local development
// chain only one of Hardhat's well-known test accounts, whose keys are public. The key itself is never printed, not
// even in an error. Keystores are ethers' (Web3 secret storage v3, scrypt): the same file curia-validator reads.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import { HARDHAT_TEST_MNEMONIC } from "@curia/protocol";
import { HDNodeWallet, Wallet, isHexString, type Provider } from "ethers";
import { UsageError } from "./format.js";

/** The published mnemonic of Hardhat's (and Anvil's) default accounts. */
export { HARDHAT_TEST_MNEMONIC };
export const DEV_CHAIN_ID = 31_337n;

/**
 * Where `curia validator key new` writes the validator's keystore unless told otherwise, and where curia's validator
 * commands and curia-validator look for one when no key is given (curia-validator's DEFAULT_KEYSTORE: the same path).
 */
export const DEFAULT_VALIDATOR_KEYSTORE = ".curia/validator/keystore.json";

export interface KeyOptions {
  keyFile?: string;
  key?: string;
  /** `--dev-account <n>`, as typed. */
  devAccount?: string;
  /** `--keystore <file>`: an encrypted JSON keystore. */
  keystore?: string;
  /** `--password-file <file>`: the keystore's password. */
  passwordFile?: string;
  /** A keystore to use when nothing else names a key and the file exists (the validator's default keystore). */
  defaultKeystore?: string;
}

/** Reads a secret from the terminal without echoing it; undefined when stdin is not a terminal. */
export async function promptSecret(question: string): Promise<string | undefined> {
  if (process.stdin.isTTY !== true) return undefined;
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
  process.stderr.write(question);
  const rl = createInterface({ input: process.stdin, output: muted, terminal: true });
  try {
    return await new Promise<string>((done) => rl.question("", done));
  } finally {
    rl.close();
    process.stderr.write("\n");
  }
}

/**
 * The keystore's password: --password-file, CURIA_KEYSTORE_PASSWORD_FILE, CURIA_KEYSTORE_PASSWORD, else asked on the
 * terminal. Never a flag (a flag shows in ps).
 */
export async function keystorePassword(
  passwordFile: string | undefined,
  what: string,
  env: NodeJS.ProcessEnv = process.env,
  /** Asks for a typed password twice (a new keystore: a typo would lock the key away); a file or env var is as given. */
  confirm = false,
): Promise<string> {
  const file = passwordFile ?? (env.CURIA_KEYSTORE_PASSWORD_FILE || undefined);
  if (file !== undefined) {
    try {
      return readFileSync(file, "utf8").replace(/\r?\n$/, "");
    } catch (error) {
      throw new Error(`cannot read password file ${file}: ${(error as NodeJS.ErrnoException).code ?? "error"}`);
    }
  }
  if (env.CURIA_KEYSTORE_PASSWORD !== undefined && env.CURIA_KEYSTORE_PASSWORD !== "")
    return env.CURIA_KEYSTORE_PASSWORD;
  const typed = await promptSecret(`password of ${what}: `);
  if (typed === undefined)
    throw new UsageError(`${what} needs a password: set CURIA_KEYSTORE_PASSWORD or pass --password-file <file>`);
  if (confirm && (await promptSecret("the same password again: ")) !== typed)
    throw new UsageError("the passwords differ");
  return typed;
}

export async function decryptKeystore(path: string, password: string): Promise<Wallet | HDNodeWallet> {
  let json: string;
  try {
    json = readFileSync(path, "utf8");
  } catch (error) {
    throw new Error(
      `cannot read keystore ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  try {
    return await Wallet.fromEncryptedJson(json, password);
  } catch (error) {
    // ethers says "incorrect password" for a wrong one; anything else is a file that is no keystore.
    throw new Error(`cannot decrypt keystore ${path}: ${(error as Error).message.split(" (")[0]}`);
  }
}

/**
 * Writes `wallet` encrypted with `password` to `path` (mode 0600, its folder 0700 when created), never over an
 * existing file: a keystore overwritten by mistake is a key lost.
 */
export async function writeKeystore(path: string, wallet: Wallet | HDNodeWallet, password: string): Promise<string> {
  const target = resolve(path);
  if (existsSync(target))
    throw new Error(`${target} exists: curia never overwrites a keystore (choose --keystore <file>)`);
  if (password.length < 8) throw new UsageError("the keystore password must have at least 8 characters");
  const json = await wallet.encrypt(password);
  mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
  const tmp = `${target}.${process.pid}.tmp`;
  writeFileSync(tmp, `${json}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, target);
  return target;
}

export async function loadWallet(
  options: KeyOptions,
  chainId: bigint,
  provider: Provider | null,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Wallet | HDNodeWallet> {
  const given = [options.keyFile, options.key, options.devAccount, options.keystore].filter(
    (s) => s !== undefined,
  ).length;
  if (given > 1) throw new UsageError("pass only one of --keystore, --key-file, --key and --dev-account");
  if (options.devAccount !== undefined) {
    if (!/^\d{1,3}$/.test(options.devAccount))
      throw new UsageError(`--dev-account must be 0-999, got ${options.devAccount}`);
    if (chainId !== DEV_CHAIN_ID) {
      throw new Error(
        `--dev-account uses Hardhat's public test keys and is allowed only on the local chain (${DEV_CHAIN_ID}); this is chain ${chainId}. Use --keystore, --key-file or CURIA_KEY.`,
      );
    }
    const path = `m/44'/60'/0'/0/${options.devAccount}`;
    return HDNodeWallet.fromPhrase(HARDHAT_TEST_MNEMONIC, undefined, path).connect(provider);
  }
  const keystore =
    options.keystore ??
    (options.keyFile === undefined && options.key === undefined && (env.CURIA_KEY ?? "") === ""
      ? ((env.CURIA_KEYSTORE || undefined) ??
        (options.defaultKeystore !== undefined && existsSync(options.defaultKeystore)
          ? options.defaultKeystore
          : undefined))
      : undefined);
  if (keystore !== undefined) {
    const password = await keystorePassword(options.passwordFile, `keystore ${keystore}`, env);
    return (await decryptKeystore(keystore, password)).connect(provider);
  }
  let key: string | undefined;
  let from: string;
  if (options.keyFile !== undefined) {
    from = `key file ${options.keyFile}`;
    try {
      key = readFileSync(options.keyFile, "utf8").trim();
    } catch (error) {
      throw new Error(`cannot read ${from}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  } else if (options.key !== undefined) {
    from = "--key";
    key = options.key;
  } else {
    from = "CURIA_KEY";
    key = env.CURIA_KEY;
  }
  if (key === undefined || key === "") {
    throw new UsageError(
      "no key: pass --keystore <file>, --key-file <file> or set CURIA_KEY" +
        (chainId === DEV_CHAIN_ID ? ", or --dev-account <n> on this local chain" : ""),
    );
  }
  if (!isHexString(key, 32)) throw new UsageError(`${from} must hold a 0x-prefixed 32-byte hex private key`);
  return new Wallet(key, provider);
}
