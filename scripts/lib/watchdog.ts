// Runs one service command and makes sure it dies with its supervisor.
//
//   node scripts/lib/watchdog.ts <grace-ms> <command> [args...]
//
// ProcessManager starts this in a process group of its own, with a pipe on stdin. Node cannot ask Linux to kill a
// child when its parent dies (there is no PR_SET_PDEATHSIG), but the kernel closes the supervisor's end of that pipe
// however the supervisor ends, even on SIGKILL: the watchdog then sees end-of-file and takes the service down.
// Plain Node 22 runs this file (type stripping, no tsx start-up cost), so it sticks to erasable TypeScript.
import { spawn } from "node:child_process";
import { constants } from "node:os";

const [graceArg, command, ...args] = process.argv.slice(2);
const graceMs = Number(graceArg);
if (command === undefined || !Number.isFinite(graceMs)) {
  console.error("usage: node scripts/lib/watchdog.ts <grace-ms> <command> [args...]");
  process.exit(2);
}

const service = spawn(command, args, { stdio: ["ignore", "inherit", "inherit"] });
let killTimer: NodeJS.Timeout | undefined;

function running(): boolean {
  return service.exitCode === null && service.signalCode === null;
}

function stop(signal: NodeJS.Signals): void {
  if (!running()) return;
  service.kill(signal);
  // A service that ignores the polite signal, and whatever it started in this group, is killed outright
  // (the watchdog with it: it leads the group).
  killTimer ??= setTimeout(() => process.kill(-process.pid, "SIGKILL"), graceMs);
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => stop(signal));

process.stdin.on("end", () => stop("SIGTERM"));
process.stdin.on("error", () => stop("SIGTERM"));
process.stdin.resume();

service.on("error", (error) => {
  console.error(`[watchdog] cannot start ${command}: ${error.message}`);
  process.exit(127);
});

service.on("exit", (code, signal) => {
  if (killTimer !== undefined) clearTimeout(killTimer);
  // Grandchildren the service left behind share this group; our own SIGTERM handler makes this a no-op for us.
  try {
    process.kill(-process.pid, "SIGTERM");
  } catch {
    // Nothing left in the group.
  }
  process.exit(code ?? 128 + (signal === null ? 0 : constants.signals[signal]));
});
