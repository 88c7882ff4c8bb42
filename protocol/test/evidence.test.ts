// The palette publication of fraud-proof tensors and the tasks' canonical 8-bit input grids (evidence.ts).
import { expect } from "chai";
import {
  MAX_DATA_URI_LENGTH,
  MU_LAW_LEVELS,
  TASKS,
  canonicalInputs,
  dataHash,
  encodePalette,
  fromDataURI,
  isPaletteURI,
  toDataURI,
  toEvidenceURI,
  toGrey8Grid,
} from "../src/index.js";

const f32 = (values: number[] | Float32Array) => new Uint8Array(Float32Array.from(values).buffer);

describe("fraud-proof evidence: palette data: URIs and canonical grids", function () {
  it("publishes an over-long ≤ 256-value tensor as a palette that reads back to the same bytes", function () {
    const bytes = f32(Array.from({ length: TASKS.vad.inputSize }, (_, i) => MU_LAW_LEVELS[i % 256]!));
    expect(toDataURI(bytes).length).to.be.above(MAX_DATA_URI_LENGTH);
    const uri = toEvidenceURI(bytes);
    expect(isPaletteURI(uri)).to.equal(true);
    expect(uri.length).to.be.at.most(MAX_DATA_URI_LENGTH);
    expect(dataHash(fromDataURI(uri)!)).to.equal(dataHash(bytes));
  });

  it("keeps short tensors raw and long many-valued ones raw (too long: the caller says so)", function () {
    const short = f32([0, 0, 0, 1]);
    expect(toEvidenceURI(short)).to.equal(toDataURI(short));
    const many = f32(Array.from({ length: TASKS.ocr.inputSize }, (_, i) => i));
    expect(toEvidenceURI(many)).to.equal(toDataURI(many));
  });

  it("refuses a palette with an index past its table", function () {
    const packed = encodePalette(f32([1, 2, 1]))!;
    packed[packed.length - 1] = 2;
    let binary = "";
    for (const b of packed) binary += String.fromCharCode(b);
    expect(fromDataURI(`data:application/x-curia-f32-palette;base64,${btoa(binary)}`)).to.equal(undefined);
  });

  it("has G.711 mu-law's levels and 8-bit grey levels as the grids", function () {
    expect(MU_LAW_LEVELS).to.have.length(256);
    expect(Math.max(...MU_LAW_LEVELS)).to.equal(32124 / 32768);
    expect(Math.min(...MU_LAW_LEVELS)).to.equal(-32124 / 32768);
    expect(Array.from(toGrey8Grid(Float32Array.from([-1, 0.5, 2])))).to.deep.equal([0, Math.fround(128 / 255), 1]);
    expect(() => canonicalInputs("ocr", new Float32Array(5))).to.throw(/whole rows of 15360/);
    const mnist = new Float32Array(TASKS.mnist.inputSize).fill(0.123);
    expect(canonicalInputs("mnist", mnist)).to.equal(mnist);
  });
});
