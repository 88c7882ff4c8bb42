// The contracts' enums (generated from the compiler's AST: see scripts/generate.mjs) and the one way to name a value.
export * from "./generated/enums.js";

/**
 * The member of `names` (an enum's `…Names` list) that `value` stands for: takes a viem number, an ethers bigint or a
 * number string. Throws on a value the enum does not have (a contract newer than this build, or a wrong enum).
 */
export function enumName<const Names extends readonly string[]>(
  names: Names,
  value: number | bigint | string,
): Names[number] {
  const index = typeof value === "number" ? value : Number(BigInt(value));
  const name = names[index];
  if (!Number.isInteger(index) || name === undefined) {
    throw new RangeError(`${String(value)} is not a value of the enum ${names.join(" | ")}`);
  }
  return name;
}

/**
 * The same enum with bigint values, as ethers returns them (`enumBigInts(Period).Commit === 2n`): for code that compares
 * what a contract call returned without converting every value.
 */
export function enumBigInts<const E extends Record<string, number>>(values: E): { readonly [K in keyof E]: bigint } {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, BigInt(value)])) as {
    readonly [K in keyof E]: bigint;
  };
}
