import { z } from 'zod';

/**
 * The serialisable contracts of a tuning study. They cross HTTP (the request), the queue (the
 * tuning job's payload) and the database (stored trials), so each zod schema is also the type.
 */

/** One hyperparameter value, as a trial receives it. */
export const ParamValue = z.union([z.string(), z.number(), z.boolean()]);
export type ParamValue = z.infer<typeof ParamValue>;

/** A trial's hyperparameters. A conditional parameter whose condition is false is absent. */
export const Params = z.record(z.string(), ParamValue);
export type Params = z.infer<typeof Params>;

/** `gamma` only when `kernel` is one of `['rbf', 'poly']`: `{ param: 'kernel', in: ['rbf', 'poly'] }`. */
export const ParamCondition = z.object({ param: z.string().min(1), in: z.array(ParamValue).min(1) });
export type ParamCondition = z.infer<typeof ParamCondition>;

export const FloatParamSpec = z.object({
  kind: z.literal('float'),
  low: z.number(),
  high: z.number(),
  /** Sample and mutate on a log scale (learning rates, weight decay, C, gamma); needs low > 0. */
  log: z.boolean().optional(),
  when: ParamCondition.optional(),
});
export type FloatParamSpec = z.infer<typeof FloatParamSpec>;

export const IntParamSpec = z.object({
  kind: z.literal('int'),
  low: z.number().int(),
  high: z.number().int(),
  log: z.boolean().optional(),
  /** Values are low, low + step, ...; defaults to 1. */
  step: z.number().int().positive().optional(),
  when: ParamCondition.optional(),
});
export type IntParamSpec = z.infer<typeof IntParamSpec>;

export const ChoiceParamSpec = z.object({
  kind: z.literal('choice'),
  values: z.array(ParamValue).min(1),
  when: ParamCondition.optional(),
});
export type ChoiceParamSpec = z.infer<typeof ChoiceParamSpec>;

export const ParamSpec = z.discriminatedUnion('kind', [FloatParamSpec, IntParamSpec, ChoiceParamSpec]);
export type ParamSpec = z.infer<typeof ParamSpec>;

const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Parameter name → spec. Checks beyond shape: low < high (low <= high for int), log needs low > 0,
 * an int step divides the range, and a `when` names another parameter of the space without
 * forming a cycle.
 */
export const SearchSpaceSchema = z
  .record(z.string().regex(PARAM_NAME, 'parameter names are identifiers'), ParamSpec)
  .superRefine((space, ctx) => {
    const names = Object.keys(space);
    if (names.length === 0) ctx.addIssue({ code: 'custom', message: 'the search space has no parameters', path: [] });
    for (const [name, spec] of Object.entries(space)) {
      if (spec.kind !== 'choice') {
        if (spec.kind === 'float' ? !(spec.low < spec.high) : !(spec.low <= spec.high))
          ctx.addIssue({ code: 'custom', message: `${name}: low must be below high`, path: [name] });
        if (spec.log === true && !(spec.low > 0))
          ctx.addIssue({ code: 'custom', message: `${name}: a log scale needs low > 0`, path: [name] });
        if (spec.kind === 'int' && spec.step !== undefined && (spec.high - spec.low) % spec.step !== 0)
          ctx.addIssue({ code: 'custom', message: `${name}: step must divide high - low`, path: [name] });
      }
      if (spec.when) {
        if (spec.when.param === name || !(spec.when.param in space))
          ctx.addIssue({ code: 'custom', message: `${name}: when.param must name another parameter`, path: [name, 'when'] });
      }
    }
    // A cycle of conditions (a when b, b when a) can never be resolved.
    for (const start of names) {
      const seen = new Set<string>([start]);
      let cur = space[start]?.when?.param;
      while (cur !== undefined && cur in space) {
        if (seen.has(cur)) {
          ctx.addIssue({ code: 'custom', message: `${start}: conditions form a cycle`, path: [start, 'when'] });
          break;
        }
        seen.add(cur);
        cur = space[cur]?.when?.param;
      }
    }
  });
export type SearchSpace = z.infer<typeof SearchSpaceSchema>;

export const GridMethod = z.object({
  kind: z.literal('grid'),
  /** Points per float axis (and per int axis with more values than this); choices use every value. */
  points_per_axis: z.number().int().min(2).max(100).optional(),
});
export const RandomMethod = z.object({ kind: z.literal('random') });
export const GeneticMethod = z
  .object({
    kind: z.literal('genetic'),
    population: z.number().int().min(2).max(1000),
    generations: z.number().int().min(1).max(1000),
    /** Per-gene probability of a mutation in each child. */
    mutation_rate: z.number().min(0).max(1),
    /** Probability that a child mixes two parents (uniform crossover) rather than copying one. */
    crossover_rate: z.number().min(0).max(1),
    /** The best `elitism` of a generation carry over to the next without being re-run. */
    elitism: z.number().int().min(0),
    tournament_size: z.number().int().min(1),
  })
  .refine((m) => m.elitism < m.population, { message: 'elitism must be below population', path: ['elitism'] })
  .refine((m) => m.tournament_size <= m.population, { message: 'tournament_size must not exceed population', path: ['tournament_size'] });
