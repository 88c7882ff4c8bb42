// The provider middleware: one core (check the signed request against on-chain credits, count calls, sign receipts)
// and thin adapters for node:http, Express and Fastify. See provider/README.md and provider/examples/.
export {
  HttpError,
  MAX_BODY_BYTES,
  ProviderCore,
  type CoreOptions,
  type CoreResponse,
  type InferFunction,
  type ServedListing,
  type ServedRequest,
} from "./core.js";
export { ServingKeyMismatchError, loadServedListings } from "./chain.js";
export { curiaNodeHttp, type NodeHttpOptions } from "./node-http.js";
export { curiaExpress } from "./express.js";
export { curiaFastify } from "./fastify.js";
