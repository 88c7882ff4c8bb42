// The query caches' admission: a text is remembered on its first sighting and admitted on its second.
import { expect } from "chai";
import { hash31, Sightings } from "../src/graphql/sightings.js";

describe("query cache admission (Sightings)", () => {
  it("says a text was seen only from its second sighting on, and forgets everything on clear", () => {
    const sightings = new Sightings(100);
    expect(sightings.seenBefore("{ accounts { id } }")).to.equal(false);
    expect(sightings.seenBefore("{ accounts { id } }")).to.equal(true);
    expect(sightings.seenBefore("{ accounts { id } }")).to.equal(true);
    expect(sightings.seenBefore("{ accounts(first: 2) { id } }")).to.equal(false);
    sightings.clear();
    expect(sightings.seenBefore("{ accounts { id } }")).to.equal(false);
  });

  it("stays within its capacity by starting afresh when full", () => {
    const sightings = new Sightings(3);
    for (const text of ["a", "b", "c"]) expect(sightings.seenBefore(text)).to.equal(false);
    // Full: the fourth text empties the set before it is remembered.
    expect(sightings.seenBefore("d")).to.equal(false);
    expect(sightings.seenBefore("a")).to.equal(false);
    expect(sightings.seenBefore("d")).to.equal(true);
  });

  it("hashes to non-negative 31-bit integers that differ for nearby texts", () => {
    const hashes = new Set<number>();
    for (let i = 0; i < 10_000; i++) {
      const hash = hash31(`{ accounts(skip: ${i}) { id } }`);
      expect(Number.isInteger(hash) && hash >= 0 && hash < 2 ** 31).to.equal(true);
      hashes.add(hash);
    }
    expect(hashes.size).to.be.greaterThan(9_990);
  });
});
