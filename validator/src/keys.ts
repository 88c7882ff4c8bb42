// Where the validator's key comes from: an encrypted JSON keystore (the production way), or — on the local development
// chain only — one of Hardhat's well-known test accounts, whose keys are public.
import { readFileSync } from "node:fs";
import { HARDHAT_TEST_MNEMONIC } from "@curia/protocol";
import { HDNodeWallet, Wallet, isHexString, type Provider } from "ethers";
import { DEFAULT_PROBE_FUNDING_DEV_ACCOUNT } from "./defaults.js";

/** The public mnemonic of Hardhat's (and Anvil's) default accounts. */
export { HARDHAT_TEST_MNEMONIC };
export const DEV_CHAIN_ID = 31_337;
// Probe buyers' default funding account on the local chain (see defaults.ts).
export { DEFAULT_PROBE_FUNDING_DEV_ACCOUNT };

export interface LoadedKey {
  wallet: Wallet | HDNodeWallet;
  /** How logs name the key: "keystore <path>" or "Hardhat test account #i (public key, development only)". */
  label: string;
}

export function devAccount(index: number, provider: Provider | null): LoadedKey {
  if (!Number.isInteger(index) || index < 0 || index > 999)
    throw new Error(`--dev-account must be 0-999, got ${index}`);
  const wallet = HDNodeWallet.fromPhrase(HARDHAT_TEST_MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`).connect(provider);
  return { wallet, label: `Hardhat test account #${index} (public key, development only)` };
}

export async function keystoreAccount(
  path: string,
  password: string | undefined,
  provider: Provider | null,
): Promise<LoadedKey> {
  let json: string;
  try {
    json = readFileSync(path, "utf8");
  } catch (error) {
    throw new Error(
      `cannot read keystore ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  if (password === undefined) {
    throw new Error(`keystore ${path} needs a password: set CURIA_KEYSTORE_PASSWORD or --password-file <file>`);
  }
  let wallet: Wallet | HDNodeWallet;
  try {
    wallet = await Wallet.fromEncryptedJson(json, password);
  } catch (error) {
    throw new Error(`cannot decrypt keystore ${path}: ${(error as Error).message}`);
  }
  return { wallet: wallet.connect(provider), label: `keystore ${path}` };
}

/** Refuses dev accounts anywhere but the local development chain. */
export function assertDevChain(chainId: number | bigint): void {
  if (BigInt(chainId) !== BigInt(DEV_CHAIN_ID)) {
    throw new Error(
      `--dev-account uses Hardhat's public test keys and is allowed only on the local chain (${DEV_CHAIN_ID}); this is chain ${chainId}. Use --keystore.`,
    );
  }
}

export interface ProbeFundingSettings {
  keystore?: string;
  password?: string;
  devAccount?: number;
  /** A 0x-hex private key from the environment (CURIA_PROBE_FUNDING_KEY), never from a flag or a file in the repo. */
  envKey?: string;
}

/**
 * The account that funds probe buyers: a keystore, a key from the environment, a Hardhat test account (local chain
 * only), and on the local chain by default test account #{@link DEFAULT_PROBE_FUNDING_DEV_ACCOUNT}. Elsewhere one
 * must be configured.
 */
export async function probeFundingAccount(
  settings: ProbeFundingSettings,
  chainId: number | bigint,
  provider: Provider | null,
): Promise<LoadedKey> {
  if (settings.keystore !== undefined) {
    const key = await keystoreAccount(settings.keystore, settings.password, provider);
    return { ...key, label: `probe-funding ${key.label}` };
  }
  if (settings.envKey !== undefined && settings.envKey !== "") {
    if (!isHexString(settings.envKey, 32))
      throw new Error("CURIA_PROBE_FUNDING_KEY must be a 0x-prefixed 32-byte hex private key");
    return { wallet: new Wallet(settings.envKey, provider), label: "probe-funding key from CURIA_PROBE_FUNDING_KEY" };
  }
  if (settings.devAccount !== undefined || BigInt(chainId) === BigInt(DEV_CHAIN_ID)) {
    if (BigInt(chainId) !== BigInt(DEV_CHAIN_ID)) {
      throw new Error(
        `--probe-funding-dev-account uses Hardhat's public test keys and is allowed only on the local chain ` +
          `(${DEV_CHAIN_ID}); this is chain ${chainId}. Use --probe-funding-keystore.`,
      );
    }
    const index = settings.devAccount ?? DEFAULT_PROBE_FUNDING_DEV_ACCOUNT;
    const key = devAccount(index, provider);
    return { wallet: key.wallet, label: `probe-funding ${key.label}` };
  }
  throw new Error(
    `no probe-funding account on chain ${chainId}: pass --probe-funding-keystore <file> (password in ` +
      `CURIA_PROBE_FUNDING_PASSWORD or --probe-funding-password-file) or set CURIA_PROBE_FUNDING_KEY; it must not be ` +
      `the validator's key (see docs/probes.md)`,
  );
}
