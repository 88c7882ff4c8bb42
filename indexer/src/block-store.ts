// The store as a mapping sees it while one block is handled: the block's own writes over the committed data. The
// writes are kept as the block's changes, which the indexer writes in one go once the block is done, along with the
// ids the block looked up and the database lacked (their first version closes none). Entities are checked as
// graph-node checks them (a saved entity merges into the stored one; unknown or derived fields and missing
// non-nullable values are refused), so that a faulty handler fails at the same block as in graph-node.
import type { BlockChanges, EntityStore } from "./store.js";
import { MappingError, type HostStore } from "./wasm/host.js";
import type { EntityData } from "./values.js";

/** Per-block view of the store handed to mappings: this block's writes first, then the committed data. */
export class BlockStore implements HostStore {
  readonly changes: BlockChanges = new Map();
  /** Ids this block looked up and the database did not have: their versions need no closing. */
  readonly absent = new Map<string, Set<string>>();

  constructor(private readonly store: EntityStore) {}

  private pending(entityType: string): Map<string, EntityData | null> {
    let byId = this.changes.get(entityType);
    if (byId === undefined) {
      byId = new Map();
      this.changes.set(entityType, byId);
    }
    return byId;
  }

  /** The entity as this block sees it; the caller must not modify it (set() merges into a copy). */
  get(entityType: string, id: string): EntityData | undefined {
    const byId = this.changes.get(entityType);
    if (byId?.has(id)) return byId.get(id) ?? undefined;
    this.store.entity(entityType);
    const stored = this.store.load(entityType, id);
    if (stored === undefined) {
      let ids = this.absent.get(entityType);
      if (ids === undefined) {
        ids = new Set();
        this.absent.set(entityType, ids);
      }
      ids.add(id);
    }
    return stored;
  }

  getInBlock(entityType: string, id: string): EntityData | undefined {
    return this.changes.get(entityType)?.get(id) ?? undefined;
  }

  /**
   * Saves `data` as the entity's new version, merged into the one this block sees. The store keeps `data` itself (the
   * host hands over a map it made for this call): copying every field of a large entity (the protocol's totals, saved
   * by most handlers) into a fresh map on each save cost more than the save's checks.
   */
  set(entityType: string, id: string, data: EntityData): void {
    const entity = this.schemaEntity(entityType);
    const previous = this.get(entityType, id);
    for (const key of data.keys()) {
      const field = entity.fieldsByName.get(key);
      if (field === undefined) throw new MappingError(`Entity ${entityType}[${id}]: unknown field \`${key}\``);
      if (field.derivedFrom !== undefined) {
        throw new MappingError(`Entity ${entityType}[${id}]: field \`${key}\` is derived and cannot be set`);
      }
    }
    // graph-node merges a saved entity into the existing one: fields not given keep their value. (A loaded entity
    // carries all its fields, so there is usually nothing to add.)
    const merged = data;
    if (previous !== undefined && previous.size > 0) {
      for (const [key, value] of previous) if (!merged.has(key)) merged.set(key, value);
    }
    merged.set("id", { kind: "String", value: id });
    for (const field of entity.storedFields) {
      const value = merged.get(field.name);
      if (field.nonNull && (value === undefined || value.kind === "Null")) {
        throw new MappingError(`Entity ${entityType}[${id}]: missing value for non-nullable field \`${field.name}\``);
      }
    }
    this.pending(entityType).set(id, merged);
  }

  remove(entityType: string, id: string): void {
    this.schemaEntity(entityType);
    this.pending(entityType).set(id, null);
  }

  loadRelated(entityType: string, id: string, fieldName: string): EntityData[] {
    const field = this.schemaEntity(entityType).fieldsByName.get(fieldName);
    if (field?.derivedFrom === undefined) {
      throw new MappingError(`loadRelated: ${entityType}.${fieldName} is not a derived field`);
    }
    const target = this.schemaEntity(field.typeName);
    const backField = target.fieldsByName.get(field.derivedFrom);
    const pointsHere = (data: EntityData): boolean => {
      const value = data.get(field.derivedFrom!);
      if (value === undefined) return false;
      if (value.kind === "Array") return value.value.some((v) => v.kind !== "Null" && String(v.value) === id);
      return value.kind !== "Null" && String(value.value) === id;
    };
    const changed = this.changes.get(field.typeName) ?? new Map<string, EntityData | null>();
    const result = this.store.loadWhere(field.typeName, backField!.name, id).filter((data) => {
      const entityId = String((data.get("id") as { value: unknown }).value);
      return !changed.has(entityId);
    });
    for (const data of changed.values()) if (data !== null && pointsHere(data)) result.push(new Map(data));
    return result;
  }

  private schemaEntity(entityType: string) {
    const entity = this.store.schema.entities.get(entityType);
    if (entity === undefined) throw new MappingError(`Unknown entity type \`${entityType}\``);
    return entity;
  }
}
