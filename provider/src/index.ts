// @curia/provider's public API: the sample provider server and its call accounting, for programs and tests that run
// one in-process (the command is bin/curia-provider.mjs).
export { HttpError, PROVIDER_MODES, ProviderServer, type ProviderMode, type ProviderOptions } from "./server.js";
export { UsageStore } from "./usage.js";
