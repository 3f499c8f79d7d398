import type { Component } from './connected-components';
import { NUMBER_SEGMENT_PARAMS, type NumberSegment, type SegmentPart, measure, partHas, segmentNumber } from './number-segment';
import type { Box } from './select-digit';

/**
 * How a group of ink that may be touching digits is offered to the model. The pixels alone cannot
 * tell a wide 0 from a 1 leaning on a 0, nor where two interlocking strokes part; the model can,
 * so each such group comes with a few ways of reading it and the reader keeps the one the model
 * is surest of (read.service's choice). Kept small: every option is one more model input.
 */
export const NUMBER_CUT_PARAMS = {
  /** A group wider than this share of its height may hold several digits (MNIST's digits are mostly narrower)... */
  maybeAspect: 0.75,
  /** ...or wider than this many times the median width of the number's plain digits. */
  maybeWidthRatio: 1.3,
  /** Two-way cuts are looked for in this middle share of the group's width (wide: a 1 leaning on a digit is cut near a quarter). */
  cutFrom: 0.2,
  cutTo: 0.8,
  /** Straight cuts offered: the columns of least ink, at least `columnSpacing` of the width apart. */
  columnCuts: 3,
  columnSpacing: 0.1,
  /** Wider than this share of its height, three digits in one group are offered too (cuts near 1/3 and 2/3, this share of the width either way). */
  threeAspect: 1.3,
  threeWindow: 0.1,
  /** Bent cuts near each side too, within this share of the width from it (from `edgeFrom`): a 1 leaning on a digit is a narrow side. */
  edgeFrom: 0.08,
  edgeTo: 0.32,
  /** A side of a two-way cut wider than this share of the group's height (of a group wider than `threeAspect`) is cut again at its own least-ink column: three digits touching, wherever the two junctions fall. */
  recutAspect: 0.95,
  /** Each side of a cut must be at least this share of the group's height (a 5's bar cut off is no digit). */
  sideHeightShare: 0.5,
  /** Cost of one sideways step of a bent cut, against 1 per ink pixel it crosses: it bends only to go round ink. */
  pathStepCost: 0.15,
} as const;

export type NumberCutParams = { readonly [K in keyof typeof NUMBER_CUT_PARAMS]: number };

/** One place in the number: its ways of being read, each a list of digits left to right. options[0] is the group read as one digit. */
export interface NumberSlot {
  readonly options: readonly (readonly NumberSegment[])[];
  /** Per option, the strokes its cuts cross (0 for the group whole): touching digits part at a junction, crossing one; a 0 cut in two crosses two. */
  readonly crossings: readonly number[];
  /** The whole group's width over the height of one digit (its own, or the number's plain digits' when lower): the prior's evidence. */
  readonly aspect: number;
}

/** The kinds of cut a slot may be offered: straight cuts at least-ink columns, bent least-ink paths (in the middle and near the sides), three-way cuts. */
export type CutKind = 'column' | 'path' | 'three';
export const ALL_CUTS: ReadonlySet<CutKind> = new Set<CutKind>(['column', 'path', 'three']);

/** The number's ink grouped into digit-sized groups, with the size of its plain digits (what "wide" is judged against). */
export interface NumberGrouping {
  readonly groups: readonly NumberSegment[];
  readonly typicalWidth: number | null;
  readonly typicalHeight: number | null;
}

const widthOf = (b: Box): number => b.maxX - b.minX + 1;
const heightOf = (b: Box): number => b.maxY - b.minY + 1;
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

/**
 * The number's ink as slots, left to right. Grouping (broken strokes joined, specks dropped) is
 * segmentNumber's with its own splitting off; then each group that may be touching digits gets, as
 * well as itself whole, cuts at the columns of least ink in its middle, one bent cut that follows
 * the least ink from top to bottom (for strokes that interlock, which no straight cut parts), and
 * for a very wide group a three-way cut.
 */
export function numberSlots(candidates: readonly Component[], labels: Int32Array, width: number, params: NumberCutParams = NUMBER_CUT_PARAMS): NumberSlot[] {
  return slotsOf(numberGroups(candidates, labels, width, params), labels, width, ALL_CUTS, params);
}

/** The grouping half of numberSlots: cheap next to the cuts, so a caller can count (and refuse) groups before any cut is looked for. */
export function numberGroups(candidates: readonly Component[], labels: Int32Array, width: number, params: NumberCutParams = NUMBER_CUT_PARAMS): NumberGrouping {
  const groups = segmentNumber(candidates, labels, width, { ...NUMBER_SEGMENT_PARAMS, splitAspect: Infinity, splitWidthRatio: Infinity });
  const plain = groups.filter((g) => widthOf(g.box) <= params.maybeAspect * heightOf(g.box) && widthOf(g.box) >= 0.5 * heightOf(g.box));
  return {
    groups,
    typicalWidth: plain.length > 0 ? median(plain.map((g) => widthOf(g.box))) : null,
    typicalHeight: plain.length > 0 ? median(plain.map((g) => heightOf(g.box))) : null,
  };
}

