import type { Rng } from '@inkwell/ml-data';
import { compareTrials } from './best';
import { CategoricalEstimator, ParzenEstimator } from './parzen';
import { fromInternal, internalRange, isActive, paramOrder, sampleUniform, toInternal } from './space';
import type { Params, ParamValue, SearchSpace, Trial } from './types';

export const DEFAULT_CANDIDATES = 24;

/** Optuna's default split: the best 10 % (at most 25) of the trials model "good". */
export function goodCount(n: number): number {
  return Math.min(25, Math.max(1, Math.ceil(0.1 * n)));
}

export function defaultStartup(budget: number): number {
  return Math.max(2, Math.min(10, Math.floor(budget / 4)));
}

/**
 * One TPE proposal (Bergstra et al. 2011), parameter by parameter: split the visible trials into
 * good and bad by value, fit a density to each for this parameter, draw candidates from the good
 * density and keep the one with the highest l(x) / g(x) (which maximises expected improvement).
 * Failed and pruned trials (no value) are always bad. A conditional parameter is modelled only
 * from the trials where it was active.
 */
export function proposeTpe(
  space: SearchSpace,
  visible: readonly Trial[],
  nStartup: number,
  nCandidates: number,
  rng: Rng,
): Params {
  if (visible.filter((t) => t.value !== null).length < nStartup) return sampleUniform(space, rng);
  const ranked = [...visible].sort(compareTrials);
  const nGood = Math.min(goodCount(visible.length), visible.filter((t) => t.value !== null).length);
  const good = ranked.slice(0, nGood);
  const bad = ranked.slice(nGood);
  const params: Params = {};
  for (const name of paramOrder(space)) {
    const spec = space[name];
    if (!spec || !isActive(spec, params)) continue;
    const goodObs = observed(good, name);
    const badObs = observed(bad, name);
    if (spec.kind === 'choice') {
      const index = (v: ParamValue): number => spec.values.findIndex((w) => w === v);
      const l = new CategoricalEstimator(goodObs.map(index), spec.values.length);
      const g = new CategoricalEstimator(badObs.map(index), spec.values.length);
      const pick = argmaxCandidate(nCandidates, () => l.sample(rng), (i) => l.logDensity(i) - g.logDensity(i));
      params[name] = spec.values[pick] as ParamValue;
    } else {
      const [a, b] = internalRange(spec);
      const nums = (obs: ParamValue[]): number[] => obs.filter((v): v is number => typeof v === 'number').map((v) => toInternal(spec, v));
      const l = new ParzenEstimator(nums(goodObs), a, b);
      const g = new ParzenEstimator(nums(badObs), a, b);
      // Ints are scored at their rounded value, so l/g compares the points that would really run.
      const snap = (x: number): number => toInternal(spec, fromInternal(spec, x));
      const x = argmaxCandidate(nCandidates, () => snap(l.sample(rng)), (c) => l.logDensity(c) - g.logDensity(c));
      params[name] = fromInternal(spec, x);
    }
  }
  return params;
}

function observed(trials: readonly Trial[], name: string): ParamValue[] {
  const out: ParamValue[] = [];
  for (const t of trials) {
    const v = t.params[name];
    if (v !== undefined) out.push(v);
  }
  return out;
}

function argmaxCandidate<T>(n: number, draw: () => T, score: (c: T) => number): T {
  let best = draw();
  let bestScore = score(best);
  for (let i = 1; i < n; i++) {
    const c = draw();
    const s = score(c);
    if (s > bestScore) {
      best = c;
      bestScore = s;
    }
  }
  return best;
}
