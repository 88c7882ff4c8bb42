// Turns The Graph's collection arguments (where, orderBy, orderDirection, first, skip, block) into SQL over the
// versioned entity tables, following graph-node's documented semantics: `first` defaults to 100 and is capped at 1000,
// results are ordered by `id` when no `orderBy` is given and by `id` after the ordering field to break ties, NULLs sort
// last ascending and first descending (Postgres order), `_in: []` matches nothing, and nested `field_` filters
// match on the referenced (or deriving) entities.
import { GraphQLError } from "graphql";
import { compareSql, columnName, encodeSortableBigInt, tableName, type ColumnSample, type SqlValue } from "../store.js";
import type { EntityTypeInfo, FieldInfo, SubgraphSchema } from "../schema.js";
import type { FilterKey } from "./api-schema.js";

export const MAX_FIRST = 1000;
export const MAX_SKIP = 4294967295;

export interface CollectionArgs {
  first?: number | null;
  skip?: number | null;
  orderBy?: string | null;
  orderDirection?: "asc" | "desc" | null;
  where?: Record<string, unknown> | null;
}

/** Which versions are visible: the current ones, or those live at a block. */
export type BlockConstraint = number | undefined;

/** Samples of current column values for an indexed field, or undefined for a field without an index. */
export type SampleSource = (entity: EntityTypeInfo, field: FieldInfo) => ColumnSample | undefined;

/** The probabilities given to SQLite's `likelihood()`: a few fixed ones, so that query shapes share statements. */
const LIKELIHOODS = [0.0001, 0.001, 0.01, 0.03, 0.1, 0.3, 0.5, 0.7, 0.9, 0.97, 0.999];

function roundLikelihood(p: number): number {
  let best = LIKELIHOODS[0]!;
  for (const candidate of LIKELIHOODS) {
    if (Math.abs(Math.log(candidate / p)) < Math.abs(Math.log(best / p))) best = candidate;
  }
  return best;
}

