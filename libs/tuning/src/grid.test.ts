import { describe, expect, it } from 'vitest';
import { gridPoints } from './grid';
import { createSampler } from './sampler';
import type { Params, SearchSpace } from './types';

const proposeAll = (space: SearchSpace, pointsPerAxis: number | undefined, seed: number, budget: number): Params[] => {
  const sampler = createSampler(space, { kind: 'grid', ...(pointsPerAxis ? { points_per_axis: pointsPerAxis } : {}) }, seed, budget);
  const out: Params[] = [];
  const history = [];
  for (let k = 0; ; k++) {
    const p = sampler.propose(k, history);
    if (p === null) break;
    out.push(p);
    history.push({ index: k, params: p, value: 0 });
  }
  return out;
};

describe('grid search', () => {
  const svm: SearchSpace = {
    C: { kind: 'float', low: 0.1, high: 10, log: true },
    gamma: { kind: 'float', low: 0.001, high: 0.1, log: true },
  };

  it('covers a 3 x 3 log grid exactly, each point once, then stops', () => {
    const points = proposeAll(svm, 3, 1, 100);
    expect(points).toHaveLength(9);
    const expected = [0.1, 1, 10].flatMap((C) => [0.001, 0.01, 0.1].map((gamma) => ({ C, gamma })));
    expect(points).toEqual(expected);
  });

  it('uses every choice and every int when there are few, and spaced ints when there are many', () => {
    const points = gridPoints(
      { opt: { kind: 'choice', values: ['sgd', 'adam'] }, layers: { kind: 'int', low: 1, high: 3 }, batch: { kind: 'int', low: 16, high: 256, log: true } },
      5,
    );
    expect(points).toHaveLength(2 * 3 * 5);
    expect([...new Set(points.map((p) => p.layers))]).toEqual([1, 2, 3]);
    expect([...new Set(points.map((p) => p.batch))]).toEqual([16, 32, 64, 128, 256]);
  });

  it('crosses a conditional parameter only with the branch where it applies', () => {
    const points = gridPoints(
      {
        kernel: { kind: 'choice', values: ['linear', 'rbf'] },
        C: { kind: 'float', low: 0.1, high: 10, log: true },
        gamma: { kind: 'float', low: 0.001, high: 0.1, log: true, when: { param: 'kernel', in: ['rbf'] } },
      },
      3,
    );
    expect(points).toHaveLength(3 + 9);
    expect(points.filter((p) => p.kernel === 'linear').every((p) => !('gamma' in p))).toBe(true);
    expect(points.filter((p) => p.kernel === 'rbf').every((p) => typeof p.gamma === 'number')).toBe(true);
  });

  it('takes a seeded subset of distinct grid points when the budget is smaller than the grid', () => {
    const a = proposeAll(svm, 3, 7, 4);
    expect(a).toHaveLength(4);
    expect(new Set(a.map((p) => JSON.stringify(p))).size).toBe(4);
    expect(proposeAll(svm, 3, 7, 4)).toEqual(a);
    const full = gridPoints(svm, 3).map((p) => JSON.stringify(p));
    expect(a.every((p) => full.includes(JSON.stringify(p)))).toBe(true);
  });
});