export const BayesianMethod = z.object({
  kind: z.literal('bayesian'),
  /** Random trials before the model is used; default 10 (or a quarter of the budget, whichever is smaller, at least 2). */
  n_startup: z.number().int().min(1).optional(),
  /** Candidates drawn from the good-trial density per proposal; the best by l(x)/g(x) wins. Default 24. */
  n_candidates: z.number().int().min(1).max(1000).optional(),
});
export const MethodSchema = z.discriminatedUnion('kind', [GridMethod, RandomMethod, GeneticMethod, BayesianMethod]);
export type Method = z.infer<typeof MethodSchema>;
export type GridMethod = z.infer<typeof GridMethod>;
export type RandomMethod = z.infer<typeof RandomMethod>;
export type GeneticMethod = z.infer<typeof GeneticMethod>;
export type BayesianMethod = z.infer<typeof BayesianMethod>;

/**
 * A finished trial as the sampler and the pruner see it. `value` is the objective, higher is
 * better (e.g. validation accuracy); null means the trial failed or was pruned before giving one.
 * `intermediate[e - 1]` is the objective after epoch e (network families).
 */
export const TrialSchema = z.object({
  index: z.number().int().min(0),
  params: Params,
  value: z.number().nullable(),
  pruned_at_epoch: z.number().int().min(1).nullable().optional(),
  intermediate: z.array(z.number()).optional(),
});
export type Trial = z.infer<typeof TrialSchema>;

/** Proposes trial parameters; see the visibility rule in index.ts. */
export interface Sampler {
  /** How many trials this sampler proposes in all: min(budget, what the method defines). */
  readonly total: number;
  /**
   * Parameters of trial `index` (0-based), or null when `index >= total`. Pure: depends only on
   * the space, the method, the seed, `index` and the trials of `history` whose index is below
   * `visibleTrialCount(method, index)` — every one of those must be in `history` (finished),
   * else it throws. Other entries of `history` are ignored, so a caller may pass all it knows.
   */
  propose(index: number, history: readonly Trial[]): Params | null;
}

/**
 * The median rule (Optuna's MedianPruner): after epoch e, prune a trial below the median at e of
 * the visible completed trials, once `n_startup_trials` of them completed and from `min_epoch` on.
 */
export const MedianPruner = z.object({
  rule: z.literal('median'),
  /** Never prune until this many visible trials have completed. Default 5. */
  n_startup_trials: z.number().int().min(0).optional(),
  /** Never prune at an epoch below this (1-based). Default 1: from the first epoch on. */
  min_epoch: z.number().int().min(1).optional(),
});
export type MedianPruner = z.infer<typeof MedianPruner>;

/**
 * The median rule with another cut (Optuna's PercentilePruner): prune a trial below the
 * `percentile`-th percentile (linear interpolation, as numpy's default) of the visible completed
 * trials at that epoch. 50 is the median rule; 60 stops all but the top 40 %.
 */
export const PercentilePruner = MedianPruner.extend({
  rule: z.literal('percentile'),
  percentile: z.number().min(0).max(100),
});
export type PercentilePruner = z.infer<typeof PercentilePruner>;

/**
 * Successive halving, asynchronous (ASHA; Optuna's SuccessiveHalvingPruner): rungs at epochs
 * `min_resource * reduction_factor^i` (1, 3, 9, ... by default); at a rung a trial goes on only if
 * its value is among the top 1/reduction_factor of the values the visible trials reached at that
 * rung, its own included (the very best when fewer than reduction_factor compete).
 */
export const SuccessiveHalvingPruner = z.object({
  rule: z.literal('successive_halving'),
  /** Epochs before the first rung. Default 1. */
  min_resource: z.number().int().min(1).optional(),
  /** Each rung keeps the top 1/reduction_factor and is reduction_factor times further. Default 3. */
  reduction_factor: z.number().int().min(2).optional(),
});
export type SuccessiveHalvingPruner = z.infer<typeof SuccessiveHalvingPruner>;

export const PrunerSchema = z.discriminatedUnion('rule', [MedianPruner, PercentilePruner, SuccessiveHalvingPruner]);
export type Pruner = z.infer<typeof PrunerSchema>;

export interface PruneDecision {
  prune: boolean;
  /** The epoch (1-based) the decision is about: `intermediate.length`. */
  epoch: number;
  /**
   * The value the trial had to reach to go on: the median or percentile of the completed trials,
   * or the rung's cut-off (successive halving); null when the rule does not apply at this epoch.
   */
  threshold: number | null;
  /** How many visible trials the threshold was taken over (the trial itself not counted). */
  compared_with: number;
}

export interface ParameterImportance {
  param: string;
  /** First-order share of the objective's variance this parameter explains alone, in [0, 1]. */
  variance_share: number;
  /** `variance_share` normalised so the parameters sum to 1 (0 for all when nothing varies). */
  importance: number;
}

export interface GenerationSummary {
  generation: number;
  /** Trials run for this generation (children; all of the population for generation 0). */
  trial_indices: number[];
  /** Best and mean fitness of the generation's whole population (carried-over elites included). */
  best: number | null;
  mean: number | null;
}
