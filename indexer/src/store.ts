// Entity store on Node's built-in SQLite (node:sqlite). One table per entity type, one column per stored field, and
// one row per *version* of an entity: `_block_from` is the block that wrote it and `_block_to` the block that replaced
// or removed it (NULL while current), as graph-node's block ranges. Indexing commits whole blocks together with the
// indexer's head in one transaction, so a killed indexer resumes with exactly the data it had; a reorg deletes the
// versions written after the common ancestor and reopens the ones they closed.
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { columnType, type EntityTypeInfo, type FieldInfo, type SubgraphSchema } from "./schema.js";
import { BigDecimal, type EntityData, type StoreValue } from "./values.js";

/** Version of the way entities are stored: a database written in another format is indexed afresh. */
export const STORE_FORMAT = 3;

/** Digits a stored BigInt may have (two-digit length prefix); int256/uint256 need at most 78. */
const MAX_DIGITS = 99;

/**
 * BigInt as text whose byte order is numeric order, short enough to keep rows and indexes small: `p` + the number of
 * digits (two digits) + the digits for n ≥ 0; `n` + (99 − number of digits) + the nines' complement of the digits for
 * n < 0, so that larger magnitudes sort first.
 */
export function encodeSortableBigInt(value: bigint): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString();
  if (digits.length > MAX_DIGITS) throw new Error(`BigInt ${value} is too large to store`);
  if (!negative) return `p${digits.length.toString().padStart(2, "0")}${digits}`;
  let complement = "";
  for (let i = 0; i < digits.length; i++) complement += String(57 - digits.charCodeAt(i));
  return `n${(MAX_DIGITS - digits.length).toString().padStart(2, "0")}${complement}`;
}

export function decodeSortableBigInt(text: string): bigint {
  if (text[0] === "p") return BigInt(text.slice(3));
  let digits = "";
  for (let i = 3; i < text.length; i++) digits += String(57 - text.charCodeAt(i));
  return -BigInt(digits);
}

/** The decimal text of a sortable BigInt. */
export function sortableBigIntToDecimal(text: string): string {
  return text[0] === "p" ? text.slice(3) : decodeSortableBigInt(text).toString();
}

export type SqlValue = string | number | null;

export interface BlockPointer {
  number: number;
  hash: string;
  /** Unix seconds and the parent's hash, where the block was read from the chain (served by `_meta.block`). */
  timestamp?: number;
  parentHash?: string;
}

/** The head as `_meta.block` serves it (timestamp and parent hash null where they were not recorded). */
export interface HeadBlock {
  number: number;
  hash: string;
  timestamp: number | null;
  parentHash: string | null;
}

/** Changes one block made: entity type → id → new data, or null for a removal. */
export type BlockChanges = Map<string, Map<string, EntityData | null>>;

/** SQLite's order of two non-null values: numbers before text, text compared byte by byte (as BINARY collation). */
export function compareSql(a: string | number, b: string | number): number {
  if (typeof a === "number" || typeof b === "number") {
    if (typeof a === "number" && typeof b === "number") return a - b;
    return typeof a === "number" ? -1 : 1;
  }
  // Stored text is ASCII (ids, hex, sortable numbers) or compared as UTF-16 units otherwise: close enough for estimates.
  return a < b ? -1 : a > b ? 1 : 0;
}

export function tableName(entityType: string): string {
  return `"e_${entityType}"`;
}

export function columnName(field: string): string {
  return `"${field}"`;
}

/** Encodes one scalar value of `field` for its column (or for an element of a JSON list column). */
function encodeScalar(field: FieldInfo, value: StoreValue): SqlValue {
  switch (value.kind) {
    case "Null":
      return null;
    case "String":
      return value.value;
    case "Int":
      return value.value;
    case "Boolean":
      return value.value ? 1 : 0;
    case "Bytes":
      return value.value.toLowerCase();
    case "BigInt":
    case "Int8":
    case "Timestamp":
      return encodeSortableBigInt(value.value);
    case "BigDecimal":
      return value.value.toString();
    case "Array":
      throw new Error(`${field.name}: nested list value`);
  }
}

