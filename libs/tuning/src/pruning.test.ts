import { describe, expect, it } from 'vitest';
import { shouldPrune } from './pruning';
import type { Method, Trial } from './types';

const method: Method = { kind: 'random' };
const done = (index: number, intermediate: number[]): Trial => ({ index, params: {}, value: intermediate[intermediate.length - 1] ?? null, pruned_at_epoch: null, intermediate });

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
    const low = shouldPrune(history, { index: 7, intermediate: [0.45] }, method, { n_startup_trials: 5 });
    expect(low).toEqual({ prune: true, epoch: 1, median: 0.5, compared_with: 5 });
    expect(shouldPrune(history, { index: 7, intermediate: [0.5] }, method, { n_startup_trials: 5 }).prune).toBe(false);
    expect(shouldPrune(history, { index: 7, intermediate: [0.6, 0.65] }, method, { n_startup_trials: 5 })).toMatchObject({ prune: true, epoch: 2, median: 0.7 });
  });

  it('waits for n_startup_trials completed trials and for min_epoch', () => {
    expect(shouldPrune(history, { index: 7, intermediate: [0.1] }, method, { n_startup_trials: 6 }).prune).toBe(false);
    expect(shouldPrune(history, { index: 7, intermediate: [0.1] }, method, { n_startup_trials: 5, min_epoch: 2 }).prune).toBe(false);
    expect(shouldPrune(history, { index: 7, intermediate: [0.1, 0.1] }, method, { n_startup_trials: 5, min_epoch: 2 }).prune).toBe(true);
  });

  it('sees only the trials its proposal saw: trial k judges against trials 0..k-3', () => {
    // Trial 5 may see trials 0..2 (median 0.4 at epoch 1), even though 3 and 4 finished too.
    expect(shouldPrune(history, { index: 5, intermediate: [0.45] }, method, { n_startup_trials: 3 })).toMatchObject({ prune: false, median: 0.4, compared_with: 3 });
    expect(shouldPrune(history.slice(0, 3), { index: 5, intermediate: [0.45] }, method, { n_startup_trials: 3 })).toMatchObject({ prune: false, median: 0.4 });
    expect(() => shouldPrune(history.slice(1), { index: 5, intermediate: [0.45] }, method)).toThrow(/trial 0 has not finished/);
  });

  it('leaves pruned and failed trials out of the median', () => {
    const withPruned = [
      ...history.slice(0, 4),
      { index: 4, params: {}, value: null, pruned_at_epoch: 1, intermediate: [0.0] },
      { index: 5, params: {}, value: null, pruned_at_epoch: null, intermediate: [] },
    ];
    // Completed: 0..3, epoch-1 values 0.3..0.6, median 0.45.
    expect(shouldPrune(withPruned, { index: 8, intermediate: [0.44] }, method, { n_startup_trials: 4 })).toMatchObject({ prune: true, median: 0.45, compared_with: 4 });
  });
});
