// Managed child processes for `npm start`: the chain today; the indexer, the validator and the web app later.
// Each service runs under scripts/lib/watchdog.ts in a process group of its own, so that
//  - Ctrl-C in the terminal reaches only the supervisor, which then stops the services in reverse start order;
//  - a service dies with the supervisor even when the supervisor is killed outright (see watchdog.ts);
//  - a service that will not stop is killed together with anything it started.
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const WATCHDOG = fileURLToPath(new URL("./watchdog.ts", import.meta.url));

export interface ServiceSpec {
  /** Short name, also the log file's name: <logDir>/<name>.log. */
  name: string;
  command: string;
  args: readonly string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Resolves once the service is usable. Start-up fails if it rejects, times out, or the service exits first. */
  ready?: (service: Service) => Promise<void>;
  readyTimeoutMs?: number;
  /** How long the service may take to stop before it is killed. */
  stopTimeoutMs?: number;
}

export interface ServiceExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class Service {
  readonly exited: Promise<ServiceExit>;
  /** Set once someone asked it to stop: its exit is then no surprise. */
  stopRequested = false;
  private exit: ServiceExit | undefined;

  constructor(
    readonly spec: ServiceSpec,
    readonly logPath: string,
    private readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => {
      child.once("exit", (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      });
    });
  }

  get name(): string {
    return this.spec.name;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  /** The last lines the service wrote, for error messages. */
  logTail(lines = 15): string {
    try {
      const text = readFileSync(this.logPath, "utf8").replace(/\x1b\[[0-9;]*m/g, "");
      return text.trimEnd().split("\n").slice(-lines).join("\n");
    } catch {
      return "";
    }
  }

  /** Asks politely (the watchdog forwards the signal), then kills the whole process group. */
  async stop(signal: NodeJS.Signals = "SIGINT"): Promise<ServiceExit> {
    this.stopRequested = true;
    if (this.exit !== undefined) return this.exit;
    const graceMs = (this.spec.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS) + 2_000;
    this.signal(signal);
    const timer = setTimeout(() => this.killNow(), graceMs);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }

  /** Synchronous last resort, safe to call from a process 'exit' handler. */
  killNow(): void {
    this.stopRequested = true;
    if (this.exit !== undefined || this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }

  private signal(signal: NodeJS.Signals): void {
    try {
      this.child.kill(signal);
    } catch {
      // Already gone.
    }
  }
}

const DEFAULT_STOP_TIMEOUT_MS = 5_000;
const DEFAULT_READY_TIMEOUT_MS = 60_000;

export interface ProcessManagerOptions {
  logDir: string;
  log?: (message: string) => void;
  /** Called when a service exits while the manager is not stopping it. */
  onUnexpectedExit?: (service: Service, exit: ServiceExit) => void;
}

export class ProcessManager {
  private readonly services: Service[] = [];
  private stopping = false;
  private readonly log: (message: string) => void;

  constructor(private readonly options: ProcessManagerOptions) {
    this.log = options.log ?? (() => {});
  }

  get running(): readonly Service[] {
    return this.services.filter((s) => s.running);
  }

  /** Starts a service and waits until it is ready. */
  async start(spec: ServiceSpec): Promise<Service> {
    if (this.stopping) throw new Error(`not starting ${spec.name}: shutting down`);
    mkdirSync(this.options.logDir, { recursive: true });
    const logPath = join(this.options.logDir, `${spec.name}.log`);
    const logFd = openSync(logPath, "w");
    let child: ChildProcess;
    try {
      child = spawn(
        process.execPath,
        [WATCHDOG, String(spec.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS), spec.command, ...spec.args],
        {
          cwd: spec.cwd,
          env: spec.env ?? process.env,
          // Its own process group: the terminal's Ctrl-C goes to the supervisor, which stops services in order.
          detached: true,
          stdio: ["pipe", logFd, logFd],
        },
      );
    } finally {
      closeSync(logFd);
    }
    const service = new Service(spec, logPath, child);
    this.services.push(service);
    void service.exited.then((exit) => {
      if (!this.stopping && !service.stopRequested) this.options.onUnexpectedExit?.(service, exit);
    });
    this.log(`${spec.name}: started (pid ${child.pid ?? "?"}), log ${logPath}`);

    if (spec.ready !== undefined) {
      const timeoutMs = spec.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
      let timer: NodeJS.Timeout | undefined;
      const exitedEarly = service.exited.then((exit) =>
        Promise.reject(
          new Error(
            `${spec.name} exited during start-up (${describeExit(exit)}). Last log lines:\n${service.logTail()}`,
          ),
        ),
      );
      // Once the service is ready this promise only rejects when it is stopped later: nobody is waiting then.
      exitedEarly.catch(() => {});
      try {
        await Promise.race([
          spec.ready(service),
          exitedEarly,
          new Promise<never>((_, reject) => {
            timer = setTimeout(
              () =>
                reject(
                  new Error(
                    `${spec.name} not ready after ${timeoutMs / 1000} s. Last log lines:\n${service.logTail()}`,
                  ),
                ),
              timeoutMs,
            );
          }),
        ]);
      } catch (error) {
        await service.stop();
        throw error;
      } finally {
        clearTimeout(timer);
      }
    }
    return service;
  }

  /** Stops every service, the last started first. Idempotent. */
  async stopAll(): Promise<void> {
    this.stopping = true;
    for (const service of [...this.services].reverse()) {
      if (!service.running) continue;
      await service.stop();
      this.log(`${service.name}: stopped`);
    }
  }

  /** Kills every service group at once; synchronous, for a process 'exit' handler. */
  killAllNow(): void {
    this.stopping = true;
    for (const service of this.services) service.killNow();
  }
}

export function describeExit({ code, signal }: ServiceExit): string {
  return signal !== null ? `signal ${signal}` : `exit code ${code ?? "?"}`;
}
