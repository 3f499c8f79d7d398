import { describe, expect, it } from 'vitest';
import { createSampler } from './sampler';
import { geneticGenerations } from './genetic';
import { BRANIN_MIN, braninSpace, negBranin, noisyQuadratic, quadratic, quadraticSpace } from './testing/objectives';
import type { GeneticMethod, Method, Params, SearchSpace, Trial } from './types';

const SEEDS = Array.from({ length: 20 }, (_, i) => i + 1);
const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;

/** Serial run of a whole study (the visibility lag still applies inside propose). */
function run(space: SearchSpace, method: Method, seed: number, budget: number, f: (p: Params, k: number) => number, stop?: (v: number) => boolean): Trial[] {
  const sampler = createSampler(space, method, seed, budget);
  const trials: Trial[] = [];
  for (let k = 0; k < sampler.total; k++) {
    const params = sampler.propose(k, trials);
    if (params === null) break;
    const value = f(params, k);
    trials.push({ index: k, params, value });
    if (stop?.(value)) break;
  }
  return trials;
}

describe('Bayesian (TPE) against random search', () => {
  // "Optimum region": Branin within EPS of its global minimum. A run that never gets there counts
  // as BUDGET + 1 evaluations, which flatters random search (it is the one that misses).
  const EPS = 0.3;
  const BUDGET = 150;
  const evaluationsToOptimum = (method: Method, seed: number): number => {
    const trials = run(braninSpace, method, seed, BUDGET, negBranin, (v) => -v <= BRANIN_MIN + EPS);
    const last = trials[trials.length - 1];
    return last && last.value !== null && -last.value <= BRANIN_MIN + EPS ? trials.length : BUDGET + 1;
  };

  it('reaches the Branin optimum region in fewer evaluations than random, averaged over 20 seeds', () => {
    const bayes = SEEDS.map((s) => evaluationsToOptimum({ kind: 'bayesian' }, s));
    const random = SEEDS.map((s) => evaluationsToOptimum({ kind: 'random' }, s));
    console.info(
      `branin, evaluations to within ${EPS} of the minimum (mean of 20 seeds, budget ${BUDGET}): ` +
        `bayesian ${mean(bayes).toFixed(1)} (missed ${bayes.filter((n) => n > BUDGET).length}), ` +
        `random ${mean(random).toFixed(1)} (missed ${random.filter((n) => n > BUDGET).length})`,
    );
    expect(mean(bayes)).toBeLessThan(0.8 * mean(random));
  });

  it('finds a better noisy-quadratic optimum than random with the same 60 trials, averaged over 20 seeds', () => {
    // Judged on the noiseless value of the chosen best, so luck in the noise does not count.
    const bestClean = (method: Method, seed: number): number => {
      const trials = run(quadraticSpace, method, seed, 60, (p, k) => noisyQuadratic(p, seed, k));
      const best = [...trials].sort((a, b) => (b.value ?? -Infinity) - (a.value ?? -Infinity))[0];
      if (!best) throw new Error('no trials');
      return quadratic(best.params);
    };
    const bayes = SEEDS.map((s) => bestClean({ kind: 'bayesian' }, s));
    const random = SEEDS.map((s) => bestClean({ kind: 'random' }, s));
    console.info(`noisy quadratic, true value of the best of 60 trials (max 0, mean of 20 seeds): bayesian ${mean(bayes).toFixed(4)}, random ${mean(random).toFixed(4)}`);
    expect(mean(bayes)).toBeGreaterThan(mean(random));
  });
});

describe('genetic search', () => {
  const study = (elitism: number): GeneticMethod => ({
    kind: 'genetic',
    population: 12,
    generations: 8,
    mutation_rate: 0.2,
    crossover_rate: 0.8,
    elitism,
    tournament_size: 3,
  });

  for (const elitism of [0, 2]) {
    it(`improves on its first generation (elitism ${elitism}), averaged over 20 seeds`, () => {
      const method = study(elitism);
      const firstBest: number[] = [];
      const lastBest: number[] = [];
      const firstMean: number[] = [];
      const lastMean: number[] = [];
      for (const seed of SEEDS) {
        const trials = run(braninSpace, method, seed, 1000, negBranin);
        const gens = geneticGenerations(method, trials);
        expect(gens).toHaveLength(method.generations);
        const first = gens[0];
        const last = gens[gens.length - 1];
        if (!first || !last || first.best === null || last.best === null || first.mean === null || last.mean === null) throw new Error('empty generation');
        firstBest.push(first.best);
        lastBest.push(last.best);
        firstMean.push(first.mean);
        lastMean.push(last.mean);
      }
      console.info(
        `genetic on -branin, elitism ${elitism} (mean of 20 seeds): best ${mean(firstBest).toFixed(3)} → ${mean(lastBest).toFixed(3)}, ` +
          `population mean ${mean(firstMean).toFixed(3)} → ${mean(lastMean).toFixed(3)}`,
      );
      expect(mean(lastBest)).toBeGreaterThan(mean(firstBest));
      expect(mean(lastMean)).toBeGreaterThan(mean(firstMean));
    });
  }

  it('runs population + (generations - 1) x (population - elitism) trials', () => {
    const method = study(2);
    expect(createSampler(braninSpace, method, 1, 1000).total).toBe(12 + 7 * 10);
    expect(createSampler(braninSpace, method, 1, 30).total).toBe(30);
  });
});
