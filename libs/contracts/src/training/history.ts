import { z } from 'zod';
import { TrainFamily } from '../queues/gpu-jobs';
import { TrainingJobStatus } from './training-http';

/*
 * `GET /api/training-history`: one row per training job (seed 001 FR3.4: hyperparameters,
 * results, duration, timestamps), as JSON or as a CSV download.
 */

export const TRAINING_HISTORY_FORMATS = ['json', 'csv'] as const;

export const TrainingHistoryQuery = z
  .object({
    /** Leave out for every family. */
    family: TrainFamily.optional(),
    format: z.enum(TRAINING_HISTORY_FORMATS).default('json'),
  })
  .strict();
export type TrainingHistoryQuery = z.infer<typeof TrainingHistoryQuery>;

const Ratio = z.number().min(0).max(1);

export const TrainingHistoryRow = z.object({
  job_id: z.uuid(),
  family: TrainFamily,
  dataset_id: z.string(),
  owner_id: z.string().nullable(),
  /** As the request gave them; the family's defaults fill in the rest. */
  hyperparameters: z.record(z.string(), z.json()),
  epochs: z.int(),
  seed: z.int(),
  max_train_samples: z.int().nullable(),
  status: TrainingJobStatus,
  created_at: z.iso.datetime({ offset: true }),
  started_at: z.iso.datetime({ offset: true }).nullable(),
  finished_at: z.iso.datetime({ offset: true }).nullable(),
  /** finished_at - started_at (the last attempt's start), once finished. */
  duration_s: z.number().nonnegative().nullable(),
  model_version_id: z.uuid().nullable(),
  /** The model version's scores on its test digits, once completed. */
  accuracy: Ratio.nullable(),
  macro_f1: Ratio.nullable(),
  log_loss: z.number().nonnegative().nullable(),
});
export type TrainingHistoryRow = z.infer<typeof TrainingHistoryRow>;

export const TrainingHistory = z.object({ items: z.array(TrainingHistoryRow) });
export type TrainingHistory = z.infer<typeof TrainingHistory>;

/** The CSV's columns, in order: the row's fields (hyperparameters as one JSON cell). */
export const TRAINING_HISTORY_COLUMNS = Object.keys(TrainingHistoryRow.shape) as readonly (keyof TrainingHistoryRow)[];
