// Where the validator's key comes from: an encrypted JSON keystore (the production way), or — on the local development
// chain only — one of Hardhat's well-known test accounts, whose keys are public.
import { readFileSync } from "node:fs";
import { HDNodeWallet, Wallet, type Provider } from "ethers";

/** The public mnemonic of Hardhat's (and Anvil's) default accounts. */
export const HARDHAT_TEST_MNEMONIC = "test test test test test test test test test test test junk";
export const DEV_CHAIN_ID = 31_337;

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
