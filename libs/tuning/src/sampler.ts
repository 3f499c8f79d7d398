import { AppError } from '@inkwell/contracts';
import { gridPlan } from './grid';
import { geneticTotal, proposeGenetic } from './genetic';
import { streamRng, STREAM } from './rng';
import { sampleUniform } from './space';
import { DEFAULT_CANDIDATES, defaultStartup, proposeTpe } from './tpe';
import { MethodSchema, SearchSpaceSchema, type Method, type Params, type Sampler, type SearchSpace, type Trial } from './types';
import { visiblePrefix, visibleTrialCount } from './visibility';

/**
 * A sampler for one study. `budget` is the most trials the caller will run; grid and genetic may
 * define fewer (`total`). Space and method are validated here too, so a bad study fails before
 * its first trial rather than inside one.
 */
export function createSampler(space: SearchSpace, method: Method, seed: number, budget: number): Sampler {
  const spaceCheck = SearchSpaceSchema.safeParse(space);
  if (!spaceCheck.success) throw new AppError('validation_failed', 'invalid search space', spaceCheck.error.issues);
  const methodCheck = MethodSchema.safeParse(method);
  if (!methodCheck.success) throw new AppError('validation_failed', 'invalid tuning method', methodCheck.error.issues);
  if (!Number.isInteger(budget) || budget < 1) throw new AppError('validation_failed', 'budget must be a positive integer of trials');

  const grid = method.kind === 'grid' ? gridPlan(space, method.points_per_axis, seed, budget) : null;
  const total = grid ? grid.length : method.kind === 'genetic' ? Math.min(budget, geneticTotal(method)) : budget;

  const propose = (index: number, history: readonly Trial[]): Params | null => {
    if (!Number.isInteger(index) || index < 0) throw new RangeError(`trial index must be a non-negative integer, got ${index}`);
    if (index >= total) return null;
    const visible = visiblePrefix(history, visibleTrialCount(method, index));
    switch (method.kind) {
      case 'grid':
        return { ...(grid?.[index] ?? {}) };
      case 'random':
        return sampleUniform(space, streamRng(seed, STREAM.random, index));
      case 'genetic':
        return proposeGenetic(space, method, index, visible, streamRng(seed, STREAM.genetic, index));
      case 'bayesian':
        return proposeTpe(
          space,
          visible,
          method.n_startup ?? defaultStartup(budget),
          method.n_candidates ?? DEFAULT_CANDIDATES,
          streamRng(seed, STREAM.bayesian, index),
        );
    }
  };
  return { total, propose };
}
