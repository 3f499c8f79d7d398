import { argmaxRows, classCount, type Matrix } from './input';

/** Mean negative log-likelihood of the true class; probabilities are clipped to [1e-15, 1] so one confident miss stays finite. */
export function logLoss(labels: ArrayLike<number>, probs: Matrix): number {
  const K = classCount(labels, probs);
  let s = 0;
  for (let i = 0; i < labels.length; i++) s -= Math.log(Math.min(1, Math.max(1e-15, probs[i * K + (labels[i] as number)] as number)));
  return s / labels.length;
}

export interface CalibrationBin {
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  /** Fraction of the bin's samples whose prediction is right (0 when empty). */
  readonly accuracy: number;
  /** Mean top-class probability in the bin (0 when empty). */
  readonly confidence: number;
}

export interface Calibration {
  readonly ece: number;
  readonly bins: CalibrationBin[];
}

export const ECE_BINS = 15;

/**
 * Expected calibration error (Guo et al. 2017): the top-class confidence of each sample falls in
 * one of `bins` equal-width bins (b/B, (b+1)/B] (confidence 0 joins the first); ECE is the
 * sample-weighted mean of |accuracy - mean confidence| over the bins. 0 = perfectly calibrated.
 */
export function expectedCalibrationError(labels: ArrayLike<number>, probs: Matrix, bins = ECE_BINS): Calibration {
  const K = classCount(labels, probs);
  const n = labels.length;
  const pred = argmaxRows(probs, n, K);
  const count = new Float64Array(bins), correct = new Float64Array(bins), confSum = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const conf = Math.min(1, Math.max(0, probs[i * K + (pred[i] as number)] as number));
    const b = Math.min(bins - 1, Math.max(0, Math.ceil(conf * bins) - 1));
    count[b]! += 1;
    confSum[b]! += conf;
    if (pred[i] === labels[i]) correct[b]! += 1;
  }
  let ece = 0;
  const out: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) {
    const c = count[b] as number;
    const accuracy = c > 0 ? (correct[b] as number) / c : 0;
    const confidence = c > 0 ? (confSum[b] as number) / c : 0;
    ece += (c / n) * Math.abs(accuracy - confidence);
    out.push({ lower: b / bins, upper: (b + 1) / bins, count: c, accuracy, confidence });
  }
  return { ece, bins: out };
}
