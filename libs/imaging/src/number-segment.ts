import type { Component } from './connected-components';
import type { Box } from './select-digit';

/**
 * How a number's ink is cut into digits. Kept apart from PIPELINE_PARAMS on purpose: these choose
 * which pixels make up each digit, never how a digit becomes the model's 28x28 input, so the
 * pipeline's hash (which the models are tied to) does not depend on them.
 */
export const NUMBER_SEGMENT_PARAMS = {
  /** The reference digit height is the tallest component of at least this share of the largest's area. */
  referenceAreaShare: 0.2,
  /** Components at least this share of the reference height are digit-sized (they start a digit)... */
  digitHeightShare: 0.5,
  /** ...and two of them overlapping in x by this share of the narrower are one digit broken in two (a 5's bar and bowl). */
  joinOverlapShare: 0.5,
  /** A smaller piece joins the digit it overlaps most in x, by this share of its own width (a 7's detached bar)... */
  pieceOverlapShare: 0.3,
  /** ...or else the nearest digit, when no farther than this share of the reference height (a dot-like stroke end). */
  pieceGapShare: 0.2,
  /** A digit wider than this share of its height may be touching digits (95 % of MNIST's test digits are under 1.18)... */
  splitAspect: 1.3,
  /** ...and so may one this many times the median width of the number's other digits (1s left out), if at least `minWideAspect` of their height or its own... */
  splitWidthRatio: 1.4,
  minWideAspect: 1.1,
  /** ...and it is cut where the least-ink column crosses at most `maxCutRuns` strokes (a junction; the middle of a 0 crosses two, of a wide 2 three).
   * Wider than `sureAspect` (1 % of MNIST's digits) it is cut wherever the least ink is. */
  sureAspect: 1.6,
  maxCutRuns: 1,
  /** Each side of a cut must be at least this share of the component's height. */
  cutSideHeightShare: 0.5,
  /** Digits narrower than this share of their height (1s) do not count towards the typical width. */
  narrowAspect: 0.5,
  /** Expected width of one digit, as a share of its height, bounding the estimate from the other digits. */
  minDigitAspect: 0.55,
  maxDigitAspect: 0.9,
  /** The cut is the column of least ink within this share of the expected digit width of the expected cut. */
  cutWindowShare: 0.35,
  /** Most pieces one group may be split into (a recursion bound). */
  maxSplit: 6,
} as const;

export type NumberSegmentParams = { readonly [K in keyof typeof NUMBER_SEGMENT_PARAMS]: number };

/**
 * A cut that bends: per row from `minY`, the column `xs[row]` the cut passes through; the part keeps
 * the pixels on its `keep` side of it (the cut's own pixel belongs to neither side).
 */
export interface PathBound {
  readonly minY: number;
  readonly xs: readonly number[];
  readonly keep: 'left' | 'right';
}

/** Pixels of component `label` between columns `fromX` and `toX` (inclusive), and on one side of `path` if any: a whole component, or one side of a cut. */
export interface SegmentPart {
  readonly label: number;
  readonly fromX: number;
  readonly toX: number;
  readonly path?: PathBound;
}

/** Whether pixel (x, y), of the part's component, is the part's. */
export function partHas(p: SegmentPart, x: number, y: number): boolean {
  if (x < p.fromX || x > p.toX) return false;
  if (p.path === undefined) return true;
  const at = p.path.xs[y - p.path.minY];
  if (at === undefined) return true;
  return p.path.keep === 'left' ? x < at : x > at;
}

/** One digit of a number: its parts' pixels, with the box and area of exactly those pixels. */
export interface NumberSegment {
  readonly parts: readonly SegmentPart[];
  readonly box: Box;
  readonly area: number;
}

/** Median width and height of the number's plain single digits (1s left out). */
interface Typical {
  readonly width: number;
  readonly height: number;
}

interface Group {
  parts: SegmentPart[];
  box: Box;
}

const widthOf = (b: Box): number => b.maxX - b.minX + 1;
const heightOf = (b: Box): number => b.maxY - b.minY + 1;
const xOverlap = (a: Box, b: Box): number => Math.max(0, Math.min(a.maxX, b.maxX) - Math.max(a.minX, b.minX) + 1);
const union = (a: Box, b: Box): Box => ({ minX: Math.min(a.minX, b.minX), minY: Math.min(a.minY, b.minY), maxX: Math.max(a.maxX, b.maxX), maxY: Math.max(a.maxY, b.maxY) });
const boxGap = (a: Box, b: Box): number => Math.max(0, b.minX - a.maxX - 1, a.minX - b.maxX - 1, b.minY - a.maxY - 1, a.minY - b.maxY - 1);
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};
const whole = (c: Component): Group => ({ parts: [{ label: c.label, fromX: c.minX, toX: c.maxX }], box: c });

