import { describe, expect, it } from 'vitest';
import { shouldPrune } from './pruning';
import type { Method, Pruner, Trial } from './types';

const method: Method = { kind: 'random' };
const asha: Pruner = { rule: 'successive_halving' };
const done = (index: number, intermediate: number[]): Trial => ({ index, params: {}, value: intermediate[intermediate.length - 1] ?? null, pruned_at_epoch: null, intermediate });
const stopped = (index: number, intermediate: number[]): Trial => ({ index, params: {}, value: null, pruned_at_epoch: intermediate.length, intermediate });

describe('successive halving (ASHA, reduction factor 3, rungs at epochs 1, 3, 9)', () => {
  // Epoch-1 values 0.3..0.7, epoch-3 values 0.5..0.9.
  const history = [
    done(0, [0.3, 0.4, 0.5, 0.6]),
    done(1, [0.4, 0.5, 0.6, 0.7]),
    done(2, [0.5, 0.6, 0.7, 0.8]),
    done(3, [0.6, 0.7, 0.8, 0.9]),
    done(4, [0.7, 0.8, 0.9, 0.95]),
  ];

  it('at a rung keeps only the top third of the trials that reached it, the trial itself included', () => {
    // Six compete at epoch 1 (five seen + itself): the best two go on.
    expect(shouldPrune(history, { index: 7, intermediate: [0.65] }, method, asha)).toEqual({ prune: false, epoch: 1, threshold: 0.65, compared_with: 5 });
    expect(shouldPrune(history, { index: 7, intermediate: [0.55] }, method, asha)).toEqual({ prune: true, epoch: 1, threshold: 0.6, compared_with: 5 });
    // Epoch 3: 0.9 and 0.8 seen; 0.85 is second best, 0.75 is not.
    expect(shouldPrune(history, { index: 7, intermediate: [0.65, 0, 0.85] }, method, asha)).toMatchObject({ prune: false, threshold: 0.85 });
    expect(shouldPrune(history, { index: 7, intermediate: [0.65, 0, 0.75] }, method, asha)).toMatchObject({ prune: true, threshold: 0.8 });
  });

  it('never prunes between rungs', () => {
    expect(shouldPrune(history, { index: 7, intermediate: [0.65, 0] }, method, asha)).toEqual({ prune: false, epoch: 2, threshold: null, compared_with: 0 });
    expect(shouldPrune(history, { index: 7, intermediate: [0.65, 0.8, 0.9, 0] }, method, asha).prune).toBe(false);
  });

  it('lets the first trial at a rung go on, and with fewer than three competing only the best', () => {
    expect(shouldPrune(history, { index: 2, intermediate: [0] }, method, asha)).toMatchObject({ prune: false, compared_with: 0 });
    // Trial 3 sees trial 0 only (0.3 at epoch 1).
    expect(shouldPrune(history, { index: 3, intermediate: [0.29] }, method, asha)).toMatchObject({ prune: true, threshold: 0.3, compared_with: 1 });
    expect(shouldPrune(history, { index: 3, intermediate: [0.3] }, method, asha).prune).toBe(false);
  });

  it('counts the trials stopped at or after a rung there, not those stopped before it', () => {
    const mixed = [done(0, [0.5, 0.6, 0.7, 0.8]), stopped(1, [0.9]), done(2, [0.4, 0.5, 0.6, 0.7]), stopped(3, [0.45, 0.55, 0.62]), stopped(4, [0.1])];
    // Epoch 1: all five compete, so 0.52 is second of six (behind the stopped 0.9) and goes on.
    expect(shouldPrune(mixed, { index: 7, intermediate: [0.52] }, method, asha)).toMatchObject({ prune: false, threshold: 0.52, compared_with: 5 });
    // Epoch 3: trials 1 and 4 never got there; of 0.7, 0.62, 0.6 and itself only the best goes on.
    expect(shouldPrune(mixed, { index: 7, intermediate: [0.52, 0.6, 0.66] }, method, asha)).toMatchObject({ prune: true, threshold: 0.7, compared_with: 3 });
  });

  it('puts rungs at min_resource x reduction_factor^i', () => {
    const halving: Pruner = { rule: 'successive_halving', min_resource: 2, reduction_factor: 2 };
    // Rungs at 2, 4, 8: a hopeless trial survives epochs 1 and 3 and is stopped at 2 and 4.
    expect(shouldPrune(history, { index: 7, intermediate: [0] }, method, halving).prune).toBe(false);
    // Epoch 2: half of six go on, so the cut-off is the third best, 0.6.
    expect(shouldPrune(history, { index: 7, intermediate: [0, 0] }, method, halving)).toMatchObject({ prune: true, threshold: 0.6 });
    expect(shouldPrune(history, { index: 7, intermediate: [0, 0.9, 0] }, method, halving).prune).toBe(false);
    expect(shouldPrune(history, { index: 7, intermediate: [0, 0.9, 0, 0] }, method, halving).prune).toBe(true);
  });

  it('stops a trial whose value is not a number', () => {
    expect(shouldPrune(history, { index: 7, intermediate: [Number.NaN] }, method, asha).prune).toBe(true);
  });

  it('decides from the visible trials only, whatever else finished and in whatever order results arrived', () => {
    // Trial 5 sees trials 0..2 (0.3, 0.4, 0.5 at epoch 1): 0.45 is second of four, and only the best goes on.
    const strongLate = [done(3, [0.99, 0.99, 0.99, 0.99]), done(4, [0.98, 0.98, 0.98, 0.98]), done(6, [0.97, 0.97, 0.97, 0.97])];
    const inOrder = shouldPrune(history.slice(0, 3), { index: 5, intermediate: [0.45] }, method, asha);
    expect(inOrder).toEqual({ prune: true, epoch: 1, threshold: 0.5, compared_with: 3 });
    const arrivals = [
      [...history.slice(0, 3), ...strongLate],
      [...strongLate, ...history.slice(0, 3)].reverse(),
      [history[2], strongLate[0], history[0], strongLate[2], history[1]].filter((t): t is Trial => t !== undefined),
    ];
    for (const arrived of arrivals) expect(shouldPrune(arrived, { index: 5, intermediate: [0.45] }, method, asha)).toEqual(inOrder);
    // A trial it must see has not finished: refuse rather than decide on less.
    expect(() => shouldPrune([history[0], history[2], ...strongLate].filter((t): t is Trial => t !== undefined), { index: 5, intermediate: [0.45] }, method, asha)).toThrow(/trial 1 has not finished/);
  });
});
