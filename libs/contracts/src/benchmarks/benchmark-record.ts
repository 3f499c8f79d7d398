import { z } from 'zod';
import { ConstraintEvaluation } from './benchmark-constraints';
import { BenchmarkEngine, BenchmarkVariant } from './benchmark-engines';
import { BenchmarkRankBy, BenchmarkRequest } from './benchmark-request';

/* What a benchmark measured, checked and chose: `GET /api/benchmarks/{id}` (and the report service's input). */

const Time = z.iso.datetime({ offset: true });

export const BENCHMARK_STATUSES = ['queued', 'running', 'completed', 'failed'] as const;
export const BenchmarkStatus = z.enum(BENCHMARK_STATUSES);
export type BenchmarkStatus = z.infer<typeof BenchmarkStatus>;
export const FINISHED_BENCHMARK_STATUSES: readonly BenchmarkStatus[] = ['completed', 'failed'];

/** Progress over engine x batch size x fork cells (an unavailable engine's cells count as done at once). */
export const BenchmarkProgress = z.object({
  cells_done: z.int().nonnegative(),
  cells_total: z.int().nonnegative(),
  /** The engine being measured now; null between engines and once finished. */
  current_engine: z.string().nullable(),
  current_batch_size: z.int().positive().nullable(),
});
export type BenchmarkProgress = z.infer<typeof BenchmarkProgress>;

/**
 * Latency of one batch, in ms, from the measured samples: percentiles by the nearest-rank method
 * on the sorted samples (p = the sample at rank ceil(p/100 x n), 1-based), so they are always
 * samples and the same samples give the same numbers.
 */
export const LatencyStats = z.object({
  mean_ms: z.number().nonnegative(),
  p50_ms: z.number().nonnegative(),
  p95_ms: z.number().nonnegative(),
  p99_ms: z.number().nonnegative(),
  max_ms: z.number().nonnegative(),
  min_ms: z.number().nonnegative(),
});
export type LatencyStats = z.infer<typeof LatencyStats>;

/** GPU numbers while measuring; null on CPU engines. */
export const GpuUsage = z.object({ util_pct: z.number().min(0).max(100).nullable(), mem_mb: z.number().nonnegative().nullable() });
export type GpuUsage = z.infer<typeof GpuUsage>;

/** One engine at one batch size. */
export const BenchmarkCell = z.object({
  batch_size: z.int().positive(),
  /** Measured runs (samples). */
  iterations: z.int().positive(),
  latency: LatencyStats,
  /**
   * Images per second of one fork (batch_size x its runs / the sum of its samples): the upper
   * quartile of the forks that made runs (the ceil(n/4)-th fastest), never the fastest of three or
   * more: the second fastest of 3 to 8 forks, the third of 9 or 10 (`throughput_fork_rank`).
   * A session built anew runs 20-40 % faster or slower for its whole life, and a shared machine has
   * phases that halve its speed for seconds: the fastest fork is then often a lucky session (two
   * requests on a 2-core VM: 1,537 against 1,291 images/s, the rest of both near 1,250), the pooled runs carry the slow phases,
   * while the upper quartile is moved neither by its rank − 1 lucky forks (one of 3 to 8, two of 9
   * or 10) nor by slow phases in the rest (before the evening of 7 Dec: the second fastest of any three or more). Ranking and
   * constraints use it.
   */
  throughput: z.number().nonnegative(),
  /**
   * Which fork's throughput `throughput` is, fastest first: 2 for the second fastest (of the
   * forks that made runs, `fork_runs`). Present since the second-fastest rule (7 Dec; until the
   * upper-quartile rule that evening, 2 for any three or more forks); absent before it, where
   * `throughput` is the fastest fork's when `fork_runs` is present, else every fork's runs together.
   */
  throughput_fork_rank: z.int().positive().optional(),
  /** Images per second over every measured run of every fork together: what a session built at random averaged here. Absent in records made before 7 Dec. */
  throughput_pooled: z.number().nonnegative().optional(),
  /**
   * Measured runs of each fork that made any, in the order of `samples_ms`, so both throughputs can
   * be recomputed from the samples (with fewer runs than forks, the later forks make none and are
   * left out). Few runs per fork make every fork's figure a lucky one: give a duration, or many runs.
   * Absent in records made before 7 Dec.
   */
  fork_runs: z.array(z.int().nonnegative()).optional(),
  /**
   * The measuring process's CPU time (user + system) over wall time in the measured windows; 100 =
   * one core busy. Each fork is measured in a process of its own, so this and the RSS are the
   * engine's (with Node's baseline); in records made before forks ran as processes (7 Dec), the
   * trainer's whole process.
   */
  cpu_pct: z.number().nonnegative(),
  /** Peak resident set size of the measuring process, sampled during the windows, in MiB. */
  peak_rss_mb: z.number().nonnegative(),
  gpu: GpuUsage.nullable(),
  /**
   * Warmup runs at this batch size, timed apart from the measured ones: the requested warmup, plus,
   * in a duration-bound cell, the windows measured before three stable ones.
   */
  warmup: z.object({ iterations: z.int().nonnegative(), total_ms: z.number().nonnegative() }),
  /**
   * Duration-bound cells only: whether the three measured windows' throughputs were within 10 % of
   * each other (Triton perf_analyzer's stability rule). False when nine windows passed without:
   * something else was using the machine, and the numbers say less.
   */
  stable: z.boolean().optional(),
  /** The raw samples (ms per batch, in run order); stored always, returned with `?samples=true`. */
  samples_ms: z.array(z.number().nonnegative()).optional(),
});
export type BenchmarkCell = z.infer<typeof BenchmarkCell>;

