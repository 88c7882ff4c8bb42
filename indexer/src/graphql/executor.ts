// Executes The Graph's query API over the entity store with graphql-js: parse + validate (cached per query text),
// graph-node's depth and `first` limits, and resolvers that read entity versions straight from SQLite.
import {
  buildSchema,
  execute,
  GraphQLError,
  Kind,
  Lexer,
  parse,
  Source,
  specifiedRules,
  TokenKind,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type SelectionSetNode,
} from "graphql";
import { columnName, graphqlValue, indexedFields, tableName, type EntityStore } from "../store.js";
import type { EntityTypeInfo } from "../schema.js";
import { buildApiSchema, type ApiSchema } from "./api-schema.js";
import { EntityValue, type ColumnPositions } from "./entity-value.js";
import { Sightings } from "./sightings.js";
import { executeFast } from "./fast-execute.js";
import {
  checkRange,
  MAX_FIRST,
  MAX_SKIP,
  SqlBuilder,
  type BlockConstraint,
  type CollectionArgs,
  type SampleSource,
} from "./query.js";

/** graph-node's default GRAPH_GRAPHQL_MAX_DEPTH. */
export const DEFAULT_MAX_DEPTH = 255;
const DOCUMENT_CACHE_SIZE = 500;
const RESULT_CACHE_SIZE = 2000;
const SHAPE_CACHE_SIZE = 2000;

interface BlockHeight {
  number?: number | null;
  number_gte?: number | null;
  hash?: string | null;
}

export interface ExecutorOptions {
  maxDepth?: number;
  /** Identity reported by `_meta.deployment`. */
  deployment?: string;
  /** Run what `executeFast` supports without graphql-js's executor (default true; false for comparisons). */
  fastPath?: boolean;
}

export interface GraphQLRequest {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

export class QueryExecutor {
  readonly api: ApiSchema;
  readonly schema: GraphQLSchema;
  private readonly documents = new Map<string, DocumentNode | readonly GraphQLError[]>();
  /** Shapes (see `queryShape`) of documents that passed validation and the depth limit. */
  private readonly validShapes = new Set<string>();
  private readonly maxDepth: number;
  private readonly results = new Map<string, string>();
  /** Responses served from the result cache, and computed, since start (for metrics). */
  cacheHits = 0;
  cacheMisses = 0;
  private resultsVersion = "";
  /** Query texts and request keys seen once: a document or a result is cached when its query comes again. */
  private readonly documentSightings = new Sightings(4 * DOCUMENT_CACHE_SIZE);
  private readonly resultSightings = new Sightings(4 * RESULT_CACHE_SIZE);
  /** Per entity type, the fields with an index (the only ones worth a selectivity estimate). */
  private readonly indexed = new Map<string, Set<string>>();
  private readonly samples: SampleSource = (entity, field) =>
    this.indexed.get(entity.name)?.has(field.name) === true ? this.store.columnSample(entity, field) : undefined;
  /** Columns to read for a selection (by its first field node), per entity type. */
  private readonly selections = new WeakMap<FieldNode, Map<string, SelectedColumns>>();

  constructor(
    private readonly store: EntityStore,
    private readonly options: ExecutorOptions = {},
  ) {
    this.api = buildApiSchema(store.schema);
    this.schema = buildSchema(this.api.sdl);
    this.maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    for (const entity of store.schema.entities.values()) {
      this.indexed.set(entity.name, new Set(["id", ...indexedFields(entity).map((f) => f.name)]));
    }
    this.attachResolvers();
  }

  run(request: GraphQLRequest): ExecutionResult {
    return this.execute(request);
  }

  /**
   * The response body of a request, as JSON text. Texts are cached until the data changes (a new head, a rollback,
   * an error), like graph-node's query cache: dashboards and apps repeat the same queries between blocks. Only the
   * text is kept, which the garbage collector never has to walk, and only from a query's second sighting on.
   */
  runJson(request: GraphQLRequest): string {
    const version = `${this.store.getMeta("head_hash") ?? ""}|${this.store.getMeta("indexing_error") ?? ""}`;
    if (version !== this.resultsVersion) {
      this.results.clear();
      this.resultSightings.clear();
      this.resultsVersion = version;
    }
    const key = JSON.stringify([request.query, request.variables ?? null, request.operationName ?? null]);
    const cached = this.results.get(key);
    if (cached !== undefined) {
      this.cacheHits += 1;
      return cached;
    }
    this.cacheMisses += 1;
    const json = JSON.stringify(this.execute(request));
    if (!this.resultSightings.seenBefore(key)) return json;
    if (this.results.size >= RESULT_CACHE_SIZE) this.results.delete(this.results.keys().next().value!);
    this.results.set(key, json);
    return json;
  }

