import { argmaxRows, classCount, type Matrix } from './input';

export interface ClassScores {
  readonly label: number;
  /** Number of samples whose true label is this class. */
  readonly support: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

export interface Averages {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

export interface ClassificationMetrics {
  readonly accuracy: number;
  /** confusion[true][predicted]. */
  readonly confusion: number[][];
  readonly perClass: ClassScores[];
  /** Unweighted mean over classes. */
  readonly macro: Averages;
  /** Mean over classes weighted by support. */
  readonly weighted: Averages;
}

/** K x K counts: rows are true labels, columns predictions. */
export function confusionMatrix(labels: ArrayLike<number>, predicted: ArrayLike<number>, numClasses: number): number[][] {
  if (labels.length !== predicted.length) throw new RangeError(`${labels.length} labels but ${predicted.length} predictions`);
  const m = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < labels.length; i++) {
    const row = m[labels[i] as number];
    const p = predicted[i] as number;
    if (!row || p < 0 || p >= numClasses) throw new RangeError(`label ${labels[i]} or prediction ${p} outside 0..${numClasses - 1}`);
    row[p] = (row[p] as number) + 1;
  }
  return m;
}

/**
 * Precision, recall and F1 per class from a confusion matrix. A ratio with a zero denominator
 * (a class never predicted, or absent) is 0, as scikit-learn reports it with zero_division=0.
 */
export function metricsFromConfusion(confusion: number[][]): ClassificationMetrics {
  const K = confusion.length;
  let total = 0, correct = 0;
  const perClass: ClassScores[] = [];
  for (let c = 0; c < K; c++) {
    const row = confusion[c] ?? [];
    const support = row.reduce((a, b) => a + b, 0);
    let predictedAs = 0;
    for (let r = 0; r < K; r++) predictedAs += confusion[r]?.[c] ?? 0;
    const tp = row[c] ?? 0;
    total += support;
    correct += tp;
    const precision = predictedAs > 0 ? tp / predictedAs : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    perClass.push({ label: c, support, precision, recall, f1 });
  }
  const mean = (key: keyof Averages, weighted: boolean): number =>
    perClass.reduce((s, m) => s + m[key] * (weighted ? m.support / total : 1 / K), 0);
  return {
    accuracy: total > 0 ? correct / total : 0,
    confusion,
    perClass,
    macro: { precision: mean('precision', false), recall: mean('recall', false), f1: mean('f1', false) },
    weighted: { precision: mean('precision', true), recall: mean('recall', true), f1: mean('f1', true) },
  };
}

/** Accuracy, confusion and per-class scores of the argmax prediction of `probs` [N, K]. */
export function classificationMetrics(labels: ArrayLike<number>, probs: Matrix): ClassificationMetrics {
  const K = classCount(labels, probs);
  return metricsFromConfusion(confusionMatrix(labels, argmaxRows(probs, labels.length, K), K));
}
