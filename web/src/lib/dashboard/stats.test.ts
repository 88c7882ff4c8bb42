import { describe, expect, it } from "vitest";
import { disputeSeries, feeSeries, qualitySeries, stakeSeries, type DailyStatRow } from "./stats";

const E18 = 10n ** 18n;
function day(date: number, fields: Partial<DailyStatRow> = {}): DailyStatRow {
  return {
    id: String(date / 86_400),
    date,
    fees: "0",
    purchases: 0,
    purchaseVolume: "0",
    disputesCreated: 0,
    disputesExecuted: 0,
    validationRoundsOpened: 0,
    curatorStake: "0",
    jurorStake: "0",
    validatorStake: "0",
    ...fields,
  };
}

describe("dashboard series", () => {
  it("turns daily stats into points in date order, CUR as whole numbers", () => {
    const days = [
      day(2 * 86_400, { fees: String((25n * E18) / 10n), jurorStake: String(5000n * E18), disputesCreated: 1 }),
      day(86_400, { fees: String(3n * E18), curatorStake: String(1200n * E18), disputesExecuted: 2 }),
    ];
    expect(feeSeries(days)[0]!.points).toEqual([
      { x: 86_400, y: 3 },
      { x: 172_800, y: 2.5 },
    ]);
    const [curators, jurors, validators] = stakeSeries(days);
    expect(curators!.points.map((p) => p.y)).toEqual([1200, 0]);
    expect(jurors!.points.map((p) => p.y)).toEqual([0, 5000]);
    expect(validators!.name).toBe("Validators");
    expect(disputeSeries(days).map((s) => s.points.map((p) => p.y))).toEqual([
      [0, 1],
      [2, 0],
    ]);
  });

  it("averages each scored listing's latest quality at the end of each day", () => {
    const series = qualitySeries([
      { id: "b", listing: { id: "2" }, newQualityBps: 6000, timestamp: String(86_400 + 500) },
      { id: "a", listing: { id: "1" }, newQualityBps: 9000, timestamp: String(86_400 + 100) },
      { id: "c", listing: { id: "1" }, newQualityBps: 8000, timestamp: String(3 * 86_400 + 10) },
    ]);
    expect(series[0]!.points).toEqual([
      { x: 86_400, y: 75 },
      { x: 3 * 86_400, y: 70 },
    ]);
  });
});
