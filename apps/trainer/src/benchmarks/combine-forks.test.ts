import { describe, expect, it } from 'vitest';
import { combineForks } from './combine-forks';
import type { CellMeasurement } from './measure-cell';
import { latencyStats, throughputOf } from './latency-stats';

const part = (samplesMs: number[], o: Partial<CellMeasurement> = {}): CellMeasurement => ({ samplesMs, warmupRuns: 2, warmupMs: 10, stable: true, wallMs: 100, cpuPct: 100, peakRssMb: 50, ...o });

describe('one cell from its forks', () => {
  it('is the statistics of the runs of every fork together, in fork order, and the same every time', () => {
    const parts = [part([2, 4, 3]), part([5, 1], { wallMs: 300, cpuPct: 60, peakRssMb: 80, warmupRuns: 1, warmupMs: 4 })];
    const cell = combineForks(8, parts, 'ort-cpu');
    expect(cell.samples_ms).toEqual([2, 4, 3, 5, 1]);
    expect(cell.iterations).toBe(5);
    expect(cell.latency).toEqual(latencyStats([2, 4, 3, 5, 1]));
    // 8 images x 5 runs over 15 ms of runs.
    expect(cell.throughput).toBe(throughputOf([2, 4, 3, 5, 1], 8));
    expect(cell.throughput).toBeCloseTo((8 * 5 * 1000) / 15, 9);
    // CPU % weighted by each fork's wall time; the highest RSS; warmups summed.
    expect(cell.cpu_pct).toBeCloseTo((100 * 100 + 60 * 300) / 400, 9);
    expect(cell.peak_rss_mb).toBe(80);
    expect(cell.warmup).toEqual({ iterations: 3, total_ms: 14 });
    expect(cell.gpu).toBeNull();
    expect(cell.stable).toBe(true);
    expect(combineForks(8, parts, 'ort-cpu')).toEqual(cell);
  });

  it('is stable only if every fork was, and says nothing of stability for counted runs', () => {
    expect(combineForks(1, [part([1]), part([1], { stable: false })], 'ort-wasm').stable).toBe(false);
    expect(combineForks(1, [part([1], { stable: null })], 'ort-wasm')).not.toHaveProperty('stable');
    expect(combineForks(1, [part([1])], 'cuda').gpu).toEqual({ util_pct: null, mem_mb: null });
  });
});
