import { type Labelling, labelComponents } from './connected-components';
import { otsuThreshold } from './otsu-threshold';
import { PIPELINE_PARAMS } from './pipeline-params';
import { isEdgeArtefact } from './select-digit';

type ShadowParams = typeof PIPELINE_PARAMS.shadow;

export interface ShadowSplit {
  /** The raised ink threshold. */
  readonly threshold: number;
  /** The components above it. */
  readonly labelling: Labelling;
}

/**
 * A raised ink threshold that leaves out a shadow lying over or beside the digit, with the
 * components above it, or null when there is none.
 *
 * The paper estimate (ink-map.ts) follows lighting ramps but not a shadow band narrower than its
 * closing (a hand, a phone, a book's gutter): the band becomes mid-level "ink" that joins the
 * digit's strokes, and the models read the band as a confident "1". Ink darkens paper more than
 * a shadow does, so the pixels above the first threshold then fall into two populations, split
 * by Otsu. What tells the lighter one for a shadow rather than ink (a stroke written with less
 * pressure, a coloured digit beside a black mark) is where it lies: a shadow is cast from outside
 * the frame, so it reaches the image's edge, and it is wide, holding pixels farther than `radius`
 * from both the darker ink and the paper. Nor is the split taken when the darker population lies
 * along the border: that is a table beyond the page's edge, darker than the ink.
 *
 * The new threshold sits just above the shadow's own darkest interior, not at the split, so a
 * digit's fainter strokes darker than the shadow stay.
 */
export function splitOffShadow(ink: Uint8Array, histogram: Uint32Array, width: number, height: number, threshold: number, params: ShadowParams = PIPELINE_PARAMS.shadow): ShadowSplit | null {
  const radius = Math.max(1, Math.round(Math.max(width, height) * params.radiusShare));
  const minSpeck = Math.max(PIPELINE_PARAMS.components.minSpeckPx, Math.round(width * height * PIPELINE_PARAMS.components.minSpeckShare));
  // A shadow whose darkness ramps up (a book's gutter) can put its own core in the darker
  // population of the first split, leaving only its flanks lighter: the split is tried again
  // above the last, a few times at most, and the highest that finds a shadow is taken.
  let found: ShadowSplit | null = null;
  let from = threshold;
  for (let round = 0; round < params.maxRounds; round++) {
    const above = new Uint32Array(256);
    for (let v = from + 1; v < 256; v++) above[v] = histogram[v] ?? 0;
    const split = otsuThreshold(above);
    if (split.highMean - split.lowMean < params.minInkGap) break;
    const high = split.threshold;
    from = high;
    let lighter = 0;
    let darker = 0;
    for (let v = threshold + 1; v < 256; v++) {
      if (v <= high) lighter += histogram[v] ?? 0;
      else darker += histogram[v] ?? 0;
    }
    const needed = Math.max(params.minShadowPx, params.minShadowShare * darker);
    if (lighter < needed || darker < params.minInkPx) break;
    // A region that wide spans more than twice `radius` rows and columns, so every `radius`-th
    // row and column crosses it: a cheap first look rules out the usual image, whose lighter
    // pixels are only stroke rims.
    if (radius * deepAlongSampledLines(ink, width, height, threshold, high, radius, 1, width) < needed / 2) continue;
    if (radius * deepAlongSampledLines(ink, height, width, threshold, high, radius, width, 1) < needed / 2) continue;

    const shadow = shadowInterior(ink, width, height, threshold, high, radius, needed);
    if (shadow.count < needed) continue;
    const level = Math.min(high, quantile(shadow.histogram, shadow.count, params.shadowQuantile));
    const labelling = labelComponents(ink, width, height, level);
    if (labelling.components.some((c) => c.area >= minSpeck && isEdgeArtefact(c, width, height))) break;
    found = { threshold: level, labelling };
  }
  return found;
}

