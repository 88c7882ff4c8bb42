// @curia/provider's public API: the provider middleware (one core and its node:http, Express and Fastify adapters),
// the sample provider server built on it, and its call accounting, for programs and tests that run one in-process
// (the command is bin/curia-provider.mjs).
export * from "./middleware/index.js";
export { PROVIDER_MODES, ProviderServer, type ProviderMode, type ProviderOptions } from "./server.js";
export { UsageStore } from "./usage.js";
export { devServingKey, loadServingKey, type ServingKey } from "./keys.js";
