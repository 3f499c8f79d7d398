import type { FloatImage, GrayImage } from './gray-image';
import { resize } from './resample';
import { histogramQuantile } from './histogram-quantile';
import { histogram256, otsuThreshold } from './otsu-threshold';
import { PIPELINE_PARAMS } from './pipeline-params';

type LowResolutionParams = typeof PIPELINE_PARAMS.lowResolution;

/** A low-resolution digit cropped to its ink, as 0..1 intensities, with what the signals need. */
export interface LowResolutionDigit {
  readonly digit: FloatImage;
  /** Light ink on dark: given, or read from the frame's edges. */
  readonly inverted: boolean;
  /** Otsu's split of the ink values (0..255). */
  readonly threshold: number;
  /** Pixels above the split, and the box they span (for the digit-like check). */
  readonly inkPixels: number;
  readonly boxWidth: number;
  readonly boxHeight: number;
}

/**
 * Polarity for a frame cropped to its ink, where the polarity vote (ink is the minority of every
 * neighbourhood) no longer holds. Strokes touch the edges, and a thick low-resolution stroke can
 * run along much of one (a 5's bar and back, a narrow 0's sides), so dark ink on light paper, the
 * common case, stands unless `darkEdgeShare` of the edge pixels are darker than Otsu's split.
 */
export function edgesAreDark(gray: GrayImage, split = otsuThreshold(histogram256(gray.data)).threshold): boolean {
  const { data, width, height } = gray;
  let dark = 0;
  let all = 0;
  // The top and bottom rows, then the left and right columns between them (a 1-pixel side once).
  const bottom = (height - 1) * width;
  for (let x = 0; x < width; x++) {
    dark += (data[x] ?? 0) <= split ? 1 : 0;
    all++;
    if (height > 1) {
      dark += (data[bottom + x] ?? 0) <= split ? 1 : 0;
      all++;
    }
  }
  for (let y = 1; y < height - 1; y++) {
    dark += (data[y * width] ?? 0) <= split ? 1 : 0;
    all++;
    if (width > 1) {
      dark += (data[y * width + width - 1] ?? 0) <= split ? 1 : 0;
      all++;
    }
  }
  return dark > PIPELINE_PARAMS.lowResolution.darkEdgeShare * all;
}

/**
 * A digit scanned at a few pixels and enlarged (blocky, blurred, few grey levels), cropped so
 * tight that its strokes touch the frame. The general path reads its frame as paper: the local
 * paper estimate rises into the strokes, and the threshold leaves a solid block or broken strokes,
 * or nothing. Such an image is recognised by its own make-up: a small frame, a few dozen grey
 * levels or no more detail than `detailRows` rows hold; two populations (ink and paper, Otsu's
 * split explaining `minSplit` of the variance); ink over `minInkShare`..`maxInkShare` of the frame
 * (strokes, not a margin of paper around a small mark), reaching at least `minEdges` of the four
 * edges, and no band along one. Null for any other image.
 */
