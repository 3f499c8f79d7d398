import { z } from 'zod';

/* Performance constraints (seed 001 FR4.4) and how they are written. */

/**
 * What a constraint can name, per engine and batch size. Latencies are of one batch, in ms;
 * `throughput` is images/s; `accuracy` is the engine's variant's test-split accuracy (0..1);
 * `rss_mb` the peak resident set of the process while measuring; `cpu_pct` process CPU time over
 * wall time in the measured window (100 = one core busy).
 */
export const BENCHMARK_METRICS = ['p50_ms', 'p95_ms', 'p99_ms', 'mean_ms', 'max_ms', 'throughput', 'accuracy', 'rss_mb', 'cpu_pct'] as const;
export const BenchmarkMetric = z.enum(BENCHMARK_METRICS);
export type BenchmarkMetric = z.infer<typeof BenchmarkMetric>;

export const CONSTRAINT_OPS = ['<', '<=', '>', '>='] as const;
export const ConstraintOp = z.enum(CONSTRAINT_OPS);
export type ConstraintOp = z.infer<typeof ConstraintOp>;

/** e.g. `{ metric: 'p99_ms', op: '<', value: 5 }`, `{ metric: 'accuracy', op: '>=', value: 0.995 }`. */
export const BenchmarkConstraint = z.object({ metric: BenchmarkMetric, op: ConstraintOp, value: z.number().finite() }).strict();
export type BenchmarkConstraint = z.infer<typeof BenchmarkConstraint>;

/** `p99_ms < 5`: how a constraint is shown in reasons and reports. */
export const constraintText = (c: BenchmarkConstraint): string => `${c.metric} ${c.op} ${String(c.value)}`;

/** One constraint checked on one engine x batch size; `actual` null when the engine did not measure it. */
export const ConstraintCheck = z.object({ constraint: BenchmarkConstraint, actual: z.number().nullable(), passed: z.boolean() });
export type ConstraintCheck = z.infer<typeof ConstraintCheck>;

/** Every constraint on one engine x batch size; `passed`: all of them held (true when there are none). */
export const ConstraintEvaluation = z.object({ engine_key: z.string(), batch_size: z.int().positive(), passed: z.boolean(), checks: z.array(ConstraintCheck) });
export type ConstraintEvaluation = z.infer<typeof ConstraintEvaluation>;
