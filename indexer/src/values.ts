// The indexer's in-memory form of entity values, mirroring graph-ts's store `Value` kinds, plus BigDecimal arithmetic
// close to graph-node's (exact +, −, ×; division to 34 significant digits; normalised output without trailing zeros).

export type StoreValue =
  | { kind: "String"; value: string }
  | { kind: "Int"; value: number }
  | { kind: "BigDecimal"; value: BigDecimal }
  | { kind: "Boolean"; value: boolean }
  | { kind: "Array"; value: StoreValue[] }
  | { kind: "Null" }
  | { kind: "Bytes"; value: string; raw?: Uint8Array }
  | { kind: "BigInt"; value: bigint; raw?: Uint8Array }
  | { kind: "Int8"; value: bigint }
  | { kind: "Timestamp"; value: bigint };

// `raw`: the bytes a mapping passed for the value, kept to hand them back without converting again (values are never
// modified in place, so the bytes stay right for the value they belong to).

/** An entity as a mapping saved it: field name → value (the `id` field included). */
export type EntityData = Map<string, StoreValue>;

export const NULL_VALUE: StoreValue = { kind: "Null" };

const DIVISION_DIGITS = 34;

export class BigDecimal {
  /** value = digits × 10^exponent, kept normalised (no trailing zeros in digits). */
  constructor(
    readonly digits: bigint,
    readonly exponent: number,
  ) {}

  static normalised(digits: bigint, exponent: number): BigDecimal {
    if (digits === 0n) return new BigDecimal(0n, 0);
    let d = digits;
    let e = exponent;
    while (d % 10n === 0n) {
      d /= 10n;
      e += 1;
    }
    return new BigDecimal(d, e);
  }

  static parse(text: string): BigDecimal {
    const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
    if (match === null || (match[2] === "" && (match[3] ?? "") === "")) throw new Error(`invalid BigDecimal '${text}'`);
    const fraction = match[3] ?? "";
    const digits = BigInt((match[1] ?? "") + (match[2] || "0") + fraction);
    return BigDecimal.normalised(digits, Number(match[4] ?? 0) - fraction.length);
  }

  private static aligned(a: BigDecimal, b: BigDecimal): [bigint, bigint, number] {
    const exponent = Math.min(a.exponent, b.exponent);
    return [a.digits * 10n ** BigInt(a.exponent - exponent), b.digits * 10n ** BigInt(b.exponent - exponent), exponent];
  }

  plus(other: BigDecimal): BigDecimal {
    const [x, y, e] = BigDecimal.aligned(this, other);
    return BigDecimal.normalised(x + y, e);
  }

  minus(other: BigDecimal): BigDecimal {
    const [x, y, e] = BigDecimal.aligned(this, other);
    return BigDecimal.normalised(x - y, e);
  }

  times(other: BigDecimal): BigDecimal {
    return BigDecimal.normalised(this.digits * other.digits, this.exponent + other.exponent);
  }

  dividedBy(other: BigDecimal): BigDecimal {
    if (other.digits === 0n) throw new Error("BigDecimal division by zero");
    const scale = DIVISION_DIGITS + digitCount(other.digits) - digitCount(this.digits) + 1;
    const shift = Math.max(scale, 0);
    const quotient = (this.digits * 10n ** BigInt(shift)) / other.digits;
    return BigDecimal.normalised(quotient, this.exponent - other.exponent - shift);
  }

  equals(other: BigDecimal): boolean {
    return this.digits === other.digits && this.exponent === other.exponent;
  }

  compare(other: BigDecimal): number {
    const [x, y] = BigDecimal.aligned(this, other);
    return x < y ? -1 : x > y ? 1 : 0;
  }

  toString(): string {
    if (this.digits === 0n) return "0";
    const negative = this.digits < 0n;
    const text = (negative ? -this.digits : this.digits).toString();
    let out: string;
    if (this.exponent >= 0) out = text + "0".repeat(this.exponent);
    else {
      const point = text.length + this.exponent;
      out = point > 0 ? `${text.slice(0, point)}.${text.slice(point)}` : `0.${"0".repeat(-point)}${text}`;
    }
    return negative ? `-${out}` : out;
  }

  toNumber(): number {
    return Number(this.toString());
  }
}

function digitCount(value: bigint): number {
  return (value < 0n ? -value : value).toString().length;
}

/** JSON-friendly plain value of a StoreValue, as GraphQL returns it (BigInt and BigDecimal as strings). */
export function plainValue(value: StoreValue): unknown {
  switch (value.kind) {
    case "Null":
      return null;
    case "Array":
      return value.value.map(plainValue);
    case "BigInt":
    case "Int8":
    case "Timestamp":
      return value.value.toString();
    case "BigDecimal":
      return value.value.toString();
    default:
      return value.value;
  }
}