  private execute(request: GraphQLRequest): ExecutionResult {
    const document = this.document(request.query);
    if (!("kind" in document)) return { errors: document };
    if (this.options.fastPath !== false) {
      const fast = executeFast(
        this.schema,
        document,
        request.variables,
        request.operationName,
        this.entityFieldResolver,
      );
      if (fast !== undefined) return fast;
    }
    try {
      return execute({
        schema: this.schema,
        document,
        variableValues: request.variables ?? undefined,
        operationName: request.operationName ?? undefined,
        fieldResolver: this.entityFieldResolver,
      }) as ExecutionResult;
    } catch (error) {
      return { errors: [error instanceof GraphQLError ? error : new GraphQLError((error as Error).message)] };
    }
  }

  /**
   * Parsed and validated document, cached by query text from its second sighting on (the same queries repeat from apps
   * and dashboards; pages and ids often do not). Queries that differ only in literal values (pages, ids, thresholds)
   * share one validation: see `queryShape`.
   */
  private document(query: string): DocumentNode | readonly GraphQLError[] {
    const cached = this.documents.get(query);
    if (cached !== undefined) return cached;
    let result: DocumentNode | readonly GraphQLError[];
    try {
      const shape = queryShape(query);
      const document = parse(query);
      if (shape !== undefined && this.validShapes.has(shape)) result = document;
      else {
        const errors = validate(this.schema, document, specifiedRules);
        if (errors.length > 0) result = errors;
        else {
          const depth = queryDepth(document);
          result =
            depth > this.maxDepth
              ? [new GraphQLError(`query has a depth that exceeds the limit of \`${this.maxDepth}\``)]
              : document;
        }
        if (shape !== undefined && "kind" in result) {
          if (this.validShapes.size >= SHAPE_CACHE_SIZE) this.validShapes.clear();
          this.validShapes.add(shape);
        }
      }
    } catch (error) {
      result = [error instanceof GraphQLError ? error : new GraphQLError((error as Error).message)];
    }
    if (!this.documentSightings.seenBefore(query)) return result;
    if (this.documents.size >= DOCUMENT_CACHE_SIZE) this.documents.delete(this.documents.keys().next().value!);
    this.documents.set(query, result);
    return result;
  }

  private attachResolvers(): void {
    const queryFields = this.schema.getQueryType()!.getFields();
    for (const [name, { entity, plural }] of this.api.queryFields) {
      const field = queryFields[name]!;
      field.resolve = plural
        ? (_source, args: CollectionArgs & { block?: BlockHeight }, _context, info) =>
            this.collection(entity, args, this.blockOf(args.block), undefined, info)
        : (_source, args: { id: string; block?: BlockHeight }, _context, info) =>
            this.byId(entity, args.id, this.blockOf(args.block), info);
    }
    queryFields._meta!.resolve = (_source, args: { block?: BlockHeight }) => {
      const head = this.store.headBlock();
      this.blockOf(args.block);
      return {
        block: {
          number: head?.number ?? 0,
          hash: head?.hash ?? null,
          timestamp: head?.timestamp ?? null,
          parentHash: head?.parentHash ?? null,
        },
        deployment: this.options.deployment ?? this.store.getMeta("identity") ?? "",
        hasIndexingErrors: this.store.getMeta("indexing_error") !== undefined,
      };
    };
  }

  /** Validates `block:` against what is indexed and turns it into a version constraint. */
  private blockOf(block: BlockHeight | undefined | null): BlockConstraint {
    if (block === undefined || block === null) return undefined;
    const head = this.store.head();
    const latest = head?.number ?? -1;
    if (block.hash !== undefined && block.hash !== null) {
      const row = this.store.statement("SELECT number FROM _blocks WHERE hash = ?").get(block.hash.toLowerCase()) as
        { number: number } | undefined;
      if (row === undefined) throw new GraphQLError(`no block with that hash found: ${block.hash}`);
      return row.number;
    }
    if (block.number_gte !== undefined && block.number_gte !== null) {
      if (block.number_gte > latest) {
        throw new GraphQLError(
          `subgraph has only indexed up to block number ${latest} and data for block number ${block.number_gte} is therefore not yet available`,
        );
      }
      return undefined;
    }
    if (block.number !== undefined && block.number !== null) {
      if (block.number > latest) {
        throw new GraphQLError(
          `subgraph has only indexed up to block number ${latest} and data for block number ${block.number} is therefore not yet available`,
        );
      }
      return block.number;
    }
    return undefined;
  }

