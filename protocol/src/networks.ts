// Chains Curia deploys to, written once: chain id → The Graph's network name (what a subgraph manifest's `network:`,
// graph-cli's networks.json, graph-node's `ethereum` setting and Subgraph Studio expect) and the block explorer. The
// Hardhat networks of hardhat.config.ts, the deployment records' file names (deploy/deployments.ts), the subgraph
// manifest (subgraph/scripts/manifest.ts) and the web app's explorer links all come from here.
// Browser-safe and self-contained: hardhat.config.ts imports this file before anything is built.

export interface PublicChain {
  chainId: number;
  /** The Graph's network id (its networks registry: https://github.com/graphprotocol/networks-registry). */
  graphNetwork: string;
  /** Human name, for messages and the web app's config. */
  name: string;
  testnet: boolean;
  /** Hardhat's chain type: "op" for OP-stack rollups, "l1" for Ethereum, "generic" otherwise. */
  chainType: "l1" | "op" | "generic";
  /** Block explorer base URL (links `${explorerUrl}/tx/<hash>`). */
  explorerUrl: string;
}

export const PUBLIC_CHAINS: readonly PublicChain[] = [
  {
    chainId: 1,
    graphNetwork: "mainnet",
    name: "Ethereum",
    testnet: false,
    chainType: "l1",
    explorerUrl: "https://etherscan.io",
  },
  {
    chainId: 11155111,
    graphNetwork: "sepolia",
    name: "Sepolia",
    testnet: true,
    chainType: "l1",
    explorerUrl: "https://sepolia.etherscan.io",
  },
  {
    chainId: 17000,
    graphNetwork: "holesky",
    name: "Holesky",
    testnet: true,
    chainType: "l1",
    explorerUrl: "https://holesky.etherscan.io",
  },
  {
    chainId: 42161,
    graphNetwork: "arbitrum-one",
    name: "Arbitrum One",
    testnet: false,
    chainType: "generic",
    explorerUrl: "https://arbiscan.io",
  },
  {
    chainId: 421614,
    graphNetwork: "arbitrum-sepolia",
    name: "Arbitrum Sepolia",
    testnet: true,
    chainType: "generic",
    explorerUrl: "https://sepolia.arbiscan.io",
  },
  {
    chainId: 8453,
    graphNetwork: "base",
    name: "Base",
    testnet: false,
    chainType: "op",
    explorerUrl: "https://basescan.org",
  },
  {
    chainId: 84532,
    graphNetwork: "base-sepolia",
    name: "Base Sepolia",
    testnet: true,
    chainType: "op",
    explorerUrl: "https://sepolia.basescan.org",
  },
  {
    chainId: 10,
    graphNetwork: "optimism",
    name: "OP Mainnet",
    testnet: false,
    chainType: "op",
    explorerUrl: "https://optimistic.etherscan.io",
  },
  {
    chainId: 11155420,
    graphNetwork: "optimism-sepolia",
    name: "OP Sepolia",
    testnet: true,
    chainType: "op",
    explorerUrl: "https://sepolia-optimism.etherscan.io",
  },
  {
    chainId: 137,
    graphNetwork: "matic",
    name: "Polygon PoS",
    testnet: false,
    chainType: "generic",
    explorerUrl: "https://polygonscan.com",
  },
  {
    chainId: 80002,
    graphNetwork: "polygon-amoy",
    name: "Polygon Amoy",
    testnet: true,
    chainType: "generic",
    explorerUrl: "https://amoy.polygonscan.com",
  },
  {
    chainId: 100,
    graphNetwork: "gnosis",
    name: "Gnosis",
    testnet: false,
    chainType: "generic",
    explorerUrl: "https://gnosisscan.io",
  },
  {
    chainId: 43114,
    graphNetwork: "avalanche",
    name: "Avalanche C-Chain",
    testnet: false,
    chainType: "generic",
    explorerUrl: "https://snowtrace.io",
  },
  {
    chainId: 56,
    graphNetwork: "bsc",
    name: "BNB Smart Chain",
    testnet: false,
    chainType: "generic",
    explorerUrl: "https://bscscan.com",
  },
  {
    chainId: 59144,
    graphNetwork: "linea",
    name: "Linea",
    testnet: false,
    chainType: "generic",
    explorerUrl: "https://lineascan.build",
  },
  {
    chainId: 534352,
    graphNetwork: "scroll",
    name: "Scroll",
    testnet: false,
    chainType: "generic",
    explorerUrl: "https://scrollscan.com",
  },
];

/**
 * The published mnemonic of Hardhat's (and Anvil's) default local accounts. It and every key derived from it
 * (m/44'/60'/0'/0/i) are public knowledge: programs accept them on a development chain only.
 */
export const HARDHAT_TEST_MNEMONIC = "test test test test test test test test test test test junk";

/** Development chains: Hardhat's (31337) and Ganache/geth --dev's (1337). Their records and manifests stay local. */
export const LOCAL_CHAIN_IDS: readonly number[] = [31337, 1337];

/**
 * The network name a local graph-node is configured with for a development chain (`npm start`'s manifest says it too;
 * deploy/graph-node/docker-compose.yml sets graph-node's `ethereum` to `localhost:<rpc url>` by default).
 */
export const LOCAL_GRAPH_NETWORK = "localhost";

export function isLocalChain(chainId: number | bigint): boolean {
  return LOCAL_CHAIN_IDS.includes(Number(chainId));
}

export function publicChain(chainId: number | bigint): PublicChain | undefined {
  return PUBLIC_CHAINS.find((c) => c.chainId === Number(chainId));
}

/** The public chain The Graph calls `graphNetwork` (its network id), if Curia knows it. */
export function chainOfGraphNetwork(graphNetwork: string): PublicChain | undefined {
  return PUBLIC_CHAINS.find((c) => c.graphNetwork === graphNetwork);
}

/**
 * The Graph's name for chain `chainId`: LOCAL_GRAPH_NETWORK for a development chain; throws, naming this file, for a
 * chain Curia does not know (a manifest must never carry a name graph-node and Studio refuse).
 */
export function graphNetworkOf(chainId: number | bigint): string {
  if (isLocalChain(chainId)) return LOCAL_GRAPH_NETWORK;
  const chain = publicChain(chainId);
  if (chain === undefined) {
    throw new Error(
      `chain ${chainId} has no The Graph network name in protocol/src/networks.ts: add it there (its id in ` +
        `The Graph's networks registry), or pass the name explicitly`,
    );
  }
  return chain.graphNetwork;
}
