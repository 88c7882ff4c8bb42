// Defaults that the usage text prints as well as the code that applies them. A leaf module (no imports): \`--help\`
// loads it through src/help.ts before anything is built (see bin/curia-validator.mjs).

export const DEFAULT_IPFS_GATEWAY = "https://ipfs.io";

/**
 * On the local chain, probe buyers are funded by Hardhat's public test account #20 unless configured otherwise: the
 * first index past the 20 accounts `hardhat node` funds and the demo gives roles to, so it is never a validator key
 * there (`npm start` funds it).
 */
export const DEFAULT_PROBE_FUNDING_DEV_ACCOUNT = 20;

/**
 * The keystore used when no key is given and this file exists: where `curia validator key new` writes one by default
 * (cli/src/keys.ts DEFAULT_VALIDATOR_KEYSTORE), relative to the working directory.
 */
export const DEFAULT_KEYSTORE = ".curia/validator/keystore.json";
