import { z } from 'zod';
import { ModelComparisonView } from '@inkwell/contracts';
import { confusionMatrix } from './classification';
import { mcnemar } from './mcnemar';

/** The parts of a model's test metrics (a `MetricsReport` fits) that a comparison reports deltas of. */
export interface ComparableMetrics {
  readonly accuracy: number;
  readonly log_loss: number;
  readonly ece: number;
  readonly macro: { readonly precision: number; readonly recall: number; readonly f1: number };
  readonly weighted: { readonly precision: number; readonly recall: number; readonly f1: number };
  readonly per_class: readonly { readonly label: number; readonly f1: number }[];
}

/**
 * Side-by-side comparison of models A and B on the same test images, every delta B − A: the
 * compare route's body (@inkwell/contracts) without which versions and test set it names.
 */
export const ModelComparison = ModelComparisonView.omit({ a: true, b: true, test_set: true });
export type ModelComparison = z.infer<typeof ModelComparison>;

/**
 * Compares two classifiers from their predicted labels on the same test images (`truth`, `predA`,
 * `predB` aligned image by image) and their stored test metrics. The caller must make sure both
 * were scored on the same set in the same order: nothing here can tell.
 */
export function compareClassifiers(
  truth: ArrayLike<number>,
  predA: ArrayLike<number>,
  predB: ArrayLike<number>,
  metricsA: ComparableMetrics,
  metricsB: ComparableMetrics,
): ModelComparison {
  if (predA.length !== truth.length || predB.length !== truth.length) {
    throw new RangeError(`truth, A and B differ in length (${truth.length}, ${predA.length}, ${predB.length})`);
  }
  if (truth.length === 0) throw new RangeError('no images to compare on');
  const K = metricsA.per_class.length;
  if (metricsB.per_class.length !== K) throw new RangeError(`A has ${K} classes but B has ${metricsB.per_class.length}`);
  const a = confusionMatrix(truth, predA, K);
  const b = confusionMatrix(truth, predB, K);
  const onlyA = new Array<number>(K).fill(0);
  const onlyB = new Array<number>(K).fill(0);
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i] as number;
    const aRight = predA[i] === t, bRight = predB[i] === t;
    if (aRight && !bRight) onlyA[t] = (onlyA[t] as number) + 1;
    else if (bRight && !aRight) onlyB[t] = (onlyB[t] as number) + 1;
  }
  const f1Of = (m: ComparableMetrics, label: number): number => m.per_class.find((c) => c.label === label)?.f1 ?? 0;
  const sum = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0);
  return {
    count: truth.length,
    deltas: {
      accuracy: metricsB.accuracy - metricsA.accuracy,
      log_loss: metricsB.log_loss - metricsA.log_loss,
      ece: metricsB.ece - metricsA.ece,
      macro_precision: metricsB.macro.precision - metricsA.macro.precision,
      macro_recall: metricsB.macro.recall - metricsA.macro.recall,
      macro_f1: metricsB.macro.f1 - metricsA.macro.f1,
      weighted_f1: metricsB.weighted.f1 - metricsA.weighted.f1,
      per_class_f1: Array.from({ length: K }, (_, label) => f1Of(metricsB, label) - f1Of(metricsA, label)),
    },
    confusion: { a, b, difference: a.map((row, r) => row.map((v, c) => (b[r]?.[c] ?? 0) - v)) },
    only_a_right: { per_class: onlyA, total: sum(onlyA) },
    only_b_right: { per_class: onlyB, total: sum(onlyB) },
    mcnemar: mcnemar(truth, predA, predB),
  };
}