/** The cutting half of numberSlots: each group whole, and for one that may be touching digits the cuts of the kinds in `kinds`. */
export function slotsOf(grouping: NumberGrouping, labels: Int32Array, width: number, kinds: ReadonlySet<CutKind> = ALL_CUTS, params: NumberCutParams = NUMBER_CUT_PARAMS): NumberSlot[] {
  const { typicalWidth, typicalHeight } = grouping;
  return grouping.groups.map((g) => {
    const h = Math.min(heightOf(g.box), typicalHeight ?? Infinity);
    const w = widthOf(g.box);
    const aspect = w / h;
    const maybe = aspect > params.maybeAspect || (typicalWidth !== null && w > params.maybeWidthRatio * typicalWidth);
    const cuts = maybe && kinds.size > 0 ? cutOptions(g, labels, width, kinds, params) : [];
    return { aspect, options: [[g], ...cuts.map((c) => c.segs)], crossings: [0, ...cuts.map((c) => c.crossings)] };
  });
}

interface CutOption {
  readonly segs: NumberSegment[];
  readonly crossings: number;
}

function cutOptions(g: NumberSegment, labels: Int32Array, width: number, kinds: ReadonlySet<CutKind>, params: NumberCutParams): CutOption[] {
  const { box } = g;
  const w = widthOf(box);
  const h = heightOf(box);
  const ink = columnInk(g, labels, width);
  const inkAt = (x: number): number => ink[x - box.minX] ?? 0;
  const out: CutOption[] = [];
  const isInk = (x: number, y: number): boolean => {
    const l = labels[y * width + x] ?? 0;
    return l !== 0 && g.parts.some((p) => p.label === l && partHas(p, x, y));
  };
  /** Strokes a cut crosses: runs of ink along it, top to bottom (`at(row)` is its column in that row). */
  const crossed = (at: (row: number) => number): number => {
    let runs = 0;
    let inside = false;
    for (let y = box.minY; y <= box.maxY; y++) {
      const on = isInk(at(y - box.minY), y);
      if (on && !inside) runs++;
      inside = on;
    }
    return runs;
  };
  const sides = (cuts: readonly ((p: SegmentPart) => SegmentPart[])[], crossings: number): void => {
    const segs: NumberSegment[] = [];
    for (const side of cuts) {
      const m = measure(g.parts.flatMap(side), box, labels, width);
      if (m === null || heightOf(m.box) < params.sideHeightShare * h) return;
      segs.push(m);
    }
    out.push({ segs, crossings });
  };
  const leftOf = (x: number) => (p: SegmentPart): SegmentPart[] => (p.fromX <= x - 1 ? [{ ...p, toX: Math.min(p.toX, x - 1) }] : []);
  const rightOf = (x: number) => (p: SegmentPart): SegmentPart[] => (p.toX >= x + 1 ? [{ ...p, fromX: Math.max(p.fromX, x + 1) }] : []);
  const between = (a: number, b: number) => (p: SegmentPart): SegmentPart[] => (p.fromX <= b - 1 && p.toX >= a + 1 ? [{ ...p, fromX: Math.max(p.fromX, a + 1), toX: Math.min(p.toX, b - 1) }] : []);

  const lo = Math.max(box.minX + 1, Math.round(box.minX + params.cutFrom * w));
  const hi = Math.min(box.maxX - 1, Math.round(box.minX + params.cutTo * w));
  const columns = leastInkColumns(lo, hi, inkAt, params.columnCuts, Math.max(2, Math.round(params.columnSpacing * w)));
  if (kinds.has('column')) for (const x of columns) sides([leftOf(x), rightOf(x)], crossed(() => x));

  // Bent cuts in each half of the window: the least-ink path of the whole window often runs down
  // the same gap as a straight cut, and the other half's best is the other reading (a 1 on either side).
  const middle = Math.round(box.minX + w / 2);
  // And near each side: a 1 (narrow, often slanted) leaning on a digit parts from it there.
  const edge = (share: number): number => Math.round(box.minX + share * w);
  const windows: readonly (readonly [number, number])[] = kinds.has('path')
    ? [[lo, middle], [middle, hi], [Math.max(box.minX + 1, edge(params.edgeFrom)), edge(params.edgeTo)], [edge(1 - params.edgeTo), Math.min(box.maxX - 1, edge(1 - params.edgeFrom))]]
    : [];
  const paths: number[][] = [];
  for (const [from, to] of windows) {
    const path = leastInkPath(g, from, to, labels, width, params.pathStepCost);
    if (path === null || (kinds.has('column') && path.every((x) => x === path[0]) && columns.includes(path[0] ?? -1))) continue;
    if (paths.some((q) => q.every((x, i) => x === path[i]))) continue;
    paths.push(path);
    const bound = (keep: 'left' | 'right') => (p: SegmentPart): SegmentPart[] => [{ ...p, path: { minY: box.minY, xs: path, keep } }];
    sides([bound('left'), bound('right')], crossed((row) => path[row] ?? box.minX));
  }

  if (kinds.has('three') && w > params.threeAspect * h) {
    const r = params.threeWindow * w;
    const [a] = leastInkColumns(Math.round(box.minX + w / 3 - r), Math.round(box.minX + w / 3 + r), inkAt, 1, 1);
    const [b] = leastInkColumns(Math.round(box.minX + (2 * w) / 3 - r), Math.round(box.minX + (2 * w) / 3 + r), inkAt, 1, 1);
    if (a !== undefined && b !== undefined && b - a > 2) sides([leftOf(a), between(a, b), rightOf(b)], crossed(() => a) + crossed(() => b));
    // Three digits whose junctions fall anywhere (a 1 among them): the wide side of each two-way
    // cut is cut again, straight at its own least-ink column (a bent cut's side has its path already).
    for (const two of out.filter((c) => c.segs.length === 2)) {
      const [left, right] = two.segs;
      if (left === undefined || right === undefined) continue;
      if (widthOf(left.box) > params.recutAspect * h) {
        for (const c of cutOptions(left, labels, width, COLUMN_ONLY, { ...params, columnCuts: 1 })) out.push({ segs: [...c.segs, right], crossings: two.crossings + c.crossings });
      }
      if (widthOf(right.box) > params.recutAspect * h) {
        for (const c of cutOptions(right, labels, width, COLUMN_ONLY, { ...params, columnCuts: 1 })) out.push({ segs: [left, ...c.segs], crossings: two.crossings + c.crossings });
      }
    }
  }
  return distinct(out);
}

