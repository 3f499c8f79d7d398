import type { Component } from './connected-components';
import { PIPELINE_PARAMS } from './pipeline-params';

type ComponentParams = typeof PIPELINE_PARAMS.components;

export interface Box {
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
}

export interface DigitSelection {
  /** Labels of the components that make up the digit (the largest one and its strokes). */
  readonly kept: readonly number[];
  readonly box: Box;
  readonly keptArea: number;
  /** Components that are not specks. */
  readonly componentCount: number;
  /** Digit-sized shapes, the kept digit included: 2 or more means the image holds several digits. */
  readonly separateDigitCandidates: number;
  readonly droppedEdgeComponents: number;
}

/**
 * Picks the digit out of the ink components. The largest component (ignoring page edges and
 * shadows along the border) anchors it; other components join when they are big enough to be a
 * stroke (a 5's bar, a 4 drawn in two strokes) and close to the digit's box, unless they stand
 * beside it at full height, in which case they are another digit. Returns null when there is no
 * component at all.
 */
export function selectDigit(components: readonly Component[], width: number, height: number, params: ComponentParams = PIPELINE_PARAMS.components): DigitSelection | null {
  const { solid, candidates } = digitCandidates(components, width, height, params);
  if (candidates.length === 0) return null;

  const anchor = candidates.reduce((a, b) => (b.area > a.area ? b : a));
  const kept = new Set<Component>([anchor]);
  let box: Box = anchor;
  for (let grew = true; grew; ) {
    grew = false;
    for (const c of candidates) {
      if (kept.has(c) || c.area < params.strokeAreaShare * anchor.area) continue;
      const digitHeight = box.maxY - box.minY + 1;
      if (gap(box, c) > params.strokeGapShare * digitHeight) continue;
      if (isBeside(box, c, digitHeight, params)) continue;
      kept.add(c);
      box = union(box, c);
      grew = true;
    }
  }

  const keptArea = [...kept].reduce((s, c) => s + c.area, 0);
  const digitHeight = box.maxY - box.minY + 1;
  const others = candidates.filter(
    (c) => !kept.has(c) && c.maxY - c.minY + 1 >= params.digitHeightShare * digitHeight && c.area >= params.digitAreaShare * keptArea,
  );
  return {
    kept: [...kept].map((c) => c.label),
    box,
    keptArea,
    componentCount: solid.length,
    separateDigitCandidates: 1 + others.length,
    droppedEdgeComponents: solid.length - candidates.length,
  };
}

/**
 * The components that may be (part of) a digit: not specks, not page edges, shadows or box lines
 * along the border (see `rescued` and `coversASide` for the exceptions). `solid`: all non-specks.
 */
export function digitCandidates(components: readonly Component[], width: number, height: number, params: ComponentParams = PIPELINE_PARAMS.components): { solid: Component[]; candidates: Component[] } {
  const minSpeck = Math.max(params.minSpeckPx, Math.round(width * height * params.minSpeckShare));
  const solid = components.filter((c) => c.area >= minSpeck);
  const edges = solid.filter((c) => isEdgeArtefact(c, width, height, params));
  const isEdge = new Set(edges);
  const inside = solid.filter((c) => !isEdge.has(c));
  // Everything lies along the border (e.g. a tight crop of a digit): then the border is the digit,
  // unless it is ink along a whole side (a shadow, a gradient), which no digit is.
  const candidates = inside.length > 0 ? [...inside, ...rescued(inside, edges, width, height, params)] : solid.filter((c) => !coversASide(c, width, height, params));
  return { solid, candidates };
}

/** Lies along the border for a good share of a side: a page edge, a shadow, a table, a box's line. */
export function isEdgeArtefact(c: Component, width: number, height: number, params: ComponentParams = PIPELINE_PARAMS.components): boolean {
  const e = c.edgeContact;
  const share = params.borderContactShare;
  return e.top >= share * width || e.bottom >= share * width || e.left >= share * height || e.right >= share * height;
}

