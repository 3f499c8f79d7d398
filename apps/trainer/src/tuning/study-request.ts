import { z } from 'zod';
import { SearchSpace, TuningBudget, TuningMethod, TuningObjective, TuningPruningRule } from '@inkwell/contracts';
import { DEFAULT_PRUNER, type Pruner } from '@inkwell/tuning';

/** A study's request as stored (`tuning_jobs.request`): every default filled in, the space resolved. */
export const StudyRequest = z.object({
  space: SearchSpace,
  method: TuningMethod,
  budget: TuningBudget,
  objective: TuningObjective,
  seed: z.int(),
  epochs: z.int(),
  max_train_samples: z.int().nullable(),
  base_hyperparameters: z.record(z.string(), z.json()),
  /**
   * New studies store `false` or the rule itself (a request's `true` is resolved to the default rule
   * when the study is created, so changing the default never changes a stored study's decisions).
   * `true` or absent: stored before rules could be chosen; those pruned by the median rule.
   */
  pruning: z.union([z.boolean(), TuningPruningRule]).default(true),
});
export type StudyRequest = z.infer<typeof StudyRequest>;

/** The rule a request asks for, resolved for storing: `true` becomes today's default rule. */
export function pruningToStore(requested: boolean | TuningPruningRule): false | TuningPruningRule {
  return requested === true ? DEFAULT_PRUNER : requested;
}

/** The rule a stored study prunes by, or null when it does not prune. */
export function prunerOf(study: StudyRequest): Pruner | null {
  if (study.pruning === false) return null;
  if (study.pruning === true) return { rule: 'median' };
  return study.pruning;
}