export function lowResolutionDigit(gray: GrayImage, invert: boolean | undefined, params: LowResolutionParams = PIPELINE_PARAMS.lowResolution): LowResolutionDigit | null {
  const { width, height } = gray;
  const grayHist = histogram256(gray.data);
  let levels = 0;
  for (let v = 0; v < 256; v++) levels += (grayHist[v] ?? 0) > 0 ? 1 : 0;
  // Larger frames qualify by their grey levels (an enlarged scan's edges are graded, so a handful
  // of levels, a drawing or a hard-edged shadow, is not one; a photo has nearly all 256) or, when
  // enlarging made new levels, by their lack of detail (below).
  const fewLevels = levels >= params.minLevels && levels <= params.maxLevels;
  const mustBeSmooth = Math.max(width, height) > params.maxSide && !fewLevels;
  const inverted = invert ?? edgesAreDark(gray, otsuThreshold(grayHist).threshold);
  const hist = inverted ? grayHist : grayHist.slice().reverse();

  const total = width * height;
  const otsu = otsuThreshold(hist);
  let sum = 0;
  let squares = 0;
  for (let v = 0; v < 256; v++) {
    sum += v * (hist[v] ?? 0);
    squares += v * v * (hist[v] ?? 0);
  }
  const spread = squares / total - (sum / total) ** 2;
  if (spread <= 0 || otsu.betweenVariance < params.minSplit * spread) return null;
  if (otsu.highShare < params.minInkShare || otsu.highShare > params.maxInkShare) return null;
  if (otsu.highMean - otsu.lowMean < PIPELINE_PARAMS.minInkContrast) return null;

  const ink = inverted ? gray.data : negative(gray.data);
  // The paper is the lower class's median: in a tight crop it is most of that class, and the
  // blur's grey is the rest. Stroke cores (the upper class's median and above) saturate to 1, as
  // the general path's crop does and MNIST's strokes are.
  let lowCount = 0;
  const lowHist = new Uint32Array(256);
  const highHist = new Uint32Array(256);
  for (let v = 0; v < 256; v++) {
    if (v <= otsu.threshold) {
      lowHist[v] = hist[v] ?? 0;
      lowCount += hist[v] ?? 0;
    } else highHist[v] = hist[v] ?? 0;
  }
  const paper = histogramQuantile(lowHist, lowCount, 0.5);
  const low = paper + params.lowShareOfSplit * (otsu.threshold - paper);
  const high = Math.max(low + 1, histogramQuantile(highHist, total - lowCount, params.highQuantile));
  const edgeLevel = (low + otsu.threshold) / 2;

  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if ((ink[row + x] ?? 0) <= edgeLevel) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      y1 = y;
    }
  }
  const edges = (x0 === 0 ? 1 : 0) + (y0 === 0 ? 1 : 0) + (x1 === width - 1 ? 1 : 0) + (y1 === height - 1 ? 1 : 0);
  if (edges < params.minEdges || bandAlongEdge(ink, width, height, otsu.threshold, params)) return null;
  if (mustBeSmooth && detailLost(gray, params) > params.maxDetail) return null;

  const data = new Float32Array(total);
  const scale = 1 / (high - low);
  for (let i = 0; i < total; i++) {
    const v = ((ink[i] ?? 0) - low) * scale;
    data[i] = v <= 0 ? 0 : v >= 1 ? 1 : v;
  }
  return { digit: { data, width, height }, inverted, threshold: otsu.threshold, inkPixels: Math.round(otsu.highShare * total), boxWidth: x1 - x0 + 1, boxHeight: y1 - y0 + 1 };
}

/** 255 - v for every value (a loop: Uint8Array.from with a callback costs a call per pixel). */
function negative(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = 255 - (data[i] ?? 0);
  return out;
}

/**
 * True when ink fills `bandFill` of every line from one edge to `bandDepthShare` of the way across:
 * a shadow or the dark half of a gradient, which the general path refuses, not strokes (a 7's bar
 * along the top edge is far shallower). The long sides of a narrow frame (a 1 cropped to its ink)
 * are its stroke and are not asked.
 */
function bandAlongEdge(ink: Uint8Array, width: number, height: number, threshold: number, params: LowResolutionParams): boolean {
  const rowFull = (y: number): boolean => {
    let n = 0;
    for (let x = 0; x < width; x++) n += (ink[y * width + x] ?? 0) > threshold ? 1 : 0;
    return n >= params.bandFill * width;
  };
  const columnFull = (x: number): boolean => {
    let n = 0;
    for (let y = 0; y < height; y++) n += (ink[y * width + x] ?? 0) > threshold ? 1 : 0;
    return n >= params.bandFill * height;
  };
  const band = (lines: number, full: (i: number) => boolean, fromEnd: boolean): boolean => {
    const depth = Math.max(1, Math.ceil(params.bandDepthShare * lines));
    for (let i = 0; i < depth; i++) if (!full(fromEnd ? lines - 1 - i : i)) return false;
    return true;
  };
  const rowsAsked = 3 * height >= width;
  const columnsAsked = 3 * width >= height;
  return (rowsAsked && (band(height, rowFull, false) || band(height, rowFull, true))) || (columnsAsked && (band(width, columnFull, false) || band(width, columnFull, true)));
}

/**
 * The share of the frame's variance lost by shrinking it to `detailRows` rows and enlarging it
 * back: about 0.01 (at most 0.04) for a digit scanned at 8-16 px and enlarged to any size, 0.03-0.5
 * for photos, shadows and pens (their strokes' edges are sharp at the frame's own scale).
 */
export function detailLost(gray: GrayImage, params: LowResolutionParams = PIPELINE_PARAMS.lowResolution): number {
  const img = { data: Float32Array.from(gray.data, (v) => v / 255), width: gray.width, height: gray.height };
  const rows = Math.min(gray.height, params.detailRows);
  const back = resize(resize(img, Math.max(2, Math.round((gray.width * rows) / gray.height)), rows), gray.width, gray.height);
  let mean = 0;
  for (const v of img.data) mean += v;
  mean /= img.data.length;
  let lost = 0;
  let spread = 0;
  for (let i = 0; i < img.data.length; i++) {
    const v = img.data[i] ?? 0;
    lost += (v - (back.data[i] ?? 0)) ** 2;
    spread += (v - mean) ** 2;
  }
  return spread > 0 ? lost / spread : 1;
}
