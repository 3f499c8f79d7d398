import { describe, expect, it } from 'vitest';
import { Rng } from '@inkwell/ml-data';
import { parameterImportance } from './importance';
import { createSampler } from './sampler';
import type { Params, SearchSpace, Trial } from './types';

const space: SearchSpace = {
  lr: { kind: 'float', low: 1e-4, high: 1, log: true },
  dropout: { kind: 'float', low: 0, high: 0.5 },
  optimizer: { kind: 'choice', values: ['sgd', 'adam'] },
};

function study(f: (p: Params) => number, n = 150): Trial[] {
  const sampler = createSampler(space, { kind: 'random' }, 9, n);
  const noise = new Rng(99);
  const trials: Trial[] = [];
  for (let k = 0; k < n; k++) {
    const params = sampler.propose(k, trials);
    if (params === null) break;
    trials.push({ index: k, params, value: f(params) + 0.01 * noise.normal() });
  }
  return trials;
}

const share = (r: ReturnType<typeof parameterImportance>, p: string): number => r.find((x) => x.param === p)?.variance_share ?? NaN;

describe('parameter importance', () => {
  it('gives the dominant parameter most of the variance on a synthetic objective', () => {
    // Accuracy peaks at lr = 1e-2 and barely depends on dropout; optimizer does nothing.
    const trials = study((p) => 0.9 - 0.1 * (Math.log10(Number(p.lr)) + 2) ** 2 + 0.02 * Number(p.dropout));
    const result = parameterImportance(space, trials);
    console.info('importance, lr dominant:', JSON.stringify(result.map((r) => [r.param, Number(r.variance_share.toFixed(3))])));
    expect(result[0]?.param).toBe('lr');
    expect(share(result, 'lr')).toBeGreaterThan(0.8);
    expect(share(result, 'dropout')).toBeLessThan(0.05);
    expect(share(result, 'optimizer')).toBeLessThan(0.05);
    expect(result.reduce((s, r) => s + r.importance, 0)).toBeCloseTo(1, 6);
  });

  it('splits the variance between two parameters that matter equally', () => {
    // optimizer adds 0 or 0.1 (variance 0.0025); dropout, uniform on [0, 0.5], adds up to 0.2 (variance 0.0033).
    const trials = study((p) => (p.optimizer === 'adam' ? 0.1 : 0) + 0.4 * Number(p.dropout), 200);
    const result = parameterImportance(space, trials);
    expect(share(result, 'optimizer')).toBeGreaterThan(0.3);
    expect(share(result, 'dropout')).toBeGreaterThan(0.3);
    expect(share(result, 'lr')).toBeLessThan(0.1);
  });

  it('is deterministic and says nothing when there is nothing to explain', () => {
    const trials = study((p) => Number(p.dropout));
    expect(parameterImportance(space, trials)).toEqual(parameterImportance(space, trials));
    const flat = trials.map((t) => ({ ...t, value: 0.5 }));
    expect(parameterImportance(space, flat).every((r) => r.variance_share === 0 && r.importance === 0)).toBe(true);
  });
});
