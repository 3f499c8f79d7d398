import { z } from 'zod';
import { expectedCalibrationError, ECE_BINS, logLoss } from './calibration';
import { classificationMetrics } from './classification';
import { downsampleCurve, multiclassRoc, type RocCurve } from './roc';

const Ratio = z.number().min(0).max(1);
const Averages = z.object({ precision: Ratio, recall: Ratio, f1: Ratio });
const Curve = z.object({
  auc: Ratio.nullable(),
  fpr: z.array(Ratio),
  tpr: z.array(Ratio),
});

/** Content of a model's `metrics.json`: the schema is the type. Curves carry at most 200 points. */
export const MetricsReport = z.object({
  schema_version: z.literal(1),
  /** Which split these numbers come from. */
  split: z.enum(['validation', 'test']),
  count: z.number().int().positive(),
  n_classes: z.number().int().min(2),
  accuracy: Ratio,
  log_loss: z.number().nonnegative(),
  /** Expected calibration error over `ece_bins` equal-width confidence bins. */
  ece: Ratio,
  ece_bins: z.number().int().positive(),
  /** Temperature already applied to the probabilities these metrics were computed from (1 = none). */
  temperature: z.number().positive(),
  per_class: z.array(
    z.object({ label: z.number().int().nonnegative(), support: z.number().int().nonnegative(), precision: Ratio, recall: Ratio, f1: Ratio, auc: Ratio.nullable() }),
  ),
  macro: Averages,
  weighted: Averages,
  /** confusion[true][predicted]. */
  confusion: z.array(z.array(z.number().int().nonnegative())),
  roc: z.object({ per_class: z.array(Curve.extend({ label: z.number().int().nonnegative() })), micro: Curve, macro: Curve }),
  reliability: z.array(z.object({ lower: Ratio, upper: Ratio, count: z.number().int().nonnegative(), accuracy: Ratio, confidence: Ratio })),
});
export type MetricsReport = z.infer<typeof MetricsReport>;

export interface EvaluateOptions {
  readonly split: 'validation' | 'test';
  readonly temperature?: number;
  /** Points kept per ROC curve (default 200). */
  readonly maxCurvePoints?: number;
}

function curveJson(c: RocCurve, maxPoints: number): z.infer<typeof Curve> {
  const d = downsampleCurve(c, maxPoints);
  return { auc: d.auc, fpr: d.fpr, tpr: d.tpr };
}

/** Every metric of the report from true labels and probabilities [N, K]; validated against the schema. */
export function evaluateClassifier(labels: ArrayLike<number>, probs: ArrayLike<number>, options: EvaluateOptions): MetricsReport {
  const cls = classificationMetrics(labels, probs);
  const roc = multiclassRoc(labels, probs);
  const cal = expectedCalibrationError(labels, probs, ECE_BINS);
  const maxPoints = options.maxCurvePoints ?? 200;
  return MetricsReport.parse({
    schema_version: 1,
    split: options.split,
    count: labels.length,
    n_classes: cls.perClass.length,
    accuracy: cls.accuracy,
    log_loss: logLoss(labels, probs),
    ece: cal.ece,
    ece_bins: ECE_BINS,
    temperature: options.temperature ?? 1,
    per_class: cls.perClass.map((m, c) => ({ ...m, auc: roc.perClass[c]?.auc ?? null })),
    macro: cls.macro,
    weighted: cls.weighted,
    confusion: cls.confusion,
    roc: {
      per_class: roc.perClass.map((c, label) => ({ label, ...curveJson(c, maxPoints) })),
      micro: curveJson(roc.micro, maxPoints),
      macro: curveJson(roc.macro, maxPoints),
    },
    reliability: cal.bins,
  });
}
