// @curia/protocol/ethers: what Node programs built on ethers v6 share, on top of `@curia/protocol` (re-exported here):
// the typed contract bindings, signing and checking inference requests, the inference wire format, and reading
// deployments/<network>.json.
export * from "../index.js";
export * from "./contracts.js";
export * from "./inference.js";
export * from "./deployment.js";
export * from "./wire.js";
export * from "./receipts.js";
export * from "./client.js";
export * from "./clock.js";
export * from "./errors.js";
