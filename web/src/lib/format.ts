// Display helpers. CUR amounts are wei (18 decimals), shares are basis points, times are Unix seconds.
import { formatUnits, parseUnits } from "viem";

/** `1234.5 CUR` with at most `digits` decimals and thousands separators. */
export function formatCur(wei: bigint, digits = 2): string {
  return `${formatAmount(wei, digits)} CUR`;
}

/** Thousands separators in a string of digits: "1234567" → "1,234,567". */
const group = (digits: string): string => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");

/**
 * A whole number with thousands separators (`1,000`), as `toLocaleString("en-US")` writes it, without Intl: the
 * first Intl call of a page loads the locale data (tens of milliseconds), which the proposal list's first render
 * would otherwise wait for.
 */
export function formatCount(n: number | bigint): string {
  const text = typeof n === "bigint" ? n.toString() : Math.trunc(n).toString();
  return text.startsWith("-") ? `-${group(text.slice(1))}` : group(text);
}

export function formatAmount(wei: bigint, digits = 2): string {
  const text = formatUnits(wei, 18);
  const [whole = "0", fraction = ""] = text.split(".");
  const negative = whole.startsWith("-");
  const digitsWhole = negative ? whole.slice(1) : whole;
  const grouped = group(digitsWhole);
  const cut = fraction.slice(0, digits).replace(/0+$/, "");
  return `${negative ? "-" : ""}${grouped}${cut ? `.${cut}` : ""}`;
}

/** Parses a user-typed CUR amount ("1,000.5") into wei; undefined when it is not a non-negative number. */
export function parseCur(text: string): bigint | undefined {
  const clean = text.trim().replace(/,/g, "");
  if (!/^\d+(\.\d{1,18})?$/.test(clean)) return undefined;
  return parseUnits(clean, 18);
}

/** `12.5%` from basis points. */
export function formatBps(bps: number | bigint): string {
  const n = Number(bps);
  return `${(n / 100).toLocaleString("en-US", { maximumFractionDigits: 2 })}%`;
}

export function shortAddress(address: string): string {
  return address.length > 12 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;
}

/** `2026-11-25 16:40 UTC`. */
export function formatTime(seconds: bigint | number): string {
  const date = new Date(Number(seconds) * 1000);
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** `3 d 4 h`, `5 min`, `40 s`: a duration in seconds. */
export function formatDuration(seconds: bigint | number): string {
  let s = Math.max(0, Math.round(Number(seconds)));
  const d = Math.floor(s / 86_400);
  s -= d * 86_400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (d > 0) return h > 0 ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  if (m > 0) return `${m} min`;
  return `${s} s`;
}

/** `in 3 h` / `2 d ago`, relative to `now` (both Unix seconds). */
export function formatRelative(seconds: bigint | number, now: bigint | number): string {
  const delta = Number(seconds) - Number(now);
  if (Math.abs(delta) < 1) return "just now";
  return delta >= 0 ? `in ${formatDuration(delta)}` : `${formatDuration(-delta)} ago`;
}

/** Percentage `part / whole` with one decimal, "0%" when whole is zero. */
export function percent(part: bigint, whole: bigint): number {
  if (whole === 0n) return 0;
  return Number((part * 10_000n) / whole) / 100;
}
