import { otsuThreshold } from './otsu-threshold';
import { PIPELINE_PARAMS } from './pipeline-params';

type InkThresholdParams = typeof PIPELINE_PARAMS.inkThreshold;

export interface InkThreshold {
  /** Ink pixels are those above this value (0..255). */
  readonly threshold: number;
  /** Mean ink above the threshold minus the background's median ink. */
  readonly contrast: number;
  /** Pixels above the threshold. */
  readonly inkPixels: number;
}

/**
 * Otsu's threshold on the ink histogram, but never inside the paper's noise. Otsu splits the
 * largest variance; when the digit is a tiny share of a big photo (a 0.1% stroke on paper grain)
 * that is the grain itself. So the threshold is at least the background's median plus
 * `noiseSigmas` robust standard deviations (1.4826 * MAD) and `minThreshold`.
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
  const floor = Math.max(params.minThreshold, Math.ceil(median + params.noiseSigmas * sigma));
  const threshold = Math.min(254, Math.max(otsuThreshold(hist).threshold, floor));

  let inkPixels = 0;
  let inkSum = 0;
  for (let v = threshold + 1; v < 256; v++) {
    inkPixels += hist[v] ?? 0;
    inkSum += v * (hist[v] ?? 0);
  }
  return { threshold, contrast: inkPixels > 0 ? inkSum / inkPixels - median : 0, inkPixels };
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
