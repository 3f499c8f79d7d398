import { z } from 'zod';
import { BenchmarkRecord, type BenchmarkList } from '@inkwell/contracts';

/**
 * What a benchmark report is rendered from, as fetched from the trainer and stored with the
 * report: the benchmark, and the previous completed benchmark of the same model (the deltas'
 * baseline), or null when there is none.
 */
export const BenchmarkInputs = z.object({
  kind: z.literal('benchmark'),
  benchmark: BenchmarkRecord,
  baseline: BenchmarkRecord.nullable(),
});
export type BenchmarkInputs = z.infer<typeof BenchmarkInputs>;

/** The subject's time: when the benchmark finished (its creation while it has not). */
export const benchmarkTime = (i: BenchmarkInputs): string => i.benchmark.finished_at ?? i.benchmark.created_at;

const sameModel = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((id, k) => id === b[k]);

/**
 * The previous benchmark of the same model: completed, of the very same version set (an ensemble
 * in the same order), created before this one; the newest of those (ties: the smaller id, so the
 * choice never depends on the listing's order). Null when there is none.
 */
export function previousBenchmarkId(current: BenchmarkRecord, list: BenchmarkList): string | null {
  const at = Date.parse(current.created_at);
  const earlier = list.items
    .filter((b) => b.id !== current.id && b.status === 'completed' && sameModel(b.model_version_ids, current.model_version_ids) && Date.parse(b.created_at) < at)
    .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return earlier[0]?.id ?? null;
}
