import { z } from 'zod';
import { TrainFamily } from '../queues/gpu-jobs';
import { ModelComparisonView } from '../models/model-io';
import { ModelVersionMetrics } from '../training/training-http';
import { SearchSpace, TuningMethod, TuningParamValue } from './tuning-space';

/* The tuning API's shapes: `POST /api/tuning`, `POST /api/models/{id}/tune`, `GET /api/tuning[/{id}[/events]]`. */

/** `trials`: how many to run at most (grid: at most the grid's size); `max_seconds`: no trial starts after this much wall time. */
export const TuningBudget = z.object({ trials: z.int().min(1).max(500), max_seconds: z.int().min(1).max(7 * 24 * 3600).optional() }).strict();
export type TuningBudget = z.infer<typeof TuningBudget>;

/** What trials are ranked by: the validation split's accuracy. The test split is never used for choosing. */
export const TuningObjective = z.enum(['val_accuracy']);

/**
 * Early stopping of a net's trials after an epoch (classic families train once and are never
 * pruned), judged only against the trials its proposal saw, so it is reproducible in parallel.
 * `median`: below the median of the completed trials at that epoch, after `n_startup_trials`
 * (default 5), from `min_epoch` on; `percentile`: below that percentile instead of the median
 * (60: only the top 40 % go on). `successive_halving` (ASHA): at epochs `min_resource` x
 * `reduction_factor`^i (default 1, 3, 9, ...) only the top 1/`reduction_factor` (default 3) of the
 * trials that reached that epoch go on. The shapes are @inkwell/tuning's `PrunerSchema`.
 */
export const TuningPruningRule = z.discriminatedUnion('rule', [
  z.object({ rule: z.literal('median'), n_startup_trials: z.int().min(0).max(500).optional(), min_epoch: z.int().min(1).max(200).optional() }).strict(),
  z.object({ rule: z.literal('percentile'), percentile: z.number().min(0).max(100), n_startup_trials: z.int().min(0).max(500).optional(), min_epoch: z.int().min(1).max(200).optional() }).strict(),
  z.object({ rule: z.literal('successive_halving'), min_resource: z.int().min(1).max(200).optional(), reduction_factor: z.int().min(2).max(100).optional() }).strict(),
]);
export type TuningPruningRule = z.infer<typeof TuningPruningRule>;

/** The fields both start routes share; `space` defaults to the family's default space. */
const StudyFields = {
  space: SearchSpace.optional(),
  method: TuningMethod.default({ kind: 'grid' }),
  budget: TuningBudget,
  objective: TuningObjective.default('val_accuracy'),
  seed: z.int().min(0).max(2 ** 31 - 1).default(0),
  /** Epochs per trial (nets; classic families train once whatever it says). */
  epochs: z.int().min(1).max(200).default(1),
  max_train_samples: z.int().min(10).max(100_000_000).optional(),
  /** `true`: the default rule (`{ rule: 'percentile', percentile: 60, n_startup_trials: 3 }`); `false`: every trial runs all its epochs; or a rule. */
  pruning: z.union([z.boolean(), TuningPruningRule]).default(true),
};

/**
 * `POST /api/tuning`: a study from scratch. `base_hyperparameters` are the family's fields every
 * trial keeps (a searched one is overridden by the trial's value); unknown ones are refused when
 * the study is created.
 */
export const TuningRequest = z
  .object({
    family: TrainFamily,
    dataset_id: z.string().min(1).max(200),
    base_hyperparameters: z.record(z.string(), z.json()).default({}),
    ...StudyFields,
  })
  .strict();
export type TuningRequest = z.infer<typeof TuningRequest>;

/** `POST /api/models/{id}/tune`: the version's family, dataset and hyperparameters are the start. */
export const TuneVersionRequest = z.object(StudyFields).strict();
export type TuneVersionRequest = z.infer<typeof TuneVersionRequest>;

