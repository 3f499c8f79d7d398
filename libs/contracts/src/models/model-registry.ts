import { z } from 'zod';

/* The model registry's shapes: `GET /api/models[/{id}[/metrics|/confusion-matrix|/roc-curve]]`. */

/**
 * Where a version came from: a training job, a folder shipped in `models/` (registered at start), an
 * upload, or a preset architecture with seeded, untrained weights (registered at start; it can be
 * benchmarked and trained from, never promoted: see `GET /api/models/presets`).
 */
export const MODEL_SOURCES = ['trained', 'builtin', 'imported', 'preset'] as const;
export const ModelSource = z.enum(MODEL_SOURCES);
export type ModelSource = z.infer<typeof ModelSource>;

/**
 * `evaluating`: registered, its test-split numbers are still being computed from the ONNX file
 * (the metrics routes answer 409 until then); `ready`; `failed`: the file could not be scored;
 * `deleted`: kept for history, hidden from the default listing.
 */
export const MODEL_STATUSES = ['evaluating', 'ready', 'failed', 'deleted'] as const;
export const ModelStatus = z.enum(MODEL_STATUSES);
export type ModelStatus = z.infer<typeof ModelStatus>;

const Ratio = z.number().min(0).max(1);
const Averages = z.object({ precision: Ratio, recall: Ratio, f1: Ratio });
const Curve = z.object({ auc: Ratio.nullable(), fpr: z.array(Ratio), tpr: z.array(Ratio) });

/**
 * Everything the registry knows about a version's behaviour on its test split, computed once from
 * its ONNX file when it is registered (trained models: at training time). Stored as is; the routes
 * serve views of it. The shape of @inkwell/ml-eval's MetricsReport, less what the routes never show.
 */
export const ModelEvaluation = z.object({
  split: z.literal('test'),
  count: z.int().positive(),
  accuracy: Ratio,
  log_loss: z.number().nonnegative(),
  ece: Ratio,
  ece_bins: z.int().positive(),
  per_class: z.array(z.object({ label: z.int().nonnegative(), support: z.int().nonnegative(), precision: Ratio, recall: Ratio, f1: Ratio, auc: Ratio.nullable() })),
  macro: Averages,
  weighted: Averages,
  /** confusion[true][predicted]. */
  confusion: z.array(z.array(z.int().nonnegative())),
  roc: z.object({ per_class: z.array(Curve.extend({ label: z.int().nonnegative() })), micro: Curve, macro: Curve }),
  reliability: z.array(z.object({ lower: Ratio, upper: Ratio, count: z.int().nonnegative(), accuracy: Ratio, confidence: Ratio })),
});
export type ModelEvaluation = z.infer<typeof ModelEvaluation>;

/** `GET /api/models/{id}/metrics`, and `metrics` of a listed version. */
export const ModelMetrics = z.object({
  /** Which split the numbers come from (always the test split, which the model never trained on). */
  split: z.literal('test'),
  /** The exact test set, e.g. `mnist:test`: two versions' numbers compare only on the same one. */
  test_set: z.string(),
  count: z.int().positive(),
  accuracy: Ratio,
  log_loss: z.number().nonnegative(),
  ece: Ratio,
  reliability: ModelEvaluation.shape.reliability,
  per_class: z.array(z.object({ label: z.int().nonnegative(), support: z.int().nonnegative(), precision: Ratio, recall: Ratio, f1: Ratio })),
  macro: Averages,
  weighted: Averages,
});
export type ModelMetrics = z.infer<typeof ModelMetrics>;

/** `GET /api/models/{id}/confusion-matrix`: rows are true digits, columns predictions. */
export const ConfusionMatrixView = z.object({
  test_set: z.string(),
  labels: z.array(z.int().nonnegative()),
  counts: z.array(z.array(z.int().nonnegative())),
  /** Each row divided by its total (the class's recall on the diagonal); a row without samples is all 0. */
  normalized: z.array(z.array(Ratio)),
});
export type ConfusionMatrixView = z.infer<typeof ConfusionMatrixView>;

/** `GET /api/models/{id}/roc-curve`: one-vs-rest curves (at most ~200 points each); AUCs are exact, from every threshold. */
export const RocCurveView = z.object({
  test_set: z.string(),
  per_class: ModelEvaluation.shape.roc.shape.per_class,
  /** Every (digit, class) pair pooled into one binary problem. */
  micro: Curve,
  /** Mean of the class curves' TPR on the union of their FPRs; its AUC is the mean of the class AUCs. */
  macro: Curve,
});
export type RocCurveView = z.infer<typeof RocCurveView>;

export const ModelVersion = z.object({
  id: z.uuid(),
  /** The manifest's model_id (builtins: the folder, e.g. `cnn-f-v1`); trained versions: their id. */
  name: z.string(),
  source: ModelSource,
  /** mlp, cnn, resnet, svm, random_forest (the manifest's `arch` for builtins). */
  family: z.string(),
  hyperparameters: z.record(z.string(), z.json()),
  seed: z.int().nullable(),
  dataset_id: z.string(),
  split: z.record(z.string(), z.json()),
  test_set: z.string(),
  /** The training job; null for builtin and imported versions. */
  job_id: z.uuid().nullable(),
  /** The folder (model.onnx, manifest.json, metrics.json), relative to the trainer's data directory. */
  artifact_path: z.string(),
  size_bytes: z.int().nonnegative().nullable(),
  /** sha256 of model.onnx, hex. */
  sha256: z.string().nullable(),
  /** Null: created by the system (builtins). */
  created_by: z.string().nullable(),
  created_at: z.iso.datetime({ offset: true }),
  status: ModelStatus,
  /** Why the evaluation failed, when `status` is `failed`. */
  status_reason: z.string().nullable(),
  /** Whether inference serves it (set by promotion; false until then). */
  active: z.boolean(),
  /** Test accuracy; null while evaluating. */
  accuracy: Ratio.nullable(),
  metrics: ModelMetrics.nullable(),
});
export type ModelVersion = z.infer<typeof ModelVersion>;

const BoolParam = z.enum(['true', 'false']).transform((v) => v === 'true');

export const ModelListQuery = z.object({
  family: z.string().min(1).max(100).optional(),
  /** Default: every status but `deleted`. */
  status: ModelStatus.optional(),
  source: ModelSource.optional(),
  active: BoolParam.optional(),
  sort: z.enum(['created_at', 'accuracy']).default('created_at'),
  order: z.enum(['asc', 'desc']).default('desc'),
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(100).default(20),
});
export type ModelListQuery = z.infer<typeof ModelListQuery>;

export const ModelList = z.object({
  items: z.array(ModelVersion),
  total: z.int().nonnegative(),
  page: z.int().positive(),
  page_size: z.int().positive(),
});
export type ModelList = z.infer<typeof ModelList>;

/** Model version ids are uuids, so `/api/models/{id}` never shadows `/api/models/train` and its siblings. */
export const ModelIdParams = z.object({ id: z.uuid() });
export type ModelIdParams = z.infer<typeof ModelIdParams>;
