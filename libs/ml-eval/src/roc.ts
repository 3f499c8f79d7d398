import { classCount, type Matrix } from './input';

export interface RocCurve {
  /** False-positive rates, non-decreasing from 0 to 1. */
  readonly fpr: number[];
  readonly tpr: number[];
  /** Score threshold of each point (predict positive when score >= threshold); the first is +Infinity. */
  readonly thresholds: number[];
  /** Area under the full curve (trapezoids), before any downsampling; null when a class has no positives or no negatives. */
  readonly auc: number | null;
}

/**
 * ROC curve of scores against binary truth: one point per distinct score (ties move together,
 * so a tie between a positive and a negative counts half, as AUC's probabilistic reading wants).
 */
export function rocCurve(scores: ArrayLike<number>, positive: ArrayLike<boolean>): RocCurve {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number));
  let P = 0;
  for (let i = 0; i < n; i++) if (positive[i]) P++;
  const Nn = n - P;
  const fpr = [0], tpr = [0], thresholds = [Number.POSITIVE_INFINITY];
  let tp = 0, fp = 0;
  for (let k = 0; k < n; ) {
    const s = scores[order[k] as number] as number;
    while (k < n && scores[order[k] as number] === s) {
      if (positive[order[k] as number]) tp++; else fp++;
      k++;
    }
    fpr.push(Nn > 0 ? fp / Nn : 0);
    tpr.push(P > 0 ? tp / P : 0);
    thresholds.push(s);
  }
  return { fpr, tpr, thresholds, auc: P > 0 && Nn > 0 ? trapezoid(fpr, tpr) : null };
}

export function trapezoid(x: readonly number[], y: readonly number[]): number {
  let area = 0;
  for (let i = 1; i < x.length; i++) area += ((x[i] as number) - (x[i - 1] as number)) * ((y[i] as number) + (y[i - 1] as number)) / 2;
  return area;
}

/** At most `maxPoints` points of a curve, evenly spaced by index, always keeping both ends (for transport and plots). */
export function downsampleCurve(curve: RocCurve, maxPoints = 200): RocCurve {
  const n = curve.fpr.length;
  if (n <= maxPoints) return curve;
  const keep: number[] = [];
  for (let k = 0; k < maxPoints; k++) keep.push(Math.round((k * (n - 1)) / (maxPoints - 1)));
  const pick = (xs: readonly number[]): number[] => keep.map((i) => xs[i] as number);
  return { fpr: pick(curve.fpr), tpr: pick(curve.tpr), thresholds: pick(curve.thresholds), auc: curve.auc };
}

/** tpr at false-positive rate x, interpolating linearly between the curve's points (the highest tpr at a repeated fpr). */
function tprAt(curve: RocCurve, x: number): number {
  const { fpr, tpr } = curve;
  let lo = 0, hi = fpr.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((fpr[mid] as number) <= x) lo = mid; else hi = mid - 1;
  }
  const x0 = fpr[lo] as number, y0 = tpr[lo] as number;
  if (lo + 1 >= fpr.length) return y0;
  const x1 = fpr[lo + 1] as number, y1 = tpr[lo + 1] as number;
  return x1 > x0 ? y0 + ((y1 - y0) * (x - x0)) / (x1 - x0) : y0;
}

export interface MulticlassRoc {
  readonly perClass: RocCurve[];
  /** Pool every (sample, class) pair into one binary problem. */
  readonly micro: RocCurve;
  /** Mean of the class curves' tpr over the union of their fpr values; auc = mean of the class AUCs. */
  readonly macro: RocCurve;
}

/** One-vs-rest ROC per class plus micro and macro averages, from probs [N, K]. */
export function multiclassRoc(labels: ArrayLike<number>, probs: Matrix): MulticlassRoc {
  const K = classCount(labels, probs);
  const n = labels.length;
  const perClass: RocCurve[] = [];
  const column = new Float64Array(n);
  const isClass = new Array<boolean>(n);
  for (let c = 0; c < K; c++) {
    for (let i = 0; i < n; i++) {
      column[i] = probs[i * K + c] as number;
      isClass[i] = labels[i] === c;
    }
    perClass.push(rocCurve(column, isClass));
  }
  const pooledPositive = Array.from({ length: n * K }, (_, j) => labels[Math.floor(j / K)] === j % K);
  const micro = rocCurve(probs, pooledPositive);

  const grid = [...new Set(perClass.flatMap((c) => c.fpr))].sort((a, b) => a - b);
  const meanTpr = grid.map((x) => perClass.reduce((s, c) => s + tprAt(c, x), 0) / K);
  const aucs = perClass.map((c) => c.auc).filter((a): a is number => a !== null);
  const macro: RocCurve = {
    fpr: grid,
    tpr: meanTpr,
    thresholds: grid.map(() => Number.NaN),
    auc: aucs.length > 0 ? aucs.reduce((a, b) => a + b, 0) / aucs.length : null,
  };
  return { perClass, micro, macro };
}