/**
 * Border components that are strokes (neither a band nor a mass) come back as candidates when all
 * that is left inside is a mark, under `rescueShare` of their area and `rescueExtentShare` of their
 * extent: a 7 whose bar meets the top edge,
 * beside a full stop, is the digit, not the full stop. A box or a form cell's lines around a digit
 * of readable size stay out, and tables, shadows and page edges (bands, masses) always do.
 */
function rescued(inside: readonly Component[], edges: readonly Component[], width: number, height: number, params: ComponentParams): Component[] {
  const strokes = edges.filter((c) => !isBand(c, width, height, params) && !isMass(c, params));
  const area = strokes.reduce((m, c) => Math.max(m, c.area), 0);
  const span = strokes.reduce((m, c) => Math.max(m, extentOf(c)), 0);
  const mark = (c: Component): boolean => c.area < params.rescueShare * area && extentOf(c) < params.rescueExtentShare * span;
  return inside.every(mark) ? strokes : [];
}

const extentOf = (c: Component): number => Math.max(c.maxX - c.minX + 1, c.maxY - c.minY + 1);

/** Area at least `regionShare` of its longest extent squared: a dark wedge ~0.5, a 7's strokes ~0.07. */
function isMass(c: Component, params: ComponentParams): boolean {
  return c.area >= params.regionShare * extentOf(c) ** 2;
}

/** Shallow along a side it lies on: no deeper than `bandDepthShare` of its length there. */
function isBand(c: Component, width: number, height: number, params: ComponentParams): boolean {
  const e = c.edgeContact;
  const share = params.borderContactShare;
  const spanX = c.maxX - c.minX + 1;
  const spanY = c.maxY - c.minY + 1;
  const flat = spanY <= params.bandDepthShare * spanX;
  const upright = spanX <= params.bandDepthShare * spanY;
  return ((e.top >= share * width || e.bottom >= share * width) && flat) || ((e.left >= share * height || e.right >= share * height) && upright);
}

const fillOf = (c: Component): number => c.area / ((c.maxX - c.minX + 1) * (c.maxY - c.minY + 1));

/**
 * Ink along nearly a whole side that is a band or a solid region (a shadow, the dark half of a
 * gradient) is never a digit, even in a tight crop; a tightly cropped 5 or 7, whose bar runs the
 * whole width, is strokes, and stays.
 */
function coversASide(c: Component, width: number, height: number, params: ComponentParams): boolean {
  const e = c.edgeContact;
  const full = params.fullBorderShare;
  const covers = e.top >= full * width || e.bottom >= full * width || e.left >= full * height || e.right >= full * height;
  return covers && (isBand(c, width, height, params) || fillOf(c) >= params.solidRegionFill);
}

/** Chebyshev gap between two boxes in pixels (0 when they touch or overlap). */
export function gap(a: Box, b: Box): number {
  const dx = Math.max(0, b.minX - a.maxX - 1, a.minX - b.maxX - 1);
  const dy = Math.max(0, b.minY - a.maxY - 1, a.minY - b.maxY - 1);
  return Math.max(dx, dy);
}

function isBeside(digit: Box, c: Box, digitHeight: number, params: ComponentParams): boolean {
  if (c.maxY - c.minY + 1 < params.digitHeightShare * digitHeight) return false;
  const overlap = Math.min(digit.maxX, c.maxX) - Math.max(digit.minX, c.minX) + 1;
  const narrower = Math.min(digit.maxX - digit.minX + 1, c.maxX - c.minX + 1);
  return overlap < params.besideOverlapShare * narrower;
}

function union(a: Box, b: Box): Box {
  return { minX: Math.min(a.minX, b.minX), minY: Math.min(a.minY, b.minY), maxX: Math.max(a.maxX, b.maxX), maxY: Math.max(a.maxY, b.maxY) };
}
