// What resolvers pass down for an entity: one version's row as read for the query at hand.
import type { EntityTypeInfo } from "../schema.js";
import type { BlockConstraint } from "./query.js";

/** Where each column a query reads sits in its rows (`id` always first), for one selection of one entity type. */
export type ColumnPositions = ReadonlyMap<string, number>;

/**
 * An entity version: its type, its row as an array of stored values in the order of `columns` (arrays are what
 * node:sqlite builds fastest), and the block the query reads at (for the entities it links to).
 */
export class EntityValue {
  constructor(
    readonly entity: EntityTypeInfo,
    readonly row: readonly unknown[],
    readonly columns: ColumnPositions,
    readonly block: BlockConstraint,
  ) {}

  /** The id (the first column of every query's rows). */
  get id(): string {
    return String(this.row[0]);
  }

  /** The stored value of a field, or undefined when the query did not read its column. */
  stored(field: string): unknown {
    const position = this.columns.get(field);
    return position === undefined ? undefined : this.row[position];
  }
}
