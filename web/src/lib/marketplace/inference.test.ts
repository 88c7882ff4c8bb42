import { describe, expect, it } from "vitest";
import { float32ToBytes, toDataURI } from "@curia/protocol";
import { parseInputs, topOutputs } from "./inference";

const base64 = (values: number[]): string => toDataURI(float32ToBytes(Float32Array.from(values))).split(",")[1]!;

describe("parseInputs", () => {
  it("reads JSON inputs: several, one, or the provider's request body; base64 float32 plain or as a data: URI", () => {
    expect(parseInputs("[[1, 2], [3, 4.5]]")).toEqual({
      ok: true,
      values: Float32Array.from([1, 2, 3, 4.5]),
      count: 2,
    });
    expect(parseInputs(" [0.25, 1] ")).toEqual({ ok: true, values: Float32Array.from([0.25, 1]), count: 1 });
    expect(parseInputs('{"inputs": [[1], [2], [3]]}')).toEqual({
      ok: true,
      values: Float32Array.from([1, 2, 3]),
      count: 3,
    });
    expect(parseInputs(base64([1.5, -2]))).toEqual({ ok: true, values: Float32Array.from([1.5, -2]) });
    expect(parseInputs(`data:application/octet-stream;base64,${base64([7])}`)).toEqual({
      ok: true,
      values: Float32Array.from([7]),
    });
  });

  it("says what is wrong", () => {
    expect(parseInputs("  ")).toEqual({
      ok: false,
      error: "Give the inputs: JSON arrays of numbers, or base64 float32.",
    });
    expect(parseInputs("[[1, 2], [3]]")).toEqual({
      ok: false,
      error: "Input 2 has 1 values, input 1 has 2: all must be the same size.",
    });
    expect(parseInputs('[[1, "2"]]')).toEqual({ ok: false, error: "Input 1, value 2 is not a finite number." });
    expect(parseInputs("[[]]")).toEqual({ ok: false, error: "Input 1 is empty." });
    expect(parseInputs("{}")).toMatchObject({ ok: false, error: /Give an array of inputs/ });
    expect(parseInputs("[1, 2")).toMatchObject({ ok: false, error: /^The inputs are not JSON:/ });
    expect(parseInputs("AAE=")).toEqual({
      ok: false,
      error: "The inputs are 2 bytes: float32 values take 4 bytes each.",
    });
    expect(parseInputs("not base64!")).toMatchObject({ ok: false, error: /neither JSON nor base64/ });
  });
});

describe("topOutputs", () => {
  it("reads each input's highest output when the outputs split evenly over the inputs", () => {
    expect(topOutputs(Float32Array.from([0.1, 0.7, 0.2, 0.5, 0.25, 0.25]), 2)).toEqual([
      { index: 1, value: Float32Array.from([0.7])[0] },
      { index: 0, value: 0.5 },
    ]);
    expect(topOutputs(Float32Array.from([1, 2, 3]), 2)).toBeUndefined();
    expect(topOutputs(Float32Array.from([1, 2]), undefined)).toBeUndefined();
  });
});
