import { z } from 'zod';
import { ModelVersion } from './model-registry';

/* Comparing two registered versions, exporting one as a ZIP, importing an ONNX model. */

export const ModelCompareQuery = z.object({ a: z.uuid(), b: z.uuid() });
export type ModelCompareQuery = z.infer<typeof ModelCompareQuery>;

const Count = z.int().nonnegative();
const Matrix = z.array(z.array(z.int()));
const PerDigit = z.object({
  /** Indexed by true digit. */
  per_class: z.array(Count),
  total: Count,
});
const VersionRef = z.object({ id: z.uuid(), name: z.string(), accuracy: z.number().min(0).max(1) });

/**
 * `GET /api/models/compare?a=&b=`: both versions scored on the same test images. Every delta is
 * B − A (positive accuracy delta: B is better). @inkwell/ml-eval's compareClassifiers computes
 * all of it but which versions and test set.
 */
export const ModelComparisonView = z.object({
  a: VersionRef,
  b: VersionRef,
  test_set: z.string(),
  count: z.int().positive(),
  deltas: z.object({
    accuracy: z.number(),
    log_loss: z.number(),
    ece: z.number(),
    macro_precision: z.number(),
    macro_recall: z.number(),
    macro_f1: z.number(),
    weighted_f1: z.number(),
    per_class_f1: z.array(z.number()),
  }),
  /** confusion[true][predicted] of each, and B − A cell by cell. */
  confusion: z.object({ a: Matrix, b: Matrix, difference: Matrix }),
  /** Test images A classifies correctly and B does not, per true digit. */
  only_a_right: PerDigit,
  /** Test images B classifies correctly and A does not, per true digit. */
  only_b_right: PerDigit,
  /**
   * McNemar's test on those discordant images: is the accuracy difference more than chance?
   * `exact_binomial` below 25 discordant images, else `chi_square_corrected` (continuity-corrected, 1 df).
   */
  mcnemar: z.object({
    b: Count,
    c: Count,
    statistic: z.number().nonnegative(),
    p_value: z.number().min(0).max(1),
    method: z.enum(['exact_binomial', 'chi_square_corrected']),
  }),
});
export type ModelComparisonView = z.infer<typeof ModelComparisonView>;

/** The file field of `POST /api/models/import`: one .onnx file. */
export const MODEL_IMPORT_FILE_FIELD = 'model';

/**
 * The text fields of an import. `pixels`: how the model expects pixel values, from 0..1 ink:
 * `mnist` ((x − 0.1307) / 0.3081, what the platform's own models use) or `unit` (x itself, e.g. a
 * scikit-learn model trained on pixels / 255).
 */
export const ModelImportFields = z.object({
  name: z.string().trim().min(1).max(128).optional(),
  pixels: z.enum(['mnist', 'unit']).default('mnist'),
});
export type ModelImportFields = z.infer<typeof ModelImportFields>;

/** `POST /api/models/import` 202: the registered version (`evaluating`) and what the checks found. */
export const ModelImportResult = z.object({
  version: ModelVersion,
  checks: z.object({
    opset: z.int(),
    input: z.object({ name: z.string(), shape: z.enum(['[N,1,28,28]', '[N,784]']) }),
    output: z.object({ name: z.string(), kind: z.enum(['probs', 'logits']) }),
    /** True when a Reshape (flat input) or Softmax (logits) was added so the stored model takes [N,1,28,28] and gives probabilities. */
    rewritten: z.boolean(),
    /** Accuracy on the first 100 MNIST test digits (the smoke run); informative only. */
    smoke_accuracy: z.number().min(0).max(1),
  }),
});
export type ModelImportResult = z.infer<typeof ModelImportResult>;
