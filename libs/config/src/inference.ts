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
  /**
   * The trainer's base URL: at start (and after a lost Redis subscription) inference asks its
   * registry which set to serve, and then loads the folders it names from `<DATA_DIR>/models/`
   * (the artifact volume trainer and inference share). Empty: no registry, the folders above
   * serve. INFERENCE_ACTIVE_MODELS, when set, overrides the registry (running inference alone).
   */
  INFERENCE_REGISTRY_URL: z.union([z.literal(''), z.url()]).default(''),
  /** While the registry cannot be reached (or names no set yet), ask again this often. */
  INFERENCE_REGISTRY_RETRY_MS: int(5000, 50),
  /** Number mode's digit-count model (`npm run models:number-count`); empty: number mode chooses its cuts without it. */
  INFERENCE_NUMBER_COUNT_MODEL: z.string().default('models-aux/number-count-v1/model.onnx'),
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
  /** Upload limits (`GET /v1/limits` tells clients): a full-size phone photo passes by default (5 MB,
   * 16 megapixels, so 4032x3024 in either orientation); seed 004's 2 MB / 1024 px are settable. */
  INFERENCE_MAX_UPLOAD_BYTES: int(5 * 1024 * 1024, 1024),
  INFERENCE_MAX_SIDE_PX: int(8192, 28),
  INFERENCE_MAX_PIXELS: int(16_000_000, 784),
  INFERENCE_USAGE_FLUSH_MS: int(5000, 100),
  /** How often per-caller-per-minute prediction counts of ended minutes go to the outbox as audit events. */
  INFERENCE_AUDIT_FLUSH_MS: int(10_000, 100),
  /** The window reads are counted in per caller: a minute; a divisor of 60 (tests use 1 s so they need not wait a minute). */
  INFERENCE_AUDIT_WINDOW_S: z.coerce.number().int().min(1).max(60).refine((s) => 60 % s === 0, 'a divisor of 60').default(60),
  /** Days to keep each uploaded image (with its answer) in PostgreSQL; 0 keeps none. */
  INFERENCE_IMAGE_RETENTION_DAYS: int(0, 0),
  /** Batch OCR (POST /api/batch): images in one job, the upload's size (a ZIP or all files together). */
  INFERENCE_BATCH_MAX_IMAGES: int(50_000, 1),
  INFERENCE_BATCH_MAX_UPLOAD_BYTES: int(512 * 1024 * 1024, 1024),
  /** A ZIP bomb guard: the entries' uncompressed total, and that total over the ZIP's own size. */
  INFERENCE_BATCH_MAX_UNCOMPRESSED_BYTES: int(2 * 1024 * 1024 * 1024, 1024),
  INFERENCE_BATCH_MAX_RATIO: z.coerce.number().min(1).default(100),
  /** Batch jobs one caller (a user, or an API key) may start in any 60 seconds; more answer 429. */
  INFERENCE_BATCH_JOBS_PER_MINUTE: int(10, 1),
  /** Days a job's images and results are kept; then the retention job deletes the files (the row stays). */
  INFERENCE_BATCH_RETENTION_DAYS: int(7, 0),
  /** How often the batch retention job looks for expired jobs. */
  INFERENCE_BATCH_PURGE_INTERVAL_MS: int(3_600_000, 100),
  /**
   * The batch worker: items per checkpoint (one statement writes a chunk's results and counters),
   * and items in flight. In flight: two full runs (2 x INFERENCE_BATCH_MAX_ROWS), one per ONNX
   * worker, so neither waits out the batch patience for rows that cannot come (with 32, every run
   * took all 32 and the other worker sat idle: ~40 % more model CPU per image in the 10,000-image
   * bench). A chunk ends with its reads draining, so a chunk holds several rounds of that (1,024:
   * about a second of work).
   */
  INFERENCE_BATCH_CHUNK_SIZE: int(1024, 1),
  INFERENCE_BATCH_CONCURRENCY: int(128, 1),
  /** The `batch` queue's lock and stall check, when not the queue table's (tests: a killed process's job comes back in seconds). */
  INFERENCE_BATCH_LOCK_MS: z.coerce.number().int().min(1000).optional(),
  INFERENCE_BATCH_STALLED_INTERVAL_MS: z.coerce.number().int().min(500).optional(),
});
export type InferenceEnv = z.infer<typeof InferenceEnv>;
