import type { Trial } from './types';

/**
 * Order for "better": higher value first, a null value (failed or pruned) last, then the lower
 * index, so ties never depend on finishing order.
 */
export function compareTrials(a: Trial, b: Trial): number {
  const va = a.value ?? -Infinity;
  const vb = b.value ?? -Infinity;
  if (va !== vb) return vb - va;
  return a.index - b.index;
}

/** The best trial with a value, or null when none has one. */
export function bestTrial(trials: readonly Trial[]): Trial | null {
  let best: Trial | null = null;
  for (const t of trials) {
    if (t.value === null) continue;
    if (best === null || compareTrials(t, best) < 0) best = t;
  }
  return best;
}