  /**
   * The columns a selection reads (`id` always, first: derived fields and nested filters need it): reading only those
   * keeps wide rows of long BigInt text out of JavaScript.
   */
  private columns(entity: EntityTypeInfo, info: GraphQLResolveInfo): SelectedColumns {
    const first = info.fieldNodes[0]!;
    let byEntity = this.selections.get(first);
    if (byEntity === undefined) {
      byEntity = new Map();
      this.selections.set(first, byEntity);
    }
    let selected = byEntity.get(entity.name);
    if (selected === undefined) {
      const wanted = new Set<string>(["id"]);
      const visit = (set: SelectionSetNode | undefined, seen: Set<string>): void => {
        if (set === undefined) return;
        for (const selection of set.selections) {
          if (selection.kind === Kind.FIELD) {
            const field = entity.fieldsByName.get(selection.name.value);
            if (field !== undefined && field.derivedFrom === undefined) wanted.add(field.name);
          } else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet, seen);
          else if (!seen.has(selection.name.value)) {
            seen.add(selection.name.value);
            visit(info.fragments[selection.name.value]?.selectionSet, seen);
          }
        }
      };
      for (const node of info.fieldNodes) visit(node.selectionSet, new Set());
      const names = [...wanted];
      selected = { names, positions: new Map(names.map((name, position) => [name, position])) };
      byEntity.set(entity.name, selected);
    }
    return selected;
  }

  /** The SELECT list of `columns` for rows aliased `alias`. */
  private selectList(columns: SelectedColumns, alias: string): string {
    return columns.names.map((name) => `${alias}.${columnName(name)}`).join(", ");
  }

  private byId(
    entity: EntityTypeInfo,
    id: string,
    block: BlockConstraint,
    info: GraphQLResolveInfo,
  ): EntityValue | null {
    const sql = new SqlBuilder(this.store.schema, this.api.filterKeys, block);
    const alias = sql.alias();
    const condition = `${alias}."id" = ${sql.param(id)} AND ${sql.visible(alias)}`;
    const columns = this.columns(entity, info);
    const row = this.store
      .arrayStatement(
        `SELECT ${this.selectList(columns, alias)} FROM ${tableName(entity.name)} ${alias} WHERE ${condition}`,
      )
      .get(...sql.params) as unknown[] | undefined;
    return row === undefined ? null : new EntityValue(entity, row, columns.positions, block);
  }

  /**
   * A page of entities. `scope` restricts it to those linked to a parent: through a derived field (rows whose
   * `column` points at `id`) or a stored list of ids.
   */
  private collection(
    entity: EntityTypeInfo,
    args: CollectionArgs,
    block: BlockConstraint,
    scope: { column: string; list: boolean; id: string } | { ids: string[] } | undefined,
    info: GraphQLResolveInfo,
  ): EntityValue[] {
    const first = args.first ?? 100;
    const skip = args.skip ?? 0;
    checkRange("first", first, MAX_FIRST);
    checkRange("skip", skip, MAX_SKIP);
    const sql = new SqlBuilder(this.store.schema, this.api.filterKeys, block, this.samples);
    const alias = sql.alias();
    const conditions = [sql.visible(alias)];
    if (scope !== undefined && "ids" in scope) {
      if (scope.ids.length === 0) return [];
      conditions.push(`${alias}."id" IN (SELECT value FROM json_each(${sql.param(JSON.stringify(scope.ids))}))`);
    } else if (scope !== undefined) {
      const column = `${alias}.${columnName(scope.column)}`;
      conditions.push(
        scope.list
          ? `EXISTS (SELECT 1 FROM json_each(${column}) WHERE value = ${sql.param(scope.id)})`
          : `${column} = ${sql.param(scope.id)}`,
      );
    }
    conditions.push(sql.where(entity, args.where, alias));
    const order = sql.orderBy(entity, args.orderBy, args.orderDirection ?? "asc", alias);
    const columns = this.columns(entity, info);
    const text = `SELECT ${this.selectList(columns, alias)} FROM ${tableName(entity.name)} ${alias} WHERE ${conditions.join(" AND ")} ORDER BY ${order} LIMIT ${sql.param(first)} OFFSET ${sql.param(skip)}`;
    let rows: unknown[][];
    try {
      rows = this.store.arrayStatement(text).all(...sql.params) as unknown as unknown[][];
    } catch (error) {
      throw new GraphQLError(`Failed to get entities from store: ${(error as Error).message}`);
    }
    const positions = columns.positions;
    return rows.map((row) => new EntityValue(entity, row, positions, block));
  }

