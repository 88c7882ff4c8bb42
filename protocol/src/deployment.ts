// The deployment record (deployments/<chain id>.json; deployments/localhost.json locally): the only place the programs learn addresses from. deploy/ writes it; everyone reads it.

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