/**
 * In every `radius`-th line (rows: `along` 1 and `across` the width; columns: the reverse), the
 * pixels farther than `radius` along it from paper (<= paper) and ink (> high).
 */
function deepAlongSampledLines(ink: Uint8Array, length: number, lines: number, paper: number, high: number, radius: number, along: number, across: number): number {
  let count = 0;
  for (let line = radius >> 1; line < lines; line += radius) {
    const first = line * across;
    let start = 0;
    for (let k = 0; k <= length; k++) {
      const v = k < length ? (ink[first + k * along] ?? 0) : 0;
      if (k < length && v > paper && v <= high) continue;
      count += Math.max(0, k - start - (start > 0 ? radius : 0) - (k < length ? radius : 0));
      start = k + 1;
    }
  }
  return count;
}

/**
 * The interior of the lighter regions that reach the image's edge: their pixels whose square of
 * `radius` holds neither paper (<= paper) nor ink (> high), counted with a histogram of their ink.
 * Labelling the regions costs more than eroding them, so it waits until the whole lighter
 * population's interior is big enough.
 */
function shadowInterior(ink: Uint8Array, width: number, height: number, paper: number, high: number, radius: number, needed: number): { count: number; histogram: Uint32Array } {
  const lighter = new Uint8Array(width * height);
  for (let i = 0; i < lighter.length; i++) {
    const v = ink[i] ?? 0;
    lighter[i] = v > paper && v <= high ? 1 : 0;
  }
  const all = erodedInk(lighter, ink, width, height, radius);
  if (all.count < needed) return all;
  const { labels, components } = labelComponents(lighter, width, height);
  const fromEdge = new Uint8Array(components.length + 1);
  // Within `radius` of the edge, not on it: a blurred shadow can fade out over the last pixels.
  for (const c of components) {
    if (Math.min(c.minX, c.minY, width - 1 - c.maxX, height - 1 - c.maxY) <= radius) fromEdge[c.label] = 1;
  }
  for (let i = 0; i < lighter.length; i++) if (!fromEdge[labels[i] ?? 0]) lighter[i] = 0;
  return erodedInk(lighter, ink, width, height, radius);
}

/**
 * Pixels of `mask` whose whole square of `radius` (clipped to the image) is in the mask: erosion
 * by the square, which is a row window in each row of a column window. In each row a pixel is
 * "deep" when its run reaches `radius` past it both ways (or the image's edge); each column's runs
 * of deep pixels then lose `radius` rows at each end that something else bounds.
 */
function erodedInk(mask: Uint8Array, ink: Uint8Array, width: number, height: number, radius: number): { count: number; histogram: Uint32Array } {
  const runStart = new Int32Array(width).fill(-1);
  const deep = new Uint8Array(width);
  const histogram = new Uint32Array(256);
  let count = 0;
  for (let y = 0; y <= height; y++) {
    deep.fill(0);
    if (y < height) {
      const row = y * width;
      let start = 0;
      for (let x = 0; x <= width; x++) {
        if (x < width && mask[row + x]) continue;
        deep.fill(1, start + (start > 0 ? radius : 0), Math.max(start, x - (x < width ? radius : 0)));
        start = x + 1;
      }
    }
    for (let x = 0; x < width; x++) {
      const from = runStart[x] ?? -1;
      if (deep[x]) {
        if (from < 0) runStart[x] = y;
        continue;
      }
      if (from < 0) continue;
      for (let yy = from + (from > 0 ? radius : 0); yy < y - (y < height ? radius : 0); yy++) {
        const v = ink[yy * width + x] ?? 0;
        histogram[v] = (histogram[v] ?? 0) + 1;
        count++;
      }
      runStart[x] = -1;
    }
  }
  return { count, histogram };
}

function quantile(histogram: Uint32Array, count: number, q: number): number {
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += histogram[v] ?? 0;
    if (seen >= q * count && seen > 0) return v;
  }
  return 255;
}
