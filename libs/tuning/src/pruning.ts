import type { Method, MedianPrunerOptions, PruneDecision, Trial } from './types';
import { visiblePrefix, visibleTrialCount } from './visibility';

export const DEFAULT_PRUNER_STARTUP = 5;

/**
 * The median rule: after epoch e (= intermediate.length), prune the trial if its value at e is
 * below the median of the values at e of the completed trials it may see (the same visible
 * trials as its proposal, see index.ts), once at least `n_startup_trials` of those completed and
 * from `min_epoch` on. Only completed trials count (as Optuna's MedianPruner): pruned ones never
 * reached the later epochs and would make the median a survivors' median.
 */
export function shouldPrune(
  history: readonly Trial[],
  trial: { index: number; intermediate: readonly number[] },
  method: Method,
  options: MedianPrunerOptions = {},
): PruneDecision {
  const epoch = trial.intermediate.length;
  const visible = visiblePrefix(history, visibleTrialCount(method, trial.index));
  const no: PruneDecision = { prune: false, epoch, median: null, compared_with: 0 };
  const current = trial.intermediate[epoch - 1];
  if (current === undefined || epoch < (options.min_epoch ?? 1)) return no;
  const completed = visible.filter((t) => t.value !== null && (t.pruned_at_epoch === null || t.pruned_at_epoch === undefined));
  if (completed.length < (options.n_startup_trials ?? DEFAULT_PRUNER_STARTUP)) return no;
  const atEpoch = completed.map((t) => t.intermediate?.[epoch - 1]).filter((v): v is number => v !== undefined);
  if (atEpoch.length === 0) return no;
  const m = median(atEpoch);
  return { prune: current < m, epoch, median: m, compared_with: atEpoch.length };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}
