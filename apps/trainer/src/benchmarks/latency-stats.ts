import type { LatencyStats } from '@inkwell/contracts';

/**
 * The p-th percentile by the nearest-rank method: the sample at 1-based rank ceil(p/100 x n) of
 * the ascending samples. Always one of the samples (no interpolation), so the same samples give
 * the same number on every machine, and a report can point at the run it came from.
 */
export function nearestRank(sortedAsc: readonly number[], p: number): number {
  if (sortedAsc.length === 0) throw new Error('no samples');
  if (!(p > 0 && p <= 100)) throw new Error(`percentile out of (0, 100]: ${String(p)}`);
  const rank = Math.ceil((p / 100) * sortedAsc.length);
  return sortedAsc[Math.min(sortedAsc.length, Math.max(1, rank)) - 1] as number;
}

/**
 * Mean, p50, p95, p99, min and max of per-batch latencies (ms). The mean is summed in run order
 * (floating-point addition is not associative: a fixed order keeps it reproducible).
 */
export function latencyStats(samplesMs: readonly number[]): LatencyStats {
  if (samplesMs.length === 0) throw new Error('no samples');
  const sorted = [...samplesMs].sort((a, b) => a - b);
  let sum = 0;
  for (const s of samplesMs) sum += s;
  return {
    mean_ms: sum / samplesMs.length,
    p50_ms: nearestRank(sorted, 50),
    p95_ms: nearestRank(sorted, 95),
    p99_ms: nearestRank(sorted, 99),
    max_ms: sorted[sorted.length - 1] as number,
    min_ms: sorted[0] as number,
  };
}

/** Images per second over the measured runs: every image of every run over the time spent running them. */
export function throughputOf(samplesMs: readonly number[], batchSize: number): number {
  let sum = 0;
  for (const s of samplesMs) sum += s;
  return sum > 0 ? (batchSize * samplesMs.length * 1000) / sum : 0;
}
