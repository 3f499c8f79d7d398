import { z } from 'zod';
import { AppError, FAMILY_HYPERPARAMETERS, type TrainFamily } from '@inkwell/contracts';
import type { RecipeData, RecipeInput } from '@inkwell/model-artifacts';

/** What a job fixes outside `hyperparameters`: the recipe's fields every family shares. */
export interface RecipeRun {
  readonly name: string;
  readonly seed: number;
  readonly epochs: number;
  readonly data: RecipeData;
}

/** One model family as the trainer implements it: defined once, used by the API and the worker. */
export interface ModelFamily {
  readonly name: TrainFamily;
  readonly description: string;
  /** The public hyperparameter schema (from @inkwell/contracts: it is an HTTP boundary). */
  readonly hyperparameters: z.ZodType;
  /** Every hyperparameter with the value it takes when a request leaves it out. */
  readonly defaults: Readonly<Record<string, unknown>>;
  /**
   * The engine recipe for a request's hyperparameters: 400 `validation_failed` naming each bad
   * field (`hyperparameters.<field>`) when the schema refuses them.
   */
  recipe(hyperparameters: unknown, run: RecipeRun): RecipeInput;
}

/**
 * Ties a family's name to its contract schema and its mapping onto the engine, so the mapping
 * only ever sees hyperparameters the schema has checked and filled with defaults.
 */
export function defineFamily<F extends TrainFamily>(def: {
  readonly name: F;
  readonly description: string;
  readonly toRecipe: (p: z.output<(typeof FAMILY_HYPERPARAMETERS)[F]>, run: RecipeRun) => RecipeInput;
}): ModelFamily {
  const schema: (typeof FAMILY_HYPERPARAMETERS)[F] = FAMILY_HYPERPARAMETERS[def.name];
  const check = (input: unknown): z.output<(typeof FAMILY_HYPERPARAMETERS)[F]> => {
    const parsed = schema.safeParse(input);
    if (parsed.success) return parsed.data as z.output<(typeof FAMILY_HYPERPARAMETERS)[F]>;
    throw new AppError('validation_failed', `hyperparameters do not fit family ${def.name}: ${z.prettifyError(parsed.error)}`, {
      family: def.name,
      issues: parsed.error.issues.map((i) => ({ path: ['hyperparameters', ...i.path].join('.'), message: i.message })),
    });
  };
  return {
    name: def.name,
    description: def.description,
    hyperparameters: schema,
    defaults: check({}),
    recipe: (hyperparameters, run) => def.toRecipe(check(hyperparameters), run),
  };
}