export function encodeField(field: FieldInfo, value: StoreValue | undefined): SqlValue {
  if (value === undefined || value.kind === "Null") return null;
  if (field.list) {
    if (value.kind !== "Array") throw new Error(`${field.name}: expected a list, got ${value.kind}`);
    return JSON.stringify(value.value.map((item) => encodeScalar(field, item)));
  }
  return encodeScalar(field, value);
}

function decodeScalar(field: FieldInfo, raw: string | number | null): StoreValue {
  if (raw === null) return { kind: "Null" };
  if (field.category !== "scalar") return { kind: "String", value: String(raw) };
  switch (field.typeName) {
    case "Int":
      return { kind: "Int", value: Number(raw) };
    case "Boolean":
      return { kind: "Boolean", value: Number(raw) !== 0 };
    case "Bytes":
      return { kind: "Bytes", value: String(raw) };
    case "BigInt":
      return { kind: "BigInt", value: decodeSortableBigInt(String(raw)) };
    case "Int8":
      return { kind: "Int8", value: decodeSortableBigInt(String(raw)) };
    case "Timestamp":
      return { kind: "Timestamp", value: decodeSortableBigInt(String(raw)) };
    case "BigDecimal":
      return { kind: "BigDecimal", value: BigDecimal.parse(String(raw)) };
    default:
      return { kind: "String", value: String(raw) };
  }
}

export function decodeField(field: FieldInfo, raw: unknown): StoreValue {
  if (raw === null || raw === undefined) return { kind: "Null" };
  if (field.list) {
    const items = JSON.parse(String(raw)) as (string | number | null)[];
    return { kind: "Array", value: items.map((item) => decodeScalar(field, item)) };
  }
  return decodeScalar(field, raw as string | number);
}

/** GraphQL output of a stored column: numbers for Int, strings for BigInt/BigDecimal/Bytes, as graph-node. */
export function graphqlValue(field: FieldInfo, raw: unknown): unknown {
  if (raw === null || raw === undefined) return null;
  if (field.list) return (JSON.parse(String(raw)) as unknown[]).map((item) => graphqlItem(field, item));
  return graphqlItem(field, raw);
}

/** One value (or list item) of `field` as GraphQL returns it (a module function: it runs for every value read). */
function graphqlItem(field: FieldInfo, item: unknown): unknown {
  if (item === null) return null;
  if (field.category !== "scalar") return item;
  switch (field.typeName) {
    case "Int":
      return Number(item);
    case "Boolean":
      return Number(item) !== 0;
    case "BigInt":
    case "Int8":
    case "Timestamp":
      return sortableBigIntToDecimal(String(item));
    default:
      return item;
  }
}

/** Fields worth an index for filters and ordering (long free text and lists are left out). */
export function indexedFields(entity: EntityTypeInfo): FieldInfo[] {
  return entity.storedFields.filter(
    (f) =>
      !f.list &&
      f.name !== "id" &&
      (f.category !== "scalar" || ["Int", "BigInt", "Boolean", "Int8", "Timestamp", "BigDecimal"].includes(f.typeName)),
  );
}

/** Fields of `entity` that a @derivedFrom field of another type reads back (single references only). */
function derivedBackFields(schema: SubgraphSchema, entity: EntityTypeInfo): FieldInfo[] {
  const names = new Set<string>();
  for (const other of schema.entities.values()) {
    for (const field of other.fieldsByName.values()) {
      if (field.derivedFrom !== undefined && field.typeName === entity.name) names.add(field.derivedFrom);
    }
  }
  return entity.storedFields.filter((f) => names.has(f.name) && !f.list && f.category === "entity");
}

