import { otsuThreshold } from './otsu-threshold';
import { PIPELINE_PARAMS } from './pipeline-params';

type InkThresholdParams = typeof PIPELINE_PARAMS.inkThreshold;

export interface InkThreshold {
  /** Ink pixels are those above this value (0..255). */
  readonly threshold: number;
  /** Mean ink above the threshold minus the paper's: the median ink, or Otsu's lower class's mean when its split is decisive and that is lower. */
  readonly contrast: number;
  /** Pixels above the threshold. */
  readonly inkPixels: number;
}

/**
 * Otsu's threshold on the ink histogram, but never inside the paper's noise. Otsu splits the
 * largest variance; when the digit is a tiny share of a big photo (a 0.1% stroke on paper grain)
 * that is the grain itself. So the threshold is at least the background's median plus
 * `noiseSigmas` robust standard deviations (1.4826 * MAD) and `minThreshold`.
 *
 * That floor takes the median for the paper, which holds only while paper is most of the image.
 * In a tight crop of a thick or blurred digit, ink and its soft edges are most of it: the median
 * and the spread come from the ink, and the floor rose above all of it ("no ink" on a plain 0).
 * When Otsu's split explains at least `decisiveSplit` of the variance, the histogram is two
 * populations rather than grain (Otsu's split of one bell-shaped population explains ~0.64; a
 * blank page's grain 0.69, photos of digits 0.83-0.94), and the split stands without the floor.
 */
export function chooseInkThreshold(hist: Uint32Array, params: InkThresholdParams = PIPELINE_PARAMS.inkThreshold): InkThreshold {
  let total = 0;
  for (let v = 0; v < 256; v++) total += hist[v] ?? 0;
  const median = quantile(hist, total, 0.5);
  const deviations = new Uint32Array(256);
  for (let v = 0; v < 256; v++) {
    const d = Math.abs(v - median);
    deviations[d] = (deviations[d] ?? 0) + (hist[v] ?? 0);
  }
  const sigma = 1.4826 * quantile(deviations, total, 0.5);
  const otsu = otsuThreshold(hist);
  const decisive = otsu.betweenVariance >= params.decisiveSplit * variance(hist, total);
  const floor = Math.max(params.minThreshold, decisive ? 0 : Math.ceil(median + params.noiseSigmas * sigma));
  const threshold = Math.min(254, Math.max(otsu.threshold, floor));

  let inkPixels = 0;
  let inkSum = 0;
  for (let v = threshold + 1; v < 256; v++) {
    inkPixels += hist[v] ?? 0;
    inkSum += v * (hist[v] ?? 0);
  }
  // The paper's level, like the floor, is the median only while paper is most of the image.
  const paper = decisive ? Math.min(median, otsu.lowMean) : median;
  return { threshold, contrast: inkPixels > 0 ? inkSum / inkPixels - paper : 0, inkPixels };
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

function quantile(hist: Uint32Array, total: number, q: number): number {
  const target = q * total;
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += hist[v] ?? 0;
    if (seen >= target && seen > 0) return v;
  }
  return 255;
}
