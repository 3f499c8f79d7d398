import { streamRng, STREAM } from './rng';
import { fromInternal, isActive, paramOrder, toInternal } from './space';
import type { Params, ParamSpec, ParamValue, SearchSpace } from './types';

export const DEFAULT_POINTS_PER_AXIS = 5;

/** The values one axis takes: every choice; evenly spaced floats (log axes: geometric), ends included. */
export function axisValues(spec: ParamSpec, points: number): ParamValue[] {
  if (spec.kind === 'choice') return [...spec.values];
  if (spec.kind === 'int') {
    const step = spec.step ?? 1;
    const count = Math.floor((spec.high - spec.low) / step) + 1;
    if (count <= points) return Array.from({ length: count }, (_, i) => spec.low + i * step);
  }
  const a = toInternal(spec, spec.low);
  const b = toInternal(spec, spec.high);
  const out: number[] = [];
  for (let i = 0; i < points; i++) {
    // 12 significant digits: a log grid from 0.1 to 10 reads 0.1, 1, 10 rather than 0.9999999999999998.
    const raw = i === points - 1 ? spec.high : fromInternal(spec, a + ((b - a) * i) / (points - 1));
    const v = spec.kind === 'float' ? Number(raw.toPrecision(12)) : raw;
    if (out[out.length - 1] !== v) out.push(v);
  }
  return out;
}

/**
 * Every grid point, first parameter slowest. A conditional parameter is crossed only with the
 * branches where its condition holds (C x gamma for rbf, C alone for linear), so no point repeats.
 */
export function gridPoints(space: SearchSpace, pointsPerAxis = DEFAULT_POINTS_PER_AXIS): Params[] {
  const order = paramOrder(space);
  const out: Params[] = [];
  const walk = (i: number, params: Params): void => {
    const name = order[i];
    if (name === undefined) {
      out.push({ ...params });
      return;
    }
    const spec = space[name];
    if (!spec || !isActive(spec, params)) return walk(i + 1, params);
    for (const v of axisValues(spec, pointsPerAxis)) walk(i + 1, { ...params, [name]: v });
  };
  walk(0, {});
  return out;
}

/**
 * The points a grid study runs: the whole grid in order when the budget allows, otherwise a
 * seeded random subset of `budget` points, still in grid order.
 */
export function gridPlan(space: SearchSpace, pointsPerAxis: number | undefined, seed: number, budget: number): Params[] {
  const all = gridPoints(space, pointsPerAxis ?? DEFAULT_POINTS_PER_AXIS);
  if (budget >= all.length) return all;
  const rng = streamRng(seed, STREAM.grid, 0);
  const idx = all.map((_, i) => i);
  for (let i = idx.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = idx[i] as number;
    idx[i] = idx[j] as number;
    idx[j] = t;
  }
  return idx
    .slice(0, budget)
    .sort((x, y) => x - y)
    .map((i) => all[i] as Params);
}
