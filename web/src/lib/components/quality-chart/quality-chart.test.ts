import { render, screen } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import QualityChart from "./quality-chart.svelte";

describe("<QualityChart>", () => {
  it("draws the quality as steps up to now, with a point and a table row per update", () => {
    const { container } = render(QualityChart, {
      props: {
        points: [
          { t: 1000n, bps: 5000 },
          { t: 2000n, bps: 9805 },
        ],
        now: 3000n,
      },
    });
    expect(screen.getByRole("img")).toHaveAccessibleName("Quality over time: 2 update(s), latest 98.05%");
    const line = container.querySelector("path.line")!.getAttribute("d")!;
    // Starts at the first update, steps (H then V) at the second, runs flat to the right edge (now).
    expect(line).toMatch(/^M 44\.0 \S+ H \S+ V \S+ H 588\.0$/);
    expect(container.querySelectorAll("circle.dot")).toHaveLength(2);
    expect(screen.getByRole("table")).toHaveTextContent("98.05%");
  });

  it("shows the governed default, dashed, while nothing is verified", () => {
    const { container } = render(QualityChart, { props: { points: [], now: 3000n, defaultBps: 5000 } });
    expect(screen.getByRole("img")).toHaveAccessibleName("No verified quality yet");
    expect(container.querySelector("line.default")).not.toBeNull();
    expect(container.textContent).toContain("default 50% (not verified yet)");
    expect(container.querySelector("path.line")).toBeNull();
  });
});
