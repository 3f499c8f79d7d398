import { describe, expect, it } from 'vitest';
import type { BenchmarkCell, BenchmarkRecord } from '@inkwell/contracts';
import { benchmarkFixture } from '../testing/benchmark-fixture';
import { deltaTable } from './benchmark-tables';

/** The fixture's record with every cell's throughputs set: `throughput`, and the optional fields of each rule. */
function withCells(b: BenchmarkRecord, set: Partial<BenchmarkCell>): BenchmarkRecord {
  return { ...b, engines: b.engines.map((e) => ({ ...e, cells: e.cells.map((c) => ({ ...c, ...set })) })) };
}

/** The first row's Δ images/s and Δ %. */
function firstDelta(now: BenchmarkRecord, base: BenchmarkRecord): [string, string] {
  const row = deltaTable(now, base).rows[0] ?? [];
  return [row[3] ?? '', row[4] ?? ''];
}

describe('deltas of throughput against a baseline', () => {
  const { benchmark, baseline } = benchmarkFixture();
  if (!baseline) throw new Error('the fixture has a baseline');
  // Second fastest 1,000 (pooled 900) now; the baseline's numbers under each earlier rule.
  const now = withCells(benchmark, { throughput: 1000, throughput_pooled: 900, fork_runs: [10, 10, 10], throughput_fork_rank: 2 });

  it('compares the cells\' throughputs when both follow the same rule', () => {
    expect(firstDelta(now, withCells(baseline, { throughput: 800, throughput_pooled: 700, fork_runs: [10, 10, 10], throughput_fork_rank: 2 }))).toEqual(['+200.0', '+25.0 %']);
  });

  it('compares every fork\'s runs together against the same rank of another number of forks', () => {
    // The second fastest of ten (made before the upper-quartile rule) is not the second fastest of three.
    expect(firstDelta(now, withCells(baseline, { throughput: 1100, throughput_pooled: 750, fork_runs: Array.from({ length: 10 }, () => 3), throughput_fork_rank: 2 }))).toEqual(['+150.0', '+20.0 %']);
    // A fork that made no runs is no fork for the rank: [10, 10, 10, 0] is three.
    expect(firstDelta(now, withCells(baseline, { throughput: 800, throughput_pooled: 700, fork_runs: [10, 10, 10, 0], throughput_fork_rank: 2 }))).toEqual(['+200.0', '+25.0 %']);
  });

  it('compares every fork\'s runs together against a baseline of the fastest fork', () => {
    // Its 1,100 is the fastest fork's: against the second fastest it would read -9.1 %; pooled 900 vs 750 is +20 %.
    expect(firstDelta(now, withCells(baseline, { throughput: 1100, throughput_pooled: 750, fork_runs: [10, 10, 10] }))).toEqual(['+150.0', '+20.0 %']);
  });

  it('compares every fork\'s runs together against a baseline from before 7 Dec, whose throughput is that', () => {
    const old = withCells(baseline, { throughput: 600 });
    for (const c of old.engines.flatMap((e) => e.cells)) expect(c.throughput_pooled).toBeUndefined();
    expect(firstDelta(now, old)).toEqual(['+300.0', '+50.0 %']);
  });
});
