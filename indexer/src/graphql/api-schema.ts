// Generates the GraphQL API that graph-node derives from a subgraph schema: per entity type `T`, the query fields
// `t(id:)` and `ts(skip, first, orderBy, orderDirection, where, block)`, the `T_filter` input with graph-node's
// suffixes, the `T_orderBy` enum (own fields and `ref__field` of single references), arguments on list fields, and
// `_meta`. Also returns, for each filter input, what each key means, so the resolver never parses key names.
import type { EntityTypeInfo, FieldInfo, SubgraphSchema } from "../schema.js";

export type FilterOp =
  | "eq"
  | "not"
  | "gt"
  | "lt"
  | "gte"
  | "lte"
  | "in"
  | "not_in"
  | "contains"
  | "contains_nocase"
  | "not_contains"
  | "not_contains_nocase"
  | "starts_with"
  | "starts_with_nocase"
  | "not_starts_with"
  | "not_starts_with_nocase"
  | "ends_with"
  | "ends_with_nocase"
  | "not_ends_with"
  | "not_ends_with_nocase"
  | "nested";

export interface FilterKey {
  field: FieldInfo;
  op: FilterOp;
}

export interface ApiSchema {
  sdl: string;
  /** `<Type>_filter` key → meaning, per entity type. */
  filterKeys: Map<string, Map<string, FilterKey>>;
  /** Query field name → entity type and whether it is the plural one. */
  queryFields: Map<string, { entity: EntityTypeInfo; plural: boolean }>;
}

const COMPARISON: FilterOp[] = ["eq", "not", "gt", "lt", "gte", "lte", "in", "not_in"];
const STRING_OPS: FilterOp[] = [
  ...COMPARISON,
  "contains",
  "contains_nocase",
  "not_contains",
  "not_contains_nocase",
  "starts_with",
  "starts_with_nocase",
  "not_starts_with",
  "not_starts_with_nocase",
  "ends_with",
  "ends_with_nocase",
  "not_ends_with",
  "not_ends_with_nocase",
];
const LIST_OPS: FilterOp[] = ["eq", "not", "contains", "contains_nocase", "not_contains", "not_contains_nocase"];

