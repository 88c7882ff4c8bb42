// The subgraph's schema.graphql as the indexer needs it: entity types, their fields and how each is stored.
import { Kind, parse, type DocumentNode, type TypeNode } from "graphql";

export type ScalarName = "ID" | "String" | "Int" | "BigInt" | "BigDecimal" | "Bytes" | "Boolean" | "Int8" | "Timestamp";
const SCALARS = new Set<string>([
  "ID",
  "String",
  "Int",
  "BigInt",
  "BigDecimal",
  "Bytes",
  "Boolean",
  "Int8",
  "Timestamp",
]);

export interface FieldInfo {
  name: string;
  description: string | undefined;
  /** The named type: a scalar, an enum or an entity type. */
  typeName: string;
  category: "scalar" | "enum" | "entity";
  list: boolean;
  nonNull: boolean;
  /** For `@derivedFrom(field:)`: the field of `typeName` that points back here. Such fields are not stored. */
  derivedFrom: string | undefined;
}

export interface EntityTypeInfo {
  name: string;
  description: string | undefined;
  immutable: boolean;
  fields: FieldInfo[];
  fieldsByName: Map<string, FieldInfo>;
  /** Fields with a column: everything but @derivedFrom. */
  storedFields: FieldInfo[];
}

export interface SubgraphSchema {
  document: DocumentNode;
  entities: Map<string, EntityTypeInfo>;
  enums: Map<string, { values: string[]; description: string | undefined }>;
}

function unwrap(type: TypeNode): { name: string; list: boolean; nonNull: boolean } {
  let nonNull = false;
  let list = false;
  let node = type;
  if (node.kind === Kind.NON_NULL_TYPE) {
    nonNull = true;
    node = node.type;
  }
  if (node.kind === Kind.LIST_TYPE) {
    list = true;
    node = node.type;
    if (node.kind === Kind.NON_NULL_TYPE) node = node.type;
  }
  if (node.kind !== Kind.NAMED_TYPE) throw new Error("nested lists are not supported in subgraph schemas");
  return { name: node.name.value, list, nonNull };
}

export function parseSubgraphSchema(source: string): SubgraphSchema {
  const document = parse(source);
  const enums = new Map<string, { values: string[]; description: string | undefined }>();
  const objectNodes = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.ENUM_TYPE_DEFINITION) {
      enums.set(definition.name.value, {
        values: (definition.values ?? []).map((v) => v.name.value),
        description: definition.description?.value,
      });
    } else if (definition.kind === Kind.OBJECT_TYPE_DEFINITION) objectNodes.push(definition);
  }
  const entityNames = new Set(objectNodes.map((node) => node.name.value));
  const entities = new Map<string, EntityTypeInfo>();
  for (const node of objectNodes) {
    const entityDirective = node.directives?.find((d) => d.name.value === "entity");
    if (entityDirective === undefined) continue;
    const immutableArgument = entityDirective.arguments?.find((a) => a.name.value === "immutable");
    const immutable = immutableArgument?.value.kind === Kind.BOOLEAN && immutableArgument.value.value;
    const fields: FieldInfo[] = (node.fields ?? []).map((fieldNode) => {
      const { name: typeName, list, nonNull } = unwrap(fieldNode.type);
      const category = SCALARS.has(typeName)
        ? "scalar"
        : enums.has(typeName)
          ? "enum"
          : entityNames.has(typeName)
            ? "entity"
            : undefined;
      if (category === undefined)
        throw new Error(`${node.name.value}.${fieldNode.name.value}: unknown type ${typeName}`);
      const derived = fieldNode.directives?.find((d) => d.name.value === "derivedFrom");
      const derivedArgument = derived?.arguments?.find((a) => a.name.value === "field");
      return {
        name: fieldNode.name.value,
        description: fieldNode.description?.value,
        typeName,
        category,
        list,
        nonNull,
        derivedFrom: derivedArgument?.value.kind === Kind.STRING ? derivedArgument.value.value : undefined,
      };
    });
    entities.set(node.name.value, {
      name: node.name.value,
      description: node.description?.value,
      immutable,
      fields,
      fieldsByName: new Map(fields.map((f) => [f.name, f])),
      storedFields: fields.filter((f) => f.derivedFrom === undefined),
    });
  }
  return { document, entities, enums };
}

/** How a scalar (or enum, or reference) is laid out in its SQLite column. */
export function columnType(field: FieldInfo): "TEXT" | "INTEGER" {
  if (field.list) return "TEXT";
  if (field.category !== "scalar") return "TEXT";
  return field.typeName === "Int" || field.typeName === "Boolean" ? "INTEGER" : "TEXT";
}

export function isScalar(name: string): name is ScalarName {
  return SCALARS.has(name);
}
