import { z } from 'zod';

/** Model families the trainer knows; each is defined once in the trainer with its defaults and parameter schema. */
export const TRAIN_FAMILIES = ['svm', 'random_forest', 'mlp', 'cnn', 'resnet', 'lenet5', 'resnet18'] as const;
export const TrainFamily = z.enum(TRAIN_FAMILIES);
export type TrainFamily = z.infer<typeof TrainFamily>;

// Ids are opaque here: the trainer's own tables say what they look like.
const Id = z.string().min(1).max(200);

/**
 * `gpu` / `train`: one training job. The row in PostgreSQL (`job_id`) is the record; the queue
 * only carries enough to run it. Hyperparameters are checked by the family's own schema when the
 * job is created and again when it runs, so here they are any JSON.
 */
export const TrainJobPayload = z.object({
  job_id: Id,
  dataset_id: Id,
  split_id: Id,
  family: TrainFamily,
  hyperparameters: z.record(z.string(), z.json()),
  epochs: z.int().min(1).max(10_000),
  seed: z.int().min(0).max(2 ** 31 - 1),
  request_id: z.string().nullable(),
});
export type TrainJobPayload = z.infer<typeof TrainJobPayload>;

/**
 * What a running training job reports (streamed to clients as SSE). Fields a family cannot know
 * yet (accuracy before the first evaluation, a learning rate for a forest, an ETA before the
 * first step) are null rather than made up.
 */
export const TrainJobProgress = z.object({
  epoch: z.int().min(0),
  step: z.int().min(0),
  loss: z.number().nullable(),
  accuracy: z.number().min(0).max(1).nullable(),
  learning_rate: z.number().min(0).nullable(),
  samples_per_s: z.number().min(0),
  eta_s: z.number().min(0).nullable(),
});
export type TrainJobProgress = z.infer<typeof TrainJobProgress>;

export const TrainJobResult = z.object({ model_version_id: Id });
export type TrainJobResult = z.infer<typeof TrainJobResult>;
