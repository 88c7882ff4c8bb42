// The validator's private probe secret: 32 random bytes created on the first run in its state dir (file mode 0600) and
// never derived from anything public. Probe inputs, probe schedules and the probe buyers' keys all derive from it, so
// a provider cannot reproduce any of them, and the operator can re-derive every buyer key (nothing is lost on restart
// as long as the state dir is kept; back it up with the salts).
import { randomBytes } from "node:crypto";
import {
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { fsyncDir } from "../state.js";

export const PROBE_SECRET_FILE = "probe-secret";

export interface ProbeSecret {
  secret: Uint8Array;
  path: string;
  /** Whether this call created it (first run). */
  created: boolean;
}

function readSecret(path: string): Uint8Array {
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new Error(
      `probe secret ${path} is readable by others (mode ${mode.toString(8).padStart(4, "0")}): ` +
        `anyone who reads it can recognise this validator's probes; run \`chmod 600 ${path}\``,
    );
  }
  const text = readFileSync(path, "utf8").trim();
  if (!/^[0-9a-f]{64}$/.test(text))
    throw new Error(`probe secret ${path} is not 64 hex characters: restore it from a backup or move it away`);
  return Uint8Array.from(Buffer.from(text, "hex"));
}

/**
 * The probe secret of the validator whose state dir is `dir`: read when it exists (refused when group- or
 * world-readable), else created with 32 bytes from the OS's CSPRNG, written and fsynced under a temporary name with
 * mode 0600 and then linked into place (never overwriting one a concurrent process created first).
 */
export function loadOrCreateProbeSecret(dir: string): ProbeSecret {
  const path = join(dir, PROBE_SECRET_FILE);
  if (existsSync(path)) return { secret: readSecret(path), path, created: false };
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, "wx", 0o600);
  try {
    writeSync(fd, randomBytes(32).toString("hex") + "\n");
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  let created = true;
  try {
    linkSync(tmp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    created = false; // another process made one first: use it, so both agree
  } finally {
    unlinkSync(tmp);
  }
  fsyncDir(dir);
  return { secret: readSecret(path), path, created };
}
