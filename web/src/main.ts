// The entry script: small on purpose (see lib/boot.ts). It requests config.json, the opened page's code, the latest
// block and the page's first data at once, then loads the app (start.ts) and mounts it when config.json has come.
import { endpointsOf, fetchConfigJson, prefetchLatestBlock } from "./lib/boot";
import { matchRoute } from "./lib/route-match";
import { routes } from "./routes";
import "./app.css";

const target = document.getElementById("app")!;
const rawConfig = fetchConfigJson();
const opened = matchRoute(routes, window.location.hash);
// The app loads the page again when it renders it (the same module): a failure is shown there.
opened?.route.load().catch(() => {});
rawConfig
  .then((raw) => {
    const endpoints = endpointsOf(raw);
    // Every page shows chain time: the chain clock starts from this read.
    prefetchLatestBlock(endpoints.rpcUrl);
    opened?.route.prefetch?.(endpoints, opened);
  })
  .catch(() => {});

Promise.all([rawConfig, import("./start")])
  .then(([raw, { start }]) => start(target, raw))
  .catch((error: unknown) => {
    target.innerHTML = "";
    const p = document.createElement("p");
    p.className = "fatal";
    p.setAttribute("role", "alert");
    p.textContent = `Curia cannot start: ${error instanceof Error ? error.message : String(error)}`;
    target.append(p);
  });
