import { createRequire } from "node:module";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import hardhatUpgrades from "@openzeppelin/hardhat-upgrades";
import { configVariable, defineConfig } from "hardhat/config";
import type { HttpNetworkUserConfig } from "hardhat/types/config";
import { PUBLIC_CHAINS } from "./protocol/src/networks.js";

// Compile offline with the npm `solc` package (solcjs/WASM): Hardhat's own compiler download needs the internet.
// Hardhat treats a non-binary `path` as a WASM compiler; `version` must equal the package's version.
const require = createRequire(import.meta.url);
const solcPackage = require("solc/package.json") as { version: string };
const solcCompiler = {
  version: solcPackage.version,
  path: require.resolve("solc/soljson.js"),
  settings: {
    optimizer: { enabled: true, runs: 200 },
    evmVersion: "cancun",
    // The upgrades plugin validates storage layouts from these outputs.
    outputSelection: { "*": { "*": ["storageLayout"] } },
  },
};

// CuriaGovernor stacks eight OpenZeppelin Governor modules and sits close to the 24,576-byte limit at 200 runs
// (23,056 bytes): compiled through the IR pipeline for size (runs = 1) it is 21,415 bytes, inside the project's 3 KiB of
// headroom, for the gas differences listed in benchmarks/gas-governance.md. Only this file compiles this way (~25 s).
const governorCompiler = {
  ...solcCompiler,
  settings: { ...solcCompiler.settings, viaIR: true, optimizer: { enabled: true, runs: 1 } },
};
// ListingChallenges and ListingRegistry: the IR pipeline at the usual 200 runs makes them ~2,250 and ~1,050 bytes
// smaller (ListingChallenges 19,557 against 21,813 bytes with the evidence URI of validation rounds' challenges;
// ListingRegistry with the sales cap per bond 20,771 against 21,861), which keeps their 3 KiB of headroom, and
// their gas is no worse (purchase 171,827 against 172,747 with the legacy pipeline; benchmarks/gas-marketplace.md,
// gas-court.md). The ValidationManager too: 21,318 bytes against 21,525 with the legacy pipeline once its rounds
// recorded whether their draw held the curators' exits (3 KiB of headroom kept), and every round step is cheaper
// (finalizeRound 325,507 against 328,826 even at 100 runs, commitScore 61,410 against 61,822, revealScore 44,840
// against 45,510; benchmarks/gas-validation.md). The other contracts gain little or nothing from it (the Court grows).
const irCompiler = { ...solcCompiler, settings: { ...solcCompiler.settings, viaIR: true } };
// ListingRegistry through the IR pipeline at 100 runs: 209 bytes smaller than at 200 (21,382 against 21,591 once a
// model's pending challenges counted against its relisting bond and the hold under review answered whether it
// held), which keeps its 3 KiB of headroom, for a dozen gas on a purchase (172,288 against 172,275;
// benchmarks/gas-marketplace.md).
const registryCompiler = {
  ...irCompiler,
  settings: { ...irCompiler.settings, optimizer: { enabled: true, runs: 100 } },
};
// The Court at 100 runs instead of 200: 120 bytes smaller (21,457 against 21,577 bytes once each vote kept its seats'
// stake and penalty for the settlement, issue 15), which keeps its 3 KiB of headroom, for a few dozen gas on a
// dispute's steps (commit +63, executeRuling +180; benchmarks/gas-court.md). The IR pipeline makes it larger.
const courtCompiler = {
  ...solcCompiler,
  settings: { ...solcCompiler.settings, optimizer: { enabled: true, runs: 100 } },
};
const buildProfile = {
  compilers: [solcCompiler],
  overrides: {
    "contracts/governance/CuriaGovernor.sol": governorCompiler,
    "contracts/marketplace/ListingChallenges.sol": irCompiler,
    "contracts/marketplace/ListingRegistry.sol": registryCompiler,
    "contracts/validation/ValidationManager.sol": irCompiler,
    "contracts/court/Court.sol": courtCompiler,
  },
};

const env = process.env;

/**
 * One Hardhat network per public chain Curia knows (protocol/src/networks.ts), named as The Graph names it
 * (`--network sepolia`, `--network arbitrum-one`): its RPC URL from CURIA_<NAME>_RPC_URL (e.g. CURIA_SEPOLIA_RPC_URL,
 * CURIA_ARBITRUM_SEPOLIA_RPC_URL), the deployer's key from CURIA_DEPLOYER_KEY, each from the environment or Hardhat's
 * encrypted keystore, and only read when that network is used. The chain id is checked on connection.
 */
const publicNetworks: Record<string, HttpNetworkUserConfig> = Object.fromEntries(
  PUBLIC_CHAINS.map((chain) => [
    chain.graphNetwork,
    {
      type: "http",
      chainType: chain.chainType,
      chainId: chain.chainId,
      url: configVariable(`CURIA_${chain.graphNetwork.toUpperCase().replace(/-/g, "_")}_RPC_URL`),
      accounts: [configVariable("CURIA_DEPLOYER_KEY")],
    } satisfies HttpNetworkUserConfig,
  ]),
);

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers, hardhatUpgrades],
  solidity: {
    profiles: {
      default: buildProfile,
      production: buildProfile,
    },
    // Proxies as artifacts, so tests can deploy one around a bad initializer call and see its exact error.
    npmFilesToBuild: ["@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol"],
  },
  test: {
    mocha: { timeout: 120_000 },
    solidity: {
      // A fixed seed keeps `npm test` reproducible; CURIA_FUZZ_SEED explores others (bench:fuzz uses a fresh one).
      fuzz: { runs: 256, seed: env.CURIA_FUZZ_SEED ?? "0x43757269" },
      // At least 1,000 random call sequences per invariant in every `npm test`; `npm run bench:fuzz` runs more.
      invariant: {
        runs: Number(env.CURIA_INVARIANT_RUNS ?? 1_000),
        depth: Number(env.CURIA_INVARIANT_DEPTH ?? 20),
      },
    },
  },
  networks: {
    hardhat: {
      type: "edr-simulated",
      chainType: "l1",
      allowUnlimitedContractSize: false,
    },
    // The local chain that `npm start` runs (`hardhat node`); CURIA_RPC_URL points elsewhere.
    localhost: {
      type: "http",
      chainType: "l1",
      url: env.CURIA_RPC_URL ?? "http://127.0.0.1:8545",
    },
    ...publicNetworks,
    // Any other chain: RPC URL and deployer key come from the environment or Hardhat's encrypted keystore
    // (`npx hardhat keystore set CURIA_DEPLOYER_KEY`), never from the repository.
    remote: {
      type: "http",
      chainType: "l1",
      url: configVariable("CURIA_REMOTE_RPC_URL"),
      accounts: [configVariable("CURIA_DEPLOYER_KEY")],
    },
  },
  // Source verification (`npx hardhat verify --network sepolia <proxy address>`: the upgrades plugin verifies the
  // proxy and its implementation). One Etherscan API key serves every Etherscan-family explorer (API v2); read only
  // when `verify` runs. Blockscout needs no key; Sourcify is on by default.
  verify: {
    etherscan: { apiKey: configVariable("CURIA_ETHERSCAN_API_KEY") },
  },
});