/**
 * Cuts a number's ink components (the pipeline's digit candidates) into digits, left to right:
 *
 * 1. Digit-sized components (at least half the reference height) are digits, unless one is too
 *    wide for one digit (wider than `splitAspect` of its height, or far wider than the number's
 *    other digits): then it is touching digits, cut at the column of least ink (the vertical
 *    projection) near where one digit's width from its left edge falls, if that column crosses a
 *    single stroke (a junction, not the middle of a wide 2), and each side is checked again. This
 *    is the classic projection-profile split; it cuts straight down, so two digits that overlap a
 *    lot in x (not just touch) come apart less cleanly.
 * 2. Two digits that overlap heavily in x are one digit whose stroke broke (a 5's bar above its bowl).
 * 3. Smaller pieces join the digit they overlap most in x, or the nearest one close by (a 7's
 *    detached bar, a dot-like stroke end); pieces that join none, and do not add up to a digit's
 *    height among themselves, are dropped (specks, a full stop).
 *
 * Only single components are split: ink that is already apart (a broken stroke) is never cut.
 */
export function segmentNumber(candidates: readonly Component[], labels: Int32Array, width: number, params: NumberSegmentParams = NUMBER_SEGMENT_PARAMS): NumberSegment[] {
  if (candidates.length === 0) return [];
  const maxArea = candidates.reduce((m, c) => Math.max(m, c.area), 0);
  const refHeight = candidates.filter((c) => c.area >= params.referenceAreaShare * maxArea).reduce((m, c) => Math.max(m, heightOf(c)), 0);
  const digitSized = (b: Box): boolean => heightOf(b) >= params.digitHeightShare * refHeight;

  const sized = candidates.filter(digitSized);
  const single = sized.filter((c) => widthOf(c) <= params.splitAspect * heightOf(c) && widthOf(c) >= params.narrowAspect * heightOf(c));
  const typical = single.length > 0 ? { width: median(single.map(widthOf)), height: median(single.map(heightOf)) } : null;
  const pieces: Group[] = [];
  for (const c of sized) {
    for (const part of split({ label: c.label, fromX: c.minX, toX: c.maxX }, c, heightOf(c), typical, labels, width, params, params.maxSplit)) {
      const m = measure([part], c, labels, width);
      if (m !== null) pieces.push({ parts: [part], box: m.box });
    }
  }
  const majors = joinOverlapping(pieces, params);
  const leftover: Component[] = [];
  for (const piece of candidates.filter((c) => !digitSized(c)).sort((a, b) => b.area - a.area)) {
    const home = homeFor(piece, majors, refHeight, params);
    if (home === null) leftover.push(piece);
    else {
      home.parts.push({ label: piece.label, fromX: piece.minX, toX: piece.maxX });
      home.box = union(home.box, piece);
    }
  }
  // A digit broken into pieces none of which is digit-sized still adds up to one.
  const fromPieces = joinOverlapping(leftover.map(whole), params).filter((g) => digitSized(g.box));
  const segments: NumberSegment[] = [];
  for (const g of [...majors, ...fromPieces]) {
    const m = measure(g.parts, g.box, labels, width);
    if (m !== null) segments.push(m);
  }
  return segments.sort((a, b) => a.box.minX + a.box.maxX - (b.box.minX + b.box.maxX));
}

/**
 * Merges groups whose x-ranges overlap by `joinOverlapShare` of the narrower, until none do. One
 * pass from the left, each group checked against the last merged one only: sorted by left edge, a
 * group that overlaps an earlier one enough also overlaps the last enough (the last reaches at least
 * as far right, or it would lie within the earlier and have joined it), and a merge only moves the
 * last's right edge. Restarting from the first group after every merge was cubic in the number of
 * groups: seconds of the event loop for an image of a few hundred dashes.
 */
function joinOverlapping(groups: readonly Group[], params: NumberSegmentParams): Group[] {
  const out: Group[] = [];
  for (const g of [...groups].sort((a, b) => a.box.minX - b.box.minX)) {
    const last = out[out.length - 1];
    if (last !== undefined && xOverlap(last.box, g.box) >= params.joinOverlapShare * Math.min(widthOf(last.box), widthOf(g.box))) {
      out[out.length - 1] = { parts: [...last.parts, ...g.parts], box: union(last.box, g.box) };
    } else out.push(g);
  }
  return out;
}

