import { describe, expect, it } from 'vitest';
import { combineForks, throughputForkRank } from './combine-forks';
import type { CellMeasurement } from './measure-cell';
import { latencyStats, throughputOf } from './latency-stats';

const part = (samplesMs: number[], o: Partial<CellMeasurement> = {}): CellMeasurement => ({ samplesMs, warmupRuns: 2, warmupMs: 10, stable: true, wallMs: 100, cpuPct: 100, peakRssMb: 50, ...o });

describe('one cell from its forks', () => {
  it('is the latency statistics of the runs of every fork together, in fork order, with two forks the faster one\'s throughput, and the same every time', () => {
    const parts = [part([2, 4, 3]), part([5, 2], { wallMs: 300, cpuPct: 60, peakRssMb: 80, warmupRuns: 1, warmupMs: 4 })];
    const cell = combineForks(8, parts, 'ort-cpu');
    expect(cell.samples_ms).toEqual([2, 4, 3, 5, 2]);
    expect(cell.fork_runs).toEqual([3, 2]);
    expect(cell.iterations).toBe(5);
    expect(cell.latency).toEqual(latencyStats([2, 4, 3, 5, 2]));
    // The first fork made 8 images x 3 runs in 9 ms, the second 8 x 2 in 7 ms: the first is the best.
    expect(cell.throughput).toBe(throughputOf([2, 4, 3], 8));
    expect(cell.throughput).toBeCloseTo((8 * 3 * 1000) / 9, 9);
    expect(cell.throughput_fork_rank).toBe(1);
    // Pooled: 8 images x 5 runs over 16 ms of runs.
    expect(cell.throughput_pooled).toBe(throughputOf([2, 4, 3, 5, 2], 8));
    expect(cell.throughput_pooled).toBeCloseTo((8 * 5 * 1000) / 16, 9);
    // CPU % weighted by each fork's wall time; the highest RSS; warmups summed.
    expect(cell.cpu_pct).toBeCloseTo((100 * 100 + 60 * 300) / 400, 9);
    expect(cell.peak_rss_mb).toBe(80);
    expect(cell.warmup).toEqual({ iterations: 3, total_ms: 14 });
    expect(cell.gpu).toBeNull();
    expect(cell.stable).toBe(true);
    expect(combineForks(8, parts, 'ort-cpu')).toEqual(cell);
  });

  it('recomputes both throughputs exactly from the stored samples and runs per fork', () => {
    const parts = [part([1.25, 1.5]), part([]), part([0.75, 2, 1])];
    const cell = combineForks(64, parts, 'ort-cpu-int8');
    const samples = cell.samples_ms ?? [];
    let at = 0;
    const forks = (cell.fork_runs ?? []).map((n) => samples.slice(at, (at += n)));
    expect(forks).toEqual([[1.25, 1.5], [], [0.75, 2, 1]]);
    // A fork without runs (fewer runs than forks) is no candidate for the best.
    expect(cell.throughput).toBe(Math.max(...forks.filter((f) => f.length > 0).map((f) => throughputOf(f, 64))));
    expect(cell.throughput).toBe(throughputOf([0.75, 2, 1], 64));
    expect(cell.throughput_pooled).toBe(throughputOf(samples, 64));
  });

  it('with three to eight forks, is the second fastest fork\'s throughput: not one lucky fork\'s, nor lowered by slow ones', () => {
    // Per fork at batch 10: 10 x 2 runs in 4 ms = 5,000/s; a lucky 10,000/s; a slow phase at 2,000/s; 4,000/s.
    const parts = [part([2, 2]), part([1, 1]), part([5, 5]), part([2.5, 2.5])];
    const cell = combineForks(10, parts, 'ort-cpu');
    expect(cell.throughput_fork_rank).toBe(2);
    expect(cell.throughput).toBeCloseTo(5000, 9);
    expect(cell.throughput).toBe(throughputOf([2, 2], 10));
    // Two more slow forks do not move it; a second lucky one does.
    expect(combineForks(10, [...parts, part([9]), part([8])], 'ort-cpu').throughput).toBe(cell.throughput);
    expect(combineForks(10, [...parts, part([0.5])], 'ort-cpu').throughput).toBe(throughputOf([1, 1], 10));
  });

  it('with nine or ten forks, is the third fastest fork\'s throughput: two lucky sessions do not set it', () => {
    expect([1, 2, 3, 4, 5, 8, 9, 10].map(throughputForkRank)).toEqual([1, 1, 2, 2, 2, 2, 3, 3]);
    // Eight forks at 2,000 images/s (batch 10, 5 ms a run) and two lucky ones at 2,500 and 3,000.
    const parts = [...Array.from({ length: 8 }, () => part([5, 5])), part([4, 4]), part([10 / 3])];
    const cell = combineForks(10, parts, 'ort-cpu');
    expect(cell.throughput_fork_rank).toBe(3);
    expect(cell.throughput).toBe(throughputOf([5, 5], 10));
    expect(cell.throughput).toBeCloseTo(2000, 9);
    // With nine forks, the same; with eight, the second fastest (the lucky 2,500).
    expect(combineForks(10, parts.slice(1), 'ort-cpu').throughput).toBe(cell.throughput);
    expect(combineForks(10, parts.slice(2), 'ort-cpu').throughput).toBe(throughputOf([4, 4], 10));
  });

  it('is stable only if every fork was, and says nothing of stability for counted runs', () => {
    expect(combineForks(1, [part([1]), part([1], { stable: false })], 'ort-wasm').stable).toBe(false);
    expect(combineForks(1, [part([1], { stable: null })], 'ort-wasm')).not.toHaveProperty('stable');
    expect(combineForks(1, [part([1])], 'cuda').gpu).toEqual({ util_pct: null, mem_mb: null });
  });
});
