import { z } from 'zod';
import { host, int, port } from './env-types';
import { CommonEnv } from './common';

/** The trainer service (datasets, training jobs). */
export const TrainerEnv = CommonEnv.extend({
  TRAINER_PORT: port(8083),
  TRAINER_HOST: host(),
  /** Largest dataset upload, all files together; the stream is cut (413) past it, nothing is kept. Default 10 GB. */
  TRAINER_MAX_DATASET_BYTES: int(10 * 1024 ** 3, 1),
  /** Where training jobs run: cuda or tensorrt when this machine has them, else cpu with one log line. */
  TRAINER_EXECUTION_PROVIDER: z.enum(['cpu', 'cuda', 'tensorrt']).default('cpu'),
  /**
   * Stall detection of the `gpu` workers: a dead trainer's job resumes on another process after
   * about lock + check interval. Unset: the queue table's (60 s lock, 30 s checks).
   */
  TRAINER_GPU_LOCK_MS: z.coerce.number().int().min(1000).optional(),
  TRAINER_GPU_STALLED_INTERVAL_MS: z.coerce.number().int().min(500).optional(),
});
export type TrainerEnv = z.infer<typeof TrainerEnv>;
