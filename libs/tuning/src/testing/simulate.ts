import { Rng } from '@inkwell/ml-data';
import { shouldPrune } from '../pruning';
import { visibleTrialCount } from '../visibility';
import type { Method, Params, Pruner, Sampler, Trial } from '../types';

export interface SimulatedTrial {
  index: number;
  params: Params;
  /** Objective after each epoch; the last one is the trial's value. One entry for non-epoch objectives. */
  curve: number[];
}

export interface SimulationOptions {
  /** How many trials may run at once. */
  slots: number;
  /** Seeds the order in which running trials advance and finish. */
  orderSeed: number;
  /** Pruning by this rule when set. */
  pruner?: Pruner;
}

export interface SimulationResult {
  trials: Trial[];
  /** Indices in the order they finished, to show the orders really differed. */
  finishOrder: number[];
  /** Largest number of trials that ran at once. */
  peakRunning: number;
}

/**
 * Runs a study the way a queue would: up to `slots` trials at once, each started only when the
 * visibility rule allows, advancing one epoch at a time in an order drawn from `orderSeed`, so
 * trials finish out of index order. The sampler and the pruner are handed everything finished so
 * far, in finishing order.
 */
export function simulateStudy(
  sampler: Sampler,
  method: Method,
  objective: (params: Params, index: number) => number[],
  options: SimulationOptions,
): SimulationResult {
  const order = new Rng(options.orderSeed);
  const finished: Trial[] = [];
  const finishedSet = new Set<number>();
  const running: { index: number; params: Params; curve: number[]; epoch: number }[] = [];
  const finishOrder: number[] = [];
  let next = 0;
  let peakRunning = 0;
  const canStart = (k: number): boolean => {
    const need = visibleTrialCount(method, k);
    for (let i = 0; i < need; i++) if (!finishedSet.has(i)) return false;
    return true;
  };
  for (;;) {
    while (next < sampler.total && running.length < options.slots && canStart(next)) {
      const params = sampler.propose(next, finished);
      if (params === null) break;
      running.push({ index: next, params, curve: objective(params, next), epoch: 0 });
      next++;
    }
    peakRunning = Math.max(peakRunning, running.length);
    if (running.length === 0) break;
    const at = order.int(running.length);
    const r = running[at];
    if (!r) throw new Error('unreachable');
    r.epoch++;
    let pruned = false;
    if (options.pruner && r.epoch < r.curve.length) {
      const decision = shouldPrune(finished, { index: r.index, intermediate: r.curve.slice(0, r.epoch) }, method, options.pruner);
      pruned = decision.prune;
    }
    if (pruned || r.epoch === r.curve.length) {
      running.splice(at, 1);
      const intermediate = r.curve.slice(0, r.epoch);
      finished.push({
        index: r.index,
        params: r.params,
        value: pruned ? null : (intermediate[intermediate.length - 1] ?? null),
        pruned_at_epoch: pruned ? r.epoch : null,
        intermediate,
      });
      finishedSet.add(r.index);
      finishOrder.push(r.index);
    }
  }
  return { trials: [...finished].sort((a, b) => a.index - b.index), finishOrder, peakRunning };
}
