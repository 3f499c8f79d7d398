import { describe, expect, it } from 'vitest';
import { bestTrial } from './best';
import { createSampler } from './sampler';
import { quadratic, quadraticSpace } from './testing/objectives';
import { simulateStudy } from './testing/simulate';
import type { Method, Params, Pruner } from './types';

const EPOCHS = 5;
// A learning curve per trial: rises towards a level set by the quadratic, with a wobble fixed by
// (params, epoch), so a trial's results never depend on when or beside whom it ran.
const curve = (p: Params): number[] => {
  const level = 1 + quadratic(p);
  return Array.from({ length: EPOCHS }, (_, e) => level * (1 - 0.5 ** (e + 1)) + 0.01 * Math.sin(1000 * level * (e + 1)));
};

const methods: Method[] = [
  { kind: 'grid', points_per_axis: 3 },
  { kind: 'random' },
  { kind: 'genetic', population: 6, generations: 4, mutation_rate: 0.3, crossover_rate: 0.7, elitism: 1, tournament_size: 2 },
  { kind: 'bayesian', n_startup: 4 },
];

const pruners: Pruner[] = [
  { rule: 'median', n_startup_trials: 3 },
  { rule: 'percentile', percentile: 60, n_startup_trials: 3 },
  { rule: 'successive_halving', min_resource: 1, reduction_factor: 3 },
];

describe('reproducible whatever the parallelism (visibility rule)', () => {
  for (const method of methods) for (const pruner of pruners) {
    it(`${method.kind}, ${pruner.rule} pruning: one at a time and two at a time (random finishing orders) give the same trials, prunes and best`, () => {
      const run = (slots: number, orderSeed: number) =>
        simulateStudy(createSampler(quadraticSpace, method, 11, 24), method, curve, { slots, orderSeed, pruner });
      const serial = run(1, 0);
      expect(serial.trials).toHaveLength(createSampler(quadraticSpace, method, 11, 24).total);
      // The pruner really acts in these studies, so its decisions are part of what is compared.
      expect(serial.trials.some((t) => t.pruned_at_epoch !== null)).toBe(true);
      let outOfOrder = 0;
      for (const orderSeed of [1, 2, 3, 4, 5]) {
        for (const slots of [2, 3]) {
          const parallel = run(slots, orderSeed);
          expect(parallel.peakRunning).toBe(slots);
          if (parallel.finishOrder.some((k, i) => k !== i)) outOfOrder++;
          expect(parallel.trials.map((t) => t.params)).toEqual(serial.trials.map((t) => t.params));
          expect(parallel.trials.map((t) => t.pruned_at_epoch)).toEqual(serial.trials.map((t) => t.pruned_at_epoch));
          expect(bestTrial(parallel.trials)).toEqual(bestTrial(serial.trials));
        }
      }
      // The parallel runs did finish trials out of index order, or the comparison proves little.
      expect(outOfOrder).toBeGreaterThan(5);
    });
  }

  it('refuses to propose before the trials it may see have finished', () => {
    const method: Method = { kind: 'bayesian' };
    const sampler = createSampler(quadraticSpace, method, 1, 20);
    const done = [0, 1, 3].map((index) => ({ index, params: { a: 0, b: 0, lr: 0.01 }, value: 0 }));
    // Trial 5 sees trials 0..2; trial 2 is still running.
    expect(() => sampler.propose(5, done)).toThrow(/trial 2 has not finished/);
    expect(sampler.propose(4, done)).not.toBeNull();
  });

  it('ignores finished trials beyond the visible ones, so early finishers change nothing', () => {
    const method: Method = { kind: 'bayesian', n_startup: 2 };
    const sampler = createSampler(quadraticSpace, method, 3, 20);
    const trials = Array.from({ length: 8 }, (_, index) => ({ index, params: { a: index / 10, b: 0, lr: 0.01 }, value: -index }));
    const seen = trials.slice(0, 6);
    expect(sampler.propose(8, trials)).toEqual(sampler.propose(8, seen));
    expect(sampler.propose(8, [...trials].reverse())).toEqual(sampler.propose(8, seen));
  });
});
