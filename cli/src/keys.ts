// The key curia signs with: a key file, a flag, CURIA_KEY, or on the local development chain only one of Hardhat's
// well-known test accounts, whose keys are public. The key itself is never printed, not even in an error.
import { readFileSync } from "node:fs";
import { HARDHAT_TEST_MNEMONIC } from "@curia/protocol";
import { HDNodeWallet, Wallet, isHexString, type Provider } from "ethers";
import { UsageError } from "./format.js";

/** The published mnemonic of Hardhat's (and Anvil's) default accounts. */
export { HARDHAT_TEST_MNEMONIC };
export const DEV_CHAIN_ID = 31_337n;

export interface KeyOptions {
  keyFile?: string;
  key?: string;
  /** `--dev-account <n>`, as typed. */
  devAccount?: string;
}

export function loadWallet(
  options: KeyOptions,
  chainId: bigint,
  provider: Provider | null,
  env: NodeJS.ProcessEnv = process.env,
): Wallet | HDNodeWallet {
  const given = [options.keyFile, options.key, options.devAccount].filter((s) => s !== undefined).length;
  if (given > 1) throw new UsageError("pass only one of --key-file, --key and --dev-account");
  if (options.devAccount !== undefined) {
    if (!/^\d{1,3}$/.test(options.devAccount))
      throw new UsageError(`--dev-account must be 0-999, got ${options.devAccount}`);
    if (chainId !== DEV_CHAIN_ID) {
      throw new Error(
        `--dev-account uses Hardhat's public test keys and is allowed only on the local chain (${DEV_CHAIN_ID}); this is chain ${chainId}. Use --key-file or CURIA_KEY.`,
      );
    }
    const path = `m/44'/60'/0'/0/${options.devAccount}`;
    return HDNodeWallet.fromPhrase(HARDHAT_TEST_MNEMONIC, undefined, path).connect(provider);
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
      "no key: pass --key-file <file> or set CURIA_KEY" +
        (chainId === DEV_CHAIN_ID ? ", or --dev-account <n> on this local chain" : ""),
    );
  }
  if (!isHexString(key, 32)) throw new UsageError(`${from} must hold a 0x-prefixed 32-byte hex private key`);
  return new Wallet(key, provider);
}
