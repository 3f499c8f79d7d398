/** Otsu's method on 8-bit values: the threshold that maximises the between-class variance. */

export interface OtsuResult {
  /** Values above the threshold are class "high" (ink, in this pipeline); values at or below are "low". */
  readonly threshold: number;
  readonly lowMean: number;
  readonly highMean: number;
  /** Share of the pixels above the threshold, 0..1. */
  readonly highShare: number;
  /** Between-class variance at the threshold (0 when the histogram has a single value). */
  readonly betweenVariance: number;
}

export function histogram256(data: Uint8Array): Uint32Array {
  const hist = new Uint32Array(256);
  for (let i = 0; i < data.length; i++) {
    const v = data[i] ?? 0;
    hist[v] = (hist[v] ?? 0) + 1;
  }
  return hist;
}

/**
 * When several thresholds tie (e.g. two spikes with empty bins between), the middle of the tied run
 * is taken, so two pure tones are split half-way rather than just above the darker one.
 */
export function otsuThreshold(hist: ArrayLike<number>): OtsuResult {
  let total = 0;
  let sum = 0;
  for (let v = 0; v < 256; v++) {
    const n = hist[v] ?? 0;
    total += n;
    sum += v * n;
  }
  if (total === 0) return { threshold: 0, lowMean: 0, highMean: 0, highShare: 0, betweenVariance: 0 };

  let best = -1;
  let firstBest = 0;
  let lastBest = 0;
  let weightLow = 0;
  let sumLow = 0;
  for (let t = 0; t < 255; t++) {
    const n = hist[t] ?? 0;
    weightLow += n;
    sumLow += t * n;
    const weightHigh = total - weightLow;
    if (weightLow === 0) continue;
    if (weightHigh === 0) break;
    const diff = sumLow / weightLow - (sum - sumLow) / weightHigh;
    const between = (weightLow / total) * (weightHigh / total) * diff * diff;
    // Relative tolerance so float noise does not break a genuine tie.
    if (between > best * (1 + 1e-12) + 1e-12) {
      best = between;
      firstBest = t;
      lastBest = t;
    } else if (Math.abs(between - best) <= best * 1e-12 + 1e-12) {
      lastBest = t;
    }
  }
  if (best < 0) {
    // A single value: nothing to split. Report it as the threshold so every pixel is "low".
    const only = Math.round(sum / total);
    return { threshold: only, lowMean: only, highMean: only, highShare: 0, betweenVariance: 0 };
  }
  const threshold = Math.floor((firstBest + lastBest) / 2);
  return { threshold, ...classStats(hist, threshold, total), betweenVariance: best };
}

function classStats(hist: ArrayLike<number>, threshold: number, total: number): Pick<OtsuResult, 'lowMean' | 'highMean' | 'highShare'> {
  let nLow = 0;
  let sLow = 0;
  let nHigh = 0;
  let sHigh = 0;
  for (let v = 0; v < 256; v++) {
    const n = hist[v] ?? 0;
    if (v <= threshold) {
      nLow += n;
      sLow += v * n;
    } else {
      nHigh += n;
      sHigh += v * n;
    }
  }
  return { lowMean: nLow ? sLow / nLow : 0, highMean: nHigh ? sHigh / nHigh : 0, highShare: nHigh / total };
}