  /** Resolves every field of an entity object: columns, references, stored id lists and @derivedFrom. */
  private readonly entityFieldResolver: GraphQLFieldResolver<unknown, unknown> = (source, args, _context, info) => {
    if (!(source instanceof EntityValue)) return (source as Record<string, unknown>)[info.fieldName];
    const { entity, block } = source;
    const field = entity.fieldsByName.get(info.fieldName);
    if (field === undefined) return undefined;
    if (field.category !== "entity") return graphqlValue(field, source.stored(field.name));
    const target = this.store.schema.entities.get(field.typeName)!;
    if (field.derivedFrom !== undefined) {
      const back = target.fieldsByName.get(field.derivedFrom)!;
      const scope = { column: back.name, list: back.list, id: source.id };
      const page = this.collection(target, args as CollectionArgs, block, scope, info);
      if (field.list) return page;
      return page[0] ?? null;
    }
    const raw = source.stored(field.name);
    if (raw === null || raw === undefined) return null;
    if (field.list) {
      const ids = { ids: JSON.parse(String(raw)) as string[] };
      return this.collection(target, args as CollectionArgs, block, ids, info);
    }
    return this.byId(target, String(raw), block, info);
  };
}

/** Depth of the deepest selection, fragments expanded (graph-node counts nested selection sets). */
export function queryDepth(document: DocumentNode): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const depthOf = (set: SelectionSetNode | undefined, seen: Set<string>): number => {
    if (set === undefined) return 0;
    let deepest = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD)
        deepest = Math.max(deepest, selection.selectionSet ? depthOf(selection.selectionSet, seen) : 0);
      else if (selection.kind === Kind.INLINE_FRAGMENT)
        deepest = Math.max(deepest, depthOf(selection.selectionSet, seen) - 1);
      else {
        const fragment = fragments.get(selection.name.value);
        if (fragment === undefined || seen.has(fragment.name.value)) continue;
        deepest = Math.max(deepest, depthOf(fragment.selectionSet, new Set([...seen, fragment.name.value])) - 1);
      }
    }
    return deepest + 1;
  };
  let max = 0;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) max = Math.max(max, depthOf(definition.selectionSet, new Set()));
  }
  return max;
}

/** The columns one selection reads from an entity type's table, and where each sits in a row. */
interface SelectedColumns {
  names: string[];
  positions: ColumnPositions;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * The query text with its string and in-range integer literals replaced by placeholders, or undefined when it does not
 * lex. Validation (graphql-js's specified rules and the depth limit) gives the same answer for two documents of one
 * shape: the rules look at names, structure, enum values and literal kinds, never at a string's content or an
 * integer's value, except for Int's 32-bit range (out-of-range integers stay in the shape) and for
 * OverlappingFieldsCanBeMerged, which compares arguments for equality (equal literals share a placeholder, so the
 * shape keeps which literals are equal). Floats stay in the shape as written.
 */
export function queryShape(query: string): string | undefined {
  const lexer = new Lexer(new Source(query));
  const parts: string[] = [];
  const literals = new Map<string, number>();
  const placeholder = (key: string): string => {
    let index = literals.get(key);
    if (index === undefined) {
      index = literals.size;
      literals.set(key, index);
    }
    return `$${index}`;
  };
  try {
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      switch (token.kind) {
        case TokenKind.STRING:
        case TokenKind.BLOCK_STRING:
          parts.push(`s${placeholder(`s${token.value}`)}`);
          break;
        case TokenKind.INT: {
          const value = Number(token.value);
          parts.push(
            value >= INT32_MIN && value <= INT32_MAX ? `i${placeholder(`i${token.value}`)}` : `I${token.value}`,
          );
          break;
        }
        case TokenKind.NAME:
        case TokenKind.FLOAT:
          parts.push(`${token.kind}${token.value}`);
          break;
        default:
          parts.push(token.kind);
      }
    }
  } catch {
    return undefined;
  }
  return parts.join(" ");
}
