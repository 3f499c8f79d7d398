import { histogramQuantile } from './histogram-quantile';
import { otsuThreshold } from './otsu-threshold';
import { PIPELINE_PARAMS } from './pipeline-params';

type InkThresholdParams = typeof PIPELINE_PARAMS.inkThreshold;

export interface InkThreshold {
  /** Ink pixels are those above this value (0..255). */
  readonly threshold: number;
  /** Mean ink above the threshold minus the paper's level. */
  readonly contrast: number;
  /** Pixels above the threshold. */
  readonly inkPixels: number;
}

/**
 * Otsu's threshold on the ink histogram, but never inside the paper's noise. Otsu splits the
 * largest variance; when the digit is a tiny share of a big photo (a 0.1% stroke on paper grain)
 * that is the grain itself. So the threshold is at least the background's median plus
 * `noiseSigmas` robust standard deviations (1.4826 * MAD) and `minThreshold`, and the contrast is
 * measured from that median.
 */
export function chooseInkThreshold(hist: Uint32Array, params: InkThresholdParams = PIPELINE_PARAMS.inkThreshold): InkThreshold {
  const total = countOf(hist);
  const median = histogramQuantile(hist, total, 0.5);
  const deviations = new Uint32Array(256);
  for (let v = 0; v < 256; v++) {
    const d = Math.abs(v - median);
    deviations[d] = (deviations[d] ?? 0) + (hist[v] ?? 0);
  }
  const sigma = 1.4826 * histogramQuantile(deviations, total, 0.5);
  const floor = Math.max(params.minThreshold, Math.ceil(median + params.noiseSigmas * sigma));
  return above(hist, Math.min(254, Math.max(otsuThreshold(hist).threshold, floor)), median);
}

/**
 * The threshold for when `chooseInkThreshold` found no ink because paper is not most of the
 * image: in a tight crop of a thick or blurred digit, ink and its soft edges are, so the median
 * and its spread come from the ink, and the floor rises above all of it (1.1.0 refused such a
 * plain 0 as "no ink"). Otsu's own split stands (above `minThreshold`), and the paper's level is
 * its lower class's mean when that is below the median, but only when the split explains at least
 * `decisiveSplit` of the variance: two populations, not grain (Otsu's split of one bell-shaped
 * population explains ~0.64, a tight crop's 0.85-0.93). Null when it does not.
 */
export function decisiveInkThreshold(hist: Uint32Array, params: InkThresholdParams = PIPELINE_PARAMS.inkThreshold): InkThreshold | null {
  const total = countOf(hist);
  const otsu = otsuThreshold(hist);
  const spread = variance(hist, total);
  if (spread <= 0 || otsu.betweenVariance < params.decisiveSplit * spread) return null;
  return above(hist, Math.min(254, Math.max(otsu.threshold, params.minThreshold)), Math.min(histogramQuantile(hist, total, 0.5), otsu.lowMean));
}

function above(hist: Uint32Array, threshold: number, paper: number): InkThreshold {
  let inkPixels = 0;
  let inkSum = 0;
  for (let v = threshold + 1; v < 256; v++) {
    inkPixels += hist[v] ?? 0;
    inkSum += v * (hist[v] ?? 0);
  }
  return { threshold, contrast: inkPixels > 0 ? inkSum / inkPixels - paper : 0, inkPixels };
}

function countOf(hist: Uint32Array): number {
  let total = 0;
  for (let v = 0; v < 256; v++) total += hist[v] ?? 0;
  return total;
}

function variance(hist: Uint32Array, total: number): number {
  let sum = 0;
  let squares = 0;
  for (let v = 0; v < 256; v++) {
    sum += v * (hist[v] ?? 0);
    squares += v * v * (hist[v] ?? 0);
  }
  return total > 0 ? squares / total - (sum / total) ** 2 : 0;
}
