import type { BenchmarkCell, BenchmarkEngine } from '@inkwell/contracts';
import { latencyStats, throughputOf } from './latency-stats';
import type { CellMeasurement } from './measure-cell';

/**
 * Which fork's throughput is a cell's, fastest first, of `n` forks that made runs: the upper
 * quartile (the ceil(n/4)-th fastest), and never the fastest of three or more: 2 of 3 to 8 forks,
 * 3 of 9 or 10. It is moved neither by the rank − 1 forks above it (lucky sessions) nor by slow
 * phases in the n − rank below it. Of four paired runs of ten forks on a shared VM
 * (bench/benchmarks-repeat), the second fastest differed by up to 3, 5, 23 and 10 %, the third
 * fastest of the same forks by 3, 4, 6 and 12 %: two lucky sessions of ten moved the former.
 */
export function throughputForkRank(n: number): number {
  return n >= 3 ? Math.max(2, Math.ceil(n / 4)) : 1;
}

/**
 * One cell from its forks' measurements: their samples in fork order (so the latency statistics
 * are those of every measured run, as with one fork), the throughput of the fork that
 * throughputForkRank picks and the pooled one beside it (see BenchmarkCell), warmups summed, CPU %
 * over their summed wall time, the highest RSS; stable only if every fork was.
 */
export function combineForks(batch: number, parts: readonly CellMeasurement[], engine: BenchmarkEngine): BenchmarkCell {
  const samples = parts.flatMap((m) => m.samplesMs);
  const wallMs = parts.reduce((t, m) => t + m.wallMs, 0);
  const stable = parts.map((m) => m.stable).filter((x): x is boolean => x !== null);
  // The job passes only forks that made runs; an empty one would have no throughput to offer.
  const perFork = parts.filter((m) => m.samplesMs.length > 0).map((m) => throughputOf(m.samplesMs, batch)).sort((a, b) => b - a);
  const rank = throughputForkRank(perFork.length);
  return {
    batch_size: batch,
    iterations: samples.length,
    latency: latencyStats(samples),
    throughput: perFork[rank - 1] ?? 0,
    throughput_fork_rank: rank,
    throughput_pooled: throughputOf(samples, batch),
    fork_runs: parts.map((m) => m.samplesMs.length),
    cpu_pct: wallMs > 0 ? parts.reduce((t, m) => t + m.cpuPct * m.wallMs, 0) / wallMs : 0,
    peak_rss_mb: Math.max(...parts.map((m) => m.peakRssMb)),
    gpu: engine === 'cuda' || engine === 'tensorrt-fp16' ? { util_pct: null, mem_mb: null } : null,
    warmup: { iterations: parts.reduce((t, m) => t + m.warmupRuns, 0), total_ms: parts.reduce((t, m) => t + m.warmupMs, 0) },
    ...(stable.length === 0 ? {} : { stable: stable.every(Boolean) }),
    samples_ms: samples,
  };
}
