// Turns any failure of a read, simulation or transaction into words: the contracts' custom errors decoded with
// their ABIs ("GovernorInsufficientProposerVotes(0x70…, 0, 100000000000000000000)"), require strings, panics,
// wallet rejections.
import { BaseError, decodeErrorResult, type Hex } from "viem";
import { curiaErrorsAbi } from "@curia/protocol";

export interface DecodedError {
  /** The error's name (`CurationStakeTooLow`) or a kind (`UserRejected`, `Error`). */
  name: string;
  /** One line for people: `CurationStakeTooLow(5, 10)` or the message. */
  summary: string;
  /** Named arguments of a custom error, formatted. */
  args: { name: string; value: string }[];
  /** The revert data when there was some. */
  data?: Hex;
}

const PANICS: Record<number, string> = {
  0x01: "assertion failed",
  0x11: "arithmetic overflow or underflow",
  0x12: "division by zero",
  0x21: "invalid enum value",
  0x32: "array index out of bounds",
  0x41: "out of memory",
  0x51: "call to an uninitialised function",
};

function formatValue(value: unknown): string {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return `[${value.map(formatValue).join(", ")}]`;
  if (typeof value === "object" && value !== null)
    return JSON.stringify(value, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  return String(value);
}

/** Decodes revert data with every Curia contract's errors (and Error(string) / Panic(uint256)). */
export function decodeRevertData(data: Hex): DecodedError {
  try {
    const decoded = decodeErrorResult({ abi: curiaErrorsAbi, data });
    const values = (decoded.args ?? []) as readonly unknown[];
    const errorName: string = decoded.errorName;
    if (errorName === "Error") {
      const message = String(values[0]);
      return { name: "Error", summary: message, args: [], data };
    }
    if (errorName === "Panic") {
      const code = Number(values[0]);
      return { name: "Panic", summary: `Panic: ${PANICS[code] ?? `code 0x${code.toString(16)}`}`, args: [], data };
    }
    const inputs = decoded.abiItem.type === "error" ? decoded.abiItem.inputs : [];
    const args = values.map((value, i) => ({ name: inputs[i]?.name || `arg${i}`, value: formatValue(value) }));
    return {
      name: decoded.errorName,
      summary: `${decoded.errorName}(${args.map((a) => a.value).join(", ")})`,
      args,
      data,
    };
  } catch {
    return { name: "UnknownError", summary: `Reverted with unknown error data ${data.slice(0, 10)}`, args: [], data };
  }
}

/** Finds revert data anywhere in an error's cause chain (viem errors, EIP-1193 errors, JSON-RPC error objects). */
export function findRevertData(error: unknown): Hex | undefined {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (typeof current === "object" && current !== null && !seen.has(current)) {
    seen.add(current);
    const record = current as Record<string, unknown>;
    for (const candidate of [record.data, (record.data as Record<string, unknown> | undefined)?.data, record.raw]) {
      if (typeof candidate === "string" && /^0x[0-9a-fA-F]{8,}$/.test(candidate)) return candidate as Hex;
    }
    current = record.cause ?? record.error;
  }
  return undefined;
}

/** Anything thrown while reading, simulating or sending → a DecodedError. */
export function decodeError(error: unknown): DecodedError {
  const data = findRevertData(error);
  if (data !== undefined) return decodeRevertData(data);
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 4001 || (error instanceof BaseError && error.walk((e) => (e as { code?: unknown }).code === 4001))) {
    return { name: "UserRejected", summary: "You rejected the request in your wallet.", args: [] };
  }
  if (error instanceof BaseError) return { name: error.name, summary: error.shortMessage, args: [] };
  if (error instanceof Error) return { name: error.name, summary: error.message, args: [] };
  if (typeof error === "object" && error !== null && typeof (error as { message?: unknown }).message === "string") {
    return { name: "Error", summary: (error as { message: string }).message, args: [] };
  }
  return { name: "Error", summary: String(error), args: [] };
}
