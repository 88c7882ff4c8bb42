// Unit tests of the entity store's encodings and of the query planner's selectivity estimates.
import { expect } from "chai";
import { join } from "node:path";
import { estimateSelectivity } from "../src/graphql/query.js";
import { parseSubgraphSchema } from "../src/schema.js";
import { decodeSortableBigInt, EntityStore, encodeSortableBigInt, sortableBigIntToDecimal } from "../src/store.js";
import { temporaryDirectory } from "./helpers/chain.js";

describe("entity store encodings", () => {
  it("stores BigInts as text whose byte order is numeric order, and reads them back", () => {
    const values = [0n, 1n, -1n, 9n, 10n, -9n, -10n, 99n, -100n, 10n ** 18n, -(10n ** 18n) + 1n, 2n ** 256n - 1n];
    values.push(-(2n ** 255n));
    for (let i = 0; i < 500; i++) {
      const magnitude = BigInt(Math.floor(Math.random() * 1e9)) * 10n ** BigInt(Math.floor(Math.random() * 60));
      values.push(Math.random() < 0.5 ? -magnitude : magnitude);
    }
    for (const value of values) {
      expect(decodeSortableBigInt(encodeSortableBigInt(value))).to.equal(value);
      expect(sortableBigIntToDecimal(encodeSortableBigInt(value))).to.equal(value.toString());
    }
    const numeric = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const byText = [...values].sort((a, b) => {
      const x = encodeSortableBigInt(a);
      const y = encodeSortableBigInt(b);
      return x < y ? -1 : x > y ? 1 : 0;
    });
    expect(byText).to.deep.equal(numeric);
    expect(() => encodeSortableBigInt(10n ** 99n)).to.throw(/too large/);
  });

  it("estimates the share of rows a comparison keeps from a column sample, NULLs matching nothing", () => {
    const sample = { values: [1, 2, 2, 3, 4, 5, 6, 7, 8, 9], rows: 12 };
    expect(estimateSelectivity(sample, "gt", [5])).to.be.closeTo(4 / 12, 1e-9);
    expect(estimateSelectivity(sample, "gte", [5])).to.be.closeTo(5 / 12, 1e-9);
    expect(estimateSelectivity(sample, "lt", [2])).to.be.closeTo(1 / 12, 1e-9);
    expect(estimateSelectivity(sample, "lte", [2])).to.be.closeTo(3 / 12, 1e-9);
    expect(estimateSelectivity(sample, "eq", [2])).to.be.closeTo(2 / 12, 1e-9);
    expect(estimateSelectivity(sample, "in", [2, 9])).to.be.closeTo(3 / 12, 1e-9);
    expect(estimateSelectivity(sample, "not", [2])).to.be.closeTo(8 / 12, 1e-9);
    // A value the sample missed is taken as rare, not absent.
    expect(estimateSelectivity(sample, "eq", [42])).to.be.greaterThan(0);
    expect(estimateSelectivity({ values: [], rows: 0 }, "eq", [1])).to.equal(undefined);
  });

  it("empties a database written for another schema before creating the new columns and indexes", () => {
    const dir = temporaryDirectory("curia-store-");
    try {
      const path = join(dir.path, "store.sqlite");
      const before = parseSubgraphSchema(`type Thing @entity { id: ID! size: BigInt! }`);
      const after = parseSubgraphSchema(`type Thing @entity { id: ID! size: BigInt! weight: BigInt! }`);
      const first = new EntityStore(path, before, "v1");
      first.writeBlock(
        { number: 1, hash: "0x01" },
        new Map([["Thing", new Map([["a", new Map([["size", { kind: "BigInt", value: 3n }]])]])]]),
      );
      first.setHead({ number: 1, hash: "0x01" });
      first.close();
      const same = new EntityStore(path, before, "v1");
      expect(same.wasReset).to.equal(false);
      expect(same.head()).to.deep.equal({ number: 1, hash: "0x01" });
      same.close();
      const changed = new EntityStore(path, after, "v2");
      expect(changed.wasReset).to.equal(true);
      expect(changed.head()).to.equal(undefined);
      expect(changed.dumpAll().Thing).to.deep.equal([]);
      expect(changed.getMeta("identity")).to.equal("v2");
      changed.close();
    } finally {
      dir.remove();
    }
  });
});
