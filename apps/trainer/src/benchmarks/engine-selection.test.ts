import { describe, expect, it } from 'vitest';
import type { BenchmarkCell, BenchmarkConstraint, BenchmarkEngineResult } from '@inkwell/contracts';
import { evaluateConstraints } from './constraint-check';
import { selectEngine } from './engine-selection';

/** A measured cell with the given p99 and throughput (the other latencies follow from p99). */
const cell = (batch: number, p99: number, throughput: number, rss = 200): BenchmarkCell => ({
  batch_size: batch, iterations: 10,
  latency: { mean_ms: p99 / 2, p50_ms: p99 / 2, p95_ms: p99 * 0.9, p99_ms: p99, max_ms: p99, min_ms: p99 / 4 },
  throughput, cpu_pct: 100, peak_rss_mb: rss, gpu: null, warmup: { iterations: 2, total_ms: 1 },
});

const engine = (key: string, o: Partial<BenchmarkEngineResult> & { cells?: BenchmarkCell[] }): BenchmarkEngineResult => ({
  key, engine: 'ort-cpu', threads: 1, variant: 'float32', available: true, unavailable_reason: null, setup_ms: 5,
  accuracy: { test_set: 'mnist:test', count: 10_000, accuracy: 0.99 }, quantization: null, error: null, cells: [], ...o,
});

const ENGINES: BenchmarkEngineResult[] = [
  engine('ort-cpu@1t', { cells: [cell(1, 2, 900), cell(64, 40, 3000)] }),
  engine('ort-cpu@2t', { threads: 2, cells: [cell(1, 1.5, 1100), cell(64, 25, 4500)] }),
  engine('ort-cpu-int8@1t', { engine: 'ort-cpu-int8', variant: 'int8', accuracy: { test_set: 'mnist:test', count: 10_000, accuracy: 0.97 }, cells: [cell(1, 1, 1500), cell(64, 12, 6000, 150)] }),
  engine('ort-wasm', { engine: 'ort-wasm', threads: null, cells: [cell(1, 3, 500), cell(64, 80, 1200)] }),
  engine('cuda', { engine: 'cuda', threads: null, available: false, unavailable_reason: 'no CUDA provider in this onnxruntime-node build', setup_ms: null, accuracy: null }),
];

const select = (constraints: BenchmarkConstraint[], rankBy: 'throughput' | 'latency' = 'throughput') => selectEngine(ENGINES, evaluateConstraints(ENGINES, constraints), constraints, rankBy);

describe('engine selection', () => {
  it('selects the only engine that meets the constraints, and says why each other one lost', () => {
    // Only ort-cpu@2t at batch 64 reaches 4000 img/s with 0.99 accuracy (int8 is faster but reads worse).
    const s = select([{ metric: 'throughput', op: '>', value: 4000 }, { metric: 'accuracy', op: '>=', value: 0.985 }]);
    expect(s.selected).toEqual({ engine_key: 'ort-cpu@2t', engine: 'ort-cpu', threads: 2, variant: 'float32', batch_size: 64 });
    expect(s.summary).toContain('meets every constraint');
    const why = Object.fromEntries(s.not_selected.map((n) => [n.engine_key, n.reason]));
    expect(Object.keys(why).sort()).toEqual(['cuda', 'ort-cpu-int8@1t', 'ort-cpu@1t', 'ort-wasm']);
    expect(why['ort-cpu-int8@1t']).toContain('accuracy = 0.97 (needs >= 0.985)');
    expect(why['cuda']).toBe('unavailable: no CUDA provider in this onnxruntime-node build');
    expect(s.steps.join('\n')).toContain('1 of 8 engine x batch size cells meet all of them (ort-cpu@2t at batch 64)');
  });

  it('selects nothing when no engine meets the constraints, and says so', () => {
    const s = select([{ metric: 'p99_ms', op: '<', value: 0.5 }]);
    expect(s.selected).toBeNull();
    expect(s.summary).toBe('No engine meets every constraint: nothing selected.');
    expect(s.steps.at(-1)).toBe('Nothing is selected: no engine meets every constraint at any batch size.');
    expect(s.not_selected).toHaveLength(5);
    expect(s.not_selected.find((n) => n.engine_key === 'ort-wasm')?.reason).toBe('meets the constraints at no batch size (batch 1: p99_ms = 3 (needs < 0.5); batch 64: p99_ms = 80 (needs < 0.5))');
  });

  it('ranks by throughput or by p99 latency as the request says, then by memory', () => {
    expect(select([]).selected?.engine_key).toBe('ort-cpu-int8@1t');
    expect(select([]).selected?.batch_size).toBe(64);
    expect(select([], 'latency').selected).toMatchObject({ engine_key: 'ort-cpu-int8@1t', batch_size: 1 });
    // A throughput tie goes to the lower peak RSS.
    const tied = [engine('a', { cells: [cell(8, 5, 1000, 300)] }), engine('b', { cells: [cell(8, 5, 1000, 250)] })];
    const s = selectEngine(tied, evaluateConstraints(tied, []), [], 'throughput');
    expect(s.selected?.engine_key).toBe('b');
    expect(s.not_selected[0]?.reason).toContain('ties on throughput');
  });

  it('fails a constraint on a metric the engine did not measure', () => {
    const noAccuracy = [engine('x', { accuracy: null, cells: [cell(1, 1, 100)] })];
    const evals = evaluateConstraints(noAccuracy, [{ metric: 'accuracy', op: '>=', value: 0.5 }]);
    expect(evals[0]?.checks[0]).toMatchObject({ actual: null, passed: false });
    expect(selectEngine(noAccuracy, evals, [], 'throughput').selected).toBeNull();
  });
});
