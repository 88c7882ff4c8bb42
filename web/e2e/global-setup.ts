// Starts the whole local stack once for every spec (npx tsx scripts/start.ts on free ports, throw-away folders),
// waits for "Curia is running", hands the URLs to the specs through the environment, and stops it afterwards.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
// ~90 s on a quiet 2-core machine (contracts already built); several times that when the machine is shared.
const READY_TIMEOUT_MS = Number(process.env.CURIA_E2E_START_TIMEOUT_MS ?? 420_000);

export default async function globalSetup(): Promise<(() => Promise<void>) | undefined> {
  // Iterating on specs: point CURIA_E2E_RPC_URL, _GRAPHQL_URL, _WEB_URL and _DEPLOYMENT at a stack already running.
  if (process.env.CURIA_E2E_WEB_URL) return undefined;
  const dir = mkdtempSync(join(tmpdir(), "curia-e2e-"));
  // tsx on this Node, in a process group of its own: stopping signals the whole group (tsx and start.ts), which
  // stops every service it started; nothing is left behind even when start-up fails half-way.
  const tsx = createRequire(import.meta.url).resolve("tsx/cli");
  const child = spawn(process.execPath, [tsx, "scripts/start.ts"], {
    cwd: ROOT,
    detached: true,
    env: {
      ...process.env,
      CURIA_CHAIN_HOST: "127.0.0.1",
      CURIA_CHAIN_PORT: "0",
      CURIA_INDEXER_PORT: "0",
      CURIA_WEB_PORT: "0",
      // Free ports for the demo providers and the validator's metrics too: other stacks may run on this machine.
      CURIA_PROVIDER_PORT: "0",
      CURIA_CHEATING_PROVIDER_PORT: "0",
      CURIA_METRICS_PORT: "0",
      CURIA_LOG_DIR: join(dir, "logs"),
      CURIA_DEPLOYMENTS_DIR: dir,
      CURIA_INDEXER_DB: join(dir, "indexer.sqlite"),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.once("exit", (code) => resolveExit(code)));
  const stop = async (): Promise<void> => {
    const signal = (name: NodeJS.Signals): void => {
      try {
        process.kill(-child.pid!, name);
      } catch {
        // Already gone.
      }
    };
    if (child.exitCode !== null || child.signalCode !== null) return;
    signal("SIGINT");
    const stopped = await Promise.race([
      exited.then(() => true),
      new Promise((r) => setTimeout(() => r(false), 30_000)),
    ]);
    if (!stopped) signal("SIGKILL");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!output.includes("Curia is running")) {
    if (child.exitCode !== null) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`scripts/start.ts exited (${child.exitCode}):\n${output.slice(-4000)}`);
    }
    if (Date.now() > deadline) {
      await stop();
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`scripts/start.ts not ready after ${READY_TIMEOUT_MS / 1000} s:\n${output.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const field = (label: string): string => {
    const value = new RegExp(`^\\s*${label}\\s+(\\S+)`, "m").exec(output)?.[1];
    if (!value) throw new Error(`no "${label}" in the summary:\n${output.slice(-3000)}`);
    return value;
  };
  process.env.CURIA_E2E_RPC_URL = field("RPC URL");
  process.env.CURIA_E2E_GRAPHQL_URL = field("GraphQL");
  process.env.CURIA_E2E_WEB_URL = field("Web app");
  process.env.CURIA_E2E_DEPLOYMENT = join(dir, "localhost.json");

  return async () => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
