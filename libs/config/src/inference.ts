import { z } from 'zod';
import { host, int, list, port } from './env-types';
import { CommonEnv } from './common';

/** The inference service: which models it serves, how it batches, and the limits on what it reads. */
export const InferenceEnv = CommonEnv.extend({
  INFERENCE_PORT: port(8082),
  INFERENCE_HOST: host(),
  /** Folders `<dir>/<model_id>/` holding model.onnx, manifest.json and metrics.json. */
  INFERENCE_MODEL_DIR: z.string().default('models'),
  /** Folder names to serve as one ensemble; empty serves every valid folder found. */
  INFERENCE_ACTIVE_MODELS: list('').refine((ids) => new Set(ids).size === ids.length, 'names a folder twice (an ensemble of a model with itself is that model, weighted)'),
  INFERENCE_TTA: z.enum(['none', 'light', 'strong']).default('none'),
  INFERENCE_UNCERTAIN_THRESHOLD: z.coerce.number().min(0).max(1).default(0.7),
  INFERENCE_EXECUTION_PROVIDER: z.enum(['cpu', 'cuda', 'tensorrt']).default('cpu'),
  /** Worker threads running ONNX Runtime (each runs one batch at a time), and ORT threads in each. */
  INFERENCE_WORKERS: int(2, 1),
  INFERENCE_INTRA_OP_THREADS: int(1, 1),
  /** Dynamic batching: most input rows (TTA variants included) in one run, and how long the first may wait. */
  INFERENCE_BATCH_MAX_ROWS: int(64, 1),
  INFERENCE_BATCH_MAX_WAIT_US: int(0, 0),
  /** Requests admitted at once (reading, preprocessing, queued, running); more answer 503 at once. */
  INFERENCE_MAX_QUEUE: int(256, 1),
  /** Images in preprocessing at once (decode + pixel stages); the rest wait in order. Bounds how long
   * the event loop is busy between two looks at the network (health checks). */
  INFERENCE_PREPROCESS_CONCURRENCY: int(4, 1),
  INFERENCE_TIMEOUT_MS: int(5000, 10),
  INFERENCE_MAX_UPLOAD_BYTES: int(2 * 1024 * 1024, 1024),
  INFERENCE_MAX_SIDE_PX: int(1024, 28),
  INFERENCE_MAX_PIXELS: int(16_000_000, 784),
  INFERENCE_USAGE_FLUSH_MS: int(5000, 100),
  /** Days to keep each uploaded image (with its answer) in PostgreSQL; 0 keeps none. */
  INFERENCE_IMAGE_RETENTION_DAYS: int(0, 0),
});
export type InferenceEnv = z.infer<typeof InferenceEnv>;
