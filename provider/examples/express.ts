// A Curia provider on Express: `npx tsx provider/examples/express.ts` (configuration: setup.ts). POST /infer takes a
// signed request of a caller with paid calls and answers with the outputs and a receipt signed by the serving key.
import express from "express";
import { MAX_BODY_BYTES, curiaExpress } from "../src/middleware/index.js";
import { setUp } from "./setup.js";

const { core, infer, port, stop } = await setUp();
const app = express();
app.get("/health", (_req, res) => void res.json(core.health().body));
app.post("/infer", express.json({ limit: MAX_BODY_BYTES }), curiaExpress(core, infer));
const server = app.listen(port, "127.0.0.1", () => {
  const address = server.address();
  const bound = typeof address === "object" && address !== null ? address.port : port;
  console.log(`[express-provider] listening on http://127.0.0.1:${bound}/infer listings ${core.listings.join(",")}`);
});
process.on("SIGTERM", () => server.close(() => void stop().then(() => process.exit(0))));
process.on("SIGINT", () => server.close(() => void stop().then(() => process.exit(0))));
