import { type Labelling, labelComponents } from './connected-components';
import { histogramQuantile } from './histogram-quantile';
import { otsuThreshold } from './otsu-threshold';
import { PIPELINE_PARAMS, type PipelineParams } from './pipeline-params';
import { isEdgeArtefact } from './select-digit';

type ShadowParams = Pick<PipelineParams, 'shadow' | 'components'>;

export interface ShadowSplit {
  /** The raised ink threshold. */
  readonly threshold: number;
  /** The components above it. */
  readonly labelling: Labelling;
}

/** An ink map (0 = paper) and its size. */
interface InkImage {
  readonly ink: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/** Paper is ink <= `paper`, the darker population ink > `high`; "wide" is farther than `radius` from both. */
interface Bands {
  readonly paper: number;
  readonly high: number;
  readonly radius: number;
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
export function splitOffShadow(ink: Uint8Array, histogram: Uint32Array, width: number, height: number, threshold: number, params: ShadowParams = PIPELINE_PARAMS): ShadowSplit | null {
  const p = params.shadow;
  const image: InkImage = { ink, width, height };
  const radius = Math.max(1, Math.round(Math.max(width, height) * p.radiusShare));
  const minSpeck = Math.max(params.components.minSpeckPx, Math.round(width * height * params.components.minSpeckShare));
  // A shadow whose darkness ramps up (a book's gutter) can put its own core in the darker
  // population of the first split, leaving only its flanks lighter: then its core still reaches
  // the image's edge above the new threshold, and the split is tried again above the last, a few
  // times at most. The first split that leaves nothing at the edge is taken (a higher one would
  // take the digit's lighter strokes for the shadow), else the first that found a shadow.
  let found: ShadowSplit | null = null;
  let from = threshold;
  for (let round = 0; round < p.maxRounds; round++) {
    const above = new Uint32Array(256);
    for (let v = from + 1; v < 256; v++) above[v] = histogram[v] ?? 0;
    const split = otsuThreshold(above);
    if (split.highMean - split.lowMean < p.minInkGap) break;
    const bands: Bands = { paper: threshold, high: split.threshold, radius };
    from = bands.high;
    let lighter = 0;
    let darker = 0;
    for (let v = threshold + 1; v < 256; v++) {
      if (v <= bands.high) lighter += histogram[v] ?? 0;
      else darker += histogram[v] ?? 0;
    }
    const needed = Math.max(p.minShadowPx, p.minShadowShare * darker);
    if (lighter < needed || darker < p.minInkPx) break;
    // A region that wide spans more than twice `radius` rows and columns, so every `radius`-th
    // row and column crosses it: a cheap first look rules out the usual image, whose lighter
    // pixels are only stroke rims.
    if (radius * deepAlongSampledRows(image, bands) < needed / 2 || radius * deepAlongSampledColumns(image, bands) < needed / 2) continue;

    const shadow = shadowInterior(image, bands, needed);
    if (shadow.count < needed) continue;
    const level = Math.min(bands.high, histogramQuantile(shadow.histogram, shadow.count, p.shadowQuantile));
    const labelling = labelComponents(ink, width, height, level);
    const solid = labelling.components.filter((c) => c.area >= minSpeck);
    if (solid.some((c) => isEdgeArtefact(c, width, height, params.components))) break;
    if (!solid.some((c) => Math.min(c.minX, c.minY, width - 1 - c.maxX, height - 1 - c.maxY) <= radius)) return { threshold: level, labelling };
    found ??= { threshold: level, labelling };
  }
  return found;
}

const deepAlongSampledRows = (image: InkImage, bands: Bands): number => deepAlongSampledLines(image.ink, bands, { length: image.width, lines: image.height, along: 1, across: image.width });
const deepAlongSampledColumns = (image: InkImage, bands: Bands): number => deepAlongSampledLines(image.ink, bands, { length: image.height, lines: image.width, along: image.width, across: 1 });

/**
 * In every `radius`-th line, the pixels farther than `radius` along it from paper and ink. A line
 * is `length` pixels `along` apart in the ink array, and line k starts at k * `across`.
 */
function deepAlongSampledLines(ink: Uint8Array, { paper, high, radius }: Bands, line: { length: number; lines: number; along: number; across: number }): number {
  let count = 0;
  for (let k = radius >> 1; k < line.lines; k += radius) {
    const first = k * line.across;
    let start = 0;
    for (let i = 0; i <= line.length; i++) {
      const v = i < line.length ? (ink[first + i * line.along] ?? 0) : 0;
      if (i < line.length && v > paper && v <= high) continue;
      count += Math.max(0, i - start - (start > 0 ? radius : 0) - (i < line.length ? radius : 0));
      start = i + 1;
    }
  }
  return count;
}

/**
 * The interior of the lighter regions that reach the image's edge: their pixels whose square of
 * `radius` holds neither paper nor ink, counted with a histogram of their ink. Labelling the
 * regions costs more than eroding them, so it waits until the whole lighter population's interior
 * is big enough.
 */
function shadowInterior({ ink, width, height }: InkImage, { paper, high, radius }: Bands, needed: number): ErodedInk {
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

export interface ErodedInk {
  /** Pixels left after the erosion. */
  readonly count: number;
  /** Their ink values. */
  readonly histogram: Uint32Array;
}

/**
 * Pixels of `mask` whose whole square of `radius` (clipped to the image) is in the mask: erosion
 * by the square, which is a row window in each row of a column window. In each row a pixel is
 * "deep" when its run reaches `radius` past it both ways (or the image's edge); each column's runs
 * of deep pixels then lose `radius` rows at each end that something else bounds. One pass, no
 * second image.
 */
export function erodedInk(mask: Uint8Array, ink: Uint8Array, width: number, height: number, radius: number): ErodedInk {
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
