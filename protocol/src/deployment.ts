// The deployment record (deployments/<chain id>.json; deployments/localhost.json locally): the only place the programs learn addresses from. deploy/ writes it; everyone reads it.

/**
 * The release the contracts' `version()` returns (every governed contract, the token and the timelock; the
 * Governor's `version()` is OpenZeppelin's EIP-712 domain version instead). An upgrade proposal moves from one release
 * to the next; test/deploy/proxies.test.ts checks every deployed proxy against this.
 */
export const CONTRACTS_RELEASE = "2.0.0";

/** Every contract a deployment may record (some only once the contracts of protocol v2 exist). */
export const CONTRACT_NAMES = [
  "CuriaTimelock",
  "CuriaToken",
  "CuriaGovernor",
  "ListingRegistry",
  "CurationPool",
  "CourtRandomness",
  "Court",
  "ValidationManager",
  "JurorPool",
  "ValidatorPool",
  "ListingChallenges",
  "CuriaLens",
  "CanaryAudits",
] as const;
export type ContractName = (typeof CONTRACT_NAMES)[number];

/** One upgradeable contract as recorded in deployments/<network>.json. */
export interface DeployedContract {
  proxy: string;
  implementation: string;
  /** Block of the proxy's creation: where indexers start. */
  startBlock: number;
}

export type WiringStep = "governorRoles" | "deployerRenounced" | "curationPoolBound" | "courtRoles" | "validationRoles";

/** The shape of deployments/<network>.json. */
export interface DeploymentRecord {
  network: string;
  chainId: number;
  deployer: string;
  updatedAt: string;
  contracts: Partial<Record<ContractName, DeployedContract>>;
  /** Wiring steps already done (informational: every step re-checks the chain before acting). */
  wired: Partial<Record<WiringStep, boolean>>;
}
