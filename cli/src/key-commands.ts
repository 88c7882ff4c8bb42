// `curia validator key new | import | address`: the validator's encrypted keystore, made here so that no private key
// ever has to be typed on a command line or printed. The file is what `curia --keystore` and curia-validator read.
import { readFileSync } from "node:fs";
import { Wallet, getAddress, isHexString, type HDNodeWallet } from "ethers";
import { UsageError } from "./format.js";
import { DEFAULT_VALIDATOR_KEYSTORE, decryptKeystore, keystorePassword, promptSecret, writeKeystore } from "./keys.js";

export interface KeyCommandOptions {
  keystore?: string;
  passwordFile?: string;
  fromKeystore?: string;
}

export interface KeyResult {
  text: string[];
  json: Record<string, string>;
}

function targetOf(options: KeyCommandOptions, env: NodeJS.ProcessEnv): string {
  return options.keystore ?? (env.CURIA_KEYSTORE || undefined) ?? DEFAULT_VALIDATOR_KEYSTORE;
}

/** The new keystore's password: where keystorePassword looks, and typed twice when typed on the terminal. */
async function newPassword(options: KeyCommandOptions, env: NodeJS.ProcessEnv): Promise<string> {
  return keystorePassword(options.passwordFile, "the new keystore", env, true);
}

/** Everything stdin holds (a key piped in), or a key typed without echo on a terminal. */
async function keyFromStdin(): Promise<string | undefined> {
  if (process.stdin.isTTY === true) return promptSecret("private key (0x…, not shown): ");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString("utf8").trim();
  return text === "" ? undefined : text;
}

function created(verb: string, path: string, wallet: Wallet | HDNodeWallet): KeyResult {
  return {
    text: [
      `${verb} keystore ${path} for ${wallet.address}`,
      "back it up with its password: the key is in no other place",
    ],
    json: { address: wallet.address, keystore: path },
  };
}

export async function keyCommand(
  command: string | undefined,
  args: string[],
  options: KeyCommandOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<KeyResult> {
  if (args.length > 0) throw new UsageError(`unexpected ${args.join(" ")}`);
  switch (command) {
    case "new": {
      if (options.fromKeystore !== undefined) throw new UsageError("--from-keystore goes with key import");
      const target = targetOf(options, env);
      const password = await newPassword(options, env);
      const wallet = Wallet.createRandom();
      return created("created", await writeKeystore(target, wallet, password), wallet);
    }
    case "import": {
      const target = targetOf(options, env);
      let wallet: Wallet | HDNodeWallet;
      if (options.fromKeystore !== undefined) {
        // The source's password: CURIA_IMPORT_PASSWORD, else asked, else the new keystore's own.
        const sourcePassword =
          (env.CURIA_IMPORT_PASSWORD || undefined) ??
          (await promptSecret(`password of ${options.fromKeystore}: `)) ??
          (await newPassword(options, env));
        wallet = await decryptKeystore(options.fromKeystore, sourcePassword);
      } else {
        // Never a flag: a key on the command line shows in ps and in the shell's history.
        const key = (env.CURIA_KEY || undefined) ?? (await keyFromStdin());
        if (key === undefined)
          throw new UsageError("key import reads the private key from CURIA_KEY or stdin, or --from-keystore <file>");
        if (!isHexString(key, 32)) throw new UsageError("the private key must be 0x-prefixed 32-byte hex");
        wallet = new Wallet(key);
      }
      const password = await newPassword(options, env);
      return created("imported into", await writeKeystore(target, wallet, password), wallet);
    }
    case "address": {
      const path = targetOf(options, env);
      let address: unknown;
      try {
        address = (JSON.parse(readFileSync(path, "utf8")) as { address?: unknown }).address;
      } catch (error) {
        throw new Error(
          `cannot read keystore ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        );
      }
      if (typeof address !== "string") throw new Error(`${path} names no address: not a keystore`);
      const checksummed = getAddress(address.startsWith("0x") ? address : `0x${address}`);
      return { text: [`${checksummed} (keystore ${path})`], json: { address: checksummed, keystore: path } };
    }
    default:
      throw new UsageError(`unknown key command "${command ?? ""}": new, import, address`);
  }
}