/** Prepared statements kept: distinct query shapes (filters, selections) each prepare one. */
const STATEMENT_CACHE_SIZE = 1000;
/** Rows read to sample a column's values for selectivity estimates. */
const SAMPLE_ROWS = 512;

/** A sample of the current values of one column, sorted, to estimate the share of rows a filter keeps. */
export interface ColumnSample {
  /** Non-null values, sorted as SQLite compares them (numbers, or text byte by byte). */
  values: SqlValue[];
  /** Rows sampled, NULLs included. */
  rows: number;
}

export class EntityStore {
  readonly db: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();
  private readonly arrayStatements = new Map<string, StatementSync>();
  /** Column samples by `<table>.<column>`, each with the table's largest row id when it was taken. */
  private readonly samples = new Map<string, { sample: ColumnSample; maxVid: number; head: string }>();
  /** `_meta` as last read or written through this store (queries read the head on every request). */
  private readonly metaCache = new Map<string, string | undefined>();
  private headBlockCache: { number: number; hash: string; block: HeadBlock } | undefined;

  /** Whether the database held data of another identity, dropped on opening. */
  readonly wasReset: boolean = false;

  /**
   * Opens (or creates) the database. With an `identity` (of the schema, the deployment and the storage format), a
   * database written under another one is emptied first: its tables may lack columns the schema now has.
   */
  constructor(
    path: string,
    readonly schema: SubgraphSchema,
    identity?: string,
  ) {
    this.db = new DatabaseSync(path);
    // Wait for a moment rather than fail when another connection (a reader of the same file) holds a lock.
    this.db.exec("PRAGMA busy_timeout = 5000;");
    // WAL: readers (queries) never block the writer; NORMAL sync keeps commits durable across a process kill.
    this.db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY;");
    // Up to 64 MiB of pages in SQLite's own cache (the default is 2 MiB): index pages that queries and writes visit
    // again stay here instead of being read from the OS on every statement (~20 % of a paged query's time).
    this.db.exec("PRAGMA cache_size = -65536;");
    if (identity !== undefined) {
      const hasMeta = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_meta'").get();
      const previous = hasMeta
        ? (this.db.prepare("SELECT value FROM _meta WHERE key = 'identity'").get() as { value: string } | undefined)
        : undefined;
      if (previous !== undefined && previous.value !== identity) {
        const tables = this.db
          .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
          .all() as { name: string }[];
        this.db.exec("BEGIN");
        for (const { name } of tables) this.db.exec(`DROP TABLE "${name.replace(/"/g, '""')}"`);
        this.db.exec("COMMIT");
        this.wasReset = true;
      }
    }
    this.createTables();
    if (identity !== undefined) this.setMeta("identity", identity);
  }

  private createTables(): void {
    this.db.exec(`CREATE TABLE IF NOT EXISTS _meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS _blocks (number INTEGER PRIMARY KEY, hash TEXT NOT NULL, timestamp INTEGER,
        parent_hash TEXT);`);
    for (const entity of this.schema.entities.values()) {
      const table = tableName(entity.name);
      const columns = entity.storedFields.map((f) => `${columnName(f.name)} ${columnType(f)}`).join(", ");
      this.db.exec(`CREATE TABLE IF NOT EXISTS ${table} (_vid INTEGER PRIMARY KEY, _block_from INTEGER NOT NULL,
        _block_to INTEGER, ${columns})`);
      this.db.exec(
        `CREATE UNIQUE INDEX IF NOT EXISTS "ux_${entity.name}_id" ON ${table}("id") WHERE _block_to IS NULL`,
      );
      this.db.exec(`CREATE INDEX IF NOT EXISTS "ix_${entity.name}_versions" ON ${table}("id", _block_from)`);
      for (const field of indexedFields(entity)) {
        this.db.exec(
          `CREATE INDEX IF NOT EXISTS "ix_${entity.name}_${field.name}" ON ${table}(${columnName(field.name)}, "id")
           WHERE _block_to IS NULL`,
        );
      }
      // Pages of a @derivedFrom list (`delegate { votingPowerChanges(orderBy: blockNumber) }`, or the same filter on
      // the collection) walk a (back reference, order field, id) index instead of sorting every linked row.
      for (const back of derivedBackFields(this.schema, entity)) {
        for (const field of indexedFields(entity)) {
          if (field === back || field.category !== "scalar") continue;
          this.db.exec(
            `CREATE INDEX IF NOT EXISTS "ix_${entity.name}_${back.name}_${field.name}" ON ${table}(${columnName(back.name)},
             ${columnName(field.name)}, "id") WHERE _block_to IS NULL`,
          );
        }
      }
    }
  }

