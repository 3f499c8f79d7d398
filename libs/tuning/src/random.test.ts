import { describe, expect, it } from 'vitest';
import { createSampler } from './sampler';
import type { Params, SearchSpace } from './types';

const space: SearchSpace = {
  x: { kind: 'float', low: 0, high: 1 },
  lr: { kind: 'float', low: 1e-4, high: 1, log: true },
  n: { kind: 'int', low: 1, high: 4 },
  opt: { kind: 'choice', values: ['sgd', 'adam', 'rmsprop'] },
};

function draw(seed: number, count: number): Params[] {
  const sampler = createSampler(space, { kind: 'random' }, seed, count);
  // Random search ignores results, but the caller must still have finished the visible trials.
  const history = Array.from({ length: count }, (_, index) => ({ index, params: {}, value: 0 }));
  return Array.from({ length: count }, (_, k) => {
    const p = sampler.propose(k, history);
    if (p === null) throw new Error('budget ran out early');
    return p;
  });
}

describe('random search', () => {
  it('gives the same trials for the same seed and different ones for another seed', () => {
    expect(draw(42, 50)).toEqual(draw(42, 50));
    expect(draw(43, 50)).not.toEqual(draw(42, 50));
  });

  it('is uniform on linear axes, log-uniform on log axes, and fair over ints and choices', () => {
    const n = 3000;
    const samples = draw(5, n);
    const count = (pred: (p: Params) => boolean): number => samples.filter(pred).length;
    // Ten equal bins of x: expect 300 each; 4 sd of a binomial(3000, 0.1) is about 66.
    for (let b = 0; b < 10; b++) {
      const inBin = count((p) => Number(p.x) >= b / 10 && Number(p.x) < (b + 1) / 10);
      expect(Math.abs(inBin - n / 10)).toBeLessThan(66);
    }
    // Log-uniform on [1e-4, 1]: each decade holds a quarter.
    for (const decade of [-4, -3, -2, -1]) {
      const inDecade = count((p) => Number(p.lr) >= 10 ** decade && Number(p.lr) < 10 ** (decade + 1));
      expect(Math.abs(inDecade - n / 4)).toBeLessThan(100);
    }
    for (const v of [1, 2, 3, 4]) expect(Math.abs(count((p) => p.n === v) - n / 4)).toBeLessThan(100);
    for (const v of ['sgd', 'adam', 'rmsprop']) expect(Math.abs(count((p) => p.opt === v) - n / 3)).toBeLessThan(110);
    expect(samples.every((p) => Number.isInteger(p.n))).toBe(true);
  });

  it('stops at the budget', () => {
    const sampler = createSampler(space, { kind: 'random' }, 1, 3);
    expect(sampler.total).toBe(3);
    expect(sampler.propose(3, [0, 1, 2].map((index) => ({ index, params: {}, value: 0 })))).toBeNull();
  });
});