/** The variant's accuracy on the model version's test split (every test digit, in batches). */
export const VariantAccuracy = z.object({ test_set: z.string(), count: z.int().positive(), accuracy: z.number().min(0).max(1) });
export type VariantAccuracy = z.infer<typeof VariantAccuracy>;

/** What the int8 engine's quantizer did (per model file): which operators it quantized. */
export const QuantizationSummary = z.object({
  method: z.string(),
  /** Operator types whose weights became int8 (e.g. MatMul, Conv), over every member. */
  quantized_ops: z.array(z.string()),
  size_bytes_before: z.int().nonnegative(),
  size_bytes_after: z.int().nonnegative(),
  /**
   * Each member's int8 file's SHA-256, in serving order: apply refuses files that differ from the
   * ones measured. Absent from benchmarks recorded before it was (apply compares sizes then).
   */
  member_sha256: z.array(z.string().regex(/^[0-9a-f]{64}$/)).optional(),
  /** The quantizer's own report per member, as it gave it. */
  members: z.array(z.record(z.string(), z.json())),
});
export type QuantizationSummary = z.infer<typeof QuantizationSummary>;

/** One engine configuration's results; `available: false` with a reason when this machine lacks it. */
export const BenchmarkEngineResult = z.object({
  key: z.string(),
  engine: BenchmarkEngine,
  /** CPU threads per operator (ort-cpu engines); null otherwise. */
  threads: z.int().positive().nullable(),
  variant: BenchmarkVariant,
  available: z.boolean(),
  /** Why the engine was not measured (no CUDA provider in this onnxruntime build, no quantizer, ...); null when available. */
  unavailable_reason: z.string().nullable(),
  /** Session creation (and quantization, TensorRT's engine build) in ms: part of warmup, reported apart. */
  setup_ms: z.number().nonnegative().nullable(),
  accuracy: VariantAccuracy.nullable(),
  quantization: QuantizationSummary.nullable(),
  /** Set when the engine failed while measuring (its cells are then missing). */
  error: z.string().nullable(),
  cells: z.array(BenchmarkCell),
});
export type BenchmarkEngineResult = z.infer<typeof BenchmarkEngineResult>;

/** The engine configuration and batch size chosen. */
export const BenchmarkChoice = z.object({
  engine_key: z.string(),
  engine: BenchmarkEngine,
  threads: z.int().positive().nullable(),
  variant: BenchmarkVariant,
  batch_size: z.int().positive(),
});
export type BenchmarkChoice = z.infer<typeof BenchmarkChoice>;

