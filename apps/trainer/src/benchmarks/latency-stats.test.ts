import { describe, expect, it } from 'vitest';
import { latencyStats, nearestRank, throughputOf } from './latency-stats';

// 20 samples 1..20 ms, shuffled: the order they were measured in must not matter to percentiles.
const SAMPLES = [7, 3, 19, 1, 12, 20, 5, 16, 9, 2, 14, 18, 4, 11, 8, 15, 6, 13, 10, 17];

describe('latency aggregation (nearest rank)', () => {
  it('gives exact percentiles, mean and extremes of a fixed sample set', () => {
    // p50: rank ceil(0.5 x 20) = 10 -> 10; p95: rank 19 -> 19; p99: rank ceil(19.8) = 20 -> 20.
    expect(latencyStats(SAMPLES)).toEqual({ mean_ms: 10.5, p50_ms: 10, p95_ms: 19, p99_ms: 20, max_ms: 20, min_ms: 1 });
  });

  it('is the same for the same samples, whatever their order', () => {
    expect(latencyStats([...SAMPLES].reverse())).toEqual(latencyStats(SAMPLES));
  });

  it('answers with a sample, never an interpolation', () => {
    const odd = [0.25, 1.5, 2.75];
    expect(nearestRank(odd, 50)).toBe(1.5);
    expect(nearestRank(odd, 1)).toBe(0.25);
    expect(nearestRank(odd, 100)).toBe(2.75);
    // One sample: every percentile is it.
    expect(latencyStats([4.2])).toEqual({ mean_ms: 4.2, p50_ms: 4.2, p95_ms: 4.2, p99_ms: 4.2, max_ms: 4.2, min_ms: 4.2 });
  });

  it('counts throughput as images over the time spent running them', () => {
    // 4 runs of 8 images in 2 + 2 + 4 + 8 = 16 ms: 32 images / 0.016 s.
    expect(throughputOf([2, 2, 4, 8], 8)).toBe(2000);
    expect(() => latencyStats([])).toThrow('no samples');
  });
});