  /** A cached prepared statement (the oldest is dropped past the cache's size). */
  statement(sql: string): StatementSync {
    return this.cachedStatement(this.statements, sql, false);
  }

  /**
   * A cached prepared statement whose rows come back as arrays of column values, in the order of the SELECT list:
   * node:sqlite builds an array per row in about a third of the time it takes to build an object with named
   * properties, which was half the time of a page of 100 rows. For queries, which read many rows.
   */
  arrayStatement(sql: string): StatementSync {
    return this.cachedStatement(this.arrayStatements, sql, true);
  }

  private cachedStatement(cache: Map<string, StatementSync>, sql: string, arrays: boolean): StatementSync {
    let statement = cache.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      if (arrays) statement.setReturnArrays(true);
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      cache.set(sql, statement);
    }
    return statement;
  }

  /**
   * A sample of the current values of `field`, for the query planner's selectivity hints (SQLite's ANALYZE, without
   * STAT4 in node:sqlite, knows nothing of how values spread). Small tables are read whole; larger ones through
   * random row ids. The sample is taken again once the table has grown by a tenth.
   */
  columnSample(entity: EntityTypeInfo, field: FieldInfo): ColumnSample {
    const table = tableName(entity.name);
    const key = `${table}.${field.name}`;
    const head = this.getMeta("head_hash") ?? "";
    const cached = this.samples.get(key);
    if (cached !== undefined && cached.head === head) return cached.sample;
    const maxVid = Number((this.statement(`SELECT max(_vid) AS m FROM ${table}`).get() as { m: number | null }).m ?? 0);
    if (cached !== undefined && maxVid <= cached.maxVid * 1.1 + 10) {
      cached.head = head;
      return cached.sample;
    }
    const column = columnName(field.name);
    let raw: { v: SqlValue }[];
    if (maxVid <= SAMPLE_ROWS * 4) {
      raw = this.statement(`SELECT ${column} AS v FROM ${table} WHERE _block_to IS NULL`).all() as { v: SqlValue }[];
    } else {
      const vids = new Set<number>();
      while (vids.size < SAMPLE_ROWS * 2) vids.add(1 + Math.floor(Math.random() * maxVid));
      raw = this.statement(
        `SELECT ${column} AS v FROM ${table} WHERE _vid IN (SELECT CAST(value AS INTEGER) FROM json_each(?)) AND _block_to IS NULL`,
      ).all(JSON.stringify([...vids])) as { v: SqlValue }[];
    }
    const values = raw.map((r) => r.v).filter((v): v is string | number => v !== null);
    values.sort((a, b) => compareSql(a, b));
    const sample = { values, rows: raw.length };
    this.samples.set(key, { sample, maxVid, head });
    return sample;
  }

  entity(entityType: string): EntityTypeInfo {
    const entity = this.schema.entities.get(entityType);
    if (entity === undefined) throw new Error(`unknown entity type '${entityType}'`);
    return entity;
  }

  // ------------------------------------------------------------------------------------------- meta and blocks

  getMeta(key: string): string | undefined {
    if (this.metaCache.has(key)) return this.metaCache.get(key);
    const row = this.statement("SELECT value FROM _meta WHERE key = ?").get(key) as { value: string } | undefined;
    this.metaCache.set(key, row?.value);
    return row?.value;
  }

  setMeta(key: string, value: string): void {
    this.metaCache.delete(key);
    this.statement(
      "INSERT INTO _meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    ).run(key, value);
    this.metaCache.set(key, value);
  }

  deleteMeta(key: string): void {
    this.metaCache.delete(key);
    this.statement("DELETE FROM _meta WHERE key = ?").run(key);
    this.metaCache.set(key, undefined);
  }

  /** Forgets cached `_meta` values: after a ROLLBACK, or after writing `_meta` other than through this store. */
  invalidateMetaCache(): void {
    this.metaCache.clear();
  }

  /** The last block fully indexed, or undefined before the first. */
  head(): BlockPointer | undefined {
    const number = this.getMeta("head_number");
    const hash = this.getMeta("head_hash");
    return number === undefined || hash === undefined ? undefined : { number: Number(number), hash };
  }

  /** Hashes of indexed blocks, newest first, from `below` down (for finding a reorg's common ancestor). */
  recentBlocks(limit: number): BlockPointer[] {
    const rows = this.statement(
      "SELECT number, hash, timestamp, parent_hash FROM _blocks ORDER BY number DESC LIMIT ?",
    ).all(limit) as { number: number; hash: string; timestamp: number | null; parent_hash: string | null }[];
    return rows.map((r) => ({
      number: r.number,
      hash: r.hash,
      timestamp: r.timestamp ?? undefined,
      parentHash: r.parent_hash ?? undefined,
    }));
  }

  /**
   * The head with its timestamp and parent hash (from its `_blocks` row: one primary-key lookup per new head, as
   * `_meta` asks for it).
   */
  headBlock(): HeadBlock | undefined {
    const head = this.head();
    if (head === undefined) return undefined;
    if (this.headBlockCache?.hash === head.hash && this.headBlockCache.number === head.number) {
      return this.headBlockCache.block;
    }
    const row = this.statement("SELECT timestamp, parent_hash FROM _blocks WHERE number = ? AND hash = ?").get(
      head.number,
      head.hash,
    ) as { timestamp: number | null; parent_hash: string | null } | undefined;
    const block = { ...head, timestamp: row?.timestamp ?? null, parentHash: row?.parent_hash ?? null };
    this.headBlockCache = { number: head.number, hash: head.hash, block };
    return block;
  }

  // ------------------------------------------------------------------------------------------- entities

  /** The current version of an entity, as the mapping saved it. */
  load(entityType: string, id: string): EntityData | undefined {
    const entity = this.entity(entityType);
    const row = this.statement(`SELECT * FROM ${tableName(entityType)} WHERE "id" = ? AND _block_to IS NULL`).get(
      id,
    ) as Record<string, unknown> | undefined;
    return row === undefined ? undefined : this.rowToEntity(entity, row);
  }

  /** Current entities of `entityType` whose `field` equals `value` (for store.loadRelated). */
  loadWhere(entityType: string, field: string, value: string): EntityData[] {
    const entity = this.entity(entityType);
    const info = entity.fieldsByName.get(field);
    if (info === undefined) throw new Error(`${entityType} has no field '${field}'`);
    const table = tableName(entityType);
    const sql = info.list
      ? `SELECT * FROM ${table} WHERE _block_to IS NULL AND EXISTS (SELECT 1 FROM json_each(${columnName(field)}) WHERE value = ?) ORDER BY "id"`
      : `SELECT * FROM ${table} WHERE _block_to IS NULL AND ${columnName(field)} = ? ORDER BY "id"`;
    return (this.statement(sql).all(value) as Record<string, unknown>[]).map((row) => this.rowToEntity(entity, row));
  }

  rowToEntity(entity: EntityTypeInfo, row: Record<string, unknown>): EntityData {
    const data: EntityData = new Map();
    for (const field of entity.storedFields) {
      const value = decodeField(field, row[field.name]);
      // Absent optional fields stay absent, as graph-node returns them (graph-ts then reads null).
      if (value.kind !== "Null") data.set(field.name, value);
    }
    return data;
  }

  /**
   * Writes one block's changes and records its hash (`absent`: ids known to have no current version, whose insert
   * needs no update before it). Call inside a transaction that also moves the head with `setHead`, so that the data
   * and the head are committed together.
   */
  writeBlock(pointer: BlockPointer, changes: BlockChanges, absent?: Map<string, Set<string>>): void {
    for (const [entityType, byId] of changes) {
      const created = absent?.get(entityType);
      const entity = this.entity(entityType);
      const table = tableName(entityType);
      const close = this.statement(`UPDATE ${table} SET _block_to = ? WHERE "id" = ? AND _block_to IS NULL`);
      const names = entity.storedFields.map((f) => columnName(f.name));
      const insert = this.statement(
        `INSERT INTO ${table} (_block_from, ${names.join(", ")}) VALUES (?, ${names.map(() => "?").join(", ")})`,
      );
      for (const [id, data] of byId) {
        // `absent`: ids known to have no current version (a lookup in this block found none).
        if (created?.has(id) !== true) close.run(pointer.number, id);
        if (data === null) continue;
        insert.run(pointer.number, ...entity.storedFields.map((f) => encodeField(f, data.get(f.name))));
      }
    }
    this.recordBlock(pointer);
  }

  private recordBlock(pointer: BlockPointer): void {
    this.statement("INSERT OR REPLACE INTO _blocks (number, hash, timestamp, parent_hash) VALUES (?, ?, ?, ?)").run(
      pointer.number,
      pointer.hash,
      pointer.timestamp ?? null,
      pointer.parentHash ?? null,
    );
  }

  /** Moves the head (the last block fully indexed) and records its hash for reorg detection. */
  setHead(head: BlockPointer): void {
    this.recordBlock(head);
    this.setMeta("head_number", String(head.number));
    this.setMeta("head_hash", head.hash);
  }

  /** Undoes every block after `ancestor`: versions written later disappear, versions they closed are current again. */
  rollbackTo(ancestor: BlockPointer | undefined): void {
    const keep = ancestor?.number ?? -1;
    this.samples.clear();
    this.db.exec("BEGIN");
    try {
      for (const entity of this.schema.entities.values()) {
        const table = tableName(entity.name);
        this.statement(`DELETE FROM ${table} WHERE _block_from > ?`).run(keep);
        this.statement(`UPDATE ${table} SET _block_to = NULL WHERE _block_to > ?`).run(keep);
      }
      this.statement("DELETE FROM _blocks WHERE number > ?").run(keep);
      if (ancestor === undefined) {
        this.deleteMeta("head_number");
        this.deleteMeta("head_hash");
      } else {
        this.setMeta("head_number", String(ancestor.number));
        this.setMeta("head_hash", ancestor.hash);
      }
      this.deleteMeta("indexing_error");
      this.deleteMeta("indexing_error_block");
      this.db.exec("COMMIT");
    } catch (error) {
      this.db.exec("ROLLBACK");
      this.invalidateMetaCache();
      throw error;
    }
  }

  /** Every version of every entity, for tests comparing two stores exactly. */
  dumpAll(includeHistory = true): Record<string, Record<string, unknown>[]> {
    const out: Record<string, Record<string, unknown>[]> = {};
    for (const entity of this.schema.entities.values()) {
      const where = includeHistory ? "" : "WHERE _block_to IS NULL";
      const rows = this.db
        .prepare(`SELECT * FROM ${tableName(entity.name)} ${where} ORDER BY "id", _block_from`)
        .all() as Record<string, unknown>[];
      out[entity.name] = rows.map(({ _vid, ...rest }) => {
        void _vid;
        return rest;
      });
    }
    return out;
  }

  close(): void {
    this.db.close();
  }
}
