import { z } from 'zod';

/*
 * A search space and a method as the tuning API takes them: one entry per hyperparameter of the
 * family (its public, snake_case name). The shapes are those of @inkwell/tuning (which contracts
 * may not import: it is `scope:ml`); the trainer parses them again with that library's schemas,
 * which add the checks across fields (ranges, steps, condition cycles).
 */

export const TuningParamValue = z.union([z.string(), z.number(), z.boolean()]);

/** `when`: the parameter only exists when another one takes one of these values (e.g. `gamma` only for rbf/poly kernels). */
export const SearchCondition = z.object({ param: z.string().min(1).max(100), in: z.array(TuningParamValue).min(1).max(100) }).strict();

export const SearchParam = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('float'), low: z.number(), high: z.number(), log: z.boolean().optional(), when: SearchCondition.optional() }).strict(),
  z.object({ kind: z.literal('int'), low: z.int(), high: z.int(), log: z.boolean().optional(), step: z.int().positive().optional(), when: SearchCondition.optional() }).strict(),
  z.object({ kind: z.literal('choice'), values: z.array(TuningParamValue).min(1).max(100), when: SearchCondition.optional() }).strict(),
]);
export type SearchParam = z.infer<typeof SearchParam>;

export const SearchSpace = z
  .record(z.string().min(1).max(100), SearchParam)
  .refine((s) => Object.keys(s).length > 0 && Object.keys(s).length <= 30, 'a search space has 1 to 30 parameters');
export type SearchSpace = z.infer<typeof SearchSpace>;

/**
 * How trials are proposed. `grid`: every combination (`points_per_axis` points per range, every
 * value of a choice); `genetic`: generations of `population` (tournament selection, uniform
 * crossover, per-gene mutation, the best `elitism` carried over); `bayesian`: TPE (see @inkwell/tuning).
 */
export const TuningMethod = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('grid'), points_per_axis: z.int().min(2).max(100).optional() }).strict(),
  z.object({ kind: z.literal('random') }).strict(),
  z
    .object({
      kind: z.literal('genetic'),
      population: z.int().min(2).max(1000).default(8),
      generations: z.int().min(1).max(1000).default(4),
      mutation_rate: z.number().min(0).max(1).default(0.2),
      crossover_rate: z.number().min(0).max(1).default(0.8),
      elitism: z.int().min(0).default(1),
      tournament_size: z.int().min(1).default(3),
    })
    .strict(),
  z.object({ kind: z.literal('bayesian'), n_startup: z.int().min(1).optional(), n_candidates: z.int().min(1).max(1000).optional() }).strict(),
]);
export type TuningMethod = z.infer<typeof TuningMethod>;
