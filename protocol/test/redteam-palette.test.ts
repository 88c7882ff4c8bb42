// Red team of the palette evidence URIs (evidence.ts, receipts.ts fromDataURI), played by a provider or consumer who
// crafts the publication. What holds: decoding is a pure function of the URI's bytes and the judge checks
// dataHash(decoded) against the receipt, so a URI that some parser decodes differently (media-type case, parameters,
// base64 whitespace) gives bytes whose hash is not the receipt's (publication-mismatch), never a different judgement
// of the same hashed bytes; malformed palettes (index past the table, no values, a table longer than the URI) decode to
// undefined instead of throwing; the largest URI the contract accepts expands at most 4x; NaN payloads and -0 survive
// bit for bit (the hash matches). Not tested here: the reference provider refuses non-finite inputs
// (provider/src/middleware/core.ts), which is what keeps a consumer from having an honest provider sign NaN answers
// that the judge's compareAnswers would call malformed (fraud).
import { expect } from "chai";
import {
  MAX_DATA_URI_LENGTH,
  PALETTE_MEDIA_TYPE,
  dataHash,
  encodePalette,
  fromDataURI,
  toEvidenceURI,
} from "../src/index.js";

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");
const palette = (bytes: Uint8Array) => `data:${PALETTE_MEDIA_TYPE};base64,${b64(bytes)}`;

/** 20,000 float32 values over 3 levels: too long raw, a palette when published. */
function tensor(): Uint8Array {
  const v = new Float32Array(20_000);
  for (let i = 0; i < v.length; i++) v[i] = [0, 0.5, -1][i % 3]!;
  return new Uint8Array(v.buffer);
}

describe("red team: palette evidence URIs", function () {
  it("a media type written another way decodes as raw bytes, whose hash is not the receipt's (no second reading)", function () {
    const bytes = tensor();
    const uri = toEvidenceURI(bytes);
    expect(uri.startsWith(`data:${PALETTE_MEDIA_TYPE};base64,`)).to.equal(true);
    expect(dataHash(fromDataURI(uri)!)).to.equal(dataHash(bytes));
    const body = uri.slice(uri.indexOf(",") + 1);
    const variants = [
      `data:${PALETTE_MEDIA_TYPE.toUpperCase()};base64,${body}`,
      `data:${PALETTE_MEDIA_TYPE};x=1;base64,${body}`,
      `data:application/octet-stream;base64,${body}`,
    ];
    for (const v of variants) {
      const read = fromDataURI(v)!;
      expect(read).to.not.equal(undefined);
      expect(dataHash(read)).to.not.equal(dataHash(bytes), v.slice(0, 60));
    }
    // Base64 whitespace and missing padding are read leniently, but to the same bytes: the same hash.
    const spaced = `data:${PALETTE_MEDIA_TYPE};base64,${body.slice(0, 8)} \n${body.slice(8).replace(/=+$/, "")}`;
    expect(dataHash(fromDataURI(spaced)!)).to.equal(dataHash(bytes));
  });

  it("malformed palettes decode to undefined, never throw", function () {
    const one = new Uint8Array(new Float32Array([0.25]).buffer);
    const cases: Uint8Array[] = [
      new Uint8Array([]),
      new Uint8Array([0]), // a header, no table
      Uint8Array.from([0, ...one]), // a table, no values
      Uint8Array.from([0, ...one, 1]), // index 1 past a one-word table
      Uint8Array.from([255, ...one, 0]), // a 256-word table claimed, 4 bytes given
      Uint8Array.from([1, ...one, ...one.slice(0, 3), 0]), // a ragged table
    ];
    for (const packed of cases) expect(fromDataURI(palette(packed)), `${packed.length} bytes`).to.equal(undefined);
    expect(fromDataURI(`data:${PALETTE_MEDIA_TYPE};base64,%%%`)).to.equal(undefined);
  });

  it("the largest palette URI the contract takes expands at most 4x", function () {
    const body = Math.floor(((MAX_DATA_URI_LENGTH - `data:${PALETTE_MEDIA_TYPE};base64,`.length) / 4) * 3);
    const packed = new Uint8Array(body); // one-word table (zero), every index 0
    const uri = palette(packed);
    expect(uri.length).to.be.at.most(MAX_DATA_URI_LENGTH);
    const decoded = fromDataURI(uri)!;
    expect(decoded.length).to.equal((body - 5) * 4);
    expect(decoded.length).to.be.at.most(4 * body);
  });

  it("NaN payloads and -0 come back bit for bit (the receipt's hash still matches)", function () {
    const words = new Uint32Array(16_400);
    for (let i = 0; i < words.length; i++) words[i] = [0x7fc00001, 0xffc00002, 0x80000000, 0][i % 4]!;
    const bytes = new Uint8Array(words.buffer);
    const packed = encodePalette(bytes)!;
    expect(packed[0]).to.equal(3);
    const uri = toEvidenceURI(bytes);
    expect(dataHash(fromDataURI(uri)!)).to.equal(dataHash(bytes));
  });
});
