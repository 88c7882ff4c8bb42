// Any failure of a read, simulation or transaction in words: a Curia custom error by name with its named arguments
// ("CourtDisputeNotFound: disputeId 7"), a require string, a panic, a rejected wallet request. Shared by the web app
// (decoding with viem) and the Node programs (decoding with ethers: `describeEthersError` in @curia/protocol/ethers):
// the decoder is a parameter because this module imports neither library.

/** A custom error as an ABI decoder returns it (viem's decodeErrorResult, ethers' Interface.parseError). */
export interface DecodedCustomError {
  name: string;
  args: readonly unknown[];
  /** The error's ABI inputs, for the argument names. */
  inputs: readonly { name?: string; type: string }[];
}

/** Decodes revert data with the Curia errors ABI (`curiaErrorsAbi`); undefined when no error matches. */
export type RevertDecoder = (data: `0x${string}`) => DecodedCustomError | undefined;

export interface DescribedError {
  /** The error's name (`CurationStakeTooLow`) or a kind (`UserRejected`, `Error`, `Panic`, `UnknownError`). */
  name: string;
  /** One line: `CurationStakeTooLow(5, 10)`, or the message. */
  summary: string;
  /** One sentence for people: `Curation stake too low (amount 5, minimum 10).` */
  message: string;
  /** Named arguments of a custom error, formatted. */
  args: { name: string; value: string }[];
  /** The revert data when there was some. */
  data?: `0x${string}`;
}

/** Solidity's panic codes (`Panic(uint256)`). */
export const PANIC_REASONS: Readonly<Record<number, string>> = {
  0x01: "assertion failed",
  0x11: "arithmetic overflow or underflow",
  0x12: "division by zero",
  0x21: "invalid enum value",
  0x22: "invalid storage byte array",
  0x31: "pop from an empty array",
  0x32: "array index out of bounds",
  0x41: "out of memory",
  0x51: "call to an uninitialised function",
};

export function formatErrorValue(value: unknown): string {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return `[${value.map(formatErrorValue).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    return JSON.stringify(value, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  }
  return String(value);
}

/** `CourtDisputeNotFound` → `Court dispute not found`. */
export function errorWords(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(" ");
  return words.map((w, i) => (i === 0 || /^[A-Z0-9]+$/.test(w) ? w : w.toLowerCase())).join(" ");
}

/** Revert data → a DescribedError, with `decode` for the custom errors (and Error(string) / Panic(uint256)). */
export function describeRevertData(data: `0x${string}`, decode: RevertDecoder): DescribedError {
  let decoded: DecodedCustomError | undefined;
  try {
    decoded = decode(data);
  } catch {
    decoded = undefined;
  }
  if (decoded === undefined) {
    const summary = `Reverted with unknown error data ${data.slice(0, 10)}`;
    return { name: "UnknownError", summary, message: `${summary} (not a Curia error).`, args: [], data };
  }
  if (decoded.name === "Error") {
    const text = String(decoded.args[0]);
    return { name: "Error", summary: text, message: text, args: [], data };
  }
  if (decoded.name === "Panic") {
    const code = Number(decoded.args[0]);
    const summary = `Panic: ${PANIC_REASONS[code] ?? `code 0x${code.toString(16)}`}`;
    return { name: "Panic", summary, message: `${summary}.`, args: [], data };
  }
  const args = decoded.args.map((value, i) => ({
    name: decoded.inputs[i]?.name || `arg${i}`,
    value: formatErrorValue(value),
  }));
  const words = errorWords(decoded.name);
  return {
    name: decoded.name,
    summary: `${decoded.name}(${args.map((a) => a.value).join(", ")})`,
    message: args.length > 0 ? `${words} (${args.map((a) => `${a.name} ${a.value}`).join(", ")}).` : `${words}.`,
    args,
    data,
  };
}

/** Revert data anywhere in an error's cause chain (viem errors, ethers errors, EIP-1193 and JSON-RPC error objects). */
export function findRevertData(error: unknown): `0x${string}` | undefined {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (typeof current === "object" && current !== null && !seen.has(current)) {
    seen.add(current);
    const record = current as Record<string, unknown>;
    const nested = record.data as Record<string, unknown> | undefined;
    for (const candidate of [record.data, nested?.data, record.raw]) {
      if (typeof candidate === "string" && /^0x[0-9a-fA-F]{8,}$/.test(candidate)) return candidate as `0x${string}`;
    }
    current = record.cause ?? record.error ?? record.info;
  }
  return undefined;
}

/** A rejected wallet request (EIP-1193 code 4001, or ethers' ACTION_REJECTED) anywhere in the cause chain. */
function isUserRejection(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (typeof current === "object" && current !== null && !seen.has(current)) {
    seen.add(current);
    const record = current as Record<string, unknown>;
    if (record.code === 4001 || record.code === "ACTION_REJECTED") return true;
    current = record.cause ?? record.error;
  }
  return false;
}

/** Anything thrown while reading, simulating or sending → a DescribedError. */
export function describeError(error: unknown, decode: RevertDecoder): DescribedError {
  const data = findRevertData(error);
  if (data !== undefined) return describeRevertData(data, decode);
  if (isUserRejection(error)) {
    const text = "You rejected the request in your wallet.";
    return { name: "UserRejected", summary: text, message: text, args: [] };
  }
  const plain = (name: string, text: string): DescribedError => ({ name, summary: text, message: text, args: [] });
  if (typeof error === "object" && error !== null) {
    const record = error as { name?: unknown; shortMessage?: unknown; message?: unknown };
    const name = typeof record.name === "string" ? record.name : "Error";
    // viem's and ethers' errors carry a one-line `shortMessage`; `message` adds a multi-line dump of the request.
    if (typeof record.shortMessage === "string") return plain(name, record.shortMessage);
    if (typeof record.message === "string") return plain(name, record.message);
  }
  return plain("Error", String(error));
}