const COLUMN_ONLY: ReadonlySet<CutKind> = new Set<CutKind>(['column']);

/** The options without repeats (two cuts that leave the same pieces): each is a model input for nothing. */
function distinct(options: readonly CutOption[]): CutOption[] {
  const seen = new Set<string>();
  return options.filter((o) => {
    const key = o.segs.map((s) => `${s.box.minX},${s.box.minY},${s.box.maxX},${s.box.maxY},${s.area}`).join('|');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Ink pixels of the group per column of its box. */
function columnInk(g: NumberSegment, labels: Int32Array, width: number): Int32Array {
  const { box } = g;
  const ink = new Int32Array(widthOf(box));
  for (let y = box.minY; y <= box.maxY; y++) {
    for (let x = box.minX; x <= box.maxX; x++) {
      const l = labels[y * width + x] ?? 0;
      if (l !== 0 && g.parts.some((p) => p.label === l && partHas(p, x, y))) ink[x - box.minX] = (ink[x - box.minX] ?? 0) + 1;
    }
  }
  return ink;
}

/** Up to `k` columns in [lo, hi] with the least ink, each at least `spacing` from those already taken; among equals, nearest the middle. */
function leastInkColumns(lo: number, hi: number, inkAt: (x: number) => number, k: number, spacing: number): number[] {
  const mid = (lo + hi) / 2;
  const order: number[] = [];
  for (let x = lo; x <= hi; x++) order.push(x);
  order.sort((a, b) => inkAt(a) - inkAt(b) || Math.abs(a - mid) - Math.abs(b - mid));
  const taken: number[] = [];
  for (const x of order) {
    if (taken.length >= k) break;
    if (taken.every((t) => Math.abs(t - x) >= spacing)) taken.push(x);
  }
  return taken;
}

/**
 * The top-to-bottom path through the group's box, one pixel per row, moving at most one column a
 * row and kept within columns [lo, hi], that crosses the least ink (each sideways step costs a
 * little, so it goes straight where it can): dynamic programming over rows. Null if the window is empty.
 */
function leastInkPath(g: NumberSegment, lo: number, hi: number, labels: Int32Array, width: number, stepCost: number): number[] | null {
  const { box } = g;
  const n = hi - lo + 1;
  const rows = heightOf(box);
  if (n < 1) return null;
  const inkAt = (x: number, y: number): number => {
    const l = labels[y * width + x] ?? 0;
    return l !== 0 && g.parts.some((p) => p.label === l && partHas(p, x, y)) ? 1 : 0;
  };
  const cost = new Float64Array(rows * n);
  const from = new Int8Array(rows * n);
  for (let i = 0; i < n; i++) cost[i] = inkAt(lo + i, box.minY);
  for (let r = 1; r < rows; r++) {
    for (let i = 0; i < n; i++) {
      let best = Infinity;
      let step = 0;
      for (const d of [0, -1, 1]) {
        const j = i + d;
        if (j < 0 || j >= n) continue;
        const c = (cost[(r - 1) * n + j] ?? Infinity) + (d === 0 ? 0 : stepCost);
        if (c < best) {
          best = c;
          step = d;
        }
      }
      cost[r * n + i] = best + inkAt(lo + i, box.minY + r);
      from[r * n + i] = step;
    }
  }
  let end = 0;
  for (let i = 1; i < n; i++) {
    const c = cost[(rows - 1) * n + i] ?? Infinity;
    const e = cost[(rows - 1) * n + end] ?? Infinity;
    // Among equal costs, the one nearest the middle.
    if (c < e || (c === e && Math.abs(i - n / 2) < Math.abs(end - n / 2))) end = i;
  }
  const xs = new Array<number>(rows);
  for (let r = rows - 1, i = end; r >= 0; r--) {
    xs[r] = lo + i;
    i += from[r * n + i] ?? 0;
  }
  return xs;
}
