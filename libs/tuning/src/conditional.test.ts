import { describe, expect, it } from 'vitest';
import { createSampler } from './sampler';
import type { Method, SearchSpace, Trial } from './types';

// gamma only for rbf and poly, degree only for poly: a two-level condition.
const svm: SearchSpace = {
  kernel: { kind: 'choice', values: ['linear', 'rbf', 'poly'] },
  degree: { kind: 'int', low: 2, high: 5, when: { param: 'kernel', in: ['poly'] } },
  gamma: { kind: 'float', low: 1e-4, high: 1, log: true, when: { param: 'kernel', in: ['rbf', 'poly'] } },
  C: { kind: 'float', low: 0.01, high: 100, log: true },
  coef0: { kind: 'float', low: 0, high: 1, when: { param: 'degree', in: [3, 4, 5] } },
};

// Rewards rbf with a mid gamma so TPE and genetic move towards one branch.
const objective = (p: Trial['params']): number => (p.kernel === 'rbf' ? 1 - Math.abs(Math.log10(Number(p.gamma)) + 2) / 4 : 0.2) + Number(p.C) / 1000;

const methods: Method[] = [
  { kind: 'grid', points_per_axis: 3 },
  { kind: 'random' },
  { kind: 'genetic', population: 10, generations: 6, mutation_rate: 0.5, crossover_rate: 0.9, elitism: 1, tournament_size: 2 },
  { kind: 'bayesian', n_startup: 5 },
];

describe('conditional parameters', () => {
  for (const method of methods) {
    it(`${method.kind}: a parameter is present exactly when its condition holds`, () => {
      const sampler = createSampler(svm, method, 3, 60);
      const trials: Trial[] = [];
      for (let k = 0; k < sampler.total; k++) {
        const params = sampler.propose(k, trials);
        if (params === null) break;
        trials.push({ index: k, params, value: objective(params) });
      }
      expect(trials.length).toBeGreaterThan(10);
      for (const { params: p } of trials) {
        expect('gamma' in p).toBe(p.kernel === 'rbf' || p.kernel === 'poly');
        expect('degree' in p).toBe(p.kernel === 'poly');
        expect('coef0' in p).toBe(p.kernel === 'poly' && [3, 4, 5].includes(Number(p.degree)));
        expect(typeof p.C).toBe('number');
      }
      // Each branch is reached, so the check above saw both sides of every condition.
      expect(new Set(trials.map((t) => t.params.kernel)).size).toBe(3);
    });
  }
});
