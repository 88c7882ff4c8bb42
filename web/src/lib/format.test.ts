import { describe, expect, it } from "vitest";
import {
  formatAmount,
  formatBps,
  formatCount,
  formatCur,
  formatDuration,
  formatRelative,
  parseCur,
  percent,
  shortAddress,
} from "./format";

describe("format", () => {
  it("shows CUR with separators and trimmed decimals", () => {
    expect(formatCur(1_234_567n * 10n ** 18n + 5n * 10n ** 17n)).toBe("1,234,567.5 CUR");
    expect(formatAmount(10n ** 15n, 4)).toBe("0.001");
    expect(formatAmount(-2n * 10n ** 18n)).toBe("-2");
    expect(formatCur(0n)).toBe("0 CUR");
  });

  it("writes counts as toLocaleString('en-US') does, without Intl", () => {
    for (const n of [0, 7, 999, 1000, 1001, 12_345, 999_999, 1_000_000, -4_321, 123_456_789]) {
      expect(formatCount(n)).toBe(n.toLocaleString("en-US"));
    }
    expect(formatCount(10n ** 21n)).toBe("1,000,000,000,000,000,000,000");
  });

  it("parses what people type and refuses the rest", () => {
    expect(parseCur("1,000.25")).toBe(100025n * 10n ** 16n);
    expect(parseCur(" 7 ")).toBe(7n * 10n ** 18n);
    for (const bad of ["", "-1", "1e3", "abc", "1.1234567890123456789"]) expect(parseCur(bad), bad).toBeUndefined();
  });

  it("formats basis points, durations, relative times and shares", () => {
    expect(formatBps(250)).toBe("2.5%");
    expect(formatDuration(3600)).toBe("1 h");
    expect(formatDuration(90_061)).toBe("1 d 1 h");
    expect(formatDuration(45)).toBe("45 s");
    expect(formatRelative(1100n, 1000n)).toBe("in 1 min");
    expect(formatRelative(1000n, 4600n)).toBe("1 h ago");
    expect(formatRelative(1000n, 1000n)).toBe("just now");
    expect(percent(1n, 3n)).toBe(33.33);
    expect(percent(5n, 0n)).toBe(0);
    expect(shortAddress("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")).toBe("0x7099…79C8");
  });
});
