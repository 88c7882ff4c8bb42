import { render, screen, within } from "@testing-library/svelte";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { polylinePoints, scale, yTicks } from "../../dashboard/chart";
import LineChart from "./line-chart.svelte";

const DAY = 86_400;
const FEES = [
  {
    name: "Fees (CUR)",
    points: [
      { x: 0, y: 0 },
      { x: DAY, y: 10 },
      { x: 2 * DAY, y: 5 },
    ],
  },
];

describe("chart geometry", () => {
  it("maps points into the plot box (left 64, top 12, 560 × 200) with y from 0", () => {
    const s = scale(FEES);
    expect(polylinePoints(FEES[0]!.points, s)).toBe("64,212 344,12 624,112");
  });

  it("picks round y ticks and raises the top to the last one", () => {
    expect(yTicks({ yMin: 0, yMax: 10 })).toEqual([0, 2.5, 5, 7.5, 10]);
    expect(yTicks({ yMin: 0, yMax: 1234 })).toEqual([0, 500, 1000, 1500]);
    expect(yTicks({ yMin: 0, yMax: 1 }, 4, true)).toEqual([0, 1]);
    const s = scale(
      [
        {
          name: "a",
          points: [
            { x: 0, y: 1234 },
            { x: 1, y: 0 },
          ],
        },
      ],
      undefined,
      1500,
    );
    expect(s.yMax).toBe(1500);
    expect(s.sy(1500)).toBe(12);
  });

  it("gives a single point and a flat line a range", () => {
    const s = scale([{ name: "a", points: [{ x: 5, y: 0 }] }]);
    expect([s.xMin, s.xMax, s.yMin, s.yMax]).toEqual([4, 6, 0, 1]);
    expect(polylinePoints([{ x: 5, y: 0 }], s)).toBe("344,212");
  });
});

describe("<LineChart>", () => {
  // jsdom has no layout: the chart keeps its default 640-wide geometry (its width binding needs the observer).
  beforeAll(() => {
    vi.stubGlobal(
      "ResizeObserver",
      class {
        observe(): void {}
        unobserve(): void {}
        disconnect(): void {}
      },
    );
  });

  it("draws each series' points, titles the SVG and repeats the data as a table", () => {
    const { container } = render(LineChart, {
      props: {
        title: "Protocol fees per day",
        description: "CUR taken in fees each day.",
        series: [...FEES, { name: "Purchases", points: [{ x: DAY, y: 4 }] }],
      },
    });
    const svg = screen.getByRole("img", { name: /Protocol fees per day/ });
    expect(svg.querySelector("desc")).toHaveTextContent("CUR taken in fees each day.");
    const fees = container.querySelector('[data-series="Fees (CUR)"] polyline');
    expect(fees).toHaveAttribute("points", "64,212 344,12 624,112");
    expect(container.querySelector('[data-series="Purchases"] polyline')).toHaveAttribute("points", "344,132");
    expect(container.querySelectorAll('[data-series="Fees (CUR)"] circle')).toHaveLength(3);
    // Legend for two series.
    expect(screen.getByRole("list")).toHaveTextContent("Fees (CUR)Purchases");

    const table = screen.getByRole("table");
    const rows = within(table).getAllByRole("row");
    expect(rows.map((r) => [...r.children].map((c) => c.textContent?.trim()).join(" "))).toEqual([
      "Date Fees (CUR) Purchases",
      "1970-01-01 0 –",
      "1970-01-02 10 4",
      "1970-01-03 5 –",
    ]);
  });

  it("says when there is no data instead of drawing an empty chart", () => {
    render(LineChart, { props: { title: "Disputes", description: "none", series: [{ name: "Opened", points: [] }] } });
    expect(screen.getByText("No data yet.")).toBeInTheDocument();
    expect(screen.queryByRole("img")).toBeNull();
  });
});
