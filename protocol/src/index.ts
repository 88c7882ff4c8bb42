// @curia/protocol: the facts every Curia program shares, written once. Browser-safe (no Node API, no ethers or viem):
// the web app, the validator, the provider, the indexer and the scripts all import it. Node programs that use ethers
// also import `@curia/protocol/ethers` (typed contract bindings, request signing, deployment files).
export * from "./generated/abis.js";
export * from "./enums.js";
export * from "./hashing.js";
export * from "./court.js";
export * from "./validation.js";
export * from "./marketplace.js";
export * from "./deployment.js";
export * from "./networks.js";
export * from "./inference.js";
export * from "./receipts.js";
export * from "./evidence.js";
export * from "./governance.js";
export * from "./errors.js";
export * from "./tasks.js";
export * from "./juror-salt.js";
