// Time-travel queries (`block: { number }`) against the entity store's versions, without a chain: a version written at
// block b is visible from b on and a replaced or removed one up to b − 1, for single entities and for lists, which must
// name each id exactly once, through both the fast path and graphql-js. Also a rollback's edges.
import { expect } from "chai";
import { join } from "node:path";
import { QueryExecutor } from "../src/graphql/executor.js";
import { parseSubgraphSchema } from "../src/schema.js";
import { EntityStore } from "../src/store.js";
import { temporaryDirectory } from "./helpers/chain.js";

const schema = parseSubgraphSchema(`
  type Thing @entity {
    id: ID!
    size: BigInt!
  }
`);

type Row = { id: string; size: string };

describe("historical queries at the block of a change and the block before", () => {
  let dir: ReturnType<typeof temporaryDirectory>;
  let store: EntityStore;
  const thing = (id: string, n: number) =>
    new Map<string, { kind: "String"; value: string } | { kind: "BigInt"; value: bigint }>([
      ["id", { kind: "String", value: id }],
      ["size", { kind: "BigInt", value: BigInt(n) }],
    ]);
  const block = (number: number, things: [string, number | null][]) => {
    store.writeBlock(
      { number, hash: `0x${number.toString(16).padStart(2, "0")}` },
      new Map([["Thing", new Map(things.map(([id, n]) => [id, n === null ? null : thing(id, n)]))]]),
    );
    store.setHead({ number, hash: `0x${number.toString(16).padStart(2, "0")}` });
  };

  beforeEach(() => {
    dir = temporaryDirectory("curia-history-");
    store = new EntityStore(join(dir.path, "history.sqlite"), schema);
    block(10, [
      ["a", 1],
      ["b", 1],
    ]);
    block(12, [
      ["a", 2],
      ["c", 5],
    ]);
    block(13, [["b", null]]);
    block(15, [["a", 3]]);
  });

  afterEach(() => {
    store.close();
    dir.remove();
  });

  for (const fastPath of [true, false]) {
    const executor = () => new QueryExecutor(store, { fastPath });
    const one = (id: string, at: number) => {
      const result = executor().run({
        query: `query($id: ID!, $b: Int!) { thing(id: $id, block: { number: $b }) { id size } }`,
        variables: { id, b: at },
      });
      expect(result.errors, JSON.stringify(result.errors)).to.equal(undefined);
      return (result.data as { thing: Row | null }).thing;
    };
    const list = (at: number | undefined, where = "{}") => {
      const result = executor().run({
        query: `{ things(orderBy: id, where: ${where}${at === undefined ? "" : `, block: { number: ${at} }`}) { id size } }`,
      });
      expect(result.errors, JSON.stringify(result.errors)).to.equal(undefined);
      return (result.data as { things: Row[] }).things;
    };
    const path = fastPath ? "fast path" : "graphql-js";

    it(`reads an entity as of each block around its changes (${path})`, () => {
      expect(one("a", 9)).to.equal(null);
      expect(one("a", 10)).to.deep.equal({ id: "a", size: "1" });
      expect(one("a", 11)).to.deep.equal({ id: "a", size: "1" });
      expect(one("a", 12)).to.deep.equal({ id: "a", size: "2" });
      expect(one("a", 14)).to.deep.equal({ id: "a", size: "2" });
      expect(one("a", 15)).to.deep.equal({ id: "a", size: "3" });
      expect(one("b", 12)).to.deep.equal({ id: "b", size: "1" });
      expect(one("b", 13)).to.equal(null, "removed at 13");
      expect(one("c", 11)).to.equal(null);
      expect(one("c", 12)).to.deep.equal({ id: "c", size: "5" });
    });

    it(`lists every id exactly once, as of the block of a change and the block before (${path})`, () => {
      expect(list(11)).to.deep.equal([
        { id: "a", size: "1" },
        { id: "b", size: "1" },
      ]);
      expect(list(12)).to.deep.equal([
        { id: "a", size: "2" },
        { id: "b", size: "1" },
        { id: "c", size: "5" },
      ]);
      expect(list(13)).to.deep.equal([
        { id: "a", size: "2" },
        { id: "c", size: "5" },
      ]);
      expect(list(14)).to.deep.equal(list(13));
      expect(list(15)).to.deep.equal([
        { id: "a", size: "3" },
        { id: "c", size: "5" },
      ]);
      expect(list(undefined)).to.deep.equal(list(15));
    });

    it(`filters on the version visible at the block, never on one it replaced (${path})`, () => {
      expect(list(11, `{ size: "1" }`).map((t) => t.id)).to.deep.equal(["a", "b"]);
      // At 12 "a" is 2: its size-1 version ended there and must not match.
      expect(list(12, `{ size: "1" }`).map((t) => t.id)).to.deep.equal(["b"]);
      expect(list(12, `{ size_gte: "1" }`).map((t) => t.id)).to.deep.equal(["a", "b", "c"]);
    });
  }

  it("rolls back to a block: versions written after it go, versions closed after it come back", () => {
    store.rollbackTo({ number: 13, hash: "0x0d" });
    const current = () => store.dumpAll(false).Thing!.map((r) => [r.id, String(r.size)]);
    expect(store.head()).to.deep.equal({ number: 13, hash: "0x0d" });
    expect(current().map(([id]) => id)).to.deep.equal(["a", "c"], "b was removed at 13, which stays");
    store.rollbackTo({ number: 12, hash: "0x0c" });
    expect(current().map(([id]) => id)).to.deep.equal(["a", "b", "c"], "what 12 wrote stays");
    store.rollbackTo({ number: 11, hash: "0x0b" });
    expect(current().map(([id]) => id)).to.deep.equal(["a", "b"]);
  });
});
