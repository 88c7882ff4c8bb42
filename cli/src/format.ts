// Amounts in CUR both ways, and a failure as one line naming the contract's custom error with its named arguments.
import { formatUnits, parseUnits } from "ethers";
import * as protocol from "@curia/protocol";
import { describeEthersError } from "@curia/protocol/ethers";

/** CUR has 18 decimals, as ether. */
const DECIMALS = 18;

/** A bad command line: usage is printed and the exit code is 2. */
export class UsageError extends Error {}

/** `1250500000000000000000n` → `1,250.5 CUR` (every significant decimal kept: an amount is never rounded). */
export function formatCur(wei: bigint): string {
  const negative = wei < 0n;
  const [whole = "0", fraction = "0"] = formatUnits(negative ? -wei : wei, DECIMALS).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const decimals = fraction.replace(/0+$/, "");
  return `${negative ? "-" : ""}${grouped}${decimals === "" ? "" : `.${decimals}`} CUR`;
}

/** `"1,250.5"` (or `"1250.5 CUR"`) → wei; anything else, a negative amount or more than 18 decimals is a UsageError. */
export function parseCur(text: string, what: string): bigint {
  const plain = text.trim().replace(/\s*CUR$/i, "");
  if (!/^(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$/.test(plain) && !/^\.\d+$/.test(plain)) {
    throw new UsageError(`${what} must be an amount in CUR such as 1250.5 or 1,250.5, got "${text}"`);
  }
  const [, fraction = ""] = plain.split(".");
  if (fraction.length > DECIMALS) throw new UsageError(`${what} has more than ${DECIMALS} decimals: "${text}"`);
  return parseUnits(plain.replace(/,/g, ""), DECIMALS);
}

/** A whole number argument (a listing id, a call count). */
export function parseCount(text: string | undefined, what: string, min = 0n): bigint {
  if (text === undefined || !/^\d+$/.test(text))
    throw new UsageError(`${what} must be a whole number, got ${text ?? "nothing"}`);
  const value = BigInt(text);
  if (value < min) throw new UsageError(`${what} must be at least ${min}, got ${text}`);
  return value;
}

interface AbiParam {
  name?: string;
  type: string;
  internalType?: string;
}

/**
 * The enum an error's argument holds, from its ABI internalType (`enum IListingRegistry.ListingStatus`), as the
 * protocol package's generated `ListingStatusNames`; undefined for any other argument.
 */
function enumNamesOf(param: AbiParam | undefined): readonly string[] | undefined {
  const match = /^enum (?:\w+\.)?(\w+)$/.exec(param?.internalType ?? "");
  if (match === null) return undefined;
  const names = (protocol as unknown as Record<string, unknown>)[`${match[1]}Names`];
  return Array.isArray(names) ? (names as string[]) : undefined;
}

/**
 * Arguments of Curia's errors (and the token's ERC-20 errors) that hold CUR amounts, by name: every uint argument of
 * these names in curiaErrorsAbi is one. NothingToSweep's `balance` is of any stray token, so it stays in base units.
 */
const CUR_ARGUMENTS = new Set([
  "allowance",
  "amount",
  "available",
  "balance",
  "bond",
  "cap",
  "increasedSupply",
  "locked",
  "maxPricePerCall",
  "minBond",
  "minimum",
  "needed",
  "pricePerCall",
  "requested",
  "slash",
  "stake",
  "thawing",
]);
const NOT_CUR_ERRORS = new Set(["NothingToSweep"]);

/**
 * Anything a read or a transaction threw → one line: a Curia custom error as `Name(arg value, …)` with enum values by
 * name (`ListingWrongStatus(listingId 3, status Challenged)`) and CUR amounts in CUR
 * (`ListingPriceAboveMax(listingId 1, pricePerCall 1.25 CUR, maxPricePerCall 1 CUR)`), else describeEthersError's
 * summary.
 */
export function errorLine(error: unknown): string {
  if (error instanceof UsageError) return error.message;
  const described = describeEthersError(error);
  if (described.data === undefined || ["Error", "Panic", "UnknownError"].includes(described.name)) {
    return described.summary.split("\n")[0]!;
  }
  const abiError = (
    protocol.curiaErrorsAbi as readonly { type: string; name?: string; inputs?: readonly AbiParam[] }[]
  ).find(
    (entry) =>
      entry.type === "error" && entry.name === described.name && (entry.inputs?.length ?? 0) === described.args.length,
  );
  const args = described.args.map((arg, i) => {
    const param = abiError?.inputs?.[i];
    const names = enumNamesOf(param);
    if (names !== undefined) return `${arg.name} ${names[Number(arg.value)] ?? arg.value}`;
    const isCur =
      param?.type.startsWith("uint") === true &&
      CUR_ARGUMENTS.has(arg.name) &&
      !NOT_CUR_ERRORS.has(described.name) &&
      /^\d+$/.test(arg.value);
    return `${arg.name} ${isCur ? formatCur(BigInt(arg.value)) : arg.value}`;
  });
  return `${described.name}(${args.join(", ")})`;
}
