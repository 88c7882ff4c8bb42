// Geometry of the hand-rolled SVG charts: scales, paths, ticks. Pure, so the tests check the points drawn.

export interface ChartPoint {
  /** Unix seconds (or any increasing x). */
  x: number;
  y: number;
}

export interface ChartSeries {
  name: string;
  points: ChartPoint[];
  /** CSS color; defaults to the palette. */
  color?: string;
}

export interface ChartBox {
  width: number;
  height: number;
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export const DEFAULT_BOX: ChartBox = { width: 640, height: 240, top: 12, right: 16, bottom: 28, left: 64 };

export interface Scaled {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
  /** x → pixel. */
  sx: (x: number) => number;
  /** y → pixel (0 at the bottom of the plot). */
  sy: (y: number) => number;
}

/**
 * Scales over every series' points; y always includes 0, a flat or single point gets a unit range. `yTop` raises the
 * top of the y range (to the highest tick).
 */
export function scale(series: readonly ChartSeries[], box: ChartBox = DEFAULT_BOX, yTop?: number): Scaled {
  const all = series.flatMap((s) => s.points);
  let xMin = Math.min(...all.map((p) => p.x));
  let xMax = Math.max(...all.map((p) => p.x));
  let yMin = Math.min(0, ...all.map((p) => p.y));
  let yMax = Math.max(0, ...all.map((p) => p.y));
  if (all.length === 0) [xMin, xMax, yMin, yMax] = [0, 1, 0, 1];
  if (xMax === xMin) [xMin, xMax] = [xMin - 1, xMax + 1];
  if (yMax === yMin) yMax = yMin + 1;
  if (yTop !== undefined && yTop > yMax) yMax = yTop;
  const plotW = box.width - box.left - box.right;
  const plotH = box.height - box.top - box.bottom;
  return {
    xMin,
    xMax,
    yMin,
    yMax,
    sx: (x) => round2(box.left + ((x - xMin) / (xMax - xMin)) * plotW),
    sy: (y) => round2(box.top + plotH - ((y - yMin) / (yMax - yMin)) * plotH),
  };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** `points` attribute of a series' polyline. */
export function polylinePoints(points: readonly ChartPoint[], s: Scaled): string {
  return points.map((p) => `${s.sx(p.x)},${s.sy(p.y)}`).join(" ");
}

/** About `count` + 1 evenly spaced "nice" y ticks from yMin to at least yMax. */
export function yTicks(s: Pick<Scaled, "yMin" | "yMax">, count = 4, integer = false): number[] {
  const span = s.yMax - s.yMin;
  const raw = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const nice = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((m) => m >= raw) ?? raw;
  // Counts (disputes, purchases) get whole-number ticks.
  const step = integer ? Math.max(1, Math.ceil(nice)) : nice;
  const ticks: number[] = [];
  for (let v = Math.floor(s.yMin / step) * step; ticks.length < 12; v += step) {
    ticks.push(Number(v.toPrecision(12)));
    if (v >= s.yMax - step * 1e-9) break;
  }
  return ticks;
}

export const PALETTE = ["var(--accent)", "#0ea5e9", "#f59e0b", "#16a34a", "#dc2626"];
