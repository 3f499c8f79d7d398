import { RegressionForest } from './regression-forest';
import { streamRng, STREAM } from './rng';
import { paramOrder, toUnit } from './space';
import type { ParameterImportance, SearchSpace, Trial } from './types';

/** Encoding of a conditional parameter that was inactive: below every real position in [0, 1]. */
const INACTIVE = -1;
const MAX_GRID = 16;

/**
 * fANOVA-lite: fit a regression forest to (parameters → value) over the trials with a value, then
 * for each parameter take its partial dependence (the forest's mean prediction with that parameter
 * set to v and the others as observed) and report the variance of that curve over the observed
 * values of the parameter, as a share of the objective's variance. That is the first-order
 * (main-effect) Sobol index of the surrogate; interactions are not attributed to anyone, so the
 * shares sum to at most about 1. Choices are encoded by their index, a limitation for choices
 * with many unordered values. Deterministic: the forest's bootstrap is seeded.
 */
export function parameterImportance(space: SearchSpace, trials: readonly Trial[], seed = 0): ParameterImportance[] {
  const names = paramOrder(space);
  const rated = [...trials].filter((t) => t.value !== null).sort((a, b) => a.index - b.index);
  const y = rated.map((t) => t.value as number);
  const x = rated.map((t) =>
    names.map((name) => {
      const spec = space[name];
      const v = t.params[name];
      return spec && v !== undefined ? toUnit(spec, v) : INACTIVE;
    }),
  );
  const variance = varianceOf(y);
  if (rated.length < 4 || !(variance > 0)) {
    return names.map((param) => ({ param, variance_share: 0, importance: 0 }));
  }
  const forest = RegressionForest.fit(x, y, { trees: 32, maxDepth: 6, minLeaf: 2 }, streamRng(seed, STREAM.forest, 0));
  const shares = names.map((_, f) => {
    const grid = gridOf(x.map((row) => row[f] ?? INACTIVE));
    const pd = new Map<number, number>();
    for (const v of grid) {
      let sum = 0;
      for (const row of x) {
        const r = [...row];
        r[f] = v;
        sum += forest.predict(r);
      }
      pd.set(v, sum / x.length);
    }
    // Each trial's own value of the parameter, snapped to the nearest grid value.
    const curve = x.map((row) => pd.get(nearest(grid, row[f] ?? INACTIVE)) ?? 0);
    return Math.min(1, varianceOf(curve) / variance);
  });
  const sum = shares.reduce((a, b) => a + b, 0);
  return names
    .map((param, i) => ({ param, variance_share: shares[i] ?? 0, importance: sum > 0 ? (shares[i] ?? 0) / sum : 0 }))
    .sort((a, b) => b.variance_share - a.variance_share || a.param.localeCompare(b.param));
}

function gridOf(values: number[]): number[] {
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  if (distinct.length <= MAX_GRID) return distinct;
  return Array.from({ length: MAX_GRID }, (_, i) => distinct[Math.round((i * (distinct.length - 1)) / (MAX_GRID - 1))] as number);
}

function nearest(grid: readonly number[], v: number): number {
  let best = grid[0] ?? v;
  for (const g of grid) if (Math.abs(g - v) < Math.abs(best - v)) best = g;
  return best;
}

function varianceOf(v: readonly number[]): number {
  if (v.length === 0) return 0;
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return v.reduce((a, b) => a + (b - m) * (b - m), 0) / v.length;
}