/**
 * Engine selection (FR5.4): the cells that meet every constraint, ranked by `rank_by`, then by
 * peak RSS; `steps` says what each stage kept, and every other engine says why it lost.
 */
export const BenchmarkSelection = z.object({
  rank_by: BenchmarkRankBy,
  selected: BenchmarkChoice.nullable(),
  /** One line: why this one, or why nothing was selected. */
  summary: z.string(),
  steps: z.array(z.string()),
  not_selected: z.array(z.object({ engine_key: z.string(), reason: z.string() })),
});
export type BenchmarkSelection = z.infer<typeof BenchmarkSelection>;

/** The machine the numbers came from. */
export const BenchmarkMachine = z.object({
  cpu_model: z.string(),
  cores: z.int().positive(),
  platform: z.string(),
  node: z.string(),
  onnxruntime: z.string(),
  total_mem_mb: z.number().nonnegative(),
  /**
   * The machine's speed on a fixed loop (millions of elements per second), measured before each
   * fork: how steady the machine was while measuring. Two benchmarks whose probes differ by as much
   * as their throughputs saw a machine that changed, not an engine.
   */
  speed_probe: z.array(z.number().nonnegative()).optional(),
});
export type BenchmarkMachine = z.infer<typeof BenchmarkMachine>;

/** `POST /api/benchmarks/{id}/apply`: the choice recorded on the model version, as a promotion would. */
export const BenchmarkApplied = z.object({ activation_id: z.int().positive(), applied_by: z.string().nullable(), applied_at: Time });
export type BenchmarkApplied = z.infer<typeof BenchmarkApplied>;

export const BenchmarkRecord = z.object({
  id: z.uuid(),
  owner_id: z.string().nullable(),
  status: BenchmarkStatus,
  error: z.string().nullable(),
  /** The request with its defaults applied (`model_version_id` as sent: a uuid or `active`). */
  request: BenchmarkRequest,
  /** The versions measured, resolved when the benchmark was created (several: an ensemble, averaged). */
  model_version_ids: z.array(z.uuid()).min(1),
  model_names: z.array(z.string()),
  test_set: z.string(),
  machine: BenchmarkMachine.nullable(),
  progress: BenchmarkProgress,
  engines: z.array(BenchmarkEngineResult),
  constraints: z.array(ConstraintEvaluation),
  selection: BenchmarkSelection.nullable(),
  applied: BenchmarkApplied.nullable(),
  created_at: Time,
  started_at: Time.nullable(),
  finished_at: Time.nullable(),
});
export type BenchmarkRecord = z.infer<typeof BenchmarkRecord>;

export const BenchmarkList = z.object({ items: z.array(BenchmarkRecord.omit({ engines: true, constraints: true })) });
export type BenchmarkList = z.infer<typeof BenchmarkList>;

export const BenchmarkIdParams = z.object({ id: z.uuid() });
export const BenchmarkGetQuery = z.object({ samples: z.enum(['true', 'false']).default('false').transform((v) => v === 'true') });
export type BenchmarkGetQuery = z.infer<typeof BenchmarkGetQuery>;

/** `POST /api/benchmarks/{id}/apply`: `force` overrides a refusing promotion gate and needs a reason. */
export const BenchmarkApplyRequest = z
  .object({ force: z.boolean().default(false), reason: z.string().trim().min(1).max(2000).optional() })
  .strict()
  .refine((b) => !b.force || b.reason !== undefined, { message: 'force needs a written reason', path: ['reason'] });
export type BenchmarkApplyRequest = z.infer<typeof BenchmarkApplyRequest>;

/** One server-sent event of `GET /api/benchmarks/{id}/events` (`event:` is `type`). */
export const BenchmarkEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), progress: BenchmarkProgress }),
  z.object({ type: z.literal('engine'), engine: BenchmarkEngineResult }),
  z.object({ type: z.literal('status'), status: BenchmarkStatus, error: z.string().nullable() }),
]);
export type BenchmarkEvent = z.infer<typeof BenchmarkEvent>;
