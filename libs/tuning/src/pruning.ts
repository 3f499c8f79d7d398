import type { MedianPruner, Method, PercentilePruner, PruneDecision, Pruner, SuccessiveHalvingPruner, Trial } from './types';
import { visiblePrefix, visibleTrialCount } from './visibility';

export const DEFAULT_PRUNER_STARTUP = 5;
export const DEFAULT_MIN_RESOURCE = 1;
export const DEFAULT_REDUCTION_FACTOR = 3;

/**
 * The rule a study gets when it asks for pruning without naming one: stop a trial below the 60th
 * percentile of the visible completed trials at that epoch, once 3 have completed. On the
 * 12-trial CNN bench's curves (bench/tuning-pruning/rules.ts) it was the one rule tried that
 * stops over 30 % of the epochs of two real studies and kept the best trial in every one of 4,000
 * reorderings of them; the median rule with 5 (or 3) startup trials stopped 12.5 % (25 %), and
 * successive halving with reduction factor 3 stopped about 40 % but lost the best trial in 8 to
 * 27 % of the reorderings (the table is in this library's README).
 */
export const DEFAULT_PRUNER: Pruner = { rule: 'percentile', percentile: 60, n_startup_trials: 3 };

/**
 * Whether to stop a trial after epoch e (= intermediate.length). Every rule judges it against the
 * same visible trials as its proposal (visibility.ts: trials 0..k-3, or the earlier generations),
 * never against whatever else happens to have finished, so its decisions do not depend on how many
 * trials ran at once or on finishing order; it throws if one of those trials is missing.
 */
export function shouldPrune(
  history: readonly Trial[],
  trial: { index: number; intermediate: readonly number[] },
  method: Method,
  pruner: Pruner = DEFAULT_PRUNER,
): PruneDecision {
  const visible = visiblePrefix(history, visibleTrialCount(method, trial.index));
  switch (pruner.rule) {
    case 'median':
      return percentileRule(visible, trial.intermediate, pruner, 50);
    case 'percentile':
      return percentileRule(visible, trial.intermediate, pruner, pruner.percentile);
    case 'successive_halving':
      return successiveHalving(visible, trial.intermediate, pruner);
  }
}

/**
 * Only completed trials count (as Optuna's MedianPruner and PercentilePruner): pruned ones never
 * reached the later epochs and would make the median a survivors' median.
 */
function percentileRule(visible: readonly Trial[], intermediate: readonly number[], options: MedianPruner | PercentilePruner, p: number): PruneDecision {
  const epoch = intermediate.length;
  const no: PruneDecision = { prune: false, epoch, threshold: null, compared_with: 0 };
  const current = intermediate[epoch - 1];
  if (current === undefined || epoch < (options.min_epoch ?? 1)) return no;
  const completed = visible.filter((t) => t.value !== null && (t.pruned_at_epoch === null || t.pruned_at_epoch === undefined));
  if (completed.length < (options.n_startup_trials ?? DEFAULT_PRUNER_STARTUP)) return no;
  const atEpoch = completed.map((t) => t.intermediate?.[epoch - 1]).filter((v): v is number => v !== undefined);
  if (atEpoch.length === 0) return no;
  const cut = percentile(atEpoch, p);
  return { prune: current < cut, epoch, threshold: cut, compared_with: atEpoch.length };
}

/**
 * Every visible trial that reached the rung competes, pruned ones included: unlike a median over
 * later epochs, a rung compares values all taken at the same epoch, and leaving out the trials
 * that were stopped there would raise nobody's bar. The cut-off is the value of the
 * floor(n / reduction_factor)-th best of the n competitors (the trial itself among them), at least
 * the best one, so the first trial at a rung always goes on.
 */
function successiveHalving(visible: readonly Trial[], intermediate: readonly number[], options: SuccessiveHalvingPruner): PruneDecision {
  const epoch = intermediate.length;
  const no: PruneDecision = { prune: false, epoch, threshold: null, compared_with: 0 };
  const current = intermediate[epoch - 1];
  if (current === undefined || !isRung(epoch, options.min_resource ?? DEFAULT_MIN_RESOURCE, options.reduction_factor ?? DEFAULT_REDUCTION_FACTOR)) return no;
  const others = visible.map((t) => t.intermediate?.[epoch - 1]).filter((v): v is number => v !== undefined && Number.isFinite(v));
  const competing = [...others, current].sort((a, b) => b - a);
  const promoted = Math.max(1, Math.floor(competing.length / (options.reduction_factor ?? DEFAULT_REDUCTION_FACTOR)));
  const cutoff = competing[promoted - 1] as number;
  // `!(>=)` so that a NaN accuracy (a diverged net) is pruned, never promoted.
  return { prune: !(current >= cutoff), epoch, threshold: cutoff, compared_with: others.length };
}

/** Rungs sit at min_resource * reduction_factor^i epochs (i = 0, 1, ...). */
function isRung(epoch: number, minResource: number, reductionFactor: number): boolean {
  for (let rung = minResource; rung <= epoch; rung *= reductionFactor) if (rung === epoch) return true;
  return false;
}

/** Linear interpolation between the two nearest ranks (numpy's default); p = 50 is the median. */
function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  const pos = (p / 100) * (s.length - 1);
  const lo = Math.floor(pos);
  const below = s[lo] as number;
  const above = s[Math.min(lo + 1, s.length - 1)] as number;
  return below + (above - below) * (pos - lo);
}
