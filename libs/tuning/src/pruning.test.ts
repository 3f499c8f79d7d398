import { describe, expect, it } from 'vitest';
import { shouldPrune } from './pruning';
import type { Method, Pruner, Trial } from './types';

const method: Method = { kind: 'random' };
const done = (index: number, intermediate: number[]): Trial => ({ index, params: {}, value: intermediate[intermediate.length - 1] ?? null, pruned_at_epoch: null, intermediate });

const medianOf = (n_startup_trials: number, min_epoch?: number): Pruner => ({ rule: 'median', n_startup_trials, ...(min_epoch === undefined ? {} : { min_epoch }) });

describe('median pruning', () => {
  // Trials 0..4 completed with accuracies at epochs 1..3; medians: 0.5, 0.7, 0.8.
  const history = [
    done(0, [0.3, 0.5, 0.6]),
    done(1, [0.4, 0.6, 0.7]),
    done(2, [0.5, 0.7, 0.8]),
    done(3, [0.6, 0.8, 0.9]),
    done(4, [0.7, 0.9, 0.95]),
  ];

  it('prunes a trial below the median of the visible completed trials at that epoch, not one at or above it', () => {
    const low = shouldPrune(history, { index: 7, intermediate: [0.45] }, method, medianOf(5));
    expect(low).toEqual({ prune: true, epoch: 1, threshold: 0.5, compared_with: 5 });
    expect(shouldPrune(history, { index: 7, intermediate: [0.5] }, method, medianOf(5)).prune).toBe(false);
    expect(shouldPrune(history, { index: 7, intermediate: [0.6, 0.65] }, method, medianOf(5))).toMatchObject({ prune: true, epoch: 2, threshold: 0.7 });
  });

  it('waits for n_startup_trials completed trials and for min_epoch', () => {
    expect(shouldPrune(history, { index: 7, intermediate: [0.1] }, method, medianOf(6)).prune).toBe(false);
    expect(shouldPrune(history, { index: 7, intermediate: [0.1] }, method, medianOf(5, 2)).prune).toBe(false);
    expect(shouldPrune(history, { index: 7, intermediate: [0.1, 0.1] }, method, medianOf(5, 2)).prune).toBe(true);
  });

  it('sees only the trials its proposal saw: trial k judges against trials 0..k-3', () => {
    // Trial 5 may see trials 0..2 (median 0.4 at epoch 1), even though 3 and 4 finished too.
    expect(shouldPrune(history, { index: 5, intermediate: [0.45] }, method, medianOf(3))).toMatchObject({ prune: false, threshold: 0.4, compared_with: 3 });
    expect(shouldPrune(history.slice(0, 3), { index: 5, intermediate: [0.45] }, method, medianOf(3))).toMatchObject({ prune: false, threshold: 0.4 });
    expect(() => shouldPrune(history.slice(1), { index: 5, intermediate: [0.45] }, method, medianOf(3))).toThrow(/trial 0 has not finished/);
  });

  it('leaves pruned and failed trials out of the median', () => {
    const withPruned = [
      ...history.slice(0, 4),
      { index: 4, params: {}, value: null, pruned_at_epoch: 1, intermediate: [0.0] },
      { index: 5, params: {}, value: null, pruned_at_epoch: null, intermediate: [] },
    ];
    // Completed: 0..3, epoch-1 values 0.3..0.6, median 0.45.
    expect(shouldPrune(withPruned, { index: 8, intermediate: [0.44] }, method, medianOf(4))).toMatchObject({ prune: true, threshold: 0.45, compared_with: 4 });
  });
});

describe('percentile pruning', () => {
  // Epoch-1 values of five completed trials: 0.3, 0.4, 0.5, 0.6, 0.7.
  const history = [done(0, [0.3, 0.5]), done(1, [0.4, 0.6]), done(2, [0.5, 0.7]), done(3, [0.6, 0.8]), done(4, [0.7, 0.9])];
  const p60: Pruner = { rule: 'percentile', percentile: 60, n_startup_trials: 3 };

  it('prunes below the percentile, interpolated between ranks: the 60th of 0.3..0.7 is 0.54', () => {
    const at = shouldPrune(history, { index: 7, intermediate: [0.53] }, method, p60);
    expect(at).toMatchObject({ prune: true, epoch: 1, compared_with: 5 });
    expect(at.threshold).toBeCloseTo(0.54, 12);
    expect(shouldPrune(history, { index: 7, intermediate: [0.55] }, method, p60).prune).toBe(false);
    // The median rule would have let 0.53 go on.
    expect(shouldPrune(history, { index: 7, intermediate: [0.53] }, method, medianOf(3)).prune).toBe(false);
  });

  it('at 50 is the median rule', () => {
    for (const v of [0.45, 0.5, 0.55]) {
      const p50 = shouldPrune(history, { index: 7, intermediate: [v] }, method, { rule: 'percentile', percentile: 50, n_startup_trials: 3 });
      const med = shouldPrune(history, { index: 7, intermediate: [v] }, method, medianOf(3));
      expect(p50).toEqual(med);
    }
  });

  it('waits for n_startup_trials visible completed trials, and judges against those only', () => {
    // Trial 5 sees trials 0..2 (0.3, 0.4, 0.5: 60th percentile 0.42); 3 and 4 finished too but are not visible.
    expect(shouldPrune(history, { index: 5, intermediate: [0.41] }, method, p60)).toMatchObject({ prune: true, compared_with: 3 });
    expect(shouldPrune(history, { index: 5, intermediate: [0.43] }, method, p60).prune).toBe(false);
    expect(shouldPrune([...history].reverse(), { index: 5, intermediate: [0.41] }, method, p60)).toEqual(shouldPrune(history.slice(0, 3), { index: 5, intermediate: [0.41] }, method, p60));
    expect(shouldPrune(history, { index: 4, intermediate: [0.1] }, method, p60).prune).toBe(false);
  });
});
