import type { BenchmarkCell, BenchmarkConstraint, BenchmarkEngineResult, BenchmarkMetric, ConstraintEvaluation, ConstraintOp } from '@inkwell/contracts';

/** One metric of one engine at one batch size; null when the engine did not measure it (no accuracy). */
export function metricOf(engine: BenchmarkEngineResult, cell: BenchmarkCell, metric: BenchmarkMetric): number | null {
  switch (metric) {
    case 'p50_ms':
    case 'p95_ms':
    case 'p99_ms':
    case 'mean_ms':
    case 'max_ms':
      return cell.latency[metric];
    case 'throughput':
      return cell.throughput;
    case 'accuracy':
      return engine.accuracy?.accuracy ?? null;
    case 'rss_mb':
      return cell.peak_rss_mb;
    case 'cpu_pct':
      return cell.cpu_pct;
  }
}

const holds = (actual: number, op: ConstraintOp, value: number): boolean => {
  switch (op) {
    case '<':
      return actual < value;
    case '<=':
      return actual <= value;
    case '>':
      return actual > value;
    case '>=':
      return actual >= value;
  }
};

/**
 * Every constraint on every measured engine x batch size, in the record's order. A metric the
 * engine lacks fails its constraint: a number that was not measured cannot be said to hold.
 * Unavailable engines have no cells, so no rows (the selection says why they were left out).
 */
export function evaluateConstraints(engines: readonly BenchmarkEngineResult[], constraints: readonly BenchmarkConstraint[]): ConstraintEvaluation[] {
  const out: ConstraintEvaluation[] = [];
  for (const engine of engines) {
    for (const cell of engine.cells) {
      const checks = constraints.map((constraint) => {
        const actual = metricOf(engine, cell, constraint.metric);
        return { constraint, actual, passed: actual !== null && holds(actual, constraint.op, constraint.value) };
      });
      out.push({ engine_key: engine.key, batch_size: cell.batch_size, passed: checks.every((c) => c.passed), checks });
    }
  }
  return out;
}
