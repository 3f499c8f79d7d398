import { z } from 'zod';
import { bool, host, int, list, port } from './env-types';
import { CommonEnv } from './common';

/** The trainer service (datasets, training jobs). */
export const TrainerEnv = CommonEnv.extend({
  TRAINER_PORT: port(8083),
  TRAINER_HOST: host(),
  /** Largest dataset upload, all files together; the stream is cut (413) past it, nothing is kept. Default 10 GB. */
  TRAINER_MAX_DATASET_BYTES: int(10 * 1024 ** 3, 1),
  /** Largest ONNX model upload (`POST /api/models/import`); the stream is cut (413, check `size`) past it. Default 1 GiB. */
  TRAINER_MAX_IMPORT_BYTES: int(1024 ** 3, 1),
  /** Where training jobs run: cuda or tensorrt when this machine has them, else cpu with one log line. */
  TRAINER_EXECUTION_PROVIDER: z.enum(['cpu', 'cuda', 'tensorrt']).default('cpu'),
  /**
   * Stall detection of the `gpu` workers: a dead trainer's job resumes on another process after
   * about lock + check interval. Unset: the queue table's (60 s lock, 30 s checks).
   */
  TRAINER_GPU_LOCK_MS: z.coerce.number().int().min(1000).optional(),
  TRAINER_GPU_STALLED_INTERVAL_MS: z.coerce.number().int().min(500).optional(),
  /**
   * The shipped default models: each folder here is registered at start as a `builtin` model
   * version (once, by the sha256 of its model.onnx) and scored on the MNIST test split in the
   * background. Relative paths are from the working directory.
   */
  TRAINER_DEFAULT_MODEL_DIR: z.string().min(1).default('models'),
  /** Off: no default models are registered (tests that do not need them skip the background scoring). */
  TRAINER_REGISTER_DEFAULT_MODELS: bool(true),
  /**
   * The preset architectures registered (with the default models, so only when those are) as
   * `preset` versions holding seeded, untrained weights, ready to benchmark; `none`: none (an empty
   * value counts as unset, like every variable, so it means the default). ResNet-18's file is 45 MB
   * and its background scoring on the 10,000 test digits takes minutes of CPU.
   */
  TRAINER_PRESETS: list('lenet5,resnet18')
    .pipe(z.array(z.enum(['lenet5', 'resnet18', 'none'])))
    .transform((names) => names.filter((n): n is 'lenet5' | 'resnet18' => n !== 'none')),
  /**
   * The promotion gate: a candidate's test accuracy must be at least the floor and at most
   * `MAX_DROP` below the serving set's (0.01: one point); otherwise promotion needs `force` and a reason.
   */
  TRAINER_PROMOTE_MIN_ACCURACY: z.coerce.number().min(0).max(1).default(0.97),
  TRAINER_PROMOTE_MAX_DROP: z.coerce.number().min(0).max(1).default(0.01),
});
export type TrainerEnv = z.infer<typeof TrainerEnv>;
