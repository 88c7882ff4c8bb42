// Where the provider's serving key (the key that signs every answer's receipt) comes from, in this order:
//   --serving-key-file <file>   a 0x-hex private key, or an encrypted JSON keystore (password: CURIA_SERVING_KEY_PASSWORD)
//   CURIA_SERVING_KEY           a 0x-hex private key in the environment
//   --dev-account <i>           Hardhat's well-known test account #i (public key: the local chain 31337 only)
//   nothing                     on the local chain only: the Hardhat test account that is the listings' serving key
//                               on-chain (the provider's own account, which is the serving key until it rotates one)
import { readFileSync } from "node:fs";
import { HARDHAT_TEST_MNEMONIC } from "@curia/protocol";
import { HDNodeWallet, Wallet } from "ethers";

/** Hardhat's test accounts (HARDHAT_TEST_MNEMONIC, public knowledge) are allowed on the local development chain only. */
export const DEV_CHAIN_ID = 31_337n;
/** How many of Hardhat's test accounts the default looks through. */
const DEV_ACCOUNTS_SEARCHED = 20;

export interface ServingKey {
  wallet: Wallet | HDNodeWallet;
  /** How logs name the key (never the key itself). */
  label: string;
}

export function devServingKey(index: number, chainId: bigint): ServingKey {
  if (chainId !== DEV_CHAIN_ID) {
    throw new Error(
      `Hardhat's test keys are public and allowed only on the local chain (${DEV_CHAIN_ID}); this is chain ${chainId}: ` +
        "give --serving-key-file or CURIA_SERVING_KEY",
    );
  }
  if (!Number.isInteger(index) || index < 0 || index > 999)
    throw new Error(`--dev-account must be 0-999, got ${index}`);
  const wallet = HDNodeWallet.fromPhrase(HARDHAT_TEST_MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`);
  return { wallet, label: `Hardhat test account #${index} (public key, development only)` };
}

function fromHex(text: string, source: string): Wallet {
  try {
    return new Wallet(text.trim());
  } catch {
    throw new Error(`${source} is not a 0x-hex private key`);
  }
}

export async function loadServingKey(options: {
  file?: string;
  env: NodeJS.ProcessEnv;
  devAccount?: number;
  chainId: bigint;
  /** The serving keys on-chain of the listings served: what the local-chain default looks for. */
  onChainKeys: () => Promise<string[]>;
}): Promise<ServingKey> {
  const { file, env } = options;
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      throw new Error(`cannot read --serving-key-file ${file}: ${(error as NodeJS.ErrnoException).code}`);
    }
    if (text.trimStart().startsWith("{")) {
      const password = env.CURIA_SERVING_KEY_PASSWORD;
      if (password === undefined) throw new Error(`keystore ${file} needs CURIA_SERVING_KEY_PASSWORD`);
      try {
        const wallet = await Wallet.fromEncryptedJson(text, password);
        return { wallet, label: `keystore ${file}` };
      } catch (error) {
        throw new Error(`cannot decrypt keystore ${file}: ${(error as Error).message}`);
      }
    }
    return { wallet: fromHex(text, `--serving-key-file ${file}`), label: `key file ${file}` };
  }
  if (env.CURIA_SERVING_KEY !== undefined && env.CURIA_SERVING_KEY !== "") {
    return { wallet: fromHex(env.CURIA_SERVING_KEY, "CURIA_SERVING_KEY"), label: "CURIA_SERVING_KEY" };
  }
  if (options.devAccount !== undefined) return devServingKey(options.devAccount, options.chainId);
  if (options.chainId !== DEV_CHAIN_ID) {
    throw new Error(`no serving key: give --serving-key-file <file> or CURIA_SERVING_KEY (chain ${options.chainId})`);
  }
  const wanted = new Set((await options.onChainKeys()).map((k) => k.toLowerCase()));
  for (let i = 0; i < DEV_ACCOUNTS_SEARCHED; i++) {
    const key = devServingKey(i, options.chainId);
    if (wanted.has(key.wallet.address.toLowerCase())) return key;
  }
  throw new Error(
    `no serving key given, and no Hardhat test account #0-${DEV_ACCOUNTS_SEARCHED - 1} is the listings' serving key ` +
      `on-chain (${[...wanted].join(", ")}): give --serving-key-file, CURIA_SERVING_KEY or --dev-account`,
  );
}