export const TUNING_JOB_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export const TuningJobStatus = z.enum(TUNING_JOB_STATUSES);
export type TuningJobStatus = z.infer<typeof TuningJobStatus>;
export const FINISHED_TUNING_STATUSES: readonly TuningJobStatus[] = ['completed', 'failed', 'cancelled'];

export const TRIAL_STATUSES = ['queued', 'running', 'completed', 'pruned', 'failed', 'cancelled'] as const;
export const TrialStatus = z.enum(TRIAL_STATUSES);
export type TrialStatus = z.infer<typeof TrialStatus>;

export const TuningTrial = z.object({
  index: z.int().nonnegative(),
  /** The searched values only; the trial trains on base hyperparameters overridden by these. */
  params: z.record(z.string(), TuningParamValue),
  status: TrialStatus,
  /** Validation accuracy after each epoch (classic families: one value). */
  val_accuracy: z.array(z.number()),
  /** The objective: the final validation accuracy; null until completed (or pruned: the last epoch's). */
  value: z.number().nullable(),
  pruned_at_epoch: z.int().positive().nullable(),
  error: z.string().nullable(),
  started_at: z.iso.datetime({ offset: true }).nullable(),
  finished_at: z.iso.datetime({ offset: true }).nullable(),
});
export type TuningTrial = z.infer<typeof TuningTrial>;

/** The best trial: its parameters, objective and its model's scores on the test split (reported, never used to choose). */
export const TuningBest = z.object({ trial: z.int().nonnegative(), params: z.record(z.string(), TuningParamValue), hyperparameters: z.record(z.string(), z.json()), value: z.number(), test_metrics: ModelVersionMetrics });
export type TuningBest = z.infer<typeof TuningBest>;

/**
 * Before/after: `a` the starting version, `b` the best trial's model, on the same test set (the
 * registry's compare). Null with `comparison_note` saying why when there is no starting version.
 */
export const TuningResult = z.object({
  best: TuningBest.nullable(),
  comparison: ModelComparisonView.nullable(),
  comparison_note: z.string().nullable(),
  /** Per searched parameter, its share of the objective's variance over the finished trials (sums to 1); null with fewer than 3 trials. */
  importance: z.record(z.string(), z.number()).nullable(),
});
export type TuningResult = z.infer<typeof TuningResult>;

export const TuningJob = z.object({
  id: z.uuid(),
  owner_id: z.string().nullable(),
  family: TrainFamily,
  dataset_id: z.string(),
  from_version_id: z.uuid().nullable(),
  base_hyperparameters: z.record(z.string(), z.json()),
  space: SearchSpace,
  method: TuningMethod,
  budget: TuningBudget,
  objective: TuningObjective,
  seed: z.int(),
  epochs: z.int(),
  max_train_samples: z.int().nullable(),
  status: TuningJobStatus,
  error: z.string().nullable(),
  trials: z.array(TuningTrial),
  /** Best so far while running; final once completed. */
  best: TuningBest.nullable(),
  result: TuningResult.nullable(),
  kept_version_id: z.uuid().nullable(),
  discarded: z.boolean(),
  created_at: z.iso.datetime({ offset: true }),
  started_at: z.iso.datetime({ offset: true }).nullable(),
  finished_at: z.iso.datetime({ offset: true }).nullable(),
});
export type TuningJob = z.infer<typeof TuningJob>;

export const TuningJobList = z.object({ items: z.array(TuningJob.omit({ trials: true })) });
export type TuningJobList = z.infer<typeof TuningJobList>;

export const TuningIdParams = z.object({ id: z.uuid() });
export const TuneVersionParams = z.object({ id: z.uuid() });

/** One server-sent event of `GET /api/tuning/{id}/events` (`event:` is `type`). */
export const TuningEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('trial'), trial: TuningTrial }),
  z.object({ type: z.literal('best'), best: TuningBest }),
  z.object({ type: z.literal('status'), status: TuningJobStatus, error: z.string().nullable() }),
]);
export type TuningEvent = z.infer<typeof TuningEvent>;
