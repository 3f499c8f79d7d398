import { z } from 'zod';
import { TrainFamily, TrainJobProgress } from '../queues/gpu-jobs';
import { FAMILY_HYPERPARAMETERS } from './families';

/* The training jobs API's shapes: `POST /api/models/train`, `GET /api/jobs[/{id}[/events]]`. */

export const TRAINING_JOB_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export const TrainingJobStatus = z.enum(TRAINING_JOB_STATUSES);
export type TrainingJobStatus = z.infer<typeof TrainingJobStatus>;

/** Statuses after which a job never changes again (the SSE stream ends on them). */
export const FINISHED_JOB_STATUSES: readonly TrainingJobStatus[] = ['completed', 'failed', 'cancelled'];

/**
 * `POST /api/models/train`. `hyperparameters` are the family's public fields (FAMILY_HYPERPARAMETERS
 * in ./families: svm `C`, `gamma`, `kernel`; mlp `layers`, `neurons`, `learning_rate`, ...), any
 * left out taking the family's default; unknown ones are refused, each issue naming
 * `hyperparameters.<field>`. `dataset_id` is `mnist`
 * (the built-in) or the id of an uploaded dataset that is `ready`; the job trains on that
 * dataset's stored split. `max_train_samples` trains on only the first N training digits (in a
 * seeded order) for quick runs and tests; validation and test splits stay whole.
 */
export const TrainRequest = z
  .object({
    dataset_id: z.string().min(1).max(200),
    family: TrainFamily,
    hyperparameters: z.record(z.string(), z.json()).default({}),
    epochs: z.int().min(1).max(1000),
    seed: z.int().min(0).max(2 ** 31 - 1).default(0),
    max_train_samples: z.int().min(10).max(100_000_000).optional(),
  })
  .strict()
  .superRefine((req, ctx) => {
    const checked = FAMILY_HYPERPARAMETERS[req.family].safeParse(req.hyperparameters);
    if (checked.success) return;
    for (const issue of checked.error.issues) ctx.addIssue({ code: 'custom', path: ['hyperparameters', ...issue.path], message: issue.message });
  });
export type TrainRequest = z.infer<typeof TrainRequest>;

const Ratio = z.number().min(0).max(1);

/** A model version's scores on its split's test digits, computed from its ONNX file. */
export const ModelVersionMetrics = z.object({
  split: z.string(),
  count: z.int().positive(),
  accuracy: Ratio,
  log_loss: z.number().nonnegative(),
  macro: z.object({ precision: Ratio, recall: Ratio, f1: Ratio }),
  per_class: z.array(z.object({ label: z.int().nonnegative(), support: z.int().nonnegative(), precision: Ratio, recall: Ratio, f1: Ratio })),
  /** confusion[true][predicted]. */
  confusion: z.array(z.array(z.int().nonnegative())),
});
export type ModelVersionMetrics = z.infer<typeof ModelVersionMetrics>;

export const ModelVersionView = z.object({
  id: z.uuid(),
  job_id: z.uuid(),
  family: TrainFamily,
  dataset_id: z.string(),
  split: z.record(z.string(), z.json()),
  /** The artifact folder (model.onnx, manifest.json, metrics.json), relative to the trainer's data directory. */
  artifact_path: z.string(),
  metrics: ModelVersionMetrics,
  created_at: z.iso.datetime({ offset: true }),
});
export type ModelVersionView = z.infer<typeof ModelVersionView>;

export const TrainingJob = z.object({
  id: z.uuid(),
  owner_id: z.string().nullable(),
  dataset_id: z.string(),
  /** The exact split the job trains on (for `mnist`: the official one, plus any training-digit limit). */
  split: z.record(z.string(), z.json()),
  family: TrainFamily,
  hyperparameters: z.record(z.string(), z.json()),
  epochs: z.int(),
  seed: z.int(),
  max_train_samples: z.int().nullable(),
  status: TrainingJobStatus,
  /** The last progress report; kept when the job fails. */
  progress: TrainJobProgress.nullable(),
  error: z.string().nullable(),
  model_version_id: z.uuid().nullable(),
  attempts: z.int().nonnegative(),
  created_at: z.iso.datetime({ offset: true }),
  started_at: z.iso.datetime({ offset: true }).nullable(),
  finished_at: z.iso.datetime({ offset: true }).nullable(),
  /** While queued: 1 = next to start. */
  queue_position: z.int().positive().nullable(),
  /** While queued: seconds until it should finish, from recent jobs' durations (null before any finished). */
  eta_s: z.number().nonnegative().nullable(),
  /** Once completed. */
  model_version: ModelVersionView.nullable(),
});
export type TrainingJob = z.infer<typeof TrainingJob>;

export const TrainingJobList = z.object({ items: z.array(TrainingJob) });
export type TrainingJobList = z.infer<typeof TrainingJobList>;

export const JobIdParams = z.object({ id: z.uuid() });
/** `owner`: a user id; an admin's filter (an engineer sees only their own jobs whatever it names). */
export const JobListQuery = z.object({ status: TrainingJobStatus.optional(), family: TrainFamily.optional(), owner: z.uuid().optional() });
export type JobListQuery = z.infer<typeof JobListQuery>;

/**
 * One server-sent event of `GET /api/jobs/{id}/events` (the `data:` line; `event:` is `type`).
 * Its `id:` is the event's place in the job's stream, which `Last-Event-ID` resumes after.
 */
export const TrainJobEvent = z.discriminatedUnion('type', [
  TrainJobProgress.extend({ type: z.literal('progress') }),
  z.object({ type: z.literal('status'), status: TrainingJobStatus, error: z.string().nullable(), model_version_id: z.uuid().nullable() }),
]);
export type TrainJobEvent = z.infer<typeof TrainJobEvent>;
