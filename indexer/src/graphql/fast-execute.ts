// A lean executor for the queries apps send (query operations, aliases, arguments, variables, fragments, @skip and
// @include, __typename): it reads an entity's scalar and enum fields straight from its row, where graphql-js runs a
// resolver, builds an info object and checks a promise for every field of every row. Anything else, and every query
// that fails, is left to graphql-js (`undefined`), which then gives its own answer and errors: resolvers only read, so
// running a query twice changes nothing.
import {
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  getVariableValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  Kind,
  type DocumentNode,
  type ExecutionResult,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { graphqlValue } from "../store.js";
import { EntityValue } from "./entity-value.js";

/** Thrown inside the fast path to hand the request to graphql-js. */
class Unsupported extends Error {}

interface Context {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  operation: OperationDefinitionNode;
  variables: Record<string, unknown>;
  fieldResolver: GraphQLFieldResolver<unknown, unknown>;
  /** Fields of a type for merged selection sets, by the first selection set (stable within one document). */
  plans: WeakMap<SelectionSetNode, Map<string, Map<string, FieldNode[]>>>;
}

export function executeFast(
  schema: GraphQLSchema,
  document: DocumentNode,
  variableValues: Record<string, unknown> | null | undefined,
  operationName: string | null | undefined,
  fieldResolver: GraphQLFieldResolver<unknown, unknown>,
): ExecutionResult | undefined {
  let operation: OperationDefinitionNode | undefined;
  const fragments: Record<string, FragmentDefinitionNode> = Object.create(null) as Record<
    string,
    FragmentDefinitionNode
  >;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
    else if (definition.kind === Kind.OPERATION_DEFINITION) {
      if (operationName === null || operationName === undefined) {
        if (operation !== undefined) return undefined; // several operations and no name: graphql-js's error
        operation = definition;
      } else if (definition.name?.value === operationName) operation = definition;
    } else return undefined;
  }
  if (operation === undefined || operation.operation !== "query") return undefined;
  const queryType = schema.getQueryType();
  if (queryType === null || queryType === undefined) return undefined;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variableValues ?? {});
  if (coerced.errors !== undefined) return undefined;
  const context: Context = {
    schema,
    fragments,
    operation,
    variables: coerced.coerced,
    fieldResolver,
    plans: new WeakMap(),
  };
  try {
    return { data: executeSelections(context, queryType, [operation.selectionSet], undefined) };
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    // A resolver's error: graphql-js reports it with its path and locations.
    return undefined;
  }
}

function included(context: Context, node: FieldNode | SelectionSetNode["selections"][number]): boolean {
  if (node.directives === undefined || node.directives.length === 0) return true;
  const skip = getDirectiveValues(GraphQLSkipDirective, node, context.variables);
  if (skip?.if === true) return false;
  const include = getDirectiveValues(GraphQLIncludeDirective, node, context.variables);
  return include?.if !== false;
}

/** graphql-js's CollectFields for one object type: response key → its field nodes, in order of appearance. */
function collectFields(
  context: Context,
  type: GraphQLObjectType,
  sets: readonly SelectionSetNode[],
): Map<string, FieldNode[]> {
  let byType = context.plans.get(sets[0]!);
  const cached = byType?.get(type.name);
  // Cached only for a single selection set: merged ones are rare and keyed by their first set alone.
  if (cached !== undefined && sets.length === 1) return cached;
  const fields = new Map<string, FieldNode[]>();
  const visited = new Set<string>();
  const visit = (set: SelectionSetNode): void => {
    for (const selection of set.selections) {
      if (!included(context, selection)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const nodes = fields.get(key);
        if (nodes === undefined) fields.set(key, [selection]);
        else nodes.push(selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (!appliesTo(context, selection.typeCondition?.name.value, type)) continue;
        visit(selection.selectionSet);
      } else {
        const name = selection.name.value;
        if (visited.has(name)) continue;
        visited.add(name);
        const fragment = context.fragments[name];
        if (fragment === undefined || !appliesTo(context, fragment.typeCondition.name.value, type)) continue;
        visit(fragment.selectionSet);
      }
    }
  };
  for (const set of sets) visit(set);
  if (sets.length === 1) {
    if (byType === undefined) {
      byType = new Map();
      context.plans.set(sets[0]!, byType);
    }
    byType.set(type.name, fields);
  }
  return fields;
}

function appliesTo(context: Context, typeName: string | undefined, type: GraphQLObjectType): boolean {
  if (typeName === undefined || typeName === type.name) return true;
  const condition = context.schema.getType(typeName);
  // Interfaces and unions would need graphql-js's type checks.
  if (condition !== undefined && condition !== null && !isObjectType(condition)) throw new Unsupported();
  return false;
}

function executeSelections(
  context: Context,
  type: GraphQLObjectType,
  sets: readonly SelectionSetNode[],
  source: unknown,
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  const definitions = type.getFields();
  for (const [key, nodes] of collectFields(context, type, sets)) {
    const node = nodes[0]!;
    const name = node.name.value;
    if (name === "__typename") {
      result[key] = type.name;
      continue;
    }
    if (name.startsWith("__")) throw new Unsupported(); // introspection: graphql-js
    const definition = definitions[name];
    if (definition === undefined) throw new Unsupported();
    result[key] = completeValue(context, definition.type, nodes, resolve(context, type, definition, nodes, source));
  }
  return result;
}

function resolve(
  context: Context,
  type: GraphQLObjectType,
  definition: GraphQLField<unknown, unknown>,
  nodes: FieldNode[],
  source: unknown,
): unknown {
  // An entity's own scalar and enum fields come straight from its row.
  if (source instanceof EntityValue && definition.args.length === 0) {
    const field = source.entity.fieldsByName.get(definition.name);
    if (field !== undefined && field.category !== "entity") return graphqlValue(field, source.stored(field.name));
    // A reference that is not set needs no lookup (nor resolver call): null, as the resolver would say.
    if (field !== undefined && field.derivedFrom === undefined && source.stored(field.name) === null) return null;
  }
  const args = getArgumentValues(definition, nodes[0]!, context.variables);
  const info = {
    fieldName: definition.name,
    fieldNodes: nodes,
    returnType: definition.type,
    parentType: type,
    path: { prev: undefined, key: definition.name, typename: type.name },
    schema: context.schema,
    fragments: context.fragments,
    rootValue: undefined,
    operation: context.operation,
    variableValues: context.variables,
  } as GraphQLResolveInfo;
  const resolver = definition.resolve ?? context.fieldResolver;
  const value = resolver(source, args, undefined, info);
  if (value instanceof Promise) throw new Unsupported();
  return value;
}

function completeValue(context: Context, type: GraphQLOutputType, nodes: FieldNode[], value: unknown): unknown {
  if (value instanceof Error) throw value;
  if (value === null || value === undefined) {
    // A null in a non-null position is an error graphql-js reports (and propagates).
    if (isNonNullType(type)) throw new Unsupported();
    return null;
  }
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    if (!Array.isArray(value)) throw new Unsupported();
    return value.map((item: unknown) => completeValue(context, nullable.ofType as GraphQLOutputType, nodes, item));
  }
  const named = getNamedType(nullable);
  if (isScalarType(named) || isEnumType(named)) {
    const serialized: unknown = named.serialize(value);
    if (serialized === undefined) throw new Unsupported();
    return serialized;
  }
  if (!isObjectType(named)) throw new Unsupported();
  const sets: SelectionSetNode[] = [];
  for (const node of nodes) if (node.selectionSet !== undefined) sets.push(node.selectionSet);
  return executeSelections(context, named, sets, value);
}