/** The digit a small piece belongs to: the one it overlaps most in x, else the nearest close one; null for none. */
function homeFor(piece: Component, groups: readonly Group[], refHeight: number, params: NumberSegmentParams): Group | null {
  let best: Group | null = null;
  let bestOverlap = 0;
  for (const g of groups) {
    const o = xOverlap(piece, g.box);
    // Far above or below the digit (beyond its own height) is another line's mark, not its stroke.
    if (o > bestOverlap && boxGap(piece, g.box) <= refHeight) {
      best = g;
      bestOverlap = o;
    }
  }
  if (best !== null && bestOverlap >= params.pieceOverlapShare * widthOf(piece)) return best;
  let nearest: Group | null = null;
  let nearestGap = Infinity;
  for (const g of groups) {
    const d = boxGap(piece, g.box);
    if (d < nearestGap) {
      nearest = g;
      nearestGap = d;
    }
  }
  return nearestGap <= params.pieceGapShare * refHeight ? nearest : null;
}

/** Box and area of the parts' pixels within `within`'s rows; null when there are none. */
export function measure(parts: readonly SegmentPart[], within: Box, labels: Int32Array, width: number): NumberSegment | null {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -1;
  let maxY = -1;
  let area = 0;
  for (const p of parts) {
    for (let y = within.minY; y <= within.maxY; y++) {
      for (let x = p.fromX; x <= p.toX; x++) {
        if ((labels[y * width + x] ?? 0) !== p.label || !partHas(p, x, y)) continue;
        area++;
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
  }
  return area === 0 ? null : { parts, box: { minX, minY, maxX, maxY }, area };
}

/**
 * Splits one component's part that is several touching digits, recursively (see `segmentNumber`,
 * step 1). `h` is the component's height: a piece cut off keeps being judged against the digits'
 * height, not its own (the lower half of a 5 is wide for its height, but it is no two digits).
 */
function split(part: SegmentPart, within: Box, h: number, typical: Typical | null, labels: Int32Array, width: number, params: NumberSegmentParams, budget: number): SegmentPart[] {
  const s = measure([part], within, labels, width);
  if (s === null) return [];
  const w = widthOf(s.box);
  const wide =
    w > params.splitAspect * h ||
    // Touching digits on different baselines make a taller component than either: the number's
    // plain digits tell the height of one.
    (typical !== null && w >= params.splitWidthRatio * typical.width && w >= params.minWideAspect * Math.min(h, typical.height));
  if (!wide || budget <= 1) return [part];
  const expected = Math.min(params.maxDigitAspect * h, Math.max(params.minDigitAspect * h, typical?.width ?? 0));
  const pieces = Math.min(budget, Math.max(2, Math.round(w / expected)));
  const step = w / pieces;
  const { x: cut, runs } = leastInkColumn(s, part.label, s.box.minX + step, params.cutWindowShare * step, labels, width);
  if (runs > params.maxCutRuns && w <= params.sureAspect * h) return [part];
  // The cut column itself is where the digits touch: it belongs to neither.
  const left = { label: part.label, fromX: s.box.minX, toX: cut - 1 };
  const right = { label: part.label, fromX: cut + 1, toX: s.box.maxX };
  // Both sides must be digits: a 5's long bar or a 2's tail cut off is a stroke, not a digit.
  const tall = (p: SegmentPart): boolean => {
    const m = measure([p], within, labels, width);
    return m !== null && heightOf(m.box) >= params.cutSideHeightShare * h;
  };
  if (!tall(left) || !tall(right)) return [part];
  return [...split(left, within, h, typical, labels, width, params, 1), ...split(right, within, h, typical, labels, width, params, budget - 1)];
}

/**
 * The column of least ink (pixels of the segment) within `radius` of `around`; among equals, the
 * closest to it. Never the segment's first or last column, so both sides keep some ink.
 */
function leastInkColumn(s: NumberSegment, label: number, around: number, radius: number, labels: Int32Array, width: number): { x: number; runs: number } {
  const lo = Math.max(s.box.minX + 1, Math.floor(around - radius));
  const hi = Math.min(s.box.maxX - 1, Math.ceil(around + radius));
  let best = Math.round(Math.min(hi, Math.max(lo, around)));
  let bestInk = Infinity;
  let bestDistance = Infinity;
  let bestRuns = 0;
  for (let x = lo; x <= hi; x++) {
    let ink = 0;
    let runs = 0;
    let inside = false;
    for (let y = s.box.minY; y <= s.box.maxY; y++) {
      const on = (labels[y * width + x] ?? 0) === label;
      if (on) ink++;
      if (on && !inside) runs++;
      inside = on;
    }
    const distance = Math.abs(x - around);
    if (ink < bestInk || (ink === bestInk && distance < bestDistance)) {
      best = x;
      bestInk = ink;
      bestDistance = distance;
      bestRuns = runs;
    }
  }
  return { x: best, runs: bestRuns };
}