/** Index of the first sample value ≥ `value` (or > `value` when `after`). */
function lowerBound(values: SqlValue[], value: string | number, after: boolean): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const c = compareSql(values[mid] as string | number, value);
    if (c < 0 || (after && c === 0)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Share of a column's sampled rows that a comparison keeps; NULLs fail every comparison, as in SQL. */
export function estimateSelectivity(sample: ColumnSample, op: FilterOp, values: SqlValue[]): number | undefined {
  const n = sample.rows;
  if (n === 0) return undefined;
  const sorted = sample.values;
  const count = (from: number, to: number) => Math.max(0, to - from);
  const equal = (value: SqlValue) =>
    value === null ? 0 : count(lowerBound(sorted, value, false), lowerBound(sorted, value, true));
  const value = values[0];
  let kept: number;
  switch (op) {
    case "eq":
    case "in":
      kept = values.reduce<number>((sum, v) => sum + equal(v), 0);
      // A value the sample missed is rare, not absent.
      kept = Math.max(kept, 0.5 * values.length);
      break;
    case "not":
    case "not_in":
      kept = sorted.length - values.reduce<number>((sum, v) => sum + equal(v), 0);
      break;
    case "gt":
      kept = value === null || value === undefined ? 0 : count(lowerBound(sorted, value, true), sorted.length);
      break;
    case "gte":
      kept = value === null || value === undefined ? 0 : count(lowerBound(sorted, value, false), sorted.length);
      break;
    case "lt":
      kept = value === null || value === undefined ? 0 : lowerBound(sorted, value, false);
      break;
    case "lte":
      kept = value === null || value === undefined ? 0 : lowerBound(sorted, value, true);
      break;
    default:
      return undefined;
  }
  return Math.min(1, Math.max(kept, 0.5) / n);
}

export class SqlBuilder {
  readonly params: SqlValue[] = [];
  private aliasCount = 0;

  constructor(
    private readonly schema: SubgraphSchema,
    private readonly filterKeys: Map<string, Map<string, FilterKey>>,
    private readonly block: BlockConstraint,
    /** Where selectivity hints come from; without it SQLite guesses. */
    private readonly samples?: SampleSource,
  ) {}

  alias(): string {
    return `t${this.aliasCount++}`;
  }

  param(value: SqlValue): string {
    this.params.push(value);
    return "?";
  }

  visible(alias: string): string {
    if (this.block === undefined) return `${alias}._block_to IS NULL`;
    return `${alias}._block_from <= ${this.param(this.block)} AND (${alias}._block_to IS NULL OR ${alias}._block_to > ${this.param(this.block)})`;
  }

  /** Encodes a GraphQL input value as its column stores it. */
  encode(field: FieldInfo, value: unknown): SqlValue {
    if (value === null || value === undefined) return null;
    if (field.category !== "scalar") return String(value);
    switch (field.typeName) {
      case "Int":
        return Number(value);
      case "Boolean":
        return value === true ? 1 : 0;
      case "Bytes": {
        const text = String(value).toLowerCase();
        if (!/^0x([0-9a-f]{2})*$/.test(text))
          throw new GraphQLError(`Failed to decode \`Bytes\` value: \`${String(value)}\``);
        return text;
      }
      case "BigInt":
      case "Int8":
      case "Timestamp": {
        const text = String(value);
        if (!/^-?\d+$/.test(text)) throw new GraphQLError(`Failed to decode \`BigInt\` value: \`${text}\``);
        return encodeSortableBigInt(BigInt(text));
      }
      default:
        return String(value);
    }
  }

  /** SQL condition for a `<Type>_filter` object on rows aliased `alias`. */
  where(entity: EntityTypeInfo, filter: Record<string, unknown> | null | undefined, alias: string): string {
    if (filter === null || filter === undefined) return "1";
    const conditions: string[] = [];
    const keys = this.filterKeys.get(entity.name)!;
    for (const [key, value] of Object.entries(filter)) {
      if (value === undefined) continue;
      if (key === "and" || key === "or") {
        const list = (value as Record<string, unknown>[] | null) ?? [];
        const inner = list.map((f) => `(${this.where(entity, f, alias)})`);
        if (inner.length > 0) conditions.push(`(${inner.join(key === "and" ? " AND " : " OR ")})`);
        continue;
      }
      if (key === "_change_block") {
        const gte = (value as { number_gte: number } | null)?.number_gte;
        if (gte !== undefined) conditions.push(`${alias}._block_from >= ${this.param(gte)}`);
        continue;
      }
      const meaning = keys.get(key);
      if (meaning === undefined) throw new GraphQLError(`Type \`${entity.name}\` has no field \`${key}\``);
      conditions.push(this.condition(entity, meaning, value, alias));
    }
    return conditions.length === 0 ? "1" : conditions.join(" AND ");
  }

  private condition(entity: EntityTypeInfo, { field, op }: FilterKey, value: unknown, alias: string): string {
    if (op === "nested") return this.nested(entity, field, value as Record<string, unknown>, alias);
    const column = `${alias}.${columnName(field.name)}`;
    if (field.list) return this.listCondition(field, op, value, column);
    if (value === null) {
      if (op === "eq") return `${column} IS NULL`;
      if (op === "not") return `${column} IS NOT NULL`;
      throw new GraphQLError(`Filter \`${field.name}_${op}\` does not accept null`);
    }
    const text = field.typeName === "Bytes" ? String(value).toLowerCase().replace(/^0x/, "") : String(value);
    switch (op) {
      case "eq":
      case "not":
      case "gt":
      case "lt":
      case "gte":
      case "lte":
      case "in":
      case "not_in": {
        const items = op === "in" || op === "not_in" ? (value as unknown[]) : [value];
        if (items.length === 0) return op === "in" ? "0" : "1";
        const encoded = items.map((item) => this.encode(field, item));
        const list = encoded.map((item) => this.param(item)).join(", ");
        const sql =
          op === "in" || op === "not_in"
            ? `${column} ${op === "in" ? "IN" : "NOT IN"} (${list})`
            : `${column} ${COMPARATORS[op]} ${list}`;
        return this.withLikelihood(entity, field, op, encoded, sql);
      }
      case "contains":
        return `instr(${column}, ${this.param(text)}) > 0`;
      case "not_contains":
        return `instr(${column}, ${this.param(text)}) = 0`;
      case "contains_nocase":
        return `instr(lower(${column}), lower(${this.param(text)})) > 0`;
      case "not_contains_nocase":
        return `instr(lower(${column}), lower(${this.param(text)})) = 0`;
      case "starts_with":
        return `substr(${column}, 1, length(${this.param(text)})) = ${this.param(text)}`;
      case "not_starts_with":
        return `substr(${column}, 1, length(${this.param(text)})) != ${this.param(text)}`;
      case "starts_with_nocase":
        return `lower(substr(${column}, 1, length(${this.param(text)}))) = lower(${this.param(text)})`;
      case "not_starts_with_nocase":
        return `lower(substr(${column}, 1, length(${this.param(text)}))) != lower(${this.param(text)})`;
      case "ends_with":
        return `substr(${column}, length(${column}) - length(${this.param(text)}) + 1) = ${this.param(text)}`;
      case "not_ends_with":
        return `substr(${column}, length(${column}) - length(${this.param(text)}) + 1) != ${this.param(text)}`;
      case "ends_with_nocase":
        return `lower(substr(${column}, length(${column}) - length(${this.param(text)}) + 1)) = lower(${this.param(text)})`;
      case "not_ends_with_nocase":
        return `lower(substr(${column}, length(${column}) - length(${this.param(text)}) + 1)) != lower(${this.param(text)})`;
    }
  }

  /**
   * Tells SQLite how many rows a comparison on an indexed column keeps, estimated from a sample of the column: with
   * it, the planner walks the index of the `orderBy` field (stopping after `first` rows) when a filter keeps most
   * rows, and the filter's index when it keeps few, instead of guessing one in four per inequality.
   */
  private withLikelihood(entity: EntityTypeInfo, field: FieldInfo, op: FilterOp, values: SqlValue[], sql: string) {
    if (this.block !== undefined || this.samples === undefined) return sql;
    const sample = this.samples(entity, field);
    if (sample === undefined) return sql;
    const p = estimateSelectivity(sample, op, values);
    return p === undefined ? sql : `likelihood(${sql}, ${roundLikelihood(p)})`;
  }

  /** List fields: equality of the whole list, or containment of every given element. */
  private listCondition(field: FieldInfo, op: FilterOp, value: unknown, column: string): string {
    if (value === null) return op === "eq" ? `${column} IS NULL` : `${column} IS NOT NULL`;
    const items = (value as unknown[]).map((item) => this.encode(field, item));
    const json = JSON.stringify(items);
    switch (op) {
      case "eq":
        return `${column} = ${this.param(json)}`;
      case "not":
        return `${column} != ${this.param(json)}`;
      case "contains":
      case "not_contains": {
        const all = `NOT EXISTS (SELECT 1 FROM json_each(${this.param(json)}) w WHERE w.value NOT IN (SELECT value FROM json_each(${column})))`;
        return op === "contains" ? all : `NOT (${all})`;
      }
      case "contains_nocase":
      case "not_contains_nocase": {
        const all = `NOT EXISTS (SELECT 1 FROM json_each(${this.param(json)}) w WHERE lower(w.value) NOT IN (SELECT lower(value) FROM json_each(${column})))`;
        return op === "contains_nocase" ? all : `NOT (${all})`;
      }
      default:
        throw new GraphQLError(`Filter \`${field.name}_${op}\` is not supported on lists`);
    }
  }

  /** `field_: { … }`: the referenced entity (or, for a derived field, some deriving entity) matches the filter. */
  private nested(entity: EntityTypeInfo, field: FieldInfo, filter: Record<string, unknown>, alias: string): string {
    const child = this.schema.entities.get(field.typeName)!;
    const c = this.alias();
    const childCondition = `${this.visible(c)} AND ${this.where(child, filter, c)}`;
    if (field.derivedFrom !== undefined) {
      const back = child.fieldsByName.get(field.derivedFrom)!;
      const backColumn = `${c}.${columnName(back.name)}`;
      const pointsBack = back.list
        ? `EXISTS (SELECT 1 FROM json_each(${backColumn}) WHERE value = ${alias}."id")`
        : `${backColumn} = ${alias}."id"`;
      return `EXISTS (SELECT 1 FROM ${tableName(child.name)} ${c} WHERE ${pointsBack} AND ${childCondition})`;
    }
    const column = `${alias}.${columnName(field.name)}`;
    if (field.list) {
      return `EXISTS (SELECT 1 FROM json_each(${column}) j WHERE j.value IN (SELECT ${c}."id" FROM ${tableName(child.name)} ${c} WHERE ${childCondition}))`;
    }
    void entity;
    return `${column} IN (SELECT ${c}."id" FROM ${tableName(child.name)} ${c} WHERE ${childCondition})`;
  }

  /** ORDER BY for `orderBy`/`orderDirection`, always ending with `id` so pages are stable. */
  orderBy(
    entity: EntityTypeInfo,
    orderBy: string | null | undefined,
    direction: "asc" | "desc",
    alias: string,
  ): string {
    const dir = direction === "desc" ? "DESC" : "ASC";
    const nulls = direction === "desc" ? "NULLS FIRST" : "NULLS LAST";
    const idOrder = `${alias}."id" ${dir}`;
    if (orderBy === null || orderBy === undefined || orderBy === "id") return idOrder;
    const [own, childName] = orderBy.split("__");
    const field = entity.fieldsByName.get(own!);
    if (field === undefined)
      throw new GraphQLError(`Ordering by \`${orderBy}\` is not supported for type \`${entity.name}\``);
    if (field.derivedFrom !== undefined || field.list) {
      throw new GraphQLError(`Ordering by \`${orderBy}\` is not supported for type \`${entity.name}\``);
    }
    if (childName === undefined) {
      // Non-null columns need no NULLS clause, which lets SQLite walk the (field, id) index instead of sorting.
      return field.nonNull
        ? `${alias}.${columnName(field.name)} ${dir}, ${idOrder}`
        : `${alias}.${columnName(field.name)} ${dir} ${nulls}, ${idOrder}`;
    }
    const child = this.schema.entities.get(field.typeName)!;
    const childField = child.fieldsByName.get(childName);
    if (childField === undefined)
      throw new GraphQLError(`Ordering by \`${orderBy}\` is not supported for type \`${entity.name}\``);
    const c = this.alias();
    const value = `(SELECT ${c}.${columnName(childField.name)} FROM ${tableName(child.name)} ${c} WHERE ${c}."id" = ${alias}.${columnName(field.name)} AND ${this.visible(c)})`;
    return `${value} ${dir} ${nulls}, ${idOrder}`;
  }
}

type FilterOp = FilterKey["op"];

const COMPARATORS: Partial<Record<FilterOp, string>> = { eq: "=", not: "!=", gt: ">", lt: "<", gte: ">=", lte: "<=" };

/** graph-node's range check on `first` and `skip`. */
export function checkRange(name: "first" | "skip", value: number, max: number): void {
  if (value < 0 || value > max) {
    throw new GraphQLError(`The \`${name}\` argument must be between 0 and ${max}, but is ${value}`);
  }
}
