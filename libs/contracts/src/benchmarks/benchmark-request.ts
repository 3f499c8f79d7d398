import { z } from 'zod';
import { BenchmarkConstraint } from './benchmark-constraints';
import { BenchmarkEngineSpec, engineKey } from './benchmark-engines';

/** Bounds on one whole request (about half an hour of a gpu slot at most). */
export const MAX_TOTAL_RUNS = 200_000;
export const MAX_TOTAL_SECONDS = 1800;
export const MAX_WARMUP_IMAGES = 1_000_000;

/**
 * How candidates are ranked once the constraints have filtered them: `throughput` (highest first)
 * or `latency` (lowest p99_ms first); ties go to the lower peak RSS, then to the request's order.
 */
export const BenchmarkRankBy = z.enum(['throughput', 'latency']);
export type BenchmarkRankBy = z.infer<typeof BenchmarkRankBy>;

/**
 * `POST /api/benchmarks`. `model_version_id`: a registered version, or `active`: the set inference
 * serves now (the default ensemble until a promotion). An ensemble is benchmarked as inference runs
 * it: one batch goes through every member and their probabilities are averaged, so a latency is the
 * whole set's. Measured runs are `iterations` per engine and batch size, or, with `duration_s`, as
 * many as fit in that time (at least one), measured in windows of a third of it until three in a
 * row give throughputs within 10 % of each other (at most nine windows: a cell may take up to three
 * times `duration_s`).
 *
 * `forks`: the runs or the time of each cell are split over this many rounds, one round after
 * another over every engine, each engine's round in a new process of its own with its sessions
 * built there (JMH's forks). The same model in a new session can run 20-40 % faster or slower for
 * as long as that session lives (where its buffers landed in memory); a WASM engine in a
 * long-lived process once fell to half its speed for the rest of it; and a VM's speed drifts over
 * minutes: a cell measured in several processes spread over the whole benchmark sees all three
 * instead of being decided by one. Its latencies are of every fork's runs; its throughput is the
 * upper quartile of the forks, never the fastest of three or more (see BenchmarkCell). The default
 * 3 is quick; on a shared 2-core VM, the same request's throughputs came within 10 % in three of
 * four runs with 10 forks, four of six with 5 (bench/benchmarks-repeat).
 */
export const BenchmarkRequest = z
  .object({
    model_version_id: z.union([z.uuid(), z.literal('active')]),
    engines: z.array(BenchmarkEngineSpec).min(1).max(12),
    batch_sizes: z.array(z.int().min(1).max(1024)).min(1).max(8).default([1, 8, 64]),
    warmup_iterations: z.int().min(0).max(1000).default(5),
    iterations: z.int().min(1).max(100_000).default(50),
    duration_s: z.number().positive().max(3600).optional(),
    forks: z.int().min(1).max(10).default(3),
    constraints: z.array(BenchmarkConstraint).max(20).default([]),
    rank_by: BenchmarkRankBy.default('throughput'),
  })
  .strict()
  .refine((r) => new Set(r.engines.map(engineKey)).size === r.engines.length, { message: 'an engine (with its thread count) is listed twice', path: ['engines'] })
  .refine((r) => new Set(r.batch_sizes).size === r.batch_sizes.length, { message: 'a batch size is listed twice', path: ['batch_sizes'] })
  // Each limit alone still allows days in one of the two gpu slots that training shares: bound the
  // whole request (cells x runs, cells x seconds, images pushed through the warmup).
  .refine((r) => r.duration_s !== undefined || r.engines.length * r.batch_sizes.length * r.iterations <= MAX_TOTAL_RUNS, {
    message: `engines x batch sizes x iterations may be at most ${MAX_TOTAL_RUNS}`,
    path: ['iterations'],
  })
  // A cell that never settles measures up to three times its duration (nine windows of a third).
  .refine((r) => r.duration_s === undefined || 3 * r.engines.length * r.batch_sizes.length * r.duration_s <= MAX_TOTAL_SECONDS, {
    message: `engines x batch sizes x duration_s may be at most ${MAX_TOTAL_SECONDS / 3} s (a cell that never settles takes up to three times its duration)`,
    path: ['duration_s'],
  })
  // Every fork warms its new sessions up.
  .refine((r) => r.engines.length * r.batch_sizes.reduce((n, b) => n + b, 0) * r.warmup_iterations * r.forks <= MAX_WARMUP_IMAGES, {
    message: `engines x warmup_iterations x forks x the batch sizes' sum may be at most ${MAX_WARMUP_IMAGES} images`,
    path: ['warmup_iterations'],
  });
export type BenchmarkRequest = z.infer<typeof BenchmarkRequest>;
/** What a client sends (defaults not applied yet). */
export type BenchmarkRequestInput = z.input<typeof BenchmarkRequest>;
