import { HARDHAT_TEST_MNEMONIC } from "@curia/protocol";
import { HDNodeWallet, type Signer } from "ethers";

/**
 * The mnemonic behind Hardhat's default local accounts (Anvil and Ganache use it too). It and every key derived from
 * it are public knowledge: anything sent to these accounts on a real network is taken at once. Keys are derived at
 * run time so that no key is ever written into the repository.
 */
export { HARDHAT_TEST_MNEMONIC };

export interface DevAccount {
  index: number;
  address: string;
  privateKey: string;
}

/** Hardhat's well-known test account #index (m/44'/60'/0'/0/index of the public test mnemonic). */
export function hardhatTestAccount(index: number): DevAccount {
  const wallet = HDNodeWallet.fromPhrase(HARDHAT_TEST_MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`);
  return { index, address: wallet.address, privateKey: wallet.privateKey };
}

/** The node's unlocked account #index among `accounts`, or an error saying what it was wanted for (`purpose`). */
export function unlockedAccount(accounts: readonly Signer[], index: number, purpose = "to seed"): Signer {
  const signer = accounts[index];
  if (signer === undefined) throw new Error(`the chain has no account #${index} ${purpose}`);
  return signer;
}
