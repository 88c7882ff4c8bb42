// The score's tolerance band and weights at their edges: samples just inside and just outside the band on each side
// (atol alone where the reference is 0, atol + rtol × reference elsewhere, the provider above and below the reference),
// and formula inputs whose agreement and accuracy differ, so that swapped weights or another rounding show.
import { expect } from "chai";
import { CLASSES } from "../src/model/dataset.js";
import { DEFAULT_SCORE_PARAMS, scoreSamples } from "../src/score.js";

/** A 10-class row: `values` on the first classes, zeros after. */
const row = (...values: number[]) => Array.from({ length: CLASSES }, (_, k) => values[k] ?? 0);
const rows = (...r: number[][]) => Float32Array.from(r.flat());

// The reference: classes 0 and 1 at 0.5 (argmax 0), the rest 0. Default band: 1e-3 + 1e-2 × r, i.e. 0.006 on the two
// halves and 0.001 on the zeros. Every margin below is ≥ 1e-5, far above float32 rounding (~6e-8).
const REFERENCE = row(0.5, 0.5);

function agrees(provider: number[], reference = REFERENCE): boolean {
  const result = scoreSamples(rows(provider), rows(reference), [0]);
  expect(result.malformed).to.equal(0);
  return result.agreeing === 1;
}

describe("score: tolerance band edges", function () {
  it("uses the documented default band", function () {
    expect(DEFAULT_SCORE_PARAMS).to.deep.equal({ atol: 1e-3, rtol: 1e-2, agreementWeightBps: 7_000 });
  });

  it("takes a difference just inside atol where the reference is 0, and refuses one just outside", function () {
    expect(agrees(row(0.5, 0.49901, 0.00099))).to.equal(true);
    expect(agrees(row(0.5, 0.49899, 0.00101))).to.equal(false);
  });

  it("takes a difference just inside atol + rtol × reference, and refuses one just outside, above and below", function () {
    // Class 1 below the reference by 0.00596 (inside 0.006) and by 0.00604 (outside); class 0 above by as much.
    expect(agrees(row(0.50596, 0.49404))).to.equal(true);
    expect(agrees(row(0.50604, 0.49396))).to.equal(false);
  });

  it("measures the band from the reference's value, not the provider's", function () {
    // 0.00596 below a reference of 0.5: inside 1e-3 + 1e-2 × 0.5 = 0.006, outside 1e-3 + 1e-2 × 0.49404 ≈ 0.00594.
    expect(agrees(row(0.50596, 0.49404))).to.equal(true);
    // 0.00604 above a reference of 0.5: outside 0.006, although inside 1e-3 + 1e-2 × 0.50604 ≈ 0.00606. The rest of
    // the mass is spread so that every other class stays inside the band either way.
    const spread = row(0.5, ...Array<number>(8).fill(0.0625));
    expect(agrees(row(0.50604, ...Array<number>(8).fill(0.0625 - 0.000755)), spread)).to.equal(false);
    expect(agrees(row(0.50596, ...Array<number>(8).fill(0.0625 - 0.000745)), spread)).to.equal(true);
  });

  it("needs the same top class even inside the band", function () {
    // Both outputs are within 1e-6 of each other, but the provider's top class is 1 and the reference's is 0.
    expect(agrees(row(0.4999995, 0.5000005), row(0.5000005, 0.4999995))).to.equal(false);
  });

  it("scales the band with custom atol and rtol", function () {
    const params = { atol: 0.01, rtol: 0.1, agreementWeightBps: 7_000 };
    // Band on a reference of 0.5: 0.01 + 0.05 = 0.06.
    const inside = scoreSamples(rows(row(0.559, 0.441)), rows(REFERENCE), [0], params);
    const outside = scoreSamples(rows(row(0.561, 0.439)), rows(REFERENCE), [0], params);
    expect([inside.agreeing, outside.agreeing]).to.deep.equal([1, 0]);
  });
});

describe("score: the formula with inputs that tell every weight apart", function () {
  // Sample 0 agrees and is correct; sample 1 agrees and is wrong; sample 2 is a different model (same top class,
  // outside the band) and wrong; sample 3 a different model and correct.
  const reference = rows(REFERENCE, REFERENCE, REFERENCE, REFERENCE);
  const provider = rows(REFERENCE, REFERENCE, row(0.6, 0.4), row(0.6, 0.4));

  it("weighs agreement by agreementWeightBps and accuracy by the rest: 3 in 4 vs 1 in 4 and the other way", function () {
    // Agreement 2/4, accuracy 2/4 would hide the weights: here agreement is 3/4 and accuracy 1/4.
    const a = scoreSamples(rows(REFERENCE, REFERENCE, REFERENCE, row(0.6, 0.4)), reference, [0, 3, 3, 3]);
    expect([a.agreeing, a.correct]).to.deep.equal([3, 1]);
    expect(a.scoreBps).to.equal(6_000); // 0.7 × 0.75 + 0.3 × 0.25
    const b = scoreSamples(rows(REFERENCE, row(0.6, 0.4), row(0.6, 0.4), row(0.6, 0.4)), reference, [0, 0, 0, 3]);
    expect([b.agreeing, b.correct]).to.deep.equal([1, 3]);
    expect(b.scoreBps).to.equal(4_000); // 0.7 × 0.25 + 0.3 × 0.75
  });

  it("uses the configured weight, and rounds the score to the nearest basis point", function () {
    const labels = [0, 5, 5, 0];
    const even = scoreSamples(provider, reference, labels, { ...DEFAULT_SCORE_PARAMS, agreementWeightBps: 2_500 });
    expect([even.agreeing, even.correct]).to.deep.equal([2, 2]);
    expect(even.scoreBps).to.equal(5_000);
    // Agreement 2/3, accuracy 1/3: 10,000 × (0.7 × 2/3 + 0.3 × 1/3) = 5,666.67 → 5,667.
    const third = scoreSamples(
      rows(REFERENCE, REFERENCE, row(0.6, 0.4)),
      rows(REFERENCE, REFERENCE, REFERENCE),
      [0, 5, 5],
    );
    expect([third.agreeing, third.correct]).to.deep.equal([2, 1]);
    expect(third.scoreBps).to.equal(5_667);
    // With a weight of 25 %: 10,000 × (0.25 × 2/3 + 0.75 × 1/3) = 4,166.67 → 4,167.
    const quarter = scoreSamples(
      rows(REFERENCE, REFERENCE, row(0.6, 0.4)),
      rows(REFERENCE, REFERENCE, REFERENCE),
      [0, 5, 5],
      { ...DEFAULT_SCORE_PARAMS, agreementWeightBps: 2_500 },
    );
    expect(quarter.scoreBps).to.equal(4_167);
  });
});
