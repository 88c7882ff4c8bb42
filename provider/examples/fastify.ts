// A Curia provider on Fastify: `npx tsx provider/examples/fastify.ts` (configuration: setup.ts). POST /infer takes a
// signed request of a caller with paid calls and answers with the outputs and a receipt signed by the serving key.
import Fastify from "fastify";
import { MAX_BODY_BYTES, curiaFastify } from "../src/middleware/index.js";
import { setUp } from "./setup.js";

const { core, infer, port, stop } = await setUp();
const app = Fastify();
app.get("/health", async () => core.health().body);
// Batches of inputs as JSON numbers exceed Fastify's default 1 MiB body limit.
app.post("/infer", { bodyLimit: MAX_BODY_BYTES }, curiaFastify(core, infer));
const url = await app.listen({ port, host: "127.0.0.1" });
console.log(`[fastify-provider] listening on ${url}/infer listings ${core.listings.join(",")}`);
const shutdown = () =>
  void app
    .close()
    .then(stop)
    .then(() => process.exit(0));
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
