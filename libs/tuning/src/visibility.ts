import type { Method, Trial } from './types';

/**
 * The fixed lag of the visibility rule: the gpu queue's two slots. It is a constant, not the
 * parallelism a study happens to run with, so one trial at a time and two at a time see the same
 * results and so propose the same parameters.
 */
export const VISIBILITY_LAG = 2;

/**
 * How many leading trials (indices 0..n-1) trial `index` may see, both when it is proposed and
 * when it is judged by the pruner.
 * - grid, random, bayesian: `index - 2`. With two slots, trial k is proposed when trial k-1 (and
 *   perhaps k-2, if k-1 overtook it) may still be running, so waiting for 0..k-3 seldom idles a slot.
 * - genetic: every trial of the earlier generations (a generation is a batch; children are bred
 *   from the whole previous population), so `generationStart(index)`.
 */
export function visibleTrialCount(method: Method, index: number): number {
  if (method.kind === 'genetic') return generationOf(method, index).start;
  return Math.max(0, index - VISIBILITY_LAG);
}

/**
 * Genetic studies: generation 0 runs `population` trials; every later generation runs
 * `population - elitism` children (the elites carry over without a re-run).
 */
export function generationOf(
  method: { population: number; elitism: number },
  index: number,
): { generation: number; start: number; size: number } {
  const first = method.population;
  if (index < first) return { generation: 0, start: 0, size: first };
  const size = method.population - method.elitism;
  const generation = 1 + Math.floor((index - first) / size);
  return { generation, start: first + (generation - 1) * size, size };
}

/**
 * The first `count` trials of `history` in index order. Throws when one is missing: the caller
 * broke the rule "trial k starts only after trials 0..visibleTrialCount(k)-1 finished", and a
 * proposal made now would depend on finishing order.
 */
export function visiblePrefix(history: readonly Trial[], count: number): Trial[] {
  const byIndex = new Map<number, Trial>();
  for (const t of history) if (t.index < count) byIndex.set(t.index, t);
  const out: Trial[] = [];
  for (let i = 0; i < count; i++) {
    const t = byIndex.get(i);
    if (!t) throw new Error(`trial ${i} has not finished; it must before this proposal (visibility rule)`);
    out.push(t);
  }
  return out;
}
