import { formatNumber } from './format';
import type { ReportChart } from './report-document';

/*
 * A chart as drawing primitives in a box (x right, y down, units of PDF points), computed once:
 * the HTML's SVG and the PDF draw the very same shapes, so the two cannot disagree.
 */

export type Rgb = readonly [number, number, number];

export type ChartShape =
  | { readonly type: 'line'; readonly x1: number; readonly y1: number; readonly x2: number; readonly y2: number; readonly color: Rgb; readonly width: number }
  | { readonly type: 'rect'; readonly x: number; readonly y: number; readonly w: number; readonly h: number; readonly color: Rgb }
  | { readonly type: 'polyline'; readonly points: readonly (readonly [number, number])[]; readonly color: Rgb; readonly width: number }
  | { readonly type: 'text'; readonly x: number; readonly y: number; readonly text: string; readonly size: number; readonly anchor: 'start' | 'middle' | 'end' };

export interface ChartLayout {
  readonly width: number;
  readonly height: number;
  readonly shapes: readonly ChartShape[];
}

/** Fixed series colours (colour-blind safe, Okabe-Ito), in order. */
export const SERIES_COLORS: readonly Rgb[] = [
  [0, 114, 178],
  [230, 159, 0],
  [0, 158, 115],
  [204, 121, 167],
  [86, 180, 233],
  [213, 94, 0],
  [240, 228, 66],
  [0, 0, 0],
];
const AXIS: Rgb = [60, 60, 60];
const GRID: Rgb = [220, 220, 220];

/** The smallest 1, 2 or 5 x 10^k at or above `v` (the axis's top). */
export function niceCeil(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v - p * 1e-9) return m * p;
  return 10 * p;
}

const colorOf = (i: number): Rgb => SERIES_COLORS[i % SERIES_COLORS.length] ?? AXIS;
/** Coordinates rounded to hundredths, so the SVG's text and the PDF's operators are short and stable. */
const r2 = (v: number): number => Math.round(v * 100) / 100;

export function layoutChart(chart: ReportChart, width = 480, height = 240): ChartLayout {
  const left = 52;
  const right = 12;
  const top = 24;
  const legendRows = Math.ceil(chart.series.length / 3);
  const bottom = 40 + legendRows * 14;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const values = chart.series.flatMap((s) => s.values).filter((v): v is number => v !== null && Number.isFinite(v));
  const max = niceCeil(Math.max(0, ...values));
  const min = Math.min(0, ...values) < 0 ? -niceCeil(-Math.min(...values)) : 0;
  const y = (v: number): number => r2(top + plotH - ((v - min) / (max - min)) * plotH);
  const shapes: ChartShape[] = [];
  shapes.push({ type: 'text', x: r2(width / 2), y: 14, text: chart.title, size: 10, anchor: 'middle' });

  const ticks = 5;
  for (let i = 0; i <= ticks; i++) {
    const v = min + ((max - min) * i) / ticks;
    const yy = y(v);
    shapes.push({ type: 'line', x1: left, y1: yy, x2: left + plotW, y2: yy, color: GRID, width: 0.5 });
    shapes.push({ type: 'text', x: left - 4, y: r2(yy + 3), text: formatNumber(v, decimalsFor(max - min)), size: 7, anchor: 'end' });
  }
  shapes.push({ type: 'line', x1: left, y1: top, x2: left, y2: top + plotH, color: AXIS, width: 1 });
  shapes.push({ type: 'line', x1: left, y1: y(0), x2: left + plotW, y2: y(0), color: AXIS, width: 1 });

  const n = Math.max(1, chart.categories.length);
  const slot = plotW / n;
  chart.categories.forEach((c, i) => {
    shapes.push({ type: 'text', x: r2(left + slot * (i + 0.5)), y: top + plotH + 12, text: c, size: 7, anchor: 'middle' });
  });
  shapes.push({ type: 'text', x: r2(left + plotW / 2), y: top + plotH + 26, text: chart.x_label, size: 8, anchor: 'middle' });
  shapes.push({ type: 'text', x: 4, y: top - 8, text: chart.y_label, size: 8, anchor: 'start' });

  if (chart.kind === 'bar') {
    const groupW = slot * 0.8;
    const barW = groupW / Math.max(1, chart.series.length);
    chart.series.forEach((s, si) => {
      s.values.forEach((v, i) => {
        if (v === null || !Number.isFinite(v)) return;
        const x = left + slot * i + (slot - groupW) / 2 + barW * si;
        const y0 = y(0);
        const y1 = y(v);
        shapes.push({ type: 'rect', x: r2(x), y: Math.min(y0, y1), w: r2(barW * 0.9), h: r2(Math.abs(y0 - y1)), color: colorOf(si) });
      });
    });
  } else {
    chart.series.forEach((s, si) => {
      const points: [number, number][] = [];
      s.values.forEach((v, i) => {
        if (v !== null && Number.isFinite(v)) points.push([r2(left + slot * (i + 0.5)), y(v)]);
      });
      if (points.length > 1) shapes.push({ type: 'polyline', points, color: colorOf(si), width: 1.5 });
      for (const [px, py] of points) shapes.push({ type: 'rect', x: r2(px - 2), y: r2(py - 2), w: 4, h: 4, color: colorOf(si) });
    });
  }

  chart.series.forEach((s, si) => {
    const col = si % 3;
    const row = Math.floor(si / 3);
    const lx = left + col * (plotW / 3);
    const ly = top + plotH + 36 + row * 14;
    shapes.push({ type: 'rect', x: r2(lx), y: ly - 7, w: 8, h: 8, color: colorOf(si) });
    shapes.push({ type: 'text', x: r2(lx + 12), y: ly, text: s.name, size: 7, anchor: 'start' });
  });
  return { width, height, shapes };
}

function decimalsFor(range: number): number {
  const step = range / 5;
  return step >= 1 ? 0 : Math.min(6, Math.ceil(-Math.log10(step)));
}