export function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** graph-node pluralises with Inflector; these rules cover English type names such as Curia's. */
export function pluralize(name: string): string {
  if (/[^aeiou]y$/i.test(name)) return `${name.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/i.test(name)) return `${name}es`;
  return `${name}s`;
}

function suffix(op: FilterOp): string {
  return op === "eq" ? "" : op === "nested" ? "_" : `_${op}`;
}

function opsFor(field: FieldInfo): FilterOp[] {
  if (field.derivedFrom !== undefined) return [];
  if (field.list) return LIST_OPS;
  if (field.category === "enum") return ["eq", "not", "in", "not_in"];
  if (field.category === "entity") return STRING_OPS;
  switch (field.typeName) {
    case "String":
      return STRING_OPS;
    case "Bytes":
      return [...COMPARISON, "contains", "not_contains"];
    case "Boolean":
      return ["eq", "not", "in", "not_in"];
    default:
      return COMPARISON;
  }
}

/** The GraphQL input type of a filter value for `field` and `op`. */
function filterInputType(field: FieldInfo, op: FilterOp): string {
  const base = field.category === "entity" ? "String" : field.typeName;
  if (field.list) return `[${base}!]`;
  if (op === "in" || op === "not_in") return `[${base}!]`;
  return base;
}

function describe(text: string | undefined, indent = ""): string {
  if (text === undefined || text === "") return "";
  return `${indent}"""\n${indent}${text.replace(/"""/g, '\\"""').replace(/\n/g, `\n${indent}`)}\n${indent}"""\n`;
}

function outputType(field: FieldInfo): string {
  const base = field.typeName;
  if (field.list) return `[${base}!]${field.nonNull ? "!" : ""}`;
  return `${base}${field.nonNull ? "!" : ""}`;
}

function collectionArguments(typeName: string): string {
  return `(skip: Int = 0, first: Int = 100, orderBy: ${typeName}_orderBy, orderDirection: OrderDirection, where: ${typeName}_filter)`;
}

export function buildApiSchema(schema: SubgraphSchema): ApiSchema {
  const parts: string[] = [
    `"""Arbitrary-size integer, as a decimal string."""\nscalar BigInt`,
    `"""Arbitrary-precision decimal, as a string."""\nscalar BigDecimal`,
    `"""Byte array, as 0x-prefixed hex."""\nscalar Bytes`,
    `"""64-bit integer, as a decimal string."""\nscalar Int8`,
    `"""Microseconds since the Unix epoch, as a decimal string."""\nscalar Timestamp`,
    `"""Sort direction."""\nenum OrderDirection { asc desc }`,
    `"""What to do when the subgraph has indexing errors (the local indexer stops at the first one)."""\nenum _SubgraphErrorPolicy_ { allow deny }`,
    `"""A block to query the data as of: by number, or the latest at or after a number."""\ninput Block_height { hash: Bytes number: Int number_gte: Int }`,
    `"""Entities changed at or after a block."""\ninput BlockChangedFilter { number_gte: Int! }`,
    `"""A block of the indexed chain."""\ntype _Block_ { "Block hash." hash: Bytes "Block number." number: Int! "Block timestamp (Unix seconds; null before the first block)." timestamp: Int "Parent block hash." parentHash: Bytes }`,
    `"""Indexing status of the subgraph."""\ntype _Meta_ { "Latest block indexed." block: _Block_! "Identity of this subgraph build and deployment." deployment: String! "Whether indexing stopped on a mapping error." hasIndexingErrors: Boolean! }`,
  ];
  for (const [name, info] of schema.enums) {
    parts.push(`${describe(info.description)}enum ${name} { ${info.values.join(" ")} }`);
  }
  const filterKeys = new Map<string, Map<string, FilterKey>>();
  const queryFields = new Map<string, { entity: EntityTypeInfo; plural: boolean }>();
  const queryLines: string[] = [];
  for (const entity of schema.entities.values()) {
    // Object type
    const fieldLines = entity.fields.map((field) => {
      const args = field.category === "entity" && field.list ? collectionArguments(field.typeName) : "";
      return `${describe(field.description, "  ")}  ${field.name}${args}: ${outputType(field)}`;
    });
    parts.push(`${describe(entity.description)}type ${entity.name} {\n${fieldLines.join("\n")}\n}`);

    // Filter input
    const keys = new Map<string, FilterKey>();
    const filterLines: string[] = [];
    for (const field of entity.fields) {
      for (const op of opsFor(field)) {
        const key = `${field.name}${suffix(op)}`;
        keys.set(key, { field, op });
        filterLines.push(`  ${key}: ${filterInputType(field, op)}`);
      }
      if (field.category === "entity") {
        const key = `${field.name}_`;
        keys.set(key, { field, op: "nested" });
        filterLines.push(`  ${key}: ${field.typeName}_filter`);
      }
    }
    filterLines.push(`  "Filter for the block changed event."\n  _change_block: BlockChangedFilter`);
    filterLines.push(`  and: [${entity.name}_filter]`, `  or: [${entity.name}_filter]`);
    parts.push(`input ${entity.name}_filter {\n${filterLines.join("\n")}\n}`);
    filterKeys.set(entity.name, keys);

    // Order-by enum: own fields, and `ref__child` for single references.
    const orderValues: string[] = [];
    for (const field of entity.fields) {
      orderValues.push(field.name);
      if (field.category === "entity" && !field.list && field.derivedFrom === undefined) {
        const child = schema.entities.get(field.typeName)!;
        for (const childField of child.storedFields) {
          if (!childField.list && childField.category !== "entity")
            orderValues.push(`${field.name}__${childField.name}`);
        }
      }
    }
    parts.push(`enum ${entity.name}_orderBy { ${orderValues.join(" ")} }`);

    const single = lowerFirst(entity.name);
    const plural = pluralize(single);
    queryFields.set(single, { entity, plural: false });
    queryFields.set(plural, { entity, plural: true });
    const blockArgs = `block: Block_height, subgraphError: _SubgraphErrorPolicy_! = deny`;
    queryLines.push(`  ${single}(id: ID!, ${blockArgs}): ${entity.name}`);
    queryLines.push(
      `  ${plural}(skip: Int = 0, first: Int = 100, orderBy: ${entity.name}_orderBy, orderDirection: OrderDirection, where: ${entity.name}_filter, ${blockArgs}): [${entity.name}!]!`,
    );
  }
  queryLines.push(`  "Access to subgraph metadata."\n  _meta(block: Block_height): _Meta_`);
  parts.push(`type Query {\n${queryLines.join("\n")}\n}`);
  return { sdl: parts.join("\n\n") + "\n", filterKeys, queryFields };
}
