// Structured logs: one JSON object per line ({time, level, component, msg, ...fields}) with --log-format json, or a
// prefixed human line ("[validator] msg key=value …") by default.
export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

function show(value: unknown): string {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") return /\s/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}

export function createLogger(
  component: string,
  options: { format?: "text" | "json"; level?: LogLevel; write?: (line: string) => void; fields?: LogFields } = {},
): Logger {
  const format = options.format ?? "text";
  const min = ORDER[options.level ?? "info"];
  const write = options.write ?? ((line: string) => process.stdout.write(line + "\n"));
  const base = options.fields ?? {};
  const emit = (level: LogLevel, msg: string, fields: LogFields = {}) => {
    if (ORDER[level] < min) return;
    const all = { ...base, ...fields };
    if (format === "json") {
      write(
        JSON.stringify({ time: new Date().toISOString(), level, component, msg, ...all }, (_k, v: unknown) =>
          typeof v === "bigint" ? v.toString() : v,
        ),
      );
    } else {
      const extra = Object.entries(all)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}=${show(v)}`)
        .join(" ");
      const tag = level === "info" ? "" : `${level.toUpperCase()} `;
      write(`[${component}] ${tag}${msg}${extra ? ` ${extra}` : ""}`);
    }
  };
  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
    child: (fields) => createLogger(component, { ...options, fields: { ...base, ...fields } }),
  };
}
